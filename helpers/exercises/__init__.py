"""Exercises with self-checks: ``q = helpers.exercise("03.1")``, then ``q.check(...)``,
``q.hint()``, ``q.solution()``.

Each notebook's exercises live in ``helpers/exercises/nbNN.py`` (the one place an
instructor finds every solution: ``python -m helpers.exercises``). A check returns
quietly with a green "Correct", raises ``ExerciseFailed`` with a hint when the
answer is wrong, and says "not attempted yet" while the starter ``____`` is still
there, so a notebook run top to bottom never fails on an untouched exercise.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable


class _Blank:
    """The starter value in exercise cells: ``answer = ____``."""

    def __repr__(self) -> str:
        return "____"

    def __bool__(self) -> bool:
        return False


BLANK = ____ = _Blank()


class ExerciseFailed(AssertionError):
    def _render_traceback_(self):
        return [f"\x1b[31m✗ Not yet\x1b[0m: {self}"]


@dataclass
class Exercise:
    id: str
    title: str
    checker: Callable[..., None]  # raises AssertionError with a learner-facing message
    hint_text: str
    solution_code: str
    mistake_code: str  # a plausible wrong answer: the tests prove the check rejects it

    def check(self, *answers: Any) -> bool:
        if not answers or any(isinstance(a, _Blank) for a in answers):
            _show(f"○ Exercise {self.id} not attempted yet: replace ____ with your answer, "
                  f"then run the cell again. (q.hint() helps.)")
            return False
        try:
            self.checker(*answers)
        except AssertionError as error:
            message = str(error) or "that is not it yet"
            raise ExerciseFailed(f"{message}\n  Hint: {self.hint_text}") from None
        _show(f"✓ Correct: exercise {self.id} ({self.title}) passes.")
        return True

    def hint(self) -> None:
        _show(f"Hint for {self.id}: {self.hint_text}")

    def solution(self) -> None:
        _show(f"Solution for {self.id}:\n\n{self.solution_code}")


_REGISTRY: dict[str, Exercise] = {}


def define(id: str, title: str, hint: str, solution: str,
           mistake: str) -> Callable[[Callable[..., None]], Exercise]:
    """Decorator for a notebook's exercise modules: the checker raises AssertionError.

    ``solution`` and ``mistake`` are the full source of the exercise cell, right and
    plausibly wrong; the tests run the notebook with each.
    """

    def register(checker: Callable[..., None]) -> Exercise:
        exercise = Exercise(id, title, checker, hint, solution.strip("\n"), mistake.strip("\n"))
        _REGISTRY[id] = exercise
        return exercise

    return register


def exercise(id: str) -> Exercise:
    if id not in _REGISTRY:
        notebook = id.split(".")[0]
        try:
            importlib.import_module(f"helpers.exercises.nb{notebook}")
        except ModuleNotFoundError:
            pass
    try:
        return _REGISTRY[id]
    except KeyError:
        raise KeyError(f"No exercise {id!r}; known: {', '.join(sorted(_REGISTRY)) or 'none'}") from None


def all_exercises() -> list[Exercise]:
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("nb"):
            importlib.import_module(f"{__name__}.{module.name}")
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def _show(text: str) -> None:
    print(text)
