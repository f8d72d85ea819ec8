"""A picture of an issue form for the contributors' guide: the form's fields as HTML, like GitHub shows them.

The guide (docs/contribute.md) shows officers what they will see; GitHub's own page cannot be
captured offline, so the form is drawn from its YAML here, optionally with sample answers,
and `python -m generator.issues.mock [OUTDIR]` saves PNG screenshots with Playwright's
Chromium (CHROMIUM_PATH names the browser binary; docs/assets/forms/ by default), together
with the workflow's reply to the sample form, made by running `from-issue` on a copy of
the sample registry. Answers are escaped like every other text of a form.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]
import yaml
from markupsafe import Markup, escape

from generator.issues.forms import FORMS_DIR

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; margin: 0; background: #fff; color: #1f2328; }
.page { width: 760px; padding: 24px; }
.title { font-size: 20px; font-weight: 600; margin-bottom: 4px; }
.about { color: #59636e; font-size: 14px; margin-bottom: 16px; }
.field { margin: 18px 0; }
label { display: block; font-weight: 600; font-size: 14px; margin-bottom: 4px; }
.req { color: #d1242f; }
.help { color: #59636e; font-size: 12px; margin-bottom: 6px; }
.box { border: 1px solid #d1d9e0; border-radius: 6px; padding: 6px 10px; font-size: 14px; min-height: 20px;
       white-space: pre-wrap; background: #f6f8fa; }
.box.empty { color: #818b98; }
.select::after { content: " ▾"; color: #59636e; }
.note { font-size: 14px; border-left: 3px solid #d1d9e0; padding-left: 12px; color: #3d444d; }
.check { font-size: 14px; }
.bar { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 24px; font-size: 13px; color: #59636e; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; margin: 24px; }
.comment .head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; font-size: 14px; }
.comment .body { padding: 8px 16px; font-size: 14px; }
.comment table { border-collapse: collapse; } .comment td, .comment th { border: 1px solid #d1d9e0; padding: 4px 8px; }
.comment pre { background: #f6f8fa; padding: 8px; white-space: pre-wrap; }
"""


def _page(title: str, inner: str) -> str:
    return (
        f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style><body>{inner}</body></html>"
    )


def form_html(form: dict[str, Any], answers: dict[str, str] | None = None) -> str:
    """The form as GitHub lays it out: its name, then each field with its label, help and value."""
    answers = answers or {}
    parts = [
        Markup('<div class="bar">新建议题 · 选择表单：{}</div><div class="page">').format(form["name"]),
        Markup('<div class="title">{}</div><div class="about">{}</div>').format(form["name"], form["description"]),
        Markup(
            '<div class="field"><label>标题 <span class="req">*</span></label><div class="box">{}</div></div>'
        ).format(form.get("title", "")),
    ]
    for item in form["body"]:
        attributes = item.get("attributes", {})
        if item["type"] == "markdown":
            html = markdown.markdown(attributes["value"])  # our own text, from the form
            parts.append(Markup('<div class="note">{}</div>').format(Markup(html)))
            continue
        required = item.get("validations", {}).get("required", False)
        star = Markup(' <span class="req">*</span>') if required else ""
        parts.append(Markup('<div class="field"><label>{}{}</label>').format(attributes["label"], star))
        if attributes.get("description"):
            parts.append(Markup('<div class="help">{}</div>').format(attributes["description"]))
        if item["type"] == "checkboxes":
            for option in attributes["options"]:
                parts.append(Markup('<div class="check">☑ {}</div>').format(option["label"]))
        else:
            value = answers.get(item["id"], "")
            shown = value or attributes.get("placeholder", "") or ("请选择" if item["type"] == "dropdown" else "")
            classes = "box" + (" select" if item["type"] == "dropdown" else "") + ("" if value else " empty")
            parts.append(Markup('<div class="{}">{}</div>').format(classes, shown))
        parts.append(Markup("</div>"))
    parts.append(Markup("</div>"))
    return _page(form["name"], "".join(parts))


def comment_html(comment_markdown: str, author: str = "github-actions") -> str:
    """The workflow's reply as an issue comment. Only for replies this module produced from the
    sample registry (`main`): Python-Markdown passes raw HTML through."""
    body = markdown.markdown(comment_markdown, extensions=["tables", "fenced_code"])
    inner = Markup('<div class="comment"><div class="head"><b>{}</b> 回复</div><div class="body">{}</div></div>')
    return _page("评论", inner.format(author, Markup(body)))


def load_form(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((FORMS_DIR / name).read_text(encoding="utf-8"))
    return data


def screenshot(pages: dict[str, str], folder: Path) -> None:
    """PNG screenshots of HTML pages (name → HTML) with Playwright's Chromium."""
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM_PATH") or None)
        page = browser.new_page(viewport={"width": 808, "height": 600}, device_scale_factor=1)
        for name, html in pages.items():
            page.set_content(html)
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        browser.close()


def _sample_reply(answers: dict[str, str]) -> str:
    """What the workflow replies to the sample assessment form, run on a copy of the sample registry."""
    import datetime as dt
    import io
    import json
    import shutil
    import tempfile

    from openpyxl import Workbook  # type: ignore[import-untyped]

    from generator.issues.command import run
    from generator.issues.forms import load_forms

    book = Workbook()
    book.active.append(["序号", "中心名称", "年度", "等次"])
    book.active.append([1, "忻州市样例智慧农牧技术创新中心", 2026, "优秀"])
    book.active.append([2, "忻州市示例功能杂粮技术创新中心", 2026, "良好"])
    data = io.BytesIO()
    book.save(data)
    form = next(f for f in load_forms() if f.file == "import-assessment.yml")
    body = "\n\n".join(
        f"### {field.label}\n\n"
        + (
            "\n".join(f"- [X] {o}" for o in field.options)
            if field.type == "checkboxes"
            else answers.get(field.id) or "_No response_"
        )
        for field in form.fields
    )
    with tempfile.TemporaryDirectory() as tmp:
        registry = Path(tmp) / "registry"
        shutil.copytree(FORMS_DIR.parents[1] / "registry", registry)
        event = Path(tmp) / "event.json"
        event.write_text(json.dumps({"issue": {"number": 12, "body": body}}), encoding="utf-8")
        run(registry, event, Path(tmp) / "out", dt.date(2027, 4, 1), fetch=lambda url: data.getvalue())
        return (Path(tmp) / "out" / "comment.md").read_text(encoding="utf-8")


def main(argv: list[str]) -> int:
    """Screenshots of the guide's forms and of the workflow's reply, with the guide's sample answers."""
    folder = Path(argv[0]) if argv else Path("docs/assets/forms")
    assessment = {
        "document_number": "忻科发〔2027〕8号",
        "date": "2027-03-20",
        "year": "2026",
        "table": "[2026年度考核结果.xlsx](https://github.com/user-attachments/files/123456/kaohe.xlsx)",
    }
    pages = {
        "import-assessment": form_html(load_form("import-assessment.yml"), assessment),
        "propose-record": form_html(load_form("propose-record.yml")),
        "report-error": form_html(load_form("report-error.yml")),
        "reply": comment_html(_sample_reply(assessment)),
    }
    screenshot(pages, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
