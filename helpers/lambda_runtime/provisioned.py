"""Provisioned concurrency: environments initialised ahead of traffic for a version or alias.

moto answers these APIs "not yet implemented", so the local cloud implements them.
``PutProvisionedConcurrencyConfig`` (on a published version or an alias, never
``$LATEST``) starts that many environments in the background with
``AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency``; the configuration is
``IN_PROGRESS`` until all have finished their INIT phase, then ``READY``. Invokes of
that qualifier use an idle provisioned environment first (no cold start, no
``Init Duration`` on the REPORT line) and spill over to on-demand environments when
all are busy.
https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html
"""
from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..localcloud import identity
from . import platform_logs
from .contract import LambdaServiceError
from .function_spec import find_function, spec_from_function

if TYPE_CHECKING:
    from .engine import LambdaEngine

INIT_LIMIT_SECONDS = 130.0  # provisioned INIT may run longer than on-demand's 10 s


def _timestamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


class ProvisionedConfig:
    def __init__(self, key: tuple, function_arn: str, requested: int, spec):
        self.key = key
        self.function_arn = function_arn
        self.requested = requested
        self.spec = spec
        self.ready: list = []        # idle, initialised environments
        self.busy = 0
        self.status = "IN_PROGRESS"
        self.status_reason: str | None = None
        self.last_modified = _timestamp()
        self.cancelled = False

    @property
    def allocated(self) -> int:
        return len(self.ready) + self.busy

    def document(self, with_arn: bool = False) -> dict:
        document = {"RequestedProvisionedConcurrentExecutions": self.requested,
                    "AvailableProvisionedConcurrentExecutions": self.allocated,
                    "AllocatedProvisionedConcurrentExecutions": self.allocated,
                    "Status": self.status, "LastModified": self.last_modified}
        if self.status_reason:
            document["StatusReason"] = self.status_reason
        if with_arn:
            document = {"FunctionArn": self.function_arn, **document}
        return document


