"""Talking to a running local cloud's admin endpoint (health, settings, reset)."""
from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit


class AdminError(RuntimeError):
    pass


def request(url: str, method: str, path: str, body: Any = None, timeout: float = 5.0) -> Any:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    parsed = json.loads(data) if data else None
    if response.status >= 400:
        message = parsed.get("message") if isinstance(parsed, dict) else data.decode(errors="replace")
        raise AdminError(message)
    return parsed


def health(url: str, timeout: float = 1.0) -> dict[str, Any] | None:
    """The local cloud's health answer, or None if nothing healthy answers at ``url``."""
    try:
        answer = request(url, "GET", "/_localcloud/health", timeout=timeout)
    except (OSError, AdminError, ValueError, http.client.HTTPException):
        return None
    return answer if isinstance(answer, dict) and answer.get("status") == "ok" else None


def get_settings(url: str) -> dict[str, Any]:
    return request(url, "GET", "/_localcloud/settings")


def set_settings(url: str, **changes: Any) -> dict[str, Any]:
    return request(url, "POST", "/_localcloud/settings", changes)["applied"]


def reset(url: str) -> None:
    request(url, "POST", "/_localcloud/reset", timeout=30)
