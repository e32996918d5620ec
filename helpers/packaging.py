"""Zipping Lambda code and layers: the deployment package a notebook hands to ``create_function``.

Lambda takes a .zip whose root holds the handler file (or, for a layer, a ``python/``
or ``nodejs/`` folder); these helpers build it in memory. The archives are
reproducible (fixed timestamps, sorted names), so zipping unchanged code gives the
same ``CodeSha256`` and re-running a notebook publishes no needless version; a file
named ``bootstrap`` or ending in ``.sh`` is marked executable, as a custom runtime
needs.
https://docs.aws.amazon.com/lambda/latest/dg/python-package.html
https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html
"""
from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

from .errors import CourseError

_EPOCH = (1980, 1, 1, 0, 0, 0)
_SKIPPED = {"__pycache__", ".ipynb_checkpoints", ".DS_Store", ".git"}


def _is_executable_name(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return base == "bootstrap" or base.endswith(".sh")


def _add(archive: zipfile.ZipFile, name: str, data: bytes, executable: bool) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
    archive.writestr(info, data)


def zip_files(files: dict[str, str | bytes]) -> bytes:
    """``{"app.py": "def handler(event, context): ..."}`` → the bytes of a .zip holding them."""
    if not files:
        raise CourseError("There is nothing to zip.", fix="Pass at least one {name: content} pair.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            content = files[name]
            data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
            _add(archive, name.replace("\\", "/").lstrip("/"), data, _is_executable_name(name))
    return buffer.getvalue()


def zip_code(code: str, filename: str = "lambda_function.py") -> bytes:
    """One handler file from a string: ``zip_code(source, "app.py")``."""
    if not isinstance(code, str) or not code.strip():
        raise CourseError("zip_code() needs the handler's source code as a non-empty string.",
                          fix="Pass the code itself; to zip a file or a folder use helpers.zip_path(path).")
    return zip_files({filename: code})


def zip_path(path: str | os.PathLike, prefix: str = "") -> bytes:
    """A file, or a folder's contents, zipped with names relative to it (under ``prefix``).

    ``zip_path(WORK / "hello.py")`` → ``hello.py`` at the root (a function);
    ``zip_path("data/layers/course_utils", prefix="python/course_utils")`` → a layer.
    """
    source = Path(path).expanduser()
    if not source.exists():
        raise CourseError(f"{source} does not exist, so it cannot be zipped.",
                          fix="Check the path (was the %%writefile cell run?).")
    prefix = prefix.strip("/")
    files: dict[str, bytes] = {}
    if source.is_file():
        files[f"{prefix}/{source.name}" if prefix else source.name] = source.read_bytes()
    else:
        for file in sorted(source.rglob("*")):
            relative = file.relative_to(source)
            if file.is_dir() or _SKIPPED.intersection(relative.parts) or file.suffix == ".pyc":
                continue
            name = relative.as_posix()
            files[f"{prefix}/{name}" if prefix else name] = file.read_bytes()
    if not files:
        raise CourseError(f"{source} is an empty folder.", fix="Put the code to deploy in it first.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            disk = source if source.is_file() else source / name[len(prefix) + 1 if prefix else 0:]
            executable = _is_executable_name(name) or (disk.exists() and os.access(disk, os.X_OK)
                                                       and not disk.suffix)
            _add(archive, name, files[name], executable)
    return buffer.getvalue()


def zip_names(package: bytes) -> list[str]:
    """The names inside a .zip: a quick look before deploying it."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return archive.namelist()
