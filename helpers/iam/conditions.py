"""The Condition element of a policy statement, decided against a request context.

AWS rules followed here (IAM User Guide, "IAM JSON policy elements: Condition operators",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):

- several operators in one block, and several keys under one operator, must all hold (AND);
- several values for one key match if any of them matches (OR); for a negated operator
  (``StringNotEquals``, ``ArnNotLike``, ...) the request value must match none of them;
- a key missing from the request context makes a condition false, except for negated
  operators (true), ``...IfExists`` (true) and ``Null`` (which tests exactly that);
- ``ForAnyValue:`` / ``ForAllValues:`` compare sets of request values (aws:TagKeys).

A condition the local cloud cannot decide faithfully (an unknown operator or a key it does
not know how to fill, e.g. ``dynamodb:LeadingKeys``) never matches: the statement it guards
is treated as not applying, and the local cloud logs the key once.
"""
from __future__ import annotations

import datetime as _dt
import ipaddress
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

log = logging.getLogger("localcloud.iam")

_STRING_OPERATORS = {"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
                     "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"}
_ARN_OPERATORS = {"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"}
_NUMERIC_OPERATORS = {"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
                      "NumericGreaterThan", "NumericGreaterThanEquals"}
_DATE_OPERATORS = {"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
                   "DateGreaterThan", "DateGreaterThanEquals"}
_OTHER_OPERATORS = {"Bool", "Null", "IpAddress", "NotIpAddress"}
KNOWN_OPERATORS = _STRING_OPERATORS | _ARN_OPERATORS | _NUMERIC_OPERATORS | _DATE_OPERATORS | _OTHER_OPERATORS
_NEGATED = {"StringNotEquals", "StringNotEqualsIgnoreCase", "StringNotLike", "ArnNotEquals", "ArnNotLike",
            "NumericNotEquals", "DateNotEquals", "NotIpAddress"}

# Keys whose value depends only on who is calling: a decision that used only these may be
# cached per principal (the cache is dropped on every IAM change, which is what moves them).
PRINCIPAL_KEYS = ("aws:principalarn", "aws:principalaccount", "aws:principaltype", "aws:username",
                  "aws:userid", "aws:principaltag/")

_warned: set[str] = set()


class UnsupportedCondition(Exception):
    """The local cloud cannot decide this condition faithfully."""


def warn_once(what: str) -> None:
    if what not in _warned:
        _warned.add(what)
        log.warning("IAM: %s is not supported by the local cloud; the statement using it is treated "
                    "as not matching", what)


@dataclass
class RequestContext:
    """The request context keys of one authorization check (lower-cased names).

    ``values`` maps a key to a list of strings (a single-valued key has one element);
    ``supported`` lists keys and key prefixes the local cloud knows how to fill: such a key
    that is absent from ``values`` is really absent on this request, any other key is
    unsupported.
    """

    values: dict[str, list[str]] = field(default_factory=dict)
    supported: tuple[str, ...] = ()
    used_request_keys: bool = False  # set when a decision read a key that is not about the principal
    resource_tags: Callable[[], dict[str, str] | None] | None = None  # loaded on first aws:ResourceTag use
    _tags_loaded: bool = False

    def _load_resource_tags(self) -> None:
        self._tags_loaded = True
        tags = self.resource_tags() if self.resource_tags else None
        for key, value in (tags or {}).items():
            for prefix in ("aws:resourcetag/", "iam:resourcetag/"):
                self.values[prefix + key.lower()] = [value]

    def lookup(self, key: str) -> list[str] | None:
        lowered = key.lower()
        if not lowered.startswith(PRINCIPAL_KEYS):
            self.used_request_keys = True
        if lowered.startswith(("aws:resourcetag/", "iam:resourcetag/")) and self.resource_tags is not None:
            if not self._tags_loaded:
                self._load_resource_tags()
            return self.values.get(lowered)
        if lowered in self.values:
            return self.values[lowered]
        if not any(lowered == s or (s.endswith("/") and lowered.startswith(s)) for s in self.supported):
            raise UnsupportedCondition(key)
        return None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _split_operator(name: str) -> tuple[str | None, str, bool]:
    qualifier = None
    for prefix in ("ForAnyValue:", "ForAllValues:"):
        if name.startswith(prefix):
            qualifier, name = prefix[:-1], name[len(prefix):]
    if_exists = name.endswith("IfExists") and name != "IfExists"
    if if_exists:
        name = name[: -len("IfExists")]
    return qualifier, name, if_exists


