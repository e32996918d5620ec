"""Waiting for Lambda: a function becoming Active, an update finishing, a new role propagating.

On AWS a new function is ``Pending`` for a moment and an update is ``InProgress``;
invoking then fails with ``ResourceConflictException``. boto3's own waiters
(``function_active_v2``, ``function_updated_v2``) poll ``GetFunction`` until it is
over, so these helpers use them: offline the first poll already says Active.

A brand-new IAM role takes seconds to reach Lambda, which meanwhile answers
``InvalidParameterValueException: The role defined for the function cannot be
assumed by Lambda.``; ``when_role_ready`` retries that call on a real account only.
In the local cloud the role is there at once, so the same error means the trust
policy really does not name ``lambda.amazonaws.com``, and it is raised at once.
https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html
"""
from __future__ import annotations

import time
from typing import Any, Callable

# Importing helpers registers the Lambda engine's COURSE_LAMBDA_* settings too, so the README's
# settings table and ``python -m helpers.settings`` list them (the engine itself runs in the server).
from .lambda_runtime import settings as _lambda_settings  # noqa: F401

ROLE_NOT_READY = "cannot be assumed by Lambda"


def _client(client=None):
    if client is not None:
        return client
    import boto3

    return boto3.client("lambda")


def _is_local() -> bool:
    from .backend import current

    connection = current()
    return connection is None or connection.is_local


def wait_until_active(function_name: str, client=None, timeout: float = 300.0) -> dict:
    """Block until the function's State is Active; returns its configuration."""
    lam = _client(client)
    delay = 1 if not _is_local() else 0.05
    lam.get_waiter("function_active_v2").wait(
        FunctionName=function_name,
        WaiterConfig={"Delay": delay, "MaxAttempts": max(1, int(timeout / max(delay, 0.05)))})
    return lam.get_function_configuration(FunctionName=function_name)


def wait_until_updated(function_name: str, client=None, timeout: float = 300.0) -> dict:
    """Block until the last code or configuration update has finished (LastUpdateStatus Successful)."""
    lam = _client(client)
    delay = 1 if not _is_local() else 0.05
    lam.get_waiter("function_updated_v2").wait(
        FunctionName=function_name,
        WaiterConfig={"Delay": delay, "MaxAttempts": max(1, int(timeout / max(delay, 0.05)))})
    return lam.get_function_configuration(FunctionName=function_name)


def when_role_ready(call: Callable[[], Any], timeout: float = 60.0) -> Any:
    """Run ``call`` (e.g. ``lambda: lam.create_function(...)``), retrying on AWS while a new
    execution role is still propagating. Returns what ``call`` returns."""
    from botocore.exceptions import ClientError

    deadline = time.monotonic() + timeout
    delay = 2.0
    while True:
        try:
            return call()
        except ClientError as error:
            details = error.response.get("Error", {})
            propagating = (details.get("Code") == "InvalidParameterValueException"
                           and ROLE_NOT_READY in details.get("Message", ""))
            if not propagating or _is_local() or time.monotonic() + delay > deadline:
                raise
        print(f"The new role is not usable by Lambda yet (IAM is still propagating); retrying in {delay:.0f} s…")
        time.sleep(delay)
        delay = min(delay * 1.5, 10.0)
