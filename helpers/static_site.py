"""Serve a folder of static files on loopback, from an origin of its own.

The capstone page must come from a different origin than the API, so that the
browser really sends a CORS preflight; a tiny server in the kernel is enough.
``config`` becomes ``/config.js`` (``window.<KEY> = <value>``), so the page learns the
API's URL without a build step.
"""
from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Handler(SimpleHTTPRequestHandler):
    config_js = b""
    disable_nagle_algorithm = True

    def do_GET(self):
        if self.path.split("?")[0] == "/config.js":
            self.send_response(200)
            self.send_header("Content-Type", "application/javascript")
            self.send_header("Content-Length", str(len(self.config_js)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(self.config_js)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


class StaticSite:
    def __init__(self, folder: Path, config: dict, port: int = 0):
        handler_class = type("Handler", (_Handler,), {
            "config_js": "".join(f"window.{key} = {json.dumps(value)};\n" for key, value in config.items()).encode()})
        self._server = ThreadingHTTPServer(("127.0.0.1", port),
                                           functools.partial(handler_class, directory=str(folder)))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _repr_html_(self) -> str:
        return f"Serving the page at <a href='{self.url}' target='_blank'>{self.url}</a>"


_running: dict[str, StaticSite] = {}


def serve(folder: str | Path, config: dict | None = None, port: int = 0) -> StaticSite:
    """Serve ``folder`` (re-running the cell replaces the earlier server of the same folder)."""
    key = str(Path(folder).resolve())
    if key in _running:
        _running.pop(key).stop()
    site = StaticSite(Path(folder), config or {}, port)
    _running[key] = site
    return site
