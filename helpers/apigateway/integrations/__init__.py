"""The integration step: call the backend a method points at (Lambda, HTTP, or nothing for MOCK).

Each integration takes the invocation and returns an ``EndpointResponse``: what the
backend said, before the integration response maps it for the client. Proxy
integrations (``AWS_PROXY``, ``HTTP_PROXY``) return the final ``HttpResponse``
themselves, since API Gateway passes their answer through.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class EndpointResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    function_error: str | None = None   # Lambda: "Unhandled" when the function raised
    error_message: str | None = None    # Lambda: the errorMessage, for selectionPattern


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
