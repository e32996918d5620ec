"""python -m helpers.workshop create-learners N [--file out.json] | policy: a workshop room's learners.

``policy`` prints the learner policy for one participant (``--participant``) or the
shared one for IAM Identity Center permission sets (``--shared``).

The fallback for accounts without IAM Identity Center (docs/instructor-guide.md
prefers temporary credentials). Each learner gets an IAM user named after their
participant under the path ``/course-learners/`` (outside every learner's own
``<participant>-*`` scope, so no learner can change their own rights), tagged with
the course tags, holding one customer managed policy — the course's learner
policy made concrete for them — and one access key (and, with ``--console``, a
console password).

Secrets go to one file only, created with mode 0600 and never overwritten; the
terminal shows names and shortened key ids. ``python -m helpers.teardown
--all-participants`` deletes these users, their keys and their policies.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import string
import sys
import time
from pathlib import Path
from typing import Any

from .errors import CourseError
from .naming import COURSE_TAG_VALUE, validate_participant
from .paths import REPO_ROOT
from .teardown.services.iam import mask_key
from .teardown.policy import learner_policy, policy_size, MAX_MANAGED_POLICY_CHARS
from .teardown.scope import LEARNER_PATH

LEARNER_ROLE_TAG = "course-role"


def learner_names(count: int, prefix: str = "learner") -> list[str]:
    """learner-01 … learner-30: zero-padded so no name followed by '-' starts another."""
    if count < 1 or count > 500:
        raise CourseError(f"Cannot create {count} learners.", fix="Ask for between 1 and 500.")
    width = max(2, len(str(count)))
    return [validate_participant(f"{prefix}-{index:0{width}d}") for index in range(1, count + 1)]


def check_names_do_not_extend_each_other(names: list[str]) -> None:
    """``ali`` and ``ali-b`` cannot share a room: ali's teardown could not tell ali-b's layers apart."""
    for name in names:
        for other in names:
            if other != name and other.startswith(name + "-"):
                raise CourseError(f"The participant names {name!r} and {other!r} cannot be used together: "
                                  f"every name of {other} starts with {name}-.",
                                  fix="Choose names where none is another name followed by '-', "
                                      "e.g. learner-01 … learner-30.")


def generate_password(length: int = 20) -> str:
    """Meets IAM's default password policy: upper, lower, digit and symbol."""
    symbols = "!@#$%^&*()_+-="
    alphabet = string.ascii_letters + string.digits + symbols
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if (re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)
                and re.search(r"\d", password) and any(c in symbols for c in password)):
            return password


