"""PDF files with a text layer (the ``pdf`` extra): page texts in order, each page after
the first opening with a form feed, as ``pdftotext`` writes them.

pypdf gives a page's lines without their position, so a paragraph's indented first
line looks like any other and the cleaner would have only line lengths to find
paragraphs by. Each line that starts at least an em right of the page's left edge
(the leftmost start a quarter of its lines share) is given a leading space, as the
extraction the cleaner was built on does. Arabic and Hebrew pages are left as pypdf
gives them: their lines' left ends do not show a first-line indent.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from align.clean import FOOTNOTE_RULE, RULE_LINE
from align.errors import InputError
from align.languages import IDEOGRAPHS, display_width
from align.readers.base import Reader, input_error, not_valid, package_version
from align.readers.wordsym import SYMBOL_CODES, symbol, symbol_font

NO_TEXT = ("has no text layer (scanned?)", "run OCR first, or supply the .txt/.docx")
INDENT_EMS = 0.9
"""How far right of the page's left edge, in ems of its first text, a line starts indented."""


class PdfReader(Reader):
    suffixes = (".pdf",)
    magic = (b"%PDF-",)
    layout = "wrapped"

    def tools(self) -> str:
        return package_version("pypdf")

    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        try:
            import pypdf
        except ImportError as err:
            raise input_error(
                path, "reading .pdf needs the 'pdf' extra", "pip install 'un-align[pdf]'"
            ) from err
        locked = ("is password-protected", "save an unprotected copy and read that")
        try:
            with _quiet("pypdf"):
                reader = pypdf.PdfReader(str(path))
                if reader.is_encrypted and not reader.decrypt(""):
                    raise input_error(path, *locked)
                pages = [_page_text(page) for page in reader.pages]
        except InputError:
            raise
        except pypdf.errors.FileNotDecryptedError as err:
            raise input_error(path, *locked) from err
        except pypdf.errors.DependencyError as err:
            raise input_error(
                path, f"is encrypted and cannot be opened here ({err})", "pip install cryptography"
            ) from err
        except Exception as err:  # pypdf raises many kinds on a damaged file
            raise not_valid(path, "PDF", err, "re-export it, or supply the .txt/.docx") from err
        if not any(page.strip() for page in pages):
            raise input_error(path, *NO_TEXT)
        text = "\n\f".join(pages)
        if problem := undecoded(text):
            raise input_error(path, problem, "run OCR on it, or supply the .docx/.txt")
        return text, "pdf"


GARBLED_SCRIPTS = 6
"""Writing systems each holding 1% of a text's letters, from which the text is glyph
numbers read as characters, not any document's: a six-language UN glossary has four
(Latin, Arabic, Cyrillic, Chinese)."""
PRIVATE_USE_SHARE = 0.2
"""Share of a text's characters in Unicode's private use area, from which its fonts map
their glyphs to no character at all."""
_EAST_ASIAN = frozenset("CJK HIRAGANA KATAKANA HANGUL BOPOMOFO IDEOGRAPHIC".split())


def undecoded(text: str) -> str | None:
    """What is wrong with a PDF's text layer whose fonts carry no map to Unicode, else None.

    Such a PDF shows its text and gives glyph numbers on extraction: letters of a dozen
    scripts mixed (``эlᬁlᨧ៨ᮑ``), or private-use characters. The language check would
    call it the wrong language and send the translator to swap the files."""
    visible = [ch for ch in text if not ch.isspace()]
    private = sum(1 for ch in visible if unicodedata.category(ch) == "Co")
    if visible and private > PRIVATE_USE_SHARE * len(visible):
        return (
            f"has a text layer that does not decode ({private / len(visible):.0%} of its "
            "characters are private-use codes: its fonts map no Unicode)"
        )
    scripts = Counter(_script(ch) for ch in visible if ch.isalpha())
    letters = sum(scripts.values())
    mixed = [s for s, n in scripts.items() if n >= 0.01 * letters]
    if letters >= 200 and len(mixed) >= GARBLED_SCRIPTS:
        return (
            f"has a text layer that does not decode (letters of {len(mixed)} writing systems "
            "mixed: its fonts map no Unicode)"
        )
    return None


