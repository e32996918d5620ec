"""The local cloud's REST API data plane: ``/restapis/<api_id>/<stage>/_user_request_/<path>``.

Only paths with ``_user_request_`` in the fourth place are answered here; every
other ``/restapis/...`` path is moto's apigateway control plane and passes through.
At start the extension installs small hooks: the deployment freezer (see
``deployments.py``), two binary-media-type fixes to moto (``moto_fixes.py``) and a
capture of the raw request headers, so that a proxy Lambda sees header names
spelled as the client sent them and repeated headers as separate values.
"""
from __future__ import annotations

import logging
import time
from http import HTTPStatus
from typing import Any, Callable, Iterable

from ..localcloud.extensions import Extension
from . import deployments, moto_fixes
from .context import Environment
from .gateway_errors import GatewayError, RequestTooLarge
from .parse import PREFIX, RAW_HEADERS_KEY, is_control_plane_call, is_user_request, parse_request
from .pipeline import Gateway

log = logging.getLogger("localcloud.apigateway")
_REASONS = {status.value: status.phrase for status in HTTPStatus}


class ApiGatewayExtension(Extension):
    name = "apigateway"
    path_prefixes = (PREFIX,)

    def __init__(self, cloud):
        super().__init__(cloud)
        self.gateway = Gateway(self._invoke_lambda, Environment())

    def start(self) -> None:
        deployments.install_deployment_freezer()
        moto_fixes.install()
        install_header_capture()

    def handle(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes] | None:
        if not is_user_request(environ.get("PATH_INFO", "")) or is_control_plane_call(environ):
            return None
        begin = time.perf_counter()
        try:
            request = parse_request(environ)
        except RequestTooLarge as error:
            return _error_without_pipeline(start_response, error)
        response, invocation = self.gateway.handle(request)
        if (invocation.logs and response.status >= 500) or self.cloud.settings.get("COURSE_LOG_REQUESTS"):
            total = (time.perf_counter() - begin) * 1000
            log.info("%s %s %s %s → %s in %.3f ms (integration %.3f ms)%s", request.api_id, request.stage,
                     request.http_method, request.raw_path, response.status, total, invocation.integration_ms,
                     (": " + " | ".join(invocation.logs)) if invocation.logs else "")
        body = b"" if request.http_method == "HEAD" else response.body
        headers = response.headers + [("Content-Length", str(len(response.body)))]
        start_response(f"{response.status} {_REASONS.get(response.status, 'Unknown')}", headers)
        return [body]

    def _invoke_lambda(self, function_name: str, qualifier: str | None, payload: bytes, region: str):
        """In-process call into the Lambda runtime extension (never over HTTP)."""
        try:
            runtime = self.cloud.extension("lambda")
        except KeyError:
            from ..lambda_runtime.contract import LambdaServiceError

            raise LambdaServiceError("ServiceException", "this local cloud has no Lambda runtime extension",
                                     500) from None
        return runtime.invoke(function_name, qualifier, payload, invocation_type="RequestResponse",
                              log_type=None, region=region)


def _error_without_pipeline(start_response: Callable, error: GatewayError) -> list[bytes]:
    import json

    import uuid

    body = json.dumps({"message": error.message}).encode()
    start_response(f"{error.status} {_REASONS.get(error.status, 'Error')}",
                   [("Content-Type", "application/json"), ("x-amzn-ErrorType", error.error_type),
                    ("x-amzn-RequestId", str(uuid.uuid4())), ("Content-Length", str(len(body))),
                    ("Connection", "close")])
    return [body]


_capture_installed = False


def install_header_capture() -> None:
    """Keep the request's header list (original spelling, repeats) in the WSGI environ."""
    global _capture_installed
    if _capture_installed:
        return
    from werkzeug.serving import WSGIRequestHandler

    original = WSGIRequestHandler.make_environ

    def make_environ(self):
        environ = original(self)
        environ[RAW_HEADERS_KEY] = self.headers
        return environ

    make_environ.__wrapped__ = original  # type: ignore[attr-defined]
    WSGIRequestHandler.make_environ = make_environ
    _capture_installed = True
