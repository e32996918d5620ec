"""Who is calling: an access key resolved to an IAM user or a role session, with its policies.

The local cloud keeps its identities in moto's in-process IAM and STS backends; this module
reads them (never through HTTP). A user's permissions are its inline and attached policies
plus its groups'; a role session's are the role's, limited by the role's permissions boundary
and by the session policy passed to AssumeRole
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..localcloud import identity
from .policy import Policy, PolicyError

PARTITION = "aws"


class AuthenticationError(Exception):
    """The request's credentials are not accepted; ``code`` is the AWS error family."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code  # "InvalidClientTokenId", "ExpiredToken", "SignatureDoesNotMatch", "IncompleteSignature"
        self.message = message


@dataclass
class Principal:
    """An authenticated caller and everything its authorization depends on."""

    arn: str
    kind: str  # "User" or "AssumedRole" (the values of aws:PrincipalType)
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None
    expiration: _dt.datetime | None = None
    name: str = ""  # user name, or role name for a session
    role_arn: str | None = None  # for sessions: the role's own ARN (trust policies name it)
    user_id: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    identity_policies: list[Policy] = field(default_factory=list)
    boundary: Policy | None = None
    session_policy: Policy | None = None

    @property
    def account(self) -> str:
        return self.arn.split(":")[4]

    def variables(self) -> dict[str, str]:
        """Values of the policy variables and principal condition keys (lower-cased names)."""
        values = {"aws:principalarn": self.role_arn if self.kind == "AssumedRole" else self.arn,
                  "aws:principalaccount": self.account, "aws:principaltype": self.kind,
                  "aws:userid": self.user_id}
        if self.kind == "User":
            values["aws:username"] = self.name
        for key, value in self.tags.items():
            values[f"aws:principaltag/{key.lower()}"] = value
        return values

    def is_expired(self) -> bool:
        if self.expiration is None:
            return False
        expiration = self.expiration
        if expiration.tzinfo is None:
            expiration = expiration.replace(tzinfo=_dt.timezone.utc)
        return expiration <= _dt.datetime.now(_dt.timezone.utc)


def _iam_backend():
    from moto.iam.models import iam_backends

    return iam_backends[identity.ACCOUNT_ID][PARTITION]


def _tags_as_dict(tags) -> dict[str, str]:
    if isinstance(tags, dict):
        items = tags.values()
    else:
        items = tags or []
    result = {}
    for tag in items:
        if isinstance(tag, dict) and "Key" in tag:
            result[tag["Key"]] = tag.get("Value", "")
    return result


def _default_document(managed_policy) -> str:
    for version in managed_policy.versions:
        if version.is_default:
            return version.document
    return managed_policy.versions[-1].document


def _parse(document, name: str, kind: str = "identity-based policy") -> Policy | None:
    try:
        return Policy.parse(document, name, kind)
    except PolicyError:
        return None  # moto validated it on the way in; a document we cannot read grants nothing


def _policies_of(entity) -> list[Policy]:
    policies = []
    for name, document in getattr(entity, "policies", {}).items():
        parsed = _parse(document, name)
        if parsed:
            policies.append(parsed)
    for arn, managed in getattr(entity, "managed_policies", {}).items():
        parsed = _parse(_default_document(managed), arn)
        if parsed:
            policies.append(parsed)
    return policies


def _user_principal(user, key) -> Principal:
    backend = _iam_backend()
    policies = _policies_of(user)
    for group in backend.get_groups_for_user(user.name):
        policies += _policies_of(group)
    tags = _tags_as_dict(backend.tagger.list_tags_for_resource(user.arn)["Tags"])
    return Principal(arn=user.arn, kind="User", access_key_id=key.access_key_id,
                     secret_access_key=key.secret_access_key, name=user.name, user_id=user.id,
                     tags=tags, identity_policies=policies)


def _session_principal(session) -> Principal:
    backend = _iam_backend()
    role_name = session.role_arn.split("/")[-1]
    principal = Principal(arn=session.arn, kind="AssumedRole", access_key_id=session.access_key_id,
                          secret_access_key=session.secret_access_key, session_token=session.session_token,
                          expiration=session.expiration, name=role_name, role_arn=session.role_arn)
    try:
        role = backend.get_role_by_arn(session.role_arn)
    except Exception:
        return principal  # the role was deleted: its sessions keep no permissions
    principal.user_id = f"{role.id}:{session.session_name}"
    principal.tags = _tags_as_dict(role.tags)
    principal.identity_policies = _policies_of(role)
    if role.permissions_boundary_arn:
        try:
            managed = backend.get_policy(role.permissions_boundary_arn)
            principal.boundary = _parse(_default_document(managed), role.permissions_boundary_arn,
                                        "permissions boundary")
        except Exception:
            principal.boundary = Policy([], role.permissions_boundary_arn, "permissions boundary")
    if session.policy:
        principal.session_policy = _parse(session.policy, "session policy", "session policy")
    return principal


def resolve(access_key_id: str, session_token: str | None) -> Principal:
    """The principal owning this access key, or AuthenticationError as AWS would answer."""
    from moto.sts.models import sts_backends

    backend = _iam_backend()
    if not session_token:
        for user in backend.users.values():
            for key in user.access_keys:
                if key.access_key_id == access_key_id:
                    if getattr(key, "status", "Active") != "Active":
                        break
                    return _user_principal(user, key)
        raise AuthenticationError("InvalidClientTokenId", "The security token included in the request is invalid.")
    # Sessions live in the partition's STS backend; look in any other region's too, in case a
    # part of the local cloud assumed a role through a regional backend.
    account_backends = sts_backends[identity.ACCOUNT_ID]
    backends = [account_backends[PARTITION]] + [b for r, b in list(account_backends.items()) if r != PARTITION]
    for backend in backends:
        for session in backend.assumed_roles:
            if session.access_key_id == access_key_id:
                if session.session_token != session_token:
                    raise AuthenticationError("InvalidClientTokenId",
                                              "The security token included in the request is invalid.")
                return _session_principal(session)
    raise AuthenticationError("InvalidClientTokenId", "The security token included in the request is invalid.")