def open_secret_file(path: Path):
    """Create ``path`` for secrets: mode 0600 from the first byte, and never over an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CourseError(f"{path} already exists, and it may hold sign-in details: it was not touched.",
                          fix="Choose another --file, or move the old one away first.") from None
    return os.fdopen(descriptor, "w")


def create_learner(session: Any, participant: str, account: str, region: str, console: bool) -> dict[str, Any]:
    iam = session.client("iam")
    tags = [{"Key": "course", "Value": COURSE_TAG_VALUE}, {"Key": "participant", "Value": participant},
            {"Key": LEARNER_ROLE_TAG, "Value": "learner"}]
    document = learner_policy(participant, account, region)
    if policy_size(document) > MAX_MANAGED_POLICY_CHARS:
        raise CourseError(f"The learner policy for {participant} is over IAM's size quota.",
                          fix="Use a shorter participant name.")
    iam.create_user(UserName=participant, Path=LEARNER_PATH, Tags=tags)
    policy = iam.create_policy(PolicyName=f"course-learner-{participant}", Path=LEARNER_PATH,
                               PolicyDocument=json.dumps(document), Tags=tags,
                               Description=f"aws-serverless-notebooks: what {participant} needs for the course")
    iam.attach_user_policy(UserName=participant, PolicyArn=policy["Policy"]["Arn"])
    key = iam.create_access_key(UserName=participant)["AccessKey"]
    record = {"participant": participant, "user": participant, "account": account, "region": region,
              "access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"],
              "environment": {"COURSE_PARTICIPANT": participant, "AWS_ACCESS_KEY_ID": key["AccessKeyId"],
                              "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"], "AWS_REGION": region}}
    if console:
        password = generate_password()
        iam.create_login_profile(UserName=participant, Password=password, PasswordResetRequired=False)
        record.update(console_url=f"https://{account}.signin.aws.amazon.com/console", password=password)
    return record


def create_learners(names: list[str], file: Path, *, console: bool = False, session: Any = None,
                    region: str | None = None, say=print) -> list[dict[str, Any]]:
    """Create one learner user per name and write their sign-in details to ``file`` (0600)."""
    import boto3

    names = [validate_participant(n) for n in names]
    check_names_do_not_extend_each_other(names)
    session = session or boto3.session.Session()
    region = region or session.region_name or "ap-northeast-2"
    account = session.client("sts", region_name=region).get_caller_identity()["Account"]
    records = []
    with open_secret_file(Path(file)) as handle:
        for participant in names:
            try:
                record = create_learner(session, participant, account, region, console)
            except Exception as error:
                from .teardown.context import explain

                if "EntityAlreadyExists" in str(error):
                    say(f"  {participant}: already exists; its key is not shown again (tear it down or "
                        "create a new key by hand)")
                    continue
                raise CourseError(f"Creating learner {participant} failed: {explain(error)}",
                                  fix="Fix the cause, then run teardown --all-participants --dry-run to see "
                                      "what was made, and run create-learners again with a new --file.") from None
            records.append(record)
            say(f"  {participant}: user {LEARNER_PATH}{participant}, key {mask_key(record['access_key_id'])}"
                + (", console password" if console else ""))
        json.dump({"created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "learners": records}, handle, indent=2)
    return records


def main(argv: list[str] | None = None) -> int:
    import argparse

    from . import backend as switch

    parser = argparse.ArgumentParser(prog="python -m helpers.workshop")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-learners", help="create N learner IAM users holding the learner policy")
    create.add_argument("count", type=int)
    create.add_argument("--file", default=None,
                        help="where the sign-in details go (mode 0600; default: work/learners-<time>.json, git-ignored)")
    create.add_argument("--prefix", default="learner", help="participant names are <prefix>-01, <prefix>-02, …")
    create.add_argument("--console", action="store_true", help="also give each learner a console password")
    create.add_argument("--backend", choices=("local", "aws", "endpoint"), default=None)
    create.add_argument("--yes", action="store_true", help="on a real account: yes, create these users")
    policy = commands.add_parser("policy", help="print the learner policy (JSON) for one participant or shared")
    who = policy.add_mutually_exclusive_group(required=True)
    who.add_argument("--participant")
    who.add_argument("--shared", action="store_true",
                     help="one policy for all, scoped by each session's 'participant' principal tag")
    policy.add_argument("--account", required=True, help="the 12-digit account id")
    policy.add_argument("--region", default="ap-northeast-2")
    args = parser.parse_args(argv)
    if args.command == "policy":
        from .teardown.policy import shared_learner_policy

        try:
            document = (shared_learner_policy(args.account, args.region) if args.shared
                        else learner_policy(args.participant, args.account, args.region))
        except CourseError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(json.dumps(document, indent=2))
        return 0
    file = Path(args.file) if args.file else REPO_ROOT / "work" / f"learners-{time.strftime('%Y%m%d-%H%M%S')}.json"
    try:
        names = learner_names(args.count, args.prefix)
        print(switch.connect(args.backend, confirm=args.yes, quiet=True))
        print(f"Creating {len(names)} learner(s)…")
        records = create_learners(names, file, console=args.console)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{len(records)} learner(s) created. Their sign-in details are in {file} (readable by you only): "
          "hand each learner their own entry, then delete the file.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
