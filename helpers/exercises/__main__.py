"""python -m helpers.exercises: every exercise's hint and solution, for instructors."""
from . import all_exercises

for item in all_exercises():
    print(f"## {item.id}: {item.title}\n\nHint: {item.hint_text}\n\n```python\n{item.solution_code}\n```\n")
