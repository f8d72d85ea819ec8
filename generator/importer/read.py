"""An officer's list file as rows of text: XLSX through openpyxl, CSV in whatever Excel saved.

Everything about the file is treated as hostile: its size, its zip members, its encoding,
formulas, control characters and giant cells all become `Problem`s with the sheet and row,
never a traceback. Nothing is evaluated: a formula in a column the importer reads is
reported, not computed (a cached result could be stale, and a list of official results
should hold values); the 序号 column and columns it does not read are not looked at.

CSV: UTF-8 with or without BOM, UTF-16 with BOM (Excel's “Unicode text”), and GB18030 as
Excel on a Chinese Windows saves it. UTF-8 is tried strictly first: a GB18030 file is
almost never valid UTF-8, while every byte string decodes as something in GB18030.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.records.lists import IDENTIFYING, ListKind, header_key

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # all members of an .xlsx together
MAX_ROWS = 5000  # per sheet; a city's list has dozens
MAX_COLUMNS = 60
MAX_CELL = 300  # characters
HEADER_WITHIN = 10  # the header is among the first rows (a title row may come first)

# Every control character, line breaks and tabs included: a name or a grade is one line
# (a 备注 may span lines in Excel; its white space is folded to single spaces first).
_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029\ufeff\ufff9-\ufffb]")


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file or a row of it; `blocking` ones stop the import."""

    where: str  # 名单.xlsx 工作表“考核”第 5 行
    message: str
    blocking: bool = True
    unmatched: bool = False  # a row that matches no center or several (--skip-unmatched)


@dataclass
class Row:
    where: str
    values: dict[str, str]  # column key → the cell's text ("" when empty)


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def place(file: str, sheet: str | None, row: int | None = None, column: str | None = None) -> str:
    where = file if sheet is None else f"{file} 工作表“{sheet}”"
    if row is not None:
        where += f" 第 {row} 行"
    if column:
        where += f"（{column}）"
    return where


def _text(value: Any) -> str:
    """A cell's value as the text a person sees: whole numbers without .0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip().strip("\u3000").strip()


def _check_cell(text: str, formula: bool, where: str) -> Problem | None:
    if formula or text.startswith("="):
        shown = text[:40] + ("…" if len(text) > 40 else "")
        return Problem(where, f"单元格是公式（{shown!r}）：请复制该列后“选择性粘贴 → 数值”，再导入")
    bad = _CONTROL.search(text)
    if bad:
        return Problem(where, f"含有控制字符 U+{ord(bad.group()):04X}：请删除后再导入")
    if len(text) > MAX_CELL:
        return Problem(where, f"内容有 {len(text)} 个字符，超过 {MAX_CELL} 个：不像名单中的一项")
    return None


def _table(file: str, sheet: str | None, grid: list[list[tuple[str, bool]]], kind: ListKind, table: Table) -> bool:
    """Rows of one sheet (cells as (text, is_formula)) into `table`; False if it has no header."""
    header_at = None
    keys: dict[int, str] = {}
    for number, cells in enumerate(grid[:HEADER_WITHIN]):
        found = {i: key for i, (text, _) in enumerate(cells) if (key := header_key(text, kind))}
        if any(key in IDENTIFYING for key in found.values()):
            header_at, keys = number, found
            break
    if header_at is None:
        return False
    headers = grid[header_at]
    seen: dict[str, int] = {}
    for i, key in sorted(keys.items()):
        if key in seen:
            table.problems.append(
                Problem(
                    place(file, sheet, header_at + 1),
                    f"“{headers[seen[key]][0]}”和“{headers[i][0]}”两列是同一项，请删去一列",
                )
            )
        seen.setdefault(key, i)
    if kind.value and kind.value not in seen:
        wanted = {"grade": "等次", "result": "验收结果"}[kind.value]
        table.problems.append(Problem(place(file, sheet, header_at + 1), f"缺少“{wanted}”列"))
    ignored = [text for i, (text, _) in enumerate(headers) if text and i not in keys]
    if ignored:
        table.problems.append(
            Problem(
                place(file, sheet, header_at + 1),
                f"这些列不读取：{'、'.join(ignored)}",
                blocking=False,
            )
        )
    for number, cells in enumerate(grid[header_at + 1 :], header_at + 2):
        if not any(text for text, _ in cells):
            continue
        values = dict.fromkeys(seen, "")
        bad = False
        for key, i in seen.items():
            text, formula = cells[i] if i < len(cells) else ("", False)
            if key == "note":
                text = " ".join(text.split())
            problem = None if key == "seq" else _check_cell(text, formula, place(file, sheet, number, headers[i][0]))
            if problem:
                table.problems.append(problem)
                bad = True
            values[key] = text
        if not bad:
            table.rows.append(Row(place(file, sheet, number), values))
    return True


# --- CSV -------------------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str | None, str]:
    """The text of a CSV file and the encoding it was in (None when none fits)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return raw.decode(encoding), {"utf-8-sig": "UTF-8（带 BOM）", "utf-16": "UTF-16"}.get(
                encoding, encoding.upper()
            )
        except UnicodeDecodeError:
            continue
    return None, ""


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((",", "\t", ";", "，"), key=first.count)


