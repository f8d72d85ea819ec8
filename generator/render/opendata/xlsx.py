"""data/centers.xlsx: the tables of tables.py as an Excel workbook, written fast.

The workbook stores every text as a text cell (never a formula), so it needs no apostrophe.
xlsxwriter keeps each cell as an object and writes its XML through several calls per cell:
the 800,000 cells of 10,000 centers took 8 s. Here a worksheet takes whole columns and writes
the same <sheetData> in one pass (rows with their spans, cells with their style and
shared-string index, strings registered in the order xlsxwriter registers them), and the
shared strings that need no escaping are written as they are; everything else is still
xlsxwriter's. Both replace private methods of the pinned xlsxwriter (3.3.1), so
tests/test_opendata.py compares the bytes with a workbook written cell by cell.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any, Literal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from generator.derive.facts import RegistryFacts
from generator.render.opendata.common import display_width, license_info
from generator.render.opendata.tables import TABLES
from generator.render.opendata.versions import DATA_VERSION

CellKind = Literal["string", "number", "date"]
ABOUT_SHEET = "说明"
_CHUNK_ROWS = 4096  # rows whose cells' XML exists at once; a multiple of 16, the blocks of "spans"
#: What makes xlsxwriter write a shared string other than as <si><t>text</t></si>: an _xHHHH_
#: escape, a control or non-character, XML markup, a quote or newline, edge whitespace.
_NOT_PLAIN = re.compile(r'_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff"&<>\n]|^\s|\s$')


class ColumnSheet(Worksheet):
    """A worksheet whose columns are given whole, in order, each under a one-cell header.

    A column is kept as its values (shared-string indices or numbers) until the sheet is
    written; the cells' XML is made then, a few thousand rows at a time, and the values are
    let go: at 10,000 centers the XML of every cell of every sheet held at once took
    hundreds of megabytes.
    """

    def __init__(self) -> None:
        super().__init__()
        # per column: its letter, cell style attribute, header cell, "s" or "n", and its values
        self._columns: list[tuple[str, str, str, str, list[Any]]] = []

    def _shared(self, texts: Sequence[str | None]) -> list[int | None]:
        """The shared-string index of each text, truncated and registered as write_string() does."""
        limit = self.xls_strmax
        longest = max(map(len, filter(None, texts)), default=0)
        if longest > limit // 2 and any(text and _utf16_len(text) > limit for text in texts):
            texts = [None if text is None else _utf16_truncate(text, limit) for text in texts]
        table = self.str_table
        index = table.string_table
        add = index.setdefault
        indices = [None if text is None else add(text, len(index)) for text in texts]
        table.unique_count = len(index)
        table.count += len(indices) - indices.count(None)
        return indices

    def write_column(
        self, title: str, header: Format, kind: CellKind, values: Sequence[Any], cell_format: Format | None = None
    ) -> None:
        """`title` in row 0, then one cell per value from row 1 (None: no cell).

        Strings become shared strings, numbers numbers and dates Excel serial dates, as
        write_string(), write_number() and write_datetime() make them.
        """
        col = len(self._columns)
        letter = xl_col_to_name(col)
        head = f'<c r="{letter}1" s="{header._get_xf_index()}" t="s"><v>{self._shared([title])[0]}</v></c>'
        style = f' s="{cell_format._get_xf_index()}"' if cell_format and any(v is not None for v in values) else ""
        if kind == "string":
            data: list[Any] = self._shared(values)
        elif kind == "date":
            serials = {
                day: self._convert_date_time(dt.datetime.combine(day, dt.time())) for day in set(values) - {None}
            }
            data = [None if day is None else serials[day] for day in values]
        else:
            data = list(values)
        self._check_dimensions(0, col)
        self._check_dimensions(next((i + 1 for i in range(len(data) - 1, -1, -1) if data[i] is not None), 0), col)
        self._columns.append((letter, style, head, "s" if kind == "string" else "n", data))

    def _cells(self, column: tuple[str, str, str, str, list[Any]], start: int, stop: int) -> list[str]:
        """The XML of the column's cells in rows start..stop-1 (0 is the header), "" for none."""
        letter, style, head, kind, data = column
        out, first = ([head], 1) if start == 0 else ([], start)
        part = data[first - 1 : stop - 1]
        if kind == "s":
            out += [
                "" if i is None else f'<c r="{letter}{row}"{style} t="s"><v>{i}</v></c>'
                for row, i in enumerate(part, first + 1)
            ]
        else:
            out += [
                "" if n is None else f'<c r="{letter}{row}"{style}><v>{n:.16G}</v></c>'
                for row, n in enumerate(part, first + 1)
            ]
        return out

    def _write_sheet_data(self) -> None:
        """The rows of cells, with the "spans" xlsxwriter gives each block of 16 rows."""
        if not self._columns:
            self._xml_empty_tag("sheetData")
            return
        count = len(self._columns[0][4]) + 1  # the header and the values
        self.fh.write("<sheetData>")
        for chunk in range(0, count, _CHUNK_ROWS):
            rows = list(zip(*(self._cells(c, chunk, min(chunk + _CHUNK_ROWS, count)) for c in self._columns)))
            out = []
            for start in range(0, len(rows), 16):
                block = rows[start : start + 16]
                used = [col for col in range(len(self._columns)) if any(row[col] for row in block)]
                for number, cells in enumerate(block, chunk + start + 1):
                    if any(cells):
                        out.append(f'<row r="{number}" spans="{used[0] + 1}:{used[-1] + 1}">{"".join(cells)}</row>')
            self.fh.write("".join(out))
        self.fh.write("</sheetData>")
        self._columns = []  # written: let the values go


