"""Read a document from disk into a RawDocument, choosing the reader by file suffix.

Every module in this package that defines ``READER`` (a ``base.Reader``) is
registered for its suffixes, so adding a format is adding a file. A file
whose suffix no reader claims goes to the reader whose ``magic`` bytes it
starts with, else to the plain-text reader.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from align.readers import base
from align.readers.base import Reader
from align.types import RawDocument

__all__ = ["READERS", "Reader", "read_document", "reader_for"]

FALLBACK_SUFFIX = ".txt"


def _discover() -> dict[str, Reader]:
    readers: dict[str, Reader] = {}
    owners: dict[str, str] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base":
            continue
        reader = getattr(importlib.import_module(f"{__name__}.{info.name}"), "READER", None)
        if isinstance(reader, Reader):
            for suffix in reader.suffixes:
                if suffix in readers:
                    raise RuntimeError(f"{owners[suffix]} and {info.name} both claim {suffix}")
                readers[suffix], owners[suffix] = reader, info.name
    return readers


READERS: dict[str, Reader] = _discover()
"""Lower-case file suffix -> the reader for it."""


def reader_for(path: Path) -> Reader:
    """The reader for ``path``: by suffix, else by leading bytes, else plain text."""
    reader = READERS.get(path.suffix.lower())
    if reader is not None:
        return reader
    with path.open("rb") as stream:
        head = stream.read(16)
    for candidate in dict.fromkeys(READERS.values()):
        if any(head.startswith(magic) for magic in candidate.magic):
            return candidate
    return READERS[FALLBACK_SUFFIX]


def read_document(path: str | Path, lang: str, *, max_bytes: int | None = None) -> RawDocument:
    """Read ``path`` as a document in ``lang``.

    ``max_bytes`` overrides ``base.MAX_INPUT_BYTES``. Raises ``InputError``
    (one line: file, problem, remedy) for anything that cannot be used.
    """
    file = Path(path)
    base.check_file(file, max_bytes)
    try:
        reader = reader_for(file)
    except OSError as err:
        raise base.input_error(
            file, f"cannot be read ({err.strerror})", "check its permissions"
        ) from err
    text, encoding = reader.read(file, lang)
    if not text.strip():
        raise base.input_error(
            file, "contains no text (only whitespace)", "check that it is the right file"
        )
    text, plain = base.plain_forms(text)
    return RawDocument(
        text=text,
        path=str(path),
        encoding=encoding,
        lang=lang,
        plain_forms=plain,
        layout=reader.layout,
        reader=reader.tools(),
    )
