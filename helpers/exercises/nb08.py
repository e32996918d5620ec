"""Exercises of notebook 08 (DynamoDB get and put): Decimal to JSON, a put that refuses to overwrite,
and the selectionPattern that turns "Bad Request: …" into a 400.

08.1 checks the JSON text itself (ids must come out as numbers, as the web page sorts them);
08.2 runs the learner's condition against the real table, twice, as the seed's Post would;
08.3 tries the learner's pattern on the messages the notebook's handler raises, the way API
Gateway matches it (the whole message, not a part of it).
"""
from __future__ import annotations

import json
import re

from . import define

_JSON_CELL = '''import json

items = table.scan()["Items"]
# json.dumps(items, default=...) calls `default` for each value it cannot write itself (here: every Decimal).
# Give it a function that turns a Decimal into an int when it is a whole number, and into a float otherwise.
body = {value}
print(str(body)[:120])'''


@define(
    "08.1", "Numbers back to JSON",
    hint="A Decimal d is a whole number when d % 1 == 0; int(d) and float(d) convert it. A lambda works: "
         "default=lambda d: int(d) if d % 1 == 0 else float(d).",
    solution="from helpers import ____\n" + _JSON_CELL.format(
        value="json.dumps(items, default=lambda d: int(d) if d % 1 == 0 else float(d))"),
    mistake="from helpers import ____\n" + _JSON_CELL.format(value="json.dumps(items, default=str)"),
)
def check_decimal_json(body) -> None:
    if not isinstance(body, str):
        raise AssertionError(f"body should be the JSON text (a str) from json.dumps, got a {type(body).__name__}")
    try:
        users = json.loads(body)
    except ValueError as error:
        raise AssertionError(f"body is not valid JSON: {error}") from None
    if not isinstance(users, list) or not users or not all(isinstance(u, dict) and "id" in u for u in users):
        raise AssertionError("body should be the JSON list of the table's items, each with an id")
    ids = [user["id"] for user in users]
    if any(isinstance(i, str) for i in ids):
        raise AssertionError(f"the ids came out as strings ({ids[0]!r}): a client that sorts or adds them as "
                             "numbers gets it wrong. default=str turns 1 into \"1\"")
    if any(isinstance(i, float) for i in ids):
        raise AssertionError(f"the ids came out as floats ({ids[0]!r}); whole numbers should stay whole (int)")
    if not all(isinstance(i, int) for i in ids):
        raise AssertionError(f"the ids should be JSON numbers, got {ids[:3]}")


_CONDITION_CELL = '''# The put must succeed when no item has this id yet, and be refused when one has.
condition = {value}'''


@define(
    "08.2", "A put that refuses to overwrite",
    hint="DynamoDB checks the condition against the item already stored under the same key. The function "
         "attribute_not_exists(id) is true only when there is no such item.",
    solution="from helpers import ____\n\n" + _CONDITION_CELL.format(value='"attribute_not_exists(id)"'),
    mistake="from helpers import ____\n\n" + _CONDITION_CELL.format(value='"attribute_exists(id)"'),
)
def check_condition(condition, table_name) -> None:
    import boto3

    if not isinstance(condition, str) or not condition.strip():
        raise AssertionError("condition should be a ConditionExpression string, e.g. \"attribute_...(id)\"")
    table = boto3.resource("dynamodb").Table(table_name)
    errors = table.meta.client.exceptions
    first = {"id": 100, "name": "Exercise User", "email": "exercise100@example.com"}
    table.delete_item(Key={"id": 100})
    try:
        try:
            table.put_item(Item=first, ConditionExpression=condition)
        except errors.ConditionalCheckFailedException:
            raise AssertionError("the FIRST put was refused, when no item 100 existed yet: your condition is "
                                 "true only when the item is already there") from None
        except errors.ClientError as error:
            raise AssertionError(f"DynamoDB did not accept the condition: {error.response['Error']['Message']}") from None
        try:
            table.put_item(Item=dict(first, name="Someone Else"), ConditionExpression=condition)
        except errors.ConditionalCheckFailedException:
            pass
        else:
            raise AssertionError("the second put overwrote user 100: the condition does not refuse an id that "
                                 "is already taken")
        stored = table.get_item(Key={"id": 100}).get("Item", {})
        if stored.get("name") != "Exercise User":
            raise AssertionError(f"user 100 should still be the first one, found {stored}")
    finally:
        table.delete_item(Key={"id": 100})


_PATTERN_CELL = '''import re

# API Gateway picks the integration response whose selectionPattern (a regular expression) matches the
# function's WHOLE errorMessage. Write one that matches every message starting with "Bad Request:".
pattern = {value}

for message in ["Bad Request: id must be a number, got 'fifteen'", "Bad Request: missing email",
                "An error occurred (AccessDeniedException) when calling the PutItem operation: ..."]:
    print(bool(re.fullmatch(pattern, message)) if isinstance(pattern, str) else "?", "-", message)'''

_SHOULD_MATCH = ("Bad Request: id must be a number, got 'fifteen'", "Bad Request: missing email, name",
                 "Bad Request: send a JSON object with id, name and email")
_SHOULD_NOT = ("An error occurred (AccessDeniedException) when calling the PutItem operation: not authorized",
               "Task timed out after 3.00 seconds", "Internal Bad Request: no")


@define(
    "08.3", "The pattern that makes a 400",
    hint="The pattern must match the whole message: \"Bad Request\" alone matches only a message that is "
         "exactly those words. \".*\" matches the rest of the line.",
    solution="from helpers import ____\n" + _PATTERN_CELL.format(value='"Bad Request:.*"'),
    mistake="from helpers import ____\n" + _PATTERN_CELL.format(value='"Bad Request"'),
)
def check_selection_pattern(pattern) -> None:
    if not isinstance(pattern, str) or not pattern:
        raise AssertionError("pattern should be a regular expression in a string")
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise AssertionError(f"that is not a valid regular expression: {error}") from None
    missed = [m for m in _SHOULD_MATCH if not compiled.fullmatch(m)]
    if missed:
        raise AssertionError(f"it does not match {missed[0]!r}: API Gateway compares the pattern with the "
                             "whole message, so the part after \"Bad Request:\" must match too")
    wrong = [m for m in _SHOULD_NOT if compiled.fullmatch(m)]
    if wrong:
        raise AssertionError(f"it also matches {wrong[0]!r}: that is not the client's fault, so it must not "
                             "become a 400")
