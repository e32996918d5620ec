"""The backend switch: where a kernel's plain ``boto3`` calls go.

``connect()`` is called once per kernel. It changes only the standard AWS
environment variables (``AWS_ENDPOINT_URL``, the key, the region) and drops
boto3's cached default session, so learner code such as ``boto3.client("lambda")``
is byte-for-byte the code that runs against a real account.
"""
from __future__ import annotations

import html
import os
from dataclasses import dataclass, field

from . import settings
from .errors import CourseError
from .localcloud import identity

BACKENDS = ("local", "aws", "endpoint")
DEFAULT_REGION = "ap-northeast-2"  # the seed's Seoul region
_MANAGED_VARIABLES = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                      "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION")
_original_environment: dict[str, str | None] | None = None
_current: "Connection | None" = None


@dataclass
class Connection:
    """What ``connect()`` set up; shows itself as a banner in Jupyter."""

    backend: str
    region: str
    endpoint: str | None
    account: str
    arn: str
    notes: list[str] = field(default_factory=list)

    @property
    def is_local(self) -> bool:
        return self.backend == "local"

    def __str__(self) -> str:
        where = self.endpoint or "AWS (real account)"
        lines = [f"Backend: {self.backend}  ({where})", f"Region:  {self.region}",
                 f"Account: {self.account}", f"Identity: {self.arn}"]
        return "\n".join(lines + self.notes)

    def __repr__(self) -> str:
        return f"Connection(backend={self.backend!r}, region={self.region!r}, account={self.account!r}, arn={self.arn!r})"

    def _repr_html_(self) -> str:
        colour = "#2e7d32" if self.is_local else "#c62828"
        label = "LOCAL CLOUD (offline, free)" if self.is_local else (
            "REAL AWS ACCOUNT: resources cost money" if self.backend == "aws" else "CUSTOM ENDPOINT")
        rows = [("Backend", self.backend), ("Endpoint", self.endpoint or "AWS"),
                ("Region", self.region), ("Account", self.account), ("Identity", self.arn)]
        cells = "".join(f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
                        f"<td><code>{html.escape(str(v))}</code></td></tr>" for k, v in rows)
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in self.notes)
        return (f"<div style='border-left:6px solid {colour};padding:0.4em 1em'>"
                f"<b style='color:{colour}'>{label}</b><table>{cells}</table>{notes}</div>")


def current() -> Connection | None:
    return _current


def connect(backend: str | None = None, *, confirm: bool = False,
            access_key_id: str | None = None, secret_access_key: str | None = None,
            quiet: bool = False) -> Connection:
    """Point this kernel's boto3 at the chosen backend and say who we are there.

    ``access_key_id``/``secret_access_key`` (or ``COURSE_ACCESS_KEY_ID`` and
    ``COURSE_SECRET_ACCESS_KEY``) act as another IAM user of the local cloud instead
    of the local administrator, e.g. a learner holding only the course policy.
    """
    global _current
    chosen = (backend or settings.get("COURSE_BACKEND") or "local").strip().lower()
    if chosen not in BACKENDS:
        raise CourseError(f"Unknown backend {chosen!r}.",
                          fix="Use one of: " + ", ".join(BACKENDS) + " (argument or COURSE_BACKEND).")
    _remember_original_environment()
    _restore_original_environment()
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION
    if chosen == "local":
        _current = _connect_local(region, access_key_id, secret_access_key)
    else:
        _current = _connect_real(chosen, region, confirm)
    return _current


def _remember_original_environment() -> None:
    global _original_environment
    if _original_environment is None:
        _original_environment = {name: os.environ.get(name) for name in _MANAGED_VARIABLES}


