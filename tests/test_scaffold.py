"""`python -m generator new`: stubs that fail validation at each blank and validate once filled."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import pytest
import yaml

from generator import scaffold
from generator.cli import _parser, main
from generator.validate.registry import validate_registry
from tests.support import CENTER_FILL, NOTICE_FILL, ROOT, fill

AS_OF = dt.date(2026, 5, 1)


def new(registry: Path, kind: str, record_id: str | None = None, as_of: dt.date | None = AS_OF) -> int:
    """`new KIND --stub` through the command line, as a person runs it."""
    argv = ["new", kind, "--stub", "--registry", str(registry)]
    argv += [f"--id={record_id}"] if record_id is not None else []
    argv += ["--as-of", as_of.isoformat()] if as_of is not None else []
    return main(argv)


def blank_lines(text: str) -> set[int]:
    return {i for i, line in enumerate(text.splitlines(), 1) if '""' in line and not line.lstrip().startswith("#")}


@pytest.mark.parametrize(
    ("kind", "folder", "record_id", "values"),
    [
        ("center", "centers", "tic-2026-001", CENTER_FILL),
        ("notice", "notices", "notice-2026-01", NOTICE_FILL),
    ],
)
def test_stub_fails_at_each_blank_and_validates_once_filled(
    registry_copy: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    folder: str,
    record_id: str,
    values: dict[str, str],
) -> None:
    root = registry_copy.parent
    assert new(registry_copy, kind) == 0
    path = registry_copy / folder / f"{record_id}.yaml"
    out = capsys.readouterr().out
    assert str(path) in out and "python -m generator validate" in out

    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../../schema/{kind}.schema.json"
    assert f"id: {record_id}" in text
    shown = f"registry/{folder}/{record_id}.yaml"
    findings = [f for f in validate_registry(registry_copy, root).findings if f.path == shown]
    assert findings and all(f.is_error and f.rule_id == "schema" for f in findings)
    assert {f.line for f in findings} == blank_lines(text)  # one or more errors at every blank, none elsewhere

    path.write_text(fill(text, values), encoding="utf-8")
    result = validate_registry(registry_copy, root)
    assert result.errors == []
    assert record_id in {r.id for r in (*result.registry.centers, *result.registry.notices)}


def test_center_stub_comments_explain_fields_and_list_enums(registry_copy: Path) -> None:
    new(registry_copy, "center", "tic-2026-050")
    text = (registry_copy / "centers" / "tic-2026-050.yaml").read_text(encoding="utf-8")
    assert "# 中心名称：现用名称，统一为“忻州市××技术创新中心”" in text
    assert "可选值：综合类、领域类" in text
    assert "可选值：企业、高校、科研院所、新型研发机构、其他" in text
    assert "忻府区、定襄县" in text and "忻州经济开发区" in text
    assert f"  - date: {AS_OF.isoformat()}\n" in text and "    kind: application\n" in text
    assert "director（中心负责人）" in text  # optional fields are named in a closing comment


def touch(registry: Path, folder: str, *ids: str) -> None:
    for record_id in ids:
        (registry / folder / f"{record_id}.yaml").write_text("id: x\n", encoding="utf-8")


def test_next_free_id(registry_copy: Path) -> None:
    assert scaffold.next_id(registry_copy, "center", 2026) == "tic-2026-001"
    touch(registry_copy, "centers", "tic-2026-001", "tic-2026-007", "tic-2025-010", "tic-2026-1000", "tic-2026-x")
    assert scaffold.next_id(registry_copy, "center", 2026) == "tic-2026-008"  # gaps are not reused
    assert scaffold.next_id(registry_copy, "center", 2025) == "tic-2025-011"
    assert scaffold.next_id(registry_copy, "center", 2027) == "tic-2027-001"
    assert scaffold.next_id(registry_copy, "notice", 2026) == "notice-2026-01"
    touch(registry_copy, "notices", "notice-2026-01", "notice-2026-02")
    assert scaffold.next_id(registry_copy, "notice", 2026) == "notice-2026-03"


def test_new_uses_the_as_of_year_and_the_next_id(registry_copy: Path) -> None:
    touch(registry_copy, "centers", "tic-2027-004")
    assert new(registry_copy, "center", as_of=dt.date(2027, 1, 2)) == 0
    assert (registry_copy / "centers" / "tic-2027-005.yaml").is_file()
    assert new(registry_copy, "center", as_of=dt.date(2027, 1, 2)) == 0
    assert (registry_copy / "centers" / "tic-2027-006.yaml").is_file()


def test_no_as_of_means_today_in_shanghai(registry_copy: Path) -> None:
    """The command line reads the clock (cli.main), once, for every command."""
    from generator.rules.dates import today_in_shanghai

    assert main(["new", "notice", "--registry", str(registry_copy)]) == 0
    assert (registry_copy / "notices" / f"notice-{today_in_shanghai().year}-01.yaml").is_file()


def test_refuses_to_overwrite(registry_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = registry_copy / "centers" / "sample-duanzao.yaml"
    before = path.read_bytes()
    assert new(registry_copy, "center", "sample-duanzao") == 2
    assert path.read_bytes() == before
    assert "已存在" in capsys.readouterr().err


def test_exhausted_numbers_are_a_usage_error(registry_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    touch(registry_copy, "notices", "notice-2026-99")
    assert new(registry_copy, "notice") == 2
    assert "--id" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["Tic-1", "tic_2026", "a", "-x", "tic--1", "../evil", "tic-1\n", "tic-1/../../x"])
def test_bad_id_is_a_usage_error(registry_copy: Path, capsys: pytest.CaptureFixture[str], bad: str) -> None:
    assert new(registry_copy, "center", bad) == 2
    assert "标识" in capsys.readouterr().err
    assert sorted(p.name for p in registry_copy.rglob("*.yaml") if not p.name.startswith("sample-")) == [
        "acceptance-2024.yaml",
        "approval-2024.yaml",
        "approval-2025.yaml",
        "approval-2026.yaml",
        "registry.yaml",
        "revocation-2025.yaml",
        "supervising_units.yaml",
        "xinkegui-2023-2.yaml",
        "xinkegui-2024-4.yaml",
    ]


def test_missing_registry_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(tmp_path / "nowhere", "center") == 2
    assert "找不到名录目录" in capsys.readouterr().err


def test_arguments() -> None:
    parser = _parser()
    args = parser.parse_args(["new", "center", "--id", "tic-2026-009"])
    assert (args.kind, args.record_id, args.stub) == ("center", "tic-2026-009", False)
    assert parser.parse_args(["new", "notice", "--stub"]).record_id is None
    with pytest.raises(SystemExit):
        parser.parse_args(["new", "centre"])


# --- new center in a terminal ---------------------------------------------------------------


class _Terminal(io.StringIO):
    """Answers typed at a terminal: a text stream that says it is one."""

    def isatty(self) -> bool:
        return True


UNIT = "原平市工信和科技局"
UNIT_NUMBER = str(
    [u["name"] for u in yaml.safe_load((ROOT / "registry" / "supervising_units.yaml").read_bytes())["units"]].index(
        UNIT
    )
    + 1
)
ANSWERS = [
    "Tic-1",  # refused: upper case
    "../evil",  # refused: not a slug
    "sample-nongmu",  # refused: exists
    "",  # the suggested id
    "忻州市矿山",  # refused: too short
    "忻州市示例智能矿山技术创新中心",
    "2",  # 领域类, by its number
    "智能矿山",
    "太原市",  # refused: not a county of Xinzhou
    "原平市",
    "原平市工信科技局",  # refused: not in registry/supervising_units.yaml; the nearest is offered
    UNIT_NUMBER,  # 原平市工信和科技局, by its number in the list
    "示例智矿装备有限公司（演示）",
    "企业",
    "91140981MA0K1X00",  # refused: not 18 characters
    "",  # the credit code is optional
    "矿山智能感知与监测",
    "井下无人化开采装备",
    "矿山安全预警",
    "",  # no more directions
    "2026/5/1",  # refused: not YYYY-MM-DD
    "",  # the as-of date
    "y",
]

EXPECTED_CENTER = """\
# yaml-language-server: $schema=../../schema/center.schema.json
id: tic-2026-001
name: 忻州市示例智能矿山技术创新中心
category: 领域类
field: 智能矿山
location: 原平市
supervising_unit: 原平市工信和科技局
first_host_unit:
  name: 示例智矿装备有限公司（演示）
  kind: 企业
