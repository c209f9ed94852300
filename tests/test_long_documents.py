"""Long and adversarial inputs through the stages before the encoder (read, clean, segment).

A long line of leaders, blanks or spaces, a long paragraph of lines broken at hyphens and a
text with thousands of typed rules give what their short forms give; the work they take is
counted in lines looked at, never timed."""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from long_corpus import assert_notes, note, paragraph, report_pdf, report_text

from align import clean as clean_module
from align.clean import _TOC_LEADER, clean, toc_leader
from align.readers import read_document
from align.segmenters import segment_document
from align.segmenters.en import _PERIOD_WORD, MosesSegmenter, _period_word
from align.types import CleanDocument, RawDocument

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "A_77_L.107"
LONG = 20_000


def raw_text(text: str, lang: str = "en") -> RawDocument:
    return RawDocument(text=text, path="", encoding="utf-8", lang=lang)


def with_line(line: str, lang: str) -> CleanDocument:
    """The shipped document with ``line`` put in among its paragraphs."""
    rows = (CORPUS / f"{lang}.txt").read_text(encoding="utf-8").split("\n")
    mid = len(rows) // 2
    return clean(raw_text("\n".join([*rows[:mid], line, *rows[mid:]]), lang), lang)


def blocks(doc: CleanDocument, long: str, short: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text.replace(long, short)) for b in doc.blocks]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "make",
    [
        lambda n: "." * n,
        lambda n: ". " * (n // 2),
        lambda n: "…" * n,
        lambda n: "a" + " " * n + "b",
        lambda n: "I. Introduction " + ". " * (n // 2) + "x",
    ],
    ids=["dots", "spaced-dots", "ellipses", "spaces", "leader-to-no-page"],
)
def test_a_long_line_of_leaders_or_spaces_is_cleaned_as_its_short_form(
    make: Callable[[int], str], lang: str
) -> None:
    long, short = make(LONG), make(300)
    got = with_line(long, lang)
    assert blocks(got, long.strip(), "<line>") == blocks(
        with_line(short, lang), short.strip(), "<line>"
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_contents_entry_with_a_long_leader_loses_it(lang: str) -> None:
    doc = with_line("I. Introduction " + ". " * (LONG // 2) + "3", lang)
    leaders = [r.text for r in doc.removals if r.reason == "toc-leader"]
    assert leaders == [". " * (LONG // 2) + "3"]
    assert "I. Introduction" in doc.text and ". . ." not in doc.text


def test_a_contents_leader_is_the_one_a_search_from_the_left_finds() -> None:
    for n in range(1, 7):
        for chars in itertools.product(". …1ia\u3000", repeat=n):
            line = "".join(chars).strip()
            found = _TOC_LEADER.search(line)
            assert toc_leader(line) == (len(line) - found.start() if found else 0), line


def test_a_word_before_a_period_is_the_one_a_search_from_the_left_finds() -> None:
    for n in range(1, 7):
        for chars in itertools.product(".a_')”!-", repeat=n):
            word = "".join(chars)
            want, got = _PERIOD_WORD.search(word), _period_word(word)
            assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups()))


def test_a_long_blank_to_fill_in_is_split_as_a_short_one() -> None:
    def sentences(n: int) -> list[str]:
        text = f"Please sign here: {'_' * n} Date of signature. The form ends here."
        return [text[a:b].replace("_" * n, "<blank>") for a, b in MosesSegmenter("en").split(text)]

    assert sentences(LONG) == sentences(10)
    assert sentences(10) == ["Please sign here: <blank> Date of signature.", "The form ends here."]


@pytest.mark.parametrize(
    ("lang", "joined"), [("en", "Cooperation and"), ("zh", "Coopera-tion and")]
)
def test_a_long_paragraph_of_lines_broken_at_hyphens_is_joined_whole(
    lang: str, joined: str
) -> None:
    n = 10_000
    doc = clean(raw_text("\n".join(["Coopera-", "tion and"] * n), lang), lang)
    assert [b.text for b in doc.blocks] == [" ".join([joined] * n)]


def test_the_lines_after_each_typed_rule_are_looked_at_up_to_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    n = 2000
    text = "\n".join(f"__________\nParagraph {i} is typed under a rule." for i in range(n))
    looked = 0
    page_start = vars(clean_module._Line)["page_start"]

    def counted(line: object) -> bool:
        nonlocal looked
        looked += 1
        return bool(page_start.fget(line))

    monkeypatch.setattr(clean_module._Line, "page_start", property(counted))
    doc = clean(RawDocument(text, "", "utf-8", "en", layout="paragraphs"), "en")
    assert [b.text for b in doc.blocks] == [
        f"Paragraph {i} is typed under a rule." for i in range(n)
    ]
    assert sum(r.reason == "rule" for r in doc.removals) == n
    assert looked < 10 * 2 * n


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_shipped_document_fifty_times_over_gives_its_paragraphs_fifty_times(lang: str) -> None:
    one = clean(raw_text((CORPUS / f"{lang}.txt").read_text(encoding="utf-8"), lang), lang)
    rows = [b.text for b in one.blocks if b.kind != "footnote"]
    long = clean(RawDocument("\n".join(rows * 50), "", "utf-8", lang, layout="paragraphs"), lang)
    assert [b.text for b in long.blocks] == rows * 50
    short = segment_document(
        clean(RawDocument("\n".join(rows), "", "utf-8", lang, layout="paragraphs"), lang)
    )
    assert [s.text for s in segment_document(long)] == [s.text for s in short] * 50


class _CountedRe:
    """The ``re`` module, counting the paragraph scans :func:`re.finditer` makes."""

    def __init__(self) -> None:
        self.scans = 0

    def __getattr__(self, name: str) -> object:
        return getattr(re, name)

    def finditer(self, pattern: str, string: str, flags: int = 0) -> Iterator[re.Match[str]]:
        self.scans += 1
        return re.finditer(pattern, string, flags)


class _CountedPattern:
    """A compiled pattern, counting the characters its searches are given."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.chars = 0

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        self.chars += max(0, min(endpos, len(string)) - max(pos, 0))
        return self.pattern.search(string, pos, endpos)


@pytest.mark.parametrize(
    ("lang", "unit", "end", "note"),
    [
        ("en", "plan1 and ", "short.1", " 1 Resolution 70/1."),
        ("zh", "计划1的", "较短。1", " 1 第70/1号决议。"),
        ("zh", "方案1的", "较短。1", " 1 第70/1号决议。"),
    ],
)
def test_figures_glued_to_words_are_looked_past_once_a_paragraph(
    monkeypatch: pytest.MonkeyPatch, lang: str, unit: str, end: str, note: str
) -> None:
    n = 3000
    paragraph = unit * n + end
    text = "\n\n".join([" " + paragraph, "__________", note]) + "\n"
    scans = _CountedRe()
    terms = _CountedPattern(clean_module._NUMBERED_TERM_ZH)
    monkeypatch.setattr(clean_module, "re", scans)
    monkeypatch.setattr(clean_module, "_NUMBERED_TERM_ZH", terms)
    doc = clean(raw_text(text, lang), lang)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("body", paragraph[:-1]),
        ("footnote", note.strip()[2:]),
    ]
    assert [r.text for r in doc.removals if r.reason == "footnote-ref"] == ["1"]
    assert scans.scans < 10
    assert terms.chars < 10 * n


def test_a_thousand_footnotes_and_more_stay_footnotes_in_paragraph_text() -> None:
    n = 1200
    body = [f"Paragraph {i} recalls the resolution. It goes on here." for i in range(n)]
    notes = [f"{i} Resolution {i}/1." for i in range(1, n + 1)]
    text = "\n".join([*body, "", "__________", *notes])
    doc = clean(RawDocument(text, "", "utf-8", "en", layout="paragraphs"), "en")
    assert [b.text for b in doc.blocks if b.kind == "body"] == body
    assert [(b.footnote, b.text) for b in doc.blocks if b.kind == "footnote"] == [
        (str(i), f"Resolution {i}/1.") for i in range(1, n + 1)
    ]


def test_footnotes_numbered_past_999_on_pages_stay_footnotes() -> None:
    pages = [
        f" The General Assembly recalls its resolution {mark}/1 and the report of the "
        f"Secretary-General.{mark}\n\n"
        " It requests the Secretary-General to report on it at its next session.\n\n"
        "__________________\n\n"
        f" {mark} Resolution {mark}/1, annex.\n\n"
        f"23-16564 {mark - 980}/30\n"
        for mark in range(990, 1010)
    ]
    doc = clean(raw_text("\f".join(pages)), "en")
    assert [(b.footnote, b.text) for b in doc.blocks if b.kind == "footnote"] == [
        (str(mark), f"Resolution {mark}/1, annex.") for mark in range(990, 1010)
    ]
    assert [b.refs for b in doc.blocks if b.kind == "body" and b.refs] == [
        (str(mark),) for mark in range(990, 1010)
    ]


def test_a_line_opening_with_a_year_opens_no_footnote() -> None:
    text = (
        " The Assembly recalled the Agenda.1\n\n It decided to go on.\n\n__________________\n\n"
        " 1 Resolution 70/1, on the\n\n2030 Agenda for Sustainable Development.\n\n"
        " 2030 Agenda for Sustainable Development, as set out.\n\n23-16564 2/4\n"
    )
    doc = clean(raw_text(text), "en")
    assert [(b.kind, b.footnote, b.text) for b in doc.blocks] == [
        ("body", None, "The Assembly recalled the Agenda."),
        ("body", None, "It decided to go on."),
        ("body", None, "2030 Agenda for Sustainable Development, as set out."),
        ("footnote", "1", "Resolution 70/1, on the 2030 Agenda for Sustainable Development."),
    ]


class _CountedChars(list[tuple[str, int]]):
    """A block's characters under construction, counting those read by index or slice."""

    reads = 0

    def __getitem__(self, key: Any) -> Any:
        got = super().__getitem__(key)
        _CountedChars.reads += len(got) if isinstance(key, slice) else 1
        return got


@pytest.mark.parametrize(
    ("lang", "line", "joined"),
    [
        ("en", "abcdefghij-", "abcdefghij"),
        ("en", "Abcdefghij-", "Abcdefghij-"),
        ("es", "abcdefghij-", "abcdefghij"),
        ("ru", "абвгдежзик-", "абвгдежзик"),
        ("en", "abcdefghij@", "abcdefghij@"),
        ("en", "a@abcdefghij.", "a@abcdefghij."),
        ("zh", "www.abcdefghij.", "www.abcdefghij."),
        ("zh", "a@abcdefghij", "a@abcdefghij"),
    ],
    ids=["hyphen", "capital", "es", "ru", "at", "address", "zh-address", "zh-at"],
)
def test_a_token_grown_over_thousands_of_lines_is_read_once(
    monkeypatch: pytest.MonkeyPatch, lang: str, line: str, joined: str
) -> None:
    """Lines joined with no space between them (a hyphen undone, an address going on)
    make one token: its characters are read a few times each, not once a line (the
    token was read back to its start at each line's end: 4,000 lines, 11.5 s)."""
    n = 1500
    monkeypatch.setattr(
        clean_module, "_Draft", dataclass_with(clean_module._Draft, chars=_CountedChars)
    )
    _CountedChars.reads = 0
    text = "\n".join([line] * n)
    doc = clean(RawDocument(text, "", "utf-8", lang, layout="wrapped"), lang)
    assert [b.text for b in doc.blocks] == [joined * (n - 1) + line]
    assert _CountedChars.reads < 20 * len(text)


def dataclass_with(cls: type, **factories: Callable[[], object]) -> type:
    """``cls`` with the fields named made by these factories."""
    import dataclasses

    fields = [
        (f.name, f.type, dataclasses.field(default_factory=factories[f.name]))
        for f in dataclasses.fields(cls)
        if f.name in factories
    ]
    return dataclasses.make_dataclass(cls.__name__, fields, bases=(cls,))


def _sentences(first: int, count: int) -> list[str]:
    """The sentences of :func:`long_corpus.report_text`'s paragraphs, then of its notes."""
    body: list[str] = []
    for n in range(1, count + 1):
        opening, rest = paragraph(n).split(" It requested")
        body += [opening, f"It requested{rest}"]
    return body + [note(first + n) for n in range(count)]


def _report(doc: CleanDocument, first: int, count: int) -> None:
    """``doc`` is the report (:func:`long_corpus.assert_notes`), and no sentence lost."""
    assert_notes(doc, first, count)
    assert [s.text for s in segment_document(doc)] == _sentences(first, count)


@pytest.mark.parametrize("source", ["text", "pdf"])
def test_a_volume_numbered_on_from_an_earlier_one_keeps_its_notes(
    tmp_path: Path, source: str
) -> None:
    """A later volume of a long report numbers its notes on from the earlier ones' (1012,
    1013, …): they are notes, as 1 and 2 are; they were left in the body, each note a
    paragraph opening with its figure and each mark glued to its sentence."""
    first, count = 1012, 30
    if source == "text":
        raw = raw_text(report_text(first, count))
    else:
        raw = read_document(report_pdf(tmp_path / "vol.pdf", first, count), "en")
    _report(clean(raw, "en"), first, count)


def test_a_compilation_of_forty_pages_keeps_every_sentence_and_note(tmp_path: Path) -> None:
    """A PDF of 40 pages, 11 notes a page, numbered across 999 to 1000 mid-page: every
    sentence of the body and of the notes is there, each note a note of its own."""
    first, count = 781, 440
    pdf = report_pdf(tmp_path / "compilation.pdf", first, count, per_page=11)
    raw = read_document(pdf, "en")
    assert raw.text.count("\f") == 39
    _report(clean(raw, "en"), first, count)


def test_a_year_opening_the_first_line_under_a_rule_opens_no_note() -> None:
    """A line under a rule opening with a year (``2030 Agenda``), with no line opening
    with the next figure under a rule further on, is no note numbered on from an earlier
    volume: it stays text."""
    page = (
        " The Assembly recalled the Agenda.\n\n__________________\n\n"
        " 2030 Agenda for Sustainable Development, as set out in the annex.\n\n"
        "23-16564 {}/2\n"
    )
    doc = clean(raw_text(page.format(1) + "\f" + page.format(2)), "en")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("body", "The Assembly recalled the Agenda."),
        ("body", "2030 Agenda for Sustainable Development, as set out in the annex."),
    ] * 2
