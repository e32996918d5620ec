"""The capstone's figures, on the app exactly as notebook 09 builds it.

Targets (issue 5): a POST then a GET of a 100-item table through the local API ≤ 10 ms together
(median); 1,000 POSTs from 8 concurrent clients lose nothing (the table holds exactly the items
whose POST returned 200). The notebook runs without its cleanup cells in a kernel kept alive, the
figures are taken with ``requests`` from this process, then the notebook's cleanup runs. Quick mode
(CI) takes fewer samples and 200 concurrent POSTs.
"""
from __future__ import annotations

import itertools
import json
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .stats import row

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "09_capstone.ipynb"
TABLE_SIZE = 100
CLIENTS, CONCURRENT_POSTS = 8, 1000
FIRST_LOAD_ID = 70_000


@contextmanager
def deployed_capstone() -> Iterator[dict]:
    """Notebook 09 without its cleanup cells; yields its capstone.json; runs the cleanup afterwards."""
    import helpers
    from helpers import notebooks

    with notebooks.holding_back(NOTEBOOK, "cleanup"):
        yield json.loads((helpers.workdir("09") / "capstone.json").read_text())


def _user(user_id: int) -> dict:
    return {"id": user_id, "name": f"Bench {user_id}", "email": f"bench{user_id}@example.com"}


def _fill_to(table, size: int) -> list[int]:
    """Put items until the table holds ``size``; returns every id it holds."""
    ids = {int(item["id"]) for item in table.scan(ProjectionExpression="id")["Items"]}
    with table.batch_writer() as batch:
        for user_id in itertools.count(1000):
            if len(ids) >= size:
                break
            if user_id not in ids:
                batch.put_item(Item=_user(user_id))
                ids.add(user_id)
    return sorted(ids)


def _post_then_get_rows(url: str, ids: list[int], n: int) -> list[dict]:
    """POSTs overwrite existing ids, so every GET lists the same 100 items."""
    import requests

    session = requests.Session()
    next_id = itertools.cycle(ids)
    listed = session.get(url).json()
    if len(listed) != TABLE_SIZE:
        raise RuntimeError(f"the capstone table lists {len(listed)} items, expected {TABLE_SIZE}")

    def post() -> None:
        response = session.post(url, json=_user(next(next_id)))
        if response.status_code != 200:
            raise RuntimeError(f"POST /users answered {response.status_code}: {response.text[:200]}")

    def get() -> None:
        response = session.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET /users answered {response.status_code}: {response.text[:200]}")

    for _ in range(10):                          # warm both functions' environments
        post()
        get()
    post_ms, get_ms = [], []
    for _ in range(n):                           # one POST then one GET per sample, timed apart
        begin = time.perf_counter()
        post()
        middle = time.perf_counter()
        get()
        post_ms.append((middle - begin) * 1000)
        get_ms.append((time.perf_counter() - middle) * 1000)
    rows = [row(f"capstone: POST then GET /users, {TABLE_SIZE}-item table",
                [p + g for p, g in zip(post_ms, get_ms)], 10.0),
            row("capstone: the POST (mapping template, put_item)", post_ms, None),
            row(f"capstone: the GET (proxy, scan of {TABLE_SIZE})", get_ms, None)]
    if len(session.get(url).json()) != TABLE_SIZE:
        raise RuntimeError("the table grew while measuring: a POST added an item instead of replacing one")
    return rows


def _concurrent_rows(url: str, table, posts: int) -> list[dict]:
    import requests

    ids = list(range(FIRST_LOAD_ID, FIRST_LOAD_ID + posts))

    def post_share(share: list[int]) -> list[tuple[int, int, float]]:
        with requests.Session() as session:
            results = []
            for user_id in share:
                begin = time.perf_counter()
                status = session.post(url, json=_user(user_id), timeout=60).status_code
                results.append((user_id, status, (time.perf_counter() - begin) * 1000))
            return results

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = [r for part in pool.map(post_share, [ids[k::CLIENTS] for k in range(CLIENTS)]) for r in part]
    accepted = {user_id for user_id, status, _ in results if status == 200}
    stored: set[int] = set()
    scan_kwargs: dict = {"ProjectionExpression": "id"}
    while True:
        page = table.scan(**scan_kwargs)
        stored |= {int(item["id"]) for item in page["Items"] if int(item["id"]) >= FIRST_LOAD_ID}
        if "LastEvaluatedKey" not in page:
            break
        scan_kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    lost = len(accepted - stored)
    unexpected = len(stored - accepted)
    refused = len(results) - len(accepted)
    latencies = [ms for _, _, ms in results]
    return [row(f"capstone: POST /users, {CLIENTS} concurrent clients", latencies, None,
                refused=refused, lost=lost, unexpected=unexpected),
            # a count, not milliseconds: the verdict column reads it against the target 0
            row(f"capstone: items lost of {posts:,} concurrent POSTs (count)", [float(lost + unexpected)],
                0.0, refused=refused)]


def run(quick: bool) -> list[dict]:
    import boto3

    import helpers

    helpers.connect("local", quiet=True)
    with deployed_capstone() as capstone:
        url = capstone["api_url"] + "/users"
        table = boto3.resource("dynamodb").Table(capstone["table"])
        ids = _fill_to(table, TABLE_SIZE)
        rows = _post_then_get_rows(url, ids, 30 if quick else 300)
        rows += _concurrent_rows(url, table, 200 if quick else CONCURRENT_POSTS)
    return rows
