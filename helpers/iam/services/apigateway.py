"""API Gateway (REST API management) requests as IAM checks.

API Gateway's control plane is authorized by HTTP method, not by operation name: the action
is ``apigateway:GET``/``POST``/``PUT``/``PATCH``/``DELETE`` and the resource is
``arn:aws:apigateway:<region>::<request path>``, e.g. ``arn:aws:apigateway:us-east-1::/restapis/a1b2c3``
(Service Authorization Reference, Amazon API Gateway Management:
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagement.html;
"Control access for invoking an API" / "Control who can create and manage an API":
https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html).
An integration or the account settings that name a role also need ``iam:PassRole`` on it.
Invoking a deployed API (execute-api) is not signed by browsers and is not checked here.
"""
from __future__ import annotations

import re

from ..checks import ACCOUNT, TAG_KEYS, Check, Request, pass_role, request_tags

_REST_API = re.compile(r"^/restapis/([^/]+)")


def rest_api_tags(region: str, api_id: str):
    def load():
        from moto.apigateway.models import apigateway_backends

        try:
            return dict(apigateway_backends[ACCOUNT][region].get_rest_api(api_id).tags or {})
        except Exception:
            return None

    return load


def checks(request: Request) -> list[Check] | None:
    method = request.method.upper()
    if method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        return None
    resource = f"arn:aws:apigateway:{request.region}::{request.path}"
    body = request.params if isinstance(request.params, dict) else {}
    context, supported, tags = {}, (), None
    if (method == "POST" and request.path.rstrip("/") == "/restapis") or (
            method == "PUT" and request.path.startswith("/tags/")):
        context, supported = request_tags(body.get("tags")), TAG_KEYS
    match = _REST_API.match(request.path)
    if match:
        tags = rest_api_tags(request.region, match.group(1))
    result = [Check(f"apigateway:{method}", resource, context, supported, resource_tags=tags)]
    if method == "PUT" and request.path.endswith("/integration") and body.get("credentials", "").startswith("arn:"):
        result.append(pass_role(body["credentials"], "apigateway.amazonaws.com"))
    if method == "PATCH" and request.path.rstrip("/") == "/account":
        for operation in body.get("patchOperations") or []:
            if operation.get("path") == "/cloudwatchRoleArn" and operation.get("value"):
                result.append(pass_role(operation["value"], "apigateway.amazonaws.com"))
    return result
