"""Links that lead somewhere else than they seem to: what `link.deceptive` refuses.

Kept apart from the checks because the schema stage words its own "not a URL" message
with the same reason (records/schema.py), so that a link the schema already refuses still
says why.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from generator.rules.text import quoted

#: Fields the site shows as links: what they say must be where they lead.
LINK_KEYS = frozenset({"url", "website", "edit_url", "site_url"})
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff0-9-]+")


def deceptive_link(url: str) -> str | None:
    """Why a link would take a reader elsewhere than it seems to, or None when it would not.

    `https://官方域名@evil.example/` opens evil.example (what comes before @ is a user
    name); a backslash is a slash to browsers; a raw international host, or an xn-- host
    that decodes to letters other than Chinese characters, can imitate an official
    domain; a numeric host is an address nobody can check by reading it.
    """
    if any(c.isspace() for c in url) or "\\" in url:
        return "网址中不能有空白或反斜杠（浏览器把 \\ 当作 /，实际打开的地址与看到的不同）"
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port
    except ValueError:
        return "不是有效的网址"
    if parts.scheme not in ("http", "https"):
        return "网址须以 http:// 或 https:// 开头"
    if "@" in parts.netloc:
        real = parts.netloc.rpartition("@")[2]
        return f"网址含有“用户名@”：浏览器实际打开的是 {quoted(real)}，而不是 @ 前面看起来像的地址"
    if not host:
        return "网址缺少主机名"
    if not host.isascii():
        return "主机名含有非 ASCII 字符：国际化域名可能冒充相似的官方域名；请使用官方的 ASCII 域名"
    labels = host.removesuffix(".").split(".")
    if ":" in host or labels[-1].isdigit() or labels[-1].startswith("0x"):
        return "网址的主机是 IP 地址；请使用官方域名"
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return f"主机名 {quoted(host)} 不是有效的域名"
    for label in labels:
        if label.startswith("xn--"):
            try:
                decoded = label[4:].encode("ascii").decode("punycode")
            except UnicodeError:
                return f"主机名中的 {quoted(label)} 无法解码"
            if not _HAN.fullmatch(decoded):
                return f"主机名 {quoted(host)} 解码后为“{quoted(decoded)}”，含有汉字以外、可能冒充拉丁字母的字符"
    return None
