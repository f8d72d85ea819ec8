"""`mkdocs serve` with the plugin: editing a record reloads the preview, once, and records
saved while a rebuild runs reach the preview without a race.

A real server on a free localhost port, in a copy of the project, so the repository's
own docs/ and site/ are never touched.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.support import ROOT, Registry, make_project

pytestmark = pytest.mark.server

PAGE = "/registry/centers/sample-zaliang/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = _get(url)
        if body and text in body:
            return True
        time.sleep(0.5)
    return False


def _serve(project: Path, log_file: Path, *args: str):
    """A `mkdocs serve` process in `project` on a free port; (process, base URL, log)."""
    port = _free_port()
    log = log_file.open("w+", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TIC_AS_OF": "2026-11-27", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("TIC_REGISTRY", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *args, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}", log


@pytest.fixture(params=["--dirty", "--clean"])  # `make serve` uses --dirty
def server(tmp_path: Path, request):
    project = make_project(tmp_path / "project")
    process, base, log = _serve(project, tmp_path / "serve.log", request.param)
    try:
        yield project, base, log
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _builds(log) -> int:
    log.seek(0)
    return log.read().count("Documentation built")


def test_editing_a_record_reloads_the_preview_once(server) -> None:
    project, base, log = server
    assert _wait_for(base + PAGE, "农产品加工", 90), "the preview never served the generated center page"
    assert "数据截至" in _get(base + PAGE)

    Registry(project).modify("center", "sample-zaliang", lambda d: d.update(field="杂粮精深加工"))
    assert _wait_for(base + PAGE, "杂粮精深加工", 60), "editing the record did not reach the preview"

    time.sleep(8)  # the log line follows the files the server already serves; then quiet
    assert _builds(log) == 2, "one edit should cost exactly one rebuild (no write loop)"
    assert "杂粮精深加工" in (_get(base + "/registry/centers/") or ""), "the list page did not follow"
    # The preview's search index still has one entry per record page, the edited one's new.
    index = json.loads(_get(base + "/registry/search/search_index.json") or "{}")
    locations = [d["location"] for d in index["docs"]]
    centers = sorted(p.stem for p in (project / "registry" / "centers").glob("*.yaml"))
    assert [c for c in centers if locations.count(f"centers/{c}/") != 1] == []
    assert len(locations) == len(set(locations))
    entry = next(d for d in index["docs"] if d["location"] == "centers/sample-zaliang/")
    assert "杂粮精深加工" in entry["text"].replace("\u200b", "")


def test_editing_a_hand_written_page_rebuilds_once(server) -> None:
    """The server's watch of docs/ ignores the generator's files, not the people's."""
    project, base, log = server
    assert _wait_for(base + PAGE, "农产品加工", 90)
    page = project / "docs" / "contribute.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n手写页面的新段落。\n", encoding="utf-8")
    assert _wait_for(base + "/registry/contribute/", "手写页面的新段落", 60)
    time.sleep(8)
    assert _builds(log) == 2


def test_a_broken_record_shows_the_finding_not_a_traceback(server) -> None:
    project, base, log = server
    assert _wait_for(base + PAGE, "农产品加工", 90)
    Registry(project).modify("center", "sample-zaliang", lambda d: d.update(category="综合"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        log.seek(0)
        if "[schema]" in log.read():
            break
        time.sleep(0.5)
    log.seek(0)
    output = log.read()
    assert "registry/centers/sample-zaliang.yaml:" in output and "[schema]" in output
    assert "Traceback" not in output
    assert "农产品加工" in (_get(base + PAGE) or ""), "nothing was written: the last good preview stays up"


def test_a_settings_edit_reaches_every_record_page(server) -> None:
    """Record pages are stamped from the shell page: in a dirty rebuild too, a new frame
    (here the sample-data banner from registry.yaml) reaches pages whose record is unchanged."""
    project, base, _log = server
    assert _wait_for(base + PAGE, "农产品加工", 90)
    settings = project / "registry" / "registry.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("sample_notice: ", "sample_notice: 横幅已更新。"), encoding="utf-8")
    assert _wait_for(base + PAGE, "横幅已更新", 60), "the record page kept the old banner"
    assert "横幅已更新" in (_get(base + "/registry/notices/approval-2026/") or "")


def _log(log) -> str:
    log.seek(0)
    return log.read()


def test_records_saved_while_a_rebuild_runs_all_reach_the_preview(tmp_path: Path) -> None:
    """Saves land during a rebuild (the old preview regenerated on a timer thread beside the
    build: two generations at once, the wrong function on the wrong items). Builds run one
    at a time on MkDocs' build loop; a save during one asks for the next, and the preview
    ends showing every record as last saved, without an error."""
    from bench.run import change_one_record
    from bench.synth import generate

    registry = tmp_path / "synth" / "registry"
    generate(registry, 600)  # above PARALLEL_FROM: the sizes where the old preview forked
    project = make_project(tmp_path / "project", registry=registry)
    files = sorted((project / "registry" / "centers").glob("*.yaml"))
    edited = [f for f in files if re.search(r"  address: .*号", f.read_text(encoding="utf-8"))][:3]
    assert len(edited) == 3
    process, base, log = _serve(project, tmp_path / "serve.log", "--dirty")
    try:
        first = f"{base}/registry/centers/{edited[0].stem}/"
        assert _wait_for(first, "技术创新中心", 240), _log(log)[-3000:]
        started, built = _log(log).count("Building documentation"), _log(log).count("Documentation built")
        change_one_record(edited[0], "第一次")
        deadline = time.monotonic() + 60
        while _log(log).count("Building documentation") == started:  # the rebuild for the first save runs
            assert time.monotonic() < deadline, _log(log)[-3000:]
            time.sleep(0.02)
        for k, file in enumerate(edited[1:]):  # saves during that rebuild
            change_one_record(file, f"第{k + 2}次")
            time.sleep(0.1)
        change_one_record(edited[0], "再改")
        assert _log(log).count("Documentation built") == built, "the saves came after the rebuild, not during it"
        for file, mark in zip(edited, ("再改", "第2次", "第3次")):
            assert _wait_for(f"{base}/registry/centers/{file.stem}/", mark, 120), (file.stem, _log(log)[-3000:])
        assert process.poll() is None, "the server stopped"
        output = _log(log)
        assert "Traceback" not in output and "ERROR" not in output, output[-3000:]
        listed = _get(f"{base}/registry/data/centers/{edited[1].stem}.json") or ""
        assert "第2次" in listed, "the open data did not follow"
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
