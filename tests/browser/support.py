"""Helpers of the browser tests: where Chromium is, a local HTTP server, screenshots.

The fixtures built on them (``browser``, ``site_server``, ``page``) are in conftest.py.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.support import ROOT

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


def is_local(url: str) -> bool:
    """Whether the browser may load `url` in an offline test: this machine or inline data."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "chrome", "chrome-extension"}:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The browser drops connections it no longer needs (navigation, aborted loads).
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


def save_screenshots(pg: Any, name: str, *, full_page: bool = True) -> list[Path]:
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
