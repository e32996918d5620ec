"""IAM: roles, users and customer managed policies, each emptied before it is deleted.

IAM refuses to delete an entity that still has something attached
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage_delete.html,
https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_remove.html,
https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_manage-delete.html):
a role leaves its instance profiles and loses its inline and attached policies; a
user loses its access keys, login profile, policies, groups, MFA devices, signing
certificates and SSH keys; a policy is detached everywhere and loses its
non-default versions. Those are listed as the entity's dependents.

Learner users made by ``python -m helpers.workshop create-learners`` live under
the path ``/course-learners/``, are named exactly as their participant, and are
deleted (keys included) only when asked (``include_learners``; the default for
``--all-participants``), never by a learner tearing down their own work.
"""
from __future__ import annotations

from ...naming import COURSE_TAG_VALUE
from ..context import Context, is_gone, is_unsupported
from ..model import Resource
from ..scope import COURSE_TAG, LEARNER_PATH, PARTICIPANT_TAG, tags_from_list

SERVICE_PATHS = ("/aws-service-role/", "/service-role/aws-")


def mask_key(access_key_id: str) -> str:
    """Access key ids are shown shortened, never in full (AKIA…WXYZ)."""
    return f"{access_key_id[:4]}…{access_key_id[-4:]}" if len(access_key_id) > 8 else "…"


def _optional(ctx: Context, operation: str, key: str, **kwargs) -> list:
    try:
        return ctx.pages("iam", operation, key, **kwargs)
    except Exception as error:
        if is_unsupported(error) or is_gone(error):
            return []
        raise


# -- roles -------------------------------------------------------------------
def _role_dependents(ctx: Context, role: str, owner: str) -> list[Resource]:
    children = []
    for profile in _optional(ctx, "list_instance_profiles_for_role", "InstanceProfiles", RoleName=role):
        children.append(Resource("IAM role in instance profile", f"{profile['InstanceProfileName']}/{role}", owner,
                                 {"InstanceProfileName": profile["InstanceProfileName"], "RoleName": role}))
    for policy in _optional(ctx, "list_role_policies", "PolicyNames", RoleName=role):
        children.append(Resource("IAM inline policy", f"{role}/{policy}", owner,
                                 {"RoleName": role, "PolicyName": policy}))
    for policy in _optional(ctx, "list_attached_role_policies", "AttachedPolicies", RoleName=role):
        children.append(Resource("IAM policy attachment", f"{role} <- {policy['PolicyName']}", owner,
                                 {"RoleName": role, "PolicyArn": policy["PolicyArn"]}))
    return children


def find_roles(ctx: Context) -> list[Resource]:
    found = []
    client = ctx.client("iam")
    for role in ctx.pages("iam", "list_roles", "Roles"):
        name = role["RoleName"]
        if role.get("Path", "/").startswith(SERVICE_PATHS) or not ctx.scope.may_have_prefix(name):
            continue
        tags = ctx.readable(f"IAM role {name}", lambda: client.list_role_tags(RoleName=name).get("Tags"))
        owner = None if tags is None else ctx.scope.owner_by_tags(name, tags_from_list(tags))
        if owner is not None:
            found.append(Resource("IAM role", name, owner, {"RoleName": name}, _role_dependents(ctx, name, owner)))
    return found


# -- users -------------------------------------------------------------------
def _learner_owner(ctx: Context, user: dict, tags: dict[str, str]) -> str | None:
    """A workshop learner: path /course-learners/, name == participant tag, course tag."""
    name = user["UserName"]
    if (not ctx.include_learners or tags.get(COURSE_TAG) != COURSE_TAG_VALUE
            or tags.get(PARTICIPANT_TAG) != name):
        return None
    ctx.scope.known.add(name)
    return name if ctx.scope.wants(name) else None


