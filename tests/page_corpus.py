"""Write a document as Google Docs' "Download > Web page" does, or as an EPUB book.

Google Docs numbers its lists with CSS counters, not the browser's list numbers: each
level of a list is a flat ``<ol class="lst-kix_ID-LEVEL">`` with ``list-style-type:
none``, its label drawn by a ``li:before`` rule, its counter reset by the ``start``
class and going on across a list broken by a paragraph. Footnotes are ``[N]`` links,
numbered in order (Google Docs has no custom marks, so the sponsors' ``*`` note is
note 1), each note in a bare ``<div>`` after a rule. Class names for the text's look
(``c1``, ``c3``) are as meaningless as Google's.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from docx_corpus import ref_positions

from align.types import CleanDocument

LIST = "lst-kix_u7q3k2b9x1a0"
STYLE = (
    "@import url(https://themes.googleusercontent.com/fonts/css?kit=fpjTOVmNbO4Lz34iLyptLUX);"
    f".{LIST}-1>li{{counter-increment:lst-ctn-kix_u7q3k2b9x1a0-1}}"
    f"ol.{LIST}-1.start{{counter-reset:lst-ctn-kix_u7q3k2b9x1a0-1 0}}"
    f"ol.{LIST}-0.start{{counter-reset:lst-ctn-kix_u7q3k2b9x1a0-0 0}}"
    f'.{LIST}-0>li:before{{content:"" counter(lst-ctn-kix_u7q3k2b9x1a0-0,decimal) ". "}}'
    f'.{LIST}-1>li:before{{content:"(" counter(lst-ctn-kix_u7q3k2b9x1a0-1,lower-latin) ") "}}'
    f".{LIST}-0>li{{counter-increment:lst-ctn-kix_u7q3k2b9x1a0-0}}"
    f"ol.{LIST}-0{{list-style-type:none}}ol.{LIST}-1{{list-style-type:none}}"
    "ol{margin:0;padding:0}table td,table th{padding:0}"
    ".c0{margin-left:36pt;padding-top:0pt;padding-left:0pt;padding-bottom:6pt;"
    'text-align:justify}.c1{color:#000000;font-size:10pt;font-family:"Times New Roman"}'
    ".c2{vertical-align:super}.c3{padding-bottom:6pt;text-align:justify}"
)
_ITEM = re.compile(r"(\d+)\.\s+|\(([a-z])\)\s+")


def _with_refs(text: str, refs: list[tuple[int, int]]) -> str:
    """``text`` in spans, with Google's note links at the offsets given (offset, number)."""
    out, at = [], 0
    for offset, n in refs:
        out.append(f'<span class="c1">{escape(text[at:offset])}</span>')
        out.append(f'<sup class="c2"><a href="#ftnt{n}" id="ftnt_ref{n}">[{n}]</a></sup>')
        at = offset
    out.append(f'<span class="c1">{escape(text[at:])}</span>')
    return "".join(out)


def google_docs_page(doc: CleanDocument, path: Path) -> Path:
    """Save ``doc`` at ``path`` as Google Docs' web page: typed ``1.`` and ``(a)`` become
    the list items Google Docs numbers itself, the notes its linked ``[N]`` notes."""
    marks = ref_positions(doc)
    order = [mark for block in sorted(marks) for _offset, mark in marks[block]]
    number = {mark: n for n, mark in enumerate(order, 1)}
    notes = {b.footnote: b.text for b in doc.blocks if b.kind == "footnote"}
    body: list[str] = []
    open_level: int | None = None
    started: set[int] = set()
    for block in doc.blocks:
        if block.kind == "footnote":
            continue
        refs = [(offset, number[mark]) for offset, mark in marks.get(block.index, [])]
        item = _ITEM.match(block.text)
        level = None if item is None else (0 if item.group(1) else 1)
        if level != open_level and open_level is not None:
            body.append("</ol>")
            open_level = None
        if level is None:
            body.append(f'<p class="c3">{_with_refs(block.text, refs)}</p>')
            continue
        if open_level is None:
            value = int(item.group(1)) if level == 0 else ord(item.group(2)) - 96
            first = level not in started or (level == 1 and value == 1)
            started.add(level)
            start = " start" if first else ""
            body.append(f'<ol class="c5 {LIST}-{level}{start}" start="{value}">')
            open_level = level
        cut = item.end()
        shifted = [(offset - cut, n) for offset, n in refs]
        body.append(f'<li class="c0 li-bullet-0">{_with_refs(block.text[cut:], shifted)}</li>')
    if open_level is not None:
        body.append("</ol>")
    if order:
        body.append('<hr class="c4">')
    for mark in order:
        n = number[mark]
        body.append(
            f'<div><p class="c6"><a href="#ftnt_ref{n}" id="ftnt{n}">[{n}]</a>'
            f'<span class="c7">&nbsp;{escape(notes[mark])}</span></p></div>'
        )
    page = (
        '<html><head><meta content="text/html; charset=UTF-8" http-equiv="content-type">'
        f'<style type="text/css">{STYLE}</style></head>'
        f'<body class="c8 doc-content">{"".join(body)}</body></html>'
    )
    path.write_text(page, encoding="utf-8")
    return path


