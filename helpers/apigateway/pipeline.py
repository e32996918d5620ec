"""The REST API data plane as one pipeline a reader can follow top to bottom.

parse → find the stage's deployment → route → method request → integration request
→ integration → integration response → method response. Each step may raise a
``GatewayError``; ``gateway_errors.render`` turns it into API Gateway's answer in one
place. The Lambda invoker, the clock and the id sources are injected, so tests can
drive the pipeline without a Lambda runtime and with a fixed clock.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Callable

from . import api_keys, deployments, gateway_errors, mapping, media_types, parameters
from .context import Environment, Invocation, base_variables
from .gateway_errors import GatewayError, InternalServerError, MissingAuthenticationToken
from .integrations import EndpointResponse, HttpResponse
from .integrations.http import http_call
from .integrations.lambda_ import lambda_custom, lambda_proxy
from .integrations.mock import mock
from .lambda_target import Invoker
from .parse import ApiRequest
from .snapshot import FrozenApi, FrozenIntegration, FrozenIntegrationResponse

log = logging.getLogger("localcloud.apigateway")

# Headers the gateway owns: an integration's own values come back as x-amzn-Remapped-<name>
# ("Amazon API Gateway important notes": headers remapped to x-amzn-Remapped-HEADER).
_REMAPPED = {"connection", "content-length", "date", "server", "transfer-encoding", "x-amzn-requestid"}

SnapshotFinder = Callable[[str, str], "tuple[FrozenApi, dict[str, str]]"]


class Gateway:
    def __init__(self, invoker: Invoker, environment: Environment | None = None,
                 find_snapshot: SnapshotFinder = deployments.serving_snapshot):
        self.invoker = invoker
        self.env = environment or Environment()
        self.find_snapshot = find_snapshot

    # -- the pipeline --------------------------------------------------------------
    def handle(self, request: ApiRequest) -> tuple[HttpResponse, Invocation]:
        now = self.env.clock()
        invocation = Invocation(request=request, request_id=self.env.new_request_id(),
                                extended_request_id=self.env.new_extended_request_id(),
                                trace_id=self.env.new_trace_id(now), request_time=now)
        try:
            invocation.api, invocation.stage_variables = self.find_snapshot(request.api_id, request.stage)
            invocation.variables = base_variables(invocation)
            self.route(invocation)
            self.method_request(invocation)
            response = self.integrate(invocation)
        except GatewayError as error:
            response = self.gateway_response(invocation, error)
        except Exception as error:  # a bug here must not take the local cloud down
            log.exception("API Gateway pipeline failed for %s %s", request.http_method, request.raw_path)
            response = self.gateway_response(invocation, InternalServerError(log=f"local cloud error: {error!r}"))
        return self.method_response(invocation, response), invocation

    def route(self, invocation: Invocation) -> None:
        request = invocation.request
        match = invocation.api.router.match(request.http_method, request.raw_path)
        if match is None:
            raise MissingAuthenticationToken(log=f"No method for {request.http_method} {request.raw_path} "
                                                 f"in deployment {invocation.api.deployment_id}")
        invocation.route = match
        invocation.variables["resourceId"] = match.resource.id
        invocation.variables["resourcePath"] = match.resource.path

    def method_request(self, invocation: Invocation) -> None:
        """What the local cloud checks before integrating: an AWS_IAM method needs a SigV4 signature
        (present; it is not verified), an apiKeyRequired method a valid x-api-key."""
        method = invocation.route.method
        request = invocation.request
        if method.authorization_type == "AWS_IAM" and not request.header("Authorization"):
            raise MissingAuthenticationToken(log="AWS_IAM method called without a signature")
        if method.api_key_required:
            api_keys.require_api_key(invocation.api, request.stage, request.header("x-api-key"))

    def integrate(self, invocation: Invocation) -> HttpResponse:
        integration = invocation.route.method.integration
        if integration is None:
            raise InternalServerError(log="Execution failed due to configuration error: No integration defined "
                                          "for method")
        if integration.type == "AWS_PROXY":
            return lambda_proxy(invocation, integration, self.invoker)
        body_text, body_bytes = self._request_body(invocation)
        mapped = self._mapped_request_parameters(invocation, integration, body_text)
        if integration.type == "HTTP_PROXY":
            endpoint = http_call(invocation, integration, proxy=True, mapped=mapped, body=body_bytes,
                                 content_type=invocation.request.header("Content-Type"))
            return HttpResponse(endpoint.status, endpoint.headers, endpoint.body)
        payload, content_type = self.integration_request(invocation, integration, body_text, body_bytes)
        if integration.type == "MOCK":
            endpoint = mock(payload)
        elif integration.type == "AWS" and integration.is_lambda:
            endpoint = lambda_custom(invocation, integration, payload, self.invoker)
        elif integration.type == "HTTP":
            endpoint = http_call(invocation, integration, proxy=False, mapped=mapped, body=payload,
                                 content_type=content_type)
        else:
            raise InternalServerError(log=f"Integration type {integration.type} with URI {integration.uri!r} "
                                          "is not supported by the local cloud (Lambda, HTTP, HTTP_PROXY and "
                                          "MOCK are)")
        return self.integration_response(invocation, integration, endpoint)

    # -- integration request -----------------------------------------------------------
    def _request_body(self, invocation: Invocation) -> tuple[str, bytes]:
        request = invocation.request
        binary = invocation.api.binary_media_types
        if binary and media_types.matches(media_types.essence(request.header("Content-Type")), binary):
            import base64

            return base64.b64encode(request.body).decode(), request.body
        return request.body.decode("utf-8", "replace"), request.body

    def _method_request_data(self, invocation: Invocation, body_text: str) -> dict[str, Any]:
        request = invocation.request
        return {"headers": request.headers, "query": request.query_pairs,
                "path": invocation.route.path_parameters, "body": body_text}

    def _mapped_request_parameters(self, invocation: Invocation, integration: FrozenIntegration,
                                   body_text: str) -> dict[str, dict[str, str]]:
        if not integration.request_parameters:
            return {"header": {}, "querystring": {}, "path": {}}
        sources = {"method": self._method_request_data(invocation, body_text),
                   "context": invocation.variables, "stageVariables": invocation.stage_variables}
        return parameters.map_targets(integration.request_parameters, "integration.request.", sources)

    def _template_params(self, invocation: Invocation) -> dict[str, dict[str, str]]:
        request = invocation.request
        return {"path": dict(invocation.route.path_parameters), "querystring": dict(request.query_pairs),
                "header": dict(request.header_map)}

    def integration_request(self, invocation: Invocation, integration: FrozenIntegration, body_text: str,
                            body_bytes: bytes) -> tuple[bytes, str | None]:
        """The payload sent to the backend: a rendered template, or the body passed through."""
        content_type = invocation.request.header("Content-Type")
        template = mapping.select_request_template(integration.request_templates, content_type,
                                                   integration.passthrough_behavior)
        if template is None:
            return body_bytes, content_type
        output, _ = mapping.render(template, body_text, self._template_params(invocation), invocation.variables,
                                   invocation.stage_variables)
        wanted = media_types.essence(content_type) or mapping.DEFAULT_CONTENT_TYPE
        return output.encode("utf-8"), wanted

    # -- integration response ----------------------------------------------------------
    def integration_response(self, invocation: Invocation, integration: FrozenIntegration,
                             endpoint: EndpointResponse) -> HttpResponse:
        if integration.type == "AWS":
            selector = endpoint.error_message if endpoint.function_error else ""
        else:
            selector = str(endpoint.status)
        chosen = select_integration_response(integration.responses, selector)
        method_responses = invocation.route.method.method_responses
        if chosen.status_code not in method_responses:
            raise InternalServerError(log="Execution failed due to configuration error: Output mapping refers "
                                          f"to an invalid method response: {chosen.status_code}")
        endpoint_text = endpoint.body.decode("utf-8", "replace")
        sources = {"integration": {"headers": endpoint.headers, "body": endpoint_text},
                   "context": invocation.variables, "stageVariables": invocation.stage_variables}
        headers: list[tuple[str, str]] = []
        for target, expression in chosen.response_parameters.items():
            if target.startswith("method.response.header."):
                value = parameters.resolve(expression, sources)
                if value is not None:
                    headers.append((target[len("method.response.header."):], value))
        status = int(chosen.status_code)
        body = endpoint.body
        template = mapping.select_response_template(chosen.response_templates, invocation.request.header("Accept"))
        if template:
            output, overrides = mapping.render(template, endpoint_text, self._template_params(invocation),
                                               invocation.variables, invocation.stage_variables)
            body = output.encode("utf-8")
            status = mapping.status_override(overrides) or status
            for name, value in ((overrides.get("responseOverride") or {}).get("header") or {}).items():
                headers = [(n, v) for n, v in headers if n.lower() != str(name).lower()] + [(str(name), str(value))]
        if not any(name.lower() == "content-type" for name, _ in headers):
            headers.insert(0, ("Content-Type", "application/json"))
        return HttpResponse(status, headers, body)

    # -- responses -----------------------------------------------------------------------
    def gateway_response(self, invocation: Invocation, error: GatewayError) -> HttpResponse:
        if error.log:
            invocation.log(error.log)
        status, headers, body = gateway_errors.render(error, invocation.api, invocation.variables,
                                                      invocation.stage_variables)
        return HttpResponse(status, list(headers.items()), body)

    def method_response(self, invocation: Invocation, response: HttpResponse) -> HttpResponse:
        headers = []
        for name, value in response.headers:
            if name.lower() in _REMAPPED:
                name = f"x-amzn-Remapped-{name}"
            headers.append((name, value))
        headers += [("x-amzn-RequestId", invocation.request_id),
                    ("x-amz-apigw-id", invocation.extended_request_id),
                    ("X-Amzn-Trace-Id", invocation.trace_id)]
        return HttpResponse(response.status, headers, response.body)


def select_integration_response(responses: tuple[FrozenIntegrationResponse, ...],
                                selector: str | None) -> FrozenIntegrationResponse:
    """The response whose selectionPattern matches (Java-style regex, whole string), else the default."""
    value = selector or ""
    for response in responses:
        if response.selection_pattern and _full_match(response.selection_pattern, value):
            return response
    for response in responses:
        if not response.selection_pattern:
            return response
    raise InternalServerError(log="Execution failed due to configuration error: No match for output mapping "
                                  f"and no default output mapping configured. Selection value: {value!r}")


def _full_match(pattern: str, value: str) -> bool:
    try:
        return re.fullmatch(pattern, value, re.DOTALL) is not None
    except re.error:
        return False
