"""The local cloud's IAM enforcement, as an extension offered every request before moto.

With ``COURSE_IAM_ENFORCE`` on, each signed request to a service the local cloud authorizes
(DynamoDB, Lambda, API Gateway, IAM, STS, CloudWatch Logs, EventBridge) is authenticated
(SigV4 signature, known and unexpired key) and each of its checks decided against the
caller's policies before moto or any other extension sees it. moto's own enforcement stays
off: it checks every request against resource ``*``, ignores conditions and PassRole, uses
wrong action names, fails bodiless signatures, answers DynamoDB in XML and refuses trust
policies that name the account - this module replaces it rather than patching around it.

Not checked (passed through as moto would): unsigned requests (execute-api calls, the Lambda
Runtime API, the local cloud's own ``/_localcloud/`` and ``/moto-api/`` endpoints), presigned
URLs, services outside the list above, and the few operations each service module lists as
unenforced.
"""
from __future__ import annotations

import io
import logging
from typing import Any, Callable
from urllib.parse import quote

from ..localcloud.extensions import Extension
from . import ENFORCE, changes, managed
from .authorizer import Authorizer
from .errors import error_response
from .principals import AuthenticationError
from .services import SERVICES, describe
from .sigv4 import parse_authorization

log = logging.getLogger("localcloud.iam")


_NEVER_ENFORCED = ("/_localcloud/", "/moto-api/")


def _read_body(environ: dict[str, Any]) -> bytes:
    """Read the body once and put it back, so moto and later extensions read it too."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def _raw_path(environ: dict[str, Any]) -> str:
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    path = raw.split("?", 1)[0]
    if "://" in path:
        path = "/" + path.split("://", 1)[1].split("/", 1)[-1]
    return path or quote(environ.get("PATH_INFO", "/"))


class IamExtension(Extension):
    name = "iam"
    path_prefixes = ("/",)

    def __init__(self, cloud):
        super().__init__(cloud)
        managed.enable_aws_managed_policies()
        self.authorizer = Authorizer()
        self._unenforced_logged: set[str] = set()

    def start(self) -> None:
        changes.watch(self.authorizer.invalidate)
        self.authorizer.invalidate()

    def stop(self) -> None:
        changes.unwatch(self.authorizer.invalidate)

    def on_reset(self) -> None:
        self.authorizer.invalidate()

    def on_settings_changed(self, changed: dict[str, Any]) -> None:
        if ENFORCE.name in changed:
            self.authorizer.invalidate()
            log.info("IAM enforcement %s", "on" if changed[ENFORCE.name] else "off")

    def handle(self, environ: dict[str, Any], start_response: Callable):
        if not self.cloud.settings.get(ENFORCE.name):
            return None
        if environ.get("PATH_INFO", "").startswith(_NEVER_ENFORCED):
            return None
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        if not authorization.startswith("AWS4-HMAC-SHA256"):
            return None  # unsigned: a data plane (execute-api, Runtime API) or a presigned URL
        try:
            signed = parse_authorization(authorization)
        except AuthenticationError:
            return None  # a malformed header names no service: let moto answer it as before
        if signed.service not in SERVICES:
            return None
        body = _read_body(environ)
        raw_path, raw_query = _raw_path(environ), environ.get("QUERY_STRING", "")
        try:
            principal = self.authorizer.authenticate(signed, environ, raw_path, raw_query, body)
        except AuthenticationError as error:
            return self._refuse(start_response, signed.service, error.code, error.message)
        request = describe(signed.service, signed.region, environ, raw_path, raw_query, body)
        request.caller_arn = principal.arn
        checks = SERVICES[signed.service](request)
        if checks is None:
            self._log_unenforced(f"{signed.service}:{request.operation or request.method}")
            return None
        for check in checks:
            decision = self.authorizer.decide(principal, check, request)
            if not decision.allowed:
                return self._refuse(start_response, signed.service, "AccessDenied", decision.message)
        return None

    @staticmethod
    def _refuse(start_response: Callable, service: str, family: str, message: str):
        status, headers, body = error_response(service, family, message)
        start_response(status, headers)
        return [body]

    def _log_unenforced(self, what: str) -> None:
        if what not in self._unenforced_logged:
            self._unenforced_logged.add(what)
            log.info("IAM: %s is not enforced by the local cloud (passed through)", what)
