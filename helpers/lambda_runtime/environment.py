"""One execution environment: a worker process, its Runtime API endpoint and its log pipe.

The lifecycle is Lambda's: ``start`` launches the process and waits for the runtime's
first ``GET /runtime/invocation/next`` (the INIT phase, timed here, never simulated);
``invoke`` answers that request with the event and waits for ``…/response`` or
``…/error`` (the INVOKE phase) while collecting what the function prints and
watching its memory and its deadline. A timeout or a process above its memory size
kills the environment (``kill``), as Lambda discards a sandbox.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import platform_logs
from .launcher import LaunchFailed, WorkerProcess
from .platform_logs import LogLine
from .runtime_api import RuntimeApiEndpoint, RuntimeRequest

MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100  # 6291556: Lambda's synchronous response quota
MAX_OUTPUT_BYTES = 4 * 1024 * 1024          # per phase; beyond it output is dropped, with a note
POLL_SLICE = 0.05                           # how often a waiting invoke checks memory and exit
INIT_LIMIT_SECONDS = 10.0                   # Lambda's INIT phase limit for on-demand environments

SIGKILL = getattr(signal, "SIGKILL", 9)      # Windows has no SIGKILL; the number is only reported
SIGNAL_WORDS = {SIGKILL: "killed", signal.SIGTERM: "terminated", signal.SIGSEGV: "segmentation fault",
                signal.SIGABRT: "aborted"}


def exit_reason(code: int | None) -> str:
    """Lambda's wording: ``exit status 1`` or ``signal: killed``."""
    if code is None or code == 0:
        return "Runtime exited without providing a reason"
    if code < 0:
        return f"Runtime exited with error: signal: {SIGNAL_WORDS.get(-code, f'signal {-code}')}"
    return f"Runtime exited with error: exit status {code}"


class OutputCollector:
    """The environment's stdout and stderr (one pipe), cut into timestamped lines.

    Where a pipe cannot be polled (Windows: select() takes sockets only), a small thread
    copies the pipe into a socket pair and ``source`` is that socket.
    """

    def __init__(self, read_fd: int):
        self.fd = read_fd
        self.source: int | socket.socket = read_fd
        self._relay_socket: socket.socket | None = None
        if os.name == "nt":
            self._relay_socket, writer = socket.socketpair()
            self._relay_socket.setblocking(False)
            self.source = self._relay_socket
            threading.Thread(target=_relay, args=(read_fd, writer), daemon=True,
                             name="lambda-log-relay").start()
        else:
            os.set_blocking(read_fd, False)
        self.partial = b""
        self.lines: list[LogLine] = []
        self.closed = False
        self._size = 0
        self._truncated = False

    def drain(self) -> None:
        while not self.closed:
            try:
                chunk = self._relay_socket.recv(262144) if self._relay_socket else os.read(self.fd, 262144)
            except BlockingIOError:
                return
            except OSError:
                chunk = b""
            if not chunk:
                self.closed = True
                return
            self._add(chunk)

    def _add(self, chunk: bytes) -> None:
        stamp = platform_logs.now_ms()
        if self._size > MAX_OUTPUT_BYTES:
            if not self._truncated:
                self._truncated = True
                self.lines.append((stamp, "[local cloud] output beyond 4 MB in one invocation was dropped"))
            return
        self._size += len(chunk)
        data = self.partial + chunk
        *complete, self.partial = data.split(b"\n")
        self.lines.extend((stamp, line.decode("utf-8", "replace")) for line in complete)

    def take(self) -> list[LogLine]:
        """Everything printed since the last call, the unfinished last line included."""
        self.drain()
        if self.partial:
            self.lines.append((platform_logs.now_ms(), self.partial.decode("utf-8", "replace")))
            self.partial = b""
        taken, self.lines = self.lines, []
        self._size, self._truncated = 0, False
        return taken

    def close(self) -> None:
        try:
            if self._relay_socket is not None:
                self._relay_socket.close()
            else:
                os.close(self.fd)
        except OSError:
            pass


def _relay(read_fd: int, writer: socket.socket) -> None:
    """Windows: pipe → socket, so the output can be polled with the Runtime API's sockets."""
    try:
        while chunk := os.read(read_fd, 65536):
            writer.sendall(chunk)
    except OSError:
        pass
    finally:
        writer.close()
        try:
            os.close(read_fd)
        except OSError:
            pass


