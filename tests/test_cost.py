"""The cost calculator follows the Lambda pricing page's rules (https://aws.amazon.com/lambda/pricing/).

The page's Example 1 (US East prices): 512 MB, 3 million invocations a month, 1 s each:
1,500,000 GB-s − 400,000 free GB-s = 1,100,000 × $0.00001667 = $18.34; 2M billable requests ×
$0.20/M = $0.40; total $18.74 a month.
"""
from __future__ import annotations

import json

import pytest

from helpers import cost

PAGE_EXAMPLE_PRICES = cost.Prices(requests_per_million=0.20, duration_per_gb_second=0.00001667,
                                  provisioned_per_gb_second=0.0000041667,
                                  provisioned_duration_per_gb_second=0.0000097222,
                                  free_requests=1_000_000, free_gb_seconds=400_000)


def test_the_pricing_pages_example_1_comes_out_at_18_74_dollars():
    workload = cost.Workload(requests_per_day=3_000_000 / cost.DAYS_PER_MONTH, memory_mb=512, duration_ms=1000)
    option = cost.on_demand(workload, PAGE_EXAMPLE_PRICES, free_tier=True)
    assert round(option.parts["duration"], 2) == 18.34 and round(option.parts["requests"], 2) == 0.40
    assert round(option.total, 2) == 18.74


def test_duration_is_billed_in_whole_milliseconds_rounded_up():
    """"Duration is calculated … rounded up to the nearest 1 ms." """
    a = cost.on_demand(cost.Workload(1000, 1024, 1.2), PAGE_EXAMPLE_PRICES)
    b = cost.on_demand(cost.Workload(1000, 1024, 2.0), PAGE_EXAMPLE_PRICES)
    assert a.parts["duration"] == b.parts["duration"]


def test_a_warmer_adds_one_tiny_invocation_every_five_minutes():
    workload = cost.Workload(0, 128, 100)
    option = cost.with_warmer(workload, PAGE_EXAMPLE_PRICES, every_minutes=5, ping_ms=1)
    pings = 30 * 24 * 12
    assert option.parts["requests"] == pytest.approx(pings / 1e6 * 0.20)
    assert option.parts["duration"] == pytest.approx(pings * 0.001 * 0.125 * 0.00001667)


def test_provisioned_concurrency_is_paid_for_every_second_per_environment_and_gb():
    option = cost.provisioned(cost.Workload(0, 1024, 100), PAGE_EXAMPLE_PRICES, concurrency=2)
    assert option.parts["provisioned concurrency"] == pytest.approx(2 * 1.0 * 30 * 86400 * 0.0000041667)
    assert option.total == option.parts["provisioned concurrency"]


def test_provisioned_requests_pay_the_lower_duration_price_and_no_free_tier():
    workload = cost.Workload(100_000, 1024, 100)
    assert cost.provisioned(workload, PAGE_EXAMPLE_PRICES).parts["duration"] == pytest.approx(
        3_000_000 * 0.1 * 0.0000097222)


def test_the_comparison_names_its_price_source_and_says_when_figures_are_illustrative():
    comparison = cost.compare(cost.Workload(10_000, 128, 100))
    page = comparison._repr_html_()
    assert [o.name for o in comparison][0] == "on demand" and "<table>" in page
    data = json.loads(cost.PRICE_FILE.read_text())
    assert data["source"] in page and data["read_on"] in page
    assert ("ILLUSTRATIVE" in page) == (data["status"] != "verified")


def test_the_price_file_says_where_each_figure_comes_from():
    data = json.loads(cost.PRICE_FILE.read_text())
    assert data["region"] == "ap-northeast-2" and data["source"].startswith("https://aws.amazon.com/")
    for price in data["prices"].values():
        assert price["status"] in ("verified", "illustrative") and price["basis"]


def test_the_cpu_file_states_one_vcpu_at_1769_mb_with_its_source():
    data = json.loads((cost.REPO_ROOT / "data" / "lambda_cpu_memory.json").read_text())
    assert data["one_vcpu_at_mb"] == 1769 and "1,769 MB" in data["quote"]
    assert data["source"].startswith("https://docs.aws.amazon.com/lambda/") and data["read_on"]
    for point in data["vcpu_equivalent_by_memory"]["points"]:
        assert point["vcpu"] == pytest.approx(point["memory_mb"] / 1769, abs=0.001)


@pytest.mark.parametrize("bad", [dict(requests_per_day=-1, memory_mb=128, duration_ms=1),
                                 dict(requests_per_day=1, memory_mb=64, duration_ms=1),
                                 dict(requests_per_day=1, memory_mb=128, duration_ms=0)])
def test_impossible_workloads_are_refused_with_the_reason(bad):
    with pytest.raises(ValueError):
        cost.Workload(**bad)


def test_the_calculator_widget_recomputes_when_a_slider_moves():
    ui = cost.calculator()
    requests, *_, output = ui.children
    before = output.value
    requests.value = 1_000_000
    assert output.value != before and "1,000,000 requests/day" in output.value
