"""The local identity: the learner's administrator user, the same on every start and reset.

On a real account the learner signs in as someone with rights; offline the local
cloud plays that part with one IAM user whose key never changes, so that
``connect()`` can hand boto3 a key that the local cloud (with IAM enforcement on)
really recognises. The key is public by design: it only ever opens the local cloud.
"""
from __future__ import annotations

import json

ACCOUNT_ID = "123456789012"  # moto's default account
USER_NAME = "course-admin"
ACCESS_KEY_ID = "AKIACOURSELOCAL00001"
SECRET_ACCESS_KEY = "local-cloud-only/course-admin/not-a-secret"
ADMIN_POLICY_NAME = "AdministratorAccess"
ADMIN_POLICY = {"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def ensure_local_identity() -> None:
    """Create the admin user and its fixed key in moto's IAM, if they are not there yet."""
    from moto.iam.models import iam_backends

    backend = iam_backends[ACCOUNT_ID]["global"]
    try:
        user = backend.get_user(USER_NAME)
    except Exception:
        user = backend.create_user("us-east-1", USER_NAME, path="/",
                                   tags=[{"Key": "course", "Value": "local-identity"}])
    backend.put_user_policy(USER_NAME, ADMIN_POLICY_NAME, json.dumps(ADMIN_POLICY))
    if not any(key.access_key_id == ACCESS_KEY_ID for key in user.access_keys):
        key = backend.create_access_key(USER_NAME)
        backend.access_keys.pop(key.physical_resource_id, None)  # indexed by its random id
        key.access_key_id = ACCESS_KEY_ID
        key.secret_access_key = SECRET_ACCESS_KEY
        backend.access_keys[key.physical_resource_id] = key


def credentials() -> dict[str, str]:
    return {"AWS_ACCESS_KEY_ID": ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY}
