"""The built site loads nothing from other hosts: no Google Fonts, no CDN, no GitHub API.

``external_urls(site_dir)`` scans every built .html for resources a browser fetches by
itself (scripts, stylesheets, icons and preloads, images, media, frames, inline CSS) and
every .css for ``url(...)`` and ``@import``; plain ``<a href>`` links are navigation and
are ignored, as are ``<link rel=canonical|alternate…>``. Our own JavaScript (outside
Material's vendored ``assets/javascripts/``) is scanned for URL string literals; Material's
bundle mentions hosts it never contacts in this configuration (mermaid on unpkg, the GitHub
API for repo_url), so the browser tests watch the network for those instead.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

# <link rel=…> values that do not make the browser fetch anything.
NON_LOADING_RELS = {
    "canonical",
    "alternate",
    "author",
    "license",
    "next",
    "prev",
    "previous",
    "me",
    "help",
    "bookmark",
    "search",
    "external",
    "nofollow",
    "noopener",
    "noreferrer",
    "edit",
    "tag",
    "index",
    "first",
    "last",
    "up",
}
# tag -> attributes whose URL the browser loads without a click.
LOADING_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "body": ("background",),
    "table": ("background",),
    "td": ("background",),
}

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
_JS_URL_LITERAL = re.compile(r"""["'`]((?:https?:)?//[^"'`\s]+)""", re.I)
_META_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";\s]+)", re.I)


def is_external(url: str) -> bool:
    """True for http(s):// or protocol-relative URLs to a host other than localhost."""
    url = url.strip()
    lowered = url.lower()
    if lowered.startswith("//"):
        host = urlsplit("http:" + url).hostname or ""
    elif lowered.startswith(("http://", "https://")):
        host = urlsplit(url).hostname or ""
    else:
        return False  # relative, data:, blob:, mailto:, #fragment …
    return host not in LOCAL_HOSTS


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def css_urls(css: str) -> list[str]:
    css = _CSS_COMMENT.sub("", css)
    found = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(css)]
    found += [m.group(1) or m.group(2) for m in _CSS_IMPORT.finditer(css)]
    return found


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_style = False
        self._style: list[str] = []

    def _add(self, what: str, url: str | None) -> None:
        if url and is_external(url):
            self.found.append((what, url.strip()))

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if not rels or not rels <= NON_LOADING_RELS:
                self._add(f"<link rel={a.get('rel', '')}>", a.get("href"))
            if "imagesrcset" in a:
                for u in _srcset_urls(a["imagesrcset"]):
                    self._add("<link imagesrcset>", u)
        for attr in LOADING_ATTRS.get(tag, ()):
            if attr in a:
                urls = _srcset_urls(a[attr]) if attr.endswith("srcset") else [a[attr]]
                for u in urls:
                    self._add(f"<{tag} {attr}>", u)
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            m = _META_REFRESH_URL.search(a.get("content", ""))
            if m:
                self._add("<meta refresh>", m.group(1))
        if "style" in a:
            for u in css_urls(a["style"]):
                self._add("style attribute", u)
        if tag == "style":
            self._in_style = True
            self._style = []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag.lower() == "style":
            self._in_style = False

    def handle_endtag(self, tag):
        if tag.lower() == "style" and self._in_style:
            self._in_style = False
            for u in css_urls("".join(self._style)):
                self._add("<style>", u)

    def handle_data(self, data):
        if self._in_style:
            self._style.append(data)


def scan_html(text: str) -> list[tuple[str, str]]:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.found


def scan_css(text: str) -> list[tuple[str, str]]:
    return [("css", u) for u in css_urls(text) if is_external(u)]


def scan_js(text: str) -> list[tuple[str, str]]:
    return [("js string", m.group(1)) for m in _JS_URL_LITERAL.finditer(text) if is_external(m.group(1))]


