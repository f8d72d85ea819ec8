"""Typed records built from schema-valid documents: what the rules and derivations read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from generator.records.book import Book, measures_from
from generator.records.calendar import YearSchedule, schedule_from
from generator.records.load import Document, JsonPath
from generator.rules.dates import parse_date

T = TypeVar("T")

#: Event kinds with their Chinese labels, in life-cycle order (第十二条 and after).
EVENT_LABELS = {
    "application": "提交申请",
    "recommendation": "归口管理单位推荐",
    "expert_review": "专家评审",
    "publicity": "公示",
    "approval": "批准建设",
    "recognition": "认定",
    "task_book": "建设计划任务书",
    "extension": "批准延期",
    "acceptance_application": "提出验收申请",
    "acceptance": "验收",
    "annual_assessment": "年度绩效考核",
    "evaluation": "三年评估",
    "funding": "经费支持",
    "change": "重大事项变更",
    "safety_incident": "安全事故",
    "revocation": "撤销资格",
    "withdrawal": "撤回申请",
    "rejection": "未获批准",
}
#: Event kinds that are official facts: they exist because a document of the Bureau says so,
#: and the record names that document (rules source.required, source.legacy).
OFFICIAL_FACTS = frozenset(
    {
        "approval",
        "recognition",
        "extension",
        "acceptance",
        "annual_assessment",
        "evaluation",
        "funding",
        "change",
        "revocation",
    }
)
GRADES = ("优秀", "良好", "合格", "基本合格", "不合格")
DIVISION_CODES = {
    "忻府区": "140902",
    "定襄县": "140921",
    "五台县": "140922",
    "代县": "140923",
    "繁峙县": "140924",
    "宁武县": "140925",
    "静乐县": "140926",
    "神池县": "140927",
    "五寨县": "140928",
    "岢岚县": "140929",
    "河曲县": "140930",
    "保德县": "140931",
    "偏关县": "140932",
    "原平市": "140981",
    "忻州经济开发区": "",
}


@dataclass(frozen=True)
class Event:
    """One dated event of a center; `index` is its position in the record's list."""

    index: int
    date: dt.date
    kind: str
    fields: Mapping[str, Any] = field(repr=False)

    @property
    def path(self) -> JsonPath:
        return ("events", self.index)

    @property
    def label(self) -> str:
        return EVENT_LABELS[self.kind]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def date_field(self, key: str) -> dt.date:
        return parse_date(self.fields[key])


@dataclass(frozen=True)
class Center:
    """A center record; `data` keeps every field as written, `events` are typed."""

    id: str
    path: str
    data: Mapping[str, Any] = field(repr=False)
    events: tuple[Event, ...] = field(repr=False)
    book: Book | None = field(default=None, repr=False, compare=False)  # the measures its registry knows

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def category(self) -> str:
        return self.data["category"]

    @property
    def first_host_unit(self) -> Mapping[str, Any]:
        return self.data["first_host_unit"]

    @property
    def co_building_units(self) -> list[Mapping[str, Any]]:
        return self.data.get("co_building_units", [])

    @cached_property
    def _by_kind(self) -> dict[str, list[Event]]:
        """Events of each kind in record order: the rules ask for kinds dozens of times per center."""
        index: dict[str, list[Event]] = {}
        for e in self.events:
            same = index.get(e.kind)
            if same is None:
                index[e.kind] = [e]
            else:
                same.append(e)
        return index

    def of_kind(self, *kinds: str) -> list[Event]:
        if len(kinds) == 1:
            return list(self._by_kind.get(kinds[0], ()))
        return [e for e in self.events if e.kind in kinds]

    def first(self, kind: str) -> Event | None:
        found = self._by_kind.get(kind)
        return found[0] if found else None

    def last(self, kind: str) -> Event | None:
        found = self._by_kind.get(kind)
        return found[-1] if found else None

    @cached_property
    def _latest(self) -> dt.date | None:
        return max((e.date for e in self.events), default=None)

    @cached_property
    def _earlier(self) -> dict[dt.date, Center]:
        return {}

    def until(self, day: dt.date) -> Center:
        """The center as the record stood on `day`: later events are not yet known.

        Remembered per day, so the derivations that each ask share one object and its index.
        """
        if self._latest is None or self._latest <= day:
            return self
        known = self._earlier.get(day)
        if known is None:
            kept = tuple(e for e in self.events if e.date <= day)
            known = self._earlier[day] = Center(self.id, self.path, self.data, kept, self.book)
        return known

    def current(self) -> Center:
        """The latest round of the procedure: after a withdrawal or rejection that a new
        application followed, only the events from that application on (same id)."""
        return self._current

    @cached_property
    def _current(self) -> Center:
        restart = next(
            (
                e.index
                for e in reversed(self.events)
                if e.kind in ("withdrawal", "rejection") and e is not self.events[-1]
            ),
            None,
        )
        if restart is None:
            return self
        return Center(self.id, self.path, self.data, self.events[restart + 1 :], self.book)

    @cached_property
    def _memo(self) -> dict[Callable[[Center], Any], Any]:
        return {}

    def derived(self, fn: Callable[[Center], T]) -> T:
        """`fn(self)`, computed once per center object: date-free facts (the construction period,
        the grades) that many rules ask for. The value is shared, so callers must not change it."""
        try:
            return self._memo[fn]
        except KeyError:
            value = self._memo[fn] = fn(self)
            return value

    @property
    def former_names(self) -> list[tuple[str, Event]]:
        """Each earlier name with the approved rename that retired it (第二十条)."""
        return [(e.get("old"), e) for e in self.of_kind("change") if e.get("change_kind") == "更名"]

    def name_on(self, day: dt.date) -> str:
        """The name the center bore on `day`: undo every rename approved after it."""
        name = self.name
        if "change" not in self._by_kind:
            return name
        for old, event in reversed(self.former_names):
            if event.date > day:
                name = old
        return name