def _script(ch: str) -> str:
    word = unicodedata.name(ch, "?").split(" ")[0]
    return "CJK" if word in _EAST_ASIAN else word


READER = PdfReader()


def _page_text(page: Any) -> str:
    """The page's text, each line that starts a paragraph given a leading space.

    A line starts one where it is indented (:func:`_first_line`) but for a list item's
    line under a hanging indent (:func:`_hanging`), or set apart from the line above by
    more than the page's line spacing, as paragraphs spaced rather than indented are.
    Footnotes set in smaller type at the foot of the page get the rule a UN PDF prints
    above them where the page drew it as a line, not as text, and a space after a mark
    set against the note's first word (:func:`_glued_notes`).
    Where the text pypdf reports piece by piece does not add up to its page text, or
    the text is drawn turned (a landscape table on an upright page), the page text is
    returned as it is.
    """
    pieces: list[tuple[str, float, float, float]] = []
    turned = False
    symbols: dict[str, str] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        nonlocal turned
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        em = abs(size) * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
        if text.strip() and abs(tm[1]) + abs(cm[1]) > 1e-6:
            turned = True
        if SYMBOL_CODES.search(text) and font is not None:
            name = str(font.get("/BaseFont", ""))
            if symbol_font(name):
                symbols.update(dict.fromkeys(SYMBOL_CODES.findall(text), name))
        pieces.append((text, x, y, em))

    text = _with_symbols(page.extract_text(visitor_text=visit) or "", symbols)
    pieces = [(_with_symbols(piece, symbols), x, y, em) for piece, x, y, em in pieces]
    if "".join(piece[0] for piece in pieces) != text or turned:
        return text
    if _right_to_left(text):
        return _right_to_left_lines(pieces)
    pieces, cells = _cells(pieces)
    text = "".join(piece[0] for piece in pieces)
    starts: list[tuple[float, float] | None] = [None]
    bodies: list[tuple[float, float, int] | None] = [None]
    labels: list[tuple[float, float] | None] = [None]
    head: str | None = ""  # a line's text until it is known to open with a label or not
    for piece, x, y, em in pieces:
        for n, part in enumerate(piece.split("\n")):
            if n:
                starts.append(None)
                bodies.append(None)
                labels.append(None)
                head = ""
            if starts[-1] is None and part.strip():
                starts[-1] = (x, em)
            if head is not None and part.strip():
                start = starts[-1]
                if head.strip() and start is not None and x > start[0]:
                    if _LIST_LABEL.match(head):  # the text after a label drawn apart
                        labels[-1], head = (start[0], x), None
                    elif len(head.strip()) > 6:
                        head = None
                if head is not None:
                    head += part
            chars = len(part.strip())
            if chars and (bodies[-1] is None or chars > bodies[-1][2]):
                bodies[-1] = (y, em, chars)
    lines = text.split("\n")
    edges = Counter(round(start[0]) for start in starts if start is not None)
    if len(lines) != len(starts) or not edges:
        return text
    often = max(2, 0.25 * len(lines))
    edge = min((x for x, n in edges.items() if n >= often), default=edges.most_common(1)[0][0])
    widths = [display_width(line.strip()) for line in lines]
    full = sorted(widths)[int(0.9 * (len(widths) - 1))]
    size = _body_size(bodies) or 10.0
    spaced = _spaced_lines(bodies, size)
    hanging = _hanging(starts, labels, widths, full)
    rows = []
    for i, line in enumerate(lines):
        if i in cells:
            line = " " + line.lstrip()
        elif (_first_line(starts, widths, i, edge, full) and not hanging[i]) or spaced[i]:
            line = " " + line
        rows.append(line)
    notes, glued = _footnotes_at(lines, bodies, size)
    for i in glued:
        rows[i] = _GLUED_MARK.sub(r"\1\2 ", rows[i], count=1)
    if notes is not None:
        rows.insert(notes, FOOTNOTE_RULE)
    return "\n".join(rows)


