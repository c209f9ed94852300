"""Write a text as a PDF page layout: each line drawn where a UN page would put it.

``un_pdf`` takes a text as the seed extraction gives it (leading spaces where the
page indents a line) and draws every non-blank line at the left margin, or one
indent to the right of it, 14 points below the last, 50 lines a page. Latin text
uses Helvetica (WinAnsi); Chinese a CID font with a ToUnicode map, as a PDF made
by Word carries. No font program is embedded: text extraction never needs one.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

MARGIN = 72.0
INDENT = 36.0
LEADING = 14.0
LINES_PER_PAGE = 50

_WIN_ANSI = {"“": 0o223, "”": 0o224, "‘": 0o221, "’": 0o222, "–": 0o226, "—": 0o227}


def _latin(text: str) -> str:
    out = []
    for ch in text:
        code = _WIN_ANSI.get(ch, ord(ch))
        if code > 255:
            raise ValueError(f"{ch!r} is not in WinAnsiEncoding")
        out.append(f"\\{code:03o}" if ch in "()\\" or code > 126 else ch)
    return "(" + "".join(out) + ")"


def _cid(text: str, glyphs: dict[str, int] | None = None) -> str:
    """``text`` in a CID font: each character's code point, or its number in ``glyphs``."""
    return "<" + "".join(f"{glyphs[ch] if glyphs else ord(ch):04X}" for ch in text) + ">"


def _to_unicode(text: str) -> bytes:
    """A ToUnicode CMap taking each 2-byte code to the same BMP code point."""
    highs = sorted({ord(ch) >> 8 for ch in text})
    ranges = "".join(f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>\n" for h in highs)
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(highs)} beginbfrange\n{ranges}endbfrange\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()


def un_pdf(
    text: str,
    path: Path,
    cjk: bool = False,
    size: float = 10.5,
    turned: bool = False,
    glyphs: dict[str, int] | None = None,
) -> Path:
    """Save ``text``'s lines as a PDF at ``path``; a line with leading spaces is indented.

    ``turned`` draws the text a quarter turn round, as a landscape table is set on an
    upright page: lines run up the page, one beside the other. ``glyphs`` draws the
    Chinese font's characters by these glyph numbers and gives no map back to Unicode,
    as a PDF with a badly embedded font does."""
    rows = [(row[: len(row) - len(row.lstrip())], row.strip()) for row in text.split("\n")]
    rows = [(lead, body) for lead, body in rows if body]
    pages = [rows[i : i + LINES_PER_PAGE] for i in range(0, len(rows), LINES_PER_PAGE)]
    show = partial(_cid, glyphs=glyphs) if cjk else _latin
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    if cjk:
        cmap = _to_unicode(text)
        to_unicode = b"" if glyphs is not None else b" /ToUnicode 5 0 R"
        objects += [
            b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
            b"/DescendantFonts [4 0 R]%s >>" % to_unicode,
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /DW 1000 "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
        ]
    else:
        objects.append(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
        )
    kids = []
    for page in pages:
        ops = ["BT", f"/F1 {size} Tf"]
        y = 760.0
        for lead, body in page:
            x = MARGIN + (INDENT if lead else 0.0)
            matrix = f"0 1 -1 0 {842 - y} {x}" if turned else f"1 0 0 1 {x} {y}"
            ops.append(f"{matrix} Tm {show(body)} Tj")
            y -= LEADING
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        number = len(objects) + 1
        kids.append(number)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (number + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    refs = " ".join(f"{k} 0 R" for k in kids)
    objects[1] = f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>".encode()
    path.write_bytes(assemble(objects))
    return path


def assemble(objects: list[bytes]) -> bytes:
    """A PDF file of ``objects`` (numbered from 1, the first the catalog) with its xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
