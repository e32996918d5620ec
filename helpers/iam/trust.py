"""A role's trust policy: may this caller assume the role?

The trust policy is the role's resource-based policy. Within one account (IAM User Guide,
"Policy evaluation for requests within a single account",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html,
and "How to use trust policies with IAM roles"):
- a statement naming the caller itself (its user ARN, its role's ARN or session ARN, or "*")
  allows the call on its own, like any resource-based policy;
- a statement naming the account (``arn:aws:iam::<account>:root`` or the bare account id)
  delegates to the account: the caller's own policies must also allow sts:AssumeRole
  (moto refused these outright);
- a statement naming a service (``lambda.amazonaws.com``) does not apply to users or roles.
"""
from __future__ import annotations

from .conditions import RequestContext
from .policy import DENY, Policy, PolicyError, Statement, action_matches
from .principals import Principal

DIRECT, ACCOUNT_WIDE, NONE, DENIED = "direct", "account", "none", "denied"


def _principal_values(statement: Statement) -> list[str] | None:
    principal = statement.principal
    if principal == "*":
        return ["*"]
    if not isinstance(principal, dict):
        return None
    values = principal.get("AWS")
    if values is None:
        return []
    return [str(v) for v in (values if isinstance(values, list) else [values])]


def _names(value: str, caller: Principal) -> str | None:
    if value == "*":
        return DIRECT
    if value in (caller.arn, caller.role_arn):
        return DIRECT
    if value in (caller.account, f"arn:aws:iam::{caller.account}:root"):
        return ACCOUNT_WIDE
    return None


def evaluate_trust(document: str, caller: Principal, context: RequestContext) -> str:
    """DIRECT, ACCOUNT_WIDE (the caller's policies must allow too), NONE or DENIED."""
    try:
        policy = Policy.parse(document, "trust policy", "resource-based policy")
    except PolicyError:
        return NONE
    variables = caller.variables()
    result = NONE
    for statement in policy.statements:
        if not any(action_matches(a, "sts:AssumeRole") for a in statement.actions):
            continue
        values = _principal_values(statement)
        if not values:
            continue
        reach = [_names(v, caller) for v in values]
        reach = DIRECT if DIRECT in reach else ACCOUNT_WIDE if ACCOUNT_WIDE in reach else None
        if reach is None or not statement.condition_holds(context, variables):
            continue
        if statement.effect == DENY:
            return DENIED
        if reach == DIRECT or result == NONE:
            result = reach
    return result
