"""Gaps in moto's apigateway control plane that the data plane (and its lessons) depend on.

- ``create_rest_api(binaryMediaTypes=[...])``: moto drops the list.
- ``update_rest_api`` with ``{"op": "add", "path": "/binaryMediaTypes/image~1png"}`` (how the
  console and the CLI add one: the media type is in the path, ``/`` escaped as ``~1``):
  moto appends the empty ``value`` instead; ``remove`` fails the same way. ("Enabling binary
  support using the API Gateway REST API" documents both calls.)
- ``update_method``, ``update_method_response``, ``update_integration`` and
  ``update_integration_response`` (patch operations such as
  ``{"op": "replace", "path": "/requestTemplates/application~1json", "value": "..."}``, the
  way to edit a mapping template without recreating the integration): moto has none of them.
"""
from __future__ import annotations

import json
import threading

_installed = False
_lock = threading.Lock()
_PREFIX = "/binaryMediaTypes/"


def install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        from moto.apigateway.models import RestAPI
        from moto.apigateway.responses import APIGatewayResponse

        original_create = APIGatewayResponse.create_rest_api
        original_patch = RestAPI.apply_patch_operations

        def create_rest_api(self):
            status, headers, body = original_create(self)
            media_types = self._get_param("binaryMediaTypes")
            if media_types and int(status) < 300:
                api = self.backend.get_rest_api(json.loads(body)["id"])
                api.binaryMediaTypes = [str(kind) for kind in media_types]
                body = json.dumps(api.to_dict())
            return status, headers, body

        def apply_patch_operations(self, patch_operations):
            others = []
            for operation in patch_operations:
                path = operation.get("path", "")
                if path.startswith(_PREFIX) and operation.get("op") in ("add", "remove"):
                    kind = path[len(_PREFIX):].replace("~1", "/").replace("~0", "~")
                    if operation["op"] == "add" and kind not in self.binaryMediaTypes:
                        self.binaryMediaTypes.append(kind)
                    elif operation["op"] == "remove" and kind in self.binaryMediaTypes:
                        self.binaryMediaTypes.remove(kind)
                else:
                    others.append(operation)
            if others:
                original_patch(self, others)

        APIGatewayResponse.create_rest_api = create_rest_api
        RestAPI.apply_patch_operations = apply_patch_operations
        _install_update_operations(APIGatewayResponse)
        _installed = True


# camelCase field → (attribute on moto's object, kind); kind "map" fields are edited key by key.
_FIELDS = {
    "method": {"authorizationType": ("authorization_type", "str"), "apiKeyRequired": ("api_key_required", "bool"),
               "authorizerId": ("authorizer_id", "str"), "operationName": ("operation_name", "str"),
               "requestValidatorId": ("request_validator_id", "str"),
               "requestParameters": ("request_parameters", "map-bool"), "requestModels": ("request_models", "map")},
    "method_response": {"responseParameters": ("response_parameters", "map-bool"),
                        "responseModels": ("response_models", "map")},
    "integration": {"type": ("integration_type", "str"), "uri": ("uri", "str"), "httpMethod": ("http_method", "str"),
                    "passthroughBehavior": ("passthrough_behaviour", "str"),
                    "timeoutInMillis": ("timeout_in_millis", "int"), "contentHandling": ("content_handling", "str"),
                    "credentials": ("credentials", "str"), "connectionType": ("connection_type", "str"),
                    "requestTemplates": ("request_templates", "map"),
                    "requestParameters": ("request_parameters", "map")},
    "integration_response": {"selectionPattern": ("selection_pattern", "str"),
                             "contentHandling": ("content_handling", "str"),
                             "responseTemplates": ("response_templates", "map"),
                             "responseParameters": ("response_parameters", "map")},
}


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def apply_patch(target, kind: str, operations: list[dict]) -> None:
    """Apply API Gateway patch operations (add/replace/remove on ``/field`` or ``/map/key``) to ``target``."""
    from moto.apigateway.exceptions import BadRequestException

    fields = _FIELDS[kind]
    for operation in operations or []:
        op = operation.get("op")
        path = operation.get("path", "")
        value = operation.get("value")
        name, _, key = path.lstrip("/").partition("/")
        if name not in fields or op not in ("add", "replace", "remove"):
            raise BadRequestException(f"Invalid patch path '{path}' specified for op '{op}'. "
                                      f"Must be one of: {', '.join('/' + f for f in fields)}")
        attribute, field_kind = fields[name]
        if field_kind.startswith("map"):
            current = dict(getattr(target, attribute, None) or {})
            if key:
                if op == "remove":
                    current.pop(_unescape(key), None)
                else:
                    current[_unescape(key)] = (str(value).lower() == "true") if field_kind == "map-bool" else value
            elif op == "remove":
                current = {}
            setattr(target, attribute, current)
        elif op == "remove":
            setattr(target, attribute, None)
        elif field_kind == "bool":
            setattr(target, attribute, str(value).lower() == "true")
        elif field_kind == "int":
            setattr(target, attribute, int(value))
        else:
            setattr(target, attribute, value)


def _install_update_operations(response_class) -> None:
    import json as _json

    def _ids(self):
        parts = self.path.split("/")
        return parts[2], parts[4], parts[6], (parts[9] if len(parts) > 9 else parts[8] if len(parts) > 8 else None)

    def update_method(self):
        api_id, resource_id, method, _ = _ids(self)
        target = self.backend.get_method(api_id, resource_id, method)
        apply_patch(target, "method", self._get_param("patchOperations"))
        return 200, {}, _json.dumps(target.to_json())

    def update_method_response(self):
        parts = self.path.split("/")
        target = self.backend.get_method_response(parts[2], parts[4], parts[6], parts[8])
        if target is None:
            from moto.apigateway.exceptions import NotFoundException

            raise NotFoundException("Invalid Response status code specified")
        apply_patch(target, "method_response", self._get_param("patchOperations"))
        return 200, {}, _json.dumps(target.to_json())

    def update_integration(self):
        api_id, resource_id, method, _ = _ids(self)
        target = self.backend.get_integration(api_id, resource_id, method)
        apply_patch(target, "integration", self._get_param("patchOperations"))
        return 200, {}, _json.dumps(target.to_json())

    def update_integration_response(self):
        parts = self.path.split("/")
        target = self.backend.get_integration_response(parts[2], parts[4], parts[6], parts[9])
        apply_patch(target, "integration_response", self._get_param("patchOperations"))
        return 200, {}, _json.dumps(target.to_json())

    for function in (update_method, update_method_response, update_integration, update_integration_response):
        if not hasattr(response_class, function.__name__):
            setattr(response_class, function.__name__, function)
