"""Word .docx files (the ``docx`` extra): one paragraph per line, table cells included,
then the footnotes and endnotes under a rule, the way a UN PDF prints them.

Headers and footers are left out: they hold the page furniture (symbol, job
number, page counter) that the cleaner strips from text extracted from PDFs.
Hidden text is left out too, since it is never printed. A paragraph Word numbers
itself gets the number it prints (``wordnum``), as a typed one would be.
Footnotes are not furniture: they cite resolutions and treaties, and a translator
wants those in the TM too. Each is written as a line ``MARK text`` after a
``__________`` rule, numbered in the order the text refers to them (a custom mark,
such as the ``*`` of a sponsors' note, is kept as it is), so the cleaner makes
them footnote blocks exactly as it does for a PDF's.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

from lxml import etree

from align.clean import FOOTNOTE_RULE
from align.readers.base import (
    Reader,
    input_error,
    not_valid,
    office_container_error,
    package_version,
    without_mark,
)
from align.readers.wordnum import Numbering
from align.readers.wordsym import SYMBOL_CODES, sym, symbol, symbol_font

_W = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
# Runs that are not part of the current text: tracked deletions, moved-away
# text, a compatibility fallback's copy of its choice, hidden text (never printed);
# and runs in text boxes, which are read as paragraphs of their own.
_DEAD = "ancestor::w:del or ancestor::w:moveFrom or ancestor::mc:Fallback"
_HIDDEN = "w:rPr/w:vanish[not(@w:val='0' or @w:val='false' or @w:val='off')]"
_LIVE_RUNS = etree.XPath(
    f".//w:r[not({_DEAD} or {_HIDDEN}) and count(ancestor::w:txbxContent) = $boxes]",
    namespaces=_W,
)
_BOXES = etree.XPath("count(ancestor::w:txbxContent)", namespaces=_W)
_NOTE_REFS = etree.XPath(
    f"(.//w:footnoteReference | .//w:endnoteReference)[not({_DEAD})]", namespaces=_W
)


MACRO_DOCUMENT = b"application/vnd.ms-word.document.macroEnabled.main+xml"
PLAIN_DOCUMENT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


class DocxReader(Reader):
    suffixes = (".docx", ".docm")
    magic = (b"PK\x03\x04",)
    layout = "paragraphs"

    def tools(self) -> str:
        return package_version("python-docx")

    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        try:
            import docx
        except ImportError as err:
            raise input_error(
                path, "reading .docx needs the 'docx' extra", "pip install 'un-align[docx]'"
            ) from err
        try:
            document = docx.Document(_without_macro_type(path))
            body = document.element.body
            lines = list(_lines(body, _numbering(document)))
            notes = list(_notes(document, body))
        except Exception as err:  # python-docx raises zip, XML and KeyError alike
            sealed = office_container_error(path, "Word", ".docx", ".doc")
            if sealed is not None:
                raise sealed from err
            action = "open and re-save it in Word, or supply it as .txt or .pdf"
            raise not_valid(path, ".docx", err, action) from err
        if notes:
            lines += ["", FOOTNOTE_RULE, *notes]
        return "\n".join(lines), "docx"


READER = DocxReader()


def _without_macro_type(path: Path) -> str | BytesIO:
    """``path``, or for a macro-enabled document (.docm, which UN templates save) a copy
    in memory that declares it a plain one: the same parts, which python-docx otherwise
    refuses for its content type. Its macros are not read."""
    with zipfile.ZipFile(path) as package:
        types = package.read("[Content_Types].xml")
        if MACRO_DOCUMENT not in types:
            return str(path)
        copy = BytesIO()
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as plain:
            for item in package.infolist():
                data = package.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    data = data.replace(MACRO_DOCUMENT, PLAIN_DOCUMENT)
                plain.writestr(item, data)
    copy.seek(0)
    return copy


def _paragraph(p: Any, numbering: Numbering | None = None) -> str:
    """A paragraph's live text on one line, after the number Word prints for it
    (``numbering``, counted for every body paragraph); a line break inside it is a space."""
    text = "".join(map(_run_text, _LIVE_RUNS(p, boxes=_BOXES(p))))
    label = numbering.label(p) if numbering is not None else ""
    text = text.replace("\r", " ").replace("\n", " ")
    page = _PAGE_AFTER_TAB.search(text)
    leader = numbering.tab_leader(p) if page and numbering is not None else None
    if page and leader in _DOTS:
        text = text[: page.start()] + _DOTS[str(leader)] + page.group(1)
    return label + text if text.strip() else text


_PAGE_AFTER_TAB = re.compile(r"\t\s*(\d{1,4}|[ivxlcdm]{1,7})\s*$")
_DOTS = {"dot": " . . . . . ", "middleDot": " · · · · · "}
"""A contents entry's leader as the page draws it before the page number, for the
cleaner to find as it finds a PDF's (``I. Introduction . . . . . 3``)."""


