"""The supervising units' list (registry/supervising_units.yaml): read, checked, formatted, compared.

The rules' pass/fail cases are in test_rules.py (ref.unit, units.unique); here: the file
itself under hostile input, the message a typo gets, former names, `fmt`, `diff`, the
synthetic registry and the proposal form that offers the list.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator.diff.compare import compare, read_side
from generator.diff.report import format_markdown, format_text
from generator.issues.forms import load_forms
from generator.records.canonical import canonical
from generator.records.load import SCHEMA_LINES
from generator.validate.registry import validate_registry
from tests.support import AS_OF, HOSTILE_FILES, ROOT, Registry, line_of

UNITS_FILE = "registry/supervising_units.yaml"


def _units(reg: Registry) -> dict:
    return reg.load("supervising_units", "")


def test_sample_list_names_every_unit_the_records_name() -> None:
    units = validate_registry(ROOT / "registry", ROOT).registry.units
    assert units is not None and len(units.units) == 15
    records = validate_registry(ROOT / "registry", ROOT).registry
    named = {c.data["supervising_unit"] for c in records.centers}
    named |= {e["supervising_unit"] for n in records.notices for e in n.entries if "supervising_unit" in e}
    assert named <= set(units.all_names)
    assert {u.county for u in units.units} >= {"忻府区", "河曲县", "忻州经济开发区"}


def test_a_typo_names_file_line_the_unknown_name_and_the_nearest(reg: Registry) -> None:
    text = reg.modify("center", "sample-zaliang", lambda d: d.update(supervising_unit="忻府区工信科技局"))
    line, col = line_of(text, "supervising_unit:")
    [finding] = reg.validate()
    assert (finding.path, finding.line, finding.col, finding.rule_id) == (
        "registry/centers/sample-zaliang.yaml",
        line,
        col,
        "ref.unit",
    )
    assert "“忻府区工信科技局”" in finding.message and UNITS_FILE in finding.message
    assert "最接近的已登记名称：忻府区工信和科技局" in finding.message  # the nearest comes first


def test_a_name_like_nothing_listed_asks_to_register_it(reg: Registry) -> None:
    reg.modify("center", "sample-zaliang", lambda d: d.update(supervising_unit="太原市某某管理委员会"))
    [finding] = reg.validate()
    assert "最接近" not in finding.message and "先在名录中登记" in finding.message


def test_a_notice_entry_unit_is_checked_too(reg: Registry) -> None:
    text = reg.modify("notice", "approval-2025", lambda d: d["entries"][0].update(supervising_unit="定襄工信局"))
    [finding] = reg.validate()
    assert (finding.path, finding.rule_id) == ("registry/notices/approval-2025.yaml", "ref.unit")
    assert finding.line == line_of(text, "supervising_unit: 定襄工信局")[0]


def test_a_former_name_means_the_unit(reg: Registry) -> None:
    reg.modify("center", "sample-zaliang", lambda d: d.update(supervising_unit="忻府区科学技术局"))
    result = validate_registry(reg.dir, reg.root)
    assert result.findings == []
    units = result.registry.units
    assert units is not None and units.named("忻府区科学技术局") is units.named("忻府区工信和科技局")


def test_a_name_of_two_units_is_an_error_at_the_second(reg: Registry) -> None:
    def change(d: dict) -> None:
        d["units"][1]["former_names"] = ["忻府区工信和科技局"]  # the first unit's name

    text = reg.modify("supervising_units", "", change)
    [finding] = reg.validate()
    assert finding.rule_id == "units.unique" and finding.path == UNITS_FILE
    assert finding.line == line_of(text, "- 忻府区工信和科技局")[0]
    assert "xinfu-gxkj" in finding.message


def test_missing_list_is_one_finding_not_one_per_center(reg: Registry) -> None:
    (reg.dir / "supervising_units.yaml").unlink()
    assert [(f.path, f.line, f.rule_id) for f in reg.validate()] == [(UNITS_FILE, 1, "registry.units")]


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_list_file_gives_one_finding(reg: Registry, name: str) -> None:
    """Whatever the list file holds, one finding with its line, and no finding per center."""
    raw, rule_id, line, col = HOSTILE_FILES[name]
    (reg.dir / "supervising_units.yaml").write_bytes(raw)
    findings = reg.validate()
    assert [(f.path, f.rule_id, f.line) for f in findings] == [(UNITS_FILE, rule_id, line)], findings
    if col is not None:
        assert findings[0].col == col


@pytest.mark.parametrize(
    ("change", "at"),
    [
        (lambda d: d["units"][0].update(id="Xinfu"), "id: Xinfu"),
        (lambda d: d["units"][0].update(county="太原市"), "county: 太原市"),
        (lambda d: d["units"][0].update(name="忻府"), "name: 忻府"),
        (lambda d: d["units"][0].update(extra="x"), "extra: x"),
        (lambda d: d["units"][0].update(former_names="忻府区科技局"), "former_names: 忻府区科技局"),
    ],
    ids=["id", "county", "short-name", "unknown-key", "former-not-list"],
)
def test_schema_findings_point_at_the_field(reg: Registry, change, at: str) -> None:
    text = reg.modify("supervising_units", "", change)
    findings = reg.validate()
    assert [(f.path, f.rule_id) for f in findings][:1] == [(UNITS_FILE, "schema")], findings
    assert findings[0].line == line_of(text, at)[0] and "Traceback" not in findings[0].message


def test_fmt_round_trips_the_list_and_puts_keys_in_schema_order() -> None:
    raw = (ROOT / UNITS_FILE).read_bytes()
    assert canonical(raw, "supervising_units", UNITS_FILE).encode() == raw
    shuffled = (
        SCHEMA_LINES["supervising_units"]
        + "\n# 注释保留\nunits:\n  - county: 市直\n    name: 忻州市工业和信息化局\n    id: shizhi-gxj\n"
    )
    out = canonical(shuffled.encode(), "supervising_units", UNITS_FILE)
    assert out.splitlines()[1:] == [
        "# 注释保留",
        "units:",
        "  - id: shizhi-gxj",
        "    name: 忻州市工业和信息化局",
        "    county: 市直",
    ]


def test_diff_reports_each_unit_added_changed_and_removed(tmp_path: Path) -> None:
    base, head = tmp_path / "base" / "registry", tmp_path / "head" / "registry"
    shutil.copytree(ROOT / "registry", base)
    shutil.copytree(ROOT / "registry", head)
    reg = Registry(head.parent)

    def change(d: dict) -> None:
        d["units"][0]["name"] = "忻府区科技创新局"
        d["units"][0]["former_names"] = ["忻府区科学技术局", "忻府区工信和科技局"]
        d["units"] = [u for u in d["units"] if u["id"] != "kelan-gxkj"]  # no center names it
        d["units"].append({"id": "shizhi-gxj", "name": "忻州市工业和信息化局", "county": "市直"})

    reg.modify("supervising_units", "", change)
    report = compare(read_side("BASE", base, base.parent, AS_OF), read_side("HEAD", head, head.parent, AS_OF), AS_OF)
    assert [(i.label, i.before, i.after) for i in report.units] == [
        ("删除归口管理单位 kelan-gxkj", "岢岚县工信和科技局，岢岚县", None),
        ("新增归口管理单位 shizhi-gxj", None, "忻州市工业和信息化局，市直"),
        (
            "变更归口管理单位 xinfu-gxkj",
            "忻府区工信和科技局，忻府区（曾用名：忻府区科学技术局）",
            "忻府区科技创新局，忻府区（曾用名：忻府区科学技术局、忻府区工信和科技局）",
        ),
    ]
    assert report.changed and ("归口管理单位名录变更", 3) in report.summary()
    for shown in (format_text(report), format_markdown(report)):
        assert "新增归口管理单位 shizhi-gxj" in shown and "忻州市工业和信息化局" in shown


def test_synthetic_list_is_valid_and_covers_every_center(tmp_path: Path) -> None:
    from bench.synth import generate

    generate(tmp_path / "registry", 60)
    result = validate_registry(tmp_path / "registry", tmp_path)
    assert result.findings == []
    assert result.registry.units is not None and len(result.registry.units.units) == 15


def test_proposal_form_offers_exactly_the_listed_units() -> None:
    """The form's dropdown is the list (current names, in order): a proposal cannot misspell a unit."""
    data = yaml.safe_load((ROOT / UNITS_FILE).read_text(encoding="utf-8"))
    form = next(f for f in load_forms() if f.purpose == "propose-record")
    field = next(f for f in form.fields if f.id == "supervising_unit")
    assert field.type == "dropdown"
    assert list(field.options) == [u["name"] for u in data["units"]], (
        "归口管理单位名录变了：请同步 .github/ISSUE_TEMPLATE/propose-record.yml 的选项"
    )


