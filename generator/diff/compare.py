"""Both sides of a registry diff, validated and derived, and what changed between them.

`revisions.py` reads the two revisions from Git; this module compares them in the terms a
reviewer cares about (diff/report.py turns the comparison into text or Markdown).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.derive.facts import CenterFacts, derive_center
from generator.derive.notices import NoticePeriod, notice_period
from generator.records.book import Measures
from generator.records.measures_text import MeasuresText, parse
from generator.records.model import EVENT_LABELS, Center, Notice, Registry, SupervisingUnit
from generator.records.schema import SCHEMA_DIR
from generator.rules.findings import Finding, bounded
from generator.rules.table import Severity, rule
from generator.rules.workdays import PROVISIONAL_MARK, PROVISIONAL_NOTE, WorkCalendar
from generator.validate.registry import Validation, validate_registry

WORKTREE = "工作区"


def _file_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under a registry folder by relative path, to tell 'nothing changed' apart."""
    if not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = b"->" + os.fsencode(os.readlink(path))
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


# --- one side, validated and derived ----------------------------------------------------------


@dataclass
class Side:
    """The registry at one revision: findings, records and facts for the as-of date."""

    label: str
    validation: Validation
    files: dict[str, bytes]
    facts: dict[str, CenterFacts]
    periods: dict[str, NoticePeriod]
    underivable: set[str]
    unreadable_centers: set[str]
    unreadable_notices: set[str]

    @property
    def registry(self) -> Registry:
        return self.validation.registry

    def center_ids(self) -> set[str]:
        return {c.id for c in self.registry.centers} | self.unreadable_centers

    def notice_ids(self) -> set[str]:
        return {n.id for n in self.registry.notices} | self.unreadable_notices


def read_side(label: str, folder: Path, shown_root: Path, as_of: dt.date) -> Side:
    validation = validate_registry(folder, shown_root)
    registry = validation.registry
    parsed = {c.path for c in registry.centers} | {n.path for n in registry.notices}
    unreadable: dict[str, set[str]] = {"centers": set(), "notices": set()}
    for sub in unreadable:
        directory = folder / sub
        for file in sorted(directory.iterdir()) if directory.is_dir() else ():
            shown = _shown(file, shown_root)
            if file.suffix == ".yaml" and not file.name.startswith(".") and shown not in parsed:
                unreadable[sub].add(file.stem)
    periods: dict[str, NoticePeriod] = {}
    calendar = WorkCalendar.of(registry.schedules)  # each side's own schedules: a new year's shows in the diff
    for notice in registry.notices:
        with contextlib.suppress(Exception):
            periods[notice.id] = notice_period(notice, calendar)
    facts: dict[str, CenterFacts] = {}
    underivable: set[str] = set()
    for center in registry.centers:
        try:
            facts[center.id] = derive_center(center, as_of, periods)
        except Exception:
            underivable.add(center.id)
    return Side(
        label,
        validation,
        _file_bytes(folder),
        facts,
        periods,
        underivable,
        unreadable["centers"],
        unreadable["notices"],
    )


def _shown(file: Path, root: Path) -> str:
    try:
        return file.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return file.as_posix()


# --- the comparison -----------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One line of a record's change: what changed, as it was and as it is."""

    label: str
    before: str | None = None
    after: str | None = None


@dataclass
class RecordChange:
    change: str  # added | removed | changed | unreadable
    id: str
    name: str
    items: list[Item] = field(default_factory=list)
    status: str = ""  # the center's status in HEAD, or a notice's subject


