"""The three tables (centers, assessments, deadlines): their columns and rows.

One column table drives all three formats, so a column's name, Chinese title, type and
description are written once and the CSV, the workbook, datapackage.json and the data
dictionary on the download page cannot disagree.
The formats themselves (CSV, workbook, datapackage.json) are in formats.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.derive.deadlines import DEADLINE_STATES
from generator.derive.facts import CenterFacts, RegistryFacts
from generator.derive.status import DETAILS, STATUSES
from generator.records.model import DIVISION_CODES, GRADES
from generator.render.opendata.common import absolute, center_page, number, source_text

LIST_SEPARATOR = "；"


@dataclass(frozen=True)
class Column:
    name: str  # machine name: the CSV header
    title: str  # Chinese: the Excel header and the Data Package title
    type: str  # Frictionless type: string, integer, number, date, boolean
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    width: int | None = None  # fixed Excel width, else fitted to the text
    derived: bool = False  # the site's reading of the records (本站推算), not a recorded fact


@dataclass(frozen=True)
class Table:
    name: str  # resource name and file stem
    sheet: str  # Excel sheet name
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[RegistryFacts], list[dict[str, Any]]]

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


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
        "first_host_unit": data["first_host_unit"]["name"],
        "first_host_unit_credit_code": data["first_host_unit"].get("credit_code"),
        "co_building_units": _joined([u["name"] for u in data.get("co_building_units", [])]),
        "research_directions": _joined(list(data["research_directions"])),
        "status": c.status_label,
        "status_key": c.status,
        "status_detail": c.detail.label if c.detail else None,
        "status_detail_key": c.detail.key if c.detail else None,
        "status_since": c.history[-1].start if c.history else None,
        "legacy": c.legacy,
        "established_under": c.established_under.number if c.established_under else None,
        "approval_date": approval.date if approval else None,
        "acceptance_date": accepted.date if accepted else None,
        "next_deadline": nxt.title if nxt else None,
        "next_deadline_due": nxt.due if nxt else None,
        "next_deadline_state": nxt.state_label if nxt else None,
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


def center_rows(facts: RegistryFacts) -> list[dict[str, Any]]:
    return [_center_row(facts, c) for c in sorted(facts.centers, key=lambda c: c.id)]


def assessment_rows(facts: RegistryFacts) -> list[dict[str, Any]]:
    rows = [
        {
            "center_id": c.id,
            "center_name": name,
            "year": g.event.get("year"),
            "grade": g.grade,
            "date": g.event.date,
            "source": source_text(g.event.get("source")),
            "source_url": (g.event.get("source") or {}).get("url"),
        }
        for c in facts.centers
        if c.ratings.annual
        for name in (c.center.name_on(facts.as_of),)
        for g in c.ratings.annual
    ]
    return sorted(rows, key=lambda r: (r["center_id"], r["year"]))


def deadline_rows(facts: RegistryFacts) -> list[dict[str, Any]]:
    rows = [
        {
            "center_id": c.id,
            "key": d.key,
            "rule_id": d.rule_id,
            "article": d.article,
            "title": d.title,
            "due": d.due,
            "state": d.state,
            "days": d.days,
            "met_on": d.met_on,
            "provisional": d.provisional,
            "center_name": name,
            "state_label": d.state_label,
            "measures_note": facts.derived_note,
        }
        for c in facts.centers
        if c.deadlines
        for name in (c.center.name_on(facts.as_of),)
        for d in c.deadlines
    ]
    return sorted(rows, key=lambda r: (r["center_id"], r["due"] or dt.date.max, r["rule_id"]))


_TEXT_NOTE = "多个值以全角分号“；”分隔。"
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
            Column("first_host_unit", "第一依托单位", "string", "牵头建设的独立法人单位（第九条）。"),
            Column("first_host_unit_credit_code", "统一社会信用代码", "string", "第一依托单位的18位统一社会信用代码。"),
            Column("co_building_units", "共建单位", "string", "参与共建的单位。" + _TEXT_NOTE),
            Column("research_directions", "研究方向", "string", "中心的主要研究方向。" + _TEXT_NOTE),
            Column(
                "status",
                "状态",
                "string",
                _DERIVED + "数据截至日的状态，与网站显示的相同。",
                True,
                tuple(STATUSES.values()),
                derived=True,
            ),
            Column(
                "status_key", "状态代码", "string", _DERIVED + "状态的英文代码。", True, tuple(STATUSES), derived=True
            ),
            Column(
                "status_detail",
                "状态细分",
                "string",
                _DERIVED
                + "待验收的细分（已申请 N 天、申请期内、逾期未申请、未记录验收申请）或建设中的“期满日期记录不足”。",
                derived=True,
            ),
            Column(
                "status_detail_key",
                "状态细分代码",
                "string",
                _DERIVED + "状态细分的英文代码。",
                False,
                tuple(DETAILS),
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
            Column("next_deadline_due", "下一期限到期日", "date", _DERIVED + "下一期限的最后一天。", derived=True),
            Column(
                "next_deadline_state",
                "下一期限状态",
                "string",
                _DERIVED + "未到期、今日到期或已逾期。",
                False,
                ("未到期", "今日到期", "已逾期"),
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
        ),
        ("id",),
        center_rows,
    ),
    Table(
        "assessments",
        "考核",
        "年度绩效考核",
        "每个中心每个考核年度一行（第十八条）。",
        (
            Column("center_id", "中心标识", "string", "中心的标识，对应 centers.csv 的 id。", required=True),
            Column("center_name", "中心名称", "string", "数据截至日的中心名称。"),
            Column("year", "考核年度", "integer", "被考核的年度。", required=True),
            Column("grade", "考核等次", "string", "优秀、良好、合格、基本合格或不合格。", True, GRADES),
            Column("date", "结果日期", "date", "考核结果的日期。", required=True),
            Column("source", "出处", "string", "考核结果的文号、文件标题或网址。"),
            Column("source_url", "出处网址", "string", "考核结果的官方网址。"),
        ),
        ("center_id", "year"),
        assessment_rows,
    ),
    Table(
        "deadlines",
        "期限",
        "期限",
        "每个中心的每项期限一行，含已完成的（第十二条、第十八条、第十九条）。",
        (
            Column("center_id", "中心标识", "string", "中心的标识，对应 centers.csv 的 id。", required=True),
            Column(
                "key",
                "期限标识",
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
                "state",
                "状态代码",
                "string",
                _DERIVED
                + "open 未到期，due_today 今日到期，overdue 已逾期，met 已完成，passed 已届满，extended 已延期，"
                "unknown 记录不足、无法推算。",
                True,
                tuple(DEADLINE_STATES),
                derived=True,
            ),
            Column(
                "days",
                "天数",
                "integer",
                _DERIVED + "未到期时为剩余天数，已逾期时为逾期天数，其余为 0。",
                required=True,
                derived=True,
            ),
            Column("met_on", "完成日期", "date", "满足该期限的事件日期。"),
            Column(
                "provisional",
                "到期日暂定",
                "boolean",
                "到期日是否由尚未公布节假日安排的年份的工作日暂行推算（如公示期结束）（true/false）。",
                required=True,
            ),
            Column("center_name", "中心名称", "string", "数据截至日的中心名称。"),
            Column(
                "state_label",
                "状态",
                "string",
                _DERIVED + "期限状态的中文名称。",
                True,
                tuple(DEADLINE_STATES.values()),
                derived=True,
            ),
            _NOTE,
        ),
        ("center_id", "key"),
        deadline_rows,
    ),
)
FOREIGN_KEYS = {"assessments": ("center_id", "centers", "id"), "deadlines": ("center_id", "centers", "id")}
