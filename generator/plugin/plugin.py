"""The plugin's events. Everything it keeps from one build to the next lives on the instance.

MkDocs keeps a plugin that has `on_startup` for the whole of `mkdocs serve`, so the caches
(validation by file, record pages by record, the theme's compiled templates) and the last
good generation survive each rebuild; a one-off `mkdocs build` starts empty.

``TIC_AS_OF=YYYY-MM-DD`` fixes the as-of date (tests, reproducible builds); otherwise it is
today in Asia/Shanghai. ``TIC_REGISTRY`` names another registry folder than the `registry`
option (relative to mkdocs.yml).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.build import BuildFailed
from generator.plugin.generation import Generator
from generator.plugin.pages import RawBlocks, RecordPages
from generator.plugin.search import INDEX, SearchIndex
from generator.plugin.templates import CompiledTemplates
from generator.records.load import read_record
from generator.rules.dates import today_in_shanghai

log = get_plugin_logger(__name__)

DEFAULT_SAMPLE_NOTICE = "本站数据为演示样例，不是真实的技术创新中心记录。"


class RegistryConfig(base.Config):
    registry = c.Type(str, default="registry")  # the records' folder, relative to mkdocs.yml


def as_of_date() -> dt.date:
    """TIC_AS_OF, else today in Asia/Shanghai: read once per build, in on_config."""
    value = os.environ.get("TIC_AS_OF", "").strip()
    if not value:
        return today_in_shanghai()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not 1000 <= day.year <= 2999:
        raise PluginError(f"TIC_AS_OF 必须是 YYYY-MM-DD 格式的日期（1000—2999 年），收到 {value!r}")
    return day


def read_settings(registry: Path, repo: Path) -> dict[str, Any]:
    """registry.yaml through the generator's own loader; {} when it cannot be read.

    A broken settings file is reported with its line by the generation step; the banner
    only needs the fields, and must not fail first with a worse message.
    """
    file = registry / "registry.yaml"
    if not file.is_file():
        return {}
    doc, _ = read_record(file, "registry", repo)
    return doc.data if doc is not None else {}


class RegistryPlugin(BasePlugin[RegistryConfig]):
    """Generates the registry's pages and data in every build; see the package docstring."""

    def __init__(self) -> None:
        self.generator = Generator()
        self.templates = CompiledTemplates()
        self.raw = RawBlocks()
        self.records = RecordPages(set())
        self.search = SearchIndex()
        self.pages: list[str] = []  # every page's address in this build
        self.serving = False  # mkdocs serve, once it serves (its first build is done)
        self.command = ""
        self.dirty = False
        self.registry = Path("registry")
        self.repo = Path()
        self.as_of = dt.date.min
        self.frame = ""

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Its presence alone makes MkDocs keep this instance for the whole of `mkdocs serve`
        (`--clean` too, although that one calls itself "build"); on_serve says it serves."""
        self.serving, self.command, self.dirty = False, command, dirty

    def keeps(self) -> bool:
        """Whether this process builds again (mkdocs serve): only then is anything kept."""
        return self.serving or self.command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """The registry's settings into `extra.registry` (sample-data banner and the "数据截至"
        footer of overrides/main.html), and this build's as-of date."""
        self.repo = Path(config.config_file_path or ".").resolve().parent
        self.registry = Path(os.environ.get("TIC_REGISTRY") or self.repo / self.config.registry).resolve()
        self.as_of = as_of_date()
        settings = read_settings(self.registry, self.repo)
        notice = settings.get("sample_notice")
        if not isinstance(notice, str) or not notice.strip():
            notice = DEFAULT_SAMPLE_NOTICE
        text = {
            key: value if isinstance(value := settings.get(key), str) else None
            for key in ("title", "publisher", "license")
        }
        config.extra["registry"] = {
            **(config.extra.get("registry") or {}),
            **text,
            "sample_data": settings.get("sample_data") is True,
            "sample_notice": notice.strip(),
            "as_of": self.as_of.isoformat(),
        }
        # What every page shows besides its own content (settings, date, mkdocs.yml: nav,
        # theme): when it changes, a dirty build rebuilds every generated page, not only
        # those whose bytes changed.
        source = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
        self.frame = json.dumps([config.extra, hashlib.sha256(source).hexdigest()], sort_keys=True, default=str)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Generate, unless the registry and the date are those of the last good generation.

        Serving, a registry with errors logs its findings and keeps the last good pages up.
        """
        try:
            self.generator.update(self.registry, self.repo, self.as_of, cache=self.keeps())
        except BuildFailed as exc:
            if not self.serving or self.generator.last is None:
                raise PluginError(str(exc)) from None
            log.error(f"{exc}\n预览保留上一次没有错误的名录生成的页面。")

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        clashes = self.generator.add_files(files, config, self.frame)
        if clashes:
            raise PluginError(f"手写页面与生成的页面地址相同，请改名或删除：{'、'.join(clashes)}")
        self.records = RecordPages(self.generator.record_pages())
        if not self.keeps():
            self.generator.forget()
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.bytecode_cache = self.templates
        self.pages = [file.url for file in files.documentation_pages()]
        return env

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.raw.markdown(self.records.markdown(markdown, page), page)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.records.content(html, page)

    @event_priority(100)  # before Material's search plugin indexes the page
    def _before_search(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> None:
        self.records.before_search(page)

    @event_priority(-100)  # after it, before the theme renders the page
    def _after_search(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation) -> None:
        self.records.after_search(page)
        self.search.rebuilt.add(page.url)

    on_page_context = CombinedEvent(_before_search, _after_search)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self.raw.page(output, page)

    @event_priority(-100)  # after Material's search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Note the finished build (dirty builds compare with it); finish the search index (search.py)."""
        self.generator.finished(self.frame)
        finished = self.search.finish(Path(config.site_dir), self.pages, self.dirty)
        if not finished and any(name.endswith("search") for name in config.plugins):
            log.warning(f"搜索插件没有写出 {INDEX}：名录的搜索条目没有进入索引")

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Watch the registry too: a saved record asks MkDocs for its next build."""
        self.serving = True
        if self.generator.last is None:  # `serve --clean` built first as a one-off build would
            with contextlib.suppress(BuildFailed):  # the last good pages, should a later edit break
                self.generator.update(self.registry, self.repo, self.as_of)
        if self.registry.is_dir():
            server.watch(str(self.registry))
        return server
