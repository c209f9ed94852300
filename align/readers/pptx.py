"""PowerPoint presentations (.pptx): each slide's text in reading order, then its notes.

Briefings and meeting presentations are issued in several languages as .pptx, and a
translator wants their slides in the TM as much as a report's paragraphs. A slide's
shapes are stored in stacking order, not reading order, so its text boxes,
placeholders, tables and grouped shapes are read top to bottom, then left to right,
by where they stand (a placeholder that does not say is where its layout puts it).
Each paragraph is a line; a paragraph PowerPoint numbers itself gets the number it
shows (``1.``, ``(a)``), as a .docx gets Word's; bullets, which a master slide draws,
are not text. The slide number, date and footer are page furniture and left out. A
slide's speaker notes follow it: they are translated with it. A deck encrypted with a
password, or an old .ppt given the new suffix, is told apart from a damaged one.

Read with the standard library's zip and lxml: a .pptx is XML in a zip file.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from align.readers.base import LxmlReader, read_package
from align.readers.wordnum import FORMATS

_NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FURNITURE = frozenset({"sldNum", "dt", "ftr", "hdr", "sldImg"})
"""Placeholder types that hold page furniture (and, on a notes page, the slide's picture)."""

AUTO_NUMBERS = {
    "arabic": FORMATS["decimal"],
    "alphaLc": FORMATS["lowerLetter"],
    "alphaUc": FORMATS["upperLetter"],
    "romanLc": FORMATS["lowerRoman"],
    "romanUc": FORMATS["upperRoman"],
    "circleNumDb": FORMATS["decimalEnclosedCircle"],
    "ea1Chs": FORMATS["chineseCounting"],
    "ea1Cht": FORMATS["chineseCounting"],
    "arabicDb": FORMATS["decimalFullWidth"],
}
"""The counting of a ``buAutoNum`` type (``alphaLcParenBoth`` counts ``alphaLc``)."""
_SHAPES = {"ParenBoth": "({})", "ParenR": "{})", "Period": "{}.", "Plain": "{}"}
_CHINESE_PERIOD = "{}、"


class PptxReader(LxmlReader):
    suffixes = (".pptx", ".ppsx")
    layout = "paragraphs"

    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        action = "open and re-save it in PowerPoint, or export its text"
        lines = read_package(
            path, lambda deck: list(_presentation(deck)), "PowerPoint", ".pptx", ".ppt", action
        )
        return "\n".join(lines), "pptx"


READER = PptxReader()


def _xml(package: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(package.read(name))


def _targets(package: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type's last word, the target part's name)."""
    folder, name = posixpath.split(part)
    rels = f"{folder}/_rels/{name}.rels"
    if rels not in package.namelist():
        return {}
    out = {}
    for rel in _xml(package, rels).iterfind("rel:Relationship", _NS):
        if rel.get("TargetMode") == "External":
            continue
        target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    return out


def _presentation(package: zipfile.ZipFile) -> Iterator[str]:
    """Every slide's lines in the presentation's order, a blank line between slides."""
    main = "ppt/presentation.xml"
    rels = _targets(package, main)
    for n, slide_id in enumerate(_xml(package, main).iterfind("p:sldIdLst/p:sldId", _NS)):
        kind, slide = rels[slide_id.get(f"{{{_REL}}}id", "")]
        if kind != "slide":
            continue
        if n:
            yield ""
        yield from _slide(package, slide)


def _slide(package: zipfile.ZipFile, part: str) -> Iterator[str]:
    rels = _targets(package, part)
    layout = next((t for k, t in rels.values() if k == "slideLayout"), None)
    places = _placeholder_places(package, layout) if layout else {}
    yield from _shapes_text(_xml(package, part), places)
    notes = next((t for k, t in rels.values() if k == "notesSlide"), None)
    if notes is not None and notes in package.namelist():
        yield from _shapes_text(_xml(package, notes), {})


Place = tuple[int, int]
"""Where a shape stands on its slide: its top, then its left edge (EMU)."""


def _placeholder_places(package: zipfile.ZipFile, layout: str) -> dict[str, Place]:
    """Where the layout (or its master) puts each placeholder, by ``idx`` and by type."""
    places: dict[str, Place] = {}
    parts = [layout]
    master = next((t for k, t in _targets(package, layout).values() if k == "slideMaster"), None)
    if master:
        parts.append(master)
    for part in reversed(parts):  # the layout's own places win over the master's
        if part not in package.namelist():
            continue
        for shape in _xml(package, part).iterfind(".//p:sp", _NS):
            ph, place = _placeholder(shape), _place(shape)
            if ph is not None and place is not None:
                kind, idx = ph
                places[f"type:{kind}"] = place
                if idx:
                    places[f"idx:{idx}"] = place
    return places


def _placeholder(shape: etree._Element) -> tuple[str, str] | None:
    ph = shape.find("./*/p:nvPr/p:ph", _NS)
    return None if ph is None else (ph.get("type", "body"), ph.get("idx", ""))


def _place(shape: etree._Element) -> Place | None:
    offset = shape.find("./p:spPr/a:xfrm/a:off", _NS)
    if offset is None:
        offset = shape.find("./p:xfrm/a:off", _NS)  # a table's graphic frame
    if offset is None:
        offset = shape.find("./p:grpSpPr/a:xfrm/a:off", _NS)
    if offset is None:
        return None
    return int(offset.get("y", "0")), int(offset.get("x", "0"))


def _shapes_text(root: etree._Element, places: dict[str, Place]) -> Iterator[str]:
    tree = root.find("p:cSld/p:spTree", _NS)
    if tree is not None:
        yield from _group(tree, places)


def _group(tree: etree._Element, places: dict[str, Place]) -> Iterator[str]:
    """The text of a shape tree's shapes, read top to bottom, then left to right."""
    shapes: list[tuple[Place, int, etree._Element]] = []
    last: Place = (0, 0)
    for n, shape in enumerate(tree):
        tag = etree.QName(shape).localname if isinstance(shape.tag, str) else ""
        if tag not in ("sp", "graphicFrame", "grpSp"):
            continue
        ph = _placeholder(shape)
        if ph is not None and ph[0] in FURNITURE:
            continue
        place = _place(shape)
        if place is None and ph is not None:
            kind, idx = ph
            place = places.get(f"idx:{idx}") if idx else None
            place = place or places.get(f"type:{kind}")
            if place is None and kind in ("title", "ctrTitle"):
                place = (-1, 0)
        last = place if place is not None else last
        shapes.append((last, n, shape))
    for *_, shape in sorted(shapes, key=lambda s: (s[0], s[1])):
        tag = etree.QName(shape).localname
        if tag == "grpSp":
            yield from _group(shape, places)
        elif tag == "graphicFrame":
            for cell in shape.iterfind(".//a:tbl/a:tr/a:tc/a:txBody", _NS):
                yield from _paragraphs(cell)
        else:
            body = shape.find("p:txBody", _NS)
            if body is not None:
                yield from _paragraphs(body)


def _paragraphs(body: etree._Element) -> Iterator[str]:
    """A text body's paragraphs, each after the number PowerPoint draws for it."""
    counts: dict[int, int] = {}
    for p in body.iterfind("a:p", _NS):
        text = "".join(_run_texts(p)).strip()
        props = p.find("a:pPr", _NS)
        level = int(props.get("lvl", "0")) if props is not None else 0
        auto = props.find("a:buAutoNum", _NS) if props is not None else None
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        if auto is None or not text:
            counts.pop(level, None)
            if text:
                yield text
            continue
        start = int(auto.get("startAt", "1"))
        counts[level] = counts[level] + 1 if level in counts else start
        yield f"{_auto_number(auto.get('type', 'arabicPeriod'), counts[level])} {text}"


def _run_texts(p: etree._Element) -> Iterator[str]:
    for child in p:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag in ("r", "fld"):
            yield "".join(t.text or "" for t in child.iterfind("a:t", _NS))
        elif tag == "br":
            yield " "


def _auto_number(kind: str, n: int) -> str:
    """``alphaLcParenBoth`` 1 → ``(a)``; ``arabicPeriod`` 3 → ``3.``; Chinese counting
    with a period → ``三、``."""
    for shape, template in _SHAPES.items():
        if kind.endswith(shape):
            counting = AUTO_NUMBERS.get(kind[: -len(shape)], FORMATS["decimal"])
            if kind.startswith("ea1") and shape == "Period":
                template = _CHINESE_PERIOD
            return template.format(counting(n))
    return f"{AUTO_NUMBERS.get(kind, FORMATS['decimal'])(n)}."
