"""The build pipeline around the pages: determinism, the write stage, failures and the CLI
(the MkDocs plugin: tests/test_plugin.py). Everything runs in temporary project folders (see
tests/test_site_render.py); the repository's docs/ and site/ are never written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import BuildFailed, build_site
from generator.write.tree import MANIFEST, WriteConflict, write_tree
from tests.support import AS_OF, ROOT, Registry, generate, line_of, make_project, snapshot

PYTHON = sys.executable


def _run(project: Path, *code: str, hash_seed: str = "0") -> None:
    """Generate docs for `project` into project/docs in a fresh interpreter."""
    script = (
        "import datetime as dt, sys; from pathlib import Path; "
        "from generator.build import generate_docs; "
        f"generate_docs(Path('registry'), dt.date.fromisoformat('{AS_OF}'), docs=Path(sys.argv[1]), repo=Path('.'))"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED=hash_seed)
    subprocess.run([PYTHON, "-c", script, *code], cwd=project, env=env, check=True, capture_output=True, timeout=120)


# --- 2. determinism -------------------------------------------------------------------------


@pytest.mark.slow
def test_same_registry_same_as_of_same_bytes(tmp_path: Path):
    project = make_project(tmp_path / "project")
    # Two interpreters with different hash seeds: no set or dict order leaks into the output.
    _run(project, str(tmp_path / "one"), hash_seed="1")
    _run(project, str(tmp_path / "two"), hash_seed="2")
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert MANIFEST in one and "index.md" in one and "data/centers.xlsx" in one
    assert sorted(one) == sorted(two)
    differ = [name for name in one if one[name] != two[name]]
    assert not differ, f"files differ between two generations: {differ}"


def test_other_as_of_changes_dated_texts(tmp_path: Path):
    project = make_project(tmp_path / "project")
    first = generate(project, AS_OF, docs=tmp_path / "a").facts
    later = AS_OF + dt.timedelta(days=18)
    second = generate(project, later, docs=tmp_path / "b").facts
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert f"数据截至 {AS_OF}".encode() in a["data/index.md"]
    assert f"数据截至 {later}".encode() in b["data/index.md"]
    assert json.loads(b["data/centers.json"])["as_of"] == str(later)
    assert json.loads(a["data/centers.json"])["as_of"] == str(AS_OF)
    before = [d for d in first.by_id["sample-gufei"].open_deadlines if d.state == "overdue"]
    after = [d for d in second.by_id["sample-gufei"].open_deadlines if d.state == "overdue"]
    assert before and [d.days + 18 for d in before] == [d.days for d in after[: len(before)]]
    for page in ("centers/sample-gufei/index.md", "index.md", "deadlines.md"):
        assert f"已逾期 {before[0].days} 天".encode() in a[page], page
        assert f"已逾期 {before[0].days + 18} 天".encode() in b[page], page
        assert f"已逾期 {before[0].days} 天".encode() not in b[page], page
    assert a["rules.md"] == b["rules.md"]  # nothing dated there


# --- 3. the write stage -----------------------------------------------------------------------


def test_hand_written_page_is_never_overwritten(tmp_path: Path):
    project = make_project(tmp_path / "project")
    docs = project / "docs"
    hand = docs / "data" / "centers" / "sample-zaliang.json"
    hand.parent.mkdir(parents=True)
    hand.write_text("{}\n", encoding="utf-8")
    before = snapshot(docs)
    with pytest.raises(BuildFailed) as failed:
        generate(project)
    assert "手写文件" in str(failed.value) and "sample-zaliang.json" in str(failed.value)
    assert snapshot(docs) == before, "something was written although the build failed"


def test_hand_written_page_for_a_new_center_after_a_generation(tmp_path: Path):
    project = make_project(tmp_path / "project")
    generate(project)
    docs = project / "docs"
    (docs / "data" / "centers" / "sample-extra.json").write_text("{}\n", encoding="utf-8")
    before = snapshot(docs)
    reg = Registry(project)
    shutil.copy(reg.file("center", "sample-taoci"), reg.file("center", "sample-extra"))
    reg.modify("center", "sample-extra", lambda d: d.update(id="sample-extra", name="忻州市示例额外技术创新中心"))
    with pytest.raises(BuildFailed, match=r"sample-extra\.json"):
        generate(project)
    assert snapshot(docs) == before


def test_write_tree_refuses_paths_outside_and_unknown_files(tmp_path: Path):
    (tmp_path / "mine.md").write_text("x", encoding="utf-8")
    with pytest.raises(WriteConflict):
        write_tree(tmp_path, {"mine.md": b"y"})
    with pytest.raises(WriteConflict):
        write_tree(tmp_path, {"../outside.md": b"y"})
    assert (tmp_path / "mine.md").read_text(encoding="utf-8") == "x"
    assert not (tmp_path.parent / "outside.md").exists() and not (tmp_path / MANIFEST).exists()


def test_deleted_center_removes_its_generated_files(tmp_path: Path):
    project = make_project(tmp_path / "project")
    generate(project)
    docs = project / "docs"
    assert (docs / "centers" / "sample-wenwu" / "index.md").is_file() and (
        docs / "data" / "centers" / "sample-wenwu.json"
    ).is_file()
    (project / "registry" / "centers" / "sample-wenwu.yaml").unlink()
    report = generate(project).report
    assert report.removed == 4  # its page, and its JSON, calendar and feed
    assert not (docs / "centers" / "sample-wenwu" / "index.md").exists()
    for ext in ("json", "ics", "atom"):
        assert not (docs / "data" / "centers" / f"sample-wenwu.{ext}").exists()
    assert "sample-wenwu" not in (docs / MANIFEST).read_text(encoding="utf-8")
    assert (docs / "contribute.md").is_file() and (docs / "assets" / "site.css").is_file()  # hand-written stay


def test_unchanged_files_are_not_rewritten(tmp_path: Path):
    project = make_project(tmp_path / "project")
    first = generate(project).report
    docs = project / "docs"
    generated = [docs / name for name in json.loads((docs / MANIFEST).read_text(encoding="utf-8"))]
    assert first.written == len(generated) and first.unchanged == 0
    stats = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in generated}
    second = generate(project).report
    assert (second.written, second.unchanged, second.removed) == (0, len(generated), 0)
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in generated} == stats
    # One record changes: its page is rewritten, an unrelated center's page is not.
    Registry(project).modify("center", "sample-zaliang", lambda d: d["contact"].update(office="中心综合办公室"))
    third = generate(project).report
    assert 0 < third.written < len(generated) and third.written + third.unchanged == len(generated)
    zaliang, taoci = (docs / "centers" / cid / "index.md" for cid in ("sample-zaliang", "sample-taoci"))
    assert zaliang.stat().st_ino != stats[zaliang][0] and "中心综合办公室" in zaliang.read_text(encoding="utf-8")
    assert (taoci.stat().st_ino, taoci.stat().st_mtime_ns) == stats[taoci]
    assert not list(docs.rglob("*.tmp")), "temporary files left behind"


def test_regeneration_without_changes_touches_no_file(tmp_path: Path):
    """Not even the manifest: `mkdocs serve` watches docs/, and a manifest rewritten on every
    generation triggers the next rebuild, which rewrites it again (an endless reload loop)."""
    project = make_project(tmp_path / "project")
    generate(project)
    docs = project / "docs"
    stats = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in docs.rglob("*") if p.is_file()}
    generate(project)
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in docs.rglob("*") if p.is_file()}
    touched = sorted(p.relative_to(docs).as_posix() for p in stats if after.get(p) != stats[p])
    assert touched == [], f"rewritten although unchanged: {touched}"


def test_registry_error_fails_with_findings_and_leaves_docs(tmp_path: Path):
    project = make_project(tmp_path / "project")
    generate(project)
    docs = project / "docs"
    before = snapshot(docs)
    reg = Registry(project)
    text = reg.modify("center", "sample-zaliang", lambda d: d.update(name="山西省示例杂粮加工技术创新中心"))
    line, col = line_of(text, "name:")
    with pytest.raises(BuildFailed) as failed:
        generate(project)
    message = str(failed.value)
    assert f"registry/centers/sample-zaliang.yaml:{line}:{col}: error [name.pattern]" in message
    assert "未生成网站" in message
    assert snapshot(docs) == before


@pytest.mark.slow
def test_failed_mkdocs_build_keeps_previous_site(tmp_path: Path):
    project = make_project(tmp_path / "project")
    generate(project)
    site = project / "site"
    (site / "centers").mkdir(parents=True)
    (site / "index.html").write_text("<p>上一次构建的网站</p>", encoding="utf-8")
    (site / "centers" / "index.html").write_text("<p>名录</p>", encoding="utf-8")
    before = snapshot(site)
    contribute = project / "docs" / "contribute.md"
    contribute.write_text(contribute.read_text(encoding="utf-8") + "\n[坏链接](no-such-page.md)\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        build_site(AS_OF, project / "registry", repo=project)
    message = str(failed.value)
    assert "mkdocs build --strict 失败" in message and "no-such-page.md" in message
    assert snapshot(site) == before
    assert not (project / ".site.tmp").exists() and not (project / ".site.old").exists()


def _isolated_cli_project(tmp_path: Path) -> Path:
    """A project with its own copy of the generator, so the CLI's default docs/ is in tmp."""
    project = make_project(tmp_path / "project")
    shutil.copytree(ROOT / "generator", project / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "schema", project / "schema")
    return project


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(project), PYTHONIOENCODING="utf-8", NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [PYTHON, "-m", "generator", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.mark.slow
def test_cli_build_bad_registry_exits_1_without_traceback(tmp_path: Path):
    project = _isolated_cli_project(tmp_path)
    reg = Registry(project)
    text = reg.modify("center", "sample-zaliang", lambda d: d.update(category="未知类"))
    line, col = line_of(text, "category:")
    before = snapshot(project / "docs")
    done = _cli(project, "build", "--as-of", str(AS_OF))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert f"registry/centers/sample-zaliang.yaml:{line}:{col}: error [" in done.stderr
    assert snapshot(project / "docs") == before
    # A record that is not even YAML: still exit 1 and a finding, no traceback.
    reg.write_raw("centers", "sample-zaliang.yaml", "id: [unclosed\n")
    done = _cli(project, "build", "--as-of", str(AS_OF))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "registry/centers/sample-zaliang.yaml:" in done.stderr
    assert snapshot(project / "docs") == before


@pytest.mark.slow
def test_cli_build_good_registry(tmp_path: Path):
    project = _isolated_cli_project(tmp_path)
    done = _cli(project, "build", "--as-of", str(AS_OF))
    assert done.returncode == 0, done.stderr
    assert (
        f"数据截至 {AS_OF}" in done.stderr and (project / "docs" / "centers" / "sample-zaliang" / "index.md").is_file()
    )
    again = _cli(project, "build", "--as-of", str(AS_OF))
    assert again.returncode == 0 and "写入 0 个文件" in again.stderr


def test_an_interrupted_write_does_not_block_the_next_one(tmp_path: Path, monkeypatch):
    """The manifest claims new files before they are written, so a run that stops half way
    leaves nothing the next run would take for a hand-written page."""
    import generator.write.tree as write

    docs = tmp_path / "docs"
    write.write_tree(docs, {"a.md": b"1"})
    real = write._write_temporary
    calls = []

    def dies_on_b(path, data):
        calls.append(path.name)
        if path.name == "b.md":
            raise KeyboardInterrupt
        return real(path, data)

    monkeypatch.setattr(write, "_write_temporary", dies_on_b)
    with pytest.raises(KeyboardInterrupt):
        write.write_tree(docs, {"a.md": b"1", "b.md": b"2", "c.md": b"3"})
    assert sorted(p.name for p in docs.iterdir()) == [MANIFEST, "a.md"]  # no temporary file left
    monkeypatch.setattr(write, "_write_temporary", real)
    report = write.write_tree(docs, {"a.md": b"1", "b.md": b"2", "c.md": b"3"})
    assert (report.written, report.unchanged) == (2, 1)
    assert sorted(p.name for p in docs.iterdir() if not p.name.startswith(".")) == ["a.md", "b.md", "c.md"]


# --- issue 14: the build writes and deletes only what it owns, and never half-way ----------


def _outside_canary(tmp_path: Path) -> Path:
    """A folder outside the project with a file the build must never touch."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the build's", encoding="utf-8")
    return outside


@pytest.mark.parametrize("entry", ["/ABS", "../../outside/keep.txt", "centers/../../../outside/keep.txt"])
def test_a_committed_manifest_cannot_delete_outside_docs(tmp_path: Path, entry: str):
    outside = _outside_canary(tmp_path)
    project = make_project(tmp_path / "project")
    generate(project)
    manifest = project / "docs" / MANIFEST
    names = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps([*names, entry.replace("/ABS", str(outside / "keep.txt"))]), encoding="utf-8")
    generate(project)
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "not the build's"
    assert json.loads(manifest.read_text(encoding="utf-8")) == names


def test_a_manifest_entry_through_a_symlinked_folder_is_not_deleted(tmp_path: Path):
    """docs/old -> outside, and the manifest lists old/keep.txt: the link is not followed."""
    outside = _outside_canary(tmp_path)
    project = make_project(tmp_path / "project")
    generate(project)
    docs = project / "docs"
    (docs / "old").symlink_to(outside, target_is_directory=True)
    names = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    (docs / MANIFEST).write_text(json.dumps([*names, "old/keep.txt"]), encoding="utf-8")
    generate(project)
    assert (outside / "keep.txt").is_file()


def test_a_manifest_that_is_not_a_list_of_names_is_ignored(tmp_path: Path):
    from generator.write.tree import generated_files

    for content in ('{"a": 1}', '[1, null, "ok.md", "", ".", "x/./y"]', "not json"):
        (tmp_path / MANIFEST).write_text(content, encoding="utf-8")
        assert generated_files(tmp_path) <= {"ok.md"}


def test_a_generated_folder_replaced_by_a_symlink_is_not_written_through(tmp_path: Path):
    outside = _outside_canary(tmp_path)
    project = make_project(tmp_path / "project")
    generate(project)
    docs = project / "docs"
    shutil.rmtree(docs / "centers")
    (docs / "centers").symlink_to(outside, target_is_directory=True)
    before = snapshot(outside)
    with pytest.raises(BuildFailed, match="符号链接"):
        generate(project)
    assert snapshot(outside) == before


def test_docs_itself_a_symlink_is_refused(tmp_path: Path):
    outside = _outside_canary(tmp_path)
    (tmp_path / "docs").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteConflict, match="符号链接"):
        write_tree(tmp_path / "docs", {"index.md": b"x"})
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]


def test_a_generated_file_replaced_by_a_symlink_is_replaced_not_followed(tmp_path: Path):
    outside = _outside_canary(tmp_path)
    docs = tmp_path / "docs"
    write_tree(docs, {"a.md": b"1"})
    (docs / "a.md").unlink()
    (docs / "a.md").symlink_to(outside / "keep.txt")
    report = write_tree(docs, {"a.md": b"2"})
    assert report.written == 1 and not (docs / "a.md").is_symlink() and (docs / "a.md").read_bytes() == b"2"
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "not the build's"


def _failing_after(n: int, error: OSError):
    """A `_write_temporary` that writes n files, then fails like a full or read-only disk."""
    import generator.write.tree as write

    real, calls = write._write_temporary, []

    def write_temporary(path: Path, data: bytes) -> Path:
        calls.append(path)
        if len(calls) > n:
            raise error
        return real(path, data)

    return write_temporary


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(28, "No space left on device"), "磁盘空间不足"),
        (OSError(30, "Read-only file system"), "只读"),
        (OSError(13, "Permission denied"), "没有写入权限"),
    ],
    ids=["full-disk", "read-only", "permission"],
)
def test_a_failed_write_leaves_the_last_good_docs_whole(tmp_path: Path, monkeypatch, error: OSError, words: str):
    import generator.write.tree as write

    project = make_project(tmp_path / "project")
    generate(project)
    docs = project / "docs"
    before = snapshot(docs)
    error.filename = str(docs / "centers" / "sample-guangfu.md")
    monkeypatch.setattr(write, "_write_temporary", _failing_after(5, error))
    with pytest.raises(BuildFailed) as failed:
        generate(project, as_of=AS_OF + dt.timedelta(days=400))  # every dated page changes
    assert words in str(failed.value) and "sample-guangfu.md" in str(failed.value)
    assert snapshot(docs) == before  # not one file replaced, no temporary file left


def test_a_file_where_a_generated_folder_should_be(tmp_path: Path):
    project = make_project(tmp_path / "project")
    generate(project)
    docs = project / "docs"
    shutil.rmtree(docs / "data")
    (docs / "data").write_text("a file now", encoding="utf-8")
    before = snapshot(docs)
    with pytest.raises(BuildFailed, match="文件占据了文件夹的位置"):
        generate(project)
    assert snapshot(docs) == before


def _take_lock(project: Path) -> subprocess.Popen[str]:
    """Another process that holds the project's build lock until its stdin closes."""
    script = (
        "import sys; from pathlib import Path; from generator.write.lock import build_lock\n"
        "with build_lock(Path(sys.argv[1])):\n    print('held', flush=True); sys.stdin.read()\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    holder = subprocess.Popen(
        [PYTHON, "-c", script, str(project)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_build_waits_for_another_and_gives_up_with_a_message(tmp_path: Path, monkeypatch):
    import generator.write.lock as lock

    project = make_project(tmp_path / "project")
    generate(project)
    before = snapshot(project / "docs")
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.5)
    holder = _take_lock(project)
    try:
        with pytest.raises(BuildFailed, match="另一个构建仍在进行"):
            generate(project, as_of=AS_OF + dt.timedelta(days=400))
        with pytest.raises(BuildFailed, match="另一个构建仍在进行"):
            build_site(AS_OF, project / "registry", repo=project)
        assert snapshot(project / "docs") == before and not (project / "site").exists()
    finally:
        holder.communicate("")
    generate(project, as_of=AS_OF + dt.timedelta(days=400))  # released when the holder ends


def test_two_builds_at_once_both_finish_and_leave_docs_consistent(tmp_path: Path):
    project = _isolated_cli_project(tmp_path)
    runs = [
        subprocess.Popen(
            [PYTHON, "-m", "generator", "build", "--as-of", day],
            cwd=project,
            env=dict(os.environ, PYTHONPATH=str(project), PYTHONIOENCODING="utf-8"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for day in ("2026-11-27", "2027-03-01")
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    docs = project / "docs"
    listed = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    assert all((docs / name).is_file() for name in listed)
    assert not list(docs.rglob(".*.tmp"))


def _fake_mkdocs(calls: list[Path]):
    """subprocess.run for `mkdocs build --site-dir D`: empties D first, as MkDocs does, then
    writes a page; so a staging folder linked elsewhere would empty that place."""

    def run(cmd, **kwargs):
        site = Path(cmd[cmd.index("--site-dir") + 1])
        calls.append(site)
        if site.exists():
            for child in site.iterdir():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        site.mkdir(exist_ok=True)
        (site / "index.html").write_text("<p>新</p>", encoding="utf-8")
        return subprocess.CompletedProcess(cmd, 0, "", "")

    return run


def test_a_prepared_staging_link_cannot_make_the_site_build_empty_another_folder(tmp_path: Path, monkeypatch):
    import generator.build as build_module

    outside = _outside_canary(tmp_path)
    project = make_project(tmp_path / "project")
    (project / ".site.tmp").symlink_to(outside, target_is_directory=True)
    calls: list[Path] = []
    monkeypatch.setattr(build_module.subprocess, "run", _fake_mkdocs(calls))
    build_site(AS_OF, project / "registry", repo=project)
    assert (outside / "keep.txt").is_file()
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "<p>新</p>"
    assert calls and not calls[0].is_symlink() and calls[0].parent == project


@pytest.mark.parametrize("kind", ["symlink", "file"])
def test_a_site_that_is_not_a_folder_is_refused_not_replaced(tmp_path: Path, monkeypatch, kind: str):
    import generator.build as build_module

    outside = _outside_canary(tmp_path)
    project = make_project(tmp_path / "project")
    if kind == "symlink":
        (project / "site").symlink_to(outside, target_is_directory=True)
    else:
        (project / "site").write_text("x", encoding="utf-8")
    monkeypatch.setattr(build_module.subprocess, "run", _fake_mkdocs([]))
    with pytest.raises(BuildFailed, match="不是生成器的输出文件夹"):
        build_site(AS_OF, project / "registry", repo=project)
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert (project / "site").is_symlink() == (kind == "symlink")
    assert not list(project.glob(".site.*"))


def test_a_swap_that_fails_puts_the_old_site_back(tmp_path: Path, monkeypatch):
    import generator.build as build_module
    import generator.write.tree as write

    project = make_project(tmp_path / "project")
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("<p>旧</p>", encoding="utf-8")
    monkeypatch.setattr(build_module.subprocess, "run", _fake_mkdocs([]))
    real, seen = os.replace, []

    def replace(src, dst):
        seen.append(dst)
        if len(seen) == 2:  # the new site into place
            raise OSError(28, "No space left on device", str(dst))
        real(src, dst)

    monkeypatch.setattr(write.os, "replace", replace)
    with pytest.raises(BuildFailed, match="site/ 保持上一次的结果"):
        build_site(AS_OF, project / "registry", repo=project)
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "<p>旧</p>"
    assert not list(project.glob(".site.*"))


def test_cli_build_that_cannot_swap_exits_1_not_done(tmp_path: Path):
    project = _isolated_cli_project(tmp_path)
    (project / "site").write_text("a file where the site goes", encoding="utf-8")
    done = _cli(project, "build", "--site", "--as-of", str(AS_OF))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "网站已生成" not in done.stderr
    assert "site" in done.stderr and "不是生成器的输出文件夹" in done.stderr
