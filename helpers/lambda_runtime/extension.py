"""The Lambda data plane of the local cloud: the Invoke API and provisioned concurrency over HTTP.

This module only translates the wire protocol (paths, headers, status codes, error
bodies) and owns the engine's lifecycle; what an invocation *does* lives in
``engine.py``. Other extensions call ``LambdaExtension.invoke`` in-process.
https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html
"""
from __future__ import annotations

import base64
import json
import logging
import re
import time
import uuid
from http import HTTPStatus
from typing import Any, Callable
from urllib.parse import parse_qs

from ..localcloud.extensions import Extension
from . import moto_patches
from . import settings as lambda_settings  # noqa: F401  (registers the COURSE_LAMBDA_* settings)
from .contract import InvocationResult, LambdaServiceError
from .engine import LambdaEngine

log = logging.getLogger("localcloud.lambda")

INVOKE_PREFIX = "/2015-03-31/functions/"
INVOKE_ASYNC_PREFIX = "/2014-11-13/functions/"
PROVISIONED_PREFIX = "/2019-09-30/functions/"
LOCAL_PREFIX = "/_lambda/"
_CREDENTIAL_REGION = re.compile(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/")


class LambdaExtension(Extension):
    """Runs Lambda functions: ``name = "lambda"``, found with ``cloud.extension("lambda")``."""

    name = "lambda"
    path_prefixes = (INVOKE_PREFIX, INVOKE_ASYNC_PREFIX, PROVISIONED_PREFIX, LOCAL_PREFIX)

    def __init__(self, cloud):
        super().__init__(cloud)
        self.engine = LambdaEngine(lambda: self.cloud.url, lambda name: self.cloud.settings[name])

    # -- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        moto_patches.install(self.engine)
        self.engine.start()

    def on_reset(self) -> None:
        self.engine.reset()

    def on_settings_changed(self, changed: dict[str, Any]) -> None:
        self.engine.settings_changed(changed)

    def stop(self) -> None:
        moto_patches.uninstall()
        self.engine.stop()

    # -- in-process API (API Gateway, schedules, measurement helpers) ---------------
    def invoke(self, function_name: str, qualifier: str | None, payload: bytes,
               invocation_type: str = "RequestResponse", log_type: str | None = None,
               region: str | None = None, client_context: str | None = None) -> InvocationResult:
        """Invoke as the Invoke API does; raises LambdaServiceError for API errors."""
        return self.engine.invoke(function_name, qualifier, payload, invocation_type, log_type, region,
                                  client_context)

    def environments(self, function_name: str | None = None) -> list[dict]:
        """Live execution environments: id, function, version, init_type (on-demand or
        provisioned-concurrency), state (starting, idle, busy), invocations (0 = not yet
        warm), cold_start_ms (its INIT duration), pid, log_stream."""
        return self.engine.environments(function_name)

    def reclaim_idle(self, function_name: str | None = None) -> int:
        """Throw away idle on-demand environments, so the next invoke is a cold start."""
        return self.engine.reclaim_idle(function_name)

    # -- HTTP ----------------------------------------------------------------------
    def handle(self, environ: dict[str, Any], start_response: Callable):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if path.startswith(INVOKE_PREFIX):
                if method == "POST" and path.endswith("/invocations"):
                    name = path[len(INVOKE_PREFIX):-len("/invocations")]
                    return self._invoke_http(environ, start_response, name)
                return None
            if path.startswith(INVOKE_ASYNC_PREFIX):
                if method == "POST" and path.rstrip("/").endswith("/invoke-async"):
                    name = path[len(INVOKE_ASYNC_PREFIX):].rstrip("/")[:-len("/invoke-async")]
                    return self._invoke_async_http(environ, start_response, name)
                return None
            if path.startswith(PROVISIONED_PREFIX) and path.rstrip("/").endswith("/provisioned-concurrency"):
                name = path[len(PROVISIONED_PREFIX):].rstrip("/")[:-len("/provisioned-concurrency")]
                return self._provisioned_http(environ, start_response, method, name)
            if path.startswith(LOCAL_PREFIX):
                return self._local_http(environ, start_response, method, path[len(LOCAL_PREFIX):])
        except LambdaServiceError as error:
            return _error_response(start_response, error)
        return None

    def _invoke_http(self, environ, start_response, name: str):
        began = time.perf_counter()
        query = parse_qs(environ.get("QUERY_STRING", "")) if environ.get("QUERY_STRING") else {}
        qualifier = query.get("Qualifier", [None])[0]
        invocation_type = environ.get("HTTP_X_AMZ_INVOCATION_TYPE") or "RequestResponse"
        log_type = environ.get("HTTP_X_AMZ_LOG_TYPE")
        result = self.engine.invoke(name, qualifier, _read_body(environ), invocation_type, log_type,
                                    _region(environ), environ.get("HTTP_X_AMZ_CLIENT_CONTEXT"))
        headers = [("Content-Type", "application/json"), ("x-amzn-RequestId", result.request_id)]
        if result.status_code == 200:
            headers.append(("X-Amz-Executed-Version", result.executed_version))
            if result.function_error:
                headers.append(("X-Amz-Function-Error", result.function_error))
            if log_type == "Tail":
                headers.append(("X-Amz-Log-Result", _tail_of(result)))
        body = result.payload if result.status_code == 200 else b""
        headers.append(("Content-Length", str(len(body))))
        start_response(f"{result.status_code} {HTTPStatus(result.status_code).phrase}", headers)
        if self.cloud.settings.get("COURSE_LOG_REQUESTS"):
            log.info("lambda Invoke %s → %s in %.3f ms (Duration %.3f ms)", name, result.status_code,
                     (time.perf_counter() - began) * 1000, result.duration_ms)
        return [body]

    def _invoke_async_http(self, environ, start_response, name: str):
        """The deprecated InvokeAsync API: an Event invoke answered ``{"Status": 202}``."""
        result = self.engine.invoke(name, None, _read_body(environ), "Event", None, _region(environ))
        return _json(start_response, 202, {"Status": 202}, [("x-amzn-RequestId", result.request_id)])

    def _provisioned_http(self, environ, start_response, method: str, name: str):
        query = parse_qs(environ.get("QUERY_STRING", ""))
        qualifier = query.get("Qualifier", [None])[0]
        region = _region(environ)
        provisioned = self.engine.provisioned
        if method == "GET" and query.get("List"):
            configs = provisioned.list(name, region)
            return _json(start_response, 200, {"ProvisionedConcurrencyConfigs": configs})
        if method == "GET":
            return _json(start_response, 200, provisioned.get(name, qualifier, region))
        if method == "PUT":
            try:
                body = json.loads(_read_body(environ) or b"{}")
            except ValueError:
                raise LambdaServiceError("InvalidRequestContentException", "Could not parse request body into json",
                                         400) from None
            document = provisioned.put(name, qualifier, body.get("ProvisionedConcurrentExecutions"), region)
            return _json(start_response, 202, document)
        if method == "DELETE":
            provisioned.delete(name, qualifier, region)
            start_response("204 No Content", [("Content-Length", "0")])
            return [b""]
        return None

    def _local_http(self, environ, start_response, method: str, action: str):
        """Local-cloud-only helpers for the course's measurement code (not an AWS API)."""
        query = parse_qs(environ.get("QUERY_STRING", ""))
        function_name = query.get("function", [None])[0]
        if action == "environments" and method == "GET":
            return _json(start_response, 200, {"environments": self.environments(function_name)})
        if action == "reclaim" and method == "POST":
            return _json(start_response, 200, {"reclaimed": self.reclaim_idle(function_name)})
        return _json(start_response, 404, {"message": f"no such local Lambda action: {method} /_lambda/{action}"})


def _read_body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def _region(environ: dict[str, Any]) -> str | None:
    """The region the caller signed for (SigV4 credential scope), as Lambda routes by endpoint."""
    match = _CREDENTIAL_REGION.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1) if match else None


def _tail_of(result: InvocationResult) -> str:
    text = result.log_tail.encode("utf-8")[-4096:]
    return base64.b64encode(text).decode("ascii")


def _json(start_response, status: int, document: Any, headers: list | None = None):
    body = json.dumps(document).encode()
    start_response(f"{status} {HTTPStatus(status).phrase}",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(body)))] + (headers or []))
    return [body]


def _error_response(start_response, error: LambdaServiceError):
    """Lambda's error shape: the code in ``x-amzn-ErrorType``, ``Type`` and the message in the body."""
    message_key = "Message" if error.code == "ResourceNotFoundException" else "message"
    document = {"Type": "User", message_key: error.message, **error.extra}
    headers = [("x-amzn-ErrorType", error.code), ("x-amzn-RequestId", str(uuid.uuid4()))]
    return _json(start_response, error.status, document, headers)

