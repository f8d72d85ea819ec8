"""`python -m generator fmt`: one canonical layout, comments kept, values never changed."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from generator.cli import main
from generator.records.canonical import CannotFormat, Commented, canonical, render, wrap
from generator.records.load import parse, record_files
from tests.support import ROOT, SAMPLE_REGISTRY, dump_yaml

CENTER_LINE = "# yaml-language-server: $schema=../../schema/center.schema.json"


def _fmt(registry: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["fmt", "--registry", str(registry), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("path", "kind"),
    list(record_files(SAMPLE_REGISTRY)),
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_every_sample_record_is_canonical_byte_for_byte(path: Path, kind: str) -> None:
    raw = path.read_bytes()
    assert canonical(raw, kind, path.name).encode("utf-8") == raw


def test_check_passes_on_the_repository(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = _fmt(Path("registry"), "--check", capsys=capsys)
    assert code == 0, err
    assert "均为规范格式" in err


MESSY = """\
# 文件开头的说明

name: '忻州市示例精密锻件技术创新中心'   # 现用名称
id: sample-duanzao
category: 领域类
field: 高端装备制造
location: 定襄县
supervising_unit: 定襄县工信和科技局
first_host_unit: {kind: 企业, name: 示例甲锻造有限公司（演示）}
research_directions: [精密锻造工艺, "大型环锻件", 锻件无损检测]

events:
  # 批准之后的任务书
  - kind: task_book
    planned_end: "2027-12-05"
    date: 2025-12-20
  - date: 2025-12-05
    source:
      document_number: 忻科发〔2025〕30号
    kind: approval  # 批准建设
# 文件末尾的说明
"""

MESSY_CANONICAL = f"""\
{CENTER_LINE}
# 文件开头的说明
id: sample-duanzao
name: 忻州市示例精密锻件技术创新中心  # 现用名称
category: 领域类
field: 高端装备制造
location: 定襄县
supervising_unit: 定襄县工信和科技局
first_host_unit:
  name: 示例甲锻造有限公司（演示）
  kind: 企业
research_directions:
  - 精密锻造工艺
  - 大型环锻件
  - 锻件无损检测
events:
  - date: 2025-12-05
    kind: approval  # 批准建设
    source:
      document_number: 忻科发〔2025〕30号
  # 批准之后的任务书
  - date: 2025-12-20
    kind: task_book
    planned_end: 2027-12-05
