"""Web pages (.html, .htm): what a browser shows, one paragraph per block, table cells
included, then the footnotes under a rule, as the .docx reader writes them.

UN texts turn up as web pages (press releases, older resolutions on un.org) and as
Word's or LibreOffice's "save as web page". Scripts, styles, hidden elements and
the site's navigation are not the document's text; a page with one ``<main>`` is
read from it alone. A line break (``<br>``) is a space, as a manual line break is
in a .docx; two in a row start a new paragraph. A list gets the numbers and
bullets the browser draws (``1.``, ``a.``, ``一、``, ``•``), as a .docx gets Word's,
including those a style sheet draws with CSS counters (Google Docs' ``(a)``).

Footnotes are found by their links: a short mark (``1``, ``[2]``, ``*``) linking to
a place in the page that links back to it (Word, LibreOffice, pandoc and Wikipedia
all write such pairs). The mark leaves the body; the note leaves its place and is
written after the body as ``MARK text``, in the order the text cites them. A
reviewer's comment, which Google Docs links the same way and Word lists at the end,
is not read at all.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, html

from align.clean import FOOTNOTE_RULE
from align.languages import CJK_TEXT
from align.readers.base import LxmlReader, input_error, read_bytes, without_mark
from align.readers.csslists import ListStyles, tag_name
from align.readers.txt import decode, strict_decode
from align.readers.wordnum import FORMATS
from align.readers.wordsym import symbol, symbol_font

BLOCKS = frozenset(
    """address article aside blockquote body caption center dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr legend li
    main menu nav ol p pre section summary table tbody td tfoot th thead tr ul""".split()
)
"""Elements a browser lays out as blocks of their own: each ends the line before it."""

UNSHOWN = frozenset(
    """applet audio button canvas datalist del embed head iframe img input map meta nav
    noscript object option rp rt script select style svg template textarea title
    video""".split()
)
"""Elements whose content is not text of the document: not shown, or not read as part of
it: a ruby's pronunciation (``<rt>``) and deleted text (``<del>``, Word's tracked
deletions, which the .docx reader leaves out too)."""

CHROME = frozenset({"header", "footer", "aside"})
"""The site's banner, footer and sidebar: left out unless inside an article or ``<main>``."""
CHROME_NAMES = frozenset(
    """header footer nav navbar navigation menu breadcrumb breadcrumbs sidebar site-header
    site-footer skip-link skiplinks""".split()
)
"""Ids and classes older sites give their banner, menus and footer (``<div id="nav">``):
left out, as the elements of those names are, unless inside an article or ``<main>``."""

TABLE_PARTS = frozenset({"caption", "thead", "tbody", "tfoot", "tr", "th"})
"""A table's rows and sections: never chrome by their names, which describe the table
(pandoc's ``<tr class="header">`` is the heading row, not a banner)."""
TITLE_PARTS = frozenset({"title", "subtitle", "author", "date"})
"""Classes of a title block's parts (pandoc's ``<p class="author">``)."""

_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all", re.I)
_SPACES = re.compile(r"[ \t\n\r\f]+")
_PADDING = re.compile("\xa0{2,}")
_WIDE_BREAK = re.compile(f"(?<=[{CJK_TEXT}])[ \t\r]*\n[ \t\n\r]*(?=[{CJK_TEXT}])")
_MARK = re.compile(r"^[\[(]?\s*([0-9]{1,3}|[*†‡§¶#]{1,3}|[a-z]{1,2}|[ivx]{1,4})\s*[\])]?$", re.I)
_TYPED_MARK = re.compile(r"([*†‡§]{1,3})\s+")
_NOTE_BOX = re.compile(r"ftn\d|edn\d|sdfootnote\d|sdendnote\d|footnote|endnote", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_LEGACY = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
}
"""Declared charsets whose superset browsers read instead (as the WHATWG encoding spec says)."""

