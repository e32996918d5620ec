"""Lambda: functions with everything hanging off them, and layers with all their versions.

A function's aliases, published versions, provisioned-concurrency configs, event
source mappings and function URLs cannot carry the course tag themselves; they are
found through the tagged, prefixed function and deleted before it
(https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html: deleting a
function removes its versions and aliases, but the course deletes each explicitly
so the report shows them). Layer versions cannot be tagged at all
(https://docs.aws.amazon.com/lambda/latest/dg/configuration-tags.html lists
functions, event source mappings and code signing configs only), so layers are
matched by the participant prefix.
"""
from __future__ import annotations

from ...naming import COURSE_TAG_VALUE
from ..context import Context, is_gone, is_unsupported
from ..model import Resource


def _optional(ctx: Context, operation: str, key: str, **kwargs) -> list:
    """A list call that some endpoints do not implement (the local cloud before its Lambda extension)."""
    try:
        return ctx.pages("lambda", operation, key, **kwargs)
    except Exception as error:
        if is_unsupported(error) or is_gone(error):
            return []
        raise


def _qualifier(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[7] if len(parts) > 7 else None


def _url_configs(ctx: Context, name: str, aliases: list[str]) -> list[str | None]:
    """Qualifiers (None = unqualified) that have a function URL."""
    try:
        configs = ctx.pages("lambda", "list_function_url_configs", "FunctionUrlConfigs", FunctionName=name)
        return [_qualifier(c["FunctionArn"]) for c in configs]
    except Exception as error:
        if not is_unsupported(error):
            raise
    found = []
    for qualifier in [None, *aliases]:  # endpoints without the list call: ask one by one
        try:
            kwargs = {"FunctionName": name, **({"Qualifier": qualifier} if qualifier else {})}
            ctx.client("lambda").get_function_url_config(**kwargs)
            found.append(qualifier)
        except Exception as error:
            if not (is_gone(error) or is_unsupported(error)):
                raise
    return found


def _dependents(ctx: Context, name: str, participant: str) -> list[Resource]:
    aliases = [a["Name"] for a in _optional(ctx, "list_aliases", "Aliases", FunctionName=name)]
    children = []
    for config in _optional(ctx, "list_provisioned_concurrency_configs", "ProvisionedConcurrencyConfigs",
                            FunctionName=name):
        qualifier = _qualifier(config["FunctionArn"])
        children.append(Resource("Lambda provisioned concurrency", f"{name}:{qualifier}", participant,
                                 {"FunctionName": name, "Qualifier": qualifier}))
    for mapping in _optional(ctx, "list_event_source_mappings", "EventSourceMappings", FunctionName=name):
        source = mapping.get("EventSourceArn", "?").rsplit(":", 1)[-1]
        children.append(Resource("Lambda event source mapping", f"{name} <- {source} ({mapping['UUID']})",
                                 participant, {"UUID": mapping["UUID"]}))
    for qualifier in _url_configs(ctx, name, aliases):
        label = f"{name}:{qualifier}" if qualifier else name
        children.append(Resource("Lambda function URL", label, participant,
                                 {"FunctionName": name, **({"Qualifier": qualifier} if qualifier else {})}))
    for alias in aliases:
        children.append(Resource("Lambda alias", f"{name}:{alias}", participant,
                                 {"FunctionName": name, "Name": alias}))
    for version in _optional(ctx, "list_versions_by_function", "Versions", FunctionName=name):
        if version["Version"] != "$LATEST":
            children.append(Resource("Lambda version", f"{name}:{version['Version']}", participant,
                                     {"FunctionName": name, "Qualifier": version["Version"]}))
    return children


def find_functions(ctx: Context) -> list[Resource]:
    found = []
    for function in ctx.pages("lambda", "list_functions", "Functions"):
        name = function["FunctionName"]
        if not ctx.scope.may_have_prefix(name):
            continue
        tags = ctx.readable(f"Lambda function {name}",
                            lambda: ctx.client("lambda").list_tags(Resource=function["FunctionArn"]).get("Tags", {}))
        if tags is None:
            ctx.foreign_functions.add(name)  # cannot prove it is ours: neither is its log group
            continue
        owner = ctx.scope.owner_by_tags(name, tags)
        if owner is None:
            if tags.get("course") != COURSE_TAG_VALUE:
                ctx.foreign_functions.add(name)  # not the course's: neither is its log group
            continue
        found.append(Resource("Lambda function", name, owner, {"FunctionName": name},
                              _dependents(ctx, name, owner)))
    return found


def find_layers(ctx: Context) -> list[Resource]:
    found = []
    for layer in ctx.pages("lambda", "list_layers", "Layers"):
        name = layer["LayerName"]
        owner = ctx.scope.owner_by_name(name)
        if owner is None:
            continue
        versions = ctx.pages("lambda", "list_layer_versions", "LayerVersions", LayerName=name)
        children = [Resource("Lambda layer version", f"{name}:{v['Version']}", owner,
                             {"LayerName": name, "VersionNumber": v["Version"]})
                    for v in sorted(versions, key=lambda v: v["Version"])]
        found.append(Resource("Lambda layer", name, owner, {"LayerName": name}, children))
    return found


def _delete_function(ctx: Context, resource: Resource) -> None:
    ctx.call("lambda", "delete_function", **resource.ident)


def _delete_layer(ctx: Context, resource: Resource) -> None:
    """A layer has no delete call: it is gone once its last version is."""
    left = _optional(ctx, "list_layer_versions", "LayerVersions", **resource.ident)
    if left:
        raise RuntimeError(f"{len(left)} of its versions could not be deleted (see above)")


DELETERS = {
    "Lambda provisioned concurrency":
        lambda ctx, r: ctx.call("lambda", "delete_provisioned_concurrency_config", **r.ident),
    "Lambda event source mapping": lambda ctx, r: ctx.call("lambda", "delete_event_source_mapping", **r.ident),
    "Lambda function URL": lambda ctx, r: ctx.call("lambda", "delete_function_url_config", **r.ident),
    "Lambda alias": lambda ctx, r: ctx.call("lambda", "delete_alias", **r.ident),
    "Lambda version": _delete_function,
    "Lambda function": _delete_function,
    "Lambda layer version": lambda ctx, r: ctx.call("lambda", "delete_layer_version", **r.ident),
    "Lambda layer": _delete_layer,
}
