"""Fixtures for the Lambda engine's tests: an execution role and a factory of functions.

Functions get unique names and are deleted afterwards; they declare the Python the
local cloud runs on, so environments fork from the zygote as they do for learners.
"""
from __future__ import annotations

import uuid

import pytest

from .support import PYTHON


@pytest.fixture(scope="session")
def lambda_role(local_cloud) -> str:
    import helpers

    from helpers.testing import lambda_execution_role

    helpers.connect("local", quiet=True)
    return lambda_execution_role("lambda-runtime-tests")


@pytest.fixture
def lam(connected):
    import boto3
    from botocore.config import Config

    return boto3.client("lambda", config=Config(retries={"max_attempts": 0}, read_timeout=120))


@pytest.fixture
def make_function(lam, lambda_role):
    """``make_function({"app.py": code}, handler="app.handler", **create_function arguments)`` → name."""
    from helpers.packaging import zip_files

    created: list[str] = []

    def make(files: dict[str, str] | bytes, handler: str = "app.handler", runtime: str = PYTHON, **kwargs) -> str:
        name = kwargs.pop("FunctionName", f"lrt-{uuid.uuid4().hex[:12]}")
        package = files if isinstance(files, bytes) else zip_files(files)
        lam.create_function(FunctionName=name, Runtime=runtime, Role=kwargs.pop("Role", lambda_role),
                            Handler=handler, Code={"ZipFile": package}, **kwargs)
        created.append(name)
        return name

    yield make
    for name in created:
        try:
            lam.delete_function(FunctionName=name)
        except Exception:
            pass
