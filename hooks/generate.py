"""MkDocs hook: the generation step for `mkdocs build` and `mkdocs serve`, and the search index.

The generation itself lives in ``generator`` (``python -m generator build`` runs it on
its own, then runs ``mkdocs build`` with ``TIC_SKIP_GENERATE=1`` so it is not done twice).
This hook only

* on_config: reads the registry settings into ``extra.registry`` (sample-data banner and the
  "数据截至" footer of overrides/main.html) and fixes the as-of date of this build;
* on_pre_build: generates docs/ before the first build, turning ``BuildFailed`` into a
  ``PluginError`` so MkDocs shows the findings instead of a traceback;
* on_startup: notes ``--dirty``, so record pages are stamped again only when they changed;
* on_serve: regenerates when a record under registry/ changes, then asks for one build
  (its watch of docs/ ignores the generator's own files);
* on_env: keeps the theme's compiled templates from one build to the next;
* on_page_markdown / on_post_page: set the raw HTML blocks of generated list pages aside
  around Python-Markdown, the theme and the search plugin;
* on_post_build: writes each record's page from the rendered shell page
  (``generator.write.stamp``) and adds the compact per-record entries to Material's search index.

``TIC_AS_OF=YYYY-MM-DD`` fixes the as-of date (tests, reproducible builds); otherwise it
is today in Asia/Shanghai. ``TIC_REGISTRY`` names another registry folder.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import logging
import os
import re
import secrets
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

from jinja2 import BytecodeCache
from mkdocs.exceptions import PluginError
from watchdog.events import FileSystemEventHandler

log = logging.getLogger("mkdocs.hooks.generate")

ROOT = Path(__file__).resolve().parent.parent
# `python -m generator build --site --registry DIR` passes its registry on to this hook.
REGISTRY = Path(os.environ.get("TIC_REGISTRY") or ROOT / "registry").resolve()
SETTINGS = REGISTRY / "registry.yaml"
SEARCH_ENTRIES = ".search-entries.json"  # written by generator/render/site/search.py
_RAW = f"TICRAW{secrets.token_hex(6)}B"  # a placeholder no record text can spell
_PLACEHOLDER = re.compile(rf"<!--{_RAW}(\d+)-->")  # a comment: the search plugin skips it
_SERVING = threading.Event()  # set once `mkdocs serve` watches the registry itself
_DIRTY = threading.Event()  # `--dirty`: only what changed is built again
DEFAULT_SAMPLE_NOTICE = "本站数据为演示样例，不是真实的技术创新中心记录。"


def _skip_generate() -> bool:
    return os.environ.get("TIC_SKIP_GENERATE", "").strip() == "1"


def _generator():
    """The generator package; MkDocs imports hooks by path, so put the repository first."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        from generator import build
        from generator.records import load
        from generator.rules import dates
        from generator.runtime import parallel
        from generator.write import stamp
        from generator.write import tree as write
    except ImportError as exc:
        raise PluginError(f"无法导入生成器（generator）：{exc}") from exc
    return SimpleNamespace(build=build, dates=dates, load=load, parallel=parallel, stamp=stamp, write=write)


def _as_of() -> _dt.date:
    """TIC_AS_OF, else today in Asia/Shanghai: read once per build, in on_config."""
    value = os.environ.get("TIC_AS_OF", "").strip()
    if not value:
        return _generator().dates.today_in_shanghai()
    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not 1000 <= day.year <= 2999:
        raise PluginError(f"TIC_AS_OF 必须是 YYYY-MM-DD 格式的日期（1000—2999 年），收到 {value!r}")
    return day


def _read_settings() -> dict:
    """registry/registry.yaml through the generator's own loader; {} when it cannot be read.

    A broken settings file is reported with its line by the generation step; the banner
    only needs the fields, and must not fail first with a worse message.
    """
    if not SETTINGS.is_file():
        return {}
    doc, _ = _generator().load.read_record(SETTINGS, "registry", ROOT)
    return doc.data if doc is not None else {}


