"""Teardown of one participant's full course on the local cloud (target ≤ 5 s).

``make_course_resources`` builds, through plain boto3, what the whole course
leaves behind for one participant: a budget alarm, IAM user (key, inline policy, login profile),
role (inline and attached policies), a customer managed policy with two versions,
a function with a version, an alias (and provisioned concurrency where the local
cloud has it), a layer with three versions, a REST API with a resource, method and
stage, a table, a log group and a schedule rule with a target. The tests use it
too, with other tags (another course, no course) for the resources teardown must
leave alone.
"""
from __future__ import annotations

import io
import json
import time
import zipfile
from typing import Any

from .stats import row

COURSE = "aws-serverless-notebooks"
LAMBDA_TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
READ_TABLE = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}


def handler_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return {'statusCode': 200}\n")
    return buffer.getvalue()


def make_course_resources(participant: str, *, variant: str = "", course: str | None = COURSE,
                          layer: bool = True, budget: bool | None = None, provisioned: bool = True,
                          session: Any = None) -> dict[str, Any]:
    """Create one participant's course resources; ``course=None`` leaves them untagged.

    Names are ``<participant>-<variant><thing>``. Returns the names made, by kind,
    and whether provisioned concurrency could be configured here. Layers (never
    taggable) and budgets (untaggable on the local cloud) are made only for the
    course's own set unless asked.
    """
    import boto3

    session = session or boto3.session.Session()
    tags = {"course": course, "participant": participant} if course else {}
    tag_list = [{"Key": k, "Value": v} for k, v in tags.items()]
    name = lambda thing: f"{participant}-{variant}{thing}"  # noqa: E731
    iam, lam, api, ddb = (session.client(s) for s in ("iam", "lambda", "apigateway", "dynamodb"))
    logs, events = session.client("logs"), session.client("events")
    made: dict[str, Any] = {"provisioned": False}

    policy = iam.create_policy(PolicyName=name("policy"), PolicyDocument=json.dumps(READ_TABLE), Tags=tag_list)
    iam.create_policy_version(PolicyArn=policy["Policy"]["Arn"], PolicyDocument=json.dumps(READ_TABLE),
                              SetAsDefault=True)
    role = iam.create_role(RoleName=name("role"), AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST), Tags=tag_list)
    iam.put_role_policy(RoleName=name("role"), PolicyName="read-table", PolicyDocument=json.dumps(READ_TABLE))
    iam.attach_role_policy(RoleName=name("role"), PolicyArn=policy["Policy"]["Arn"])
    iam.create_user(UserName=name("user"), Tags=tag_list)
    iam.create_access_key(UserName=name("user"))
    iam.put_user_policy(UserName=name("user"), PolicyName="read-table", PolicyDocument=json.dumps(READ_TABLE))
    iam.create_login_profile(UserName=name("user"), Password="Course-Demo-Passw0rd!")
    made.update(policy=name("policy"), role=name("role"), user=name("user"))

    function = lam.create_function(FunctionName=name("fn"), Runtime="python3.12", Role=role["Role"]["Arn"],
                                   Handler="app.handler", Code={"ZipFile": handler_zip()}, Tags=tags)
    version = lam.publish_version(FunctionName=name("fn"))["Version"]
    lam.create_alias(FunctionName=name("fn"), Name="live", FunctionVersion=version)
    made.update(function=name("fn"), alias="live", version=version)
    if provisioned:
        try:
            lam.put_provisioned_concurrency_config(FunctionName=name("fn"), Qualifier="live",
                                                   ProvisionedConcurrentExecutions=1)
            made["provisioned"] = True
        except Exception:  # the local cloud without provisioned concurrency (before its Lambda extension)
            pass
    if layer:
        for _ in range(3):
            lam.publish_layer_version(LayerName=name("utils"), Content={"ZipFile": handler_zip()},
                                      CompatibleRuntimes=["python3.12"])
        made["layer"] = name("utils")

    rest = api.create_rest_api(name=name("api"), tags=tags) if tags else api.create_rest_api(name=name("api"))
    root = api.get_resources(restApiId=rest["id"])["items"][0]["id"]
    users = api.create_resource(restApiId=rest["id"], parentId=root, pathPart="users")
    api.put_method(restApiId=rest["id"], resourceId=users["id"], httpMethod="GET", authorizationType="NONE")
    api.put_integration(restApiId=rest["id"], resourceId=users["id"], httpMethod="GET", type="MOCK",
                        requestTemplates={"application/json": '{"statusCode": 200}'})
    api.create_deployment(restApiId=rest["id"], stageName="dev")
    made.update(rest_api=name("api"), rest_api_id=rest["id"])

    table_args = dict(TableName=name("table"), KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                      AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
                      BillingMode="PAY_PER_REQUEST")
    ddb.create_table(**table_args, **({"Tags": tag_list} if tag_list else {}))
    made["table"] = name("table")

    group = f"/aws/lambda/{name('fn')}"
    try:
        logs.create_log_group(logGroupName=group, **({"tags": tags} if tags else {}))
    except logs.exceptions.ResourceAlreadyExistsException:
        # Provisioned concurrency initialises environments, whose INIT logs create the group
        # first (as on AWS): tag the group Lambda made instead.
        if tags:
            logs.tag_log_group(logGroupName=group, tags=tags)
    made["log_group"] = group

    rule_args = dict(Name=name("warmer"), ScheduleExpression="rate(5 minutes)")
    events.put_rule(**rule_args, **({"Tags": tag_list} if tag_list else {}))
    events.put_targets(Rule=name("warmer"), Targets=[{"Id": "warm", "Arn": function["FunctionArn"]}])
    made["rule"] = name("warmer")

    if budget if budget is not None else course == COURSE:
        account = session.client("sts").get_caller_identity()["Account"]
        session.client("budgets").create_budget(
            AccountId=account, ResourceTags=tag_list,
            Budget={"BudgetName": name("monthly-budget"), "BudgetType": "COST", "TimeUnit": "MONTHLY",
                    "BudgetLimit": {"Amount": "5", "Unit": "USD"}})
        made["budget"] = name("monthly-budget")
    return made


def run(quick: bool) -> list[dict]:
    import helpers
    from helpers import teardown

    helpers.connect("local")
    samples = []
    for index in range(3 if quick else 15):
        participant = f"bench-td{index}"
        make_course_resources(participant)
        begin = time.perf_counter()
        report = teardown.run(participant=participant, confirm=True, verbose=False)
        samples.append((time.perf_counter() - begin) * 1000)
        if report.failed or report.left:
            raise RuntimeError(f"teardown left something behind: {report}")
    return [row("teardown of one participant's full course (local cloud)", samples, 5000.0)]
