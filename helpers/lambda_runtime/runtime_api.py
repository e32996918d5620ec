"""The Lambda Runtime API endpoint of one execution environment, on a loopback socket.

Every runtime (awslambdaric, the course's Python and Node.js clients, a custom
``bootstrap`` using curl) finds the API at ``AWS_LAMBDA_RUNTIME_API=host:port`` and
speaks plain HTTP/1.1 to it, so each environment gets its own small listener. There
is no thread per environment: whichever server thread is driving the environment
(an invoke, a provisioned-concurrency warm-up) reads the runtime's requests from
these sockets and answers them, which keeps a warm invoke to a few system calls.
https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html

Answers follow the API's documented shapes: ``/next`` carries the event with the
``Lambda-Runtime-*`` headers (and ``Content-Type``, without which awslambdaric's C
client hangs), ``/response`` and ``/error`` answer 202.
"""
from __future__ import annotations

import json
import selectors
import socket
from dataclasses import dataclass, field
from http import HTTPStatus

API_PREFIX = "/2018-06-01/runtime/"
MAX_HEADER_BYTES = 64 * 1024


class ProtocolError(Exception):
    """The runtime sent something that is not HTTP/1.1 we understand."""


@dataclass
class RuntimeRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    connection: "RuntimeConnection" = field(repr=False)

    @property
    def route(self) -> str:
        """The path after ``/2018-06-01/runtime/``, e.g. ``invocation/next``."""
        return self.path[len(API_PREFIX):] if self.path.startswith(API_PREFIX) else ""


class RuntimeConnection:
    """One TCP connection from the runtime, with its unparsed bytes."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buffer = bytearray()
        self.closed = False
        self._continue_sent = False

    def feed(self, data: bytes) -> None:
        self.buffer += data

    def next_request(self) -> RuntimeRequest | None:
        """A complete request from the buffer, or None while it is still arriving."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > MAX_HEADER_BYTES:
                raise ProtocolError("request headers too long")
            return None
        head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        try:
            method, target, _version = head[0].split(" ", 2)
        except ValueError:
            raise ProtocolError(f"bad request line {head[0]!r}") from None
        headers: dict[str, str] = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body_start = end + 4
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parsed = _parse_chunked(self.buffer, body_start)
            if parsed is None:
                self._send_continue(headers)
                return None
            body, consumed = parsed
        else:
            length = int(headers.get("content-length") or 0)
            if len(self.buffer) < body_start + length:
                self._send_continue(headers)
                return None
            body, consumed = bytes(self.buffer[body_start:body_start + length]), body_start + length
        del self.buffer[:consumed]
        self._continue_sent = False
        return RuntimeRequest(method.upper(), target.split("?", 1)[0], headers, body, self)

    def _send_continue(self, headers: dict[str, str]) -> None:
        """curl waits for ``100 Continue`` before sending a large body."""
        if headers.get("expect", "").lower() == "100-continue" and not self._continue_sent:
            self._continue_sent = True
            self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")

    def respond(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
                 f"Content-Length: {len(body)}"]
        if "Content-Type" not in (headers or {}):
            lines.append("Content-Type: application/json")
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        try:
            self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        except OSError:
            self.closed = True

    def respond_json(self, status: int, document: dict) -> None:
        self.respond(status, json.dumps(document).encode())

    def close(self) -> None:
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass


def _parse_chunked(buffer: bytearray, start: int) -> tuple[bytes, int] | None:
    body = bytearray()
    position = start
    while True:
        line_end = buffer.find(b"\r\n", position)
        if line_end < 0:
            return None
        size = int(bytes(buffer[position:line_end]).split(b";")[0] or b"0", 16)
        position = line_end + 2
        if size == 0:
            trailer_end = buffer.find(b"\r\n", position)
            return (bytes(body), trailer_end + 2) if trailer_end >= 0 else None
        if len(buffer) < position + size + 2:
            return None
        body += buffer[position:position + size]
        position += size + 2


class RuntimeApiEndpoint:
    """The listener of one environment and the connections its runtime opened.

    ``poll`` is the single place that waits: it accepts connections, reads their
    bytes and hands any other readable file (the environment's log pipe) to a
    callback, so one thread can serve the API and collect the output together.
    """

    def __init__(self, host: str = "127.0.0.1"):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind((host, 0))
        self.listener.listen(8)
        self.listener.setblocking(False)
        self.address = f"{host}:{self.listener.getsockname()[1]}"
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, None)
        self.connections: list[RuntimeConnection] = []
        self.orphans: list[RuntimeRequest] = []  # complete requests from connections now closed
        self.ever_connected = False

    def watch(self, fileobj, callback) -> None:
        """Call ``callback()`` whenever ``fileobj`` is readable during ``poll``."""
        self.selector.register(fileobj, selectors.EVENT_READ, callback)

    def unwatch(self, fileobj) -> None:
        try:
            self.selector.unregister(fileobj)
        except (KeyError, ValueError):
            pass

    def buffered_request(self) -> RuntimeRequest | None:
        if self.orphans:
            return self.orphans.pop(0)
        for connection in self.connections:
            request = connection.next_request()
            if request is not None:
                return request
        return None

    def poll(self, timeout: float) -> None:
        for key, _ in self.selector.select(timeout):
            if key.fileobj is self.listener:
                self._accept()
            elif isinstance(key.data, RuntimeConnection):
                self._read(key.data)
            else:
                key.data()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.settimeout(30.0)  # for sends; reads only happen once the selector says so
            connection = RuntimeConnection(sock)
            self.connections.append(connection)
            self.ever_connected = True
            self.selector.register(sock, selectors.EVENT_READ, connection)

    def _read(self, connection: RuntimeConnection) -> None:
        try:
            data = connection.sock.recv(262144)
        except (BlockingIOError, InterruptedError, socket.timeout):
            return
        except OSError:
            data = b""
        if data:
            connection.feed(data)
        else:
            try:  # a runtime may post /init/error and exit at once: keep what it said
                while (request := connection.next_request()) is not None:
                    self.orphans.append(request)
            except ProtocolError:
                pass
            self.unwatch(connection.sock)
            connection.close()
            self.connections.remove(connection)

    @property
    def has_open_connections(self) -> bool:
        return bool(self.connections)

    def close(self) -> None:
        for connection in list(self.connections):
            self.unwatch(connection.sock)
            connection.close()
        self.connections.clear()
        self.unwatch(self.listener)
        try:
            self.listener.close()
        except OSError:
            pass
        self.selector.close()
