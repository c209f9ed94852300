"""The export stage: serialise an Alignment fully in memory, then write it atomically.

Formats: ``tmx`` (for CAT tools), ``tsv`` (spreadsheets), ``jsonl`` (the whole
alignment, for reopening in a review tool). Beads with an empty side are not
written as TMX/TSV units (CAT tools reject one-sided TUs); the report lists them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from align.atomic import atomic_write, refuse_existing
from align.errors import InputError, OutputError
from align.types import Alignment
from align.writers.base import DroppedChar, Rendered, Writer
from align.writers.jsonl import JsonlWriter
from align.writers.tmx import TmxWriter, read_tmx_units
from align.writers.tsv import TsvWriter

log = logging.getLogger(__name__)

WRITERS: dict[str, Writer] = {w.name: w for w in (TmxWriter(), TsvWriter(), JsonlWriter())}

__all__ = [
    "WRITERS",
    "DroppedChar",
    "Rendered",
    "WriteResult",
    "Writer",
    "format_for_path",
    "get_writer",
    "output_format",
    "read_alignment",
    "read_tmx_units",
    "write_alignment",
]


@dataclass(frozen=True)
class WriteResult:
    """What was written where, and what could not be written as is.

    ``skipped`` indexes ``Alignment.beads`` (beads not written as units);
    ``dropped`` lists characters removed or replaced (see ``DroppedChar``).
    """

    path: Path
    format: str
    units: int
    skipped: tuple[int, ...]
    dropped: tuple[DroppedChar, ...]


def _names() -> str:
    return ", ".join(WRITERS)


def get_writer(name: str) -> Writer:
    try:
        return WRITERS[name.lower()]
    except KeyError:
        raise OutputError(f"unknown output format {name!r}: use one of {_names()}") from None


def named_format(path: Path | str) -> str | None:
    """The format whose suffix ``path`` has (case-insensitive), or None."""
    suffix = Path(path).suffix.lower()
    return next((w.name for w in WRITERS.values() if w.suffix == suffix), None)


def format_for_path(path: Path | str) -> str:
    """The format a file name asks for, by suffix (case-insensitive)."""
    name = named_format(path)
    if name is not None:
        return name
    suffix = Path(path).suffix.lower()
    suffixes = ", ".join(w.suffix for w in WRITERS.values())
    raise OutputError(
        f"{path}: cannot tell the output format from {suffix or 'no suffix'!r}: "
        f"name it {suffixes}, or give the format (--format, fmt=)"
    )


def output_format(path: Path | str, fmt: str | None = None) -> str:
    """The format to write ``path`` in: ``fmt``, else its suffix's. An
    :class:`~align.errors.OutputError` where neither tells one, or where they differ
    (``k.tmx`` as TSV): a CAT tool would read the TSV as a broken TMX."""
    if fmt is None:
        return format_for_path(path)
    name = get_writer(fmt).name
    named = named_format(path) or name
    if named != name:
        raise OutputError(
            f"{path} is named as {named.upper()} but the format given is {name} (--format "
            f"{name}, fmt={name!r}): name it {WRITERS[name].suffix}, or give no format"
        )
    return name


def write_alignment(
    alignment: Alignment,
    path: Path | str,
    *,
    fmt: str | None = None,
    force: bool = False,
    **options: object,
) -> WriteResult:
    """Serialise ``alignment`` (format from ``fmt`` or the suffix, which must agree:
    :func:`output_format`) and write it atomically.

    ``options`` go to the writer (``include_empty``, ``date``, ``src_lang_code``,
    ``tgt_lang_code``). Serialising happens before the file is touched, so a
    failure never leaves a partial file; changed characters are logged as warnings.
    """
    path = Path(path)
    name = output_format(path, fmt)
    refuse_existing(path, force=force)
    rendered = WRITERS[name].render(alignment, **options)  # type: ignore[arg-type]
    atomic_write(path, rendered.data, force=force)
    for d in rendered.dropped:
        log.warning("%s: %s", path, d)
    return WriteResult(path, name, rendered.units, rendered.skipped, rendered.dropped)


def read_alignment(path: Path | str, *, fmt: str | None = None) -> Alignment:
    """Reopen a written alignment (``jsonl`` exactly; ``tmx`` as 1-1 beads per unit)."""
    path = Path(path)
    try:
        name = get_writer(fmt).name if fmt else format_for_path(path)
    except OutputError as exc:
        raise InputError(str(exc)) from None
    writer = WRITERS[name]
    if not writer.readable:
        raise InputError(f"{path}: {name} files cannot be read back: use the .jsonl output")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}: check the path") from None
    try:
        return writer.loads(data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
