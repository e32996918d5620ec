"""``HTTP`` and ``HTTP_PROXY``: call an HTTP endpoint (loopback in the course's tests).

``HTTP_PROXY`` passes the client's method, headers (not ``Host``), query string and
body through and returns the endpoint's answer unchanged ("Set up HTTP proxy
integrations in API Gateway"); ``{name}`` in the URI is filled from the mapped
``integration.request.path.name`` (the console maps ``{proxy}`` for you). ``HTTP``
sends only what the mapping template and ``requestParameters`` produce, and its
answer goes through the integration responses. Past ``timeoutInMillis`` the client
gets 504; an endpoint that cannot be reached is a configuration error (500).
"""
from __future__ import annotations

import http.client
import re
import socket
import time
from urllib.parse import urlencode, urlsplit

from ..context import Invocation
from ..gateway_errors import IntegrationTimeout, InternalServerError
from ..lambda_target import render_stage_variables
from ..snapshot import FrozenIntegration
from . import EndpointResponse

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
               "transfer-encoding", "upgrade", "host", "content-length"}
_PATH_VARIABLE = re.compile(r"\{([A-Za-z0-9_.+-]+)\}")


def http_call(invocation: Invocation, integration: FrozenIntegration, *, proxy: bool,
              mapped: dict[str, dict[str, str]], body: bytes, content_type: str | None) -> EndpointResponse:
    request = invocation.request
    path_values = dict(invocation.route.path_parameters)
    path_values.update(mapped.get("path", {}))
    uri = render_stage_variables(integration.uri, invocation.stage_variables)
    uri = _PATH_VARIABLE.sub(lambda m: path_values.get(m.group(1).rstrip("+"), m.group(0)), uri)
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InternalServerError(log=f"Execution failed due to configuration error: Invalid endpoint address {uri!r}")
    query_pairs = [pair for pair in _split_query(parts.query)]
    headers: dict[str, str] = {}
    if proxy:
        query_pairs += request.query_pairs
        for name, value in request.headers:
            if name.lower() not in _HOP_BY_HOP:
                headers[name] = value
        headers["X-Forwarded-For"] = request.source_ip
        headers["X-Amzn-Trace-Id"] = invocation.trace_id
    elif content_type:
        headers["Content-Type"] = content_type
    query_pairs += list(mapped.get("querystring", {}).items())
    headers.update(mapped.get("header", {}))
    target = (parts.path or "/") + (f"?{urlencode(query_pairs)}" if query_pairs else "")
    method = (integration.http_method or "ANY").upper()
    if method == "ANY":
        method = request.http_method
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=integration.timeout_ms / 1000)
    begin = time.perf_counter()
    try:
        connection.request(method, target, body=body or None, headers=headers)
        answer = connection.getresponse()
        payload = answer.read()
        answer_headers = [(name, value) for name, value in answer.getheaders()
                          if name.lower() not in _HOP_BY_HOP]
        return EndpointResponse(answer.status, answer_headers, payload)
    except (socket.timeout, TimeoutError):
        raise IntegrationTimeout(log=f"Execution failed due to a timeout error calling {uri}") from None
    except (OSError, http.client.HTTPException) as error:
        raise InternalServerError(log=f"Execution failed due to configuration error: {uri}: {error}") from None
    finally:
        connection.close()
        invocation.integration_ms += (time.perf_counter() - begin) * 1000


def _split_query(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)
