"""Recent changes from hostile Git history: odd subjects, odd dates, odd paths (issue 14)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.records.history import parse_log, recent_changes
from tests.support import ROOT, generate, make_project

GIT_ENV = {
    "GIT_AUTHOR_NAME": "x",
    "GIT_AUTHOR_EMAIL": "x@example.org",
    "GIT_COMMITTER_NAME": "x",
    "GIT_COMMITTER_EMAIL": "x@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _git(repo: Path, *args: str, **env: str) -> None:
    subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env={**os.environ, **GIT_ENV, **env},
        check=True,
        capture_output=True,
    )


def _commit(repo: Path, message: bytes, **env: str) -> None:
    _git(repo, "add", "-A")
    message_file = repo.parent / "message"
    message_file.write_bytes(message)
    _git(repo, "commit", "-q", "-F", str(message_file), **env)


@pytest.fixture
def odd_history(tmp_path: Path) -> Path:
    """A project whose registry history has every oddity at once."""
    project = make_project(tmp_path / "project")
    _git(project, "init", "-q", "-b", "main")
    _commit(project, b"samples")
    centers = project / "registry" / "centers"
    shutil.copy(centers / "sample-taoci.yaml", centers / "moved.yaml")
    _commit(project, "分隔符\x1e与\x1f控制\x1b[31m字符\u202e".encode(), GIT_COMMITTER_DATE="@99999999999 +0800")
    (centers / "moved.yaml").rename(centers / "tab\tand\nnewline.yaml")
    _commit(project, b"caf\xe9 not utf-8", GIT_COMMITTER_DATE="@300000000000 +0000")  # year 11476
    (centers / "tab\tand\nnewline.yaml").unlink()
    _commit(project, ("很长的说明" * 200).encode())
    return project


def test_odd_history_gives_a_clean_list(odd_history: Path) -> None:
    changes = recent_changes(odd_history, odd_history / "registry")
    subjects = [c.subject for c in changes]
    assert len(changes) == 3  # the commit dated in the year 11476 cannot be shown, and is left out
    assert subjects[0].startswith("很长的说明") and len(subjects[0]) <= 200
    assert subjects[1] == "分隔符\\u001e与\\u001f控制\\u001b[31m字符\\u202e"
    assert changes[1].date.year == 5138  # far ahead, but a date: shown as recorded
    assert changes[0].files[0].path == "registry/centers/tab\\u0009and\\nnewline.yaml"
    assert subjects[2] == "samples"
    for change in changes:
        assert all(c.isprintable() for c in change.subject + change.commit)
        assert all(c.isprintable() for f in change.files for c in f.path)


def test_a_build_with_odd_history_writes_its_changes_page(odd_history: Path) -> None:
    generate(odd_history)
    page = (odd_history / "docs" / "changes.md").read_text(encoding="utf-8")
    assert "5138-11-17" in page or "5138-11-16" in page
    assert "\x1b" not in page and "\u202e" not in page and "\x1e" not in page


def test_parse_log_reads_fields_between_nuls() -> None:
    out = (
        b"abc1234\x002026-01-02\x00subject A\x00\nM\x00registry/centers/a.yaml\x00D\x00registry/notices/n.yaml\x00"
        b"def5678\x00not-a-date\x00bad date\x00\nA\x00registry/centers/b.yaml\x00"
        b"0123456\x002025-12-31\x00\xff\xfe\x00\nA\x00registry/centers/c.yaml\x00"
        b"truncated\x00"
    )
    changes = parse_log(out)
    assert [(c.commit, c.date, c.subject, [(f.status, f.path) for f in c.files]) for c in changes] == [
        (
            "abc1234",
            dt.date(2026, 1, 2),
            "subject A",
            [("M", "registry/centers/a.yaml"), ("D", "registry/notices/n.yaml")],
        ),
        ("0123456", dt.date(2025, 12, 31), "\ufffd\ufffd", [("A", "registry/centers/c.yaml")]),
    ]


def test_without_git_there_is_no_history(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "registry", tmp_path / "registry")
    assert recent_changes(tmp_path, tmp_path / "registry") == []


# --- deleted records keep their names (issue 16) ------------------------------------------


def test_a_deleted_record_is_named_by_its_last_name_in_git(tmp_path: Path) -> None:
    """A record file gone from the working tree carries the name it last had in Git: the
    renamed one just before the commit that deleted it; a file Git cannot name (not YAML)
    has none; a record still in the registry is not looked up."""
    project = make_project(tmp_path / "project")
    centers = project / "registry" / "centers"
    (centers / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    _git(project, "init", "-q", "-b", "main")
    _commit(project, b"samples")
    taoci = centers / "sample-taoci.yaml"
    taoci.write_text(
        taoci.read_text(encoding="utf-8").replace("忻州市示例特种陶瓷技术创新中心", "忻州市示例先进陶瓷技术创新中心"),
        encoding="utf-8",
    )
    _commit(project, b"rename")
    taoci.unlink()
    (centers / "broken.yaml").unlink()
    (project / "registry" / "notices" / "revocation-2025.yaml").unlink()
    _commit(project, b"delete")
    deleted, renamed, first = recent_changes(project, project / "registry")
    files = {f.path.rsplit("/", 1)[1]: f for f in deleted.files}
    assert files["sample-taoci.yaml"].gone and files["sample-taoci.yaml"].last_name == "忻州市示例先进陶瓷技术创新中心"
    assert files["broken.yaml"].gone and files["broken.yaml"].last_name is None
    assert files["revocation-2025.yaml"].last_name == "关于拟撤销忻州市样例生物肥料技术创新中心资格的公示"
    assert [(f.gone, f.last_name) for f in renamed.files] == [(True, "忻州市示例先进陶瓷技术创新中心")]
    added = {f.path.rsplit("/", 1)[1]: f for f in first.files}
    assert added["sample-taoci.yaml"].last_name == "忻州市示例特种陶瓷技术创新中心"  # as that commit left it
    assert not added["sample-zaliang.yaml"].gone and added["sample-zaliang.yaml"].last_name is None
    assert not added["registry.yaml"].gone
