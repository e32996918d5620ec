"""Small helpers shared by the Lambda engine's tests."""
from __future__ import annotations

import base64
import json
import sys
from concurrent.futures import ThreadPoolExecutor

PYTHON = f"python{sys.version_info.major}.{sys.version_info.minor}"
from helpers.testing import LAMBDA_TRUST  # noqa: F401  (the tests import it from here)


def invoke(lam, name: str, event=None, **kwargs) -> tuple[dict, object]:
    """Invoke and decode: (the boto3 response, the JSON payload or raw bytes)."""
    payload = kwargs.pop("Payload", None)
    if payload is None:
        payload = json.dumps({} if event is None else event).encode()
    response = lam.invoke(FunctionName=name, Payload=payload, **kwargs)
    body = response["Payload"].read()
    try:
        return response, json.loads(body) if body else None
    except ValueError:
        return response, body


def tail_of(response: dict) -> str:
    return base64.b64decode(response["LogResult"]).decode("utf-8")


def report_of(response: dict) -> str:
    return next(line for line in tail_of(response).splitlines() if line.startswith("REPORT"))


def in_parallel(count: int, call):
    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(call, index) for index in range(count)]
        return [future.result() for future in futures]
