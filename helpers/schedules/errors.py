"""The one error a schedule expression can raise, and the message AWS answers with."""
from __future__ import annotations

# PutRule answers every bad expression with this one message (HTTP 400 ValidationException);
# the local cloud does the same, and logs the precise reason next to it.
AWS_MESSAGE = "Parameter ScheduleExpression is not valid."


class ScheduleExpressionError(ValueError):
    """What is wrong with a schedule expression, and how to write it instead."""

    def __init__(self, expression: str, reason: str):
        super().__init__(f"{expression!r} is not a valid schedule expression: {reason}")
        self.expression = expression
        self.reason = reason
