"""TMX 1.4b with a ``<tuv>`` per language: the language versions of one document in one TM.

The header and props are those of a pair's TMX (:mod:`align.writers.tmx`); ``srclang``
is the pivot, which every unit has. A CAT tool reads the two languages its project
needs from each unit and leaves the others.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from lxml import etree

from align import __version__
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
    tmx_date,
)
from align.writers.tmx import DOCTYPE, TOOL, XML_DECLARATION, XML_LANG, prop


def render(multilingual: Multilingual, *, date: datetime | str | None = None) -> Rendered:
    """The TMX of every unit, the pivot's ``<tuv>`` first, then the others in order."""
    m = multilingual
    dropped: list[DroppedChar] = []
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool=TOOL,
        creationtoolversion=__version__,
        segtype="sentence",
        **{"o-tmf": TOOL},
        adminlang="en-US",
        srclang=lang_code(m.pivot),
        datatype="plaintext",
        creationdate=tmx_date(date),
    )
    document = clean_text(m.document, "document", dropped)
    if document:
        prop(header, "x-document", document)
    for key, value in m.signature.items():
        where = f"signature {key}"
        prop(
            header,
            f"x-signature-{clean_text(key, where, dropped)}",
            clean_text(value, where, dropped),
        )
    body = etree.SubElement(root, "body")
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
    etree.indent(root, space="  ")
    data = XML_DECLARATION + DOCTYPE + etree.tostring(root, encoding="UTF-8") + b"\n"
    return Rendered(data, len(m.units), (), tuple(dropped))


def write(
    multilingual: Multilingual,
    path: Path | str,
    *,
    force: bool = False,
    date: datetime | str | None = None,
) -> Rendered:
    """Render, then write atomically: an existing file is replaced only with ``force``."""
    path = Path(path)
    if path.suffix.lower() != ".tmx":
        raise OutputError(f"{path}: a multilingual TM is written as TMX: name it .tmx")
    rendered = render(multilingual, date=date)
    atomic_write(path, rendered.data, force=force)
    return rendered
