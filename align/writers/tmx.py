"""TMX 1.4b, the translation-memory format every CAT tool imports.

One ``<tu>`` per bead with text on both sides; props carry what a reviewer needs
to trace a unit back (confidence, paragraph, bead kind, links) and the header
records the alignment's signature so a TM says how it was made. The source
``<tuv>`` carries the sentences before and after the unit's in the document
(``x-context-pre``/``x-context-post``, as memoQ writes them), so a CAT tool that
matches in context (memoQ's 101% matches) can tell a sentence met in the same
place from the same sentence elsewhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from lxml import etree

from align import __version__
from align.errors import InputError
from align.languages import lang_code
from align.types import Alignment, Bead, BlockKind, Segment, block_kind, join_texts
from align.writers.base import (
    DroppedChar,
    Rendered,
    Writer,
    clean_text,
    lang_from_code,
    paragraph_label,
    paragraphs,
    tmx_date,
    written_beads,
)

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
DOCTYPE = b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TOOL = "un-align"
SEGTYPES = ("block", "paragraph", "sentence", "phrase")
"""The header's ``segtype`` values TMX 1.4 allows, coarsest first."""

# Inline elements whose content is markup code, not text.
_CODE_TAGS = frozenset({"bpt", "ept", "ph", "it", "ut"})


def prop(parent: etree._Element, kind: str, value: str) -> None:
    etree.SubElement(parent, "prop", type=kind).text = value


def _segtype(units: str) -> str:
    return units if units in SEGTYPES else "sentence"


def new_tmx(
    srclang: str,
    document: str,
    signature: Mapping[str, str],
    date: datetime | str | None,
    dropped: list[DroppedChar],
) -> tuple[etree._Element, etree._Element, str]:
    """A ``<tmx>`` with its header (this tool, ``srclang``, the date, the document and
    the signature as props) and an empty ``<body>``: the root, the body, and the
    document's name as written (characters XML cannot hold go to ``dropped``).
    ``segtype`` is the signature's ``units`` (``paragraph`` from
    :func:`align.paragraphs.by_paragraph`), else ``sentence``."""
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool=TOOL,
        creationtoolversion=__version__,
        segtype=_segtype(signature.get("units", "sentence")),
        **{"o-tmf": TOOL},
        adminlang="en-US",
        srclang=srclang,
        datatype="plaintext",
        creationdate=tmx_date(date),
    )
    name = clean_text(document, "document", dropped)
    if name:
        prop(header, "x-document", name)
    for key in sorted(signature):
        where = f"signature {key}"
        kind = "x-signature-" + clean_text(str(key), where, dropped)
        prop(header, kind, clean_text(str(signature[key]), where, dropped))
    return root, etree.SubElement(root, "body"), name


def serialise(root: etree._Element) -> bytes:
    """The file's bytes: declaration, doctype, the tree indented."""
    etree.indent(root, space="  ")
    return XML_DECLARATION + DOCTYPE + etree.tostring(root, encoding="UTF-8") + b"\n"


def _context(
    segments: list[Segment], ids: tuple[int, ...], lang: str, whole_paragraphs: bool = False
) -> list[tuple[str, str]]:
    """The sentences just before and just after ``ids`` in the document, where there are.

    With ``whole_paragraphs`` (a TM of paragraph units) each is the whole paragraph there:
    a CAT tool that segments by paragraph compares a unit's context with the segments
    around it, which are paragraphs, and one sentence of a paragraph never matches."""
    if not ids:
        return []

    def around(i: int) -> str:
        if not whole_paragraphs:
            return segments[i].text
        first = last = i
        while first > 0 and segments[first - 1].paragraph == segments[i].paragraph:
            first -= 1
        while last + 1 < len(segments) and segments[last + 1].paragraph == segments[i].paragraph:
            last += 1
        return join_texts([s.text for s in segments[first : last + 1]], lang)

    out = []
    if ids[0] > 0:
        out.append(("x-context-pre", around(ids[0] - 1)))
    if ids[-1] + 1 < len(segments):
        out.append(("x-context-post", around(ids[-1] + 1)))
    return out


def _seg(text: str) -> str:
    """A context as memoQ writes it: the neighbour's ``<seg>`` element, as text."""
    seg = etree.Element("seg")
    seg.text = text
    return etree.tostring(seg, encoding="unicode")


