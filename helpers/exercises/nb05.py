"""Exercises of notebook 05 (proxy routing): predict which resource answers, add a path variable.

05.1 is checked against API Gateway's routing rules (literal > {param} > {proxy+},
{proxy+} needs at least one character); 05.2 asks the deployed stage itself, so it
passes on the local cloud and on a real account alike.
"""
from __future__ import annotations

from . import define

# The notebook's API when 05.1 is asked: ANY /, GET /welcome, ANY /{proxy+}, GET /users/{id}.
EXPECTED_ROUTES = {
    "/welcome": "/welcome",
    "/welcome/again": "/{proxy+}",
    "/users/7": "/users/{id}",
    "/users": "/{proxy+}",
    "/": "/",
}
_WHY = {
    "/welcome/again": "a literal resource matches exactly one path part: /welcome/again has two, so the "
                      "greedy /{proxy+} answers",
    "/users": "/users exists only as the parent of /users/{id} and has no method of its own, so the request "
              "falls through to /{proxy+}",
    "/": "{proxy+} needs at least one character, so only the root resource's own method (ANY /) answers /",
    "/users/7": "a path variable {id} matches any single path part, and it is more specific than {proxy+}",
    "/welcome": "a literal path part beats both path variables and {proxy+}",
}

_ROUTES_STARTER_COMMENT = '''# A dict: each of these request paths → the resource path that answers it
#   "/welcome", "/welcome/again", "/users/7", "/users", "/"
# Values: "/", "/welcome", "/{proxy+}" or "/users/{id}" (or None for 403 Missing Authentication Token).
'''


@define(
    "05.1", "Which resource answers?",
    hint="Three rules: a literal path part beats {id}, which beats {proxy+}; a resource answers only if it "
         "has a method for the request; {proxy+} needs at least one character after the slash.",
    solution=_ROUTES_STARTER_COMMENT + '''predictions = {
    "/welcome": "/welcome",
    "/welcome/again": "/{proxy+}",
    "/users/7": "/users/{id}",
    "/users": "/{proxy+}",
    "/": "/",
}''',
    mistake=_ROUTES_STARTER_COMMENT + '''predictions = {
    "/welcome": "/welcome",
    "/welcome/again": "/welcome",
    "/users/7": "/users/{id}",
    "/users": "/users/{id}",
    "/": "/{proxy+}",
}''',
)
def check_routes(answer) -> None:
    if not isinstance(answer, dict):
        raise AssertionError(f"expected a dict of request path → resource path, got a {type(answer).__name__}")
    missing = [path for path in EXPECTED_ROUTES if path not in answer]
    if missing:
        raise AssertionError(f"the dict has no entry for {', '.join(missing)}")
    for path, expected in EXPECTED_ROUTES.items():
        if answer[path] != expected:
            raise AssertionError(f"{path}: not {answer[path]!r}; {_WHY[path]}")


_ORDERS_CELL = '''import requests

path_part = {value}          # the pathPart of the new resource under /orders

if path_part:   # the cell does nothing until the blank is filled in
    order_resource = ensure_resource(orders_resource, path_part)
    apigw.put_method(restApiId=api_id, resourceId=order_resource, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api_id, resourceId=order_resource, httpMethod="GET", type="AWS_PROXY",
                          integrationHttpMethod="POST", uri=lambda_uri)
    apigw.create_deployment(restApiId=api_id, stageName=STAGE)
    event = requests.get(url + "/orders/A-100").json()
    print(event["resource"], event["pathParameters"])'''


@define(
    "05.2", "A path variable for one order",
    hint="A resource whose pathPart is a name in braces, such as {something}, matches any single path part "
         "and hands its value to the function in event['pathParameters'] under that name. Here the name is "
         "orderId.",
    solution="from helpers import ____\n" + _ORDERS_CELL.format(value='"{orderId}"'),
    mistake="from helpers import ____\n" + _ORDERS_CELL.format(value='"orderId"'),
)
def check_order_path(path_part, url) -> None:
    import requests

    if not isinstance(path_part, str):
        raise AssertionError(f"expected the pathPart as a string, got a {type(path_part).__name__}")
    response = requests.get(url.rstrip("/") + "/orders/A-100", timeout=35)
    if response.status_code != 200:
        raise AssertionError(f"GET /orders/A-100 answered {response.status_code} {response.text[:120]}: "
                             "did the cell deploy the API after adding the method?")
    event = response.json()
    if event.get("resource") == "/{proxy+}":
        raise AssertionError(f"the /{{proxy+}} resource answered GET /orders/A-100, not yours: a pathPart "
                             f"{path_part!r} without braces matches only that exact text")
    if event.get("resource") != "/orders/{orderId}" or event.get("pathParameters") != {"orderId": "A-100"}:
        raise AssertionError(f"resource {event.get('resource')!r} answered with pathParameters "
                             f"{event.get('pathParameters')!r}; expected /orders/{{orderId}} and "
                             "{'orderId': 'A-100'}")
