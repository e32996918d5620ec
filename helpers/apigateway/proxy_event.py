"""The Lambda proxy integration's contract: the event 1.0 it sends, the answer it accepts.

"Set up Lambda proxy integrations in API Gateway" → "Input format of a Lambda
function for proxy integration" and "Output format…", checked against the
AWS-recorded events in LocalStack's validated snapshots
(tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json). Conventions
for absent values: no query string → ``queryStringParameters`` and
``multiValueQueryStringParameters`` are ``null``; no path variables →
``pathParameters`` ``null``; no stage variables → ``stageVariables`` ``null``; no
body → ``body`` ``null``; ``Content-Length`` and ``Connection`` are not passed on.
"""
from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from . import media_types
from .context import Invocation
from .gateway_errors import BadGateway, InternalServerError

_DROPPED_HEADERS = {"content-length", "connection"}
_RESPONSE_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}


def build_event(invocation: Invocation) -> dict[str, Any]:
    request = invocation.request
    route = invocation.route
    headers: dict[str, str] = {}
    multi_headers: dict[str, list[str]] = {}
    for name, value in _forwarded_headers(invocation):
        headers[name] = value
        multi_headers.setdefault(name, []).append(value)
    query: dict[str, str] = {}
    multi_query: dict[str, list[str]] = {}
    for key, value in request.query_pairs:
        query[key] = value                      # the last value wins, as on AWS
        multi_query.setdefault(key, []).append(value)
    body, is_base64 = encode_body(request.body, request.header("Content-Type"),
                                  invocation.api.binary_media_types if invocation.api else ())
    return {
        "resource": route.resource.path,
        "path": request.normalized_path,
        "httpMethod": request.http_method,
        "headers": headers or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(route.path_parameters) or None,
        "stageVariables": dict(invocation.stage_variables) if invocation.stage_variables else None,
        "requestContext": invocation.variables,
        "body": body,
        "isBase64Encoded": is_base64,
    }


def _forwarded_headers(invocation: Invocation) -> list[tuple[str, str]]:
    """The client's headers as sent, plus the ones API Gateway's front end adds."""
    request = invocation.request
    forwarded = [(name, value) for name, value in request.headers if name.lower() not in _DROPPED_HEADERS]
    present = {name.lower() for name, _ in forwarded}
    port = request.host.rsplit(":", 1)[1] if ":" in request.host else "80"
    added = [("X-Amzn-Trace-Id", invocation.trace_id), ("X-Forwarded-For", request.source_ip),
             ("X-Forwarded-Port", port), ("X-Forwarded-Proto", "http")]
    forwarded += [(name, value) for name, value in added if name.lower() not in present]
    return forwarded


def encode_body(body: bytes, content_type: str | None, binary_media_types: tuple[str, ...]) -> tuple[str | None, bool]:
    """A binary media type, or bytes that are not UTF-8, travel base64-encoded."""
    if not body:
        return None, False
    if media_types.matches(media_types.essence(content_type), binary_media_types):
        return base64.b64encode(body).decode(), True
    try:
        return body.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(body).decode(), True


def parse_response(payload: bytes, invocation: Invocation) -> tuple[int, list[tuple[str, str]], bytes]:
    """Validate the function's answer as API Gateway does: anything else is a 502."""
    try:
        answer = json.loads(payload or b"null")
    except ValueError:
        raise _malformed(payload) from None
    if not isinstance(answer, dict) or not set(answer) <= _RESPONSE_KEYS:
        raise _malformed(payload)
    status = _status_code(answer.get("statusCode", 200), payload)
    headers = _merge_headers(answer.get("headers"), answer.get("multiValueHeaders"), payload)
    body = answer.get("body")
    if body is None:
        body = ""
    if not isinstance(body, str):
        raise _malformed(payload)
    raw = body.encode("utf-8")
    if _is_true(answer.get("isBase64Encoded", False), payload) and raw:
        accept = media_types.first_accept(invocation.request.header("Accept"))
        binary_types = invocation.api.binary_media_types if invocation.api else ()
        if media_types.matches(accept, binary_types):
            try:
                raw = base64.b64decode(raw, validate=True)
            except (binascii.Error, ValueError):
                raise InternalServerError(
                    log="Execution failed due to configuration error: Unable to base64 decode the body.") from None
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.insert(0, ("Content-Type", "application/json"))
    return status, headers, raw


def _status_code(value: Any, payload: bytes) -> int:
    if isinstance(value, bool):
        raise _malformed(payload)
    try:
        status = int(value)
    except (TypeError, ValueError):
        raise _malformed(payload) from None
    if not 100 <= status <= 599:
        raise _malformed(payload)
    return status


def _merge_headers(single: Any, multi: Any, payload: bytes) -> list[tuple[str, str]]:
    """``headers`` then ``multiValueHeaders``; for the same name only the latter's values remain."""
    merged: list[tuple[str, str]] = []
    if single is not None:
        if not isinstance(single, dict):
            raise _malformed(payload)
        merged = [(str(name), _header_value(value, payload)) for name, value in single.items()]
    if multi is not None:
        if not isinstance(multi, dict):
            raise _malformed(payload)
        for name, values in multi.items():
            if not isinstance(values, list):
                raise _malformed(payload)
            lowered = str(name).lower()
            merged = [(n, v) for n, v in merged if n.lower() != lowered]
            merged += [(str(name), _header_value(value, payload)) for value in values]
    return merged


def _header_value(value: Any, payload: bytes) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise _malformed(payload)


def _is_true(value: Any, payload: bytes) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if value is None:
        return False
    raise _malformed(payload)


def _malformed(payload: bytes) -> BadGateway:
    shown = payload[:200].decode("utf-8", "replace")
    return BadGateway(log="Execution failed due to configuration error: Malformed Lambda proxy response "
                          f"(the function must return {{statusCode, headers, multiValueHeaders, body, "
                          f"isBase64Encoded}} with a string body; it returned: {shown})")
