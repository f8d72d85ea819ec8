"""The measures' text as registry data, its parts, and the filter that links every 第N条."""

from __future__ import annotations

import hashlib

import jinja2
import pytest
from markupsafe import Markup

from generator.records.book import Book
from generator.render.site import articles as a
from generator.rules import measures as m
from generator.validate.registry import validate_registry
from tests.support import ARTICLE_NUMERALS, ROOT, Registry

#: sha256 of the published text of 忻科规〔2024〕4号 as the project received it (shared/seed/).
PUBLISHED_SHA256 = "48d482dc624e86abc1427b4aa070587f64093aae363e24cfbf245a43acd3b098"


@pytest.fixture(scope="module")
def implemented():
    book: Book = validate_registry(ROOT / "registry", ROOT).registry.book
    return m.implemented(book)


def test_the_registry_keeps_the_text_exactly_as_published(implemented) -> None:
    assert hashlib.sha256(implemented.full_text.encode()).hexdigest() == PUBLISHED_SHA256
    assert "忻科规〔2024〕4号" in implemented.text_source and "印发" in implemented.text_source
    assert implemented.text[0] == "忻科规〔2024〕4号"
    assert "\xa0" in implemented.full_text  # the published non-breaking spaces are kept


def test_the_older_measures_have_no_text_and_no_page() -> None:
    older = validate_registry(ROOT / "registry", ROOT).registry.book.get("忻科规〔2023〕2号")
    assert older is not None and older.text == ()
    assert a.article_links(older) is None


def test_the_text_in_its_parts(implemented) -> None:
    text = a.parse(implemented.text)
    assert [c.title.split()[0] for c in text.chapters] == [f"第{n}章" for n in "一二三四五六"]
    assert text.anchors == tuple(f"第{n}条" for n in ARTICLE_NUMERALS)
    assert text.colophon == ("忻州市科学技术局                        2024年7月4日印发",)
    assert text.preamble[0] == "忻科规〔2024〕4号" and text.preamble[-1] == "市技术创新中心建设与运行管理办法"
    twelve = next(x for c in text.chapters for x in c.articles if x.anchor == "第十二条")
    assert twelve.paragraphs[0] == "申请建设技术创新中心的程序如下："
    assert [p[:3] for p in twelve.paragraphs[1:]] == ["（一）", "（二）", "（三）", "（四）"]
    # every line of the text is in exactly one part (the article numbers in the anchors)
    parts = [*text.preamble, *(c.title for c in text.chapters), *text.colophon]
    parts += [p for c in text.chapters for x in c.articles for p in x.paragraphs]
    words = "".join(implemented.full_text.split()).replace("\xa0", "")
    assert len("".join("".join(parts).split()).replace("\xa0", "")) + sum(map(len, text.anchors)) == len(words)


def test_a_text_without_its_source_is_refused(reg: Registry) -> None:
    reg.modify("measures", "xinkegui-2024-4", lambda d: d["text"].pop("source"))
    errors = validate_registry(reg.dir, reg.root).errors
    own = [f.rule_id for f in errors if f.path == "registry/measures/xinkegui-2024-4.yaml"]
    assert own == ["schema"]  # (the centers that cite the refused record say so too)


LINKS = a.ArticleLinks("measures/xinkegui-2024-4/", frozenset({"第九条", "第十二条", "第二十一条"}))


def test_articles_are_linked_to_their_anchor() -> None:
    out = a.link_articles("依据第十二条（一）和第九条，另见第二十二条", LINKS, "../../")
    assert isinstance(out, Markup)
    assert out == (
        '依据<a class="tic-article-link" href="../../measures/xinkegui-2024-4/#第十二条">第十二条（一）</a>和'
        '<a class="tic-article-link" href="../../measures/xinkegui-2024-4/#第九条">第九条</a>，另见第二十二条'
    )


def test_the_filter_escapes_text_and_leaves_markup_alone() -> None:
    out = a.link_articles("<script>第九条</script>", LINKS, "")
    assert out.startswith("&lt;script&gt;<a ") and "<script>" not in out
    tag = Markup('<span title="第十二条">第九条</span><a href="x">第二十一条</a>')
    assert a.link_articles(tag, LINKS, "") == Markup(
        '<span title="第十二条"><a class="tic-article-link" href="measures/xinkegui-2024-4/#第九条">第九条</a></span>'
        '<a href="x">第二十一条</a>'
    )
    assert a.link_articles("第九条", None, "") == "第九条"  # no text recorded: nothing is linked


def test_the_jinja_filters_read_the_links_from_the_page_context() -> None:
    env = jinja2.Environment(autoescape=False)
    env.filters.update(articles=a.articles, cite=a.cite_filter, articles_block=a.articles_block)
    page = env.from_string(
        '{{ "第九条" | articles("../") }}|{{ "第九条" | cite }}|{{ "第九条" | cite("../") }}|'
        '{% filter articles_block("") %}<b>第二十一条</b>{% endfilter %}'
    )
    out = page.render(**{a.CONTEXT_KEY: LINKS})
    first, plain, linked, block = out.split("|")
    assert first.endswith('#第九条">第九条</a>')
    assert plain == '<span class="tic-article">第九条</span>'
    assert (
        linked
        == '<span class="tic-article"><a class="tic-article-link" href="../measures/xinkegui-2024-4/#第九条">第九条</a></span>'
    )
    assert block == '<b><a class="tic-article-link" href="measures/xinkegui-2024-4/#第二十一条">第二十一条</a></b>'
    assert page.render(**{a.CONTEXT_KEY: None}).count("<a ") == 0


def test_a_notice_links_the_articles_of_the_measures_in_force_on_its_date(facts) -> None:
    import dataclasses

    from generator.records.model import Notice
    from generator.render.site.pages import _Pages

    n = next(n for n in facts.notices if n.id == "approval-2025")
    pages = _Pages(facts, [])

    def rendered(**changes) -> str:
        notice = Notice(n.id, n.notice.path, {**n.notice.data, "procedure": "按第十二条（三）公示。", **changes})
        return pages.notice(dataclasses.replace(n, notice=notice))

    assert 'href="../../measures/xinkegui-2024-4/#第十二条">第十二条（三）</a>公示' in rendered()
    assert "tic-article-link" not in rendered(issue_date="2023-05-10")  # under the trial measures


def test_a_rejected_center_without_a_published_reason_says_only_that(facts) -> None:
    import dataclasses

    from generator.records.model import Center, Event
    from generator.render.site.pages import _Pages

    c = facts.by_id["sample-wurenji"]
    assert c.status == "rejected"
    events = tuple(
        Event(e.index, e.date, e.kind, {k: v for k, v in e.fields.items() if k != "note"}) for e in c.center.events
    )
    bare = dataclasses.replace(c, center=Center(c.id, c.center.path, c.center.data, events, c.center.book))
    body = _Pages(facts, []).center(bare)
    assert '<p class="tic-reason">记录未写明原因：名录只记录市科学技术局公开的结果，不记录未公开的原因。</p>' in body
    with_note = _Pages(facts, []).center(c)
    assert f'<p class="tic-reason">说明：{c.center.last("rejection").get("note")}</p>' in with_note
