"""The least-privilege learner policy: ``data/policies/learner-policy.json`` made concrete.

The template scopes every permission to the participant's prefix by resource ARN
(``{{participant}}``, ``{{account}}``, ``{{region}}`` are filled in here). API
Gateway is the exception: its ARNs carry generated ids
(``arn:aws:apigateway:<region>::/restapis/a1b2c3d4e5``), so a prefix cannot be
written into them; REST APIs are scoped by tags instead, ``aws:RequestTag/...`` when
one is created and ``aws:ResourceTag/...`` afterwards — child resources (methods,
integrations, stages, deployments) inherit the REST API's tags for this purpose
(https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging-supported-resources.html,
https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging-iam-policy.html).
``iam:PassRole`` is allowed for the participant's own roles and only towards
``lambda.amazonaws.com``.

What it cannot stop: a learner may put an inline policy on a role of their own and
assume it. Only a permissions boundary closes that; see docs/instructor-guide.md.

A managed policy may hold 6,144 characters without white space
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); the
tests keep the filled-in policy below that for the longest participant name.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ..errors import CourseError
from ..naming import validate_participant
from ..paths import data_dir

TEMPLATE = data_dir() / "policies" / "learner-policy.json"
MAX_MANAGED_POLICY_CHARS = 6144
PRINCIPAL_TAG = "${aws:PrincipalTag/participant}"
_ACCOUNT = re.compile(r"^\d{12}$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")


def template_text() -> str:
    return TEMPLATE.read_text()


def _fill(participant: str, account: str, region: str) -> dict[str, Any]:
    if not _ACCOUNT.match(str(account)):
        raise CourseError(f"{account!r} is not an AWS account id.",
                          fix="Use the 12 digits `aws sts get-caller-identity` shows as Account.")
    if not _REGION.match(str(region)):
        raise CourseError(f"{region!r} is not an AWS region name.", fix="Use e.g. ap-northeast-2 or us-east-1.")
    text = (template_text().replace("{{participant}}", participant)
            .replace("{{account}}", str(account)).replace("{{region}}", region))
    return json.loads(text)


def learner_policy(participant: str, account: str, region: str) -> dict[str, Any]:
    """The policy document for one participant, ready for ``iam.create_policy``."""
    return _fill(validate_participant(participant), account, region)


def shared_learner_policy(account: str, region: str) -> dict[str, Any]:
    """One document for every learner, each scoped by the ``participant`` tag of their own session.

    For IAM Identity Center permission sets with attributes for access control, or
    roles assumed with a ``participant`` session tag: the prefix becomes the policy
    variable ``${aws:PrincipalTag/participant}``.
    """
    return _fill(PRINCIPAL_TAG, account, region)


def policy_size(document: dict[str, Any]) -> int:
    """Characters IAM counts against its size quota: the JSON without white space."""
    return len(re.sub(r"\s", "", json.dumps(document, separators=(",", ":"))))
