"""Official result lists: the columns officers use, and the event each row becomes.

The Bureau publishes results as lists (a year's assessment grades, an evaluation round, an
approval batch, acceptance results). This table is what the importer reads
(generator/importer/) and what the template workbooks offer (render/opendata/list_templates.py),
so the file an officer fills in is the file the importer understands.

A column is known by its key; a header matches a key when, with spaces, asterisks and any
bracketed note removed (“中心名称（必填）”), it is the title or one of the synonyms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.records.model import GRADES

RESULTS = ("通过", "未通过")


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # the header of the template workbook
    synonyms: tuple[str, ...]
    help: str


#: Every column a list may have; which ones a kind reads is in `ListKind.columns`.
COLUMNS = {
    c.key: c
    for c in (
        Column("seq", "序号", ("编号", "排序"), "可不填；导入时不读取。"),
        Column(
            "name",
            "中心名称",
            ("名称", "中心", "技术创新中心名称", "市技术创新中心名称", "创新中心名称", "平台名称"),
            "中心的现用名称或曾用名，与名录中的写法一致；模板中可从下拉列表选择。",
        ),
        Column(
            "credit_code",
            "统一社会信用代码",
            ("信用代码", "社会信用代码", "依托单位统一社会信用代码", "牵头单位统一社会信用代码"),
            "第一依托单位（牵头单位）的18位统一社会信用代码；可不填，填写时须与名录一致。",
        ),
        Column("id", "标识", ("中心标识", "记录标识", "id"), "名录中的中心标识（如 sample-nongmu）；可不填。"),
        Column("year", "年度", ("考核年度", "年份"), "被考核的年度，如 2025。"),
        Column(
            "grade",
            "等次",
            ("考核等次", "考核结果", "评估等次", "评估结果", "等级", "结果", "绩效考核结果"),
            "优秀、良好、合格、基本合格、不合格之一。",
        ),
        Column("result", "验收结果", ("结果", "验收结论", "结论"), "通过或未通过。"),
        Column(
            "date",
            "日期",
            ("发文日期", "印发日期", "批准日期", "验收日期", "考核日期", "评估日期"),
            "文件印发日期（YYYY-MM-DD）；可不填，不填时用命令行的 --date。",
        ),
        Column("document_number", "文号", ("批准文号", "发文文号", "文件文号"), "可不填，不填时用命令行的 --source。"),
        Column("note", "备注", ("说明",), "可不填；写入事件的说明。"),
    )
}
IDENTIFYING = ("id", "name", "credit_code")


@dataclass(frozen=True)
class ListKind:
    """One kind of official list and the center event each of its rows records."""

    name: str  # the command-line word
    title: str  # 年度绩效考核结果
    event_kind: str
    article: str
    columns: tuple[str, ...]  # the template's columns, in order
    value: str | None  # the column that holds the result (grade or result), if any
    values: tuple[str, ...]  # what that column may say
    needs_document: bool = False  # the event's source must have a document number

    def event(self, date: str, row: Mapping[str, str], source: Mapping[str, str], year: int | None) -> dict[str, Any]:
        """The event a settled row becomes (keys in the canonical order)."""
        event: dict[str, Any] = {"date": date, "kind": self.event_kind}
        if self.event_kind == "annual_assessment":
            event["year"] = year
        if self.value:
            event[self.value] = row[self.value]
        event["source"] = dict(source)
        if row.get("note"):
            event["note"] = row["note"]
        return event


LIST_KINDS = {
    k.name: k
    for k in (
        ListKind(
            "assessment",
            "年度绩效考核结果",
            "annual_assessment",
            "第十八条",
            ("seq", "name", "credit_code", "year", "grade", "note"),
            "grade",
            GRADES,
        ),
        ListKind(
            "evaluation",
            "三年评估结果",
            "evaluation",
            "第十九条",
            ("seq", "name", "credit_code", "grade", "note"),
            "grade",
            GRADES,
        ),
        ListKind(
            "approval",
            "批准建设名单",
            "approval",
            "第十二条",
            ("seq", "name", "credit_code", "note"),
            None,
            (),
            needs_document=True,
        ),
        ListKind(
            "acceptance",
            "验收结果",
            "acceptance",
            "第十二条",
            ("seq", "name", "credit_code", "result", "note"),
            "result",
            RESULTS,
        ),
    )
}

#: What each kind may read besides its template columns (officers' lists vary).
OPTIONAL_COLUMNS = ("id", "date", "document_number")

_NOTE = re.compile(r"[（(［\[【][^）)］\]】]*[）)］\]】]")
_SPACE = re.compile(r"[\s\u3000*＊:：]+")


def header_key(text: str, kind: ListKind) -> str | None:
    """The column key a header names for this kind of list, or None."""
    plain = _SPACE.sub("", _NOTE.sub("", text)).lower()
    if not plain:
        return None
    wanted = [*kind.columns, *OPTIONAL_COLUMNS]
    for key in wanted:  # titles first: "结果" is a synonym of both grade and result
        if plain == COLUMNS[key].title.lower():
            return key
    for key in wanted:
        if plain in (s.lower() for s in COLUMNS[key].synonyms):
            return key
    return None


#: Ways officers write an acceptance result, and what the record says.
RESULT_WORDS = {"通过": "通过", "验收通过": "通过", "通过验收": "通过", "未通过": "未通过", "不通过": "未通过"}
RESULT_WORDS |= {"未通过验收": "未通过", "验收不通过": "未通过", "验收未通过": "未通过"}


def normal_value(kind: ListKind, text: str) -> str | None:
    """The grade or result a cell says, as the record writes it, or None if it says none."""
    plain = _SPACE.sub("", text)
    if kind.value == "result":
        return RESULT_WORDS.get(plain)
    return plain if plain in kind.values else None
