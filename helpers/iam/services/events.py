"""EventBridge requests as IAM checks: ``events:<Operation>`` on the rule or event bus.

Rules on the default bus are ``arn:aws:events:<region>:<account>:rule/<name>``, on another bus
``rule/<bus>/<name>``; PutEvents is checked on each entry's bus; PutTargets with a target
RoleArn also needs iam:PassRole (to events.amazonaws.com). Service Authorization Reference,
Amazon EventBridge: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
"""
from __future__ import annotations

from ..checks import ACCOUNT, TAG_KEYS, Check, Request, pass_role, request_tags

NO_RESOURCE = {"ListRules", "ListEventBuses", "ListRuleNamesByTarget", "ListArchives", "ListConnections",
               "ListApiDestinations", "ListReplays", "TestEventPattern"}
_RULE_OPERATIONS = {"PutRule", "DeleteRule", "DescribeRule", "EnableRule", "DisableRule"}
_TARGET_OPERATIONS = {"PutTargets", "RemoveTargets", "ListTargetsByRule"}


def _bus_name(value: str | None) -> str:
    value = value or "default"
    return value.split("event-bus/", 1)[1] if value.startswith("arn:") else value


def rule_arn(region: str, name: str, bus: str | None) -> str:
    bus_name = _bus_name(bus)
    middle = "" if bus_name == "default" else f"{bus_name}/"
    return f"arn:aws:events:{region}:{ACCOUNT}:rule/{middle}{name}"


def bus_arn(region: str, bus: str | None) -> str:
    return bus if bus and bus.startswith("arn:") else f"arn:aws:events:{region}:{ACCOUNT}:event-bus/{_bus_name(bus)}"


def checks(request: Request) -> list[Check] | None:
    op, params, region = request.operation, request.params, request.region
    if not op:
        return None
    action = f"events:{op}"
    if op in NO_RESOURCE:
        return [Check(action)]
    if op in _RULE_OPERATIONS:
        context, supported = ({}, ())
        if op == "PutRule":
            context, supported = request_tags(params.get("Tags")), TAG_KEYS
        return [Check(action, rule_arn(region, params.get("Name", ""), params.get("EventBusName")), context, supported)]
    if op in _TARGET_OPERATIONS:
        result = [Check(action, rule_arn(region, params.get("Rule", ""), params.get("EventBusName")))]
        for target in params.get("Targets") or []:
            if isinstance(target, dict) and target.get("RoleArn"):
                result.append(pass_role(target["RoleArn"], "events.amazonaws.com"))
        return result
    if op == "PutEvents":
        buses = {bus_arn(region, e.get("EventBusName")) for e in params.get("Entries") or [] if isinstance(e, dict)}
        return [Check(action, arn) for arn in sorted(buses)] or [Check(action, bus_arn(region, None))]
    if op in ("CreateEventBus", "DeleteEventBus", "DescribeEventBus"):
        return [Check(action, bus_arn(region, params.get("Name")))]
    if op in ("TagResource", "UntagResource", "ListTagsForResource"):
        context, supported = ({}, ())
        if op == "TagResource":
            context, supported = request_tags(params.get("Tags")), TAG_KEYS
        return [Check(action, params.get("ResourceARN", "*"), context, supported)]
    return None
