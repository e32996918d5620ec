"""Lambda integrations: ``AWS_PROXY`` (the proxy event) and ``AWS`` (a mapped payload).

Both resolve the function from the URI, check its resource policy, and call the
local cloud's Lambda runtime in-process under the integration's timeout. For
``AWS_PROXY`` the integration request must use POST ("For Lambda integrations,
you must use the HTTP method of POST"); AWS answers 500 otherwise.
"""
from __future__ import annotations

import json
import time
from typing import Any

from .. import lambda_target, proxy_event
from ..context import Invocation
from ..gateway_errors import BadGateway, BadRequest, InternalServerError
from ..snapshot import FrozenIntegration
from . import EndpointResponse, HttpResponse


def invoke_function(invocation: Invocation, integration: FrozenIntegration, payload: bytes,
                    invoker: lambda_target.Invoker) -> Any:
    """Resolve, authorise, invoke under the deadline; returns the runtime's InvocationResult."""
    api = invocation.api
    target = lambda_target.parse_uri(integration.uri, invocation.stage_variables, api.account_id)
    function = lambda_target.find_function(target)
    lambda_target.check_permission(function, target, source_arns(invocation))
    watchdog = lambda_target.needs_watchdog(function, integration.timeout_ms)
    begin = time.perf_counter()
    try:
        result = lambda_target.invoke_with_deadline(
            lambda: invoker(target.name, target.qualifier, payload, target.region), integration.timeout_ms, watchdog)
    except _service_errors() as error:
        # A Lambda API error (throttled with 429, function gone…) reaches the client as a 500: "There is
        # no way to map Lambda's 429 to any status code" (AWS, re:Post / forums), type INTEGRATION_FAILURE.
        code = getattr(error, "code", type(error).__name__)
        raise LambdaServiceFailure(log=f"Lambda invocation failed: {code}: {error}") from None
    finally:
        invocation.integration_ms += (time.perf_counter() - begin) * 1000
    invocation.log(f"Lambda request id {getattr(result, 'request_id', '?')}")
    return result


class LambdaServiceFailure(InternalServerError):
    response_type = "INTEGRATION_FAILURE"


def _service_errors() -> tuple[type[BaseException], ...]:
    """The runtime's API errors (the function never ran): throttling, a missing function…"""
    from ...lambda_runtime.contract import LambdaServiceError

    return (LambdaServiceError,)


def source_arns(invocation: Invocation) -> list[str]:
    """``arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<resource path>``.

    The method as defined (``ANY`` stays ``ANY``) and as requested are both accepted,
    so a permission written either way matches.
    """
    api = invocation.api
    route = invocation.route
    base = f"arn:aws:execute-api:{api.region}:{api.account_id}:{api.api_id}/{invocation.request.stage}/"
    path = route.resource.path
    arns = [f"{base}{route.method.http_method}{path}"]
    if route.method.http_method != invocation.request.http_method:
        arns.append(f"{base}{invocation.request.http_method}{path}")
    return arns


def lambda_proxy(invocation: Invocation, integration: FrozenIntegration,
                 invoker: lambda_target.Invoker) -> HttpResponse:
    if (integration.http_method or "POST").upper() != "POST":
        raise InternalServerError(log="Execution failed due to configuration error: AWS_PROXY integrations "
                                      "must use the POST integration method")
    event = proxy_event.build_event(invocation)
    payload = json.dumps(event, separators=(",", ":")).encode()
    result = invoke_function(invocation, integration, payload, invoker)
    if getattr(result, "function_error", None):
        raise BadGateway(log=f"Lambda execution failed with status 200 due to customer function error: "
                             f"{_error_message(result.payload)}")
    status, headers, body = proxy_event.parse_response(result.payload, invocation)
    return HttpResponse(status, headers, body)


def lambda_custom(invocation: Invocation, integration: FrozenIntegration, payload: bytes,
                  invoker: lambda_target.Invoker) -> EndpointResponse:
    """``AWS`` integration: the (mapped) payload is the event; the result goes to integration responses."""
    payload = payload if payload.strip() else b"{}"
    try:
        json.loads(payload)
    except ValueError as error:  # Lambda's InvalidRequestContentException, passed on as a 400
        raise BadRequest(f"Could not parse request body into json: {error.msg} "
                         f"(line {error.lineno}, column {error.colno})") from None
    except UnicodeDecodeError:
        raise BadRequest("Could not parse request body into json: Invalid UTF-8") from None
    result = invoke_function(invocation, integration, payload, invoker)
    function_error = getattr(result, "function_error", None)
    return EndpointResponse(200, [("Content-Type", "application/json")], result.payload or b"",
                            function_error=function_error,
                            error_message=_error_message(result.payload) if function_error else None)


def _error_message(payload: bytes) -> str:
    try:
        document = json.loads(payload or b"null")
    except ValueError:
        return ""
    if isinstance(document, dict):
        message = document.get("errorMessage")
        return "" if message is None else str(message)
    return ""