def external_urls(site_dir: Path) -> list[tuple[str, str, str]]:
    """(file relative to site_dir, what, url) for every external resource the site loads."""
    site_dir = Path(site_dir)
    vendored = site_dir / "assets" / "javascripts"  # Material's own bundle, workers, lunr
    out: list[tuple[str, str, str]] = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix not in {".html", ".htm", ".css", ".js"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if suffix in {".html", ".htm"}:
            hits = scan_html(text)
        elif suffix == ".css":
            hits = scan_css(text)
        elif vendored in path.parents:
            continue
        else:
            hits = scan_js(text)
        rel = path.relative_to(site_dir).as_posix()
        out.extend((rel, what, url) for what, url in hits)
    return out


# --------------------------------------------------------------------------- tests

BAD_PAGE = """<!doctype html><html><head>
<link rel="canonical" href="https://xinzhou-tic.github.io/registry/">
<link rel="alternate" type="application/rss+xml" href="https://xinzhou-tic.github.io/registry/feed.xml">
<link rel="preconnect" href="https://fonts.gstatic.com">
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Noto+Sans+SC:300,400,700&display=fallback">
<link rel="stylesheet" href="../assets/site.css">
<script src="https://cdn.jsdelivr.net/npm/tablesort@5/dist/tablesort.min.js"></script>
<script src="assets/table.js"></script>
<style>@import url("//fonts.googleapis.com/css2?family=Inter"); .x{background:url('data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg"/>')}</style>
</head><body>
<a href="https://kjj.sxxz.gov.cn/">忻州市科学技术局</a>
<img src="http://127.0.0.1:8000/ok.png" srcset="a.png 1x, https://img.example.com/b.png 2x">
<div style="background-image: url(https://cdn.example.com/bg.png)"></div>
</body></html>"""


def test_scanner_finds_fonts_cdn_and_inline_css():
    found = scan_html(BAD_PAGE)
    urls = [u for _, u in found]
    assert "https://fonts.googleapis.com/css?family=Noto+Sans+SC:300,400,700&display=fallback" in urls
    assert "https://fonts.gstatic.com" in urls  # preconnect opens a connection
    assert "https://cdn.jsdelivr.net/npm/tablesort@5/dist/tablesort.min.js" in urls
    assert "//fonts.googleapis.com/css2?family=Inter" in urls
    assert "https://img.example.com/b.png" in urls
    assert "https://cdn.example.com/bg.png" in urls
    # Navigation links, canonical/alternate links, local and data: URLs are not loads.
    assert not any("kjj.sxxz.gov.cn" in u or "xinzhou-tic.github.io" in u for u in urls)
    assert not any(u.startswith(("data:", "http://127.0.0.1", "../", "assets/")) for u in urls)
    assert len(found) == 6, found


def test_scanner_css_and_js(tmp_path: Path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.css").write_text(
        "/* url(https://commented.example.com/x.woff2) */\n"
        "@import 'https://fonts.googleapis.com/css2?family=Noto+Sans+SC';\n"
        "@font-face{src:url(https://fonts.gstatic.com/s/x.woff2) format('woff2')}\n"
        ".ok{background:url(../img/x.png)}\n",
        encoding="utf-8",
    )
    (tmp_path / "assets" / "b.js").write_text(
        'var s=document.createElement("script");s.src="https://unpkg.com/x@1/x.js";', encoding="utf-8"
    )
    (tmp_path / "index.html").write_text('<a href="https://example.com/">x</a>', encoding="utf-8")
    found = {(f, u) for f, _, u in external_urls(tmp_path)}
    assert found == {
        ("assets/a.css", "https://fonts.googleapis.com/css2?family=Noto+Sans+SC"),
        ("assets/a.css", "https://fonts.gstatic.com/s/x.woff2"),
        ("assets/b.js", "https://unpkg.com/x@1/x.js"),
    }


def test_is_external():
    assert is_external("https://fonts.googleapis.com/css")
    assert is_external("//cdn.example.com/a.js")
    assert is_external("HTTP://EXAMPLE.COM/")
    assert not is_external("http://localhost:8000/a.js")
    assert not is_external("http://127.0.0.1/a.js")
    assert not is_external("assets/a.js")
    assert not is_external("/registry/assets/a.js")
    assert not is_external("data:font/woff2;base64,AAAA")


@pytest.mark.slow
def test_built_site_loads_nothing_from_other_hosts(built_site: Path):
    assert (built_site / "index.html").is_file()
    found = external_urls(built_site)
    assert not found, "external resources in the built site:\n" + "\n".join(
        f"{f}: {what}: {u}" for f, what, u in found[:50]
    )


@pytest.mark.slow
def test_built_site_has_no_github_widget_or_google_fonts(built_site: Path):
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in index
    assert 'data-md-component="source"' not in index  # repo_url widget calls api.github.com


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs))


@pytest.mark.slow
def test_built_images_wait_for_the_reader_and_keep_their_place(built_site: Path):
    """Every picture in the pages loads lazily and states its size: on a slow phone link the
    contribution guide's screenshots (100–180 KB each) took the bandwidth of the first screen
    (Lighthouse: largest paint 3.0 s, performance 88), and an image of unknown size moves the
    text below it when it arrives."""
    seen = 0
    for page in sorted(built_site.rglob("*.html")):
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8"))
        for img in parser.images:
            seen += 1
            where = f"{page.relative_to(built_site)}: {img.get('src')}"
            assert img.get("loading") == "lazy", where
            assert (img.get("width") or "").isdigit() and (img.get("height") or "").isdigit(), where
    assert seen >= 4  # the guide's four screenshots at least
