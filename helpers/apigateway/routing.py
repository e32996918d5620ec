"""Which resource and method answer a request path, with API Gateway's precedence.

Rules (REST API developer guide, "Set up a proxy integration with a proxy resource"
and "Understand API Gateway Lambda proxy integration"):

- a literal path part (``/welcome``) beats a path variable (``/{id}``), which beats a
  greedy variable (``/{proxy+}``);
- ``{proxy+}`` is greedy (it spans ``/``) and needs at least one character, so it
  never matches ``/`` itself: the root needs its own method;
- ``ANY`` covers every HTTP method, and a method defined on the resource wins over
  ``ANY`` on the same resource;
- a trailing slash is ignored when matching (``/pets/`` routes like ``/pets``);
- when nothing matches, API Gateway answers 403 Missing Authentication Token.

A path part that matches but has no method for the request falls through to the
next candidate (e.g. ``POST /welcome`` beside ``GET /welcome`` and ``ANY /{proxy+}``
goes to the proxy), so the search backtracks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .snapshot import FrozenMethod, FrozenResource


@dataclass
class _Node:
    resource: FrozenResource | None = None
    literals: dict[str, "_Node"] = field(default_factory=dict)
    variables: list[tuple[str, "_Node"]] = field(default_factory=list)   # ("id", node)
    greedy: list[tuple[str, "_Node"]] = field(default_factory=list)      # ("proxy", node)


@dataclass(frozen=True)
class RouteMatch:
    resource: FrozenResource
    method: FrozenMethod
    path_parameters: dict[str, str]


class ResourceRouter:
    """A tree of the deployment's resources, built once per frozen deployment."""

    def __init__(self, resources: Iterable[FrozenResource]):
        self._root = _Node()
        for resource in resources:
            self._insert(resource)

    def _insert(self, resource: FrozenResource) -> None:
        node = self._root
        for part in _segments(resource.path):
            if part.startswith("{") and part.endswith("+}"):
                child = _Node()
                node.greedy.append((part[1:-2], child))
            elif part.startswith("{") and part.endswith("}"):
                name = part[1:-1]
                child = next((n for v, n in node.variables if v == name), None)
                if child is None:
                    child = _Node()
                    node.variables.append((name, child))
            else:
                child = node.literals.setdefault(part, _Node())
            node = child
        node.resource = resource

    def match(self, http_method: str, path: str) -> RouteMatch | None:
        """The best (resource, method) for ``http_method path``, or None (→ 403)."""
        return self._search(self._root, _segments(path), 0, http_method.upper(), {})

    def _search(self, node: _Node, parts: list[str], index: int, http_method: str,
                params: dict[str, str]) -> RouteMatch | None:
        if index == len(parts):
            return _method_match(node, http_method, params)
        part = parts[index]
        child = node.literals.get(part)
        if child is not None:
            found = self._search(child, parts, index + 1, http_method, params)
            if found:
                return found
        for name, child in node.variables:
            found = self._search(child, parts, index + 1, http_method, {**params, name: part})
            if found:
                return found
        for name, child in node.greedy:
            # Greedy: the rest of the path, at least one segment (so never "").
            found = _method_match(child, http_method, {**params, name: "/".join(parts[index:])})
            if found:
                return found
        return None


def _method_match(node: _Node, http_method: str, params: dict[str, str]) -> RouteMatch | None:
    resource = node.resource
    if resource is None:
        return None
    method = resource.methods.get(http_method) or resource.methods.get("ANY")
    if method is None:
        return None
    return RouteMatch(resource, method, params)


def _segments(path: str) -> list[str]:
    """Non-empty path parts: ``//a/b/`` → ``["a", "b"]`` (extra and trailing slashes ignored)."""
    return [part for part in path.split("/") if part]
