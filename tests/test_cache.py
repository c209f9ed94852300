"""The embedding cache's size limit (least recently used go first) and ``align cache``."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import run_align
from test_encoders import CountingEncoder
from typer.testing import CliRunner

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
    stamps = db.execute("SELECT used FROM embeddings ORDER BY key").fetchall()
    assert min(stamps)[0] >= enc._session
    version = db.execute("PRAGMA data_version").fetchone()
    for _ in range(3):
        enc.encode(texts("A"))
    enc.close()
    assert db.execute("PRAGMA data_version").fetchone() == version
    assert db.execute("SELECT used FROM embeddings ORDER BY key").fetchall() == stamps
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
        assert db.execute("SELECT min(used) FROM embeddings").fetchone()[0] >= int(run.stdout)


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
        (("info",), {"ALIGN_CACHE_DIR": "missing"}, "no embedding cache at"),
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
    assert r.returncode == 2 and "no embedding cache at" in r.stderr


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
