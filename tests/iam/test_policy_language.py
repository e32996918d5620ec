"""The policy language itself, decided without a server (helpers.iam.policy / conditions).

IAM User Guide, policy elements: Action, Resource, NotAction, NotResource, Condition and
policy variables (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html).
"""
from __future__ import annotations

from helpers.iam.conditions import RequestContext
from helpers.iam.policy import Policy, evaluate

TABLE = "arn:aws:dynamodb:ap-northeast-2:123456789012:table/ausg"


def decide(statements, action, resource, values=None, supported=(), variables=None):
    policy = Policy.parse({"Version": "2012-10-17", "Statement": statements})
    context = RequestContext(values={k.lower(): v for k, v in (values or {}).items()}, supported=supported)
    verdict = evaluate([policy], action, resource, context, variables or {})
    return "deny" if verdict.denied else "allow" if verdict.allowed else "implicit"


def test_actions_match_case_insensitively_with_wildcards():
    statement = [{"Effect": "Allow", "Action": "DynamoDB:Get*", "Resource": "*"}]
    assert decide(statement, "dynamodb:GetItem", TABLE) == "allow"
    assert decide(statement, "dynamodb:PutItem", TABLE) == "implicit"


def test_resource_wildcard_inside_a_segment_does_not_cross_colons():
    """A * followed by more text stays in its segment; a * ending a segment may run past colons."""
    inside = [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:lambda:*:123456789012:function:f*x"}]
    assert decide(inside, "lambda:GetFunction", "arn:aws:lambda:us-east-1:123456789012:function:fox") == "allow"
    assert decide(inside, "lambda:GetFunction", "arn:aws:lambda:us-east-1:123456789012:function:f:1x") == "implicit"
    ending = [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:logs:*:*:log-group:/aws/lambda/x:*"}]
    assert decide(ending, "logs:PutLogEvents",
                  "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/x:log-stream:2024/01/01") == "allow"


def test_resources_are_case_sensitive():
    statement = [{"Effect": "Allow", "Action": "*", "Resource": TABLE}]
    assert decide(statement, "dynamodb:GetItem", TABLE.replace("ausg", "AUSG")) == "implicit"


def test_not_action_and_not_resource():
    statements = [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                  {"Effect": "Deny", "Action": "*", "NotResource": TABLE}]
    assert decide(statements, "dynamodb:GetItem", TABLE) == "allow"
    assert decide(statements, "iam:CreateUser", TABLE) == "implicit"
    assert decide(statements, "dynamodb:GetItem", TABLE + "2") == "deny"


def test_policy_variables_resolve_from_the_principal():
    statement = [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "arn:aws:iam::*:user/${aws:username}"}]
    assert decide(statement, "iam:GetUser", "arn:aws:iam::1:user/bob", variables={"aws:username": "bob"}) == "allow"
    assert decide(statement, "iam:GetUser", "arn:aws:iam::1:user/eve", variables={"aws:username": "bob"}) == "implicit"
    assert decide(statement, "iam:GetUser", "arn:aws:iam::1:user/bob", variables={}) == "implicit"


def test_if_exists_null_and_set_operators():
    keys = ("aws:requesttag/", "aws:tagkeys")
    if_exists = [{"Effect": "Allow", "Action": "*", "Resource": "*",
                  "Condition": {"StringEqualsIfExists": {"aws:RequestTag/team": "blue"}}}]
    assert decide(if_exists, "a:b", "*", supported=keys) == "allow"
    assert decide(if_exists, "a:b", "*", {"aws:RequestTag/team": ["red"]}, keys) == "implicit"
    null = [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Null": {"aws:RequestTag/team": "false"}}}]
    assert decide(null, "a:b", "*", supported=keys) == "implicit"
    assert decide(null, "a:b", "*", {"aws:RequestTag/team": ["x"]}, keys) == "allow"
    all_values = [{"Effect": "Allow", "Action": "*", "Resource": "*",
                   "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["course", "participant"]}}}]
    assert decide(all_values, "a:b", "*", {"aws:TagKeys": ["course"]}, keys) == "allow"
    assert decide(all_values, "a:b", "*", {"aws:TagKeys": ["course", "owner"]}, keys) == "implicit"
    any_value = [{"Effect": "Allow", "Action": "*", "Resource": "*",
                  "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": "own*"}}}]
    assert decide(any_value, "a:b", "*", {"aws:TagKeys": ["course", "owner"]}, keys) == "allow"
    assert decide(any_value, "a:b", "*", supported=keys) == "implicit"


def test_several_values_or_and_several_keys_and():
    statement = [{"Effect": "Allow", "Action": "*", "Resource": "*",
                  "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "ap-northeast-2"],
                                                 "aws:PrincipalType": "User"}}}]
    supported = ("aws:requestedregion",)
    assert decide(statement, "a:b", "*", {"aws:RequestedRegion": ["ap-northeast-2"], "aws:PrincipalType": ["User"]},
                  supported) == "allow"
    assert decide(statement, "a:b", "*", {"aws:RequestedRegion": ["eu-west-1"], "aws:PrincipalType": ["User"]},
                  supported) == "implicit"


def test_numeric_and_date_operators():
    statement = [{"Effect": "Allow", "Action": "*", "Resource": "*",
                  "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
                                "NumericGreaterThan": {"aws:EpochTime": "1000"}}}]
    supported = ("aws:currenttime", "aws:epochtime")
    assert decide(statement, "a:b", "*", {"aws:CurrentTime": ["2026-05-01T00:00:00Z"], "aws:EpochTime": ["2000"]},
                  supported) == "allow"
    assert decide(statement, "a:b", "*", {"aws:CurrentTime": ["2031-05-01T00:00:00Z"], "aws:EpochTime": ["2000"]},
                  supported) == "implicit"