def test_units_pass_the_hostile_values_of_a_name_without_breaking_anything(tmp_path: Path) -> None:
    """A unit named like an attack validates (it is only text) and every page escapes it."""
    from generator.build import render_outputs
    from generator.derive.facts import derive

    registry = tmp_path / "registry"
    shutil.copytree(ROOT / "registry", registry)
    hostile = "<script>alert(1)</script>{{ 7*7 }}| a |"
    reg = Registry(tmp_path)
    reg.modify(
        "supervising_units", "", lambda d: d["units"][0].update(name=hostile, former_names=["忻府区工信和科技局"])
    )
    reg.modify("center", "sample-zaliang", lambda d: d.update(supervising_unit=hostile))
    result = validate_registry(registry, tmp_path)
    assert result.errors == [], result.errors
    outputs = render_outputs(derive(result.registry, AS_OF), [])
    # A record page's first line is its header (JSON of plain text, which the plugin escapes).
    page = outputs["units/xinfu-gxkj/index.md"].decode().split("\n", 1)[1]
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    center = outputs["centers/sample-zaliang/index.md"].decode().split("\n", 1)[1]
    assert '<a href="../../units/xinfu-gxkj/">&lt;script&gt;' in center
    county = outputs["counties/忻府区/index.md"].decode().split("\n", 1)[1]
    for shown in (outputs["units/index.md"].decode(), county):
        assert "<script>alert" not in shown and "&lt;script&gt;alert" in shown
