"""data/sitemap.xml and data/centers/sitemap.xml: the data files, listed as sitemaps.

Pages declare their data with `<link rel="alternate">` (feed autodiscovery). Material
takes every such link for another language version of the site and fetches the
sitemap.xml beside it (with or without instant navigation): without one in data/ and in data/centers/, each page
that declares its feed logged a 404 in the browser. So the two folders have sitemaps of
their own, listing the files in them (absolute URLs, as the sitemap protocol wants; with
no site address set, a valid empty list).
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from generator.derive.facts import RegistryFacts
from generator.render.opendata.common import site_url

SITEMAPS = ("data/sitemap.xml", "data/centers/sitemap.xml")
_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _sitemap(base: str | None, paths: Iterable[str]) -> bytes:
    urls = "".join(f"<url><loc>{escape(base + p)}</loc></url>" for p in sorted(paths)) if base else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{_NAMESPACE}">{urls}</urlset>\n'.encode()


def render_sitemaps(facts: RegistryFacts, paths: Iterable[str]) -> dict[str, bytes]:
    """The sitemap of each folder in SITEMAPS, listing its files among `paths` (from the site root)."""
    base = site_url(facts)
    folders: dict[str, list[str]] = {sitemap.rsplit("/", 1)[0] + "/": [] for sitemap in SITEMAPS}
    for path in paths:
        folder = path.rsplit("/", 1)[0] + "/"
        if folder in folders and not path.endswith((".md", "sitemap.xml")):
            folders[folder].append(path)
    return {sitemap: _sitemap(base, folders[sitemap.rsplit("/", 1)[0] + "/"]) for sitemap in SITEMAPS}
