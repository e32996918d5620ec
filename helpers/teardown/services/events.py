"""EventBridge: rules (targets removed first, as DeleteRule requires) and course-made event buses.

https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html:
"Before you can delete the rule, you must remove all targets, using RemoveTargets."
Rules managed by another AWS service (``ManagedBy``) are never touched.
"""
from __future__ import annotations

from ..context import Context, is_unsupported
from ..model import Resource


def _tags(ctx: Context, what: str, arn: str) -> dict[str, str]:
    """The tags, or {} (never the course's) when these credentials may not read them."""
    answer = ctx.readable(what, lambda: ctx.client("events").list_tags_for_resource(ResourceARN=arn))
    return {t["Key"]: t["Value"] for t in (answer or {}).get("Tags", [])}


def _buses(ctx: Context) -> list[dict]:
    try:
        return ctx.pages("events", "list_event_buses", "EventBuses")
    except Exception as error:
        if is_unsupported(error):
            return [{"Name": "default"}]
        raise


def _rule(ctx: Context, rule: dict, bus: str, owner: str) -> Resource:
    targets = ctx.pages("events", "list_targets_by_rule", "Targets", Rule=rule["Name"], EventBusName=bus)
    children = [Resource("EventBridge target", f"{rule['Name']}/{t['Id']}", owner,
                         {"Rule": rule["Name"], "EventBusName": bus, "Ids": [t["Id"]]}) for t in targets]
    return Resource("EventBridge rule", rule["Name"] if bus == "default" else f"{bus}/{rule['Name']}", owner,
                    {"Name": rule["Name"], "EventBusName": bus}, children)


def find_rules(ctx: Context) -> list[Resource]:
    found = []
    for bus in _buses(ctx):
        bus_name = bus["Name"]
        bus_owner = None
        if bus_name != "default" and ctx.scope.may_have_prefix(bus_name) and bus.get("Arn"):
            bus_owner = ctx.scope.owner_by_tags(bus_name, _tags(ctx, f"event bus {bus_name}", bus["Arn"]))
        rules = []
        for rule in ctx.pages("events", "list_rules", "Rules", EventBusName=bus_name):
            if rule.get("ManagedBy") or not ctx.scope.may_have_prefix(rule["Name"]):
                continue
            owner = ctx.scope.owner_by_tags(rule["Name"], _tags(ctx, f"EventBridge rule {rule['Name']}", rule["Arn"]))
            if owner is not None:
                rules.append(_rule(ctx, rule, bus_name, owner))
        if bus_owner is not None:
            found.append(Resource("EventBridge event bus", bus_name, bus_owner, {"Name": bus_name}, rules))
        else:
            found.extend(rules)
    return found


def _remove_target(ctx: Context, resource: Resource) -> None:
    answer = ctx.call("events", "remove_targets", **resource.ident)
    if answer.get("FailedEntryCount"):
        entry = answer["FailedEntries"][0]
        raise RuntimeError(f"{entry.get('ErrorCode')}: {entry.get('ErrorMessage')}")


DELETERS = {
    "EventBridge target": _remove_target,
    "EventBridge rule": lambda ctx, r: ctx.call("events", "delete_rule", **r.ident),
    "EventBridge event bus": lambda ctx, r: ctx.call("events", "delete_event_bus", **r.ident),
}
