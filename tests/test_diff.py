"""`python -m generator diff`: the registry compared between real commits of a scratch Git repository."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import scaffold
from generator.cli import main
from tests.support import CENTER_FILL

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2027-04-15"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "测试",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "测试",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}

NEW_NOTICE = """\
# yaml-language-server: $schema=../../schema/notice.schema.json
id: acceptance-2026
title: 关于拟通过验收忻州市技术创新中心名单的公示 *演示* | 第1批
issuer: 忻州市科学技术局
issue_date: 2026-12-21
subject: 拟通过验收
entries:
  - center: sample-guangfu
    name: 忻州市示例光伏储能技术创新中心
objection: 对公示名单有异议的，请于公示期内以书面形式提出，单位须加盖公章，个人须签署真实姓名；匿名及逾期异议不予受理。
contact:
  office: 忻州市科学技术局平台建设科（演示）
  office_phone: 0350-3030100
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=True,
    )
    return done.stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Commit 1: the samples. Commit 2: a review's worth of changes. Commit 3: a warning fixed."""
    root = tmp_path_factory.mktemp("repo")
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "registry", root / "registry")
    (root / "README.md").write_text("scratch\n", encoding="utf-8")
    first = commit(root, "samples")

    centers, notices = root / "registry" / "centers", root / "registry" / "notices"
    # An annual assessment graded 优秀 (and with it the 第十八条 priority flag).
    append(
        centers / "sample-nongmu.yaml",
        "  - date: 2027-03-20\n    kind: annual_assessment\n    year: 2026\n    grade: 优秀\n"
        "    source:\n      document_number: 忻科发〔2027〕8号\n",
    )
    # A rename with its approved change event, and an earlier construction end.
    edit(
        centers / "sample-duanzao.yaml", "name: 忻州市示例精密锻件技术创新中心", "name: 忻州市示例高端锻件技术创新中心"
    )
    edit(centers / "sample-duanzao.yaml", "planned_end: 2027-12-05", "planned_end: 2027-10-05")
    append(
        centers / "sample-duanzao.yaml",
        "  - date: 2026-06-01\n    kind: change\n    change_kind: 更名\n    old: 忻州市示例精密锻件技术创新中心\n"
        "    new: 忻州市示例高端锻件技术创新中心\n    source:\n      document_number: 忻科函〔2026〕12号\n",
    )
    # Acceptance passed (status 待验收 → 已认定运行), a new notice for it, another supervising unit,
    # and a director over 60 (a new warning).
    edit(centers / "sample-guangfu.yaml", "age_at_application: 44", "age_at_application: 65")
    guangfu = (centers / "sample-guangfu.yaml").read_text(encoding="utf-8")
    unit = re.search(r"^supervising_unit: (.+)$", guangfu, re.M).group(1)
    edit(
        centers / "sample-guangfu.yaml", f"supervising_unit: {unit}", "supervising_unit: 忻州经济开发区创新创业服务中心"
    )
    append(
        centers / "sample-guangfu.yaml",
        "  - date: 2026-12-21\n    kind: publicity\n    notice: acceptance-2026\n"
        "  - date: 2027-01-10\n    kind: acceptance\n    result: 通过\n    source:\n      document_number: 忻科发〔2027〕2号\n",
    )
    (notices / "acceptance-2026.yaml").write_text(NEW_NOTICE, encoding="utf-8")
    # A new center, made with `new` and filled in.
    stub = scaffold.create_stub(root / "registry", "center", None, dt.date(2027, 4, 15))
    assert stub == centers / "tic-2027-001.yaml"
    stub.write_text(
        "\n".join(CENTER_FILL.get(line, line) for line in stub.read_text(encoding="utf-8").splitlines()) + "\n",
        encoding="utf-8",
    )
    # A notice removed together with the one event that referred to it.
    (notices / "revocation-2025.yaml").unlink()
    edit(
        centers / "sample-shengwufei.yaml",
        "  - date: 2025-04-07\n    kind: publicity\n    notice: revocation-2025\n",
        "",
    )
    # A longer publicity period for a notice.
    edit(notices / "approval-2026.yaml", "working_days: 5", "working_days: 7")
    second = commit(root, "review")

    edit(centers / "sample-guangfu.yaml", "age_at_application: 65", "age_at_application: 44")
    third = commit(root, "fix director age")
    return {"root": root, "first": first, "second": second, "third": third, "unit": unit}


