"""Search entries for the pages that exist once per record, kept small on purpose.

Material's search plugin would parse every center page and index all of it (about 9 KB a
center); a phone must download the whole index before it can search. These pages opt out
(`search: exclude`) and get one entry each with what people search for: names, former
names, units, field, location. The MkDocs hook adds them to the index after the build.
Material's entries are HTML, so record text is HTML-escaped here.
"""

from __future__ import annotations

import json
from html import escape  # Material inserts titles and texts of results as HTML

from generator.derive.facts import CenterFacts, NoticeFacts, RegistryFacts

ENTRIES_FILE = ".search-entries.json"  # a dot-file: MkDocs does not publish it


def _center(c: CenterFacts) -> dict[str, str]:
    center = c.center
    units = [center.first_host_unit["name"], *(u["name"] for u in center.co_building_units)]
    former = [old for old, _ in center.former_names]
    parts = [
        f"{center.category}，{center.data['field']}，{center.data['location']}，{c.status_label}。",
        f"曾用名：{'、'.join(former)}。" if former else "",
        f"依托单位：{'、'.join(units)}。",
        f"研究方向：{'、'.join(center.data['research_directions'])}。",
    ]
    return {"location": f"centers/{c.id}/", "title": escape(center.name), "text": escape("".join(parts))}


def _notice(n: NoticeFacts) -> dict[str, str]:
    names = "、".join(e["name"] for e in n.notice.entries)
    text = f"{n.notice.data['subject']}，{n.notice.issue_date} 发布。名单：{names}。"
    return {"location": f"notices/{n.id}/", "title": escape(n.notice.title), "text": escape(text)}


def search_entries(facts: RegistryFacts) -> str:
    """The entries as JSON text, in id order."""
    entries = [*map(_center, facts.centers), *map(_notice, facts.notices)]
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":")) + "\n"
