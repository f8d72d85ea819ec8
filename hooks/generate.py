"""MkDocs hook: regenerate docs/ from registry/ before every build, for `mkdocs serve`.

The generation itself lives in ``generator`` (``python -m generator build`` runs it on
its own, then runs ``mkdocs build`` with ``TIC_SKIP_GENERATE=1`` so it is not done twice).
This hook only

* on_config: reads registry/registry.yaml and puts ``extra.registry`` =
  ``{sample_data, sample_notice, as_of, title, publisher, license}`` into the config, for
  the sample-data banner and the "数据截至" footer in overrides/main.html;
* on_pre_build: calls ``generator.cli.generate_docs`` unless ``TIC_SKIP_GENERATE=1``, and
  turns ``generator.cli.BuildFailed`` into a ``PluginError`` so ``mkdocs serve`` shows the
  findings instead of a traceback;
* on_serve: watches registry/ so that editing a record rebuilds the preview.

``TIC_AS_OF=YYYY-MM-DD`` fixes the "as of" date (tests, reproducible builds); otherwise
it is today in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from mkdocs.exceptions import PluginError

log = logging.getLogger("mkdocs.hooks.generate")

ROOT = Path(__file__).resolve().parent.parent
# `python -m generator build --site --registry DIR` passes its registry on to this hook.
REGISTRY = Path(os.environ.get("TIC_REGISTRY") or ROOT / "registry").resolve()
SETTINGS = REGISTRY / "registry.yaml"
TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_SAMPLE_NOTICE = "本站数据为演示样例，不是真实的技术创新中心记录。"


def _skip_generate() -> bool:
    return os.environ.get("TIC_SKIP_GENERATE", "").strip() == "1"


def _as_of() -> _dt.date:
    value = os.environ.get("TIC_AS_OF", "").strip()
    if value:
        try:
            return _dt.date.fromisoformat(value)
        except ValueError as exc:
            raise PluginError(f"TIC_AS_OF 必须是 YYYY-MM-DD 格式的日期，收到 {value!r}") from exc
    return _dt.datetime.now(TZ).date()


def _read_settings() -> dict:
    """registry/registry.yaml as a dict; {} when missing or unreadable.

    A broken settings file is reported properly by the generator's validation (with line
    numbers); here we only need the banner fields and must not fail first with a worse
    message.
    """
    try:
        data = yaml.safe_load(SETTINGS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        log.debug("cannot read %s: %s", SETTINGS, exc)
        return {}
    return data if isinstance(data, dict) else {}


def on_config(config, **kwargs):
    settings = _read_settings()
    sample_data = settings.get("sample_data") is True
    notice = settings.get("sample_notice")
    if not isinstance(notice, str) or not notice.strip():
        notice = DEFAULT_SAMPLE_NOTICE
    registry = dict(config.extra.get("registry") or {})
    registry.update(
        sample_data=sample_data,
        sample_notice=notice.strip(),
        as_of=_as_of().isoformat(),
        title=settings.get("title") if isinstance(settings.get("title"), str) else None,
        publisher=settings.get("publisher") if isinstance(settings.get("publisher"), str) else None,
        license=settings.get("license") if isinstance(settings.get("license"), str) else None,
    )
    config.extra["registry"] = registry
    return config


def on_pre_build(config, **kwargs):
    if _skip_generate():
        return
    # MkDocs imports hooks by file path and restores sys.path afterwards; the `mkdocs`
    # script's sys.path[0] is the venv's bin/, so make the repository importable here.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        from generator import cli
    except ImportError as exc:
        raise PluginError(f"无法导入生成器（generator.cli）：{exc}") from exc
    try:
        cli.generate_docs(registry=REGISTRY, as_of=_as_of())
    except cli.BuildFailed as exc:
        raise PluginError(str(exc)) from None


def on_serve(server, config, builder, **kwargs):
    if REGISTRY.is_dir():
        server.watch(str(REGISTRY))
    return server
