"""E-books (.epub): the book's pages in reading order, each read as a web page.

Publications are sold and lent as EPUB in several languages beside their PDFs, and
an EPUB's text is cleaner than a PDF's: no page furniture, no lines broken at the
margin. An EPUB is a zip of XHTML pages; its package file (``content.opf``, named by
``META-INF/container.xml``) lists them in reading order (the spine). Each page is read
as the web page reader reads one, footnotes linked within it included, and starts
after a form feed, as a PDF's pages do, so that a page's notes end with it. A note
mark that links to a page of notes elsewhere in the book (``epub:type="noteref"``)
leaves the text, and the note it cites is written under that page's rule as
``MARK text``, as any footnote is, its way back to the text left out. Pages the spine marks as out
of the reading order (``linear="no"``: a pop-up note, a cover) are left out.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from align.readers.base import LxmlReader, not_valid
from align.readers.html import notes_elsewhere, page_text, parse_page, read_root

_CONTAINER = "META-INF/container.xml"
_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
}
_PAGES = frozenset({"application/xhtml+xml", "text/html"})


class EpubReader(LxmlReader):
    suffixes = (".epub",)
    layout = "paragraphs"

    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        try:
            with zipfile.ZipFile(path) as book:
                pages = [(name, book.read(name)) for name in _spine(book)]
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError) as err:
            action = "open it in an e-book reader and save or export it again, or supply the PDF"
            raise not_valid(path, "EPUB", err, action) from err
        parsed, encodings = [], set()
        for name, data in pages:
            where = f"{path}!{name}"
            text, encoding = page_text(data, lang, where)
            parsed.append((name, where, parse_page(text, where)))
            encodings.add(encoding)
        cited = _cited(parsed)
        texts = [read_root(root, where, cited.get(name)) for name, where, root in parsed]
        return "\n\f".join(t for t in texts if t.strip()), f"epub, {'/'.join(sorted(encodings))}"


READER = EpubReader()


def _cited(
    pages: list[tuple[str, str, etree._Element | None]],
) -> dict[str, dict[str, str]]:
    """The notes pages cite on other pages: page name → note id → the mark citing it,
    in the order the book cites them (``pages``: name, where, parsed page)."""
    cited: dict[str, dict[str, str]] = {}
    for name, _, root in pages:
        for href, mark in notes_elsewhere(root) if root is not None else ():
            target, _, key = unquote(href).partition("#")
            page = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            cited.setdefault(page, {}).setdefault(key, mark)
    return cited


def _spine(book: zipfile.ZipFile) -> list[str]:
    """The names of the book's pages in reading order."""
    container = etree.fromstring(book.read(_CONTAINER))
    rootfile = container.find(".//c:rootfile", _NS)
    if rootfile is None or not rootfile.get("full-path"):
        raise ValueError("no package file named in META-INF/container.xml")
    package_name = rootfile.get("full-path", "")
    package = etree.fromstring(book.read(package_name))
    folder = posixpath.dirname(package_name)
    items = {
        item.get("id"): (item.get("href", ""), item.get("media-type", ""))
        for item in package.iterfind(".//opf:manifest/opf:item", _NS)
    }
    names = []
    for ref in package.iterfind(".//opf:spine/opf:itemref", _NS):
        href, media = items.get(ref.get("idref"), ("", ""))
        if ref.get("linear") == "no" or media not in _PAGES or not href:
            continue
        names.append(posixpath.normpath(posixpath.join(folder, unquote(href))))
    if not names:
        raise ValueError("its spine lists no pages")
    return names
