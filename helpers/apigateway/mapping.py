"""Mapping templates: Velocity (VTL) with API Gateway's ``$input``, ``$util``, ``$context``, ``$stageVariables``.

"API Gateway mapping template and access logging variable reference" defines what
a template can use; "Integration passthrough behaviors" decides which template
applies (by the request's Content-Type, ``application/json`` when it has none) or
whether the body passes through unchanged / is refused with 415. The Velocity
engine is airspeed-ext (a maintained VTL implementation built for this purpose).
"""
from __future__ import annotations

import base64
import json
import re
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus, unquote_plus

import airspeed

from . import media_types
from .gateway_errors import BadRequest, InternalServerError, UnsupportedMediaType

DEFAULT_CONTENT_TYPE = "application/json"


class BodyNotJson(BadRequest):
    """``$input.json``/``$input.path`` on a payload that is not JSON."""


# -- Java-flavoured containers: how Velocity prints maps and lists -----------------
class VtlMap(dict):
    def __str__(self) -> str:
        return "{" + ", ".join(f"{k}={_java_str(v)}" for k, v in self.items()) + "}"


class VtlList(list):
    def __str__(self) -> str:
        return "[" + ", ".join(_java_str(v) for v in self) + "]"


class JsonList(VtlList):
    """A JSON array reached through ``$input.path``: prints as compact JSON, as on AWS."""

    def __str__(self) -> str:
        return json.dumps(self, separators=(",", ":"))


def _java_str(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_vtl(value: Any, list_type: type = VtlList) -> Any:
    if isinstance(value, dict):
        return VtlMap((k, to_vtl(v, list_type)) for k, v in value.items())
    if isinstance(value, list):
        return list_type(to_vtl(v, list_type) for v in value)
    return value


_METHODS = airspeed.operators.__additional_methods__
_METHODS[VtlMap] = {**_METHODS[dict],
                    "size": lambda self: len(self), "isEmpty": lambda self: not self,
                    "containsKey": lambda self, key: key in self, "values": lambda self: VtlList(self.values()),
                    "entrySet": lambda self: VtlList(VtlMap(key=k, value=v) for k, v in self.items())}
_METHODS[VtlList] = {**_METHODS[list], "toString": lambda self: str(self)}
_METHODS[JsonList] = _METHODS[VtlList]


# -- JSONPath ---------------------------------------------------------------------
@lru_cache(maxsize=512)
def _compiled_path(expression: str):
    from jsonpath_ng.ext import parse

    return parse(expression)


def json_path(document: Any, expression: str) -> Any:
    """One match → that value, several → a list, none → None."""
    expression = (expression or "$").strip()
    if expression == "$":
        return document
    try:
        found = [match.value for match in _compiled_path(expression).find(document)]
    except Exception as error:  # a malformed expression is a template bug: 500 on AWS too
        raise InternalServerError(log=f"Invalid JSONPath expression {expression!r}: {error}") from None
    if not found:
        return None
    return found[0] if len(found) == 1 else found


# -- $input -------------------------------------------------------------------------
class MappingInput:
    """``$input``: the payload (``body``, ``json()``, ``path()``) and ``params()``."""

    def __init__(self, body: str, params: dict[str, dict[str, str]]):
        self._body = body
        self._params = params
        self._parsed: Any = None
        self._parsed_ready = False

    @property
    def body(self) -> str:
        return self._body if self._body else "{}"

    def _document(self) -> Any:
        if not self._parsed_ready:
            text = self._body.strip() if self._body else ""
            if not text:
                self._parsed = {}
            else:
                try:
                    self._parsed = json.loads(text)
                except ValueError as error:
                    raise BodyNotJson(f"Could not parse request body into json: Could not parse payload into "
                                      f"json: {error.msg} at line {error.lineno}, column {error.colno}") from None
            self._parsed_ready = True
        return self._parsed

    def json(self, expression: str = "$") -> str:
        return json.dumps(json_path(self._document(), expression), separators=(",", ":"))

    def path(self, expression: str = "$") -> Any:
        return to_vtl(json_path(self._document(), expression), JsonList)

    def params(self, name: str | None = None) -> Any:
        if name is None:
            return VtlMap((kind, VtlMap(values)) for kind, values in self._params.items())
        for kind in ("path", "querystring"):
            if name in self._params.get(kind, {}):
                return self._params[kind][name]
        headers = self._params.get("header", {})
        if name in headers:
            return headers[name]
        lowered = name.lower()
        for key, value in headers.items():
            if key.lower() == lowered:
                return value
        return ""


# -- $util --------------------------------------------------------------------------
class MappingUtil:
    """``$util``: escapeJavaScript, parseJson, urlEncode/urlDecode, base64Encode/base64Decode."""

    _JS_ESCAPES = {"\\": "\\\\", '"': '\\"', "'": "\\'", "/": "\\/", "\b": "\\b", "\f": "\\f",
                   "\n": "\\n", "\r": "\\r", "\t": "\\t"}

    def escapeJavaScript(self, value: Any) -> str:  # noqa: N802 (the AWS name)
        text = _java_str(value)
        out = []
        for char in text:
            if char in self._JS_ESCAPES:
                out.append(self._JS_ESCAPES[char])
            elif ord(char) < 32 or ord(char) > 126:
                out.append(f"\\u{ord(char):04X}" if ord(char) <= 0xFFFF else
                           "".join(f"\\u{unit:04X}" for unit in _utf16_units(char)))
            else:
                out.append(char)
        return "".join(out)

    def parseJson(self, text: Any) -> Any:  # noqa: N802
        try:
            return to_vtl(json.loads(str(text)))
        except ValueError as error:
            raise InternalServerError(log=f"$util.parseJson could not parse {str(text)[:80]!r}: {error}") from None

    def urlEncode(self, text: Any) -> str:  # noqa: N802
        return quote_plus(_java_str(text), safe="*").replace("~", "%7E")

    def urlDecode(self, text: Any) -> str:  # noqa: N802
        return unquote_plus(_java_str(text))

    def base64Encode(self, text: Any) -> str:  # noqa: N802
        return base64.b64encode(_java_str(text).encode()).decode()

    def base64Decode(self, text: Any) -> str:  # noqa: N802
        try:
            return base64.b64decode(_java_str(text)).decode("utf-8", "replace")
        except ValueError as error:
            raise InternalServerError(log=f"$util.base64Decode: {error}") from None


def _utf16_units(char: str) -> list[int]:
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)]


