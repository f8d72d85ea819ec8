"""Nothing from a record can forge output (issue 14): no line of a terminal, a CI log or a
job summary starts with `::` (a GitHub workflow command) or a fence, no control character
reaches a terminal, and one file's thousands of mistakes give a bounded list.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.rules.findings import PER_FILE, Finding, bounded, format_github, format_json, format_text
from generator.rules.text import escape, for_terminal, quoted
from tests.support import AS_OF, Registry, make_project, run_cli

FORGED = "\n::error file=README.md,line=1::伪造的注释\n~~~~\n\x1b[2J\u202e"
APPROVAL_2026 = ("notice", "approval-2026")


def _command_lines(output: str) -> list[str]:
    """Lines a GitHub runner would act on, or that close the summary's ~~~~ fence."""
    return [line for line in output.splitlines() if line.lstrip().startswith(("::", "~~~"))]


def test_text_and_github_lines_escape_what_a_finding_carries() -> None:
    finding = Finding("registry/centers/a\n::error::b\x1b[31m.yaml", 3, 5, "error", "schema", f"取值{FORGED}")
    text = format_text(finding)
    assert "\n" not in text and "\x1b" not in text and "\u202e" not in text
    assert text.startswith("registry/centers/a\\n::error::b\\u001b[31m.yaml:3:5: error [schema] 取值\\n::error")
    github = format_github(finding)
    assert github.count("\n") == 0 and "\x1b" not in github and "\u202e" not in github
    assert github.startswith("::error file=registry/centers/a%0A%3A%3Aerror%3A%3Ab\\u001b[31m.yaml,line=3,col=5,")


def test_json_keeps_values_exact_and_escapes_what_a_terminal_would_act_on() -> None:
    finding = Finding("p.yaml", 1, 1, "error", "schema", "a\u202eb\x1bc\u200bd")
    out = format_json([finding])
    assert "\u202e" not in out and "\x1b" not in out and "\u200b" not in out
    assert json.loads(out)["findings"][0]["message"] == "a\u202eb\x1bc\u200bd"


def test_terminal_text_keeps_lines_but_no_command_can_start_one() -> None:
    out = for_terminal(f"第一行\n  ::warning::x\n正常{FORGED}")
    assert _command_lines(out) == [] and "\x1b" not in out and "\u202e" not in out
    assert out.splitlines()[0] == "第一行" and "\\::warning::x" in out


def test_quoted_values_are_one_short_line() -> None:
    assert quoted("a\nb" * 100) == escape("a\nb" * 100)[:59] + "…" and len(quoted("x" * 1000)) == 60
    assert quoted(12) == "12"


# --- bounded: one file's thousands of mistakes ------------------------------------------


@pytest.fixture
def thousands(reg: Registry) -> Registry:
    """approval-2026 lists 3,000 centers that do not exist: 3,000 ref.center errors."""

    def entries(data: dict[str, Any]) -> None:
        data["entries"] += [{"center": f"missing-{i:04d}", "name": "忻州市示例缺失技术创新中心"} for i in range(3000)]

    reg.modify(*APPROVAL_2026, entries)
    return reg


