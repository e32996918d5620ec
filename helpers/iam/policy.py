"""Policy documents: which statements apply to an action on a resource, and what they say.

Follows the IAM User Guide's policy language:
- Action / NotAction: ``service:Action`` names, case-insensitive, ``*`` and ``?`` wildcards
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html);
- Resource / NotResource: ARNs, case-sensitive; a wildcard stays inside its colon-separated
  segment unless it ends the segment, where it may run past colons
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html);
- policy variables such as ``${aws:username}`` in Resource and Condition values, for documents
  of Version 2012-10-17 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html);
- Principal in resource-based policies (trust policies), see ``trust.py``.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .conditions import RequestContext, UnsupportedCondition, conditions_hold, warn_once

ALLOW, DENY = "Allow", "Deny"
_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class PolicyError(ValueError):
    """A policy document the local cloud cannot read (the message says what is wrong)."""


@functools.lru_cache(maxsize=4096)
def _action_regex(pattern: str) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.IGNORECASE | re.DOTALL)


@functools.lru_cache(maxsize=4096)
def _resource_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for index, char in enumerate(pattern):
        if char == "*":
            ends_segment = index + 1 == len(pattern) or pattern[index + 1] == ":"
            parts.append(".*" if ends_segment else "[^:]*")
        elif char == "?":
            parts.append("[^:]")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    return pattern == "*" or _action_regex(pattern).fullmatch(action) is not None


def resource_matches(pattern: str, resource: str) -> bool:
    if pattern == "*":
        return True
    return _resource_regex(pattern).fullmatch(resource) is not None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def substitute_variables(text: str, variables: dict[str, str]) -> str | None:
    """Replace ``${key}`` by its value; None if a variable has no value here (never matches)."""
    if "${" not in text:
        return text
    missing = False

    def replace(match: re.Match[str]) -> str:
        nonlocal missing
        name = match.group(1).strip()
        if name in ("*", "?", "$"):
            return name if name != "$" else "$"
        value = variables.get(name.lower())
        if value is None:
            missing = True
            return ""
        return value

    result = _VARIABLE.sub(replace, text)
    return None if missing else result


@dataclass
class Statement:
    effect: str
    actions: list[str]
    not_actions: list[str] | None
    resources: list[str] | None
    not_resources: list[str] | None
    condition: dict[str, Any] | None
    principal: Any = None
    not_principal: Any = None
    sid: str = ""
    uses_variables: bool = False

    def concerns_action(self, action: str) -> bool:
        if self.not_actions is not None:
            return not any(action_matches(p, action) for p in self.not_actions)
        return any(action_matches(p, action) for p in self.actions)

    def concerns_resource(self, resource: str, variables: dict[str, str]) -> bool:
        def patterns(values: list[str]) -> list[str]:
            if not self.uses_variables:
                return values
            return [p for p in (substitute_variables(v, variables) for v in values) if p is not None]

        if self.not_resources is not None:
            return not any(resource_matches(p, resource) for p in patterns(self.not_resources))
        if self.resources is None:  # trust policies have no Resource element
            return True
        return any(resource_matches(p, resource) for p in patterns(self.resources))

    def condition_holds(self, context: RequestContext, variables: dict[str, str]) -> bool:
        if not self.condition:
            return True
        block = self.condition
        if self.uses_variables:
            block = _substitute_in_block(block, variables)
            if block is None:
                return False
        try:
            return conditions_hold(block, context)
        except UnsupportedCondition as unsupported:
            warn_once(f"condition {unsupported.args[0]!r}")
            return False


def _substitute_in_block(block: dict[str, Any], variables: dict[str, str]) -> dict[str, Any] | None:
    result: dict[str, Any] = {}
    for operator, keys in block.items():
        if not isinstance(keys, dict):
            result[operator] = keys
            continue
        new_keys = {}
        for key, values in keys.items():
            substituted = [substitute_variables(str(v), variables) if isinstance(v, str) else v
                           for v in _as_list(values)]
            new_keys[key] = [v for v in substituted if v is not None]
        result[operator] = new_keys
    return result


@dataclass
class Policy:
    """One parsed policy document (identity-based, session, boundary or trust policy)."""

    statements: list[Statement]
    name: str = ""
    kind: str = "identity-based policy"  # how the AccessDenied message names it

    @classmethod
    def parse(cls, document: str | dict[str, Any], name: str = "", kind: str = "identity-based policy") -> "Policy":
        if isinstance(document, str):
            try:
                document = json.loads(document)
            except ValueError as error:
                raise PolicyError(f"policy {name or ''} is not JSON: {error}") from None
        if not isinstance(document, dict) or "Statement" not in document:
            raise PolicyError(f"policy {name or ''} has no Statement element")
        variables_allowed = document.get("Version") == "2012-10-17"
        statements = []
        for raw in _as_list(document["Statement"]):
            if not isinstance(raw, dict) or raw.get("Effect") not in (ALLOW, DENY):
                raise PolicyError(f"policy {name or ''}: every statement needs Effect Allow or Deny")
            has_variables = variables_allowed and "${" in json.dumps(
                [raw.get("Resource"), raw.get("NotResource"), raw.get("Condition")])
            statements.append(Statement(
                effect=raw["Effect"],
                actions=[str(a) for a in _as_list(raw.get("Action"))],
                not_actions=[str(a) for a in _as_list(raw["NotAction"])] if "NotAction" in raw else None,
                resources=[str(r) for r in _as_list(raw["Resource"])] if "Resource" in raw else None,
                not_resources=[str(r) for r in _as_list(raw["NotResource"])] if "NotResource" in raw else None,
                condition=raw.get("Condition") or None,
                principal=raw.get("Principal"),
                not_principal=raw.get("NotPrincipal"),
                sid=str(raw.get("Sid", "")),
                uses_variables=has_variables,
            ))
        return cls(statements, name, kind)


@dataclass
class Verdict:
    """What a set of policies of one kind says about one request: allowed, denied or silent."""

    allowed: bool = False
    denied: bool = False
    matched: list[Statement] = field(default_factory=list)


def evaluate(policies: list[Policy], action: str, resource: str, context: RequestContext,
             variables: dict[str, str] | None = None) -> Verdict:
    """Explicit Deny wins over Allow; no applicable statement is an implicit deny
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html)."""
    variables = variables or {}
    verdict = Verdict()
    for policy in policies:
        for statement in policy.statements:
            if not statement.concerns_action(action):
                continue
            if not statement.concerns_resource(resource, variables):
                continue
            if not statement.condition_holds(context, variables):
                continue
            verdict.matched.append(statement)
            if statement.effect == DENY:
                verdict.denied = True
                return verdict
            verdict.allowed = True
    return verdict
