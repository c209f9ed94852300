"""Write a document as Word would: one paragraph each, footnotes in word/footnotes.xml.

``un_docx`` turns a cleaned UN document into the .docx a translator downloads
from the ODS: the footnote references sit where the PDF printed its marks (a
``w:footnoteReference``, with ``customMarkFollows`` and a typed ``*`` for the
sponsors' note), and each footnote's text, mark run first, lives in the
footnotes part, beside the separator notes Word always writes. With ``numbered``,
the paragraph numbers are Word's own (a list in word/numbering.xml), not typed.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from align.types import CleanDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def ref_positions(doc: CleanDocument) -> dict[int, list[tuple[int, str]]]:
    """Block index -> (offset in the block's text, mark) of each removed footnote mark."""
    kept = sorted((raw, clean, n) for clean, raw, n in doc.spans)
    out: dict[int, list[tuple[int, str]]] = {}
    for removal in doc.removals:
        if removal.reason != "footnote-ref":
            continue
        before = [(raw, clean, n) for raw, clean, n in kept if raw < removal.start]
        raw, clean, n = before[-1]
        pos = clean + min(n, removal.start - raw)
        block = next(b for b in doc.blocks if b.start <= pos <= b.end)
        out.setdefault(block.index, []).append((pos - block.start, removal.text))
    return out


def _run(text: str, props: str = "") -> str:
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


_ZH_TYPE = (
    '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
    'w:eastAsia="SimSun" w:hint="eastAsia"/></w:rPr>'
)
_ZH_QUOTE_TYPE = '<w:rPr><w:rFonts w:ascii="SimSun" w:hAnsi="SimSun" w:eastAsia="SimSun"/></w:rPr>'


def _zh_runs(text: str) -> str:
    """Chinese text in SimSun with figures in Times New Roman, as the UN sets it; its
    quotation marks in SimSun too (Word's ``eastAsia`` hint, which LibreOffice ignores)."""
    return "".join(
        _run(part, _ZH_QUOTE_TYPE if part in "“”‘’" else _ZH_TYPE)
        for part in re.split("([“”‘’])", text)
        if part
    )


_NOTE_TYPE = '<w:rPr><w:sz w:val="17"/></w:rPr>'
"""Footnotes in 8.5-point type, as the UN sets them."""


def _ref(note_id: int, mark: str) -> str:
    if mark.isdigit():
        return f'<w:r><w:footnoteReference w:id="{note_id}"/></w:r>'
    return (
        f'<w:r><w:footnoteReference w:customMarkFollows="1" w:id="{note_id}"/>'
        f"<w:t>{escape(mark)}</w:t></w:r>"
    )


_NUMBER = re.compile(r"(\d+)\.\s+")
_LIST = (
    f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
    '<w:lvlJc w:val="left"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/>'
    '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/><w:lvlJc w:val="left"/></w:lvl>'
    "</w:abstractNum>"
)


def _numbered(document: object) -> str:
    """Add a UN-style paragraph list to ``document``'s numbering part; its numPr."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    first_num = numbering.find(f"{{{W}}}num")
    abstract = parse_xml(_LIST)
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    return '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr></w:pPr>'


def page_refs(page: Path, doc: CleanDocument) -> dict[int, list[tuple[int, str]]]:
    """:func:`ref_positions` for ``doc`` read from the Word web page ``page``: where each
    ``<a href="#_ftnN">`` stands in the page's paragraphs, which are ``doc``'s blocks."""
    from lxml import html

    def text_with_refs(p: html.HtmlElement) -> tuple[str, list[tuple[int, str]]]:
        parts: list[str] = []

        def walk(e: html.HtmlElement) -> None:
            if e.tag == "a" and (e.get("href") or "").startswith("#_ftn"):
                parts.append("\0" + e.text_content().strip().strip("[]") + "\0")
            else:
                parts.append(e.text or "")
                for child in e:
                    walk(child)
            if e is not p:
                parts.append(e.tail or "")

        walk(p)
        flat = re.sub(r"[ \t\r\n]+", " ", "".join(parts)).strip()
        refs, out = [], ""
        for n, piece in enumerate(flat.split("\0")):
            if n % 2:
                refs.append((len(out), piece))
            else:
                out += piece
        return out, refs

    paragraphs = html.fromstring(page.read_bytes()).xpath("//div[@class='WordSection1']/p")
    blocks = [b for b in doc.blocks if b.kind != "footnote"]
    out: dict[int, list[tuple[int, str]]] = {}
    for p, block in zip(paragraphs, blocks, strict=True):
        text, refs = text_with_refs(p)
        assert text == block.text, (text, block.text)
        if refs:
            out[block.index] = refs
    return out


def un_docx(
    doc: CleanDocument,
    path: Path,
    numbered: bool = False,
    typed_marks: bool = True,
    refs: dict[int, list[tuple[int, str]]] | None = None,
) -> Path:
    """Save ``doc`` as a .docx at ``path``: body blocks as paragraphs, footnotes as notes.

    Word types a custom mark (``*``) at the start of its note; LibreOffice draws the
    mark there itself, so for a document LibreOffice is to lay out, ``typed_marks``
    is False. ``refs`` says where the footnote references go, for a ``doc`` whose
    marks were not removed by the cleaner (:func:`page_refs`)."""
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    notes = {b.footnote: b.text for b in doc.blocks if b.kind == "footnote"}
    refs = ref_positions(doc) if refs is None else refs
    document = docx.Document()
    body = document.element.body
    ids: dict[str, int] = {}
    num_pr = _numbered(document) if numbered else ""
    runs = _zh_runs if doc.lang == "zh" else _run
    for block in doc.blocks:
        if block.kind == "footnote":
            continue
        xml, at = [], 0
        label = _NUMBER.match(block.text) if numbered else None
        if label:
            xml.append(num_pr)
            at = label.end()
        for offset, mark in refs.get(block.index, []):
            xml.append(runs(block.text[at:offset]))
            ids.setdefault(mark, len(ids) + 1)
            xml.append(_ref(ids[mark], mark))
            at = offset
        xml.append(runs(block.text[at:]))
        p = parse_xml(f'<w:p xmlns:w="{W}">{"".join(xml)}</w:p>')
        body.insert(len(body) - 1, p)
    parts = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>",
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    for mark, note_id in ids.items():
        head = (
            f"<w:r>{_NOTE_TYPE}<w:footnoteRef/></w:r>"
            if mark.isdigit()
            else _run(mark, _NOTE_TYPE)
            if typed_marks
            else ""
        )
        parts.append(
            f'<w:footnote w:id="{note_id}"><w:p>{head}<w:r>{_NOTE_TYPE}<w:tab/></w:r>'
            f"{_run(notes[mark], _NOTE_TYPE)}</w:p></w:footnote>"
        )
    blob = f'<w:footnotes xmlns:w="{W}">{"".join(parts)}</w:footnotes>'.encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    document.save(str(path))
    return path


def un_page_style(docx_path: Path) -> Path:
    """Set the .docx's paragraphs as the UN sets them, from the sixth on (the headings
    stay): first lines indented, justified; the symbol at the head of each page and the
    job number at its foot."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document(str(docx_path))
    for paragraph in document.paragraphs[5:]:
        paragraph.paragraph_format.first_line_indent = Pt(36)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    document.sections[0].header.paragraphs[0].text = "A/77/L.107"
    document.sections[0].footer.paragraphs[0].text = "23-16564"
    document.save(str(docx_path))
    return docx_path


def office_copy(docx_path: Path, suffix: str, outdir: Path) -> Path:
    """``docx_path`` saved by LibreOffice as ``suffix`` (``.doc``, ``.rtf``, ``.odt``, ``.html``) in
    ``outdir``, as a translator's older or other-tool copy of the document would be."""
    return office_copies([docx_path], suffix, outdir)[0]


def office_copies(docx_paths: list[Path], suffix: str, outdir: Path) -> list[Path]:
    """:func:`office_copy` of each of ``docx_paths``, by one LibreOffice run (it takes
    seconds to start, and converts each file as it would alone)."""
    import subprocess

    from align.readers.office import office_program

    program = office_program()
    assert program is not None
    profile = (outdir / ".office-profile").resolve().as_uri()
    subprocess.run(
        [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         suffix.lstrip("."), "--outdir", str(outdir), *map(str, docx_paths)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    copies = [outdir / f"{path.stem}{suffix}" for path in docx_paths]
    assert all(copy.is_file() for copy in copies), f"LibreOffice did not write {copies}"
    return copies
