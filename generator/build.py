"""The pipeline end to end: validate → derive → render, then write or hand to MkDocs.

`generate` is the generation step: every generated page and data file, in memory. The
MkDocs plugin (generator/plugin) runs it inside each build and gives MkDocs the files;
`generate_docs` writes them into docs/ instead, for a builder that runs no plugin, and
`build_site` runs `mkdocs build --strict`, which generates through the plugin.

Both write steps hold the repository's build lock (write/lock.py), so two builds never
write docs/ or swap site/ at the same time (the plugin writes neither); a step that cannot
finish raises BuildFailed with the reason and leaves the last good docs/ and site/ as they
were.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator.derive.facts import RegistryFacts, derive
from generator.records.history import Change, recent_changes
from generator.render.batch import run_batches
from generator.render.opendata.plan import open_data_batch
from generator.render.site.pages import PageMemo, site_batch
from generator.rules.findings import bounded, format_text, summary
from generator.rules.text import for_terminal
from generator.runtime.parallel import PARALLEL_FROM
from generator.validate.registry import FileCache, validate_registry
from generator.write.lock import LockBusy, build_lock
from generator.write.tree import WriteConflict, WriteFailed, WriteReport, describe_os_error, swap_in, write_tree

ROOT = Path(__file__).resolve().parent.parent


class BuildFailed(Exception):
    """The registry has errors (the message lists them) or output could not be written."""


@dataclass
class Caches:
    """What a long-lived process (`mkdocs serve`) keeps from one generation to the next:
    each unchanged file's validation, each unchanged record's page."""

    files: FileCache = field(default_factory=FileCache)
    pages: PageMemo = field(default_factory=PageMemo)


@dataclass(frozen=True)
class Generation:
    facts: RegistryFacts
    files: dict[str, bytes]  # by path under docs/


@dataclass(frozen=True)
class Generated:
    facts: RegistryFacts
    report: WriteReport


def generate(
    registry: Path, as_of: dt.date, repo: Path = ROOT, caches: Caches | None = None, today: dt.date | None = None
) -> Generation:
    """Validate the registry and render every generated page and data file.

    Raises BuildFailed, listing the errors, unless the whole registry is free of them;
    `today` (the clock, read once by the caller) also checks that no date lies far in the
    future.
    """
    caches = caches or Caches()
    result = validate_registry(registry, repo, caches.files, today=today)
    if not result.ok:
        lines = [format_text(f) for f in bounded(result.errors)]
        raise BuildFailed("\n".join([*lines, f"名录有错误，未生成网站：{summary(result.findings)}"]))
    facts = derive(result.registry, as_of)
    return Generation(facts, render_outputs(facts, recent_changes(repo, registry), caches.pages))


def generate_docs(
    registry: Path, as_of: dt.date, docs: Path = ROOT / "docs", repo: Path = ROOT, today: dt.date | None = None
) -> Generated:
    """`generate`, written into `docs`. Nothing is written unless the registry is free of errors."""
    generation = generate(registry, as_of, repo, today=today)
    try:
        with build_lock(repo):
            return Generated(generation.facts, write_tree(docs, generation.files))
    except (WriteConflict, WriteFailed, LockBusy) as exc:
        raise BuildFailed(f"写入生成文件失败，{docs} 保持上一次的结果：{exc}") from None
    except OSError as exc:
        raise BuildFailed(f"写入生成文件失败：{describe_os_error(exc)}") from None


def render_outputs(facts: RegistryFacts, changes: list[Change], memo: PageMemo | None = None) -> dict[str, bytes]:
    """The site's pages and the open data, by path under docs/, rendered as one batch of jobs."""
    plans = [partial(site_batch, facts, changes, memo), partial(open_data_batch, facts)]
    pages, data = run_batches(plans, parallel=len(facts.centers) >= PARALLEL_FROM)
    return {**pages, **data}


def build_site(as_of: dt.date, registry: Path, repo: Path = ROOT) -> Path:
    """Run `mkdocs build --strict` in `repo` into a fresh folder and swap it in for `site/`;
    the plugin generates the pages for `as_of` from `registry`.

    The folder is made new for this build (a name nobody can have prepared, or linked
    elsewhere: MkDocs empties its output folder first). A failed build, or a swap that
    cannot be done, leaves the last good `site/` as it was and raises BuildFailed.
    """
    try:
        with build_lock(repo):
            _remove_leftovers(repo)
            staging = Path(tempfile.mkdtemp(prefix=".site.tmp-", dir=repo))
            try:
                _mkdocs_build(as_of, registry, repo, staging)
                swap_in(staging, repo / "site")
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except LockBusy as exc:
        raise BuildFailed(str(exc)) from None
    except WriteConflict as exc:
        raise BuildFailed(f"无法替换网站目录：{exc}") from None
    except OSError as exc:
        raise BuildFailed(f"无法替换网站目录，site/ 保持上一次的结果：{describe_os_error(exc)}") from None
    return repo / "site"


def _mkdocs_build(as_of: dt.date, registry: Path, repo: Path, staging: Path) -> None:
    # This checkout's generator first, whichever one the plugin's entry point was installed from.
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = dict(
        os.environ,
        TIC_AS_OF=as_of.isoformat(),
        TIC_REGISTRY=str(registry.resolve()),
        PYTHONPATH=path,
        NO_MKDOCS_2_WARNING="1",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(staging)],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
    )
    if done.returncode != 0:
        output = for_terminal(f"{done.stdout}{done.stderr}".rstrip())
        raise BuildFailed(f"mkdocs build --strict 失败，site/ 保持不变：\n{output}")


def _remove_leftovers(repo: Path) -> None:
    """Staging and old site folders of builds that were killed (real folders only)."""
    for prefix in (".site.tmp-", ".site.old-"):
        for folder in repo.glob(f"{prefix}*"):
            if stat.S_ISDIR(os.lstat(folder).st_mode):
                shutil.rmtree(folder, ignore_errors=True)
