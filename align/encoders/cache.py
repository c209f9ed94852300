"""Embeddings kept on disk, so re-aligning a document does not re-encode it.

One SQLite file in WAL mode: each write is a transaction (atomic, no torn
files), several processes can read and write the same cache at once (batch
runs: readers never wait, writers queue behind SQLite's busy timeout, and a
"database is locked" that slips past it is retried with backoff), and one file
is easier to move or delete than thousands of ``.npy`` files. Rows are keyed
by model id, model version and the text's sha256, so vectors from different
models or builds are never mixed.

The file is kept under a size limit (``$ALIGN_CACHE_MAX``, default 1 GB): each row
records when it was last used, and a write that finds the entries past the limit (an
older install's rows count too) deletes the least recently used down to 90% of it.
Vectors a run has looked up are already in its memory, so another process's eviction can
only make it re-encode them later, never fail. "Last used" is written at most once per
row per run (and again after ten minutes), a run's hits together (with its next write,
every 2000, when the encoder is closed or dropped, and at the exit of any process), so a
run over a warm cache does not turn every lookup into a write.
New files use 16 KiB pages, on which a 512-float row is stored whole: on SQLite's
4 KiB default each row spilled onto an overflow page, and the file was 1.6 times as
big (18 kB a sentence aligned, not 11); ``align cache prune`` converts an old one.
An un-align from before the limit can still read and write the file (see :data:`_BUILD`).
A cache only saves time: a file that cannot be used is a warning, never a failed run.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import hashlib
import logging
import math
import multiprocessing.util
import os
import random
import re
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from align.encoders.base import Encoder, encode_joined
from align.errors import AlignError, OutputError

log = logging.getLogger(__name__)

DB_NAME = "embeddings.sqlite3"
MAX_ENV = "ALIGN_CACHE_MAX"
DEFAULT_MAX_BYTES = 1_000_000_000
"""About 90,000 aligned sentences of USE vectors (11.3 kB of file a sentence, measured on
A/77/L.107 and MAC-Dev: 3.8 vectors a sentence): the last 140 or so documents of
MAC-Dev's size (640 sentences, both languages counted)."""
FILE_FACTOR = 1.35
"""File bytes per stored byte (vector, key, model): the pages of a B-tree filled in
random key order are about three quarters full (measured on the same runs)."""
LOW_WATER = 0.9
"""Eviction goes down to this share of the limit, so it does not run on every write."""
TOUCH_AFTER_MS = 600_000
"""A row used again in the same run is stamped again only after this long."""
TOUCH_BATCH = 2000
"""Hits wait to be stamped until this many, the next write or :meth:`CachedEncoder.close`:
stamping a page's rows together writes it once."""
_ROW = "(length({0}.vec) + length({0}.key) + length({0}.model) + length({0}.version) + 24)"
_NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
_SAME = "model = {0}.model AND version = {0}.version AND key = {0}.key"
_MODEL = "model = {0}.model AND version = {0}.version"
_COUNT_IN = (
    "INSERT INTO models SELECT {0}.model, {0}.version, 0 WHERE NOT EXISTS "
    f"(SELECT 1 FROM models WHERE {_MODEL}); "
    f"UPDATE models SET n = n + 1 WHERE {_MODEL};"
)
_COUNT_OUT = f"UPDATE models SET n = n - 1 WHERE {_MODEL};"
_TABLE = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    version TEXT NOT NULL,
    key TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vec BLOB NOT NULL,
    used INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (model, version, key)
) WITHOUT ROWID
"""
_BUILD = (
    _TABLE,
    "CREATE INDEX IF NOT EXISTS vectors_used ON vectors (used)",
    "CREATE TABLE IF NOT EXISTS models (model TEXT NOT NULL, version TEXT NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (model, version)) WITHOUT ROWID",
    "DELETE FROM models",
    "INSERT INTO models SELECT model, version, count(*) FROM vectors GROUP BY model, version",
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "DELETE FROM meta WHERE name IN ('rows', 'bytes')",
    "INSERT INTO meta SELECT 'rows', coalesce(sum(n), 0) FROM models",
    f"INSERT INTO meta SELECT 'bytes', coalesce(sum({_ROW.format('vectors')}), 0) FROM vectors",
    "CREATE TRIGGER vectors_add AFTER INSERT ON vectors BEGIN "
    "UPDATE meta SET value = value + 1 WHERE name = 'rows'; "
    f"UPDATE meta SET value = value + {_ROW.format('NEW')} WHERE name = 'bytes'; "
    f"{_COUNT_IN.format('NEW')} END",
    "CREATE TRIGGER vectors_drop AFTER DELETE ON vectors BEGIN "
    "UPDATE meta SET value = value - 1 WHERE name = 'rows'; "
    f"UPDATE meta SET value = value - {_ROW.format('OLD')} WHERE name = 'bytes'; "
    f"{_COUNT_OUT.format('OLD')} END",
    "CREATE TRIGGER vectors_change AFTER UPDATE OF model, version, key, vec ON vectors "
    f"BEGIN UPDATE meta SET value = value + {_ROW.format('NEW')} - {_ROW.format('OLD')} "
    "WHERE name = 'bytes'; END",
    "CREATE TRIGGER vectors_move AFTER UPDATE OF model, version ON vectors "
    "WHEN OLD.model IS NOT NEW.model OR OLD.version IS NOT NEW.version BEGIN "
    f"{_COUNT_OUT.format('OLD')} {_COUNT_IN.format('NEW')} END",
    "CREATE VIEW embeddings AS SELECT model, version, key, dim, vec FROM vectors",
    "CREATE TRIGGER embeddings_insert INSTEAD OF INSERT ON embeddings BEGIN "
    f"UPDATE vectors SET dim = NEW.dim, vec = NEW.vec, used = {_NOW_MS} "
    f"WHERE {_SAME.format('NEW')}; "
    "INSERT INTO vectors (model, version, key, dim, vec, used) "
    f"SELECT NEW.model, NEW.version, NEW.key, NEW.dim, NEW.vec, {_NOW_MS} "
    f"WHERE NOT EXISTS (SELECT 1 FROM vectors WHERE {_SAME.format('NEW')}); END",
    "CREATE TRIGGER embeddings_update INSTEAD OF UPDATE ON embeddings BEGIN "
    "UPDATE vectors SET model = NEW.model, version = NEW.version, key = NEW.key, "
    f"dim = NEW.dim, vec = NEW.vec WHERE {_SAME.format('OLD')}; END",
    "CREATE TRIGGER embeddings_delete INSTEAD OF DELETE ON embeddings BEGIN "
    f"DELETE FROM vectors WHERE {_SAME.format('OLD')}; END",
)
"""The file's layout. ``embeddings`` keeps the shape that every un-align from before the
limit reads and writes (five columns; ``INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?,
?, ?)``), so an older install beside a newer one, or sharing a team's cache on a network
drive, goes on working: it is a view of ``vectors``, which holds ``used`` beside each row,
and its writes go through triggers that stamp them as used now and keep the counters
(``meta``, ``models``) exact. No statement inside can meet a conflict, so an outer ``OR
REPLACE`` has nothing to replace: the delete it would do without firing a trigger never
happens."""
_OURS = frozenset(
    {
        "vectors",
        "vectors_used",
        "meta",
        "models",
        "vectors_add",
        "vectors_drop",
        "vectors_change",
        "vectors_move",
        "embeddings",
        "embeddings_insert",
        "embeddings_update",
        "embeddings_delete",
    }
)
_EARLIER = ("embeddings_add", "embeddings_drop", "embeddings_change")
"""Triggers of the cache as first limited, when ``embeddings`` was the table itself."""
_CHUNK = 500
_DTYPE = np.dtype("<f4")
_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED (and their extended codes)
_FULL_CODE = 13  # SQLITE_FULL
T = TypeVar("T")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    return "locked" in str(exc) or "busy" in str(exc)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_UNITS = {
    "": 1000**2,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "m": 1000**2,
    "mb": 1000**2,
    "g": 1000**3,
    "gb": 1000**3,
    "t": 1000**4,
    "tb": 1000**4,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*", re.IGNORECASE)


def parse_size(text: str) -> int | None:
    """Bytes for ``500MB``, ``2GB``, ``1.5GiB`` or ``800`` (MB); None for ``unlimited``.

    Raises ValueError with a message that says how to write a size.
    """
    if text.strip().lower() in ("unlimited", "none", "off"):
        return None
    match = _SIZE.fullmatch(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ValueError(f"'{text}' is not a size: write it like 500MB, 2GB, 1.5GiB or unlimited")
    size = int(float(match.group(1)) * _UNITS[unit])
    if size <= 0:
        raise ValueError(f"'{text}' is not a usable size: give more than 0, or unlimited")
    return size


def format_size(size: float) -> str:
    for unit, factor in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{int(size)} B"


def cache_limit(value: int | str | None = None) -> int | None:
    """The limit in bytes (None: unlimited): ``value`` (bytes, or a size as text), else
    ``$ALIGN_CACHE_MAX``, else :data:`DEFAULT_MAX_BYTES`."""
    if isinstance(value, int):
        if value <= 0:
            raise ValueError(f"cache limit {value} bytes: give more than 0, or 'unlimited'")
        return value
    if value is not None:
        return parse_size(value)
    env = os.environ.get(MAX_ENV, "").strip()
    if not env:
        return DEFAULT_MAX_BYTES
    try:
        return parse_size(env)
    except ValueError as exc:
        raise AlignError(f"{MAX_ENV}: {exc}") from exc


def page_size_for(dim: int) -> int:
    """The smallest page on which a row of ``dim`` floats is stored whole: a row that
    spills onto an overflow page costs a page of its own (twice the bytes, or more)."""
    row = dim * 4 + 400
    for page in (16384, 32768, 65536):
        if row <= (page - 12) * 64 // 255 - 23:
            return page
    return 65536


def file_bytes(conn: sqlite3.Connection) -> int:
    """Pages the file holds now (in use or free for reuse)."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    return int(pages * page)


