"""The local cloud's own endpoints under ``/_localcloud/``: health, settings, reset.

``helpers`` wraps these (``helpers.localcloud.client``) so a notebook can turn a
knob for a demo without restarting anything.
"""
from __future__ import annotations

import json
from typing import Any, Callable

from .. import settings as course_settings
from .cloud import json_response
from .extensions import Extension

PREFIX = "/_localcloud/"


class AdminExtension(Extension):
    name = "admin"
    path_prefixes = (PREFIX, "/moto-api/reset")

    def handle(self, environ: dict[str, Any], start_response: Callable):
        method = environ["REQUEST_METHOD"]
        path = environ["PATH_INFO"]
        if path == "/moto-api/reset" and method == "POST":
            # moto's own reset would also wipe the local identity; route it through ours.
            self.cloud.reset()
            return json_response(start_response, 200, {"status": "ok"})
        if not path.startswith(PREFIX):
            return None
        action = path[len(PREFIX):].strip("/")
        if action == "health" and method == "GET":
            return json_response(start_response, 200, self.health())
        if action == "settings" and method == "GET":
            return json_response(start_response, 200, self.cloud.settings)
        if action == "settings" and method in ("POST", "PATCH"):
            try:
                changes = json.loads(_read_body(environ) or b"{}")
                if not isinstance(changes, dict):
                    raise course_settings.SettingError("send a JSON object of {name: value}")
                applied = self.cloud.update_settings(changes)
            except (ValueError, course_settings.SettingError) as error:
                return json_response(start_response, 400, {"message": str(error)})
            return json_response(start_response, 200, {"applied": applied, "settings": self.cloud.settings})
        if action == "reset" and method == "POST":
            self.cloud.reset()
            return json_response(start_response, 200, {"status": "ok"})
        return json_response(start_response, 404, {"message": f"no admin action {method} {path}"})

    def health(self) -> dict[str, Any]:
        import os

        return {"status": "ok", "pid": os.getpid(), "url": self.cloud.url,
                "account": self.cloud.account_id, "started": self.cloud.started_at,
                "extensions": [ext.name for ext in self.cloud.extensions]}


def _read_body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""
