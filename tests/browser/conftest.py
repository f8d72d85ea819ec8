"""Fixtures for browser tests: the built site served locally, headless Chromium, a page.

Every test in this folder carries the ``browser`` marker. Every page opened through the
``page`` fixture is offline by construction: requests to any host other than
127.0.0.1/localhost are aborted and recorded, and the test fails at teardown if there was
any such request or any console error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.support import (
    CHROMIUM_ARGS,
    DESKTOP,
    chromium_path,
    is_local,
    save_screenshots,
    serve_directory,
    site_base_path,
)
from tests.support import ROOT

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test in this folder needs Chromium: it is a browser test, whatever its module says."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site_server(built_site: Path):
    """``built_site`` served on 127.0.0.1 under site_url's path, 404.html for missing paths."""
    with serve_directory(built_site, site_base_path(ROOT / "mkdocs.yml")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (fails, never skips, when missing)."""
    executable = chromium_path()
    if executable is None:
        pytest.fail(
            "Chromium is not installed: browser tests need /usr/bin/chromium. "
            "Install it with `sh .ci/install-chromium` (or `apt-get install -y chromium`).",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - pinned in requirements.txt
        pytest.fail(f"playwright is not installed: {exc}", pytrace=False)
    pw = sync_playwright().start()
    try:
        instance = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:
        pw.stop()
        pytest.fail(f"cannot launch Chromium at {executable}: {exc}", pytrace=False)
    try:
        yield instance
    finally:
        instance.close()
        pw.stop()


@pytest.fixture
def page(browser, site_server):
    """A desktop-sized page; external requests are aborted; asserts offline and error-free."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", service_workers="block")
    external: list[str] = []
    errors: list[str] = []

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            external.append(f"{r.request.resource_type} {r.request.url}")
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.on(
        "console",
        lambda m: (
            errors.append(f"console.{m.type}: {m.text} ({m.location.get('url', '')})") if m.type == "error" else None
        ),
    )
    pg.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    # ERR_ABORTED is the browser cancelling a load it no longer needs (navigation).
    pg.on(
        "requestfailed",
        lambda r: (
            errors.append(f"request failed: {r.url} {r.failure}")
            if is_local(r.url) and "ERR_ABORTED" not in (r.failure or "")
            else None
        ),
    )
    pg.base_url = site_server  # convenience for tests: page.goto(page.base_url + "centers/")
    pg.external_requests = external
    pg.console_errors = errors
    yield pg
    context.close()
    assert not external, "page tried to load from other hosts:\n" + "\n".join(external)
    assert not errors, "console errors:\n" + "\n".join(errors)


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` saves desktop and phone screenshots; returns the paths."""
    return save_screenshots