_RUN_TEXT = etree.XPath(
    "w:t | w:tab | w:br | w:cr | w:noBreakHyphen | w:ptab | w:sym", namespaces=_W
)
_SYM = f"{{{_W['w']}}}sym"


_RUN_FONT = etree.XPath("w:rPr/w:rFonts/@w:ascii | w:rPr/w:rFonts/@w:hAnsi", namespaces=_W)


def _run_text(run: Any) -> str:
    """A run's text as printed: python-docx's, with the characters that ``w:sym`` symbols
    and the codes typed in a symbol font (as LibreOffice writes them) draw."""
    text = "".join(
        sym(e.get(f"{{{_W['w']}}}font"), e.get(f"{{{_W['w']}}}char")) if e.tag == _SYM else str(e)
        for e in _RUN_TEXT(run)
    )
    if SYMBOL_CODES.search(text):
        fonts = [str(font) for font in _RUN_FONT(run) if symbol_font(str(font))]
        if fonts:
            text = SYMBOL_CODES.sub(lambda m: symbol(fonts[0], m.group()), text)
    return text


def _numbering(document: Any) -> Numbering:
    """The document's list definitions and paragraph styles, for its paragraph numbers."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    parts: dict[str, bytes] = {}
    for rel in document.part.rels.values():
        if rel.reltype in (RT.NUMBERING, RT.STYLES) and not rel.is_external:
            parts[rel.reltype] = rel.target_part.blob
    return Numbering(parts.get(RT.NUMBERING), parts.get(RT.STYLES))


_FALLBACK = f"{{{_W['mc']}}}Fallback"


def _lines(container: Any, numbering: Numbering | None = None) -> Iterator[str]:
    """Paragraph texts of a body, cell or note in document order.

    Paragraphs are found at any depth: in tables, content controls and custom XML
    wrappers alike, and a text box's after the paragraph it is anchored in. A
    compatibility fallback repeats its choice, so it is skipped.
    """
    from docx.oxml.ns import qn

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield _paragraph(child, numbering)
            for box in _text_boxes(child):
                yield from _lines(box, numbering)
        elif isinstance(child.tag, str) and child.tag != _FALLBACK:
            yield from _lines(child, numbering)


def _text_boxes(p: Any) -> Iterator[Any]:
    """The text boxes anchored in paragraph ``p`` (not those inside another box, which
    that box gives, nor a compatibility fallback's copy of one)."""
    from docx.oxml.ns import qn

    for box in p.iter(qn("w:txbxContent")):
        up = box.getparent()
        while up is not None and up is not p:
            if up.tag in (_FALLBACK, qn("w:txbxContent")):
                break
            up = up.getparent()
        else:
            yield box


def _notes(document: Any, body: Any) -> Iterator[str]:
    """``MARK text`` for each footnote and endnote the body refers to, in reference order.

    Automatic marks count 1, 2, 3 across both kinds, as the cleaner expects of a
    PDF's footnotes; a reference with ``customMarkFollows`` keeps the mark typed
    after it (its text stays in the body, where the cleaner finds and removes it).
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    stores: dict[str, dict[str, Any]] = {}
    for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
        notes: dict[str, Any] = {}
        for rel in document.part.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                root = parse_xml(rel.target_part.blob)
                for note in root.iterchildren(qn(f"w:{kind}")):
                    notes[note.get(qn("w:id"))] = note
        stores[kind] = notes
    number = 0
    seen: set[tuple[str, str]] = set()
    for ref in _NOTE_REFS(body):
        kind = "footnote" if ref.tag == qn("w:footnoteReference") else "endnote"
        key = (kind, ref.get(qn("w:id")))
        note = stores[kind].get(key[1])
        if note is None or key in seen:
            continue
        seen.add(key)
        if ref.get(qn("w:customMarkFollows")) in ("1", "true", "on"):
            mark = _custom_mark(ref)
        else:
            number += 1
            mark = str(number)
        text = without_mark(" ".join(line.strip() for line in _lines(note) if line.strip()), mark)
        if text:
            yield f"{mark} {text}" if mark else text


def _custom_mark(ref: Any) -> str:
    """The mark typed after a ``customMarkFollows`` reference, in its run or the next."""
    from docx.oxml.ns import qn

    run = ref.getparent()
    after = "".join(t.text or "" for t in ref.itersiblings(qn("w:t")))
    if not after:
        nxt = run.getnext()
        if nxt is not None and nxt.tag == qn("w:r"):
            after = "".join(t.text or "" for t in nxt.iterchildren(qn("w:t")))
    return after.strip()
