"""CloudWatch Logs requests as IAM checks.

Logs authorizes log-group operations on ``arn:aws:logs:<region>:<account>:log-group:<group>:log-stream:<stream>``
with the stream (and for account-wide calls such as DescribeLogGroups, the group) left
empty - which is why policies name ``log-group:<group>:*``, as AWSLambdaBasicExecutionRole
does. Service Authorization Reference, Amazon CloudWatch Logs:
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
"""
from __future__ import annotations

from ..checks import ACCOUNT, TAG_KEYS, Check, Request, request_tags

_GROUPLESS = {"DescribeLogGroups"}
NO_RESOURCE = {"DescribeDestinations", "DescribeQueries", "DescribeQueryDefinitions", "DescribeResourcePolicies",
               "DescribeExportTasks", "StopQuery", "GetQueryResults", "PutQueryDefinition"}


def log_group_tags(region: str, group: str):
    def load():
        from moto.logs.models import logs_backends

        try:
            return dict(logs_backends[ACCOUNT][region].list_tags_log_group(group))
        except Exception:
            return None

    return load


def checks(request: Request) -> list[Check] | None:
    op, params, region = request.operation, request.params, request.region
    if not op:
        return None
    action = f"logs:{op}"
    if op in NO_RESOURCE:
        return [Check(action)]
    if op in ("TagResource", "UntagResource", "ListTagsForResource"):
        arn = params.get("resourceArn", "*")
        context, supported = {}, ()
        if op == "TagResource":
            context, supported = request_tags(params.get("tags")), TAG_KEYS
        return [Check(action, arn, context, supported)]
    group = params.get("logGroupName") or params.get("logGroupIdentifier") or ""
    if group.startswith("arn:"):
        group = group.split(":log-group:", 1)[1].split(":")[0]
    if not group and op not in _GROUPLESS:
        return None
    stream = params.get("logStreamName", "")
    resource = f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{group}:log-stream:{stream}"
    context, supported = {}, ()
    if op == "CreateLogGroup":
        context, supported = request_tags(params.get("tags")), TAG_KEYS
    return [Check(action, resource, context, supported, resource_tags=log_group_tags(region, group) if group else None)]
