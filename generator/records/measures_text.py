"""The published text of a measures record, read into its parts.

The text is recorded line by line exactly as published (registry/measures/<id>.yaml,
`text`): the notice that issued it, its chapters (第N章) and articles (第N条) with their
paragraphs, and the closing line (…印发). The site prints it with an anchor per article
(render/site/articles.py); `diff` compares two versions article by article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CHAPTER_LINE = re.compile(r"^第[一二三四五六七八九十]+章[\s\u00a0\u3000]")
_ARTICLE_LINE = re.compile(r"^(第[一二三四五六七八九十百零〇]+条)[\s\u00a0\u3000]*(.*)$", re.DOTALL)
_COLOPHON = re.compile(r"印发\s*$")


@dataclass(frozen=True)
class Article:
    anchor: str  # 第十二条, as the text writes it
    paragraphs: tuple[str, ...]  # the first without its number


@dataclass(frozen=True)
class Chapter:
    title: str  # 第三章  建设, as written
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class MeasuresText:
    """The published text in its parts; every non-empty line of it is in exactly one part."""

    preamble: tuple[str, ...]  # the issuing notice, before the first chapter
    chapters: tuple[Chapter, ...]
    colophon: tuple[str, ...]  # the closing line(s): issuer and date of printing

    @property
    def anchors(self) -> tuple[str, ...]:
        return tuple(a.anchor for c in self.chapters for a in c.articles)


def parse(lines: tuple[str, ...]) -> MeasuresText:
    """The parts of a text recorded line by line; blank lines only separate paragraphs."""
    preamble: list[str] = []
    chapters: list[tuple[str, list[tuple[str, list[str]]]]] = []
    colophon: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        if _CHAPTER_LINE.match(line):
            chapters.append((line.strip(), []))
            continue
        article = _ARTICLE_LINE.match(line.strip())
        if chapters and article:
            chapters[-1][1].append((article.group(1), [article.group(2).strip()]))
        elif chapters and chapters[-1][1] and not colophon and not _COLOPHON.search(line):
            chapters[-1][1][-1][1].append(line.strip())
        elif chapters:
            colophon.append(line.strip())
        else:
            preamble.append(line.strip())
    return MeasuresText(
        tuple(preamble),
        tuple(Chapter(title, tuple(Article(a, tuple(p)) for a, p in arts)) for title, arts in chapters),
        tuple(colophon),
    )