@dataclass
class Report:
    """Everything the reviewer is shown, as data, so text and Markdown cannot disagree."""

    base: str
    head: str
    as_of: dt.date
    files_changed: bool
    centers: list[RecordChange]
    notices: list[RecordChange]
    settings: list[Item]
    new_warnings: list[Finding]
    resolved_warnings: list[Finding]
    head_errors: list[tuple[Finding, bool]]  # (error, already in BASE)
    units: list[Item] = field(default_factory=list)  # the supervising units' list: one item per unit changed
    measures: list[Item] = field(default_factory=list)  # the measures: each field and article changed

    @property
    def changed(self) -> bool:
        return bool(
            self.centers
            or self.notices
            or self.settings
            or self.units
            or self.measures
            or self.new_warnings
            or self.resolved_warnings
        )

    @property
    def listed_head_errors(self) -> list[tuple[Finding, bool]]:
        """The errors a report lists: at most 50 of a file, then one line that counts the rest.

        A job summary over GitHub's size limit is dropped whole, so a file with thousands of
        errors must not list them all; the counts in the summary stay the full ones.
        """
        known = {id(f): k for f, k in self.head_errors}
        return [(f, known.get(id(f), False)) for f in bounded(f for f, _ in self.head_errors)]

    @property
    def listed_new_warnings(self) -> list[Finding]:
        """The new warnings a report lists, bounded per file like the errors."""
        return bounded(self.new_warnings)

    def count(self, records: list[RecordChange], change: str) -> int:
        return sum(1 for r in records if r.change == change)

    def rating_items(self) -> list[Item]:
        return [i for c in self.centers for i in c.items if i.label in (_ASSESSMENT, _EVALUATION)]

    def summary(self) -> list[tuple[str, int]]:
        rows = [
            ("新增中心", self.count(self.centers, "added")),
            ("删除中心", self.count(self.centers, "removed")),
            ("变更中心", self.count(self.centers, "changed") + self.count(self.centers, "unreadable")),
            ("更名", sum(1 for c in self.centers for i in c.items if i.label == _RENAME)),
            ("状态变化", sum(1 for c in self.centers for i in c.items if i.label == _STATUS)),
            ("新增年度考核与评估", len(self.rating_items())),
            ("新增公示", self.count(self.notices, "added")),
            ("删除公示", self.count(self.notices, "removed")),
            ("变更公示", self.count(self.notices, "changed") + self.count(self.notices, "unreadable")),
            ("归口管理单位名录变更", len(self.units)),
            ("管理办法变更", len(self.measures)),
            ("新增警告", len(self.new_warnings)),
            ("消除警告", len(self.resolved_warnings)),
            ("HEAD 中的错误", len(self.head_errors)),
        ]
        return [(k, v) for k, v in rows if v]


_RENAME, _STATUS, _ASSESSMENT, _EVALUATION = "更名", "状态", "新增年度考核", "新增三年评估"
_CENTER_FIELDS = (
    ("category", "类别"),
    ("field", "技术领域"),
    ("location", "所在地"),
    ("supervising_unit", "归口管理单位"),
)
_CENTER_HANDLED = {
    "id",
    "name",
    "category",
    "field",
    "location",
    "supervising_unit",
    "first_host_unit",
    "research_directions",
    "events",
}
_NOTICE_HANDLED = {"id", "title", "subject", "issue_date", "period", "entries", "outcome"}


def _titles(kind: str) -> dict[str, str]:
    try:
        schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {key: prop.get("title", key) for key, prop in schema.get("properties", {}).items()}


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{k}: {_text(v)}" for k, v in value.items())
    return "" if value is None else str(value)


def describe_event(event: Mapping[str, Any]) -> str:
    """`2026-03-15 年度绩效考核：2025年度 优秀` for one event as written."""
    kind = str(event.get("kind"))
    label = EVENT_LABELS.get(kind, kind)
    detail = {
        "application": lambda e: e.get("measures"),
        "expert_review": lambda e: e.get("result"),
        "acceptance": lambda e: e.get("result"),
        "publicity": lambda e: f"公示 {e.get('notice')}",
        "task_book": lambda e: f"建设期满 {e.get('planned_end')}",
        "extension": lambda e: f"延期至 {e.get('new_end')}",
        "annual_assessment": lambda e: f"{e.get('year')}年度 {e.get('grade')}",
        "evaluation": lambda e: e.get("grade"),
        "funding": lambda e: f"{e.get('funding_kind')} {e.get('amount_wan')} 万元",
        "change": lambda e: f"{e.get('change_kind')}：{_text(e.get('old'))} → {_text(e.get('new'))}",
        "safety_incident": lambda e: e.get("description"),
        "revocation": lambda e: f"{e.get('reason')}（{e.get('article')}）",
        "withdrawal": lambda e: e.get("reason"),
        "rejection": lambda e: e.get("reason"),
    }.get(kind, lambda e: None)(event)
    source = event.get("source") or {}
    number = source.get("document_number") if isinstance(source, dict) else None
    text = f"{event.get('date')} {label}"
    if detail:
        text += f"：{detail}"
    if number:
        text += f"（{number}）"
    return text


