"""What every output format shares: the Writer interface and text hygiene.

Serialising never touches the disk: ``render`` returns the bytes together with
what was left out (one-sided beads) and which characters had to be changed, so
the caller can write atomically and tell the user that nothing vanished silently.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from align.errors import OutputError
from align.languages import LANG_CODES
from align.types import Alignment, Bead, Segment

# XML 1.0 Char excludes these; TSV and terminals do not want them either.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Vertical tab and form feed are line breaks (Word writes \x0b for a manual
# break): dropping them would glue two words together, so they become spaces.
_AS_SPACE = "\x0b\x0c"
LINE_BREAK = re.compile(r"\s*[\t\n\r\x0b\x0c\x85\u2028\u2029]\s*")
"""A line break or tab with the spaces around it: :func:`clean_text` makes it one space."""
TMX_DATE = re.compile(r"\d{8}T\d{6}Z")
"""TMX 1.4b's date format (ISO 8601 basic, UTC), the one CAT tools parse: match whole."""


@dataclass(frozen=True)
class DroppedChar:
    """A character that could not be written as is: removed, or replaced by a space."""

    where: str
    char: str
    count: int
    replacement: str = ""

    def __str__(self) -> str:
        what = "replaced" if self.replacement else "removed"
        by = " with a space" if self.replacement == " " else ""
        return f"{self.where}: {what} {self.count} × U+{ord(self.char):04X}{by}"


@dataclass(frozen=True)
class Rendered:
    """A serialised alignment and what the serialisation had to leave out or change.

    ``units`` counts the records written (TUs, rows, beads); ``skipped`` are
    indices into ``Alignment.beads`` that were not written.
    """

    data: bytes
    units: int
    skipped: tuple[int, ...] = ()
    dropped: tuple[DroppedChar, ...] = ()


def clean_text(text: str, where: str, dropped: list[DroppedChar] | None = None) -> str:
    """Make ``text`` one line of XML-safe characters, recording every change in ``dropped``.

    Line breaks and tabs (with the spaces around them) become one space; characters
    XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF) are removed.
    """
    if _SURROGATE.search(text):
        # Rejoin surrogate pairs into the character they encode; only lone halves remain.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    bad = _FORBIDDEN.findall(text)
    if bad:
        if dropped is not None:
            for char, count in sorted(Counter(bad).items()):
                replacement = " " if char in _AS_SPACE else ""
                dropped.append(DroppedChar(where, char, count, replacement))
        text = _FORBIDDEN.sub(lambda m: m.group() if m.group() in _AS_SPACE else "", text)
    return LINE_BREAK.sub(" ", text).strip()


def lang_from_code(code: str) -> str:
    """Invert :func:`lang_code` for the codes it produces; keep any other code as is."""
    base = code.split("-")[0].lower()
    return base if LANG_CODES.get(base, "").lower() == code.lower() else code


def paragraphs(segments: list[Segment], ids: tuple[int, ...]) -> list[int]:
    return sorted({segments[i].paragraph for i in ids})


def paragraph_label(numbers: list[int]) -> str:
    """Sorted paragraph numbers as ranges: [12] -> "12", [12, 13] -> "12-13", [3, 5] -> "3,5"."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ",".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def tmx_date(date: datetime | str | None = None) -> str:
    """A TMX date (YYYYMMDDThhmmssZ, UTC).

    ``None`` means now, unless ``SOURCE_DATE_EPOCH`` is set (reproducible builds).
    Naive datetimes are taken as UTC. Anything else raises ``OutputError``: the TM would
    otherwise carry a date no CAT tool reads.
    """
    if date is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        date = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    if isinstance(date, str) and TMX_DATE.fullmatch(date):
        return date
    if not isinstance(date, datetime):
        raise OutputError(
            f"date {date!r} is not a TMX date: pass date= a datetime, or a string like "
            "20240131T235959Z (UTC)"
        )
    if date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    return date.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


class Writer:
    """One output format. Subclasses set ``name``/``suffix`` and implement ``render``.

    All writers take the same keyword options so a caller need not know the format:
    ``include_empty`` (also write beads with an empty side), ``include_untranslated``
    (also write beads whose text is not translated, :func:`written_beads`), ``date``
    (creation date, for reproducible output), ``src_lang_code``/``tgt_lang_code``
    (override zh-CN/en-US). Options a format has no use for are ignored.
    """

    name: str = ""
    suffix: str = ""
    readable: bool = False

    def render(
        self,
        alignment: Alignment,
        *,
        include_empty: bool = False,
        include_untranslated: bool = False,
        date: datetime | str | None = None,
        src_lang_code: str | None = None,
        tgt_lang_code: str | None = None,
    ) -> Rendered:
        raise NotImplementedError

    def dumps(self, alignment: Alignment, **options: object) -> bytes:
        return self.render(alignment, **options).data  # type: ignore[arg-type]

    def loads(self, data: bytes) -> Alignment:
        raise NotImplementedError(f"{self.name} files cannot be read back into an alignment")


def written_beads(
    alignment: Alignment, include_empty: bool, include_untranslated: bool = False
) -> tuple[list[tuple[int, Bead]], list[int]]:
    """Beads to write as units (with their index) and the indices left out.

    A bead whose text is not translated (:func:`~align.flags.untranslated`: the same
    text on both sides, or a side in the other's language, as an annex "circulated in
    the language of submission only" is in every version) is left out unless
    ``include_untranslated``: a CAT tool would offer its English as the Chinese."""
    from align.flags import untranslated

    keep: list[tuple[int, Bead]] = []
    skipped: list[int] = []
    for i, bead in enumerate(alignment.beads):
        both = bool(bead.src and bead.tgt)
        if both and not include_untranslated and untranslated(alignment, bead):
            skipped.append(i)
        elif both or (include_empty and (bead.src or bead.tgt)):
            keep.append((i, bead))
        else:
            skipped.append(i)
    return keep, skipped
