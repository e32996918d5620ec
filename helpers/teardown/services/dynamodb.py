"""DynamoDB: tables with the prefix and the course tag.

A table being deleted is still listed for a while with status DELETING
(https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html),
so such tables are neither deleted again nor counted as left. A table with
deletion protection is reported, never unprotected behind the owner's back.
"""
from __future__ import annotations

from ..context import Context
from ..model import Resource
from ..scope import tags_from_list


def find_tables(ctx: Context) -> list[Resource]:
    found = []
    client = ctx.client("dynamodb")
    for name in ctx.pages("dynamodb", "list_tables", "TableNames"):
        if not ctx.scope.may_have_prefix(name):
            continue
        table = ctx.readable(f"DynamoDB table {name}", lambda: client.describe_table(TableName=name)["Table"])
        if table is None or table.get("TableStatus") == "DELETING":
            continue
        tags = ctx.readable(f"DynamoDB table {name}", lambda: tags_from_list(
            client.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags")))
        if tags is None:
            continue
        owner = ctx.scope.owner_by_tags(name, tags)
        if owner is not None:
            found.append(Resource("DynamoDB table", name, owner, {"TableName": name}))
    return found


DELETERS = {
    "DynamoDB table": lambda ctx, r: ctx.call("dynamodb", "delete_table", **r.ident),
}
