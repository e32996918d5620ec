"""The Lambda engine's figures: warm and cold invokes, the local cloud's own time, memory.

Targets (issue 3): a warm invoke of a trivial Python handler ≤ 3 ms through boto3; the
local cloud's own time per warm invoke ≤ 1 ms (Invoke received → response sent, minus
the handler's Duration, from the request log); a cold start of a standard-library
handler ≤ 15 ms through boto3; the server's RSS grows < 10 % over 1,000 warm invokes;
an idle warm environment costs ≤ 20 MB of unique memory (USS).
"""
from __future__ import annotations

import re
import statistics
import sys
import time

from .stats import row, time_calls

PYTHON = f"python{sys.version_info.major}.{sys.version_info.minor}"
TRIVIAL = "def handler(event, context):\n    return {'ok': True}\n"
IMPORTS_BOTO3 = "import boto3\n\ndef handler(event, context):\n    return {'ok': True}\n"


def _deploy(lam, iam, name: str, code: str) -> str:
    from helpers.packaging import zip_code

    from helpers.testing import lambda_execution_role

    role = lambda_execution_role("bench-lambda-role", iam)
    try:
        lam.delete_function(FunctionName=name)
    except lam.exceptions.ResourceNotFoundException:
        pass
    lam.create_function(FunctionName=name, Runtime=PYTHON, Role=role, Handler="app.handler",
                        Code={"ZipFile": zip_code(code, "app.py")}, Timeout=30)
    return name


def _reclaim(session, endpoint: str, name: str) -> None:
    session.post(f"{endpoint}/_lambda/reclaim", params={"function": name}).raise_for_status()


def _init_ms(response: dict) -> float:
    import base64

    tail = base64.b64decode(response["LogResult"]).decode()
    return float(re.search(r"Init Duration: ([\d.]+) ms", tail).group(1))


def _cold_starts(lam, session, endpoint: str, name: str, n: int) -> tuple[list[float], list[float]]:
    clients, inits = [], []
    for _ in range(n):
        _reclaim(session, endpoint, name)
        time.sleep(0.05)  # let the reclaimed environment's teardown finish: measure a cold start alone
        begin = time.perf_counter()
        response = lam.invoke(FunctionName=name, Payload=b"{}", LogType="Tail")
        clients.append((time.perf_counter() - begin) * 1000)
        response["Payload"].read()
        inits.append(_init_ms(response))
    return clients, inits


def _own_time(lam, endpoint: str, name: str, n: int) -> list[float]:
    """From the request log: the Invoke handler's time minus the function's Duration."""
    from helpers.localcloud import client, control

    log_path = control.find_running().log
    with open(log_path, "rb") as log_file:
        start = log_file.seek(0, 2)
    client.set_settings(endpoint, COURSE_LOG_REQUESTS=True)
    try:
        for _ in range(n):
            lam.invoke(FunctionName=name, Payload=b"{}")["Payload"].read()
    finally:
        client.set_settings(endpoint, COURSE_LOG_REQUESTS=False)
    with open(log_path, "rb") as log_file:
        log_file.seek(start)
        text = log_file.read().decode("utf-8", "replace")
    pattern = re.compile(rf"lambda Invoke {re.escape(name)} → 200 in ([\d.]+) ms \(Duration ([\d.]+) ms\)")
    return [float(total) - float(duration) for total, duration in pattern.findall(text)]


def _server_rss_growth(lam, name: str, invokes: int) -> float:
    import psutil

    from helpers.localcloud import control

    server = psutil.Process(control.find_running().pid)
    for _ in range(200):  # warm up caches, logs, allocator pools
        lam.invoke(FunctionName=name, Payload=b"{}")["Payload"].read()
    before = server.memory_info().rss
    for _ in range(invokes):
        lam.invoke(FunctionName=name, Payload=b"{}")["Payload"].read()
    return (server.memory_info().rss - before) / before * 100


def _idle_uss_mb(session, endpoint: str, name: str) -> float:
    import psutil

    environments = session.get(f"{endpoint}/_lambda/environments", params={"function": name}).json()["environments"]
    return statistics.median(psutil.Process(env["pid"]).memory_full_info().uss / 2**20 for env in environments)


def run(quick: bool) -> list[dict]:
    import boto3
    import requests
    from botocore.config import Config

    import helpers

    connection = helpers.connect("local")
    endpoint = connection.endpoint
    lam = boto3.client("lambda", config=Config(retries={"max_attempts": 0}))
    iam = boto3.client("iam")
    session = requests.Session()
    trivial = _deploy(lam, iam, "bench-trivial", TRIVIAL)
    heavy = _deploy(lam, iam, "bench-imports-boto3", IMPORTS_BOTO3)
    n = 100 if quick else 2000
    rows = []
    warm = time_calls(lambda: lam.invoke(FunctionName=trivial, Payload=b"{}")["Payload"].read(), n, warmup=50)
    rows.append(row("Lambda warm invoke, trivial Python handler (boto3 round trip)", warm, 3.0))
    own = _own_time(lam, endpoint, trivial, 100 if quick else 1000)
    rows.append(row("Lambda: the local cloud's own time per warm invoke (Invoke in → response out − Duration)",
                    own or [float("nan")], 1.0))
    cold, init = _cold_starts(lam, session, endpoint, trivial, 10 if quick else 60)
    rows.append(row("Lambda cold start, standard-library handler (boto3 round trip)", cold, 15.0))
    rows.append(row("Lambda Init Duration, standard-library handler (REPORT line)", init, None))
    _, heavy_init = _cold_starts(lam, session, endpoint, heavy, 3 if quick else 15)
    rows.append(row("Lambda Init Duration, handler that imports boto3 (REPORT line)", heavy_init, None))
    growth = _server_rss_growth(lam, trivial, 100 if quick else 1000)
    rows.append(row(f"server RSS growth over {100 if quick else 1000} warm invokes, in % (not ms)", [growth], 10.0))
    rows.append(row("USS of an idle warm standard-library environment, in MB (not ms)",
                    [_idle_uss_mb(session, endpoint, trivial)], 20.0))
    for name in (trivial, heavy):
        lam.delete_function(FunctionName=name)
    return rows
