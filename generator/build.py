"""The pipeline end to end: validate → derive → render → write, then the static site.

`generate_docs` is the generation step on its own (what Material's successor would run
before its builder); the MkDocs hook calls the same function for live preview.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.derive.facts import RegistryFacts, derive
from generator.records.history import Change, recent_changes
from generator.render.batch import run_batches
from generator.render.opendata.plan import open_data_batch
from generator.render.site.pages import site_batch
from generator.rules.findings import bounded, format_text, summary
from generator.runtime.parallel import PARALLEL_FROM
from generator.validate.registry import validate_registry
from generator.write.tree import WriteConflict, WriteReport, swap_in, write_tree

ROOT = Path(__file__).resolve().parent.parent


class BuildFailed(Exception):
    """The registry has errors (the message lists them) or output could not be written."""


@dataclass(frozen=True)
class Generated:
    facts: RegistryFacts
    report: WriteReport


def generate_docs(registry: Path, as_of: dt.date, docs: Path = ROOT / "docs", repo: Path = ROOT) -> Generated:
    """Validate the registry and write every generated page and data file into `docs`.

    Nothing is written unless the whole registry is free of errors.
    """
    result = validate_registry(registry, repo)
    if not result.ok:
        lines = [format_text(f) for f in bounded(result.errors)]
        raise BuildFailed("\n".join([*lines, f"名录有错误，未生成网站：{summary(result.findings)}"]))
    facts = derive(result.registry, as_of)
    files = render_outputs(facts, recent_changes(repo, registry))
    try:
        return Generated(facts, write_tree(docs, files))
    except (WriteConflict, OSError) as exc:
        raise BuildFailed(f"写入生成文件失败：{exc}") from None


def render_outputs(facts: RegistryFacts, changes: list[Change]) -> dict[str, bytes]:
    """The site's pages and the open data, by path under docs/, rendered as one batch of jobs."""
    plans = [partial(site_batch, facts, changes), partial(open_data_batch, facts)]
    pages, data = run_batches(plans, parallel=len(facts.centers) >= PARALLEL_FROM)
    return {**pages, **data}


def build_site(as_of: dt.date, registry: Path, repo: Path = ROOT) -> Path:
    """Run `mkdocs build --strict` into a fresh folder and swap it in for `site/`.

    A failed build leaves the last good `site/` as it was.
    """
    staging = repo / ".site.tmp"
    shutil.rmtree(staging, ignore_errors=True)
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
    )
    if done.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(f"mkdocs build --strict 失败，site/ 保持不变：\n{done.stdout}{done.stderr}".rstrip())
    swap_in(staging, repo / "site")
    return repo / "site"
