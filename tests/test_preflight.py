"""Preflight against the local cloud, and the learner policy it checks permissions against.

Concurrency rules: https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
("You can reserve up to the Unreserved account concurrency value minus 100"); the
quota figures come from https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html.
"""
from __future__ import annotations

import json
import subprocess
import sys
import types
import uuid

import boto3
import botocore.exceptions
import pytest

import helpers
from helpers import preflight, teardown, workshop
from helpers.teardown import learner_policy, shared_learner_policy
from helpers.teardown.policy import MAX_MANAGED_POLICY_CHARS, policy_size

ACCOUNT = "123456789012"


def unique(name: str) -> str:
    return f"p{uuid.uuid4().hex[:5]}-{name}"


def fake_notebook(folder, stem: str, code: str) -> None:
    cell = {"cell_type": "code", "metadata": {}, "source": code, "outputs": [], "execution_count": None}
    (folder / f"{stem}.ipynb").write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
                                                       "nbformat_minor": 5}))


def answering(operation_event: str, parsed: dict):
    """A boto3 session on which ``operation_event`` returns ``parsed`` (an account we cannot create here)."""
    session = boto3.session.Session()
    response = types.SimpleNamespace(status_code=200, headers={}, raw=None, content=b"")
    session.events.register(f"before-call.{operation_event}",
                            lambda **_: (response, {**parsed, "ResponseMetadata": {"HTTPStatusCode": 200}}))
    return session


def refusing(session, *operation_events: str):
    def refuse(event_name=None, **_):
        raise botocore.exceptions.ClientError(
            {"Error": {"Code": "AccessDenied", "Message": "not authorized"}, "ResponseMetadata": {"HTTPStatusCode": 403}},
            event_name.rsplit(".", 1)[-1])
    for event in operation_events:
        session.events.register(f"before-call.{event}", refuse)
    return session


@pytest.fixture
def as_local_admin(connected):
    yield connected
    helpers.connect("local", quiet=True)  # tests below switch identities; leave the admin behind


def test_preflight_on_the_local_cloud_reports_region_identity_quota_and_permissions(connected):
    report = preflight.run()
    assert report.ok, str(report)
    assert report.check("region").detail.startswith(connected.region)
    assert ":user/course-admin" in report.check("identity").detail
    assert report.check("Lambda concurrency quota").status == "ok"
    assert report.check("permissions").status == "ok"


def test_a_new_account_quota_names_the_notebooks_that_will_fail_and_why(connected, tmp_path, monkeypatch):
    """A new account: 10 concurrent executions, all unreserved — below 100 + what the demos reserve."""
    monkeypatch.setattr(preflight, "REPO_ROOT", tmp_path)
    (tmp_path / "notebooks").mkdir()
    fake_notebook(tmp_path / "notebooks", "07_cold_starts",
                  'lam.put_provisioned_concurrency_config(FunctionName=f, Qualifier="live", '
                  'ProvisionedConcurrentExecutions=1)\nlam.put_function_concurrency(FunctionName=f, '
                  'ReservedConcurrentExecutions=1)')
    session = answering("lambda.GetAccountSettings",
                        {"AccountLimit": {"ConcurrentExecutions": 10, "UnreservedConcurrentExecutions": 10}})

    report = preflight.run(participants=3, session=session)

    provisioned = report.check("provisioned concurrency demo")
    assert provisioned.status == "warn"
    assert "07_cold_starts will fail at put_provisioned_concurrency_config" in provisioned.detail
    assert "UnreservedConcurrentExecutions ≥ 103" in provisioned.detail and "has 10" in provisioned.detail
    assert report.check("reserved concurrency demo").status == "warn"
    assert "throttled" in report.check("burst of concurrent invokes").detail


def test_a_default_quota_is_enough(connected):
    session = answering("lambda.GetAccountSettings",
                        {"AccountLimit": {"ConcurrentExecutions": 1000, "UnreservedConcurrentExecutions": 1000}})
    report = preflight.run(participants=30, session=session)
    assert report.check("provisioned concurrency demo").status == "ok"
    assert all(c.name != "burst of concurrent invokes" for c in report.checks)


