"""AWS managed policies (AWSLambdaBasicExecutionRole, AmazonDynamoDBReadOnlyAccess, ...).

On AWS they exist in every account under ``arn:aws:iam::aws:policy/...``; the course attaches
them by ARN. moto ships their documents but loads them only when
``MOTO_IAM_LOAD_MANAGED_POLICIES=true`` (about 1,600 policies, ~0.1 s per reset), so the
local cloud turns that on unless it was set explicitly.
"""
from __future__ import annotations

import os

VARIABLE = "MOTO_IAM_LOAD_MANAGED_POLICIES"


def enable_aws_managed_policies() -> None:
    os.environ.setdefault(VARIABLE, "true")
    if os.environ[VARIABLE].lower() != "true":
        return
    from moto.iam.models import iam_backends

    from ..localcloud.identity import ACCOUNT_ID

    if ACCOUNT_ID in iam_backends and "aws" in iam_backends[ACCOUNT_ID]:
        backend = iam_backends[ACCOUNT_ID]["aws"]  # created before the variable was set
        if not backend.aws_managed_policies:
            backend.aws_managed_policies = backend._init_aws_policies()
            backend.managed_policies.update({p.arn: p for p in backend.aws_managed_policies})
