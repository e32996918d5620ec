"""Parameter mapping: ``requestParameters`` / ``responseParameters`` of integrations.

"Parameter mapping source reference for REST APIs": a target such as
``integration.request.header.x-id`` or ``method.response.header.Access-Control-Allow-Origin``
takes its value from a source expression: a static value in single quotes
(``'*'``), ``method.request.{path,querystring,header,multivaluequerystring,multivalueheader}.NAME``,
``method.request.body[.JSONPath]``, ``integration.response.header.NAME``,
``integration.response.multivalueheader.NAME``, ``integration.response.body[.JSONPath]``,
``context.VAR`` or ``stageVariables.NAME``. A source that resolves to nothing maps nothing.
"""
from __future__ import annotations

import json
from typing import Any


def resolve(expression: str, sources: dict[str, Any]) -> str | None:
    """The value of one source expression; ``sources`` holds what the expression may read."""
    expression = (expression or "").strip()
    if len(expression) >= 2 and expression[0] == "'" and expression[-1] == "'":
        return expression[1:-1]
    for prefix, kind in (("method.request.", "method"), ("integration.response.", "integration")):
        if expression.startswith(prefix):
            return _from_message(expression[len(prefix):], sources.get(kind) or {})
    if expression.startswith("context."):
        return _dotted(sources.get("context") or {}, expression[len("context."):])
    if expression.startswith("stageVariables."):
        value = (sources.get("stageVariables") or {}).get(expression[len("stageVariables."):])
        return None if value is None else str(value)
    return None


def _from_message(rest: str, message: dict[str, Any]) -> str | None:
    """``header.X`` / ``querystring.X`` / ``path.X`` / ``multivalue…`` / ``body[.path]``."""
    if rest == "body" or rest.startswith("body."):
        body = message.get("body") or ""
        if rest == "body":
            return body
        from .mapping import json_path

        try:
            document = json.loads(body) if body else {}
        except ValueError:
            return None
        value = json_path(document, "$" + rest[len("body"):])
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    kind, _, name = rest.partition(".")
    if kind in ("header", "multivalueheader"):
        values = [v for n, v in message.get("headers", []) if n.lower() == name.lower()]
        if not values:
            return None
        return values[-1] if kind == "header" else ",".join(values)
    if kind in ("querystring", "multivaluequerystring"):
        values = [v for n, v in message.get("query", []) if n == name]
        if not values:
            return None
        return values[-1] if kind == "querystring" else ",".join(values)
    if kind == "path":
        return (message.get("path") or {}).get(name)
    return None


def _dotted(root: dict[str, Any], dotted: str) -> str | None:
    value: Any = root
    for key in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, (dict, list)) else str(value)


def map_targets(mapping: dict[str, str], prefix: str, sources: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Apply every ``prefix<kind>.<name>`` target: ``{"header": {...}, "querystring": {...}, "path": {...}}``."""
    result: dict[str, dict[str, str]] = {"header": {}, "querystring": {}, "path": {}}
    for target, expression in mapping.items():
        if not target.startswith(prefix):
            continue
        kind, _, name = target[len(prefix):].partition(".")
        if kind not in result or not name:
            continue
        value = resolve(expression, sources)
        if value is not None:
            result[kind][name] = value
    return result
