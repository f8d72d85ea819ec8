"""Working days: the State Council's schedule where it is known, the statutory holidays where not.

Publicity periods count working days (第十二条). Which days those are comes, for each year,
from the first of these that knows it (rule dates.working-days):

1. the registry's calendar records (registry/calendar/<year>.yaml), the State Council's
   notice for that year as the Bureau recorded it, with its document number: a year there
   overrides the package, and a day a notice names (the 调休 of New Year's Day may reach
   back into December) overrides whatever else would decide it;
2. the `chinese_calendar` package, for the years its release knows (2004–2026 in 1.11.0);
3. otherwise the provisional rule (dates.provisional-holidays): Monday to Friday without the
   statutory holidays of 《全国年节及纪念日放假办法》 and their make-up days. 调休 are not
   known in advance, so every day counted this way is marked provisional.

A `WorkCalendar` is a value built from the registry's calendar records and passed into
derivation, so the same records and the same as-of date give the same dates. The package
and the statutory rule are functions of the year alone, so their year tables are cached
for the process.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib.metadata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import chinese_calendar
from lunar_python import Lunar, Solar

LAW_TITLE = "《全国年节及纪念日放假办法》"
LAW_AMENDED_FROM = 2025  # the 2024 amendment is in force from 2025-01-01
PACKAGE = "chinese_calendar"
PROVISIONAL_MARK = "暂定"
PROVISIONAL_NOTE = "该年国务院节假日安排尚未公布，暂按法定节假日推算，未计调休"

_DAY = dt.timedelta(days=1)
_WORK, _GUESS = 1, 2  # a day's flags in a year table: a working day; known only provisionally


@dataclass(frozen=True)
class Workday:
    """Whether a day is a working day, and whether that answer is provisional."""

    is_workday: bool
    provisional: bool


@dataclass(frozen=True)
class WorkingPeriod:
    """A run of working days: its first and last day and whether any day was guessed.

    `start_provisional`: the first working day lies past a day only guessed to be off, so the
    start itself may move once the year's schedule is published. A period that starts on the
    given day is not marked: a notice is issued on a working day, so its issue date stands.
    """

    start: dt.date
    end: dt.date
    working_days: int
    provisional: bool
    start_provisional: bool = False


@dataclass(frozen=True)
class StatutoryHoliday:
    """A holiday of the 办法 in one year: its days off and the make-up days its 第六条 grants."""

    name: str
    days: tuple[dt.date, ...]
    make_up: tuple[dt.date, ...]


def _days(year: int) -> Iterator[dt.date]:
    day = dt.date(year, 1, 1)
    for _ in range(366 if calendar.isleap(year) else 365):
        yield day
        day += _DAY


def _solar(value: Solar) -> dt.date:
    return dt.date(value.getYear(), value.getMonth(), value.getDay())


def _lunar(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a day of the Chinese calendar's `year` (never a leap month)."""
    return _solar(Lunar.fromYmd(year, month, day).getSolar())


