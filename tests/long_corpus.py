"""Long UN documents as test inputs: a report whose footnotes run past 999, or a later
volume of one whose numbering goes on from an earlier volume's (its first note 1012).

``report_text`` writes the text as a UN PDF's extraction gives it (a leading space on a
paragraph's first line, the rule, each note under it, page furniture), and
``report_pdf`` draws it page for page; ``report_docx`` writes it as Word does (real
footnotes, their numbering started where the volume's is), for LibreOffice to lay out as
a PDF whose notes are set in small type under a drawn rule, each mark raised and glued
to the note's first word (``1012See``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pdf_corpus import INDENT, MARGIN, _latin, assemble

if TYPE_CHECKING:
    from align.types import CleanDocument

RULE = "__________________"


def paragraph(n: int) -> str:
    """The ``n``-th body paragraph of the report: two sentences, a note's mark after the
    first (where ``report_text`` and ``report_docx`` put it)."""
    return (
        f"{n}. The Committee considered the report submitted under article {n} of the "
        "Convention and welcomed the information provided by the State party on the measures "
        "it has taken."
        " It requested further information on the implementation of its recommendations."
    )


def note(mark: int) -> str:
    """The text of footnote ``mark``: a sentence citing a document, as a UN note does."""
    return f"See the summary record of the meeting, document CCPR/C/SR.{mark}, paragraph 4."


def assert_notes(doc: CleanDocument, first: int, count: int) -> None:
    """``doc`` is the report's: each paragraph and note whole, each mark in its paragraph's
    refs, notes numbered from ``first``."""
    assert [b.text for b in doc.blocks if b.kind == "body"] == [
        paragraph(n) for n in range(1, count + 1)
    ]
    assert [b.refs for b in doc.blocks if b.kind == "body"] == [
        (str(first + n),) for n in range(count)
    ]
    assert [(b.footnote, b.text) for b in doc.blocks if b.kind == "footnote"] == [
        (str(first + n), note(first + n)) for n in range(count)
    ]


def _marked(n: int, mark: int) -> str:
    """Paragraph ``n`` with note ``mark`` glued to its first sentence's full stop."""
    first, second = paragraph(n).split(" It requested")
    return f"{first}{mark} It requested{second}"


def report_text(first: int, count: int, per_page: int = 3) -> str:
    """``count`` paragraphs, each with a note (``first``, ``first + 1``, …), ``per_page`` to
    a page, as ``pdftotext`` extracts a UN report: wrapped lines, a paragraph's first one
    indented, the notes under a typed rule, the job number and page counter at the foot."""
    pages = []
    total = -(-count // per_page)
    for page in range(total):
        numbers = range(page * per_page, min(count, (page + 1) * per_page))
        lines = ["A/79/100/Add.2", ""]
        for n in numbers:
            lines += [*_wrapped(_marked(n + 1, first + n), indent=True), ""]
        lines += [RULE, ""]
        for n in numbers:
            lines += [*_wrapped(f"{first + n} {note(first + n)}", indent=True), ""]
        lines.append(f"24-01234 {page + 1}/{total}")
        pages.append("\n".join(lines))
    return "\n\f".join(pages) + "\n"


def report_pdf(path: Path, first: int, count: int, per_page: int = 3) -> Path:
    """:func:`report_text` drawn as a PDF, page for page (Helvetica, the notes and the
    rule above them in 9-point type, the rest in 11), as a UN PDF is set."""
    ops_pages = []
    for page in report_text(first, count, per_page).split("\f"):
        ops = ["BT"]
        y, size = 780.0, 11.0
        for row in page.split("\n"):
            if not row.strip():
                continue
            if RULE in row:
                size = 9.0
            elif size == 9.0 and row.startswith("24-"):
                size = 11.0
            x = MARGIN + (INDENT if row.startswith(" ") else 0.0)
            ops.append(f"/F1 {size} Tf 1 0 0 1 {x} {y} Tm {_latin(row.strip())} Tj")
            y -= size + 3
        ops.append("ET")
        ops_pages.append("\n".join(ops).encode("latin-1"))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for stream in ops_pages:
        kids.append(len(objects) + 1)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (len(objects) + 2)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    refs = " ".join(f"{k} 0 R" for k in kids)
    objects[1] = f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>".encode()
    path.write_bytes(assemble(objects))
    return path


def _wrapped(text: str, indent: bool, width: int = 86) -> list[str]:
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return [(" " if indent and k == 0 else "") + line for k, line in enumerate(lines)]


def report_docx(path: Path, first: int, count: int) -> Path:
    """``count`` paragraphs, each citing a footnote of its own, numbered from ``first`` (the
    section's ``numStart``, as a later volume of a report continues its numbering)."""
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    raised = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
    small = '<w:rPr><w:sz w:val="18"/></w:rPr>'  # notes in 9-point type
    small_raised = '<w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="18"/></w:rPr>'
    document = docx.Document()
    body = document.element.body
    notes = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
    ]
    for n in range(1, count + 1):
        first_sentence, second = paragraph(n).split(" It requested")
        body.insert(
            len(body) - 1,
            parse_xml(
                f'<w:p {nsdecls("w")}><w:pPr><w:ind w:firstLine="720"/></w:pPr>'
                f"<w:r><w:t>{first_sentence}</w:t></w:r>"
                f'<w:r>{raised}<w:footnoteReference w:id="{n}"/></w:r>'
                f'<w:r><w:t xml:space="preserve"> It requested{second}</w:t></w:r></w:p>'
            ),
        )
        notes.append(
            f'<w:footnote w:id="{n}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            f"<w:r>{small_raised}<w:footnoteRef/></w:r>"
            f"<w:r>{small}<w:t>{note(first + n - 1)}</w:t></w:r></w:p></w:footnote>"
        )
    section = body[-1]
    section.insert(
        0, parse_xml(f'<w:footnotePr {nsdecls("w")}><w:numStart w:val="{first}"/></w:footnotePr>')
    )
    blob = f"<w:footnotes {nsdecls('w')}>{''.join(notes)}</w:footnotes>".encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    document.save(str(path))
    return path
