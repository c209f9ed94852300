"""The embedding cache's size limit (least recently used go first), its use recorded by
every kind of run, an older install sharing it, a cache that cannot be used, and
``align cache``."""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3
import subprocess
import sys
import textwrap
import time
import types
from pathlib import Path

import numpy as np
import pytest
from batch_corpus import write_tiny_corpus
from conftest import run_align, run_bound_by_modes
from test_encoders import CountingEncoder
from typer.testing import CliRunner

from align.batch import BatchOptions, executors, run_batch
from align.cli import app
from align.encoders import CachedEncoder
from align.encoders.cache import (
    DB_NAME,
    DEFAULT_MAX_BYTES,
    FILE_FACTOR,
    cache_limit,
    parse_size,
    stored,
    text_key,
)
from align.errors import AlignError

TESTS = Path(__file__).parent
ALL_OVERRIDES = "cap_dac_override,cap_dac_read_search,cap_fowner"
ROOT = TESTS.parent


def texts(tag: str, n: int = 10) -> list[str]:
    return [f"{tag} sentence {i}" for i in range(n)]


def counters(folder: Path) -> tuple[int, int]:
    with sqlite3.connect(folder / DB_NAME) as db:
        return stored(db)


def actual(folder: Path) -> tuple[int, int]:
    """Rows and their size counted from the table itself, as the triggers should."""
    with sqlite3.connect(folder / DB_NAME) as db:
        rows, size = db.execute(
            "SELECT count(*), coalesce(sum(length(vec) + length(key) + length(model) "
            "+ length(version) + 24), 0) FROM embeddings"
        ).fetchone()
    return rows, int(size * FILE_FACTOR)


def held(folder: Path, items: list[str], model: str = "fake") -> int:
    """How many of ``items`` the cache holds for ``model`` (a look that changes nothing)."""
    keys = [text_key(t) for t in items]
    with sqlite3.connect(folder / DB_NAME) as db:
        return int(
            db.execute(
                f"SELECT count(*) FROM embeddings WHERE model = ? "
                f"AND key IN ({','.join('?' * len(keys))})",
                (model, *keys),
            ).fetchone()[0]
        )


def row_size(folder: Path) -> float:
    rows, size = counters(folder)
    return size / rows


def test_sizes() -> None:
    assert parse_size("500MB") == 500_000_000
    assert parse_size("2 gb") == 2_000_000_000
    assert parse_size("1.5GiB") == int(1.5 * 1024**3)
    assert parse_size("800") == 800_000_000
    assert parse_size("64k") == 64_000
    assert parse_size("unlimited") is None
    for bad in ("", "lots", "5 XB", "-3MB", "0"):
        with pytest.raises(ValueError, match="size"):
            parse_size(bad)


def test_limit_from_argument_env_or_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALIGN_CACHE_MAX", raising=False)
    assert cache_limit() == DEFAULT_MAX_BYTES
    monkeypatch.setenv("ALIGN_CACHE_MAX", "250MB")
    assert cache_limit() == 250_000_000
    assert cache_limit(4096) == 4096
    assert cache_limit("1GB") == 1_000_000_000
    monkeypatch.setenv("ALIGN_CACHE_MAX", "a lot")
    with pytest.raises(AlignError) as exc:
        cache_limit()
    assert "ALIGN_CACHE_MAX" in str(exc.value) and "\n" not in str(exc.value)


def test_bad_limit_argument_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(AlignError) as exc:
        CachedEncoder(CountingEncoder(), tmp_path, max_size="ten")
    assert "500MB" in str(exc.value) and "\n" not in str(exc.value)


def test_eviction_keeps_the_most_recently_used(tmp_path: Path) -> None:
    """A, then B, are written by one run; a later run uses A again, then writes C past
    the limit: B (least recently used) goes, A and C stay."""
    first = CachedEncoder(CountingEncoder(), tmp_path, max_size="unlimited")
    first.encode(texts("A"))
    time.sleep(0.01)
    first.encode(texts("B"))
    first.close()
    per_row = row_size(tmp_path)
    time.sleep(0.01)
    limit = int(per_row * 22.7)  # 30 rows are too many; 90% of it keeps 20
    later = CachedEncoder(CountingEncoder(), tmp_path, max_size=limit)
    later.encode(texts("A"))
    time.sleep(0.01)
    later.encode(texts("C"))
    assert later.evicted == 10
    assert counters(tmp_path)[1] <= limit
    assert held(tmp_path, texts("A") + texts("C")) == 20
    assert held(tmp_path, texts("B")) == 0


