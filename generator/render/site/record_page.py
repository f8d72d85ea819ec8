"""Per-record pages as finished HTML bodies, assembled into the theme's page after MkDocs.

MkDocs renders every page through Python-Markdown and the theme's full template: about
12 ms a page, most of the build at thousands of records, all to pass through HTML that the
templates here already produced. So a record page is written as its title, description,
table of contents (a JSON header line, in an HTML comment) and its body, verbatim: an HTML
file under a dot-folder of docs/, which MkDocs does not publish; MkDocs renders a single
shell page instead (`SHELL_SOURCE`, with sentinels where a record's parts go). After the build, `generator.stamp` fills the shell once per record.

Headings carry the same ids and permalinks Python-Markdown's toc extension gives them with
this site's settings (`toc.slugify: pymdownx.slugs.slugify(case=lower)`, `permalink_title`),
so anchors and links do not change with the way a page is built.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape
from pymdownx.slugs import slugify

from generator.render.links import Alternate

RECORDS_DIR = ".records"  # docs/.records/<kind>/<id>.html; a dot-folder MkDocs skips
_HEADER_START, _HEADER_END = "<!-- ", " -->"  # around the first line, the header
SHELL_SOURCE = "_record/page.md"  # the one page MkDocs renders for all record pages
SHELL_PATH = "_record/page/"  # its URL: as deep as centers/<id>/ and notices/<id>/
PERMALINK_TITLE = "本节链接"  # mkdocs.yml: markdown_extensions.toc.permalink_title

# Sentinels in the shell page; `generator.stamp` replaces each with a record's part.
#: Where the shell's head declares a record page's own data files (overrides/main.html puts it
#: there for a page whose front matter has `tic_record_shell`); the stamp fills it per record.
ALTERNATE = "<!--TICSLOT_ALTERNATE-->"
TITLE, DESCRIPTION, BODY, SECTION, SUBSECTION = (
    "TICSLOT_TITLE", "TICSLOT_DESCRIPTION", "TICSLOT_BODY", "TICSLOT_SECTION", "TICSLOT_SUBSECTION")

_HEADING = re.compile(r'<h([23]) id="([^"]*)">(.*?)<a class="headerlink"')
_TOP = re.compile(r'<h1 id="([^"]*)">')
_SLUGIFY = slugify(case="lower")


def anchor(text: str) -> str:
    """The id Python-Markdown's toc gives a heading of this (plain) text on this site."""
    return _SLUGIFY(text, "-")


@lru_cache(maxsize=256, typed=True)  # section headings recur on every page; Markup is not str
def heading(text: str, level: int) -> Markup:
    """`<hN>` with the id and permalink Python-Markdown writes for `## text` (`{{ text | heading(2) }}`)."""
    slug = escape(anchor(str(text)))  # str.format on escaped parts: Markup.format runs string.Formatter in Python
    return Markup('<h{0} id="{1}">{2}<a class="headerlink" href="#{1}" title="{3}">&para;</a></h{0}>'.format(
        level, slug, escape(text), PERMALINK_TITLE))


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


def record_page(title: str, description: str, body: str, alternate: Sequence[Alternate] = ()) -> str:
    """What `generator.stamp` needs to make the page: a header line, then the body as is.

    The header is JSON on one line (JSON escapes every newline), with sorted keys for
    stable bytes; the body is not encoded again, which JSON would do at a cost.

    `title` and `description` are plain text (the stamp escapes them); `body` is HTML
    whose first heading is an `<h1>` from `heading()` (the theme's skip link targets it).
    `alternate`: the page's own data files, which the page's head declares as
    `<link rel="alternate" type=… href=… title=…>` (feed autodiscovery); each `href` is
    relative to the site root, as in the front matter `tic_alternate` of other pages.
    """
    top = _TOP.search(body)
    if top is None:
        raise ValueError(f"the page of {title!r} has no <h1> from heading()")
    toc = table_of_contents(body)
    ids = [s[0] for s in toc] + [c[0] for s in toc for c in s[2]]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate heading ids on the page of {title!r}: {ids}")
    header = {"title": title, "description": description, "top": top.group(1), "toc": toc}
    if alternate:  # the page's own data (render/links.py), for the head's <link rel="alternate">
        header["alternate"] = [a.as_dict() for a in alternate]
    return f"{_HEADER_START}{json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(',', ':'))}{_HEADER_END}\n{body}"


def read_record_page(text: str) -> dict[str, Any]:
    """The parts `record_page` wrote: title, description, top, toc and body."""
    header, _, body = text.partition("\n")
    if not (header.startswith(_HEADER_START) and header.endswith(_HEADER_END)):
        raise ValueError("not a record page: its first line is not the header")
    return {**json.loads(header[len(_HEADER_START):-len(_HEADER_END)]), "body": body}


def record_page_file(kind: str, record_id: str) -> str:
    """The docs-relative file of a record's page parts."""
    return f"{RECORDS_DIR}/{kind}/{record_id}.html"


def shell_source() -> str:
    """The Markdown of the shell page: every sentinel once, a section with a subsection."""
    return (
        "---\n"
        f"title: {TITLE}\n"
        f"description: {DESCRIPTION}\n"
        "search:\n  exclude: true\n"
        "tic_record_shell: true\n"
        "---\n\n"
        f"# {TITLE}\n\n{BODY}\n\n## {SECTION}\n\n### {SUBSECTION}\n"
    )
