"""Exercises of notebook 07 (cold starts): read a measurement table, aim the warmer, price the remedies.

The checks ask the backend the notebook is connected to (the alias ARN) or recompute from the
course's own helpers (the table, the price file), so they hold on the local cloud and on AWS.
"""
from __future__ import annotations

from . import define


@define(
    "07.1", "The median Init Duration of a burst",
    hint='Only cold rows have an Init Duration: take burst.cold, then .median("init_duration_ms") '
         '(the column of the REPORT line\'s Init Duration).',
    solution='''median_init = burst.cold.median("init_duration_ms")''',
    mistake='''median_init = burst.median("latency_ms")''',
)
def check_median_init(answer, table) -> None:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        raise AssertionError(f"expected a number of milliseconds, got {answer!r}")
    expected = table.cold.median("init_duration_ms")
    if expected is None:
        raise AssertionError("the table has no cold starts: run the burst cell again, then this one")
    if answer in (table.median("latency_ms"), table.cold.median("latency_ms")):
        raise AssertionError("that is the client latency: it includes the network round trip and the "
                             "handler, not only INIT")
    if answer == table.median("duration_ms"):
        raise AssertionError("that is the handler's Duration; INIT is reported separately")
    if abs(answer - expected) > 0.01:
        raise AssertionError(f"{answer} ms is not the median Init Duration of the cold rows")


@define(
    "07.2", "Aim the warmer at the production alias",
    hint='An alias ARN is the function ARN with the alias name after one more colon: '
         'ARNS["boto3"] + ":prod".',
    solution='''target_arn = ARNS["boto3"] + ":prod"''',
    mistake='''target_arn = ARNS["boto3"]''',
)
def check_warmer_target(answer) -> None:
    import boto3

    from ..naming import name

    if not isinstance(answer, str) or not answer.startswith("arn:"):
        raise AssertionError(f"expected an ARN (a string starting with 'arn:'), got {answer!r}")
    lam = boto3.client("lambda")
    function = name("cold-boto3")
    expected = lam.get_alias(FunctionName=function, Name="prod")["AliasArn"]
    unqualified = lam.get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    if answer in (unqualified, unqualified + ":$LATEST"):
        raise AssertionError("that ARN invokes $LATEST, not the prod alias: the warmer would keep "
                             "environments warm that production requests never use")
    if answer != expected:
        raise AssertionError(f"{answer} is not the ARN of the prod alias of {function}")


@define(
    "07.3", "Warmer or provisioned concurrency: which costs less?",
    hint='Build the comparison with cost.compare(cost.Workload(10_000, 128, 100), concurrency=1); '
         'each row has .name and .total (USD per month). Compare the warmer row with the provisioned one.',
    solution='''from helpers import cost

totals = {option.name: option.total for option in cost.compare(cost.Workload(10_000, 128, 100), concurrency=1)}
print(totals)
cheaper = "warmer" if totals["warmer every 5 min"] < totals["provisioned concurrency × 1"] else "provisioned"''',
    mistake='''cheaper = "provisioned"''',
)
def check_cheaper(answer) -> None:
    from .. import cost

    if not isinstance(answer, str) or answer.strip().lower() not in ("warmer", "provisioned"):
        raise AssertionError(f'answer "warmer" or "provisioned", got {answer!r}')
    options = {option.name: option.total
               for option in cost.compare(cost.Workload(10_000, 128, 100), concurrency=1)}
    warmer = options["warmer every 5 min"]
    provisioned = options["provisioned concurrency × 1"]
    expected = "warmer" if warmer < provisioned else "provisioned"
    if answer.strip().lower() != expected:
        raise AssertionError(f"not with these prices: compare the two totals "
                             f"(${warmer:,.2f} and ${provisioned:,.2f} a month)")
