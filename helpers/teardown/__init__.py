"""Teardown: find everything the course made, delete it in dependency order, look again.

    report = helpers.teardown.run(dry_run=True)    # what would go, nothing deleted
    report = helpers.teardown.run(confirm=True)    # delete; report.deleted / .failed / .left
    helpers.teardown.strays()                      # what has only the prefix or only the tags

From a shell: ``python -m helpers.teardown [--dry-run] [--participant NAME |
--all-participants] [--yes]``. A resource is the course's only if it carries the
participant prefix and, where the service has tags, the course tag (see
``scope``). The same code runs against the local cloud and a real account; on a
real account API Gateway's quotas are met by waiting (see ``pacing``).
"""
from __future__ import annotations

import os
import time
from typing import Any, Callable

from ..errors import CourseError
from . import engine
from .context import Context, explain
from .model import Failure, Report, Resource
from .pacing import Pacer
from .policy import learner_policy, shared_learner_policy
from .scope import Scope

__all__ = ["Failure", "Report", "Resource", "learner_policy", "prepare", "run", "shared_learner_policy", "strays"]


def _talks_to_real_aws() -> bool:
    """AWS's quotas apply on the aws backend only; the local cloud and other endpoints have none."""
    from ..backend import current

    connection = current()
    if connection is not None:
        return connection.backend == "aws"
    return not os.environ.get("AWS_ENDPOINT_URL")


def _scope(participant: str | None, all_participants: bool) -> Scope:
    from ..naming import participant as current_participant, validate_participant

    if participant and all_participants:
        raise CourseError("Choose either one participant or all participants, not both.",
                          fix="Pass participant='alice' (--participant alice) or all_participants=True "
                              "(--all-participants).")
    if all_participants:
        return Scope.everyone()
    return Scope.one(validate_participant(participant) if participant else current_participant())


def _account(session: Any, region: str) -> str:
    try:
        return session.client("sts", region_name=region).get_caller_identity()["Account"]
    except Exception as error:
        raise CourseError(f"Teardown could not find out who you are ({explain(error)}), so it did nothing.",
                          fix="Run helpers.connect() first (in a shell: check `aws sts get-caller-identity`, "
                              "AWS_PROFILE or COURSE_BACKEND).") from None


def prepare(participant: str | None = None, *, all_participants: bool = False,
            include_learners: bool | None = None, region: str | None = None, session: Any = None,
            pace: bool | None = None, progress: Callable[[str], None] | None = None,
            sleep: Callable[[float], None] = time.sleep,
            clock: Callable[[], float] = time.monotonic) -> Context:
    """Everything a teardown needs before it looks: scope, account, region, clients, pacing."""
    import boto3

    scope = _scope(participant, all_participants)
    if session is None:  # boto3's default session: it follows connect() and keeps its loaded models
        if boto3.DEFAULT_SESSION is None:
            boto3.setup_default_session()
        session = boto3.DEFAULT_SESSION
    region = (region or session.region_name or os.environ.get("AWS_REGION")
              or os.environ.get("AWS_DEFAULT_REGION") or "ap-northeast-2")
    say = progress or (lambda line: print(line, flush=True))
    pacer = Pacer(enabled=_talks_to_real_aws() if pace is None else pace,
                  progress=say, sleep=sleep, clock=clock)
    learners = all_participants if include_learners is None else include_learners
    return Context(session, scope, region, _account(session, region), pacer, say, include_learners=learners)


def plan(ctx: Context) -> Report:
    """Look only: the report of a dry run."""
    started = time.monotonic()
    ctx.progress(f"Looking for what the course made for {ctx.scope.describe()} in {ctx.region} "
                 f"(account {ctx.account})…")
    report = Report(ctx.scope.describe(), ctx.region, ctx.account, dry_run=True, found=engine.find(ctx))
    report.failed.extend(ctx.failures)
    report.unreadable = sorted(set(ctx.unreadable))
    report.left = report.all_found()
    report.seconds = time.monotonic() - started
    return report


def carry_out(ctx: Context, planned: Report, settle_seconds: float | None = None) -> Report:
    """Delete what ``planned`` found, then look again; returns the final report."""
    started = time.monotonic()
    report = Report(planned.scope, planned.region, planned.account, dry_run=False, found=planned.found,
                    failed=list(planned.failed), unreadable=list(planned.unreadable))
    total = len(planned.all_found())
    ctx.progress(f"Deleting {total} resource(s), dependents first…" if total else "Nothing to delete.")
    engine.delete(ctx, planned.found, report)
    ctx.progress("Looking again…")
    settle = (0.0 if not ctx.pacer.enabled else 20.0) if settle_seconds is None else settle_seconds
    report.left = engine.look_again(ctx, report, settle, ctx.pacer.sleep)
    report.seconds = planned.seconds + time.monotonic() - started
    return report


def run(participant: str | None = None, *, all_participants: bool = False, dry_run: bool = False,
        confirm: bool = False, include_learners: bool | None = None, region: str | None = None,
        session: Any = None, pace: bool | None = None, verbose: bool = True,
        progress: Callable[[str], None] | None = None, sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic) -> Report:
    """Tear down the course's resources of one participant (default: you) or of all participants.

    ``dry_run=True`` only lists. Deleting needs ``confirm=True``: a notebook has no
    terminal to ask on, so the confirmation is the argument. The plan is always
    printed before anything is deleted. Learner users made by the workshop script
    are deleted with ``all_participants`` (or ``include_learners=True``).
    """
    if not dry_run and not confirm:
        raise CourseError("Teardown deletes only when you confirm it, and nothing was deleted.",
                          fix="Look first with helpers.teardown.run(dry_run=True), then delete with "
                              "helpers.teardown.run(confirm=True).")
    say = progress or ((lambda line: print(line, flush=True)) if verbose else (lambda line: None))
    ctx = prepare(participant, all_participants=all_participants, include_learners=include_learners,
                  region=region, session=session, pace=pace, progress=say, sleep=sleep, clock=clock)
    planned = plan(ctx)
    for item in planned.all_found():
        say(f"  found {item}")
    if dry_run:
        say(planned.summary())
        return planned
    report = carry_out(ctx, planned)
    say(report.summary())
    for failure in report.failed:
        say(f"  FAILED {failure}")
    for item in report.left:
        say(f"  LEFT   {item}")
    for what in report.unreadable:
        say(f"  UNCHECKED {what}: its tags may not be read with these credentials, so it was left alone")
    return report


def strays(participant: str | None = None, *, region: str | None = None, session: Any = None) -> list[Resource]:
    """What carries the participant's prefix *or* the course's tags, but not both.

    Teardown never deletes these (one mark is not proof). After a whole-course run and
    a teardown, anything listed here was created by a notebook without ``helpers.name``
    or without ``helpers.tags()``: a bug in that notebook, not in teardown.
    """
    quiet = lambda line: None  # noqa: E731
    strict = prepare(participant, region=region, session=session, pace=False, progress=quiet)
    strict_keys = {item.key for top in engine.find(strict) for item in top.walk()}
    audit = prepare(participant, region=region, session=session, pace=False, progress=quiet)
    audit.scope.either = True
    return [item for top in engine.find(audit) for item in top.walk() if item.key not in strict_keys]
