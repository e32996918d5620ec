"""The foundation's figures: start-up to the first STS answer, connect(), a get_item round trip."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

from .stats import row, time_calls

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_FIRST_STS = r"""
import time, sys, subprocess, os
begin = time.perf_counter()
process = subprocess.Popen([sys.executable, "-m", "helpers.localcloud", "serve", "--port", sys.argv[1]],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
process.stdout.readline()
import boto3
from helpers.localcloud import identity
sts = boto3.client("sts", endpoint_url="http://127.0.0.1:" + sys.argv[1], region_name="us-east-1",
                   aws_access_key_id=identity.ACCESS_KEY_ID, aws_secret_access_key=identity.SECRET_ACCESS_KEY)
sts.get_caller_identity()
print((time.perf_counter() - begin) * 1000)
process.terminate(); process.wait()
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def startup_to_first_sts(n: int) -> dict:
    samples = []
    for _ in range(n):
        with tempfile.TemporaryDirectory() as state:
            env = dict(os.environ, COURSE_STATE_DIR=state)
            out = subprocess.check_output([sys.executable, "-c", _FIRST_STS, str(_free_port())], cwd=ROOT,
                                          env=env, text=True)
            samples.append(float(out.strip().splitlines()[-1]))
    return row("local cloud start → first answered STS call (incl. server start)", samples, 1000.0)


def connect_and_get_item(n: int, url_env: dict) -> list[dict]:
    import boto3

    import helpers

    samples = time_calls(lambda: helpers.connect("local"), max(20, n // 10))
    connect_row = row("connect() with the local cloud running", samples, 50.0)
    ddb = boto3.client("dynamodb")
    table = "bench-items"
    try:
        ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
                         BillingMode="PAY_PER_REQUEST")
    except ddb.exceptions.ResourceInUseException:
        pass
    ddb.put_item(TableName=table, Item={"id": {"N": "1"}, "name": {"S": "bench"}})
    samples = time_calls(lambda: ddb.get_item(TableName=table, Key={"id": {"N": "1"}}), n)
    return [connect_row, row("boto3 DynamoDB get_item round trip (keep-alive)", samples, 3.0)]


def run(quick: bool) -> list[dict]:
    rows = [startup_to_first_sts(2 if quick else 7)]
    rows += connect_and_get_item(50 if quick else 1000, {})
    return rows