def _user_dependents(ctx: Context, user: str, owner: str, learner: bool) -> list[Resource]:
    children = []
    for key in _optional(ctx, "list_access_keys", "AccessKeyMetadata", UserName=user):
        children.append(Resource("IAM access key", f"{user}/{mask_key(key['AccessKeyId'])}", owner,
                                 {"UserName": user, "AccessKeyId": key["AccessKeyId"]}))
    try:
        ctx.client("iam").get_login_profile(UserName=user)
        children.append(Resource("IAM login profile", user, owner, {"UserName": user}))
    except Exception as error:
        if not (is_gone(error) or is_unsupported(error)):
            raise
    for policy in _optional(ctx, "list_user_policies", "PolicyNames", UserName=user):
        children.append(Resource("IAM inline policy", f"{user}/{policy}", owner, {"UserName": user, "PolicyName": policy}))
    learner_policies = []
    for policy in _optional(ctx, "list_attached_user_policies", "AttachedPolicies", UserName=user):
        children.append(Resource("IAM policy attachment", f"{user} <- {policy['PolicyName']}", owner,
                                 {"UserName": user, "PolicyArn": policy["PolicyArn"]}))
        if learner and f":policy{LEARNER_PATH}" in policy["PolicyArn"]:
            learner_policies.append(policy)
    for group in _optional(ctx, "list_groups_for_user", "Groups", UserName=user):
        children.append(Resource("IAM group membership", f"{group['GroupName']}/{user}", owner,
                                 {"GroupName": group["GroupName"], "UserName": user}))
    for device in _optional(ctx, "list_mfa_devices", "MFADevices", UserName=user):
        children.append(Resource("IAM MFA device", f"{user}/{device['SerialNumber'].rsplit('/', 1)[-1]}", owner,
                                 {"UserName": user, "SerialNumber": device["SerialNumber"]}))
    for cert in _optional(ctx, "list_signing_certificates", "Certificates", UserName=user):
        children.append(Resource("IAM signing certificate", f"{user}/{cert['CertificateId'][:8]}", owner,
                                 {"UserName": user, "CertificateId": cert["CertificateId"]}))
    for key in _optional(ctx, "list_ssh_public_keys", "SSHPublicKeys", UserName=user):
        children.append(Resource("IAM SSH public key", f"{user}/{key['SSHPublicKeyId']}", owner,
                                 {"UserName": user, "SSHPublicKeyId": key["SSHPublicKeyId"]}))
    for policy in learner_policies:  # the learner's own policy, made with the user, goes with it
        children.append(Resource("IAM policy", policy["PolicyName"], owner, {"PolicyArn": policy["PolicyArn"]},
                                 _policy_versions(ctx, policy["PolicyArn"], policy["PolicyName"], owner)))
    return children


def find_users(ctx: Context) -> list[Resource]:
    found = []
    client = ctx.client("iam")
    for user in ctx.pages("iam", "list_users", "Users"):
        name = user["UserName"]
        learner = user.get("Path") == LEARNER_PATH
        if not learner and not ctx.scope.may_have_prefix(name):
            continue
        if learner and not ctx.include_learners:
            continue
        tags = ctx.readable(f"IAM user {name}", lambda: tags_from_list(client.list_user_tags(UserName=name).get("Tags")))
        if tags is None:
            continue
        owner = _learner_owner(ctx, user, tags) if learner else ctx.scope.owner_by_tags(name, tags)
        if owner is not None:
            found.append(Resource("IAM user" if not learner else "IAM learner user", name, owner,
                                  {"UserName": name}, _user_dependents(ctx, name, owner, learner)))
    return found


# -- customer managed policies -----------------------------------------------
def _policy_versions(ctx: Context, arn: str, name: str, owner: str) -> list[Resource]:
    return [Resource("IAM policy version", f"{name}:{v['VersionId']}", owner, {"PolicyArn": arn, "VersionId": v["VersionId"]})
            for v in _optional(ctx, "list_policy_versions", "Versions", PolicyArn=arn) if not v.get("IsDefaultVersion")]


