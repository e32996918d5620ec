"""Teardown against the local cloud: exactly the participant's resources, in dependency order.

What counts as the course's: the participant prefix and, where the service has
tags, the course tag (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html).
Each test makes its own participants, so tests never see each other's resources.
"""
from __future__ import annotations

import os
import subprocess
import json
import stat
import sys
import time
import uuid

import boto3
import botocore.exceptions
import pytest

from bench.teardown import handler_zip, make_course_resources
from helpers import teardown, workshop
from helpers.errors import CourseError

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def private_cloud(tmp_path_factory, local_cloud):
    """A second local cloud for tests that tear down *every* participant: the session's cloud holds
    other tests' resources, which --all-participants would rightly delete."""
    from helpers.localcloud import client

    from tests.conftest import free_port

    port = free_port()
    env = dict(os.environ, COURSE_STATE_DIR=str(tmp_path_factory.mktemp("private-state")))
    process = subprocess.Popen([sys.executable, "-m", "helpers.localcloud", "serve", "--port", str(port)],
                               cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if client.health(url, timeout=0.2):
            break
        time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def on_private_cloud(private_cloud, connected, monkeypatch):
    """boto3 (and teardown) in this test talk to the private cloud."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", private_cloud)
    boto3.DEFAULT_SESSION = None
    yield private_cloud
    boto3.DEFAULT_SESSION = None


def unique(name: str) -> str:
    """A participant name no other test uses (participant names are at most 20 characters)."""
    return f"t{uuid.uuid4().hex[:5]}-{name}"


def existing(prefix: str) -> set[str]:
    """Every resource name in the local cloud that starts with ``prefix``, read without teardown's code."""
    iam, lam = boto3.client("iam"), boto3.client("lambda")
    names = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    names |= {u["UserName"] for u in iam.list_users()["Users"]}
    names |= {p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]}
    names |= {f["FunctionName"] for f in lam.list_functions()["Functions"]}
    names |= {f"{layer['LayerName']}:{v['Version']}" for layer in lam.list_layers()["Layers"]
              for v in lam.list_layer_versions(LayerName=layer["LayerName"])["LayerVersions"]}
    names |= {a["name"] for a in boto3.client("apigateway").get_rest_apis()["items"]}
    names |= set(boto3.client("dynamodb").list_tables()["TableNames"])
    names |= {g["logGroupName"].removeprefix("/aws/lambda/")
              for g in boto3.client("logs").describe_log_groups()["logGroups"]}
    names |= {r["Name"] for r in boto3.client("events").list_rules()["Rules"]}
    names |= {b["BudgetName"] for b in boto3.client("budgets").describe_budgets(
        AccountId=boto3.client("sts").get_caller_identity()["Account"]).get("Budgets", [])}
    return {n for n in names if n.startswith(prefix)}


def refusing(operation_event: str, code: str = "AccessDeniedException", times: int | None = None):
    """A boto3 session whose ``operation_event`` (e.g. "dynamodb.DeleteTable") fails with ``code``."""
    session = boto3.session.Session()
    calls = {"n": 0}

    def refuse(**_):
        calls["n"] += 1
        if times is None or calls["n"] <= times:
            raise botocore.exceptions.ClientError(
                {"Error": {"Code": code, "Message": f"User: course-learner is not authorized to perform "
                                                    f"{operation_event}"},
                 "ResponseMetadata": {"HTTPStatusCode": 403 if "Denied" in code else 429}},
                operation_event.split(".")[1])

    session.events.register(f"before-call.{operation_event}", refuse)
    return session, calls


