"""What the engine needs to know about one function version, read from moto's Lambda backend.

A ``FunctionSpec`` is everything that shapes an execution environment: code, handler,
runtime, memory, timeout, variables, layers, role. Environments are pooled per spec,
so an ``update_function_code`` or ``update_function_configuration`` (which changes
``$LATEST``'s spec) naturally stops reusing the old environments, as on Lambda.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from .contract import LambdaServiceError

PYTHON_RUNTIME = re.compile(r"^python(\d+)\.(\d+)$")
NODE_RUNTIME = re.compile(r"^nodejs(\d+)\.x$")


@dataclass(frozen=True)
class FunctionSpec:
    account: str
    region: str
    name: str
    version: str                 # "$LATEST" or a published version number
    function_arn: str            # unqualified
    runtime: str
    handler: str
    memory_size: int
    timeout: int
    role: str
    environment: tuple[tuple[str, str], ...]
    layer_arns: tuple[str, ...]
    code_sha256: str
    code_bytes: bytes = field(compare=False, hash=False, repr=False)
    layer_bytes: tuple[bytes, ...] = field(compare=False, hash=False, repr=False)

    @property
    def family(self) -> str:
        if PYTHON_RUNTIME.match(self.runtime or ""):
            return "python"
        if NODE_RUNTIME.match(self.runtime or ""):
            return "node"
        if (self.runtime or "").startswith("provided"):
            return "provided"
        return "unsupported"

    @property
    def python_version(self) -> tuple[int, int] | None:
        match = PYTHON_RUNTIME.match(self.runtime or "")
        return (int(match.group(1)), int(match.group(2))) if match else None

    @property
    def log_group(self) -> str:
        return f"/aws/lambda/{self.name}"

    @property
    def function_key(self) -> tuple[str, str, str]:
        """One function across all its versions: what reserved concurrency counts."""
        return (self.account, self.region, self.name)

    def runtime_version_label(self) -> str:
        """``python:3.12``, ``nodejs:20``, ``provided:al2023``: the INIT_START line's wording."""
        if self.family == "python":
            major, minor = self.python_version
            return f"python:{major}.{minor}"
        if self.family == "node":
            return f"nodejs:{NODE_RUNTIME.match(self.runtime).group(1)}"
        return self.runtime.replace(".", ":", 1) if "." in self.runtime else self.runtime


def lambda_backend(account: str, region: str):
    from moto.awslambda.models import lambda_backends

    return lambda_backends[account][region]


def find_function(account: str, region: str, name_or_arn: str, qualifier: str | None):
    """moto's function object for a name/ARN and qualifier; LambdaServiceError when absent."""
    from moto.core.exceptions import JsonRESTError

    try:
        return lambda_backend(account, region).get_function(name_or_arn, qualifier)
    except JsonRESTError as error:
        raise LambdaServiceError(error.error_type, error.message, getattr(error, "code", 404)) from None


def spec_from_function(fn: Any) -> FunctionSpec:
    backend = lambda_backend(fn.account_id, fn.region)
    layer_arns = tuple(layer["Arn"] for layer in (fn.layers or []))
    layer_bytes = []
    for arn in layer_arns:
        layer = backend.layers_versions_by_arn(arn)
        if layer is None:
            raise LambdaServiceError("ResourceNotFoundException", f"Layer version {arn} does not exist.", 404)
        layer_bytes.append(layer.code_bytes)
    version = str(fn.version)
    unqualified = fn.function_arn
    if version != "$LATEST" and unqualified.endswith(f":{version}"):
        unqualified = unqualified[: -len(version) - 1]
    return FunctionSpec(
        account=fn.account_id, region=fn.region, name=fn.function_name, version=version,
        function_arn=unqualified, runtime=fn.run_time or "", handler=fn.handler or "",
        memory_size=int(fn.memory_size or 128), timeout=int(fn.timeout or 3), role=fn.role,
        environment=tuple(sorted((fn.environment_vars or {}).items())),
        layer_arns=layer_arns, code_sha256=getattr(fn, "code_sha_256", "") or "",
        code_bytes=getattr(fn, "code_bytes", b"") or b"", layer_bytes=tuple(layer_bytes))


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
