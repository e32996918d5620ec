"""The local cloud as one WSGI application: extensions first, moto's control plane behind them."""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from typing import Any, Callable, Iterable

from .. import settings as course_settings
from . import identity
from .extensions import Extension, load_extension_classes

log = logging.getLogger("localcloud")


def json_response(start_response: Callable, status: int, body: Any,
                  headers: dict[str, str] | None = None) -> list[bytes]:
    """A small JSON answer for the local cloud's own endpoints."""
    from http import HTTPStatus

    payload = json.dumps(body).encode()
    all_headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    all_headers += list((headers or {}).items())
    start_response(f"{status} {HTTPStatus(status).phrase}", all_headers)
    return [payload]


class LocalCloud:
    """Holds what every part of the local cloud shares: its URL, settings and extensions."""

    def __init__(self, host: str, port: int, environ: dict[str, str] | None = None):
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

        self.host = host
        self.port = port
        self.started_at = time.time()
        self.account_id = identity.ACCOUNT_ID
        self.moto_app = DomainDispatcherApplication(create_backend_app)
        environ = dict(os.environ if environ is None else environ)
        self.settings: dict[str, Any] = {
            name: setting.read(environ) for name, setting in course_settings.REGISTRY.items()
        }
        self._settings_lock = threading.Lock()
        self.extensions: list[Extension] = [cls(self) for cls in load_extension_classes()]
        # Re-read: extensions may have registered settings while being imported.
        for name, setting in course_settings.REGISTRY.items():
            self.settings.setdefault(name, setting.read(environ))
        self._routes = [(ext.path_prefixes, ext) for ext in self.extensions if ext.path_prefixes]

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    def extension(self, name: str) -> Extension:
        for ext in self.extensions:
            if ext.name == name:
                return ext
        raise KeyError(name)

    # -- lifecycle -------------------------------------------------------
    def start(self) -> None:
        identity.ensure_local_identity()
        for ext in self.extensions:
            ext.start()

    def stop(self) -> None:
        for ext in reversed(self.extensions):
            try:
                ext.stop()
            except Exception:  # a failing part must not keep the others running
                log.exception("stopping %s failed", ext.name)

    def reset(self) -> None:
        """Wipe every service's state, then recreate the local identity."""
        from moto.moto_api._internal.models import moto_api_backend

        for ext in self.extensions:
            ext.on_reset()
        moto_api_backend.reset()
        identity.ensure_local_identity()

    def update_settings(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply runtime-changeable settings; refuse the rest with a reason."""
        converted = {}
        for name, raw in changes.items():
            setting = course_settings.REGISTRY.get(name)
            if setting is None:
                raise course_settings.SettingError(f"unknown setting {name!r}")
            if not setting.runtime:
                raise course_settings.SettingError(
                    f"{name} is read once at start; set it in the environment and restart "
                    f"the local cloud (python -m helpers.localcloud stop, then start)")
            converted[name] = setting.convert(raw)
        with self._settings_lock:
            self.settings.update(converted)
        for ext in self.extensions:
            ext.on_settings_changed(converted)
        return converted

    # -- WSGI --------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        for prefixes, ext in self._routes:
            if path.startswith(prefixes):
                answer = ext.handle(environ, start_response)
                if answer is not None:
                    return answer
        if self.settings.get("COURSE_LOG_REQUESTS"):
            log.info("%s %s", environ.get("REQUEST_METHOD"), path)
        return self.moto_app(environ, start_response)
