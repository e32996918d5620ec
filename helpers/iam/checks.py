"""What one AWS API request must be allowed to do: (action, resource, context) checks.

A request maps to one or more checks: ``dynamodb:GetItem`` on the table's ARN; for
CreateFunction also ``iam:PassRole`` on the execution role; for BatchGetItem one check per
table. Each service module in ``services/`` builds them from the request it reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..localcloud import identity

ACCOUNT = identity.ACCOUNT_ID

# Keys every check can fill: global keys about the request itself (the principal's are
# added by the authorizer).
GLOBAL_KEYS = ("aws:requestedregion", "aws:currenttime", "aws:epochtime", "aws:sourceip")


@dataclass
class Check:
    action: str
    resource: str = "*"
    context: dict[str, list[str]] = field(default_factory=dict)
    supported: tuple[str, ...] = ()  # service keys this check fills (absent from context = absent)
    resource_tags: Callable[[], dict[str, str] | None] | None = None  # for aws:ResourceTag/...
    kind: str = "identity"  # "assume-role": also needs the role's trust policy


@dataclass
class Request:
    """What the authorizer knows about one signed request."""

    service: str  # the signing name from the credential scope: dynamodb, lambda, iam, ...
    region: str
    operation: str | None
    params: dict[str, Any]
    method: str
    path: str
    source_ip: str = ""
    caller_arn: str = ""  # some IAM operations act on the caller when no user is named


def request_tags(tags: Any) -> dict[str, list[str]]:
    """aws:RequestTag/<key> and aws:TagKeys from a request's tags (list of Key/Value or a map)."""
    if isinstance(tags, dict):
        pairs = [(str(k), str(v)) for k, v in tags.items()]
    elif isinstance(tags, list):
        pairs = [(str(t.get("Key", t.get("key", ""))), str(t.get("Value", t.get("value", ""))))
                 for t in tags if isinstance(t, dict)]
    else:
        pairs = []
    context = {f"aws:requesttag/{k.lower()}": [v] for k, v in pairs}
    context["aws:tagkeys"] = [k for k, _ in pairs]
    return context


TAG_KEYS = ("aws:requesttag/", "aws:tagkeys")


def pass_role(role_arn: str, service_principal: str, associated: str | None = None) -> Check:
    """iam:PassRole on the role a request hands to a service
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)."""
    context = {"iam:passedtoservice": [service_principal]}
    if associated:
        context["iam:associatedresourcearn"] = [associated]
    return Check("iam:PassRole", role_arn, context, ("iam:passedtoservice", "iam:associatedresourcearn"),
                 resource_tags=lambda: iam_role_tags(role_arn))


def iam_role_tags(role_arn: str) -> dict[str, str] | None:
    from moto.iam.models import iam_backends

    from .principals import _tags_as_dict

    try:
        return _tags_as_dict(iam_backends[ACCOUNT]["aws"].get_role_by_arn(role_arn).tags)
    except Exception:
        return None
