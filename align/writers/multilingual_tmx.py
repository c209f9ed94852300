"""TMX 1.4b with a ``<tuv>`` per language: the language versions of one document in one TM.

The header and props are those of a pair's TMX (:mod:`align.writers.tmx`); ``srclang``
is the pivot, which every unit has. A CAT tool reads the two languages its project
needs from each unit and leaves the others.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from lxml import etree

from align.atomic import atomic_write
from align.errors import OutputError
from align.languages import lang_code
from align.multilingual import Multilingual
from align.writers.base import (
    DroppedChar,
    Rendered,
    clean_text,
    paragraph_label,
    paragraphs,
)
from align.writers.tmx import XML_LANG, new_tmx, prop, serialise


def render(multilingual: Multilingual, *, date: datetime | str | None = None) -> Rendered:
    """The TMX of every unit, the pivot's ``<tuv>`` first, then the others in order."""
    m = multilingual
    dropped: list[DroppedChar] = []
    root, body, document = new_tmx(lang_code(m.pivot), m.document, m.signature, date, dropped)
    for n, unit in enumerate(m.units, 1):
        tu = etree.SubElement(body, "tu", tuid=str(n))
        prop(tu, "x-confidence", f"{unit.confidence:.3f}")
        if document:
            prop(tu, "x-document", document)
        pivot_ids = unit.ids[m.pivot]
        para = paragraphs(m.segments[m.pivot], pivot_ids)
        if para:
            prop(tu, "x-paragraph", paragraph_label(para))
        kinds = {m.segments[m.pivot][i].kind for i in pivot_ids}
        if kinds - {"body"}:
            prop(tu, "x-kind", ",".join(sorted(kinds)))
        for lang in m.langs:
            if lang in unit.ids:
                text = clean_text(m.text(unit, lang), f"unit {n} {lang}", dropped)
                tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang_code(lang)})
                etree.SubElement(tuv, "seg").text = text
    return Rendered(serialise(root), len(m.units), (), tuple(dropped))


def check_path(path: Path) -> None:
    """Refuse a path a multilingual TM cannot be written to, before any work."""
    if path.is_dir():
        raise OutputError(f"{path} is a folder: give a file name with -o (path=)")
    if path.suffix.lower() != ".tmx":
        raise OutputError(f"{path}: a multilingual TM is written as TMX: name it .tmx")


def write(
    multilingual: Multilingual,
    path: Path | str,
    *,
    force: bool = False,
    date: datetime | str | None = None,
) -> Rendered:
    """Render, then write atomically: an existing file is replaced only with ``force``."""
    path = Path(path)
    check_path(path)
    rendered = render(multilingual, date=date)
    atomic_write(path, rendered.data, force=force)
    return rendered
