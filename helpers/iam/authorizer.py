"""Deciding one request: authenticate the caller, then allow or deny each of its checks.

Decisions are cached per (access key, action, resource) - the key names one principal, or one
role session with its session policy - unless a condition read something about the request
itself (tags, passed-to service, time). Every IAM change (any write to moto's IAM backend, a
reset) bumps ``generation``, which drops both caches at once, so a policy attached a moment
ago counts on the very next request (AWS itself may take seconds to propagate it).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from .checks import GLOBAL_KEYS, Check, Request
from .conditions import RequestContext
from .errors import assume_role_message, denial_message
from .policy import evaluate
from .principals import AuthenticationError, Principal, resolve
from .sigv4 import SignedRequest, verify
from .trust import ACCOUNT_WIDE, DIRECT, evaluate_trust


@dataclass(frozen=True)
class Decision:
    allowed: bool
    message: str = ""


ALLOWED = Decision(True)


class Authorizer:
    def __init__(self) -> None:
        self.generation = 0
        self._principals: dict[tuple[str, str | None], tuple[int, Principal]] = {}
        self._decisions: dict[tuple[str, str, str], tuple[int, Decision]] = {}

    def invalidate(self) -> None:
        """Something in IAM changed: forget every principal and decision."""
        self.generation += 1
        self._principals = {}
        self._decisions = {}

    # -- who -----------------------------------------------------------------
    def authenticate(self, signed: SignedRequest, environ: dict[str, Any], raw_path: str, raw_query: str,
                     body: bytes) -> Principal:
        token = environ.get("HTTP_X_AMZ_SECURITY_TOKEN")
        key = (signed.access_key_id, token)
        generation = self.generation
        cached = self._principals.get(key)
        if cached and cached[0] == generation:
            principal = cached[1]
        else:
            principal = resolve(signed.access_key_id, token)
            self._principals[key] = (generation, principal)
        if principal.is_expired():
            raise AuthenticationError("ExpiredToken", "The security token included in the request is expired")
        verify(signed, principal.secret_access_key, environ, raw_path, raw_query, body)
        return principal

    # -- what ----------------------------------------------------------------
    def decide(self, principal: Principal, check: Check, request: Request) -> Decision:
        key = (principal.access_key_id, check.action, check.resource)
        generation = self.generation
        cached = self._decisions.get(key)
        if cached and cached[0] == generation:
            return cached[1]
        context = self._context(principal, check, request)
        decision = self._evaluate(principal, check, context)
        if not context.used_request_keys:
            self._decisions[key] = (generation, decision)
        return decision

    @staticmethod
    def _context(principal: Principal, check: Check, request: Request) -> RequestContext:
        now = time.time()
        values = {key: [value] for key, value in principal.variables().items()}
        values["aws:requestedregion"] = [request.region]
        values["aws:currenttime"] = [time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))]
        values["aws:epochtime"] = [str(int(now))]
        if request.source_ip:
            values["aws:sourceip"] = [request.source_ip]
        values.update(check.context)
        supported = GLOBAL_KEYS + check.supported + ("aws:principaltag/",)
        return RequestContext(values=values, supported=supported, resource_tags=check.resource_tags)

    @staticmethod
    def _evaluate(principal: Principal, check: Check, context: RequestContext) -> Decision:
        variables = principal.variables()
        action, resource = check.action, check.resource

        def denied(explicit: bool, kind: str) -> Decision:
            return Decision(False, denial_message(principal.arn, action, resource, explicit, kind))

        identity = evaluate(principal.identity_policies, action, resource, context, variables)
        if identity.denied:
            return denied(True, "identity-based policy")
        limits = [(p, p.kind) for p in (principal.boundary, principal.session_policy) if p is not None]
        verdicts = []
        for policy, kind in limits:
            verdict = evaluate([policy], action, resource, context, variables)
            if verdict.denied:
                return denied(True, kind)
            verdicts.append((verdict, kind))
        if check.kind == "assume-role":
            trust = _trust_of(resource, principal, context)
            if trust == DIRECT:
                return ALLOWED
            if trust != ACCOUNT_WIDE or not identity.allowed or not all(v.allowed for v, _ in verdicts):
                return Decision(False, assume_role_message(principal.arn, resource))
            return ALLOWED
        if not identity.allowed:
            return denied(False, "identity-based policy")
        for verdict, kind in verdicts:
            if not verdict.allowed:
                return denied(False, kind)
        return ALLOWED


def _trust_of(role_arn: str, principal: Principal, context: RequestContext) -> str:
    from moto.iam.models import iam_backends

    from .checks import ACCOUNT

    try:
        role = iam_backends[ACCOUNT]["aws"].get_role_by_arn(role_arn)
    except Exception:
        return "none"
    return evaluate_trust(role.assume_role_policy_document, principal, context)