# -- rendering ------------------------------------------------------------------------
@lru_cache(maxsize=512)
def _compiled_template(text: str) -> airspeed.Template:
    return airspeed.Template(text)


def render(template: str, body: str, params: dict[str, dict[str, str]], context: dict[str, Any],
           stage_variables: dict[str, str] | None) -> tuple[str, dict[str, Any]]:
    """Render ``template``; returns the output and the (possibly set) ``$context`` overrides."""
    context_copy = to_vtl(context)
    context_copy.setdefault("requestOverride", VtlMap(header=VtlMap(), path=VtlMap(), querystring=VtlMap()))
    context_copy.setdefault("responseOverride", VtlMap(header=VtlMap(), status=0))
    namespace = {"input": MappingInput(body, params), "util": MappingUtil(), "context": context_copy,
                 "stageVariables": VtlMap(stage_variables or {})}
    try:
        output = _compiled_template(template).merge(namespace)
    except BadRequest:
        raise
    except Exception as error:
        cause = error
        while cause.__cause__ is not None or cause.__context__ is not None:  # airspeed wraps errors
            inner = cause.__cause__ or cause.__context__
            if isinstance(inner, BadRequest):
                raise inner from None
            cause = inner
        raise InternalServerError(log=f"Mapping template could not be rendered: {error}") from None
    return output, context_copy


def select_request_template(templates: dict[str, str], content_type: str | None,
                            passthrough: str) -> str | None:
    """The template for this Content-Type, None for passthrough, or 415 (passthrough rules)."""
    wanted = media_types.essence(content_type) or DEFAULT_CONTENT_TYPE
    for media_type, template in templates.items():
        if media_types.essence(media_type) == wanted:
            return template or ""
    if passthrough == "WHEN_NO_MATCH" or (passthrough == "WHEN_NO_TEMPLATES" and not templates):
        return None
    raise UnsupportedMediaType(log=f"Request Content-Type {wanted!r} matches no mapping template "
                                   f"(passthroughBehavior {passthrough})")


def select_response_template(templates: dict[str, str], accept: str | None) -> str | None:
    """By the first ``Accept`` type, else ``application/json``, else the first one defined."""
    if not templates:
        return None
    wanted = media_types.first_accept(accept)
    for media_type, template in templates.items():
        if media_types.essence(media_type) == wanted:
            return template
    if DEFAULT_CONTENT_TYPE in templates:
        return templates[DEFAULT_CONTENT_TYPE]
    return next(iter(templates.values()))


_OVERRIDE_STATUS = re.compile(r"^\d{3}$")


def status_override(overrides: dict[str, Any]) -> int | None:
    """``#set($context.responseOverride.status = 400)``: honoured when it is 100–599."""
    status = (overrides.get("responseOverride") or {}).get("status")
    if isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599:
        return status
    if isinstance(status, str) and _OVERRIDE_STATUS.match(status) and 100 <= int(status) <= 599:
        return int(status)
    return None