COLUMN_GAP_EMS = 2.5
"""A gap this wide (in ems) between two pieces of text on one line parts table cells."""
COLUMN_SNAP = 2.0
"""Points within which two cells start at the same place."""


def _text_ems(text: str) -> float:
    """A generous guess at how wide ``text`` is set, in ems (too wide a guess only
    narrows a gap): capitals 0.7, other letters and figures 0.55, spaces and marks 0.3,
    a CJK character 1."""
    ems = 0.0
    for ch in text:
        if display_width(ch) == 2:
            ems += 1.0
        elif ch.isupper():
            ems += 0.7
        elif ch.isalnum():
            ems += 0.55
        else:
            ems += 0.3
    return ems


_LABEL = re.compile(
    r"^\s*(?:\d{1,3}\.?|\(?[A-Za-z]\)|[A-Za-z]\.|\(?[ivxlcIVXLC]{1,6}[.)]|\*{1,3}"
    r"|[一二三四五六七八九十]{1,3}、|[•▪◦–-])\s*$"
)


def _cells(
    pieces: list[tuple[str, float, float, float]],
) -> tuple[list[tuple[str, float, float, float]], set[int]]:
    """The pieces with a line break between table cells, and the lines that are cells.

    Two pieces of one line whose gap (the second's start less the first's end, guessed
    from its characters) is :data:`COLUMN_GAP_EMS` or more stand in two columns if
    another line has a cell starting, or ending, at the same place, as a table's rows
    do (a gap in one line alone is more likely a guess gone wrong in justified text). Each cell
    becomes a line of its own, marked as a paragraph start, so a table aligns cell by
    cell as a .docx's does. A label before a tab (``1.``, ``(a)``, ``*``, ``一、``) is no
    cell: it opens the text after it.
    """
    candidates: dict[int, tuple[int, float, float, float]] = {}
    line, so_far, end = 0, "", None
    for k, (piece, x, _, em) in enumerate(pieces):
        if "\n" in piece:
            line += piece.count("\n")
            so_far, end = piece.rsplit("\n", 1)[1], None
            continue
        if piece.strip():
            width = _text_ems(piece.rstrip()) * em
            if end is not None and x - end >= COLUMN_GAP_EMS * em and not _LABEL.match(so_far):
                candidates[k] = (line, x, x + width, em)
            end = x + width
        so_far += piece

    def column(k: int) -> bool:
        """Whether another line has a cell that starts, or ends, where this one does
        (left-aligned or right-aligned columns)."""
        at_line, x, x_end, em = candidates[k]
        return any(
            other[0] != at_line
            and (abs(other[1] - x) <= COLUMN_SNAP or abs(other[2] - x_end) <= 0.5 * em)
            for other in candidates.values()
        )

    accepted = {k for k in candidates if column(k)}
    out: list[tuple[str, float, float, float]] = []
    cells: set[int] = set()
    added = 0
    for k, item in enumerate(pieces):
        if k in accepted:
            at_line = candidates[k][0] + added
            out.append(("\n", 0.0, 0.0, 0.0))
            cells.update((at_line, at_line + 1))
            added += 1
        out.append(item)
    return out, cells


SPACED_EMS = 0.35
"""How much more than the page's line spacing, in ems, sets a paragraph apart."""
SMALL_TYPE = 0.93
"""Footnote type is at most this share of the body's size."""
FOOTER_LINES, FOOTER_WIDTH = 2, 25
"""At most this many lines this short under a page's footnotes are its running footer."""
_NOTE_MARK = re.compile(r"^\s*(?:\*{1,3}|\d{1,3}|[†‡§])\s+\S")
_LONG_MARK = re.compile(r"^\s*(\d{4})\s+\S")
"""A line opening with four figures: note 1000 and on in a long report, or a year."""
_GLUED_MARK = re.compile(rf"^(\s*)(\d{{1,4}})(?=[A-Z《{IDEOGRAPHS}])")
"""A note's mark set with no space before its first word (``1Resolutions``,
``2A/78/250.``, ``1第…``, ``1012See``), as LibreOffice's PDFs give a superscript figure."""


def _body_mark(n: int) -> re.Pattern[str]:
    """Note mark ``n`` in the body: a figure glued to the text before it (``subject,1``,
    ``报告2及其``), not a number's last part (``4.45``, ``75/1``, ``1,234``).

    A mark of four figures (1000 and on) is glued to a word or to the punctuation that
    ends one (``taken.1012``, ``报告1012及其``), not to a symbol's capitals (``SR.2023``),
    and no date unit follows it: a year stands after an opener or a slash (``(2023)``,
    ``A/RES/2023``, ``《2030年``)."""
    if n >= 1000:
        closing = re.escape(".,;:!?)]”’»。，；：！？）」』》")
        return re.compile(rf"(?<=[^\W\d_]|[{closing}])(?<![A-Z]\.){n}(?!\d)(?![年月日号號])")
    return re.compile(rf"(?<![\d\s])(?<!\d[.,/:–-]){n}(?!\d)")


