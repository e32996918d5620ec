"""Starting the worker process of an execution environment: fork from the zygote, or spawn.

``fork`` asks the pre-started zygote (``sandbox/_localcloud_zygote.py``) for a child,
a millisecond or so; ``spawn`` starts ``python sandbox/_localcloud_launch.py spec.json``,
tens of milliseconds, and works everywhere. Both hand back a ``WorkerProcess`` whose
stdout and stderr are the environment's log pipe, in its own process group so that
killing it also ends whatever it started.
"""
from __future__ import annotations

import itertools
import json
import logging
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path

log = logging.getLogger("localcloud.lambda")

SANDBOX_DIR = Path(__file__).resolve().parent / "sandbox"
ZYGOTE_SCRIPT = SANDBOX_DIR / "_localcloud_zygote.py"
LAUNCH_SCRIPT = SANDBOX_DIR / "_localcloud_launch.py"
HEADER = struct.Struct(">I")
MAX_MESSAGE = 1 << 20


class LaunchFailed(Exception):
    """The worker process could not be started at all."""


class WorkerProcess:
    """A running environment process, whichever way it was started.

    A zygote child's pid arrives a little after the fork (the zygote answers while the
    child already runs), so ``pid`` may wait for it; nothing on the INIT path needs it.
    """

    def __init__(self, pid: int | None = None, popen: subprocess.Popen | None = None):
        self._pid = pid
        self._pid_known = threading.Event()
        if pid is not None:
            self._pid_known.set()
        self._popen = popen
        self._exit_code: int | None = None
        self._exited = threading.Event()

    def set_pid(self, pid: int | None) -> None:
        """The zygote's answer (None: it never came, the process is as good as dead)."""
        self._pid = pid
        self._pid_known.set()
        if pid is None:
            self.mark_exited(-getattr(signal, "SIGKILL", 9))

    @property
    def pid(self) -> int | None:
        if not self._pid_known.wait(10.0):
            self.set_pid(None)
        return self._pid

    def mark_exited(self, code: int) -> None:
        self._exit_code = code
        self._exited.set()

    @property
    def exit_code(self) -> int | None:
        if self._popen is not None and not self._exited.is_set():
            code = self._popen.poll()
            if code is not None:
                self.mark_exited(code)
        return self._exit_code

    def alive(self) -> bool:
        return self.exit_code is None

    def wait_exit(self, timeout: float) -> int | None:
        if self._popen is not None:
            try:
                self.mark_exited(self._popen.wait(timeout))
            except subprocess.TimeoutExpired:
                return None
        else:
            self._exited.wait(timeout)
        return self._exit_code

    def kill(self) -> None:
        """SIGKILL the process group, as Lambda freezes and discards a sandbox: no clean-up runs."""
        if not self.alive() or self.pid is None:
            return
        if os.name == "nt":
            if self._popen is not None:
                self._popen.kill()
            return
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                os.kill(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self._popen is not None:
            try:
                self.mark_exited(self._popen.wait(2))
            except subprocess.TimeoutExpired:
                pass


class Zygote:
    """The server's side of the zygote: start it, ask it for children, learn when they exit."""

    def __init__(self, python: str = sys.executable):
        self.python = python
        self.process: subprocess.Popen | None = None
        self.control: socket.socket | None = None
        self.has_awslambdaric = False
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._waiting: dict[int, WorkerProcess] = {}
        self._children: dict[int, WorkerProcess] = {}
        self._early_exits: dict[int, int] = {}
        self._reader: threading.Thread | None = None
        self._closed = False

    def start(self, timeout: float = 20.0) -> None:
        server_end, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # A small environment: every child clears it before setting its own, and the zygote
        # needs only the standard library and site-packages (no PYTHONPATH).
        env = {name: os.environ[name] for name in ("PATH", "LANG", "SYSTEMROOT") if name in os.environ}
        self.process = subprocess.Popen(
            [self.python, str(ZYGOTE_SCRIPT), str(zygote_end.fileno())],
            pass_fds=(zygote_end.fileno(),), stdin=subprocess.DEVNULL, env=env,
            cwd=str(SANDBOX_DIR), close_fds=True)
        zygote_end.close()
        server_end.settimeout(timeout)
        try:
            hello = self._receive(server_end)
        except (OSError, ValueError) as error:
            self.process.kill()
            raise LaunchFailed(f"the Lambda zygote did not start: {error}") from None
        if not hello or not hello.get("ready"):
            self.process.kill()
            raise LaunchFailed("the Lambda zygote did not start (see the local cloud's log)")
        server_end.settimeout(None)
        self.control = server_end
        self.has_awslambdaric = bool(hello.get("awslambdaric"))
        self._reader = threading.Thread(target=self._read_forever, name="lambda-zygote-reader", daemon=True)
        self._reader.start()

    @staticmethod
    def _receive(sock: socket.socket) -> dict | None:
        data = sock.recv(MAX_MESSAGE)
        if not data:
            return None
        (length,) = HEADER.unpack_from(data)
        return json.loads(data[HEADER.size:HEADER.size + length])

    def _read_forever(self) -> None:
        while True:
            try:
                message = self._receive(self.control)
            except OSError:
                message = None
            if message is None:
                self._fail_all_waiters()
                return
            if "exited" in message:
                with self._send_lock:
                    child = self._children.pop(message["exited"], None)
                    if child is None:
                        self._early_exits[message["exited"]] = message["code"]
                if child is not None:
                    child.mark_exited(message["code"])
            elif "id" in message:
                child = self._waiting.pop(message["id"], None)
                if child is not None:
                    with self._send_lock:
                        early = self._early_exits.pop(message["pid"], None)
                        if early is None:
                            self._children[message["pid"]] = child
                    child.set_pid(message["pid"])
                    if early is not None:
                        child.mark_exited(early)

    def _fail_all_waiters(self) -> None:
        for child in list(self._waiting.values()):
            child.set_pid(None)
        self._waiting.clear()
        for child in list(self._children.values()):
            child.mark_exited(-signal.SIGKILL)
        self._children.clear()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None and not self._closed

    def launch(self, spec: dict, log_write_fd: int) -> WorkerProcess:
        """Ask for a child; returns at once (the pid follows), the child already starting."""
        if not self.alive:
            raise LaunchFailed("the Lambda zygote is not running")
        request_id = next(self._ids)
        child = WorkerProcess()
        self._waiting[request_id] = child
        payload = json.dumps({"id": request_id, "spec": spec}).encode()
        try:
            with self._send_lock:
                socket.send_fds(self.control, [HEADER.pack(len(payload)) + payload], [log_write_fd])
        except OSError as error:
            self._waiting.pop(request_id, None)
            raise LaunchFailed(f"the Lambda zygote is gone: {error}") from None
        return child

    def stop(self) -> None:
        """Closing the control socket makes the zygote kill its children and exit."""
        self._closed = True
        if self.control is not None:
            try:
                self.control.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.control.close()
        if self.process is not None:
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def spawn(python: str, spec: dict, spec_path: Path, log_write_fd: int) -> WorkerProcess:
    """A new interpreter running the launch script: slower, but needs no fork."""
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    kwargs: dict = {}
    if os.name == "nt":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        kwargs["start_new_session"] = True
    env = dict(spec["env"])
    if os.name == "nt" and "SYSTEMROOT" in os.environ:
        env.setdefault("SYSTEMROOT", os.environ["SYSTEMROOT"])
    try:
        popen = subprocess.Popen([python, str(LAUNCH_SCRIPT), str(spec_path)], stdin=subprocess.DEVNULL,
                                 stdout=log_write_fd, stderr=log_write_fd, env=env,
                                 cwd=spec["tmp_dir"], close_fds=True, **kwargs)
    except OSError as error:
        raise LaunchFailed(f"could not start {python}: {error}") from None
    return WorkerProcess(popen.pid, popen)
