"""Lighthouse on the built site: performance, total blocking time and accessibility per page type.

    python -m bench.run --sizes 1000,10000          # make bench: Lighthouse included
    python -m bench.run --sizes 1000 --no-lighthouse

What a phone sees, measured the way Lighthouse's own CLI does by default: the mobile form
factor with simulated throttling (a mid-range phone on a slow 4G link, CPU slowed 4×),
Lighthouse 12 pinned in package.json / package-lock.json (`npm ci` installs it into
node_modules/), Debian's Chromium (CHROME_PATH). The site is served from its folder on
127.0.0.1 with gzip, as a real static host serves it: without compression the list's data
would weigh five times as much on the simulated link and the figures would measure the
server, not the page.

Targets (issue #16): at 1,000 centers every page type scores ≥ 95 in performance with a
total blocking time under 200 ms; at 10,000 the center list blocks under 300 ms. The
accessibility score is recorded beside them. Nothing here is a test; tests/test_bench_lighthouse.py
checks the report parsing and the verdicts offline.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.local_server import serve

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_PATH = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
PERFORMANCE_MIN, TBT_MAX_MS, LIST_TBT_MAX_MS = 95, 200, 300
ALL_PAGES_N, LIST_ONLY_N = 1000, 10000
#: Page types by label: the path under the site's root (a record's page: the first one found).
FIXED_PAGES = {
    "首页": "",
    "中心名录": "centers/",
    "公示公告列表": "notices/",
    "截止日期": "deadlines/",
    "考核评估": "ratings/",
    "规则说明": "rules/",
    "数据下载": "data/",
    "最近变更": "changes/",
}
#: Top-level folders of files only (assets, the search index, the schemas): no page type of their own.
NOT_PAGES = {"assets", "search", "schema"}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".atom", ".ics")


@dataclass(frozen=True)
class Score:
    """One page's Lighthouse figures (scores 0–100, or None when Lighthouse could not score)."""

    label: str
    path: str
    performance: float | None
    tbt_ms: float | None
    accessibility: float | None
    error: str = ""
    note: str = ""  # the other runs' figures, when there were several
    benchmark_index: float | None = None  # Lighthouse's measure of this machine's speed at the time (busy: lower)


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    result: str  # PASS, FAIL or n/a


def parse_report(label: str, path: str, report: dict[str, Any]) -> Score:
    """The figures of one Lighthouse JSON report (`--output=json`): category scores are 0–1."""
    categories, audits = report.get("categories", {}), report.get("audits", {})

    def category(name: str) -> float | None:
        score = categories.get(name, {}).get("score")
        return None if score is None else round(score * 100)

    tbt = audits.get("total-blocking-time", {}).get("numericValue")
    error = (report.get("runtimeError") or {}).get("message", "")
    index = (report.get("environment") or {}).get("benchmarkIndex")
    tbt_ms = None if tbt is None else float(tbt)
    return Score(label, path, category("performance"), tbt_ms, category("accessibility"), error, benchmark_index=index)


def page_types(site: Path) -> dict[str, str]:
    """Every page type of a built site, by label: the fixed ones, a center, a notice, and each
    other top-level section's index and first page (what other pages the site has grown)."""
    pages = {label: path for label, path in FIXED_PAGES.items() if (site / path / "index.html").is_file()}
    if (site / "centers" / "page_2" / "index.html").is_file():
        pages["中心名录第 2 页（无脚本时的分页）"] = "centers/page_2/"
    for label, folder in (("一个中心", "centers"), ("一条公示", "notices")):
        first = _first_subpage(site / folder)
        if first:
            pages[label] = f"{folder}/{first}/"
    known = {p.strip("/").split("/")[0] for p in pages.values() if p}
    for section in sorted(p for p in site.iterdir() if p.is_dir()):
        name = section.name
        if name in NOT_PAGES:
            continue
        if name not in known and (section / "index.html").is_file():
            pages[f"{name}/"] = f"{name}/"
        first = _first_subpage(section)
        # A section's pages one level down are a type of their own unless one is measured already
        # (a center, a notice); a section without an index page (the measures' text) is one too.
        if first and not any(p.startswith(f"{name}/") and p.count("/") == 2 for p in pages.values()):
            pages[f"{name}/…"] = f"{name}/{first}/"
    return pages


def _first_subpage(folder: Path) -> str | None:
    """The first record's page in `folder`: not a page of a list (`page_2`: no record id has an underscore)."""
    if not folder.is_dir():
        return None
    return next((p.name for p in sorted(folder.iterdir()) if "_" not in p.name and (p / "index.html").is_file()), None)


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the client accepts it (as GitHub Pages or nginx do)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or not path.is_file() or path.suffix not in COMPRESSIBLE:
            return super().send_head()
        body = _compressed(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)


