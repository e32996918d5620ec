"""Exercises of notebook 00 (setup): read your account id, name a resource the course's way.

Both checks ask the backend the notebook is connected to, so they pass on the local
cloud and on a real account alike.
"""
from __future__ import annotations

from . import define

@define(
    "00.1", "Your account id from get_caller_identity",
    hint='get_caller_identity() returns a dict with three fields; the account id is the one under '
         '"Account" (12 digits, as a string).',
    solution='''import boto3

identity = boto3.client("sts").get_caller_identity()
account_id = identity["Account"]''',
    mistake='''import boto3

identity = boto3.client("sts").get_caller_identity()
account_id = identity["UserId"]''',
)
def check_account_id(answer) -> None:
    import boto3

    if isinstance(answer, dict):
        raise AssertionError("that is the whole response; take one field out of it")
    if not isinstance(answer, str):
        raise AssertionError(f"expected a string of 12 digits, got a {type(answer).__name__}")
    if answer.startswith("arn:"):
        raise AssertionError("that is an ARN: the account id is only one part of it")
    expected = boto3.client("sts").get_caller_identity()["Account"]
    if answer != expected:
        raise AssertionError(f"{answer!r} is not the account id of the account you are connected to")


@define(
    "00.2", "The participant-prefixed name of a table",
    hint='Every resource you create is named with helpers.name("<base>"), here the base is "users".',
    solution='''import helpers

table_name = helpers.name("users")''',
    mistake='''import helpers

table_name = "users"''',
)
def check_table_name(answer) -> None:
    from .. import naming

    expected = naming.name("users")
    if not isinstance(answer, str):
        raise AssertionError(f"expected a string, got a {type(answer).__name__}")
    if answer == "users":
        raise AssertionError("a bare 'users' collides with everyone else's table in a shared account: "
                             "add your participant prefix")
    if answer == f"users-{naming.participant()}":
        raise AssertionError("the participant name goes first, as a prefix")
    if answer != expected:
        raise AssertionError(f"{answer!r} is not the course name for 'users' (expected the form "
                             f"'<participant>-users')")