class ProvisionedConcurrency:
    def __init__(self, engine: "LambdaEngine"):
        self.engine = engine
        self.configs: dict[tuple, ProvisionedConfig] = {}

    # -- the API --------------------------------------------------------------------
    def _resolve(self, name: str, qualifier: str | None, region: str):
        account = identity.ACCOUNT_ID
        base = find_function(account, region, name, None)
        if not qualifier:
            raise LambdaServiceError("InvalidParameterValueException",
                                     "Provisioned concurrency needs a Qualifier: a version number or an alias.", 400)
        if qualifier == "$LATEST":
            raise LambdaServiceError("InvalidParameterValueException",
                                     "Provisioned Concurrency Configs cannot be applied to unpublished function "
                                     "versions.", 400)
        fn = find_function(account, region, name, qualifier)
        key = (account, region, base.function_name, qualifier)
        return key, fn, f"{base.function_arn}:{qualifier}"

    def put(self, name: str, qualifier: str | None, count, region: str) -> dict:
        key, fn, arn = self._resolve(name, qualifier, region)
        if not isinstance(count, int) or count < 1:
            raise LambdaServiceError("InvalidParameterValueException",
                                     "ProvisionedConcurrentExecutions must be a whole number of at least 1.", 400)
        limit = int(self.engine._setting("COURSE_LAMBDA_MAX_ENVIRONMENTS"))
        if count > limit:
            raise LambdaServiceError("InvalidParameterValueException",
                                     f"Specified ConcurrentExecutions for function is greater than the local "
                                     f"cloud's limit of {limit} environments (COURSE_LAMBDA_MAX_ENVIRONMENTS).", 400)
        config = ProvisionedConfig(key, arn, count, spec_from_function(fn))
        self._replace(key, config)
        threading.Thread(target=self._allocate, args=(config,), name="lambda-provisioning", daemon=True).start()
        return config.document()

    def get(self, name: str, qualifier: str | None, region: str) -> dict:
        key, _, _ = self._resolve(name, qualifier, region)
        config = self.configs.get(key)
        if config is None:
            raise LambdaServiceError("ProvisionedConcurrencyConfigNotFoundException",
                                     "No Provisioned Concurrency Config found for this function", 404)
        return config.document()

    def delete(self, name: str, qualifier: str | None, region: str) -> None:
        key, _, _ = self._resolve(name, qualifier, region)
        if key not in self.configs:
            raise LambdaServiceError("ProvisionedConcurrencyConfigNotFoundException",
                                     "No Provisioned Concurrency Config found for this function", 404)
        self._replace(key, None)

    def list(self, name: str, region: str) -> list[dict]:
        base = find_function(identity.ACCOUNT_ID, region, name, None)
        with self.engine._lock:
            configs = sorted(self.configs.items())
        return [config.document(with_arn=True) for key, config in configs
                if key[:3] == (identity.ACCOUNT_ID, region, base.function_name)]

    # -- environments -------------------------------------------------------------------
    def _replace(self, key: tuple, config: ProvisionedConfig | None) -> None:
        with self.engine._lock:
            old = self.configs.pop(key, None)
            if config is not None:
                self.configs[key] = config
            doomed = []
            if old is not None:
                old.cancelled = True
                doomed, old.ready = old.ready, []
                for env in doomed:
                    self.engine._live.pop(env.id, None)
        for env in doomed:
            self.engine._discard(env)

    def _allocate(self, config: ProvisionedConfig) -> None:
        """Start environments until the configuration has what it asked for."""
        while not config.cancelled and config.allocated < config.requested:
            with self.engine._lock:
                if len(self.engine._live) >= int(self.engine._setting("COURSE_LAMBDA_MAX_ENVIRONMENTS")):
                    config.status, config.status_reason = "FAILED", "INSUFFICIENT_CONCURRENCY"
                    return
                env = self.engine._new_environment(config.spec, "provisioned-concurrency")
                env.provisioned_config = config
            init = env.start(INIT_LIMIT_SECONDS)
            self._log_init(env, init)
            with self.engine._lock:
                if init.ok and not config.cancelled:
                    env.state = "idle"
                    config.ready.append(env)
                    continue
                self.engine._live.pop(env.id, None)
            self.engine._discard(env)
            if not init.ok:
                config.status = "FAILED"
                config.status_reason = "FUNCTION_ERROR_INIT_FAILURE"
                return
        if not config.cancelled:
            config.status, config.status_reason = "READY", None
            config.last_modified = _timestamp()

    def _log_init(self, env, init) -> None:
        spec = env.spec
        env.needs_init_report = False
        writer = self.engine._writer(spec.account, spec.region)
        writer.open_stream(spec.log_group, env.log_stream)
        lines = [(env.started_ms, platform_logs.init_start_line(spec.runtime_version_label(), spec.region))]
        lines += init.lines
        if not init.ok:
            lines.append((platform_logs.now_ms(), platform_logs.init_report_line(init.duration_ms, "error",
                                                                                 init.error_type)))
        writer.write(spec.log_group, env.log_stream, lines)

    def take_idle(self, spec, target):
        """An idle provisioned environment for this invoke (engine lock held), or None."""
        if not self.configs:
            return None
        for qualifier in dict.fromkeys((target.qualifier, target.version)):
            config = self.configs.get((target.account, target.region, spec.name, qualifier))
            if config is None or config.spec != spec:
                continue
            while config.ready:
                env = config.ready.pop()
                if env.alive():
                    config.busy += 1
                    env.state = "busy"
                    return env
                self.engine._live.pop(env.id, None)
                self.engine._trash.append(env)
        return None

    def give_back(self, env) -> bool:
        """An invocation ended (engine lock held); False if the environment must go."""
        config = env.provisioned_config
        config.busy -= 1
        if config.cancelled:
            return False
        env.state = "idle"
        config.ready.append(env)
        return True

    def lost(self, env) -> None:
        """A provisioned environment died (timeout, crash): Lambda replaces it (engine lock held)."""
        config = env.provisioned_config
        config.busy -= 1
        if not config.cancelled:
            threading.Thread(target=self._allocate, args=(config,), daemon=True).start()

    def remove_function(self, account: str, region: str, name: str) -> None:
        for key in [key for key in list(self.configs) if key[:3] == (account, region, name)]:
            self._replace(key, None)

    def clear(self) -> None:
        for key in list(self.configs):
            self._replace(key, None)
