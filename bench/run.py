"""The scale benchmark: time and peak memory of every stage for synthetic registries of N centers.

    python -m bench.run [--sizes 100,1000,10000] [--mkdocs-max 10000] [--runs 2] [--write-doc]

For each N a synthetic registry (bench.synth, seed 1) is written into a temporary site
folder next to copies of the repository's mkdocs.yml, overrides/ and hand-written docs/
(the MkDocs plugin is this checkout's generator/plugin). Every measurement runs in a fresh
child process, so its peak RSS is its own:

* pipeline child: load, validate (schema + rules; includes load), derive, render (the
  pages and the open data as one batch, generator.build.render_outputs: what a build
  runs), write (write_tree into a docs folder, what `python -m generator build` does; a
  site build hands the files to MkDocs instead); then, for the record, render Markdown
  (render_site) and render open data (render_open_data) each on its own. One process
  per N and run (--runs, each writing into a folder of its own; a stage's fastest run is
  kept, with the highest peak), peak RSS read after each stage (so it is the peak so far);
* validate child: validate alone (its process wall time is what check-jsonschema is
  compared with, both including interpreter start-up);
* `mkdocs build`, up to --mkdocs-max: the whole site, the plugin generating inside it
  (--runs times, the fastest kept);
* `check-jsonschema --schemafile schema/center.schema.json <every center file>`;
* at N=1000 (or --rebuild-n): the live preview. First the generation as the plugin runs
  it under `mkdocs serve` (one process generates, a record changes, it generates again:
  only that run is timed, with the plugin's caches warm); then a real `mkdocs serve`: a
  record is saved and the time until the server returns its page with the change is
  measured, three times.
* Lighthouse (bench/lighthouse.py; on unless --no-lighthouse): every page type of the site
  just built at N=1,000, the center list at N=10,000; mobile preset, served with gzip.

Nothing here is a test: timings depend on the machine. `--profile STAGE` prints the top
functions of one stage under cProfile instead of benchmarking.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import lighthouse

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
AS_OF = "2026-11-02"
STAGES = ("load", "validate", "derive", "render", "write", "render_site", "render_open_data")
STAGE_LABELS = {
    "load": "load（读取解析）",
    "validate": "validate（含 load）",
    "derive": "derive",
    "render": "render（页面与开放数据同批）",
    "render_site": "其中 render Markdown（单独）",
    "render_open_data": "其中 render open data（单独）",
    "write": "write（write_tree）",
    "validate_proc": "validate 进程（含启动）",
    "check_jsonschema": "check-jsonschema 进程",
    "mkdocs": "mkdocs build（插件在其中生成）",
    "generate_one_change_serve": "改一条后重新生成（serve 进程内，插件）",
    "preview_refresh": "改一条后预览刷新（mkdocs serve）",
}
GENERATED_DOCS = {
    "index.md",
    "centers",
    "notices",
    "deadlines.md",
    "ratings.md",
    "rules.md",
    "changes.md",
    "data",
    "schema",
    ".generated.json",
}
MIB = 1024 * 1024


# --- children --------------------------------------------------------------------------------


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (a stage's forked workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _emit(record: dict[str, Any]) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


def child_pipeline(registry: Path, docs: Path, profile: str | None) -> None:
    """Each stage in turn in this one process; prints one JSON line per stage."""
    import cProfile
    import pstats

    as_of = dt.date.fromisoformat(AS_OF)
    state: dict[str, Any] = {}
    _preimport()
    profiler = cProfile.Profile() if profile else None

    def stage(name: str, run: Any) -> None:
        if profile and name != profile:
            state[name] = run()
            return
        if profiler:
            profiler.enable()
        start, cpu = time.perf_counter(), _cpu()
        try:
            state[name] = run()
        except ImportError as exc:
            _emit({"stage": name, "available": False, "error": str(exc)})
            state[name] = None
            return
        finally:
            if profiler:
                profiler.disable()
        _emit(
            {
                "stage": name,
                "available": True,
                "seconds": time.perf_counter() - start,
                "cpu": _cpu() - cpu,
                "peak_mib": _rss_mib(),
            }
        )

    def load() -> int:
        from generator.records.load import load_registry

        documents, _findings = load_registry(registry, Path.cwd())
        return len(documents)

    def validate() -> Any:
        from generator.validate.registry import validate_registry

        result = validate_registry(registry, Path.cwd())
        if result.findings:
            _emit({"stage": "validate", "note": f"{len(result.findings)} findings", "first": str(result.findings[0])})
        return result

    def derive() -> Any:
        from generator.derive.facts import derive as run

        return run(state["validate"].registry, as_of)

    def render() -> Any:
        from generator.build import render_outputs

        return render_outputs(state["derive"], [])

    def write() -> Any:
        from generator.write.tree import write_tree

        files = state.pop("render")
        if files is None:
            raise ImportError("nothing rendered")
        report = write_tree(docs, files)
        return {"files": len(files), "bytes": sum(map(len, files.values())), "written": report.written}

    def render_site() -> Any:
        from generator.render.site import pages as site

        return len(site.render_site(state["derive"], []))

    def render_open_data() -> Any:
        from generator.render.opendata.plan import render_open_data as run

        return len(run(state["derive"]))

    for name, run in zip(STAGES, (load, validate, derive, render, write, render_site, render_open_data)):
        if profile and STAGES.index(name) > STAGES.index(profile):
            break
        stage(name, run)
        if name == "load":
            state.pop("load")
    if state.get("write"):
        _emit({"stage": "write_info", **state["write"]})
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(30)


def _preimport() -> None:
    """Import every stage's modules before any clock starts (import time is not a stage)."""
    import importlib

    for name in (
        "generator.records.load",
        "generator.validate.registry",
        "generator.derive.facts",
        "generator.render.site.pages",
        "generator.render.opendata.plan",
        "generator.write.tree",
        "generator.build",
    ):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def child_validate(registry: Path) -> None:
    from generator.validate.registry import validate_registry

    start, cpu = time.perf_counter(), _cpu()
    result = validate_registry(registry, Path.cwd())
    _emit(
        {
            "stage": "validate",
            "seconds": time.perf_counter() - start,
            "cpu": _cpu() - cpu,
            "peak_mib": _rss_mib(),
            "findings": len(result.findings),
        }
    )


