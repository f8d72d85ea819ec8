"""The six tables (centers, assessments, deadlines, notices, events, units): columns and rows.

One column table drives every format, so a column's name, Chinese title, type and
description are written once and the CSV, the workbook, datapackage.json and the data
dictionary on the download page cannot disagree. Every table ends with the same two
columns, `as_of` and `sample_data`, so a saved file still says the date its statuses and
days were computed for and whether its records are fictional.

State columns come in pairs, the English code under the plain name and the Chinese
label under `<name>_label` (`status`/`status_label`, `state`/`state_label`,
`kind`/`kind_label`), as in the JSON files.
The formats themselves (CSV, workbook, datapackage.json) are in formats.py and xlsx.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from generator.derive.deadlines import DEADLINE_STATES
from generator.derive.facts import CenterFacts, RegistryFacts
from generator.derive.notices import NOTICE_STATES
from generator.derive.status import DETAILS, STATUSES
from generator.records.model import DIVISION_CODES, EVENT_LABELS, GRADES
from generator.render.opendata.common import (
    absolute,
    center_page,
    deadline_uid,
    notice_page,
    number,
    source_text,
    unit_id,
    unit_page,
)
from generator.render.opendata.events import phrase, source_parts, with_ids
from generator.rules.dates import parse_date

LIST_SEPARATOR = "；"
OPEN_STATES = ("open", "due_today", "overdue")


@dataclass(frozen=True)
class Column:
    name: str  # machine name: the CSV header
    title: str  # Chinese: the Excel header and the Data Package title
    type: str  # Frictionless type: string, integer, number, date, boolean
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    derived: bool = False  # the site's reading of the records (本站推算), not a recorded fact


@dataclass(frozen=True)
class Table:
    name: str  # resource name and file stem
    sheet: str  # Excel sheet name
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    build: Callable[[RegistryFacts], Iterable[dict[str, Any]]]  # each row by column name, in row order
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, its column)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    @property
    def fields(self) -> tuple[Column, ...]:
        """The columns whose values a row holds: all but META_COLUMNS, which are the same on every row."""
        return tuple(c for c in self.columns if c not in META_COLUMNS)

    def rows(self, facts: RegistryFacts) -> list[tuple[Any, ...]]:
        """Each row's values in the order of `fields`: a tuple takes a sixth of a dict's memory,
        which at 100,000 events is a hundred megabytes."""
        values = itemgetter(*(c.name for c in self.fields))
        return [values(row) for row in self.build(facts)]


#: The last two columns of every table: the same value on every row.
META_COLUMNS = (
    Column(
        "as_of",
        "数据截至",
        "date",
        "推算状态、期限与天数所依据的日期（北京时间）；文件中每行相同。",
        required=True,
    ),
    Column(
        "sample_data",
        "演示数据",
        "boolean",
        "为 true 时所有记录均为虚构的演示样例；文件中每行相同。",
        required=True,
    ),
)


def meta_values(facts: RegistryFacts) -> dict[str, Any]:
    """The values of META_COLUMNS for this registry and date."""
    return {"as_of": facts.as_of, "sample_data": facts.settings.sample_data}


def _joined(values: list[str]) -> str:
    return LIST_SEPARATOR.join(values)


def _center_row(facts: RegistryFacts, c: CenterFacts) -> dict[str, Any]:
    data = c.center.data
    known = c.center.until(facts.as_of)
    approval = known.first("approval")
    accepted = next((e for e in known.of_kind("acceptance") if e.get("result") == "通过"), None)
    latest = c.ratings.latest
    nxt = c.next_deadline
    contact = data.get("contact", {})
    return {
        "id": c.id,
        "name": c.center.name_on(facts.as_of),
        "former_names": _joined([old for old, _ in known.former_names]),
        "category": c.center.category,
        "field": data["field"],
        "location": data["location"],
        "division_code": DIVISION_CODES.get(data["location"]) or None,
        "supervising_unit": data["supervising_unit"],
        "supervising_unit_id": unit_id(facts, data["supervising_unit"]),
        "first_host_unit": data["first_host_unit"]["name"],
        "first_host_unit_credit_code": data["first_host_unit"].get("credit_code"),
        "co_building_units": _joined([u["name"] for u in data.get("co_building_units", [])]),
        "research_directions": _joined(list(data["research_directions"])),
        "status": c.status,
        "status_label": c.status_label,
        "status_detail": c.detail.key if c.detail else None,
        "status_detail_label": c.detail.label if c.detail else None,
        "status_since": c.history[-1].start if c.history else None,
        "legacy": c.legacy,
        "established_under": c.established_under.number if c.established_under else None,
        "approval_date": approval.date if approval else None,
        "acceptance_date": accepted.date if accepted else None,
        "next_deadline": nxt.title if nxt else None,
        "next_deadline_uid": deadline_uid(c.id, nxt.key) if nxt else None,
        "next_deadline_due": nxt.due if nxt else None,
        "next_deadline_state": nxt.state if nxt else None,
        "next_deadline_state_label": nxt.state_label if nxt else None,
        "provisional": c.provisional,
        "latest_grade_year": latest.event.get("year") if latest else None,
        "latest_grade": latest.grade if latest else None,
        "excellent_streak": c.ratings.excellent_streak,
        "fail_streak": c.ratings.fail_streak,
        "funding_granted_wan": number(c.funding.granted_wan),
        "funding_outstanding_wan": number(sum(e.amount_wan for e in c.funding.outstanding)),
        "revocation_flag": any(f.kind == "revocation" for f in c.flags),
        "priority_support": any(f.kind == "priority" for f in c.flags),
        "flags": _joined([f"{f.statement}：{f.message}" for f in c.flags]),
        "measures_note": facts.derived_note,
        "office_phone": contact.get("office_phone"),
        "email": contact.get("email"),
        "address": contact.get("address"),
        "website": contact.get("website"),
        "page": absolute(facts, center_page(c.id)) or center_page(c.id),
    }


def _by_id(facts: RegistryFacts) -> list[CenterFacts]:
    return sorted(facts.centers, key=lambda c: c.id)


def center_rows(facts: RegistryFacts) -> Iterator[dict[str, Any]]:
    return (_center_row(facts, c) for c in _by_id(facts))


def assessment_rows(facts: RegistryFacts) -> Iterator[dict[str, Any]]:
    """By center, then year (a center's ratings are in year order)."""
    for c in _by_id(facts):
        name = c.center.name_on(facts.as_of)
        for g in c.ratings.annual:
            yield {
                "center_id": c.id,
                "center_name": name,
                "year": g.event.get("year"),
                "grade": g.grade,
                "date": g.event.date,
                "source": source_text(g.event.get("source")),
                "source_url": (g.event.get("source") or {}).get("url"),
            }


def deadline_rows(facts: RegistryFacts) -> Iterator[dict[str, Any]]:
    """By center, then due date (unknown last) and rule."""
    for c in _by_id(facts):
        name = c.center.name_on(facts.as_of)
        for d in sorted(c.deadlines, key=lambda d: (d.due or dt.date.max, d.rule_id)):
            yield {
                "center_id": c.id,
                "uid": deadline_uid(c.id, d.key),
                "key": d.key,
                "rule_id": d.rule_id,
                "article": d.article,
                "title": d.title,
                "due": d.due,
                "state": d.state,
                "state_label": d.state_label,
                "days": d.days,
                "met_on": d.met_on,
                "provisional": d.provisional,
                "center_name": name,
                "measures_note": facts.derived_note,
            }


def notice_rows(facts: RegistryFacts) -> Iterator[dict[str, Any]]:
    for n in sorted(facts.notices, key=lambda n: n.id):
        data = n.notice.data
        outcome = n.outcome
        notice = {
            "notice_id": n.id,
            "title": data["title"],
            "document_number": data.get("document_number"),
            "issuer": data["issuer"],
            "issue_date": n.notice.issue_date,
            "subject": data["subject"],
            "period_start": n.period.start,
            "period_end": n.period.end,
            "working_days": n.period.working_days,
            "period_provisional": n.period.provisional,
            "state": n.state,
            "state_label": n.state_label,
            "outcome": outcome["result"] if outcome else None,
            "outcome_date": parse_date(outcome["date"]) if outcome else None,
            "url": data.get("url"),
            "page": absolute(facts, notice_page(n.id)) or notice_page(n.id),
        }
        for number_, entry in enumerate(n.notice.entries, start=1):
            yield {
                **notice,
                "entry_no": number_,
                "center_id": entry["center"] if entry["center"] in facts.by_id else None,
                "center_name": entry["name"],
                "category": entry.get("category"),
                "host_units": _joined(entry.get("host_units", [])),
                "supervising_unit": entry.get("supervising_unit"),
                "supervising_unit_id": unit_id(facts, entry.get("supervising_unit")),
                "location": entry.get("location"),
                "result": entry.get("result"),
            }


def unit_rows(facts: RegistryFacts) -> Iterator[dict[str, Any]]:
    for unit in sorted(facts.units.units if facts.units else (), key=lambda u: u.id):
        yield {
            "id": unit.id,
            "name": unit.name,
            "county": unit.county,
            "former_names": _joined(list(unit.former_names)),
            "page": absolute(facts, unit_page(unit.id)) or unit_page(unit.id),
        }


_NO_SOURCE = (None, None, None)


def event_rows(facts: RegistryFacts) -> Iterator[dict[str, Any]]:
    for c in _by_id(facts):
        name = c.center.name_on(facts.as_of)
        for event_id, e in with_ids(c.center.until(facts.as_of)):
            g = e.fields.get
            number_, title, url = source_parts(e) if "source" in e.fields else _NO_SOURCE
            amount = g("amount_wan")
            yield {
                "center_id": c.id,
                "event_id": event_id,
                "date": e.date,
                "kind": e.kind,
                "kind_label": EVENT_LABELS[e.kind],
                "center_name": name,
                "detail": phrase(e, note=False),
                "grade": g("grade"),
                "funding_kind": g("funding_kind"),
                "amount_wan": None if amount is None else number(amount),
                "reason": g("reason"),
                "article": g("article"),
                "notice_id": g("notice"),
                "source_document_number": number_,
                "source_title": title,
                "source_url": url,
                "note": g("note"),
            }


def _center_id(description: str = "中心的标识，对应 centers.csv 的 id（外键）。", required: bool = True) -> Column:
    return Column("center_id", "中心标识", "string", description, required=required)


_TEXT_NOTE = "多个值以全角分号“；”分隔。"
_CENTER_NAME = Column("center_name", "中心名称", "string", "数据截至日的中心名称。")
_TO_CENTERS = (("center_id", "centers", "id"),)
_TO_UNITS = (("supervising_unit_id", "units", "id"),)
DAYS_DESCRIPTION = (
    "未到期时为距到期日的天数；已逾期或已届满时为到期日之后已过的天数；"
    "今日到期、已完成、已延期、记录不足无法推算时为 0。"
)
_DEADLINE_STATE = (
    "期限状态代码：open 未到期，due_today 今日到期，overdue 已逾期，met 已完成，passed 已届满（非义务性日期已过），"
    "extended 已延期，unknown 记录不足、无法推算（从不判为逾期）。"
)
_DERIVED = "本站推算，以市科技局决定为准："
_NOTE = Column(
    "measures_note",
    "办法有效性说明",
    "string",
    _DERIVED + "推算所依据的办法已期满或被取代时（第二十一条），说明这一点；办法有效时为空。",
    derived=True,
)

TABLES = (
    Table(
        "centers",
        "中心",
        "中心",
        "每个中心一行：基本信息与截至数据日的状态、下一期限、最近考核、经费与提示。",
        (
            Column("id", "标识", "string", "中心的稳定英文短标识，与记录文件名一致。", required=True),
            Column("name", "中心名称", "string", "数据截至日的中心名称。", required=True),
            Column("former_names", "曾用名", "string", "经批准更名前使用的名称。" + _TEXT_NOTE),
            Column("category", "类别", "string", "综合类或领域类（第三条、第四条）。", True, ("综合类", "领域类")),
            Column("field", "技术领域", "string", "中心所属的技术或产业领域。"),
            Column(
                "location",
                "所在地",
                "string",
                "中心所在的县级行政区划（或忻州经济开发区）。",
                True,
                tuple(DIVISION_CODES),
            ),
            Column("division_code", "行政区划代码", "string", "所在地的六位县级行政区划代码；忻州经济开发区为空。"),
            Column("supervising_unit", "归口管理单位", "string", "负责推荐、监督管理的单位（第七条）。"),
            Column(
                "supervising_unit_id",
                "归口管理单位标识",
                "string",
                "归口管理单位在 units.csv 中的 id（外键）：单位更名后不变；名录中没有这个名称时为空。",
            ),
            Column("first_host_unit", "第一依托单位", "string", "牵头建设的独立法人单位（第九条）。"),
            Column("first_host_unit_credit_code", "统一社会信用代码", "string", "第一依托单位的18位统一社会信用代码。"),
            Column("co_building_units", "共建单位", "string", "参与共建的单位。" + _TEXT_NOTE),
            Column("research_directions", "研究方向", "string", "中心的主要研究方向。" + _TEXT_NOTE),
            Column(
                "status",
                "状态代码",
                "string",
                _DERIVED + "数据截至日的状态代码：" + "，".join(f"{k} {v}" for k, v in STATUSES.items()) + "。",
                True,
                tuple(STATUSES),
                derived=True,
            ),
            Column(
                "status_label",
                "状态",
                "string",
                _DERIVED + "状态的中文名称，与网站显示的相同。",
                True,
                tuple(STATUSES.values()),
                derived=True,
            ),
            Column(
                "status_detail",
                "状态细分代码",
                "string",
                _DERIVED + "状态细分的代码：" + "，".join(f"{k} {v}" for k, v in DETAILS.items()) + "。",
                False,
                tuple(DETAILS),
                derived=True,
            ),
            Column(
                "status_detail_label",
                "状态细分",
                "string",
                _DERIVED + "状态细分的中文说明：待验收的已申请 N 天、申请期内、逾期未申请、未记录验收申请，"
                "或建设中的期满日期记录不足。",
                derived=True,
            ),
            Column("status_since", "状态起始日期", "date", _DERIVED + "当前状态开始的日期。", derived=True),
            Column(
                "legacy",
                "施行前设立",
                "boolean",
                "是否在忻科规〔2024〕4号施行前（或依据其他办法）批准或认定（true/false）。",
            ),
            Column(
                "established_under", "设立依据的办法", "string", "施行前设立的中心所依据的办法文号；记录未写明时为空。"
            ),
            Column("approval_date", "批准建设日期", "date", "市科学技术局批准建设的日期（第十二条）。"),
            Column("acceptance_date", "验收通过日期", "date", "验收通过、列入市技术创新中心序列的日期（第十二条）。"),
            Column("next_deadline", "下一期限", "string", _DERIVED + "最早的未完成期限（含已逾期的）。", derived=True),
            Column(
                "next_deadline_uid",
                "下一期限标识",
                "string",
                "下一期限的稳定标识，对应 deadlines.csv 的 uid。",
                derived=True,
            ),
            Column("next_deadline_due", "下一期限到期日", "date", _DERIVED + "下一期限的最后一天。", derived=True),
            Column(
                "next_deadline_state",
                "下一期限状态代码",
                "string",
                _DERIVED + "open 未到期，due_today 今日到期，overdue 已逾期。",
                False,
                OPEN_STATES,
                derived=True,
            ),
            Column(
                "next_deadline_state_label",
                "下一期限状态",
                "string",
                _DERIVED + "下一期限状态的中文名称。",
                False,
                tuple(DEADLINE_STATES[s] for s in OPEN_STATES),
                derived=True,
            ),
            Column(
                "provisional",
                "日期暂定",
                "boolean",
                "状态起始日期或某个未完成期限的到期日是否按暂行规则推算（该年国务院节假日安排尚未公布，"
                "未计调休；安排公布并录入后不再暂定）（true/false）。",
            ),
            Column("latest_grade_year", "最近考核年度", "integer", "最近一次年度绩效考核的年度。"),
            Column("latest_grade", "最近考核等次", "string", "最近一次年度绩效考核的等次（第十八条）。", False, GRADES),
            Column(
                "excellent_streak",
                "连续优秀年数",
                "integer",
                _DERIVED + "截至最近考核年度连续“优秀”的年数。",
                derived=True,
            ),
            Column(
                "fail_streak",
                "连续不合格年数",
                "integer",
                _DERIVED + "截至最近考核年度连续“不合格”的年数。",
                derived=True,
            ),
            Column("funding_granted_wan", "已拨付经费（万元）", "number", "记录中所有经费支持的合计（第十三条）。"),
            Column(
                "funding_outstanding_wan",
                "应拨未拨经费（万元）",
                "number",
                _DERIVED + "按第十三条应获、尚无拨付记录的合计；施行前设立的中心不推算建设经费。",
                derived=True,
            ),
            Column(
                "revocation_flag",
                "应予撤销（本站推算）",
                "boolean",
                _DERIVED + "是否有“按第N条应予撤销”的提示（true/false）；是否撤销以市科技局决定为准。",
                derived=True,
            ),
            Column(
                "priority_support",
                "优先支持（本站推算）",
                "boolean",
                _DERIVED + "最近一年考核优秀，享受重点支持、优先推荐（true/false）。",
                derived=True,
            ),
            Column("flags", "提示", "string", _DERIVED + "各项提示，标明本站推算及其条款。" + _TEXT_NOTE, derived=True),
            _NOTE,
            Column("office_phone", "办公电话", "string", "中心公开的办公电话。"),
            Column("email", "电子邮箱", "string", "中心公开的办公电子邮箱。"),
            Column("address", "通讯地址", "string", "中心的办公地址。"),
            Column("website", "网站", "string", "中心的网站。"),
            Column("page", "页面", "string", "中心在本站的页面（未设置网站地址时为相对于网站根地址的路径）。"),
            *META_COLUMNS,
        ),
        ("id",),
        center_rows,
        _TO_UNITS,
    ),
    Table(
        "assessments",
        "考核",
        "年度绩效考核",
        "每个中心每个考核年度一行（第十八条）。",
        (
            _center_id(),
            _CENTER_NAME,
            Column("year", "考核年度", "integer", "被考核的年度。", required=True),
            Column("grade", "考核等次", "string", "优秀、良好、合格、基本合格或不合格。", True, GRADES),
            Column("date", "结果日期", "date", "考核结果的日期。", required=True),
            Column("source", "出处", "string", "考核结果的文号、文件标题或网址。"),
            Column("source_url", "出处网址", "string", "考核结果的官方网址。"),
            *META_COLUMNS,
        ),
        ("center_id", "year"),
        assessment_rows,
        _TO_CENTERS,
    ),
    Table(
        "deadlines",
        "期限",
        "期限",
        "每个中心的每项期限一行，含已完成的（第十二条、第十八条、第十九条）；期限由本站按《管理办法》推算。",
        (
            _center_id(),
            Column(
                "uid",
                "期限标识",
                "string",
                "期限的稳定标识，与日历（.ics）中事件的 UID 相同；到期日变化（如批准延期）时不变。",
                required=True,
            ),
            Column(
                "key",
                "中心内期限标识",
                "string",
                "期限在中心内的稳定标识（规则加轮次，如 deadline.annual-assessment.2026），到期日变动时不变。",
                required=True,
            ),
            Column("rule_id", "规则标识", "string", "推算该期限的规则（见规则说明页）。", required=True),
            Column("article", "依据条款", "string", "规则所依据的《管理办法》条款。"),
            Column("title", "期限名称", "string", _DERIVED + "期限的中文名称。", required=True, derived=True),
            Column(
                "due",
                "到期日",
                "date",
                _DERIVED + "期限的最后一天（当日不算逾期）；记录不足、无法推算时为空。",
                derived=True,
            ),
            Column(
                "state", "状态代码", "string", _DERIVED + _DEADLINE_STATE, True, tuple(DEADLINE_STATES), derived=True
            ),
            Column(
                "state_label",
                "状态",
                "string",
                _DERIVED + "期限状态的中文名称。",
                True,
                tuple(DEADLINE_STATES.values()),
                derived=True,
            ),
            Column("days", "天数", "integer", _DERIVED + DAYS_DESCRIPTION, required=True, derived=True),
            Column("met_on", "完成日期", "date", "满足该期限的事件日期；已延期的期限为批准延期的日期。"),
            Column(
                "provisional",
                "到期日暂定",
                "boolean",
                "到期日是否由尚未公布节假日安排的年份的工作日暂行推算（如公示期结束）（true/false）。",
                required=True,
            ),
            _CENTER_NAME,
            _NOTE,
            *META_COLUMNS,
        ),
        ("uid",),
        deadline_rows,
        _TO_CENTERS,
    ),
    Table(
        "notices",
        "公示",
        "公示",
        "每份公示的名单中每个中心一行（第十二条）：公示本身的各列在同一公示的各行中相同。",
        (
            Column("notice_id", "公示标识", "string", "公示的稳定英文短标识，与记录文件名一致。", required=True),
            Column("entry_no", "序号", "integer", "该中心在公示名单中的序号，从 1 开始。", required=True),
            _center_id("名单中的中心，对应 centers.csv 的 id（外键）；数据截至日尚无记录的中心为空。", False),
            Column("center_name", "中心名称", "string", "公示原文中的中心名称。", required=True),
            Column("category", "类别", "string", "公示原文中的类别。", False, ("综合类", "领域类")),
            Column("host_units", "依托单位", "string", "公示原文中的牵头/依托单位，第一个为牵头单位。" + _TEXT_NOTE),
            Column("supervising_unit", "归口管理单位", "string", "公示原文中的归口管理单位。"),
            Column(
                "supervising_unit_id",
                "归口管理单位标识",
                "string",
                "归口管理单位在 units.csv 中的 id（外键）：单位更名后不变；名录中没有这个名称时为空。",
            ),
            Column("location", "建设地点", "string", "公示原文中的建设地点。"),
            Column("result", "结果", "string", "考核评估结果类公示中该中心的等次。", False, GRADES),
            Column("title", "公示标题", "string", "公示的标题。", required=True),
            Column("document_number", "文号", "string", "公示的文号。"),
            Column("issuer", "发布机关", "string", "发布公示的机关。", required=True),
            Column("issue_date", "发布日期", "date", "公示发布的日期。", required=True),
            Column(
                "subject",
                "公示事项",
                "string",
                "拟批准建设、拟通过验收、考核评估结果或拟撤销。",
                True,
                ("拟批准建设", "拟通过验收", "考核评估结果", "拟撤销"),
            ),
            Column("period_start", "公示开始日期", "date", "公示期第一天。", required=True),
            Column(
                "period_end", "公示结束日期", "date", "公示期最后一天（公示写明的，或按默认5个工作日推算的）。", True
            ),
            Column("working_days", "工作日数", "integer", "公示期内的工作日数（含首尾两天）。", required=True),
            Column(
                "period_provisional",
                "暂按周一至周五",
                "boolean",
                "为 true 时公示期所在年份的节假日安排尚未公布，暂按周一至周五计算。",
                required=True,
            ),
            Column(
                "state",
                "公示状态代码",
                "string",
                "upcoming 即将开始，active 公示中，result_pending 结果待公布（公示期已结束，名录中还没有数据截至日前公布的公示结果；本站推算，规则 notice.result-pending），ended 已结束（已记录公示结果）。",
                True,
                tuple(NOTICE_STATES),
            ),
            Column("state_label", "公示状态", "string", "公示状态的中文名称。", True, tuple(NOTICE_STATES.values())),
            Column(
                "outcome",
                "公示结果",
                "string",
                "公示期满后的结果（数据截至日已知时）。",
                False,
                ("无异议", "有异议经核查维持", "有异议经核查调整"),
            ),
            Column("outcome_date", "结果日期", "date", "公示结果确定的日期。"),
            Column("url", "原文网址", "string", "公示原文的网址。"),
            Column("page", "页面", "string", "公示在本站的页面（未设置网站地址时为相对于网站根地址的路径）。"),
            *META_COLUMNS,
        ),
        ("notice_id", "entry_no"),
        notice_rows,
        _TO_CENTERS + _TO_UNITS,
    ),
    Table(
        "events",
        "事件",
        "事件记录",
        "每个中心截至数据日的每条事件记录一行，含官方出处（文号、文件标题、网址或公示）。",
        (
            _center_id(),
            Column(
                "event_id",
                "事件标识",
                "string",
                "事件在中心内的稳定标识：日期与事件类型，同日同类的第二条起加 -2、-3……",
                required=True,
            ),
            Column("date", "日期", "date", "事件发生或文件印发的日期。", required=True),
            Column(
                "kind",
                "事件类型代码",
                "string",
                "事件类型代码：" + "，".join(f"{k} {v}" for k, v in EVENT_LABELS.items()) + "。",
                True,
                tuple(EVENT_LABELS),
            ),
            Column("kind_label", "事件类型", "string", "事件类型的中文名称。", True, tuple(EVENT_LABELS.values())),
            _CENTER_NAME,
            Column(
                "detail",
                "内容",
                "string",
                "事件内容的一句话说明：评审或验收结果、考核年度与等次、计划或延期后的建设期满日期、变更前后等（说明另见 note 列）。",
            ),
            Column("grade", "等次", "string", "年度绩效考核或三年评估的等次。", False, GRADES),
            Column("funding_kind", "经费类别", "string", "经费支持的类别。", False, ("建设经费", "优秀奖励", "其他")),
            Column("amount_wan", "金额（万元）", "number", "经费支持的金额。"),
            Column("reason", "原因", "string", "延期、撤销、撤回或未获批准的原因。"),
            Column(
                "article",
                "撤销依据条款",
                "string",
                "撤销所依据的条款。",
                False,
                ("第十条", "第十二条", "第十八条", "第十九条", "其他"),
            ),
            Column("notice_id", "公示标识", "string", "列入的公示，对应 notices.csv 的 notice_id。"),
            Column("source_document_number", "出处文号", "string", "官方文件的文号。"),
            Column("source_title", "出处标题", "string", "官方文件或页面的标题。"),
            Column("source_url", "出处网址", "string", "官方发布页面的网址。"),
            Column("note", "说明", "string", "记录中的补充说明。"),
            *META_COLUMNS,
        ),
        ("center_id", "event_id"),
        event_rows,
        _TO_CENTERS,
    ),
    Table(
        "units",
        "归口管理单位",
        "归口管理单位",
        "归口管理单位名录（第七条）中每个单位一行：centers.csv 与 notices.csv 的 supervising_unit_id 指向这里的 id。",
        (
            Column(
                "id", "标识", "string", "单位的稳定英文短标识，也是本站单位页面的网址；单位更名后不变。", required=True
            ),
            Column("name", "名称", "string", "单位的现用名称。", required=True),
            Column("county", "所属地区", "string", "单位所属的县（市、区）、忻州经济开发区或市直。", required=True),
            Column("former_names", "曾用名", "string", "单位的曾用名称，记录中写曾用名的也指这个单位。" + _TEXT_NOTE),
            Column("page", "页面", "string", "单位在本站的页面（未设置网站地址时为相对于网站根地址的路径）。"),
            *META_COLUMNS,
        ),
        ("id",),
        unit_rows,
    ),
)
