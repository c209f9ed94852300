"""What a document prints as its symbol and job number, and two files that print
different documents (align/symbols.py)."""

from __future__ import annotations

import pytest

from align.clean import clean
from align.symbols import PrintedAs, different_documents, symbols_in
from align.types import CleanDocument, RawDocument

EN = (
    "The General Assembly, recalling its resolution 59/48 of 2 December 2004, decides to "
    "include the item in the provisional agenda of its seventy-eighth session."
)
ZH = "大会回顾其2004年12月2日第59/48号决议，决定将该项目列入第七十八届会议临时议程。"


def pdf_text(symbol: str | None, job: str | None, body: str, lang: str) -> CleanDocument:
    """Two pages as a UN PDF's text gives them: the symbol heads each page, the job
    number is at the foot of the first."""
    head = f"{symbol}\n\n" if symbol else ""
    foot = f"\n\n{job}" if job else ""
    text = f"{head}{body}{foot}\n\f{head}2/2\n\n{body}\n"
    return clean(RawDocument(text=text, path=f"{lang}.pdf", encoding="utf-8", lang=lang))


def test_symbols_are_found_beside_chinese_and_before_a_full_stop_but_not_in_links() -> None:
    text = "见第A/77/L.107号文件。See E/CN.6/2023/3. https://undocs.org/A/RES/59/48 S/2023/1"
    assert symbols_in(text) == ["A/77/L.107", "E/CN.6/2023/3", "S/2023/1"]


def test_a_document_prints_its_symbol_in_its_page_headers_and_its_job_number_at_the_foot() -> None:
    printed = PrintedAs.of(pdf_text("A/77/L.107", "23-16564 (C)    290823", ZH, "zh"))
    assert printed.own == {"A/77/L.107"} and printed.jobs == {"23-16564"}
    assert PrintedAs.of(pdf_text(None, None, f"{EN} See A/77/L.107.", "en")).own == set()


@pytest.mark.parametrize(
    ("zh", "en", "found"),
    [
        (("A/77/L.107", "23-16564 (C)"), ("A/77/L.107", "23-16564 (E)"), None),
        (
            ("A/77/L.107", "23-16564 (C)"),
            ("A/77/L.108", "23-16601 (E)"),
            ("A/77/L.107", "A/77/L.108"),
        ),
        (
            ("A/77/L.107", "23-16564 (C)"),
            ("A/77/L.107/Rev.1", "23-17002 (E)"),
            ("A/77/L.107", "A/77/L.107/Rev.1"),
        ),
        # The symbols decide where both print one, whatever the job numbers say.
        (("A/77/L.107", "23-16564 (C)"), ("A/77/L.107", "23-17002 (E)"), None),
        # Without a symbol on one side, the job numbers decide.
        (
            (None, "23-16564 (C)"),
            ("A/77/L.107", "23-16601 (E)"),
            ("job number 23-16564", "job number 23-16601"),
        ),
        ((None, "23-16564 (C)"), ("A/77/L.108", "23-16564 (E)"), None),
        # A side that prints neither (a Word file, a web page) cannot be told.
        ((None, None), ("A/77/L.108", "23-16601 (E)"), None),
    ],
)
def test_two_files_print_different_documents(
    zh: tuple[str | None, str | None],
    en: tuple[str | None, str | None],
    found: tuple[str, str] | None,
) -> None:
    src, tgt = pdf_text(*zh, ZH, "zh"), pdf_text(*en, EN, "en")
    assert different_documents(src, tgt) == found
    assert different_documents(tgt, src) == (found[::-1] if found else None)


def test_a_symbol_read_as_a_header_on_one_side_only_is_found_in_the_others_text() -> None:
    """A table cell holding only a symbol reads as a page header in a document of
    paragraphs; the other side, whose cell shares a line with its neighbour, mentions it."""
    zh = pdf_text("A/RES/77/300", None, ZH, "zh")
    en = pdf_text("A/77/L.107", None, f"{EN} (A/RES/77/300)", "en")
    assert PrintedAs.of(zh).own == {"A/RES/77/300"}
    assert different_documents(zh, en) is None
    assert different_documents(zh, pdf_text("A/77/L.107", None, EN, "en")) == (
        "A/RES/77/300",
        "A/77/L.107",
    )
