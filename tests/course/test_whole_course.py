"""The whole course against one local cloud with IAM enforcement on (the default): every
notebook runs twice in a row and again after teardown; a run with the cleanup cells skipped
leaves only what teardown then removes, so nothing prefixed or tagged is left; two participants
run the course at the same time; a learner holding only the course's learner policy runs
every notebook and is denied on another participant's resources.
"""
from __future__ import annotations

import threading
from pathlib import Path

import boto3
import pytest

from helpers import notebooks, teardown
from helpers.localcloud import client as admin

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
COURSE_NOTEBOOKS = [p for p in NOTEBOOKS if not p.stem.startswith("99_")]


def execute(path: Path, env: dict[str, str], skip_cleanup: bool = False) -> None:
    """Run one notebook in a kernel whose environment carries this participant's variables."""
    notebooks.execute(path, env=env, drop_tags=("cleanup",) if skip_cleanup else ())


def participant_env(name: str, tmp_path: Path) -> dict[str, str]:
    return {"COURSE_PARTICIPANT": name, "COURSE_WORK_DIR": str(tmp_path / name)}


def run_course(name: str, tmp_path: Path, skip_cleanup: bool = False, extra: dict | None = None) -> None:
    env = {**participant_env(name, tmp_path), **(extra or {})}
    for path in COURSE_NOTEBOOKS:
        try:
            execute(path, env, skip_cleanup)
        except Exception as error:  # name the notebook in the failure
            raise AssertionError(f"{path.name} failed for participant {name}: {error}") from error


def nothing_left(name: str) -> None:
    again = teardown.run(name, dry_run=True, verbose=False)
    assert not again.all_found(), f"left after teardown: {again.all_found()}"
    assert not teardown.strays(name), f"resources with only the prefix or only the tags: {teardown.strays(name)}"


@pytest.fixture
def enforcing(local_cloud, connected):
    settings = admin.get_settings(local_cloud.url)
    assert settings["COURSE_IAM_ENFORCE"] is True, "IAM enforcement is on by default"
    return local_cloud


@pytest.mark.notebook
def test_cleanup_skipped_then_teardown_leaves_nothing(enforcing, tmp_path):
    run_course("e2e-left", tmp_path, skip_cleanup=True)
    found = teardown.run("e2e-left", dry_run=True, verbose=False).all_found()
    assert found, "with the cleanup cells skipped the course must have left resources for teardown"
    report = teardown.run("e2e-left", confirm=True, verbose=False)
    assert report.ok and not report.failed and not report.left, report.summary()
    nothing_left("e2e-left")


@pytest.mark.notebook
def test_every_notebook_runs_twice_and_again_after_teardown(enforcing, tmp_path):
    for path in NOTEBOOKS:
        execute(path, participant_env("e2e-twice", tmp_path))
        execute(path, participant_env("e2e-twice", tmp_path))
    report = teardown.run("e2e-twice", confirm=True, verbose=False)
    assert report.ok, report.summary()
    run_course("e2e-twice", tmp_path)
    teardown.run("e2e-twice", confirm=True, verbose=False)
    nothing_left("e2e-twice")


@pytest.mark.notebook
def test_two_participants_run_the_course_at_the_same_time(enforcing, tmp_path):
    errors: dict[str, BaseException] = {}

    def course(name: str) -> None:
        try:
            run_course(name, tmp_path)
        except BaseException as error:  # reported below, per participant
            errors[name] = error

    threads = [threading.Thread(target=course, args=(name,)) for name in ("e2e-ann", "e2e-bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    for name in ("e2e-ann", "e2e-bob"):
        teardown.run(name, confirm=True, verbose=False)
        nothing_left(name)


@pytest.mark.notebook
def test_a_learner_with_only_the_learner_policy_runs_every_notebook(enforcing, tmp_path):
    from helpers import workshop

    secrets = tmp_path / "learners.json"
    [learner] = workshop.create_learners(["e2e-lea"], secrets, session=boto3.session.Session())
    extra = {"COURSE_ACCESS_KEY_ID": learner["access_key_id"],
             "COURSE_SECRET_ACCESS_KEY": learner["secret_access_key"]}
    run_course("e2e-lea", tmp_path, extra=extra)

    # ... and is denied on another participant's resources.
    other = boto3.client("dynamodb")
    other.create_table(TableName="e2e-other-table", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                       AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
                       BillingMode="PAY_PER_REQUEST",
                       Tags=[{"Key": "course", "Value": "aws-serverless-notebooks"},
                             {"Key": "participant", "Value": "e2e-other"}])
    as_learner = boto3.client("dynamodb", aws_access_key_id=learner["access_key_id"],
                              aws_secret_access_key=learner["secret_access_key"])
    with pytest.raises(as_learner.exceptions.ClientError) as denied:
        as_learner.scan(TableName="e2e-other-table")
    assert denied.value.response["Error"]["Code"] == "AccessDeniedException"
    other.delete_table(TableName="e2e-other-table")
    teardown.run("e2e-lea", confirm=True, verbose=False, include_learners=True)
