"""JSON Schemas of the published JSON files, built from the same tables as the data.

Record fields point (`$ref`) into the record schemas published beside them
(schema/center.schema.json, schema/notice.schema.json), so a record field is described
once; derived fields are described here, with enums taken from the derivation's own
label tables so the schema cannot drift from the data.
"""

from __future__ import annotations

import json
from typing import Any

from generator.derive.deadlines import DEADLINE_STATES
from generator.derive.flags import FLAG_KINDS
from generator.derive.notices import NOTICE_STATES
from generator.derive.status import DETAILS, STATUSES
from generator.records.model import DIVISION_CODES, GRADES
from generator.records.schema import SCHEMA_DIR
from generator.render.opendata.common import SCHEMA_BASE
from generator.render.opendata.tables import DAYS_DESCRIPTION
from generator.render.opendata.versions import DATA_VERSION

DRAFT = "https://json-schema.org/draft/2020-12/schema"
RECORD_SCHEMAS = (
    "center.schema.json",
    "notice.schema.json",
    "registry.schema.json",
    "supervising-units.schema.json",
    "calendar.schema.json",
    "measures.schema.json",
)
CENTERS_SCHEMA = "centers-data.schema.json"
CENTER_SCHEMA = "center-data.schema.json"
NOTICES_SCHEMA = "notices-data.schema.json"

_DATE = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


def _date(title: str, description: str, nullable: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"title": title, "description": description, "$ref": "#/$defs/date"}
    if nullable:
        out = {"title": title, "description": description, "anyOf": [{"$ref": "#/$defs/date"}, {"type": "null"}]}
    return out


def _s(title: str, description: str, nullable: bool = False, **more: Any) -> dict[str, Any]:
    return {"title": title, "description": description, "type": ["string", "null"] if nullable else "string", **more}


def _i(title: str, description: str, nullable: bool = False, **more: Any) -> dict[str, Any]:
    return {"title": title, "description": description, "type": ["integer", "null"] if nullable else "integer", **more}


def _bool(title: str, description: str) -> dict[str, Any]:
    return {"title": title, "description": description, "type": "boolean"}


def _n(title: str, description: str, nullable: bool = False) -> dict[str, Any]:
    return {
        "title": title,
        "description": description,
        "type": ["number", "null"] if nullable else "number",
        "minimum": 0,
    }


