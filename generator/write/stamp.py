"""After the site builder: one HTML page per record, from the theme's shell page.

The builder renders the shell page (render/site/record_page.py) with the theme, so its header,
navigation, scripts and styles are exactly those of every other page; record pages sit as
deep as the shell, so its relative links hold for them too. Here the shell is cut at its
sentinels once, then filled in per record: no template engine, no Markdown, a join per
page. The shell's own entry in the sitemap becomes one entry per record page, so instant
navigation and search engines know them.
"""

from __future__ import annotations

import gzip
import re
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape

from generator.render.site.record_page import (
    ALTERNATE,
    BODY,
    DESCRIPTION,
    RECORDS_DIR,
    SECTION,
    SHELL_PATH,
    SUBSECTION,
    TITLE,
    anchor,
    read_record_page,
)
from generator.runtime.parallel import fork_map

SHELL_FILE = f"{SHELL_PATH}index.html"  # in the built site
_TOP, _TOC, _ITEMS, _CHILDREN = "\0top\0", "\0toc\0", "\0items\0", "\0children\0"
_ITEM = '<li class="md-nav__item">'
_TOC_TITLE = '<label class="md-nav__title" for="__toc">'  # the theme shows it with entries only


class StampError(Exception):
    """Record pages cannot be written: the shell page is not shaped as expected (another
    theme or version), or a hand-written page already sits where a record's page goes."""


def _between(html: str, start: str, end: str, after: int = 0) -> tuple[int, int]:
    """Bounds of the first `start`…`end` at or after `after`, `end` included."""
    i = html.find(start, after)
    j = html.find(end, i) if i >= 0 else -1
    if j < 0:
        raise StampError(f"记录页面外壳中找不到 {start!r}…{end!r}")
    return i, j + len(end)


def _past(html: str, token: str, at: int) -> int:
    """The index just past the first `token` at or after `at`."""
    i = html.find(token, at)
    if at < 0 or i < 0:
        raise StampError(f"记录页面外壳中找不到 {token!r}")
    return i + len(token)


@dataclass(frozen=True)
class Shell:
    """The shell page cut into literal text and named slots."""

    parts: tuple[str, ...]  # literal, slot, literal, slot, …, literal
    toc: str  # the table of contents' title and list: slot _ITEMS
    section: str  # a table-of-contents entry with children: slots section id/title, _CHILDREN
    leaf: str  # an entry without children

    @classmethod
    def parse(cls, html: str) -> Shell:
        start, _ = _between(html, f'<h1 id="{anchor(TITLE)}"', "</h1>")
        _, end = _between(html, f'<h3 id="{anchor(SUBSECTION)}"', "</h3>", start)
        if f"<p>{BODY}</p>" not in html[start:end]:
            raise StampError(f"记录页面外壳的正文中找不到 {BODY}")
        html = html[:start] + BODY + html[end:]
        at = html.find(f'href="#{anchor(SECTION)}"')
        sub = html.find(f'href="#{anchor(SUBSECTION)}"', at)
        first = html.rfind(_ITEM, 0, at)
        sub_first = html.rfind(_ITEM, 0, sub)
        if min(at, sub, first, sub_first) < 0:
            raise StampError("记录页面外壳中找不到目录条目")
        sub_end = _past(html, "</li>", sub)
        last = _past(html, "</li>", sub_end)
        section = html[first:sub_first] + _CHILDREN + html[sub_end:last]
        leaf = html[sub_first:sub_end]
        html = html[:first] + _ITEMS + html[last:]
        toc_start = html.rfind(_TOC_TITLE, 0, first)
        toc_end = _past(html, "</ul>", first)
        if toc_start < 0:
            raise StampError(f"记录页面外壳中找不到 {_TOC_TITLE!r}")
        toc = html[toc_start:toc_end]
        html = html[:toc_start] + _TOC + html[toc_end:]
        html = html.replace(f'href="#{anchor(TITLE)}"', f'href="#{_TOP}"')
        slots = (ALTERNATE, TITLE, DESCRIPTION, SHELL_PATH, _TOP, _TOC, BODY)
        parts = tuple(re.split("(" + "|".join(map(re.escape, slots)) + ")", html))
        for slot in (ALTERNATE, TITLE, _TOC, BODY):
            if slot not in parts[1::2]:
                raise StampError(f"记录页面外壳中找不到 {slot.strip()}")
        return cls(parts, toc, section, leaf)

    def _entry(self, slug: str, title: str, children: str = "") -> str:
        if not children:
            return self.leaf.replace(anchor(SUBSECTION), slug).replace(SUBSECTION, title)
        text = self.section.replace(anchor(SECTION), slug).replace(SECTION, title)
        return text.replace(_CHILDREN, children)

    def page(self, path: str, record: dict[str, Any]) -> str:
        """The finished page of a record at `path` (e.g. ``centers/<id>/``)."""
        items = "".join(
            self._entry(slug, title, "".join(self._entry(s, t) for s, t in children))
            for slug, title, children in record["toc"]
        )
        up = "../" * path.count("/")  # record pages are folders: centers/<id>/ → ../../
        slots = {
            ALTERNATE: "".join(
                f'<link rel="alternate" type="{escape(a["type"])}" href="{escape(up + a["href"])}"'
                f' title="{escape(a["title"])}">'
                for a in record.get("alternate", ())
            ),
            TITLE: str(escape(record["title"])),
            DESCRIPTION: str(escape(record["description"])),
            SHELL_PATH: path,
            _TOP: record["top"],
            _TOC: self.toc.replace(_ITEMS, items) if items else "",
            BODY: record["body"],
        }
        return "".join(slots[p] if i % 2 else p for i, p in enumerate(self.parts))