class _Body:
    """What send_head returns to do_GET: a file-like body."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: Any) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@functools.lru_cache(maxsize=4096)
def _compressed(path: str, mtime: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


@contextlib.contextmanager
def serve_gzip(directory: Path) -> Iterator[str]:
    """Base URL (ending in /) of `directory` served with gzip on 127.0.0.1, while in use."""
    with serve(functools.partial(_GzipHandler, directory=str(directory)), "lighthouse-site") as origin:
        yield origin + "/"


def missing() -> str | None:
    """Why Lighthouse cannot run here, or None."""
    if not LIGHTHOUSE.is_file():
        return "node_modules/lighthouse 未安装（在仓库根目录运行 npm ci）"
    if not shutil.which("node"):
        return "没有 node"
    if not Path(CHROME_PATH).is_file():
        return f"没有 Chromium（{CHROME_PATH}）"
    return None


def lighthouse(url: str, label: str, path: str, timeout: float = 300) -> Score:
    """One Lighthouse run (mobile preset, simulated throttling) on `url`."""
    with tempfile.TemporaryDirectory(prefix="tic-lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = [
            "node",
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            "--only-categories=performance,accessibility",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        env = dict(os.environ, CHROME_PATH=CHROME_PATH, TMPDIR=tmp)
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return Score(label, path, None, None, None, f"timeout after {timeout:.0f} s")
        if proc.returncode or not out.is_file():
            return Score(label, path, None, None, None, f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}")
        return parse_report(label, path, json.loads(out.read_text(encoding="utf-8")))


def measure(site: Path, n: int, only: tuple[str, ...] = (), runs: int = 5) -> list[Score]:
    """Lighthouse on every page type of `site` (or the labels in `only`), `runs` times each: the
    median run by performance score is kept. Single runs move a lot (a shared machine's neighbours,
    where the parser yields before the first paint); Lighthouse's own advice is the median of five."""
    pages = page_types(site)
    if only:
        pages = {label: path for label, path in pages.items() if label in only}
    scores = []
    with serve_gzip(site) as base:
        for label, path in pages.items():
            score = median([lighthouse(base + path, label, path) for _ in range(max(1, runs))])
            scores.append(score)
            print(f"  N={n:<6} Lighthouse {label:<10} {show(score)}", flush=True)
    return scores


def median(runs: list[Score]) -> Score:
    """The median run by performance (then TBT), with every run's figures in its note."""
    scored = sorted((s for s in runs if s.performance is not None), key=lambda s: (s.performance, -(s.tbt_ms or 0)))
    if not scored:
        return runs[0]
    kept = scored[len(scored) // 2]
    if len(runs) == 1:
        return kept
    note = f"{len(runs)} 次中位数；各次 性能/TBT/benchmarkIndex：" + "、".join(
        f"{_num(s.performance)}/{_num(s.tbt_ms)}/{_num(s.benchmark_index)}" for s in runs
    )
    return Score(
        kept.label, kept.path, kept.performance, kept.tbt_ms, kept.accessibility, kept.error, note, kept.benchmark_index
    )


def show(score: Score) -> str:
    if score.error and score.performance is None:
        return f"失败：{score.error}"
    return f"性能 {_num(score.performance)}，TBT {_num(score.tbt_ms)} ms，无障碍 {_num(score.accessibility)}" + (
        f"（{score.error}）" if score.error else ""
    )


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def markdown_rows(scores: dict[int, list[Score]]) -> list[str]:
    """The Lighthouse table of docs/benchmark.md."""
    lines = ["| N | 页面 | 地址 | 性能 | TBT（毫秒） | 无障碍 | 说明 |", "|---:|---|---|---:|---:|---:|---|"]
    for n, measured in sorted(scores.items()):
        for s in measured:
            note = ((s.error + "；" if s.error else "") + s.note).replace("|", "\\|")
            lines.append(
                f"| {n:,} | {s.label} | `/{s.path}` | {_num(s.performance)} | {_num(s.tbt_ms)} | {_num(s.accessibility)}"
                f" | {note} |"
            )
    return lines


def verdicts(scores: dict[int, list[Score]]) -> list[Verdict]:
    """The issue's targets, one row per measured page: PASS, FAIL, or n/a when not measured."""
    out = []
    if not scores.get(ALL_PAGES_N):
        out.append(
            Verdict(
                f"Lighthouse 手机：每种页面，{ALL_PAGES_N:,} 个中心：性能 ≥ {PERFORMANCE_MIN} 且 TBT < {TBT_MAX_MS} ms",
                "未测",
                "n/a",
            )
        )
    for s in scores.get(ALL_PAGES_N, []):
        ok = s.performance is not None and s.tbt_ms is not None
        out.append(
            Verdict(
                f"Lighthouse 手机：{s.label}（/{s.path}），{ALL_PAGES_N:,} 个中心：性能 ≥ {PERFORMANCE_MIN} 且 TBT < {TBT_MAX_MS} ms",
                f"性能 {_num(s.performance)}，TBT {_num(s.tbt_ms)} ms，无障碍 {_num(s.accessibility)}",
                ("PASS" if s.performance >= PERFORMANCE_MIN and s.tbt_ms < TBT_MAX_MS else "FAIL")  # type: ignore[operator]
                if ok
                else "FAIL",
            )
        )
    lists = [s for s in scores.get(LIST_ONLY_N, []) if s.path == FIXED_PAGES["中心名录"]]
    target = f"Lighthouse 手机：中心名录，{LIST_ONLY_N:,} 个中心：TBT < {LIST_TBT_MAX_MS} ms"
    if not lists:
        out.append(Verdict(target, "未测", "n/a"))
    for s in lists:
        out.append(
            Verdict(
                target,
                f"TBT {_num(s.tbt_ms)} ms（性能 {_num(s.performance)}，无障碍 {_num(s.accessibility)}）",
                "PASS" if s.tbt_ms is not None and s.tbt_ms < LIST_TBT_MAX_MS else "FAIL",
            )
        )
    return out