def _event_key(event: Mapping[str, Any]) -> str:
    return json.dumps(event, ensure_ascii=False, sort_keys=True, default=str)


def _multiset_diff(before: Iterable[Any], after: Iterable[Any], key: Any) -> tuple[list[Any], list[Any]]:
    """(removed, added) between two lists, each compared as a multiset by `key`, order kept."""
    before, after = list(before), list(after)
    left = Counter(key(x) for x in after)
    removed = []
    for x in before:
        if left[key(x)]:
            left[key(x)] -= 1
        else:
            removed.append(x)
    right = Counter(key(x) for x in before)
    added = []
    for x in after:
        if right[key(x)]:
            right[key(x)] -= 1
        else:
            added.append(x)
    return removed, added


def _unit(unit: Mapping[str, Any]) -> str:
    return f"{unit.get('name')}（{unit.get('kind')}）"


def _deadline_text(d: Any) -> str:
    return f"{d.title} {d.due.isoformat()}（{d.state_label}）"


def _center_items(
    old: Center, new: Center, before: CenterFacts | None, after: CenterFacts | None, titles: Mapping[str, str]
) -> list[Item]:
    items: list[Item] = []
    if old.name != new.name:
        items.append(Item(_RENAME, old.name, new.name))
    for key, label in _CENTER_FIELDS:
        if old.data.get(key) != new.data.get(key):
            items.append(Item(label, _text(old.data.get(key)), _text(new.data.get(key))))
    old_unit, new_unit = old.data.get("first_host_unit", {}), new.data.get("first_host_unit", {})
    if (old_unit.get("name"), old_unit.get("kind")) != (new_unit.get("name"), new_unit.get("kind")):
        items.append(Item("第一依托单位", _unit(old_unit), _unit(new_unit)))
    elif old_unit != new_unit:
        keys = sorted(k for k in {*old_unit, *new_unit} if old_unit.get(k) != new_unit.get(k))
        items.append(Item("第一依托单位信息", None, f"{_unit(new_unit)}：{'、'.join(keys)} 有变更"))
    gone, came = _multiset_diff(old.data.get("research_directions", []), new.data.get("research_directions", []), str)
    if gone:
        items.append(Item("删除研究方向", "、".join(gone), None))
    if came:
        items.append(Item("新增研究方向", None, "、".join(came)))
    others = sorted(k for k in {*old.data, *new.data} - _CENTER_HANDLED if old.data.get(k) != new.data.get(k))
    if others:
        items.append(Item("其他字段变更", None, "、".join(titles.get(k, k) for k in others)))
    items += _event_items(old.data.get("events", []), new.data.get("events", []))
    if before and after:
        items += _derived_items(before, after)
    elif after and not before:
        items.append(Item("推算", "无法推算（记录有错误）", after.status_label))
    elif before and not after:
        items.append(Item("推算", before.status_label, "无法推算（记录有错误，见下方错误）"))
    return items


def _event_items(before: list[Mapping[str, Any]], after: list[Mapping[str, Any]]) -> list[Item]:
    """New, edited and removed events; an edit keeps its date and kind, anything else is remove + add."""
    removed, added = _multiset_diff(before, after, _event_key)
    items: list[Item] = []
    for event in added:
        same = next(
            (e for e in removed if (e.get("date"), e.get("kind")) == (event.get("date"), event.get("kind"))), None
        )
        if same is not None:
            removed.remove(same)
            items.append(Item("改动事件", describe_event(same), describe_event(event)))
            continue
        label = {"annual_assessment": _ASSESSMENT, "evaluation": _EVALUATION}.get(event.get("kind"), "新增事件")
        items.append(Item(label, None, describe_event(event)))
    items += [Item("删除事件", describe_event(event), None) for event in removed]
    return items


