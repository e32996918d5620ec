"""Exercises of notebook 09 (the capstone): the preflight a browser sends, and least privilege per function.

09.1 sends the learner's headers to the deployed API as an OPTIONS request, the way the browser
would, and names what a preflight must carry; 09.2 compares the learner's action sets with what
each function's code calls.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from . import define

_PREFLIGHT_CELL = '''# The headers the browser adds on the page's behalf when it asks the API before POSTing JSON.
preflight_headers = {value}'''


@define(
    "09.1", "The preflight a browser sends",
    hint="Three headers: Origin (where the page comes from: SITE_ORIGIN), Access-Control-Request-Method "
         "(the method the page wants to use) and Access-Control-Request-Headers (the non-simple headers it "
         "will send: content-type).",
    solution="from helpers import ____\n\n" + _PREFLIGHT_CELL.format(
        value='{"Origin": SITE_ORIGIN, "Access-Control-Request-Method": "POST",\n'
              '                     "Access-Control-Request-Headers": "content-type"}'),
    mistake="from helpers import ____\n\n" + _PREFLIGHT_CELL.format(value='{"Origin": SITE_ORIGIN}'),
)
def check_preflight(preflight_headers, url) -> None:
    import requests

    if not isinstance(preflight_headers, dict):
        raise AssertionError("preflight_headers should be a dict of header names and values")
    sent = {str(k).lower(): str(v) for k, v in preflight_headers.items()}
    origin = sent.get("origin")
    if not origin:
        raise AssertionError("a preflight always says where the page comes from: the Origin header")
    api = urlsplit(url)
    if origin.rstrip("/") == f"{api.scheme}://{api.netloc}":
        raise AssertionError("that Origin is the API's own: a same-origin request needs no preflight; use "
                             "the page's origin (SITE_ORIGIN)")
    method = sent.get("access-control-request-method")
    if not method:
        raise AssertionError("a preflight also names the method the page wants to use: "
                             "Access-Control-Request-Method")
    if method.upper() != "POST":
        raise AssertionError(f"the page wants to POST (it adds a user), not {method}")
    if "content-type" not in sent.get("access-control-request-headers", "").lower():
        raise AssertionError("the page sends Content-Type: application/json, which is not a simple header: "
                             "name it in Access-Control-Request-Headers")
    answer = requests.options(url.rstrip("/") + "/users", headers=preflight_headers, timeout=30)
    if answer.status_code != 200:
        raise AssertionError(f"the API answered the preflight with {answer.status_code}; expected 200 from the "
                             "OPTIONS mock method")
    allowed_origin = answer.headers.get("Access-Control-Allow-Origin")
    if allowed_origin not in ("*", origin):
        raise AssertionError(f"the answer allows the origin {allowed_origin!r}, not {origin!r}")
    if "POST" not in answer.headers.get("Access-Control-Allow-Methods", "").upper():
        raise AssertionError("the answer does not allow POST (Access-Control-Allow-Methods)")


_ACTIONS_CELL = '''# Least privilege: exactly the DynamoDB actions each function's code calls, e.g. {{"dynamodb:..."}}
get_actions = {get}
post_actions = {post}'''


def _as_set(value, name: str) -> set[str]:
    if isinstance(value, str):
        value = {value}
    if not isinstance(value, (set, list, tuple, frozenset)):
        raise AssertionError(f"{name} should be a set of action names such as {{\"dynamodb:GetItem\"}}")
    return {str(v) for v in value}


@define(
    "09.2", "One function, one permission",
    hint="Read the two handlers: get_users.py calls table.scan (the action dynamodb:Scan), post_user.py calls "
         "table.put_item (dynamodb:PutItem). Nothing else.",
    solution="from helpers import ____\n\n" + _ACTIONS_CELL.format(get='{"dynamodb:Scan"}',
                                                                    post='{"dynamodb:PutItem"}'),
    mistake="from helpers import ____\n\n" + _ACTIONS_CELL.format(get='{"dynamodb:Scan", "dynamodb:GetItem"}',
                                                                   post='{"dynamodb:*"}'),
)
def check_actions(get_actions, post_actions) -> None:
    get_set, post_set = _as_set(get_actions, "get_actions"), _as_set(post_actions, "post_actions")
    for name, actions in (("get_actions", get_set), ("post_actions", post_set)):
        broad = [a for a in actions if "*" in a]
        if broad:
            raise AssertionError(f"{name} has {broad[0]!r}: a wildcard allows every matching action, far more "
                                 "than the function calls")
        lower = {a.lower() for a in actions}
        if any(not a.startswith("dynamodb:") for a in lower):
            raise AssertionError(f"{name}: DynamoDB actions are written dynamodb:Action, e.g. dynamodb:Scan")
    if {a.lower() for a in get_set} != {"dynamodb:scan"}:
        extra = sorted(a for a in get_set if a.lower() != "dynamodb:scan")
        raise AssertionError("the GET function only scans (table.scan)" +
                             (f"; it never calls {', '.join(extra)}" if extra else ": add dynamodb:Scan"))
    if {a.lower() for a in post_set} != {"dynamodb:putitem"}:
        extra = sorted(a for a in post_set if a.lower() != "dynamodb:putitem")
        raise AssertionError("the POST function only writes one item (table.put_item)" +
                             (f"; it never calls {', '.join(extra)}" if extra else ": add dynamodb:PutItem"))