def test_teardown_of_one_participant_deletes_exactly_its_own(connected):
    """Prefix and tag must both match: another participant, another course and no course stay."""
    alice, bob = unique("alice"), unique("bob")
    make_course_resources(alice)
    make_course_resources(bob)
    make_course_resources(alice, variant="other-", course="another-course", layer=False)
    make_course_resources(alice, variant="none-", course=None, layer=False)
    bob_before, strangers_before = existing(bob + "-"), existing(f"{alice}-other-") | existing(f"{alice}-none-")

    report = teardown.run(participant=alice, confirm=True, verbose=False)

    assert report.failed == [] and report.left == []
    assert existing(alice + "-") == strangers_before, "only the other course's and untagged resources remain"
    assert existing(bob + "-") == bob_before
    deleted = {str(item) for item in report.deleted}
    for expected in (f"Lambda function {alice}-fn", f"Lambda alias {alice}-fn:live", f"IAM role {alice}-role",
                     f"IAM user {alice}-user", f"IAM policy {alice}-policy", f"DynamoDB table {alice}-table",
                     f"log group /aws/lambda/{alice}-fn", f"EventBridge rule {alice}-warmer",
                     f"AWS budget {alice}-monthly-budget"):
        assert expected in deleted


def test_dependents_are_deleted_before_what_they_hang_on(connected):
    """DeleteRule needs its targets removed first; IAM entities must be empty before deletion.

    https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html
    https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_manage_delete.html
    """
    alice = unique("alice")
    make_course_resources(alice)
    report = teardown.run(participant=alice, confirm=True, verbose=False)
    order = [str(item) for item in report.deleted]

    def before(first: str, then: str) -> bool:
        return order.index(first) < order.index(then)

    assert before(f"EventBridge target {alice}-warmer/warm", f"EventBridge rule {alice}-warmer")
    assert before(f"EventBridge rule {alice}-warmer", f"Lambda function {alice}-fn")
    assert before(f"Lambda alias {alice}-fn:live", f"Lambda version {alice}-fn:1")
    assert before(f"Lambda version {alice}-fn:1", f"Lambda function {alice}-fn")
    assert before(f"Lambda function {alice}-fn", f"IAM role {alice}-role")
    assert before(f"IAM policy attachment {alice}-role <- {alice}-policy", f"IAM role {alice}-role")
    assert before(f"IAM role {alice}-role", f"IAM policy {alice}-policy")
    assert before(f"IAM policy version {alice}-policy:v1", f"IAM policy {alice}-policy")
    assert [o for o in order if o.startswith("Lambda layer version")] == [
        f"Lambda layer version {alice}-utils:{n}" for n in (1, 2, 3)]
    assert any(o.startswith(f"IAM access key {alice}-user/") for o in order)
    assert f"IAM login profile {alice}-user" in order
    assert existing(alice + "-") == set()


def test_provisioned_concurrency_config_goes_before_its_alias(connected):
    """https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html"""
    alice = unique("alice")
    made = make_course_resources(alice)
    if not made["provisioned"]:
        pytest.skip("the local cloud does not implement provisioned concurrency yet (Lambda extension)")
    report = teardown.run(participant=alice, confirm=True, verbose=False)
    order = [str(item) for item in report.deleted]
    assert order.index(f"Lambda provisioned concurrency {alice}-fn:live") < order.index(f"Lambda alias {alice}-fn:live")
    assert report.left == []


def test_dry_run_lists_everything_and_deletes_nothing(connected):
    alice = unique("alice")
    make_course_resources(alice)
    before = existing(alice + "-")

    report = teardown.run(participant=alice, dry_run=True, verbose=False)

    assert report.dry_run and report.deleted == []
    assert existing(alice + "-") == before
    listed = {str(item) for item in report.all_found()}
    assert f"Lambda layer version {alice}-utils:3" in listed
    assert f"REST API {alice}-api" in {str(i).split(" (")[0] for i in report.all_found()}


def test_deleting_without_confirmation_is_refused_and_deletes_nothing(connected):
    alice = unique("alice")
    make_course_resources(alice, layer=False)
    before = existing(alice + "-")
    with pytest.raises(CourseError, match="confirm=True"):
        teardown.run(participant=alice)
    assert existing(alice + "-") == before


