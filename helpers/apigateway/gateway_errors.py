"""API Gateway's own error answers ("gateway responses"), raised as typed errors and rendered here.

Every failure the gateway itself produces is one of the documented gateway response
types ("Gateway response types for API Gateway"), with its default status code and
the body ``{"message": "..."}`` (the default template is
``{"message":$context.error.messageString}``), plus the header ``x-amzn-ErrorType``
naming the error. An API can customise a type with ``put_gateway_response``
(status code, static header values, body template); a customisation is part of
the deployment like everything else. A type that is not customised falls back to
a customised ``DEFAULT_4XX`` / ``DEFAULT_5XX`` and then to the built-in default.

Gateway response templates are not Velocity: only simple ``$context.*`` /
``$stageVariables.*`` substitution happens (mapping template reference,
``$context.error.message``).
"""
from __future__ import annotations

import json
import re
from typing import Any

from .snapshot import FrozenApi, FrozenGatewayResponse


class GatewayError(Exception):
    """A gateway response; subclasses name the response type, status and error type."""

    response_type = "DEFAULT_5XX"
    status = 500
    error_type = "InternalServerErrorException"
    message = "Internal server error"

    def __init__(self, message: str | None = None, *, status: int | None = None, log: str = ""):
        super().__init__(message or self.message)
        if message is not None:
            self.message = message
        if status is not None:
            self.status = status
        self.log = log  # what AWS would write to the execution log (kept for the local cloud's log)


class MissingAuthenticationToken(GatewayError):
    """No resource/method matches (or an IAM-authorised method got no signature)."""

    response_type = "MISSING_AUTHENTICATION_TOKEN"
    status = 403
    error_type = "MissingAuthenticationTokenException"
    message = "Missing Authentication Token"


class Forbidden(GatewayError):
    """Unknown or deleted API, unknown stage."""

    response_type = "DEFAULT_4XX"
    status = 403
    error_type = "ForbiddenException"
    message = "Forbidden"


class UnsupportedMediaType(GatewayError):
    response_type = "UNSUPPORTED_MEDIA_TYPE"
    status = 415
    error_type = "BadRequestException"
    message = "Unsupported Media Type"


class BadRequest(GatewayError):
    response_type = "DEFAULT_4XX"
    status = 400
    error_type = "BadRequestException"
    message = "Bad Request"


class RequestTooLarge(GatewayError):
    response_type = "REQUEST_TOO_LARGE"
    status = 413
    error_type = "RequestTooLargeException"
    message = "Request Too Large"


class InternalServerError(GatewayError):
    """A configuration error: no integration, no Lambda permission, no method response…"""

    response_type = "API_CONFIGURATION_ERROR"
    status = 500


class BadGateway(GatewayError):
    """The backend answered something API Gateway cannot use (e.g. a malformed proxy response)."""

    response_type = "DEFAULT_5XX"
    status = 502


class IntegrationTimeout(GatewayError):
    response_type = "INTEGRATION_TIMEOUT"
    status = 504
    message = "Endpoint request timed out"


class IntegrationFailure(GatewayError):
    response_type = "INTEGRATION_FAILURE"
    status = 504
    error_type = "InternalServerErrorException"
    message = "Network error communicating with endpoint"


_DEFAULT_TEMPLATE = '{"message":$context.error.messageString}'
_VARIABLE = re.compile(r"\$(?:\{(context|stageVariables)((?:\.[A-Za-z0-9_-]+)+)\}"
                       r"|(context|stageVariables)((?:\.[A-Za-z0-9_-]+)+))")


def render(error: GatewayError, api: FrozenApi | None, variables: dict[str, Any],
           stage_variables: dict[str, str] | None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) for ``error``, honouring the deployment's customised responses."""
    custom = _customisation(error, api)
    status = error.status
    headers: dict[str, str] = {}
    template = _DEFAULT_TEMPLATE
    if custom is not None:
        if custom.status_code:
            try:
                status = int(custom.status_code)
            except ValueError:
                pass
        for name, value in custom.response_parameters.items():
            if name.startswith("gatewayresponse.header.") and _is_static(value):
                headers[name[len("gatewayresponse.header."):]] = value[1:-1]
        template = custom.response_templates.get("application/json") or \
            next(iter(custom.response_templates.values()), None) or _DEFAULT_TEMPLATE
    context = dict(variables)
    context["error"] = {"message": error.message, "messageString": json.dumps(error.message),
                        "responseType": error.response_type}
    body = _substitute(template, context, stage_variables or {})
    headers.setdefault("Content-Type", "application/json")
    headers["x-amzn-ErrorType"] = error.error_type
    return status, headers, body.encode()


def _customisation(error: GatewayError, api: FrozenApi | None) -> FrozenGatewayResponse | None:
    if api is None or not api.gateway_responses:
        return None
    own = api.gateway_responses.get(error.response_type)
    if own is not None:
        return own
    family = "DEFAULT_4XX" if error.status < 500 else "DEFAULT_5XX"
    return api.gateway_responses.get(family)


def _is_static(value: str) -> bool:
    return len(value) >= 2 and value[0] == "'" and value[-1] == "'"


def _substitute(template: str, context: dict[str, Any], stage_variables: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        kind = match.group(1) or match.group(3)
        dotted = match.group(2) or match.group(4)
        value: Any = context if kind == "context" else stage_variables
        for key in dotted.strip(".").split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return "" if value is None else str(value)

    return _VARIABLE.sub(replace, template)
