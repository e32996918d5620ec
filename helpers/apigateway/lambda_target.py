"""The Lambda behind an integration: which function, may API Gateway call it, and how long to wait.

- The URI ``arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function-arn>/invocations``
  names the function (``${stageVariables.x}`` may appear in it).
- Permission ("Grant API Gateway permission to invoke your Lambda function" /
  the console's ``add_permission`` step): the function's resource policy must allow
  ``lambda:InvokeFunction`` to the principal ``apigateway.amazonaws.com``, with a
  ``SourceArn`` such as ``arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>``
  (wildcards allowed). Without it AWS logs "Execution failed due to configuration
  error: Invalid permissions on Lambda function" and answers 500 Internal server error.
- The integration's ``timeoutInMillis`` (50–29,000 ms): past it the client gets
  504 ``{"message": "Endpoint request timed out"}`` while the function runs on.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from .gateway_errors import IntegrationTimeout, InternalServerError

_URI = re.compile(r"^arn:aws[a-z-]*:apigateway:(?P<region>[^:]+):lambda:path/[^/]+/functions/"
                  r"(?P<arn>.+?)/invocations/?$")
_FUNCTION_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:(?P<region>[^:]+):(?P<account>\d{12}):function:"
                           r"(?P<name>[^:]+)(?::(?P<qualifier>[^:]+))?$")
_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")
INIT_BUDGET_S = 10.0  # Lambda's Init phase may take up to 10 s before the handler's own timeout starts

# (function_name, qualifier, payload, region) -> contract.InvocationResult
Invoker = Callable[[str, "str | None", bytes, str], Any]


@dataclass(frozen=True)
class LambdaTarget:
    name: str
    qualifier: str | None
    region: str
    account: str
    function_arn: str


def render_stage_variables(text: str, stage_variables: dict[str, str] | None) -> str:
    return _STAGE_VARIABLE.sub(lambda m: (stage_variables or {}).get(m.group(1), ""), text)


def parse_uri(uri: str, stage_variables: dict[str, str] | None, default_account: str) -> LambdaTarget:
    rendered = render_stage_variables(uri, stage_variables)
    match = _URI.match(rendered)
    if not match:
        raise InternalServerError(log=f"Execution failed due to configuration error: Invalid Lambda "
                                      f"integration URI {rendered!r}")
    arn = match.group("arn")
    function = _FUNCTION_ARN.match(arn)
    if function:
        return LambdaTarget(function.group("name"), function.group("qualifier"), function.group("region"),
                            function.group("account"), arn)
    # A bare function name (allowed with stage variables): same region and account as the API.
    name, _, qualifier = arn.partition(":")
    region = match.group("region")
    return LambdaTarget(name, qualifier or None, region, default_account,
                        f"arn:aws:lambda:{region}:{default_account}:function:{arn}")


def find_function(target: LambdaTarget) -> Any:
    """moto's function object, or a 500 (the function was deleted or never existed)."""
    from moto.awslambda.models import lambda_backends

    try:
        return lambda_backends[target.account][target.region].get_function(target.name, target.qualifier)
    except Exception:
        raise InternalServerError(log=f"Execution failed due to configuration error: Lambda function "
                                      f"{target.function_arn} not found") from None


def check_permission(function: Any, target: LambdaTarget, source_arns: list[str]) -> None:
    """Allow only if the resource policy lets apigateway.amazonaws.com invoke it from this source."""
    statements = list(getattr(function.policy, "statements", []) or [])
    allowed = False
    for statement in statements:
        if not _statement_applies(statement, target, source_arns):
            continue
        if str(statement.get("Effect", "Allow")).lower() == "deny":
            allowed = False
            break
        allowed = True
    if not allowed:
        raise InternalServerError(log="Execution failed due to configuration error: Invalid permissions on "
                                      f"Lambda function {target.function_arn} (add a permission for the "
                                      f"principal apigateway.amazonaws.com; source {source_arns[0]})")


def _statement_applies(statement: dict[str, Any], target: LambdaTarget, source_arns: list[str]) -> bool:
    if not _principal_is_apigateway(statement.get("Principal")):
        return False
    actions = statement.get("Action", [])
    actions = [actions] if isinstance(actions, str) else actions
    if not any(_glob(str(action).lower(), "lambda:invokefunction") for action in actions):
        return False
    resources = statement.get("Resource", target.function_arn)
    resources = [resources] if isinstance(resources, str) else resources
    candidates = {target.function_arn, _unqualified(target.function_arn)}
    if not any(_arn_like(str(resource), candidate) for resource in resources for candidate in candidates):
        return False
    return _conditions_hold(statement.get("Condition") or {}, target, source_arns)


def _principal_is_apigateway(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        for key in ("Service", "AWS"):
            values = principal.get(key, [])
            values = [values] if isinstance(values, str) else values
            if "apigateway.amazonaws.com" in values or "*" in values:
                return True
    return principal == "apigateway.amazonaws.com"


def _conditions_hold(conditions: dict[str, Any], target: LambdaTarget, source_arns: list[str]) -> bool:
    for operator, entries in conditions.items():
        for key, expected in (entries or {}).items():
            expected_values = [expected] if isinstance(expected, str) else list(expected)
            key_lower = key.lower()
            if key_lower == "aws:sourcearn":
                actual_values = source_arns
            elif key_lower == "aws:sourceaccount":
                actual_values = [target.account]
            else:
                return False  # a condition the local cloud cannot evaluate: do not grant
            op = operator.lower()
            if op in ("arnlike", "arnequals", "stringlike"):
                ok = any(_arn_like(e, a) if op != "stringlike" else _glob(a, e)
                         for e in expected_values for a in actual_values)
            elif op == "stringequals":
                ok = any(e == a for e in expected_values for a in actual_values)
            else:
                return False
            if not ok:
                return False
    return True


def _unqualified(arn: str) -> str:
    parts = arn.split(":")
    return ":".join(parts[:7]) if len(parts) > 7 else arn


@lru_cache(maxsize=1024)
def _pattern(glob: str) -> re.Pattern:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob) + r"\Z",
                      re.DOTALL)


def _glob(value: str, glob: str) -> bool:
    return bool(_pattern(glob).match(value))


def _arn_like(pattern: str, arn: str) -> bool:
    """ArnLike: each of the six colon-separated parts is matched on its own (``*`` and ``?``)."""
    wanted = pattern.split(":", 5)
    actual = arn.split(":", 5)
    if len(wanted) != len(actual):
        return False
    return all(_glob(a, w) for w, a in zip(wanted, actual))


def needs_watchdog(function: Any, timeout_ms: int) -> bool:
    """Must API Gateway's own timer run? Not when the function's timeout (plus Init) ends first."""
    try:
        function_timeout_s = float(function.timeout)
    except (TypeError, ValueError, AttributeError):
        return True
    return (function_timeout_s + INIT_BUDGET_S) * 1000 > timeout_ms


def invoke_with_deadline(call: Callable[[], Any], timeout_ms: int, watchdog: bool) -> Any:
    """Run ``call``; past ``timeout_ms`` raise 504 and leave the call running, as AWS leaves the function."""
    if not watchdog:
        return call()
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the waiting request thread
            outcome["error"] = error
        finally:
            done.set()

    threading.Thread(target=run, name="apigw-integration", daemon=True).start()
    if not done.wait(timeout_ms / 1000):
        raise IntegrationTimeout(log=f"Execution failed due to a timeout error (timeoutInMillis {timeout_ms})")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
