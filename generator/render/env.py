"""Jinja2 environments whose every `{{ }}` is escaped unless a template marks it safe.

Markdown pages mix Markdown and raw HTML, and backslash escapes only work in the first.
So record text is HTML-escaped and Markdown's active characters become numeric entities,
which read the same in both: a name with `<script>`, `|`, `*`, `[x](y)` or `{{ }}` stays
text and breaks no table.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from ..rulebook import rule

_TABLE = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "\r": "", "\n": "<br>",
    **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|~:$^="},
})
_SPECIAL = re.compile("[" + re.escape("".join(map(chr, _TABLE))) + "]")  # what _TABLE changes


def markup(text: str) -> Markup:
    """`Markup(text)` for a str known to be safe, without Markup's checks (hot: every cell)."""
    return str.__new__(Markup, text)


def escape_text(value: Any) -> Markup:
    """Record text made inert for Markdown and HTML alike; markup from templates passes."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return markup("")
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    text = str(value)
    # translate() looks up every character of CJK text in the table (~3 µs a name); most
    # values have nothing to change, which one regex search (~0.3 µs) tells.
    return markup(text.translate(_TABLE) if _SPECIAL.search(text) else text)


def _article(rule_id: str) -> str:
    return rule(rule_id).article or ""


def _days(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _common(env: jinja2.Environment) -> jinja2.Environment:
    env.filters["article"] = _article
    env.filters["iso"] = _days
    env.globals["rule"] = rule
    return env


@cache
def markup_env() -> jinja2.Environment:
    """For Markdown and HTML output: autoescape on, Markdown punctuation neutralised."""
    return _common(jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        finalize=escape_text,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    ))


@cache
def text_env() -> jinja2.Environment:
    """For terminal output: plain text, no escaping."""
    return _common(jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    ))