def stored(conn: sqlite3.Connection) -> tuple[int, int]:
    """Rows, and the file size they make (what the limit counts): their bytes, kept by
    triggers so that no write has to count the table, times :data:`FILE_FACTOR`. Free
    pages left by eviction are not counted: the next rows fill them."""
    found = dict(conn.execute("SELECT name, value FROM meta WHERE name IN ('rows', 'bytes')"))
    return int(found.get("rows", 0)), int(int(found.get("bytes", 0)) * FILE_FACTOR)


def ensure_schema(conn: sqlite3.Connection) -> None:
    """The layout of :data:`_BUILD`, made or brought up to date under the write lock (another
    process may be doing it at the same moment). A cache from before the limit keeps its
    rows, which count as least recently used; one from the first limited layout, where
    ``embeddings`` itself had the ``used`` column, keeps their stamps."""
    if _current(conn):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not _current(conn):
            _build(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _build(conn: sqlite3.Connection) -> None:
    kinds = dict(conn.execute("SELECT name, type FROM sqlite_master"))
    for name in (*_EARLIER, *(n for n in _OURS if kinds.get(n) == "trigger")):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    conn.execute("DROP INDEX IF EXISTS embeddings_used")
    if kinds.get("embeddings") == "view":
        conn.execute("DROP VIEW embeddings")
    elif kinds.get("embeddings") == "table":
        if "vectors" in kinds:
            conn.execute(
                "INSERT OR IGNORE INTO vectors (model, version, key, dim, vec) "
                "SELECT model, version, key, dim, vec FROM embeddings"
            )
            conn.execute("DROP TABLE embeddings")
        else:
            conn.execute("ALTER TABLE embeddings RENAME TO vectors")
            columns = {row[1] for row in conn.execute("PRAGMA table_info(vectors)")}
            if "used" not in columns:
                conn.execute("ALTER TABLE vectors ADD COLUMN used INTEGER NOT NULL DEFAULT 0")
    for statement in _BUILD:
        conn.execute(statement)


def _current(conn: sqlite3.Connection) -> bool:
    kinds = dict(conn.execute("SELECT name, type FROM sqlite_master"))
    return kinds.get("embeddings") == "view" and _OURS <= kinds.keys()


def evict(conn: sqlite3.Connection, limit: int | None, target: int | None = None) -> int:
    """Inside a write transaction: if the entries make more than ``limit`` bytes, delete
    the least recently used until they take ``target`` (default 90% of the limit) or
    less (down to 0). Returns how many rows went."""
    rows, size = stored(conn)
    if limit is None or size <= limit:
        return 0
    goal = int(limit * LOW_WATER) if target is None else target
    before = rows
    while size > max(goal, 0) and rows > 0:
        batch = max(1, math.ceil((size - goal) / (size / rows)))
        conn.execute(
            "DELETE FROM vectors WHERE (model, version, key) IN "
            "(SELECT model, version, key FROM vectors ORDER BY used LIMIT ?)",
            (batch,),
        )
        rows, size = stored(conn)
    return before - rows


def retrying(action: Callable[[], T], path: Path, seconds: float) -> T:
    """Run ``action``, again after a short random pause while the database is busy.

    SQLite's busy handler covers most waits, but not all: a read that must
    become a write, or a schema change racing another process's first open,
    fail at once with "database is locked". Such an action changed nothing,
    so doing it again is safe.
    """
    deadline = time.monotonic() + seconds
    pause = 0.01
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() >= deadline:
                raise
            log.debug("embedding cache %s busy (%s): retrying", path, exc)
        time.sleep(pause * (0.5 + random.random()))
        pause = min(pause * 2, 1.0)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


_OPEN: weakref.WeakSet[CachedEncoder] = weakref.WeakSet()
"""The encoders of this process, flushed at exit by one handler (not one per encoder,
which would pile up in a process that makes many)."""


@atexit.register
def _flush_at_exit() -> None:
    """A run that never closes its encoder (``align pair``) still records what it used."""
    for encoder in list(_OPEN):
        with contextlib.suppress(Exception):
            encoder.flush()


_FINALIZED_IN = 0
"""The process whose :mod:`multiprocessing` finalizers flush its encoders."""


def _flush_when_the_process_ends() -> None:
    """Flush at the end of a process :mod:`multiprocessing` started, too: a forked worker
    (a pool's, a library user's ``Pool``) ends in ``os._exit`` without the atexit handlers,
    and its hits, up to :data:`TOUCH_BATCH`, were never stamped; its own finalizers do run.
    Once a process: a child starts with none of its parent's."""
    global _FINALIZED_IN
    if _FINALIZED_IN != os.getpid():
        _FINALIZED_IN = os.getpid()
        multiprocessing.util.Finalize(None, _flush_at_exit, exitpriority=100)


def _advice(exc: BaseException) -> str:
    """What to do about a cache that cannot be used because of ``exc``."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
        return (
            "another process holds it locked: let that one finish, or set ALIGN_CACHE_DIR "
            "(cache_dir=) to a folder of this run's own"
        )
    full = code is not None and code & 0xFF == _FULL_CODE
    if full or getattr(exc, "errno", None) == errno.ENOSPC:
        return (
            "free some disk space, or set ALIGN_CACHE_DIR (cache_dir=) to a folder on another disk"
        )
    return "set ALIGN_CACHE_DIR (cache_dir=) to a writable folder"


class CachedEncoder:
    """An :class:`Encoder` that asks ``encoder`` only for texts it has not seen.

    Counters, per text position requested: ``hits`` came from disk, ``misses``
    did not; ``encoded`` counts texts actually sent to the model (misses with
    duplicates removed); ``evicted`` counts rows this instance deleted to keep the
    cache under ``max_size`` (bytes, or text such as ``"2GB"`` or ``"unlimited"``;
    None: ``$ALIGN_CACHE_MAX``, else :data:`DEFAULT_MAX_BYTES`).

    A cache only saves time, so a file that cannot be used (read-only, a full disk,
    locked by another process past the waits, damaged where it cannot be moved aside) is
    one warning, and the run goes on without it (or reading it, storing nothing):
    ``trouble`` then says why. Only a folder that cannot be made raises, at once.
    """

    busy_timeout_ms = 60_000
    """How long SQLite itself waits for another process's write to finish."""
    retry_seconds = 300.0
    """How long a busy or locked database is retried on top of that before giving up."""

    def __init__(
        self, encoder: Encoder, cache_dir: Path | str, max_size: int | str | None = None
    ) -> None:
        try:
            self.max_bytes = cache_limit(max_size)
        except ValueError as exc:
            raise AlignError(f"embedding cache limit: {exc}") from exc
        self.inner = encoder
        self.name = encoder.name
        self.version = encoder.version
        self.dim = encoder.dim
        self.cache_dir = Path(cache_dir).expanduser()
        self.path = self.cache_dir / DB_NAME
        self.hits = 0
        self.misses = 0
        self.encoded = 0
        self.evicted = 0
        self._session = now_ms()
        self._pending: set[str] = set()
        _OPEN.add(self)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = 0
        self._reading = self._writing = True
        self.trouble: str | None = None
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._fail(exc) from exc
        try:
            self._connection()
        except (OSError, sqlite3.Error) as exc:
            self._without(exc, reading=True)

    def _fail(self, exc: Exception) -> OutputError:
        return OutputError(
            f"cannot use the embedding cache {self.path}: {exc}; "
            "set ALIGN_CACHE_DIR (cache_dir=) to a writable folder or run with --no-cache "
            "(use_cache=False)"
        )

    def _open(self) -> sqlite3.Connection:
        timeout = self.busy_timeout_ms / 1000
        conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            conn.execute(f"PRAGMA page_size = {page_size_for(self.dim)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            ensure_schema(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _connection(self) -> sqlite3.Connection:
        """The connection for this process; a forked child opens its own."""
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        try:
            conn = self._retrying(self._open)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise
            self._set_aside(exc)
            conn = self._retrying(self._open)
        self._conn, self._pid = conn, os.getpid()
        _flush_when_the_process_ends()
        return conn

    def _set_aside(self, exc: sqlite3.DatabaseError) -> None:
        """Move a damaged database (and its write-ahead log) out of the way: a cache only
        saves time, and every later run would fail on it the same way."""
        if self._conn is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None
        aside = self.path.with_name(f"{DB_NAME}.corrupt-{int(time.time())}")
        try:
            self.path.replace(aside)
        except OSError as move:
            raise OSError(f"{exc}; it cannot be moved aside: {move.strerror}") from move
        log.warning("embedding cache %s is damaged (%s); moved to %s", self.path, exc, aside)
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
        return retrying(action, self.path, self.retry_seconds)

    def _lookup(self, keys: list[str]) -> tuple[dict[str, np.ndarray], list[str]]:
        return self._mending(lambda: self._retrying(lambda: self._lookup_once(keys)))

    def _lookup_once(self, keys: list[str]) -> tuple[dict[str, np.ndarray], list[str]]:
        """The vectors held, and the keys of those last stamped before this run (or
        long ago in it): only these are written back as used."""
        found: dict[str, np.ndarray] = {}
        stale: list[str] = []
        before = max(self._session, now_ms() - TOUCH_AFTER_MS)
        conn = self._connection()
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT key, dim, vec, used FROM vectors "
                f"WHERE model = ? AND version = ? AND key IN ({marks})",
                (self.name, self.version, *chunk),
            )
            for key, dim, blob, used in rows:
                vec = self._decode(dim, blob)
                if vec is not None:
                    found[key] = vec
                    if not isinstance(used, int) or used <= before:
                        stale.append(key)
        return found, stale

    def _decode(self, dim: object, blob: object) -> np.ndarray | None:
        """The stored vector, or None if the row is damaged (then it is re-encoded)."""
        if dim != self.dim or not isinstance(blob, bytes) or len(blob) != self.dim * 4:
            return None
        vec = np.frombuffer(blob, dtype=_DTYPE).astype(np.float32)
        norm = float(np.linalg.norm(vec))
        if not np.isfinite(vec).all() or not (abs(norm - 1.0) < 1e-3 or norm == 0.0):
            return None
        return vec

    def _store(self, keys: list[str], vectors: np.ndarray, stale: list[str]) -> None:
        """Write the new vectors and stamp ``stale`` as used, in one transaction; then
        evict if the cache is past its limit (an older install's writes never evict)."""
        stamp = now_ms()
        rows = [
            (self.name, self.version, k, self.dim, np.asarray(v, dtype=_DTYPE).tobytes(), stamp)
            for k, v in zip(keys, vectors, strict=True)
        ]
        self._mending(lambda: self._retrying(lambda: self._store_once(rows, stale, stamp)))

    def _store_once(
        self, rows: list[tuple[str, str, str, int, bytes, int]], stale: list[str], stamp: int
    ) -> None:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for i in range(0, len(stale), _CHUNK):
                chunk = stale[i : i + _CHUNK]
                conn.execute(
                    f"UPDATE vectors SET used = ? WHERE model = ? AND version = ? "
                    f"AND key IN ({','.join('?' * len(chunk))})",
                    (stamp, self.name, self.version, *chunk),
                )
            conn.executemany(
                "INSERT INTO vectors (model, version, key, dim, vec, used) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (model, version, key) "
                "DO UPDATE SET dim = excluded.dim, vec = excluded.vec, used = excluded.used",
                rows,
            )
            evicted = evict(conn, self.max_bytes)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self.evicted += evicted

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
            found, stale = self._read(list(first))
            missing = [k for k in first if k not in found]
            vectors = np.empty((0, self.dim), dtype=np.float32)
            if missing:
                vectors = np.asarray(compute([first[k] for k in missing]), dtype=np.float32)
                if vectors.shape != (len(missing), self.dim):
                    raise ValueError(
                        f"encoder {self.name} returned shape {vectors.shape} "
                        f"for {len(missing)} texts, expected (n, {self.dim})"
                    )
            if self._writing:
                self._pending.update(stale)
                if missing or len(self._pending) >= TOUCH_BATCH:
                    self._write(missing, vectors)
            found.update(zip(missing, vectors, strict=True))
            self.encoded += len(missing)
            for i, k in enumerate(keys):
                out[i] = found[k]
            fresh = set(missing)
            n_hits = sum(k not in fresh for k in keys)
            self.hits += n_hits
            self.misses += len(texts) - n_hits
        return out

    def _read(self, keys: list[str]) -> tuple[dict[str, np.ndarray], list[str]]:
        if not self._reading:
            return {}, []
        try:
            return self._lookup(keys)
        except (OSError, sqlite3.Error) as exc:
            self._without(exc, reading=True)
            return {}, []

    def _write(self, keys: list[str], vectors: np.ndarray) -> None:
        """Store ``vectors`` and the stamps waiting; where the file turns out damaged past
        mending, stop reading it too."""
        try:
            self._store(keys, vectors, sorted(self._pending))
        except (OSError, sqlite3.Error) as exc:
            self._without(exc, reading=not isinstance(exc, sqlite3.OperationalError))
        self._pending.clear()

    def _without(self, exc: BaseException, *, reading: bool) -> None:
        """Stop writing the cache (and reading it, with ``reading``), saying so in one line;
        the vectors of the run are the encoder's own either way."""
        if not self._reading or (not reading and not self._writing):
            return
        self.trouble = " ".join(str(exc).split()) or type(exc).__name__
        self._writing = False
        self._pending.clear()
        if reading:
            self._reading = False
            if self._conn is not None and self._pid == os.getpid():
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
            self._conn = None
            log.warning(
                "embedding cache %s cannot be used (%s): this run goes on without it; %s, "
                "or run with --no-cache (use_cache=False)",
                self.path,
                self.trouble,
                _advice(exc),
            )
        else:
            log.warning(
                "embedding cache %s cannot be written (%s): this run reads it but stores no "
                "vectors; %s",
                self.path,
                self.trouble,
                _advice(exc),
            )

    def flush(self, *, wait: bool = True) -> None:
        """Stamp the hits still waiting as used. Best effort: a stamp lost only makes its
        row look older. ``wait`` False (a signal handler, which may have stopped this very
        thread inside the encoder's own work) leaves them where the lock is held."""
        if not self._lock.acquire(blocking=wait):
            return
        try:
            if not self._pending or self._conn is None or self._pid != os.getpid():
                return
            if self._writing:
                self._write([], np.empty((0, self.dim), dtype=np.float32))
            self._pending.clear()
        finally:
            self._lock.release()

    def close(self) -> None:
        self.flush()
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def __del__(self) -> None:
        """Flush when the last reference goes: ``align pair`` drops its encoder when the
        alignment is done, long before the exit handler, which found it gone from
        :data:`_OPEN` and the run's hits never stamped."""
        with contextlib.suppress(Exception):
            self.close()

    def __enter__(self) -> CachedEncoder:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


# --- looking after the cache (``align cache``) ---------------------------------------------


@dataclass(frozen=True)
class CacheInfo:
    """What ``align cache info`` shows."""

    path: Path
    on_disk: int
    size: int
    rows: int
    models: list[tuple[str, str, int]]
    limit: int | None


class CacheError(AlignError):
    """The cache cannot be looked after as asked (missing, damaged, busy)."""


def set_aside(cache_dir: Path) -> list[Path]:
    """The damaged caches runs have moved aside (``embeddings.sqlite3.corrupt-…``), with
    their ``-wal`` and ``-shm``: never read again, so only space, until a clear."""
    folder = Path(cache_dir).expanduser()
    return sorted(p for p in folder.glob(f"{DB_NAME}.corrupt-*") if p.is_file())


def has_cache(cache_dir: Path) -> bool:
    """Whether a run has made the cache in ``cache_dir`` (``align cache`` says so, and
    that is no error)."""
    return (Path(cache_dir).expanduser() / DB_NAME).is_file()


def _files(path: Path) -> list[Path]:
    return [path.with_name(path.name + extra) for extra in ("", "-wal", "-shm")]


@contextlib.contextmanager
def open_cache(cache_dir: Path, *, write: bool = True) -> Iterator[sqlite3.Connection]:
    """The existing cache in ``cache_dir`` (never creates one); one-line errors."""
    path = Path(cache_dir).expanduser() / DB_NAME
    if not path.is_file():
        raise CacheError(
            f"no embedding cache at {path}: the first 'align pair' or 'align batch' makes it "
            f"(ALIGN_CACHE_DIR chooses the folder)"
        )
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=60, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise CacheError(f"cannot open the embedding cache {path}: {exc}") from exc
    try:
        conn.execute("PRAGMA busy_timeout = 60000")
        if write:
            retrying(lambda: ensure_schema(conn), path, CachedEncoder.retry_seconds)
        else:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        yield conn
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
            raise CacheError(
                f"the embedding cache {path} stayed busy ({exc}): try again when the "
                f"running alignments finish"
            ) from exc
        raise CacheError(
            f"cannot read the embedding cache {path} ({exc}): 'align cache clear' deletes "
            f"it, and the next run starts a new one"
        ) from exc
    finally:
        conn.close()


def cache_info(cache_dir: Path, limit: int | None) -> CacheInfo:
    """What the counters say, without reading the vectors (a 1 GB cache took seconds to
    count); a cache no run has brought up to date since it was made is counted."""
    path = Path(cache_dir).expanduser() / DB_NAME
    with open_cache(cache_dir, write=False) as conn:
        if _current(conn):
            held = conn.execute(
                "SELECT model, version, n FROM models WHERE n > 0 ORDER BY model, version"
            ).fetchall()
            rows, size = stored(conn)
        else:
            held = conn.execute(
                "SELECT model, version, count(*) FROM embeddings GROUP BY model, version "
                "ORDER BY model, version"
            ).fetchall()
            (total,) = conn.execute(
                f"SELECT coalesce(sum({_ROW.format('embeddings')}), 0) FROM embeddings"
            ).fetchone()
            rows, size = sum(int(n) for _, _, n in held), int(total * FILE_FACTOR)
        models = [(str(m), str(v), int(n)) for m, v, n in held]
    on_disk = sum(f.stat().st_size for f in _files(path) if f.exists())
    return CacheInfo(path, on_disk, size, rows, models, limit)


def clear_cache(cache_dir: Path, model: str | None = None) -> int:
    """Delete every vector (or ``model``'s) and give the space back; a damaged cache is
    deleted whole, and clearing all deletes the damaged copies runs set aside
    (:func:`set_aside`) too. Returns the rows deleted (-1: a damaged file was deleted)."""
    path = Path(cache_dir).expanduser() / DB_NAME
    if model is None:
        for copy in set_aside(cache_dir):
            copy.unlink(missing_ok=True)
    try:
        with open_cache(cache_dir) as conn:
            where, args = ("WHERE model = ?", (model,)) if model is not None else ("", ())
            removed = retrying(
                lambda: _in_write(
                    conn, lambda: conn.execute(f"DELETE FROM vectors {where}", args).rowcount
                ),
                path,
                CachedEncoder.retry_seconds,
            )
            compact(conn)
            return int(removed)
    except CacheError:
        if not path.is_file() or _readable(path):
            raise
    for file in _files(path):
        file.unlink(missing_ok=True)
    return -1


def _readable(path: Path) -> bool:
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as c:
            c.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.DatabaseError as exc:
        return isinstance(exc, sqlite3.OperationalError) and _is_busy(exc)


def prune_cache(cache_dir: Path, limit: int) -> tuple[int, int]:
    """Evict the least recently used down to ``limit`` now and give the space back.
    Returns the rows deleted and the size left."""
    path = Path(cache_dir).expanduser() / DB_NAME
    with open_cache(cache_dir) as conn:
        removed = retrying(
            lambda: _in_write(conn, lambda: evict(conn, limit, target=limit)),
            path,
            CachedEncoder.retry_seconds,
        )
        compact(conn)
        return removed, stored(conn)[1]


def _in_write(conn: sqlite3.Connection, action: Callable[[], T]) -> T:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = action()
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return result


def compact(conn: sqlite3.Connection) -> bool:
    """Give free pages back to the disk (VACUUM), on pages big enough for the widest
    vectors held when no other process has the cache open; False if it stayed busy (the
    free pages are then reused by the next vectors)."""
    dim = conn.execute("SELECT max(dim) FROM vectors").fetchone()[0] or 512
    wanted = page_size_for(int(dim))
    small = conn.execute("PRAGMA page_size").fetchone()[0] < wanted
    if not small and not conn.execute("PRAGMA freelist_count").fetchone()[0]:
        return True
    conn.execute("PRAGMA busy_timeout = 2000")
    try:
        if small:
            with contextlib.suppress(sqlite3.OperationalError):
                if conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete":
                    conn.execute(f"PRAGMA page_size = {wanted}")
        conn.execute("VACUUM")
        return True
    except sqlite3.OperationalError as exc:
        if not _is_busy(exc):
            raise
        return False
    finally:
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA busy_timeout = 60000")
