"""Reading a signed request: which service, which operation, which parameters.

Only the services listed in ``SERVICES`` are authorized by the local cloud; a request to
any other service is passed to moto unchecked (see the README's list of what is not
enforced). The signing name in the credential scope says which service a request is for,
since every service shares the local cloud's one address.
"""
from __future__ import annotations

import json
from typing import Any, Callable
from urllib.parse import parse_qsl

from ..checks import Check, Request
from . import apigateway, dynamodb, events, iam_, lambda_, logs, sts

PROTOCOLS = {"dynamodb": "json", "logs": "json", "events": "json", "iam": "query", "sts": "query",
             "lambda": "rest-json", "apigateway": "rest-json"}
SERVICES: dict[str, Callable[[Request], list[Check] | None]] = {
    "dynamodb": dynamodb.checks, "lambda": lambda_.checks, "apigateway": apigateway.checks, "iam": iam_.checks,
    "sts": sts.checks, "logs": logs.checks, "events": events.checks,
}


def _json(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _lambda_operation(environ: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    from moto.core.request import Request as MotoRequest
    from moto.core.routing import get_service_router
    from werkzeug.exceptions import NotFound

    try:
        operation, uri_params = get_service_router("lambda").match(MotoRequest(environ))
    except (NotFound, NotImplementedError):
        return None, {}
    return operation.name, dict(uri_params)


def describe(service: str, region: str, environ: dict[str, Any], raw_path: str, raw_query: str,
             body: bytes) -> Request | None:
    """The request as the service modules read it, or None for a service not enforced."""
    protocol = PROTOCOLS.get(service)
    if protocol is None:
        return None
    method = environ["REQUEST_METHOD"]
    query = dict(parse_qsl(raw_query, keep_blank_values=True))
    operation: str | None = None
    if protocol == "json":
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        operation = target.rsplit(".", 1)[-1] if target else None
        params: dict[str, Any] = _json(body)
    elif protocol == "query":
        params = dict(query)
        if body:
            params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        operation = params.get("Action")
    elif service == "lambda":
        operation, uri_params = _lambda_operation(environ)
        params = {**query, **_json(body), **uri_params}
    else:
        params = _json(body)
    return Request(service=service, region=region, operation=operation, params=params, method=method,
                   path=raw_path, source_ip=environ.get("REMOTE_ADDR", ""))
