"""The measures known to the registry (registry/measures/*.yaml) and which one governs a date.

A measures record says what the Bureau published: the document number, the title, the day
it took effect, the day its validity ends and what it repealed. Nothing here knows the
rules of any of them (rules/measures.py implements 忻科规〔2024〕4号 only); this module only
answers "which measures were in force on this day", so that a successor can be recorded the
day it is published and every fact dated after it is shown under it instead of being judged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from generator.rules.dates import parse_date


@dataclass(frozen=True)
class Measures:
    """One set of measures as recorded: dates it does not know are None, never guessed."""

    number: str
    title: str
    in_force_from: dt.date | None = None
    expires: dt.date | None = None  # last day of the validity it states, if it states one
    repeals: tuple[str, ...] = ()
    path: str = ""
    url: str | None = None
    id: str = ""
    issuer: str = ""
    text: tuple[str, ...] = field(default=(), repr=False)  # the published text, line by line, if recorded
    text_source: str = ""  # where that text was copied from

    @property
    def full_text(self) -> str:
        """The recorded text exactly as published ('' when the registry has none)."""
        return "\n".join(self.text)

    @property
    def cited(self) -> str:
        """《title》（number）, the way the documents cite each other."""
        return f"《{self.title}》（{self.number}）"


def measures_from(data: dict[str, Any], path: str = "") -> Measures:
    """A schema-valid measures record as a `Measures`."""
    start, end = data.get("in_force_from"), data.get("expires")
    return Measures(
        number=data["number"],
        title=data["title"],
        in_force_from=parse_date(start) if start else None,
        expires=parse_date(end) if end else None,
        repeals=tuple(data.get("repeals", ())),
        path=path,
        url=(data.get("source") or {}).get("url"),
        id=data["id"],
        issuer=data.get("issuer", ""),
        text=tuple((data.get("text") or {}).get("lines", ())),
        text_source=(data.get("text") or {}).get("source", ""),
    )


@dataclass(frozen=True)
class Book:
    """Every measures known, in the order of their start (unknown starts first)."""

    measures: tuple[Measures, ...]

    @classmethod
    def of(cls, measures: Iterable[Measures]) -> Book:
        ordered = sorted(measures, key=lambda m: (m.in_force_from or dt.date.min, m.number))
        return cls(tuple(ordered))

    @cached_property
    def _by_number(self) -> dict[str, Measures]:
        return {m.number: m for m in self.measures}

    def get(self, number: str) -> Measures | None:
        return self._by_number.get(number)

    def repealed_by(self, measures: Measures) -> Measures | None:
        """The measures that repealed this one, if that one is recorded with its start."""
        return next((m for m in self.measures if measures.number in m.repeals and m.in_force_from is not None), None)

    def end(self, measures: Measures) -> dt.date | None:
        """The last day a measures was in force: its stated expiry or the eve of its repeal."""
        ends = [measures.expires] if measures.expires else []
        successor = self.repealed_by(measures)
        if successor is not None and successor.in_force_from is not None:
            ends.append(successor.in_force_from - dt.timedelta(days=1))
        return min(ends) if ends else None

    @cached_property
    def _spans(self) -> tuple[tuple[dt.date, dt.date, Measures], ...]:
        """(first day, last day, measures) of each measures whose start is known, in start order:
        the rules ask which measures govern a date for every fact of every center."""
        return tuple(
            (m.in_force_from, self.end(m) or dt.date.max, m) for m in self.measures if m.in_force_from is not None
        )

    def in_force(self, day: dt.date) -> Measures | None:
        """The measures in force on `day` (the latest to start, should two overlap), if known."""
        found = None
        for first, last, m in self._spans:
            if first <= day <= last:
                found = m
        return found

    def successors(self, measures: Measures) -> tuple[Measures, ...]:
        """Recorded measures that start after this one."""
        start = measures.in_force_from or dt.date.min
        return tuple(m for m in self.measures if m.in_force_from is not None and m.in_force_from > start)
