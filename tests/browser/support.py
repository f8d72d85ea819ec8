"""Helpers of the browser tests: where Chromium is, a local HTTP server, screenshots.

The fixtures built on them (``browser``, ``site_server``, ``page``) are in conftest.py.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.local_server import serve
from tests.support import ROOT

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
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


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as GitHub Pages does: under the site's base path (``/registry/``), and
    404.html with status 404 for anything missing."""

    base_path = "/"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = urlsplit(self.path).path
        if path.startswith(self.base_path):
            local = Path(self.translate_path("/" + path[len(self.base_path) :]))
            if local.is_dir() and (local / "index.html").is_file() and not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if local.is_file() or (local.is_dir() and (local / "index.html").is_file()):
                self.path = "/" + self.path[len(self.base_path) :]
                return super().send_head()
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve_directory(directory: Path, base_path: str = "/") -> Iterator[str]:
    """Base URL (ending in /) of `directory` served on 127.0.0.1 at a free port, while in use.

    The site is served under `base_path` (the path of its site_url), and a missing path gets
    the site's 404.html with status 404, as on GitHub Pages.
    """
    handler_class = type("Handler", (_PagesHandler,), {"base_path": base_path})
    with serve(functools.partial(handler_class, directory=str(directory)), "site-server") as origin:
        yield origin + base_path


def site_base_path(mkdocs_yml: Path) -> str:
    """The path of mkdocs.yml's site_url (``/registry/``): where GitHub Pages serves the site."""
    match = re.search(r"^site_url:\s*(\S+)", mkdocs_yml.read_text(encoding="utf-8"), re.M)
    path = urlsplit(match.group(1)).path if match else "/"
    return path if path.endswith("/") else path + "/"


def save_screenshots(pg: Any, name: str, *, full_page: bool = True) -> list[Path]:
    """Screenshot the current page at desktop (1280x800) and phone (390x844) sizes.

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
