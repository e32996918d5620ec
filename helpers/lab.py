"""python -m helpers.lab: start the local cloud, then JupyterLab on notebooks/."""
from __future__ import annotations

import os
import sys

from .errors import CourseError
from .paths import REPO_ROOT


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if (os.environ.get("COURSE_BACKEND") or "local") == "local":
        from .localcloud import control

        try:
            instance = control.start(quiet=True)
        except CourseError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"Local cloud running at {instance.url} (stop it with: python -m helpers.localcloud stop)")
    from jupyterlab.labapp import main as lab_main

    extra = []
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in argv:
        extra.append("--allow-root")  # containers and CI run as root; Jupyter refuses without this
    sys.argv = ["jupyter-lab", f"--notebook-dir={REPO_ROOT / 'notebooks'}", *extra, *argv]
    return lab_main() or 0


if __name__ == "__main__":
    sys.exit(main())
