"""The search text of the pages that exist once per record, kept small on purpose.

Material's search plugin would index every section of a center's page (about 9 KB a
center), and a phone must download the whole index before it can search. A record page
is indexed as one entry instead: its title and this text, what people search for (names,
former names, units, field, location). The text travels in the page's header
(render/site/record_page.py); the MkDocs plugin shows it to Material's search plugin in
place of the body (generator/plugin/pages.py), and Material segments and escapes it as it
does every page.
"""

from __future__ import annotations

from generator.derive.facts import CenterFacts, NoticeFacts


def center_text(c: CenterFacts) -> str:
    center = c.center
    units = [center.first_host_unit["name"], *(u["name"] for u in center.co_building_units)]
    former = [old for old, _ in center.former_names]
    parts = [
        f"{center.category}，{center.data['field']}，{center.data['location']}，{c.status_label}。",
        f"曾用名：{'、'.join(former)}。" if former else "",
        f"依托单位：{'、'.join(units)}。",
        f"研究方向：{'、'.join(center.data['research_directions'])}。",
    ]
    return "".join(parts)


def notice_text(n: NoticeFacts) -> str:
    names = "、".join(e["name"] for e in n.notice.entries)
    return f"{n.notice.data['subject']}，{n.notice.issue_date} 发布。名单：{names}。"
