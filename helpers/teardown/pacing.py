"""Meeting AWS's request quotas with waits and retries instead of failures.

API Gateway's control plane has fixed, account-wide quotas that cannot be raised
(https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html, "API
Gateway quotas for creating, deploying and managing an API"): CreateRestApi 1
request every 3 seconds, CreateDeployment 1 every 5 seconds, DeleteRestApi 1
every 30 seconds. A room of thirty learners shares them, so a call can be refused
with ``TooManyRequestsException`` (HTTP 429) even when this process waited its
turn. ``Pacer`` spaces this process's own calls; ``call`` retries refusals with
exponential backoff (honouring ``Retry-After``) and says what it is waiting for.

The local cloud has no such quota, so pacing is off there; the retry path is the
same everywhere and the tests drive it with an injected clock.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable

# Seconds between two calls of one operation, per account (fixed quotas, see the module docstring).
API_GATEWAY_INTERVALS = {"CreateRestApi": 3.0, "CreateDeployment": 5.0, "DeleteRestApi": 30.0}

# Error codes AWS services use when a caller goes too fast. TooManyRequestsException is
# API Gateway's and Lambda's (429); ThrottlingException/Throttling IAM's, EventBridge's and Logs'.
THROTTLING_CODES = frozenset({"TooManyRequestsException", "ThrottlingException", "Throttling",
                              "ThrottledException", "RequestLimitExceeded", "SlowDown",
                              "ProvisionedThroughputExceededException"})


def error_code(error: Exception) -> str:
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def retry_after_seconds(error: Exception) -> float | None:
    """API Gateway's 429 carries ``Retry-After`` (seconds); other services may not."""
    response = getattr(error, "response", None) or {}
    headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {}) or {}
    value = headers.get("retry-after") or response.get("retryAfterSeconds")
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@dataclass
class Pacer:
    """Spaces calls of rate-limited operations and retries throttled calls.

    ``enabled`` turns the spacing on (real AWS); retries on throttling always apply.
    ``sleep`` and ``clock`` are injected so tests need not wait.
    """

    enabled: bool = True
    progress: Callable[[str], None] = print
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    intervals: dict[str, float] = field(default_factory=lambda: dict(API_GATEWAY_INTERVALS))
    give_up_after: float = 900.0  # a whole room's DeleteRestApi queue is long; past this, report and go on
    _last_call: dict[str, float] = field(default_factory=dict)
    waited: float = 0.0

    def _wait(self, seconds: float, why: str) -> None:
        if seconds <= 0:
            return
        self.progress(f"    … waiting {seconds:.0f} s: {why}")
        self.sleep(seconds)
        self.waited += seconds

    def space(self, operation: str) -> None:
        """Before a call: wait until this process's previous call of ``operation`` is old enough."""
        interval = self.intervals.get(operation)
        if not self.enabled or not interval or operation not in self._last_call:
            return
        remaining = self._last_call[operation] + interval - self.clock()
        self._wait(remaining, f"API Gateway allows one {operation} per {interval:.0f} s per account")

    def call(self, operation: str, function: Callable[..., Any], **kwargs: Any) -> Any:
        """``function(**kwargs)`` with spacing and retries on throttling; other errors propagate."""
        started = self.clock()
        attempt = 0
        while True:
            self.space(operation)
            try:
                return function(**kwargs)
            except Exception as error:  # botocore ClientError, without importing botocore here
                if error_code(error) not in THROTTLING_CODES:
                    raise
                attempt += 1
                if self.clock() - started > self.give_up_after:
                    raise
                base = self.intervals.get(operation, 1.0) if self.enabled else 0.5
                backoff = min(60.0, base * (2 ** (attempt - 1)))
                delay = max(retry_after_seconds(error) or 0.0, backoff) * random.uniform(1.0, 1.2)
                self._wait(delay, f"AWS refused {operation} ({error_code(error)}: too many requests "
                                  f"in this account), retry {attempt}")
            finally:
                self._last_call[operation] = self.clock()
