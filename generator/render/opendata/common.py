"""Helpers shared by the open-data writers: dates, links, JSON bytes, the site's address.

Every open-data file is a pure function of the facts: the only date in any of them is
the as-of date (or a date from the records), so the same registry and as-of date give
byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from typing import Any

from markupsafe import Markup

from generator.derive.facts import RegistryFacts
from generator.render.env import escape_text

GENERATED_BY = "忻州市技术创新中心名录生成器（generator）"
#: Authority of the tag: URIs (RFC 4151) that identify feed entries: fixed, so ids never move.
TAG_AUTHORITY = "xinzhou-tic.github.io,2024"
#: Host part of iCalendar UIDs.
UID_DOMAIN = "xinzhou-tic"
#: The "updated" date of a feed with no entries: the day the measures came into force
#: (第二十一条), a date from the data's world rather than the clock's.
EPOCH = dt.date(2024, 8, 4)
#: Where the record schemas are published (their $id); the output schemas sit beside them.
SCHEMA_BASE = "https://xinzhou-tic.github.io/registry/schema/"

LICENSE_URLS = {
    "CC-BY-4.0": ("https://creativecommons.org/licenses/by/4.0/", "知识共享 署名 4.0 国际（CC BY 4.0）"),
    "CC0-1.0": ("https://creativecommons.org/publicdomain/zero/1.0/", "知识共享 CC0 1.0 公共领域贡献"),
    "CC-BY-SA-4.0": ("https://creativecommons.org/licenses/by-sa/4.0/", "知识共享 署名—相同方式共享 4.0 国际"),
    "ODbL-1.0": ("https://opendatacommons.org/licenses/odbl/1-0/", "开放数据库许可 ODbL 1.0"),
    "PDDL-1.0": ("https://opendatacommons.org/licenses/pddl/1-0/", "公共领域专用与许可 PDDL 1.0"),
}

_SAFE_URL = re.compile(r"https?://[A-Za-z0-9._~%/:-]+")


def code_spans(text: str) -> Markup:
    """Constant text whose `backticked` parts are code: each part escaped as any value is
    (a | cannot split a table cell), then <code> around the backticked ones."""
    parts = [escape_text(p) for p in text.split("`")]
    return Markup("").join(Markup("<code>") + p + Markup("</code>") if i % 2 else p for i, p in enumerate(parts))


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def license_id(facts: RegistryFacts) -> str:
    return str(facts.settings.data.get("license") or "CC-BY-4.0")


def license_info(facts: RegistryFacts) -> tuple[str, str | None, str]:
    """(SPDX id, URL or None, Chinese title) of the data licence."""
    spdx = license_id(facts)
    url, title = LICENSE_URLS.get(spdx, (None, spdx))
    return spdx, url, title


def site_url(facts: RegistryFacts) -> str | None:
    """The site's address with a trailing slash, if the settings give a plain one."""
    url = facts.settings.data.get("site_url")
    if not url or not _SAFE_URL.fullmatch(url):
        return None
    return url if url.endswith("/") else url + "/"


def center_page(center_id: str) -> str:
    """Path of a center's page relative to the site root."""
    return f"centers/{center_id}/"


def notice_page(notice_id: str) -> str:
    return f"notices/{notice_id}/"


def unit_id(facts: RegistryFacts, name: str | None) -> str | None:
    """The id in the supervising units' list of the unit a record names (current or former name)."""
    unit = facts.units.named(name) if facts.units and name else None
    return unit.id if unit else None


def unit_page(ident: str) -> str:
    """Path of a supervising unit's page relative to the site root."""
    return f"units/{ident}/"


def absolute(facts: RegistryFacts, path: str) -> str | None:
    base = site_url(facts)
    return base + path if base else None


#: Compact, sorted JSON: `indent` would switch Python to its pure-Python encoder (10× slower).
json_text = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def dump_json(value: Any) -> bytes:
    return (json_text(value) + "\n").encode("utf-8")


def json_frame(value: dict[str, Any], key: str) -> tuple[bytes, bytes]:
    """The JSON text of `{**value, key: ...}` before and after the member `key`'s value.

    `before + encoded + after` is `dump_json({**value, key: v})` for any `v` whose JSON is
    `encoded`: what a list or object that is also published on its own (a center) needs,
    so that it is encoded once, not twice.
    """
    members = {k: json_text(v) for k, v in value.items()}
    members[key] = "\0"
    text = "{" + ",".join(json_text(k) + ":" + members[k] for k in sorted(members)) + "}\n"
    before, after = text.split(":\0", 1)
    return (before + ":").encode("utf-8"), after.encode("utf-8")


def number(value: float | int) -> int | float:
    """10.0 → 10, so a whole number of 万元 reads the same in JSON, CSV and Excel."""
    return int(value) if float(value).is_integer() else value


def deadline_uid(center_id: str, key: str) -> str:
    """A deadline's stable id, in deadlines.csv and as its calendar events' UID.

    Built from the center and the deadline's key (rule and round), never its due date, so
    it survives a moved due date (an approved extension, a corrected record) and a
    subscribed calendar moves the event instead of adding a second one.
    """
    return f"{center_id}.{key}@{UID_DOMAIN}"


def source_text(source: Any) -> str | None:
    """A record's source object in one phrase: its document number, else title, else URL."""
    if not isinstance(source, dict):
        return None
    return source.get("document_number") or source.get("title") or source.get("url")


class _CharWidths(dict):  # type: ignore[type-arg]
    """Character → 1 or 2 columns, looked up in Unicode once per distinct character."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        return width


_CHAR_WIDTHS = _CharWidths()


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK and full-width characters count 2."""
    if text.isascii():
        return len(text)  # every ASCII character is narrow (or neutral): 1 column
    return sum(map(_CHAR_WIDTHS.__getitem__, text))