def test_a_hit_is_written_once_a_run(tmp_path: Path) -> None:
    """Hits are stamped together (at flush, close, exit, the next write or 2000 of them),
    and once a run: what keeps a warm run from writing at every lookup."""
    CachedEncoder(CountingEncoder(), tmp_path).encode(texts("A"))
    time.sleep(0.01)
    enc = CachedEncoder(CountingEncoder(), tmp_path)
    db = sqlite3.connect(tmp_path / DB_NAME)
    version = db.execute("PRAGMA data_version").fetchone()
    enc.encode(texts("A"))
    assert db.execute("PRAGMA data_version").fetchone() == version
    enc.flush()
    stamps = db.execute("SELECT used FROM vectors ORDER BY key").fetchall()
    assert min(stamps)[0] >= enc._session
    version = db.execute("PRAGMA data_version").fetchone()
    for _ in range(3):
        enc.encode(texts("A"))
    enc.close()
    assert db.execute("PRAGMA data_version").fetchone() == version
    assert db.execute("SELECT used FROM vectors ORDER BY key").fetchall() == stamps
    db.close()


def test_a_run_that_does_not_close_records_its_hits(tmp_path: Path) -> None:
    CachedEncoder(CountingEncoder(), tmp_path).encode(texts("A"))
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(TESTS)!r})
        from test_encoders import CountingEncoder
        from align.encoders import CachedEncoder
        enc = CachedEncoder(CountingEncoder(), {str(tmp_path)!r})
        enc.encode([f"A sentence {{i}}" for i in range(10)])
        print(enc._session)
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        assert db.execute("SELECT min(used) FROM vectors").fetchone()[0] >= int(run.stdout)


def test_limit_is_respected_after_a_run(tmp_path: Path) -> None:
    """Even a limit smaller than one call's vectors: every call still returns the right
    vectors (they are in memory), and the cache ends within its limit."""
    CachedEncoder(CountingEncoder(), tmp_path).encode(texts("probe", 1))
    limit = int(row_size(tmp_path) * 15)
    inner = CountingEncoder()
    enc = CachedEncoder(inner, tmp_path, max_size=limit)
    for i in range(8):
        batch = texts(f"run {i}", 40)
        np.testing.assert_array_equal(enc.encode(batch), CountingEncoder().encode(batch))
    assert enc.evicted > 0
    rows, size = counters(tmp_path)
    assert size <= limit and 0 < rows <= 15
    assert (rows, size) == actual(tmp_path)
    last = texts("run 7", 40)
    assert held(tmp_path, last) == rows


def test_vectors_evicted_by_another_run_are_encoded_again(tmp_path: Path) -> None:
    """One run empties the cache under another's feet: that run gets right vectors,
    encoding again what it lost."""
    reader = CachedEncoder(CountingEncoder(), tmp_path)
    first = reader.encode(texts("A"))
    squeezer = CachedEncoder(CountingEncoder(), tmp_path, max_size=1)
    squeezer.encode(texts("B"))
    assert counters(tmp_path) == (0, 0)
    np.testing.assert_array_equal(reader.encode(texts("A")), first)
    assert reader.encoded == 20


def old_cache(folder: Path) -> np.ndarray:
    """A cache as written before the limit: no ``used`` column, no counters."""
    vectors = CountingEncoder().encode(texts("old"))
    with sqlite3.connect(folder / DB_NAME) as old:
        old.execute(
            "CREATE TABLE embeddings (model TEXT NOT NULL, version TEXT NOT NULL, "
            "key TEXT NOT NULL, dim INTEGER NOT NULL, vec BLOB NOT NULL, "
            "PRIMARY KEY (model, version, key)) WITHOUT ROWID"
        )
        old.executemany(
            "INSERT INTO embeddings VALUES ('fake', '1', ?, 8, ?)",
            [
                (text_key(t), v.astype("<f4").tobytes())
                for t, v in zip(texts("old"), vectors, strict=True)
            ],
        )
    return vectors


