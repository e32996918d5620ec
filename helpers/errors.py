"""One error type for problems a learner can fix, shown as a message rather than a traceback."""
from __future__ import annotations


class CourseError(Exception):
    """Something the learner can fix: says what is wrong and what to do about it."""

    def __init__(self, problem: str, fix: str | None = None):
        self.problem = problem
        self.fix = fix
        super().__init__(problem if not fix else f"{problem}\n  How to fix it: {fix}")

    def _render_traceback_(self):  # IPython shows this instead of a long traceback
        return [f"\x1b[31mCourseError\x1b[0m: {self}"]