def run(
    repo: dict[str, object], capsys: pytest.CaptureFixture[str], *argv: str, registry: Path | None = None
) -> tuple[int, str, str]:
    code = main(["diff", "--registry", str(registry or Path(str(repo["root"])) / "registry"), "--as-of", AS_OF, *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_report_names_each_change(repo: dict[str, object], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(repo, capsys, str(repo["first"]), str(repo["second"]))
    assert code == 0, err
    # the new center, with its name and status
    assert re.search(r"新增中心 tic-2027-001 忻州市示例智能矿山技术创新中心［申报中］", out)
    # the rename, from the old name to the new, and its change event
    assert "更名：忻州市示例精密锻件技术创新中心 → 忻州市示例高端锻件技术创新中心" in out
    assert (
        "新增事件：2026-06-01 重大事项变更：更名：忻州市示例精密锻件技术创新中心 → 忻州市示例高端锻件技术创新中心（忻科函〔2026〕12号）"
        in out
    )
    # the assessment with its grade, and the priority flag it brings
    assert "新增年度考核：2027-03-20 年度绩效考核：2026年度 优秀" in out
    assert "新增提示：[优先支持] 2026年度考核优秀" in out
    assert "2026年度绩效考核 2027-06-30（未到期） → 2026年度绩效考核 2027-06-30（已完成）" in out
    # acceptance: status change and the operation deadlines that follow
    assert "状态：待验收 → 已认定运行" in out
    assert "新增事件：2027-01-10 验收：通过（忻科发〔2027〕2号）" in out
    assert "新增期限：三年评估 2030-01-10（未到期）" in out
    # a field change of note
    assert f"归口管理单位：{repo['unit']} → 忻州经济开发区创新创业服务中心" in out
    # an edited event, and the deadlines it moves
    assert (
        "改动事件：2025-12-26 建设计划任务书：建设期满 2027-12-05 → 2025-12-26 建设计划任务书：建设期满 2027-10-05"
        in out
    )
    assert "期限变动：建设期满 2027-12-05（未到期） → 建设期满 2027-10-05（未到期）" in out
    # the removed notice and the event that pointed at it
    assert "删除公示 revocation-2025 关于拟撤销忻州市样例生物肥料技术创新中心资格的公示" in out
    assert "删除事件：2025-04-07 公示：公示 revocation-2025" in out
    # the new notice and the changed one
    assert "新增公示 acceptance-2026" in out
    assert "名单：忻州市示例光伏储能技术创新中心（sample-guangfu）" in out
    assert "变更公示 approval-2026" in out
    assert re.search(r"公示期：2026-11-25 至 \S+（5 个工作日） → 2026-11-25 至 \S+（7 个工作日）", out)
    # the new warning, by file and rule
    assert re.search(r"新增警告（\d+）", out)
    assert "registry/centers/sample-guangfu.yaml:" in out and "[eligibility.director]" in out
    assert "超过60周岁" in out
    assert "须修正后才能合并" not in out
    assert "没有变化" not in out


def test_resolved_warning(repo: dict[str, object], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(repo, capsys, str(repo["second"]), str(repo["third"]))
    assert code == 0
    assert "已消除的警告（1）" in out
    assert "registry/centers/sample-guangfu.yaml [eligibility.director]" in out
    assert "新增警告" not in out


def test_markdown_report(repo: dict[str, object], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(repo, capsys, str(repo["first"]), str(repo["second"]), "--format", "markdown")
    assert code == 0
    assert out.startswith("## 名录变化：")
    assert "### 中心" in out and "### 公示" in out and "### 新增警告" in out
    assert "| 变化 | 标识 | 名称 | 状态 |" in out
    assert "| 新增 | tic&#45;2027&#45;001 |" in out or "| 新增 | tic-2027-001 |" in out
    assert "| 更名 | 忻州市示例精密锻件技术创新中心 | 忻州市示例高端锻件技术创新中心 |" in out
    assert "| 新增年度考核 | — | 2027&#45;03&#45;20" in out or "| 新增年度考核 | — | 2027-03-20 年度绩效考核" in out
    assert "| 研究方向 | 矿山智能感知与监测、井下无人化开采装备、矿山安全预警 |" in out  # added: one column
    # record text cannot break a table or turn into emphasis
    assert "*演示*" not in out and "&#42;演示&#42;" in out
    assert "&#124; 第1批" in out
    for line in out.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")


def test_identical_revisions(repo: dict[str, object], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(repo, capsys, str(repo["second"]), str(repo["second"]))
    assert code == 0
    assert "名录没有变化" in out
    code, out, _ = run(repo, capsys, "main", "main", "--format", "markdown")
    assert code == 0 and "名录没有变化" in out


def test_worktree_is_the_default_head_and_errors_fail(
    repo: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(str(repo["root"]))
    code, out, _ = run(repo, capsys, "HEAD")
    assert code == 0 and "没有变化" in out and "工作区" in out
    path = root / "registry" / "centers" / "sample-nongmu.yaml"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original.replace("\n  - date: 2027-03-20\n", "\n  - date: 2027-03-20  \n"), encoding="utf-8")
        code, out, _ = run(repo, capsys, "HEAD")
        assert code == 0 and "名录记录的文字有改动（如注释或格式），但内容没有变化" in out
        path.write_text(original.replace("year: 2026", "year: 2030"), encoding="utf-8")
        code, out, _ = run(repo, capsys, "HEAD")
        assert code == 1
        assert "工作区 中的错误（1，须修正后才能合并）" in out
        assert "registry/centers/sample-nongmu.yaml:" in out and "[assessment.year]" in out
        code, out, _ = run(repo, capsys, "HEAD", "--format", "markdown")
        assert code == 1 and "须修正后才能合并" in out and "### 错误" in out
    finally:
        path.write_text(original, encoding="utf-8")
    assert git(root, "status", "--porcelain") == ""  # the checkout was never touched


def test_schema_invalid_record_in_head(repo: dict[str, object], capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(str(repo["root"]))
    path = root / "registry" / "centers" / "sample-zaliang.yaml"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original.replace("category: 领域类", "category: 其他类"), encoding="utf-8")
        code, out, _ = run(repo, capsys, "HEAD")
        assert code == 1
        assert "无法读取中心 sample-zaliang" in out
        assert "删除中心 sample-zaliang" not in out
    finally:
        path.write_text(original, encoding="utf-8")


def test_bad_revision(repo: dict[str, object], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(repo, capsys, "no-such-branch")
    assert code == 2 and out == ""
    assert "找不到版本“no-such-branch”" in err
    code, _, err = run(repo, capsys, "--", "--output=/tmp/x")
    assert code == 2  # an option-like revision never reaches git as an option
    assert "无效的版本" in err


def test_not_a_git_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str], repo: dict[str, object]) -> None:
    shutil.copytree(ROOT / "registry", tmp_path / "registry")
    code, _, err = run(repo, capsys, "HEAD", registry=tmp_path / "registry")
    assert code == 2
    assert "不在 Git 仓库中" in err


def test_registry_missing_at_base(repo: dict[str, object], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A revision from before the registry existed reads as an empty registry."""
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("x\n", encoding="utf-8")
    empty = commit(root, "empty")
    shutil.copytree(ROOT / "registry", root / "registry")
    code, out, _ = run(repo, capsys, empty, registry=root / "registry")
    assert code == 0
    assert "新增中心 sample-duanzao" in out and "新增公示 approval-2025" in out
    code, _, err = run(repo, capsys, empty, empty, registry=root / "registry")
    assert code == 2 and "找不到名录目录" in err


# --- issue 14: a hostile revision cannot make the extraction write anywhere else ----------


def _blob(root: Path, data: bytes) -> str:
    done = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"], cwd=root, input=data, capture_output=True, check=True
    )
    return done.stdout.decode().strip()


def _mktree(root: Path, lines: list[str]) -> str:
    """A tree from `mode kind sha<TAB>name` lines, as a crafted push could hold (no checks)."""
    text = "".join(f"{line}\n" for line in lines)
    done = subprocess.run(["git", "mktree"], cwd=root, input=text.encode(), capture_output=True, check=True)
    return done.stdout.decode().strip()


@pytest.fixture
def small_repo(tmp_path: Path) -> dict[str, object]:
    """A repository with the sample registry committed once, and a folder outside it."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "registry", root / "registry")
    base = commit(root, "samples")
    outside = tmp_path / "outside"
    outside.mkdir()
    return {"root": root, "base": base, "outside": outside}


def _hostile_commit(repo: dict[str, object], extra: list[str], drop: str | None = None) -> str:
    """The base commit with `extra` entries added to its registry/ tree (and `drop` removed)."""
    root = Path(str(repo["root"]))
    registry = [
        line
        for line in git(root, "ls-tree", f"{repo['base']}:registry").splitlines()
        if drop is None or not line.endswith(f"\t{drop}")
    ]
    top = _mktree(root, [f"040000 tree {_mktree(root, registry + extra)}\tregistry"])
    return git(root, "commit-tree", top, "-p", str(repo["base"]), "-m", "hostile")


def _centers_tree(repo: dict[str, object]) -> str:
    return git(Path(str(repo["root"])), "rev-parse", f"{repo['base']}:registry/centers")


def _snapshot(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def _shapes(root: Path, link: str, record: str, centers: str) -> dict[str, tuple[list[str], str | None]]:
    """Hostile registry/ trees: entries to add, and the entry they replace."""
    evil = f"100644 blob {record}\t"
    backslash = _mktree(root, [evil + "x\\..\\..\\evil.yaml"])
    below = _mktree(root, [evil + "evil.yaml"])
    return {
        # registry/centers is a link to `outside`, and a tree of the same name follows it
        "link-then-folder": ([f"120000 blob {link}\tcenters", f"040000 tree {centers}\tcenters"], "centers"),
        # on macOS or Windows, Centers/ and centers/ are one folder: the link would be followed
        "case-collision": ([f"120000 blob {link}\tCenters"], None),
        "backslash": ([f"040000 tree {backslash}\tmore"], None),
        "colon": ([evil + "evil.yaml:stream"], None),
        "control": ([evil + "evil\x1b[2J.yaml"], None),
        "dot-dot": ([f"040000 tree {below}\t.."], None),
        "nfd-collision": ([evil + "cafe\u0301.yaml", evil + "caf\u00e9.yaml"], None),
    }


@pytest.mark.parametrize(
    "shape", ["link-then-folder", "case-collision", "backslash", "colon", "control", "dot-dot", "nfd-collision"]
)
def test_a_hostile_tree_is_refused_and_nothing_is_written_elsewhere(
    small_repo: dict[str, object], capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    root, outside = Path(str(small_repo["root"])), Path(str(small_repo["outside"]))
    link = _blob(root, str(outside).encode())
    record = _blob(root, (ROOT / "registry" / "centers" / "sample-guangfu.yaml").read_bytes())
    extra, drop = _shapes(root, link, record, _centers_tree(small_repo))[shape]
    hostile = _hostile_commit(small_repo, extra, drop)
    code, out, err = run(small_repo, capsys, str(small_repo["base"]), hostile, registry=root / "registry")
    assert code == 2, (out, err)
    assert "Traceback" not in err and err.startswith("错误：") and "\x1b" not in err
    assert _snapshot(outside) == []
    assert git(root, "status", "--porcelain") == ""


def test_links_inside_the_registry_are_reported_not_followed(
    small_repo: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    """A record file and a record folder that are links (to outside): extracted as links,
    refused by the validator, never read or written through."""
    root, outside = Path(str(small_repo["root"])), Path(str(small_repo["outside"]))
    (outside / "secret.yaml").write_text("id: secret\n", encoding="utf-8")
    link = _blob(root, str(outside / "secret.yaml").encode())
    folder_link = _blob(root, str(outside).encode())
    listed = git(root, "ls-tree", f"{small_repo['base']}:registry/centers").splitlines()
    centers = _mktree(root, [*listed, f"120000 blob {link}\tevil.yaml"])
    hostile = _hostile_commit(small_repo, [f"040000 tree {centers}\tcenters"], drop="centers")
    hostile = _hostile_commit({**small_repo, "base": hostile}, [f"120000 blob {folder_link}\tnotices"], drop="notices")
    code, out, err = run(small_repo, capsys, str(small_repo["base"]), hostile, registry=root / "registry")
    assert code == 1 and "Traceback" not in err
    assert "registry/centers/evil.yaml" in out and "registry/notices" in out and "[file.symlink]" in out
    assert "registry/notices/secret.yaml" not in out  # nothing was read through the folder link
    assert sorted(p.name for p in outside.iterdir()) == ["secret.yaml"]


def test_a_file_with_thousands_of_errors_is_listed_bounded(
    repo: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    """The job summary stays usable: 50 errors of a file, then one line counting the rest."""
    root = Path(str(repo["root"]))
    path = root / "registry" / "centers" / "sample-nongmu.yaml"
    original = path.read_text(encoding="utf-8")
    bad = "  - date: 2027-03-20\n    kind: annual_assessment\n    year: 2030\n    grade: 优秀\n    source:\n      document_number: 忻科发〔2027〕8号\n"
    try:
        path.write_text(original + bad * 300, encoding="utf-8")
        for fmt, row in (
            ("text", "  registry/centers/sample-nongmu.yaml:"),
            ("markdown", "| registry/centers/sample-nongmu.yaml |"),
        ):
            code, out, _ = run(repo, capsys, "HEAD", "--format", fmt)
            rows = [line for line in out.splitlines() if line.startswith(row)]
            total = int(
                re.search(r"中的错误（(\d+)，须修正后才能合并）|### 错误（(\d+)，", out).group(
                    1 if fmt == "text" else 2
                )
                or 0
            )
            assert code == 1 and total >= 300, fmt
            assert len(rows) == 51 and "另有" in rows[-1], (fmt, len(rows))
    finally:
        path.write_text(original, encoding="utf-8")


def test_measures_changes_are_shown_article_by_article(tmp_path: Path) -> None:
    """An edit to the measures' text (the law the site applies) is listed by article, with
    its text before and after; a dropped record and a changed date are listed too; a change
    of blank lines only says so; what the text says stays text in Markdown and on one line."""
    from generator.diff.compare import compare, read_side
    from generator.diff.report import format_markdown, format_text

    as_of = dt.date.fromisoformat(AS_OF)
    base, head = tmp_path / "base" / "registry", tmp_path / "head" / "registry"
    shutil.copytree(ROOT / "registry", base)
    shutil.copytree(ROOT / "registry", head)
    text = (head / "measures" / "xinkegui-2024-4.yaml").read_text(encoding="utf-8")
    old_line = "（二）市科技局对申请资料进行初审，并根据需要进行实地考察，组织有关专家进行评审。"
    new_line = "（二）市科技局对申请资料进行初审，不再实地考察 | <b>x</b>。"
    assert old_line in text
    edited = text.replace(old_line, new_line).replace("expires: 2029-08-03", "expires: 2030-08-03")
    (head / "measures" / "xinkegui-2024-4.yaml").write_text(edited, encoding="utf-8")
    (head / "measures" / "xinkegui-2023-2.yaml").unlink()

    def report() -> object:
        return compare(read_side("BASE", base, base.parent, as_of), read_side("HEAD", head, head.parent, as_of), as_of)

    shown = report()
    items = {i.label: (i.before, i.after) for i in shown.measures}
    assert set(items) == {"删除办法 忻科规〔2023〕2号", "忻科规〔2024〕4号 有效期至", "忻科规〔2024〕4号 第十二条"}
    assert items["忻科规〔2024〕4号 有效期至"] == ("2029-08-03", "2030-08-03")
    before, after = items["忻科规〔2024〕4号 第十二条"]
    assert before.startswith("申请建设技术创新中心的程序如下：") and old_line in before and new_line not in before
    assert new_line in after and old_line not in after
    assert items["删除办法 忻科规〔2023〕2号"][1] is None
    assert shown.changed and ("管理办法变更", 3) in shown.summary()
    markdown, terminal = format_markdown(shown), format_text(shown)
    assert "### 管理办法" in markdown and "<b>" not in markdown and "&lt;b&gt;" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| 忻科规〔2024〕4号 第十二条"))
    assert row.count("|") == 4 and "&#124;" in row  # three cells: the article's own `|` is escaped
    line = next(line for line in terminal.splitlines() if "第十二条" in line)  # before → after, on one line
    assert "→" in line and old_line in line and "不再实地考察" in line and "（三）" in line

    blank = text.replace(f"    - {old_line}\n", f'    - {old_line}\n    - ""\n')  # one more blank line
    assert blank != text
    (head / "measures" / "xinkegui-2024-4.yaml").write_text(blank, encoding="utf-8")
    shutil.copy(base / "measures" / "xinkegui-2023-2.yaml", head / "measures" / "xinkegui-2023-2.yaml")
    assert [(i.label, i.after) for i in report().measures] == [
        ("忻科规〔2024〕4号 全文", "只有空行或行首行尾的空白不同")
    ]
