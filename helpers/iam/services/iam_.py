"""IAM requests as IAM checks: ``iam:<Operation>`` on the user, role, group, policy or
instance profile the request names.

Service Authorization Reference, AWS Identity and Access Management:
https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
ARNs carry the entity's path (``arn:aws:iam::<account>:role/service-role/x``); operations on
a user that name none (GetUser, CreateAccessKey, ListAccessKeys...) act on the calling user.
Attach/Detach/PutPermissionsBoundary set ``iam:PolicyARN``; Create/Tag set aws:RequestTag
and aws:TagKeys; AddRoleToInstanceProfile also needs iam:PassRole (to ec2.amazonaws.com).
"""
from __future__ import annotations

from ..checks import ACCOUNT, TAG_KEYS, Check, Request, iam_role_tags, pass_role

NO_RESOURCE = {"ListUsers", "ListRoles", "ListPolicies", "ListGroups", "ListInstanceProfiles", "GetAccountSummary",
               "GetAccountAuthorizationDetails", "ListAccountAliases", "CreateAccountAlias", "DeleteAccountAlias",
               "GetAccountPasswordPolicy", "UpdateAccountPasswordPolicy", "DeleteAccountPasswordPolicy",
               "GenerateCredentialReport", "GetCredentialReport", "ListServerCertificates",
               "ListOpenIDConnectProviders", "ListSAMLProviders", "ListVirtualMFADevices", "SimulateCustomPolicy",
               "GetContextKeysForCustomPolicy", "CreateVirtualMFADevice"}
_CALLER_USER_OPERATIONS = {"GetUser", "CreateAccessKey", "ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey",
                           "ListMFADevices", "ListSigningCertificates", "ListSSHPublicKeys", "ChangePassword",
                           "GetAccessKeyLastUsed"}
_POLICY_ARN_OPERATIONS = {"AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy", "DetachUserPolicy",
                          "DetachRolePolicy", "DetachGroupPolicy"}


def _backend():
    from moto.iam.models import iam_backends

    return iam_backends[ACCOUNT]["aws"]


def _path_of(kind: str, name: str, requested_path: str | None) -> str:
    try:
        entity = {"user": _backend().get_user, "role": _backend().get_role,
                  "group": _backend().get_group}[kind](name)
        return entity.path
    except Exception:
        return requested_path or "/"


def entity_arn(kind: str, name: str, path: str | None = None) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{kind}{_path_of(kind, name, path)}{name}"


def _tags_from_query(params: dict) -> dict[str, list[str]]:
    pairs = {}
    for key, value in params.items():
        if key.startswith("Tags.member.") and key.endswith(".Key"):
            index = key[len("Tags.member."):-len(".Key")]
            pairs[value] = params.get(f"Tags.member.{index}.Value", "")
    context = {f"aws:requesttag/{k.lower()}": [v] for k, v in pairs.items()}
    context["aws:tagkeys"] = list(pairs)
    return context


def _user_tags(name: str):
    def load():
        backend = _backend()
        try:
            user = backend.get_user(name)
            return {t["Key"]: t["Value"] for t in backend.tagger.list_tags_for_resource(user.arn)["Tags"]}
        except Exception:
            return None

    return load


def checks(request: Request) -> list[Check] | None:
    op, params = request.operation, request.params
    if not op:
        return None
    action = f"iam:{op}"
    if op in NO_RESOURCE:
        return [Check(action)]
    context: dict[str, list[str]] = {}
    supported: tuple[str, ...] = ()
    if op.startswith(("Create", "Tag")):
        context, supported = _tags_from_query(params), TAG_KEYS
    if op.startswith("Untag"):
        keys = [v for k, v in params.items() if k.startswith("TagKeys.member.")]
        context, supported = {"aws:tagkeys": keys}, TAG_KEYS
    if op in _POLICY_ARN_OPERATIONS or op.endswith("PermissionsBoundary"):
        context["iam:policyarn"] = [params.get("PolicyArn") or params.get("PermissionsBoundary") or ""]
        supported += ("iam:policyarn",)
    path = params.get("Path")
    extra: list[Check] = []
    tags = None
    if params.get("InstanceProfileName"):
        resource = f"arn:aws:iam::{ACCOUNT}:instance-profile{path or '/'}{params['InstanceProfileName']}"
        if op == "AddRoleToInstanceProfile" and params.get("RoleName"):
            extra.append(pass_role(entity_arn("role", params["RoleName"]), "ec2.amazonaws.com"))
    elif op in ("AddUserToGroup", "RemoveUserFromGroup"):
        resource = entity_arn("group", params.get("GroupName", ""), path)
    elif params.get("RoleName"):
        resource = entity_arn("role", params["RoleName"], path)
        tags = lambda arn=resource: iam_role_tags(arn)  # noqa: E731
    elif params.get("UserName"):
        resource = entity_arn("user", params["UserName"], path)
        tags = _user_tags(params["UserName"])
    elif op in _CALLER_USER_OPERATIONS:
        resource = request.caller_arn or "*"
    elif params.get("GroupName"):
        resource = entity_arn("group", params["GroupName"], path)
    elif params.get("PolicyArn"):
        resource = params["PolicyArn"]
    elif op == "CreatePolicy" and params.get("PolicyName"):
        resource = f"arn:aws:iam::{ACCOUNT}:policy{path or '/'}{params['PolicyName']}"
    elif params.get("OpenIDConnectProviderArn") or params.get("SAMLProviderArn"):
        resource = params.get("OpenIDConnectProviderArn") or params["SAMLProviderArn"]
    else:
        return None
    return [Check(action, resource, context, supported, resource_tags=tags)] + extra