def _derived_items(before: CenterFacts, after: CenterFacts) -> list[Item]:
    items: list[Item] = []
    if before.status != after.status:
        items.append(Item(_STATUS, before.status_label, after.status_label))
    old = {(d.rule_id, d.title): d for d in before.deadlines}
    new = {(d.rule_id, d.title): d for d in after.deadlines}
    for key, d in new.items():
        was = old.get(key)
        if was is None:
            items.append(Item("新增期限", None, _deadline_text(d)))
        elif was.due != d.due:
            items.append(Item("期限变动", _deadline_text(was), _deadline_text(d)))
        elif was.state != d.state:
            items.append(Item("期限状态", _deadline_text(was), _deadline_text(d)))
    for key, d in old.items():
        if key not in new:
            items.append(Item("移除期限", _deadline_text(d), None))
    derived = lambda f: rule(f.rule_id).severity == Severity.DERIVED  # noqa: E731 - validator warnings are reported below
    gone, came = _multiset_diff(
        [f for f in before.flags if derived(f)],
        [f for f in after.flags if derived(f)],
        lambda f: (f.rule_id, f.message),
    )
    items += [Item("新增提示", None, f"[{f.kind_label}] {f.message}") for f in came]
    items += [Item("消除提示", f"[{f.kind_label}] {f.message}", None) for f in gone]
    return items


def _new_center_items(center: Center, facts: CenterFacts | None) -> list[Item]:
    data = center.data
    items = [Item(label, None, _text(data.get(key))) for key, label in _CENTER_FIELDS]
    items.append(Item("第一依托单位", None, _unit(data.get("first_host_unit", {}))))
    items.append(Item("研究方向", None, _text(data.get("research_directions"))))
    for event in data.get("events", []):
        items.append(Item("事件", None, describe_event(event)))
    if facts:
        items += [Item("期限", None, _deadline_text(d)) for d in facts.open_deadlines]
    return items


def _same_file(base: Side, head: Side, rel: str) -> bool:
    return base.files.get(rel) == head.files.get(rel)


def compare_centers(base: Side, head: Side) -> list[RecordChange]:
    titles = _titles("center")
    out: list[RecordChange] = []
    for cid in sorted(base.center_ids() | head.center_ids()):
        old, new = base.registry.center(cid), head.registry.center(cid)
        after = head.facts.get(cid)
        status = after.status_label if after else ""
        if cid in head.unreadable_centers:
            if cid in base.unreadable_centers and _same_file(base, head, f"centers/{cid}.yaml"):
                continue
            name = old.name if old else ""
            out.append(
                RecordChange(
                    "unreadable", cid, name, [Item("记录", None, "在 HEAD 中无法读取或不符合数据结构，见下方错误")]
                )
            )
        elif new is None:
            out.append(RecordChange("removed", cid, old.name if old else ""))
        elif cid not in base.center_ids():
            out.append(RecordChange("added", cid, new.name, _new_center_items(new, after), status))
        elif old is None:  # unreadable in BASE, readable now
            out.append(RecordChange("changed", cid, new.name, [Item("记录", "在 BASE 中无法读取", "已可读取")], status))
        else:
            items = _center_items(old, new, base.facts.get(cid), after, titles)
            if items:
                out.append(RecordChange("changed", cid, new.name, items, status))
    return out


def _period_text(period: NoticePeriod | None) -> str:
    if period is None:
        return "无法推算"
    text = f"{period.start.isoformat()} 至 {period.end.isoformat()}（{period.working_days} 个工作日）"
    return text + (f"，{PROVISIONAL_MARK}：{PROVISIONAL_NOTE}" if period.provisional else "")


def _entry_text(entry: Mapping[str, Any]) -> str:
    text = f"{entry.get('name')}（{entry.get('center')}）"
    return text + (f"：{entry['result']}" if entry.get("result") else "")


