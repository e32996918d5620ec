"""python -m helpers.notebooks strip|nav: keep the committed notebooks clean and linked,
and ``execute``: run one top to bottom, as the tests and the benchmarks do.

``strip`` removes outputs and execution counts (notebooks are committed without
them); ``nav`` rewrites each notebook's last cell with links to the previous and
next lesson, so navigation is generated rather than hand-kept.
"""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import nbformat

from .paths import REPO_ROOT

NOTEBOOK_DIR = REPO_ROOT / "notebooks"
NAV_MARKER = "<!-- course-nav -->"


def notebooks() -> list[Path]:
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def title_of(notebook) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def strip(path: Path) -> bool:
    notebook = nbformat.read(path, as_version=4)
    changed = False
    for cell in notebook.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count):
            cell.outputs, cell.execution_count = [], None
            changed = True
        if cell.metadata.pop("execution", None) is not None:
            changed = True
    if changed:
        nbformat.write(notebook, path)
    return changed


def nav() -> None:
    paths = notebooks()
    loaded = [nbformat.read(p, as_version=4) for p in paths]
    for index, (path, notebook) in enumerate(zip(paths, loaded)):
        parts = []
        if index > 0:
            parts.append(f"← Previous: [{title_of(loaded[index - 1])}]({paths[index - 1].name})")
        if index + 1 < len(paths):
            parts.append(f"Next: [{title_of(loaded[index + 1])}]({paths[index + 1].name}) →")
        source = NAV_MARKER + "\n" + " | ".join(parts)
        if notebook.cells and notebook.cells[-1].cell_type == "markdown" and notebook.cells[-1].source.startswith(NAV_MARKER):
            notebook.cells[-1].source = source
        else:
            notebook.cells.append(nbformat.v4.new_markdown_cell(source))
        nbformat.write(notebook, path)


def execute(path: Path, *, drop_tags: tuple[str, ...] = (), replace: dict[str, str] | None = None,
            env: dict[str, str] | None = None, allow_errors: bool = False, timeout: int = 300):
    """Run a notebook in a fresh kernel and return it with its outputs.

    Cells tagged ``skip-execution`` are not run and a ``raises-exception`` cell may fail
    (nbclient's standard tags); cells carrying one of ``drop_tags`` are removed first
    (e.g. ``cleanup``); ``replace`` maps a tag to the source its cells get instead (the
    exercise tests put solutions and mistakes in); ``env`` is added to the kernel's
    environment.
    """
    import os

    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    cells = []
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if any(tag in drop_tags for tag in tags):
            continue
        for tag in tags:
            if replace and tag in replace:
                cell.source = replace[tag]
        cells.append(cell)
    notebook.cells = cells
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                            skip_cells_with_tag="skip-execution",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    client.execute(**({"env": {**os.environ, **env}} if env else {}))
    return notebook


@contextlib.contextmanager
def holding_back(path: Path, tag: str = "cleanup", timeout: int = 300):
    """Run a notebook without its cells tagged ``tag`` in a kernel kept alive; after the
    ``with`` block, run those cells in the same kernel (e.g. keep an app deployed while a
    test or benchmark uses it, then let the notebook's own cleanup remove it)."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", skip_cells_with_tag="skip-execution",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    held = [(i, cell) for i, cell in enumerate(notebook.cells) if tag in cell.metadata.get("tags", [])]
    client.reset_execution_trackers()
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            if tag not in cell.metadata.get("tags", []):
                client.execute_cell(cell, index)
        try:
            yield notebook
        finally:
            for index, cell in held:
                client.execute_cell(cell, index)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "strip"
    if command == "strip":
        for path in NOTEBOOK_DIR.glob("*.ipynb"):
            if strip(path):
                print(f"stripped {path.name}")
    elif command == "nav":
        nav()
    else:
        print("usage: python -m helpers.notebooks strip|nav", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