_FONT_FAMILY = re.compile(r"(?<![-\w])font-family\s*:\s*([^;]+)", re.I)
_ICONS = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
"""Private-use characters: what an icon font (Font Awesome's ``\\f105``) draws, not text."""
_COMMENT_TARGET = re.compile(r"cmnt\d+$")
"""The id of a comment in Google Docs' web page (``[a]`` linking to ``#cmnt1``): a
reviewer's remark, not the document's, so neither its mark nor its text is read."""
_WORD_COMMENTS = re.compile(r"mso-element\s*:\s*comment-list", re.I)
_CSS_LIST = re.compile(r"list-style(?:-type)?\s*:\s*([-a-z]+)", re.I)
LIST_FORMATS: dict[str, tuple[Callable[[int], str], str]] = {
    "1": (FORMATS["decimal"], ". "),
    "a": (FORMATS["lowerLetter"], ". "),
    "A": (FORMATS["upperLetter"], ". "),
    "i": (FORMATS["lowerRoman"], ". "),
    "I": (FORMATS["upperRoman"], ". "),
    "decimal": (FORMATS["decimal"], ". "),
    "decimal-leading-zero": (FORMATS["decimalZero"], ". "),
    "lower-alpha": (FORMATS["lowerLetter"], ". "),
    "lower-latin": (FORMATS["lowerLetter"], ". "),
    "upper-alpha": (FORMATS["upperLetter"], ". "),
    "upper-latin": (FORMATS["upperLetter"], ". "),
    "lower-roman": (FORMATS["lowerRoman"], ". "),
    "upper-roman": (FORMATS["upperRoman"], ". "),
    "cjk-ideographic": (FORMATS["chineseCounting"], "、"),
    "simp-chinese-informal": (FORMATS["chineseCounting"], "、"),
    "cjk-decimal": (FORMATS["decimal"], "、"),
    "none": (FORMATS["none"], ""),
}
"""An ``<ol>``'s ``type`` or CSS ``list-style-type`` → its counting and what follows the
number, as browsers draw them."""
BULLETS = {"disc": "•", "circle": "◦", "square": "▪", "none": ""}
"""An ``<ul>``'s ``list-style-type`` → the bullet drawn (the .docx reader prints Word's too)."""


class HtmlReader(LxmlReader):
    suffixes = (".html", ".htm", ".xhtml")
    layout = "paragraphs"

    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        text, encoding = page_text(read_bytes(path), lang, path)
        return read_page(text, path), f"html, {encoding}"


READER = HtmlReader()


def page_text(
    data: bytes, lang: str, path: Path | str, charset: str | None = None
) -> tuple[str, str]:
    """The page decoded. A byte-order mark, or bytes that are all valid UTF-8, decide first
    (a page saved again in UTF-8 often keeps its old ``<meta>``); then ``charset`` (what
    the page came with) or else the one its ``<meta>`` declares, where that reads it;
    else the encodings a text file is tried in."""
    found = _META_CHARSET.search(data[:8192])
    declared = charset or (found.group(1).decode("ascii", "replace") if found else None)
    boms = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if declared and not data.startswith(boms) and strict_decode(data, "utf-8") is None:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = ""
        codec = _LEGACY.get(codec, codec)
        text = strict_decode(data, codec) if codec and not codec.startswith("utf-16") else None
        if text is not None:
            return text, codec
    return decode(data, lang, path)


def read_page(text: str, path: Path | str, cited: Mapping[str, str] | None = None) -> str:
    """A decoded page's text as this reader gives it: its paragraphs, then its notes.

    ``cited`` are notes on this page that other pages cite (an e-book's page of notes):
    element id → the mark that cites it. A frameset is refused: its text is in other
    pages."""
    return read_root(parse_page(text, path), path, cited)


def read_root(
    root: etree._Element | None, path: Path | str, cited: Mapping[str, str] | None = None
) -> str:
    """:func:`read_page` for a page already parsed (:func:`parse_page`)."""
    if root is None:
        return ""
    if root.find(".//frameset") is not None:
        frames = [f.get("src") for f in root.iter("frame") if f.get("src")]
        raise input_error(
            path,
            f"is a frameset: its text is in the pages of its frames ({', '.join(frames)})",
            "open the frame that holds the document and save that page",
        )
    return "\n".join(page_lines(root, cited))


def parse_page(text: str, path: Path | str) -> etree._Element | None:
    """The page's element tree; None for a page with no elements at all (only a comment)."""
    try:
        return html.document_fromstring(
            _XML_DECLARATION.sub("", text),
            parser=html.HTMLParser(remove_comments=True, remove_pis=True),
        )
    except (etree.ParserError, ValueError) as err:
        if "empty" in str(err).lower():
            return None
        raise input_error(
            path, f"is not a readable web page ({err})", "open it in a browser and save it again"
        ) from err


def page_lines(root: etree._Element, cited: Mapping[str, str] | None = None) -> list[str]:
    """The page's paragraphs, then its footnotes under :data:`FOOTNOTE_RULE` (``cited``:
    as for :func:`read_page`)."""
    notes = _Notes.of(root, cited or {})
    body = root.find("body")
    if body is None:
        body = root
    mains = [e for e in body.iter() if tag_name(e) == "main" or e.get("role") == "main"]
    text = _Text(notes, ListStyles.of(root))
    text.walk(mains[0] if len(mains) == 1 else body, inside_content=len(mains) == 1)
    lines = text.finish()
    written = []
    for mark, note in notes.notes.values():
        inner = _Text(notes, in_note=True)
        for element in note:
            inner.walk(element, inside_content=True)
        words = without_mark(" ".join(inner.finish()), mark)
        typed = _TYPED_MARK.match(words)
        if typed and mark.isdigit():  # a converter that numbered a custom mark (pandoc)
            mark, words = typed.group(1), words[typed.end() :]
        if words:
            written.append(f"{mark} {words}" if mark else words)
    if written:
        lines += ["", FOOTNOTE_RULE, *written]
    return lines


def _chrome(element: etree._Element, tag: str, inside_content: bool) -> bool:
    """Whether ``element`` is the site around the document rather than the document."""
    if element.get("role") in _CHROME_ROLES:
        return True
    if inside_content or tag in TABLE_PARTS or _book_note(element) or _title_block(element, tag):
        return False
    names = {(element.get("id") or "").lower(), *(element.get("class") or "").lower().split()}
    return tag in CHROME or bool(names & CHROME_NAMES)


def _title_block(element: etree._Element, tag: str) -> bool:
    """A ``<header>`` that holds the document's title, not the site's banner: pandoc's
    ``title-block-header``, or one with nothing but a heading and title, author or date
    lines (a banner has links or menus)."""
    if tag != "header":
        return False
    if element.get("id") == "title-block-header":
        return True
    children = list(element)
    if not children or (element.text or "").strip():
        return False
    for child in children:
        classes = set((child.get("class") or "").lower().split())
        if not (tag_name(child) in ("h1", "hgroup") or classes & TITLE_PARTS):
            return False
        if (child.tail or "").strip():
            return False
    inner = {tag_name(e) for e in element.iterdescendants()}
    return not inner & {"a", "nav", "ul", "ol", "menu", "form"}


def _epub_types(element: etree._Element) -> set[str]:
    return set((element.get("epub:type") or element.get("role") or "").replace("doc-", "").split())


def _book_note(element: etree._Element) -> bool:
    """A note of an e-book (``<aside epub:type="footnote">``, ``role="doc-endnote"``):
    the book's text, though it is set aside."""
    return bool(_epub_types(element) & {"footnote", "endnote", "rearnote", "note", "endnotes"})


def _word_comment(element: etree._Element) -> bool:
    """Word's comments on a web page: the ``[A1]`` anchor in the text and the list of
    comments at the end."""
    if "msocomanchor" in (element.get("class") or "").split():
        return True
    return bool(_WORD_COMMENTS.search(element.get("style") or ""))


def _hidden(element: etree._Element) -> bool:
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
    )


@dataclass
class _Notes:
    """The page's footnotes: ``refs``, the reference links; ``notes``, each note's first
    element → its mark and the elements it is made of, in the order the text cites them;
    ``members``, every element inside a note; ``backs``, the links in notes that lead
    back to the text (with their wrappers)."""

    refs: set[etree._Element] = field(default_factory=set)
    notes: dict[etree._Element, tuple[str, list[etree._Element]]] = field(default_factory=dict)
    members: set[etree._Element] = field(default_factory=set)
    backs: set[etree._Element] = field(default_factory=set)
    comments: set[etree._Element] = field(default_factory=set)

    @classmethod
    def of(cls, root: etree._Element, cited: Mapping[str, str]) -> _Notes:
        found = cls()
        position = {element: n for n, element in enumerate(root.iter())}
        targets: dict[str, etree._Element] = {}
        for element in position:
            if not isinstance(element.tag, str):
                continue
            name = element.get("name") if tag_name(element) == "a" else None
            for key in (element.get("id"), name):
                if key:
                    targets.setdefault(key, element)
        for key, mark in cited.items():  # notes cited from other pages, in citation order
            if key in targets:
                note = _note_of(targets[key])
                found._add(mark, note)
                found.backs |= {a for e in note for a in e.iter("a") if _links_away(a)}
        for link in root.iter("a"):
            href = link.get("href") or ""
            noteref = "noteref" in _epub_types(link)
            if _cites_elsewhere(link):
                found.refs.add(link)  # the mark of a note on another page of the book
                continue
            target = targets.get(href[1:]) if href.startswith("#") else None
            if target is None or position[target] < position[link]:
                continue  # a note comes after its reference; a link back comes after it
            marked = _MARK.match(link.text_content().strip())
            if marked is None:
                continue
            note = _note_of(target)
            backs = _links_back(note, _keys_of(link))
            if not backs and not noteref:  # an e-book's note reference needs no link back
                continue
            found.refs.add(link)
            found.backs |= backs
            if _COMMENT_TARGET.match(href[1:]):
                found.comments.update(note)
            else:
                found._add(marked.group(1), note)
        found.backs = {_with_wrappers(b, found.backs) for b in found.backs}
        return found

    def _add(self, mark: str, note: list[etree._Element]) -> None:
        """Take ``note`` (its elements) with ``mark``, unless it is taken already."""
        if note[0] not in self.notes:
            self.notes[note[0]] = (mark, note)
            self.members.update(e for element in note for e in element.iter())


def notes_elsewhere(root: etree._Element) -> list[tuple[str, str]]:
    """``(href, mark)`` of each note reference on the page that links to a note on another
    page (``epub:type="noteref"``, ``href="notes.xhtml#n1"``), in the order they stand."""
    out = []
    for link in root.iter("a"):
        mark = _MARK.match(link.text_content().strip())
        if _cites_elsewhere(link) and mark is not None:
            out.append((link.get("href", ""), mark.group(1)))
    return out


def _cites_elsewhere(link: etree._Element) -> bool:
    """Whether ``link`` is a note reference (``epub:type="noteref"``) to another page."""
    return "noteref" in _epub_types(link) and not (link.get("href") or "").startswith("#")


def _links_away(link: etree._Element) -> bool:
    """A link to another page of the book, with nothing but a mark or an arrow to show
    (a note's way back to the page that cites it)."""
    href = link.get("href") or ""
    shown = link.text_content().strip()
    return bool(href) and not href.startswith("#") and "#" in href and len(shown) <= 3


def _keys_of(link: etree._Element) -> set[str]:
    """The ids and names a note's back link may point at: the reference's and its wrappers'."""
    keys: set[str] = set()
    element: etree._Element | None = link
    while element is not None and tag_name(element) not in BLOCKS:
        keys.update(k for k in (element.get("id"), element.get("name")) if k)
        element = element.getparent()
    return keys