def _links(segments: list[Segment], ids: tuple[int, ...]) -> list[str]:
    return [link for i in ids for link in segments[i].links]


class TmxWriter(Writer):
    name = "tmx"
    suffix = ".tmx"
    readable = True

    def render(
        self,
        alignment: Alignment,
        *,
        include_empty: bool = False,
        include_untranslated: bool = False,
        date: datetime | str | None = None,
        src_lang_code: str | None = None,
        tgt_lang_code: str | None = None,
        unit_props: Mapping[int, Sequence[tuple[str, str]]] | None = None,
    ) -> Rendered:
        """Build the TMX; with ``include_empty`` one-sided beads get a single ``<tuv>``.

        ``unit_props`` adds ``(type, value)`` props to the unit of ``alignment.beads[i]``
        (the review's ``x-reviewed``); TMX only, the other writers do not take it.
        """
        src_code = src_lang_code or lang_code(alignment.src_lang)
        tgt_code = tgt_lang_code or lang_code(alignment.tgt_lang)
        dropped: list[DroppedChar] = []
        root, body, document = new_tmx(
            src_code, alignment.document, alignment.signature, date, dropped
        )
        keep, skipped = written_beads(alignment, include_empty, include_untranslated)
        units = 0
        for i, bead in keep:
            n = i + 1
            src = clean_text(alignment.src_text(bead), f"bead {n} source", dropped)
            tgt = clean_text(alignment.tgt_text(bead), f"bead {n} target", dropped)
            if not (src or tgt) or (not include_empty and not (src and tgt)):
                skipped.append(i)
                continue
            sides = [(src_code, src), (tgt_code, tgt)]
            extra = unit_props.get(i, ()) if unit_props else ()
            self._unit(body, alignment, bead, n, document, sides, dropped, extra)
            units += 1

        return Rendered(serialise(root), units, tuple(sorted(skipped)), tuple(dropped))

    @staticmethod
    def _unit(
        body: etree._Element,
        alignment: Alignment,
        bead: Bead,
        n: int,
        document: str,
        sides: list[tuple[str, str]],
        dropped: list[DroppedChar],
        extra: Sequence[tuple[str, str]] = (),
    ) -> None:
        tu = etree.SubElement(body, "tu", tuid=str(n))
        if math.isfinite(bead.confidence):  # a bead a reviewer cut has no aligner score
            prop(tu, "x-confidence", f"{bead.confidence:.3f}")
        if document:
            prop(tu, "x-document", document)
        para = paragraphs(alignment.src, bead.src) or paragraphs(alignment.tgt, bead.tgt)
        if para:
            prop(tu, "x-paragraph", paragraph_label(para))
        prop(tu, "x-bead", bead.kind)
        kinds = {alignment.src[i].kind for i in bead.src} | {
            alignment.tgt[j].kind for j in bead.tgt
        }
        if kinds - {"body"}:
            prop(tu, "x-kind", ",".join(sorted(kinds)))
        links = _links(alignment.src, bead.src) + _links(alignment.tgt, bead.tgt)
        for link in dict.fromkeys(links):
            prop(tu, "x-link", clean_text(link, f"bead {n} link", dropped))
        for kind, value in extra:
            prop(tu, kind, clean_text(value, f"bead {n} {kind}", dropped))
        for side, (code, text) in enumerate(sides):
            if text:
                tuv = etree.SubElement(tu, "tuv", {XML_LANG: code})
                if side == 0:
                    whole = alignment.signature.get("units") == "paragraph"
                    for kind, context in _context(
                        alignment.src, bead.src, alignment.src_lang, whole
                    ):
                        # a neighbour's characters are reported where it is written itself
                        prop(tuv, kind, _seg(clean_text(context, kind, [])))
                etree.SubElement(tuv, "seg").text = text

    def loads(self, data: bytes) -> Alignment:
        """Read a TMX (ours or another tool's) back: one segment per side of each TU.

        Spans are not in TMX: ``start``/``end`` index the side's texts joined by
        newlines. Confidence comes from ``x-confidence`` (3 decimals), paragraph
        from the first number of ``x-paragraph``, kind from ``x-kind`` when it names
        one kind, and links go to the source segment.
        """
        root = _parse(data)
        header = root.find("header")
        if header is None or root.find("body") is None:
            raise InputError("not a TMX file: no <header> or <body>: check the file")
        tus = [(_tuvs(tu), _props(tu)) for tu in root.iter("tu")]
        src_code = _src_code(header, [t for t, _ in tus])
        tgt_code = next((c for t, _ in tus for c, _ in t if c.lower() != src_code.lower()), "")
        header_props = _props(header)
        signature = {
            k.removeprefix("x-signature-"): v
            for k, v in header_props.items()
            if k.startswith("x-signature-")
        }
        a = Alignment(
            src_lang=lang_from_code(src_code),
            tgt_lang=lang_from_code(tgt_code),
            src=[],
            tgt=[],
            beads=[],
            signature=signature,
            document=header_props.get("x-document", ""),
        )
        offsets = {"src": 0, "tgt": 0}
        for tuvs, props in tus:
            src, tgt = _sides(tuvs, src_code)
            para = _first_int(props.get("x-paragraph", ""))
            links = tuple(props["x-link"].split()) if "x-link" in props else ()
            kind = block_kind(props.get("x-kind")) or "body"
            src_ids = _add(a.src, offsets, "src", src, para, kind, links)
            tgt_ids = _add(a.tgt, offsets, "tgt", tgt, para, kind, ())
            try:
                conf = float(props.get("x-confidence", "nan"))
            except ValueError:
                conf = math.nan
            a.beads.append(Bead(src_ids, tgt_ids, conf))
            if not a.document and props.get("x-document"):
                a.document = props["x-document"]
        return a


