"""MkDocs hook: regenerate docs/ from registry/ before every build, for `mkdocs serve`.

The generation itself lives in ``generator`` (``python -m generator build`` runs it on
its own, then runs ``mkdocs build`` with ``TIC_SKIP_GENERATE=1`` so it is not done twice).
This hook only

* on_config: reads registry/registry.yaml and puts ``extra.registry`` =
  ``{sample_data, sample_notice, as_of, title, publisher, license}`` into the config, for
  the sample-data banner and the "数据截至" footer in overrides/main.html;
* on_pre_build: calls ``generator.cli.generate_docs`` unless ``TIC_SKIP_GENERATE=1``, and
  turns ``generator.cli.BuildFailed`` into a ``PluginError`` so ``mkdocs serve`` shows the
  findings instead of a traceback;
* on_serve: watches registry/ so that editing a record rebuilds the preview.

``TIC_AS_OF=YYYY-MM-DD`` fixes the "as of" date (tests, reproducible builds); otherwise
it is today in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import logging
import os
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.generate")

ROOT = Path(__file__).resolve().parent.parent
# `python -m generator build --site --registry DIR` passes its registry on to this hook.
REGISTRY = Path(os.environ.get("TIC_REGISTRY") or ROOT / "registry").resolve()
SETTINGS = REGISTRY / "registry.yaml"
TZ = ZoneInfo("Asia/Shanghai")
SEARCH_ENTRIES = ".search-entries.json"  # written by generator/render/search.py
_PLACEHOLDER = re.compile(r"<p>TICRAWBLOCK(\d+)</p>")
DEFAULT_SAMPLE_NOTICE = "本站数据为演示样例，不是真实的技术创新中心记录。"


def _skip_generate() -> bool:
    return os.environ.get("TIC_SKIP_GENERATE", "").strip() == "1"


def _as_of() -> _dt.date:
    value = os.environ.get("TIC_AS_OF", "").strip()
    if value:
        try:
            return _dt.date.fromisoformat(value)
        except ValueError as exc:
            raise PluginError(f"TIC_AS_OF 必须是 YYYY-MM-DD 格式的日期，收到 {value!r}") from exc
    return _dt.datetime.now(TZ).date()


def _read_settings() -> dict:
    """registry/registry.yaml as a dict; {} when missing or unreadable.

    A broken settings file is reported properly by the generator's validation (with line
    numbers); here we only need the banner fields and must not fail first with a worse
    message.
    """
    try:
        data = yaml.safe_load(SETTINGS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        log.debug("cannot read %s: %s", SETTINGS, exc)
        return {}
    return data if isinstance(data, dict) else {}


def on_config(config, **kwargs):
    settings = _read_settings()
    sample_data = settings.get("sample_data") is True
    notice = settings.get("sample_notice")
    if not isinstance(notice, str) or not notice.strip():
        notice = DEFAULT_SAMPLE_NOTICE
    registry = dict(config.extra.get("registry") or {})
    registry.update(
        sample_data=sample_data,
        sample_notice=notice.strip(),
        as_of=_as_of().isoformat(),
        title=settings.get("title") if isinstance(settings.get("title"), str) else None,
        publisher=settings.get("publisher") if isinstance(settings.get("publisher"), str) else None,
        license=settings.get("license") if isinstance(settings.get("license"), str) else None,
    )
    config.extra["registry"] = registry
    return config


def on_pre_build(config, **kwargs):
    if _skip_generate():
        return
    # MkDocs imports hooks by file path and restores sys.path afterwards; the `mkdocs`
    # script's sys.path[0] is the venv's bin/, so make the repository importable here.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        from generator import cli
    except ImportError as exc:
        raise PluginError(f"无法导入生成器（generator.cli）：{exc}") from exc
    try:
        cli.generate_docs(registry=REGISTRY, as_of=_as_of(), docs=Path(config.docs_dir), repo=ROOT)
    except cli.BuildFailed as exc:
        raise PluginError(str(exc)) from None


def on_page_markdown(markdown, page, **kwargs):
    """Set aside the raw HTML blocks of generated per-record pages before Markdown runs.

    Those pages (front matter ``tic_raw_html: true``) are Markdown headings around blocks of
    escaped HTML. Python-Markdown would tokenize every tag of those blocks only to pass them
    through unchanged, which made it most of the build time; a block is a paragraph that
    starts with ``<``, exactly as Markdown delimits raw HTML. Without this hook (another
    builder) the same file renders the same page, only slower.
    """
    if not page.meta.get("tic_raw_html"):
        return markdown
    blocks: list[str] = []
    chunks = []
    for chunk in markdown.split("\n\n"):
        if chunk.startswith("<"):
            chunks.append(f"TICRAWBLOCK{len(blocks)}")
            blocks.append(chunk)
        else:
            chunks.append(chunk)
    page.tic_raw_blocks = blocks
    return "\n\n".join(chunks)


def on_page_content(html, page, **kwargs):
    blocks = getattr(page, "tic_raw_blocks", None)
    if not blocks:
        return html
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)


def on_post_build(config, **kwargs):
    """Add the generator's compact entries for per-record pages to Material's search index.

    Those pages opt out of Material's indexing (front matter ``search: exclude``); their
    entries are segmented the same way Material segments Chinese (jieba, joined by U+200B).
    Hooks run after plugins, so the index already exists here.
    """
    entries_file = Path(config.docs_dir) / SEARCH_ENTRIES
    index_file = Path(config.site_dir) / "search" / "search_index.json"
    if not entries_file.exists() or not index_file.exists():
        return
    from material.plugins.search.plugin import SearchIndex

    segment = functools.lru_cache(maxsize=None)(SearchIndex()._segment_chinese)  # Material's tokens;
    # unit names recur across centers, so each distinct text is segmented once
    index = json.loads(index_file.read_text(encoding="utf-8"))
    kept = {e["location"] for e in index["docs"]}
    for entry in json.loads(entries_file.read_text(encoding="utf-8")):
        if entry["location"] not in kept:
            index["docs"].append({k: segment(v) if k != "location" else v for k, v in entry.items()})
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def on_serve(server, config, builder, **kwargs):
    if REGISTRY.is_dir():
        server.watch(str(REGISTRY))
    return server
