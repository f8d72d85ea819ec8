"""Hostile record text in a real browser: shown as text, never run.

This module serves its own site, built once from the sample registry plus a center whose
name, field, units and notes hold ``<script>alert(1)</script>``, ``|``, ``*bold*``, a
Markdown link, ``{{ 7*7 }}``, ``{% raw %}``, ``&amp;`` and a backtick (see
tests/test_site_render.py). It is built in a temporary project folder, not in the
repository's site/. ``site_server`` is overridden here, so the shared ``page`` fixture
(offline, no console errors) opens this site.
"""

from __future__ import annotations

import pytest

from tests.browser.support import serve_directory
from tests.support import (
    HOSTILE_FIELD,
    HOSTILE_ID,
    HOSTILE_NAME,
    HOSTILE_UNIT,
    SCRIPT,
    add_hostile_center,
    build,
    make_project,
)

HEADING_TEXT = """sel => { const h = document.querySelector(sel).cloneNode(true);
  h.querySelectorAll('.headerlink').forEach(a => a.remove()); return h.textContent.trim(); }"""


@pytest.fixture(scope="module")
def site_server(tmp_path_factory):
    """The hostile site, built in a temporary project and served on 127.0.0.1."""
    project = make_project(tmp_path_factory.mktemp("escaping") / "project")
    add_hostile_center(project / "registry")
    build(project)
    with serve_directory(project / "site") as url:
        yield url


@pytest.fixture
def dialogs(page):
    """Messages of every alert/confirm/prompt the page opens (each is dismissed)."""
    seen: list[str] = []

    def on_dialog(dialog):
        seen.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


def _no_record_scripts(page) -> None:
    count = page.evaluate("""() => Array.from(document.scripts)
        .filter(s => s.textContent.includes('alert(') || (s.src || '').includes('evil')).length""")
    assert count == 0, "a <script> from the record is in the DOM"
    links = page.evaluate("() => Array.from(document.links).map(a => a.href).filter(h => h.includes('evil.example'))")
    assert links == []


def test_center_page_shows_hostile_name_as_text(page, dialogs):
    page.goto(page.base_url + f"centers/{HOSTILE_ID}/")
    page.wait_for_load_state("load")
    assert page.evaluate(HEADING_TEXT, "article h1") == HOSTILE_NAME
    assert page.locator("article h1").is_visible()
    assert page.title().startswith(HOSTILE_NAME)
    body = page.locator("article").inner_text()
    assert HOSTILE_FIELD in body and HOSTILE_UNIT in body and SCRIPT in body
    _no_record_scripts(page)
    page.wait_for_timeout(300)
    assert dialogs == []


def test_list_page_keyword_filter_with_hostile_text(page, dialogs):
    page.goto(page.base_url + "centers/")
    link = page.locator(f'#center-list a[href$="{HOSTILE_ID}/"]')
    assert link.inner_text().strip() == HOSTILE_NAME and link.is_visible()
    page.locator('input.tic-search[data-table="center-list"]').fill(SCRIPT)
    # the script shows the rows of rows.json that match, once the URL carries the keyword
    page.wait_for_function("() => document.querySelector('#center-list').getAttribute('data-view') === location.search")
    rows = page.locator("#center-list tbody tr:not(.tic-empty-row):visible")
    assert rows.count() == 1 and rows.first.locator("a").inner_text().strip() == HOSTILE_NAME
    _no_record_scripts(page)
    # Instant navigation swaps the page in by script: still text, still no dialog.
    rows.first.locator("a").click()
    page.wait_for_url(f"**/centers/{HOSTILE_ID}/")
    page.wait_for_selector("article h1")
    assert page.evaluate(HEADING_TEXT, "article h1") == HOSTILE_NAME
    _no_record_scripts(page)
    page.wait_for_timeout(300)
    assert dialogs == []


def test_home_page_lists_hostile_center_as_text(page, dialogs):
    page.goto(page.base_url)
    # Its overdue deadlines name it (in cards).
    links = page.locator(f'article a[href$="centers/{HOSTILE_ID}/"]')
    assert links.count() >= 1
    assert {links.nth(i).inner_text().strip() for i in range(links.count())} == {HOSTILE_NAME}
    _no_record_scripts(page)
    page.wait_for_timeout(300)
    assert dialogs == []


def test_search_results_show_hostile_name_as_text(page, dialogs):
    page.goto(page.base_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("evil")  # a token of the hostile field (lunr splits on the separator)
    box.press("End")  # Material searches on keyup
    result = page.locator(f'.md-search-result__item a[href*="centers/{HOSTILE_ID}/"]').first
    result.wait_for(timeout=15000)
    assert result.locator("h1").inner_text().replace("\u200b", "").strip() == HOSTILE_NAME
    assert page.locator(".md-search-result script").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []
