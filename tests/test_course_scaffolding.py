"""The course's scaffolding: the quiz widget's grading, the exercise self-checks, and the shape
every notebook in notebooks/ must have (docs/authoring.md).

The notebook-shape tests are parametrized over every notebook, so lessons added later are
held to the same header, summary, cleanup and exercise conventions.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import helpers
from helpers.exercises import _REGISTRY, BLANK, ExerciseFailed, define, exercise
from helpers.widgets import Quiz

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
HEADER_PARTS = ("Learning objectives", "Time", "Prerequisites", "What it creates")


# ---------------------------------------------------------------------------- quiz grading

def sample_quiz() -> Quiz:
    return helpers.quiz("Where does Lambda send print() output?",
                        ["S3", "CloudWatch Logs", "DynamoDB"], 1, "Each function has a log group.")


def test_quiz_right_answer_is_graded_correct_with_the_explanation():
    ok, message = sample_quiz().grade(1)
    assert ok is True
    assert "Each function has a log group." in message


def test_quiz_wrong_answer_is_graded_wrong_and_names_the_choice():
    ok, message = sample_quiz().grade(0)
    assert ok is False
    assert "'S3'" in message
    assert "Each function has a log group." not in message  # the explanation would give it away


def test_quiz_without_a_choice_asks_for_one():
    ok, message = sample_quiz().grade(None)
    assert ok is False
    assert "Pick an answer" in message


def test_quiz_refuses_an_answer_index_outside_the_options():
    with pytest.raises(ValueError, match="index into options"):
        helpers.quiz("?", ["a", "b"], 2, "")


# ---------------------------------------------------------------------------- exercise self-checks

@pytest.fixture
def even_number_exercise():
    """A throwaway exercise: the answer must be an even number."""

    def checker(answer):
        assert isinstance(answer, int), "expected a whole number"
        assert answer % 2 == 0, f"{answer} is odd"

    item = define("zz.scaffold", "an even number", hint="Try a multiple of 2.",
                  solution="answer = 4", mistake="answer = 3")(checker)
    yield item
    _REGISTRY.pop("zz.scaffold", None)


def test_exercise_check_passes_and_says_correct(even_number_exercise, capsys):
    assert even_number_exercise.check(4) is True
    assert "✓ Correct: exercise zz.scaffold" in capsys.readouterr().out


def test_exercise_check_fails_with_what_is_wrong_and_the_hint(even_number_exercise):
    with pytest.raises(ExerciseFailed) as failure:
        even_number_exercise.check(3)
    assert "3 is odd" in str(failure.value)
    assert "Hint: Try a multiple of 2." in str(failure.value)
    assert isinstance(failure.value, AssertionError)


def test_exercise_check_of_untouched_starter_says_not_attempted(even_number_exercise, capsys):
    assert even_number_exercise.check(BLANK) is False
    assert even_number_exercise.check() is False
    assert capsys.readouterr().out.count("not attempted yet") == 2


def test_exercise_hint_and_solution_are_one_call_away(even_number_exercise, capsys):
    even_number_exercise.hint()
    even_number_exercise.solution()
    out = capsys.readouterr().out
    assert "Try a multiple of 2." in out
    assert "answer = 4" in out


def test_unknown_exercise_id_lists_the_known_ones():
    with pytest.raises(KeyError, match="No exercise '99.9'"):
        exercise("99.9")


# ---------------------------------------------------------------------------- notebooks 00 and 01

def test_exercise_00_1_names_an_arn_given_instead_of_the_account_id(connected):
    with pytest.raises(ExerciseFailed, match="that is an ARN"):
        exercise("00.1").check(f"arn:aws:iam::{connected.account}:user/course-admin")
    assert exercise("00.1").check(connected.account) is True


def test_exercise_00_2_refuses_a_name_without_the_participant_prefix(monkeypatch):
    monkeypatch.setenv("COURSE_PARTICIPANT", "alice")
    with pytest.raises(ExerciseFailed, match="collides"):
        exercise("00.2").check("users")
    with pytest.raises(ExerciseFailed, match="goes first"):
        exercise("00.2").check("users-alice")
    assert exercise("00.2").check("alice-users") is True


@pytest.mark.parametrize("answer, says", [(300_000_000.0, "milliseconds"),
                                          (300_000 * 1024, "megabytes"),
                                          (300_000 * 1024 / 1000, "1024 MB")])
def test_exercise_01_1_names_the_unit_that_was_not_converted(answer, says):
    with pytest.raises(ExerciseFailed, match=says):
        exercise("01.1").check(answer)


def test_exercise_01_1_accepts_300000_gb_seconds():
    assert exercise("01.1").check(300_000) is True


def test_exercise_01_2_explains_why_a_two_hour_job_does_not_fit():
    with pytest.raises(ExerciseFailed, match="15 minutes"):
        exercise("01.2").check({"A", "B", "C", "E"})
    assert exercise("01.2").check(["a", "c", "e"]) is True


def test_glossary_has_the_seed_terms_in_both_languages():
    import csv

    from helpers.paths import data_dir

    with open(data_dir() / "glossary.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert all(row["korean"] and row["english"] and row["explanation"] for row in rows)
    pairs = {(row["korean"], row["english"]) for row in rows}
    for pair in [("콜드 스타트", "cold start"), ("서버리스", "serverless"), ("레이어", "layer"),
                 ("매핑 템플릿", "mapping template"), ("프로비저닝된 동시성", "provisioned concurrency"),
                 ("CORS 활성화", "Enable CORS"), ("역할", "role"), ("트리거", "trigger")]:
        assert pair in pairs, pair


# ---------------------------------------------------------------------------- every notebook's shape

def markdown_before_first_code(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            break
        parts.append(cell.source)
    return "\n".join(parts)


def has_label(text: str, label: str) -> bool:
    """``**Label**`` or a ``## Label`` heading at the start of a line (colon optional)."""
    pattern = rf"^\s*(\*\*{re.escape(label)}\*\*|#+\s*{re.escape(label)}\b)"
    return re.search(pattern, text, flags=re.MULTILINE | re.IGNORECASE) is not None


