"""Everything derived for a registry on one date: what pages and data files are made of."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator.derive.deadlines import Deadline, deadlines
from generator.derive.flags import Flag, derived_note, flags, policy_notes
from generator.derive.notices import NOTICE_STATES, NoticePeriod, known_outcome, notice_period, notice_state
from generator.derive.ratings import Funding, Ratings, funding, ratings
from generator.derive.status import STATUSES, Interval, StatusDetail, status_detail, status_history, status_on
from generator.records.book import Book, Measures
from generator.records.model import Center, Notice, Registry, Settings, UnitList
from generator.rules import measures as m
from generator.rules.workdays import WorkCalendar
from generator.runtime.gcpause import gc_paused


@dataclass(frozen=True)
class CenterFacts:
    """A center and what the measures say about it on the as-of date."""

    center: Center
    status: str
    history: tuple[Interval, ...]
    deadlines: tuple[Deadline, ...]
    ratings: Ratings
    funding: Funding
    flags: tuple[Flag, ...]
    detail: StatusDetail | None = None
    established_under: Measures | None = None  # set up under other measures: the ones named
    legacy: bool = False

    @property
    def id(self) -> str:
        return self.center.id

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def status_text(self) -> str:
        """The status with what distinguishes it: 待验收 · 已申请 12 天."""
        return f"{self.status_label} · {self.detail.label}" if self.detail else self.status_label

    @property
    def status_filter(self) -> str:
        """The status as the list's filter offers it: 待验收 · 已申请 (without the days)."""
        return f"{self.status_label} · {self.detail.kind_label}" if self.detail else self.status_label

    @property
    def open_deadlines(self) -> tuple[Deadline, ...]:
        return tuple(d for d in self.deadlines if d.is_open)

    @property
    def unknown_deadlines(self) -> tuple[Deadline, ...]:
        """Deadlines the record cannot settle: shown as 记录不足，无法推算, never as overdue."""
        return tuple(d for d in self.deadlines if d.state == "unknown")

    @property
    def next_deadline(self) -> Deadline | None:
        """The most pressing deadline: the earliest one still open or overdue."""
        return next((d for d in self.deadlines if d.is_open), None)

    @property
    def since_provisional(self) -> bool:
        """The current status began on a date counted on a provisional calendar."""
        return bool(self.history) and self.history[-1].start_provisional

    @property
    def provisional(self) -> bool:
        """The status since date or an open deadline rests on a provisional count of working days."""
        return self.since_provisional or any(d.provisional for d in self.open_deadlines)


@dataclass(frozen=True)
class NoticeFacts:
    """A notice, its period, its state and its outcome as known on the as-of date."""

    notice: Notice
    period: NoticePeriod
    state: str
    working_days_left: int
    outcome: Mapping[str, Any] | None  # the recorded outcome, once its date has come

    @property
    def id(self) -> str:
        return self.notice.id

    @property
    def state_label(self) -> str:
        return NOTICE_STATES[self.state]


@dataclass(frozen=True)
class RegistryFacts:
    """The whole registry as derived for one as-of date."""

    as_of: dt.date
    settings: Settings
    centers: tuple[CenterFacts, ...]
    notices: tuple[NoticeFacts, ...]
    policy: tuple[str, ...]
    calendar: WorkCalendar  # the working days every period above was counted on
    book: Book = m.TEXT_BOOK
    derived_note: str | None = None  # what every derived statement adds once the measures expired
    units: UnitList | None = None  # the supervising units' list (registry/supervising_units.yaml)

    @property
    def measures(self) -> Measures:
        """The measures whose rules the site implements, as the registry records them."""
        return m.implemented(self.book)

    @cached_property
    def by_id(self) -> dict[str, CenterFacts]:
        return {c.id: c for c in self.centers}

    def counts(self, key: str) -> Counter[str]:
        """How many centers per status label, category or location."""
        values = {
            "status": lambda c: c.status_label,
            "category": lambda c: c.center.category,
            "location": lambda c: c.center.data["location"],
        }[key]
        return Counter(values(c) for c in self.centers)


def derive_center(center: Center, day: dt.date, periods: dict[str, NoticePeriod]) -> CenterFacts:
    known = center.until(day).current()
    status = status_on(center, day, periods)
    legacy = m.legacy(known)
    return CenterFacts(
        center=center,
        status=status,
        history=tuple(status_history(center, day, periods)),
        deadlines=tuple(deadlines(center, day, periods)),
        ratings=ratings(known),
        funding=funding(known),
        flags=tuple(flags(center, day)),
        detail=status_detail(center, day, status),
        established_under=m.established_under(known) if legacy else None,
        legacy=legacy,
    )


def derive(registry: Registry, day: dt.date) -> RegistryFacts:
    """All facts for `day`: a pure function of the records (the holiday schedules among them) and the date."""
    with gc_paused():
        calendar = WorkCalendar.of(registry.schedules)
        known = [n for n in registry.notices if n.issue_date <= day]  # a later notice is not yet published
        periods = {n.id: notice_period(n, calendar) for n in known}
        notices = tuple(
            NoticeFacts(n, p, notice_state(p, outcome, day), p.working_days_left(day, calendar), outcome)
            for n in known
            for p, outcome in ((periods[n.id], known_outcome(n, day)),)
        )
        existing = [c for c in registry.centers if c.events and c.events[0].date <= day]  # later: not yet known
        centers = tuple(derive_center(c, day, periods) for c in existing)
        book = registry.book if registry.book.measures else m.TEXT_BOOK
        return RegistryFacts(
            day,
            registry.settings,
            centers,
            notices,
            tuple(policy_notes(day, book)),
            calendar,
            book,
            derived_note(day, book),
            registry.units,
        )
