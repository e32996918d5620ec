"""Two gaps in moto's apigateway control plane that the data plane depends on.

- ``create_rest_api(binaryMediaTypes=[...])``: moto drops the list.
- ``update_rest_api`` with ``{"op": "add", "path": "/binaryMediaTypes/image~1png"}`` (how the
  console and the CLI add one: the media type is in the path, ``/`` escaped as ``~1``):
  moto appends the empty ``value`` instead; ``remove`` fails the same way.

"Enabling binary support using the API Gateway REST API" documents both calls.
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
        _installed = True