def read_csv(raw: bytes, file: str, kind: ListKind) -> Table:
    table = Table()
    text, _ = decode(raw)
    if text is None:
        table.problems.append(Problem(file, "无法识别文件编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx"))
        return table
    if "\x00" in text:
        table.problems.append(Problem(file, "文件中有空字符（NUL）：不是文本格式的 CSV，请另存为 .xlsx 或 CSV"))
        return table
    grid: list[list[tuple[str, bool]]] = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)), 1):
            if number > MAX_ROWS:
                table.problems.append(Problem(file, f"超过 {MAX_ROWS} 行：不像一份名单，未导入"))
                return table
            grid.append([(_text(cell), False) for cell in cells[:MAX_COLUMNS]])
    except csv.Error as exc:
        table.problems.append(Problem(file, f"CSV 格式错误：{exc}"))
        return table
    if not _table(file, None, grid, kind, table):
        table.problems.append(Problem(file, "找不到表头：前 10 行中需要有“中心名称”（或“标识”“统一社会信用代码”）列"))
    return table


# --- XLSX ------------------------------------------------------------------------------------


def _zip_problem(raw: bytes, file: str) -> Problem | None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return Problem(file, "不是有效的 Excel（.xlsx）文件：旧版 .xls 请在 Excel 中另存为 .xlsx")
    if total > MAX_UNZIPPED_BYTES:
        return Problem(file, f"解压后超过 {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB：不像一份名单，未导入")
    return None


def read_xlsx(raw: bytes, file: str, kind: ListKind) -> Table:
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # only the importer needs it

    table = Table()
    problem = _zip_problem(raw, file)
    if problem:
        table.problems.append(problem)
        return table
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or hostile file
        table.problems.append(Problem(file, f"无法读取 Excel 文件：{type(exc).__name__}"))
        return table
    try:
        found = False
        skipped = []
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                continue
            grid: list[list[tuple[str, bool]]] = []
            for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), 1):
                if number > MAX_ROWS:
                    table.problems.append(
                        Problem(place(file, sheet.title), f"超过 {MAX_ROWS} 行：不像一份名单，未导入")
                    )
                    return Table(problems=table.problems)
                grid.append([(_text(c.value), getattr(c, "data_type", None) == "f") for c in row])
            if not any(text for cells in grid for text, _ in cells):
                continue
            if _table(file, sheet.title, grid, kind, table):
                found = True
            else:
                skipped.append(sheet.title)
        if skipped:
            table.problems.append(
                Problem(file, f"工作表{'、'.join(f'“{s}”' for s in skipped)}没有名单表头，已跳过", blocking=False)
            )
        if not found:
            table.problems.append(
                Problem(file, "找不到表头：前 10 行中需要有“中心名称”（或“标识”“统一社会信用代码”）列")
            )
    except Exception as exc:  # a damaged sheet part surfaces while iterating
        table.problems.append(Problem(file, f"无法读取 Excel 文件：{type(exc).__name__}"))
    finally:
        book.close()
    return table


def read_list(path: Path, kind: ListKind) -> Table:
    """The rows of a list file, by its suffix; problems for anything that is not a list."""
    file = path.name
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".txt"):
        hint = "旧版 .xls 请在 Excel 中另存为 .xlsx；" if suffix == ".xls" else ""
        return Table(problems=[Problem(file, f"只能导入 .xlsx 或 .csv 文件；{hint}")])
    try:
        if not path.is_file():
            return Table(problems=[Problem(file, "找不到文件，或不是普通文件")])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Table(problems=[Problem(file, f"文件有 {size} 字节，超过 10 MB：不像一份名单，未导入")])
        raw = path.read_bytes()
    except OSError as exc:
        return Table(problems=[Problem(file, f"无法读取：{exc.strerror or exc}")])
    return read_xlsx(raw, file, kind) if suffix == ".xlsx" else read_csv(raw, file, kind)