def tags_of(cell) -> list[str]:
    return list(cell.metadata.get("tags", []))


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_notebook_opens_with_a_numbered_title(notebook):
    path, nb = notebook
    number = path.stem.split("_")[0]
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {number} · "), (
        f"{path.name}: the first cell must be the title '# {number} · Title'")


@pytest.mark.parametrize("part", HEADER_PARTS)
def test_notebook_header_has_every_part(notebook, part):
    path, nb = notebook
    assert has_label(markdown_before_first_code(nb), part), (
        f"{path.name}: the header (markdown before the first code cell) needs **{part}**")


def test_notebook_header_gives_the_time_in_minutes(notebook):
    path, nb = notebook
    header = markdown_before_first_code(nb)
    assert re.search(r"\*\*Time\*\*[^\n]*\d+\s*min", header, flags=re.IGNORECASE), (
        f"{path.name}: write the time estimate as e.g. '**Time**: about 15 minutes'")


def test_notebook_has_a_summary_before_its_cleanup_cell(notebook):
    path, nb = notebook
    summary = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and has_label(c.source, "Summary")]
    cleanup = [i for i, c in enumerate(nb.cells) if "cleanup" in tags_of(c)]
    assert summary, f"{path.name}: add a '## Summary' with the key points"
    assert cleanup, f"{path.name}: add a code cell tagged 'cleanup' (it may only say there is nothing to delete)"
    assert all(nb.cells[i].cell_type == "code" for i in cleanup), f"{path.name}: the cleanup cell must be code"
    assert min(summary) < min(cleanup), f"{path.name}: the Summary comes before the cleanup cell"


def test_notebook_exercise_cells_pair_with_check_cells_and_definitions(notebook):
    path, nb = notebook
    exercises = [(c, t[len("exercise-"):]) for c in nb.cells for t in tags_of(c) if t.startswith("exercise-")]
    checks = {t[len("check-"):] for c in nb.cells for t in tags_of(c) if t.startswith("check-")}
    assert {exercise_id for _, exercise_id in exercises} == checks, (
        f"{path.name}: every exercise-NN.k cell needs a check-NN.k cell, and the other way round")
    for cell, exercise_id in exercises:
        assert "____" in cell.source, f"{path.name}: the starter of exercise {exercise_id} needs a ____ blank"
        assert exercise_id.split(".")[0] == path.stem.split("_")[0], (
            f"{path.name}: exercise {exercise_id} should be numbered after its notebook")
        assert exercise(exercise_id).solution_code, f"define exercise {exercise_id} in helpers/exercises"
