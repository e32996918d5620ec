"""python -m helpers.preflight: is this account ready for the course, before anything is created?

Reports the region, who you are, the account's Lambda concurrency quota and
whether your permissions cover the course; every finding says what to do. The
same checks run on the local cloud and on a real account (``helpers.preflight.run()``
in a notebook shows them as a table).

Concurrency: Lambda keeps at least 100 units of the account's concurrency
unreserved, so reserving R units (reserved or provisioned concurrency) needs
``UnreservedConcurrentExecutions >= 100 + R``
(https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html,
https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html). New
accounts often start far below the default quota of 1,000 concurrent executions
(https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); the
figures come from ``GetAccountSettings``
(https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html).

Permissions: ``iam:SimulatePrincipalPolicy`` where the caller may use it
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html);
otherwise the caller's own policies are read and compared with the course's
learner policy; if neither is allowed, preflight says so and why.
"""
from __future__ import annotations

import fnmatch
import html
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CourseError
from ..paths import REPO_ROOT

LAMBDA_UNRESERVED_MINIMUM = 100
BURST_SIZE = 10  # the cold-start lesson's burst of concurrent invokes
# What the course's notebooks reserve per participant, found by the boto3 call in their cells.
CONCURRENCY_DEMANDS = [("put_provisioned_concurrency_config", "provisioned concurrency", 1),
                       ("put_function_concurrency", "reserved concurrency", 1)]
# One concrete action that stands for each wildcard of the learner policy (for the simulator,
# which takes action names only).
REPRESENTATIVE_ACTIONS = {
    "lambda:Get*": ["lambda:GetFunction"], "lambda:List*": ["lambda:ListAliases"],
    "lambda:*Alias": ["lambda:CreateAlias", "lambda:DeleteAlias"],
    "lambda:*Permission": ["lambda:AddPermission", "lambda:RemovePermission"],
    "lambda:*Concurrency*": ["lambda:PutProvisionedConcurrencyConfig", "lambda:PutFunctionConcurrency"],
    "lambda:*FunctionUrlConfig": ["lambda:CreateFunctionUrlConfig", "lambda:DeleteFunctionUrlConfig"],
    "iam:Get*": ["iam:GetRole"], "iam:List*": ["iam:ListRolePolicies"],
    "dynamodb:Describe*": ["dynamodb:DescribeTable"],
    "logs:Describe*": ["logs:DescribeLogStreams"], "logs:Get*": ["logs:GetLogEvents"],
    "logs:List*": ["logs:ListTagsForResource"],
    "events:Describe*": ["events:DescribeRule"], "events:List*": ["events:ListTargetsByRule"],
}
STATUS_MARK = {"ok": "✓", "warn": "!", "fail": "✗", "info": "·"}


@dataclass
class Check:
    name: str
    status: str  # ok | warn | fail | info
    detail: str


