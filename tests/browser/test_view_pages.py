"""A county, a supervising unit and a year page in headless Chromium at phone width.

Each opens from its index at its bookmarkable address, fits the phone's width (tables
scroll inside their frame), names its chart for assistive technology, and leads to a
center's page; screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.support import PHONE


def _fits_the_phone(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the phone screen"


@pytest.mark.parametrize(
    ("index", "link", "address", "heading"),
    [
        ("counties/", "忻府区", f"counties/{quote('忻府区')}/", "忻府区"),
        ("units/", "河曲县经济发展服务中心", "units/hequ-jjfz/", "河曲县经济发展服务中心"),
        ("years/", "2025 年", "years/2025/", "2025 年度概览"),
    ],
    ids=["county", "unit", "year"],
)
def test_view_page_on_a_phone(page, screenshot, index: str, link: str, address: str, heading: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + index)
    _fits_the_phone(page)
    page.get_by_role("link", name=link, exact=True).first.click()
    page.wait_for_url(page.base_url + address)
    assert page.locator("h1").first.inner_text().strip().removesuffix("¶") == heading  # ¶: the permalink
    _fits_the_phone(page)
    if index == "years/":
        chart = page.get_by_role("img", name="2025 年各类事项数量")
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] <= PHONE["width"]
        page.get_by_text("图表数据（文字）").click()
        assert page.get_by_role("link", name="批准建设", exact=True).first.is_visible()
    else:
        overdue = page.locator("#逾期与应予撤销")
        assert overdue.is_visible()
        if index == "units/":  # sample-gufei: overdue, and its revocation inferred, both labelled
            section = page.locator(".tic-view-overdue")
            assert "已逾期" in section.inner_text() and "本站推算" in section.inner_text()
    screenshot(page, f"view-{address.split('/')[0]}")
    page.set_viewport_size(PHONE)
    page.locator('article a[href*="centers/sample-"]').first.click()
    page.wait_for_url("**/centers/sample-*/")
    assert page.locator("h1").first.is_visible()
