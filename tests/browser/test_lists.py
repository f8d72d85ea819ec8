"""The center list and the wide tables in Chromium: filters in the URL, life-cycle sort, empty
deadlines last, sorting on a phone, the script's rows equal to the server's, pages of rows
with and without JavaScript, cards and scroll frames on a phone, labelled controls."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from bench.synth import generate
from generator.derive.status import STATUSES
from tests.browser.support import PHONE, serve_directory
from tests.support import build_sample_site

COUNT = re.compile(r"显示\s*(\d+)\s*/\s*共\s*(\d+)")
STATUS_ORDER = list(STATUSES.values())


def _count(page) -> tuple[int, int]:
    m = COUNT.search(page.locator('.tic-count[data-table="center-list"]').inner_text())
    assert m, "the count does not say 显示 X / 共 Y"
    return int(m.group(1)), int(m.group(2))


def _rows(page) -> list[dict]:
    """Each shown row of the list: its status, location, deadline date (or ''), flags."""
    return page.eval_on_selector(
        "#center-list",
        """t => Array.from(t.tBodies[0].rows).filter(r => !r.classList.contains('tic-empty-row')).map(r => ({
             name: r.cells[0].textContent.trim(),
             status: r.cells[1].querySelector('.tic-status').textContent.trim(),
             location: r.cells[4].textContent.trim(),
             due: (r.cells[6].querySelector('time') || {}).textContent || '',
             deadline: r.cells[6].textContent.trim(),
             flags: Array.from(r.querySelectorAll('.tic-flag')).map(f => f.className),
           }))""",
    )


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _wait_rendered(page, shown: int | None = None) -> None:
    """The script has read rows.json and shown the rows of the page's URL."""
    page.wait_for_function("() => document.querySelector('#center-list').getAttribute('data-view') === location.search")
    if shown is not None:
        assert _count(page)[0] == shown


def _status_rank(text: str) -> int:
    return STATUS_ORDER.index(text.split(" · ")[0])


def test_filters_come_from_and_go_to_the_url(page):
    page.goto(page.base_url + "centers/")
    locations = page.locator("#tic-f-location option").evaluate_all("os => os.map(o => o.value).filter(Boolean)")
    place = locations[0]
    page.goto(page.base_url + f"centers/?location={quote(place)}&sort=-due")
    _wait_rendered(page)
    assert page.locator("#tic-f-location").input_value() == place
    assert page.locator("#tic-sort").input_value() == "-due"
    assert page.locator('#center-list th[data-sort-key="due"]').get_attribute("aria-sort") == "descending"
    rows = _rows(page)
    assert rows and {r["location"] for r in rows} == {place}
    shown, total = _count(page)
    assert shown == len(rows) < total

    # Changing a filter rewrites the URL in place (no new history entry): it can be shared as it is.
    before = page.evaluate("history.length")
    page.locator("#tic-f-status").select_option(_rows(page)[0]["status"].split(" · ")[0])
    query = _query(page)
    assert query["location"] == [place] and query["sort"] == ["-due"] and "status" in query
    assert page.evaluate("history.length") == before
    status = query["status"][0]
    assert all(r["status"].startswith(status) for r in _rows(page))

    # Reloading the shared address shows the same rows; clearing every filter leaves a bare address.
    shared = _rows(page)
    page.reload()
    _wait_rendered(page)
    assert _rows(page) == shared
    for select in ("#tic-f-location", "#tic-f-status", "#tic-sort"):
        page.locator(select).select_option("")
    assert urlsplit(page.url).query == ""
    assert _count(page) == (total, total)

    # The keyword box too, and an unknown value in the URL is ignored, not an empty list.
    page.locator("#tic-q").fill(rows[0]["name"])
    page.wait_for_function("() => new URLSearchParams(location.search).get('q')")
    assert _query(page)["q"] == [rows[0]["name"]]
    assert [r["name"] for r in _rows(page)] == [rows[0]["name"]]
    page.goto(page.base_url + "centers/?status=" + quote("没有这种状态"))
    assert page.locator("#tic-f-status").input_value() == ""


def test_status_sorts_in_life_cycle_order(page):
    page.goto(page.base_url + "centers/?sort=status")
    _wait_rendered(page)
    ranks = [_status_rank(r["status"]) for r in _rows(page)]
    assert ranks == sorted(ranks) and len(set(ranks)) > 3
    page.locator('#center-list th[data-sort-key="status"] button').click()  # the header: descending
    assert _query(page)["sort"] == ["-status"]
    ranks = [_status_rank(r["status"]) for r in _rows(page)]
    assert ranks == sorted(ranks, reverse=True)
    # Not the order of the labels' pinyin or code points.
    assert [STATUS_ORDER[k] for k in sorted(set(ranks))] != sorted({STATUS_ORDER[k] for k in ranks})


