"""Shared paths for the tests. Helpers per module live in that module's test file."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "A_77_L.107"
SHARED = ROOT.parent / "shared"
TMX_DTD = SHARED / "spec" / "tmx14.dtd"
BENCH = SHARED / "bench"


@pytest.fixture
def zh_seed_text() -> str:
    return (CORPUS / "zh.txt").read_text(encoding="utf-8")


@pytest.fixture
def en_text() -> str:
    return (CORPUS / "en.txt").read_text(encoding="utf-8")
