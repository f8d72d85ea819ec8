"""The `diff` report as terminal text or as Markdown for a pull request's job summary.

The comparison (generator.diff.compare) only says what changed; the wording and layout live in
templates/diff/. The Markdown goes through markup_env(), so a center name or a notice
title with `|`, `*` or `<script>` stays text in the table it lands in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.render.env import markup_env, text_env

if TYPE_CHECKING:  # only for the annotation; the comparison does not import its report
    from generator.diff.compare import Report

CHANGE_LABELS = {"added": "新增", "removed": "删除", "changed": "变更", "unreadable": "无法读取"}


def format_text(report: Report) -> str:
    return text_env().get_template("diff/report.txt.j2").render(report=report, labels=CHANGE_LABELS)


def format_markdown(report: Report) -> str:
    return markup_env().get_template("diff/report.md.j2").render(report=report, labels=CHANGE_LABELS)
