"""The course's settings: one registry of ``COURSE_*`` environment variables.

Every knob lives here so that the README table, the local cloud's admin endpoint
and the code that reads a value all agree on its name, default and meaning.
Later parts of the local cloud register their own settings with ``register``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable


class SettingError(ValueError):
    """A setting has a value the course cannot use; the message says which values work."""


def _parse_bool(text: str) -> bool:
    lowered = str(text).strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise SettingError(f"expected 1/0, true/false, yes/no or on/off, got {text!r}")


def _parse_port(text: str) -> int:
    try:
        port = int(text)
    except (TypeError, ValueError):
        raise SettingError(f"expected a port number, got {text!r}") from None
    if not 1 <= port <= 65535:
        raise SettingError(f"a port is between 1 and 65535, got {port}")
    return port


def _parse_positive_float(text: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise SettingError(f"expected a number, got {text!r}") from None
    if value <= 0:
        raise SettingError(f"expected a number above 0, got {value}")
    return value


PARSERS: dict[type, Callable[[str], Any]] = {
    bool: _parse_bool,
    int: int,
    float: _parse_positive_float,
    str: str,
}


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    doc: str
    kind: type = str
    runtime: bool = False  # may be changed while the local cloud runs (admin endpoint)
    parse: Callable[[str], Any] | None = None

    def convert(self, raw: Any) -> Any:
        if raw is None:
            return self.default
        parser = self.parse or PARSERS[self.kind]
        try:
            return parser(str(raw))
        except SettingError as error:
            raise SettingError(f"{self.name}: {error}") from None
        except ValueError:
            raise SettingError(f"{self.name}: cannot read {raw!r} as {self.kind.__name__}") from None

    def read(self, environ: dict[str, str] | None = None) -> Any:
        environ = os.environ if environ is None else environ
        raw = environ.get(self.name)
        return self.default if raw in (None, "") else self.convert(raw)


REGISTRY: dict[str, Setting] = {}


def register(setting: Setting) -> Setting:
    REGISTRY[setting.name] = setting
    return setting


def get(name: str, environ: dict[str, str] | None = None) -> Any:
    return REGISTRY[name].read(environ)


DEFAULT_PORT = 8642  # not LocalStack's 4566 nor moto's 5000

register(Setting("COURSE_BACKEND", "local",
                 "Where AWS calls go: `local` (the offline local cloud), `aws` (a real account, "
                 "opt-in) or `endpoint` (any AWS-compatible URL in `COURSE_ENDPOINT_URL`)."))
register(Setting("COURSE_LOCAL_PORT", DEFAULT_PORT,
                 "Port of the local cloud on 127.0.0.1.", int, parse=_parse_port))
register(Setting("COURSE_LOCAL_HOST", "127.0.0.1",
                 "Address the local cloud binds to. Anything but loopback also needs "
                 "`serve --allow-remote`."))
register(Setting("COURSE_STATE_DIR", "",
                 "Folder for the background local cloud's pid, port and log "
                 "(default: `.localcloud/` at the repository root)."))
register(Setting("COURSE_WORK_DIR", "",
                 "Folder for the files notebooks write (default: `work/<participant>/` at the "
                 "repository root)."))
register(Setting("COURSE_PARTICIPANT", "",
                 "Your participant name, the prefix of everything you create: lowercase "
                 "letters, digits and hyphens, at most 20 characters (default: your OS user name)."))
register(Setting("COURSE_ALLOW_REAL_AWS", False,
                 "Set to 1 to let the `aws` and `endpoint` backends create resources in a real "
                 "account (or pass `connect(\"aws\", confirm=True)`).", bool))
register(Setting("COURSE_ENDPOINT_URL", "",
                 "The URL the `endpoint` backend talks to (LocalStack or another AWS-compatible "
                 "endpoint)."))
register(Setting("COURSE_LOG_REQUESTS", False,
                 "Log every request the local cloud serves to its log file.", bool, runtime=True))


def markdown_table() -> str:
    """The README's settings table, generated so it cannot drift from the code."""
    rows = ["| Variable | Default | Changeable at run time | Meaning |", "| --- | --- | --- | --- |"]
    for setting in REGISTRY.values():
        default = setting.default if setting.default not in ("", None) else "—"
        rows.append(f"| `{setting.name}` | `{default}` | {'yes' if setting.runtime else 'no'} | {setting.doc} |")
    return "\n".join(rows)
