"""Participant-prefixed names, the course's tags, and the per-participant work folder.

Thirty learners can share one AWS account only if everything each of them makes
carries their name; teardown finds a resource only if it carries both the
prefix and the course tag, so these three functions are used by every notebook.
"""
from __future__ import annotations

import getpass
import re
from pathlib import Path

from . import settings
from .errors import CourseError
from .paths import REPO_ROOT

COURSE_TAG_VALUE = "aws-serverless-notebooks"
PARTICIPANT_RULE = "lowercase letters, digits and hyphens, starting with a letter or digit, at most 20 characters"
_PARTICIPANT = re.compile(r"^[a-z0-9][a-z0-9-]{0,19}$")
_BASE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def validate_participant(value: str) -> str:
    if not _PARTICIPANT.match(value or ""):
        raise CourseError(
            f"The participant name {value!r} cannot be used.",
            fix=f"Use {PARTICIPANT_RULE}, e.g. COURSE_PARTICIPANT=alice or COURSE_PARTICIPANT=team-3.",
        )
    return value


def _from_os_user() -> str:
    """The OS user name, folded into the allowed alphabet (the learner did not choose it)."""
    try:
        raw = getpass.getuser()
    except Exception:
        raw = "learner"
    folded = re.sub(r"[^a-z0-9-]+", "-", raw.lower()).strip("-")[:20].strip("-")
    return folded or "learner"


def participant() -> str:
    explicit = settings.get("COURSE_PARTICIPANT")
    return validate_participant(explicit) if explicit else _from_os_user()


def name(base: str) -> str:
    """``name("hello")`` → ``"alice-hello"``: the name to give a resource you create."""
    if not isinstance(base, str) or not _BASE.match(base):
        raise CourseError(
            f"name() needs a short base name such as 'hello' or 'users-table', got {base!r}.",
            fix="Use letters, digits, '-' and '_', starting with a letter or digit.",
        )
    return f"{participant()}-{base}"


def tags() -> dict[str, str]:
    """The course's tags as a dict (Lambda, API Gateway and EventBridge take this form)."""
    return {"course": COURSE_TAG_VALUE, "participant": participant()}


def tag_list() -> list[dict[str, str]]:
    """The same tags as ``[{"Key": …, "Value": …}]`` (IAM and DynamoDB take this form)."""
    return [{"Key": key, "Value": value} for key, value in tags().items()]


def workdir(*parts: str) -> Path:
    """The folder for files a notebook writes (handlers, zips), never inside ``notebooks/``."""
    configured = settings.get("COURSE_WORK_DIR")
    root = Path(configured).expanduser() if configured else REPO_ROOT / "work" / participant()
    path = root.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
