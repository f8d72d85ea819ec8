"""`python -m generator validate`: the three output formats, PATH filtering, exit statuses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.rules.findings import Finding, format_github
from generator.rules.table import RULES
from tests.support import ROOT, Registry, line_of, run_cli

GUANGFU = ("center", "sample-guangfu")
TAOCI = ("center", "sample-taoci")
TEXT_LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): (?P<severity>error|warning) "
    r"\[(?P<rule>[a-z0-9.-]+)\] (?P<message>.+)$"
)
GITHUB_LINE = re.compile(
    r"^::(?P<level>error|warning) file=(?P<file>[^,:]+),line=(?P<line>[0-9]+),col=(?P<col>[0-9]+),"
    r"title=(?P<title>[^,:]+)::(?P<message>.+)$"
)


def _main(
    args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    from generator.cli import main

    monkeypatch.chdir(cwd)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def mixed(reg: Registry) -> dict[str, Any]:
    """One warning with an article, one error without, one file-format error.

    - sample-guangfu: construction funding of 8万元 → funding.amounts (warning, 第十三条)
    - sample-taoci: wrong credit-code check character → credit-code.check (error, no article)
    - broken.yaml: starts with a BOM → file.bom (error, format rule)
    """

    def funding(data: dict) -> None:
        next(e for e in data["events"] if e["kind"] == "funding")["amount_wan"] = 8

    guangfu = reg.modify(*GUANGFU, funding)
    code = reg.load(*TAOCI)["first_host_unit"]["credit_code"]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    taoci = reg.modify(*TAOCI, lambda d: d["first_host_unit"].update(credit_code=wrong))
    reg.write_raw("centers", "broken.yaml", b"\xef\xbb\xbfid: broken\n")
    return {
        "reg": reg,
        "funding": (reg.shown(*GUANGFU), *line_of(guangfu, "amount_wan: 8")),
        "credit": (reg.shown(*TAOCI), *line_of(taoci, "credit_code:")),
        "bom": ("registry/centers/broken.yaml", 1, 1),
    }


def test_text_format_is_exact(
    mixed: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = mixed["reg"]
    code, out, err = _main(["validate", "--registry", "registry"], reg.root, monkeypatch, capsys)
    assert code == 1
    by_rule = {f.rule_id: f for f in reg.validate()}
    funding, credit, bom = by_rule["funding.amounts"], by_rule["credit-code.check"], by_rule["file.bom"]
    assert (funding.path, funding.line, funding.col) == mixed["funding"]
    assert (credit.path, credit.line, credit.col) == mixed["credit"]
    assert (bom.path, bom.line, bom.col) == mixed["bom"]
    assert "8" in funding.message
    assert out.splitlines() == [
        f"registry/centers/broken.yaml:1:1: error [file.bom] {bom.message}",
        f"{funding.path}:{funding.line}:{funding.col}: warning [funding.amounts] {funding.message}（第十三条）",
        f"{credit.path}:{credit.line}:{credit.col}: error [credit-code.check] {credit.message}",
    ]
    assert err.strip() == "2 个错误，1 个警告"


def test_text_lines_cite_the_article_exactly_when_the_rule_has_one(
    reg: Registry, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Many rules at once: every line parses, and ends with （第N条） iff its rule has an article."""

    def change(data: dict) -> None:
        data["category"] = "综合类"  # category.structure (第三条、第四条)
        data["director"]["age_at_application"] = 61  # eligibility.director (第九条)
        data["id"] = "sample-guangfu-x"  # id.filename (no article)

    reg.modify(*GUANGFU, change)
    reg.write_raw("centers", "tabbed.yaml", b"id:\tx\n")
    code, out, _ = _main(["validate", "--registry", "registry"], reg.root, monkeypatch, capsys)
    assert code == 1
    lines = out.splitlines()
    seen = set()
    for line in lines:
        match = TEXT_LINE.match(line)
        assert match, line
        rule = RULES[match["rule"]]
        seen.add(rule.id)
        assert match["severity"] == rule.severity.value
        if rule.article:
            assert match["message"].endswith(f"（{rule.article}）"), line
        else:
            assert not re.search(r"（第[一二三四五六七八九十]+条(、第[一二三四五六七八九十]+条)*）$", line), line
    assert {"category.structure", "eligibility.director", "id.filename", "file.tab"} <= seen