def _obj(required: list[str], properties: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": required, "properties": properties, **more}


def _record(title: str, description: str, pointer: str) -> dict[str, Any]:
    return {"title": title, "description": description, "$ref": pointer}


def _header_properties() -> dict[str, Any]:
    return {
        "as_of": _date("数据截至", "推算状态与期限所依据的日期（北京时间）；文件中除记录中的日期外只有这一个日期。"),
        "generated_by": _s("生成程序", "生成本文件的程序。"),
        "license": _s("许可协议", "数据的许可协议（SPDX 标识）。", pattern="^[A-Za-z0-9.+-]+$"),
        "sample_data": {
            "title": "演示数据",
            "description": "为 true 时，所有记录均为虚构的演示样例。",
            "type": "boolean",
        },
        "measures": _obj(
            ["number", "title", "in_force_from", "expires", "expired", "note"],
            {
                "number": _s("文号", "本站实现其规则的办法的文号。"),
                "title": _s("标题", "该办法的标题。"),
                "in_force_from": _date("施行日期", "该办法的施行日期。", True),
                "expires": _date("失效日期", "该办法有效的最后一天（有效期届满或被废止的前一天）；未知为 null。", True),
                "expired": {
                    "title": "已不再有效",
                    "description": "为 true 时，数据截至日该办法已期满或被取代（第二十一条），文件中的每一项推算结果都依据已不再有效的办法。",
                    "type": "boolean",
                },
                "note": _s(
                    "说明", "办法已不再有效时，每一项推算结果附带的说明（含第二十一条）；有效时为 null。", nullable=True
                ),
            },
            title="所依据的办法",
            description="本站推算所依据的办法（忻科规〔2024〕4号）及其在数据截至日是否有效。",
        ),
        "version": {
            "title": "格式版本",
            "description": "数据格式的版本号（主版本.次版本.修订号）；主版本变化表示有字段含义或类型改变，"
            "见数据变更记录页（data/changelog.md）。",
            "const": DATA_VERSION,
        },
    }


#: The fields every JSON file starts with (document_header).
HEADER = ["as_of", "generated_by", "license", "sample_data", "measures", "version"]


def _common_defs() -> dict[str, Any]:
    return {"date": {"title": "日期", "description": "公历日期，格式 YYYY-MM-DD。", **_DATE}}


_DERIVED = {
    "title": "本站推算",
    "description": "恒为 true：这一项是本站推算的结果（按规则对记录的解读），不是记录的官方事实，以市科技局决定为准。",
    "const": True,
}


def _basis() -> dict[str, Any]:
    return _obj(
        ["rule_id", "article", "interpretation", "measures", "measures_expired"],
        {
            "rule_id": _s("规则标识", "推算所依据的规则（见规则说明页）。"),
            "article": _s("依据条款", "规则所依据的条款。", nullable=True),
            "interpretation": {
                "title": "本站解释",
                "description": "为 true 时，该规则含有本站对办法的解释（办法没有规定或规定不明），解释见规则说明页。",
                "type": "boolean",
            },
            "measures": _s("所依据的办法", "推算所依据的办法的文号。"),
            "measures_expired": {
                "title": "办法已不再有效",
                "description": "为 true 时，所依据的办法在数据截至日已期满或被取代（第二十一条）。",
                "type": "boolean",
            },
        },
        title="推算依据",
        description="推算所依据的规则、条款与办法。",
    )


def center_defs() -> dict[str, Any]:
    """$defs of one published center object (shared by the list and the one-center files)."""
    rec = "center.schema.json#/properties/"
    grade = {"enum": list(GRADES)}
    deadline = _obj(
        [
            "uid",
            "rule_id",
            "article",
            "title",
            "due",
            "state",
            "state_label",
            "days",
            "met_on",
            "provisional",
            "derived",
            "basis",
        ],
        {
            "uid": _s(
                "期限标识",
                "期限的稳定标识，与日历事件的 UID 和 deadlines.csv 的 uid 相同；到期日变化（如批准延期）时不变。",
                pattern="^[a-z0-9-]+\\.[a-z0-9.-]+@[a-z0-9-]+$",
            ),
            "rule_id": _s("规则标识", "推算该期限的规则（见规则说明页）。"),
            "article": _s("依据条款", "规则所依据的《管理办法》条款，如“第十二条”。", nullable=True),
            "title": _s("期限名称", "期限的中文名称，如“建设期满”“2026年度绩效考核”。"),
            "due": _date("到期日", "期限的最后一天（当日不算逾期）；记录不足、无法推算时为 null。", True),
            "state": {
                "title": "期限状态",
                "description": "open 未到期，due_today 今日到期，overdue 已逾期，met 已完成，"
                "passed 已届满（非义务性日期已过），extended 已延期，unknown 记录不足、无法推算（从不判为逾期）。",
                "enum": list(DEADLINE_STATES),
            },
            "state_label": {
                "title": "期限状态（中文）",
                "description": "期限状态的中文名称。",
                "enum": list(DEADLINE_STATES.values()),
            },
            "days": _i("天数", DAYS_DESCRIPTION, minimum=0),
            "met_on": _date(
                "完成日期",
                "满足该期限的事件日期（如提出验收申请、记录考核结果），已延期的期限为批准延期的日期；其余为 null。",
                True,
            ),
            "provisional": _bool(
                "到期日暂定",
                "为 true 时，到期日由尚未公布国务院节假日安排的年份的工作日暂行推算（未计调休），"
                "安排公布并录入名录后会更新。",
            ),
            "derived": _DERIVED,
            "basis": {"$ref": "#/$defs/basis"},
        },
    )
    center = _obj(
        [
            "id",
            "name",
            "former_names",
            "category",
            "field",
            "location",
            "division_code",
            "supervising_unit",
            "supervising_unit_id",
            "first_host_unit",
            "research_directions",
            "events",
            "event_measures",
            "measures",
            "page",
            "page_url",
            "status",
            "status_history",
            "deadlines",
            "ratings",
            "funding",
            "flags",
        ],
        {
            "id": _record("标识", "中心的稳定英文短标识，与记录文件名一致。", rec + "id"),
            "name": _s("中心名称", "数据截至日的名称（其后批准的更名尚未生效）。"),
            "former_names": {
                "title": "曾用名",
                "description": "经批准更名前使用的名称及更名日期（第二十条），按时间先后排列。",
                "type": "array",
                "items": _obj(
                    ["name", "renamed_on", "source"],
                    {
                        "name": _s("曾用名", "更名前的名称。"),
                        "renamed_on": _date("更名日期", "批准更名的日期；此前使用该名称。"),
                        "source": {
                            "title": "批准文件",
                            "description": "批准更名的文件（记录中的 source）。",
                            "anyOf": [{"$ref": "center.schema.json#/$defs/source"}, {"type": "null"}],
                        },
                    },
                ),
            },
            "category": _record("类别", "综合类或领域类（第三条、第四条）。", rec + "category"),
            "field": _record("技术领域", "中心所属的技术或产业领域。", rec + "field"),
            "location": _record("所在地", "中心所在的县级行政区划（或忻州经济开发区）。", rec + "location"),
            "division_code": {
                "title": "行政区划代码",
                "description": "所在地的六位县级行政区划代码；忻州经济开发区不是县级行政区划，为 null。",
                "enum": [*sorted(v for v in DIVISION_CODES.values() if v), None],
            },
            "supervising_unit": _record(
                "归口管理单位", "负责推荐、监督管理的单位（第七条）。", rec + "supervising_unit"
            ),
            "supervising_unit_id": {
                "title": "归口管理单位标识",
                "description": "归口管理单位在 units.csv 中的 id：单位更名后不变；名录中没有这个名称时为 null。",
                "type": ["string", "null"],
            },
            "first_host_unit": _record("第一依托单位", "牵头建设的独立法人单位（第九条）。", rec + "first_host_unit"),
            "co_building_units": _record("共建单位", "参与共建的单位（第九条）。", rec + "co_building_units"),
            "research_directions": _record("研究方向", "中心的主要研究方向。", rec + "research_directions"),
            "contact": _record("公开联系方式", "中心对外公开的办公联系方式。", rec + "contact"),
            "director": _record("中心负责人", "职称级别与申报时年龄（不含任何个人联系方式）。", rec + "director"),
            "application_conditions": _record(
                "申报条件", "申报时的基础条件（第九条）。", rec + "application_conditions"
            ),
            "institutions": _record("专业化创新研发机构", "综合类中心的研发机构（第三条）。", rec + "institutions"),
            "converted_from": _record(
                "转建来源", "由原市工程技术研究中心转建时的原中心（第四条）。", rec + "converted_from"
            ),
            "events": _record(
                "事件记录", "截至数据日已发生的事件，按记录中的先后顺序，字段与记录相同。", rec + "events"
            ),
            "event_measures": {
                "title": "事件的适用办法",
                "description": "events 中每一条事件（按 index 对应）作出时适用的办法，以及本站是否按其规则评判（judged）。"
                "2024年8月4日前的事实只按记录显示、不评判。",
                "type": "array",
                "items": _obj(
                    ["index", "measures", "judged"],
                    {
                        "index": _i("事件序号", "事件在 events 中的位置，从 0 起。", minimum=0),
                        "measures": _s("适用办法", "办法的文号；施行前且记录未写明的为 null。", nullable=True),
                        "judged": {
                            "title": "按本办法评判",
                            "description": "为 true 时，本站按忻科规〔2024〕4号的规则检查与推算这一事实。",
                            "type": "boolean",
                        },
                    },
                ),
            },
            "measures": _obj(
                ["legacy", "established_under"],
                {
                    "legacy": {
                        "title": "施行前设立",
                        "description": "为 true 时，中心在忻科规〔2024〕4号施行前（或依据其他办法）批准或认定。",
                        "type": "boolean",
                    },
                    "established_under": _s(
                        "设立依据的办法",
                        "施行前设立的中心所依据的办法的文号；记录未写明或不适用时为 null。",
                        nullable=True,
                    ),
                },
                title="适用办法",
                description="中心设立时适用的办法（第二十一条）。",
            ),
            "page": _s("页面路径", "中心页面相对于网站根地址的路径。", pattern="^centers/[a-z0-9-]+/$"),
            "page_url": _s("页面网址", "中心页面的完整网址；名录未设置网站地址时为 null。", nullable=True),
            "status": _obj(
                ["key", "label", "since", "provisional", "detail", "text", "derived", "basis"],
                {
                    "key": {"title": "状态代码", "description": "状态的英文代码。", "enum": list(STATUSES)},
                    "label": {
                        "title": "状态",
                        "description": "网站上显示的中文状态（第十二条及以后各条）。",
                        "enum": list(STATUSES.values()),
                    },
                    "since": _date("状态起始日期", "当前状态开始的日期。", True),
                    "provisional": _bool(
                        "起始日期暂定", "为 true 时，起始日期由公示期的暂行推算得出（该年节假日安排尚未公布）。"
                    ),
                    "detail": {
                        "title": "状态细分",
                        "description": "同一状态下的区分（待验收：已申请 N 天、申请期内、逾期未申请、未记录验收申请；"
                        "建设中：期满日期记录不足）；没有时为 null。",
                        "anyOf": [
                            _obj(
                                ["key", "label", "days"],
                                {
                                    "key": {
                                        "title": "细分代码",
                                        "description": "细分的英文代码。",
                                        "enum": list(DETAILS),
                                    },
                                    "label": _s("细分", "中文说明，如“已申请 12 天”。"),
                                    "days": _i(
                                        "天数", "已申请时为自提出验收申请至数据截至日的天数，其余为 null。", True
                                    ),
                                },
                            ),
                            {"type": "null"},
                        ],
                    },
                    "text": _s("状态全文", "状态与细分，如“待验收 · 逾期未申请”，与网站显示的相同。"),
                    "derived": _DERIVED,
                    "basis": {"$ref": "#/$defs/basis"},
                },
                title="状态",
                description="数据截至日的状态（本站推算）。",
            ),
            "status_history": {
                "title": "状态沿革",
                "description": "从第一条事件到数据截至日的各段状态，按时间先后排列。",
                "type": "array",
                "items": _obj(
                    ["key", "label", "start", "end", "provisional"],
                    {
                        "key": {"title": "状态代码", "description": "状态的英文代码。", "enum": list(STATUSES)},
                        "label": {"title": "状态", "description": "中文状态。", "enum": list(STATUSES.values())},
                        "start": _date("开始日期", "该状态的第一天。"),
                        "end": _date("结束日期", "该状态的最后一天；仍在持续为 null。", True),
                        "provisional": _bool(
                            "日期暂定", "为 true 时，开始或结束日期由公示期的暂行推算得出（该年节假日安排尚未公布）。"
                        ),
                    },
                ),
            },
            "deadlines": {
                "title": "期限",
                "description": "中心的各项期限，按到期日排列。",
                "type": "array",
                "items": {"$ref": "#/$defs/deadline"},
            },
            "ratings": _obj(
                ["annual", "evaluations", "latest", "excellent_streak", "fail_streak"],
                {
                    "annual": {
                        "title": "年度绩效考核",
                        "description": "按考核年度排列的年度绩效考核结果（第十八条）。",
                        "type": "array",
                        "items": _obj(
                            ["year", "grade", "date", "source"],
                            {
                                "year": _i("考核年度", "被考核的年度。"),
                                "grade": {"title": "等次", "description": "考核等次。", **grade},
                                "date": _date("记录日期", "考核结果的日期。"),
                                "source": _s("出处", "文号、文件标题或网址。", nullable=True),
                            },
                        ),
                    },
                    "evaluations": {
                        "title": "三年评估",
                        "description": "建设运行评估结果（第十九条），按日期排列。",
                        "type": "array",
                        "items": _obj(
                            ["date", "grade", "source"],
                            {
                                "date": _date("评估日期", "评估结果的日期。"),
                                "grade": {"title": "等次", "description": "评估等次。", **grade},
                                "source": _s("出处", "文号、文件标题或网址。", nullable=True),
                            },
                        ),
                    },
                    "latest": {
                        "title": "最近考核",
                        "description": "最近一个考核年度及其等次；没有考核为 null。",
                        "anyOf": [
                            _obj(
                                ["year", "grade"],
                                {
                                    "year": _i("考核年度", "最近的考核年度。"),
                                    "grade": {"title": "等次", "description": "该年度等次。", **grade},
                                },
                            ),
                            {"type": "null"},
                        ],
                    },
                    "excellent_streak": _i(
                        "连续优秀年数", "截至最近考核年度连续“优秀”的年数；缺一年即中断。", minimum=0
                    ),
                    "fail_streak": _i(
                        "连续不合格年数", "截至最近考核年度连续“不合格”的年数；连续2年应撤销（第十八条）。", minimum=0
                    ),
                },
                title="考核评估",
                description="考核与评估结果及其连续情况。",
            ),
            "funding": _obj(
                ["entitlements", "granted", "granted_wan", "outstanding_wan", "legacy"],
                {
                    "entitlements": {
                        "title": "应获支持",
                        "description": "按第十三条应获的建设经费与优秀奖励，及记录中对应的拨付。",
                        "type": "array",
                        "items": _obj(
                            [
                                "kind",
                                "amount_wan",
                                "due_on",
                                "due_reason",
                                "granted_on",
                                "granted_amount_wan",
                                "derived",
                                "basis",
                            ],
                            {
                                "kind": {
                                    "title": "经费类别",
                                    "description": "建设经费或优秀奖励。",
                                    "enum": ["建设经费", "优秀奖励"],
                                },
                                "amount_wan": _n("金额（万元）", "办法规定的金额。"),
                                "due_on": _date(
                                    "应获日期", "使其应获的事实的日期：批准建设之日，或第三个连续“优秀”考核结果之日。"
                                ),
                                "due_reason": _s("应获缘由", "何时、因何应获，文字说明。"),
                                "granted_on": _date("拨付日期", "记录的拨付日期；未记录拨付为 null。", True),
                                "granted_amount_wan": _n("拨付金额（万元）", "记录的拨付金额；未拨付为 null。", True),
                                "derived": _DERIVED,
                                "basis": {"$ref": "#/$defs/basis"},
                            },
                        ),
                    },
                    "granted": {
                        "title": "已拨付",
                        "description": "记录中的经费支持事件。",
                        "type": "array",
                        "items": _obj(
                            ["date", "funding_kind", "amount_wan", "source"],
                            {
                                "date": _date("拨付日期", "经费支持事件的日期。"),
                                "funding_kind": {
                                    "title": "经费类别",
                                    "description": "建设经费、优秀奖励或其他。",
                                    "enum": ["建设经费", "优秀奖励", "其他"],
                                },
                                "amount_wan": _n("金额（万元）", "拨付金额。"),
                                "source": _s("出处", "文号、文件标题或网址。", nullable=True),
                            },
                        ),
                    },
                    "granted_wan": _n("已拨付合计（万元）", "记录中所有经费支持的合计。"),
                    "outstanding_wan": _n("应拨未拨（万元）", "应获支持中尚无拨付记录的合计（本站推算）。"),
                    "legacy": {
                        "title": "施行前设立",
                        "description": "为 true 时，中心在本办法施行前设立，第十三条的10万元建设经费不推算（本站解释）。",
                        "type": "boolean",
                    },
                },
                title="经费支持",
                description="第十三条的经费支持：应获与已拨付。",
            ),
            "flags": {
                "title": "提示",
                "description": "读者应注意的情况（应予撤销、优先支持、申报条件、逾期、适用办法等），各附规则与条款。",
                "type": "array",
                "items": _obj(
                    ["rule_id", "kind", "kind_label", "article", "title", "statement", "message", "derived", "basis"],
                    {
                        "rule_id": _s("规则标识", "产生该提示的规则。"),
                        "kind": {"title": "提示类别", "description": "提示类别代码。", "enum": list(FLAG_KINDS)},
                        "kind_label": {
                            "title": "提示类别（中文）",
                            "description": "提示类别的中文名称。",
                            "enum": list(FLAG_KINDS.values()),
                        },
                        "article": _s("依据条款", "规则所依据的条款。", nullable=True),
                        "title": _s("规则名称", "规则的中文名称。"),
                        "statement": _s(
                            "提示",
                            "标明为本站推算的提示，如“按第十二条应予撤销（本站推算，以市科技局决定为准）”。",
                        ),
                        "message": _s("提示内容", "针对该中心的具体说明。"),
                        "derived": _DERIVED,
                        "basis": {"$ref": "#/$defs/basis"},
                    },
                ),
            },
        },
        title="中心",
        description="一个中心的记录字段与截至数据日的推算结果。",
    )
    return {**_common_defs(), "center": center, "deadline": deadline, "basis": _basis()}


def _document(
    schema_id: str,
    title: str,
    description: str,
    key: str,
    key_title: str,
    key_description: str,
    item: str,
    defs: dict[str, Any],
) -> dict[str, Any]:
    """A data file: the shared header (as-of date, licence, ...) and one list of items."""
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_BASE + schema_id,
        "title": title,
        "description": description,
        **_obj(
            [*HEADER, key],
            {
                **_header_properties(),
                key: {
                    "title": key_title,
                    "description": key_description,
                    "type": "array",
                    "items": {"$ref": f"#/$defs/{item}"},
                },
            },
        ),
        "$defs": defs,
    }


