"""The parts of the local cloud that moto lacks, plugged in around moto's server.

Each extension is a class with a ``name``; the local cloud creates one of each at
start, in this order, and offers every request to them before moto sees it. An
extension answers a request by returning a WSGI response iterable from
``handle``, or lets it pass with ``None``. Add a part of the cloud by adding a
line here; nothing else in the core changes.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from .cloud import LocalCloud

EXTENSIONS: list[str] = [
    "helpers.localcloud.admin:AdminExtension",
    "helpers.iam.extension:IamExtension",  # first after admin: IAM decides before any data plane acts
    "helpers.lambda_runtime.extension:LambdaExtension",
    "helpers.apigateway.extension:ApiGatewayExtension",
    "helpers.schedules.extension:SchedulesExtension",
    "helpers.dynamodb_fixes:DynamoDbFixesExtension",  # keys checked against the key schema
]


class Extension:
    """Base class: every hook is optional."""

    name = "extension"
    # Requests whose path starts with one of these are offered to ``handle``;
    # the check is a plain str.startswith so moto's own traffic pays nothing.
    path_prefixes: tuple[str, ...] = ()

    def __init__(self, cloud: "LocalCloud"):
        self.cloud = cloud

    def start(self) -> None:
        """Called once the server listens; patch moto or start workers here."""

    def handle(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes] | None:
        return None

    def on_reset(self) -> None:
        """The local cloud's state was wiped: drop whatever refers to it."""

    def on_settings_changed(self, changed: dict[str, Any]) -> None:
        """Runtime settings changed through the admin endpoint."""

    def stop(self) -> None:
        """The server is shutting down: end child processes, threads, timers."""


def load_extension_classes() -> list[type[Extension]]:
    classes = []
    for spec in EXTENSIONS:
        module_name, _, class_name = spec.partition(":")
        classes.append(getattr(importlib.import_module(module_name), class_name))
    return classes
