"""CloudWatch Logs: the course's log groups, mostly ``/aws/lambda/<prefixed function>``.

Lambda creates ``/aws/lambda/<function>`` itself on the first write, without tags
(https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html), so an
untagged group is matched by name: the function part must carry a known
participant's prefix and must not belong to a function of another course that
still exists. A group that has tags must carry the course's.
"""
from __future__ import annotations

from ..context import Context, is_unsupported
from ..model import Resource

LAMBDA_PREFIX = "/aws/lambda/"


def _tags(ctx: Context, group: dict) -> dict[str, str]:
    client = ctx.client("logs")
    arn = group.get("logGroupArn") or group.get("arn", "").removesuffix(":*")
    try:
        return client.list_tags_for_resource(resourceArn=arn).get("tags", {})
    except Exception as error:
        if not is_unsupported(error):
            raise
    return client.list_tags_log_group(logGroupName=group["logGroupName"]).get("tags", {})


def _groups(ctx: Context) -> list[dict]:
    if ctx.scope.participants is None:
        return ctx.pages("logs", "describe_log_groups", "logGroups")
    groups: dict[str, dict] = {}
    for participant in sorted(ctx.scope.participants):
        for prefix in (f"{LAMBDA_PREFIX}{participant}-", f"{participant}-"):
            for group in ctx.pages("logs", "describe_log_groups", "logGroups", logGroupNamePrefix=prefix):
                groups[group["logGroupName"]] = group
    return list(groups.values())


def find_log_groups(ctx: Context) -> list[Resource]:
    """Run after the other finders: untagged groups need every participant seen on tagged resources."""
    found, untagged = [], []
    for group in _groups(ctx):
        name = group["logGroupName"]
        base = name.removeprefix(LAMBDA_PREFIX)
        if not ctx.scope.may_have_prefix(base):
            continue
        tags = ctx.readable(f"log group {name}", lambda: _tags(ctx, group))
        if tags is None:
            continue
        if tags:
            owner = ctx.scope.owner_by_tags(base, tags)
            if owner is not None:
                found.append(Resource("log group", name, owner, {"logGroupName": name}))
        elif name.startswith(LAMBDA_PREFIX) and base not in ctx.foreign_functions:
            untagged.append((name, base))
    for name, base in untagged:
        owner = ctx.scope.owner_by_name(base)
        if owner is not None:
            found.append(Resource("log group", name, owner, {"logGroupName": name}))
    return found


DELETERS = {
    "log group": lambda ctx, r: ctx.call("logs", "delete_log_group", **r.ident),
}