def centers_schema() -> dict[str, Any]:
    return _document(
        CENTERS_SCHEMA,
        "中心开放数据（data/centers.json）",
        "全部中心的记录字段与推算结果（状态、期限、考核、经费、提示）。",
        "centers",
        "中心",
        "全部中心，按标识排序。",
        "center",
        center_defs(),
    )


def center_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_BASE + CENTER_SCHEMA,
        "title": "单个中心开放数据（data/centers/<标识>.json）",
        "description": "与 data/centers.json 相同的文件头，和一个中心的对象（与 centers 列表的元素相同）。",
        **_obj(
            [*HEADER, "center"],
            {
                **_header_properties(),
                "center": {
                    "title": "中心",
                    "description": "一个中心的记录字段与截至数据日的推算结果。",
                    "$ref": CENTERS_SCHEMA + "#/$defs/center",
                },
            },
        ),
        "$defs": _common_defs(),
    }


def notices_schema() -> dict[str, Any]:
    rec = "notice.schema.json#/properties/"
    notice = _obj(
        [
            "id",
            "title",
            "issuer",
            "issue_date",
            "subject",
            "entries",
            "objection",
            "contact",
            "period",
            "state",
            "state_label",
            "working_days_left",
            "page",
            "page_url",
        ],
        {
            **{
                key: _record(title, description, rec + key)
                for key, title, description in (
                    ("id", "标识", "公示的稳定英文短标识。"),
                    ("title", "标题", "公示标题。"),
                    ("issuer", "发布机关", "发布公示的机关。"),
                    ("document_number", "文号", "公示的文号。"),
                    ("issue_date", "发布日期", "公示发布日期。"),
                    ("subject", "公示事项", "拟批准建设、拟通过验收、考核评估结果或拟撤销。"),
                    ("basis", "公示依据", "公示所依据的文件。"),
                    ("procedure", "工作程序", "公示前已履行的程序。"),
                    ("entries", "公示名单", "按公示原文列出的名单。"),
                    ("objection", "异议方式", "提出异议的方式与要求。"),
                    ("contact", "联系方式", "受理异议的科室、电话、邮箱与地址。"),
                    ("url", "原文网址", "公示原文的网址。"),
                    ("outcome", "公示结果", "公示期满后的结果。"),
                )
            },
            "period": _obj(
                ["start", "end", "working_days", "provisional", "stated"],
                {
                    "start": _date("开始日期", "公示期第一天。"),
                    "end": _date("结束日期", "公示期最后一天（写明的，或按工作日推算的）。"),
                    "working_days": _i("工作日数", "公示期内的工作日数（含首尾两天）。", minimum=0),
                    "provisional": _bool(
                        "工作日暂定",
                        "为 true 时，公示期涉及尚未公布国务院节假日安排的年份，工作日按法定节假日暂行推算（未计调休）；"
                        "stated 为 false 时结束日期也是暂定的。安排公布并录入名录后会更新。",
                    ),
                    "stated": {
                        "title": "公示写明结束日期",
                        "type": "boolean",
                        "description": "为 true 时结束日期取自公示原文，否则按默认5个工作日推算（第十二条，本站解释）。",
                    },
                },
                title="公示期",
                description="公示期：写明的或推算的起止日期。",
            ),
            "state": {
                "title": "公示状态代码",
                "description": "upcoming 即将开始，active 公示中，result_pending 结果待公布（公示期已结束，名录中还没有数据截至日前公布的公示结果；本站推算，规则 notice.result-pending），ended 已结束（已记录公示结果）。",
                "enum": list(NOTICE_STATES),
            },
            "state_label": {
                "title": "公示状态",
                "description": "公示状态的中文名称。",
                "enum": list(NOTICE_STATES.values()),
            },
            "working_days_left": _i(
                "剩余工作日", "从数据截至日（含）到公示期结束（含）的工作日数；公示期结束后为 0。", minimum=0
            ),
            "page": _s("页面路径", "公示页面相对于网站根地址的路径。", pattern="^notices/[a-z0-9-]+/$"),
            "page_url": _s("页面网址", "公示页面的完整网址；名录未设置网站地址时为 null。", nullable=True),
        },
        title="公示",
        description="一份公示的记录字段与截至数据日的公示期、状态。",
    )
    return _document(
        NOTICES_SCHEMA,
        "公示开放数据（data/notices.json）",
        "全部公示的记录字段、公示期与状态，最新的在前。",
        "notices",
        "公示",
        "全部公示，按发布日期从新到旧排列。",
        "notice",
        {**_common_defs(), "notice": notice},
    )


def record_schemas() -> dict[str, bytes]:
    """The record schemas exactly as in the repository's schema/ folder."""
    return {name: (SCHEMA_DIR / name).read_bytes() for name in RECORD_SCHEMAS}


def load_record_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


#: Output file → (published schema, builder), for the build and the data dictionary.
OUTPUT_SCHEMAS = {
    CENTERS_SCHEMA: centers_schema,
    CENTER_SCHEMA: center_schema,
    NOTICES_SCHEMA: notices_schema,
}
