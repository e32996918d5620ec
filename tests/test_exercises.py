"""Exercise self-checks can pass and can fail.

For every notebook with exercises, two extra runs: one with each exercise cell
replaced by its registered solution (every check must print "✓ Correct"), and one
with each replaced by its registered mistake (every check must raise
ExerciseFailed). Exercise cells carry the tag ``exercise-<id>``, the cell that
checks them ``check-<id>``.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from helpers import notebooks
from helpers.exercises import all_exercises, exercise

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def exercise_ids(notebook) -> list[str]:
    ids = []
    for cell in notebook.cells:
        for tag in cell.metadata.get("tags", []):
            if tag.startswith("exercise-"):
                ids.append(tag[len("exercise-"):])
    return ids


NOTEBOOKS_WITH_EXERCISES = [p for p in sorted(NOTEBOOK_DIR.glob("*.ipynb"))
                            if exercise_ids(nbformat.read(p, as_version=4))]


def run_with(path: Path, variant: str) -> tuple[nbformat.NotebookNode, list[str]]:
    ids = exercise_ids(nbformat.read(path, as_version=4))
    sources = {f"exercise-{i}": (exercise(i).solution_code if variant == "solution" else exercise(i).mistake_code)
               for i in ids}
    return notebooks.execute(path, replace=sources, allow_errors=(variant == "mistake")), ids


def check_cell_text(notebook, exercise_id: str) -> str:
    for cell in notebook.cells:
        if f"check-{exercise_id}" in cell.metadata.get("tags", []):
            parts = []
            for output in cell.outputs:
                parts.append(output.get("text", ""))
                parts.append(output.get("ename", "") + " " + output.get("evalue", ""))
            return "\n".join(parts)
    raise AssertionError(f"no cell tagged check-{exercise_id}")


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS_WITH_EXERCISES, ids=[p.stem for p in NOTEBOOKS_WITH_EXERCISES])
def test_solutions_pass_their_checks(path, local_cloud):
    notebook, ids = run_with(path, "solution")
    for exercise_id in ids:
        assert f"✓ Correct: exercise {exercise_id}" in check_cell_text(notebook, exercise_id)


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS_WITH_EXERCISES, ids=[p.stem for p in NOTEBOOKS_WITH_EXERCISES])
def test_mistakes_fail_their_checks(path, local_cloud):
    notebook, ids = run_with(path, "mistake")
    for exercise_id in ids:
        assert "ExerciseFailed" in check_cell_text(notebook, exercise_id)


def test_every_exercise_has_a_hint_a_solution_and_a_mistake():
    for item in all_exercises():
        assert item.hint_text and item.solution_code and item.mistake_code, item.id


def test_untouched_starter_says_not_attempted(capsys):
    from helpers.exercises import BLANK, define

    item = define("zz.1", "demo", hint="h", solution="x = 1", mistake="x = 2")(lambda x: None)
    assert item.check(BLANK) is False
    assert "not attempted yet" in capsys.readouterr().out
