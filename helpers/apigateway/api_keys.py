"""Methods that require an API key: the ``x-api-key`` header must name a key that may call this stage.

"Choose an API key source" / "Create and use usage plans with API keys": with
``apiKeyRequired`` on a method, a request passes only with the value of an *enabled*
API key that belongs to a usage plan listing this API and stage; otherwise API Gateway
answers 403 ``{"message": "Forbidden"}``. Keys and usage plans are not part of a
deployment, so they are read live from moto.
"""
from __future__ import annotations

from .gateway_errors import Forbidden
from .snapshot import FrozenApi


class InvalidApiKey(Forbidden):
    response_type = "INVALID_API_KEY"


def require_api_key(api: FrozenApi, stage: str, presented: str | None) -> None:
    if not presented:
        raise InvalidApiKey(log="API key required: no x-api-key header")
    from moto.apigateway.models import apigateway_backends

    backend = apigateway_backends[api.account_id][api.region]
    key = next((k for k in list(backend.keys.values()) if k.value == presented), None)
    if key is None or not key.enabled:
        raise InvalidApiKey(log="API key not found or disabled")
    for plan_id, plan_keys in list(backend.usage_plan_keys.items()):
        if key.id not in plan_keys:
            continue
        plan = backend.usage_plans.get(plan_id)
        stages = (plan.api_stages or []) if plan is not None else []
        if any(entry.get("apiId") == api.api_id and entry.get("stage") == stage for entry in stages):
            return
    raise InvalidApiKey(log=f"API key {key.id} is in no usage plan for {api.api_id}/{stage}")
