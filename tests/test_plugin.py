"""The MkDocs plugin (generator/plugin): registered as MkDocs finds plugins, generating inside
the build, keeping its state on the instance. Its events are driven here one by one on a
temporary project; tests/test_serve.py drives a real `mkdocs serve`, tests/test_record_pages.py the
record pages of a real build.
"""

from __future__ import annotations

import json
import logging
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel, get_files

import generator.plugin.generation as generation
from generator.build import build_site, generate_docs
from generator.plugin import RegistryPlugin
from generator.plugin.generation import GeneratedFile
from generator.write.tree import MANIFEST
from tests.support import AS_OF, Registry, cwd, line_of, make_project, snapshot

pytestmark = pytest.mark.slow  # each test generates the sample registry; one builds the site


def test_the_plugin_is_the_installed_entry_point_mkdocs_yml_names() -> None:
    found = [e for e in entry_points(group="mkdocs.plugins") if e.name == "tic-registry"]
    assert found, "the project is not installed: run `make test` (it runs pip install -e .)"
    assert found[0].load() is RegistryPlugin
    config = load_config(str(Path(__file__).resolve().parents[1] / "mkdocs.yml"))
    assert isinstance(config.plugins["tic-registry"], RegistryPlugin)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TIC_AS_OF", str(AS_OF))
    monkeypatch.delenv("TIC_REGISTRY", raising=False)
    return make_project(tmp_path / "project")


def _config(project: Path) -> tuple[MkDocsConfig, RegistryPlugin]:
    """The project's configuration after its plugins' on_config, and the plugin.

    Events run through MkDocs' plugin collection, as in a build. MkDocs keeps one instance
    of the plugin per process (that is how `mkdocs serve` keeps its state); see `fresh`.
    """
    with cwd(project):
        config = load_config(str(project / "mkdocs.yml"))
    return config.plugins.on_config(config), config.plugins["tic-registry"]


@pytest.fixture(autouse=True)
def fresh(project: Path) -> None:
    """Every test starts with the plugin as a new process has it."""
    RegistryPlugin.__init__(_config(project)[1])


def _files(project: Path, config: MkDocsConfig, plugin: RegistryPlugin) -> Files:
    config.plugins.on_pre_build(config=config)
    return config.plugins.on_files(get_files(config), config=config)


class FakeServer:
    """What the plugin uses of MkDocs' live server."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


@pytest.fixture
def generations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The registry of every generation the plugin runs."""
    calls: list[Path] = []
    real = generation.generate

    def spy(registry, *args, **kwargs):
        calls.append(registry)
        return real(registry, *args, **kwargs)

    monkeypatch.setattr(generation, "generate", spy)
    return calls


