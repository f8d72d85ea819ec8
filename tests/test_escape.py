"""escape_text: record text inert in Markdown and HTML, whether or not it needs changing."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from generator.render.env import escape_text

ACTIVE = "\\`*_{}[]()#+!|~:$^="


@pytest.mark.parametrize("char", list(ACTIVE))
def test_every_markdown_active_character_becomes_a_numeric_entity(char: str) -> None:
    assert escape_text(f"忻州{char}中心") == f"忻州&#{ord(char)};中心"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>&\"'", "&lt;script&gt;&amp;&#34;&#39;"),
        ("第一行\r\n第二行", "第一行<br>第二行"),
        ("忻州市煤矸石综合利用技术创新中心（有限公司）", "忻州市煤矸石综合利用技术创新中心（有限公司）"),
        ("2024-05-10", "2024-05-10"),
        ("", ""),
    ],
)
def test_html_characters_newlines_and_plain_text(text: str, expected: str) -> None:
    escaped = escape_text(text)
    assert escaped == expected
    assert isinstance(escaped, Markup)


def test_markup_passes_and_other_values_become_text() -> None:
    assert escape_text(Markup("<b>x</b>")) == "<b>x</b>"
    assert escape_text(None) == ""
    assert escape_text(12.5) == "12.5"


HOSTILE = "<script>alert(1)</script>|*x*"
INERT = "&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;&#124;&#42;x&#42;"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ x }}", INERT),
        ("{{ xs | join('、') }}", f"{INERT}、{INERT}"),
        ("{{ x ~ '!' }}", f"{INERT}&#33;"),
        ("{{ row([x, '', none, 3]) }}", f"| {INERT} | — | — | 3 |"),
        ("{{ m }}", "<b>ok</b>"),
    ],
)
def test_every_value_a_template_prints_is_escaped_unless_it_is_markup(source: str, expected: str) -> None:
    from generator.render.env import markup_env

    template = markup_env().from_string(source)
    assert template.render(x=HOSTILE, xs=[HOSTILE, HOSTILE], m=Markup("<b>ok</b>")) == expected