def _spaced_lines(bodies: list[tuple[float, float, int] | None], size: float) -> list[bool]:
    """Which lines stand further below the line above them than the page's usual spacing
    by :data:`SPACED_EMS` or more, the page's second line excepted. The usual spacing is
    the lower quartile of the steps between lines of body type (``size``): a page of
    short paragraphs has more steps between paragraphs than within them."""
    steps = [
        (i, above[0] - line[0], line[1])
        for i, (above, line) in enumerate(zip(bodies, bodies[1:], strict=False), 1)
        if above is not None and line is not None
    ]
    usual = sorted(
        step for _, step, em in steps if 0 < step < 3 * em and abs(em - size) <= 0.1 * size
    )
    spaced = [False] * len(bodies)
    if len(usual) < 4:
        return spaced
    pitch = usual[len(usual) // 4]
    top = next(i for i, body in enumerate(bodies) if body is not None)
    for i, step, em in steps:
        # below the page's first line, which may be a running header: the gap under it
        # says nothing of whether a paragraph runs on from the page before
        spaced[i] = i - 1 != top and step >= pitch + SPACED_EMS * em
    return spaced


def _body_size(bodies: list[tuple[float, float, int] | None]) -> float | None:
    """The type size most of the page's characters are set in."""
    sizes = Counter[float]()
    for body in bodies:
        if body is not None:
            sizes[round(body[1], 1)] += body[2]
    return sizes.most_common(1)[0][0] if sizes else None


def _footnotes_at(
    lines: list[str], bodies: list[tuple[float, float, int] | None], size: float
) -> tuple[int | None, list[int]]:
    """Where the page's footnotes begin, if the page drew no rule above them as text: the
    first line opening with a mark after which every line is in small type, but for a
    running footer's short lines at the foot; and the note lines whose mark is glued to
    their first word (:func:`_glued_notes`), which the reader sets apart with a space."""
    if any(RULE_LINE.match(line.strip()) for line in lines):
        return None, []
    long = _long_marks(lines, bodies, size)
    glued = _glued_notes(lines, bodies, size, long)
    return _notes_start(lines, bodies, size, set(glued) | long), glued


def _long_marks(
    lines: list[str], bodies: list[tuple[float, float, int] | None], size: float
) -> set[int]:
    """The lines of small type that open with a four-figure mark and a space (``1012 See
    …``, note 1012 of a long report) whose figure stands glued in the text above, as a
    mark does (:func:`_body_mark`); a line opening with a year (``2023 was…``) is none."""
    small = SMALL_TYPE * size
    text = "\n".join(lines)
    found: set[int] = set()
    above = 0
    for i, (line, type_) in enumerate(zip(lines, bodies, strict=True)):
        if type_ is not None and type_[1] <= small and (mark := _LONG_MARK.match(line)):
            if _body_mark(int(mark.group(1))).search(text, 0, above):
                found.add(i)
        above += len(line) + 1
    return found


def _notes_start(
    lines: list[str], bodies: list[tuple[float, float, int] | None], size: float, glued: set[int]
) -> int | None:
    """The first line of the page's footnotes (see :func:`_footnotes_at`), the lines in
    ``glued`` opening with a mark too."""
    small = SMALL_TYPE * size
    start = None
    footer = FOOTER_LINES
    for i in range(len(lines) - 1, 0, -1):
        body = bodies[i]
        if body is None:
            continue
        marked = _NOTE_MARK.match(lines[i]) is not None or i in glued
        note = body[1] <= small and marked
        if start is None and footer and not note and len(lines[i].strip()) <= FOOTER_WIDTH:
            footer -= 1  # a running footer under the notes: page number, job number
            continue
        footer = 0
        if body[1] > small:
            break
        if note:
            start = i
    return start


def _glued_notes(
    lines: list[str],
    bodies: list[tuple[float, float, int] | None],
    size: float,
    long: set[int],
) -> list[int]:
    """The page's footnote lines whose mark has no space after it (:data:`_GLUED_MARK`):
    a figure then a capital or a Chinese character, in small type in the notes at the
    foot of the page, the notes' figures running on one from the other (``1``, ``2``),
    each glued note's figure found in the body above, in turn, glued to its text
    (``on the subject,1``). A line of small type that opens with a number (``12
    countries``, ``2023 was``, ``12月3日``) is none: its figure has a space after it,
    or runs no sequence the body's marks follow. The lines in ``long`` open with a
    four-figure mark and a space (:func:`_long_marks`); a four-figure one glued to its
    word that does not go on from the note above is a line of that note (a year)."""
    small = SMALL_TYPE * size
    candidates = {
        i
        for i, (line, type_) in enumerate(zip(lines, bodies, strict=True))
        if type_ is not None and type_[1] <= small and _GLUED_MARK.match(line)
    }
    if not candidates:
        return []
    start = _notes_start(lines, bodies, size, candidates | long)
    if start is None:
        return []
    marks: list[tuple[int, int]] = []  # (line, figure) of each numbered note, in order
    for i in range(start, len(lines)):
        if i in candidates and (glued := _GLUED_MARK.match(lines[i])):
            figure = int(glued.group(2))
            if figure >= 1000 and marks and figure != marks[-1][1] + 1:
                continue
            marks.append((i, figure))
        elif (i in long or _NOTE_MARK.match(lines[i])) and (
            spaced := re.match(r"\s*(\d+)\s", lines[i])
        ):
            marks.append((i, int(spaced.group(1))))
    figures = [n for _, n in marks]
    if any(b != a + 1 for a, b in zip(figures, figures[1:], strict=False)):
        return []
    body, at = "\n".join(lines[:start]), 0
    found = []
    for i, n in marks:
        if i not in candidates:
            continue
        mark = _body_mark(n).search(body, at)
        if mark is None:
            return []
        at = mark.end()
        found.append(i)
    return found


def _with_symbols(text: str, fonts: dict[str, str]) -> str:
    """``text`` with each symbol-font code in ``fonts`` (code -> the font it was drawn in)
    as the character that font draws: Word's PDFs map ``≥`` in Symbol to U+F0B3."""
    if not fonts:
        return text
    return SYMBOL_CODES.sub(
        lambda m: symbol(fonts[m.group()], m.group()) if m.group() in fonts else m.group(), text
    )


_LIST_LABEL = re.compile(
    r"^\s*(?:\d{1,3}\.|\(\d{1,3}\)|\(?[A-Za-z]\)|\(?[ivxlcIVXLC]{1,6}[.)]"
    r"|\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、|[•▪◦–-])\s*$"
)
"""A list item's label drawn apart from its text (``1.``, ``(a)``, ``(ii)``, ``(一)``,
``一、``, a bullet): a bare figure (``26`` of a date cut at a line's end) is none."""


def _hanging(
    starts: list[tuple[float, float] | None],
    labels: list[tuple[float, float] | None],
    widths: list[int],
    full: int,
) -> list[bool]:
    """Which lines run on a list item set with a hanging indent, as Word's numbered lists
    are: the line above runs (nearly) the page's width and either opens with a label
    (``labels``: where it and the text after it start) that this line starts right of,
    by an indent's width, but not right of the text after it; or is such a line itself,
    this one starting where it does. Such a line starts right of the label above, and
    was taken for a paragraph's indented first line."""
    hanging = [False] * len(starts)
    for i in range(1, len(starts)):
        start, above = starts[i], starts[i - 1]
        if start is None or above is None or labels[i] is not None or widths[i - 1] < 0.8 * full:
            continue
        x, em = start
        step = INDENT_EMS * (em or 10.0)
        label = labels[i - 1]
        if label is not None:
            hanging[i] = x - label[0] >= step and x <= label[1] + COLUMN_SNAP
        else:
            hanging[i] = hanging[i - 1] and abs(x - above[0]) <= COLUMN_SNAP
    return hanging


def _first_line(
    starts: list[tuple[float, float] | None], widths: list[int], i: int, edge: float, full: int
) -> bool:
    """Whether line ``i`` starts indented as a paragraph's first line does.

    It starts right of the page's edge, and right of the line above it, or right of the
    line below it while running (nearly) the page's width, as a first line that wraps
    into its second does. A body set as an indented block starts every line at one
    place: there only its first line after a heading counts, and its short last line
    before a heading out at the margin does not.
    """
    start = starts[i]
    if start is None:
        return False
    x, em = start
    step = INDENT_EMS * (em or 10.0)
    if x - edge < step:
        return False
    above = starts[i - 1] if i else None
    below = starts[i + 1] if i + 1 < len(starts) else None
    if above is not None and x - above[0] >= step:
        return True
    wraps = widths[i] >= 0.8 * full
    return below is not None and x - below[0] >= step and wraps


_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def _right_to_left(text: str) -> bool:
    """Mostly Arabic or Hebrew: a line's left end says nothing of its first-line indent,
    and a paragraph's short last line starts right of the others."""
    letters = sum(ch.isalpha() for ch in text)
    return letters > 0 and len(_RTL_LETTER.findall(text)) > letters / 2


_KASHIDA_CODES = re.compile(r"^\$+$")


def _right_to_left_lines(pieces: list[tuple[str, float, float, float]]) -> str:
    """An Arabic or Hebrew page's lines with each line's pieces in reading order, right
    to left. A PDF may draw a line's pieces from the left (LibreOffice does, cutting a
    justified line at each kashida it stretches), and pypdf joins them as drawn: the
    words of the line came back in the wrong order. Pieces at one place are what pypdf
    cut one drawing into (a word and the space to its left): the later is read first.
    The kashidas LibreOffice draws come out as ``$`` (a code its font has no character
    for) and are left out."""
    lines: list[list[tuple[float, int, str]]] = [[]]
    for k, (piece, x, _, _) in enumerate(pieces):
        for n, part in enumerate(piece.split("\n")):
            if n:
                lines.append([])
            if part and not _KASHIDA_CODES.match(part):
                lines[-1].append((-x, -k, part))
    return "\n".join("".join(part for _, _, part in sorted(line)) for line in lines)


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Silence a library's warnings about repairable flaws while it reads one file."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
