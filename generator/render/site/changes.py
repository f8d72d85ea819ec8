"""Recent changes in words: each changed file named as the record it holds, never by its path.

The public reads "修改中心：忻州市××技术创新中心", not `registry/centers/x.yaml`. A record
still known on the as-of date is named (and linked) by the registry; one deleted since by
the name it last had in Git (records/history.py), else as 已删除的中心记录（id）; the
settings, the supervising units' list, a year's holiday schedule and a measures record by
what they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup

from generator.derive.facts import RegistryFacts
from generator.records.history import Change, FileChange
from generator.render.env import markup
from generator.render.site.articles import measures_page
from generator.render.site.html import _html

#: What a record of each folder is called, and each file at the registry's top; in this order
#: in a commit's phrase, then anything else.
NOUNS = {"centers": "中心", "notices": "公示", "measures": "办法记录", "calendar": "节假日安排"}
TOP_FILES = {"registry.yaml": "名录设置", "supervising_units.yaml": "归口管理单位名单"}
OTHER = "其他名录文件"
NOUN_ORDER = [*NOUNS.values(), *TOP_FILES.values(), OTHER]
LABEL_ORDER = ["新增", "修改", "删除"]  # FileChange.label: every other git status reads 修改
#: A record deleted since, whose name Git could not give; and one still in the registry that
#: the as-of date does not know yet (its first event comes later).
GONE = "已删除的{}记录（{}）"
NOT_YET = "{}记录（{}，数据截至日尚未收录）"
GONE_MARK = "（记录已删除）"


@dataclass(frozen=True)
class Named:
    """A changed file as the public reads it: what it is, its name, and its page if it has one."""

    noun: str  # 中心, 公示, 办法记录, 节假日安排, 名录设置
    name: str  # '' when the noun says it all (名录设置)
    href: str | None = None  # from the site root


class ChangeWords:
    """Names the files of each commit from the derived facts (ids looked up once)."""

    def __init__(self, facts: RegistryFacts) -> None:
        self.centers = {c.id: c.center.name for c in facts.centers}
        self.notices = {n.id: n.notice.title for n in facts.notices}
        self.measures = {m.id: m.cited for m in facts.book.measures if m.id}
        own = facts.measures  # the one whose text has a page (render/site/articles.py)
        self.measures_pages = {own.id: measures_page(own.id)} if own.text and own.id else {}

    def named(self, f: FileChange) -> Named:
        kind, record_id = f.kind, f.record_id
        if kind == "centers" and record_id in self.centers:
            return Named("中心", self.centers[record_id], f"centers/{record_id}/")
        if kind == "notices" and record_id in self.notices:
            return Named("公示", self.notices[record_id], f"notices/{record_id}/")
        if kind == "measures" and record_id in self.measures:
            return Named("办法记录", self.measures[record_id], self.measures_pages.get(record_id))
        if kind == "calendar":
            return Named("节假日安排", f"{record_id} 年" if record_id.isdigit() else record_id)
        if kind in NOUNS:
            noun = NOUNS[kind]
            if not f.gone:
                return Named(noun, NOT_YET.format(noun, record_id))
            if f.last_name is None:
                return Named(noun, GONE.format(noun, record_id))
            return Named(noun, f.last_name if f.status == "D" else f.last_name + GONE_MARK)
        return Named(TOP_FILES.get(f.path.rsplit("/", 1)[-1], OTHER), "")

    def phrase(self, change: Change, prefix: str, limit: int | None = None) -> Markup:
        """新增中心：<a>甲</a>、<a>乙</a>；修改名录设置 — the commit's files grouped by what
        happened to which kind of record; past `limit` files, 等 N 条记录 (the commit's count)."""
        shown = change.files[:limit] if limit else change.files
        rows = sorted(
            ((f.label, self.named(f)) for f in shown),
            key=lambda ln: (LABEL_ORDER.index(ln[0]), NOUN_ORDER.index(ln[1].noun)),
        )
        parts = []
        for (label, noun), group in groupby(rows, key=lambda ln: (ln[0], ln[1].noun)):
            names = [_name(named, prefix) for _, named in group if named.name]
            parts.append(
                _html("{}{}：", label, noun) + markup("、").join(names) if names else _html("{}{}", label, noun)
            )
        tail = _html(" 等 {} 条记录", len(change.files)) if len(shown) < len(change.files) else markup("")
        return markup("；").join(parts) + tail


def _name(named: Named, prefix: str) -> Markup:
    return _html('<a href="{}{}">{}</a>', prefix, named.href, named.name) if named.href else _html("{}", named.name)