def test_a_cache_from_before_the_limit_is_upgraded(tmp_path: Path) -> None:
    """Its vectors are kept and counted, and go before any used since."""
    vectors = old_cache(tmp_path)
    enc = CachedEncoder(CountingEncoder(), tmp_path, max_size="unlimited")
    np.testing.assert_array_equal(enc.encode(texts("old")[:2]), vectors[:2])
    assert enc.hits == 2 and enc.encoded == 0
    enc.close()
    assert counters(tmp_path) == actual(tmp_path)
    assert counters(tmp_path)[0] == 10
    per_row = row_size(tmp_path)
    enc = CachedEncoder(CountingEncoder(), tmp_path, max_size=int(per_row * 12))
    enc.encode(texts("new", 5))
    assert held(tmp_path, texts("new", 5)) == 5
    assert held(tmp_path, texts("old")[:2]) == 2
    assert held(tmp_path, texts("old")) < 10
    assert counters(tmp_path) == actual(tmp_path)


def test_an_old_cache_upgraded_by_several_processes_at_once(tmp_path: Path) -> None:
    old_cache(tmp_path)
    start = time.time() + 2
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(TESTS)!r})
        from test_encoders import CountingEncoder
        from align.encoders import CachedEncoder
        time.sleep(max(0, {start} - time.time()))
        enc = CachedEncoder(CountingEncoder(), {str(tmp_path)!r})
        assert enc.encode([f"old sentence {{i}}" for i in range(10)]).shape == (10, 8)
        assert enc.hits == 10
        enc.encode([f"{{sys.argv[1]}} {{i}}" for i in range(20)])
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(n)]) for n in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 4
    assert counters(tmp_path) == actual(tmp_path) == (90, actual(tmp_path)[1])


def test_two_processes_writing_at_once_stay_consistent(tmp_path: Path) -> None:
    """Worker processes writing, hitting and evicting the same file at once: none fails,
    the counters match the table, the file is sound and within its limit."""
    CachedEncoder(CountingEncoder(), tmp_path).encode(texts("probe", 1))
    limit = int(row_size(tmp_path) * 60)
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(TESTS)!r})
        from test_encoders import CountingEncoder
        from align.encoders import CachedEncoder
        enc = CachedEncoder(CountingEncoder(), {str(tmp_path)!r}, max_size={limit})
        for i in range(0, 200, 10):
            enc.encode([f"{{sys.argv[1]}} {{j}}" for j in range(i, i + 10)])
            enc.encode([f"shared {{j}}" for j in range(i, i + 10)])
        assert enc.evicted > 0
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, name]) for name in ("p", "q")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    rows, size = counters(tmp_path)
    assert (rows, size) == actual(tmp_path)
    assert 0 < size <= limit
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize("start", ["spawn", "fork"])
def test_batch_workers_record_their_hits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    """``align batch --jobs 2`` on a warm cache: every hit of every worker is stamped by
    the time the batch returns. Workers are spawned, and a spawned process runs the atexit
    handlers; a forked one (the start method of a library user's pool) ends in ``os._exit``
    without them, and all its hits stayed unstamped."""
    if start not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {start} start method on this platform")
    context = multiprocessing.get_context
    monkeypatch.setattr(executors.multiprocessing, "get_context", lambda _=None: context(start))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_tiny_corpus(corpus, pairs=4)
    cache = tmp_path / "cache"
    cold = run_batch(corpus, tmp_path / "cold", BatchOptions(jobs=2, cache_dir=cache))
    assert cold.ok and cold.workers == 2 and cold.cache_misses > 0
    warm_start = time.time_ns() // 1_000_000
    warm = run_batch(corpus, tmp_path / "warm", BatchOptions(jobs=2, cache_dir=cache))
    assert warm.ok and len(warm.results) == 4
    assert warm.cache_misses == 0 and warm.cache_hits > 0
    with sqlite3.connect(cache / DB_NAME) as db:
        rows, stamped = db.execute(
            "SELECT count(*), sum(used >= ?) FROM vectors", (warm_start,)
        ).fetchone()
    assert rows > 0 and stamped == rows