def test_github_format(
    mixed: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = mixed["reg"]
    code, out, _err = _main(["validate", "--registry", "registry", "--format", "github"], reg.root, monkeypatch, capsys)
    assert code == 1
    by_rule = {f.rule_id: f for f in reg.validate()}
    lines = out.splitlines()
    assert lines == [
        f"::error file=registry/centers/broken.yaml,line=1,col=1,title=file.bom::{by_rule['file.bom'].message}",
        "::warning file={},line={},col={},title=funding.amounts（第十三条）::{}".format(
            *mixed["funding"], by_rule["funding.amounts"].message
        ),
        "::error file={},line={},col={},title=credit-code.check::{}".format(
            *mixed["credit"], by_rule["credit-code.check"].message
        ),
    ]
    for line in lines:
        assert GITHUB_LINE.match(line), line


def test_github_escaping_unit() -> None:
    finding = Finding("registry/centers/a,b:c%.yaml", 3, 5, "error", "schema", "100% 错\r\n误: x,y")
    assert format_github(finding) == (
        "::error file=registry/centers/a%2Cb%3Ac%25.yaml,line=3,col=5,title=schema::100%25 错%0D%0A误: x,y"
    )
    warning = Finding("p.yaml", 1, 1, "warning", "funding.amounts", "m")
    assert format_github(warning) == "::warning file=p.yaml,line=1,col=1,title=funding.amounts（第十三条）::m"


def test_github_escaping_end_to_end(
    reg: Registry, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file name with , and : and a message quoting a record's value with % and LF (a CR is
    refused by the loader, text.control): the value is quoted escaped, on one line."""
    reg.write_raw("centers", "odd,name:1.yaml", b"\xef\xbb\xbf")
    path = reg.file(*GUANGFU)
    text = path.read_text(encoding="utf-8").replace("category: 领域类", 'category: "综合\\n::error::100%"')
    path.write_text(text, encoding="utf-8")
    code, out, _ = _main(["validate", "--registry", "registry", "--format", "github"], reg.root, monkeypatch, capsys)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2, lines  # CR and LF in a message must not split its annotation
    assert lines[0].startswith("::error file=registry/centers/odd%2Cname%3A1.yaml,line=1,col=1,title=file.bom::")
    assert lines[1].startswith(
        f"::error file=registry/centers/sample-guangfu.yaml,line={line_of(text, 'category:')[0]},"
    )
    assert "综合\\n::error::100%25" in lines[1]
    for line in lines:
        assert GITHUB_LINE.match(line), line


def test_json_format(
    mixed: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = mixed["reg"]
    code, out, _ = _main(["validate", "--registry", "registry", "--format", "json"], reg.root, monkeypatch, capsys)
    assert code == 1
    doc = json.loads(out)
    assert doc["errors"] == 2 and doc["warnings"] == 1 and len(doc["findings"]) == 3
    rows = {row["rule_id"]: row for row in doc["findings"]}
    assert set(rows) == {"file.bom", "funding.amounts", "credit-code.check"}
    for row in doc["findings"]:
        assert set(row) == {"path", "line", "col", "severity", "rule_id", "message", "article"}
        assert row["article"] == RULES[row["rule_id"]].article
    assert rows["funding.amounts"]["article"] == "第十三条"
    assert rows["file.bom"]["article"] is None
    assert (rows["funding.amounts"]["path"], rows["funding.amounts"]["line"], rows["funding.amounts"]["col"]) == mixed[
        "funding"
    ]
    assert rows["funding.amounts"]["severity"] == "warning"


def test_json_format_of_a_clean_registry(
    reg: Registry, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _main(["validate", "--registry", "registry", "--format", "json"], reg.root, monkeypatch, capsys)
    assert code == 0
    assert json.loads(out) == {"errors": 0, "warnings": 0, "findings": []}


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_warnings_alone_exit_zero(
    reg: Registry, fmt: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reg.modify(*GUANGFU, lambda d: d["director"].update(age_at_application=61))
    code, out, _ = _main(["validate", "--registry", "registry", "--format", fmt], reg.root, monkeypatch, capsys)
    assert code == 0
    assert "eligibility.director" in out


def test_paths_filter_findings(
    mixed: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = mixed["reg"]
    guangfu, taoci = reg.shown(*GUANGFU), reg.shown(*TAOCI)

    code, out, err = _main(["validate", "--registry", "registry", guangfu], reg.root, monkeypatch, capsys)
    assert code == 0  # only a warning in the asked-for file; the errors elsewhere are not shown
    assert [line.split(":")[0] for line in out.splitlines()] == [guangfu]
    assert err.strip() == "0 个错误，1 个警告"

    code, out, _ = _main(["validate", "--registry", "registry", taoci], reg.root, monkeypatch, capsys)
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == [taoci]

    absolute = str(reg.root / guangfu)
    code, out, _ = _main(["validate", "--registry", "registry", absolute, "./" + taoci], reg.root, monkeypatch, capsys)
    assert code == 1
    assert sorted(line.split(":")[0] for line in out.splitlines()) == [guangfu, taoci]

    code, out, _ = _main(
        ["validate", "--registry", "registry", reg.shown("center", "sample-wenwu")], reg.root, monkeypatch, capsys
    )
    assert (code, out) == (0, "")


def test_paths_filter_json(
    mixed: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = mixed["reg"]
    code, out, _ = _main(
        ["validate", "--registry", "registry", "--format", "json", "registry/centers/broken.yaml"],
        reg.root,
        monkeypatch,
        capsys,
    )
    assert code == 1
    doc = json.loads(out)
    assert (doc["errors"], doc["warnings"]) == (1, 0)
    assert [row["rule_id"] for row in doc["findings"]] == ["file.bom"]


def test_paths_filter_still_validates_the_whole_registry(
    reg: Registry, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Asking about a notice alone still sees the centers: a dangling entry is reported."""
    reg.modify("notice", "approval-2025", lambda d: d["entries"][0].update(center="sample-nowhere"))
    notice = reg.shown("notice", "approval-2025")
    code, out, _ = _main(["validate", "--registry", "registry", notice], reg.root, monkeypatch, capsys)
    assert code == 1
    assert all(line.startswith(notice + ":") for line in out.splitlines())
    assert "[ref.center]" in out


# --- subprocess: the real entry point --------------------------------------------------------


@pytest.mark.slow
def test_sample_registry_validates_with_zero_findings() -> None:
    result = run_cli("validate", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "0 个错误，0 个警告"


@pytest.mark.slow
def test_exit_status_one_on_errors(reg: Registry) -> None:
    reg.modify(*GUANGFU, lambda d: d.update(id="sample-other"))
    result = run_cli("validate", "--registry", "registry", cwd=reg.root)
    assert result.returncode == 1
    assert "[id.filename]" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_usage_error_exits_two_in_a_subprocess(tmp_path: Path) -> None:
    result = run_cli("validate", "--bogus", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args", [["validate", "--bogus"], ["validate", "--format", "xml"], []])
def test_bad_command_lines_exit_two(
    tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _main(args, tmp_path, monkeypatch, capsys)
    assert exit_info.value.code == 2


@pytest.mark.parametrize("make", ["missing", "file"])
def test_registry_that_is_not_a_folder_exits_two(
    tmp_path: Path, make: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if make == "file":
        (tmp_path / "no-such-dir").write_text("x", encoding="utf-8")
    code, out, err = _main(["validate", "--registry", "no-such-dir"], tmp_path, monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert "no-such-dir" in err


@pytest.mark.slow
def test_a_path_outside_the_registry_is_a_usage_error() -> None:
    """A typo or a file elsewhere must not pass as "0 errors": exit 2 and say which path."""
    for path in ("README.md", "registry/centers/no-such-center.yaml"):
        result = run_cli("validate", path, cwd=ROOT)
        assert result.returncode == 2, path
        assert "不在名录目录" in result.stderr and path.split("/")[-1] in result.stderr
        assert "Traceback" not in result.stderr
