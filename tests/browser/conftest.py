"""Fixtures for browser tests: a built site, a local HTTP server, headless Chromium.

Every page opened through the ``page`` fixture is offline by construction: requests to any
host other than 127.0.0.1/localhost are aborted and recorded, and the test fails at
teardown if there was any such request or any console error.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.sitebuild import ROOT, SiteBuildError, build_site

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """CHROMIUM_PATH if set (GitHub's runners ship Google Chrome), else Debian's chromium."""
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"]
    found = shutil.which("chromium")
    if found:
        return found
    if os.path.exists("/usr/bin/chromium"):
        return "/usr/bin/chromium"
    return None


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The built site directory (``python -m generator build --site --as-of 2026-11-27``)."""
    try:
        return build_site()
    except SiteBuildError as exc:
        pytest.fail(str(exc), pytrace=False)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # The browser drops connections it no longer needs (navigation, aborted loads).
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Base URL (ending in /) of `directory` served on 127.0.0.1 at a free port, while in use."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_server(built_site: Path):
    """``built_site`` served on 127.0.0.1."""
    with serve_directory(built_site) as url:
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


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "chrome", "chrome-extension"}:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@pytest.fixture
def page(browser, site_server):
    """A desktop-sized page; external requests are aborted; asserts offline and error-free."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", service_workers="block")
    external: list[str] = []
    errors: list[str] = []

    def route(r):
        if _is_local(r.request.url):
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
            if _is_local(r.url) and "ERR_ABORTED" not in (r.failure or "")
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


def save_screenshots(pg, name: str, *, full_page: bool = True) -> list[Path]:
    """Screenshot the current page at desktop (1280x900) and phone (375x812) sizes.

    Files: test-artifacts/screenshots/<name>-desktop.png and <name>-phone.png. The
    viewport is restored afterwards.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    before = pg.viewport_size or DESKTOP
    paths = []
    try:
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            pg.set_viewport_size(size)
            pg.wait_for_timeout(150)  # let Material re-lay out the sidebars
            path = SCREENSHOT_DIR / f"{name}-{label}.png"
            pg.screenshot(path=str(path), full_page=full_page)
            paths.append(path)
    finally:
        pg.set_viewport_size(before)
    return paths


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` saves desktop and phone screenshots; returns the paths."""
    return save_screenshots
