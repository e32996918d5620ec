"""IAM enforcement's cost: DynamoDB get_item round trips with COURSE_IAM_ENFORCE on and off.

Runs against its own local cloud (own port and state folder) so the learner's is untouched.
The target is the foundation's get_item target, which must still hold with enforcement on.
"""
from __future__ import annotations

import os
import socket
import tempfile

from .stats import row, time_calls

TARGET_MS = 3.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _measure(n: int) -> list[dict]:
    import json

    import boto3

    import helpers
    from helpers.localcloud import client, control

    instance = control.start(quiet=True)
    try:
        connection = helpers.connect("local")
        ddb = boto3.client("dynamodb")
        table = "bench-iam"
        ddb.create_table(TableName=table, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
                         BillingMode="PAY_PER_REQUEST")
        ddb.put_item(TableName=table, Item={"id": {"N": "1"}, "name": {"S": "bench"}})
        iam = boto3.client("iam")
        iam.create_user(UserName="bench-reader")
        iam.put_user_policy(UserName="bench-reader", PolicyName="read", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
                                                    "Resource": f"arn:aws:dynamodb:{connection.region}:"
                                                                f"{connection.account}:table/{table}"}]}))
        key = iam.create_access_key(UserName="bench-reader")["AccessKey"]
        reader = boto3.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                               region_name=connection.region).client("dynamodb")

        def get(client_):
            return lambda: client_.get_item(TableName=table, Key={"id": {"N": "1"}})

        # Alternate the two settings in rounds so load from other processes hits both alike.
        samples: dict[str, list[float]] = {"off": [], "admin": [], "reader": []}
        rounds = 10
        for _ in range(rounds):
            client.set_settings(instance.url, COURSE_IAM_ENFORCE=False)
            samples["off"] += time_calls(get(ddb), n // rounds)
            client.set_settings(instance.url, COURSE_IAM_ENFORCE=True)
            samples["admin"] += time_calls(get(ddb), n // rounds)
            samples["reader"] += time_calls(get(reader), n // rounds)
        rows = [row("DynamoDB get_item, IAM enforcement off", samples["off"], TARGET_MS),
                row("DynamoDB get_item, IAM enforcement on (local admin)", samples["admin"], TARGET_MS),
                row("DynamoDB get_item, IAM enforcement on (table-scoped user)", samples["reader"], TARGET_MS)]
        return rows
    finally:
        control.stop()


def run(quick: bool) -> list[dict]:
    saved = {k: os.environ.get(k) for k in ("COURSE_STATE_DIR", "COURSE_LOCAL_PORT")}
    with tempfile.TemporaryDirectory() as state:
        os.environ["COURSE_STATE_DIR"] = state
        os.environ["COURSE_LOCAL_PORT"] = str(_free_port())
        try:
            return _measure(100 if quick else 1000)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