def change_one_record(file: Path, mark: str) -> None:
    """The benchmark's one-record edit: a center's address gains a suffix."""
    text = file.read_text(encoding="utf-8")
    file.write_text(re.sub(r"(  address: .*)号", rf"\1号（{mark}）", text, count=1), encoding="utf-8")


def child_generate(registry: Path, site: Path, change: Path) -> None:
    """The generation the way the plugin runs it under `mkdocs serve`: the process has
    generated once already (the plugin's caches are warm), then one record changes; only
    that run is timed. `mkdocs serve` runs threads, so fork_map stays in-process: so here."""
    import threading

    from generator.plugin.generation import Generator

    generator = Generator()
    as_of = dt.date.fromisoformat(AS_OF)
    first = generator.update(registry, site, as_of).files
    change_one_record(change, "又迁")
    time.sleep(0.01)
    idle = threading.Event()
    server = threading.Thread(target=idle.wait)  # as the live server's threads are
    server.start()
    start, cpu = time.perf_counter(), _cpu()
    files = generator.update(registry, site, as_of).files
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    idle.set()
    server.join()
    written = sum(1 for name, data in files.items() if first.get(name) != data)
    _emit({"stage": "generate", "seconds": seconds, "cpu": cpu, "peak_mib": _rss_mib(), "written": written})


# --- the parent ----------------------------------------------------------------------------------


