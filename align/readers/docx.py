"""Word .docx files (the ``docx`` extra): body paragraphs in order, table cells included.

Headers, footers and footnotes are left out: they are page furniture, which
the cleaner would otherwise have to strip, as it does for text from PDFs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from align.readers.base import Reader, input_error

# Runs that are not part of the current text: tracked deletions, moved-away
# text, and text boxes (whose paragraphs Word also lists in a fallback copy).
_LIVE_RUNS = ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent)]"


class DocxReader(Reader):
    suffixes = (".docx",)
    magic = (b"PK\x03\x04",)

    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        try:
            import docx
        except ImportError as err:
            raise input_error(
                path, "reading .docx needs the 'docx' extra", "pip install 'un-align[docx]'"
            ) from err
        try:
            document = docx.Document(str(path))
            lines = list(_lines(document.element.body))
        except Exception as err:  # python-docx raises zip, XML and KeyError alike
            reason = str(err) or type(err).__name__
            raise input_error(
                path,
                f"is not a valid .docx ({reason})",
                "open and re-save it in Word, or supply it as .txt or .pdf",
            ) from err
        return "\n".join(lines), "docx"


READER = DocxReader()


def _lines(container: Any) -> Iterator[str]:
    """Paragraph texts of a body or table cell in document order, descending into tables."""
    from docx.oxml.ns import qn

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield "".join(run.text for run in child.xpath(_LIVE_RUNS))
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                for cell in row.iterchildren(qn("w:tc")):
                    yield from _lines(cell)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _lines(content)
