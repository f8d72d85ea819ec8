"""Fixtures shared by the test modules; the helpers behind them are in tests/support.py.

Every test that changes a record works on a copy of ``registry/`` under ``tmp_path``; the
repository's own registry is never written. Findings are shown relative to ``tmp_path``, so
a center reads ``registry/centers/<id>.yaml`` exactly as it does in the repository.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.derive.facts import RegistryFacts, derive
from generator.records.model import Registry as Records
from generator.render.opendata.plan import render_open_data
from generator.validate.registry import validate_registry
from tests.support import AS_OF, ROOT, SAMPLE_REGISTRY, Registry, SiteBuildError, build_sample_site


@pytest.fixture
def registry_copy(tmp_path: Path) -> Path:
    """A copy of the repository's registry/ at tmp_path/registry; returns that folder."""
    target = tmp_path / "registry"
    shutil.copytree(SAMPLE_REGISTRY, target)
    return target


@pytest.fixture
def reg(registry_copy: Path) -> Registry:
    """The copied registry with helpers to change and validate it."""
    return Registry(registry_copy.parent)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The sample site as ``python -m generator build --site --as-of 2026-11-27`` builds it
    (once per test process; the browser, offline-asset and link tests share it)."""
    try:
        return build_sample_site()
    except SiteBuildError as exc:
        pytest.fail(str(exc), pytrace=False)


# --- the sample registry's facts and open data, once per module that asks -----------------------


@pytest.fixture(scope="module")
def records() -> Records:
    return validate_registry(ROOT / "registry", ROOT).registry


@pytest.fixture(scope="module")
def facts(records: Records) -> RegistryFacts:
    return derive(records, AS_OF)


@pytest.fixture(scope="module")
def files(facts: RegistryFacts) -> dict[str, bytes]:
    return render_open_data(facts)