def test_a_refused_delete_is_reported_with_its_reason_and_the_rest_still_goes(connected):
    """An AccessDeniedException on one table (credentials lacking dynamodb:DeleteTable)."""
    alice = unique("alice")
    made = make_course_resources(alice)
    session, _ = refusing("dynamodb.DeleteTable")

    report = teardown.run(participant=alice, confirm=True, verbose=False, session=session)

    assert [f.resource.name for f in report.failed] == [made["table"]]
    assert "AccessDeniedException" in report.failed[0].reason
    assert "lack the permission" in report.failed[0].reason
    assert [str(item) for item in report.left] == [f"DynamoDB table {made['table']}"]
    assert existing(alice + "-") == {made["table"]}
    assert not report.ok


def test_a_service_that_cannot_be_listed_is_reported_and_the_others_still_go(connected):
    alice = unique("alice")
    made = make_course_resources(alice)
    session, _ = refusing("iam.ListRoles", code="AccessDenied")

    report = teardown.run(participant=alice, confirm=True, verbose=False, session=session)

    assert any(f.what == "could not list IAM roles" and "AccessDenied" in f.reason for f in report.failed)
    assert existing(alice + "-") == {made["role"]}, "everything but the unlisted role is gone"


def test_throttled_delete_rest_api_waits_retries_and_says_so(connected):
    """API Gateway: DeleteRestApi 1 request every 30 s per account, TooManyRequestsException (429)
    beyond it (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html)."""
    alice = unique("alice")
    make_course_resources(alice, layer=False)
    make_course_resources(alice, variant="second-", layer=False)
    session, calls = refusing("apigateway.DeleteRestApi", code="TooManyRequestsException", times=2)
    slept, lines, now = [], [], [0.0]

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    report = teardown.run(participant=alice, confirm=True, session=session, pace=True, progress=lines.append,
                          sleep=sleep, clock=lambda: now[0])

    assert report.failed == [] and report.left == []
    assert calls["n"] == 4, "two refusals, then each of the two REST APIs deleted once"
    assert any("TooManyRequestsException" in line and "retry 1" in line for line in lines)
    assert any("one DeleteRestApi per 30 s" in line for line in lines), "the second delete waits its turn"
    assert sum(slept) >= 30


