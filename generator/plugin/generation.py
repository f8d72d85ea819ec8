"""The generation step inside MkDocs: when to run it again, and its output as MkDocs files.

A build generates again only when the registry's files or the as-of date changed since
the last good generation; an edit of a hand-written page rebuilds with the same files.
Under `mkdocs serve` a registry with errors keeps the last good generation (the findings
are logged); a one-off build fails with them.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.build import Caches, Generation, generate
from generator.render.site.record_page import record_page_file
from generator.render.site.views import view_page_files
from generator.write.tree import generated_files

RACY_S = 2.0  # a file written this recently may be written again within its timestamps' granularity


class GeneratedFile(File):
    """A generated page or data file, in memory.

    `changed` is what a dirty build (`mkdocs serve --dirty`) asks through `is_modified`:
    whether its bytes, or the frame every page shares (settings, the date), differ from the
    last build's, so one edited record rebuilds a few pages, not every record's.
    """

    changed = True

    def is_modified(self) -> bool:
        return self.changed


def _stats(folder: Path) -> Iterator[tuple[str, int, int, int, int]]:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _stats(Path(entry.path))
            else:
                info = entry.stat(follow_symlinks=False)
                yield entry.path, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def fingerprint(registry: Path) -> tuple[tuple[str, int, int, int, int], ...] | None:
    """Every file of the registry with its size, times and inode; None when that cannot tell
    an edit (a file changed just now, or the folder cannot be read): generate again then."""
    try:
        stats = tuple(sorted(_stats(registry)))
    except OSError:
        return None
    newest = max((max(s[2], s[3]) for s in stats), default=0)
    return None if newest > time.time_ns() - RACY_S * 1e9 else stats


@dataclass(frozen=True)
class Source:
    """What a generation was made from."""

    registry: Path
    repo: Path
    as_of: dt.date
    files: tuple[tuple[str, int, int, int, int], ...] | None


class Generator:
    """The last good generation of this process and the caches that make the next one fast."""

    def __init__(self) -> None:
        self.caches = Caches()
        self.last: Generation | None = None
        self.source: Source | None = None
        self.built: dict[str, bytes] = {}  # the files of the last finished build, for dirty builds
        self.built_frame: str | None = None

    def update(self, registry: Path, repo: Path, as_of: dt.date, cache: bool = True) -> Generation:
        """The generation for this build: the last one if nothing it depends on changed.

        `cache`: keep what makes the next generation fast (a server); a one-off build does
        not, and needs that much less memory. Raises BuildFailed (with the findings) when
        the registry has errors.
        """
        source = Source(registry, repo, as_of, fingerprint(registry))
        if self.last is None or source.files is None or source != self.source:
            self.last = generate(registry, as_of, repo, self.caches if cache else None)
            self.source = source
        return self.last

    def record_pages(self) -> set[str]:
        """The source paths of the record pages of the last generation."""
        if self.last is None:
            return set()
        facts = self.last.facts
        return (
            {record_page_file("centers", c.id) for c in facts.centers}
            | {record_page_file("notices", n.id) for n in facts.notices}
            | view_page_files(facts)
        )

    def add_files(self, files: Files, config: MkDocsConfig, frame: str) -> list[str]:
        """Put the last generation's files into `files`; the addresses a hand-written file holds.

        Files a `python -m generator build` left in docs/ give way (its manifest lists them).
        """
        assert self.last is not None
        leftovers = generated_files(Path(config.docs_dir))
        for file in [f for f in files if f.src_uri in leftovers]:
            files.remove(file)
        taken = {file.dest_uri: file.src_uri for file in files}
        records = self.record_pages()
        clashes = []
        for uri, content in self.last.files.items():
            inclusion = InclusionLevel.NOT_IN_NAV if uri in records else InclusionLevel.UNDEFINED
            file = GeneratedFile.generated(config, uri, content=content, inclusion=inclusion)
            assert isinstance(file, GeneratedFile)
            if file.dest_uri in taken:
                clashes.append(taken[file.dest_uri])
                continue
            file.changed = frame != self.built_frame or self.built.get(uri) != content
            files.append(file)
        return sorted(clashes)

    def forget(self) -> None:
        """Let go of the last generation (a one-off build, once MkDocs has its files): the
        derived facts need not stay in memory while MkDocs builds thousands of pages."""
        self.last = self.source = None

    def finished(self, frame: str) -> None:
        """The build that used the last generation is complete: the next dirty build compares with it."""
        if self.last is not None:
            self.built, self.built_frame = self.last.files, frame
