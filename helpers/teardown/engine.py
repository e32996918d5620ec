"""Find, delete in dependency order, look again: the three steps of a teardown.

Delete order: what calls or points at other things goes first (EventBridge rules
invoke functions, REST APIs integrate them, functions use layers, write log groups
and assume roles; roles and users hold policies), so nothing is ever in use when
it is deleted. Finders run in a different order: every tagged service first, so
the participants seen there are known before untaggable layers and untagged log
groups are matched by name.
"""
from __future__ import annotations

import time
from typing import Callable

from .context import Context, explain, is_gone
from .model import Failure, Report, Resource
from .services import apigateway, budgets, dynamodb, events, iam, lambda_, logs

FINDERS: list[tuple[str, Callable[[Context], list[Resource]]]] = [
    ("EventBridge rules", events.find_rules),
    ("REST APIs", apigateway.find_rest_apis),
    ("Lambda functions", lambda_.find_functions),
    ("DynamoDB tables", dynamodb.find_tables),
    ("IAM roles", iam.find_roles),
    ("IAM users", iam.find_users),
    ("IAM policies", iam.find_policies),
    ("Lambda layers", lambda_.find_layers),   # by name: needs the participants seen above
    ("budgets", budgets.find_budgets),        # by tags, or by name where the endpoint has no budget tags
    ("log groups", logs.find_log_groups),     # untagged ones by name, and after Lambda (foreign functions)
]

DELETE_ORDER = ["EventBridge event bus", "EventBridge rule", "REST API", "Lambda function", "Lambda layer",
                "log group", "DynamoDB table", "IAM role", "IAM user", "IAM learner user", "IAM policy", "AWS budget"]

DELETERS = {**events.DELETERS, **apigateway.DELETERS, **lambda_.DELETERS, **dynamodb.DELETERS,
            **logs.DELETERS, **iam.DELETERS, **budgets.DELETERS}


def find(ctx: Context) -> list[Resource]:
    """Everything in scope, top-level resources sorted into delete order; listing failures are recorded."""
    found: list[Resource] = []
    for what, finder in FINDERS:
        try:
            found.extend(finder(ctx))
        except Exception as error:  # one service we may not read must not hide the others
            ctx.could_not_list(what, error)
    found.sort(key=lambda r: (DELETE_ORDER.index(r.kind), r.participant, r.name))
    return found


def delete(ctx: Context, plan: list[Resource], report: Report) -> None:
    """Delete every resource of the plan, dependents first; one failure never stops the rest."""
    for top in plan:
        for item in top.walk():
            try:
                DELETERS[item.kind](ctx, item)
            except Exception as error:
                if is_gone(error):  # already gone (a cleanup cell, a parallel teardown): that is success
                    report.deleted.append(item)
                    ctx.progress(f"  ✓ {item} (was already gone)")
                    continue
                report.failed.append(Failure(f"could not delete {item}", explain(error), item))
                ctx.progress(f"  ✗ {item}: {explain(error)}")
                continue
            report.deleted.append(item)
            ctx.progress(f"  ✓ deleted {item}")


def look_again(ctx: Context, report: Report, settle_seconds: float, sleep=time.sleep) -> list[Resource]:
    """Find again; on real AWS give eventually consistent listings a few seconds to catch up."""
    already = {f.what for f in ctx.failures}
    deadline = time.monotonic() + settle_seconds
    while True:
        ctx.failures = []
        left = [item for top in find(ctx) for item in top.walk()]
        deleted = {r.key for r in report.deleted}
        if not any(item.key in deleted for item in left) or time.monotonic() >= deadline:
            break
        sleep(min(5.0, max(0.0, deadline - time.monotonic())))
    report.failed.extend(f for f in ctx.failures if f.what not in already)
    return left
