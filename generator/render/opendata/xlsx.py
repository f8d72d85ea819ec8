"""data/centers.xlsx: the tables of tables.py as an Excel workbook, written fast.

The workbook stores every text as a text cell (never a formula), so it needs no apostrophe.
xlsxwriter keeps each cell as an object and writes its XML through several calls per cell:
the 800,000 cells of 10,000 centers took 5.8 s of CPU, against 1.3 s here. So xlsxwriter,
through its public API only, writes the workbook's frame: sheets, header rows, formats,
column widths, frozen header, autofilter, the active sheet, document properties, and the
last cell of each column (so each sheet's dimension and each column's cell style are
xlsxwriter's own). Then each sheet's <sheetData> and the shared-string table are written
here, column after column as text (SpreadsheetML, ECMA-376), a few thousand rows at a time
(at 10,000 centers the XML of every cell held at once took hundreds of megabytes), into the
package in place of xlsxwriter's, every zip entry otherwise as it wrote it.

The result equals, byte for byte, a workbook written cell by cell through xlsxwriter's
public API (`cell_by_cell`, tests/test_opendata.py): an xlsxwriter upgrade that writes cells,
strings or the package differently fails there. One deliberate difference: xlsxwriter writes
a text that starts with `<r>` and ends with `</r>` into the shared strings unescaped, as
rich-text XML; a record's text is escaped here like any other.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any, Literal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from generator.derive.facts import RegistryFacts
from generator.render.opendata.common import display_width, license_info
from generator.render.opendata.tables import TABLES
from generator.render.opendata.versions import DATA_VERSION

CellKind = Literal["string", "number", "date"]
ABOUT_SHEET = "说明"
MAX_TEXT = 32767  # UTF-16 units in a cell; longer texts are cut, as xlsxwriter's write_string cuts them
_CHUNK_ROWS = 4096  # rows whose cells' XML exists at once; a multiple of 16, the blocks of "spans"
_SST_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{}" uniqueCount="{}">'
)
#: What makes a shared string other than <si><t>text</t></si>: an _xHHHH_ escape, a control
#: character or non-character, XML markup, a newline or quote (xlsxwriter's escaping checks),
#: edge whitespace.
_NOT_PLAIN = re.compile(r'_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff"&<>\n]|^\s|\s$')
_ESCAPED_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_SHEET_DATA = re.compile(rb"<sheetData>.*</sheetData>|<sheetData/>", re.S)
_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"(?: s="(\d+)")?')


def _cut(text: str) -> str:
    """`text` within Excel's limit, without splitting a character beyond U+FFFF."""
    if len(text) <= MAX_TEXT // 2 or len(text.encode("utf-16-le", "surrogatepass")) // 2 <= MAX_TEXT:
        return text
    units = 0
    for i, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > MAX_TEXT:
            return text[:i]
    return text


def _si(text: str) -> str:
    """A shared string's <si> element, escaped as Excel reads it."""
    if not _NOT_PLAIN.search(text):
        return f"<si><t>{text}</t></si>"
    text = _ESCAPED_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)
    space = ' xml:space="preserve"' if re.search(r"^\s|\s$", text) else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<si><t{space}>{text}</t></si>"


def excel_serial(day: dt.date) -> float:
    """Excel's serial number of a day (1900 date system, its phantom 1900-02-29 included)."""
    serial = float((day - dt.date(1899, 12, 31)).days)
    if day.isocalendar() == (1900, 1, 1):
        serial -= 1
    return serial + 1 if serial > 59 else serial


