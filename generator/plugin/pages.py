"""Pages whose HTML the generator made already: what MkDocs' Markdown step may skip.

* Record pages (render/site/record_page.py): a header line and a finished body. MkDocs
  reads them as pages like any other; the plugin hands Python-Markdown nothing
  (`on_page_markdown`) and gives MkDocs the body, title, description, table of contents
  and anchors from the header (`on_page_content`). At 10,000 centers Python-Markdown
  would spend most of the build tokenizing HTML only to pass it through.
* Record pages' search entries: just before Material's search plugin reads a record
  page, its content is its title and search text (render/site/search.py), and right after,
  the body again; Material segments the Chinese and escapes the text as it does for every
  page (event priorities around the search plugin's `on_page_context`).
* List pages (front matter `tic_raw_html: true`): tables of thousands of rows, escaped by
  the templates. Their raw HTML blocks are set aside before Python-Markdown and the search
  plugin and put back into the finished page (`on_post_page`).
"""

from __future__ import annotations

import re
import secrets
from html import escape
from typing import Any, TypedDict

from markupsafe import escape as markup_escape
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.render.site.record_page import read_record_page

_ID = re.compile(r'\sid="([^"]*)"')


class TocToken(TypedDict):
    """A table-of-contents entry as Python-Markdown's toc extension hands it to MkDocs' get_toc."""

    level: int
    id: str
    name: str
    children: list[TocToken]


def _token(level: int, entry: list[Any]) -> TocToken:
    children = entry[2] if len(entry) > 2 else []
    return {"level": level, "id": entry[0], "name": entry[1], "children": [_token(level + 1, c) for c in children]}


class RecordPages:
    """The record pages of one build, between the events that read and write them."""

    def __init__(self, sources: set[str]) -> None:
        self.sources = sources
        self.parts: dict[str, dict[str, Any]] = {}  # by source path, from markdown to content
        self.index: dict[str, str] = {}  # by source path, what the search plugin reads
        self.bodies: dict[str, str] = {}  # by source path, while the search plugin reads

    def markdown(self, markdown: str, page: Page) -> str:
        """`on_page_markdown`: a record page's Markdown is nothing; its parts are kept."""
        uri = page.file.src_uri
        if uri not in self.sources:
            return markdown
        parts = read_record_page(markdown)
        # The theme prints the title and description as they are (front matter is trusted HTML);
        # the page's own data files go where a list page's front matter puts them (tic_alternate).
        page.meta = {
            "title": str(markup_escape(parts["title"])),
            "description": str(markup_escape(parts["description"])),
        }
        if parts.get("alternate"):
            page.meta["tic_alternate"] = parts["alternate"]
        self.parts[uri] = parts
        return ""

    def content(self, html: str, page: Page) -> str:
        """`on_page_content`: a record page's HTML is its body, with its table of contents and anchors."""
        parts = self.parts.pop(page.file.src_uri, None)
        if parts is None:
            return html
        body = parts["body"]
        children = [_token(2, entry) for entry in parts["toc"]]
        top: TocToken = {
            "level": 1,
            "id": parts["top"],
            "name": escape(parts["title"], quote=False),
            "children": children,
        }
        page.toc = get_toc([top])
        page.present_anchor_ids = set(_ID.findall(body))
        self.index[page.file.src_uri] = (
            f'<h1 id="{escape(parts["top"])}">{escape(parts["title"])}</h1>{escape(parts["search"])}'
        )
        return body

    def before_search(self, page: Page) -> None:
        """Early `on_page_context`: the search plugin reads the record's title and search text."""
        index = self.index.pop(page.file.src_uri, None)
        if index is not None and page.content is not None:
            self.bodies[page.file.src_uri] = page.content
            page.content = index

    def after_search(self, page: Page) -> None:
        """Late `on_page_context`: the theme renders the body."""
        body = self.bodies.pop(page.file.src_uri, None)
        if body is not None:
            page.content = body


class RawBlocks:
    """Raw HTML blocks of list pages, set aside around Python-Markdown and the search plugin.

    A block is a paragraph that starts with `<`, exactly as Markdown delimits raw HTML; its
    placeholder is an HTML comment (the search plugin skips it) that no record can spell.
    Without the plugin (another builder) the same file renders the same page, only slower.
    """

    def __init__(self) -> None:
        self.mark = f"TICRAW{secrets.token_hex(6)}B"
        self.placeholder = re.compile(rf"<!--{self.mark}(\d+)-->")
        self.blocks: dict[str, list[str]] = {}  # by source path, from markdown to the finished page

    def markdown(self, markdown: str, page: Page) -> str:
        if not page.meta.get("tic_raw_html"):
            return markdown
        blocks: list[str] = []
        chunks = []
        for chunk in markdown.split("\n\n"):
            if chunk.startswith("<"):
                chunks.append(f"<!--{self.mark}{len(blocks)}-->")
                blocks.append(chunk)
            else:
                chunks.append(chunk)
        self.blocks[page.file.src_uri] = blocks
        return "\n\n".join(chunks)

    def page(self, output: str, page: Page) -> str:
        blocks = self.blocks.pop(page.file.src_uri, None)
        if not blocks:
            return output
        return self.placeholder.sub(lambda m: blocks[int(m.group(1))], output)
