"""What the course's own tests and benchmarks share. Notebooks never use this module:
there, learners write the role and its trust policy themselves with plain boto3."""
from __future__ import annotations

import json

LAMBDA_TRUST = {"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                               "Action": "sts:AssumeRole"}]}


def lambda_execution_role(name: str, iam=None) -> str:
    """The ARN of the role ``name`` that Lambda may assume, created on first use (re-runs reuse it)."""
    if iam is None:
        import boto3

        iam = boto3.client("iam")
    try:
        return iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST))["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        return iam.get_role(RoleName=name)["Role"]["Arn"]