class _SharedStrings(SharedStrings):
    def _write_sst_strings(self) -> None:
        write = self.fh.write
        for string in self.string_table.string_array:
            if _NOT_PLAIN.search(string):
                self._write_si(string)
            else:
                write(f"<si><t>{string}</t></si>")


class _Packager(Packager):
    def _write_shared_strings_file(self) -> None:
        if not self.workbook.str_table.count:
            return
        sst = _SharedStrings()
        sst.string_table = self.workbook.str_table
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


class _Workbook(xlsxwriter.Workbook):
    def _get_packager(self) -> Packager:
        return _Packager()


def render_xlsx(facts: RegistryFacts, tables: dict[str, list[tuple[Any, ...]]]) -> bytes:
    """A 说明 sheet, then one sheet per table: Chinese headers, frozen header row,
    autofilter, CJK-aware widths. The workbook opens on the first table. The tables'
    as_of and sample_data columns, the same on every row, are said once, on the 说明 sheet.

    In-memory mode gives every zip member xlsxwriter's fixed 1980-01-01 timestamp, and the
    document properties are dated to the as-of date, so the bytes depend on the data only.
    """
    buffer = io.BytesIO()
    book = _Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    settings = facts.settings.data
    spdx, _, _ = license_info(facts)
    book.set_properties(
        {
            "title": settings.get("title", "忻州市技术创新中心名录"),
            "subject": f"开放数据，数据截至 {facts.as_of.isoformat()}",
            "author": settings.get("publisher", ""),
            "company": settings.get("publisher", ""),
            "comments": f"许可协议 {spdx}；数据格式版本 {DATA_VERSION}；由 data/centers.csv 等同一份数据生成。",
            "created": dt.datetime.combine(facts.as_of, dt.time()),
        }
    )
    header = book.add_format({"bold": True, "bg_color": "#E8EAF6", "border": 1, "valign": "top"})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    _about_sheet(book, facts, header)
    for table in TABLES:
        rows = tables[table.name]
        sheet = book.add_worksheet(table.sheet, worksheet_class=ColumnSheet)
        for col, column in enumerate(table.fields):  # not META_COLUMNS: the 说明 sheet says them once
            _write(sheet, col, column.title, column.type, [row[col] for row in rows], header, date_format)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(table.fields) - 1)
        if table is TABLES[0]:
            sheet.activate()
    book.close()
    return buffer.getvalue()


def _write(
    sheet: ColumnSheet, col: int, title: str, kind: str, values: list[Any], header: Format, date_format: Format
) -> None:
    """One column of values under its title, and a width that fits the widest text."""
    widest = display_width(title)
    if kind == "date":
        sheet.write_column(title, header, "date", values, date_format)
        texts = {value.isoformat() for value in set(values) if value is not None}
    elif kind in ("integer", "number"):
        sheet.write_column(title, header, "number", values)
        texts = {str(value) for value in values if value is not None}
    else:
        strings = (
            [None if value is None else "是" if value else "否" for value in values]
            if kind == "boolean"
            else [None if value is None else str(value) for value in values]
        )
        sheet.write_column(title, header, "string", strings)
        texts = set(strings) - {None}
    for text in texts:
        if 2 * len(text) > widest:  # cannot be wider otherwise: skip the per-character count
            widest = max(widest, display_width(text))
    sheet.set_column(col, col, min(max(widest + 2, 6), 60))


def about_rows(facts: RegistryFacts) -> list[tuple[str, str]]:
    """(item, value) rows of the 说明 sheet: what a saved workbook must say about itself."""
    spdx, _, title = license_info(facts)
    return [
        ("数据截至", facts.as_of.isoformat()),
        ("演示数据", "是（所有记录均为虚构的演示样例）" if facts.settings.sample_data else "否"),
        ("数据格式版本", DATA_VERSION),
        ("发布者", str(facts.settings.data.get("publisher", "忻州市科学技术局"))),
        ("许可协议", f"{title}（{spdx}）"),
        (
            "说明",
            f"状态、期限与提示由本站按{facts.measures.cited}推算，以市科技局决定为准。"
            + (f"{facts.derived_note}。" if facts.derived_note else ""),
        ),
        *((f"工作表“{t.sheet}”", f"{t.description}（与 {t.path} 相同）") for t in TABLES),
    ]


def _about_sheet(book: xlsxwriter.Workbook, facts: RegistryFacts, header: Format) -> None:
    sheet = book.add_worksheet(ABOUT_SHEET, worksheet_class=ColumnSheet)
    rows = about_rows(facts)
    for col, (title, values) in enumerate((("项目", [r[0] for r in rows]), ("内容", [r[1] for r in rows]))):
        sheet.write_column(title, header, "string", values)
        sheet.set_column(col, col, 16 if col == 0 else 100)
