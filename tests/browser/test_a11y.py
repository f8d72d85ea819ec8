"""Accessibility, keyboard, print and the 404 page of the built site, in headless Chromium.

- axe-core (bundled by ``axe-playwright-python``, offline) runs its WCAG 2.1 A/AA rules over one
  page of every kind the site has (found in the built site, so new kinds are covered without
  editing this file) at desktop and phone widths, in the light and the dark scheme: no violation.
  GB/T 37668-2019 follows WCAG 2.0, whose A/AA rules are a subset of these.
- Tab through a page: every visible control is reached and shows a focus outline on screen.
- The printed notice and center page keep the sample-data banner, the as-of date and the source;
  a sample prints "演示样例数据，非正式公示" on every page (checked in the PDF's text).
- A missing address gets the Chinese 404 page, which offers search and the center list.
- Screenshots (list, center, notice, its print view; desktop and phone) and the printed PDFs
  are kept under test-artifacts/ (CI uploads them).
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

from tests.browser.support import DESKTOP, PHONE, SCREENSHOT_DIR, save_screenshots
from tests.support import AS_OF, ROOT

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
MISSING = "这一页不存在/"
PRINT_MARK = "演示样例数据，非正式公示"
PRINT_DIR = SCREENSHOT_DIR.parent / "print"
# Page kinds that must exist (the crawl below finds these and any newer ones).
REQUIRED_KINDS = ("", "centers/", "notices/", "deadlines/", "ratings/", "rules/", "data/", "changes/", "contribute/")
# Test-only: transitions off, so that a check sees the settled state (e.g. a faded-in focus).
NO_TRANSITIONS = """document.addEventListener('DOMContentLoaded', () => {
  const s = document.createElement('style');
  s.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
  document.head.append(s);
});"""

_axe = Axe()


def _settings() -> dict:
    base = Path(os.environ.get("TIC_TEST_REGISTRY") or ROOT / "registry")
    return yaml.safe_load((base / "registry.yaml").read_text(encoding="utf-8")) or {}


def page_kinds(site: Path) -> list[str]:
    """Addresses of every kind of page: for every section and depth (``centers/`` is one kind,
    ``centers/<id>/`` another), the biggest page (the most parts to check) and the smallest
    (a record with little in it reads differently); then a missing address, for the 404 page."""
    kinds: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        path = "" if rel == "." else rel + "/"
        parts = path.strip("/").split("/") if path else []
        kinds.setdefault((parts[0] if parts else "", len(parts)), []).append((index.stat().st_size, path))
    chosen = set()
    for pages in kinds.values():
        chosen.add(min(pages)[1])
        chosen.add(max(pages)[1])
    return sorted(chosen) + [MISSING]


def _url(page, path: str) -> str:
    return page.base_url + quote(path)


def _open(page, path: str, *, missing: bool = False):
    """Load `path`; a missing one must answer 404 (its console message is expected, not an error)."""
    response = page.goto(_url(page, path))
    page.wait_for_load_state("load")
    if missing or path == MISSING:
        assert response is not None and response.status == 404
        page.console_errors[:] = [e for e in page.console_errors if "status of 404" not in e]
    else:
        assert response is not None and response.ok, f"/{path}: HTTP {response and response.status}"
    return response


def _unfold(page) -> None:
    """Open every folded block (<details>) and let assets/a11y.js answer the toggle events."""
    if page.evaluate(
        "() => { const d = [...document.querySelectorAll('details:not([open])')]; d.forEach(e => e.open = true); return d.length; }"
    ):
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")


def _report(path: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        for node in v["nodes"][:5]:
            checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
            message = checks[0]["message"] if checks else v["help"]
            lines.append(f"/{path} {v['id']} ({v['impact']}) {', '.join(map(str, node['target']))}: {message}")
    return lines


# --------------------------------------------------------------------------- axe-core


def test_page_kinds_cover_the_site(built_site: Path) -> None:
    kinds = page_kinds(built_site)
    missing = [k for k in REQUIRED_KINDS if k not in kinds]
    assert not missing, f"page kinds not found in the built site: {missing}"
    assert any(re.fullmatch(r"centers/[^/]+/", k) for k in kinds) and any(
        re.fullmatch(r"notices/[^/]+/", k) for k in kinds
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_no_wcag_violation(page, built_site: Path, viewport: str, scheme: str) -> None:
    page.set_viewport_size(VIEWPORTS[viewport])
    page.emulate_media(color_scheme=scheme)
    expected = "slate" if scheme == "dark" else "default"
    problems: list[str] = []
    kinds = page_kinds(built_site)
    for path in kinds:
        _open(page, path)
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected, f"/{path}: wrong scheme"
        _unfold(page)  # what a reader opens is checked too
        results = _axe.run(page, options=AXE_OPTIONS)
        problems += _report(path, results.response["violations"])
    assert not problems, f"axe ({viewport}, {scheme}) over {len(kinds)} pages:\n" + "\n".join(problems)


def test_a_folded_table_becomes_focusable_when_opened(page) -> None:
    """assets/a11y.js leaves a table in a closed <details> alone (measuring it would lay it out)
    and makes its scroll box a focusable, named region once a reader opens it on a phone."""
    page.set_viewport_size(PHONE)
    _open(page, "data/")
    fold = page.locator("details.abstract").first
    box = fold.locator(".md-typeset__scrollwrap")
    assert box.get_attribute("tabindex") is None
    fold.locator("summary").click()
    page.wait_for_function("b => b.getAttribute('tabindex') === '0'", arg=box.element_handle())
    assert box.get_attribute("role") == "region"
    assert "可横向滚动" in (box.get_attribute("aria-label") or "")
    assert page.evaluate("b => b.scrollWidth > b.clientWidth", box.element_handle())
    fold.locator("summary").click()  # closed again: nothing changes until it is opened
    assert box.get_attribute("tabindex") == "0"


def test_the_search_dialog_has_a_name(page) -> None:
    """Material's search box is a dialog; assets/a11y.js names it (axe's best-practice rule)."""
    _open(page, "centers/")
    results = _axe.run(page, options={"runOnly": {"type": "rule", "values": ["aria-dialog-name"]}})
    assert results.response["violations"] == []
    assert page.locator('.md-search[role="dialog"]').get_attribute("aria-label") == "搜索"


def test_axe_sees_a_violation(page) -> None:
    """The check above can fail: a grey-on-white paragraph and an unlabelled input are reported."""
    _open(page, "")
    page.evaluate("""() => {
        const p = document.createElement('p'); p.textContent = '浅灰色的字'; p.style.color = '#bbbbbb';
        const i = document.createElement('input'); i.type = 'text';
        document.querySelector('article').append(p, i); }""")
    found = {v["id"] for v in _axe.run(page, options=AXE_OPTIONS).response["violations"]}
    assert {"color-contrast", "label"} <= found


# --------------------------------------------------------------------------- keyboard

# What the focus is on, and where it is drawn (for a 0×0 element: on its visible label).
FOCUS = r"""() => {
  let e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const key = e.tagName + '|' + (e.id || '') + '|' + (e.getAttribute('href') || '') + '|' + (e.textContent || '').trim().slice(0, 40)
    + '|' + Array.prototype.indexOf.call(document.getElementsByTagName('*'), e);
  let shown = e, r = e.getBoundingClientRect();
  if (r.width === 0 && e.parentElement) {
    const label = Array.from(e.parentElement.querySelectorAll('label')).find(l => l.getBoundingClientRect().width > 0);
    if (label) { shown = label; r = shown.getBoundingClientRect(); }
  }
  const s = getComputedStyle(shown);
  const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
  // The ring is drawn around the element, over its parents' background: blend them to an opaque colour.
  const rgba = c => { const m = c.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const layers = [];
  for (let p = shown.parentElement; p; p = p.parentElement) {
    const c = rgba(getComputedStyle(p).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let bg = [255, 255, 255];
  for (const c of layers.reverse()) bg = bg.map((v, i) => c[3] * c[i] + (1 - c[3]) * v);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ring = rgba(s.outlineColor), a = lum(ring), b = lum(bg);
  return {key, tag: shown.tagName, cls: String(shown.className), text: (shown.textContent || '').trim().slice(0, 30),
    visible: shown.checkVisibility({opacityProperty: true, visibilityProperty: true}) && onScreen,
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && ring[3] === 1,
    ring: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
}"""
# Every control a reader can see, which Tab must reach.
CONTROLS = """() => Array.from(document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])'))
  .filter(e => !e.disabled && e.tabIndex >= 0 && !e.closest('[inert]'))
  .filter(e => { const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && e.checkVisibility({opacityProperty: true, visibilityProperty: true}); })
  .map(e => e.tagName + '|' + (e.id || '') + '|' + (e.getAttribute('href') || '') + '|' + (e.textContent || '').trim().slice(0, 40)
    + '|' + Array.prototype.indexOf.call(document.getElementsByTagName('*'), e))"""


# Two animation frames: the one that lays out what the focus scrolled into view, and the next.
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _tab_through(page, limit: int = 600) -> tuple[list[dict], list[str]]:
    """Press Tab from the top until focus leaves the page or comes back; every stop seen, and
    what went wrong at any stop."""
    stops: list[dict] = []
    problems: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS)
        if info is None or (stops and info["key"] == stops[0]["key"]):
            return stops, problems
        if not info["visible"]:  # judged on a settled frame: rows laid out late may still move the page
            page.evaluate(SETTLED)
            info = page.evaluate(FOCUS)
        stops.append(info)
        where = f"{info['tag']}.{info['cls']} “{info['text']}”"
        if not info["visible"]:
            problems.append(f"focus on something not visible on screen: {where}")
        elif not info["outline"]:
            problems.append(f"no visible focus outline: {where}")
        elif info["ring"] < 3:  # WCAG 1.4.11: 3:1 against what surrounds it
            problems.append(f"focus outline contrast {info['ring']:.2f}:1 < 3:1: {where}")
    problems.append(f"Tab never left the page after {limit} presses")
    return stops, problems


@pytest.mark.parametrize(("viewport", "scheme"), [("desktop", "light"), ("phone", "dark")])
def test_keyboard_reaches_every_control_with_a_visible_focus(page, viewport: str, scheme: str) -> None:
    page.context.add_init_script(NO_TRANSITIONS)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.emulate_media(color_scheme=scheme)
    center, notice = _record_page(page, "centers/"), _record_page(page, "notices/")
    for path in ("", "centers/", center, notice, MISSING):
        _open(page, path)
        expected = set(page.evaluate(CONTROLS))
        stops, problems = _tab_through(page)
        assert not problems, f"/{path} ({viewport}):\n" + "\n".join(problems)
        unreached = expected - {s["key"] for s in stops}
        assert not unreached, f"/{path} ({viewport}): not reachable with Tab: {sorted(unreached)}"
        assert len(stops) >= 5
        if path == "centers/":  # the list's own controls are among them
            tags = {s["tag"] + "." + s["cls"].split(" ")[0] for s in stops}
            assert {"SELECT.tic-filter", "INPUT.tic-search"} <= tags, tags


def _tab_to(page, accept: str, limit: int = 40) -> dict:
    """Press Tab until the focused element matches the JS predicate `accept` (of ``e``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => {accept})(document.activeElement)"):
            return page.evaluate(FOCUS)
    pytest.fail(f"Tab never reached an element where {accept}")


def test_header_controls_work_from_the_keyboard(page) -> None:
    """The colour-scheme switch, and on a phone the menu and search buttons (Material's
    <label>s), work from the keyboard."""
    page.context.add_init_script(NO_TRANSITIONS)
    _open(page, "centers/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    _tab_to(page, "e.hasAttribute('data-tic-palette')")
    page.keyboard.press("Enter")  # the switch (overrides/partials/palette.html) moves to the next scheme
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    switch = page.evaluate(FOCUS)
    assert switch["outline"] and switch["visible"], switch  # focus moved to the button now shown
    page.keyboard.press(" ")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    _open(page, "centers/")  # the reader's choice is kept
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    page.evaluate("document.querySelector('[data-tic-palette]:not([hidden])').click()")
    _open(page, "")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    # The page's canvas and scrollbar (outside <body>, which Material styles) are dark too.
    canvas = """() => { const d = document.createElement('div'); d.style.backgroundColor = 'Canvas';
      document.documentElement.append(d); const c = getComputedStyle(d).backgroundColor; d.remove(); return c; }"""
    assert page.evaluate(canvas) not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    page.evaluate("localStorage.clear()")

    page.set_viewport_size(PHONE)
    _open(page, "centers/")
    _tab_to(page, "e.getAttribute('aria-label') === '打开导航菜单'")
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__drawer').checked")
    link = _tab_to(page, "e.closest('.md-sidebar--primary') !== null")
    assert link["visible"] and link["outline"], link
    page.evaluate("document.getElementById('__drawer').click()")  # close it again

    _open(page, "centers/")
    _tab_to(page, "e.getAttribute('aria-label') === '搜索'")
    page.keyboard.press(" ")
    page.wait_for_function("document.activeElement.classList.contains('md-search__input')")
    box = page.evaluate(FOCUS)
    assert box["visible"] and box["outline"], box


# --------------------------------------------------------------------------- print


def _flat(text: str) -> str:
    """Text as compared with a PDF's: NFKC (the CJK fonts map some glyphs to Kangxi radicals,
    ⽰ U+2F70 for 示, and full-width punctuation to ASCII), without spaces and line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _pdf_pages(pdf: bytes) -> list[str]:
    """The text of each printed page, flattened."""
    return [_flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]


def _record_page(page, index: str) -> str:
    """The first record page (``<index><id>/``) the list page `index` links to, as a site path."""
    _open(page, index)
    hrefs = page.eval_on_selector_all("article a[href]", "as => as.map(a => a.href.split(/[?#]/)[0])")
    pattern = re.escape(page.base_url + index) + r"[^/?#]+/"
    found = [h for h in hrefs if re.fullmatch(pattern, h)]
    assert found, f"/{index} links to no record page"
    return unquote(found[0][len(page.base_url) :])


@pytest.mark.parametrize("kind", ["notice", "center"])
def test_print_keeps_banner_as_of_and_source(page, kind: str) -> None:
    path = _record_page(page, "notices/" if kind == "notice" else "centers/")
    _open(page, path)
    title = page.locator("article h1").first.inner_text().replace("¶", "").strip()
    page.emulate_media(media="print")
    settings = _settings()
    sample = settings.get("sample_data") is True
    meta = page.locator(".tic-print-meta")
    assert meta.is_visible()
    meta_text = meta.inner_text()
    assert f"数据截至 {AS_OF.isoformat()}" in meta_text
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert "来源：" in meta_text and canonical and unquote(canonical) in unquote(meta_text), meta_text
    banner = page.locator(".tic-sample-banner")
    mark = page.locator(".tic-print-mark")
    if sample:
        assert banner.is_visible() and (settings.get("sample_notice") or "演示") in banner.inner_text()
        assert mark.is_visible() and mark.inner_text() == PRINT_MARK
        assert mark.evaluate("e => getComputedStyle(e).position") == "fixed"  # repeated on every page
    else:
        assert banner.count() == 0 and mark.count() == 0
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".tic-filters"):
        loc = page.locator(hidden)
        assert all(not loc.nth(i).is_visible() for i in range(loc.count())), f"{hidden} prints"

    pdf = page.pdf(format="A4")
    PRINT_DIR.mkdir(parents=True, exist_ok=True)
    (PRINT_DIR / f"{kind}.pdf").write_bytes(pdf)
    pages = _pdf_pages(pdf)
    first = pages[0]
    assert _flat(title) in "".join(pages)
    assert _flat(f"数据截至 {AS_OF.isoformat()}") in first and _flat("来源：") in first
    if sample:
        assert _flat("演示数据") in first
        assert all(_flat(PRINT_MARK) in text for text in pages), "a printed page lacks the sample mark"
        if kind == "center":
            assert len(pages) >= 2, "a center page prints on one page: the mark's repetition is untested"
    else:
        assert not any(_flat(PRINT_MARK) in text for text in pages)


def test_print_mark_is_not_on_screen(page) -> None:
    _open(page, "")
    assert page.locator(".tic-print-meta").count() == 1 and not page.locator(".tic-print-meta").is_visible()
    mark = page.locator(".tic-print-mark")
    assert mark.count() == (1 if _settings().get("sample_data") is True else 0)
    assert mark.count() == 0 or not mark.is_visible()


# --------------------------------------------------------------------------- 404


def test_missing_page_shows_the_chinese_404(page) -> None:
    _open(page, MISSING)
    assert page.locator("html").get_attribute("lang") == "zh"
    assert "页面不存在" in page.title()
    assert "页面不存在" in page.locator("article h1").inner_text()
    # The list, one click away.
    page.locator("article a", has_text="中心名录").click()
    page.wait_for_url(re.compile(r"/centers/$"))
    assert page.locator("#center-list").count() == 1
    # Search: the form on the 404 page opens the site search with the words.
    _open(page, "centers/不存在的中心/", missing=True)
    box = page.get_by_label("搜索本站")
    box.fill("陶瓷")
    box.press("Enter")
    page.wait_for_url(re.compile(r"\?q="))
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=15000)
    assert "陶瓷" in page.locator(".md-search-result").inner_text()


# --------------------------------------------------------------------------- screenshots


def test_screenshots_of_notice_its_print_view_and_404(page) -> None:
    """test_site.py's screenshots show the home page, the list and a center; these the rest."""
    shots = []
    notice = _record_page(page, "notices/")
    _open(page, notice)
    shots += save_screenshots(page, "notice")
    page.emulate_media(media="print")
    shots += save_screenshots(page, "notice-print")
    _open(page, MISSING)
    page.emulate_media(media="screen")
    shots += save_screenshots(page, "404")
    assert len(shots) == 6 and all(p.is_file() and p.stat().st_size > 5000 for p in shots)