def _glob(pattern: str, value: str, ignore_case: bool = False) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL) is not None


def _arn_like(pattern: str, value: str) -> bool:
    """ArnLike: each of the six colon-separated parts is matched separately."""
    pattern_parts = pattern.split(":", 5)
    value_parts = value.split(":", 5)
    if len(pattern_parts) != 6 or len(value_parts) != 6:
        return pattern == value if "*" not in pattern and "?" not in pattern else _glob(pattern, value)
    return all(_glob(p, v) for p, v in zip(pattern_parts, value_parts))


def _parse_date(text: str) -> _dt.datetime:
    text = str(text).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return _dt.datetime.fromtimestamp(float(text), _dt.timezone.utc)
    parsed = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.timezone.utc)


def _match_one(operator: str, policy_value: str, request_value: str) -> bool:
    """Does one request value match one policy value (for the positive form of the operator)?"""
    base = operator.replace("Not", "", 1) if operator in _NEGATED else operator
    if base == "StringEquals":
        return request_value == policy_value
    if base == "StringEqualsIgnoreCase":
        return request_value.lower() == policy_value.lower()
    if base == "StringLike":
        return _glob(policy_value, request_value)
    if base in ("ArnEquals", "ArnLike"):
        return _arn_like(policy_value, request_value)
    if base == "Bool":
        return request_value.lower() == str(policy_value).lower()
    if base.startswith("Numeric"):
        left, right = float(request_value), float(policy_value)
        return {"NumericEquals": left == right, "NumericLessThan": left < right,
                "NumericLessThanEquals": left <= right, "NumericGreaterThan": left > right,
                "NumericGreaterThanEquals": left >= right}[base]
    if base.startswith("Date"):
        left, right = _parse_date(request_value), _parse_date(policy_value)
        return {"DateEquals": left == right, "DateLessThan": left < right, "DateLessThanEquals": left <= right,
                "DateGreaterThan": left > right, "DateGreaterThanEquals": left >= right}[base]
    if base == "IpAddress":
        return ipaddress.ip_address(request_value) in ipaddress.ip_network(policy_value, strict=False)
    raise UnsupportedCondition(operator)


def _condition_holds(operator: str, qualifier: str | None, if_exists: bool,
                     policy_values: list[str], request_values: list[str] | None) -> bool:
    negated = operator in _NEGATED
    if operator == "Null":
        wants_missing = str(policy_values[0]).lower() == "true"
        return (request_values is None or request_values == []) == wants_missing
    if request_values is None:
        if qualifier == "ForAllValues":
            return True
        if qualifier == "ForAnyValue":
            return False
        return if_exists or negated

    def matches_any(value: str) -> bool:
        return any(_match_one(operator, str(p), value) for p in policy_values)

    if qualifier == "ForAllValues":
        return all((not matches_any(v)) if negated else matches_any(v) for v in request_values)
    if qualifier == "ForAnyValue":
        return any((not matches_any(v)) if negated else matches_any(v) for v in request_values)
    value = request_values[0] if request_values else ""
    return (not matches_any(value)) if negated else matches_any(value)


def conditions_hold(block: dict[str, Any], context: RequestContext) -> bool:
    """True if every condition of a statement's Condition block holds for this request.

    Raises UnsupportedCondition if the block needs something the local cloud cannot decide.
    """
    for operator_name, keys in block.items():
        qualifier, operator, if_exists = _split_operator(operator_name)
        if operator not in KNOWN_OPERATORS or not isinstance(keys, dict):
            raise UnsupportedCondition(operator_name)
        for key, policy_value in keys.items():
            request_values = context.lookup(key)
            try:
                if not _condition_holds(operator, qualifier, if_exists, _as_list(policy_value), request_values):
                    return False
            except (ValueError, TypeError):
                return False  # a value of the wrong type never matches (e.g. NumericEquals on "abc")
    return True