class _CompiledTemplates(BytecodeCache):
    """The theme's compiled templates, kept for the life of the process.

    `mkdocs serve` loads the configuration, and so a new template environment, for every
    build, and compiling Material's templates again took about half a second of each
    rebuild. Entries are keyed by template name and source checksum: an edited template
    compiles again.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _CompiledTemplates()
_SEGMENTED: dict[tuple, dict] = {}  # a record's search entry → the same, segmented
_LAST_SHELL = [b""]  # the shell page the record pages were last stamped from


def on_env(env, config, files, **kwargs):
    env.bytecode_cache = _TEMPLATES
    return env


def on_startup(command, dirty, **kwargs):
    _DIRTY.set() if dirty else _DIRTY.clear()


def on_config(config, **kwargs):
    settings = _read_settings()
    notice = settings.get("sample_notice")
    if not isinstance(notice, str) or not notice.strip():
        notice = DEFAULT_SAMPLE_NOTICE
    text = {
        key: settings.get(key) if isinstance(settings.get(key), str) else None
        for key in ("title", "publisher", "license")
    }
    config.extra["registry"] = {
        **(config.extra.get("registry") or {}),
        **text,
        "sample_data": settings.get("sample_data") is True,
        "sample_notice": notice.strip(),
        "as_of": _as_of().isoformat(),
    }
    return config


def _generate(config):
    """The generation step into this configuration's docs_dir, for the date it shows."""
    build = _generator().build
    as_of = _dt.date.fromisoformat(config.extra["registry"]["as_of"])
    try:
        return build.generate_docs(registry=REGISTRY, as_of=as_of, docs=Path(config.docs_dir), repo=ROOT)
    except build.BuildFailed as exc:
        raise PluginError(str(exc)) from None


def on_pre_build(config, **kwargs):
    """Generate before the first build. While serving, registry edits regenerate (on_serve)."""
    if _skip_generate() or _SERVING.is_set():
        return
    _generate(config)


def on_page_markdown(markdown, page, **kwargs):
    """Set aside the raw HTML blocks of pages that list every record.

    Those pages (front matter ``tic_raw_html: true``) grow with the registry: tables of
    thousands of rows, escaped by the generator's templates. Python-Markdown would tokenize
    every tag only to pass them through, the search plugin would parse them again: most of
    the build time at 10,000 centers. A block is a paragraph that starts with ``<``, exactly
    as Markdown delimits raw HTML, and it comes back into the finished page (on_post_page).
    Without this hook (another builder) the same file renders the same page, only slower;
    their search entries come from the records (render/site/search.py).
    """
    if not page.meta.get("tic_raw_html"):
        return markdown
    blocks: list[str] = []
    chunks = []
    for chunk in markdown.split("\n\n"):
        if chunk.startswith("<"):
            chunks.append(f"<!--{_RAW}{len(blocks)}-->")
            blocks.append(chunk)
        else:
            chunks.append(chunk)
    page.tic_raw_blocks = blocks
    return "\n\n".join(chunks)


def on_post_page(output, page, **kwargs):
    blocks = getattr(page, "tic_raw_blocks", None)
    if not blocks:
        return output
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], output)


@functools.cache
def _segmenter():
    """Material's Chinese segmentation of a search text, with each run of Han characters cut once.

    Material's ``SearchIndex._segment_chinese`` replaces every maximal run of Han characters
    by its jieba words, each between U+200B, and strips U+200B from both ends. A run's words
    depend on the run only, and the same unit names, fields and places recur in every
    center's entry, so this does the same replacement with one jieba call per distinct run.
    The caller checks it against Material's own function before trusting it. One per
    process: while serving, a rebuild cuts only the runs it has not seen.
    """
    from material.plugins.search.plugin import SearchIndex

    material = SearchIndex()._segment_chinese
    try:
        import jieba
        from backrefs import bre
    except ImportError:
        return material, material
    han = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)

    @functools.cache
    def words(run: str) -> str:
        return "".join(["\u200b", "\u200b".join(jieba.cut(run.encode("utf-8"))), "\u200b"])

    def segment(text: str) -> str:
        return han.sub(lambda match: words(match.group(0)), text).strip("\u200b")

    return segment, material


def on_post_build(config, **kwargs):
    """Write the record pages, then add their compact entries to Material's search index.

    Those pages opt out of Material's indexing (front matter ``search: exclude``); their
    entries are segmented the same way Material segments Chinese (jieba, joined by U+200B).
    Hooks run after plugins, so the index already exists here.
    """
    generator = _generator()
    shell_file = Path(config.site_dir) / generator.stamp.SHELL_FILE
    shell = shell_file.read_bytes() if shell_file.is_file() else b""
    same_shell, _LAST_SHELL[0] = shell == _LAST_SHELL[0], shell
    try:  # dirty: keep unchanged record pages, unless their frame (theme, settings, nav) changed
        generator.stamp.stamp_site(Path(config.docs_dir), Path(config.site_dir), dirty=_DIRTY.is_set() and same_shell)
    except (generator.stamp.StampError, OSError) as exc:
        raise PluginError(f"无法生成记录页面：{exc}") from None
    _add_search_entries(config, generator.parallel.fork_map)


