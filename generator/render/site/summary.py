"""The top of a center's page: where it stands, since when, and which recorded fact put it there.

A status is this site's reading of the record (rule `status`), but most statuses follow
from one official fact: an approval, an extension, an acceptance, a revocation. The page
names that fact with its document, so a reader sees the decision behind the status, and
shows what the site infers (the status itself, what is due next) as inferences. Statuses
that no document decides (待验收 after the construction period ends) name no document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from generator.derive.facts import CenterFacts
from generator.records.model import Event

#: For each status, the recorded fact that decides it (the latest of the current round).
_DECIDED_BY: dict[str, Callable[[Event], bool]] = {
    "revoked": lambda e: e.kind == "revocation",
    "withdrawn": lambda e: e.kind == "withdrawal",
    "rejected": lambda e: e.kind == "rejection",
    "operating": lambda e: e.kind == "recognition" or (e.kind == "acceptance" and e.get("result") == "通过"),
    "acceptance_failed": lambda e: e.kind == "acceptance",
    "construction": lambda e: e.kind == "approval",
    "extended": lambda e: e.kind == "extension",
    "publicity": lambda e: e.kind == "publicity",
    "pending": lambda e: e.kind == "publicity",
    "applying": lambda e: e.kind == "application",
}


def decision(c: CenterFacts, day: dt.date) -> Event | None:
    """The recorded event behind the center's status on `day`, if a recorded event decides it."""
    decides = _DECIDED_BY.get(c.status)
    if decides is None:
        return None
    return next((e for e in reversed(c.center.until(day).current().events) if decides(e)), None)


def status_since(c: CenterFacts) -> tuple[dt.date | None, bool]:
    """The first day of the current status, and whether a provisional count of working days put it there."""
    if not c.history:
        return None, False
    return c.history[-1].start, c.history[-1].start_provisional
