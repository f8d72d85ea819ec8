"""`python -m generator import`: official lists (XLSX, CSV in every encoding Excel saves) into the records."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.cli import main
from generator.derive.facts import derive
from generator.records.lists import LIST_KINDS, header_key
from generator.render.opendata.list_templates import render_templates
from generator.validate.registry import validate_registry

SOURCE = "忻科发〔2027〕8号"
AS_OF = "2027-04-01"
NONGMU = "忻州市样例智慧农牧技术创新中心"
ZALIANG_FORMER = "忻州市示例杂粮加工技术创新中心"  # sample-zaliang's name before its approved rename

# A year's grades as officers send them: a title row, then the header; a former name, a row
# that names no center, and the same center twice.
GRADES_ROWS = [
    ["2026年度忻州市技术创新中心绩效考核结果"],
    ["序号", "中心名称", "等次", "备注"],
    ["1", NONGMU, "优秀", ""],
    ["2", ZALIANG_FORMER, "良好", ""],
    ["3", "忻州市不存在的技术创新中心", "合格", ""],
    ["4", NONGMU, "优秀", ""],
]
NONGMU_EVENT = f"""\
  - date: 2027-03-20
    kind: annual_assessment
    year: 2026
    grade: 优秀
    source:
      document_number: {SOURCE}
"""
ZALIANG_EVENT = NONGMU_EVENT.replace("优秀", "良好")


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(registry: Path, kind: str, file: Path, *extra: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["import", kind, str(file), "--registry", str(registry), "--source", SOURCE, "--as-of", AS_OF, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(registry: Path) -> dict[str, bytes]:
    return {p.relative_to(registry).as_posix(): p.read_bytes() for p in sorted(registry.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_grades_csv_in_every_encoding(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    listing = tmp_path / "考核结果.csv"
    listing.write_bytes(csv_bytes(GRADES_ROWS, encoding))
    before = snapshot(registry_copy)
    args = ("--date", "2027-03-20", "--year", "2026")

    code, out, err = run(registry_copy, "assessment", listing, *args, capsys=capsys)
    assert code == 1 and out == ""
    assert "考核结果.csv 第 5 行：名录中没有现用名称或曾用名为“忻州市不存在的技术创新中心”的中心" in err
    assert "考核结果.csv 第 6 行：提示：与考核结果.csv 第 3 行重复" in err
    assert "--skip-unmatched" in err
    assert snapshot(registry_copy) == before  # nothing written until every row is settled

    code, out, err = run(registry_copy, "assessment", listing, *args, "--skip-unmatched", capsys=capsys)
    assert code == 0, err
    assert "（已跳过）" in err
    nongmu = (registry_copy / "centers" / "sample-nongmu.yaml").read_text(encoding="utf-8")
    zaliang = (registry_copy / "centers" / "sample-zaliang.yaml").read_text(encoding="utf-8")
    assert nongmu == before["centers/sample-nongmu.yaml"].decode() + NONGMU_EVENT
    assert zaliang == before["centers/sample-zaliang.yaml"].decode() + ZALIANG_EVENT
    changed = {k for k, v in snapshot(registry_copy).items() if before.get(k) != v}
    assert changed == {"centers/sample-nongmu.yaml", "centers/sample-zaliang.yaml"}
    assert "新增年度考核：2027-03-20 年度绩效考核：2026年度 优秀（忻科发〔2027〕8号）" in out
    assert "变更中心 sample-zaliang 忻州市示例功能杂粮技术创新中心" in out
    assert validate_registry(registry_copy, registry_copy.parent).errors == []

    after = snapshot(registry_copy)  # idempotent: a second run adds nothing
    code, out, err = run(registry_copy, "assessment", listing, *args, "--skip-unmatched", capsys=capsys)
    assert code == 0 and "名录没有变化" in out and "名录中都已有" in err
    assert snapshot(registry_copy) == after


def test_xlsx_with_sheets_title_rows_and_a_hidden_list(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "结果.xlsx"
    listing.write_bytes(
        xlsx_bytes(
            {
                "说明": [["本表为 2026 年度考核结果"]],
                "考核": [
                    ["2026年度考核结果"],
                    ["序号", "中心名称", "年度", "考核等次", "发文日期"],
                    [1, NONGMU, 2026, "优秀", dt.datetime(2027, 3, 20)],
                    [2, "忻州市示例功能杂粮技术创新中心", "2026年度", "基本", dt.datetime(2027, 3, 20)],
                ],
                "名单": [["中心名称"], ["忻州市随便写的技术创新中心"]],
            },
            hidden=("名单",),
        )
    )
    code, _, err = run(registry_copy, "assessment", listing, capsys=capsys)
    assert code == 1
    assert "结果.xlsx 工作表“考核” 第 4 行：结果“基本”无效：应为 优秀、良好、合格、基本合格、不合格 之一" in err
    assert "工作表“说明”没有名单表头，已跳过" in err
    assert "随便写" not in err  # a hidden sheet is not read


def test_filled_template_imports(registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The published template is the file the importer reads, drop-downs and all."""
    registry = validate_registry(registry_copy, registry_copy.parent).registry
    templates = render_templates(derive(registry, dt.date(2027, 4, 1)))
    book = openpyxl.load_workbook(io.BytesIO(templates["data/templates/acceptance.xlsx"]))
    sheet = book["名单"]
    lists = book["中心名单"]
    assert lists.sheet_state == "hidden"
    offered = [row[0].value for row in lists.iter_rows(min_row=2)]
    assert "忻州市示例光伏储能技术创新中心" in offered  # awaiting acceptance on that day
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert validations["B2:B301"].formula1 == f"'中心名单'!$A$2:$A${len(offered) + 1}"
    assert validations["D2:D301"].formula1 == '"通过,未通过"'
    sheet.append([1, "忻州市示例光伏储能技术创新中心", None, "通过"])
    filled = tmp_path / "验收.xlsx"
    book.save(filled)
    code, out, err = run(registry_copy, "acceptance", filled, "--date", "2027-03-25", capsys=capsys)
    assert code == 0, err
    assert "状态：待验收 → 已认定运行" in out
    assert all(header_key(title, LIST_KINDS["acceptance"]) for title in ("序号", "中心名称", "统一社会信用代码"))