def _add(
    segments: list[Segment],
    offsets: dict[str, int],
    side: str,
    text: str,
    paragraph: int,
    kind: BlockKind,
    links: tuple[str, ...],
) -> tuple[int, ...]:
    if not text:
        return ()
    start = offsets[side]
    offsets[side] = start + len(text) + 1
    segments.append(Segment(text, paragraph, start, start + len(text), kind, links=links))
    return (len(segments) - 1,)


def _first_int(label: str) -> int:
    digits = label.split(",")[0].split("-")[0].strip()
    return int(digits) if digits.isdigit() else 0


def _parse(data: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"not well-formed XML: {exc.msg or exc}: check the file is a TMX"
        ) from None
    if root.tag != "tmx":
        raise InputError(f"not a TMX file: root element is <{root.tag}>: check the file")
    return root


def _seg_text(seg: etree._Element) -> str:
    """Text of a ``<seg>`` without inline codes (``<bpt>`` etc. hold markup, not words)."""
    parts = [seg.text or ""]
    for child in seg:
        if isinstance(child.tag, str) and child.tag not in _CODE_TAGS:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _props(el: etree._Element) -> dict[str, str]:
    """Props by type; repeated types (``x-link``) are joined with single spaces."""
    props: dict[str, str] = {}
    for p in el.findall("prop"):
        kind, value = p.get("type", ""), p.text or ""
        props[kind] = f"{props[kind]} {value}" if kind in props else value
    return props


def read_tmx_units(source: Path | str | bytes) -> list[tuple[str, str, dict[str, str]]]:
    """(source text, target text, props) per TU; a missing side is "".

    ``source`` is a path or the file's bytes. Repeated prop types are joined
    with spaces (``x-link``).
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    root = _parse(data)
    tus = [(_tuvs(tu), _props(tu)) for tu in root.iter("tu")]
    src_code = _src_code(root.find("header"), [t for t, _ in tus])
    return [(*_sides(tuvs, src_code), props) for tuvs, props in tus]


def _tuvs(tu: etree._Element) -> list[tuple[str, str]]:
    return [
        (tuv.get(XML_LANG) or tuv.get("lang") or "", _seg_text(seg))
        for tuv in tu.findall("tuv")
        if (seg := tuv.find("seg")) is not None
    ]


def _src_code(header: etree._Element | None, units: list[list[tuple[str, str]]]) -> str:
    """The header's srclang, or for ``*all*``/missing the first language used."""
    code = header.get("srclang", "") if header is not None else ""
    if code in ("", "*all*"):
        code = next((c for tuvs in units for c, _ in tuvs), "")
    return code


def _sides(tuvs: list[tuple[str, str]], src_code: str) -> tuple[str, str]:
    src = next((t for c, t in tuvs if c.lower() == src_code.lower()), "")
    tgt = next((t for c, t in tuvs if c.lower() != src_code.lower()), "")
    return src, tgt
