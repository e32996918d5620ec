"""python3 -m helpers.bootstrap [--dev]: create .venv and install the course into it.

Runs on the system Python before anything is installed, so it uses only the
standard library. It re-installs only when a requirements file changed.
"""
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

MINIMUM = (3, 11)
ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def fingerprint(files) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if sys.version_info < MINIMUM:
        print("error: the course needs Python %d.%d or newer; this is %s.\n"
              "  How to fix it: install Python 3.11+ (python.org, your package manager, or conda) "
              "and run this command with it, e.g. python3.11 -m helpers.bootstrap" %
              (MINIMUM + (sys.version.split()[0],)), file=sys.stderr)
        return 2
    dev = "--dev" in argv
    requirements = ROOT / ("requirements-dev.txt" if dev else "requirements.txt")
    files = [ROOT / "requirements.txt", ROOT / "pyproject.toml"] + ([requirements] if dev else [])
    stamp = VENV / (".installed-dev" if dev else ".installed")
    wanted = fingerprint(files)
    if not venv_python().exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if stamp.exists() and stamp.read_text() == wanted:
        return 0
    python = str(venv_python())
    steps = [
        [python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        [python, "-m", "pip", "install", "--quiet", "-r", str(requirements)],
        [python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(ROOT)],
    ]
    for number, step in enumerate(steps, 1):
        print("[%d/%d] %s" % (number, len(steps), " ".join(step[2:])), flush=True)
        if subprocess.call(step, cwd=str(ROOT)) != 0:
            print("error: installing failed at the step above; see pip's message.", file=sys.stderr)
            return 1
    stamp.write_text(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
