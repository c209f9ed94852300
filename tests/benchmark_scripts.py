"""Load a script of ``benchmarks/`` (not a package) as a module, for testing its helpers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load(script: str, module: str) -> ModuleType:
    """``benchmarks/<script>.py`` as ``module``, registered in ``sys.modules`` first,
    since its dataclasses look themselves up there."""
    spec = importlib.util.spec_from_file_location(module, BENCHMARKS / f"{script}.py")
    assert spec and spec.loader
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[module] = loaded
    spec.loader.exec_module(loaded)
    return loaded
