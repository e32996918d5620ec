"""The README stays true to the code: settings, commands, notebooks."""
from __future__ import annotations

from pathlib import Path

from helpers import settings
from helpers.localcloud.extensions import load_extension_classes

load_extension_classes()  # extensions register their settings when imported

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_setting_is_documented_in_the_readme():
    missing = [name for name in settings.REGISTRY if f"`{name}`" not in README]
    assert not missing, f"add these to the README's settings table (python -m helpers.localcloud settings): {missing}"


def test_every_notebook_is_listed():
    notebooks = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
    missing = [p.stem for p in notebooks if f"`{p.stem}`" not in README]
    assert not missing, missing


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "make test" in ci and "make test" in README
