"""The Lambda engine: invoke a function by running its code in pooled execution environments.

``LambdaEngine.invoke`` is what the Invoke API, API Gateway, schedules and moto's
event sources all call. It resolves the function and qualifier in moto's backend,
checks the request as Lambda does (payload size, JSON, reserved concurrency), takes
an idle environment of that function version and configuration or starts a new one
(a cold start), runs the invocation, and writes the platform's log lines.
https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
https://docs.aws.amazon.com/lambda/latest/dg/invocation-sync.html
https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html

Thread-safe: one lock guards the pools and counters (held for microseconds); the
invocation itself runs in the caller's thread, so concurrent invokes use separate
environments and a function that invokes itself cannot deadlock.
"""
from __future__ import annotations

import json
import logging
import os
import random
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

from ..localcloud import identity
from . import platform_logs
from .contract import InvocationResult, LambdaServiceError
from .credentials import CredentialCache
from .environment import INIT_LIMIT_SECONDS, ExecutionEnvironment, Invocation, InvokeOutcome
from .function_spec import FunctionSpec, find_function, lambda_backend, spec_from_function
from .interpreters import choose_python, node_executable
from .launcher import LaunchFailed, Zygote, spawn
from .packages import PackageStore
from .settings import resolved_start_method
from .spares import SparePool

log = logging.getLogger("localcloud.lambda")

SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024        # 6291456 bytes
ASYNC_PAYLOAD_LIMIT = 1024 * 1024           # 1 MB for InvocationType=Event
INVOCATION_TYPES = ("RequestResponse", "Event", "DryRun")
DEFAULT_REGION = "us-east-1"
ON_DEMAND = "on-demand"
SPARE_ENVIRONMENTS = 2   # parked processes ready to become any function (see spares.py)
PROVISIONED = "provisioned-concurrency"


class Pool:
    """The idle environments of one function version and configuration."""

    def __init__(self, spec: FunctionSpec):
        self.spec = spec
        self.idle: list[ExecutionEnvironment] = []
        self.retired = False


