"""Lambda requests as IAM checks.

Service Authorization Reference, AWS Lambda:
https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html
and "Fine-tuning the Resources and Conditions sections of policies"
(https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html):
- the Invoke operation is the ``lambda:InvokeFunction`` action (moto checked ``lambda:Invoke``);
- a function is named by the ARN the request used: ``...:function:<name>``, or
  ``...:function:<name>:<version-or-alias>`` when a qualifier is given, so a policy on the
  unqualified ARN does not cover a qualified call (use ``<name>:*`` for that);
- layers are ``...:layer:<name>`` (publishing) and ``...:layer:<name>:<version>``;
- CreateFunction and UpdateFunctionConfiguration with a Role also need ``iam:PassRole`` on
  that role (iam:PassedToService = lambda.amazonaws.com), and ``lambda:GetLayerVersion`` on
  each layer version they attach.
"""
from __future__ import annotations

from urllib.parse import unquote

from ..checks import ACCOUNT, TAG_KEYS, Check, Request, pass_role, request_tags

NO_RESOURCE = {"ListFunctions", "ListLayers", "ListLayerVersions", "ListEventSourceMappings", "GetAccountSettings",
               "CreateEventSourceMapping", "ListCodeSigningConfigs", "CreateCodeSigningConfig"}
ACTION_NAMES = {"Invoke": "InvokeFunction", "InvokeWithResponseStream": "InvokeFunction",
                "GetLayerVersionByArn": "GetLayerVersion"}


def function_arn(region: str, name: str, qualifier: str | None = None) -> str:
    """The ARN a request names, from a name, a partial ARN or a full ARN (each maybe qualified)."""
    name = unquote(name)
    parts = name.split(":")
    if name.startswith("arn:") and len(parts) >= 7:
        region, account, function, qualifier = parts[3], parts[4], parts[6], (parts[7] if len(parts) > 7 else qualifier)
    elif len(parts) >= 3 and parts[1] == "function":
        account, function, qualifier = parts[0], parts[2], (parts[3] if len(parts) > 3 else qualifier)
    else:
        account, function = ACCOUNT, parts[0]
        qualifier = parts[1] if len(parts) > 1 else qualifier
    arn = f"arn:aws:lambda:{region}:{account}:function:{function}"
    return f"{arn}:{qualifier}" if qualifier else arn


def function_tags(arn: str):
    def load():
        from moto.awslambda.utils import get_backend

        base = ":".join(arn.split(":")[:7])
        try:
            return dict(get_backend(ACCOUNT, arn.split(":")[3]).list_tags(base))
        except Exception:
            return None

    return load


def _layer_checks(layers) -> list[Check]:
    return [Check("lambda:GetLayerVersion", arn) for arn in layers or [] if isinstance(arn, str)]


def checks(request: Request) -> list[Check] | None:
    op, params, region = request.operation, request.params, request.region
    if not op:
        return None
    action = "lambda:" + ACTION_NAMES.get(op, op)
    if op in NO_RESOURCE:
        return [Check(action)]
    if op == "GetLayerVersionByArn":
        return [Check(action, params.get("Arn", "*"))]
    if "LayerName" in params:
        layer = f"arn:aws:lambda:{region}:{ACCOUNT}:layer:{params['LayerName']}"
        if params.get("LayerName", "").startswith("arn:"):
            layer = params["LayerName"]
        if "VersionNumber" in params:
            layer = f"{layer}:{params['VersionNumber']}"
        return [Check(action, layer)]
    if op in ("ListTags", "TagResource", "UntagResource"):
        arn = unquote(params.get("Resource", "*"))
        context, supported = {}, ()
        if op == "TagResource":
            context, supported = request_tags(params.get("Tags")), TAG_KEYS
        elif op == "UntagResource":
            context, supported = {"aws:tagkeys": list(params.get("TagKeys") or [])}, TAG_KEYS
        return [Check(action, arn, context, supported, resource_tags=function_tags(arn))]
    if "UUID" in params:
        return [Check(action, f"arn:aws:lambda:{region}:{ACCOUNT}:event-source-mapping:{params['UUID']}")]
    if "FunctionName" not in params:
        return None
    arn = function_arn(region, str(params["FunctionName"]), params.get("Qualifier"))
    if op == "CreateFunction":
        result = [Check(action, arn, request_tags(params.get("Tags")), TAG_KEYS)]
    else:
        result = [Check(action, arn, resource_tags=function_tags(arn))]
    if op in ("CreateFunction", "UpdateFunctionConfiguration"):
        if params.get("Role"):
            result.append(pass_role(params["Role"], "lambda.amazonaws.com", arn))
        result += _layer_checks(params.get("Layers"))
    return result
