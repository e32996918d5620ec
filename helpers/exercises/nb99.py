"""Exercise of notebook 99 (cleanup): which resources are the course's? Prefix and tags together.

The answer is checked against the rule teardown itself applies
(``helpers.teardown.scope``), so the lesson and the tool cannot drift apart.
"""
from __future__ import annotations

from . import define

COURSE = "aws-serverless-notebooks"


def examples(participant: str) -> list[tuple[int, str, str, dict[str, str]]]:
    """Six resources as a teardown might meet them: (number, kind, name, tags)."""
    mine = {"course": COURSE, "participant": participant}
    return [
        (1, "Lambda function", f"{participant}-hello", mine),
        (2, "Lambda function", f"{participant}-hello-v2", {"course": "data-engineering-101", "participant": participant}),
        (3, "DynamoDB table", f"{participant}-users", {}),
        (4, "IAM role", f"{participant}-lambda-role", mine),
        (5, "REST API", "hello-api", mine),
        (6, "Lambda function", f"{participant}-b-hello", {"course": COURSE, "participant": f"{participant}-b"}),
    ]


def expected(participant: str) -> set[int]:
    from ..teardown.scope import Scope

    scope = Scope.one(participant)
    return {number for number, _, name, tags in examples(participant) if scope.owner_by_tags(name, tags)}


@define(
    "99.1", "Which resources would teardown delete?",
    hint="A resource is yours only if BOTH hold: its name starts with '<you>-' AND its tags say "
         "course=aws-serverless-notebooks and participant=<you>. Check each of the six against both.",
    solution='''from helpers import ____

mine = {1, 4}''',
    mistake='''from helpers import ____

mine = {1, 2, 4}''',
)
def check_mine(answer) -> None:
    from ..naming import participant

    if not isinstance(answer, (set, list, tuple, frozenset)):
        raise AssertionError(f"expected a set of numbers such as {{1, 3}}, got a {type(answer).__name__}")
    chosen = set(answer)
    right = expected(participant())
    if not chosen <= {1, 2, 3, 4, 5, 6}:
        raise AssertionError("the resources are numbered 1 to 6")
    if 2 in chosen:
        raise AssertionError("number 2 has your prefix, but its tag says another course made it: "
                             "a prefix alone is not enough")
    if 3 in chosen:
        raise AssertionError("number 3 has your prefix but no tags at all: nobody can tell who made it")
    if 5 in chosen:
        raise AssertionError("number 5 is tagged as yours but lacks your prefix: the course never names "
                             "anything that way, so it is left alone")
    if 6 in chosen:
        raise AssertionError("number 6 starts with your name, but its participant tag is another person's "
                             "(someone whose name begins with yours)")
    if chosen != right:
        raise AssertionError("some of your own resources are missing from the set")
