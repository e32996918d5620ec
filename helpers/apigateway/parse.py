"""Step 1 of the pipeline: the raw HTTP request, as the client sent it.

The local URL is ``/restapis/<api_id>/<stage>/_user_request_/<path>`` (LocalStack's
shape). API Gateway hands a proxy Lambda the path as sent (percent-encoding kept)
and header names in the client's own spelling, so both are read from the raw
request rather than from WSGI's decoded, upper-cased copies.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl, quote

from .gateway_errors import RequestTooLarge

USER_REQUEST_MARKER = "_user_request_"
PREFIX = "/restapis/"
RAW_HEADERS_KEY = "localcloud.request_headers"  # set by the header capture installed in extension.py
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024             # API Gateway's 10 MB payload quota
# Collections of moto's own control plane under /restapis/<id>/… (never a stage's data plane).
_CONTROL_PLANE_COLLECTIONS = {"resources", "stages", "deployments", "authorizers", "models",
                              "requestvalidators", "gatewayresponses", "documentation", "export"}


@dataclass
class ApiRequest:
    api_id: str
    stage: str
    http_method: str
    raw_path: str                        # after _user_request_: "/" or "/a/b%2Bc/" (as sent)
    query_string: str
    headers: list[tuple[str, str]]       # (name as sent, value), in order, repeats kept
    body: bytes
    source_ip: str
    protocol: str
    host: str
    extras: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def header_map(self) -> dict[str, str]:
        """Single-value view: the last value of each header, names as sent."""
        single: dict[str, str] = {}
        for name, value in self.headers:
            single[name] = value
        return single

    @cached_property
    def multi_header_map(self) -> dict[str, list[str]]:
        multi: dict[str, list[str]] = {}
        for name, value in self.headers:
            multi.setdefault(name, []).append(value)
        return multi

    @cached_property
    def _lower_headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers}

    def header(self, name: str, default: str | None = None) -> str | None:
        return self._lower_headers.get(name.lower(), default)

    @cached_property
    def query_pairs(self) -> list[tuple[str, str]]:
        return parse_qsl(self.query_string, keep_blank_values=True)

    @property
    def normalized_path(self) -> str:
        """The event's ``path``: repeated slashes folded, a trailing slash kept."""
        if "//" not in self.raw_path:
            return self.raw_path
        parts = [part for part in self.raw_path.split("/") if part]
        folded = "/" + "/".join(parts)
        if self.raw_path.endswith("/") and parts:
            folded += "/"
        return folded


def is_user_request(path_info: str) -> bool:
    """True for ``/restapis/<id>/<stage>/_user_request_[/...]``; moto keeps everything else."""
    parts = path_info.split("/", 5)
    return (len(parts) >= 5 and parts[4] == USER_REQUEST_MARKER and parts[1] == "restapis"
            and bool(parts[2]) and bool(parts[3]))


def is_control_plane_call(environ: dict[str, Any]) -> bool:
    """A signed apigateway API call whose path happens to look like a user request.

    ``GET /restapis/<id>/stages/_user_request_`` is moto's get_stage for a stage named
    ``_user_request_``; SigV4 calls to the apigateway service carry their scope.
    """
    parts = environ.get("PATH_INFO", "").split("/")
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    return (len(parts) > 3 and parts[3] in _CONTROL_PLANE_COLLECTIONS
            and "/apigateway/aws4_request" in authorization)


def parse_request(environ: dict[str, Any]) -> ApiRequest:
    raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or quote(environ.get("PATH_INFO", ""))
    raw_path, _, query = raw_uri.partition("?")
    if not query:
        query = environ.get("QUERY_STRING", "")
    if raw_path.startswith(("http://", "https://")):  # absolute-form request target
        raw_path = "/" + raw_path.split("/", 3)[3] if raw_path.count("/") >= 3 else "/"
    _, _, api_id, stage, _marker, *rest = raw_path.split("/", 5)
    user_path = "/" + (rest[0] if rest else "")
    headers = _raw_headers(environ)
    return ApiRequest(
        api_id=api_id, stage=stage, http_method=environ.get("REQUEST_METHOD", "GET").upper(),
        raw_path=user_path, query_string=query, headers=headers, body=_read_body(environ),
        source_ip=environ.get("REMOTE_ADDR", "127.0.0.1"),
        protocol=environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
        host=environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '127.0.0.1')}:{environ.get('SERVER_PORT', '')}",
    )


def _raw_headers(environ: dict[str, Any]) -> list[tuple[str, str]]:
    message = environ.get(RAW_HEADERS_KEY)
    if message is not None:
        return [(name, value.replace("\r\n", "")) for name, value in message.items()]
    # Another WSGI server: rebuild names from the CGI keys (their spelling is lost).
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:]
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            name = key
        else:
            continue
        headers.append(("-".join(word.capitalize() for word in name.split("_")), value))
    return headers


def _read_body(environ: dict[str, Any]) -> bytes:
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    length = environ.get("CONTENT_LENGTH")
    if length:
        try:
            size = int(length)
        except ValueError:
            size = 0
        if size > MAX_PAYLOAD_BYTES:
            raise RequestTooLarge()
        return stream.read(size) if size > 0 else b""
    if environ.get("wsgi.input_terminated"):
        body = stream.read(MAX_PAYLOAD_BYTES + 1)
        if len(body) > MAX_PAYLOAD_BYTES:
            raise RequestTooLarge()
        return body
    return b""
