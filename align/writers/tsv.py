"""Tab-separated text: the lowest common denominator for spreadsheets and quick checks."""

from __future__ import annotations

import math
from datetime import datetime

from align.languages import lang_code
from align.types import Alignment
from align.writers.base import (
    DroppedChar,
    Rendered,
    Writer,
    clean_text,
    paragraph_label,
    paragraphs,
    written_beads,
)

COLUMNS = ("source", "target", "confidence", "bead", "paragraph")
"""The columns; the header row names the first two by their language (:func:`header_row`)."""


def header_row(src_code: str, tgt_code: str) -> str:
    """The header row: the languages (``zh-CN``, ``en-US``) in the first two columns'
    place, so a TSV converted back to TMX, or imported into a CAT tool, keeps them."""
    return "\t".join((src_code or COLUMNS[0], tgt_code or COLUMNS[1], *COLUMNS[2:]))


class TsvWriter(Writer):
    """One row per bead with text on both sides (both or either with ``include_empty``).

    No quoting: tabs and line breaks inside text become spaces, so every row is
    exactly one line of five fields. The header row names the languages.
    """

    name = "tsv"
    suffix = ".tsv"

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
        dropped: list[DroppedChar] = []
        src_code = src_lang_code or lang_code(alignment.src_lang)
        tgt_code = tgt_lang_code or lang_code(alignment.tgt_lang)
        rows = [header_row(src_code, tgt_code)]
        keep, skipped = written_beads(alignment, include_empty, include_untranslated)
        for i, bead in keep:
            n = i + 1
            src = clean_text(alignment.src_text(bead), f"bead {n} source", dropped)
            tgt = clean_text(alignment.tgt_text(bead), f"bead {n} target", dropped)
            if not (src or tgt) or (not include_empty and not (src and tgt)):
                skipped.append(i)
                continue
            para = paragraphs(alignment.src, bead.src) or paragraphs(alignment.tgt, bead.tgt)
            conf = f"{bead.confidence:.3f}" if math.isfinite(bead.confidence) else ""
            rows.append("\t".join((src, tgt, conf, bead.kind, paragraph_label(para))))
        data = ("\n".join(rows) + "\n").encode("utf-8")
        return Rendered(data, len(rows) - 1, tuple(sorted(skipped)), tuple(dropped))
