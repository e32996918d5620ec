"""Two fixes to moto's DynamoDB, patched in-process: keys checked against the key schema, and fast item output.

**Keys.** moto 5.2.5 reads ``GetItem``/``DeleteItem`` keys loosely: a key of the wrong type
(``{"id": {"S": "1"}}`` on a table whose ``id`` is a number) quietly finds nothing, and a key
missing its partition key answers "Validation Exception". AWS refuses both, and a key with an
extra attribute, with ``ValidationException: The provided key element does not match the
schema`` ("Why do I get the error 'provided key element does not match the schema'",
https://repost.aws/knowledge-center/dynamodb-provided-key-element-error). Notebook 08 shows the
wrong-type case, so the local cloud must refuse it too.

One wrapper around moto's ``DynamoDBBackend.get_keys_value`` (the step both operations use to
turn a request's key into the table's hash and range values); everything else stays moto's.

**Speed.** moto writes every answer through its generic, model-driven serializer, which visits
all ten members of DynamoDB's ``AttributeValue`` shape for every attribute of every item: a scan
of the capstone's 100 users took about 18 ms of server time, most of the capstone's 10 ms budget
for a POST and a GET together. moto already holds items in DynamoDB's wire form (``{"S": "Kim"}``,
``{"N": "1"}``), so an attribute value with no binary inside is written as it is; binary values
(``B``/``BS``, base64 on the wire) and anything not in that form still go through moto's path.
The output is byte-for-byte the same (tests/test_dynamodb_errors.py compares both).
"""
from __future__ import annotations

import threading
from typing import Any

from .localcloud.extensions import Extension

_lock = threading.Lock()
_original: Any = None
_original_structure: Any = None
_PLAIN_TYPES = frozenset({"S", "N", "BOOL", "NULL", "SS", "NS"})
_SERVICES = frozenset({"dynamodb", "dynamodbstreams"})


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


def is_plain_attribute_value(value: Any) -> bool:
    """An AttributeValue already in wire form with no binary inside (binary needs base64)."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    ((kind, inner),) = value.items()
    if kind in _PLAIN_TYPES:
        return True
    if kind == "M":
        return isinstance(inner, dict) and all(is_plain_attribute_value(v) for v in inner.values())
    if kind == "L":
        return isinstance(inner, list) and all(is_plain_attribute_value(v) for v in inner)
    return False


def _fast_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
    if (key and shape.name == "AttributeValue" and is_plain_attribute_value(value)
            and self.operation_model.service_model.service_name in _SERVICES):
        self._default_serialize(serialized, value, shape, key)
        return
    _original_structure(self, serialized, value, shape, key)


def install() -> None:
    """Wrap moto once per process (the local cloud may be created more than once in tests)."""
    global _original, _original_structure
    from moto.core.serialize import BaseJSONSerializer
    from moto.dynamodb.models import DynamoDBBackend

    with _lock:
        if _original is not None:
            return
        _original = DynamoDBBackend.get_keys_value
        DynamoDBBackend.get_keys_value = _checked_get_keys_value
        _original_structure = BaseJSONSerializer._serialize_type_structure
        BaseJSONSerializer._serialize_type_structure = _fast_structure


class DynamoDbFixesExtension(Extension):
    """No endpoint of its own: it makes moto's DynamoDB refuse keys that do not fit the schema, and answer fast."""

    name = "dynamodb-fixes"

    def start(self) -> None:
        install()