@dataclass
class Proc:
    seconds: float
    cpu: float
    peak_mib: float
    returncode: int
    stdout: str
    stderr: str

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.splitlines() if line.startswith("{")]


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 1800) -> Proc:
    """Run a child; its own wall time and peak RSS (os.wait4), output captured through files."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Proc(
            seconds,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def _child_env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), TIC_AS_OF=AS_OF, PYTHONHASHSEED="0")
    return env


def _child(mode: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "bench.run", "--child", mode, *args]


def prepare_site(folder: Path, count: int, seed: int) -> Path:
    """A site folder with the real config and hand-written docs, and a synthetic registry."""
    from bench.synth import generate
    from generator.write.tree import generated_files

    for name in ("mkdocs.yml",):
        shutil.copy2(ROOT / name, folder / name)
    for name in ("overrides",):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    manifest = generated_files(ROOT / "docs")
    docs = folder / "docs"
    docs.mkdir()
    for item in sorted((ROOT / "docs").rglob("*")):
        rel = item.relative_to(ROOT / "docs").as_posix()
        if item.is_dir() or rel in manifest or rel.split("/")[0] in GENERATED_DOCS:
            continue
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(item, docs / rel)
    generate(folder / "registry", count, seed)
    return folder / "registry"


@dataclass
class Row:
    n: int
    stage: str
    seconds: float | None
    peak_mib: float | None
    note: str = ""
    cpu: float | None = None


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(
        self, n: int, stage: str, seconds: float | None, peak: float | None, note: str = "", cpu: float | None = None
    ) -> None:
        self.rows.append(Row(n, stage, seconds, peak, note, cpu))
        shown = "not available" if seconds is None else f"{seconds:9.3f} s"
        cpu_shown = "" if cpu is None else f"cpu {cpu:8.3f} s"
        mem = "" if peak is None else f"{peak:8.1f} MiB"
        print(
            f"  N={n:<6} {STAGE_LABELS.get(stage, stage):<28} {shown:>14} {cpu_shown:>14} {mem:>13}  {note}", flush=True
        )

    def get(self, n: int, stage: str) -> Row | None:
        return next((r for r in self.rows if r.n == n and r.stage == stage and r.seconds is not None), None)


def _fastest(pipes: list[Proc], results: Results, n: int) -> dict[str, dict[str, Any]]:
    """Each stage's record from the pipeline run where it was fastest, with the highest peak of all runs."""
    best: dict[str, dict[str, Any]] = {}
    for pipe in pipes:
        for rec in pipe.records():
            if rec.get("stage") == "write_info":
                results.facts[f"write_{n}"] = rec
            elif "note" in rec:
                results.facts.setdefault("notes", []).append(f"N={n} validate: {rec['note']}: {rec.get('first')}")
            elif rec.get("available") and best.get(rec["stage"], {}).get("available"):
                kept = best[rec["stage"]]
                peak = max(kept["peak_mib"], rec["peak_mib"])
                best[rec["stage"]] = {**(rec if rec["seconds"] < kept["seconds"] else kept), "peak_mib": peak}
            elif rec["stage"] not in best or rec.get("available"):
                best[rec["stage"]] = rec
    failed = next((p.returncode for p in pipes if p.returncode), 0)
    for name in STAGES:
        best.setdefault(name, {"available": False, "error": "not available" + (f" (exit {failed})" if failed else "")})
    return best


