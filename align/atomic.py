"""Write a file so that readers see either the old content or the new, never half of it.

The data goes to a temporary file in the destination folder (same filesystem,
so the final rename is atomic), is fsynced, then renamed over the target.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from align.errors import OutputError


def _default_mode() -> int:
    """The mode a plainly created file would get (mkstemp makes 0600 files)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _reason(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(
            f"cannot create folder {folder}: part of that path is a file: choose another -o"
        ) from None
    except OSError as exc:
        raise OutputError(
            f"cannot create folder {folder}: {_reason(exc)}: choose another -o"
        ) from None
    if not folder.is_dir():
        raise OutputError(f"{folder} is not a folder: choose another -o")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; best effort (not every OS can open folders)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def refuse_existing(path: Path, *, force: bool = False) -> None:
    """Refuse a folder, or an existing file without ``force``: checked before any work
    by a writer that renders first, and again by :func:`atomic_output`."""
    if path.is_dir():
        raise OutputError(f"{path} is a folder: give a file name with -o (path=)")
    if path.exists() and not force:
        raise OutputError(
            f"{path} already exists: pass --force (force=True) to overwrite, or choose another -o"
        )


@contextlib.contextmanager
def atomic_output(path: Path | str, *, force: bool = False) -> Iterator[BinaryIO]:
    """Stream an output atomically, for files too large to hold in memory.

    Yields a binary file in the destination folder; when the block ends without
    error it is fsynced and renamed over ``path`` (refused if ``path`` exists and
    not ``force``). On any error the partial file is removed and ``path`` is untouched.
    """
    path = Path(path)
    refuse_existing(path, force=force)
    folder = path.parent
    _make_folder(folder)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(
            f"cannot write in folder {folder}: {_reason(exc)}: choose another -o"
        ) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            mode = _default_mode()
        os.chmod(tmp, mode)
        if force:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except OSError as exc:
        _discard(tmp)
        raise OutputError(f"cannot write {path}: {_reason(exc)}: choose another -o") from None
    except BaseException:
        _discard(tmp)
        raise
    _discard(tmp)
    _fsync_folder(folder)


def atomic_write(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; refuse to replace a file unless ``force``.

    Missing parent folders are created. On any failure the temporary file is
    removed and an existing ``path`` is left exactly as it was.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"atomic_write needs bytes, got {type(data).__name__}")
    with atomic_output(path, force=force) as fh:
        fh.write(data)


def _link_new(tmp: Path, path: Path) -> None:
    """Publish ``tmp`` as ``path`` only if ``path`` still does not exist (no race)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputError(
            f"{path} already exists: pass --force (force=True) to overwrite, or choose another -o"
        ) from None
    except OSError:
        # Filesystems without hard links: fall back to a checked rename.
        if path.exists():
            raise OutputError(
                f"{path} already exists: pass --force (force=True) to overwrite, or choose "
                "another -o"
            ) from None
        os.replace(tmp, path)


def _discard(tmp: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