def test_a_learner_holding_the_course_policy_is_covered(as_local_admin, tmp_path, monkeypatch):
    """With IAM enforcement on, the learner reads their own policy (the simulator is missing here)."""
    name = workshop.learner_names(1, prefix=unique("l"))[0]
    record = workshop.create_learners([name], tmp_path / "l.json", say=lambda line: None)[0]
    monkeypatch.setenv("COURSE_PARTICIPANT", name)
    previous = helpers.iam.enforcement(True)
    helpers.connect("local", access_key_id=record["access_key_id"], secret_access_key=record["secret_access_key"])

    try:
        report = preflight.run()
    finally:
        helpers.connect("local", quiet=True)
        helpers.iam.enforcement(previous)
        teardown.run(participant=name, include_learners=True, confirm=True, verbose=False)

    assert f":user/course-learners/{name}" in report.check("identity").detail
    assert report.check("permissions").status == "ok", str(report)


def test_missing_permissions_are_listed_with_the_notebooks_that_stop(as_local_admin, tmp_path, monkeypatch):
    """A user allowed to read one table only (notebook 02's example), and to read its own policies
    so that preflight can tell, is not ready for the course."""
    user = unique("reader")
    iam = boto3.client("iam")
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="read-one-table", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": f"arn:aws:dynamodb:*:{ACCOUNT}:table/ausg"},
            {"Effect": "Allow", "Action": ["iam:ListUserPolicies", "iam:GetUserPolicy",
                                           "iam:ListAttachedUserPolicies"],
             "Resource": f"arn:aws:iam::{ACCOUNT}:user/{user}"}]}))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    monkeypatch.setattr(preflight, "REPO_ROOT", tmp_path)
    (tmp_path / "notebooks").mkdir()
    fake_notebook(tmp_path / "notebooks", "03_lambda_first_function", "lam.create_function(FunctionName=name)")
    helpers.connect("local", access_key_id=key["AccessKeyId"], secret_access_key=key["SecretAccessKey"])

    report = preflight.run()

    permissions = report.check("permissions")
    assert permissions.status == "fail" and not report.ok
    assert "03_lambda_first_function" in permissions.detail
    assert "learner-policy.json" in permissions.detail


def test_when_neither_the_simulator_nor_the_policies_may_be_read_preflight_explains(connected):
    session = refusing(boto3.session.Session(), "iam.SimulatePrincipalPolicy", "iam.ListUserPolicies")
    report = preflight.run(session=session)
    permissions = report.check("permissions")
    assert permissions.status == "warn"
    assert "could not check" in permissions.detail and "AccessDenied" in permissions.detail
    assert "Identity Center" in permissions.detail


def test_an_assumed_role_session_is_checked_as_its_role():
    arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/course-learner/alice@example.com"
    assert preflight.principal_arn(arn) == f"arn:aws:iam::{ACCOUNT}:role/course-learner"


def test_the_command_prints_the_checks(local_cloud):
    answer = subprocess.run([sys.executable, "-m", "helpers.preflight"], capture_output=True, text=True,
                            timeout=120)
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "Preflight (local" in answer.stdout and "permissions" in answer.stdout


