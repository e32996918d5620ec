"""Stages serve frozen deployments: the copy is taken when ``create_deployment`` runs.

moto records a deployment as an id and a date only. ``install_deployment_freezer``
wraps moto's ``RestAPI.create_deployment`` so that, in the same call, the API is
copied (``snapshot.freeze_rest_api``) and the copy is attached to moto's own
``Deployment`` object; deleting the deployment or the API, or resetting the local
cloud, drops the copy with it. A stage names its deployment (``deploymentId``,
changeable with ``update_stage``); stage variables stay live, as on AWS, where they
belong to the stage and not to the deployment.

The fix to moto made on the way: ``create_deployment`` on an existing stage keeps
that stage's variables (moto replaced the stage and lost them).
"""
from __future__ import annotations

import threading
from typing import Any

from .gateway_errors import Forbidden
from .snapshot import FrozenApi, freeze_rest_api

SNAPSHOT_ATTRIBUTE = "localcloud_snapshot"
_installed = False
_lock = threading.Lock()


def install_deployment_freezer() -> None:
    """Patch moto once per process (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        from moto.apigateway.models import RestAPI

        original = RestAPI.create_deployment

        def create_deployment(self, name, description, stage_variables=None):
            previous = self.stages.get(name) if name else None
            deployment = original(self, name, description, stage_variables)
            if previous is not None and name in self.stages:
                merged = dict(previous.variables or {})
                merged.update(stage_variables or {})
                self.stages[name].variables = merged
            setattr(deployment, SNAPSHOT_ATTRIBUTE, freeze_rest_api(self, deployment.id))
            return deployment

        create_deployment.__wrapped__ = original  # type: ignore[attr-defined]
        RestAPI.create_deployment = create_deployment
        _installed = True


def find_rest_api(api_id: str) -> Any | None:
    """moto's RestAPI with this id, in whichever account and region holds it."""
    from moto.apigateway.models import apigateway_backends

    for account_backends in list(apigateway_backends.values()):
        for backend in list(account_backends.values()):
            api = backend.apis.get(api_id)
            if api is not None:
                return api
    return None


def serving_snapshot(api_id: str, stage_name: str) -> tuple[FrozenApi, dict[str, str]]:
    """The frozen deployment a stage serves, and the stage's variables; 403 Forbidden otherwise."""
    api = find_rest_api(api_id)
    if api is None:
        raise Forbidden(log=f"No REST API {api_id!r} (never created, or deleted)")
    stage = api.stages.get(stage_name)
    if stage is None:
        raise Forbidden(log=f"REST API {api_id} has no stage {stage_name!r} (stages: {sorted(api.stages)})")
    deployment = api.deployments.get(stage.deployment_id)
    if deployment is None:
        raise Forbidden(log=f"Stage {stage_name!r} of {api_id} points at a missing deployment")
    snapshot = getattr(deployment, SNAPSHOT_ATTRIBUTE, None)
    if snapshot is None:  # created before the freezer was installed: freeze what is there now
        snapshot = freeze_rest_api(api, deployment.id)
        setattr(deployment, SNAPSHOT_ATTRIBUTE, snapshot)
    return snapshot, dict(stage.variables or {})
