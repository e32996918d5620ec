"""Floors measured in the same run, so each figure can be read as a ratio to what the
machine can do at best: a bare http.server keep-alive round trip with TCP_NODELAY,
and a bare fork + pipe round trip."""
from __future__ import annotations

import http.client
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .stats import row, time_calls


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def http_floor(n: int) -> dict:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port)

    def call():
        connection.request("GET", "/")
        connection.getresponse().read()

    samples = time_calls(call, n)
    connection.close()
    server.shutdown()
    return row("floor: http.server keep-alive round trip (TCP_NODELAY)", samples, None)


def fork_floor(n: int) -> dict | None:
    if not hasattr(os, "fork"):
        return None
    samples = []
    for _ in range(n):
        parent_read, child_write = os.pipe()
        begin = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.write(child_write, b"x")
            os._exit(0)
        os.read(parent_read, 1)
        samples.append((time.perf_counter() - begin) * 1000)
        os.waitpid(pid, 0)
        os.close(parent_read)
        os.close(child_write)
    return row("floor: fork + pipe round trip", samples, None)


def run(quick: bool) -> list[dict]:
    n = 50 if quick else 2000
    rows = [http_floor(n)]
    forked = fork_floor(20 if quick else 300)
    if forked:
        rows.append(forked)
    return rows
