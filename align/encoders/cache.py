"""Embeddings kept on disk, so re-aligning a document does not re-encode it.

One SQLite file in WAL mode: each write is a transaction (atomic, no torn
files), several processes can read and write the same cache at once (batch
runs: readers never wait, writers queue behind SQLite's busy timeout, and a
"database is locked" that slips past it is retried with backoff), and one file
is easier to move or delete than thousands of ``.npy`` files. Rows are keyed
by model id, model version and the text's sha256, so vectors from different
models or builds are never mixed.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

from align.encoders.base import Encoder, encode_joined
from align.errors import OutputError

log = logging.getLogger(__name__)

DB_NAME = "embeddings.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    version TEXT NOT NULL,
    key TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (model, version, key)
) WITHOUT ROWID
"""
_CHUNK = 500
_DTYPE = np.dtype("<f4")
_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED (and their extended codes)
T = TypeVar("T")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    return "locked" in str(exc) or "busy" in str(exc)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class CachedEncoder:
    """An :class:`Encoder` that asks ``encoder`` only for texts it has not seen.

    Counters, per text position requested: ``hits`` came from disk, ``misses``
    did not; ``encoded`` counts texts actually sent to the model (misses with
    duplicates removed).
    """

    busy_timeout_ms = 60_000
    """How long SQLite itself waits for another process's write to finish."""
    retry_seconds = 300.0
    """How long a busy or locked database is retried on top of that before giving up."""

    def __init__(self, encoder: Encoder, cache_dir: Path | str) -> None:
        self.inner = encoder
        self.name = encoder.name
        self.version = encoder.version
        self.dim = encoder.dim
        self.cache_dir = Path(cache_dir).expanduser()
        self.path = self.cache_dir / DB_NAME
        self.hits = 0
        self.misses = 0
        self.encoded = 0
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._connection()

    def _fail(self, exc: Exception) -> OutputError:
        return OutputError(
            f"cannot use the embedding cache {self.path}: {exc}; "
            f"set ALIGN_CACHE_DIR to a writable folder or run with --no-cache"
        )

    def _open(self) -> sqlite3.Connection:
        timeout = self.busy_timeout_ms / 1000
        conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(_SCHEMA)
        except BaseException:
            conn.close()
            raise
        return conn

    def _connection(self) -> sqlite3.Connection:
        """The connection for this process; a forked child opens its own."""
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            try:
                conn = self._retrying(self._open)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):
                    raise
                self._set_aside(exc)
                conn = self._retrying(self._open)
        except (OSError, sqlite3.Error) as exc:
            raise self._fail(exc) from exc
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _set_aside(self, exc: sqlite3.DatabaseError) -> None:
        """Move a damaged database (and its write-ahead log) out of the way: a cache only
        saves time, and every later run would fail on it the same way."""
        if self._conn is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None
        aside = self.path.with_name(f"{DB_NAME}.corrupt-{int(time.time())}")
        log.warning("embedding cache %s is damaged (%s); moved to %s", self.path, exc, aside)
        self.path.replace(aside)
        for extra in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                self.path.with_name(DB_NAME + extra).replace(aside.with_name(aside.name + extra))

    def _mending(self, action: Callable[[], T]) -> T:
        """Run ``action``; where the database turns out damaged inside (not at opening),
        set it aside and run it once more on a fresh one."""
        try:
            return action()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise
            self._set_aside(exc)
            return action()

    def _retrying(self, action: Callable[[], T]) -> T:
        """Run ``action``, again after a short random pause while the database is busy.

        SQLite's busy handler covers most waits, but not all: a read that must
        become a write, or a schema change racing another process's first open,
        fail at once with "database is locked". Such an action changed nothing,
        so doing it again is safe.
        """
        deadline = time.monotonic() + self.retry_seconds
        pause = 0.01
        while True:
            try:
                return action()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() >= deadline:
                    raise
                log.debug("embedding cache %s busy (%s): retrying", self.path, exc)
            time.sleep(pause * (0.5 + random.random()))
            pause = min(pause * 2, 1.0)

    def _lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        return self._mending(lambda: self._retrying(lambda: self._lookup_once(keys)))

    def _lookup_once(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        conn = self._connection()
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT key, dim, vec FROM embeddings "
                f"WHERE model = ? AND version = ? AND key IN ({marks})",
                (self.name, self.version, *chunk),
            )
            for key, dim, blob in rows:
                vec = self._decode(dim, blob)
                if vec is not None:
                    found[key] = vec
        return found

    def _decode(self, dim: object, blob: object) -> np.ndarray | None:
        """The stored vector, or None if the row is damaged (then it is re-encoded)."""
        if dim != self.dim or not isinstance(blob, bytes) or len(blob) != self.dim * 4:
            return None
        vec = np.frombuffer(blob, dtype=_DTYPE).astype(np.float32)
        norm = float(np.linalg.norm(vec))
        if not np.isfinite(vec).all() or not (abs(norm - 1.0) < 1e-3 or norm == 0.0):
            return None
        return vec

    def _store(self, keys: list[str], vectors: np.ndarray) -> None:
        rows = [
            (self.name, self.version, k, self.dim, np.asarray(v, dtype=_DTYPE).tobytes())
            for k, v in zip(keys, vectors, strict=True)
        ]
        self._mending(lambda: self._retrying(lambda: self._store_once(rows)))

    def _store_once(self, rows: list[tuple[str, str, str, int, bytes]]) -> None:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        items = list(texts)
        return self._cached(items, lambda todo: self.inner.encode([items[i] for i in todo]))

    def encode_joined(self, runs: Sequence[Sequence[str]], sep: str) -> np.ndarray:
        """Runs keyed by their joined text, as :meth:`encode` keys it; the ones not held
        are built by the inner encoder's :func:`align.encoders.base.encode_joined`."""
        items = [list(run) for run in runs]
        return self._cached(
            [sep.join(run) for run in items],
            lambda todo: encode_joined(self.inner, [items[i] for i in todo], sep),
        )

    def _cached(self, texts: list[str], compute: Callable[[list[int]], np.ndarray]) -> np.ndarray:
        """Vectors of ``texts`` from the cache; ``compute`` gets the positions (first of
        each distinct text) of those it lacks."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        keys = [text_key(t) for t in texts]
        first: dict[str, int] = {}
        for i, k in enumerate(keys):
            first.setdefault(k, i)
        with self._lock:
            try:
                found = self._lookup(list(first))
                missing = [k for k in first if k not in found]
                if missing:
                    vectors = np.asarray(compute([first[k] for k in missing]), dtype=np.float32)
                    if vectors.shape != (len(missing), self.dim):
                        raise ValueError(
                            f"encoder {self.name} returned shape {vectors.shape} "
                            f"for {len(missing)} texts, expected (n, {self.dim})"
                        )
                    self._store(missing, vectors)
                    found.update(zip(missing, vectors, strict=True))
                    self.encoded += len(missing)
            except sqlite3.Error as exc:
                raise self._fail(exc) from exc
            for i, k in enumerate(keys):
                out[i] = found[k]
            fresh = set(missing)
            n_hits = sum(k not in fresh for k in keys)
            self.hits += n_hits
            self.misses += len(texts) - n_hits
        return out

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def __enter__(self) -> CachedEncoder:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