EPUB_CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def _xhtml(title: str, body: str, lang: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{lang}" xml:lang="{lang}"><head><title>{escape(title)}</title>'
        f'<link rel="stylesheet" href="../css/book.css"/></head><body>{body}</body></html>'
    )


def epub_book(doc: CleanDocument, path: Path, endnotes: bool = False) -> Path:
    """Save ``doc`` at ``path`` as an EPUB 3 book: a cover out of the reading order, two
    chapters, a navigation page out of the spine. Its notes are ``epub:type`` notes:
    under each chapter (``<aside epub:type="footnote">``), or with ``endnotes`` on a
    page of their own that the marks link to, each with a link back to its mark."""
    import zipfile

    marks = ref_positions(doc)
    notes = {b.footnote: b.text for b in doc.blocks if b.kind == "footnote"}
    body = [b for b in doc.blocks if b.kind != "footnote"]
    halves = [body[: len(body) // 2], body[len(body) // 2 :]]
    pages = {"cover.xhtml": _xhtml("Cover", '<img src="../img/cover.jpg" alt=""/>', doc.lang)}
    order: list[str] = []
    cited_on: dict[str, str] = {}
    for n, blocks in enumerate(halves, 1):
        html, asides = [], []
        for block in blocks:
            text, at = [], 0
            for offset, mark in marks.get(block.index, []):
                order.append(mark)
                cited_on[mark] = f"chapter{n}.xhtml"
                key = f"n{len(order)}"
                href = f"notes.xhtml#{key}" if endnotes else f"#{key}"
                text.append(escape(block.text[at:offset]))
                text.append(f'<a epub:type="noteref" href="{href}" id="r{key}">{escape(mark)}</a>')
                at = offset
                asides.append(
                    f'<aside epub:type="footnote" id="{key}"><p>{escape(notes[mark])}</p></aside>'
                )
            text.append(escape(block.text[at:]))
            tag = "h2" if block.kind == "heading" else "p"
            html.append(f"<{tag}>{''.join(text)}</{tag}>")
        if not endnotes:
            html += asides
        pages[f"chapter{n}.xhtml"] = _xhtml(f"Part {n}", "".join(html), doc.lang)
    if endnotes:
        items = "".join(
            f'<li id="n{k}"><p>{escape(notes[mark])} <a href="{cited_on[mark]}#rn{k}" '
            'role="doc-backlink">↩</a></p></li>'
            for k, mark in enumerate(order, 1)
        )
        pages["notes.xhtml"] = _xhtml(
            "Notes",
            f'<section epub:type="endnotes" role="doc-endnotes"><ol>{items}</ol></section>',
            doc.lang,
        )
    nav = _xhtml(
        "Contents",
        '<nav epub:type="toc"><ol>'
        + "".join(f'<li><a href="{name}">{name}</a></li>' for name in pages)
        + "</ol></nav>",
        doc.lang,
    )
    spine = ['<itemref idref="cover.xhtml" linear="no"/>'] + [
        f'<itemref idref="{name}"/>' for name in pages if name != "cover.xhtml"
    ]
    manifest = [
        f'<item id="{name}" href="text/{name}" media-type="application/xhtml+xml"/>'
        for name in pages
    ] + [
        '<item id="nav" href="text/nav.xhtml" media-type="application/xhtml+xml" '
        'properties="nav"/>',
        '<item id="css" href="css/book.css" media-type="text/css"/>',
    ]
    opf = (
        '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" '
        'version="3.0" unique-identifier="id"><metadata '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">A/77/L.107'
        f"</dc:identifier><dc:language>{doc.lang}</dc:language></metadata>"
        f"<manifest>{''.join(manifest)}</manifest><spine>{''.join(spine)}</spine></package>"
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", EPUB_CONTAINER)
        book.writestr("OEBPS/content.opf", opf)
        book.writestr("OEBPS/css/book.css", "p { text-indent: 1em }")
        book.writestr("OEBPS/text/nav.xhtml", nav)
        for name, page in pages.items():
            book.writestr(f"OEBPS/text/{name}", page)
    return path