def test_on_config_injects_registry_settings(project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("TIC_AS_OF", "2026-12-01")
    extra = _config(project)[0].extra["registry"]
    assert extra["sample_data"] is True and extra["as_of"] == "2026-12-01"
    assert extra["sample_notice"].startswith("本站所有中心")
    assert extra["title"] == "忻州市技术创新中心名录" and extra["license"] == "CC-BY-4.0"
    assert extra["publisher"] == "忻州市科学技术局（演示）"
    # Another registry (TIC_REGISTRY) with sample_data: false and no notice text.
    other = make_project(tmp_path / "other", sample_data=False, sample_notice=" ") / "registry"
    monkeypatch.setenv("TIC_REGISTRY", str(other))
    monkeypatch.setenv("TIC_AS_OF", "2027-01-04")
    config, plugin = _config(project)
    extra = config.extra["registry"]
    assert extra["sample_data"] is False and extra["as_of"] == "2027-01-04"
    assert extra["sample_notice"] == "本站数据为演示样例，不是真实的技术创新中心记录。"
    assert plugin.registry == other.resolve()


def test_on_config_rejects_a_bad_as_of(project: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TIC_AS_OF", "27.11.2026")
    with pytest.raises(PluginError, match="TIC_AS_OF"):
        _config(project)


def test_a_build_adds_every_generated_file_and_writes_nothing_into_docs(project: Path):
    before = snapshot(project / "docs")
    config, plugin = _config(project)
    files = _files(project, config, plugin)
    assert snapshot(project / "docs") == before, "the plugin wrote into docs/"
    with cwd(project):
        expected = generate_docs(project / "registry", AS_OF, docs=project / "generated", repo=project)
    written = {
        k: v for k, v in snapshot(project / "generated").items() if k != MANIFEST
    }  # what `python -m generator build` would write
    generated = {f.src_uri: f.content_bytes for f in files if isinstance(f, GeneratedFile)}
    assert generated == written and len(generated) == expected.report.written
    record = files.get_file_from_path("centers/sample-zaliang/index.md")
    assert record.inclusion == InclusionLevel.NOT_IN_NAV and record.url == "centers/sample-zaliang/"
    assert files.get_file_from_path("contribute.md") is not None  # the hand-written pages stay


def test_files_a_standalone_generation_left_in_docs_give_way(project: Path):
    """`python -m generator build` writes docs/; a later MkDocs build takes the plugin's files,
    and a file the registry no longer has (a removed center) is not published."""
    with cwd(project):
        generate_docs(project / "registry", AS_OF, docs=project / "docs", repo=project)
    (project / "registry" / "centers" / "sample-wenwu.yaml").unlink()
    config, plugin = _config(project)
    files = _files(project, config, plugin)
    assert all(isinstance(files.get_file_from_path(uri), GeneratedFile) for uri in ("index.md", "data/centers.csv"))
    assert files.get_file_from_path("centers/sample-wenwu/index.md") is None
    assert files.get_file_from_path("data/centers/sample-wenwu.json") is None


@pytest.mark.parametrize("name", ["centers/sample-zaliang.md", "centers/sample-zaliang/index.md", "rules.md"])
def test_a_hand_written_page_where_a_generated_page_goes_stops_the_build(project: Path, name: str):
    (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
    (project / "docs" / name).write_text("# 手写\n", encoding="utf-8")
    config, plugin = _config(project)
    with pytest.raises(PluginError, match="手写页面与生成的页面地址相同") as failed:
        _files(project, config, plugin)
    assert name in str(failed.value)


def test_registry_errors_fail_a_build_with_the_findings(project: Path):
    text = Registry(project).modify(
        "center", "sample-zaliang", lambda d: d.update(name="山西省示例杂粮加工技术创新中心")
    )
    line, col = line_of(text, "name:")
    config, _ = _config(project)
    with pytest.raises(PluginError) as failed:
        config.plugins.on_pre_build(config=config)
    assert f"registry/centers/sample-zaliang.yaml:{line}:{col}: error [name.pattern]" in str(failed.value)


def test_serving_a_registry_with_errors_keeps_the_last_good_pages(
    project: Path, caplog: pytest.LogCaptureFixture, generations: list[Path]
):
    config, plugin = _config(project)
    config.plugins.on_startup(command="serve", dirty=True)
    good = _files(project, config, plugin).get_file_from_path("centers/sample-zaliang/index.md").content_bytes
    plugin.on_serve(FakeServer(), config=config, builder=None)  # after the first build, as MkDocs calls it
    Registry(project).modify("center", "sample-zaliang", lambda d: d.update(category="综合"))
    config, _ = _config(project)
    with caplog.at_level(logging.ERROR):
        files = _files(project, config, plugin)
    assert "registry/centers/sample-zaliang.yaml:" in caplog.text and "[schema]" in caplog.text
    assert files.get_file_from_path("centers/sample-zaliang/index.md").content_bytes == good
    assert len(generations) == 2


def test_a_build_generates_again_only_when_the_registry_or_the_date_changed(
    project: Path, generations: list[Path], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(generation, "RACY_S", 0)  # the copied files were written a moment ago
    config, plugin = _config(project)
    config.plugins.on_startup(command="serve", dirty=True)
    _files(project, config, plugin)
    _files(project, *_config(project)[:1], plugin)  # a hand-written page changed, say
    assert len(generations) == 1
    Registry(project).modify("center", "sample-zaliang", lambda d: d["contact"].update(office="中心综合办公室"))
    _files(project, _config(project)[0], plugin)
    assert len(generations) == 2
    monkeypatch.setenv("TIC_AS_OF", "2026-11-28")
    _files(project, _config(project)[0], plugin)
    assert len(generations) == 3


def test_a_registry_file_written_just_now_is_generated_again(project: Path, generations: list[Path]):
    """Its timestamps cannot tell a second write within their granularity: no shortcut then."""
    config, plugin = _config(project)
    _files(project, config, plugin)
    _files(project, config, plugin)
    assert len(generations) == 2


def test_a_dirty_rebuild_builds_again_only_what_changed(project: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(generation, "RACY_S", 0)
    config, plugin = _config(project)
    config.plugins.on_startup(command="serve", dirty=True)
    first = _files(project, config, plugin)
    assert all(f.is_modified() for f in first if isinstance(f, GeneratedFile))
    config.plugins.on_post_build(config=config)
    Registry(project).modify("center", "sample-zaliang", lambda d: d["contact"].update(office="中心综合办公室"))
    config = _config(project)[0]
    changed = {f.src_uri for f in _files(project, config, plugin) if isinstance(f, GeneratedFile) and f.is_modified()}
    assert "centers/sample-zaliang/index.md" in changed and "data/centers/sample-zaliang.json" in changed
    assert "centers/sample-taoci/index.md" not in changed and "rules.md" not in changed
    config.plugins.on_post_build(config=config)
    # The settings every page shows changed: every generated page is built again.
    settings = project / "registry" / "registry.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("sample_notice: ", "sample_notice: 新"), "utf-8")
    config = _config(project)[0]
    files = _files(project, config, plugin)
    assert all(f.is_modified() for f in files if isinstance(f, GeneratedFile))


def test_on_serve_watches_the_registry(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config, plugin = _config(project)
    server = FakeServer()
    assert plugin.on_serve(server, config=config, builder=None) is server
    assert server.watched == [str((project / "registry").resolve())]
    monkeypatch.setenv("TIC_REGISTRY", str(tmp_path / "missing"))
    config, plugin = _config(project)
    server = FakeServer()
    plugin.on_serve(server, config=config, builder=None)
    assert server.watched == []


def test_build_site_generates_through_the_plugin(project: Path):
    """`python -m generator build --site` runs `mkdocs build --strict`: the plugin's pages are
    the site's, with nothing generated into docs/ beforehand."""
    before = snapshot(project / "docs")
    site = build_site(AS_OF, project / "registry", repo=project)
    assert (site / "centers" / "sample-zaliang" / "index.html").is_file()
    assert (site / "data" / "centers.xlsx").is_file()
    assert snapshot(project / "docs") == before


def test_generated_files_are_files_mkdocs_knows() -> None:
    """GeneratedFile is a File (MkDocs' public class) that only answers `is_modified` itself."""
    assert issubclass(GeneratedFile, File)
    own = {name for name in vars(GeneratedFile) if not name.startswith("__")}
    assert own == {"changed", "is_modified"}


def test_the_preview_search_index_keeps_every_page_once_across_dirty_builds(tmp_path: Path) -> None:
    """Material merges a dirty build's entries by the first rebuilt page's address, made for
    one page per rebuild: with several, entries were lost (the first is the home page: every
    address starts with "") or doubled. The plugin keeps the last entries of every page."""
    from generator.plugin.search import INDEX, SearchIndex

    def written(docs: list[dict]) -> None:
        (tmp_path / INDEX).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / INDEX).write_text(json.dumps({"config": {}, "docs": docs}), encoding="utf-8")

    def entry(page: str, text: str) -> dict:
        return {"location": page, "title": page, "text": text}

    def docs() -> list[dict]:
        return json.loads((tmp_path / INDEX).read_text(encoding="utf-8"))["docs"]

    pages = ["", "a/", "b/", "c/"]
    index = SearchIndex()
    written([entry("", "主页"), entry("a/", "甲"), {**entry("a/#x", "甲一")}, entry("b/", "乙"), entry("c/", "丙")])
    index.rebuilt = set(pages)
    assert index.finish(tmp_path, pages, dirty=True)
    first = docs()
    # c/ and b/ rebuilt, c/ first: Material dropped c/ only, kept the old b/ and appended both.
    written(
        [
            entry("", "主页"),
            entry("a/", "甲"),
            entry("a/#x", "甲一"),
            entry("b/", "乙"),
            entry("c/", "丙二"),
            entry("b/", "乙二"),
        ]
    )
    index.rebuilt = {"b/", "c/"}
    index.finish(tmp_path, pages, dirty=True)
    assert [(d["location"], d["text"]) for d in docs()] == [
        ("", "主页"),
        ("a/", "甲"),
        ("a/#x", "甲一"),
        ("b/", "乙二"),
        ("c/", "丙二"),
    ]
    # The home page rebuilt first: Material kept nothing of the others.
    written([entry("", "主页二"), entry("b/", "乙三")])
    index.rebuilt = {"", "b/"}
    index.finish(tmp_path, pages, dirty=True)
    assert [(d["location"], d["text"]) for d in docs()] == [
        ("", "主页二"),
        ("a/", "甲"),
        ("a/#x", "甲一"),
        ("b/", "乙三"),
        ("c/", "丙二"),
    ]
    assert len(first) == 5 and "\\u" not in (tmp_path / INDEX).read_text(encoding="utf-8")


def test_a_one_off_build_keeps_nothing_once_mkdocs_has_the_files(project: Path, generations: list[Path]):
    """No caches, and the derived facts let go of before MkDocs builds the pages: a one-off
    build at 10,000 centers stays under 1 GiB."""
    config, plugin = _config(project)
    config.plugins.on_startup(command="build", dirty=False)
    files = _files(project, config, plugin)
    assert plugin.generator.last is None and files.get_file_from_path("centers/sample-zaliang/index.md")
    assert plugin.generator.caches.files.results == {} and plugin.generator.caches.pages.pages == {}
    config.plugins.on_startup(command="serve", dirty=True)
    _files(project, config, plugin)
    assert plugin.generator.last is not None and plugin.generator.caches.pages.pages


def test_serve_clean_too_keeps_the_last_good_pages(project: Path, caplog: pytest.LogCaptureFixture):
    """`mkdocs serve --clean` announces itself as "build": its first build keeps nothing, and
    on_serve generates once more so that a broken edit later keeps the last good pages."""
    config, plugin = _config(project)
    config.plugins.on_startup(command="build", dirty=False)
    good = _files(project, config, plugin).get_file_from_path("centers/sample-zaliang/index.md").content_bytes
    plugin.on_serve(FakeServer(), config=config, builder=None)
    Registry(project).modify("center", "sample-zaliang", lambda d: d.update(category="综合"))
    with caplog.at_level(logging.ERROR):
        files = _files(project, _config(project)[0], plugin)
    assert "[schema]" in caplog.text
    assert files.get_file_from_path("centers/sample-zaliang/index.md").content_bytes == good
