"""Issue forms → record changes (`python -m generator from-issue`), offline, with hostile bodies."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from generator.cli import main
from generator.issues.command import fence
from generator.issues.forms import Form, FormError, load_forms, parse
from generator.records.load import parse as parse_record
from generator.validate.registry import validate_registry

FORMS = {form.file: form for form in load_forms()}
AS_OF = "2027-04-01"
NONGMU = "忻州市样例智慧农牧技术创新中心"


def body(form: Form, answers: dict[str, str]) -> str:
    """An issue body as GitHub writes a filled form."""
    parts = []
    for field in form.fields:
        if field.type == "checkboxes":
            value = "\n".join(f"- [X] {option}" for option in field.options)
        else:
            value = answers.get(field.id) or "_No response_"
        parts.append(f"### {field.label}\n\n{value}")
    return "\n\n".join(parts)


ASSESSMENT = {
    "document_number": "忻科发〔2027〕8号",
    "date": "2027-03-20",
    "year": "2026",
    "table": f"| 中心名称 | 等次 |\n| --- | --- |\n| {NONGMU} | 优秀 |\n| 忻州市示例杂粮加工技术创新中心 | 良好 |",
}
PROPOSAL = {
    "center": "忻州市示例智能矿山技术创新中心",
    "category": "领域类",
    "field": "智能矿山",
    "location": "原平市",
    "supervising_unit": "原平市工信和科技局",
    "host_name": "示例智矿装备有限公司（演示）",
    "host_kind": "企业",
    "directions": "矿山智能感知与监测\n井下无人化开采装备\n矿山安全预警",
    "stage": "已提交申请",
    "date": "2026-05-11",
    "source": "文号：\n网址：https://example.gov.cn/2026/05/notice.html",
}
CORRECTION = {
    "center": "sample-nongmu",
    "kind": "其他",
    "wrong": "网站上：中心办公室\n应为：中心综合办公室",
    "field_to_fix": "通讯地址",
    "correct_value": "忻州市忻府区示例路9号（演示）",
    "source": "忻科函〔2027〕3号",
}


def from_issue(registry: Path, tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"issue": {"number": 42, "body": text, "user": {"login": "officer"}}}), "utf-8")
    out = tmp_path / "out"
    code = main(["from-issue", str(event), "--output", str(out), "--registry", str(registry), "--as-of", AS_OF])
    logged = capsys.readouterr()
    assert "::" not in logged.out + logged.err  # nothing of the issue reaches the workflow log
    return code, (out / "comment.md").read_text(encoding="utf-8")


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "answers"),
    [("import-assessment.yml", ASSESSMENT), ("propose-record.yml", PROPOSAL), ("report-error.yml", CORRECTION)],
)
def test_a_filled_form_parses_to_its_fields(file: str, answers: dict[str, str]) -> None:
    parsed = parse(body(FORMS[file], answers), list(FORMS.values()))
    assert parsed.form.file == file
    for key, value in answers.items():
        assert parsed.get(key) == value
    assert all(parsed.ticked.values())


def test_windows_line_endings_and_empty_answers() -> None:
    text = body(FORMS["import-assessment.yml"], ASSESSMENT).replace("\n", "\r\n")
    parsed = parse(text, list(FORMS.values()))
    assert parsed.get("url") == "" and parsed.get("table").endswith("| 良好 |")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace(ASSESSMENT["table"], ASSESSMENT["table"] + "\n\n### 文号\n\n忻科发〔2099〕1号"), "标题"),
        (lambda t: t.replace("### 印发日期", "### 日期"), "标题"),
        (lambda t: "### 名单\n\n" + t, "标题"),
        (lambda t: t.replace("- [X]", "- [ ]"), "确认"),
        (lambda t: t + "\x1b[31m", "控制字符"),
        (lambda t: t + "\u2028", "控制字符"),
        (lambda t: t + "x" * 70000, "超过"),
        (lambda t: t.replace("忻科发〔2027〕8号", "_No response_"), "必填项“文号”"),
        (lambda t: "", "不是本仓库的某个表单"),
    ],
    ids=[
        "smuggled-heading",
        "renamed-heading",
        "heading-first",
        "unticked",
        "escape",
        "line-separator",
        "huge",
        "required",
        "empty",
    ],
)
def test_hostile_bodies_are_refused(change, message: str) -> None:  # type: ignore[no-untyped-def]
    text = change(body(FORMS["import-assessment.yml"], ASSESSMENT))
    forms = list(FORMS.values())
    if message == "确认":
        assert not all(parse(text, forms).ticked.values())
        return
    with pytest.raises(FormError, match=message):
        parse(text, forms)


def test_a_dropdown_answer_must_be_an_option() -> None:
    with pytest.raises(FormError, match="不是表单中的选项"):
        parse(body(FORMS["propose-record.yml"], {**PROPOSAL, "location": "太原市"}), list(FORMS.values()))


def test_fence_cannot_be_closed_from_inside() -> None:
    text = "~~~~~\n```\n</details>"
    fenced = fence(text)
    first = fenced.split("\n")[0]
    assert first == "~" * 6 + "text" and fenced.endswith("\n" + "~" * 6)


# --- the three kinds of change ------------------------------------------------------------------


def test_import_form_becomes_the_import(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, comment = from_issue(registry_copy, tmp_path, body(FORMS["import-assessment.yml"], ASSESSMENT), capsys)
    assert code == 0, comment
    assert "**已生成改动**" in comment and "sample-nongmu" in comment and "新增年度考核" in comment
    nongmu = (registry_copy / "centers" / "sample-nongmu.yaml").read_text(encoding="utf-8")
    assert nongmu.endswith("    year: 2026\n    grade: 优秀\n    source:\n      document_number: 忻科发〔2027〕8号\n")
    out = tmp_path / "out"
    assert (out / "pr-title.txt").read_text(encoding="utf-8") == "导入年度绩效考核结果：忻科发〔2027〕8号（议题 #42）\n"
    assert "Closes #42" in (out / "pr-body.md").read_text(encoding="utf-8")
    assert validate_registry(registry_copy, registry_copy.parent).errors == []


def test_attached_workbook_is_fetched_from_github_only(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["中心名称", "等次"])
    book.active.append([NONGMU, "优秀"])
    data = io.BytesIO()
    book.save(data)
    asked: list[str] = []

    def fake_fetch(url: str) -> bytes:
        asked.append(url)
        return data.getvalue()

    monkeypatch.setattr("generator.issues.command.fetch_attachment", fake_fetch)
    url = "https://github.com/user-attachments/files/123456/kaohe.xlsx"
    answers = {**ASSESSMENT, "table": f"[kaohe.xlsx]({url})"}
    code, comment = from_issue(registry_copy, tmp_path, body(FORMS["import-assessment.yml"], answers), capsys)
    assert code == 0, comment
    assert asked == [url]

    before = snapshot(registry_copy)
    for table in ("[x.xlsx](https://evil.example/files/1/x.xlsx)", f"[a.xlsx]({url}) [b.csv]({url[:-4]}csv)"):
        code, comment = from_issue(
            registry_copy, tmp_path, body(FORMS["import-assessment.yml"], {**answers, "table": table}), capsys
        )
        assert code == 1 and "**未生成拉取请求**" in comment
    assert asked == [url] and snapshot(registry_copy) == before


def test_propose_record_writes_a_new_canonical_center(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, comment = from_issue(registry_copy, tmp_path, body(FORMS["propose-record.yml"], PROPOSAL), capsys)
    assert code == 0, comment
    path = registry_copy / "centers" / "tic-2027-001.yaml"
    doc, problems = parse_record(path.read_bytes(), "x", "center")
    assert not problems and doc is not None
    assert doc.data["name"] == PROPOSAL["center"]
    assert doc.data["research_directions"] == PROPOSAL["directions"].split("\n")
    assert doc.data["events"] == [
        {"date": "2026-05-11", "kind": "application", "source": {"url": "https://example.gov.cn/2026/05/notice.html"}}
    ]
    assert main(["fmt", "--check", "--registry", str(registry_copy), str(path)]) == 0
    assert "| 新增 | tic-2027-001 | 忻州市示例智能矿山技术创新中心 |" in comment


def test_report_error_sets_the_one_field(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = registry_copy / "centers" / "sample-nongmu.yaml"
    before = path.read_text(encoding="utf-8")
    code, comment = from_issue(registry_copy, tmp_path, body(FORMS["report-error.yml"], CORRECTION), capsys)
    assert code == 0, comment
    assert path.read_text(encoding="utf-8") == before.replace(
        "  address: 忻州市忻府区示例路8号（演示）", "  address: 忻州市忻府区示例路9号（演示）"
    )
    pr_body = (tmp_path / "out" / "pr-body.md").read_text(encoding="utf-8")
    assert "忻科函〔2027〕3号" in pr_body


@pytest.mark.parametrize(
    ("file", "answers", "expected"),
    [
        ("report-error.yml", {**CORRECTION, "field_to_fix": "其他（由维护者修改）"}, "人工修改"),
        ("report-error.yml", {**CORRECTION, "center": "../../../etc/passwd"}, "对应不到中心"),
        ("report-error.yml", {**CORRECTION, "field_to_fix": "办公电话", "correct_value": "13912345678"}, "校验不通过"),
        ("propose-record.yml", {**PROPOSAL, "center": NONGMU}, "已有名称"),
        ("propose-record.yml", {**PROPOSAL, "date": "2026-02-30"}, "YYYY-MM-DD"),
        ("import-assessment.yml", {**ASSESSMENT, "table": "中心名称,等次\n" + "x,优秀\n" * 6000}, "超过"),
        (
            "import-assessment.yml",
            {**ASSESSMENT, "table": "| 中心名称 | 等次 |\n|---|---|\n| 忻州市没有的技术创新中心 | 优秀 |"},
            "名录中没有",
        ),
    ],
    ids=["manual", "traversal", "invalid-value", "duplicate-center", "bad-date", "huge-table", "unmatched"],
)
def test_problems_are_posted_and_nothing_changes(
    registry_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    answers: dict[str, str],
    expected: str,
) -> None:
    before = snapshot(registry_copy)
    code, comment = from_issue(registry_copy, tmp_path, body(FORMS[file], answers), capsys)
    assert code == 1
    assert comment.startswith("<!-- generator from-issue -->") and "**未生成拉取请求**" in comment
    assert expected in comment.split("~~~~text\n", 1)[1]  # the reasons are inside code blocks
    assert not (tmp_path / "out" / "pr-body.md").exists()
    assert snapshot(registry_copy) == before
    assert {p.name for p in tmp_path.iterdir()} == {"registry", "event.json", "out"}


def test_markdown_and_workflow_commands_stay_inert(
    registry_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "忻州市<img src=x onerror=alert(1)>@everyone技术创新中心"
    table = f"| 中心名称 | 等次 |\n|---|---|\n| {hostile} | 优秀 |\n| ::error::pwned | 优秀 |"
    code, comment = from_issue(
        registry_copy, tmp_path, body(FORMS["import-assessment.yml"], {**ASSESSMENT, "table": table}), capsys
    )
    assert code == 1
    blocks = re.findall(r"^(~{4,})text\n(.*?)\n\1$", comment, re.S | re.M)
    fenced = "\n".join(text for _, text in blocks)
    assert hostile in fenced and "::error::pwned" in fenced  # shown as text, inside code blocks only
    outside = re.sub(r"^(~{4,})text\n.*?\n\1$", "", comment, flags=re.S | re.M)
    assert "<img" not in outside and "@everyone" not in outside and "::error" not in outside


def test_a_bad_event_file_is_a_usage_error(
    tmp_path: Path, registry_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event = tmp_path / "event.json"
    for content in ("not json", json.dumps({"issue": {"number": "42; rm -rf /", "body": ""}}), json.dumps({})):
        event.write_text(content, encoding="utf-8")
        code = main(["from-issue", str(event), "--output", str(tmp_path / "o"), "--registry", str(registry_copy)])
        assert code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_the_guides_pictures_show_every_field_and_escape_answers() -> None:
    from generator.issues.mock import form_html, load_form

    for file, form in FORMS.items():
        html = form_html(load_form(file), {"center": "<script>alert(1)</script>"})
        for field in form.fields:
            assert f">{field.label}" in html, (file, field.label)
        assert "<script>" not in html
    for name in ("import-assessment", "propose-record", "report-error", "reply"):
        assert (Path(__file__).resolve().parents[1] / "docs" / "assets" / "forms" / f"{name}.png").is_file()
