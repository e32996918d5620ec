"""DynamoDB requests as IAM checks: ``dynamodb:<Operation>`` on the table (or index) ARN.

Service Authorization Reference, Amazon DynamoDB:
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
(table ``arn:aws:dynamodb:<region>:<account>:table/<name>``, index ``.../index/<index>``;
BatchGetItem/BatchWriteItem are checked on every table they name; TransactWriteItems as
PutItem/UpdateItem/DeleteItem/ConditionCheckItem per item, TransactGetItems as GetItem).
PartiQL (ExecuteStatement...) and stream reads by shard iterator are not enforced: the table
is inside a statement or an opaque iterator.
"""
from __future__ import annotations

from ..checks import ACCOUNT, TAG_KEYS, Check, Request, request_tags

UNENFORCED = {"ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction", "GetRecords"}
NO_RESOURCE = {"ListTables", "DescribeLimits", "DescribeEndpoints", "ListBackups", "ListGlobalTables",
               "ListStreams", "ListExports", "ListImports", "DescribeReservedCapacity",
               "DescribeReservedCapacityOfferings", "ListContributorInsights"}
_TRANSACT_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                     "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}


def table_arn(region: str, table: str) -> str:
    if table.startswith("arn:"):
        return table  # TableName may be the table's ARN
    return f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{table}"


def table_tags(arn: str):
    def load():
        from moto.dynamodb.models import dynamodb_backends

        region = arn.split(":")[3]
        base = arn.split("/index/")[0].split("/stream/")[0]
        try:
            tags = dynamodb_backends[ACCOUNT][region].list_tags_of_resource(base)
        except Exception:
            return None
        return {t["Key"]: t["Value"] for t in tags}

    return load


def _check(action: str, arn: str, **extra) -> Check:
    return Check(f"dynamodb:{action}", arn, resource_tags=table_tags(arn), **extra)


def checks(request: Request) -> list[Check] | None:
    op, params, region = request.operation, request.params, request.region
    if not op or op in UNENFORCED:
        return None
    if op in NO_RESOURCE:
        return [Check(f"dynamodb:{op}")]
    if op in ("BatchGetItem", "BatchWriteItem"):
        return [_check(op, table_arn(region, name)) for name in (params.get("RequestItems") or {})]
    if op in ("TransactGetItems", "TransactWriteItems"):
        result = []
        for item in params.get("TransactItems") or []:
            for kind, body in item.items():
                if kind in _TRANSACT_ACTIONS and isinstance(body, dict) and body.get("TableName"):
                    result.append(_check(_TRANSACT_ACTIONS[kind], table_arn(region, body["TableName"])))
        return result
    if op in ("TagResource", "UntagResource", "ListTagsOfResource"):
        arn = params.get("ResourceArn", "*")
        if op == "TagResource":
            return [_check(op, arn, context=request_tags(params.get("Tags")), supported=TAG_KEYS)]
        if op == "UntagResource":
            return [_check(op, arn, context={"aws:tagkeys": list(params.get("TagKeys") or [])},
                           supported=TAG_KEYS)]
        return [_check(op, arn)]
    if params.get("StreamArn"):
        return [_check(op, params["StreamArn"])]
    name = params.get("TableName")
    if not name:
        return None
    arn = table_arn(region, name)
    if op in ("Query", "Scan") and params.get("IndexName"):
        arn = f"{arn}/index/{params['IndexName']}"
    if op == "CreateTable":
        return [_check(op, arn, context=request_tags(params.get("Tags")), supported=TAG_KEYS)]
    return [_check(op, arn)]