def _restore_original_environment() -> None:
    for name, value in (_original_environment or {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _forget_cached_sessions() -> None:
    """boto3 caches credentials in its default session: drop it so the new ones apply."""
    import boto3

    boto3.DEFAULT_SESSION = None


def _set_region(region: str) -> None:
    os.environ["AWS_REGION"] = region
    os.environ["AWS_DEFAULT_REGION"] = region


def _connect_local(region: str, access_key_id: str | None, secret_access_key: str | None) -> Connection:
    from .localcloud import control

    notes = []
    was_running_before = _current is not None and _current.is_local
    instance = control.find_running()
    if instance is None:
        instance = control.start(quiet=True)
        if was_running_before:
            notes.append("The local cloud had stopped, so it was started again: it is empty now "
                         "(re-run the earlier cells that create what you need).")
            print(notes[-1])
    os.environ["AWS_ENDPOINT_URL"] = instance.url
    key_id = access_key_id or os.environ.get("COURSE_ACCESS_KEY_ID") or identity.ACCESS_KEY_ID
    secret = secret_access_key or os.environ.get("COURSE_SECRET_ACCESS_KEY") or identity.SECRET_ACCESS_KEY
    os.environ["AWS_ACCESS_KEY_ID"] = key_id
    os.environ["AWS_SECRET_ACCESS_KEY"] = secret
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.pop("AWS_PROFILE", None)
    _set_region(region)
    _forget_cached_sessions()
    if key_id == identity.ACCESS_KEY_ID:
        arn = f"arn:aws:iam::{identity.ACCOUNT_ID}:user/{identity.USER_NAME}"
    else:
        arn = _caller_identity()["Arn"]
    return Connection("local", region, instance.url, identity.ACCOUNT_ID, arn, notes)


def _caller_identity() -> dict:
    import boto3
    import botocore.exceptions

    try:
        return boto3.client("sts").get_caller_identity()
    except botocore.exceptions.NoCredentialsError:
        raise CourseError("No AWS credentials were found, so nothing was created.",
                          fix="Run `aws configure` (or `aws sso login`), or set AWS_PROFILE to a "
                              "profile that exists, then run connect() again.") from None
    except botocore.exceptions.ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        raise CourseError(f"AWS refused the credentials ({code}: {error.response['Error'].get('Message', '')}). "
                          "Nothing was created.",
                          fix="Check them with `aws sts get-caller-identity`; fix them with `aws configure` "
                              "or choose another profile with AWS_PROFILE.") from None
    except botocore.exceptions.EndpointConnectionError as error:
        raise CourseError(f"Could not reach {error.kwargs.get('endpoint_url')}.",
                          fix="Check your network, or COURSE_ENDPOINT_URL for the endpoint backend.") from None
    except botocore.exceptions.BotoCoreError as error:
        raise CourseError(f"Could not check your identity: {error}",
                          fix="Check `aws configure list` and AWS_PROFILE.") from None


def _connect_real(backend: str, region: str, confirm: bool) -> Connection:
    endpoint = None
    if backend == "endpoint":
        endpoint = settings.get("COURSE_ENDPOINT_URL")
        if not endpoint:
            raise CourseError("The endpoint backend needs an endpoint URL.",
                              fix="Set COURSE_ENDPOINT_URL, e.g. COURSE_ENDPOINT_URL=http://127.0.0.1:4566")
        os.environ["AWS_ENDPOINT_URL"] = endpoint
    else:
        os.environ.pop("AWS_ENDPOINT_URL", None)
    _set_region(region)
    _forget_cached_sessions()
    who = _caller_identity()
    connection = Connection(backend, region, endpoint, who["Account"], who["Arn"])
    if not (confirm or settings.get("COURSE_ALLOW_REAL_AWS")):
        raise CourseError(
            f"You are signed in to account {who['Account']} as {who['Arn']} in {region}. "
            "The course creates real resources there, which can cost money, so it stops here "
            "until you opt in.",
            fix=f"Run connect({backend!r}, confirm=True), or set COURSE_ALLOW_REAL_AWS=1 before "
                "starting Jupyter. To stay offline, use connect() (the local cloud).")
    connection.notes.append("Remember: run notebooks/99_cleanup.ipynb when you are done.")
    return connection