class SharedStrings:
    """The workbook's shared-string table, in the order cells register their texts."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def add(self, texts: Sequence[str | None]) -> list[int | None]:
        """The index of each text (None: no cell)."""
        if any(text is not None and len(text) > MAX_TEXT // 2 for text in texts):
            texts = [None if text is None else _cut(text) for text in texts]
        add, index = self.index.setdefault, self.index
        out = [None if text is None else add(text, len(index)) for text in texts]
        self.count += len(out) - out.count(None)
        return out

    def xml(self) -> bytes:
        head = _SST_HEAD.format(self.count, len(self.index))
        return "".join([head, *map(_si, self.index), "</sst>"]).encode()


class Sheet:
    """A worksheet's columns, each a one-cell header over its values, for its <sheetData>."""

    def __init__(self, worksheet: Worksheet) -> None:
        self.worksheet = worksheet
        self.columns: list[tuple[str, CellKind, list[Any]]] = []

    def add(self, title: str, kind: CellKind, values: list[Any]) -> None:
        """`title` in row 1, then a cell per value from row 2 (None: no cell); strings are
        shared strings, numbers numbers, dates Excel serial numbers."""
        self.columns.append((title, kind, values))

    def sheet_data(self, strings: SharedStrings, styles: dict[str, tuple[str, str]]) -> Iterator[bytes]:
        """<sheetData>, in pieces, with each column's header and cell style as xlsxwriter wrote
        them (`styles`: column letter → the ` s="N"` of its header and of its cells, or "").
        Texts are registered in `strings` column after column, as cell-by-cell writing does."""
        columns = []
        for col, (title, kind, values) in enumerate(self.columns):
            letter = xl_col_to_name(col)
            header, style = styles[letter]
            head = f'<c r="{letter}1"{header} t="s"><v>{strings.add([title])[0]}</v></c>'
            if kind == "string":
                data: list[Any] = strings.add(values)
            elif kind == "date":
                serials = {day: excel_serial(day) for day in set(values) - {None}}
                data = [None if day is None else serials[day] for day in values]
            else:
                data = values
            columns.append((letter, style, head, "s" if kind == "string" else "n", data))
        yield b"<sheetData>"
        count = len(columns[0][4]) + 1 if columns else 0  # the header and the values
        for chunk in range(0, count, _CHUNK_ROWS):
            rows = list(zip(*(_cells(c, chunk, min(chunk + _CHUNK_ROWS, count)) for c in columns)))
            out = []
            for start in range(0, len(rows), 16):  # xlsxwriter gives each block of 16 rows its "spans"
                block = rows[start : start + 16]
                used = [col for col in range(len(columns)) if any(row[col] for row in block)]
                for number, row in enumerate(block, chunk + start + 1):
                    if any(row):
                        out.append(f'<row r="{number}" spans="{used[0] + 1}:{used[-1] + 1}">{"".join(row)}</row>')
            yield "".join(out).encode()
        yield b"</sheetData>"


def _cells(column: tuple[str, str, str, str, list[Any]], start: int, stop: int) -> list[str]:
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


def _styles(sheet_xml: bytes) -> dict[str, tuple[str, str]]:
    """Column letter → the style attribute of its header cell and of its other cells."""
    styles: dict[str, list[str]] = {}
    for letter, row, style in _CELL.findall(sheet_xml.decode()):
        attribute = f' s="{style}"' if style else ""
        styles.setdefault(letter, ["", ""])[0 if row == "1" else 1] = attribute
    return {letter: (header, cell) for letter, (header, cell) in styles.items()}


