"""The capstone (notebook 09) end to end: a real browser on one origin, the API on another.

Notebook 09 is executed as a learner would run it, except its ``cleanup`` cells, in a kernel kept
alive for this module; it writes the API's URL and the table's name to
``helpers.workdir("09") / "capstone.json"``. The page in ``web/capstone`` is then served from an
origin of its own and driven in headless Chromium: a cross-origin ``fetch`` with a JSON body makes
the browser send a CORS preflight, and the page only works if the API answers it and puts
``Access-Control-Allow-Origin`` on every answer ("Enabling CORS for a REST API resource",
https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html). Afterwards the
notebook's own cleanup cells run in the same kernel.

Without Chromium (Debian's ``chromium`` package, or the executable named by ``CHROMIUM``, driven
by Playwright's Python package) the browser test is skipped with the reason, except when ``CI=true``: there a missing
browser fails the run.
"""
from __future__ import annotations

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
import requests

import helpers
import helpers.static_site
from helpers import notebooks

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO_ROOT / "notebooks" / "09_capstone.ipynb"
PAGE = REPO_ROOT / "web" / "capstone"
SEED = json.loads((REPO_ROOT / "data" / "dynamodb" / "ausg-users.json").read_text(encoding="utf-8"))["items"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def capstone(local_cloud):
    """Notebook 09 run top to bottom without its cleanup cells; yields capstone.json, then cleans up."""
    helpers.connect("local", quiet=True)
    with notebooks.holding_back(NOTEBOOK, "cleanup"):
        yield json.loads((helpers.workdir("09") / "capstone.json").read_text())


def _no_browser(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true needs a browser for the capstone test: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(executable):
        _no_browser(f"Chromium is not installed at {executable} (Debian: apt-get install chromium; "
                    "elsewhere set CHROMIUM to a Chromium or Chrome executable)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright package is missing (.venv/bin/pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page_site(capstone):
    site = helpers.static_site.serve(PAGE, config={"COURSE_API_URL": capstone["api_url"]})
    yield site
    site.stop()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_the_page_lists_the_seeded_users_and_adds_one_through_the_form(capstone, chromium, page_site):
    """The page and the API are two origins; the page lists the users, adds one with the form, and the
    new item is in DynamoDB. The POST needed a CORS preflight ("Enabling CORS for a REST API resource",
    https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html)."""
    assert origin_of(page_site.url) != origin_of(capstone["api_url"])
    page = chromium.new_page()
    preflights = []
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.on("Network.requestWillBeSent",
                lambda event: preflights.append(event["request"]["url"])
                if event["request"]["method"] == "OPTIONS" else None)
    try:
        page.goto(page_site.url)
        page.wait_for_selector("body[data-loaded]", timeout=15_000)
        listed = {int(text) for text in page.locator("#users tr td:first-child").all_text_contents()}
        assert {user["id"] for user in SEED} <= listed
        assert "users loaded" in page.locator("#status").text_content()

        page.fill("#id", "202")
        page.fill("#name", "Browser Park")
        page.fill("#email", "browser202@example.com")
        page.click("button[type=submit]")
        page.wait_for_function("document.getElementById('status').textContent.includes('Added user 202')",
                               timeout=15_000)
        page.wait_for_selector("#users tr:has(td:text-is('202'))", timeout=15_000)
        row = page.locator("#users tr:has(td:text-is('202')) td").all_text_contents()
        assert row == ["202", "Browser Park", "browser202@example.com"]
    finally:
        page.close()

    item = boto3.resource("dynamodb").Table(capstone["table"]).get_item(Key={"id": 202})["Item"]
    assert item == {"id": 202, "name": "Browser Park", "email": "browser202@example.com"}
    assert any(url.endswith("/users") for url in preflights), "the browser sent no CORS preflight"


def test_the_page_shows_the_apis_400_message_for_bad_input(capstone, chromium, page_site):
    """A refused POST still carries Access-Control-Allow-Origin, so the page can show the API's message
    instead of a bare network error (CORS headers on 4XX answers: "Enabling CORS for a REST API
    resource", https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html)."""
    page = chromium.new_page()
    try:
        page.goto(page_site.url)
        page.wait_for_selector("body[data-loaded]", timeout=15_000)
        # The form's own checks would stop an empty name; a blank-looking one reaches the API.
        page.fill("#id", "203")
        page.fill("#name", "   ")
        page.fill("#email", "blank203@example.com")
        page.click("button[type=submit]")
        page.wait_for_function("document.getElementById('status').className === 'error'", timeout=15_000)
        status = page.locator("#status").text_content()
    finally:
        page.close()
    assert "POST /users answered 400" in status and "name must be a non-empty string" in status
    assert "Item" not in boto3.resource("dynamodb").Table(capstone["table"]).get_item(Key={"id": 203})


def test_concurrent_posts_lose_nothing(capstone, connected):
    """1,000 POSTs from 8 concurrent clients: the table holds exactly the items whose POST returned 200
    (PutItem is atomic per item: "PutItem", https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html)."""
    url = capstone["api_url"] + "/users"
    ids = list(range(50_000, 51_000))

    def post_all(share: list[int]) -> list[tuple[int, int]]:
        with requests.Session() as session:
            return [(i, session.post(url, json={"id": i, "name": f"Load {i}", "email": f"load{i}@example.com"},
                                     timeout=60).status_code) for i in share]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [pair for part in pool.map(post_all, [ids[k::8] for k in range(8)]) for pair in part]
    accepted = {i for i, status in results if status == 200}

    stored = set()
    for page in boto3.client("dynamodb").get_paginator("scan").paginate(TableName=capstone["table"]):
        stored |= {int(item["id"]["N"]) for item in page["Items"] if 50_000 <= int(item["id"]["N"]) < 51_000}
    assert stored == accepted
    assert len(accepted) == len(ids), {status for _, status in results if status != 200}