def find_policies(ctx: Context) -> list[Resource]:
    found = []
    client = ctx.client("iam")
    for policy in ctx.pages("iam", "list_policies", "Policies", Scope="Local"):
        name, arn = policy["PolicyName"], policy["Arn"]
        if policy.get("Path") == LEARNER_PATH or not ctx.scope.may_have_prefix(name):
            continue
        tags = ctx.readable(f"IAM policy {name}", lambda: client.list_policy_tags(PolicyArn=arn).get("Tags"))
        owner = None if tags is None else ctx.scope.owner_by_tags(name, tags_from_list(tags))
        if owner is not None:
            found.append(Resource("IAM policy", name, owner, {"PolicyArn": arn}, _policy_versions(ctx, arn, name, owner)))
    return found


def _delete_policy(ctx: Context, resource: Resource) -> None:
    """Detach what is still attached (entities outside the course included: say so), then delete."""
    arn = resource.ident["PolicyArn"]
    entities = ctx.client("iam").list_entities_for_policy(PolicyArn=arn)
    for role in entities.get("PolicyRoles", []):
        ctx.call("iam", "detach_role_policy", RoleName=role["RoleName"], PolicyArn=arn)
        ctx.progress(f"    (detached it from role {role['RoleName']} first)")
    for user in entities.get("PolicyUsers", []):
        ctx.call("iam", "detach_user_policy", UserName=user["UserName"], PolicyArn=arn)
        ctx.progress(f"    (detached it from user {user['UserName']} first)")
    for group in entities.get("PolicyGroups", []):
        ctx.call("iam", "detach_group_policy", GroupName=group["GroupName"], PolicyArn=arn)
        ctx.progress(f"    (detached it from group {group['GroupName']} first)")
    ctx.call("iam", "delete_policy", PolicyArn=arn)


def _detach(ctx: Context, resource: Resource) -> None:
    if "RoleName" in resource.ident:
        ctx.call("iam", "detach_role_policy", **resource.ident)
    else:
        ctx.call("iam", "detach_user_policy", **resource.ident)


def _delete_inline(ctx: Context, resource: Resource) -> None:
    if "RoleName" in resource.ident:
        ctx.call("iam", "delete_role_policy", **resource.ident)
    else:
        ctx.call("iam", "delete_user_policy", **resource.ident)


def _delete_mfa(ctx: Context, resource: Resource) -> None:
    ctx.call("iam", "deactivate_mfa_device", **resource.ident)
    serial = resource.ident["SerialNumber"]
    if ":mfa/" in serial:  # a virtual device exists on its own; it belongs to the user being deleted
        ctx.call("iam", "delete_virtual_mfa_device", SerialNumber=serial)


DELETERS = {
    "IAM role in instance profile": lambda ctx, r: ctx.call("iam", "remove_role_from_instance_profile", **r.ident),
    "IAM inline policy": _delete_inline,
    "IAM policy attachment": _detach,
    "IAM role": lambda ctx, r: ctx.call("iam", "delete_role", **r.ident),
    "IAM access key": lambda ctx, r: ctx.call("iam", "delete_access_key", **r.ident),
    "IAM login profile": lambda ctx, r: ctx.call("iam", "delete_login_profile", **r.ident),
    "IAM group membership": lambda ctx, r: ctx.call("iam", "remove_user_from_group", **r.ident),
    "IAM MFA device": _delete_mfa,
    "IAM signing certificate": lambda ctx, r: ctx.call("iam", "delete_signing_certificate", **r.ident),
    "IAM SSH public key": lambda ctx, r: ctx.call("iam", "delete_ssh_public_key", **r.ident),
    "IAM user": lambda ctx, r: ctx.call("iam", "delete_user", **r.ident),
    "IAM learner user": lambda ctx, r: ctx.call("iam", "delete_user", **r.ident),
    "IAM policy version": lambda ctx, r: ctx.call("iam", "delete_policy_version", **r.ident),
    "IAM policy": _delete_policy,
}
