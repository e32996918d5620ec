"""A deployment, frozen: the REST API exactly as it was when ``create_deployment`` ran.

API Gateway serves a stage from a *deployment*, an immutable copy of the API taken
at deployment time; editing a method afterwards changes nothing until the next
deployment ("deploy, then test"). moto keeps only the live API, so the local cloud
copies what the data plane needs into these frozen dataclasses when a deployment is
created (see ``deployments.py``) and serves requests from the copy.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIMEOUT_MS = 29_000
MIN_TIMEOUT_MS = 50


@dataclass(frozen=True)
class FrozenIntegrationResponse:
    status_code: str
    selection_pattern: str | None
    response_templates: dict[str, str]
    response_parameters: dict[str, str]
    content_handling: str | None


@dataclass(frozen=True)
class FrozenIntegration:
    type: str                      # AWS, AWS_PROXY, HTTP, HTTP_PROXY, MOCK
    uri: str
    http_method: str | None        # the integration request's method (POST for Lambda)
    request_templates: dict[str, str]
    passthrough_behavior: str      # WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER
    timeout_ms: int
    request_parameters: dict[str, str]
    content_handling: str | None
    responses: tuple[FrozenIntegrationResponse, ...]

    @property
    def is_lambda(self) -> bool:
        return self.type in ("AWS", "AWS_PROXY") and ":lambda:path/" in self.uri


@dataclass(frozen=True)
class FrozenMethodResponse:
    status_code: str
    response_parameters: dict[str, bool]


@dataclass(frozen=True)
class FrozenMethod:
    http_method: str
    authorization_type: str
    api_key_required: bool
    integration: FrozenIntegration | None
    method_responses: dict[str, FrozenMethodResponse]


@dataclass(frozen=True)
class FrozenResource:
    id: str
    path: str                      # e.g. "/users/{id}"
    methods: dict[str, FrozenMethod]


@dataclass(frozen=True)
class FrozenGatewayResponse:
    response_type: str
    status_code: str | None
    response_parameters: dict[str, str]
    response_templates: dict[str, str]


@dataclass(frozen=True)
class FrozenApi:
    """What one deployment serves."""

    api_id: str
    account_id: str
    region: str
    deployment_id: str
    name: str
    binary_media_types: tuple[str, ...]
    resources: tuple[FrozenResource, ...]
    gateway_responses: dict[str, FrozenGatewayResponse]
    router: Any = field(default=None, compare=False)  # routing.ResourceRouter, built once


def freeze_rest_api(api: Any, deployment_id: str) -> FrozenApi:
    """Copy a moto ``RestAPI`` into a ``FrozenApi``; later edits to ``api`` do not reach it."""
    from .routing import ResourceRouter

    resources = tuple(_freeze_resource(resource) for resource in list(api.resources.values()))
    gateway_responses = {
        kind: FrozenGatewayResponse(
            response_type=kind,
            status_code=str(response.status_code) if response.status_code not in (None, "") else None,
            response_parameters=dict(response.response_parameters or {}),
            response_templates=dict(response.response_templates or {}),
        )
        for kind, response in list(api.gateway_responses.items())
    }
    frozen = FrozenApi(
        api_id=api.id, account_id=api.account_id, region=api.region_name, deployment_id=deployment_id,
        name=api.name, binary_media_types=tuple(api.binaryMediaTypes or ()), resources=resources,
        gateway_responses=gateway_responses)
    object.__setattr__(frozen, "router", ResourceRouter(resources))
    return frozen


def _freeze_resource(resource: Any) -> FrozenResource:
    methods = {name: _freeze_method(method) for name, method in list(resource.resource_methods.items())}
    return FrozenResource(id=resource.id, path=resource.get_path(), methods=methods)


def _freeze_method(method: Any) -> FrozenMethod:
    integration = method.method_integration
    return FrozenMethod(
        http_method=method.http_method,
        authorization_type=(method.authorization_type or "NONE").upper(),
        api_key_required=bool(method.api_key_required),
        integration=_freeze_integration(integration) if integration is not None else None,
        method_responses={
            str(code): FrozenMethodResponse(str(code), dict(response.response_parameters or {}))
            for code, response in list(method.method_responses.items())
        },
    )


def _freeze_integration(integration: Any) -> FrozenIntegration:
    responses = tuple(
        FrozenIntegrationResponse(
            status_code=str(response.status_code),
            selection_pattern=response.selection_pattern or None,
            response_templates={k: v for k, v in (response.response_templates or {}).items()},
            response_parameters=dict(response.response_parameters or {}),
            content_handling=response.content_handling,
        )
        for response in list((integration.integration_responses or {}).values())
    )
    return FrozenIntegration(
        type=(integration.integration_type or "").upper(),
        uri=integration.uri or "",
        http_method=(integration.http_method or None),
        request_templates=copy.deepcopy(dict(integration.request_templates or {})),
        passthrough_behavior=(integration.passthrough_behaviour or "WHEN_NO_MATCH").upper(),
        timeout_ms=_timeout_ms(integration.timeout_in_millis),
        request_parameters=dict(integration.request_parameters or {}),
        content_handling=integration.content_handling,
        responses=responses,
    )


def _timeout_ms(raw: Any) -> int:
    """timeoutInMillis: 50 to 29,000 ms, 29,000 when unset (the console's default)."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_TIMEOUT_MS
    return min(max(value, MIN_TIMEOUT_MS), DEFAULT_TIMEOUT_MS)
