"""The home page's first screen in Chromium (issue 16): on a phone (390×844) and a desktop, what
a reader comes for (the notices, what is overdue or due for revocation, what changed) comes
before the statistics, the notices start on the first screen, and nothing is wider than the
screen.

Two sites: the shared sample site (as of 2026-11-27: approval-2026 in publicity, no Git
history), and one built here from a Git project as of 2026-12-03, when approval-2026's
period has ended with no outcome recorded (结果待公布) and the recent changes have entries.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.browser.support import DESKTOP, save_screenshots, serve_directory
from tests.support import Registry, build, git, make_project

PHONE_390 = {"width": 390, "height": 844}
SECTIONS = ["公示", "逾期、应予撤销与 90 天内到期", "最近变更", "概况"]

# The top of each home section's heading (document coordinates), and the first card of each list.
LAYOUT = """() => {
  const heads = Array.from(document.querySelectorAll("article h2"));
  const top = el => el.getBoundingClientRect().top + window.scrollY;
  const out = {};
  for (const h of heads) {
    const name = h.textContent.replace("¶", "").trim();
    let first = null;
    for (let n = h.nextElementSibling; n && n.tagName !== "H2"; n = n.nextElementSibling) {
      if (n.matches("ul.tic-home-list, div.tic-cards")) { first = n.querySelector("li, section"); break; }
    }
    out[name] = {top: top(h), firstBottom: first ? first.getBoundingClientRect().bottom + window.scrollY : null};
  }
  return out;
}"""

# Every element of the article that reaches past the right edge of the screen, unless a frame
# that scrolls or clips horizontally holds it.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const framed = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  return Array.from(document.querySelectorAll("article *"))
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 1 && !framed(el); })
    .map(el => el.tagName.toLowerCase() + "." + el.className + ": " + (el.textContent || "").trim().slice(0, 40));
}"""


def _check_first_screen(pg, viewport: dict[str, int]) -> dict[str, dict]:
    pg.set_viewport_size(viewport)
    pg.wait_for_timeout(150)  # let Material lay the page out for the new width
    layout = pg.evaluate(LAYOUT)
    assert [name for name in layout if name in SECTIONS] == SECTIONS, layout
    tops = [layout[name]["top"] for name in SECTIONS]
    assert tops == sorted(tops), f"the sections are not in reading order at {viewport}: {layout}"
    notices = layout["公示"]
    assert notices["top"] < viewport["height"], f"the notices do not start on the first screen at {viewport}"
    assert notices["firstBottom"] is not None and notices["firstBottom"] <= viewport["height"], (
        f"the first notice is not whole on the first screen at {viewport}: {layout}"
    )
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the home page is {overflow}px wider than the screen at {viewport}"
    assert pg.evaluate(OVERFLOWING) == []
    return layout


@pytest.fixture(scope="module")
def result_pending_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample registry in a Git project with two commits, built as of 2026-12-03."""
    project = make_project(tmp_path_factory.mktemp("home") / "project")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "registry")
    git(project, "commit", "-q", "-m", "samples")
    Registry(project).modify("center", "sample-zaliang", lambda d: d["contact"].update(office="中心综合办公室"))
    git(project, "commit", "-q", "-am", "contact", when="2026-12-02T10:00:00+08:00")
    build(project, dt.date(2026, 12, 3))
    return project / "site"


def test_first_screen_on_a_phone_and_a_desktop(page):
    page.goto(page.base_url)
    for viewport in (PHONE_390, DESKTOP):
        _check_first_screen(page, viewport)
    page.set_viewport_size(PHONE_390)
    first = page.locator("ul.tic-home-list").first.locator("li").first
    assert first.is_visible() and "公示中" in first.inner_text() and "剩余" in first.inner_text()
    derived = page.locator("li.tic-derived-revocation").first
    assert derived.is_visible() and "本站推算" in derived.inner_text() and "以市科技局决定为准" in derived.inner_text()
    save_screenshots(page, "home-first-screen", full_page=False)


def test_result_pending_and_changes_on_a_phone(browser, result_pending_site: Path):
    with serve_directory(result_pending_site) as url:
        context = browser.new_context(viewport=PHONE_390, locale="zh-CN", service_workers="block")
        try:
            pg = context.new_page()
            pg.goto(url)
            layout = _check_first_screen(pg, PHONE_390)
            notice = pg.locator("ul.tic-home-list").first.locator("li").first
            assert "结果待公布" in notice.inner_text() and "本站尚未记录公示结果" in notice.inner_text()
            assert notice.bounding_box()["y"] < PHONE_390["height"]
            changes = pg.locator("ul.tic-home-list").nth(2).locator("li")
            assert changes.count() == 2 and layout["最近变更"]["firstBottom"] is not None
            assert "修改中心：" in changes.first.inner_text() and "registry/" not in changes.first.inner_text()
            _check_first_screen(pg, DESKTOP)
            save_screenshots(pg, "home-result-pending", full_page=False)
        finally:
            context.close()