research_directions:
  - 矿山智能感知与监测
  - 井下无人化开采装备
  - 矿山安全预警
events:
  - date: 2026-05-01
    kind: application

# 可按需补充的字段（结构与说明见 schema/center.schema.json，编辑器会据此提示）：
"""


def _interactive(
    registry: Path, answers: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", _Terminal("".join(f"{a}\n" for a in answers)))
    code = main(["new", "center", "--registry", str(registry), "--as-of", AS_OF.isoformat(), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_new_center_asks_checks_each_answer_and_writes_canonical_text(
    registry_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _interactive(registry_copy, ANSWERS, monkeypatch, capsys)
    assert code == 0, out + err
    path = registry_copy / "centers" / "tic-2026-001.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(EXPECTED_CENTER)
    assert text.count("\n") == EXPECTED_CENTER.count("\n") + 1  # the list of optional fields
    for refusal in ("标识“Tic-1”无效", "标识“../evil”无效", "sample-nongmu.yaml 已存在", "至少 8 个字符"):
        assert refusal in out
    assert "“太原市”" in out and "日期应写作 YYYY-MM-DD" in out and "“91140981MA0K1X00”" in out
    assert f"{UNIT_NUMBER}. {UNIT}" in out  # the controlled list, offered by number
    assert f"归口管理单位［{UNIT}］：" in out  # the county's own unit is the default
    assert (
        f"归口管理单位“原平市工信科技局”不在归口管理单位名录 registry/supervising_units.yaml 中；最接近的已登记名称：{UNIT}"
        in out
    )
    assert "已新建" in out and "0 个错误" in out
    assert main(["fmt", "--check", "--registry", str(registry_copy), str(path)]) == 0
    assert not (registry_copy.parent / "evil.yaml").exists()


def test_without_the_unit_list_the_name_is_taken_as_written_and_validate_says_why(
    registry_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (registry_copy / "supervising_units.yaml").unlink()
    i = ANSWERS.index(UNIT_NUMBER)
    answers = [*ANSWERS[: i - 1], "原平市工信科技局", *ANSWERS[i + 1 :]]  # taken as written
    code, out, err = _interactive(registry_copy, answers, monkeypatch, capsys)
    text = (registry_copy / "centers" / "tic-2026-001.yaml").read_text(encoding="utf-8")
    assert "supervising_unit: 原平市工信科技局" in text
    assert code == 0, out + err
    assert "未能读取归口管理单位名录 supervising_units.yaml（运行 python -m generator validate 查看原因）" in out
    assert "这一项暂不核对" in out
    # validate names what is missing, so the unchecked name does not pass unnoticed
    assert main(["validate", "--registry", str(registry_copy)]) == 1
    assert "缺少归口管理单位名录" in capsys.readouterr().out


def test_declining_or_running_out_of_answers_writes_nothing(
    registry_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.name for p in (registry_copy / "centers").iterdir())
    code, out, _ = _interactive(registry_copy, [*ANSWERS[:-1], "n"], monkeypatch, capsys)
    assert code == 0 and "未写入" in out
    code, _, err = _interactive(registry_copy, ANSWERS[:8], monkeypatch, capsys)
    assert code == 2 and "输入已结束" in err
    assert sorted(p.name for p in (registry_copy / "centers").iterdir()) == before


def test_an_id_given_on_the_command_line_is_checked_before_asking(
    registry_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _interactive(registry_copy, ANSWERS, monkeypatch, capsys, "--id=../../outside")
    assert code == 2 and "标识“../../outside”无效" in err and out == ""


def test_without_a_terminal_only_a_stub(
    registry_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{a}\n" for a in ANSWERS)))
    assert main(["new", "center", "--registry", str(registry_copy), "--as-of", "2026-05-01"]) == 2
    assert "--stub" in capsys.readouterr().err
    assert not (registry_copy / "centers" / "tic-2026-001.yaml").exists()


def test_a_center_folder_that_leaves_the_registry_is_refused(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (registry / "centers").symlink_to(elsewhere)
    with pytest.raises(scaffold.ScaffoldError, match="名录目录之外"):
        scaffold.record_path(registry, "center", "tic-2026-001")
    with pytest.raises(scaffold.ScaffoldError):
        scaffold.create_stub(registry, "center", None, AS_OF)
    assert list(elsewhere.iterdir()) == []
