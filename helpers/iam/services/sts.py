"""STS requests as IAM checks.

- AssumeRole is ``sts:AssumeRole`` on the role, decided together with the role's trust policy
  (``trust.py``); ``sts:ExternalId`` and ``sts:RoleSessionName`` are in its context;
- GetCallerIdentity needs no permission and cannot be denied
  (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
Service Authorization Reference, AWS Security Token Service:
https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html
"""
from __future__ import annotations

from ..checks import Check, Request

_ASSUME_ROLE_KEYS = ("sts:externalid", "sts:rolesessionname", "aws:requesttag/", "aws:tagkeys")


def checks(request: Request) -> list[Check] | None:
    op, params = request.operation, request.params
    if op == "GetCallerIdentity":
        return []
    if op == "AssumeRole":
        context = {"sts:rolesessionname": [params.get("RoleSessionName", "")]}
        if params.get("ExternalId"):
            context["sts:externalid"] = [params["ExternalId"]]
        tags = {}
        for key, value in params.items():
            if key.startswith("Tags.member.") and key.endswith(".Key"):
                index = key[len("Tags.member."):-len(".Key")]
                tags[value] = params.get(f"Tags.member.{index}.Value", "")
        context.update({f"aws:requesttag/{k.lower()}": [v] for k, v in tags.items()})
        context["aws:tagkeys"] = list(tags)
        return [Check("sts:AssumeRole", params.get("RoleArn", "*"), context, _ASSUME_ROLE_KEYS, kind="assume-role")]
    return None