def test_empty_deadlines_last_in_both_directions(page):
    for sort, reverse in (("due", False), ("-due", True)):
        page.goto(page.base_url + f"centers/?sort={sort}")
        _wait_rendered(page)
        dues = [r["due"] for r in _rows(page)]
        filled = [d for d in dues if d]
        assert filled and len(filled) < len(dues)
        assert dues == filled + [""] * (len(dues) - len(filled)), f"{sort}: empty deadlines not last: {dues}"
        assert filled == sorted(filled, reverse=reverse)


def test_sorting_on_a_phone(page):
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "centers/")
    assert not page.locator("#center-list thead").is_visible()  # cards: no header to tap
    sort = page.locator("#tic-sort")
    assert sort.is_visible()
    sort.focus()
    sort.select_option("-status")
    _wait_rendered(page)
    ranks = [_status_rank(r["status"]) for r in _rows(page)]
    assert ranks == sorted(ranks, reverse=True)
    assert _query(page)["sort"] == ["-status"]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1


def test_overdue_and_revocation_have_a_word_and_a_colour(page):
    page.goto(page.base_url + "centers/?flag=overdue")
    _wait_rendered(page)
    rows = _rows(page)
    assert rows and all("已逾期" in r["deadline"] for r in rows)
    word = page.locator("#center-list .tic-flag-overdue").first
    body = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).color")
    assert word.inner_text() == "已逾期" and word.evaluate("e => getComputedStyle(e).color") != body
    page.locator("#tic-f-flag").select_option("revocation")
    flag = page.locator("#center-list .tic-flag-revocation").first
    assert "应予撤销" in flag.inner_text() and "本站推算" in flag.inner_text()
    assert "以市科技局决定为准" in flag.get_attribute("title")
    assert flag.evaluate("e => getComputedStyle(e).borderTopStyle") == "dashed"  # a derived look, not a decision's


def test_script_rows_equal_the_server_rows(page):
    """The first page as the server wrote it, and as the script builds it from rows.json."""
    # Links compared by where they lead (the server writes them relative, the script as given).
    html = "b => { const c = b.cloneNode(true); c.querySelectorAll('a').forEach(a => a.setAttribute('href', a.href)); return c.innerHTML; }"
    page.goto(page.base_url + "centers/")
    server = page.eval_on_selector("#center-list tbody", html)
    page.locator("#tic-sort").select_option("name")
    _wait_rendered(page)
    page.locator("#tic-sort").select_option("")
    script = page.eval_on_selector("#center-list tbody", html)

    def norm(html: str) -> str:
        return re.sub(r">\s+<", "><", html).strip()

    assert norm(script) == norm(server)


def test_list_uses_the_full_width_and_labels_every_control(page):
    page.goto(page.base_url + "centers/")
    assert not page.locator(".md-sidebar--secondary").is_visible()
    width = page.evaluate(
        "document.querySelector('#center-list').getBoundingClientRect().width"
        " / document.querySelector('.md-content').getBoundingClientRect().width"
    )
    assert width > 0.9
    unlabelled = page.eval_on_selector_all(
        ".tic-filters select, .tic-filters input", "cs => cs.filter(c => !c.labels.length).map(c => c.id)"
    )
    assert unlabelled == []
    # Dates stay on one line.
    assert page.eval_on_selector_all(
        "#center-list time", "ts => ts.every(t => getComputedStyle(t).whiteSpace === 'nowrap')"
    )
    # Keyboard: the sort control and every header's button are reachable with Tab.
    page.locator("#tic-q").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "tic-sort"
    page.keyboard.press("Tab")
    focused = "document.activeElement.closest('th') && document.activeElement.closest('th').dataset.sortKey"
    assert page.evaluate(focused) == "name", "Tab from the sort control does not reach the first header"
    page.keyboard.press("Enter")
    _wait_rendered(page)
    assert _query(page)["sort"] == ["name"]
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "status"


def test_back_from_a_center_returns_to_the_filtered_list(page):
    page.goto(page.base_url + "centers/?sort=-due&flag=overdue")
    _wait_rendered(page)
    shown = _rows(page)
    page.locator("#center-list tbody a").first.click()
    page.wait_for_url(re.compile(r"/centers/[a-z0-9-]+/$"))
    page.go_back()
    page.wait_for_url(re.compile(r"/centers/\?"))
    _wait_rendered(page)
    assert page.locator("#tic-f-flag").input_value() == "overdue" and page.locator("#tic-sort").input_value() == "-due"
    assert _rows(page) == shown