def repack(package: bytes, replace: dict[str, Iterator[bytes]]) -> bytes:
    """The zip `package` with the members of `replace` written from their pieces, every
    entry (name, order, date, compression, attributes) as it was written."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type, entry.external_attr, entry.create_system = (
                info.compress_type,
                info.external_attr,
                info.create_system,
            )
            with new.open(entry, "w") as member:
                for piece in replace.get(info.filename) or [old.read(info)]:
                    member.write(piece)
    return out.getvalue()


def render_xlsx(facts: RegistryFacts, tables: dict[str, list[tuple[Any, ...]]], cell_by_cell: bool = False) -> bytes:
    """A 说明 sheet, then one sheet per table: Chinese headers, frozen header row,
    autofilter, CJK-aware widths. The workbook opens on the first table. The tables'
    as_of and sample_data columns, the same on every row, are said once, on the 说明 sheet.

    In-memory mode gives every zip member xlsxwriter's fixed 1980-01-01 timestamp, and the
    document properties are dated to the as-of date, so the bytes depend on the data only.
    `cell_by_cell`: every cell through xlsxwriter's public API, the slow way the fast one is
    tested against.
    """
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
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
    sheets = [_about_sheet(book, facts)]
    for table in TABLES:
        rows = tables[table.name]
        sheet = Sheet(book.add_worksheet(table.sheet))
        for col, column in enumerate(table.fields):  # not META_COLUMNS: the 说明 sheet says them once
            _column(sheet, col, column.title, column.type, [row[col] for row in rows])
        sheet.worksheet.freeze_panes(1, 0)
        sheet.worksheet.autofilter(0, 0, max(len(rows), 1), len(table.fields) - 1)
        if table is TABLES[0]:
            sheet.worksheet.activate()
        sheets.append(sheet)
    for sheet in sheets:
        _write_frame(sheet, header, date_format, cell_by_cell)
    book.close()
    frame = buffer.getvalue()
    if cell_by_cell:
        return frame
    strings = SharedStrings()
    replace: dict[str, Iterator[bytes]] = {}
    with zipfile.ZipFile(io.BytesIO(frame)) as package:
        for number, sheet in enumerate(sheets, 1):
            name = f"xl/worksheets/sheet{number}.xml"
            xml = package.read(name)
            found = _SHEET_DATA.search(xml)
            assert found is not None, f"{name} has no <sheetData>"  # xlsxwriter writes one into every sheet
            pieces = list(sheet.sheet_data(strings, _styles(xml)))  # texts registered in sheet order
            replace[name] = iter([xml[: found.start()], *pieces, xml[found.end() :]])
    replace["xl/sharedStrings.xml"] = iter([strings.xml()])
    return repack(frame, replace)


def _column(sheet: Sheet, col: int, title: str, kind: str, values: list[Any]) -> None:
    """One column of values under its title, and a width that fits the widest text."""
    widest = display_width(title)
    if kind == "date":
        sheet.add(title, "date", values)
        texts = {value.isoformat() for value in set(values) if value is not None}
    elif kind in ("integer", "number"):
        sheet.add(title, "number", values)
        texts = {str(value) for value in values if value is not None}
    else:
        strings = (
            [None if value is None else "是" if value else "否" for value in values]
            if kind == "boolean"
            else [None if value is None else str(value) for value in values]
        )
        sheet.add(title, "string", strings)
        texts = set(strings) - {None}
    for text in texts:
        if 2 * len(text) > widest:  # cannot be wider otherwise: skip the per-character count
            widest = max(widest, display_width(text))
    sheet.worksheet.set_column(col, col, min(max(widest + 2, 6), 60))


def _write_frame(sheet: Sheet, header: Format, date_format: Format, every_cell: bool) -> None:
    """The header row and each column's last cell (or, `every_cell`, all of them) through
    xlsxwriter's public API, column after column."""
    worksheet = sheet.worksheet
    for col, (title, kind, values) in enumerate(sheet.columns):
        worksheet.write_string(0, col, title, header)
        last = next((r for r in range(len(values) - 1, -1, -1) if values[r] is not None), None)
        rows = range(len(values)) if every_cell else [] if last is None else [last]
        for row in rows:
            value = values[row]
            if value is None:
                continue
            if kind == "date":
                worksheet.write_datetime(row + 1, col, dt.datetime.combine(value, dt.time()), date_format)
            elif kind == "number":
                worksheet.write_number(row + 1, col, value)
            else:
                worksheet.write_string(row + 1, col, value)


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


def _about_sheet(book: xlsxwriter.Workbook, facts: RegistryFacts) -> Sheet:
    sheet = Sheet(book.add_worksheet(ABOUT_SHEET))
    rows = about_rows(facts)
    for col, (title, values) in enumerate((("项目", [r[0] for r in rows]), ("内容", [r[1] for r in rows]))):
        sheet.add(title, "string", values)
        sheet.worksheet.set_column(col, col, 16 if col == 0 else 100)
    return sheet
