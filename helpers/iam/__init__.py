"""IAM in the course: the local cloud's enforcement switch, and waiting out IAM's propagation.

``helpers.iam.enforcement(True)`` turns the local cloud's IAM checks on for a lesson (real AWS
always enforces, so there it does nothing); ``helpers.iam.eventually(call)`` retries a call
while a brand-new key or policy is still propagating on AWS (offline it returns at once).
The enforcement itself lives in ``extension.py`` and runs inside the local cloud.
"""
from __future__ import annotations

import time
from typing import Any, Callable

from .. import settings as _settings

# Registered here (not only in the extension) so that importing ``helpers`` lists it for the
# README's settings table and the admin endpoint alike.
ENFORCE = _settings.register(_settings.Setting(
    "COURSE_IAM_ENFORCE", True,
    "Enforce IAM in the local cloud: every signed request to DynamoDB, Lambda, API Gateway, IAM, STS, "
    "CloudWatch Logs and EventBridge is checked against the caller's policies, as on AWS.",
    bool, runtime=True))
SETTING = ENFORCE.name
_PROPAGATING = {"InvalidClientTokenId", "UnrecognizedClientException", "AccessDenied", "AccessDeniedException"}


def enforcement(on: bool | None) -> bool | None:
    """Switch IAM enforcement in the local cloud; returns the previous setting to restore later.

    On a real account (or with ``on=None``) nothing changes and None is returned: AWS always
    enforces IAM.
    """
    from ..backend import current
    from ..localcloud import client

    connection = current()
    if on is None or connection is None or not connection.is_local:
        if connection is not None and not connection.is_local:
            print("Real AWS always enforces IAM: nothing to switch.")
        return None
    previous = bool(client.get_settings(connection.endpoint).get(SETTING))
    if previous != bool(on):
        client.set_settings(connection.endpoint, **{SETTING: bool(on)})
    print(f"IAM enforcement in the local cloud: {'on' if on else 'off'}"
          + ("" if previous == bool(on) else f" (was {'on' if previous else 'off'})"))
    return previous


def eventually(call: Callable[[], Any], *, denied: bool = False, timeout: float = 60.0) -> Any:
    """Run ``call`` until IAM has caught up.

    With ``denied=False`` retry while the call is refused (a new access key or policy takes a
    few seconds to reach every AWS endpoint) and return its result. With ``denied=True`` retry
    while it still succeeds (a removed permission also takes a moment) and return the
    ``ClientError`` it finally raises. The local cloud applies IAM changes at once, so offline
    the first attempt decides.
    """
    from botocore.exceptions import ClientError

    deadline = time.monotonic() + timeout
    delay = 1.0
    while True:
        try:
            result = call()
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if denied and code in ("AccessDenied", "AccessDeniedException"):
                return error
            if denied or code not in _PROPAGATING or time.monotonic() > deadline:
                raise
        else:
            if not denied:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"still allowed after {timeout:.0f} s: {call}")
        time.sleep(delay)
        delay = min(delay * 1.5, 5.0)
