"""The course's benchmark suite: ``python -m bench [--quick]``.

Each module here exposes ``run(quick) -> list[dict]`` with rows
``{"name", "median_ms", "p99_ms", "target_ms", "n"}``; ``__main__`` collects them,
prints a table next to the floors measured in the same run, and writes JSON.
"""