def a_pair(folder: Path) -> tuple[str, str]:
    write_tiny_corpus(folder, pairs=1)
    return str(folder / "doc0.zh.txt"), str(folder / "doc0.en.txt")


def test_align_pair_records_its_hits(tmp_path: Path) -> None:
    """``align pair`` drops its encoder when the alignment is done, before the exit
    handler ran, which then found nothing to flush: a warm run's hits were never stamped,
    so a document aligned again and again looked unused and was evicted first."""
    zh, en = a_pair(tmp_path / "docs")
    cache = tmp_path / "cache"
    first = run_align("pair", zh, en, "-o", str(tmp_path / "a.tmx"), cache=cache)
    assert first.returncode == 0, first.stderr
    warm_start = time.time_ns() // 1_000_000
    again = run_align("pair", zh, en, "-o", str(tmp_path / "b.tmx"), cache=cache)
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(cache / DB_NAME) as db:
        rows, stamped = db.execute(
            "SELECT count(*), sum(used >= ?) FROM vectors", (warm_start,)
        ).fetchone()
    assert rows > 0 and stamped == rows


# --- an older un-align on the same cache ---------------------------------------------------

BEFORE_LIMIT = "0502480"
"""The last commit whose cache had no limit: what a colleague's older install runs."""
FIRST_LIMIT = "8cdfe7a"
"""The commit that first limited the cache, with ``used`` a column of ``embeddings``."""


