"""The built site in headless Chromium: offline, the list reached through the navigation, Chinese search,
sample-data banner, "数据截至" footer, print layout, phone layout, screenshots."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from tests.support import AS_OF, ROOT

COUNT = re.compile(r"显示\s*(\d+)\s*/\s*共\s*(\d+)")


def _registry_settings() -> dict:
    base = Path(os.environ.get("TIC_TEST_REGISTRY") or ROOT / "registry")
    try:
        return yaml.safe_load((base / "registry.yaml").read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return {}


def _count(page, table_id="center-list"):
    text = page.locator(f'.tic-count[data-table="{table_id}"]').first.inner_text()
    m = COUNT.search(text)
    assert m, f"count text not in the form 显示 X / 共 Y: {text!r}"
    return int(m.group(1)), int(m.group(2))


def _first_center_href(page) -> str:
    href = page.eval_on_selector("#center-list tbody a[href]", "a => a.href")
    assert href, "center list has no links to center pages"
    return href


def test_home_footer_and_banner(page):
    page.goto(page.base_url)
    assert page.locator("html").get_attribute("lang") == "zh"
    footer = page.locator(".tic-as-of")
    assert footer.is_visible()
    assert f"数据截至 {AS_OF}" in footer.inner_text()
    settings = _registry_settings()
    banner = page.locator(".tic-sample-banner")
    if settings.get("sample_data") is True:
        assert banner.is_visible()
        notice = (settings.get("sample_notice") or "").strip()
        if notice:
            assert notice in banner.inner_text()
    else:
        assert banner.count() == 0


def test_the_page_is_styled_for_scripts_before_materials_bundle_runs(page):
    """overrides/main.html swaps <html class="no-js"> for "js" in the head, so the page is styled
    once; Material's bundle, at the end of the body, would otherwise restyle the whole page again.
    With the bundle replaced by an empty script the swap has still happened; with it, it stays."""
    bundle = re.compile(r"/javascripts/bundle\.[^/]*\.js$")
    page.route(bundle, lambda route: route.fulfill(status=200, content_type="text/javascript", body=""))
    page.goto(page.base_url + "rules/")
    assert page.evaluate("typeof window.document$") == "undefined"  # Material's bundle did not run
    assert page.evaluate("document.documentElement.className.split(/\\s+/)") == ["js"]
    page.unroute(bundle)
    page.goto(page.base_url + "rules/")
    page.wait_for_function("typeof window.document$ !== 'undefined'")
    classes = page.evaluate("document.documentElement.className.split(/\\s+/)")
    assert "js" in classes and "no-js" not in classes


def test_table_works_when_reached_through_the_navigation(page):
    page.goto(page.base_url)
    page.locator(".md-nav__link", has_text="中心名录").first.click()
    page.wait_for_url(re.compile(r"/centers/$"))
    page.wait_for_selector("#center-list thead th[aria-sort] button.tic-sort")
    shown, total = _count(page)
    assert shown == total > 0


def test_chinese_search(page):
    page.goto(page.base_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("技术创新")
    box.press("End")  # Material searches on keyup; fill() of CJK text sends no key events
    first = page.locator(".md-search-result__item").first
    first.wait_for(timeout=15000)
    assert page.locator(".md-search-result__item").count() > 0


def test_print_hides_chrome(page):
    page.goto(page.base_url + "notices/")
    href = page.eval_on_selector_all(
        "article a[href]",
        """as => as.map(a => a.href)
        .filter(h => /\\/notices\\/[^/]+\\/$/.test(h))[0] || null""",
    )
    assert href, "notices index links to no notice page"
    page.goto(href)
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search"):
        loc = page.locator(selector)
        for i in range(loc.count()):
            assert not loc.nth(i).is_visible(), f"{selector} is visible in print"
    # The sample-data banner stays in print (test_a11y.py checks the printed text).
    printable = page.locator(".notice-print")
    assert printable.count() >= 1 and printable.first.is_visible()
    color = page.eval_on_selector(".notice-print", "e => getComputedStyle(e).color")
    assert color in ("rgb(0, 0, 0)", "rgba(0, 0, 0, 1)")
    pdf = page.pdf(format="A4")  # headless Chromium only
    assert pdf[:4] == b"%PDF"


def test_phone_layout_has_no_page_overflow(page):
    page.set_viewport_size({"width": 375, "height": 812})
    for path in ("", "centers/"):
        page.goto(page.base_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"/{path} is {overflow}px wider than the phone screen"


def test_screenshots(page, screenshot):
    page.goto(page.base_url)
    shots = screenshot(page, "home")
    page.goto(page.base_url + "centers/")
    page.wait_for_selector("#center-list thead th[aria-sort]")
    shots += screenshot(page, "centers")
    page.goto(_first_center_href(page))
    shots += screenshot(page, "center")
    assert all(p.is_file() and p.stat().st_size > 1000 for p in shots)