def _qingming(year: int) -> dt.date:
    """The day of the 清明 solar term in `year` (4 or 5 April), Beijing time."""
    return _solar(Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"])


@cache  # a pure function of the year; the lunar calendar takes about 10 ms a year
def statutory_holidays(year: int) -> tuple[StatutoryHoliday, ...]:
    """The holidays of 《全国年节及纪念日放假办法》 (as amended in 2024) in `year`, with make-up days.

    第二条: 元旦 1 January; 春节 除夕 and 正月初一–初三; 清明 the solar term; 劳动节 1–2 May;
    端午 五月初五; 中秋 八月十五; 国庆 1–3 October. 第六条: a holiday that falls on a Saturday
    or Sunday is made up (补假) on a working day, which we place on the first working days
    after the holiday. A day two holidays share (中秋 on 1–3 October, as in 2020, 2028 and
    2031) is made up like a weekend: the State Council's 2020 schedule gave both holidays
    their days. Before the amendment was in force there is no such table here: ().
    """
    if year < LAW_AMENDED_FROM:
        return ()
    new_year = _lunar(year, 1, 1)
    fixed = [
        ("元旦", [dt.date(year, 1, 1)]),
        ("春节", [new_year + k * _DAY for k in range(-1, 3)]),
        ("清明节", [_qingming(year)]),
        ("劳动节", [dt.date(year, 5, 1), dt.date(year, 5, 2)]),
        ("端午节", [_lunar(year, 5, 5)]),
        ("中秋节", [_lunar(year, 8, 15)]),
        ("国庆节", [dt.date(year, 10, d) for d in (1, 2, 3)]),
    ]
    fixed.sort(key=lambda named: named[1][0])  # 中秋 may come after 国庆 begins; sort is stable
    statutory = {day for _, days in fixed for day in days}
    taken: set[dt.date] = set()  # statutory days already given to an earlier holiday
    used: set[dt.date] = set()  # make-up days already placed
    out = []
    for name, days in fixed:
        owed = sum(1 for day in days if day.weekday() >= 5 or day in taken)
        taken.update(days)
        make_up: list[dt.date] = []
        day = days[-1]
        while len(make_up) < owed:
            day += _DAY
            if day.weekday() < 5 and day not in statutory and day not in used:
                make_up.append(day)
                used.add(day)
        out.append(StatutoryHoliday(name, tuple(days), tuple(make_up)))
    return tuple(out)


@cache
def provisional_year(year: int) -> bytes:
    """The flags of every day of a year nobody has published a schedule for: all guessed."""
    off = {day for h in statutory_holidays(year) for day in (*h.days, *h.make_up)}
    return bytes(_GUESS | (day.weekday() < 5 and day not in off) for day in _days(year))


def package_knows(year: int) -> bool:
    """Whether the installed `chinese_calendar` has the State Council schedule of `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@cache
def package_year(year: int) -> bytes | None:
    """The flags of every day of `year` as `chinese_calendar` knows them; None beyond its range."""
    if not package_knows(year):
        return None
    return bytes(int(chinese_calendar.is_workday(day)) for day in _days(year))


@dataclass(frozen=True)
class PackageCoverage:
    """What the installed package knows, for the rules page."""

    version: str
    first: int
    last: int


@cache
def package_coverage() -> PackageCoverage | None:
    """The years `chinese_calendar` knows (a run of years: new ones arrive with each release)."""
    known = [year for year in range(1990, 2200) if package_knows(year)]
    if not known:
        return None
    return PackageCoverage(importlib.metadata.version("chinese-calendar"), known[0], known[-1])


def _weekdays(year: int) -> bytes:
    return bytes(int(day.weekday() < 5) for day in _days(year))


class Schedule(Protocol):
    """A year's schedule as the registry records it (records/calendar.py's YearSchedule).

    The rules need only its year, the days it names and a stable order: the record type lives
    with the records, which come after the rules.
    """

    @property
    def year(self) -> int: ...

    @property
    def path(self) -> str: ...

    def listed(self) -> Iterable[tuple[dt.date, bool, Any]]: ...


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days, from the registry's schedules, the package and the statutory rule.

    Equal schedules make equal calendars; the year tables are a cache and take no part in
    equality.
    """

    schedules: tuple[Schedule, ...] = ()
    _tables: dict[int, tuple[int, bytes]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, schedules: Iterable[Schedule]) -> WorkCalendar:
        """The calendar of the registry's schedules, in year order (the order decides nothing else)."""
        return cls(tuple(sorted(schedules, key=lambda s: (s.year, s.path))))

    def source(self, year: int) -> str:
        """Where the working days of `year` come from: registry, package, statutory or weekdays."""
        if any(s.year == year for s in self.schedules):
            return "registry"
        if package_year(year) is not None:
            return "package"
        return "statutory" if statutory_holidays(year) else "weekdays"

    def _build(self, year: int) -> bytes:
        source = self.source(year)
        if source == "registry":
            flags = bytearray(_weekdays(year))
        elif source == "package":
            flags = bytearray(package_year(year) or b"")
        else:
            flags = bytearray(provisional_year(year))
        jan1 = dt.date(year, 1, 1).toordinal()
        for schedule in self.schedules:  # a later file's word on a day wins; validation flags any contradiction
            for day, on, _ in schedule.listed():
                if day.year == year:
                    flags[day.toordinal() - jan1] = _WORK if on else 0
        return bytes(flags)

    def _flags(self, day: dt.date) -> int:
        table = self._tables.get(day.year)
        if table is None:
            table = self._tables[day.year] = (dt.date(day.year, 1, 1).toordinal(), self._build(day.year))
        return table[1][day.toordinal() - table[0]]

    def workday(self, day: dt.date) -> Workday:
        """Whether `day` is a working day, and whether that is provisional."""
        flags = self._flags(day)
        return Workday(bool(flags & _WORK), bool(flags & _GUESS))

    def working_period(self, start: dt.date, days: int) -> WorkingPeriod:
        """`days` working days counting `start` as day 1 (or the first working day after it)."""
        day, counted, guessed = start, 0, 0
        first, first_guessed = None, False
        while True:
            flags = self._flags(day)
            if flags & _WORK:
                if first is None:  # moved past a day only guessed to be off: the start itself is a guess
                    first, first_guessed = day, bool(guessed & _GUESS)
                counted += 1
            guessed |= flags
            if counted == days:
                return WorkingPeriod(first or day, day, days, bool(guessed & _GUESS), first_guessed)
            day += _DAY

    def working_days_between(self, start: dt.date, end: dt.date) -> tuple[int, bool]:
        """Working days from `start` to `end`, both included, and whether any was guessed."""
        count, guessed, day = 0, 0, start
        while day <= end:
            flags = self._flags(day)
            count += flags & _WORK
            guessed |= flags
            day += _DAY
        return count, bool(guessed & _GUESS)


#: Every rule of rules/table.py that this module applies, by id.
APPLIES: dict[str, Callable[..., Any]] = {
    "dates.working-days": WorkCalendar.workday,
    "dates.provisional-holidays": statutory_holidays,
}