def _outcome_text(outcome: Mapping[str, Any] | None) -> str | None:
    if not outcome:
        return None
    return f"{outcome.get('result')}（{outcome.get('date')}）"


def _notice_items(old: Notice, new: Notice, base: Side, head: Side, titles: Mapping[str, str]) -> list[Item]:
    items: list[Item] = []
    for key, label in (("title", "标题"), ("subject", "公示事项"), ("issue_date", "发布日期")):
        if old.data.get(key) != new.data.get(key):
            items.append(Item(label, _text(old.data.get(key)), _text(new.data.get(key))))
    before, after = base.periods.get(old.id), head.periods.get(new.id)
    if (before and (before.start, before.end)) != (after and (after.start, after.end)):
        items.append(Item("公示期", _period_text(before), _period_text(after)))
    old_entries = {e.get("center"): e for e in old.entries}
    new_entries = {e.get("center"): e for e in new.entries}
    for cid, entry in new_entries.items():
        if cid not in old_entries:
            items.append(Item("名单新增", None, _entry_text(entry)))
        elif old_entries[cid] != entry:
            items.append(Item("名单项变更", _entry_text(old_entries[cid]), _entry_text(entry)))
    for cid, entry in old_entries.items():
        if cid not in new_entries:
            items.append(Item("名单删除", _entry_text(entry), None))
    if old.data.get("outcome") != new.data.get("outcome"):
        items.append(Item("公示结果", _outcome_text(old.data.get("outcome")), _outcome_text(new.data.get("outcome"))))
    others = sorted(k for k in {*old.data, *new.data} - _NOTICE_HANDLED if old.data.get(k) != new.data.get(k))
    if others:
        items.append(Item("其他字段变更", None, "、".join(titles.get(k, k) for k in others)))
    return items


def compare_notices(base: Side, head: Side) -> list[RecordChange]:
    titles = _titles("notice")
    out: list[RecordChange] = []
    for nid in sorted(base.notice_ids() | head.notice_ids()):
        old, new = base.registry.notice(nid), head.registry.notice(nid)
        if nid in head.unreadable_notices:
            if nid in base.unreadable_notices and _same_file(base, head, f"notices/{nid}.yaml"):
                continue
            out.append(
                RecordChange(
                    "unreadable",
                    nid,
                    old.title if old else "",
                    [Item("记录", None, "在 HEAD 中无法读取或不符合数据结构，见下方错误")],
                )
            )
        elif new is None:
            out.append(RecordChange("removed", nid, old.title if old else ""))
        elif nid not in base.notice_ids():
            items = [
                Item("公示事项", None, new.data.get("subject")),
                Item("发布日期", None, new.data.get("issue_date")),
                Item("公示期", None, _period_text(head.periods.get(nid))),
            ]
            items += [Item("名单", None, _entry_text(e)) for e in new.entries]
            out.append(RecordChange("added", nid, new.title, items, new.data.get("subject", "")))
        elif old is None:
            out.append(RecordChange("changed", nid, new.title, [Item("记录", "在 BASE 中无法读取", "已可读取")]))
        else:
            items = _notice_items(old, new, base, head, titles)
            if items:
                out.append(RecordChange("changed", nid, new.title, items, new.data.get("subject", "")))
    return out


def _finding_key(f: Finding) -> tuple[str, str, str]:
    return (f.rule_id, f.path, f.message)


def _unit_text(unit: SupervisingUnit | None) -> str | None:
    if unit is None:
        return None
    former = f"（曾用名：{'、'.join(unit.former_names)}）" if unit.former_names else ""
    return f"{unit.name}，{unit.county}{former}"


def compare_units(base: Side, head: Side) -> list[Item]:
    """Each supervising unit added, removed or changed (name, county, former names), by id."""
    old = {u.id: u for u in (base.registry.units.units if base.registry.units else ())}
    new = {u.id: u for u in (head.registry.units.units if head.registry.units else ())}
    out = []
    for unit_id in sorted({*old, *new}):
        before, after = _unit_text(old.get(unit_id)), _unit_text(new.get(unit_id))
        if before != after:
            verb = "新增" if before is None else "删除" if after is None else "变更"
            out.append(Item(f"{verb}归口管理单位 {unit_id}", before, after))
    return out


