"""What a reader sees (issue 16): Material's search box finds a center by what people type, a
center's page opens with its status and the decision behind it, and every 第N条 leads to the
article in the measures' full text."""

from __future__ import annotations

import re

import pytest

from generator.derive.facts import RegistryFacts
from generator.render.site.search import document_numbers

INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")


def _search(page, query: str) -> list[dict]:
    """Type `query` into Material's search box; the results as a reader sees them."""
    page.goto(page.base_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material searches on keyup; fill() sends no key events
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    page.wait_for_timeout(300)  # the 缺少 check (assets/search-terms.js) runs right after rendering
    return page.eval_on_selector_all(
        ".md-search-result__item > a, .md-search-result__item > details a",
        """links => links.map(a => ({
            href: a.href,
            title: (a.querySelector('h1, h2') || {}).textContent || '',
            missing: (a.querySelector('.md-search-result__terms') || {}).textContent || '',
        }))""",
    )


def _hit(results: list[dict], center_id: str) -> dict:
    hits = [r for r in results if r["href"].split("?")[0].endswith(f"/centers/{center_id}/")]
    assert hits, f"{center_id} not among {[r['title'] for r in results]}"
    return hits[0]


def _overdue(facts: RegistryFacts):
    return next(c for c in facts.centers if any(d.state == "overdue" for d in c.deadlines))


@pytest.mark.parametrize("what", ["credit code", "document number", "逾期", "former name", "name", "id"])
def test_search_box_finds_a_center(page, facts: RegistryFacts, what: str):
    if what == "credit code":
        c = next(c for c in facts.centers if c.center.first_host_unit.get("credit_code", "")[-1:] in "EY")
        query = c.center.first_host_unit["credit_code"]  # ends in E or Y: an English stemmer would cut it
    elif what == "document number":
        c = facts.by_id["sample-duanzao"]
        query = document_numbers(c)[0]
    elif what == "逾期":
        c, query = _overdue(facts), "逾期"
    elif what == "former name":
        c = next(c for c in facts.centers if c.center.former_names)
        query = c.center.former_names[0][0]
    elif what == "name":
        c = facts.by_id["sample-duanzao"]
        query = c.center.name
    else:
        c = facts.by_id["sample-duanzao"]
        query = c.id
    results = _search(page, query)
    hit = _hit(results, c.id)
    assert hit["title"] == c.center.name  # whole, without U+200B
    assert not hit["missing"], f"{query!r}: {hit['missing']}"
    if what == "逾期":  # pages that explain 逾期 come first; every overdue center is found, no other
        found = {r["href"].split("?")[0].rstrip("/").rsplit("/", 1)[-1] for r in results if "/centers/" in r["href"]}
        assert found == {x.id for x in facts.centers if any(d.state == "overdue" for d in x.deadlines)}
    else:
        assert results.index(hit) == 0, [r["title"] for r in results]
    assert not [r["title"] for r in results if INVISIBLE.search(r["title"])]


def test_search_box_finds_a_notice_by_its_title(page, facts: RegistryFacts):
    n = next(n for n in facts.notices if n.id == "approval-2025")
    results = _search(page, n.notice.title)
    hit = next(r for r in results if r["href"].split("?")[0].endswith("/notices/approval-2025/"))
    assert hit["title"] == n.notice.title and not hit["missing"]
    # a hit without a word keeps its honest 缺少 label, without Material's stray "*"
    others = [r["missing"] for r in results if r is not hit and r["missing"]]
    assert others and not [m for m in others if "*" in m]


def test_center_page_top_and_article_links(page, facts: RegistryFacts):
    c = _overdue(facts)
    page.goto(page.base_url + f"centers/{c.id}/")
    first = page.locator("article .tic-summary").first
    assert first.is_visible()
    assert first.locator(".tic-summary-status").inner_text().startswith(c.status_label)
    # the next deadline is an inference: the dashed derived box with its tag, below the summary
    nxt = page.locator("article .tic-next")
    assert nxt.is_visible() and "本站推算" in nxt.inner_text()
    assert page.eval_on_selector("article .tic-next", "e => getComputedStyle(e).borderTopStyle") == "dashed"
    box = page.eval_on_selector("article .tic-next", "e => e.getBoundingClientRect().top")
    assert box > page.eval_on_selector("article .tic-summary", "e => e.getBoundingClientRect().top")
    # an article label leads to the article in the measures' text
    link = nxt.locator("a.tic-article-link").first
    article_no = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/measures/xinkegui-2024-4/#"))
    target = page.locator(f'[id="{article_no}"]')
    assert target.count() == 1 and target.is_visible()
    assert target.evaluate("e => e.getBoundingClientRect().top") < 400  # scrolled to it
    assert page.evaluate("decodeURIComponent(location.hash)") == f"#{article_no}"


def test_measures_anchor_opens_at_its_article(page):
    page.goto(page.base_url + "measures/xinkegui-2024-4/#第十二条")
    target = page.locator('[id="第十二条"]')
    assert target.is_visible()
    assert 0 <= target.evaluate("e => e.getBoundingClientRect().top") < 400
    text = page.locator("article").inner_text()
    assert "市科技局对评审通过名单进行公示" in text


def test_center_measures_and_rules_pages_fit_a_phone(page, facts: RegistryFacts):
    page.set_viewport_size({"width": 375, "height": 812})
    for path in (f"centers/{_overdue(facts).id}/", "centers/sample-shengwufei/", "measures/xinkegui-2024-4/", "rules/"):
        page.goto(page.base_url + path)
        assert page.locator("article .tic-summary, article h1").first.is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"/{path} is {overflow}px wider than the phone screen"
