"""What record text may hold, and how text is shown where a character could forge output.

Records are written by semi-trusted people and shown in terminals, CI logs, job summaries
and web pages. A control character (ESC starts terminal sequences, CR overwrites a line,
NUL ends a C string), a line separator, or a bidirectional override (it makes text read in
another order than it is stored: "Trojan Source") can make a value look like something it
is not; a zero-width character makes two names that look the same differ. The loader
refuses all of them in record values however they are written (`forbidden`), and every
place that prints text escapes whatever could still reach it (`for_terminal`, `quoted`).
"""

from __future__ import annotations

import re

#: C0 controls except LF, DEL, C1 controls, the line and paragraph separators (a newline to
#: JavaScript and some terminals), lone surrogates (from a "\ud800" escape; not encodable)
#: and the two noncharacters of the BMP's last block.
CONTROL = "\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"
#: Bidirectional embeddings, overrides and isolates, and the implicit direction marks.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: Characters that take no width: two names differing only by one of them look the same.
ZERO_WIDTH = "\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff"

_CONTROL = re.compile(f"[{CONTROL}]")
_BIDI = re.compile(f"[{BIDI}]")
_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]")
_UNSAFE = re.compile(f"[\n{CONTROL}{BIDI}{ZERO_WIDTH}]")
_UNSAFE_KEEP_NEWLINE = re.compile(f"[{CONTROL}{BIDI}{ZERO_WIDTH}]")
#: A line that a GitHub runner would read as a workflow command (`::name ...::`, after
#: spaces), or that would close a fenced block of the job summary (~~~ or ```).
_COMMAND_LINE = re.compile(r"^([ \t]*)(::|~~~|```)", re.MULTILINE)

QUOTE_LIMIT = 60  # characters of a value quoted in a message


def forbidden(value: str) -> tuple[str, int] | None:
    """(rule id, offset) of the first character a record value must not hold, or None.

    `text.control` for controls (LF is text: a block scalar's lines), `text.bidi` for
    direction controls, `text.zero-width` for invisible characters.
    """
    found = _UNSAFE_KEEP_NEWLINE.search(value)
    if found is None:
        return None
    char = found.group()
    if _CONTROL.match(char):
        return "text.control", found.start()
    if _BIDI.match(char):
        return "text.bidi", found.start()
    return "text.zero-width", found.start()


def describe(char: str) -> str:
    """A character named so that a reader sees it: `U+202E`."""
    return f"U+{ord(char):04X}"


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"


def escape(text: str) -> str:
    """One line of plain text: newlines, controls, direction and zero-width characters escaped."""
    return _UNSAFE.sub(_escape_char, text) if _UNSAFE.search(text) else text


def for_terminal(text: str) -> str:
    """Text for a terminal or a CI log, newlines kept: nothing can move the cursor, recolour,
    reorder a line, start a line with `::` (a GitHub workflow command) or close a fence."""
    if _UNSAFE_KEEP_NEWLINE.search(text):
        text = _UNSAFE_KEEP_NEWLINE.sub(_escape_char, text)
    return _COMMAND_LINE.sub(r"\1\\\2", text)


def escape_json(document: str) -> str:
    """A JSON document with every unsafe character (they can only be inside strings) as a
    \\u escape: the same values for a parser, nothing a terminal would act on."""
    if not _UNSAFE_KEEP_NEWLINE.search(document):
        return document
    return _UNSAFE_KEEP_NEWLINE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message quotes it: on one line, escaped, and at most `limit` characters."""
    text = escape(value if isinstance(value, str) else str(value))
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
