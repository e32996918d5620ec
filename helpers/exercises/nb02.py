"""Exercises of notebook 02 (IAM users vs roles): a one-table read policy, reading the code of
an AccessDenied answer, and a trust policy for Lambda.

The policy check runs the learner's document through the same evaluator the local cloud
enforces with (``helpers.iam.policy``), so "allows reading that table and nothing else" is
decided, not pattern-matched.
"""
from __future__ import annotations

from . import define


def _decide(document, action: str, resource: str) -> str:
    from helpers.iam.conditions import RequestContext
    from helpers.iam.policy import Policy, PolicyError, evaluate

    try:
        policy = Policy.parse(document)
    except PolicyError as error:
        raise AssertionError(f"that is not a policy document yet: {error}") from None
    verdict = evaluate([policy], action, resource, RequestContext())
    return "deny" if verdict.denied else "allow" if verdict.allowed else "implicit deny"


@define(
    "02.1", "A policy that reads one table only",
    hint="One statement: Effect Allow, Action a list of read actions (dynamodb:GetItem is the one "
         "the check tries), Resource the table's ARN - not \"*\".",
    solution='''from helpers import ____

read_policy = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
        "Resource": table_arn,
    }],
}''',
    mistake='''from helpers import ____

read_policy = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"],
        "Resource": "*",
    }],
}''',
)
def check_read_policy(policy, table_arn) -> None:
    if not isinstance(policy, dict):
        raise AssertionError(f"expected a dict (the policy document), got a {type(policy).__name__}")
    if policy.get("Version") != "2012-10-17":
        raise AssertionError('set "Version": "2012-10-17" (the current policy language)')
    other_table = table_arn.rsplit("/", 1)[0] + "/someone-elses-table"
    if _decide(policy, "dynamodb:GetItem", table_arn) != "allow":
        raise AssertionError("it does not allow dynamodb:GetItem on your table")
    for write in ("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"):
        if _decide(policy, write, table_arn) == "allow":
            raise AssertionError(f"it allows {write}: reading only, please")
    if _decide(policy, "dynamodb:GetItem", other_table) == "allow":
        raise AssertionError("it also allows reading every other table: the Resource must be your table's ARN")


@define(
    "02.3", "A trust policy that lets Lambda use a role",
    hint="A trust policy says WHO may take on the role: Principal {\"Service\": \"lambda.amazonaws.com\"} "
         "and Action \"sts:AssumeRole\". What the role may do is a different policy.",
    solution='''from helpers import ____

lambda_trust = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }],
}''',
    mistake='''from helpers import ____

lambda_trust = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
    }],
}''',
)
def check_lambda_trust(policy) -> None:
    from helpers.iam.policy import action_matches

    if not isinstance(policy, dict) or not policy.get("Statement"):
        raise AssertionError("expected a policy document: a dict with Version and Statement")
    statements = policy["Statement"] if isinstance(policy["Statement"], list) else [policy["Statement"]]
    for statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        services = principal.get("Service") if isinstance(principal, dict) else None
        services = services if isinstance(services, list) else [services]
        actions = statement.get("Action")
        actions = actions if isinstance(actions, list) else [actions]
        names_lambda = "lambda.amazonaws.com" in services
        allows_assume = any(isinstance(a, str) and action_matches(a, "sts:AssumeRole") for a in actions)
        if names_lambda and allows_assume:
            return
        if names_lambda:
            raise AssertionError("the Principal is right, but a trust policy allows sts:AssumeRole: it says who "
                                 "may take on the role, not what the role may do")
        if isinstance(principal, dict) and "lambda.amazonaws.com" in str(principal.get("AWS")):
            raise AssertionError('a service is named under "Service", not "AWS"')
    raise AssertionError('no Allow statement names the Lambda service: Principal {"Service": "lambda.amazonaws.com"}')


@define(
    "02.2", "Read the code of an AccessDenied answer",
    hint="The error code is in error.response[\"Error\"][\"Code\"]. Each service spells it its own way: "
         "print it rather than guess.",
    solution='''from helpers import ____
from botocore.exceptions import ClientError

try:
    role_ddb.put_item(TableName=TABLE, Item={"id": {"N": "99"}, "name": {"S": "not allowed"}})
    denied_code = "allowed?!"
except ClientError as error:
    denied_code = error.response["Error"]["Code"]''',
    mistake='''from helpers import ____
from botocore.exceptions import ClientError

try:
    role_ddb.put_item(TableName=TABLE, Item={"id": {"N": "99"}, "name": {"S": "not allowed"}})
    denied_code = "allowed?!"
except ClientError as error:
    denied_code = "AccessDenied"''',
)
def check_denied_code(code) -> None:
    if code == "AccessDeniedException":
        return
    if code == "AccessDenied":
        raise AssertionError("that is how IAM and STS spell it; DynamoDB answers with a different code - "
                             "read it from the error instead of guessing")
    if code == "allowed?!":
        raise AssertionError("put_item was allowed: the role's policy should only allow reading")
    raise AssertionError(f"{code!r} is not the error code DynamoDB sent")