def _add_search_entries(config, fork_map) -> None:
    entries_file = Path(config.docs_dir) / SEARCH_ENTRIES
    index_file = Path(config.site_dir) / "search" / "search_index.json"
    if not entries_file.exists() or not index_file.exists():
        return
    segment, material = _segmenter()
    index = json.loads(index_file.read_text(encoding="utf-8"))
    kept = {e["location"] for e in index["docs"]}
    entries = [e for e in json.loads(entries_file.read_text(encoding="utf-8")) if e["location"] not in kept]
    sample = [v for e in entries[:8] for k, v in e.items() if k != "location"]
    trusted = all(segment(v) == material(v) for v in sample)
    if not trusted:  # another Material: trust only its own function
        segment = material
        _SEGMENTED.clear()
    keys = [tuple(e.items()) for e in entries]
    todo = list(dict.fromkeys(key for key in keys if key not in _SEGMENTED))
    fresh = dict(zip(todo, fork_map(lambda key: {k: v if k == "location" else segment(v) for k, v in key}, todo)))
    if trusted:  # the workers' results, for the next build of this process
        _SEGMENTED.update(fresh)
    index["docs"] += [_SEGMENTED.get(key) or fresh[key] for key in keys]
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _rebuild_trigger(server):
    """A function that asks the server for one build, or None if this MkDocs has no way.

    MkDocs 1.6 (frozen) starts a build when a watched file changes; the same condition is
    what its watch callback sets.
    """
    cond = getattr(server, "_rebuild_cond", None)
    if cond is None or not hasattr(server, "_want_rebuild"):
        return None

    def trigger() -> None:
        with cond:
            server._want_rebuild = True
            cond.notify_all()

    return trigger


def _watch_hand_written(server, docs: Path, trigger) -> None:
    """Replace MkDocs' watch of docs/ by one blind to the generator's own files.

    MkDocs polls docs/ and would see one regeneration's files over one or more polls,
    building once per poll; the regeneration asks for its one build itself.
    """
    try:
        server.unwatch(str(docs))
    except KeyError:  # `--no-livereload`: nothing is watched
        return
    write = _generator().write

    @functools.lru_cache(maxsize=1)
    def generated(stamp: tuple[int, int]) -> set[str]:  # read once per version of the manifest
        return write.generated_files(docs)

    def changed(event) -> None:
        if event.is_directory:
            return
        for path in filter(None, (event.src_path, getattr(event, "dest_path", ""))):
            rel = Path(os.path.relpath(path, docs)).as_posix()
            if any(part.startswith(".") for part in rel.split("/")):  # unpublished: ours or temporary
                continue
            try:
                info = (docs / write.MANIFEST).stat()
                ours = rel in generated((info.st_mtime_ns, info.st_size))
            except OSError:
                ours = False
            if not ours:
                trigger()
                return

    handler = FileSystemEventHandler()
    handler.on_any_event = changed
    server.observer.schedule(handler, str(docs), recursive=True)


def on_serve(server, config, builder, **kwargs):
    """Regenerate when a record changes, then build once.

    Generating inside the build instead would write into docs/ mid-build and make the
    server build again. A registry with errors writes nothing: the findings are logged
    and the preview keeps its last good state.
    """
    _SERVING.set()
    trigger = _rebuild_trigger(server)
    if trigger is not None:
        _watch_hand_written(server, Path(config.docs_dir), trigger)
    if REGISTRY.is_dir():
        pending: list[threading.Timer] = []

        def regenerate() -> None:
            try:
                report = _generate(config).report
            except PluginError as exc:
                log.error(str(exc))
                return
            if trigger is not None and (report.written or report.removed):
                trigger()

        def changed(event) -> None:
            if event.is_directory:
                return
            for timer in pending:  # one regeneration for the burst of events of one save
                timer.cancel()
            pending[:] = [threading.Timer(0.1, regenerate)]
            pending[0].start()

        handler = FileSystemEventHandler()
        handler.on_any_event = changed
        server.observer.schedule(handler, str(REGISTRY), recursive=True)
    return server
