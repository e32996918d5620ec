"""Whose resources teardown may touch: the prefix-and-tag rule, in one place.

A resource belongs to participant ``p`` only if its name starts with ``p-`` (the
prefix ``helpers.name`` gives) **and**, where the service supports tags, it carries
``course=aws-serverless-notebooks`` and ``participant=p``. Either alone is not
enough: another course may use the same prefixes, and a learner may tag by hand.

What cannot be tagged (layer versions) or was created untagged by AWS itself
(the ``/aws/lambda/<function>`` log group Lambda makes on first write) is matched
by name only, against the participants teardown knows: the ones asked for, and
every participant seen on a tagged course resource. When two known participants
match (``ali-utils`` for ``ali`` and ``ali-b``...), the longest wins.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..naming import COURSE_TAG_VALUE, _PARTICIPANT

COURSE_TAG = "course"
PARTICIPANT_TAG = "participant"
LEARNER_PATH = "/course-learners/"  # IAM path of the users `python -m helpers.workshop` creates


def tags_from_list(items: list[dict] | None) -> dict[str, str]:
    """IAM and DynamoDB give tags as [{"Key", "Value"}]; the rest of teardown uses a dict."""
    return {item["Key"]: item["Value"] for item in (items or [])}


@dataclass
class Scope:
    """The participants asked for (``None``: every participant) and the ones seen so far."""

    participants: frozenset[str] | None
    known: set[str] = field(default_factory=set)
    # Audit mode: prefix OR tag is enough. Never used to delete; it finds what a notebook
    # created with only one of the two marks (see ``helpers.teardown.strays``).
    either: bool = False

    @classmethod
    def one(cls, participant: str) -> "Scope":
        return cls(frozenset([participant]), {participant})

    @classmethod
    def everyone(cls) -> "Scope":
        return cls(None)

    def describe(self) -> str:
        if self.participants is None:
            return "all participants"
        return "participant " + ", ".join(sorted(self.participants))

    def wants(self, participant: str) -> bool:
        return self.participants is None or participant in self.participants

    def owner_by_tags(self, name: str, tags: dict[str, str]) -> str | None:
        """The participant owning a taggable resource, or None: both prefix and tag must match."""
        if self.either:
            return self._owner_by_either(name, tags)
        if tags.get(COURSE_TAG) != COURSE_TAG_VALUE:
            return None
        participant = tags.get(PARTICIPANT_TAG, "")
        if not _PARTICIPANT.match(participant) or not name.startswith(participant + "-"):
            return None
        self.known.add(participant)
        return participant if self.wants(participant) else None

    def _owner_by_either(self, name: str, tags: dict[str, str]) -> str | None:
        participant = tags.get(PARTICIPANT_TAG, "")
        if tags.get(COURSE_TAG) == COURSE_TAG_VALUE and self.wants(participant):
            return participant
        prefixed = [p for p in (self.participants or ()) if name.startswith(p + "-")]
        return max(prefixed, key=len) if prefixed else None

    def owner_by_name(self, name: str) -> str | None:
        """The participant owning an untaggable resource: the longest known prefix, if wanted."""
        matches = [p for p in self.known if name.startswith(p + "-")]
        if not matches:
            return None
        participant = max(matches, key=len)
        return participant if self.wants(participant) else None

    def may_have_prefix(self, name: str) -> bool:
        """Cheap filter before asking a service for tags: could ``name`` carry a wanted prefix?"""
        if self.either:
            return True  # a course tag without the prefix counts too
        if self.participants is None:
            head = name.split("-", 1)[0]
            return "-" in name and bool(head)
        return any(name.startswith(p + "-") for p in self.participants)
