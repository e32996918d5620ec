"""Small interactive pieces for notebooks: a checked multiple-choice quiz."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Quiz:
    question: str
    options: list[str]
    answer: int  # index into options
    explanation: str

    def grade(self, choice: int | None) -> tuple[bool, str]:
        if choice is None:
            return False, "Pick an answer first."
        if choice == self.answer:
            return True, f"✓ Right. {self.explanation}"
        return False, f"✗ Not quite: {self.options[choice]!r} is not it. Think again, then try another answer."

    def _ipython_display_(self):
        import ipywidgets as widgets
        from IPython.display import display

        radio = widgets.RadioButtons(options=[(text, i) for i, text in enumerate(self.options)],
                                     value=None, layout=widgets.Layout(width="max-content"))
        button = widgets.Button(description="Check", button_style="primary")
        feedback = widgets.HTML()

        def on_click(_):
            ok, message = self.grade(radio.value)
            colour = "#2e7d32" if ok else "#c62828"
            feedback.value = f"<span style='color:{colour}'>{message}</span>"

        button.on_click(on_click)
        display(widgets.VBox([widgets.HTML(f"<b>{self.question}</b>"), radio, button, feedback]))


def quiz(question: str, options: list[str], answer: int, explanation: str) -> Quiz:
    """Display a quiz; the learner's pick is checked when they press *Check*."""
    if not 0 <= answer < len(options):
        raise ValueError("answer must be an index into options")
    return Quiz(question, list(options), answer, explanation)