def _sitemap(site: Path, paths: list[str]) -> None:
    """Replace the shell's entry of sitemap.xml (and .gz) by one entry per record page."""
    file = site / "sitemap.xml"
    if not file.is_file():
        return
    text = file.read_text(encoding="utf-8")
    entry = next((m for m in re.finditer(r"[ \t]*<url>.*?</url>\n?", text, re.S) if SHELL_PATH in m.group(0)), None)
    if entry is None:
        return
    own = "".join(entry.group(0).replace(SHELL_PATH, path) for path in paths)
    text = text[: entry.start()] + own + text[entry.end() :]
    file.write_text(text, encoding="utf-8")
    packed = site / "sitemap.xml.gz"
    if packed.is_file():  # keep the builder's timestamp, so the same input gives the same bytes
        mtime = struct.unpack("<I", packed.read_bytes()[4:8])[0]
        packed.write_bytes(gzip.compress(text.encode("utf-8"), mtime=mtime))


def stamp_site(docs: Path, site: Path, dirty: bool = False) -> int:
    """Write every record's page into the built `site`; returns how many pages it wrote.

    `dirty` (as `mkdocs build --dirty`): keep a page that is newer than its record's parts.
    Without record parts under `docs` (another build), the site is left as it is.
    """
    records = sorted((docs / RECORDS_DIR).glob("*/*.html"))
    shell_dir = site / SHELL_PATH
    if not records or not (site / SHELL_FILE).is_file():
        return 0
    paths = [f"{file.parent.name}/{file.stem}/" for file in records]
    candidates = [docs / f"{path[:-1]}{suffix}" for path in paths for suffix in (".md", "/index.md")]
    taken = [file.relative_to(docs).as_posix() for file in candidates if file.exists()]
    if taken:
        raise StampError(f"手写页面与记录页面的地址相同，请改名或删除：{'、'.join(taken)}")
    shell = Shell.parse((site / SHELL_FILE).read_text(encoding="utf-8"))

    def write(job: tuple[str, Path]) -> bool:
        path, file = job
        target = site / path / "index.html"
        if dirty and target.is_file() and target.stat().st_mtime_ns >= file.stat().st_mtime_ns:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(shell.page(path, read_record_page(file.read_text(encoding="utf-8"))), encoding="utf-8")
        return True

    written = sum(fork_map(write, list(zip(paths, records))))
    shutil.rmtree(shell_dir.parent)
    _sitemap(site, paths)
    return written
