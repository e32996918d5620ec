"""The zygote: a small single-threaded process that forks new execution environments.

A cold start on Lambda pays for a process start and the runtime's own imports before
the function's INIT code runs. Starting a fresh interpreter here costs ~40 ms, and
the local cloud server cannot fork itself (it is multi-threaded: a fork would copy
locks held by other threads). So the server starts this process once, it imports the
runtime (awslambdaric without its C client, see ``_localcloud_launch.run_python``)
and nothing of any function, and then forks one child per new environment (~1 ms).
Each child calls ``_localcloud_launch.run``: the function's own imports still happen
in the child, inside the measured INIT phase, as on AWS.

Protocol on the control socket (AF_UNIX, SOCK_SEQPACKET, from the server): messages
are a 4-byte big-endian length and a JSON object; a ``spawn`` message carries the write end of
the environment's log pipe as an SCM_RIGHTS file descriptor. Answers: ``{"id", "pid"}``
for each spawn and ``{"exited": pid, "code": exit code or -signal}`` when a child ends.
When the server goes away (EOF), every child is killed and the zygote exits.

Run as ``python _localcloud_zygote.py <control fd>``; standard library only.
"""
from __future__ import annotations

import gc
import json
import os
import selectors
import signal
import socket
import struct
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = struct.Struct(">I")
_LIBC = None  # the C library, loaded once in the zygote (ctypes costs ~1.5 ms to import)
MAX_MESSAGE = 1 << 20


def preload() -> bool:
    """Import what every Python environment needs; True when awslambdaric is there.

    Not http.client: it imports ssl (6 MB more to map, and to fork); awslambdaric's C
    client does not need it, and the course's client imports it when it runs.
    """
    import _localcloud_launch  # noqa: F401
    import _localcloud_pyclient  # noqa: F401
    if sys.platform.startswith("linux"):
        global _LIBC
        import ctypes

        try:
            _LIBC = ctypes.CDLL(None, use_errno=True)
            # awslambdaric's C client is C++: with libstdc++ already mapped, loading it in
            # the child costs 0.3 ms instead of 1.3 ms.
            ctypes.CDLL("libstdc++.so.6", mode=ctypes.RTLD_GLOBAL)
        except OSError:
            pass
    warm_up_unzip()
    import importlib  # noqa: F401
    import logging  # noqa: F401
    import tempfile  # noqa: F401
    import zipfile  # noqa: F401

    sys.modules["runtime_client"] = None  # block the C client: it would read the address now
    try:
        import awslambdaric.bootstrap  # noqa: F401
        import awslambdaric.lambda_runtime_client  # noqa: F401
        available = True
    except ImportError:
        available = False
    finally:
        del sys.modules["runtime_client"]
    if HERE in sys.path:
        sys.path.remove(HERE)
    return available


def warm_up_unzip() -> None:
    """Unzip a tiny package once, so the children find zipfile's lazy imports done."""
    import io
    import shutil
    import tempfile
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("warm_up.py", "pass\n")
    folder = tempfile.mkdtemp(prefix="localcloud-zygote-")
    try:
        _localcloud_launch_extract(buffer, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _localcloud_launch_extract(buffer, folder: str) -> None:
    import _localcloud_launch

    buffer.seek(0)
    _localcloud_launch.extract(buffer, folder)


def read_message(sock: socket.socket) -> tuple[dict | None, list[int]]:
    """One message and the file descriptors sent with it; (None, []) at EOF.

    The socket is SOCK_SEQPACKET, so one receive is exactly one message.
    """
    data, fds, _flags, _addr = socket.recv_fds(sock, MAX_MESSAGE, 4)
    if not data:
        return None, []
    (length,) = HEADER.unpack_from(data)
    return json.loads(data[HEADER.size:HEADER.size + length]), list(fds)


def send_message(sock: socket.socket, message: dict) -> None:
    payload = json.dumps(message).encode()
    sock.sendall(HEADER.pack(len(payload)) + payload)


def die_with_parent() -> None:
    """Linux: the kernel kills this child if the zygote dies, so no environment outlives it."""
    if _LIBC is None:
        return
    try:
        _LIBC.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except AttributeError:
        pass


def child_main(spec: dict, log_fd: int, close_fds: list[int]) -> None:
    """In the forked child: become the environment's worker process. Never returns."""
    code = 1
    try:
        os.setsid()  # its own process group: the server kills the group, helpers included
        die_with_parent()
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for fd in close_fds:
            try:
                os.close(fd)
            except OSError:
                pass
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        os.close(log_fd)
        import _localcloud_launch

        _localcloud_launch.run(spec)
        code = 0
    except SystemExit as exit_request:
        code = exit_request.code if isinstance(exit_request.code, int) else (0 if exit_request.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def exit_code(status: int) -> int:
    return os.waitstatus_to_exitcode(status)


def serve(control: socket.socket) -> None:
    children: set[int] = set()
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the server's terminal is the server's
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ, "control")
    selector.register(wake_read, selectors.EVENT_READ, "wake")
    gc.freeze()  # children share these objects' pages instead of copying them
    while True:
        for key, _ in selector.select():
            if key.data == "wake":
                try:
                    os.read(wake_read, 4096)
                except BlockingIOError:
                    pass
                while children:
                    try:
                        pid, status = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if pid == 0:
                        break
                    children.discard(pid)
                    send_message(control, {"exited": pid, "code": exit_code(status)})
                continue
            message, fds = read_message(control)
            if message is None:
                for pid in children:
                    try:
                        os.killpg(pid, signal.SIGKILL)
                    except OSError:
                        pass
                return
            pid = os.fork()
            if pid == 0:
                child_main(message["spec"], fds[0], [control.fileno(), wake_read, wake_write])
            for fd in fds:
                os.close(fd)
            children.add(pid)
            send_message(control, {"id": message["id"], "pid": pid})


def main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    available = preload()
    send_message(control, {"ready": True, "awslambdaric": available, "pid": os.getpid(),
                           "python": f"{sys.version_info.major}.{sys.version_info.minor}"})
    serve(control)


if __name__ == "__main__":
    main()