class MemoryProbe:
    """Resident memory of the worker process; peak from the kernel where it keeps one."""

    def __init__(self, process: WorkerProcess):
        self.process = process
        self._status_path: str | None = None
        self.linux = sys.platform.startswith("linux")
        self._peak_kb = 0

    @property
    def status_path(self) -> str:
        if self._status_path is None:
            self._status_path = f"/proc/{self.process.pid}/status"
        return self._status_path

    def _read_status(self) -> tuple[int, int]:
        rss = hwm = 0
        try:
            with open(self.status_path, "rb") as status:
                for line in status:
                    if line.startswith(b"VmHWM:"):
                        hwm = int(line.split()[1])
                    elif line.startswith(b"VmRSS:"):
                        rss = int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            pass
        return rss, hwm

    def rss_kb(self) -> int:
        if self.linux:
            rss, hwm = self._read_status()
            self._peak_kb = max(self._peak_kb, hwm, rss)
            return rss
        try:
            import psutil

            rss = psutil.Process(self.process.pid).memory_info().rss // 1024
        except Exception:
            return 0
        self._peak_kb = max(self._peak_kb, rss)
        return rss

    def peak_mb(self) -> int:
        self.rss_kb()
        return max(1, -(-self._peak_kb // 1024))


@dataclass
class InitResult:
    ok: bool
    duration_ms: float
    lines: list[LogLine]
    error_document: dict | None = None
    error_type: str | None = None
    timed_out: bool = False


@dataclass
class InvokeOutcome:
    kind: str                  # response | error | timeout | exited | out_of_memory | too_large
    payload: bytes
    duration_ms: float
    lines: list[LogLine]
    max_memory_mb: int
    error_type: str | None = None
    reason: str = ""


class _TimedOut(Exception):
    pass


class _Exited(Exception):
    def __init__(self, code: int | None):
        super().__init__(code)
        self.code = code


class _OutOfMemory(Exception):
    pass


@dataclass
class Invocation:
    request_id: str
    payload: bytes
    invoked_function_arn: str
    deadline_epoch_ms: int
    trace_id: str
    client_context: str | None = None   # JSON text, already decoded from base64


@dataclass
class EnvironmentInfo:
    """What measurement helpers see of an environment (``LambdaExtension.environments``)."""
    id: str
    function_name: str
    version: str
    init_type: str
    state: str
    invocations: int
    pid: int | None
    log_stream: str
    created: float
    last_used: float
    cold_start_ms: float | None = None
    extra: dict = field(default_factory=dict)


class ExecutionEnvironment:
    """A worker process for one function version, serving one invocation at a time.

    Built blank (``ExecutionEnvironment(root, launch)``), then either ``configure``-d for
    a function and ``start``-ed, or first ``park``-ed as a spare: a process already
    forked, with its runtime loaded, waiting at ``/runtime/_localcloud/assignment`` for
    the function it will become (see ``spares.py``).
    """

    def __init__(self, root: Path, launch: Callable[[dict, int], WorkerProcess]):
        self.id = uuid.uuid4().hex[:16]
        self.root = root / self.id
        self.spec = None
        self.init_type = "on-demand"
        self.log_stream = ""
        self.launch_spec: dict = {}
        self.endpoint = RuntimeApiEndpoint()
        read_fd, self._write_fd = os.pipe()
        self.output = OutputCollector(read_fd)
        self.endpoint.watch(self.output.source, self.output.drain)
        self._launch = launch
        self.process: WorkerProcess | None = None
        self.memory: MemoryProbe | None = None
        self.pending_next: RuntimeRequest | None = None
        self.pending_assignment: RuntimeRequest | None = None
        self.python_client: str | None = None   # of a spare: which client it loaded
        self.between_lines: list[LogLine] = []
        self.state = "new"          # new → (spare →) starting → idle ⇄ busy → dead
        self.invocations = 0
        self.created = time.monotonic()
        self.last_used = self.created
        self.init_duration_ms: float | None = None
        self.started_ms = platform_logs.now_ms()
        self.needs_init_report = True   # the first REPORT of an on-demand environment shows Init Duration
        self.pool = None                # set by the engine: where the environment returns when idle

    def configure(self, spec, init_type: str, launch_spec: dict) -> "ExecutionEnvironment":
        self.spec = spec
        self.init_type = init_type
        self.launch_spec = launch_spec
        self.log_stream = platform_logs.stream_name(spec.version)
        return self

    # -- INIT ---------------------------------------------------------------
    def task_dirs(self) -> dict[str, str]:
        return {"task_dir": str(self.root / "task"), "opt_dir": str(self.root / "opt"),
                "tmp_dir": str(self.root / "tmp")}

    def _launch_process(self, spec: dict) -> LaunchFailed | None:
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        try:
            self.process = self._launch(spec, self._write_fd)
        except LaunchFailed as error:
            return error
        finally:
            os.close(self._write_fd)  # the worker holds its own copy
            self._write_fd = -1
        self.memory = MemoryProbe(self.process)
        return None

    def park(self, python_client: str, path: str, limit_seconds: float = 20.0) -> bool:
        """Start as a spare: True once its process waits for an assignment."""
        self.state = "spare"
        self.python_client = python_client
        spec = {"mode": "spare", "python_client": python_client, **self.task_dirs(),
                "env": {"PATH": path, "AWS_LAMBDA_RUNTIME_API": self.endpoint.address}}
        if self._launch_process(spec) is not None:
            self.kill()
            return False
        deadline = time.monotonic() + limit_seconds
        try:
            while self.pending_assignment is None:
                request = self._next_request(deadline, watch_memory=False)
                if request.method == "GET" and request.route == "_localcloud/assignment":
                    self.pending_assignment = request
                else:
                    request.connection.respond_json(403, {"errorMessage": "not assigned yet",
                                                          "errorType": "InvalidStateTransition"})
        except (_TimedOut, _Exited):
            self.kill()
            return False
        self.output.take()
        return True

    def spare_alive(self) -> bool:
        return (self.state == "spare" and self.pending_assignment is not None
                and not self.pending_assignment.connection.closed and self.process.alive())

    def start(self, limit_seconds: float = INIT_LIMIT_SECONDS) -> InitResult:
        """Launch the process (or hand a spare its function) and wait until its runtime asks
        for the first event: the INIT phase, whose duration is measured here."""
        spec = dict(self.launch_spec)
        spec.update(self.task_dirs())
        spec["env"] = dict(spec["env"], **self._folder_variables(spec),
                           AWS_LAMBDA_RUNTIME_API=self.endpoint.address,
                           AWS_LAMBDA_LOG_STREAM_NAME=self.log_stream)
        started = time.perf_counter()
        self.started_ms = platform_logs.now_ms()
        if self.pending_assignment is not None:
            assignment, self.pending_assignment = self.pending_assignment, None
            assignment.connection.respond(200, json.dumps(spec).encode())
            failure = None
        else:
            failure = self._launch_process(spec)
        self.state = "starting"
        if failure is not None:
            self.kill()
            return InitResult(False, 0.0, [(platform_logs.now_ms(), f"[local cloud] {failure}")],
                              {"errorMessage": str(failure), "errorType": "Runtime.Unknown", "stackTrace": []},
                              "Runtime.Unknown")
        deadline = time.monotonic() + limit_seconds
        init_error: dict | None = None
        try:
            while True:
                request = self._next_request(deadline, watch_memory=False)
                route = request.route
                if request.method == "GET" and route == "invocation/next":
                    self.pending_next = request
                    break
                if request.method == "POST" and route == "init/error":
                    request.connection.respond_json(202, {"status": "OK"})
                    init_error = _error_document(request.body, request.headers)
                    self.process.wait_exit(1.0)
                    raise _Exited(self.process.exit_code)
                request.connection.respond_json(
                    403, {"errorMessage": f"{request.method} /{route} is not allowed during init",
                          "errorType": "InvalidStateTransition"})
        except _TimedOut:
            duration = (time.perf_counter() - started) * 1000
            self.kill()
            return InitResult(False, duration, self.output.take(), None, "Sandbox.Timedout", timed_out=True)
        except _Exited as exited:
            duration = (time.perf_counter() - started) * 1000
            self.kill()
            document = init_error or {"errorType": "Runtime.ExitError",
                                      "errorMessage": f"Error: {exit_reason(exited.code)}"}
            return InitResult(False, duration, self.output.take(), document,
                              document.get("errorType") or "Runtime.Unknown")
        self.init_duration_ms = (time.perf_counter() - started) * 1000
        self.state = "idle"
        return InitResult(True, self.init_duration_ms, self.output.take())

    @staticmethod
    def _folder_variables(spec: dict) -> dict[str, str]:
        """Lambda's paths, pointed at this environment's own folders (/var/task, /opt, /tmp)."""
        task, opt, tmp = spec["task_dir"], spec["opt_dir"], spec["tmp_dir"]
        sep = os.pathsep
        variables = {
            "LAMBDA_TASK_ROOT": task,
            "TMPDIR": tmp, "TEMP": tmp, "TMP": tmp,
            "PATH": sep.join([os.path.join(opt, "bin"), spec["env"].get("PATH", os.defpath)]),
            "LD_LIBRARY_PATH": sep.join([os.path.join(task, "lib"), os.path.join(opt, "lib")]),
        }
        if spec.get("kind") == "node":
            major = spec["env"].get("AWS_EXECUTION_ENV", "").replace("AWS_Lambda_nodejs", "").split(".")[0]
            variables["NODE_PATH"] = sep.join([os.path.join(opt, "nodejs", f"node{major}", "node_modules"),
                                               os.path.join(opt, "nodejs", "node_modules"), task])
        return variables

    # -- INVOKE ---------------------------------------------------------------
    def alive(self) -> bool:
        """Still able to serve: its process runs and it is waiting for an event."""
        return self.state in ("idle", "busy") and self.process is not None and self.process.alive() \
            and (self.pending_next is None or not self.pending_next.connection.closed)

    def invoke(self, invocation: Invocation, timeout_s: int, memory_mb: int) -> InvokeOutcome:
        self.state = "busy"
        self.invocations += 1
        self.between_lines = self.output.take()  # printed between invocations: no request's own
        deadline = time.monotonic() + timeout_s
        started = time.perf_counter()
        try:
            if self.pending_next is None or self.pending_next.connection.closed:
                self.pending_next = None
                while self.pending_next is None:
                    request = self._next_request(deadline, watch_memory=False)
                    if request.method == "GET" and request.route == "invocation/next":
                        self.pending_next = request
                    else:
                        request.connection.respond_json(400, {"errorMessage": "no invocation in progress",
                                                              "errorType": "InvalidStateTransition"})
            started = time.perf_counter()
            invocation.deadline_epoch_ms = int(time.time() * 1000) + int((deadline - time.monotonic()) * 1000)
            self._send_event(invocation)
            while True:
                request = self._next_request(deadline, watch_memory=True, memory_mb=memory_mb)
                outcome = self._answer(request, invocation, started, memory_mb)
                if outcome is not None:
                    break
        except _TimedOut:
            duration = timeout_s * 1000.0
            peak = self.memory.peak_mb() if self.memory else 0
            self.kill()
            return InvokeOutcome("timeout", json.dumps({
                "errorMessage": f"RequestId: {invocation.request_id} Error: Task timed out after {timeout_s:.2f} seconds",
                "errorType": "Sandbox.Timedout"}).encode(), duration, self.output.take(), peak,
                "Sandbox.Timedout")
        except (_Exited, _OutOfMemory) as failure:
            duration = (time.perf_counter() - started) * 1000
            peak = self.memory.peak_mb() if self.memory else 0
            self.kill()
            out_of_memory = isinstance(failure, _OutOfMemory)
            if out_of_memory:
                peak = min(peak, memory_mb)  # Lambda stops it at its memory size
            code = -SIGKILL if out_of_memory else failure.code
            reason = exit_reason(code)
            return InvokeOutcome("out_of_memory" if out_of_memory else "exited", json.dumps({
                "errorType": "Runtime.ExitError",
                "errorMessage": f"RequestId: {invocation.request_id} Error: {reason}"}).encode(),
                duration, self.output.take(), peak, "Runtime.ExitError", reason)
        peak = self.memory.peak_mb()
        if peak > memory_mb:  # it finished, but went above its memory size on the way
            self.kill()
            outcome.kind, outcome.error_type = "out_of_memory", "Runtime.ExitError"
            outcome.reason = exit_reason(-SIGKILL)
            outcome.payload = json.dumps({"errorType": "Runtime.ExitError",
                                          "errorMessage": f"RequestId: {invocation.request_id} Error: {outcome.reason}"}).encode()
        outcome.max_memory_mb = min(peak, memory_mb)
        outcome.lines = self.output.take()
        if self.state == "busy":
            self.state = "idle"
        self.last_used = time.monotonic()
        return outcome

    def _send_event(self, invocation: Invocation) -> None:
        headers = {
            "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
            "Lambda-Runtime-Deadline-Ms": str(invocation.deadline_epoch_ms),
            "Lambda-Runtime-Invoked-Function-Arn": invocation.invoked_function_arn,
            "Lambda-Runtime-Trace-Id": invocation.trace_id,
        }
        if invocation.client_context:
            headers["Lambda-Runtime-Client-Context"] = invocation.client_context
        request, self.pending_next = self.pending_next, None
        request.connection.respond(200, invocation.payload, headers)

    def _answer(self, request: RuntimeRequest, invocation: Invocation, started: float,
                memory_mb: int) -> InvokeOutcome | None:
        route = request.route
        prefix = f"invocation/{invocation.request_id}/"
        if request.method == "GET" and route == "invocation/next":
            self.pending_next = request  # the runtime moved on without answering: keep waiting
            return None
        if request.method != "POST" or not route.startswith("invocation/"):
            request.connection.respond_json(404, {"errorMessage": f"unknown Runtime API path /{route}",
                                                  "errorType": "InvalidRequest"})
            return None
        if not route.startswith(prefix):
            request.connection.respond_json(400, {"errorMessage": "Invalid request ID",
                                                  "errorType": "InvalidRequestID"})
            return None
        duration = (time.perf_counter() - started) * 1000
        what = route[len(prefix):]
        if what == "response":
            if len(request.body) > MAX_RESPONSE_BYTES:
                request.connection.respond_json(413, {
                    "errorMessage": f"Exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes).",
                    "errorType": "RequestEntityTooLarge"})
                return InvokeOutcome("too_large", json.dumps({
                    "errorMessage": f"Response payload size exceeded maximum allowed payload size "
                                    f"({MAX_RESPONSE_BYTES} bytes).",
                    "errorType": "Function.ResponseSizeTooLarge"}).encode(),
                    duration, [], 0, "Function.ResponseSizeTooLarge")
            request.connection.respond_json(202, {"status": "OK"})
            return InvokeOutcome("response", request.body, duration, [], 0)
        if what == "error":
            request.connection.respond_json(202, {"status": "OK"})
            document = _error_document(request.body, request.headers)
            return InvokeOutcome("error", json.dumps(document).encode(), duration, [], 0,
                                 document.get("errorType"))
        request.connection.respond_json(404, {"errorMessage": f"unknown Runtime API path /{route}",
                                              "errorType": "InvalidRequest"})
        return None

    # -- waiting ----------------------------------------------------------------
    def _next_request(self, deadline: float, watch_memory: bool, memory_mb: int = 0) -> RuntimeRequest:
        """The runtime's next request, or _TimedOut / _Exited / _OutOfMemory."""
        endpoint = self.endpoint
        while True:
            request = endpoint.buffered_request()
            if request is not None:
                if watch_memory and time.monotonic() > deadline:
                    raise _TimedOut()  # an answer that came after the deadline is a timeout
                return request
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _TimedOut()
            if not self.process.alive() or (endpoint.ever_connected and not endpoint.has_open_connections
                                            and self.output.closed):
                self._raise_exit()
            endpoint.poll(min(remaining, POLL_SLICE))
            if watch_memory and self.memory.rss_kb() > memory_mb * 1024:
                raise _OutOfMemory()

    def _raise_exit(self) -> None:
        code = self.process.wait_exit(0.5)
        if code is None and self.process.alive():
            return  # the sockets closed but the process still runs: keep waiting
        self.output.drain()
        raise _Exited(code)

    # -- end --------------------------------------------------------------------
    def kill(self) -> None:
        """Discard the environment: kill its processes, close its sockets (files go later)."""
        self.state = "dead"
        if self.process is not None:
            self.process.kill()
        self.output.drain()
        self.endpoint.close()
        if self._write_fd >= 0:
            os.close(self._write_fd)
            self._write_fd = -1

    def remove_files(self) -> None:
        self.output.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def info(self) -> EnvironmentInfo:
        return EnvironmentInfo(self.id, self.spec.name if self.spec else "", self.spec.version if self.spec else "",
                               self.init_type, self.state,
                               self.invocations, self.process.pid if self.process else None,
                               self.log_stream, self.created, self.last_used, self.init_duration_ms)


def _error_document(body: bytes, headers: dict[str, str]) -> dict:
    """The runtime's error JSON as Lambda returns it; non-JSON bodies are wrapped."""
    try:
        document = json.loads(body) if body else {}
    except ValueError:
        document = {"errorMessage": body.decode("utf-8", "replace")}
    if not isinstance(document, dict):
        document = {"errorMessage": str(document)}
    header_type = headers.get("lambda-runtime-function-error-type")
    if header_type and not document.get("errorType"):
        document["errorType"] = header_type
    document.setdefault("errorType", "Runtime.Unknown")
    return document
