"""Which Lambda function a target ARN names, and whether EventBridge may invoke it.

On AWS, EventBridge invokes a function only if the function's resource-based policy lets the
``events.amazonaws.com`` principal call ``lambda:InvokeFunction`` (usually for this rule's ARN);
otherwise the invocation fails quietly (the rule's FailedInvocations metric). See
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html and
https://repost.aws/knowledge-center/lambda-resource-based-policies. The local cloud checks the
same policy, so a notebook that forgets ``add_permission`` fails here as it would on AWS.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

EVENTS_PRINCIPAL = "events.amazonaws.com"
_INVOKE_ACTIONS = {"lambda:invokefunction", "lambda:*", "*"}


@dataclass(frozen=True)
class LambdaTarget:
    function_name: str
    qualifier: str | None
    region: str
    account: str


def parse_lambda_arn(arn: str) -> LambdaTarget | None:
    """``arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]``, else None."""
    parts = arn.split(":")
    if len(parts) not in (7, 8) or parts[0] != "arn" or parts[2] != "lambda" or parts[5] != "function":
        return None
    return LambdaTarget(parts[6], parts[7] if len(parts) == 8 else None, parts[3], parts[4])


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statement_allows(statement: dict[str, Any], rule_arn: str, account: str) -> bool:
    if statement.get("Effect", "Allow") != "Allow":
        return False
    if not any(str(a).lower() in _INVOKE_ACTIONS for a in _as_list(statement.get("Action", []))):
        return False
    principal = statement.get("Principal")
    services = _as_list(principal.get("Service", [])) if isinstance(principal, dict) else _as_list(principal)
    if EVENTS_PRINCIPAL not in services and "*" not in services:
        return False
    for operator, conditions in (statement.get("Condition") or {}).items():
        for key, expected in conditions.items():
            lowered = key.lower()
            if lowered == "aws:sourcearn":
                matcher = fnmatch.fnmatchcase if operator.startswith("ArnLike") else str.__eq__
                if not any(matcher(rule_arn, pattern) for pattern in _as_list(expected)):
                    return False
            elif lowered == "aws:sourceaccount" and account not in _as_list(expected):
                return False
    return True


def _policy_statements(target: LambdaTarget) -> list[dict[str, Any]] | None:
    """Statements of the function's policy and of the alias/version it names; None: no such function."""
    from moto.awslambda.models import lambda_backends

    backend = lambda_backends[target.account][target.region]
    statements: list[dict[str, Any]] = []
    found = False
    for qualifier in {None, target.qualifier}:
        try:
            function = backend.get_function(target.function_name, qualifier)
        except Exception:  # moto raises its own not-found errors
            continue
        found = True
        statements += list(getattr(function.policy, "statements", []) or [])
    return statements if found else None


def permission_problem(target: LambdaTarget, rule_arn: str) -> str | None:
    """Why EventBridge may not invoke ``target`` for ``rule_arn``, or None if it may.

    A function moto does not know is left to the Lambda runtime, which answers not-found itself.
    """
    statements = _policy_statements(target)
    if statements is None or any(_statement_allows(s, rule_arn, target.account) for s in statements):
        return None
    return (f"EventBridge is not allowed to invoke {target.function_name}: its resource-based policy "
            f"has no statement for principal {EVENTS_PRINCIPAL}. Add one with lambda add_permission("
            f"FunctionName=..., StatementId=..., Action='lambda:InvokeFunction', "
            f"Principal='{EVENTS_PRINCIPAL}', SourceArn='{rule_arn}').")
