"""Shared paths for the tests, and helpers more than one test module needs.

Helpers only one module uses live in that module's test file.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from align.evaluate import parse_beads, read_lines

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "A_77_L.107"
SHARED = ROOT.parent / "shared"
TMX_DTD = SHARED / "spec" / "tmx14.dtd"
BENCH = SHARED / "bench"

if os.environ.get("PYTEST_XDIST_WORKER"):
    # As `align batch` gives its workers: the cores shared out between the processes
    # (`make test` runs two workers on two cores). Two workers each running two BLAS
    # threads on two busy cores encoded several times slower than with one thread each.
    # The CLI runs the tests start inherit it.
    _workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    os.environ.setdefault("ALIGN_ENCODER_THREADS", str(max(1, (os.cpu_count() or 1) // _workers)))


def _font_for(lang: str) -> bool:
    import shutil

    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(
        ["fc-list", f":lang={lang}"], capture_output=True, text=True, check=False
    )
    return bool(found.stdout.strip())


def _office() -> bool:
    from align.readers.office import office_program

    return office_program() is not None


needs_office = pytest.mark.skipif(
    not _office(), reason="LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)"
)
"""For tests that convert documents with LibreOffice."""


def layout_in(lang: str, name: str) -> pytest.MarkDecorator:
    """For tests that have LibreOffice lay out documents in ``lang`` (and English) as PDFs."""
    return pytest.mark.skipif(
        not (_office() and _font_for(lang)),
        reason=f"needs LibreOffice and a {name} font to lay documents out (.ci/run installs both)",
    )


needs_layout = layout_in("zh", "Chinese")
needs_arabic_layout = layout_in("ar", "Arabic")


@pytest.fixture(scope="session")
def embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the whole run (one per xdist worker), for tests that align
    texts other modules align too (A/77/L.107, the start of pol-dev 002) and check what
    comes out, not the cache: each text is encoded once instead of once a module.

    Tests of the cache itself, of running without one, or that compare outputs byte for
    byte across runs (a cached vector leaves its batch, and the encoder's output moves by
    about 1e-7 with the batch) keep a folder of their own."""
    return tmp_path_factory.mktemp("embeddings")


@pytest.fixture
def zh_seed_text() -> str:
    return (CORPUS / "zh.txt").read_text(encoding="utf-8")


@pytest.fixture
def en_text() -> str:
    return (CORPUS / "en.txt").read_text(encoding="utf-8")


def bench_start(
    bench_set: str, doc: str, first_src: int
) -> tuple[list[str], list[str], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """The start of a gold-aligned bench document, cut after the gold bead that reaches
    ``first_src`` source sentences: its zh and en sentences and its gold beads."""
    folder = BENCH / bench_set
    zh = read_lines(folder / "zh" / doc)
    en = read_lines(folder / "en" / doc)
    kept = []
    for src, tgt in parse_beads((folder / "gold" / doc).read_text(encoding="utf-8")):
        kept.append((src, tgt))
        if src and src[-1] + 1 >= first_src:
            break
    n = 1 + max(i for s, _ in kept for i in s)
    m = 1 + max(j for _, t in kept for j in t)
    return zh[:n], en[:m], kept


def run_align(
    *args: str, cache: Path, cwd: Path | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """``python -m align.cli ARGS`` with its own embedding cache, no colour and a wide
    terminal (a message is one line); exit code, stdout and stderr."""
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache), "NO_COLOR": "1", "COLUMNS": "300"}
    return subprocess.run(
        [sys.executable, "-m", "align.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


CAPSH = shutil.which("capsh")


def run_bound_by_modes(
    *args: str, cache: Path, drop: str = "cap_dac_override,cap_dac_read_search"
) -> subprocess.CompletedProcess[str]:
    """:func:`run_align` held to file modes: as root, with ``drop``, the capabilities that
    let root ignore them, dropped (a test skips where root has no capsh)."""
    if os.geteuid() != 0:
        return run_align(*args, cache=cache)
    if CAPSH is None:
        pytest.skip("running as root without capsh: file modes do not bind root")
    command = shlex.join([sys.executable, "-m", "align.cli", *args])
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache), "NO_COLOR": "1", "COLUMNS": "300"}
    return subprocess.run(
        [CAPSH, f"--drop={drop}", "--", "-c", command],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def run_on_terminal(*args: str, env: dict[str, str], timeout: float = 300) -> tuple[int, str, str]:
    """``python -m align.cli ARGS`` with stderr on a pseudo-terminal, as a user at a
    terminal sees it (rich draws its progress bars only there); stdout goes to a file.

    Returns the exit code, stdout and the text drawn on the terminal, without its
    colour and cursor escapes.
    """
    env = {**env, "TERM": "xterm", "COLUMNS": "160"}
    with tempfile.TemporaryFile() as out:
        code, drawn = drawn_on_terminal(*args, env=env, stdout=out, timeout=timeout)
        out.seek(0)
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", drawn)
        return code, out.read().decode(), text


def drawn_on_terminal(
    *args: str, env: dict[str, str], stdout: Any = None, timeout: float = 300
) -> tuple[int, str]:
    """``python -m align.cli ARGS`` with stderr, and stdout unless ``stdout`` is given, on a
    pseudo-terminal: the exit code and what was drawn there, escapes and all."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "align.cli", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave if stdout is None else stdout,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    drawn = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        drawn += chunk
    os.close(master)
    return proc.wait(timeout), drawn.decode(errors="replace")


def nospace(text: str) -> str:
    return "".join(text.split())


def paragraph_documents(root: Path) -> tuple[Path, Path, dict[str, str]]:
    """A stretch of pol-dev laid out as paragraphs of three gold beads, one a line, in
    both languages: the files, and each Chinese paragraph's English one."""
    zh, en, gold = bench_start("pol-dev", "002", 60)
    zh_paras, en_paras = [], []
    pairs = [(s, t) for s, t in gold if s and t]
    for k in range(0, len(pairs) - len(pairs) % 3, 3):
        chunk = pairs[k : k + 3]
        zh_paras.append("".join(zh[i].strip() for s, _ in chunk for i in s))
        en_paras.append(" ".join(en[j].strip() for _, t in chunk for j in t))
    zh_file, en_file = root / "doc.zh.txt", root / "doc.en.txt"
    zh_file.write_text("\n".join(zh_paras) + "\n", encoding="utf-8")
    en_file.write_text("\n".join(en_paras) + "\n", encoding="utf-8")
    return zh_file, en_file, dict(zip(zh_paras, en_paras, strict=True))
