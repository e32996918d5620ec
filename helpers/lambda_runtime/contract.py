"""What other parts of the local cloud may ask of the Lambda runtime, in-process.

API Gateway, schedules and event sources call ``invoke`` on the runtime extension
(``cloud.extension("lambda")``) directly rather than over HTTP, so their targets
hold. The dataclass and the error are the whole contract.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class InvocationResult:
    request_id: str
    payload: bytes                 # the function's response, or the error document
    function_error: str | None     # None, "Unhandled" (or "Handled" for Event-less legacy cases)
    log_tail: str = ""             # the invocation's log text (the platform lines included)
    duration_ms: float = 0.0       # the handler's Duration as on the REPORT line
    init_duration_ms: float | None = None  # set on a cold start only
    executed_version: str = "$LATEST"
    status_code: int = 200         # 200 RequestResponse, 202 Event, 204 DryRun


class LambdaServiceError(Exception):
    """A Lambda API error (the function never ran), e.g. ResourceNotFoundException."""

    def __init__(self, code: str, message: str, status: int, extra: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.extra = extra or {}   # more fields of AWS's error body, e.g. {"Reason": ...} on a 429
