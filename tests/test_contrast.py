"""The site's colours meet WCAG 2.1 AA contrast (4.5:1 for text), computed from docs/assets/site.css.

site.css defines every text/background colour as a custom property in two blocks, the light
scheme (``:root, [data-md-color-scheme="default"]``) and Material's dark scheme
(``[data-md-color-scheme="slate"]``, which inherits what it does not redefine). A pair is
``--tic-<name>-fg`` on ``--tic-<name>-bg`` (on ``--tic-page-bg`` when there is no ``-bg``),
plus the Material variables site.css overrides, each on the darkest/lightest background it
is used on. The browser tests run axe-core over real pages; this test also covers the
colours of states the sample data happen not to show (every status, every grade).
"""

from __future__ import annotations

import re

import pytest

from tests.support import ROOT

CSS = (ROOT / "docs" / "assets" / "site.css").read_text(encoding="utf-8")
LIGHT = ':root, [data-md-color-scheme="default"]'
DARK = '[data-md-color-scheme="slate"]'
# Material variables site.css overrides, and the background each is read on.
MATERIAL_PAIRS = {
    "--md-default-fg-color--light": "--tic-code-bg",  # secondary text, also on code/summary grey
    "--md-footer-fg-color--lighter": "--tic-footer-bg",  # the footer's copyright and as-of line
    "--md-footer-fg-color--light": "--tic-footer-bg",
    "--md-code-hl-number-color": "--tic-code-bg",
    "--md-code-hl-constant-color": "--tic-code-bg",
    "--md-accent-fg-color": "--tic-page-bg",  # links on hover and focus
}
# Focus rings (WCAG 1.4.11, user-interface components: 3:1) on what surrounds them.
FOCUS_PAIRS = {
    "--tic-focus-fg": "--tic-page-bg",
    "--tic-focus-on-primary-fg": "--tic-primary-bg",
    "--tic-focus-on-footer-fg": "--tic-footer-bg",
}
TEXT = 4.5


def _block(selector: str) -> dict[str, str]:
    start = CSS.index(selector + " {")
    body = CSS[start + len(selector) + 2 : CSS.index("}", start)]
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    return dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", body))


def _scheme(name: str) -> dict[str, str]:
    light = _block(LIGHT)
    return light if name == "light" else {**light, **_block(DARK)}


def _rgba(value: str, props: dict[str, str]) -> tuple[float, float, float, float]:
    value = value.strip()
    ref = re.fullmatch(r"var\((--[\w-]+)\)", value)
    if ref:
        return _rgba(props[ref.group(1)], props)
    m = re.fullmatch(r"#([0-9a-fA-F]{6})([0-9a-fA-F]{2})?", value)
    assert m, f"site.css colour tokens are #rrggbb or #rrggbbaa (or var() of one): {value!r}"
    rgb = [int(m.group(1)[i : i + 2], 16) for i in (0, 2, 4)]
    alpha = int(m.group(2), 16) / 255 if m.group(2) else 1.0
    return rgb[0], rgb[1], rgb[2], alpha


def _over(fg: tuple[float, float, float, float], bg: tuple[float, float, float, float]) -> tuple[float, ...]:
    assert bg[3] == 1.0, "a background token must be opaque"
    return tuple(fg[3] * f + (1 - fg[3]) * b for f, b in zip(fg[:3], bg[:3]))


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str, props: dict[str, str]) -> float:
    back = _rgba(bg, props)
    front = _over(_rgba(fg, props), back)
    hi, lo = sorted((_luminance(front), _luminance(back[:3])), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _pairs(props: dict[str, str]) -> list[tuple[str, str]]:
    pairs = []
    for name in props:
        if name.startswith("--tic-") and name.endswith("-fg"):
            bg = name[: -len("-fg")] + "-bg"
            pairs.append((name, bg if bg in props else "--tic-page-bg"))
    pairs += [(fg, bg) for fg, bg in MATERIAL_PAIRS.items() if fg in props]
    return pairs


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_colour_pair_has_aa_contrast(scheme: str) -> None:
    props = _scheme(scheme)
    pairs = _pairs(props)
    assert len(pairs) >= 15, "site.css lost its colour tokens"
    low = {
        f"{fg} on {bg}": round(ratio, 2)
        for fg, bg in pairs
        if (ratio := contrast(props[fg], props[bg], props)) < TEXT and fg not in FOCUS_PAIRS
    }
    assert not low, f"{scheme}: contrast below {TEXT}:1: {low}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_ring_stands_out_from_the_page(scheme: str) -> None:
    props = _scheme(scheme)
    low = {
        f"{fg} on {bg}": round(r, 2)
        for fg, bg in FOCUS_PAIRS.items()
        if (r := contrast(props[fg], props[bg], props)) < 3
    }
    assert not low, f"{scheme}: focus ring below 3:1: {low}"


def test_rules_use_tokens_not_literal_colours() -> None:
    """Outside the token blocks and print (black on white), no rule names a colour."""
    screen = CSS.split("@media print")[0]
    for selector in (LIGHT, DARK):
        start = screen.index(selector + " {")
        screen = screen[:start] + screen[screen.index("}", start) + 1 :]
    literal = re.findall(r"[^-\w](#[0-9a-fA-F]{3,8}|rgba?\([^)]*\))", re.sub(r"/\*.*?\*/", "", screen, flags=re.S))
    assert literal == [], f"colours outside the tokens in site.css: {literal}"


def test_contrast_formula() -> None:
    props = {"--w": "#ffffff", "--k": "#000000", "--g": "#767676", "--half": "#00000080"}
    assert round(contrast("#000000", "#ffffff", props), 1) == 21.0
    assert round(contrast("var(--g)", "var(--w)", props), 2) == 4.54  # the classic AA grey
    assert 3.9 < contrast("var(--half)", "var(--w)", props) < 4.1  # 50% black over white = #808080