def cache_module(commit: str, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """align/encoders/cache.py as it was at ``commit``, loaded as a module of its own."""
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout: the cache code of {commit} is read from git")
    shown = subprocess.run(
        ["git", "show", f"{commit}:align/encoders/cache.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if shown.returncode != 0:
        pytest.skip(f"git show {commit} failed ({shown.stderr.strip()}): a shallow clone?")
    module = types.ModuleType(f"cache_{commit}")
    module.__file__ = f"{commit}:align/encoders/cache.py"
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(shown.stdout, module.__file__, "exec"), module.__dict__)
    return module


def models_counted(folder: Path) -> list[tuple[str, str, int]]:
    """Vectors per model as the counters keep them, and as the table has them."""
    with sqlite3.connect(folder / DB_NAME) as db:
        kept = db.execute("SELECT model, version, n FROM models WHERE n > 0 ORDER BY 1, 2")
        counted = db.execute("SELECT model, version, count(*) FROM vectors GROUP BY 1, 2")
        assert kept.fetchall() == counted.fetchall()
        return db.execute(
            "SELECT model, version, n FROM models WHERE n > 0 ORDER BY 1, 2"
        ).fetchall()


def test_an_older_install_reads_and_writes_an_upgraded_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team shares a cache, one translator on the release before the limit: it failed
    with "table embeddings has 6 columns but 5 values were supplied" once a newer run had
    upgraded the file. Both now read each other's vectors, the counters stay exact
    through the older one's writes (its INSERT OR REPLACE included), its vectors are
    stamped as used when written, and the newer one still keeps the limit."""
    old = cache_module(BEFORE_LIMIT, monkeypatch)
    vectors = old_cache(tmp_path)
    newer = CachedEncoder(CountingEncoder(), tmp_path, max_size="unlimited")
    np.testing.assert_array_equal(newer.encode(texts("old")), vectors)
    newer.encode(texts("new"))
    newer.close()
    start = time.time_ns() // 1_000_000

    inner = CountingEncoder()
    older = old.CachedEncoder(inner, tmp_path)
    np.testing.assert_array_equal(older.encode(texts("old")), vectors)
    assert older.encode(texts("new") + texts("older")).shape == (20, 8)
    assert older.hits == 20 and inner.texts == texts("older")
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        db.execute("UPDATE embeddings SET vec = x'00' WHERE key = ?", (text_key("new sentence 0"),))
    older.encode(texts("new", 1) + texts("more", 3))
    assert inner.texts == [*texts("older"), "new sentence 0", *texts("more", 3)]
    older.close()
    assert counters(tmp_path) == actual(tmp_path)
    assert models_counted(tmp_path) == [("fake", "1", 33)]
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        stamps = db.execute(
            "SELECT min(used), max(used) FROM vectors WHERE key IN (?, ?)",
            (text_key("older sentence 0"), text_key("new sentence 0")),
        ).fetchone()
    assert start <= stamps[0] <= stamps[1] <= time.time_ns() // 1_000_000

    limit = int(row_size(tmp_path) * 30)
    newest = CachedEncoder(CountingEncoder(), tmp_path, max_size=limit)
    assert newest.encode(texts("older")).shape == (10, 8) and newest.hits == 10
    newest.encode(texts("newest"))
    assert newest.evicted > 0 and counters(tmp_path)[1] <= limit
    assert held(tmp_path, texts("older") + texts("newest")) == 20
    assert counters(tmp_path) == actual(tmp_path)
    assert models_counted(tmp_path) == [("fake", "1", counters(tmp_path)[0])]
    again = old.CachedEncoder(CountingEncoder(), tmp_path)
    assert again.encode(texts("newest")).shape == (10, 8) and again.hits == 10
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_cache_of_the_first_limited_layout_keeps_its_stamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made by the code that first limited the cache (``used`` a column of ``embeddings``,
    which an older install cannot write): brought to the layout it can write, the
    least recently used still going first."""
    first = cache_module(FIRST_LIMIT, monkeypatch)
    enc = first.CachedEncoder(CountingEncoder(), tmp_path, max_size="unlimited")
    enc.encode(texts("A"))
    time.sleep(0.01)
    enc.encode(texts("B"))
    enc.close()
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        assert "used" in {row[1] for row in db.execute("PRAGMA table_info(embeddings)")}
        stamps = db.execute("SELECT key, used FROM embeddings ORDER BY key").fetchall()
    per_row = row_size(tmp_path)
    later = CachedEncoder(CountingEncoder(), tmp_path, max_size=int(per_row * 22.7))
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        assert db.execute("SELECT key, used FROM vectors ORDER BY key").fetchall() == stamps
    later.encode(texts("C"))
    assert held(tmp_path, texts("A")) == 0 and held(tmp_path, texts("B") + texts("C")) == 20
    later.close()
    older = cache_module(BEFORE_LIMIT, monkeypatch).CachedEncoder(CountingEncoder(), tmp_path)
    assert older.encode(texts("C") + texts("D")).shape == (20, 8) and older.hits == 10
    older.close()
    assert counters(tmp_path) == actual(tmp_path)
    assert models_counted(tmp_path) == [("fake", "1", 30)]


# --- a cache that cannot be used -----------------------------------------------------------


def cache_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "align.encoders.cache"]


class FullDisk(CachedEncoder):
    """The disk full once the cache is open: SQLite may not grow the file by a page."""

    def _open(self) -> sqlite3.Connection:
        conn = super()._open()
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn


class Impatient(CachedEncoder):
    busy_timeout_ms = 100
    retry_seconds = 0.3


def test_a_full_disk_is_one_warning_and_the_run_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """It stopped the run ("cannot use the embedding cache: database or disk is full"):
    the run gets its vectors, reads what the cache holds, and stores nothing more."""
    CachedEncoder(CountingEncoder(), tmp_path).encode(texts("held"))
    caplog.set_level(logging.WARNING)
    inner = CountingEncoder()
    enc = FullDisk(inner, tmp_path)
    many = [f"{t} " * 40 for t in texts("long", 400)]
    np.testing.assert_array_equal(enc.encode(many), CountingEncoder().encode(many))
    np.testing.assert_array_equal(
        enc.encode(texts("held")), CountingEncoder().encode(texts("held"))
    )
    assert enc.hits == 10 and inner.texts == many
    enc.encode(texts("more"))
    enc.close()
    (warning,) = cache_warnings(caplog)
    assert str(tmp_path / DB_NAME) in warning and "\n" not in warning
    assert "disk is full" in warning and "free some disk space" in warning
    assert enc.trouble == "database or disk is full"
    assert counters(tmp_path) == actual(tmp_path) == (10, actual(tmp_path)[1])


HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    if sys.argv[2] == "exclusive":
        db.execute("PRAGMA locking_mode = EXCLUSIVE")
    db.execute("BEGIN EXCLUSIVE")
    db.execute("UPDATE meta SET value = value WHERE name = 'rows'")
    print("holding", flush=True)
    sys.stdin.read()
    """
)


@pytest.mark.parametrize(
    ("mode", "said"),
    [("write", "cannot be written"), ("exclusive", "cannot be used")],
)
def test_a_cache_another_process_keeps_locked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, mode: str, said: str
) -> None:
    """Another process holds the write lock (or, in exclusive locking mode, the whole file)
    past every wait: the run stopped; it goes on, reading what it still can."""
    with CachedEncoder(CountingEncoder(), tmp_path) as first:
        first.encode(texts("held"))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / DB_NAME), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        caplog.set_level(logging.WARNING)
        enc = Impatient(CountingEncoder(), tmp_path)
        wanted = texts("held") + texts("new")
        np.testing.assert_array_equal(enc.encode(wanted), CountingEncoder().encode(wanted))
        assert enc.hits == (10 if mode == "write" else 0)
        enc.encode(texts("newer"))
        enc.close()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
    (warning,) = cache_warnings(caplog)
    assert said in warning and "database is locked" in warning and "\n" not in warning
    assert "another process holds it locked" in warning
    after = CachedEncoder(CountingEncoder(), tmp_path)
    after.encode(texts("new"))
    assert after.encoded == 10 and counters(tmp_path) == actual(tmp_path)


@pytest.mark.parametrize(
    ("file_mode", "folder_mode", "damaged", "said"),
    [
        (0o444, 0o555, False, "cannot be used (attempt to write a readonly database)"),
        (0o444, 0o755, False, "cannot be written (attempt to write a readonly database)"),
        (0o000, 0o755, False, "cannot be used (unable to open database file)"),
        (0o444, 0o555, True, "cannot be used (file is not a database; it cannot be moved"),
    ],
    ids=["read-only", "read-only-file", "unreadable", "damaged-in-read-only-folder"],
)
def test_align_pair_with_a_cache_it_cannot_use(
    tmp_path: Path, file_mode: int, folder_mode: int, damaged: bool, said: str
) -> None:
    """A cache on a share mounted read-only, one file the user may not write or read, a
    damaged one that cannot be moved aside: one line says so, and the TM is written as
    without a cache. It was an error and no TM (and "moved to" a file it never moved)."""
    zh, en = a_pair(tmp_path / "docs")
    cache = tmp_path / "cache"
    first = run_align("pair", zh, en, "-o", str(tmp_path / "first.tmx"), cache=cache)
    assert first.returncode == 0, first.stderr
    file = cache / DB_NAME
    if damaged:
        file.write_bytes(b"this is not a database" * 400)
    file.chmod(file_mode)
    cache.chmod(folder_mode)
    try:
        r = run_bound_by_modes(
            "pair", zh, en, "-o", str(tmp_path / "tm.tmx"), cache=cache, drop=ALL_OVERRIDES
        )
    finally:
        cache.chmod(0o755)
        file.chmod(0o644)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    (line,) = [line for line in r.stderr.splitlines() if "embedding cache" in line]
    assert f"embedding cache {file} {said}" in line, line
    assert "moved to" not in r.stderr
    units = [
        (tmp_path / n).read_text(encoding="utf-8").count("</tu>") for n in ("first.tmx", "tm.tmx")
    ]
    assert units[0] > 0 and units[1] == units[0]


# --- align cache ---------------------------------------------------------------------------


class OtherEncoder(CountingEncoder):
    name = "other"


def filled(folder: Path) -> Path:
    with CachedEncoder(CountingEncoder(), folder) as enc:
        enc.encode(texts("fake"))
    with CachedEncoder(OtherEncoder(), folder) as enc:
        enc.encode(texts("other", 4))
    return folder


def cli(folder: Path, *args: str, limit: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["cache", *args], env={"ALIGN_CACHE_DIR": str(folder), "ALIGN_CACHE_MAX": limit}
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_cache_info(tmp_path: Path) -> None:
    code, out = cli(filled(tmp_path), "info", limit="300MB")
    assert code == 0, out
    assert str(tmp_path / DB_NAME) in out
    assert "vectors: 14 " in out
    assert "limit:   300.0 MB" in out
    assert "model:   fake (1): 10 vectors" in out and "model:   other (1): 4 vectors" in out


def test_cache_info_reads_the_counters_not_the_vectors(tmp_path: Path) -> None:
    """It counted the rows of the whole table, model by model: every page of a 1 GB file.
    The counts kept as rows come and go are exact (through writes, eviction and clear),
    and info reads those alone: it works with every page of the vectors spoilt."""
    filled(tmp_path)
    with CachedEncoder(CountingEncoder(), tmp_path) as enc:
        enc.encode(texts("many", 400))
    limit = int(row_size(tmp_path) * 300)
    with CachedEncoder(OtherEncoder(), tmp_path, max_size=limit) as enc:
        enc.encode(texts("more", 50))
        assert enc.evicted > 0
    assert cli(tmp_path, "clear", "--model", "other")[0] == 0
    rows = counters(tmp_path)[0]
    assert 0 < rows < 270 and models_counted(tmp_path) == [("fake", "1", rows)]
    file = tmp_path / DB_NAME
    with sqlite3.connect(file) as db:
        spoilt = [n for (n,) in db.execute("SELECT pageno FROM dbstat WHERE name = 'vectors'")]
        page = db.execute("PRAGMA page_size").fetchone()[0]
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert len(spoilt) >= 2
    data = bytearray(file.read_bytes())
    for n in spoilt:
        data[(n - 1) * page : n * page] = b"\xff" * page
    file.write_bytes(bytes(data))
    code, out = cli(tmp_path, "info")
    assert code == 0, out
    assert f"vectors: {rows} " in out and f"model:   fake (1): {rows} vectors" in out
    assert "other" not in out


def test_cache_clear_one_model_then_all(tmp_path: Path) -> None:
    code, out = cli(filled(tmp_path), "clear", "--model", "other")
    assert code == 0 and "deleted 4 vectors of other" in out, out
    assert held(tmp_path, texts("fake")) == 10
    assert held(tmp_path, texts("other", 4), "other") == 0
    assert counters(tmp_path) == actual(tmp_path)
    code, out = cli(tmp_path, "clear")
    assert code == 0 and "deleted 10 vectors" in out, out
    assert counters(tmp_path) == (0, 0) == actual(tmp_path)


def test_cache_clear_an_unknown_model(tmp_path: Path) -> None:
    with pytest.raises(AlignError, match=r"no vectors of model 'labse' .* holds fake, other"):
        cli(filled(tmp_path), "clear", "--model", "labse")
    assert counters(tmp_path)[0] == 14


def test_cache_prune(tmp_path: Path) -> None:
    """Down to --max now (or the limit), least recently used first, and the file shrinks."""
    filled(tmp_path)
    with CachedEncoder(CountingEncoder(), tmp_path) as enc:
        enc.encode(texts("many", 2000))
    time.sleep(0.01)
    with CachedEncoder(CountingEncoder(), tmp_path) as enc:
        enc.encode(texts("fake")[:3])
    file = tmp_path / DB_NAME
    before = file.stat().st_size
    per_row = row_size(tmp_path)
    code, out = cli(tmp_path, "prune", "--max", f"{per_row * 3.5 / 1000:.3f}kB")
    assert code == 0 and "deleted 2011 vectors" in out, out
    assert held(tmp_path, texts("fake")[:3]) == 3
    assert counters(tmp_path) == actual(tmp_path)
    assert file.stat().st_size < before / 4
    code, out = cli(tmp_path, "prune", limit=f"{per_row * 1.5:.0f}b")
    assert code == 0 and "deleted 2 vectors" in out, out
    assert counters(tmp_path)[0] == 1


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (("prune", "--max", "12XB"), {}, "--max: '12XB' is not a size"),
        (("info",), {"ALIGN_CACHE_MAX": "huge"}, "ALIGN_CACHE_MAX: 'huge' is not a size"),
    ],
)
def test_cache_bad_input_is_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    env: dict[str, str],
    message: str,
) -> None:
    filled(tmp_path / "cache")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    r = run_align("cache", *args, cache=tmp_path / env.get("ALIGN_CACHE_DIR", "cache"))
    assert r.returncode == 2, r
    assert r.stderr.count("\n") == 1 and message in r.stderr, r.stderr


def test_cache_damaged_is_one_line_then_cleared(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 400)
    for command in ("info", "prune"):
        r = run_align("cache", command, cache=tmp_path)
        assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
        assert "cannot read the embedding cache" in r.stderr
        assert "'align cache clear' deletes it" in r.stderr
    r = run_align("cache", "clear", cache=tmp_path)
    assert r.returncode == 0 and "deleted the damaged cache" in r.stdout, r.stderr
    assert not (tmp_path / DB_NAME).exists()
    r = run_align("cache", "info", cache=tmp_path)
    assert r.returncode == 0 and "(none yet: the first 'align pair'" in r.stdout, r


def test_no_cache_yet_is_said_not_an_error(tmp_path: Path) -> None:
    """A new user's 'align cache info' exited 2 with 'error:' where no run had made one."""
    folder = tmp_path / "never"
    r = run_align("cache", "info", cache=folder)
    assert r.returncode == 0 and not r.stderr, r
    assert f"cache:   {folder / DB_NAME} (none yet: the first 'align pair'" in r.stdout
    assert "limit:   1.0 GB" in r.stdout
    for command, said in (("clear", "nothing to clear"), ("prune", "nothing to prune")):
        r = run_align("cache", command, cache=folder)
        assert r.returncode == 0 and said in r.stdout and not r.stderr, r
    assert not folder.exists()


def test_damaged_caches_set_aside_are_shown_and_cleared(tmp_path: Path) -> None:
    """A run moves a damaged cache aside as embeddings.sqlite3.corrupt-N and never reads it
    again; nothing listed or deleted it, so it stayed on the disk for good."""
    (tmp_path / DB_NAME).write_bytes(b"this is not a database" * 400)
    with CachedEncoder(CountingEncoder(), tmp_path) as enc:
        enc.encode(texts("after"))
    copies = sorted(tmp_path.glob(f"{DB_NAME}.corrupt-*"))
    assert copies
    r = run_align("cache", "info", cache=tmp_path)
    assert r.returncode == 0, r
    assert "damaged: 1 damaged cache set aside by earlier runs" in r.stdout
    assert "'align cache clear' deletes them" in r.stdout and "vectors: 10 " in r.stdout
    r = run_align("cache", "clear", "--model", "fake", cache=tmp_path)
    assert r.returncode == 0 and all(c.exists() for c in copies), r
    r = run_align("cache", "clear", cache=tmp_path)
    assert r.returncode == 0 and "deleted 1 damaged cache set aside" in r.stdout, r
    assert not any(c.exists() for c in copies)
    assert "damaged:" not in run_align("cache", "info", cache=tmp_path).stdout


def test_cache_help_teaches_with_an_example() -> None:
    for args in ([], ["info"], ["clear"], ["prune"]):
        result = CliRunner().invoke(app, ["cache", *args, "--help"])
        assert result.exit_code == 0
        assert "align cache" in result.output and "Example" in result.output, result.output


def test_cache_prune_compacts_a_cache_from_before_the_limit(tmp_path: Path) -> None:
    """SQLite's default 4 KiB pages put each USE row on an overflow page of its own: prune
    rewrites such a file on pages that hold rows whole, keeping every vector."""
    old_cache(tmp_path)
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (4096,)
    code, out = cli(tmp_path, "prune")
    assert code == 0 and "deleted 0 vectors" in out, out
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (16384,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert held(tmp_path, texts("old")) == 10
    assert counters(tmp_path) == actual(tmp_path)
