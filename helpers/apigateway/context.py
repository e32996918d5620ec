"""The state one invocation carries through the pipeline, and the side effects it depends on.

The clock and the request-id source are injected (as chalice's local gateway does)
so tests can pin ``requestId`` and ``requestTimeEpoch``; the defaults give every
request a fresh UUID and the current time, as API Gateway does.
"""
from __future__ import annotations

import base64
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from .parse import ApiRequest
from .routing import RouteMatch
from .snapshot import FrozenApi

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Environment:
    """Where a pipeline gets time and identifiers from."""

    clock: Callable[[], float] = time.time
    new_request_id: Callable[[], str] = lambda: str(uuid.uuid4())
    new_extended_request_id: Callable[[], str] = lambda: base64.b64encode(os.urandom(11)).decode()
    new_trace_id: Callable[[float], str] = \
        lambda now: f"Root=1-{int(now):08x}-{os.urandom(12).hex()}"


@dataclass
class Invocation:
    request: ApiRequest
    request_id: str
    extended_request_id: str
    trace_id: str
    request_time: float                      # epoch seconds
    api: FrozenApi | None = None
    stage_variables: dict[str, str] | None = None
    route: RouteMatch | None = None
    variables: dict[str, Any] = field(default_factory=dict)   # $context / requestContext
    logs: list[str] = field(default_factory=list)              # execution-log style notes
    integration_ms: float = 0.0                                # time spent waiting for the backend

    @property
    def request_time_epoch_ms(self) -> int:
        return int(self.request_time * 1000)

    def log(self, text: str) -> None:
        self.logs.append(text)


def clf_time(epoch: float) -> str:
    """``$context.requestTime``: CLF format, UTC, English month names whatever the locale."""
    moment = time.gmtime(epoch)
    return (f"{moment.tm_mday:02d}/{_MONTHS[moment.tm_mon - 1]}/{moment.tm_year}:"
            f"{moment.tm_hour:02d}:{moment.tm_min:02d}:{moment.tm_sec:02d} +0000")


def base_variables(invocation: Invocation) -> dict[str, Any]:
    """The ``$context`` variables known before routing (resource fields are added by the router)."""
    request = invocation.request
    host = request.header("Host") or request.host
    hostname = host.split(":")[0]
    return {
        "accountId": invocation.api.account_id if invocation.api else "",
        "apiId": request.api_id,
        "deploymentId": invocation.api.deployment_id if invocation.api else "",
        "domainName": host,
        "domainPrefix": hostname.split(".")[0],
        "extendedRequestId": invocation.extended_request_id,
        "httpMethod": request.http_method,
        "identity": {
            "accessKey": None,
            "accountId": None,
            "caller": None,
            "cognitoAuthenticationProvider": None,
            "cognitoAuthenticationType": None,
            "cognitoIdentityId": None,
            "cognitoIdentityPoolId": None,
            "principalOrgId": None,
            "sourceIp": request.source_ip,
            "user": None,
            "userAgent": request.header("User-Agent"),
            "userArn": None,
        },
        "path": f"/{request.stage}{request.raw_path}",
        "protocol": request.protocol,
        "requestId": invocation.request_id,
        "requestTime": clf_time(invocation.request_time),
        "requestTimeEpoch": invocation.request_time_epoch_ms,
        "resourceId": None,
        "resourcePath": None,
        "stage": request.stage,
    }