def test_bounded_keeps_fifty_per_file_then_counts_the_rest() -> None:
    findings = [Finding("a.yaml", i, 1, "warning" if i % 2 else "error", "schema", "m") for i in range(1, 121)]
    findings += [Finding("b.yaml", 1, 1, "warning", "schema", "m")]
    out = bounded(findings)
    assert [f.path for f in out] == ["a.yaml"] * (PER_FILE + 1) + ["b.yaml"]
    summary = out[PER_FILE]
    assert (summary.rule_id, summary.severity, summary.line) == ("findings.limit", "error", PER_FILE + 1)
    assert "另有 70 条" in summary.message and "35 个错误，35 个警告" in summary.message
    assert bounded(findings[:PER_FILE]) == findings[:PER_FILE]


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_every_format_lists_a_bounded_number_per_file(thousands: Registry, fmt: str) -> None:
    result = run_cli("validate", "--registry", "registry", "--format", fmt, cwd=thousands.root, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    shown = thousands.shown(*APPROVAL_2026)
    if fmt == "json":
        doc = json.loads(result.stdout)
        rows = [r for r in doc["findings"] if r["path"] == shown]
        assert doc["errors"] >= 3000  # the counts are of all findings
        messages = [r["message"] for r in rows]
    else:
        lines = [line for line in result.stdout.splitlines() if shown in line]
        messages = lines
        if fmt == "github":
            assert all(line.startswith("::error file=") for line in lines)
        else:
            assert result.stderr.strip().startswith("3000 个错误")
    assert len(messages) == PER_FILE + 1
    assert "… 另有 2950 条未列出（2950 个错误，0 个警告）" in messages[-1]


def test_a_build_lists_a_bounded_number_of_errors(thousands: Registry) -> None:
    from generator.build import BuildFailed, generate_docs

    with pytest.raises(BuildFailed) as failed:
        generate_docs(thousands.dir, AS_OF, docs=thousands.root / "docs", repo=thousands.root)
    assert str(failed.value).count("[ref.center]") == PER_FILE
    assert "另有 2950 条" in str(failed.value)


# --- what a record says reaches terminals escaped -----------------------------------------


def test_status_shows_record_text_on_one_line(reg: Registry) -> None:
    """A notice title is free text (a block scalar may hold newlines): status prints it escaped."""
    path = reg.file(*APPROVAL_2026)
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.M).group(1)
    path.write_text(text.replace(f"title: {title}", f'title: "{title}\\n::error::伪造\\n~~~~"'), encoding="utf-8")
    result = run_cli("status", "--registry", "registry", "--as-of", "2026-11-26", cwd=reg.root)
    assert result.returncode == 0, result.stderr
    assert _command_lines(result.stdout) == []
    assert f"{title}\\n::error::伪造\\n~~~~" in result.stdout


def test_validate_text_in_the_job_summary_cannot_close_its_fence(reg: Registry) -> None:
    """The CI job summary wraps `validate --format text` in a ~~~~ fence; a quoted value with
    newlines would close it and start workflow commands."""
    path = reg.file("center", "sample-guangfu")
    text = path.read_text(encoding="utf-8").replace("category: 领域类", 'category: "综合\\n~~~~\\n::error::x"')
    path.write_text(text, encoding="utf-8")
    for fmt in ("text", "github"):
        result = run_cli("validate", "--registry", "registry", "--format", fmt, cwd=reg.root)
        assert result.returncode == 1
        lines = result.stdout.splitlines()
        assert len(lines) == 1 and not lines[0].startswith("~~~")
        assert _command_lines(result.stdout) == ([] if fmt == "text" else lines)


def test_a_file_name_cannot_forge_a_line(reg: Registry) -> None:
    reg.write_raw("centers", "x\n::error::伪造\x1b[2J.yaml", b"id: x\n")
    result = run_cli("validate", "--registry", "registry", cwd=reg.root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert _command_lines(result.stdout) == [] and "\x1b" not in result.stdout
    assert "x\\n::error::伪造\\u001b[2J.yaml" in result.stdout


def test_a_failed_site_build_prints_mkdocs_output_escaped(tmp_path: Path, monkeypatch) -> None:
    import subprocess

    import generator.build as build_module
    from generator.build import BuildFailed, build_site

    project = make_project(tmp_path / "project")

    def mkdocs(cmd, **kwargs):
        return subprocess.CompletedProcess(cmd, 1, "WARNING - page 关于\n::error::伪造\x1b[31m\n", "")

    monkeypatch.setattr(build_module.subprocess, "run", mkdocs)
    with pytest.raises(BuildFailed) as failed:
        build_site(AS_OF, project / "registry", repo=project)
    assert _command_lines(str(failed.value)) == [] and "\x1b" not in str(failed.value)


def test_fmt_check_in_ci_cannot_forge_a_line(reg: Registry) -> None:
    """CI runs `fmt --check`: it names files, and a file name may hold a newline and `::`."""
    text = reg.text("center", "sample-guangfu")
    reg.write_raw("centers", "y\n::error::伪造.yaml", text.replace("category: 领域类\n", "") + "category: 领域类\n")
    reg.write_raw("centers", "z\n::error::伪造.yaml", b"id: z-1\nnote: [\n")
    result = run_cli("fmt", "--check", "--registry", "registry", cwd=reg.root)
    assert "不是规范格式" in result.stderr and "无法规范格式" in result.stderr
    assert "Traceback" not in result.stderr
    assert _command_lines(result.stdout + result.stderr) == []
