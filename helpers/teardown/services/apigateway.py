"""API Gateway: REST APIs, matched by name prefix and by the tags on the REST API.

A REST API's resources, methods, deployments and stages go with it. DeleteRestApi
is limited to one request every 30 seconds per account on AWS
(https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html), so the
call goes through the pacer, which waits and retries instead of failing.
"""
from __future__ import annotations

from ..context import Context
from ..model import Resource


def find_rest_apis(ctx: Context) -> list[Resource]:
    found = []
    for api in ctx.pages("apigateway", "get_rest_apis", "items"):
        name = api.get("name", "")
        if not ctx.scope.may_have_prefix(name):
            continue
        owner = ctx.scope.owner_by_tags(name, api.get("tags") or {})
        if owner is not None:
            found.append(Resource("REST API", f"{name} ({api['id']})", owner, {"restApiId": api["id"]}))
    return found


DELETERS = {
    "REST API": lambda ctx, r: ctx.call("apigateway", "delete_rest_api", **r.ident),
}
