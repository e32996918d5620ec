"""DynamoDB keys checked against the table's key schema, as AWS checks them (patched into moto in-process).

moto 5.2.5 reads ``GetItem``/``DeleteItem`` keys loosely: a key of the wrong type
(``{"id": {"S": "1"}}`` on a table whose ``id`` is a number) quietly finds nothing, and a key
missing its partition key answers "Validation Exception". AWS refuses both, and a key with an
extra attribute, with ``ValidationException: The provided key element does not match the
schema`` ("Why do I get the error 'provided key element does not match the schema'",
https://repost.aws/knowledge-center/dynamodb-provided-key-element-error). Notebook 08 shows the
wrong-type case, so the local cloud must refuse it too.

One wrapper around moto's ``DynamoDBBackend.get_keys_value`` (the step both operations use to
turn a request's key into the table's hash and range values); everything else stays moto's.
"""
from __future__ import annotations

import threading
from typing import Any

from .localcloud.extensions import Extension

_lock = threading.Lock()
_original: Any = None


def key_matches_schema(table: Any, key: dict[str, Any]) -> bool:
    """True when ``key`` names exactly the table's key attributes, each with the declared type."""
    expected = {table.hash_key_attr: table.hash_key_type}
    if table.range_key_attr:
        expected[table.range_key_attr] = table.range_key_type
    if not isinstance(key, dict) or set(key) != set(expected):
        return False
    for name, wanted_type in expected.items():
        value = key[name]
        if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) != wanted_type:
            return False
    return True


def _checked_get_keys_value(self: Any, table: Any, keys: dict[str, Any]) -> Any:
    from moto.dynamodb.exceptions import ProvidedKeyDoesNotExist

    if not key_matches_schema(table, keys):
        raise ProvidedKeyDoesNotExist()
    return _original(self, table, keys)


def install() -> None:
    """Wrap moto once per process (the local cloud may be created more than once in tests)."""
    global _original
    from moto.dynamodb.models import DynamoDBBackend

    with _lock:
        if _original is not None:
            return
        _original = DynamoDBBackend.get_keys_value
        DynamoDBBackend.get_keys_value = _checked_get_keys_value


class DynamoDbFixesExtension(Extension):
    """No endpoint of its own: it only makes moto's DynamoDB refuse keys that do not fit the schema."""

    name = "dynamodb-fixes"

    def start(self) -> None:
        install()
