"""A year's holiday schedule as the State Council's General Office published it (registry/calendar/).

Each file transcribes one notice (国务院办公厅关于<year>年部分节假日安排的通知): every
holiday with its first and last day off and the weekend days worked in exchange (调休上班).
The typed record keeps each date's path, so a finding about a day points at its line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.records.load import Document, JsonPath
from generator.rules.dates import parse_date

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Holiday:
    """One holiday of the notice: its days off (start to end, both included) and its 调休 working days."""

    index: int
    name: str
    start: dt.date
    end: dt.date
    workdays: tuple[dt.date, ...]

    @property
    def path(self) -> JsonPath:
        return ("holidays", self.index)

    def days_off(self) -> Iterator[dt.date]:
        day = self.start
        while day <= self.end:
            yield day
            day += _DAY


@dataclass(frozen=True)
class YearSchedule:
    """The recorded schedule of one year: `data` keeps every field as written."""

    year: int
    path: str
    data: Mapping[str, Any] = field(repr=False)
    holidays: tuple[Holiday, ...] = field(repr=False)

    @property
    def document_number(self) -> str:
        return self.data["document_number"]

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def url(self) -> str:
        return self.data["url"]

    def listed(self) -> Iterator[tuple[dt.date, bool, JsonPath]]:
        """Every day the notice names: (day, is a working day, where it is written)."""
        for h in self.holidays:
            for day in h.days_off():
                yield day, False, h.path
            for i, day in enumerate(h.workdays):
                yield day, True, (*h.path, "workdays", i)


def schedule_from(doc: Document) -> YearSchedule:
    """The typed schedule of a calendar document that passed its schema."""
    holidays = tuple(
        Holiday(
            i,
            h["name"],
            parse_date(h["start"]),
            parse_date(h["end"]),
            tuple(parse_date(d) for d in h.get("workdays", ())),
        )
        for i, h in enumerate(doc.data["holidays"])
    )
    return YearSchedule(doc.data["year"], doc.path, doc.data, holidays)