def bench_size(n: int, args: argparse.Namespace, results: Results) -> None:
    with tempfile.TemporaryDirectory(prefix=f"tic-bench-{n}-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        registry = prepare_site(folder, n, args.seed)
        files = sorted((registry / "centers").glob("*.yaml"))
        notices = len(list((registry / "notices").glob("*.yaml")))
        size = sum(f.stat().st_size for f in files)
        print(
            f"N={n}: {n} centers ({size / n:.0f} B each), {notices} notices, synthesised in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )
        env = _child_env()

        pipes = [
            run_measured(_child("pipeline", str(registry), str(folder / f"docs-run{k}")), folder, env)
            for k in range(args.runs)
        ]  # each writes into a folder of its own
        for stage, rec in _fastest(pipes, results, n).items():
            if rec.get("available"):
                results.add(n, stage, rec["seconds"], rec["peak_mib"], cpu=rec["cpu"])
            else:
                results.add(n, stage, None, None, rec.get("error", ""))
        for pipe in pipes:
            if pipe.returncode:
                print(pipe.stderr[-3000:], file=sys.stderr)

        val = run_measured(_child("validate", str(registry)), folder, env)
        rec = next(iter(val.records()), {})
        results.add(
            n,
            "validate_proc",
            val.seconds,
            val.peak_mib,
            f"进程内 {rec.get('seconds', float('nan')):.3f} s，发现 {rec.get('findings')} 条",
            cpu=val.cpu,
        )

        subset = files[: args.cj_max]
        cj = run_measured(
            [
                str(VENV_BIN / "check-jsonschema"),
                "--schemafile",
                str(ROOT / "schema" / "center.schema.json"),
                *map(str, subset),
            ],
            folder,
            dict(os.environ),
        )
        verdict = "ok" if cj.returncode == 0 else f"exit {cj.returncode}: {(cj.stdout + cj.stderr).strip()[:200]}"
        if len(subset) < len(files):
            scale = len(files) / len(subset)
            results.add(
                n,
                "check_jsonschema",
                cj.seconds * scale,
                cj.peak_mib,
                f"{verdict}；只测了前 {len(subset)} 个文件（{cj.seconds:.1f} s），按线性外推",
                cpu=cj.cpu * scale,
            )
        else:
            results.add(n, "check_jsonschema", cj.seconds, cj.peak_mib, verdict, cpu=cj.cpu)

        generated = results.get(n, "write") is not None
        if generated and n <= args.mkdocs_max:
            builds = [  # the whole site, as often as the pipeline runs: the fastest is kept
                run_measured(
                    [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(folder / "site")],
                    folder,
                    env,
                    timeout=args.mkdocs_timeout,
                )
                for _ in range(args.runs)
            ]
            mk = min(builds, key=lambda b: (b.returncode != 0, b.seconds))
            if len(builds) > 1:
                results.facts.setdefault("notes", []).append(
                    f"N={n} mkdocs build: " + "、".join(f"{b.seconds:.1f} s（CPU {b.cpu:.1f} s）" for b in builds)
                )
            warnings = len(re.findall(r"^WARNING", mk.stderr, re.M))
            index = folder / "site" / "search" / "search_index.json"
            note = f"exit {mk.returncode}, {warnings} warnings"
            if mk.returncode == 0 and index.exists():
                results.facts[f"search_{n}"] = index.stat().st_size
                note += f", search index {index.stat().st_size / MIB:.1f} MiB = {index.stat().st_size / n:.0f} B/center"
                pages = sum(1 for _ in (folder / "site").rglob("*.html"))
                note += f", {pages} HTML pages"
            else:
                print(mk.stderr[-3000:], file=sys.stderr)
            results.add(n, "mkdocs", mk.seconds if mk.returncode == 0 else None, mk.peak_mib, note, cpu=mk.cpu)
            if warnings:
                results.facts.setdefault("notes", []).append(
                    f"N={n} mkdocs warnings (first): " + "; ".join(re.findall(r"^WARNING.*$", mk.stderr, re.M)[:3])
                )
            if args.lighthouse and mk.returncode == 0:
                run_lighthouse(folder / "site", n, args, results)
        elif generated:
            results.add(n, "mkdocs", None, None, f"skipped: N > --mkdocs-max {args.mkdocs_max}")

        if n == args.rebuild_n and generated:
            serve = run_measured(
                _child("generate", str(registry), str(folder), str(files[len(files) // 3])),
                folder,
                env,
            )
            rec = next(iter(serve.records()), {})
            if serve.returncode == 0 and rec:
                results.add(
                    n,
                    "generate_one_change_serve",
                    rec["seconds"],
                    rec["peak_mib"],
                    f"同一进程先生成一次（如 mkdocs serve），再改一条；{rec['written']} 个文件变了",
                    cpu=rec["cpu"],
                )
            else:
                results.add(n, "generate_one_change_serve", None, None, f"failed: {serve.stderr.strip()[-300:]}")
            editable = [f for f in files if re.search(r"  address: .*号", f.read_text(encoding="utf-8"))]
            refresh = preview_refresh(folder, editable)
            if refresh:
                median = sorted(refresh)[len(refresh) // 2]
                results.add(
                    n,
                    "preview_refresh",
                    median,
                    None,
                    "真实的 mkdocs serve：保存记录到页面显示新内容，"
                    + "、".join(f"{t:.2f}" for t in refresh)
                    + " s，取中位数",
                )
            else:
                results.add(n, "preview_refresh", None, None, "mkdocs serve 未能启动或页面没有更新")


def run_lighthouse(site: Path, n: int, args: argparse.Namespace, results: Results) -> None:
    """Lighthouse on the site just built: every page type at 1,000 centers, the list at 10,000."""
    if n not in (lighthouse.ALL_PAGES_N, lighthouse.LIST_ONLY_N):
        return
    why = lighthouse.missing()
    if why:
        results.facts.setdefault("notes", []).append(f"N={n} Lighthouse 未测：{why}")
        print(f"  N={n:<6} Lighthouse 未测：{why}", flush=True)
        return
    only = () if n == lighthouse.ALL_PAGES_N else ("中心名录",)
    results.facts["lighthouse"][n] = lighthouse.measure(site, n, only, runs=args.lighthouse_runs)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (OSError, ValueError):
        return None


def preview_refresh(folder: Path, files: list[Path], edits: int = 3, timeout: float = 120) -> list[float]:
    """Seconds from saving one record to `mkdocs serve` serving its page with the change.

    The server runs as `make serve` runs it (`--dirty`; the hook regenerates on registry
    edits), in the benchmark folder; each edit changes another center's address.
    """
    port = _free_port()
    env = _child_env()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/registry/"
    times: list[float] = []
    try:
        deadline = time.monotonic() + timeout
        while _get(base) is None:
            if time.monotonic() > deadline or server.poll() is not None:
                return []
            time.sleep(0.2)
        for k, file in enumerate(files[len(files) // 4 :][:edits]):
            time.sleep(2)  # the previous build has settled
            mark = f"预览{k}"
            url = f"{base}centers/{file.stem}/"
            start = time.monotonic()
            change_one_record(file, mark)
            while mark not in (_get(url) or ""):
                if time.monotonic() - start > timeout:
                    return times
                time.sleep(0.05)
            times.append(time.monotonic() - start)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return times


# --- targets ------------------------------------------------------------------------------------

PIPELINE = ("validate", "derive", "render")
#: Below this a stage's time is mostly timer noise and fixed cost (imports warmed, caches,
#: a scheduler tick): a growth factor from it says nothing about N, so it is shown, not judged.
MEASURABLE_S = 0.1


def targets(results: Results, sizes: list[int]) -> list[tuple[str, str, str]]:
    """(target, measured, PASS/FAIL/n.a.) for each target of the issue."""
    out: list[tuple[str, str, str]] = []
    big = max(sizes)

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("PASS" if ok else "FAIL")

    v = results.get(10000, "validate")
    out.append(("validate 10,000 个中心 < 5 s", f"{v.seconds:.2f} s" if v else "未测", verdict(v and v.seconds < 5)))
    vp, cj = results.get(big, "validate_proc"), results.get(big, "check_jsonschema")
    if vp and cj:
        out.append(
            (
                f"validate 比 check-jsonschema 快 ≥ 5 倍（N={big}，两者都按进程计）",
                f"{cj.seconds:.2f} s / {vp.seconds:.2f} s = {cj.seconds / vp.seconds:.1f}×",
                verdict(cj.seconds / vp.seconds >= 5),
            )
        )
    rows = [results.get(10000, s) for s in PIPELINE]
    if all(rows):
        total = sum(r.seconds for r in rows)  # type: ignore[union-attr]
        peak = max(r.peak_mib for r in rows)  # type: ignore[union-attr]
        out.append(
            ("load+validate+derive+render Markdown+open data，10,000 < 15 s", f"{total:.2f} s", verdict(total < 15))
        )
        out.append(("同上，峰值内存 < 1 GiB", f"{peak:.0f} MiB", verdict(peak < 1024)))
    else:
        out.append(("load+validate+derive+render，10,000 < 15 s、峰值 < 1 GiB", "未测全", "n/a"))
    for small, large in zip(sorted(sizes), sorted(sizes)[1:]):
        for stage in (*STAGES, "mkdocs"):
            a, b = results.get(small, stage), results.get(large, stage)
            if a and b and a.seconds > 0:
                factor, allowed = b.seconds / a.seconds, large / small
                measurable = a.seconds >= MEASURABLE_S
                out.append(
                    (
                        f"{STAGE_LABELS[stage]}：N {small}→{large} 用时增长 ≤ ~{allowed:.0f}×"
                        + ("" if measurable else f"（N={small} 时不足 {MEASURABLE_S} s，以计时噪声与固定开销为主）"),
                        f"{factor:.1f}×",
                        verdict(factor <= allowed * 1.2) if measurable else "参考",
                    )
                )
    for n, limit in ((1000, 15), (10000, 90)):
        mk = results.get(n, "mkdocs")
        if mk:
            out.append(
                (
                    f"带搜索的完整网站（mkdocs build，插件在其中生成），{n:,} < {limit} s",
                    f"{mk.seconds:.1f} s",
                    verdict(mk.seconds < limit),
                )
            )
        elif n in sizes:
            out.append((f"带搜索的完整网站，{n:,} < {limit} s", "未测（超过 --mkdocs-max 或失败）", "n/a"))
    searched = {n: results.facts[f"search_{n}"] for n in sizes if results.facts.get(f"search_{n}")}
    for n, size in searched.items():  # the hand-written and rules pages weigh the same at any N
        out.append(
            (
                f"搜索索引平均每个中心 < 1 KB（N={n}，含与 N 无关的固定页面）",
                f"{size / n:.0f} B/中心",
                verdict(size / n < 1024) if n >= 1000 else "参考",
            )
        )
    if len(searched) >= 2:
        (a, size_a), (b, size_b) = min(searched.items()), max(searched.items())
        marginal = (size_b - size_a) / (b - a)
        out.append(
            (f"搜索索引每多一个中心的增量 < 1 KB（N {a}→{b}）", f"{marginal:.0f} B/中心", verdict(marginal < 1024))
        )
    pr = results.get(1000, "preview_refresh")
    out.append(
        (
            "改一条记录后预览刷新（mkdocs serve：保存到页面更新），1,000 < 3 s",
            f"{pr.seconds:.2f} s" if pr else "未测",
            verdict(pr and pr.seconds < 3),
        )
    )
    if "lighthouse" in results.facts:
        out += [(v.target, v.measured, v.result) for v in lighthouse.verdicts(results.facts["lighthouse"])]
    return out


# --- machine and document ------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    ram = "unknown"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])  # type: ignore[index]
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, TypeError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    packages = []
    for name in (
        "PyYAML",
        "jsonschema",
        "jsonschema-rs",
        "Jinja2",
        "mkdocs",
        "mkdocs-material",
        "jieba",
        "check-jsonschema",
        "xlsxwriter",
    ):
        with contextlib.suppress(PackageNotFoundError):
            packages.append(f"{name} {version(name)}")
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "os": platform.platform(),
        "packages": ", ".join(packages),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def results_markdown(results: Results, sizes: list[int], args: argparse.Namespace) -> str:
    m = machine()
    lines = [
        f"测量于 {m['date']}，命令 `python -m bench.run --sizes {','.join(map(str, sizes))} --mkdocs-max {args.mkdocs_max}"
        f" --runs {args.runs} --write-doc`（合成数据种子 {args.seed}，推算日期 {AS_OF}；流水线各阶段取 {args.runs} 次运行中"
        f"最快的一次，峰值内存取最高的一次）。",
        "",
        "| 机器 | |",
        "|---|---|",
        f"| CPU | {m['cpu']}（{m['nproc']} 核） |",
        f"| 内存 | {m['ram']} |",
        f"| Python | {m['python']}（{m['os']}） |",
        f"| 写入结果时的负载（1/5/15 分钟） | {m['load']} |",
        f"| 软件包 | {m['packages']} |",
        "",
        "| N | 阶段 | 用时（秒） | CPU（秒） | 峰值内存（MiB） | 说明 |",
        "|---:|---|---:|---:|---:|---|",
    ]
    for r in results.rows:
        seconds = "—" if r.seconds is None else f"{r.seconds:.3f}"
        peak = "—" if r.peak_mib is None else f"{r.peak_mib:.0f}"
        note = r.note.replace("|", "\\|") if r.note else ("未提供" if r.seconds is None else "")
        cpu = "—" if r.cpu is None else f"{r.cpu:.3f}"
        lines.append(f"| {r.n:,} | {STAGE_LABELS.get(r.stage, r.stage)} | {seconds} | {cpu} | {peak} | {note} |")
    if results.facts.get("lighthouse"):
        lines += ["", "Lighthouse 12（手机预设：模拟限速，CPU 4× 降速；gzip；各页取中位数的一次）：", ""]
        lines += lighthouse.markdown_rows(results.facts["lighthouse"])
    lines += ["", "| 目标 | 实测 | 结果 |", "|---|---|---|"]
    lines += [f"| {t} | {v} | {ok} |" for t, v, ok in targets(results, sizes)]
    notes = results.facts.get("notes", [])
    lines += ["", *(f"- {note}" for note in notes)] if notes else []
    return "\n".join(lines) + "\n"


START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"


def write_doc(path: Path, body: str) -> None:
    block = f"{START}\n{body}{END}"
    if path.exists() and START in (text := path.read_text(encoding="utf-8")) and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        path.write_text(before + block + after, encoding="utf-8")
    else:
        path.write_text(f"# 规模基准测试\n\n{block}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description="名录生成器的规模基准测试")
    parser.add_argument("--sizes", default="100,1000,10000", help="中心数，逗号分隔（默认 100,1000,10000）")
    parser.add_argument(
        "--mkdocs-max", type=int, default=10000, help="只对不超过此数的 N 运行 mkdocs build（默认 10000）"
    )
    parser.add_argument(
        "--cj-max",
        type=int,
        default=1000,
        help="check-jsonschema 最多校验这么多文件，更大的 N 按线性外推（它约 20 个文件/秒）",
    )
    parser.add_argument("--mkdocs-timeout", type=float, default=600, help="单次 mkdocs build 的时限（秒）")
    parser.add_argument("--rebuild-n", type=int, default=1000, help="在此 N 上测改一条记录后的重新生成")
    parser.add_argument(
        "--runs",
        type=int,
        default=2,
        help="流水线子进程每个 N 运行几次，每个阶段取最快的一次（默认 2；共享虚拟机的波动约 20%%—30%%）",
    )
    parser.add_argument(
        "--no-lighthouse",
        dest="lighthouse",
        action="store_false",
        help="不运行 Lighthouse（默认运行：N=1000 时每种页面，N=10000 时中心名录；需要 npm ci 与 Chromium）",
    )
    parser.add_argument("--lighthouse-runs", type=int, default=5, help="Lighthouse 每页运行几次，取中位数（默认 5）")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write-doc", action="store_true", help="把结果写入 docs/benchmark.md")
    parser.add_argument("--doc", type=Path, default=ROOT / "docs" / "benchmark.md")
    parser.add_argument("--profile", choices=STAGES, help="用 cProfile 剖析一个阶段（取 --sizes 的最大值），不做基准")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("child_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child == "pipeline":
        child_pipeline(Path(args.child_args[0]), Path(args.child_args[1]), os.environ.get("BENCH_PROFILE") or None)
        return 0
    if args.child == "validate":
        child_validate(Path(args.child_args[0]))
        return 0
    if args.child == "generate":
        child_generate(*map(Path, args.child_args))  # registry, site, the record to change
        return 0

    sizes = sorted(int(s) for s in args.sizes.split(","))
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="tic-profile-") as tmp:
            registry = prepare_site(Path(tmp), sizes[-1], args.seed)
            env = dict(_child_env(), BENCH_PROFILE=args.profile)
            done = subprocess.run(_child("pipeline", str(registry), str(Path(tmp) / "docs")), cwd=ROOT, env=env)
            return done.returncode
    results = Results()
    if args.lighthouse:
        results.facts["lighthouse"] = {}
    started = time.perf_counter()
    for n in sizes:
        bench_size(n, args, results)
    print(f"\n总用时 {time.perf_counter() - started:.0f} s\n")
    print(f"{'N':>6}  {'stage':<30} {'seconds':>10} {'cpu s':>10} {'peak MiB':>9}")
    for r in results.rows:
        seconds = "n/a" if r.seconds is None else f"{r.seconds:.3f}"
        cpu = "" if r.cpu is None else f"{r.cpu:.3f}"
        peak = "" if r.peak_mib is None else f"{r.peak_mib:.0f}"
        print(f"{r.n:>6}  {STAGE_LABELS.get(r.stage, r.stage):<30} {seconds:>10} {cpu:>10} {peak:>9}")
    print("\n目标：")
    for target, measured, ok in targets(results, sizes):
        print(f"  [{ok:<4}] {target}: {measured}")
    for note in results.facts.get("notes", []):
        print(f"  注：{note}")
    if args.write_doc:
        write_doc(args.doc, results_markdown(results, sizes, args))
        print(f"\n已写入 {args.doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
