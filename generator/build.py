"""The pipeline end to end: validate → derive → render → write, then the static site.

`generate_docs` is the generation step on its own (what Material's successor would run
before its builder); the MkDocs hook calls the same function for live preview.

Both steps hold the repository's build lock (write/lock.py) while they write, so two
builds, or a build and the preview, never write docs/ or swap site/ at the same time; a
step that cannot finish raises BuildFailed with the reason and leaves the last good docs/
and site/ as they were.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.derive.facts import RegistryFacts, derive
from generator.records.history import Change, recent_changes
from generator.render.batch import run_batches
from generator.render.opendata.plan import open_data_batch
from generator.render.site.pages import site_batch
from generator.rules.findings import bounded, format_text, summary
from generator.rules.text import for_terminal
from generator.runtime.parallel import PARALLEL_FROM
from generator.validate.registry import validate_registry
from generator.write.lock import LockBusy, build_lock
from generator.write.tree import WriteConflict, WriteFailed, WriteReport, describe_os_error, swap_in, write_tree

ROOT = Path(__file__).resolve().parent.parent


class BuildFailed(Exception):
    """The registry has errors (the message lists them) or output could not be written."""


@dataclass(frozen=True)
class Generated:
    facts: RegistryFacts
    report: WriteReport


def generate_docs(
    registry: Path, as_of: dt.date, docs: Path = ROOT / "docs", repo: Path = ROOT, today: dt.date | None = None
) -> Generated:
    """Validate the registry and write every generated page and data file into `docs`.

    Nothing is written unless the whole registry is free of errors; `today` (the clock,
    read once by the caller) also checks that no date lies far in the future.
    """
    result = validate_registry(registry, repo, today=today)
    if not result.ok:
        lines = [format_text(f) for f in bounded(result.errors)]
        raise BuildFailed("\n".join([*lines, f"名录有错误，未生成网站：{summary(result.findings)}"]))
    facts = derive(result.registry, as_of)
    files = render_outputs(facts, recent_changes(repo, registry))
    try:
        with build_lock(repo):
            return Generated(facts, write_tree(docs, files))
    except (WriteConflict, WriteFailed, LockBusy) as exc:
        raise BuildFailed(f"写入生成文件失败，{docs} 保持上一次的结果：{exc}") from None
    except OSError as exc:
        raise BuildFailed(f"写入生成文件失败：{describe_os_error(exc)}") from None


def render_outputs(facts: RegistryFacts, changes: list[Change]) -> dict[str, bytes]:
    """The site's pages and the open data, by path under docs/, rendered as one batch of jobs."""
    plans = [partial(site_batch, facts, changes), partial(open_data_batch, facts)]
    pages, data = run_batches(plans, parallel=len(facts.centers) >= PARALLEL_FROM)
    return {**pages, **data}


def build_site(as_of: dt.date, registry: Path, repo: Path = ROOT) -> Path:
    """Run `mkdocs build --strict` into a fresh folder and swap it in for `site/`.

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
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = dict(
        os.environ,
        TIC_SKIP_GENERATE="1",
        TIC_AS_OF=as_of.isoformat(),
        PYTHONPATH=path,
        TIC_REGISTRY=str(registry.resolve()),
        NO_MKDOCS_2_WARNING="1",
    )  # the hook imports this package
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
