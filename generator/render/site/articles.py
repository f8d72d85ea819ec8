"""The measures' text as a page, and every 第N条 the site prints as a link to its article.

The text, read into its parts by generator.records.measures_text, is printed with an
anchor per article: its number as the text writes it (`#第十二条`), which is also what the
site's toc slugify makes of a heading "第十二条", so the anchor does not change with the
way a page is built.

`articles` is the Jinja filter that turns "第十二条" (or "第十二条（一）") in text a template
prints into a link to that anchor. It links only articles the recorded text has: an article
number of another measures (忻科规〔2023〕2号 has no text here) must not be passed to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from generator.records.book import Measures
from generator.records.measures_text import parse
from generator.render.env import escape_text, markup

#: 第N条, optionally with the item in full-width brackets: 第十二条（一）.
ARTICLE = re.compile(r"第([一二三四五六七八九十百零〇]+)条((?:（[一二三四五六七八九十]+）)?)")
#: A tag, or a link with its content: text inside either is never linked again.
_SKIP = re.compile(r"(<a\b[^>]*>.*?</a>|<[^>]*>)", re.DOTALL)

CONTEXT_KEY = "article_links"  # the template variable the filter reads (an ArticleLinks or None)


@dataclass(frozen=True)
class ArticleLinks:
    """Where the articles of the implemented measures are: its page and the anchors it has."""

    page: str  # from the site root: measures/<id>/
    anchors: frozenset[str] = field(default_factory=frozenset)

    def href(self, prefix: str, anchor: str) -> str:
        return f"{prefix}{self.page}#{anchor}"


def measures_page(measures_id: str) -> str:
    """The address of a measures' text page, from the site root."""
    return f"measures/{measures_id}/"


def article_links(measures: Measures) -> ArticleLinks | None:
    """The article links of measures whose text is recorded; None when there is no text."""
    if not measures.text or not measures.id:
        return None
    return ArticleLinks(measures_page(measures.id), frozenset(parse(measures.text).anchors))


def link_articles(text: Any, links: ArticleLinks | None, prefix: str) -> Markup:
    """`text` escaped (unless it is markup already), each 第N条 of `links` a link to its anchor.

    In markup, only text between tags is touched, never an attribute or a link's text.
    """
    if type(text) is str or type(text) is Markup:  # the usual values, and they recur: remembered
        return _linked(text, links, prefix)
    return _link(escape_text(text), links, prefix)


@lru_cache(maxsize=4096, typed=True)  # typed: a str is escaped, equal Markup is not
def _linked(text: str, links: ArticleLinks | None, prefix: str) -> Markup:
    return _link(escape_text(text), links, prefix)


def _link(escaped: Markup, links: ArticleLinks | None, prefix: str) -> Markup:
    if links is None or "条" not in escaped:
        return escaped

    def link(match: re.Match[str]) -> str:
        anchor = f"第{match.group(1)}条"
        if anchor not in links.anchors:
            return match.group(0)
        return f'<a class="tic-article-link" href="{links.href(prefix, anchor)}">{match.group(0)}</a>'

    parts = _SKIP.split(str(escaped))
    return markup("".join(p if i % 2 else ARTICLE.sub(link, p) for i, p in enumerate(parts)))


@pass_context
def articles(context: Context, text: Any, prefix: str) -> Markup:
    """`{{ text | articles("../../") }}`: every 第N条 in `text` linked to the measures' text.

    `prefix` leads from the page to the site's root ("../../" on a record page, "../" on a
    list page such as rules/, "" on the home page). Text is escaped as every value is.
    """
    return link_articles(text, context.get(CONTEXT_KEY), prefix)


def cite_label(article: str | None, links: ArticleLinks | None = None, prefix: str = "") -> Markup:
    """An article label (`<span class="tic-article">`), linked to the article when `links` has it."""
    if not article:
        return markup("")
    return markup(f'<span class="tic-article">{link_articles(article, links, prefix)}</span>')


@pass_context
def cite_filter(context: Context, article: str | None, prefix: str | None = None) -> Markup:
    """`{{ d.article | cite("../../") }}`: an article label; with `prefix` (as for `articles`)
    linked to the article when its text is known, without one a label only."""
    return cite_label(article, context.get(CONTEXT_KEY) if prefix is not None else None, prefix or "")


@pass_context
def articles_block(context: Context, html: str, prefix: str) -> Markup:
    """`{% filter articles_block("../") %}…{% endfilter %}`: the same for a block of a template.

    The block's output is the template's own markup with every value already escaped, so it
    is taken as markup: only the text between its tags is linked. Keep text that cites
    articles of another law (《全国年节及纪念日放假办法》第二条) outside such a block.
    """
    return link_articles(markup(html), context.get(CONTEXT_KEY), prefix)
