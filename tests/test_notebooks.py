"""Every notebook, executed top to bottom against the test session's local cloud.

Honours the standard cell tags: ``skip-execution`` (not run) and ``raises-exception``
(its error is expected). Cells tagged ``cleanup`` run too, so a notebook leaves
nothing behind.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import notebooks

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, local_cloud):
    notebooks.execute(path)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path):
    cells = json.loads(path.read_text())["cells"]
    dirty = [i for i, c in enumerate(cells) if c.get("outputs") or c.get("execution_count")]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them (python -m helpers.notebooks strip)"


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"