def test_deadlines_table_sorts_by_its_headers(page):
    page.goto(page.base_url + "deadlines/")
    table = "#deadline-list"
    header = page.locator(f"{table} thead th").nth(2).locator("button.tic-sort")  # 期限
    header.click()
    assert page.locator(f"{table} thead th").nth(2).get_attribute("aria-sort") == "ascending"
    titles = page.eval_on_selector(
        table,
        "t => Array.from(t.tBodies[0].rows).filter(r => r.cells.length > 2).map(r => r.cells[2].textContent.trim())",
    )
    assert titles == page.evaluate("v => v.slice().sort(window.ticTables.compare)", titles)
    page.locator(f"{table} thead th").first.locator("button.tic-sort").click()
    page.locator(f"{table} thead th").first.locator("button.tic-sort").click()
    dues = page.eval_on_selector(
        table,
        "t => Array.from(t.tBodies[0].rows).filter(r => r.cells.length > 2).map(r => r.cells[0].textContent.trim())",
    )
    assert dues == sorted(dues, reverse=True)


@pytest.mark.parametrize("path", ["deadlines/", "notices/", "ratings/"])
def test_wide_tables_fit_a_phone(page, path):
    """On a phone a wide table is cards, or scrolls inside its own frame: nothing is cut off."""
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + path)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    cut = page.eval_on_selector_all(
        "article table.tic-table",
        """ts => ts.flatMap(t => {
             const frame = t.closest('.tic-table-wrap');
             const scrolls = frame && frame.scrollWidth > frame.clientWidth && getComputedStyle(frame).overflowX === 'auto';
             if (scrolls) return [];
             return Array.from(t.querySelectorAll('td')).filter(td => {
               const r = td.getBoundingClientRect();
               return r.width && (r.right > window.innerWidth + 1 || r.left < -1);
             }).map(td => td.textContent.trim().slice(0, 30));
           })""",
    )
    assert cut == [], f"cells cut off on a phone: {cut[:5]}"
    cards = page.locator("article table.tic-cards")
    if cards.count():
        assert page.eval_on_selector("article table.tic-cards", "t => getComputedStyle(t.tHead).display") == "none"
    frames = page.locator(".tic-table-wrap.tic-scroll")
    for i in range(frames.count()):
        frame = frames.nth(i)
        if frame.evaluate("f => f.scrollWidth > f.clientWidth"):
            assert page.locator(".tic-scroll-hint").first.is_visible()  # a visible cue that it scrolls


# --- more centers than one page ----------------------------------------------------------------


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> Path:
    registry = tmp_path_factory.mktemp("paged") / "registry"
    generate(registry, 230, 3)
    return build_sample_site(registry)


@pytest.fixture
def paged(page, paged_site):
    with serve_directory(paged_site) as url:
        page.base_url = url
        yield page


def test_pages_of_rows_with_the_script(paged):
    page = paged
    page.goto(page.base_url + "centers/")
    assert page.locator("#center-list tbody tr").count() == 100
    total = int(page.locator("#center-list").get_attribute("data-total"))
    assert total == 230
    page.locator("#tic-sort").select_option("due")
    _wait_rendered(page, total)
    assert page.locator("#center-list tbody tr").count() == 100
    first = _rows(page)
    page.locator(".tic-pager button", has_text="下一页").click()
    assert _query(page)["page"] == ["2"]
    second = _rows(page)
    assert not {r["name"] for r in first} & {r["name"] for r in second}
    page.reload()
    _wait_rendered(page)
    assert _rows(page) == second  # the page is in the URL too
    page.locator(".tic-pager button", has_text="下一页").click()
    third = _rows(page)
    assert len(third) == 30
    dues = [r["due"] for r in first + second + third]
    filled = [d for d in dues if d]
    assert dues == filled + [""] * (len(dues) - len(filled)) and filled == sorted(filled)
    page.locator("#tic-f-flag").select_option("overdue")  # a filter starts again at page 1
    assert "page" not in _query(page)


def test_pages_of_rows_without_the_script(browser, paged_site):
    """Without JavaScript every center is reachable: the first page, then static pages."""
    context = browser.new_context(java_script_enabled=False)
    try:
        with serve_directory(paged_site) as url:
            page = context.new_page()
            page.goto(url + "centers/")
            seen = set()
            while True:
                links = page.eval_on_selector_all("table.tic-center-list tbody a[href]", "as => as.map(a => a.href)")
                assert 0 < len(links) <= 100
                seen.update(links)
                following = page.locator('.tic-pager a[rel="next"]')
                if not following.count():
                    break
                following.click()
            assert len(seen) == 230
            for href in list(seen)[:3]:
                assert page.goto(href).ok
    finally:
        context.close()