def test_the_command_asks_and_an_answer_of_n_deletes_nothing(connected):
    alice = unique("alice")
    make_course_resources(alice, layer=False)
    before = existing(alice + "-")
    answer = subprocess.run([sys.executable, "-m", "helpers.teardown", "--participant", alice], input="n\n",
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert answer.returncode == 3, answer.stdout + answer.stderr
    assert "[y/N]" in answer.stdout and "Cancelled: nothing was deleted." in answer.stdout
    assert existing(alice + "-") == before


def test_the_command_dry_run_lists_and_yes_deletes_then_a_second_run_finds_nothing(connected):
    alice = unique("alice")
    make_course_resources(alice)
    command = [sys.executable, "-m", "helpers.teardown", "--participant", alice]
    dry = subprocess.run(command + ["--dry-run"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert dry.returncode == 0 and f"Lambda function {alice}-fn" in dry.stdout
    assert existing(alice + "-")

    done = subprocess.run(command + ["--yes"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "nothing is left" in done.stdout
    assert existing(alice + "-") == set()

    again = subprocess.run(command + ["--yes"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert again.returncode == 0 and "Nothing to delete." in again.stdout


def test_a_second_run_finds_nothing(connected):
    alice = unique("alice")
    make_course_resources(alice)
    teardown.run(participant=alice, confirm=True, verbose=False)
    second = teardown.run(participant=alice, confirm=True, verbose=False)
    assert second.found == [] and second.deleted == [] and second.failed == [] and second.left == []


def test_a_participant_whose_name_extends_another_keeps_its_untaggable_layers(connected):
    """``ali-b-utils`` starts with ``ali-``: the longest known participant prefix owns it."""
    ali = unique("ali")
    ali_b = ali + "-b"
    make_course_resources(ali)
    make_course_resources(ali_b)
    before = existing(ali_b + "-")

    report = teardown.run(participant=ali, confirm=True, verbose=False)

    assert report.left == [] and report.failed == []
    assert existing(ali_b + "-") == before
    assert existing(ali + "-") == before


def test_untagged_lambda_log_group_is_found_through_the_function_name(connected):
    """Lambda makes /aws/lambda/<name> itself, untagged
    (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html); the group of a
    function of another course that still exists is left alone."""
    alice = unique("alice")
    made = make_course_resources(alice, layer=False)
    logs = boto3.client("logs")
    logs.create_log_group(logGroupName=f"/aws/lambda/{alice}-deleted-by-a-cleanup-cell")
    make_course_resources(alice, variant="other-", course="another-course", layer=False)
    logs.create_log_group(logGroupName=f"/aws/lambda/{alice}-none-fn")  # untagged group, untagged function
    boto3.client("lambda").create_function(
        FunctionName=f"{alice}-none-fn", Runtime="python3.12", Role=f"arn:aws:iam::123456789012:role/{made['role']}",
        Handler="app.handler", Code={"ZipFile": handler_zip()})

    report = teardown.run(participant=alice, confirm=True, verbose=False)

    deleted = {str(item) for item in report.deleted}
    assert f"log group /aws/lambda/{alice}-deleted-by-a-cleanup-cell" in deleted
    assert f"log group /aws/lambda/{alice}-none-fn" not in deleted
    assert f"{alice}-none-fn" in existing(alice + "-")


def test_all_participants_takes_everyone_but_never_another_course(on_private_cloud):
    alice, bob = unique("alice"), unique("bob")
    make_course_resources(alice)
    make_course_resources(bob, layer=False)
    make_course_resources(bob, variant="other-", course="another-course", layer=False)
    make_course_resources(bob, variant="none-", course=None, layer=False)
    strangers = existing(f"{bob}-other-") | existing(f"{bob}-none-")

    report = teardown.run(all_participants=True, confirm=True, verbose=False)

    assert report.failed == [] and report.left == []
    assert existing(alice + "-") == set(), "alice's layer too: alice is known from her tagged resources"
    assert existing(bob + "-") == strangers


# -- workshop learners ------------------------------------------------------------------------
def test_create_learners_writes_secrets_to_a_0600_file_only(on_private_cloud, tmp_path, capsys):
    names = workshop.learner_names(2, prefix=unique("l"))
    file = tmp_path / "learners.json"

    records = workshop.create_learners(names, file, console=True)

    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    written = json.loads(file.read_text())["learners"]
    assert [r["participant"] for r in written] == names
    printed = capsys.readouterr().out
    for record in records:
        assert record["secret_access_key"] not in printed and record["access_key_id"] not in printed
        assert record["password"] not in printed
    learner = boto3.client("sts", aws_access_key_id=records[0]["access_key_id"],
                           aws_secret_access_key=records[0]["secret_access_key"])
    assert learner.get_caller_identity()["Arn"].endswith(f":user/course-learners/{names[0]}")
    with pytest.raises(CourseError, match="already exists"):
        workshop.create_learners([unique("x")], file)
    assert json.loads(file.read_text())["learners"] == written, "an existing secrets file is never overwritten"


def test_learner_names_that_extend_each_other_are_refused():
    with pytest.raises(CourseError, match="cannot be used together"):
        workshop.check_names_do_not_extend_each_other(["ali", "ali-b"])
    assert workshop.learner_names(12)[:2] == ["learner-01", "learner-02"]


def test_learners_and_their_keys_go_with_the_room_not_with_one_participant(on_private_cloud, tmp_path):
    name = workshop.learner_names(1, prefix=unique("l"))[0]
    workshop.create_learners([name], tmp_path / "learners.json", say=lambda line: None)
    make_course_resources(name, layer=False)

    own = teardown.run(participant=name, confirm=True, verbose=False)
    assert own.left == [] and name in {u["UserName"] for u in boto3.client("iam").list_users()["Users"]}, \
        "a participant's own teardown keeps their learner user"

    room = teardown.run(all_participants=True, confirm=True, verbose=False)
    deleted = [str(item) for item in room.deleted]
    assert f"IAM learner user {name}" in deleted
    assert any(item.startswith(f"IAM access key {name}/") for item in deleted)
    assert f"IAM policy course-learner-{name}" in deleted
    assert room.left == [] and room.failed == []
    assert name not in {u["UserName"] for u in boto3.client("iam").list_users()["Users"]}


# -- with IAM enforcement on: a learner holding only the learner policy ---------------------------
@pytest.fixture
def iam_enforced(connected):
    import helpers

    previous = helpers.iam.enforcement(True)
    yield
    helpers.connect("local", quiet=True)
    helpers.iam.enforcement(previous)


def _learner(tmp_path) -> tuple[str, boto3.session.Session]:
    name = workshop.learner_names(1, prefix=unique("l"))[0]
    record = workshop.create_learners([name], tmp_path / f"{name}.json", say=lambda line: None)[0]
    return name, boto3.session.Session(aws_access_key_id=record["access_key_id"],
                                       aws_secret_access_key=record["secret_access_key"])


def test_a_learner_with_only_the_learner_policy_tears_down_their_own_resources(iam_enforced, tmp_path):
    name, learner = _learner(tmp_path)
    make_course_resources(name)  # made by the admin, named and tagged as the learner's

    report = teardown.run(participant=name, confirm=True, verbose=False, session=learner)

    assert report.failed == [], [str(f) for f in report.failed]
    assert report.left == []
    assert existing(name + "-") == set()
    teardown.run(participant=name, include_learners=True, confirm=True, verbose=False)


def test_a_learner_cannot_tear_down_another_participants_resources(iam_enforced, tmp_path):
    """Denied calls are reported with their reason, and nothing of the other participant goes.

    (No budget here: the local cloud's IAM enforcement does not cover AWS Budgets.)"""
    name, learner = _learner(tmp_path)
    other = unique("bob")
    make_course_resources(other, budget=False)
    before = existing(other + "-")

    report = teardown.run(participant=other, confirm=True, verbose=False, session=learner)

    assert existing(other + "-") == before
    assert report.failed and not report.ok
    assert all("AccessDenied" in f.reason or "versions could not be deleted" in f.reason
               for f in report.failed), [str(f) for f in report.failed]
    assert f"Lambda function {other}-fn" in report.unreadable, "tags it may not read: left alone, and said so"
    teardown.run(participant=name, include_learners=True, confirm=True, verbose=False)
    teardown.run(participant=other, confirm=True, verbose=False)


def test_the_command_on_the_real_account_code_path(connected, local_cloud):
    """The endpoint backend runs the aws backend's code path (identity check, no local shortcuts)."""
    alice = unique("alice")
    make_course_resources(alice, layer=False)
    from helpers.localcloud import identity

    env = dict(os.environ, COURSE_BACKEND="endpoint", COURSE_ENDPOINT_URL=local_cloud.url, **identity.credentials())
    done = subprocess.run([sys.executable, "-m", "helpers.teardown", "--participant", alice, "--yes"], env=env,
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Backend: endpoint" in done.stdout and "nothing is left" in done.stdout
    assert existing(alice + "-") == set()


def test_strays_lists_what_has_only_one_of_the_two_marks(connected):
    """A notebook that forgot helpers.tags() (or helpers.name) leaves something teardown must not
    delete; strays() names it so the notebook can be fixed."""
    alice = unique("alice")
    make_course_resources(alice, layer=False)
    make_course_resources(alice, variant="untagged-", course=None, layer=False)
    ddb = boto3.client("dynamodb")
    ddb.create_table(TableName=f"no-prefix-{alice}", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
                     BillingMode="PAY_PER_REQUEST",
                     Tags=[{"Key": "course", "Value": "aws-serverless-notebooks"}, {"Key": "participant", "Value": alice}])

    teardown.run(participant=alice, confirm=True, verbose=False)
    left = {str(item) for item in teardown.strays(alice)}

    assert f"DynamoDB table no-prefix-{alice}" in left, "tagged but without the prefix"
    assert f"Lambda function {alice}-untagged-fn" in left and f"IAM role {alice}-untagged-role" in left
    assert not any(item.startswith(f"Lambda function {alice}-fn") for item in left)
