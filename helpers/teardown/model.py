"""What teardown talks about: a resource it found, a failure it met, and the report it returns.

The report is the contract with notebooks, the command line and tests: three
lists a reader can check at a glance (``deleted``, ``failed`` with reasons,
``left`` after looking again), plus what was ``found`` before anything was done.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Iterator


@dataclass
class Resource:
    """One thing the course made, and the things that must go before it (``children``).

    ``kind`` is a human label ("Lambda function"), ``name`` what the learner would
    recognise ("alice-hello:prod"); ``ident`` carries what the deleter needs.
    """

    kind: str
    name: str
    participant: str
    ident: dict[str, Any] = field(default_factory=dict)
    children: list["Resource"] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.name)

    def walk(self) -> Iterator["Resource"]:
        """Children first (the order they are deleted in), then the resource itself."""
        for child in self.children:
            yield from child.walk()
        yield self

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass
class Failure:
    """Something teardown could not do: delete ``resource``, or list a service (resource None)."""

    what: str
    reason: str
    resource: Resource | None = None

    def __str__(self) -> str:
        return f"{self.what}: {self.reason}"


@dataclass
class Report:
    scope: str
    region: str
    account: str
    dry_run: bool
    found: list[Resource] = field(default_factory=list)
    deleted: list[Resource] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    left: list[Resource] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # prefixed, tags not readable: left alone
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when nothing failed and nothing is left (a dry run is ok when it could list everything)."""
        return not self.failed and (self.dry_run or not self.left)

    def all_found(self) -> list[Resource]:
        """Every resource found, dependents included, in the order they are (or would be) deleted."""
        return [item for top in self.found for item in top.walk()]

    def summary(self) -> str:
        found = len(self.all_found())
        if self.dry_run:
            return (f"Dry run for {self.scope} in {self.region}: {found} resource(s) would be deleted"
                    + (f"; {len(self.failed)} problem(s) while looking" if self.failed else "") + ".")
        verdict = "nothing is left" if not self.left else f"{len(self.left)} resource(s) are still there"
        return (f"Teardown of {self.scope} in {self.region}: deleted {len(self.deleted)}, "
                f"failed {len(self.failed)}; looked again: {verdict} ({self.seconds:.1f} s).")

    def __repr__(self) -> str:
        return f"<teardown Report: {self.summary()}>"

    def __str__(self) -> str:
        lines = [self.summary()]
        if self.dry_run:
            lines += [f"  would delete {item}" for item in self.all_found()]
        else:
            lines += [f"  deleted {item}" for item in self.deleted]
        lines += [f"  FAILED  {failure}" for failure in self.failed]
        if not self.dry_run:
            lines += [f"  LEFT    {item}" for item in self.left]
        lines += [f"  UNCHECKED {what}: its tags may not be read with these credentials, so it was left alone"
                  for what in self.unreadable]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour = "#2e7d32" if self.ok else "#c62828"
        rows = []
        if self.dry_run:
            rows += [("would delete", str(item)) for item in self.all_found()]
        else:
            rows += [("deleted", str(item)) for item in self.deleted]
        rows += [("failed", str(failure)) for failure in self.failed]
        if not self.dry_run:
            rows += [("left", str(item)) for item in self.left]
        body = "".join(f"<tr><td>{html.escape(a)}</td><td><code>{html.escape(b)}</code></td></tr>" for a, b in rows)
        return (f"<div style='border-left:6px solid {colour};padding:0.4em 1em'>"
                f"<b>{html.escape(self.summary())}</b><table>{body}</table></div>")