@dataclass
class Preflight:
    backend: str
    region: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.status != "fail" for check in self.checks)

    def add(self, name: str, status: str, detail: str) -> None:
        self.checks.append(Check(name, status, detail))

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def __str__(self) -> str:
        lines = [f"Preflight ({self.backend}, {self.region}): " + ("ready" if self.ok else "NOT ready")]
        for check in self.checks:
            lines.append(f"  {STATUS_MARK[check.status]} {check.name}: {check.detail}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colours = {"ok": "#2e7d32", "warn": "#ef6c00", "fail": "#c62828", "info": "#555"}
        rows = "".join(f"<tr><td style='color:{colours[c.status]}'>{STATUS_MARK[c.status]}</td>"
                       f"<th style='text-align:left;padding-right:1em'>{html.escape(c.name)}</th>"
                       f"<td>{html.escape(c.detail)}</td></tr>" for c in self.checks)
        verdict = "ready" if self.ok else "NOT ready"
        return f"<b>Preflight ({html.escape(self.backend)}, {html.escape(self.region)}): {verdict}</b><table>{rows}</table>"


# -- which notebooks do what --------------------------------------------------------------
def notebooks_containing(*needles: str, folder: Path | None = None) -> list[str]:
    """Notebooks (stem names) whose code cells contain any of ``needles``."""
    found = []
    for path in sorted((folder or REPO_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        try:
            cells = json.loads(path.read_text())["cells"]
        except (OSError, ValueError, KeyError):
            continue
        code = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code")
        if any(needle in code for needle in needles):
            found.append(path.stem)
    return found


def notebooks_calling(action: str) -> list[str]:
    """Notebooks whose cells call the boto3 method of an IAM action (lambda:CreateFunction → .create_function()."""
    service, operation = action.split(":", 1)
    if service == "apigateway":  # its actions are HTTP verbs, not operation names
        return notebooks_containing('client("apigateway")', "client('apigateway')")
    if "*" in operation:
        return []
    method = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", operation).lower()
    return notebooks_containing(f".{method}(")


# -- concurrency ----------------------------------------------------------------------------
def concurrency_findings(account_limit: dict[str, int], participants: int = 1) -> list[Check]:
    """Checks for a given ``AccountLimit``: which notebooks will fail on this quota and why."""
    total = account_limit.get("ConcurrentExecutions", 0)
    unreserved = account_limit.get("UnreservedConcurrentExecutions", total)
    checks = [Check("Lambda concurrency quota", "info",
                    f"ConcurrentExecutions {total}, UnreservedConcurrentExecutions {unreserved}")]
    for call, label, units in CONCURRENCY_DEMANDS:
        needed = LAMBDA_UNRESERVED_MINIMUM + units * participants
        notebooks = notebooks_containing(call)
        where = ", ".join(notebooks) if notebooks else "no notebook yet"
        if unreserved >= needed:
            checks.append(Check(f"{label} demo", "ok", f"needs {needed} unreserved, the account has {unreserved} ({where})"))
        else:
            checks.append(Check(f"{label} demo", "warn",
                                f"{where} will fail at {call}: Lambda must keep {LAMBDA_UNRESERVED_MINIMUM} units "
                                f"unreserved, so {participants} participant(s) need UnreservedConcurrentExecutions ≥ "
                                f"{needed}, and this account has {unreserved}. Ask AWS Support for a higher "
                                f"'Concurrent executions' quota (Service Quotas console, Lambda), or skip that demo."))
    burst = BURST_SIZE * participants
    if total < burst:
        checks.append(Check("burst of concurrent invokes", "warn",
                            f"{participants} participant(s) × {BURST_SIZE} concurrent invokes need "
                            f"{burst} concurrent executions; the account allows {total}, so part of the burst is "
                            f"throttled (TooManyRequestsException, HTTP 429) instead of starting cold."))
    return checks


def _check_concurrency(report: Preflight, session: Any, region: str, participants: int, local: bool) -> None:
    try:
        settings = session.client("lambda", region_name=region).get_account_settings()
    except Exception as error:
        from ..teardown.context import explain, is_unsupported

        if local and is_unsupported(error):
            report.add("Lambda concurrency quota", "ok",
                       "the local cloud has no account concurrency quota: reserved and provisioned concurrency "
                       "demos run (on a new AWS account they may not; run preflight there too)")
        else:
            report.add("Lambda concurrency quota", "warn", f"could not read it ({explain(error)}); the "
                       "reserved and provisioned concurrency demos may fail on a new account")
        return
    report.checks.extend(concurrency_findings(settings.get("AccountLimit", {}), participants))


# -- permissions ----------------------------------------------------------------------------
def principal_arn(caller_arn: str) -> str:
    """The IAM entity behind a caller: an assumed-role session is checked as its role."""
    match = re.match(r"^arn:(aws[\w-]*):sts::(\d{12}):assumed-role/([^/]+)/.+$", caller_arn)
    if match:
        partition, account, role = match.groups()
        return f"arn:{partition}:iam::{account}:role/{role}"
    return caller_arn


def required_permissions(participant: str, account: str, region: str) -> list[dict[str, Any]]:
    """The statements the course needs: the learner policy, made concrete for this participant."""
    from ..teardown.policy import learner_policy

    return learner_policy(participant, account, region)["Statement"]


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _matches(pattern: str, value: str) -> bool:
    """IAM glob: ``*`` any run of characters, ``?`` one; actions ignore case."""
    return fnmatch.fnmatchcase(value, pattern)


def _grants(statements: list[dict], action: str, resource: str) -> bool:
    """Whether unconditional-ish Allows grant ``action`` on ``resource`` (the required strings, with
    their own wildcards taken literally) and no unconditional Deny takes it away."""
    def applies(statement: dict) -> bool:
        actions = [a.lower() for a in _as_list(statement.get("Action", []))]
        resources = _as_list(statement.get("Resource", []))
        return (any(_matches(a, action.lower()) for a in actions)
                and any(_matches(r, resource) for r in resources))
    allowed = any(s.get("Effect") == "Allow" and applies(s) for s in statements)
    denied = any(s.get("Effect") == "Deny" and not s.get("Condition") and applies(s) for s in statements)
    return allowed and not denied


def missing_from(documents: list[dict], required: list[dict]) -> list[tuple[str, str]]:
    """(action, resource) pairs of ``required`` that the policy ``documents`` do not grant.

    Conditions in the caller's policies are assumed to hold; preflight says so.
    """
    granted = [s for document in documents for s in _as_list(document.get("Statement", []))]
    missing = []
    for statement in required:
        for action in _as_list(statement["Action"]):
            for resource in _as_list(statement["Resource"]):
                if not _grants(granted, action, resource):
                    missing.append((action, resource))
    return missing


def _own_policy_documents(session: Any, arn: str) -> list[dict]:
    """The caller's identity policies, read with the caller's own rights (users and roles)."""
    iam = session.client("iam")
    kind, _, name = arn.split(":", 5)[5].partition("/")
    name = name.rsplit("/", 1)[-1]
    if kind not in ("user", "role"):
        raise CourseError(f"cannot read the policies of a {kind}")
    entity = {"user": "UserName", "role": "RoleName"}[kind]
    documents = []
    for policy_name in getattr(iam, f"list_{kind}_policies")(**{entity: name})["PolicyNames"]:
        document = getattr(iam, f"get_{kind}_policy")(**{entity: name, "PolicyName": policy_name})["PolicyDocument"]
        documents.append(json.loads(document) if isinstance(document, str) else document)
    for attached in getattr(iam, f"list_attached_{kind}_policies")(**{entity: name})["AttachedPolicies"]:
        policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
        version = iam.get_policy_version(PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"])
        document = version["PolicyVersion"]["Document"]
        documents.append(json.loads(document) if isinstance(document, str) else document)
    return documents


def _concrete(resource: str, participant: str) -> str:
    return "*" if resource == "*" else resource.replace("*", "course-preflight")


def _simulate(session: Any, arn: str, required: list[dict], participant: str) -> list[tuple[str, str]]:
    iam = session.client("iam")
    missing = []
    for statement in required:
        actions = [a for action in _as_list(statement["Action"]) for a in REPRESENTATIVE_ACTIONS.get(action, [action])
                   if "*" not in a]
        resources = [_concrete(r, participant) for r in _as_list(statement["Resource"])]
        context = []
        for operator in (statement.get("Condition") or {}).values():
            for key, values in operator.items():
                values = [_concrete(v, participant) for v in _as_list(values)]
                context.append({"ContextKeyName": key, "ContextKeyValues": values[:1], "ContextKeyType": "string"})
        kwargs = {"PolicySourceArn": arn, "ActionNames": actions, "ResourceArns": resources}
        if context:
            kwargs["ContextEntries"] = context
        for result in iam.simulate_principal_policy(**kwargs)["EvaluationResults"]:
            if result["EvalDecision"] != "allowed":
                missing.append((result["EvalActionName"], result.get("EvalResourceName", "*")))
    return missing


def _describe_missing(missing: list[tuple[str, str]]) -> str:
    services = sorted({action.split(":")[0] for action, _ in missing})
    notebooks = sorted({nb for action, _ in missing for nb in notebooks_calling(action)})
    sample = "; ".join(f"{a} on {r}" for a, r in missing[:4]) + (" …" if len(missing) > 4 else "")
    where = f" Notebooks that will stop at AccessDenied: {', '.join(notebooks)}." if notebooks else ""
    return (f"{len(missing)} permission(s) the course needs are missing ({', '.join(services)}), e.g. {sample}."
            f"{where} Ask your instructor to attach the course's learner policy "
            f"(data/policies/learner-policy.json).")


def _check_permissions(report: Preflight, session: Any, caller: dict, participant: str, region: str) -> None:
    from ..teardown.context import explain, is_unsupported

    arn = principal_arn(caller["Arn"])
    required = required_permissions(participant, caller["Account"], region)
    if arn.endswith(":root"):
        report.add("permissions", "warn", "you are the account's root user: it can do everything, and should "
                   "not be used for the course; sign in as an IAM user or role")
        return
    try:
        missing = _simulate(session, arn, required, participant)
        how = "checked with the IAM policy simulator"
    except Exception as error:
        simulator_problem = "not available here" if is_unsupported(error) else explain(error)
        try:
            missing = missing_from(_own_policy_documents(session, arn), required)
            how = (f"checked by reading your own policies; the policy simulator is {simulator_problem}; conditions "
                   "are assumed to hold, permission boundaries and SCPs are not seen")
        except Exception as read_error:
            reason = read_error.problem if isinstance(read_error, CourseError) else explain(read_error)
            report.add("permissions", "warn",
                       f"could not check: the policy simulator is {simulator_problem} and your policies "
                       f"cannot be read ({reason}). With IAM Identity Center or an assumed role this is normal; "
                       "your instructor can run `python -m helpers.preflight` with the account's rights, or "
                       "you will see AccessDenied in the first cell that lacks a permission.")
            return
    if missing:
        report.add("permissions", "fail", _describe_missing(missing) + f" ({how})")
    else:
        report.add("permissions", "ok", f"cover everything the course does as {participant} ({how})")


# -- the whole check -----------------------------------------------------------------------
def run(participants: int = 1, session: Any = None) -> Preflight:
    """Check the account this kernel is connected to (``helpers.connect()`` first)."""
    import boto3

    from ..backend import current
    from ..naming import participant as current_participant
    from ..teardown.context import explain

    connection = current()
    session = session or boto3.session.Session()
    region = session.region_name or (connection.region if connection else "ap-northeast-2")
    backend = connection.backend if connection else "unknown"
    local = bool(connection and connection.is_local)
    report = Preflight(backend, region)
    report.add("region", "info", region + (" (the course's default, Seoul)" if region == "ap-northeast-2" else ""))
    try:
        caller = session.client("sts", region_name=region).get_caller_identity()
    except Exception as error:
        report.add("identity", "fail", f"{explain(error)}: configure credentials (`aws configure`, "
                   "`aws sso login` or AWS_PROFILE), then run preflight again")
        return report
    report.add("identity", "ok", f"{caller['Arn']} in account {caller['Account']}")
    participant = current_participant()
    report.add("participant", "info", f"{participant}: everything you create is named {participant}-… and tagged")
    _check_concurrency(report, session, region, participants, local)
    _check_permissions(report, session, caller, participant, region)
    return report


def main(argv: list[str] | None = None) -> int:
    import argparse

    from .. import backend as switch
    from .. import settings

    parser = argparse.ArgumentParser(prog="python -m helpers.preflight",
                                     description="Check region, identity, Lambda concurrency quota and permissions "
                                                 "before the course creates anything.")
    parser.add_argument("--backend", choices=("local", "aws", "endpoint"), default=None)
    parser.add_argument("--participants", type=int, default=1,
                        help="how many people share this account (a workshop room)")
    args = parser.parse_args(argv)
    try:
        chosen = args.backend or settings.get("COURSE_BACKEND")
        # Preflight creates nothing, so it needs no real-account opt-in.
        print(switch.connect(chosen, confirm=True, quiet=True))
        report = run(participants=max(1, args.participants))
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report)
    return 0 if report.ok else 1