@dataclass(frozen=True)
class Notice:
    """A publicity notice (公示) as published."""

    id: str
    path: str
    data: Mapping[str, Any] = field(repr=False)

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def issue_date(self) -> dt.date:
        return parse_date(self.data["issue_date"])

    @property
    def entries(self) -> list[Mapping[str, Any]]:
        return self.data["entries"]

    @property
    def period(self) -> Mapping[str, Any]:
        return self.data.get("period", {})


@dataclass(frozen=True)
class Settings:
    """Registry-level settings that belong to the data, not the code."""

    path: str
    data: Mapping[str, Any] = field(repr=False)

    @property
    def sample_data(self) -> bool:
        return bool(self.data.get("sample_data"))


@dataclass(frozen=True)
class SupervisingUnit:
    """One supervising unit (归口管理单位, 第七条) of the registry's controlled list."""

    id: str
    name: str
    county: str  # a county-level division, 忻州经济开发区, or 市直
    former_names: tuple[str, ...] = ()
    index: int = 0  # its position in the list, for findings

    @property
    def path(self) -> JsonPath:
        return ("units", self.index)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.former_names)


@dataclass(frozen=True)
class UnitList:
    """The controlled list of supervising units (registry/supervising_units.yaml).

    Records name a unit by its current or a former name, as the Bureau's documents do; the
    list says which unit that is, so one unit is one page however its name was written.
    """

    path: str
    units: tuple[SupervisingUnit, ...] = ()

    @cached_property
    def _by_name(self) -> dict[str, SupervisingUnit]:
        found: dict[str, SupervisingUnit] = {}
        for unit in self.units:
            for name in unit.names:
                found.setdefault(name, unit)  # a name listed twice is the rule units.unique's finding
        return found

    @cached_property
    def _by_id(self) -> dict[str, SupervisingUnit]:
        return {u.id: u for u in reversed(self.units)}  # the first of a repeated id wins, as by name

    def named(self, name: str) -> SupervisingUnit | None:
        """The unit a record's name means: its current name or a former one."""
        return self._by_name.get(name)

    def get(self, unit_id: str) -> SupervisingUnit | None:
        return self._by_id.get(unit_id)

    @property
    def all_names(self) -> list[str]:
        return list(self._by_name)


def units_from(doc: Document) -> UnitList:
    return UnitList(
        doc.path,
        tuple(
            SupervisingUnit(u["id"], u["name"], u["county"], tuple(u.get("former_names", ())), i)
            for i, u in enumerate(doc.data["units"])
        ),
    )


DEFAULT_SETTINGS = Settings(
    "registry/registry.yaml",
    {
        "title": "忻州市技术创新中心名录",
        "publisher": "忻州市科学技术局",
        "sample_data": False,
        "license": "CC-BY-4.0",
    },
)


@dataclass(frozen=True)
class Registry:
    """Every record of a registry, by kind, in id order."""

    settings: Settings
    centers: tuple[Center, ...]
    notices: tuple[Notice, ...]
    unreadable: frozenset[str] = frozenset()  # ids of record files that failed to load
    schedules: tuple[YearSchedule, ...] = ()  # the State Council's holiday schedules, by year
    book: Book = field(default_factory=lambda: Book(()))  # the measures recorded in registry/measures/
    units: UnitList | None = None  # registry/supervising_units.yaml; None when it could not be read

    def center(self, center_id: str) -> Center | None:
        return self._centers.get(center_id)

    def notice(self, notice_id: str) -> Notice | None:
        return self._notices.get(notice_id)

    @cached_property
    def _centers(self) -> dict[str, Center]:
        return {c.id: c for c in self.centers}

    @cached_property
    def _notices(self) -> dict[str, Notice]:
        return {n.id: n for n in self.notices}


def center_from(doc: Document, book: Book | None = None) -> Center:
    events = tuple(Event(i, parse_date(e["date"]), e["kind"], e) for i, e in enumerate(doc.data["events"]))
    return Center(doc.data["id"], doc.path, doc.data, events, book)


def book_from(documents: list[Document]) -> Book:
    """The measures records among `documents`, as a book."""
    return Book.of(measures_from(d.data, d.path) for d in documents if d.kind == "measures")


def build_registry(documents: list[Document], unreadable: frozenset[str] = frozenset()) -> Registry:
    """The typed registry from documents that passed the schema stage."""
    settings = next((Settings(d.path, d.data) for d in documents if d.kind == "registry"), DEFAULT_SETTINGS)
    book = book_from(documents)
    centers = sorted((center_from(d, book) for d in documents if d.kind == "center"), key=lambda c: c.id)
    notices = sorted(
        (Notice(d.data["id"], d.path, d.data) for d in documents if d.kind == "notice"), key=lambda n: n.id
    )
    schedules = sorted((schedule_from(d) for d in documents if d.kind == "calendar"), key=lambda s: (s.year, s.path))
    units = next((units_from(d) for d in documents if d.kind == "supervising_units"), None)
    return Registry(settings, tuple(centers), tuple(notices), unreadable, tuple(schedules), book, units)
