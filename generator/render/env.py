"""Jinja2 environments whose every `{{ }}` is escaped unless it is already markup.

Markdown pages mix Markdown and raw HTML, and backslash escapes only work in the first.
So record text is HTML-escaped and Markdown's active characters become numeric entities,
which read the same in both: a name with `<script>`, `|`, `*`, `[x](y)` or `{{ }}` stays
text and breaks no table.

The escaping is Jinja's `finalize` hook, which every `{{ }}` passes through: whatever a
template prints is escaped by `escape_text` unless it is `Markup` (the helpers' fragments,
built from escaped parts). Jinja's `autoescape` would only escape that result a second
time, the HTML part of it, with a `Markup` copy per value: a third of a center page's
render time. So it is off, and the finalize does all of it; what filters such as `join`
or `~` build is plain text again and is escaped whole. So is a macro's output: a fragment
that templates repeat is a Python function returning `Markup` instead (`row` below).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache, partial
from typing import Any

import jinja2
from markupsafe import Markup

from generator.rules.table import rule
from generator.rules.text import escape
from generator.rules.workdays import PROVISIONAL_MARK, PROVISIONAL_NOTE

_TABLE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&#34;",
        "'": "&#39;",
        "\r": "",
        "\n": "<br>",
        **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+!|~:$^="},
    }
)
_SPECIAL = re.compile("[" + re.escape("".join(map(chr, _TABLE))) + "]")  # what _TABLE changes


#: `Markup(text)` for a str known to be safe, without Markup's checks or a Python frame
#: (hot: every value of every page).
markup: Callable[[str], Markup] = partial(str.__new__, Markup)


def escape_text(value: Any) -> Markup:
    """Record text made inert for Markdown and HTML alike; markup from templates passes."""
    if type(value) is not str:  # most values are: they skip these tests
        if isinstance(value, Markup):
            return value
        if value is None:
            return markup("")
        if hasattr(value, "__html__"):
            return Markup(value.__html__())
        value = str(value)
    # translate() looks up every character of CJK text in the table (~3 µs a name); most
    # values have nothing to change, which one regex search (~0.3 µs) tells.
    return markup(value.translate(_TABLE) if _SPECIAL.search(value) else value)


def _article(rule_id: str) -> str:
    return rule(rule_id).article or ""


def _days(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _common(env: jinja2.Environment, **functions: Any) -> jinja2.Environment:
    env.filters["article"] = _article
    env.filters["iso"] = _days
    env.globals.update(rule=rule, provisional_mark=PROVISIONAL_MARK, provisional_note=PROVISIONAL_NOTE, **functions)
    return env


def row(cells: list[Any]) -> Markup:
    """A Markdown table row, every cell escaped; an empty cell reads "—"."""
    return markup("|" + "".join(f" {escape_text('—' if c is None or c == '' else c)} |" for c in cells))


@cache
def markup_env() -> jinja2.Environment:
    """For Markdown and HTML output: every value escaped, Markdown punctuation neutralised."""
    return _common(
        jinja2.Environment(
            loader=jinja2.PackageLoader("generator", "templates"),
            autoescape=False,  # finalize escapes every value; see the module's docstring
            finalize=escape_text,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        ),
        row=row,
    )


def _terminal_value(value: Any) -> Any:
    """A printed value on one line, with nothing a terminal or a CI log would act on."""
    return escape(value) if isinstance(value, str) else value


@cache
def text_env() -> jinja2.Environment:
    """For terminal output: plain text, each value on one line with its controls escaped
    (a record cannot start a line of the output, recolour it, or reorder it)."""
    return _common(
        jinja2.Environment(
            loader=jinja2.PackageLoader("generator", "templates"),
            autoescape=False,
            finalize=_terminal_value,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
    )
