"""python -m helpers.teardown [--dry-run] [--participant NAME | --all-participants] [--yes]

Shows what it found, asks before deleting (unless --yes), deletes in dependency
order, looks again and prints what is left. Exit status: 0 done and nothing left
(or a clean dry run), 1 something failed or is left, 2 bad usage or no
credentials, 3 cancelled at the question (nothing deleted).
"""
from __future__ import annotations

import argparse
import sys

from ..errors import CourseError


def _connect(backend: str | None) -> bool:
    """Point boto3 at the chosen backend; False when the local cloud is not even running."""
    from .. import backend as switch
    from .. import settings

    chosen = (backend or settings.get("COURSE_BACKEND") or "local").lower()
    if chosen == "local":
        from ..localcloud import control

        if control.find_running() is None:
            return False
        print(switch.connect("local", quiet=True))
    else:
        # Teardown creates nothing, so the real-account opt-in is not needed; the question below is.
        print(switch.connect(chosen, confirm=True, quiet=True))
    return True


def _ask(question: str) -> bool:
    print(question, end=" ", flush=True)
    try:
        answer = sys.stdin.readline()
    except (EOFError, KeyboardInterrupt):
        return False
    return answer.strip().lower() in ("y", "yes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.teardown",
                                     description="Delete everything the course made (prefix and course tag must "
                                                 "both match), in dependency order, then look again.")
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--participant", help="whose resources (default: COURSE_PARTICIPANT or your OS user name)")
    who.add_argument("--all-participants", action="store_true",
                     help="everyone's: the whole workshop room, learner users and their keys included")
    parser.add_argument("--dry-run", action="store_true", help="list what would be deleted; delete nothing")
    parser.add_argument("--yes", action="store_true", help="do not ask before deleting")
    parser.add_argument("--include-learners", action=argparse.BooleanOptionalAction, default=None,
                        help="also delete workshop learner users (default: only with --all-participants)")
    parser.add_argument("--backend", choices=("local", "aws", "endpoint"), default=None,
                        help="default: COURSE_BACKEND or local")
    parser.add_argument("--region", default=None, help="default: AWS_REGION or ap-northeast-2")
    args = parser.parse_args(argv)

    from . import carry_out, plan, prepare

    try:
        if not _connect(args.backend):
            print("The local cloud is not running, so there is nothing to tear down.")
            return 0
        ctx = prepare(args.participant, all_participants=args.all_participants,
                      include_learners=args.include_learners, region=args.region)
        planned = plan(ctx)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for item in planned.all_found():
        print(f"  {item}")
    for failure in planned.failed:
        print(f"  could not look: {failure}")
    for what in planned.unreadable:
        print(f"  unchecked: {what} (its tags may not be read with these credentials; left alone)")
    print(planned.summary())
    if args.dry_run:
        return 0 if planned.ok else 1
    if not planned.found:
        print("Nothing to delete.")
        return 0 if planned.ok else 1
    count = len(planned.all_found())
    if not args.yes and not _ask(f"Delete these {count} resource(s) in account {planned.account}? [y/N]"):
        print("Cancelled: nothing was deleted.")
        return 3
    report = carry_out(ctx, planned)
    print(report.summary())
    for failure in report.failed:
        print(f"  FAILED {failure}")
    for item in report.left:
        print(f"  LEFT   {item}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
