"""Build the site once per test process, for the browser and offline-asset tests.

Contract with the generator: ``python -m generator build --site --as-of YYYY-MM-DD
[--registry DIR]`` run in the repository root writes the generated pages into docs/ and
builds ``site/`` (``mkdocs build --strict``). We snapshot ``site/`` into a temporary
directory right after the build, under a file lock, so that pytest-xdist workers and
builds of other registries cannot change a site a test is looking at.

Environment:
  TIC_TEST_SITE_DIR  use this already built site directory instead of building
  TIC_TEST_REGISTRY  build from this prepared registry instead of a copy of registry/
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-27"
BUILD_TIMEOUT = 900

_cache: dict[tuple[str, str], Path] = {}
_tmpdirs: list[str] = []


class SiteBuildError(RuntimeError):
    pass


def _tmpdir(prefix: str) -> Path:
    path = tempfile.mkdtemp(prefix=prefix)
    _tmpdirs.append(path)
    return Path(path)


@atexit.register
def _cleanup() -> None:
    for path in _tmpdirs:
        shutil.rmtree(path, ignore_errors=True)


def build_site(registry: Path | None = None, as_of: str = AS_OF) -> Path:
    """Return a directory holding the built site (built at most once per arguments)."""
    prebuilt = os.environ.get("TIC_TEST_SITE_DIR")
    if prebuilt:
        site = Path(prebuilt).resolve()
        if not (site / "index.html").is_file():
            raise SiteBuildError(f"TIC_TEST_SITE_DIR={prebuilt} has no index.html")
        return site
    if registry is None and os.environ.get("TIC_TEST_REGISTRY"):
        registry = Path(os.environ["TIC_TEST_REGISTRY"])
    key = (str(registry.resolve()) if registry else "", as_of)
    if key in _cache:
        return _cache[key]

    if registry is None:
        # A copy, so that nothing a test or the build does can touch the real records.
        registry = _tmpdir("tic-registry-") / "registry"
        shutil.copytree(ROOT / "registry", registry)

    cmd = [sys.executable, "-m", "generator", "build", "--site", "--as-of", as_of, "--registry", str(registry)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")
    env.pop("TIC_SKIP_GENERATE", None)
    lock_path = Path(tempfile.gettempdir()) / f"tic-site-build-{os.getuid()}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time in ROOT (xdist workers)
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
        if proc.returncode != 0:
            raise SiteBuildError(
                f"site build failed (exit {proc.returncode}): {' '.join(cmd)}\n"
                f"--- stdout ---\n{proc.stdout[-6000:]}\n--- stderr ---\n{proc.stderr[-6000:]}"
            )
        built = ROOT / "site"
        if not (built / "index.html").is_file():
            raise SiteBuildError(f"build succeeded but {built}/index.html is missing\n{proc.stderr[-3000:]}")
        snapshot = _tmpdir("tic-site-") / "site"
        shutil.copytree(built, snapshot)
    _cache[key] = snapshot
    return snapshot
