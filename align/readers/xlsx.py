"""Excel workbooks (.xlsx): the text of each visible sheet, cell by cell, row by row.

Statistical annexes, budget tables and lists issued in several languages come as
workbooks, and their labels, headings and notes belong in the TM as a report's do.
Each visible sheet gives its name, then the text of its cells in reading order (row by
row, left to right), one line a cell; a line break inside a cell is a space, as in a
.docx paragraph. Figures, dates and truth values are not text to translate and are
left out; so are hidden sheets, rows and columns, which the workbook does not show.
A formula's text result is read as the cell shows it.

Read with the standard library's zip and lxml: an .xlsx is XML in a zip file.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from align.readers.base import LxmlReader, read_package

_NS = {
    "x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_COLUMN = re.compile(r"[A-Z]+")
_TEXT_TYPES = frozenset({"s", "inlineStr", "str"})
"""Cell types that hold text: shared strings, strings in the cell, a formula's text."""


class XlsxReader(LxmlReader):
    suffixes = (".xlsx", ".xlsm")
    layout = "paragraphs"

    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        action = "open and re-save it in Excel"
        sheets = read_package(
            path, lambda book: list(_workbook(book)), "Excel", ".xlsx", ".xls", action
        )
        return "\n\n".join("\n".join(lines) for lines in sheets if lines), "xlsx"


READER = XlsxReader()


def _workbook(book: zipfile.ZipFile) -> Iterator[list[str]]:
    """Each visible sheet's lines: its name, then its cells' text."""
    workbook = etree.fromstring(book.read("xl/workbook.xml"))
    targets = {}
    if "xl/_rels/workbook.xml.rels" in book.namelist():
        for rel in etree.fromstring(book.read("xl/_rels/workbook.xml.rels")):
            target = rel.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id")] = posixpath.normpath(name)
    shared = _shared_strings(book)
    for sheet in workbook.iterfind("x:sheets/x:sheet", _NS):
        if sheet.get("state") in ("hidden", "veryHidden"):
            continue
        part = targets.get(sheet.get(_R_ID))
        if part is None or part not in book.namelist():
            continue
        cells = list(_cells(etree.fromstring(book.read(part)), shared))
        if cells:
            yield [sheet.get("name", ""), *cells]


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    root = etree.fromstring(book.read("xl/sharedStrings.xml"))
    return [_string(si) for si in root.iterfind("x:si", _NS)]


def _string(item: etree._Element) -> str:
    """A string item's text: its ``<t>``, or its rich-text runs' (not a phonetic guide)."""
    return "".join(t.text or "" for t in item.iterfind("x:t", _NS)) + "".join(
        t.text or "" for t in item.iterfind("x:r/x:t", _NS)
    )


def _cells(sheet: etree._Element, shared: list[str]) -> Iterator[str]:
    hidden: set[int] = set()
    for col in sheet.iterfind("x:cols/x:col", _NS):
        if col.get("hidden") in ("1", "true"):
            hidden.update(range(int(col.get("min", "0")), int(col.get("max", "0")) + 1))
    for row in sheet.iterfind("x:sheetData/x:row", _NS):
        if row.get("hidden") in ("1", "true"):
            continue
        for cell in row.iterfind("x:c", _NS):
            if cell.get("t") not in _TEXT_TYPES or _column(cell.get("r", "")) in hidden:
                continue
            if cell.get("t") == "inlineStr":
                box = cell.find("x:is", _NS)
                text = _string(box) if box is not None else ""
            else:
                value = cell.findtext("x:v", "", _NS)
                text = shared[int(value)] if cell.get("t") == "s" and value.isdigit() else value
            text = " ".join(text.split())
            if text:
                yield text


def _column(ref: str) -> int:
    """``C7`` → 3: the column number of a cell reference (0 where there is none)."""
    letters = _COLUMN.match(ref)
    number = 0
    for ch in letters.group() if letters else "":
        number = number * 26 + ord(ch) - 64
    return number