class LambdaEngine:
    def __init__(self, url: Callable[[], str], setting: Callable[[str], Any]):
        self._url = url
        self._setting = setting
        self._lock = threading.Lock()
        self._pools: dict[FunctionSpec, Pool] = {}
        self._live: dict[str, ExecutionEnvironment] = {}
        self._inflight: Counter = Counter()
        self._credentials = CredentialCache()
        self._writers: dict[tuple[str, str], platform_logs.CloudWatchWriter] = {}
        self._trash: list[ExecutionEnvironment] = []
        self._timers: set[threading.Timer] = set()
        self._stopping = threading.Event()
        self.root = Path(tempfile.mkdtemp(prefix="localcloud-lambda-"))
        self.packages = PackageStore(self.root / "packages")
        self.zygote: Zygote | None = None
        self.spares = SparePool(self._make_spare, SPARE_ENVIRONMENTS)
        self._async = ThreadPoolExecutor(max_workers=8, thread_name_prefix="lambda-async")
        self._reaper = threading.Thread(target=self._reap_forever, name="lambda-reaper", daemon=True)
        from .provisioned import ProvisionedConcurrency

        self.provisioned = ProvisionedConcurrency(self)

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> None:
        if resolved_start_method(self._setting("COURSE_LAMBDA_START_METHOD")) == "fork":
            self._start_zygote()
        self._reaper.start()
        self.spares.start()

    def _start_zygote(self) -> None:
        try:
            self.zygote = Zygote()
            self.zygote.start()
        except (LaunchFailed, OSError) as error:
            log.warning("Lambda: the fork start method is unavailable (%s); using spawn", error)
            self.zygote = None

    def stop(self) -> None:
        self._stopping.set()
        self.reset()
        self._async.shutdown(wait=False, cancel_futures=True)
        self.spares.stop()
        if self.zygote is not None:
            self.zygote.stop()
        self._empty_trash()
        shutil.rmtree(self.root, ignore_errors=True)

    def reset(self) -> None:
        """Every environment and provisioned configuration goes; the zygote stays."""
        with self._lock:
            doomed = list(self._live.values())
            self._live.clear()
            self._pools.clear()
            self._inflight.clear()
            timers = list(self._timers)
            self._timers.clear()
        for timer in timers:
            timer.cancel()
        self.provisioned.clear()
        for env in doomed:
            env.kill()
        self._trash.extend(doomed)
        self._credentials.clear()
        self._writers.clear()
        self.packages.clear()

    # -- the Invoke API ---------------------------------------------------------
    def invoke(self, function_name: str, qualifier: str | None, payload: bytes,
               invocation_type: str = "RequestResponse", log_type: str | None = None,
               region: str | None = None, client_context: str | None = None) -> InvocationResult:
        region = region or DEFAULT_REGION
        if invocation_type not in INVOCATION_TYPES:
            raise LambdaServiceError(
                "InvalidParameterValueException",
                f"Invalid InvocationType {invocation_type!r}: use RequestResponse, Event or DryRun.", 400)
        target = self.resolve(function_name, qualifier, region)
        payload = self.check_payload(payload, invocation_type)
        context_json = self._client_context(client_context)
        if invocation_type == "DryRun":
            return InvocationResult(str(uuid.uuid4()), b"", None, executed_version=target.version,
                                    status_code=204)
        if invocation_type == "Event":
            request_id = str(uuid.uuid4())
            self._async.submit(self._run_event, target, payload, request_id, 0, time.monotonic())
            return InvocationResult(request_id, b"", None, executed_version=target.version, status_code=202)
        return self.run(target, payload, str(uuid.uuid4()), tail=log_type == "Tail",
                        client_context=context_json)

    def resolve(self, function_name: str, qualifier: str | None, region: str) -> "Target":
        account = identity.ACCOUNT_ID
        fn = find_function(account, region, function_name, qualifier)
        name_qualifier = _qualifier_in_name(function_name)
        used_qualifier = name_qualifier or qualifier
        fn = self._weighted_alias_version(fn, account, region, used_qualifier)
        unqualified = fn.function_arn if str(fn.version) == "$LATEST" else fn.function_arn.rsplit(":", 1)[0]
        invoked_arn = f"{unqualified}:{used_qualifier}" if used_qualifier else unqualified
        return Target(fn, str(fn.version), invoked_arn, used_qualifier, account, region)

    @staticmethod
    def _weighted_alias_version(fn, account: str, region: str, qualifier: str | None):
        """An alias with ``RoutingConfig`` sends that share of invokes to its other version."""
        if not qualifier or qualifier.isdigit() or qualifier == "$LATEST":
            return fn
        try:
            alias = lambda_backend(account, region).get_alias(qualifier, fn.function_name)
        except Exception:
            return fn
        weights = (alias.routing_config or {}).get("AdditionalVersionWeights") or {}
        draw = random.random()
        for version, weight in weights.items():
            if draw < float(weight):
                return find_function(account, region, fn.function_name, str(version))
            draw -= float(weight)
        return fn

    @staticmethod
    def check_payload(payload: bytes | None, invocation_type: str) -> bytes:
        payload = payload or b""
        limit = ASYNC_PAYLOAD_LIMIT if invocation_type == "Event" else SYNC_PAYLOAD_LIMIT
        if len(payload) > limit:
            raise LambdaServiceError("RequestEntityTooLargeException",
                                     f"Request must be smaller than {limit} bytes for the InvokeFunction "
                                     "operation", 413)
        if not payload.strip():
            return b"{}"
        try:
            json.loads(payload)
        except ValueError as error:
            raise LambdaServiceError(
                "InvalidRequestContentException",
                f"Could not parse request body into json: Could not parse payload into json: {error}", 400) from None
        return payload

    @staticmethod
    def _client_context(client_context: str | None) -> str | None:
        """``X-Amz-Client-Context`` is base64 JSON; the runtime receives the JSON text."""
        if not client_context:
            return None
        import base64

        try:
            text = base64.b64decode(client_context).decode("utf-8")
            json.loads(text)
        except ValueError:
            raise LambdaServiceError("InvalidRequestContentException",
                                     "Client context must be a valid Base64-encoded JSON object.", 400) from None
        return text

    # -- one synchronous invocation ----------------------------------------------
    def run(self, target: "Target", payload: bytes, request_id: str, tail: bool = False,
            client_context: str | None = None) -> InvocationResult:
        spec = spec_from_function(target.fn)
        self._check_runnable(spec, target.fn)
        reserved = getattr(target.fn, "reserved_concurrency", None)
        env, cold = self._checkout(spec, target, reserved)
        invocation = Invocation(
            request_id, payload, target.invoked_arn, 0,  # the deadline is set when the event is sent
            f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Parent={uuid.uuid4().hex[:16]};Sampled=0",
            client_context)
        init = None
        try:
            if cold:
                init = env.start(INIT_LIMIT_SECONDS + spec.timeout)
            if init is not None and not init.ok:
                outcome = self._init_failure_outcome(init, request_id, spec)
            else:
                outcome = env.invoke(invocation, spec.timeout, spec.memory_size)
        finally:
            self._checkin(env, spec)
        return self._finish(env, spec, target, request_id, init, outcome, tail)

    def _check_runnable(self, spec: FunctionSpec, fn) -> None:
        if getattr(fn, "package_type", "Zip") == "Image":
            raise LambdaServiceError("InvalidRuntimeException",
                                     "Container image functions cannot run in the local cloud: use a .zip "
                                     "package with a python, nodejs or provided runtime.", 502)
        if spec.family == "unsupported":
            raise LambdaServiceError("InvalidRuntimeException",
                                     f"The runtime parameter of {spec.runtime or 'none'} is not supported by the "
                                     "local cloud: use pythonX.Y, nodejsNN.x or provided.al2023.", 502)

    @staticmethod
    def _init_failure_outcome(init, request_id: str, spec: FunctionSpec) -> InvokeOutcome:
        if init.timed_out:
            document = {"errorMessage": f"RequestId: {request_id} Error: Task timed out after "
                                        f"{spec.timeout:.2f} seconds", "errorType": "Sandbox.Timedout"}
            return InvokeOutcome("timeout", json.dumps(document).encode(), init.duration_ms, [], 0,
                                 "Sandbox.Timedout")
        document = dict(init.error_document or {})
        if document.get("errorType") == "Runtime.ExitError":
            document["errorMessage"] = f"RequestId: {request_id} {document.get('errorMessage', '')}"
        return InvokeOutcome("init_error", json.dumps(document).encode(), 0.0, [], 0, init.error_type)

    def _finish(self, env: ExecutionEnvironment, spec: FunctionSpec, target: "Target", request_id: str,
                init, outcome: InvokeOutcome, tail: bool) -> InvocationResult:
        init_ms = None
        stream_lines: list[platform_logs.LogLine] = []
        stamp = platform_logs.now_ms
        if init is not None:
            stream_lines.append((env.started_ms, platform_logs.init_start_line(spec.runtime_version_label(),
                                                                               spec.region)))
            stream_lines += init.lines
            if not init.ok:
                stream_lines.append((stamp(), platform_logs.init_report_line(init.duration_ms, "error",
                                                                              outcome.error_type)))
            init_ms = init.duration_ms
        stream_lines += env.between_lines
        env.between_lines = []
        show_init = init_ms is not None and env.init_type == ON_DEMAND
        lines = [(stamp(), platform_logs.start_line(request_id, target.version))] + outcome.lines
        status = error_type = None
        if outcome.kind == "timeout":
            lines.append((stamp(), platform_logs.timeout_line(request_id, spec.timeout)))
            status = "timeout"
        elif outcome.kind in ("exited", "out_of_memory"):
            lines += [(stamp(), f"RequestId: {request_id} Error: {outcome.reason}"),
                      (stamp(), "Runtime.ExitError")]
            status = "error"
            error_type = "Runtime.OutOfMemory" if outcome.kind == "out_of_memory" else "Runtime.ExitError"
        elif outcome.kind == "init_error":
            status, error_type = "error", outcome.error_type
        lines.append((stamp(), platform_logs.end_line(request_id)))
        lines.append((stamp(), platform_logs.report_line(
            request_id, outcome.duration_ms, spec.memory_size, outcome.max_memory_mb or (env.memory.peak_mb() if env.memory else 0),
            init_ms if show_init else None, init_ms if show_init else None, status, error_type)))
        writer = self._writer(spec.account, spec.region)
        if init is not None or env.invocations <= 1:
            writer.open_stream(spec.log_group, env.log_stream)
        writer.write(spec.log_group, env.log_stream, stream_lines + lines)
        function_error = None if outcome.kind == "response" else "Unhandled"
        return InvocationResult(request_id, outcome.payload, function_error,
                                log_tail="".join(message + "\n" for _, message in lines),
                                duration_ms=outcome.duration_ms,
                                init_duration_ms=init_ms if show_init else None,
                                executed_version=target.version, status_code=200)

    def _writer(self, account: str, region: str) -> platform_logs.CloudWatchWriter:
        writer = self._writers.get((account, region))
        if writer is None:
            writer = self._writers[(account, region)] = platform_logs.CloudWatchWriter(account, region)
        return writer

    # -- environments ---------------------------------------------------------------
    def _checkout(self, spec: FunctionSpec, target: "Target", reserved) -> tuple[ExecutionEnvironment, bool]:
        doomed: list[ExecutionEnvironment] = []
        try:
            with self._lock:
                key = spec.function_key
                if reserved is not None and self._inflight[key] >= int(reserved):
                    raise LambdaServiceError("TooManyRequestsException", "Rate Exceeded.", 429,
                                             {"Reason": "ReservedFunctionConcurrentInvocationLimitExceeded"})
                env = self.provisioned.take_idle(spec, target)
                if env is None:
                    pool = self._pools.get(spec)
                    while pool is not None and pool.idle:
                        candidate = pool.idle.pop()
                        if candidate.alive():
                            env = candidate
                            break
                        doomed.append(candidate)
                        self._live.pop(candidate.id, None)
                cold = env is None
                if cold:
                    self._make_room(doomed)
                    env = self._new_environment(spec, ON_DEMAND)
                    pool = self._pools.get(spec)
                    if pool is None:
                        pool = self._pools[spec] = Pool(spec)
                    env.pool = pool
                if not cold:
                    env.state = "busy"
                self._inflight[key] += 1
        finally:
            for env_to_kill in doomed:
                self._discard(env_to_kill)
        return env, cold

    def _make_room(self, doomed: list[ExecutionEnvironment]) -> None:
        """At the environment limit, reclaim the longest-idle on-demand environment, or throttle."""
        limit = int(self._setting("COURSE_LAMBDA_MAX_ENVIRONMENTS"))
        if len(self._live) < limit:
            return
        idle = [(env.last_used, pool, env) for pool in self._pools.values() for env in pool.idle]
        if not idle:
            raise LambdaServiceError(
                "TooManyRequestsException",
                f"Rate Exceeded. (The local cloud runs at most {limit} execution environments at once: "
                "COURSE_LAMBDA_MAX_ENVIRONMENTS.)", 429, {"Reason": "ConcurrentInvocationLimitExceeded"})
        _, pool, oldest = min(idle, key=lambda item: item[0])
        pool.idle.remove(oldest)
        self._live.pop(oldest.id, None)
        doomed.append(oldest)

    def _new_environment(self, spec: FunctionSpec, init_type: str) -> ExecutionEnvironment:
        launch_spec, launch, spare_client = self._launch_plan(spec, init_type)
        env = self.spares.take(spare_client) if spare_client != "none" else None
        if env is None:
            env = ExecutionEnvironment(self.root / "envs", launch)
        env.configure(spec, init_type, launch_spec)
        self._live[env.id] = env
        return env

    # -- spares ------------------------------------------------------------------------
    def _default_client(self) -> str:
        if self._setting("COURSE_LAMBDA_PYTHON_CLIENT") == "course":
            return "pyclient"
        has_ric = self.zygote.has_awslambdaric if self.zygote else _has_awslambdaric()
        return "awslambdaric" if has_ric else "pyclient"

    def _default_launch(self) -> Callable:
        if self.zygote is not None and self.zygote.alive:
            return self.zygote.launch

        def launch_by_spawn(launch_spec: dict, log_fd: int):
            return spawn(sys.executable, launch_spec, Path(launch_spec["tmp_dir"]).parent / "spec.json", log_fd)

        return launch_by_spawn

    def _make_spare(self) -> ExecutionEnvironment | None:
        if self._stopping.is_set():
            return None
        env = ExecutionEnvironment(self.root / "envs", self._default_launch())
        if env.park(self._default_client(), os.environ.get("PATH", os.defpath)):
            return env
        env.remove_files()
        return None

    def settings_changed(self, changed: dict) -> None:
        if "COURSE_LAMBDA_PYTHON_CLIENT" in changed:
            self.spares.discard_mismatched(self._default_client())

    def _checkin(self, env: ExecutionEnvironment, spec: FunctionSpec) -> None:
        discard = False
        with self._lock:
            self._inflight[spec.function_key] -= 1
            if self._inflight[spec.function_key] <= 0:
                del self._inflight[spec.function_key]
            provisioned = getattr(env, "provisioned_config", None)
            if env.state == "dead" or env.id not in self._live or not env.alive():
                self._live.pop(env.id, None)
                discard = True
                if provisioned is not None:
                    self.provisioned.lost(env)
            elif provisioned is not None:
                discard = not self.provisioned.give_back(env)
                if discard:
                    self._live.pop(env.id, None)
            elif env.pool is None or env.pool.retired:
                self._live.pop(env.id, None)
                discard = True
            else:
                env.state = "idle"
                env.pool.idle.append(env)
        if discard:
            self._discard(env)

    def _discard(self, env: ExecutionEnvironment) -> None:
        env.kill()
        self._trash.append(env)

    def retire(self, account: str, region: str, name: str, versions: set[str] | None = None) -> None:
        """Stop reusing a function's environments (its code or configuration changed, or it is gone)."""
        doomed = []
        with self._lock:
            for spec, pool in list(self._pools.items()):
                if (spec.account, spec.region, spec.name) != (account, region, name):
                    continue
                if versions is not None and spec.version not in versions:
                    continue
                pool.retired = True
                del self._pools[spec]
                for env in pool.idle:
                    self._live.pop(env.id, None)
                doomed += pool.idle
                pool.idle = []
        for env in doomed:
            self._discard(env)

    def reclaim_idle(self, name: str | None = None) -> int:
        """Kill idle on-demand environments (of one function): the next invoke starts cold."""
        doomed = []
        with self._lock:
            for pool in self._pools.values():
                if name is None or pool.spec.name == name:
                    for env in pool.idle:
                        self._live.pop(env.id, None)
                    doomed += pool.idle
                    pool.idle = []
        for env in doomed:
            self._discard(env)
        return len(doomed)

    def environments(self, name: str | None = None) -> list[dict]:
        with self._lock:
            envs = list(self._live.values())
        return [vars(env.info()) for env in envs if name is None or env.spec.name == name]

    # -- launching ------------------------------------------------------------------
    def _launch_plan(self, spec: FunctionSpec, init_type: str) -> tuple[dict, Callable, str | None]:
        """What the worker must do, how to start it, and which spares fit ("none": no spare)."""
        env_vars = self._environment_variables(spec, init_type)
        plan: dict = {"kind": spec.family, "handler": spec.handler, "env": env_vars,
                      "code_zip": str(self.packages.path_for(spec.code_bytes)) if spec.code_bytes else None,
                      "layer_zips": [str(self.packages.path_for(data)) for data in spec.layer_bytes]}
        if spec.family != "python":
            plan["node"] = node_executable()
            return plan, self._default_launch(), None  # any spare can exec node or a bootstrap
        choice = choose_python(spec.runtime, spec.python_version,
                               self.zygote.has_awslambdaric if self.zygote else _has_awslambdaric())
        plan["interpreter_note"] = choice.note
        if choice.same_as_server:
            plan["python_client"] = self._default_client()
            return plan, self._default_launch(), plan["python_client"]
        plan["python_client"] = choice.client

        def launch_by_spawn(launch_spec: dict, log_fd: int):
            return spawn(choice.executable, launch_spec, Path(launch_spec["tmp_dir"]).parent / "spec.json", log_fd)

        return plan, launch_by_spawn, "none"

    def _environment_variables(self, spec: FunctionSpec, init_type: str) -> dict[str, str]:
        """The function's variables, then Lambda's reserved ones on top.
        https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime"""
        variables = dict(spec.environment)
        host_path = os.environ.get("PATH", os.defpath)
        variables.update({
            "PATH": host_path,
            "LANG": "C.UTF-8" if sys.platform.startswith("linux") else "en_US.UTF-8",
            "TZ": ":UTC",
            "_HANDLER": spec.handler,
            "AWS_REGION": spec.region,
            "AWS_DEFAULT_REGION": spec.region,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_size),
            "AWS_LAMBDA_FUNCTION_VERSION": spec.version,
            "AWS_LAMBDA_INITIALIZATION_TYPE": init_type,
            "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group,
            "AWS_ENDPOINT_URL": self._url(),
            "LAMBDA_RUNTIME_DIR": str(Path(__file__).resolve().parent / "sandbox"),
            "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        })
        variables.update(self._credentials.for_role(spec.account, spec.region, spec.role, spec.name))
        if os.name == "nt" and "SYSTEMROOT" in os.environ:
            variables["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
        return variables

    # -- asynchronous invocations -------------------------------------------------------
    def _run_event(self, target: "Target", payload: bytes, request_id: str, attempt: int, queued: float) -> None:
        """Run an Event invocation; retry function errors (twice by default) and throttles, as Lambda does."""
        if self._stopping.is_set():
            return
        max_retries, max_age = _event_invoke_config(target.fn)
        try:
            result = self.run(target, payload, request_id)
        except LambdaServiceError as error:
            if error.status == 429 and time.monotonic() - queued < min(max_age, 600):
                self._later(min(2 ** attempt, 30), self._run_event, target, payload, request_id, attempt + 1, queued)
            else:
                log.info("async invoke %s of %s dropped: %s", request_id, target.fn.function_name, error.message)
            return
        except Exception:
            log.exception("async invoke %s failed", request_id)
            return
        if result.function_error and attempt < max_retries and time.monotonic() - queued < max_age:
            self._later(60 * (attempt + 1), self._run_event, target, payload, request_id, attempt + 1, queued)

    def _later(self, delay: float, function, *args) -> None:
        def fire():
            with self._lock:
                self._timers.discard(timer)
            if not self._stopping.is_set():
                self._async.submit(function, *args)

        timer = threading.Timer(delay, fire)
        timer.daemon = True
        with self._lock:
            self._timers.add(timer)
        timer.start()

    # -- idle reclaim ------------------------------------------------------------------
    def _reap_forever(self) -> None:
        while not self._stopping.wait(self._reap_interval()):
            try:
                self._reap_idle()
                self._empty_trash()
            except Exception:
                log.exception("Lambda reaper failed")

    def _reap_interval(self) -> float:
        return max(0.05, min(1.0, float(self._setting("COURSE_LAMBDA_IDLE_SECONDS")) / 4))

    def _reap_idle(self) -> None:
        limit = float(self._setting("COURSE_LAMBDA_IDLE_SECONDS"))
        now = time.monotonic()
        doomed = []
        with self._lock:
            for pool in self._pools.values():
                keep = []
                for env in pool.idle:
                    if now - env.last_used > limit or not env.alive():
                        doomed.append(env)
                        self._live.pop(env.id, None)
                    else:
                        keep.append(env)
                pool.idle = keep
        for env in doomed:
            self._discard(env)

    def _empty_trash(self) -> None:
        while self._trash:
            env = self._trash.pop()
            env.kill()
            env.remove_files()


class Target:
    """A resolved Invoke target: moto's function object and how it was named."""

    __slots__ = ("fn", "version", "invoked_arn", "qualifier", "account", "region")

    def __init__(self, fn, version: str, invoked_arn: str, qualifier: str | None, account: str, region: str):
        self.fn, self.version, self.invoked_arn = fn, version, invoked_arn
        self.qualifier, self.account, self.region = qualifier, account, region


def _qualifier_in_name(function_name: str) -> str | None:
    """``name:qualifier`` or ``arn:…:function:name:qualifier`` → the qualifier."""
    if function_name.startswith("arn:"):
        tail = function_name.split(":function:", 1)[-1]
        return tail.split(":", 1)[1] if ":" in tail else None
    return function_name.split(":", 1)[1] if ":" in function_name else None


def _event_invoke_config(fn) -> tuple[int, float]:
    retries, age = 2, 6 * 3600.0
    for config in getattr(fn, "event_invoke_config", None) or []:
        settings = getattr(config, "config", {}) or {}
        retries = int(settings.get("MaximumRetryAttempts", retries))
        age = float(settings.get("MaximumEventAgeInSeconds", age))
    return retries, age


def _has_awslambdaric() -> bool:
    import importlib.util

    return importlib.util.find_spec("awslambdaric") is not None
