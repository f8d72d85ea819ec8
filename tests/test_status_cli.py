"""`python -m generator status`: what it prints for the sample registry, filtering, exit statuses.

Whole runs go through a subprocess, the way a person or CI runs the command; the rest call
`generator.cli.main` in-process for speed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import ROOT, Registry, run_cli

AS_OF = "2026-11-27"
TAOCI = ("center", "sample-taoci")

# Each sample center's status on 2026-11-27 (the sample registry is fixed).
STATUS_ON_AS_OF = {
    "sample-duanzao": "建设中",
    "sample-guangfu": "待验收 · 已申请 22 天",
    "sample-gufei": "待验收 · 逾期未申请",
    "sample-kuangshan": "已认定运行",
    "sample-meitan": "已认定运行",
    "sample-niangzao": "建设中 · 期满日期记录不足",
    "sample-nongmu": "已认定运行",
    "sample-qingneng": "申报中",
    "sample-shengtai": "公示中",
    "sample-shengwufei": "已撤销",
    "sample-taoci": "验收未通过",
    "sample-wenwu": "已撤回",
    "sample-wurenji": "未获批准",
    "sample-zaliang": "已认定运行",
    "sample-zhongyao": "延期建设",
}
ARTICLE = r"第[一二三四五六七八九十]+条(?:、第[一二三四五六七八九十]+条)?"
DEADLINE_LINE = re.compile(
    r"^  期限：(?P<title>\S+) (?:(?P<due>\d{4}-\d{2}-\d{2})　(?P<state>未到期|今日到期|已逾期)"
    rf"(?:，还有 (?P<left>\d+) 天| (?P<late>\d+) 天)?|记录不足，无法推算)（(?P<article>{ARTICLE})）$"
)
#: A flag is the site's statement, marked 本站推算 (or 本站解释) with its article, then the details.
FLAG_LINE = re.compile(
    rf"^  提示：\[(?P<kind>\S+)\] (?P<statement>.*?（本站(?:推算|解释)(?:，(?P<article>{ARTICLE}))?[^）]*）)"
    r"：(?P<message>.+)$"
)


def _main(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cwd: Path = ROOT
) -> tuple[int, str, str]:
    from generator.cli import main

    monkeypatch.chdir(cwd)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _blocks(out: str) -> dict[str, list[str]]:
    """Center id → the lines printed under it."""
    blocks: dict[str, list[str]] = {}
    current = None
    for line in out.splitlines():
        head = re.match(r"^(sample-[a-z]+)　", line)
        if head:
            current = blocks.setdefault(head.group(1), [])
        elif line.startswith("  ") and current is not None:
            current.append(line)
        elif not line.strip():
            continue
        else:
            current = None
    return blocks


@pytest.fixture(scope="module")
def sample_runs() -> tuple:
    """Two subprocess runs on the sample registry for the same date."""
    return run_cli("status", "--as-of", AS_OF, cwd=ROOT), run_cli("status", "--as-of", AS_OF, cwd=ROOT)


@pytest.mark.slow
def test_sample_status_output(sample_runs: tuple) -> None:
    first, _ = sample_runs
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    out = first.stdout
    assert out.startswith(
        f"数据截至 {AS_OF}（北京时间）　共 15 个中心\n"
        "状态、期限与提示均为本站按《市技术创新中心建设与运行管理办法》（忻科规〔2024〕4号）推算，以市科技局决定为准。\n"
    )
    assert "注意：" not in out  # 2026-11-27 is inside the measures' five years
    blocks = _blocks(out)
    assert set(blocks) == set(STATUS_ON_AS_OF)
    for cid, label in STATUS_ON_AS_OF.items():
        assert re.fullmatch(rf"  状态：{label}（自 \d{{4}}-\d{{2}}-\d{{2}}）", blocks[cid][0]), (cid, blocks[cid][0])
        for line in blocks[cid][1:]:
            assert DEADLINE_LINE.match(line) or FLAG_LINE.match(line), line
            flag = FLAG_LINE.match(line)
            if flag and flag["kind"] != "应予撤销":  # a revocation names its article in its own words
                assert flag["article"], line
    # deadlines with the days left or overdue, and their article
    assert "  期限：建设期满 2027-12-05　未到期，还有 373 天（第十二条）" in blocks["sample-duanzao"]
    assert "  期限：提出验收申请 2026-10-12　已逾期 46 天（第十二条）" in blocks["sample-gufei"]
    assert "  期限：三年评估 2027-11-08　未到期，还有 346 天（第十九条）" in blocks["sample-nongmu"]
    assert "  期限：2026年度绩效考核 2027-06-30　未到期，还有 215 天（第十八条）" in blocks["sample-zaliang"]
    assert "  期限：公示期结束 2026-12-01　未到期，还有 4 天（第十二条）" in blocks["sample-shengtai"]
    # flags with their kind and article
    assert (
        "  提示：[应予撤销] 按第十二条应予撤销（本站推算，以市科技局决定为准）："
        "延期已于 2026-09-12 期满，2026-10-12 前未提出验收申请，未记录撤销" in blocks["sample-gufei"]
    )
    assert (
        "  提示：[适用办法] 本办法施行前的事实（本站解释，第二十一条）：于 2024-05-20 依据"
        "《忻州市技术创新中心管理办法（试行）》（忻科规〔2023〕2号）批准建设，早于本办法施行（2024-08-04）："
        "此前的事实按记录显示，不按本办法评判；2024-08-04 起按本办法运行管理" in blocks["sample-taoci"]
    )
    # centers from before these measures: no invented deadline; judged by 第十八条, 第十九条 since 2024-08-04
    assert "  期限：建设期满 记录不足，无法推算（第十二条）" in blocks["sample-niangzao"]
    assert not [line for line in blocks["sample-niangzao"] if "逾期" in line]
    assert "  期限：三年评估 2027-08-04　未到期，还有 250 天（第十九条）" in blocks["sample-meitan"]
    assert "  期限：2026年度绩效考核 2027-06-30　未到期，还有 215 天（第十八条）" in blocks["sample-kuangshan"]
    # terminal states: no deadlines
    for cid in ("sample-shengwufei", "sample-wenwu", "sample-wurenji"):
        assert not [line for line in blocks[cid] if line.startswith("  期限：")], cid
    # the running notice, with the working days left counting the as-of day
    assert out.rstrip().endswith(
        "公示\n  关于2026年度拟批准建设忻州市技术创新中心名单的公示：2026-11-25 至 2026-12-01，公示中，剩余 3 个工作日"
    )
    assert "关于2025年度" not in out  # ended notices are not listed


@pytest.mark.slow
def test_sample_status_output_is_deterministic(sample_runs: tuple) -> None:
    first, second = sample_runs
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout


def test_ids_filter(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _main(["status", "--as-of", AS_OF, "sample-gufei", "sample-duanzao"], monkeypatch, capsys)
    assert code == 0 and err == ""
    assert out.startswith(f"数据截至 {AS_OF}（北京时间）　共 2 个中心\n")
    assert list(_blocks(out)) == ["sample-gufei", "sample-duanzao"]  # in the order asked
    assert "公示\n" not in out  # notices only in the full listing


def test_due_today_and_one_day_overdue(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """sample-gufei: extension ended 2026-09-12, apply for acceptance by 2026-10-12."""
    _, out, _ = _main(["status", "--as-of", "2026-10-12", "sample-gufei"], monkeypatch, capsys)
    assert "  期限：提出验收申请 2026-10-12　今日到期（第十二条）" in out
    assert "[应予撤销]" not in out
    _, out, _ = _main(["status", "--as-of", "2026-10-13", "sample-gufei"], monkeypatch, capsys)
    assert "  期限：提出验收申请 2026-10-12　已逾期 1 天（第十二条）" in out
    assert "  提示：[应予撤销] 按第十二条应予撤销（本站推算，以市科技局决定为准）：延期已于 2026-09-12 期满" in out


def test_policy_note_outside_the_measures_validity(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """policy.validity: the expiry is printed with its article, and under every center too."""
    _, out, _ = _main(["status", "--as-of", "2029-08-04", "sample-duanzao", "sample-meitan"], monkeypatch, capsys)
    assert "注意：《市技术创新中心建设与运行管理办法》（忻科规〔2024〕4号）已于 2029-08-03 期满（第二十一条）" in out
    for cid, lines in _blocks(out).items():
        assert "  注意：本站依据已于 2029-08-03 期满的忻科规〔2024〕4号推算（第二十一条）" in lines, cid
    _, out, _ = _main(["status", "--as-of", "2029-08-03", "sample-duanzao"], monkeypatch, capsys)
    assert "注意" not in out
    _, out, _ = _main(["status", "--as-of", "2024-08-03", "sample-zaliang"], monkeypatch, capsys)
    assert "注意：《市技术创新中心建设与运行管理办法》（忻科规〔2024〕4号）自 2024-08-04 起施行（第二十一条）" in out


def test_registry_option(reg: Registry, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """--registry reads another folder: a change there shows up."""
    reg.modify(
        "center",
        "sample-duanzao",
        lambda d: d["events"].append({"date": "2026-11-01", "kind": "withdrawal", "reason": "测试"}),
    )
    code, out, _ = _main(
        ["status", "--as-of", AS_OF, "--registry", str(reg.dir), "sample-duanzao"], monkeypatch, capsys, cwd=reg.root
    )
    assert code == 0
    assert "  状态：已撤回（自 2026-11-01）" in out
    assert "期限：" not in out


def test_unknown_id_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _main(["status", "--as-of", AS_OF, "sample-gufei", "no-such-center"], monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert "no-such-center" in err and "Traceback" not in err


def test_missing_registry_folder_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _main(["status", "--as-of", AS_OF, "--registry", str(tmp_path / "nope")], monkeypatch, capsys)
    assert code == 2 and out == "" and "找不到名录目录" in err


@pytest.mark.slow
def test_registry_with_an_error_exits_1(reg: Registry) -> None:
    code = reg.load(*TAOCI)["first_host_unit"]["credit_code"]
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    reg.modify(*TAOCI, lambda d: d["first_host_unit"].update(credit_code=wrong))
    result = run_cli("status", "--as-of", AS_OF, cwd=reg.root)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "registry/centers/sample-taoci.yaml:" in result.stderr
    assert "error [credit-code.check]" in result.stderr
    assert "名录有错误，未继续" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "27/11/2026", "today", "9999-01-01", "0999-12-31"])
def test_bad_as_of_exits_2(bad: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as exit_:
        main(["status", "--as-of", bad])
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and f"日期应为 1000—2999 年间的 YYYY-MM-DD：{bad}" in err


@pytest.mark.slow
def test_bad_as_of_in_a_subprocess_has_no_traceback() -> None:
    result = run_cli("status", "--as-of", "2026-13-01", cwd=ROOT)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "日期应为 1000—2999 年间的 YYYY-MM-DD：2026-13-01" in result.stderr and "Traceback" not in result.stderr


def test_centers_not_yet_in_the_registry_on_the_as_of_date_are_left_out(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On 2020-01-01 only the center that had applied by then exists (sample-zaliang, 2019-10)."""
    code, out, _ = _main(["status", "--as-of", "2020-01-01"], monkeypatch, capsys)
    assert code == 0
    assert "共 1 个中心" in out and "sample-zaliang" in out and "sample-duanzao" not in out
    code, _, err = _main(["status", "--as-of", "2020-01-01", "sample-duanzao"], monkeypatch, capsys)
    assert code == 2 and "sample-duanzao" in err