# -- the learner policy ---------------------------------------------------------------------------
def test_learner_policy_is_scoped_to_the_participant_prefix():
    policy = learner_policy("alice", ACCOUNT, "ap-northeast-2")
    text = json.dumps(policy)
    assert "{{" not in text
    for statement in policy["Statement"]:
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        for resource in resources:
            scoped = ("alice" in resource or resource == "*" or resource.endswith("::/restapis")
                      or resource.startswith("arn:aws:iam::aws:policy/") or resource.endswith(":event-bus/default")
                      or "alice" in json.dumps(statement.get("Condition", {})))
            assert scoped, f"{statement['Sid']}: {resource} is not scoped to the participant"
        if resources == ["*"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert all(a.split(":")[1].startswith(("List", "DescribeLogGroups", "GetAccountSettings", "ViewBudget")) for a in actions), statement["Sid"]


def test_api_gateway_is_scoped_by_tags_because_its_arns_carry_generated_ids():
    """https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-tagging-iam-policy.html"""
    statements = {s["Sid"]: s for s in learner_policy("alice", ACCOUNT, "ap-northeast-2")["Statement"]}
    create = statements["CreateRestApisTaggedAsYours"]["Condition"]["StringEquals"]
    assert create == {"aws:RequestTag/course": "aws-serverless-notebooks", "aws:RequestTag/participant": "alice"}
    own = statements["OwnRestApisByTag"]["Condition"]["StringEquals"]
    assert own["aws:ResourceTag/participant"] == "alice"


def test_pass_role_is_limited_to_own_roles_and_to_lambda():
    statements = [s for s in learner_policy("alice", ACCOUNT, "ap-northeast-2")["Statement"]
                  if "iam:PassRole" in json.dumps(s["Action"]) or s["Action"] in ("iam:*", "*")]
    assert len(statements) == 1
    assert statements[0]["Resource"] == f"arn:aws:iam::{ACCOUNT}:role/alice-*"
    assert statements[0]["Condition"] == {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}


def test_learner_policy_fits_iams_policy_sizes_for_the_longest_name():
    """Managed policies 6,144 characters without white space, a role's inline policies 10,240
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); the shared
    policy goes inline into the role an Identity Center permission set provisions."""
    longest = learner_policy("a" * 20, ACCOUNT, "ap-southeast-5")
    assert policy_size(longest) <= MAX_MANAGED_POLICY_CHARS
    assert policy_size(shared_learner_policy(ACCOUNT, "ap-southeast-5")) <= 10_240


def test_learner_policy_refuses_bad_input_with_what_to_use():
    with pytest.raises(helpers.CourseError, match="12 digits"):
        learner_policy("alice", "12345", "ap-northeast-2")
    with pytest.raises(helpers.CourseError, match="lowercase"):
        learner_policy("Alice", ACCOUNT, "ap-northeast-2")


def test_a_policy_without_the_course_permissions_is_found_missing():
    required = learner_policy("alice", ACCOUNT, "ap-northeast-2")["Statement"]
    assert preflight.missing_from([learner_policy("alice", ACCOUNT, "ap-northeast-2")], required) == []
    assert preflight.missing_from([{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}], required) == []
    other = preflight.missing_from([learner_policy("bob", ACCOUNT, "ap-northeast-2")], required)
    assert ("lambda:CreateFunction", f"arn:aws:lambda:ap-northeast-2:{ACCOUNT}:function:alice-*") in other
    denied = preflight.missing_from([{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                                                    {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}], required)
    assert denied and all(action.startswith("iam:") for action, _ in denied)


def test_preflight_on_the_real_account_code_path(local_cloud):
    """The endpoint backend runs the aws backend's code path; an endpoint without GetAccountSettings
    gets a warning, not a crash."""
    import os

    from helpers.localcloud import identity

    env = dict(os.environ, COURSE_BACKEND="endpoint", COURSE_ENDPOINT_URL=local_cloud.url,
               **identity.credentials())
    answer = subprocess.run([sys.executable, "-m", "helpers.preflight", "--participants", "5"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "Preflight (endpoint" in answer.stdout
    assert "Lambda concurrency quota" in answer.stdout


def test_a_user_who_may_not_read_its_own_policies_is_told_preflight_could_not_check(as_local_admin, monkeypatch):
    """With IAM enforced, a user allowed one table read may neither simulate nor read its own
    policies: preflight says it could not check, rather than guessing."""
    user = unique("blind")
    iam = boto3.client("iam")
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="read-one-table", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
                                                 "Resource": f"arn:aws:dynamodb:*:{ACCOUNT}:table/ausg"}]}))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    previous = helpers.iam.enforcement(True)
    try:
        helpers.connect("local", access_key_id=key["AccessKeyId"], secret_access_key=key["SecretAccessKey"])
        permissions = preflight.run().check("permissions")
    finally:
        helpers.iam.enforcement(previous)
    assert permissions.status == "warn" and "could not check" in permissions.detail