def _links_back(note: list[etree._Element], keys: set[str]) -> set[etree._Element]:
    return {
        a
        for element in note
        for a in element.iter("a")
        if (a.get("href") or "").startswith("#") and a.get("href", "")[1:] in keys
    }


def _with_wrappers(back: etree._Element, backs: set[etree._Element]) -> etree._Element:
    """A back link with the inline elements around it that hold nothing else but other
    back links and signs (Wikipedia's ``<span>^ <a>a</a> <a>b</a></span>``)."""
    element = back
    parent = element.getparent()
    while parent is not None and tag_name(parent) not in BLOCKS:
        if any(c.isalnum() for c in _words_besides(parent, backs)):
            break
        element, parent = parent, parent.getparent()
    return element


def _words_besides(element: etree._Element, skipped: set[etree._Element]) -> str:
    """``element``'s text without that of the ``skipped`` elements inside it."""
    if element in skipped:
        return ""
    return (element.text or "") + "".join(
        _words_besides(child, skipped) + (child.tail or "") for child in element
    )


def _note_of(target: etree._Element) -> list[etree._Element]:
    """The elements a note is made of: the target itself if it is a block (``<li id=fn1>``),
    else the block around it with, inside a box made for one note, the blocks that follow
    it there up to one that links within the page (the next note's start).

    A box is made for one note where its name says so (Word's ``<div id=ftn1>``,
    LibreOffice's ``sdfootnote1``) or where the note's block opens it (Google Docs gives
    each note a bare ``<div>``)."""
    block = target
    while tag_name(block) not in BLOCKS and block.getparent() is not None:
        block = block.getparent()
    box = block.getparent()
    if box is None or block is target or tag_name(box) != "div":
        return [block]
    marks = " ".join(box.get(a) or "" for a in ("id", "class", "style"))
    opens = (box.text or "").strip() == "" and next(box.iterchildren(), None) is block
    if not (_NOTE_BOX.search(marks) or opens):
        return [block]
    rest = []
    for sibling in block.itersiblings():
        if any((a.get("href") or "").startswith("#") for a in sibling.iter("a")):
            break
        rest.append(sibling)
    return [block, *rest]


class _Text:
    """Collects lines while walking elements: text runs joined, a block ending the line."""

    def __init__(
        self, notes: _Notes, styles: ListStyles | None = None, in_note: bool = False
    ) -> None:
        self.notes = notes
        self.styles = styles or ListStyles()
        self.in_note = in_note
        self.lines: list[str] = []
        self.line: list[str] = []
        self.label = ""
        self.font: str | None = None
        self.after_break = False

    def walk(self, element: etree._Element, inside_content: bool = False) -> None:
        tag = tag_name(element)
        if not tag or tag in UNSHOWN or _hidden(element) or self._skipped(element):
            self._text(element.tail)
            return
        if _chrome(element, tag, inside_content):
            self.newline()
            self._text(element.tail)
            return
        inside = inside_content or tag in ("article", "main")
        block = tag in BLOCKS
        if block:
            self.newline()
        elif tag == "br":
            self._line_break()
        if tag in ("ol", "ul", "li"):
            self.styles.enter(element)
        if tag == "li" and not self.in_note:
            self.label = _list_label(element, self.styles)
        outer = self.font
        face = _font_face(element)
        if face is not None:
            self.font = symbol_font(face)
        if tag == "pre":
            self._preformatted(element)
        else:
            self._text(element.text)
            for child in element:
                self.walk(child, inside)
        self.font = outer
        if block:
            self.newline()
            self.label = ""
        self._text(element.tail)

    def _skipped(self, element: etree._Element) -> bool:
        if element in self.notes.refs or element in self.notes.backs:
            return True
        if element in self.notes.comments or _word_comment(element):
            return True
        return not self.in_note and element in self.notes.members

    def _text(self, text: str | None) -> None:
        if text:
            self._add(text)

    def _add(self, text: str) -> None:
        """Text of the current line; an item's number goes before its first words, which
        may sit in a paragraph inside the item (``<li><p>``)."""
        if self.label and text.strip():
            self.line.append(self.label)
            self.label = ""
        if self.font:
            text = "".join(c if c.isspace() else symbol(self.font, c) for c in text)
        self.line.append(text)
        self.after_break = self.after_break and not text.strip()

    def _line_break(self) -> None:
        """``<br>``: a space, as Word's line break is in a .docx; two in a row (an older
        page's way of starting a paragraph) end the paragraph."""
        if self.after_break:
            self.newline()
        else:
            self.line.append(" ")
            self.after_break = True

    def _preformatted(self, element: etree._Element) -> None:
        for n, part in enumerate(element.text_content().split("\n")):
            if n:
                self.newline()
            self._add(part)

    def newline(self) -> None:
        """End the current line: white space collapsed as a browser does, where a line break
        in the source between two Chinese or Japanese characters is no space at all."""
        text = _WIDE_BREAK.sub("", "".join(self.line))
        text = _SPACES.sub(" ", _PADDING.sub(" ", text)).strip()
        self.line = []
        self.after_break = False
        if text:
            self.lines.append(text)

    def finish(self) -> list[str]:
        self.newline()
        return self.lines