_MEASURES_FIELDS = (
    ("文号", lambda m: m.number),
    ("名称", lambda m: m.title),
    ("发布机关", lambda m: m.issuer),
    ("施行日期", lambda m: m.in_force_from),
    ("有效期至", lambda m: m.expires),
    ("废止", lambda m: "、".join(m.repeals)),
    ("原文链接", lambda m: m.url),
    ("全文出处", lambda m: m.text_source),
)


def _article_texts(text: MeasuresText) -> dict[str, str]:
    """Each part of a measures' text by its name: the issuing notice, each chapter's title
    (第N章), every 第N条 and the colophon; together they hold every non-empty line."""
    parts = {"印发通知": "\n".join(text.preamble)}
    for chapter in text.chapters:
        parts[chapter.title.split()[0]] = chapter.title
        for article in chapter.articles:
            parts[article.anchor] = "\n".join(article.paragraphs)
    parts["落款"] = "\n".join(text.colophon)
    return {name: body for name, body in parts.items() if body}


def _measures_summary(m: Measures) -> str:
    return f"{m.cited}，{m.in_force_from or '施行日期未记录'}起施行，全文 {len(m.text)} 行"


def _measures_items(old: Measures, new: Measures) -> list[Item]:
    """What changed in one measures record: its facts, then its text part by part.

    A pull request that rewrites one sentence of 第十二条 shows that article before and
    after, not a count of changed lines."""
    name = new.number
    items = [
        Item(f"{name} {label}", _text(get(old)), _text(get(new)))
        for label, get in _MEASURES_FIELDS
        if get(old) != get(new)
    ]
    if old.text != new.text:
        before, after = _article_texts(parse(old.text)), _article_texts(parse(new.text))
        names = [*before, *(part for part in after if part not in before)]
        parts = [
            Item(f"{name} {part}", before.get(part), after.get(part))
            for part in names
            if before.get(part) != after.get(part)
        ]
        items += parts or [Item(f"{name} 全文", "", "只有空行或行首行尾的空白不同")]
    return items


def compare_measures(base: Side, head: Side) -> list[Item]:
    """Each measures record added, removed or changed, by id: a reviewer sees an edit to the
    text of an article (the law the site applies) as plainly as an edit to a center."""
    old = {m.id: m for m in base.registry.book.measures}
    new = {m.id: m for m in head.registry.book.measures}
    items: list[Item] = []
    for mid in sorted({*old, *new}):
        before, after = old.get(mid), new.get(mid)
        if before is None and after is not None:
            items.append(Item(f"新增办法 {after.number}", None, _measures_summary(after)))
        elif after is None and before is not None:
            items.append(Item(f"删除办法 {before.number}", _measures_summary(before), None))
        elif before is not None and after is not None:
            items += _measures_items(before, after)
    return items


def compare(base: Side, head: Side, as_of: dt.date) -> Report:
    old_settings, new_settings = base.registry.settings.data, head.registry.settings.data
    titles = _titles("registry")
    settings = [
        Item(titles.get(k, k), _text(old_settings.get(k)), _text(new_settings.get(k)))
        for k in sorted({*old_settings, *new_settings})
        if old_settings.get(k) != new_settings.get(k)
    ]
    warnings = lambda side: [f for f in side.validation.findings if not f.is_error]  # noqa: E731
    resolved, appeared = _multiset_diff(warnings(base), warnings(head), _finding_key)
    base_errors = Counter(_finding_key(f) for f in base.validation.errors)
    head_errors = []
    for f in head.validation.errors:
        known = base_errors[_finding_key(f)] > 0
        base_errors[_finding_key(f)] -= known
        head_errors.append((f, known))
    return Report(
        base.label,
        head.label,
        as_of,
        base.files != head.files,
        compare_centers(base, head),
        compare_notices(base, head),
        settings,
        appeared,
        resolved,
        head_errors,
        compare_units(base, head),
        compare_measures(base, head),
    )
