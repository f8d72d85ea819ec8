"""The search index Material's search plugin wrote, finished: complete in dirty builds, stored as UTF-8.

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
from pathlib import Path
from typing import Any

INDEX = "search/search_index.json"  # under site_dir; Material writes it in its on_post_build


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