def _font_face(element: etree._Element) -> str | None:
    """The font an element sets (``<font face>``, CSS ``font-family``: the first named)."""
    family = element.get("face") if tag_name(element) == "font" else None
    if family is None:
        found = _FONT_FAMILY.search(element.get("style") or "")
        family = found.group(1) if found else None
    return family.split(",")[0].strip().strip("'\"") if family is not None else None


def _list_label(item: etree._Element, styles: ListStyles) -> str:
    """What a browser draws before a list item: its marker (an ``<ol>``'s number and what
    follows it, an ``<ul>``'s bullet: disc, then circle, then square as lists nest), then
    what the style sheet puts before it (:mod:`csslists`; Google Docs draws its numbers
    so, with no marker), less an icon font's private-use characters."""
    parent = item.getparent()
    kind_of_list = tag_name(parent) if parent is not None else ""
    if kind_of_list not in ("ol", "ul"):
        return ""
    drawn = _ICONS.sub("", styles.label(item, _counter) or "")
    inline = _CSS_LIST.search(item.get("style") or "") or _CSS_LIST.search(
        parent.get("style") or ""
    )
    sheet = styles.list_type(item) or styles.list_type(parent)
    kind = inline.group(1).lower() if inline else sheet
    if kind_of_list == "ul":
        depth = sum(1 for e in parent.iterancestors() if tag_name(e) in ("ul", "ol"))
        kind = kind or ("disc", "circle", "square")[min(depth, 2)]
        bullet = BULLETS.get(kind, BULLETS["disc"])
        return f"{bullet} {drawn}" if bullet else drawn
    kind = kind or parent.get("type") or "1"
    if kind == "none":
        return drawn
    counting, after = LIST_FORMATS.get(kind, LIST_FORMATS["1"])
    items = [e for e in parent if tag_name(e) == "li"]
    step = -1 if parent.get("reversed") is not None else 1
    number = _int(parent.get("start"), len(items) if step < 0 else 1)
    for e in items:
        number = _int(e.get("value"), number)
        if e is item:
            break
        number += step
    label = counting(number) if number > 0 else str(number)
    return f"{label}{after}{drawn}" if label else drawn


def _counter(style: str, n: int) -> str:
    """One CSS counter drawn in ``style`` (``counter(name, lower-latin)``)."""
    if style.lower() in BULLETS:
        return BULLETS[style.lower()]
    counting, _after = LIST_FORMATS.get(style.lower(), LIST_FORMATS["1"])
    return counting(n)


def _int(text: str | None, default: int) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        return default
