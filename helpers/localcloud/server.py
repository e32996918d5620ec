"""The local cloud's HTTP server: threaded, TCP_NODELAY, loopback unless told otherwise."""
from __future__ import annotations

import errno
import ipaddress
import logging
import os
import signal
import socket
import sys
import threading

# jsonschema imports rfc3987_syntax whenever it is installed (JupyterLab brings it), and that
# package builds a Lark grammar at import: about a second of start-up, spent on an IRI format
# checker that moto's API Gateway OpenAPI import never uses here. Refusing the import makes
# jsonschema skip that one checker.
sys.modules.setdefault("rfc3987_syntax", None)

from werkzeug.serving import make_server

from ..errors import CourseError
from . import state
from .cloud import LocalCloud
from .http_handler import KeepAliveRequestHandler

log = logging.getLogger("localcloud")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host(host: str, allow_remote: bool) -> None:
    if not is_loopback(host) and not allow_remote:
        raise CourseError(
            f"Refusing to listen on {host}: the local cloud has no authentication worth the "
            "name, so anyone who can reach it can use it.",
            fix="Use --host 127.0.0.1 (the default), or add --allow-remote if you really mean it.",
        )


def check_port_free(host: str, port: int) -> None:
    """Werkzeug would print its own message and exit; say what to do instead."""
    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if os.name != "nt":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1)):
                raise CourseError(
                    f"Port {port} on {host} is already in use by another program.",
                    fix=f"Stop that program, or pick another port: COURSE_LOCAL_PORT=<port> "
                        f"(or --port <port>). To see who holds it: lsof -i :{port}",
                ) from None
            raise


def build_server(host: str, port: int, cloud: LocalCloud):
    check_port_free(host, port)
    return make_server(host, port, cloud, threaded=True, request_handler=KeepAliveRequestHandler)


def serve(host: str, port: int, allow_remote: bool = False, quiet: bool = False) -> int:
    """Run the local cloud in the foreground until SIGINT/SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    check_host(host, allow_remote)
    check_port_free(host, port)
    cloud = LocalCloud(host, port)
    server = build_server(host, port, cloud)
    cloud.port = server.server_port  # --port 0 picks a free one
    cloud.start()
    state.write_state(pid=os.getpid(), host=host, port=cloud.port, url=cloud.url)

    stopping = threading.Event()

    def _shutdown(signum, frame):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _shutdown)
    signal.signal(signal.SIGINT, _shutdown)
    print(f"Local cloud ready at {cloud.url}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        cloud.stop()
        server.server_close()
        state.clear_state(os.getpid())
    return 0
