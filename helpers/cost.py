"""What a function costs per month: on demand, with a warmer, or with provisioned concurrency.

The prices come from ``data/lambda_pricing_ap-northeast-2.json``, which names the AWS page and
the day they were read, and says which figures are illustrative. The rules are the pricing page's:
duration is billed per 1 ms (rounded up) at a price per GB-second of memory; provisioned
concurrency is billed for every second it is enabled, per GB of memory and per environment, and
the requests it serves pay a lower duration price; the free tier does not apply to it.
A month here is 30 days.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from .paths import REPO_ROOT

PRICE_FILE = REPO_ROOT / "data" / "lambda_pricing_ap-northeast-2.json"
DAYS_PER_MONTH = 30
SECONDS_PER_MONTH = DAYS_PER_MONTH * 86400


@dataclass(frozen=True)
class Prices:
    requests_per_million: float
    duration_per_gb_second: float
    provisioned_per_gb_second: float
    provisioned_duration_per_gb_second: float
    free_requests: int = 0
    free_gb_seconds: int = 0
    status: str = "illustrative"
    source: str = ""
    read_on: str = ""
    region: str = ""

    @classmethod
    def load(cls, path: Path | str = PRICE_FILE) -> "Prices":
        data = json.loads(Path(path).read_text())
        prices = data["prices"]
        return cls(prices["requests_per_million"]["usd"], prices["duration_per_gb_second"]["usd"],
                   prices["provisioned_concurrency_per_gb_second"]["usd"],
                   prices["provisioned_duration_per_gb_second"]["usd"],
                   data["free_tier"]["requests_per_month"], data["free_tier"]["gb_seconds_per_month"],
                   data["status"], data["source"], data["read_on"], data["region"])

    def provenance(self) -> str:
        where = f"{self.region} prices" if self.region else "prices"
        return (f"{where} from {self.source} (read {self.read_on})"
                + (" — ILLUSTRATIVE figures, check the page before relying on them" if self.status != "verified" else ""))


@dataclass(frozen=True)
class Workload:
    requests_per_day: float
    memory_mb: int
    duration_ms: float

    def __post_init__(self):
        if self.requests_per_day < 0:
            raise ValueError("requests_per_day cannot be negative")
        if not 128 <= self.memory_mb <= 10240:
            raise ValueError(f"memory_mb is between 128 and 10240 on Lambda, got {self.memory_mb}")
        if self.duration_ms <= 0:
            raise ValueError("duration_ms must be above 0 (a function runs at least 1 ms)")

    @property
    def gb(self) -> float:
        return self.memory_mb / 1024

    @property
    def requests_per_month(self) -> float:
        return self.requests_per_day * DAYS_PER_MONTH

    @property
    def billed_seconds(self) -> float:
        return math.ceil(self.duration_ms) / 1000


@dataclass
class Option:
    name: str
    parts: dict[str, float]  # what each line costs per month, USD
    note: str
    total: float = field(init=False)

    def __post_init__(self):
        self.total = sum(self.parts.values())


def _request_and_duration(requests: float, gb_seconds: float, prices: Prices, duration_price: float,
                          free_tier: bool) -> dict[str, float]:
    if free_tier:
        requests = max(0.0, requests - prices.free_requests)
        gb_seconds = max(0.0, gb_seconds - prices.free_gb_seconds)
    return {"requests": requests / 1e6 * prices.requests_per_million, "duration": gb_seconds * duration_price}


def on_demand(workload: Workload, prices: Prices, free_tier: bool = False) -> Option:
    gb_seconds = workload.requests_per_month * workload.billed_seconds * workload.gb
    return Option("on demand", _request_and_duration(workload.requests_per_month, gb_seconds, prices,
                                                     prices.duration_per_gb_second, free_tier),
                  "cold start whenever no environment is warm (after idle time, or when traffic grows)")


def with_warmer(workload: Workload, prices: Prices, every_minutes: float = 5, ping_ms: float = 1,
                free_tier: bool = False) -> Option:
    """On demand plus a scheduled rule pinging the function every ``every_minutes``."""
    pings = DAYS_PER_MONTH * 24 * 60 / every_minutes
    requests = workload.requests_per_month + pings
    gb_seconds = (workload.requests_per_month * workload.billed_seconds
                  + pings * math.ceil(ping_ms) / 1000) * workload.gb
    parts = _request_and_duration(requests, gb_seconds, prices, prices.duration_per_gb_second, free_tier)
    return Option(f"warmer every {every_minutes:g} min", parts,
                  "keeps one environment warm; a burst of concurrent requests still starts new ones cold")


def provisioned(workload: Workload, prices: Prices, concurrency: int = 1) -> Option:
    """Provisioned concurrency enabled all month; every request served by a provisioned environment."""
    if concurrency < 1:
        raise ValueError("provisioned concurrency is at least 1")
    gb_seconds = workload.requests_per_month * workload.billed_seconds * workload.gb
    parts = _request_and_duration(workload.requests_per_month, gb_seconds, prices,
                                  prices.provisioned_duration_per_gb_second, free_tier=False)
    parts["provisioned concurrency"] = concurrency * workload.gb * SECONDS_PER_MONTH * prices.provisioned_per_gb_second
    return Option(f"provisioned concurrency × {concurrency}", parts,
                  f"{concurrency} environment{'s' if concurrency != 1 else ''} always initialised; "
                  "requests beyond them start cold (and pay the on-demand price)")


class Comparison(list):
    """The options side by side; shows itself as a table in Jupyter."""

    def __init__(self, options, workload: Workload, prices: Prices, free_tier: bool):
        super().__init__(options)
        self.workload, self.prices, self.free_tier = workload, prices, free_tier

    def _repr_html_(self) -> str:
        w = self.workload
        rows = "".join(
            f"<tr><td>{html.escape(o.name)}</td><td style='text-align:right'><b>${o.total:,.2f}</b></td>"
            f"<td style='font-size:smaller'>{html.escape(', '.join(f'{k} ${v:,.2f}' for k, v in o.parts.items()))}</td>"
            f"<td style='font-size:smaller'>{html.escape(o.note)}</td></tr>" for o in self)
        return (f"<p>{w.requests_per_day:,.0f} requests/day, {w.memory_mb} MB, {w.duration_ms:g} ms each, "
                f"per {DAYS_PER_MONTH}-day month{' after the free tier' if self.free_tier else ' (no free tier)'}</p>"
                f"<table><thead><tr><th>option</th><th>per month</th><th>made of</th><th>what it buys</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>"
                f"<p style='font-size:smaller;color:#666'>{html.escape(self.prices.provenance())}</p>")

    def __str__(self) -> str:
        return "\n".join(f"{o.name:<32} ${o.total:>10,.2f}" for o in self)


def compare(workload: Workload, prices: Prices | None = None, *, concurrency: int = 1,
            warmer_every_minutes: float = 5, free_tier: bool = False) -> Comparison:
    prices = prices or Prices.load()
    return Comparison([on_demand(workload, prices, free_tier),
                       with_warmer(workload, prices, warmer_every_minutes, free_tier=free_tier),
                       provisioned(workload, prices, concurrency)], workload, prices, free_tier)


def calculator(prices: Prices | None = None):
    """Sliders for requests per day, memory and duration; the comparison follows them."""
    import ipywidgets as widgets

    prices = prices or Prices.load()
    style = {"description_width": "150px"}
    layout = widgets.Layout(width="560px")
    requests = widgets.FloatLogSlider(value=10_000, base=10, min=1, max=7, step=0.1, readout_format=",.0f",
                                      description="requests per day", style=style, layout=layout)
    memory = widgets.IntSlider(value=128, min=128, max=10240, step=64, description="memory (MB)",
                               style=style, layout=layout)
    duration = widgets.IntSlider(value=100, min=1, max=3000, description="duration (ms)", style=style, layout=layout)
    concurrency = widgets.IntSlider(value=1, min=1, max=20, description="provisioned envs", style=style, layout=layout)
    free = widgets.Checkbox(value=False, description="apply the free tier")
    output = widgets.HTML()

    def update(_=None):
        workload = Workload(requests.value, memory.value, duration.value)
        output.value = compare(workload, prices, concurrency=concurrency.value, free_tier=free.value)._repr_html_()

    for control in (requests, memory, duration, concurrency, free):
        control.observe(update, names="value")
    update()
    return widgets.VBox([requests, memory, duration, concurrency, free, output])
