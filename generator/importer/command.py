"""`python -m generator import KIND FILE --source DOC`: an official list into the records.

The import is planned in full before anything is written: the list is read
(importer/read.py), each row matched to one center (importer/match.py) and turned into an
event with the list's source; an event the record already has is not added again, one
that contradicts the record (another grade for the same year) is a problem. Every
changed record is rewritten in the canonical layout (records/canonical.py), keeping its
comments, into a copy of the registry; the copy is validated and compared with the
registry as it is (diff/compare.py), which gives the same change summary as `diff`.
Only when no row is left unsettled and the copy has no errors are the records replaced,
each file inside the registry folder and never through a symbolic link.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diff.compare import Report, Side, compare, describe_event, read_side
from generator.exits import CommandError, UsageError
from generator.importer.match import index, match
from generator.importer.read import Problem, Row, read_list
from generator.records.canonical import CannotFormat, load_commented, render, replace_text, wrap
from generator.records.lists import LIST_KINDS, ListKind, normal_value
from generator.records.model import Center
from generator.rules.findings import format_text


@dataclass(frozen=True)
class Request:
    kind: str
    file: Path
    source: Mapping[str, str]
    date: dt.date | None = None
    year: int | None = None
    skip_unmatched: bool = False


def source_of(document: str | None, url: str | None = None, title: str | None = None) -> dict[str, str]:
    """An event's `source` from the command line's --source, --url and --title."""
    source = {"document_number": (document or "").strip(), "url": (url or "").strip(), "title": (title or "").strip()}
    source = {key: value for key, value in source.items() if value}
    if not source:
        raise UsageError("请用 --source 给出公布名单的文件文号（或用 --url 给出网址）")
    return source


@dataclass
class Plan:
    """What the import would do: the problems, the new text of each changed record, the summary."""

    kind: ListKind
    registry: Path
    problems: list[Problem] = field(default_factory=list)
    changes: dict[Path, str] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)  # "center id: event" lines
    already: int = 0
    report: Report | None = None
    blocked: str = ""  # why nothing may be written ("" when it may)
    errors: list[str] = field(default_factory=list)  # validator findings that block

    def problem_lines(self) -> list[str]:
        lines = [f"{p.where}：{'' if p.blocking else '提示：'}{p.message}" for p in self.problems]
        return lines + self.errors

    def closing(self, written: bool) -> str:
        if not self.changes:
            return f"没有需要添加的事件：名单中的 {self.already} 条结果名录中都已有。"
        verb = "已写入" if written else "将写入（--dry-run，未写入）"
        files = len(self.changes)
        return f"{verb} {files} 个中心记录，新增 {len(self.added)} 条事件；名录中已有的 {self.already} 条未重复添加。"


_DATE = re.compile(r"([12][0-9]{3})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?")
_YEAR = re.compile(r"([12][0-9]{3})\s*(?:年度?)?")


def _date(text: str) -> str | None:
    match_ = _DATE.fullmatch(text.strip())
    if not match_:
        return None
    try:
        return dt.date(*(int(part) for part in match_.groups())).isoformat()
    except ValueError:
        return None


def _same_fact(kind: ListKind, old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether an event already in the record states the fact a row states (maybe differently)."""
    if old.get("kind") != new["kind"]:
        return False
    if kind.event_kind == "annual_assessment":
        return old.get("year") == new["year"]
    if kind.event_kind == "approval":
        return True  # one approval per round of the procedure
    old_source = old["source"] if isinstance(old.get("source"), dict) else {}
    number = new["source"].get("document_number")
    return old.get("date") == new["date"] or bool(number and old_source.get("document_number") == number)


