"""Per-record pages: finished HTML bodies that MkDocs publishes without Python-Markdown.

Each center and notice has a page of its own, and MkDocs builds it like any other page
(its events, the theme's template, the sitemap, per-page theme features). What it skips
is Python-Markdown: at thousands of records, tokenizing HTML that the templates here
already produced took most of the build. So a record page's source is one header line
(title, description, table of contents and search text: JSON in an HTML comment) and
then its body, verbatim; the MkDocs plugin (generator/plugin/pages.py) gives MkDocs the
title, description and table of contents from the header and the body as the page's HTML.

Headings carry the same ids and permalinks Python-Markdown's toc extension gives them with
this site's settings (`toc.slugify: pymdownx.slugs.slugify(case=lower)`, `permalink_title`),
so anchors and links do not change with the way a page is built (tests/test_stamp.py).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape
from pymdownx.slugs import slugify

from generator.render.links import Alternate

_HEADER_START, _HEADER_END = "<!-- ", " -->"  # around the first line, the header
PERMALINK_TITLE = "本节链接"  # mkdocs.yml: markdown_extensions.toc.permalink_title

_HEADING = re.compile(r'<h([23]) id="([^"]*)">(.*?)<a class="headerlink"')
_TOP = re.compile(r'<h1 id="([^"]*)">')
_SLUGIFY = slugify(case="lower")


def anchor(text: str) -> str:
    """The id Python-Markdown's toc gives a heading of this (plain) text on this site."""
    return _SLUGIFY(text, "-")


@lru_cache(maxsize=256, typed=True)  # section headings recur on every page; Markup is not str
def heading(text: str, level: int) -> Markup:
    """`<hN>` with the id and permalink Python-Markdown writes for `## text` (`{{ text | heading(2) }}`).

    Text is escaped as Python-Markdown escapes it: `&`, `<` and `>`, not quotes.
    """
    slug = escape(anchor(str(text)))  # str.format on escaped parts: Markup.format runs string.Formatter in Python
    shown = text if isinstance(text, Markup) else html.escape(text, quote=False)
    return Markup(
        f'<h{level} id="{slug}">{shown}<a class="headerlink" href="#{slug}" title="{PERMALINK_TITLE}">&para;</a></h{level}>'
    )


def table_of_contents(body: str) -> list[list[Any]]:
    """The h2/h3 outline of a body made with `heading()`, as the theme's sidebar shows it.

    `[[id, title, [[id, title], ...]], ...]`: each h2 with the h3s under it; titles are HTML.
    """
    toc: list[list[Any]] = []
    for level, slug, title in _HEADING.findall(body):
        if level == "2" or not toc:
            toc.append([slug, title, []])
        else:
            toc[-1][2].append([slug, title])
    return toc


def record_page(title: str, description: str, body: str, search: str, alternate: Sequence[Alternate] = ()) -> str:
    """A record page's source: a header line, then the body as is.

    The header is JSON on one line (JSON escapes every newline), with sorted keys for
    stable bytes; the body is not encoded again, which JSON would do at a cost.

    `title`, `description` and `search` (the text of the page's search entry) are plain
    text; `body` is HTML whose first heading is an `<h1>` from `heading()` (the theme's
    skip link targets it). `alternate`: the page's own data files, which the page's head
    declares as `<link rel="alternate" type=… href=… title=…>` (feed autodiscovery); each
    `href` is relative to the site root, as in the front matter `tic_alternate` of other
    pages (the plugin puts them in the page's meta, overrides/main.html in the head).
    """
    top = _TOP.search(body)
    if top is None:
        raise ValueError(f"the page of {title!r} has no <h1> from heading()")
    toc = table_of_contents(body)
    ids = [s[0] for s in toc] + [c[0] for s in toc for c in s[2]]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate heading ids on the page of {title!r}: {ids}")
    header = {"title": title, "description": description, "top": top.group(1), "toc": toc, "search": search}
    if alternate:  # the page's own data (render/links.py), for the head's <link rel="alternate">
        header["alternate"] = [a.as_dict() for a in alternate]
    line = json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"{_HEADER_START}{line}{_HEADER_END}\n{body}"


def read_record_page(text: str) -> dict[str, Any]:
    """The parts `record_page` wrote: title, description, top, toc, search and body."""
    header, _, body = text.partition("\n")
    if not (header.startswith(_HEADER_START) and header.endswith(_HEADER_END)):
        raise ValueError("not a record page: its first line is not the header")
    return {**json.loads(header[len(_HEADER_START) : -len(_HEADER_END)]), "body": body}


def record_page_file(kind: str, record_id: str) -> str:
    """The docs-relative source of a record's page (`centers/<id>/index.md`, published at `centers/<id>/`)."""
    return f"{kind}/{record_id}/index.md"
