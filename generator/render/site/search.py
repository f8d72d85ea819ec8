"""The search text of the pages that exist once per record, kept small on purpose.

Material's search plugin would index every section of a center's page (about 9 KB a
center), and a phone must download the whole index before it can search. A record page
is indexed as one entry instead: its title and this text, what people search for. The
text travels in the page's header (render/site/record_page.py); the MkDocs plugin shows
it to Material's search plugin in place of the body (generator/plugin/pages.py), and
Material segments and escapes it as it does every page.

What a center is searched by: its name and former names, its id, county, category, field
and status, the words of what the site flags (逾期, 应予撤销), its latest grade, its units
and their unified social credit codes, and the number of every document recorded for it.
Material's result marks a searched word that the entry does not hold as "缺少": so the
entry holds every such word as it is typed (the title's words are indexed in a field of
their own, plugin/search.py). Research directions and
contacts stay on the page: at 10,000 centers each byte here is 10 KB a phone downloads.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.derive.facts import CenterFacts, NoticeFacts

#: The words a reader types for what the site flags (deadline state, flag kind).
OVERDUE_WORD = "逾期"
FLAG_WORDS = {"revocation": "应予撤销"}


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def document_numbers(c: CenterFacts) -> list[str]:
    """The numbers of the documents recorded for a center's events, in record order."""
    return _unique((e.get("source") or {}).get("document_number", "") for e in c.center.events)


def flag_words(c: CenterFacts) -> list[str]:
    """逾期 when a deadline is overdue, 应予撤销 when the site flags a revocation."""
    words = [OVERDUE_WORD] if any(d.state == "overdue" for d in c.deadlines) else []
    return _unique([*words, *(FLAG_WORDS.get(f.kind, "") for f in c.flags)])


def center_text(c: CenterFacts) -> str:
    center = c.center
    units = [center.first_host_unit, *center.co_building_units]
    former = _unique(old for old, _ in center.former_names if old != center.name)
    grade = c.ratings.annual[-1] if c.ratings.annual else None
    evaluation = c.ratings.evaluations[-1] if c.ratings.evaluations else None
    parts = [
        f"曾用名{'、'.join(former)}" if former else "",
        f"{center.category}，{center.data['field']}，{center.data['location']}，{c.status_label}",
        "、".join(flag_words(c)),
        f"{grade.label}{grade.grade}" if grade else "",
        f"评估{evaluation.grade}" if evaluation else "",
        "、".join(" ".join(_unique([u["name"], u.get("credit_code", "")])) for u in units),
        "、".join(document_numbers(c)),
        c.id,
    ]
    return "；".join(p for p in parts if p) + "。"


def notice_text(n: NoticeFacts) -> str:
    names = "、".join(e["name"] for e in n.notice.entries)
    number = n.notice.data.get("document_number", "")
    return f"{number + '，' if number else ''}{n.notice.data['subject']}，{n.notice.issue_date} 发布。名单：{names}。"