# 文件末尾的说明
"""


def test_keys_in_schema_order_events_by_date_comments_kept() -> None:
    assert canonical(MESSY.encode(), "center", "x.yaml") == MESSY_CANONICAL
    assert canonical(MESSY_CANONICAL.encode(), "center", "x.yaml") == MESSY_CANONICAL


def test_same_day_events_keep_their_order() -> None:
    record = {
        "id": "x-1",
        "events": [
            {"date": "2025-01-02", "kind": "withdrawal"},
            {"date": "2025-01-02", "kind": "application"},
            {"date": "2024-12-31", "kind": "application"},
        ],
    }
    text = render(Commented(wrap(record)), "center", "x.yaml")
    kinds = [line.split(": ")[1] for line in text.splitlines() if line.strip().startswith("kind:")]
    assert kinds == ["application", "withdrawal", "application"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("忻州市示例", "忻州市示例"),
        ("2024-01-31", "2024-01-31"),
        ("0350-3030208", "0350-3030208"),
        ("010", '"010"'),
        ("yes", '"yes"'),
        ("true", '"true"'),
        ("null", '"null"'),
        ("1.5", '"1.5"'),
        ("- x", '"- x"'),
        ("a: b", '"a: b"'),
        ("a #b", '"a #b"'),
        ("#x", '"#x"'),
        ("", '""'),
        (" lead", '" lead"'),
        ('say "hi"', 'say "hi"'),
        ('"hi" he said', '"\\"hi\\" he said"'),
        ("两行\n文字", '"两行\\n文字"'),
        (12, "12"),
        (1.5, "1.5"),
        (1e20, "100000000000000000000.0"),
        (True, "true"),
        (None, "null"),
    ],
)
def test_consistent_quoting(value: object, written: str) -> None:
    text = render(Commented(wrap({"id": "x-1", "note": value})), "center", "x.yaml")
    assert f"note: {written}\n" in text
    doc, problems = parse(text.encode(), "x.yaml", "center")
    assert not problems and doc is not None and doc.data["note"] == value


@pytest.mark.parametrize("value", ["bell\x07", "line\u2028sep", "esc\x1b[2J", "rlo\u202e", "zw\u200b"])
def test_what_no_record_may_hold_is_not_written(value: str) -> None:
    """A control, direction or zero-width character is refused by the loader however it is
    written (issue 14), so the canonical text of a value holding one cannot read back."""
    with pytest.raises(CannotFormat):
        render(Commented(wrap({"id": "x-1", "note": value})), "center", "x.yaml")


def test_hostile_strings_read_back_unchanged() -> None:
    """Whatever a string holds (of what a record may hold), the canonical text reads back to it."""
    alphabet = list("ab 0:#-'\"\\[]{}&*!|>%@`,?~\n") + ["中", "文", "😀", "〔", "〕"]
    rng = random.Random(18)
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(400)]
    record = {"id": "x-1", "research_directions": values, "note": values[0]}
    text = render(Commented(wrap(record)), "center", "x.yaml")
    doc, problems = parse(text.encode(), "x.yaml", "center")
    assert not problems and doc is not None
    assert doc.data["research_directions"] == values


def test_stubs_of_new_are_canonical(registry_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for kind in ("center", "notice"):
        assert main(["new", kind, "--stub", "--registry", str(registry_copy), "--as-of", "2026-05-01"]) == 0
    capsys.readouterr()
    code, _, err = _fmt(registry_copy, "--check", capsys=capsys)
    assert code == 0, err


def test_check_names_the_fix_and_fmt_fixes(registry_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = registry_copy / "centers" / "sample-nongmu.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original.replace("category: 综合类\n", "").replace(
            "id: sample-nongmu\n", "id: sample-nongmu\ncategory: '综合类'\n"
        ),
        encoding="utf-8",
    )
    code, _, err = _fmt(registry_copy, "--check", capsys=capsys)
    assert code == 1
    shown = path.absolute().relative_to(Path.cwd()).as_posix() if path.is_relative_to(Path.cwd()) else path.as_posix()
    assert f"{shown}：不是规范格式" in err
    assert f"改正：运行 python -m generator fmt {shown}" in err
    assert path.read_text(encoding="utf-8") != original  # --check changes nothing
    code, out, _ = _fmt(registry_copy, str(path), capsys=capsys)
    assert code == 0 and "已改写" in out
    assert path.read_text(encoding="utf-8") == original
    assert _fmt(registry_copy, "--check", capsys=capsys)[0] == 0


def test_unreadable_files_are_reported_not_rewritten(registry_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = registry_copy / "centers" / "broken.yaml"
    broken.write_text(f"{CENTER_LINE}\nid: broken\nname: [unclosed\n", encoding="utf-8")
    tabbed = registry_copy / "centers" / "tabbed.yaml"
    tabbed.write_bytes(b"id: tabbed\n\tname: x\n")
    outside = registry_copy.parent / "outside.yaml"
    outside.write_text("id: outside\n", encoding="utf-8")
    link = registry_copy / "centers" / "link.yaml"
    link.symlink_to(outside)
    code, _, err = _fmt(registry_copy, capsys=capsys)
    assert code == 1
    assert "yaml.syntax" in err and "file.tab" in err and "符号链接" in err
    assert broken.read_text(encoding="utf-8").endswith("[unclosed\n")
    assert tabbed.read_bytes() == b"id: tabbed\n\tname: x\n"
    assert outside.read_text(encoding="utf-8") == "id: outside\n" and link.is_symlink()
    with pytest.raises(CannotFormat):
        canonical(b"\xef\xbb\xbfid: x\n", "center", "x.yaml")


def test_paths_must_be_record_files(registry_copy: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    stranger = tmp_path / "elsewhere.yaml"
    stranger.write_text("id: x\n", encoding="utf-8")
    code, _, err = _fmt(registry_copy, str(stranger), capsys=capsys)
    assert code == 2 and "不是名录目录" in err
    assert stranger.read_text(encoding="utf-8") == "id: x\n"


def test_fmt_keeps_validation_and_derivations(registry_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A record written with keys and events out of order: fmt restores the canonical text, and
    with it the very findings and facts of the original (the events.order error goes away)."""
    from generator.derive.facts import derive
    from generator.validate.registry import validate_registry

    path = registry_copy / "centers" / "sample-zaliang.yaml"
    original = path.read_text(encoding="utf-8")
    doc, _ = parse(path.read_bytes(), "x", "center")
    assert doc is not None
    before = validate_registry(registry_copy, registry_copy.parent)
    shuffled = dict(reversed(list(doc.data.items())))
    shuffled["events"] = list(reversed(doc.data["events"]))
    path.write_text(f"{CENTER_LINE}\n{dump_yaml(shuffled)}", encoding="utf-8")
    messy = validate_registry(registry_copy, registry_copy.parent)
    assert "events.order" in {f.rule_id for f in messy.findings}
    assert _fmt(registry_copy, str(path), capsys=capsys)[0] == 0
    assert path.read_text(encoding="utf-8") == original
    after = validate_registry(registry_copy, registry_copy.parent)
    assert [(f.rule_id, f.message) for f in after.findings] == [(f.rule_id, f.message) for f in before.findings]
    day = dt.date(2026, 12, 1)
    facts_before, facts_after = derive(before.registry, day), derive(after.registry, day)
    assert facts_after.by_id["sample-zaliang"].status == facts_before.by_id["sample-zaliang"].status