def _agrees(kind: ListKind, old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    if kind.value:
        return old.get(kind.value) == new[kind.value]
    old_source = old["source"] if isinstance(old.get("source"), dict) else {}
    return old_source.get("document_number") == new["source"].get("document_number")


class _Rows:
    """Rows turned into events, with the problems of each; one event per center and fact."""

    def __init__(self, plan: Plan, request: Request) -> None:
        self.plan, self.request, self.kind = plan, request, plan.kind
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.seen: dict[tuple[str, Any], tuple[Row, dict[str, Any]]] = {}
        self.centers: dict[str, Center] = {}

    def problem(self, row: Row, message: str, blocking: bool = True) -> None:
        self.plan.problems.append(Problem(row.where, message, blocking))

    def event(self, row: Row) -> dict[str, Any] | None:
        kind, request = self.kind, self.request
        values = dict(row.values)
        if kind.value:
            value = normal_value(kind, values.get(kind.value, ""))
            if value is None:
                said = values.get(kind.value, "")
                wanted = "、".join(kind.values)
                self.problem(row, f"{'未填写结果' if not said else f'结果“{said}”无效'}：应为 {wanted} 之一")
                return None
            values[kind.value] = value
        year = request.year
        if kind.event_kind == "annual_assessment":
            if values.get("year"):
                found = _YEAR.fullmatch(values["year"].strip())
                if not found:
                    self.problem(row, f"年度“{values['year']}”无效：应为四位年份，如 2025")
                    return None
                if request.year is not None and int(found.group(1)) != request.year:
                    self.problem(row, f"年度 {found.group(1)} 与命令行的 --year {request.year} 不一致")
                    return None
                year = int(found.group(1))
            if year is None:
                self.problem(row, "缺少考核年度：名单中加一列“年度”，或在命令行用 --year 给出")
                return None
        date = request.date.isoformat() if request.date else None
        if values.get("date"):
            date = _date(values["date"])
            if date is None:
                self.problem(row, f"日期“{values['date']}”无效：应写作 YYYY-MM-DD")
                return None
        if date is None:
            self.problem(row, "缺少日期：名单中加一列“日期”，或在命令行用 --date 给出文件印发日期")
            return None
        source = dict(request.source)
        if values.get("document_number"):
            source["document_number"] = values["document_number"]
        if kind.needs_document and not source.get("document_number"):
            self.problem(row, f"{kind.title}须有文号：请用 --source 给出，或在名单中加一列“文号”")
            return None
        return kind.event(date, values, source, year)

    def add(self, row: Row, center: Center) -> None:
        event = self.event(row)
        if event is None:
            return
        key = (center.id, event.get("year") if self.kind.event_kind == "annual_assessment" else None)
        if key in self.seen:
            first, earlier = self.seen[key]
            if _agrees(self.kind, earlier, event):
                self.problem(row, f"与{first.where}重复（同一中心 {center.id}），只导入一次", blocking=False)
            else:
                self.problem(row, f"与{first.where}矛盾：同一中心 {center.id} 的结果不同，请核对")
            return
        self.seen[key] = (row, event)
        for old in center.data.get("events", []):
            if _same_fact(self.kind, old, event):
                if _agrees(self.kind, old, event):
                    self.plan.already += 1
                else:
                    self.problem(
                        row,
                        f"{center.id} 的记录中已有“{describe_event(old)}”，与名单中的“{describe_event(event)}”不同："
                        "如是更正，请人工修改该记录",
                    )
                return
        self.centers[center.id] = center
        self.events.setdefault(center.id, []).append(event)
        self.plan.added.append(f"{center.id}：{describe_event(event)}")


def plan(registry: Path, request: Request, as_of: dt.date) -> Plan:
    """Everything the import would change, checked; nothing is written here."""
    kind = LIST_KINDS[request.kind]
    registry = registry.resolve()  # "." has no name to copy it under
    result = Plan(kind, registry)
    before = read_side("导入前", registry, registry.parent, as_of)
    errors = [f for f in before.validation.findings if f.is_error]
    if errors:
        result.errors = [format_text(f) for f in errors]
        result.blocked = "名录本身有错误，请先修正再导入（python -m generator validate）"
        return result
    table = read_list(request.file, kind)
    result.problems += table.problems
    rows = _Rows(result, request)
    idx = index(before.registry)
    for row in table.rows:
        center, problem = match(row, idx)
        if problem is not None:
            skipped = request.skip_unmatched and problem.unmatched
            message = problem.message + ("（已跳过）" if skipped else "")
            result.problems.append(Problem(problem.where, message, blocking=not skipped, unmatched=True))
            continue
        assert center is not None
        rows.add(row, center)
    blocking = [p for p in result.problems if p.blocking]
    if blocking:
        skip = any(p.unmatched for p in blocking) and not request.skip_unmatched
        hint = "；只导入其余各行请加 --skip-unmatched" if skip else ""
        result.blocked = f"名单有 {len(blocking)} 处问题，未写入任何文件{hint}"
        return result
    for center_id, events in rows.events.items():
        center = rows.centers[center_id]
        path = registry.parent / center.path  # shown relative to the registry's parent (read_side above)
        try:
            doc = load_commented(path.read_bytes(), "center", center.path)
            records = doc.root.entries["events"].value
            records.items += wrap(events).items
            result.changes[path] = render(doc, "center", center.path)
        except (CannotFormat, OSError, KeyError, AttributeError) as exc:
            result.blocked = f"无法改写 {center.path}：{exc}"
            return result
    result.report = preview(registry, before, result.changes, as_of)
    if result.report.head_errors:
        result.errors = [format_text(f) for f, _ in result.report.head_errors]
        result.blocked = "导入后名录校验不通过，未写入任何文件"
    return result


def preview(registry: Path, before: Side, changes: Mapping[Path, str], as_of: dt.date, label: str = "导入后") -> Report:
    """The change summary of the registry before and after `changes` (path → new text),
    from a validated copy: the registry itself is not touched."""
    with tempfile.TemporaryDirectory(prefix="registry-preview-") as tmp:
        copy = Path(tmp) / registry.name
        shutil.copytree(registry, copy, symlinks=True)
        for path, text in changes.items():
            target = copy / path.relative_to(registry)
            target.write_text(text, encoding="utf-8", newline="\n")
        after = read_side(label, copy, Path(tmp), as_of)
        return compare(before, after, as_of)


def write(plan: Plan) -> None:
    if plan.blocked:
        raise CommandError(plan.blocked)
    write_changes(plan.registry, plan.changes)


def write_changes(registry: Path, changes: Mapping[Path, str]) -> None:
    """Write each changed or new record, only inside the registry folder and never through a link."""
    root = registry.resolve()
    for path in changes:
        if path.is_symlink() or path.parent.is_symlink() or not path.resolve().is_relative_to(root):
            raise CommandError(f"{path} 不在名录目录之内，未写入")
    for path, text in changes.items():
        try:
            replace_text(path, text)
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc}") from None
