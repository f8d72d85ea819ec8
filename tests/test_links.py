"""Every internal link of the built site resolves.

Each href and src of every HTML page that points into the site names a file that exists, and
its #fragment an element of that page. The site is the one the browser tests use
(``built_site``: ``python -m generator build --site``), record pages included: their bodies
skip Python-Markdown (generator/plugin/pages.py), so MkDocs' own link validation never sees
their links. The sitemap and Material's search index (whose entries are the links of the
search results) are checked the same way.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tests.support import ROOT

SITE_URL = re.findall(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[0]
# Attributes that name a URL the browser follows or loads (srcset: a list of "url width").
URL_ATTRS = {"href", "src", "xlink:href", "poster", "action", "srcset"}


class _Page(HTMLParser):
    """The URLs a page refers to, and the ids (and <a name>s) a fragment can point at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name == "srcset":
                self.urls.extend((tag, name, part.split()[0]) for part in value.split(",") if part.strip())
            elif name in URL_ATTRS and not (name == "action" and tag != "form"):
                self.urls.append((tag, name, value))


class Site:
    """A built site folder, served at `url` (the ``site_url`` of mkdocs.yml)."""

    def __init__(self, root: Path, url: str = SITE_URL) -> None:
        self.root, self.url = root, url
        self._pages: dict[Path, _Page] = {}

    def page(self, path: Path) -> _Page:
        if path not in self._pages:
            self._pages[path] = _Page(path.read_text(encoding="utf-8"))
        return self._pages[path]

    def pages(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def address(self, path: Path) -> str:
        """The URL a file of the site is served at."""
        return urljoin(self.url, path.relative_to(self.root).as_posix())

    def problem(self, url: str) -> str | None:
        """Why `url` (absolute) does not resolve within the site, or None (also when it points elsewhere)."""
        parts, home = urlsplit(url), urlsplit(self.url)
        if (parts.scheme, parts.netloc) != (home.scheme, home.netloc) or not parts.path.startswith(home.path):
            return None  # another site, mailto:, data: …
        target = self.root / unquote(parts.path.removeprefix(home.path))
        if parts.path.endswith("/") or target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return f"no file {target.relative_to(self.root).as_posix()}"
        fragment = unquote(parts.fragment)
        if fragment and fragment not in self.page(target).ids:
            return f"no id {fragment!r} in {target.relative_to(self.root).as_posix()}"
        return None

    def broken_links(self) -> list[str]:
        broken = []
        for path in self.pages():
            base = self.address(path)
            for tag, attr, value in self.page(path).urls:
                why = self.problem(urljoin(base, value.strip()))
                if why:
                    broken.append(f"{path.relative_to(self.root).as_posix()}: <{tag} {attr}={value!r}>: {why}")
        return broken


def _report(broken: list[str]) -> str:
    return f"{len(broken)} broken:\n" + "\n".join(broken[:60])


# --- the checker itself, on a small hand-made site ----------------------------------------


def test_the_checker_finds_every_kind_of_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="a">dir</a><a href="#top" id="top">self</a><a href="a/#x">id</a>'
        '<link rel="canonical" href="https://xinzhou-tic.github.io/registry/"><img src="b.png">'
        '<a href="https://example.org/missing/">other site</a><a href="mailto:x@example.org">mail</a>'
        '<img srcset="a/p.png 1x, gone.png 2x"><a href="https://xinzhou-tic.github.io/registry/gone/">gone</a>'
        '<a href="a/#nowhere">no id</a><script src="/registry/a/s.js"></script><a href="%E4%B8%AD/">中</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<h2 id="x">x</h2><a name="y"></a>', encoding="utf-8")
    (tmp_path / "a" / "p.png").write_bytes(b"")
    (tmp_path / "中").mkdir()
    (tmp_path / "中" / "index.html").write_text("", encoding="utf-8")
    broken = Site(tmp_path).broken_links()
    assert broken == [
        "index.html: <img src='b.png'>: no file b.png",
        "index.html: <img srcset='gone.png'>: no file gone.png",
        "index.html: <a href='https://xinzhou-tic.github.io/registry/gone/'>: no file gone/index.html",
        "index.html: <a href='a/#nowhere'>: no id 'nowhere' in a/index.html",
        "index.html: <script src='/registry/a/s.js'>: no file a/s.js",
    ]


# --- the built site ----------------------------------------------------------------------------


@pytest.mark.slow
def test_every_internal_link_of_every_page_resolves(built_site: Path) -> None:
    site = Site(built_site)
    pages = site.pages()
    records = [
        p
        for p in pages
        if re.fullmatch(r"(centers|notices)/sample-[^/]+/index\.html", p.relative_to(built_site).as_posix())
    ]
    assert len(pages) > 20 and len(records) >= 10, "the site or its record pages are missing"
    assert all(len(site.page(p).urls) > 20 for p in records), "a record page links to almost nothing"
    broken = site.broken_links()
    assert not broken, _report(broken)


@pytest.mark.slow
def test_every_sitemap_entry_is_a_page(built_site: Path) -> None:
    site = Site(built_site)
    locations = re.findall(r"<loc>([^<]+)</loc>", (built_site / "sitemap.xml").read_text(encoding="utf-8"))
    assert len(locations) > 20
    broken = [f"sitemap.xml: {url}: {why}" for url in locations if (why := site.problem(url))]
    assert not broken, _report(broken)


@pytest.mark.slow
def test_every_search_result_leads_to_its_place(built_site: Path) -> None:
    site = Site(built_site)
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert any(d["location"].startswith("centers/sample-") for d in docs), "no record page in the search index"
    broken = [
        f"search_index.json: {d['location']!r}: {why}"
        for d in docs
        if (why := site.problem(urljoin(site.url, d["location"])))
    ]
    assert not broken, _report(broken)
