"""data/templates/<kind>.xlsx: the workbooks officers fill in for `python -m generator import`.

One workbook per kind of official list (records/lists.py): the sheet “名单” has the columns
the importer reads, with drop-down lists for the grade or result and for the center names
(the centers such a list can name on the as-of date, from a hidden sheet; another name,
such as a former one, is still accepted after a warning), and the sheet “说明” says what
each column means and how the file is imported. Written with xlsxwriter's public API only;
the document properties are dated to the as-of date and xlsxwriter's in-memory zip dates
every member 1980-01-01, so the bytes depend on the registry and the date only.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

from generator.derive.facts import RegistryFacts
from generator.records.lists import COLUMNS, LIST_KINDS, ListKind

ROWS = 300  # rows with drop-downs: more than a city's list will have
NAMES_SHEET = "中心名单"

#: The centers each kind of list can name, by derived status on the as-of date.
STATUSES = {
    "assessment": ("operating",),
    "evaluation": ("operating",),
    "approval": ("applying", "publicity", "pending"),
    "acceptance": ("construction", "extended", "awaiting_acceptance"),
}
_WIDTHS = {"seq": 6, "name": 40, "credit_code": 22, "year": 8, "grade": 10, "result": 10, "note": 30}


def template_path(kind: str) -> str:
    return f"data/templates/{kind}.xlsx"


def _names(facts: RegistryFacts, kind: str) -> list[str]:
    wanted = STATUSES[kind]
    return sorted({c.center.name for c in facts.centers if c.status in wanted})


def render_template(facts: RegistryFacts, kind: ListKind) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    book.set_properties(
        {
            "title": f"{kind.title}导入模板",
            "subject": f"python -m generator import {kind.name}；中心名单截至 {facts.as_of.isoformat()}",
            "author": facts.settings.data.get("publisher", ""),
            "created": dt.datetime.combine(facts.as_of, dt.time()),
        }
    )
    header = book.add_format({"bold": True, "bg_color": "#E8EAF6", "border": 1})
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("名单")
    names = _names(facts, kind.name)
    for col, key in enumerate(kind.columns):
        column = COLUMNS[key]
        sheet.write_string(0, col, column.title, header)
        sheet.set_column(col, col, _WIDTHS.get(key, 14), text if key != "year" else None)
        last = ROWS
        options: dict[str, Any]
        if key == "name":
            options = {
                "validate": "list",
                "source": f"='{NAMES_SHEET}'!$A$2:$A${max(len(names), 1) + 1}",
                "error_type": "warning",
                "error_title": "不在名单中",
                "error_message": "这个名称不在当前可选的中心中。若是曾用名或新近变化的名称，可以继续；否则请从下拉列表选择。",
            }
        elif key in ("grade", "result"):
            options = {
                "validate": "list",
                "source": list(kind.values),
                "error_title": "取值无效",
                "error_message": f"请从下拉列表选择：{'、'.join(kind.values)}",
            }
        elif key == "year":
            options = {
                "validate": "integer",
                "criteria": "between",
                "minimum": 2000,
                "maximum": 2100,
                "error_title": "年度无效",
                "error_message": "请填写四位年份，如 2025。",
            }
        else:
            continue
        options["input_title"] = column.title
        options["input_message"] = column.help[:255]
        sheet.data_validation(1, col, last, col, options)
    sheet.freeze_panes(1, 0)
    _guide(book, kind, wrap, header)
    lists = book.add_worksheet(NAMES_SHEET)
    lists.write_string(0, 0, "中心名称", header)
    for row, name in enumerate(names, 1):
        lists.write_string(row, 0, name)
    lists.set_column(0, 0, 44)
    lists.hide()
    sheet.activate()
    book.close()
    return buffer.getvalue()


def _guide(book: xlsxwriter.Workbook, kind: ListKind, wrap: Format, header: Format) -> None:
    guide = book.add_worksheet("说明")
    guide.set_column(0, 0, 18)
    guide.set_column(1, 1, 90)
    source = "文号（必填）" if kind.needs_document else "文号"
    lines = [
        ("用途", f"{kind.title}（{kind.article}）的导入模板：每个中心一行，填好后由维护者导入名录。"),
        (
            "填写",
            "在“名单”工作表中从第 2 行起填写；中心名称可从下拉列表选择，也可粘贴（须与名录中的名称或曾用名一致）。",
        ),
        ("数值", "请填写数值，不要使用公式；从其他表格复制时请用“选择性粘贴 → 数值”。"),
        ("出处", f"导入时要给出公布该名单的{source}、网址和印发日期，写入每条记录的出处。"),
        ("导入", f"python -m generator import {kind.name} 名单.xlsx --source 文号 --date 印发日期"),
        ("或者", "在仓库的议题（Issues）中选择对应的“导入”表单，附上本文件或粘贴表格，维护者审核后生成拉取请求。"),
    ]
    lines += [(f"“{COLUMNS[key].title}”列", COLUMNS[key].help) for key in kind.columns]
    guide.write_string(0, 0, "项目", header)
    guide.write_string(0, 1, "说明", header)
    for row, (title, text) in enumerate(lines, 1):
        guide.write_string(row, 0, title)
        guide.write_string(row, 1, text, wrap)


def render_templates(facts: RegistryFacts) -> dict[str, bytes]:
    """Every kind's template workbook, by its path under docs/."""
    return {template_path(kind.name): render_template(facts, kind) for kind in LIST_KINDS.values()}
