"""Provisioned concurrency, which moto lacks and the local cloud implements.

https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html
https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html
"""
from __future__ import annotations

import time

import pytest

from .support import in_parallel, invoke, report_of

CODE = """
import os, time
def handler(event, context):
    time.sleep(event.get("sleep", 0))
    return {"init": os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"], "pid": os.getpid()}
"""


def wait_ready(lam, name: str, qualifier: str, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        config = lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier=qualifier)
        if config["Status"] != "IN_PROGRESS" or time.monotonic() > deadline:
            return config
        time.sleep(0.05)


@pytest.fixture
def published(lam, make_function):
    name = make_function({"app.py": CODE}, Timeout=10)
    version = lam.publish_version(FunctionName=name)["Version"]
    yield name, version


def test_put_starts_environments_and_reports_in_progress_then_ready(lam, published):
    """API_PutProvisionedConcurrencyConfig: 202 with Status IN_PROGRESS; READY once allocated."""
    name, version = published
    answer = lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier=version,
                                                    ProvisionedConcurrentExecutions=2)
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert answer["RequestedProvisionedConcurrentExecutions"] == 2
    assert answer["Status"] == "IN_PROGRESS"
    config = wait_ready(lam, name, version)
    assert config["Status"] == "READY"
    assert config["AllocatedProvisionedConcurrentExecutions"] == 2
    assert config["AvailableProvisionedConcurrentExecutions"] == 2


def test_invokes_use_provisioned_environments_without_a_cold_start(lam, published):
    """provisioned-concurrency.html: initialised in advance, AWS_LAMBDA_INITIALIZATION_TYPE is
    provisioned-concurrency, and the REPORT line has no Init Duration."""
    name, version = published
    lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier=version, ProvisionedConcurrentExecutions=1)
    wait_ready(lam, name, version)
    response, payload = invoke(lam, name, Qualifier=version, LogType="Tail")
    assert payload["init"] == "provisioned-concurrency"
    assert "Init Duration" not in report_of(response)
    assert invoke(lam, name)[1]["init"] == "on-demand"  # $LATEST is not provisioned


def test_traffic_beyond_provisioned_spills_over_to_on_demand(lam, published):
    """provisioned-concurrency.html: above the provisioned amount, Lambda uses on-demand environments."""
    name, version = published
    lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier=version, ProvisionedConcurrentExecutions=1)
    wait_ready(lam, name, version)
    kinds = sorted(in_parallel(2, lambda _: invoke(lam, name, {"sleep": 0.5}, Qualifier=version)[1]["init"]))
    assert kinds == ["on-demand", "provisioned-concurrency"]


def test_an_alias_can_hold_provisioned_concurrency(lam, published):
    name, version = published
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
    lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="live", ProvisionedConcurrentExecutions=1)
    assert wait_ready(lam, name, "live")["Status"] == "READY"
    assert invoke(lam, name, Qualifier="live")[1]["init"] == "provisioned-concurrency"


def test_list_and_delete(lam, published):
    """API_ListProvisionedConcurrencyConfigs and API_DeleteProvisionedConcurrencyConfig (204)."""
    name, version = published
    lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier=version, ProvisionedConcurrentExecutions=1)
    configs = lam.list_provisioned_concurrency_configs(FunctionName=name)["ProvisionedConcurrencyConfigs"]
    assert [config["FunctionArn"].rsplit(":", 1)[1] for config in configs] == [version]
    deleted = lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier=version)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(lam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier=version)
    assert invoke(lam, name, Qualifier=version)[1]["init"] == "on-demand"


def test_latest_cannot_be_provisioned(lam, published):
    """API_PutProvisionedConcurrencyConfig: only a published version or an alias."""
    name, _ = published
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as caught:
        lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="$LATEST",
                                               ProvisionedConcurrentExecutions=1)
    assert "unpublished" in caught.value.response["Error"]["Message"]


def test_unknown_function_or_config_is_not_found(lam, published):
    name, version = published
    with pytest.raises(lam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier=version)
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_provisioned_concurrency_config(FunctionName="lrt-no-such-function", Qualifier="1")
