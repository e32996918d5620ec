"""AWS Budgets: the monthly budget alarm notebook 00 makes (named with the prefix, tagged).

Budgets take tags on a real account
(https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_ListTagsForResource.html);
an endpoint that cannot list them (the local cloud's moto) falls back to the
participant prefix alone, as for layers. Deleting a budget deletes its
notifications and subscribers with it
(https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_DeleteBudget.html).
"""
from __future__ import annotations

from ..context import DENIED_CODES, Context, is_unsupported
from ..pacing import error_code
from ..model import Resource
from ..scope import tags_from_list


def _tags(ctx: Context, name: str) -> dict[str, str] | None | bool:
    """The budget's tags, None when this endpoint cannot tell, False when we may not read them."""
    arn = f"arn:aws:budgets::{ctx.account}:budget/{name}"
    try:
        client = ctx.client("budgets", single_attempt=True)
        return tags_from_list(client.list_tags_for_resource(ResourceARN=arn).get("ResourceTags"))
    except Exception as error:
        if is_unsupported(error):
            return None
        if error_code(error) in DENIED_CODES:
            ctx.unreadable.append(f"AWS budget {name}")
            return False
        raise


def find_budgets(ctx: Context) -> list[Resource]:
    found = []
    for budget in ctx.pages("budgets", "describe_budgets", "Budgets", AccountId=ctx.account):
        name = budget["BudgetName"]
        if not ctx.scope.may_have_prefix(name):
            continue
        tags = _tags(ctx, name)
        if tags is False:
            continue
        owner = ctx.scope.owner_by_name(name) if tags is None else ctx.scope.owner_by_tags(name, tags)
        if owner is not None:
            found.append(Resource("AWS budget", name, owner, {"AccountId": ctx.account, "BudgetName": name}))
    return found


DELETERS = {
    "AWS budget": lambda ctx, r: ctx.call("budgets", "delete_budget", **r.ident),
}
