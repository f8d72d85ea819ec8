"""Personal mobile numbers and ID card numbers, however a person happens to write them.

People copy numbers from forms and chat: full-width digits (１３８…), a mix of widths,
groups split by spaces, dots, dashes, no-break or ideographic spaces (138 1234 5678,
138．1234．5678), a +86 or 0086 prefix, an 18-digit ID card number in groups, or the old
15-digit one. And officials write long numbers every day that are none of these: amounts
(总投资13500000000元), URLs, serial numbers, credit codes, office phones (0350-3030206).

So the text is normalised (NFKC: full-width digits and spaces become ASCII ones) and cut
into number tokens: digits with at most three separators between neighbours (" - "), not glued to
a letter (a code such as SN13812345678 or a credit code is one word, not a number), with
URLs taken out first. Within a token every run of whole groups of three or more digits is
a candidate (so "0350-3030206 13812345678" still shows its mobile number). A candidate is

* a mobile number: 11 digits 1[3-9]xxxxxxxxx (after a +86/0086/86 prefix, if any), not
  an amount (a currency sign before it, or a unit such as 元, 万, 吨, % after it);
* an ID card number: 18 characters with a valid province, a real birth date from 1900 on
  and the ISO 7064 MOD 11-2 check character, or 15 digits with a valid province and a
  real 19YYMMDD birth date (no check digit exists: an amount or a serial number, by its
  unit or a word such as 序列号 before it, is not one).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator

MOBILE, ID_CARD = "mobile", "id_card"

# After NFKC (which makes U+3000, NBSP and full-width forms plain), what may split groups.
_SEP = "[ \\-.\u2010-\u2015\u2212\u00b7\u30fb]"
_SEPS = re.compile(f"{_SEP}+")
_TOKEN = re.compile(f"(?<![0-9A-Za-z])[0-9](?:{_SEP}{{0,3}}[0-9])*(?:{_SEP}{{0,3}}[Xx])?(?![0-9A-Za-z])")
#: Where a number of 11 or more digits may be: digits with up to three separators between.
_LONG = re.compile(f"[0-9](?:{_SEP}{{0,3}}[0-9]){{10}}")
#: The quick test of a whole text, true wherever a candidate (below) could be: every one
#: starts with a digit 1-9 (a 0086 prefix is followed by one) and then has ten more digits
#: in a row, or eleven more digits and separators (an office phone such as 0350-3030206
#: has neither). Simple runs of one class: much quicker to search than `_LONG`.
_QUICK = re.compile(f"[1-9](?:[0-9]{{10}}|(?:[0-9]|{_SEP}){{11}})")
_TOKEN_CHARS = frozenset("0123456789Xx -.\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00b7\u30fb")
_URL = re.compile(r"""(?:https?|ftp)://[^\s"'<>\0]+|www\.[^\s"'<>\0]+""", re.IGNORECASE)
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_UNIT_AFTER = re.compile(
    r"\s*(?:[元万亿千百%‰吨台套件个人次项亩株头只辆批条]|平方|立方|米|公[里斤顷]|千[瓦克]|兆瓦|"
    r"(?:kW|MW|GW|kWh|kg|km|m2|m³|t)(?![A-Za-z]))"
)
_MONEY_BEFORE = re.compile(r"(?:[¥$€£]|RMB|CNY|人民币)\s*$")
_SERIAL_BEFORE = re.compile(r"(?:序列号|出厂编号|设备编号|机身号|SN|S/N|IMEI|MEID|MAC)[\s:：#]*$", re.IGNORECASE)
_PROVINCES = frozenset(  # the first two digits: 11 北京 … 65 新疆, 71 台湾, 81 香港, 82 澳门, 83 台湾居民, 91 外国人
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43"}
    | {"44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83", "91"}
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECKS = "10X98765432"


def id_check(first17: str) -> str:
    """The 18th character of a resident ID card number (GB 11643, ISO 7064 MOD 11-2)."""
    return _ID_CHECKS[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def is_id_card(chars: str) -> bool:
    """An 18-character or a 15-digit ID card number, by province, birth date and check."""
    if chars[:2] not in _PROVINCES:
        return False
    if len(chars) == 18 and chars[:17].isdigit():
        year, month, day = int(chars[6:10]), int(chars[10:12]), int(chars[12:14])
        return 1900 <= year <= 2099 and _real_date(year, month, day) and id_check(chars[:17]) == chars[17].upper()
    if len(chars) == 15 and chars.isdigit():
        return _real_date(1900 + int(chars[6:8]), int(chars[8:10]), int(chars[10:12]))
    return False


def _mobile(digits: str) -> bool:
    for prefix in ("0086", "86"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return len(digits) == 11 and _MOBILE.fullmatch(digits) is not None


def find(text: str) -> str | None:
    """MOBILE or ID_CARD for the first personal number in `text`, else None.

    Most texts hold no run of 11 digits (or only an office phone): one quick search says
    so, and otherwise only the tokens around each run of 11 digits are read. A number inside a URL is
    part of the address; URLs are looked for only once a number would count.
    """
    text = unicodedata.normalize("NFKC", text)  # full-width digits and letters, ¥, spaces, …
    if _QUICK.search(text) is None:
        return None
    urls: list[tuple[int, int]] | None = None
    done = 0
    for run in _LONG.finditer(text):
        if run.end() <= done:
            continue
        start = run.start()
        while start > 0 and text[start - 1] in _TOKEN_CHARS:  # back to where its token starts
            start -= 1
        for token in _TOKEN.finditer(text, start):
            if token.start() >= run.end():
                break
            done = token.end()
            kind = _classify(text, token)
            if kind is None:
                continue
            if urls is None:
                urls = [m.span() for m in _URL.finditer(text)] if "://" in text or "ww." in text.lower() else []
            if not any(a <= token.start() < b for a, b in urls):
                return kind
    return None


def _classify(text: str, token: re.Match[str]) -> str | None:
    groups = _SEPS.split(token.group())
    if groups[-1] in ("X", "x") and len(groups) > 1:  # "… 123 X": the check character on its own
        groups[-2:] = [groups[-2] + groups[-1]]
    start, end = token.span()
    quantity = _UNIT_AFTER.match(text, end) is not None or _MONEY_BEFORE.search(text[max(0, start - 8) : start])
    serial = _SERIAL_BEFORE.search(text[max(0, start - 12) : start]) is not None
    for i, j in _runs(groups):
        chars = "".join(groups[i:j])
        at_end = all(len(group) < 3 for group in groups[j:])  # nothing after it but decimals
        if len(chars) == 18 and is_id_card(chars):
            return ID_CARD
        if (quantity and at_end) or serial:
            continue
        if len(chars) == 15 and is_id_card(chars):
            return ID_CARD
        if chars.isdigit() and _mobile(chars):
            return MOBILE
    return None


def _runs(groups: list[str]) -> Iterator[tuple[int, int]]:
    """(i, j) for every run groups[i:j] of 11 to 18 characters whose groups are 3 or longer
    (a lone prefix such as 86, or the 2 decimals of an amount, is no part of a number)."""
    if len(groups) == 1:
        if 11 <= len(groups[0]) <= 18:
            yield 0, 1
        return
    for i in range(len(groups)):
        size = 0
        for j in range(i, len(groups)):
            if len(groups[j]) < 3:
                break
            size += len(groups[j])
            if size > 18:
                break
            if size >= 11:
                yield i, j + 1
