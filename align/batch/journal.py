"""The run journal: what finished, so an interrupted or repeated batch redoes only the rest.

``OUTDIR/journal.jsonl`` is append-only, one JSON object per finished pair,
flushed and fsynced before the next pair is reported. A pair counts as finished
when its latest line has the same job key (inputs' bytes, encoder, settings,
tool version) and its outputs are on disk with the recorded sha256. The
outputs are written (atomically) before the line, so a crash between the two
leaves an output that is simply redone. A torn last line from a killed process
is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from align.atomic import atomic_write
from align.errors import OutputError

JOURNAL_NAME = "journal.jsonl"
LOCK_NAME = ".batch.lock"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileStamp:
    """An input file as it was hashed: size and mtime let a re-run skip re-reading it."""

    path: str
    size: int
    mtime_ns: int
    sha256: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stamp(path: Path, known: Mapping[str, Any] | None = None) -> FileStamp:
    """Hash ``path``, unless ``known`` (a journal record) has the same path, size and mtime."""
    st = path.stat()
    if (
        known
        and known.get("path") == str(path)
        and known.get("size") == st.st_size
        and known.get("mtime_ns") == st.st_mtime_ns
        and isinstance(known.get("sha256"), str)
    ):
        return FileStamp(str(path), st.st_size, st.st_mtime_ns, known["sha256"])
    return FileStamp(str(path), st.st_size, st.st_mtime_ns, file_sha256(path))


def job_key(pair_id: str, src: FileStamp, tgt: FileStamp, identity: Mapping[str, Any]) -> str:
    """What a pair's outputs depend on, as one digest.

    ``identity`` holds the encoder id and version, the settings, the tool
    version and the batch options; paths and dates are left out, so moving a
    corpus does not redo it.
    """
    payload = {"id": pair_id, "src": src.sha256, "tgt": tgt.sha256, "identity": identity}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Journal:
    """``OUTDIR/journal.jsonl``: read on open, then appended to one fsynced line at a time."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.path = outdir / JOURNAL_NAME
        self.lines = 0
        self.entries: dict[str, dict[str, Any]] = self._load()
        self._fh: Any = None

    def _load(self) -> dict[str, dict[str, Any]]:
        entries: dict[str, dict[str, Any]] = {}
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return entries
        except OSError as exc:
            raise OutputError(f"cannot read {self.path}: {exc.strerror}: check OUTDIR") from None
        for raw in data.split(b"\n"):
            try:
                entry = json.loads(raw)
            except ValueError:
                continue  # a line torn by a killed run
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                entries[entry["id"]] = entry
                self.lines += 1
        return entries

    def compact(self) -> None:
        """Rewrite the journal with only the latest line per pair, once stale lines pile up."""
        if self.lines <= 2 * len(self.entries) + 100:
            return
        data = "".join(_line(e) for e in self.entries.values()).encode("utf-8")
        atomic_write(self.path, data, force=True)
        self.lines = len(self.entries)

    def open(self) -> None:
        try:
            self._fh = self.path.open("ab")
            if self._fh.tell() and not _ends_with_newline(self.path):
                self._fh.write(b"\n")
        except OSError as exc:
            raise OutputError(f"cannot write {self.path}: {exc.strerror}: check OUTDIR") from None

    def record(self, entry: dict[str, Any]) -> None:
        """Append one finished pair; on return it is on disk."""
        self._fh.write(_line(entry).encode("utf-8"))
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self.entries[entry["id"]] = entry
        self.lines += 1

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def finished(self, pair_id: str, key: str) -> dict[str, Any] | None:
        """The journal entry if ``pair_id`` finished with ``key`` and its outputs are intact."""
        entry = self.entries.get(pair_id)
        if entry is None or entry.get("key") != key:
            return None
        outputs = entry.get("outputs")
        if not isinstance(outputs, dict) or not outputs:
            return None
        for out in outputs.values():
            path = self.outdir / str(out.get("path", ""))
            try:
                if not path.is_file() or file_sha256(path) != out.get("sha256"):
                    return None
            except OSError:
                return None
        return entry


def stamp_dict(s: FileStamp) -> dict[str, Any]:
    return asdict(s)


def _line(entry: Mapping[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


@contextlib.contextmanager
def outdir_lock(outdir: Path) -> Iterator[None]:
    """Hold OUTDIR for one batch: two runs appending to one journal would mix their lines."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock, as before
        yield
        return
    path = outdir / LOCK_NAME
    try:
        fh = path.open("a+b")
    except OSError as exc:
        raise OutputError(f"cannot write in {outdir}: {exc.strerror}: choose another -o") from None
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError(
                f"another 'align batch' is writing to {outdir}: wait for it to finish, "
                "or choose another -o"
            ) from None
        yield
    finally:
        fh.close()
