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
    from moto.iam.models import IAMBackend, iam_backends

    _only_in_the_aws_partition(IAMBackend)

    from ..localcloud.identity import ACCOUNT_ID

    if ACCOUNT_ID in iam_backends and "aws" in iam_backends[ACCOUNT_ID]:
        backend = iam_backends[ACCOUNT_ID]["aws"]  # created before the variable was set
        if not backend.aws_managed_policies:
            backend.aws_managed_policies = backend._init_aws_policies()
            backend.managed_policies.update({p.arn: p for p in backend.aws_managed_policies})


def _only_in_the_aws_partition(backend_class) -> None:
    """The course's account lives in the ``aws`` partition; moto would also parse all 1,600
    documents for aws-cn, aws-us-gov and the other partitions (about 0.1 s each) the first time
    an access key is looked up across them, which is the local cloud's first signed request."""
    original = backend_class._init_aws_policies
    if getattr(original, "_course_aws_partition_only", False):
        return

    def _init_aws_policies(self):
        return original(self) if self.partition == "aws" else []

    _init_aws_policies._course_aws_partition_only = True
    backend_class._init_aws_policies = _init_aws_policies
