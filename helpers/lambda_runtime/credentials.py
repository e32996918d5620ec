"""Temporary credentials for a function's execution role, issued by the local cloud's STS.

On Lambda the function never holds a user's keys: the service assumes the execution
role and puts the session's keys in ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``
and ``AWS_SESSION_TOKEN``. Here moto's STS backend does the AssumeRole in-process, so
the keys are real to the local cloud (and subject to the role's policies whenever
IAM is enforced).
https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
"""
from __future__ import annotations

import threading
import time

SESSION_SECONDS = 3600
REFRESH_MARGIN = 300


class CredentialCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], tuple[float, dict[str, str]]] = {}

    def for_role(self, account: str, region: str, role_arn: str, session_name: str) -> dict[str, str]:
        key = (account, role_arn)
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(key)
            if cached and cached[0] - now > REFRESH_MARGIN:
                return cached[1]
        from moto.sts.models import sts_backends

        session = sts_backends[account]["global"].assume_role(
            region_name=region, role_session_name=session_name[:64], role_arn=role_arn,
            policy=None, duration=SESSION_SECONDS, external_id=None)
        keys = {"AWS_ACCESS_KEY_ID": session.access_key_id,
                "AWS_SECRET_ACCESS_KEY": session.secret_access_key,
                "AWS_SESSION_TOKEN": session.session_token}
        with self._lock:
            self._cache[key] = (now + SESSION_SECONDS, keys)
        return keys

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
