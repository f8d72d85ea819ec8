"""validate_registry leaves the interpreter as it found it."""

from __future__ import annotations

import gc
from typing import Any

from generator.validate.registry import validate_registry


def test_the_garbage_collector_is_paused_only_while_validating(reg: Any) -> None:
    assert gc.isenabled()
    validate_registry(reg.dir, reg.root)
    assert gc.isenabled()
    gc.disable()
    try:
        validate_registry(reg.dir, reg.root)
        assert not gc.isenabled()
    finally:
        gc.enable()
