"""`python -m generator fmt`: every registry file in the canonical layout (records/canonical.py).

Which files: the record files of the registry folder (as the validator reads them), or the
ones named on the command line, which must be record files inside that folder. A file the
reader cannot read is reported, never rewritten; a symbolic link is never followed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from generator.exits import CommandError, UsageError
from generator.records.canonical import CannotFormat, canonical, replace_text
from generator.records.load import MAX_BYTES, record_files
from generator.rules.findings import format_text

FIX = "python -m generator fmt"


@dataclass
class Formatted:
    """What `fmt` found: files not in the canonical layout (rewritten unless checking) and unreadable ones."""

    checked: int = 0
    changed: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # one line each: the file and why

    def failed(self, check: bool) -> bool:
        return bool(self.unreadable or (check and self.changed))

    def lines(self, check: bool) -> list[str]:
        out = [f"无法规范格式：{line}" for line in self.unreadable]
        if check:
            out += [f"{path}：不是规范格式" for path in self.changed]
            if self.changed:
                named = " ".join(self.changed) if len(self.changed) <= 5 else ""
                out.append(
                    f"{len(self.changed)} 个文件不是规范格式（键的顺序、事件的日期顺序、引号或缩进）。"
                    f"改正：运行 {f'{FIX} {named}'.rstrip()}（注释会保留），检查改动后提交。"
                )
            else:
                out.append(f"{self.checked} 个文件均为规范格式。")
        else:
            out += [f"已改写：{path}" for path in self.changed]
            out.append(f"{self.checked} 个文件，改写 {len(self.changed)} 个。")
        return out


def _shown(path: Path) -> str:
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _selected(registry: Path, paths: list[Path]) -> list[tuple[Path, str]]:
    files = list(record_files(registry))
    if not paths:
        return files
    kinds = {file.absolute(): kind for file, kind in files}
    out, strangers = [], []
    for path in paths:
        kind = kinds.get(path.absolute())
        if kind is None:
            strangers.append(str(path))
        else:
            out.append((path, kind))
    if strangers:
        raise UsageError(f"这些不是名录目录 {registry} 中的记录文件：{'、'.join(strangers)}")
    return out


def format_files(registry: Path, paths: list[Path], write: bool) -> Formatted:
    """Put the selected files in the canonical layout (or only find those that are not)."""
    result = Formatted()
    for path, kind in _selected(registry, paths):
        shown = _shown(path)
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                result.unreadable.append(f"{shown}：不是普通文件（符号链接或文件夹），未处理")
                continue
            if info.st_size > MAX_BYTES:
                result.unreadable.append(f"{shown}：文件超过 1 MiB，未处理")
                continue
            raw = path.read_bytes()
        except OSError as exc:
            result.unreadable.append(f"{shown}：无法读取：{exc.strerror or exc}")
            continue
        result.checked += 1
        try:
            text = canonical(raw, kind, shown)
        except CannotFormat as exc:
            details = [format_text(f) for f in exc.findings] or [f"{shown}：{exc}"]
            result.unreadable += details
            continue
        if text.encode("utf-8") != raw:
            result.changed.append(shown)
            if write:
                try:
                    replace_text(path, text)
                except OSError as exc:
                    raise CommandError(f"无法写入 {shown}：{exc}") from None
    return result