def test_approval_batch(registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "批准.csv"
    listing.write_bytes(
        csv_bytes(
            [["序号", "中心名称", "类别", "牵头单位"], ["1", "忻州市样例生态修复技术创新中心", "综合类", "x"]], "utf-8"
        )
    )
    code, out, err = run(registry_copy, "approval", listing, "--date", "2026-12-10", capsys=capsys)
    assert code == 0, err
    assert "这些列不读取：类别、牵头单位" in err
    assert "新增事件：2026-12-10 批准建设（忻科发〔2027〕8号）" in out
    text = (registry_copy / "centers" / "sample-shengtai.yaml").read_text(encoding="utf-8")
    assert text.endswith(f"  - date: 2026-12-10\n    kind: approval\n    source:\n      document_number: {SOURCE}\n")


def test_comments_and_layout_are_kept(registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = registry_copy / "centers" / "sample-nongmu.yaml"
    text = path.read_text(encoding="utf-8").replace("events:\n", "# 事件按日期排列\nevents:\n  # 最早的一条\n", 1)
    path.write_text(text, encoding="utf-8")
    listing = tmp_path / "l.csv"
    listing.write_bytes(
        csv_bytes([["中心名称", "年度", "等次", "日期"], [NONGMU, "2026", "优秀", "2027/3/20"]], "utf-8")
    )
    assert run(registry_copy, "assessment", listing, capsys=capsys)[0] == 0
    assert path.read_text(encoding="utf-8") == text + NONGMU_EVENT


def test_contradictions_are_problems(registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "l.csv"
    rows = [
        ["中心名称", "年度", "等次"],
        [NONGMU, "2025", "优秀"],  # the record says 良好 for 2025
        ["忻州市示例功能杂粮技术创新中心", "2026", "优秀"],
        ["忻州市示例功能杂粮技术创新中心", "2026", "合格"],  # the same center, another grade
        ["忻州市示例氢能装备技术创新中心", "", "合格"],  # no year, none on the command line
    ]
    listing.write_bytes(csv_bytes(rows, "utf-8"))
    before = snapshot(registry_copy)
    code, _, err = run(registry_copy, "assessment", listing, "--date", "2027-03-20", capsys=capsys)
    assert code == 1
    assert "sample-nongmu 的记录中已有“2026-03-17 年度绩效考核：2025年度 良好（忻科发〔2026〕9号）”" in err
    assert "与l.csv 第 3 行矛盾" in err
    assert "缺少考核年度" in err
    assert snapshot(registry_copy) == before


def test_validation_after_import_blocks(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "验收.csv"
    listing.write_bytes(csv_bytes([["中心名称", "验收结果"], ["忻州市示例氢能装备技术创新中心", "验收通过"]], "utf-8"))
    before = snapshot(registry_copy)
    code, _, err = run(registry_copy, "acceptance", listing, "--date", "2027-03-20", capsys=capsys)
    assert code == 1
    assert "[events.lifecycle]" in err and "导入后名录校验不通过" in err
    assert snapshot(registry_copy) == before


HOSTILE_CSV = {
    "formula": ([["中心名称", "等次"], ['=HYPERLINK("http://evil","x")', "优秀"]], "单元格是公式"),
    "control": ([["中心名称", "等次"], [NONGMU + "\x07", "优秀"]], "控制字符 U+0007"),
    "newline": ([["中心名称", "等次"], ['"' + NONGMU + '\n::set-output name=x::y"', "优秀"]], "控制字符 U+000A"),
    "giant": ([["中心名称", "等次"], ["忻" * 5000, "优秀"]], "超过 300 个"),
    "no header": ([["甲", "乙"], ["1", "2"]], "找不到表头"),
}


@pytest.mark.parametrize("case", HOSTILE_CSV, ids=str)
def test_hostile_csv_gives_findings(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    rows, expected = HOSTILE_CSV[case]
    listing = tmp_path / "l.csv"
    listing.write_bytes(csv_bytes(rows, "utf-8"))
    before = snapshot(registry_copy)
    code, _, err = run(registry_copy, "assessment", listing, "--date", "2027-03-20", "--year", "2026", capsys=capsys)
    assert code == 1 and expected in err and "Traceback" not in err
    assert snapshot(registry_copy) == before


HOSTILE_FILES = {
    "garbage.xlsx": (b"PK\x03\x04 not really a zip", "不是有效的 Excel"),
    "zip.xlsx": (b"", "不是有效的 Excel"),
    "old.xls": (b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
    "nul.csv": (b"\xe4\xb8\xad\x00\xe5\xbf\x83,\xe7\xad\x89\n", "空字符"),
    "bytes.csv": (b"\xff\xfe\xfe" + b"\x80" * 10, "无法识别文件编码"),
    "latin.csv": (b"\x80\x81\xff\n", "无法识别文件编码"),
    "rows.csv": ("中心名称,等次\n".encode() + b"x,y\n" * 6000, "超过 5000 行"),
}


@pytest.mark.parametrize("name", HOSTILE_FILES, ids=str)
def test_hostile_files_give_findings(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    raw, expected = HOSTILE_FILES[name]
    listing = tmp_path / name
    listing.write_bytes(raw)
    code, _, err = run(registry_copy, "assessment", listing, "--date", "2027-03-20", "--year", "2026", capsys=capsys)
    assert code == 1 and "Traceback" not in err and expected in err


def test_zip_bomb(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook that unpacks to more than the limit (100 MB; 1 MB here) is not opened."""
    monkeypatch.setattr("generator.importer.read.MAX_UNZIPPED_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (2 * 1024 * 1024))
    listing = tmp_path / "bomb.xlsx"
    listing.write_bytes(buffer.getvalue())
    assert len(buffer.getvalue()) < 10 * 1024
    code, _, err = run(registry_copy, "assessment", listing, "--date", "2027-03-20", "--year", "2026", capsys=capsys)
    assert code == 1 and "解压后超过" in err


def test_formula_in_xlsx(registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "f.xlsx"
    listing.write_bytes(xlsx_bytes({"考核": [["序号", "中心名称", "等次"], ["=ROW()-1", NONGMU, '="优"&"秀"']]}))
    code, _, err = run(registry_copy, "assessment", listing, "--date", "2027-03-20", "--year", "2026", capsys=capsys)
    assert code == 1
    assert "f.xlsx 工作表“考核” 第 2 行（等次）：单元格是公式" in err
    assert "序号" not in err  # the 序号 column is not read, so its formula does not matter


def test_never_writes_through_a_link(registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside.yaml"
    target = registry_copy / "centers" / "sample-nongmu.yaml"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(outside)
    listing = tmp_path / "l.csv"
    listing.write_bytes(csv_bytes([["中心名称", "等次"], ["忻州市示例功能杂粮技术创新中心", "优秀"]], "utf-8"))
    before = outside.read_bytes()
    code, _, err = run(registry_copy, "assessment", listing, "--date", "2027-03-20", "--year", "2026", capsys=capsys)
    assert code == 1 and "file.symlink" in err and "名录本身有错误" in err
    assert outside.read_bytes() == before


def test_usage_errors(registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "l.csv"
    listing.write_bytes(csv_bytes([["中心名称", "等次"], [NONGMU, "优秀"]], "utf-8"))
    for argv in (
        ["import", "assessment", str(listing), "--registry", str(registry_copy)],  # no --source
        ["import", "grades", str(listing), "--registry", str(registry_copy), "--source", SOURCE],
        ["import", "assessment", str(listing), "--source", SOURCE, "--date", "2027-3-20"],
    ):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
    code, _, err = run(registry_copy, "assessment", listing, "--year", "2026", capsys=capsys)
    assert code == 1 and "缺少日期" in err
    code, _, err = run(registry_copy, "assessment", tmp_path / "missing.csv", "--date", "2027-03-20", capsys=capsys)
    assert code == 1 and "找不到文件" in err


@pytest.mark.slow
def test_summary_is_the_diffs(registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What import prints is what `diff` says about the same change afterwards."""
    root = registry_copy.parent
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "commit.gpgsign=false", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    listing = tmp_path / "l.csv"
    listing.write_bytes(csv_bytes(GRADES_ROWS[1:4], "gb18030"))
    code, imported, _ = run(
        registry_copy, "assessment", listing, "--date", "2027-03-20", "--year", "2026", capsys=capsys
    )
    assert code == 0
    assert main(["diff", "HEAD", "--registry", str(registry_copy), "--as-of", AS_OF]) == 0
    diffed = capsys.readouterr().out
    assert imported.splitlines()[1:] == diffed.splitlines()[1:]
    assert "新增年度考核" in imported


def test_evaluation_round(registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "评估.csv"
    rows = [["中心名称", "统一社会信用代码", "评估结果", "日期"]]
    code_ = validate_registry(registry_copy, registry_copy.parent).registry.center("sample-zaliang")
    assert code_ is not None
    rows.append(["忻州市示例功能杂粮技术创新中心", code_.first_host_unit["credit_code"], "良好", "2027年3月1日"])
    listing.write_bytes(csv_bytes(rows, "gb18030"))
    code, out, err = run(registry_copy, "evaluation", listing, "--format", "markdown", capsys=capsys)
    assert code == 0, err
    assert "| 新增三年评估 | — | 2027-03-01 三年评估：良好（忻科发〔2027〕8号） |" in out
    rows[1][1] = "91140000MA0000000X"  # another unit's code: the columns disagree
    listing.write_bytes(csv_bytes(rows, "gb18030"))
    code, _, err = run(registry_copy, "evaluation", listing, capsys=capsys)
    assert code == 1 and "名录中没有统一社会信用代码为“91140000MA0000000X”的中心" in err


def test_a_row_matching_several_centers_and_dry_run(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two centers led by the same unit: its credit code alone names neither; --dry-run writes nothing."""
    nongmu = registry_copy / "centers" / "sample-nongmu.yaml"
    zaliang = registry_copy / "centers" / "sample-zaliang.yaml"
    code = validate_registry(registry_copy, registry_copy.parent).registry.center("sample-nongmu")
    assert code is not None
    shared = code.first_host_unit["credit_code"]
    text = zaliang.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("  credit_code: "))
    zaliang.write_text(text.replace(old, f"  credit_code: {shared}"), encoding="utf-8")
    listing = tmp_path / "l.csv"
    listing.write_bytes(csv_bytes([["统一社会信用代码", "等次"], [shared, "优秀"]], "utf-8"))
    args = ("--date", "2027-03-20", "--year", "2026")
    code_, _, err = run(registry_copy, "assessment", listing, *args, capsys=capsys)
    assert code_ == 1 and "l.csv 第 2 行：对应多个中心：sample-nongmu、sample-zaliang" in err
    listing.write_bytes(csv_bytes([["统一社会信用代码", "中心名称", "等次"], [shared, NONGMU, "优秀"]], "utf-8"))
    before = snapshot(registry_copy)
    code_, out, err = run(registry_copy, "assessment", listing, *args, "--dry-run", capsys=capsys)
    assert code_ == 0 and "新增年度考核" in out and "--dry-run，未写入" in err
    assert snapshot(registry_copy) == before
    assert nongmu.read_bytes() == before["centers/sample-nongmu.yaml"]
