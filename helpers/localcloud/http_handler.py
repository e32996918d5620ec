"""The local cloud's request handler: HTTP/1.1 keep-alive and TCP_NODELAY.

Werkzeug's development handler answers every request with ``Connection: close``,
so each boto3 or ``requests.Session`` call pays a new TCP connection and a new
server thread. AWS endpoints keep connections alive, and the course's speed
targets assume it, so this handler keeps them open: it hands the application a
body stream limited to ``Content-Length``, drains what the application left
unread before reading the next request line, and frames responses without a
length as chunked. A chunked *request* body cannot be drained safely, so that
connection is closed after its response.
"""
from __future__ import annotations

import logging
from typing import Any

from moto.moto_server.werkzeug_app import MotoRequestHandler
from werkzeug.wsgi import LimitedStream

_NO_BODY_STATUSES = {204, 304}
log = logging.getLogger("localcloud")


class KeepAliveRequestHandler(MotoRequestHandler):
    protocol_version = "HTTP/1.1"
    # Python's http.server sends headers and body in separate writes; with Nagle on, a
    # keep-alive client's delayed ACK stalls each request ~40 ms (cpython #108736).
    disable_nagle_algorithm = True

    def log_request(self, code: Any = "-", size: Any = "-") -> None:  # access log is opt-in
        pass

    def run_wsgi(self) -> None:
        if self.headers.get("Expect", "").lower().strip() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        environ = self.make_environ()
        body = None
        if environ.get("wsgi.input_terminated"):
            self.close_connection = True  # chunked upload: its end cannot be found safely
        else:
            body = LimitedStream(self.rfile, int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = body
        response = _Response(self, environ["REQUEST_METHOD"])
        try:
            result = self.server.app(environ, response.start)
            try:
                for chunk in result:
                    response.write(chunk)
                response.finish()
            finally:
                if hasattr(result, "close"):
                    result.close()
        except (ConnectionError, TimeoutError):
            self.close_connection = True
            return
        except Exception:
            self.close_connection = True
            if not response.headers_sent:
                response.reset()
                message = b"Internal Server Error"
                response.start("500 INTERNAL SERVER ERROR",
                               [("Content-Type", "text/plain"), ("Content-Length", str(len(message)))])
                response.write(message)
                response.finish()
            log.exception("Error on request %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            return
        if body is not None and not self.close_connection:
            body.exhaust()  # the next request line starts right after this body


class _Response:
    """One response on a kept-alive connection: status and headers go out with the first bytes."""

    def __init__(self, handler: KeepAliveRequestHandler, method: str):
        self.handler = handler
        self.method = method
        self.reset()

    def reset(self) -> None:
        self.status: str | None = None
        self.headers: list[tuple[str, str]] = []
        self.headers_sent = False
        self.chunked = False

    def start(self, status: str, headers: list[tuple[str, str]], exc_info=None):
        if exc_info is not None and self.headers_sent:
            raise exc_info[1].with_traceback(exc_info[2])
        self.status, self.headers = status, headers
        return self.write

    def _send_headers(self, first_bytes: bytes = b"") -> None:
        """Status line, headers and the first body bytes in one write (one segment, no stall)."""
        handler = self.handler
        code_text, _, reason = (self.status or "500 INTERNAL SERVER ERROR").partition(" ")
        code = int(code_text)
        handler.send_response(code, reason)
        names = set()
        for name, value in self.headers:
            handler.send_header(name, value)  # a "Connection: close" here also ends keep-alive
            names.add(name.lower())
        if not ("content-length" in names or self.method == "HEAD" or code < 200
                or code in _NO_BODY_STATUSES):
            if handler.request_version >= "HTTP/1.1":
                self.chunked = True
                handler.send_header("Transfer-Encoding", "chunked")
            else:
                handler.close_connection = True
        if handler.close_connection:
            handler.send_header("Connection", "close")
        handler._headers_buffer.append(b"\r\n" + self._frame(first_bytes))
        handler.flush_headers()
        self.headers_sent = True

    def _frame(self, data: bytes) -> bytes:
        if self.chunked and data:
            return b"%x\r\n%s\r\n" % (len(data), data)
        return data

    def write(self, data: bytes) -> None:
        if not self.headers_sent:
            self._send_headers(data)
        elif data:
            self.handler.wfile.write(self._frame(data))

    def finish(self) -> None:
        if not self.headers_sent:
            self._send_headers()
        if self.chunked:
            self.handler.wfile.write(b"0\r\n\r\n")
