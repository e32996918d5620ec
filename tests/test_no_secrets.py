"""No AWS secret is ever committed: notebooks, data, source, docs.

An access key id is ``AKIA`` (long-lived) or ``ASIA`` (temporary) followed by 16
characters of the base32 alphabet A-Z2-7
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
documents the prefixes; https://awsteele.com/blog/2020/09/26/aws-access-key-format.html
measured the alphabet). A secret access key is 40 characters of A-Za-z0-9/+
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html shows the
shape); a 40-character token counts when it mixes upper case, lower case and
digits and does not decode (base64) to readable text, which is what base64 test
bodies do. The one key allowed is the local cloud's documented one
(helpers.localcloud.identity), which opens nothing but the local cloud.

The scanner is tested on planted samples built at run time, so this file never
holds a key-shaped string itself.
"""
from __future__ import annotations

import base64
import binascii
import json
import random
import re
import string
import subprocess
from pathlib import Path

import pytest

from helpers.localcloud import identity

REPO = Path(__file__).resolve().parent.parent
ACCESS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Z0-9])")
SECRET_CANDIDATE = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
ALLOWED = {identity.ACCESS_KEY_ID, identity.SECRET_ACCESS_KEY}
SKIP_PARTS = {".git", ".venv", "__pycache__", "work", ".localcloud", "node_modules", ".ipynb_checkpoints"}


def _decodes_to_text(token: str) -> bool:
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    printable = sum(32 <= byte < 127 or byte in (9, 10, 13) for byte in raw)
    return printable >= 0.9 * len(raw)


def _looks_like_secret(token: str) -> bool:
    return (token not in ALLOWED and bool(re.search(r"[a-z]", token)) and bool(re.search(r"[A-Z]", token))
            and bool(re.search(r"\d", token)) and not _decodes_to_text(token))


def find_secrets(text: str) -> list[str]:
    """Every access key id and secret-looking token in ``text``, shortened so a report never leaks them."""
    found = [m.group() for m in ACCESS_KEY_ID.finditer(text) if m.group() not in ALLOWED]
    found += [m.group() for m in SECRET_CANDIDATE.finditer(text) if _looks_like_secret(m.group())]
    return [f"{token[:4]}…{token[-2:]} ({len(token)} chars)" for token in found]


def repository_files() -> list[Path]:
    """Committed files and new ones not ignored (what the next commit could carry)."""
    try:
        listed = subprocess.check_output(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                                         cwd=REPO, text=True, stderr=subprocess.DEVNULL).splitlines()
        paths = [REPO / line for line in listed]
    except (OSError, subprocess.CalledProcessError):
        paths = [p for p in REPO.rglob("*") if p.is_file()]
    return [p for p in paths if p.is_file() and not SKIP_PARTS.intersection(p.relative_to(REPO).parts)]


def readable_text(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:8192] or len(data) > 5_000_000:
        return None
    return data.decode("utf-8", errors="replace")


def _random(alphabet: str, length: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


def planted_key_id(seed: int = 1) -> str:
    return "AK" + "IA" + _random(string.ascii_uppercase + "234567", 16, seed)


def planted_secret(seed: int = 2) -> str:
    while True:  # make sure the sample mixes all three classes, as real secrets almost always do
        token = _random(string.ascii_letters + string.digits + "/+", 40, seed)
        if _looks_like_secret(token):
            return token
        seed += 1


def test_the_scanner_finds_a_planted_access_key_id_and_secret():
    sample = f'aws_access_key_id = {planted_key_id()}\naws_secret_access_key = "{planted_secret()}"\n'
    assert len(find_secrets(sample)) == 2


def test_the_scanner_finds_them_in_a_notebook_output(tmp_path):
    leaked = {"AccessKeyId": planted_key_id(3), "SecretAccessKey": planted_secret(4)}
    notebook = {"cells": [{"cell_type": "code", "source": "iam.create_access_key(UserName=u)", "metadata": {},
                           "outputs": [{"output_type": "stream", "name": "stdout", "text": json.dumps(leaked)}]}]}
    path = tmp_path / "02_iam.ipynb"
    path.write_text(json.dumps(notebook))
    assert len(find_secrets(readable_text(path))) == 2


def test_the_scanner_shortens_what_it_reports():
    secret = planted_secret()
    report = " ".join(find_secrets(secret))
    assert secret not in report and "40 chars" in report


def test_the_scanner_allows_the_local_clouds_documented_key_and_harmless_look_alikes():
    harmless = [identity.ACCESS_KEY_ID, identity.SECRET_ACCESS_KEY,
                "0123456789abcdef0123456789abcdef01234567",  # a git commit id
                base64.b64encode(b"Hello from the course, 30 bytes").decode()[:40],  # base64 of text
                "ProvisionedConcurrencyConfigNotFoundException",  # long identifiers
                "AKIA" + "0" * 16]  # 0 and 1 are outside the key alphabet: not a key id
    assert find_secrets("\n".join(harmless)) == []


def test_the_scanner_covers_notebooks_data_and_source():
    scanned = {p.relative_to(REPO).parts[0] for p in repository_files()}
    assert {"helpers", "tests", "data"} <= scanned


@pytest.mark.parametrize("folder", ["notebooks", "data", "helpers", "bench", "docs", "tests", "other"])
def test_no_committed_file_holds_an_aws_secret(folder):
    top = {"notebooks", "data", "helpers", "bench", "docs", "tests"}
    files = [p for p in repository_files()
             if (p.relative_to(REPO).parts[0] == folder) or (folder == "other" and p.relative_to(REPO).parts[0] not in top)]
    leaks = {}
    for path in files:
        text = readable_text(path)
        if text and (found := find_secrets(text)):
            leaks[str(path.relative_to(REPO))] = found
    assert not leaks, (f"AWS credentials found: {leaks}. Remove them (and rotate the key if it was real); "
                       "show keys shortened, e.g. AKIA…WXYZ.")
