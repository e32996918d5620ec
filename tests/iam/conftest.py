"""Fixtures for the IAM tests: enforcement on for the test, IAM users and roles made to measure.

``IAM_TESTS_BASELINE=moto`` runs the same tests against moto's own enforcement instead of
the local cloud's (COURSE_IAM_ENFORCE off, ``/moto-api/reset-auth`` 0): the fault tests must
fail there - that is how we know each one pins a real fix.
"""
from __future__ import annotations

import io
import json
import os
import urllib.request
import uuid
import zipfile

import boto3
import pytest

from helpers.localcloud import client
from helpers.localcloud.identity import ACCOUNT_ID
from helpers.testing import LAMBDA_TRUST  # noqa: F401  (the tests import it from here)

BASELINE = os.environ.get("IAM_TESTS_BASELINE", "")


def _reset_auth(url: str, value: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/reset-auth", data=value.encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(request, timeout=5).read()


@pytest.fixture
def enforcing(local_cloud, connected):
    """IAM enforcement on for one test, then back to what it was (others share this local cloud)."""
    previous = client.get_settings(local_cloud.url)["COURSE_IAM_ENFORCE"]
    if BASELINE == "moto":
        _reset_auth(local_cloud.url, "0")
    else:
        client.set_settings(local_cloud.url, COURSE_IAM_ENFORCE=True)
    yield connected
    if BASELINE == "moto":
        _reset_auth(local_cloud.url, "inf")
    else:
        client.set_settings(local_cloud.url, COURSE_IAM_ENFORCE=previous)


def unique(base: str) -> str:
    return f"iamt-{base}-{uuid.uuid4().hex[:8]}"


def policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*", **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action, resource="*", **extra) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


class IamFactory:
    """Creates users (with a key and an inline policy) and roles; deletes them at the end."""

    def __init__(self, region: str):
        self.region = region
        self.iam = boto3.client("iam")
        self.users: list[str] = []
        self.roles: list[str] = []

    def user(self, document: str | None = None, name: str | None = None) -> tuple[str, boto3.Session]:
        name = name or unique("user")
        self.iam.create_user(UserName=name)
        self.users.append(name)
        if document:
            self.iam.put_user_policy(UserName=name, PolicyName="test", PolicyDocument=document)
        key = self.iam.create_access_key(UserName=name)["AccessKey"]
        session = boto3.Session(aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                                region_name=self.region)
        return f"arn:aws:iam::{ACCOUNT_ID}:user/{name}", session

    def role(self, trust: dict, document: str | None = None, name: str | None = None) -> str:
        name = name or unique("role")
        arn = self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        self.roles.append(name)
        if document:
            self.iam.put_role_policy(RoleName=name, PolicyName="test", PolicyDocument=document)
        return arn

    def cleanup(self) -> None:
        for name in self.users:
            for key in self.iam.list_access_keys(UserName=name)["AccessKeyMetadata"]:
                self.iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
            for policy_name in self.iam.list_user_policies(UserName=name)["PolicyNames"]:
                self.iam.delete_user_policy(UserName=name, PolicyName=policy_name)
            for attached in self.iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]:
                self.iam.detach_user_policy(UserName=name, PolicyArn=attached["PolicyArn"])
            self.iam.delete_user(UserName=name)
        for name in self.roles:
            for policy_name in self.iam.list_role_policies(RoleName=name)["PolicyNames"]:
                self.iam.delete_role_policy(RoleName=name, PolicyName=policy_name)
            for attached in self.iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
                self.iam.detach_role_policy(RoleName=name, PolicyArn=attached["PolicyArn"])
            self.iam.delete_role(RoleName=name)


@pytest.fixture
def make(enforcing):
    factory = IamFactory(enforcing.region)
    yield factory
    factory.cleanup()


@pytest.fixture
def table(enforcing):
    """A fresh table with one item, created by the local administrator."""
    ddb = boto3.client("dynamodb")
    name = unique("table")
    ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName=name, Item={"id": {"N": "1"}, "name": {"S": "ausg"}})
    yield name
    ddb.delete_table(TableName=name)


def table_arn(region: str, name: str) -> str:
    return f"arn:aws:dynamodb:{region}:{ACCOUNT_ID}:table/{name}"


def handler_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


