"""What every finder and deleter shares: clients, the scope, the pacer, and error reading."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .model import Failure
from .pacing import Pacer, error_code
from .scope import Scope

# "It is already gone": deleting it again is success, not failure.
GONE_CODES = frozenset({"NoSuchEntity", "NoSuchEntityException", "ResourceNotFoundException",
                        "NotFoundException", "ResourceNotFound"})
DENIED_CODES = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
                          "UnrecognizedClientException", "InvalidClientTokenId", "403"})


def is_gone(error: Exception) -> bool:
    return error_code(error) in GONE_CODES


def is_unsupported(error: Exception) -> bool:
    """An endpoint that does not implement an operation answers a bare 404/501, never an AWS code.

    Real AWS always names its errors; moto answers 404 for routes it lacks (e.g.
    provisioned concurrency before the local cloud implements it). Teardown treats
    that as "nothing of this kind exists here".
    """
    code = error_code(error)
    # A bare HTTP status (moto's HTML 404/500 page) is never an AWS error: AWS always names its codes.
    return (code.isdigit() and code not in ("401", "403")) or code in {"NotImplemented", "NotImplementedError"} or (
        type(error).__name__ == "ResponseParserError")


def explain(error: Exception) -> str:
    """A one-line reason a learner can act on."""
    response = getattr(error, "response", None) or {}
    code = error_code(error) or type(error).__name__
    if is_unsupported(error):
        return f"{code}: this endpoint does not implement the call"
    message = str(response.get("Error", {}).get("Message", "") or error).strip().splitlines()[0][:300]
    reason = f"{code}: {message}" if message and message != code else code
    if code in DENIED_CODES:
        reason += (" (these credentials lack the permission: run teardown with the account "
                   "administrator's or the instructor's credentials)")
    return reason


@dataclass
class Context:
    session: Any  # boto3.session.Session
    scope: Scope
    region: str
    account: str
    pacer: Pacer
    progress: Callable[[str], None]
    include_learners: bool = False
    failures: list[Failure] = field(default_factory=list)
    foreign_functions: set[str] = field(default_factory=set)  # prefixed functions of no/another course
    unreadable: list[str] = field(default_factory=list)  # prefixed resources whose tags we may not read
    _clients: dict[tuple[str, bool], Any] = field(default_factory=dict)

    def client(self, service: str, *, single_attempt: bool = False) -> Any:
        """A client of ``service``; ``single_attempt`` for probing calls an endpoint may lack."""
        key = (service, single_attempt)
        if key not in self._clients:
            from botocore.config import Config

            # API Gateway: our own pacer retries (with progress output), not botocore silently.
            once = single_attempt or service == "apigateway"
            retries = {"max_attempts": 1, "mode": "standard"} if once else {"mode": "standard"}
            self._clients[key] = self.session.client(service, region_name=self.region,
                                                     config=Config(retries=retries))
        return self._clients[key]

    def pages(self, service: str, operation: str, key: str, **kwargs: Any) -> list[Any]:
        """Every item of a paginated list call, or of a plain one when no paginator exists."""
        client = self.client(service)
        if client.can_paginate(operation):
            items: list[Any] = []
            for page in client.get_paginator(operation).paginate(**kwargs):
                items.extend(page.get(key, []))
            return items
        return list(getattr(client, operation)(**kwargs).get(key, []))

    def call(self, service: str, operation: str, **kwargs: Any) -> Any:
        """One API call through the pacer (``operation`` in snake_case, as boto3 names it)."""
        method = getattr(self.client(service), operation)
        wire_name = "".join(part.title() for part in operation.split("_"))
        return self.pacer.call(wire_name, method, **kwargs)

    def readable(self, what: str, read: Callable[[], Any]) -> Any:
        """``read()`` (a resource's tags), or None when these credentials may not read them.

        A resource whose tags cannot be read cannot be proven the course's, so it is left
        alone and listed in the report: with the learner policy that is every other
        participant's resource whose name happens to start with this participant's prefix.
        """
        try:
            return read()
        except Exception as error:
            if error_code(error) in DENIED_CODES:
                self.unreadable.append(what)
                return None
            raise

    def could_not_list(self, what: str, error: Exception) -> None:
        self.failures.append(Failure(f"could not list {what}", explain(error)))
