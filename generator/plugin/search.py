"""The search index Material's search plugin wrote, finished: titles whole, complete in dirty builds, UTF-8.

Material segments Chinese with jieba at build time and joins the words with U+200B (zero
width space), in the text and in the title alike; its search box shows the title as
indexed, so a copied result title carried invisible characters. Here a title is kept
whole, and its words go to a field of their own, `words`, which mkdocs.yml declares to
the search (`plugins.search.fields`) with the title's weight: the browser indexes it like
the title and never shows it, so a searched word of a title is found, not "缺少".

A document number (忻科发〔2025〕31号) is typed with its 号 attached to the number, and
Material's query splits only at its separator, so "31号" must be one word of the index as
well: jieba's cut between a number and 号 is undone.

Material writes the index with every non-ASCII character escaped (6 bytes for each Chinese
character and each U+200B between words, 3 in UTF-8): about twice the download a phone
needs before it can search. So the index is written again as UTF-8.

In a dirty build (`mkdocs serve --dirty`) Material indexes only the pages it rebuilt and
merges them into its previous index by the first rebuilt page's address: it expects one
page per rebuild. A registry edit rebuilds several (the record, the list pages), so entries
of other pages were dropped or doubled. Here the preview's index is kept per page instead:
a rebuilt page's entries are this build's, every other page's those it had.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from generator.rules.text import ZERO_WIDTH

INDEX = "search/search_index.json"  # under site_dir; Material writes it in its on_post_build


_INVISIBLE = re.compile(f"[{ZERO_WIDTH}]")
_NUMBER_SIGN = re.compile("([0-9])\u200b号")
WORDS = "words"  # the field of a title's words (mkdocs.yml: plugins.search.fields)


def whole_title(title: str) -> str:
    """A result title as the page writes it: without the zero-width characters of segmentation."""
    return _INVISIBLE.sub("", title)


def finish_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry as Material wrote it, with its title whole, the title's words apart, N号 one word."""
    title = entry["title"]
    whole = whole_title(title)
    if whole != title:
        entry["title"], entry[WORDS] = whole, _NUMBER_SIGN.sub("\\1号", title)
    entry["text"] = _NUMBER_SIGN.sub("\\1号", entry["text"])
    return entry


def _page(entry: dict[str, Any]) -> str:
    return str(entry["location"]).partition("#")[0]


class SearchIndex:
    """The entries of every page, by page address, as of the last build of this process."""

    def __init__(self) -> None:
        self.pages: dict[str, list[dict[str, Any]]] = {}
        self.rebuilt: set[str] = set()  # the pages this build rendered

    def finish(self, site_dir: Path, pages: list[str], dirty: bool) -> bool:
        """Rewrite the index in `site_dir` (False if there is none). `pages`: every page's
        address in this build; `dirty`: only the pages in `rebuilt` were rendered."""
        file = site_dir / INDEX
        if not file.is_file():
            return False
        data = json.loads(file.read_text(encoding="utf-8"))
        fresh: dict[str, list[dict[str, Any]]] = {}  # each page's last run of entries
        last = None
        for entry in data["docs"]:
            finish_entry(entry)
            page = _page(entry)
            if page != last:  # Material appends a rebuilt page's entries after what it kept
                fresh[page], last = [], page
            fresh[page].append(entry)
        if dirty:
            self.pages = {
                url: fresh.get(url, []) if url in self.rebuilt else self.pages.get(url, fresh.get(url, []))
                for url in pages
            }
            data["docs"] = [entry for url in pages for entry in self.pages[url]]
        else:
            self.pages = fresh
        self.rebuilt = set()
        file.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        return True
