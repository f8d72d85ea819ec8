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

CellKind = Literal["string", "number", "date"]
#: What makes xlsxwriter write a shared string other than as <si><t>text</t></si>: an _xHHHH_
#: escape, a control or non-character, XML markup, a quote or newline, edge whitespace.
_NOT_PLAIN = re.compile(r'_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff"&<>\n]|^\s|\s$')


class ColumnSheet(Worksheet):
    """A worksheet whose columns are given whole, in order, each under a one-cell header."""

    def __init__(self) -> None:
        super().__init__()
        self._cells: list[list[str]] = []  # per column, the XML of each row's cell ("" for none)

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
        col = len(self._cells)
        letter = xl_col_to_name(col)
        cells = [f'<c r="{letter}1" s="{header._get_xf_index()}" t="s"><v>{self._shared([title])[0]}</v></c>']
        style = f' s="{cell_format._get_xf_index()}"' if cell_format and any(v is not None for v in values) else ""
        if kind == "string":
            cells += [
                "" if i is None else f'<c r="{letter}{row}"{style} t="s"><v>{i}</v></c>'
                for row, i in enumerate(self._shared(values), 2)
            ]
        else:
            if kind == "date":
                serials = {
                    day: self._convert_date_time(dt.datetime.combine(day, dt.time())) for day in set(values) - {None}
                }
                values = [None if day is None else serials[day] for day in values]
            cells += [
                "" if number is None else f'<c r="{letter}{row}"{style}><v>{number:.16G}</v></c>'
                for row, number in enumerate(values, 2)
            ]
        self._check_dimensions(0, col)
        self._check_dimensions(next(row for row in range(len(cells) - 1, -1, -1) if cells[row]), col)
        self._cells.append(cells)

    def _write_sheet_data(self) -> None:
        """The rows of cells, with the "spans" xlsxwriter gives each block of 16 rows."""
        if not self._cells:
            self._xml_empty_tag("sheetData")
            return
        rows = list(zip(*self._cells))
        out = ["<sheetData>"]
        for start in range(0, len(rows), 16):
            block = rows[start : start + 16]
            used = [col for col in range(len(self._cells)) if any(row[col] for row in block)]
            for number, cells in enumerate(block, start + 1):
                if any(cells):
                    out.append(f'<row r="{number}" spans="{used[0] + 1}:{used[-1] + 1}">{"".join(cells)}</row>')
        out.append("</sheetData>")
        self.fh.write("".join(out))


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


def render_xlsx(facts: RegistryFacts, tables: dict[str, list[dict[str, Any]]]) -> bytes:
    """One sheet per table, Chinese headers, frozen header row, autofilter, CJK-aware widths.

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
            "comments": f"许可协议 {spdx}；由 data/centers.csv 等同一份数据生成。",
            "created": dt.datetime.combine(facts.as_of, dt.time()),
        }
    )
    header = book.add_format({"bold": True, "bg_color": "#E8EAF6", "border": 1, "valign": "top"})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for table in TABLES:
        rows = tables[table.name]
        sheet = book.add_worksheet(table.sheet, worksheet_class=ColumnSheet)
        for col, column in enumerate(table.columns):
            widest = display_width(column.title)
            values = [row[column.name] for row in rows]
            if column.type == "date":
                sheet.write_column(column.title, header, "date", values, date_format)
                texts = {value.isoformat() for value in set(values) if value is not None}
            elif column.type in ("integer", "number"):
                sheet.write_column(column.title, header, "number", values)
                texts = {str(value) for value in values if value is not None}
            else:
                strings = (
                    [None if value is None else "是" if value else "否" for value in values]
                    if column.type == "boolean"
                    else [None if value is None else str(value) for value in values]
                )
                sheet.write_column(column.title, header, "string", strings)
                texts = set(strings) - {None}
            for text in texts:
                if 2 * len(text) > widest:  # cannot be wider otherwise: skip the per-character count
                    widest = max(widest, display_width(text))
            sheet.set_column(col, col, min(max(widest + 2, 6), 60))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(rows), 1), len(table.columns) - 1)
    book.close()
    return buffer.getvalue()
