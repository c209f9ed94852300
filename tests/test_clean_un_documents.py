"""The clean stage on UN-style documents: what the cleaner took for furniture or footnote
marks and was text, and how it joined lines (URLs, symbols, dates, measure words,
compounds, Latin words in Chinese)."""

from __future__ import annotations

import pytest
from test_clean import covered, lines, reasons, texts

from align.clean import clean

# -- URL lines ------------------------------------------------------------------

URL_EN = lines(
    " 1. The questionnaire was sent to all Member States.1 Replies were received from 45 "
    "Member States and are",
    "available on the website of the Office at",
    "https://www.ohchr.org/en/special-procedures/sr-human-rights-defenders/annual-thematic-reports",
    "and in the annex to the present report.",
    "__________________",
    " 1 The questionnaire is available at",
    "https://www.ohchr.org/en/calls-for-input/2023/call-input-report-human-rights-defenders.",
    " 2 Resolution 59/48.",
    "https://undocs.org/en/A/RES/59/48",
    "https://undocs.org/en/A/RES/64/183",
    "23-16001 (E)    100823",
    "*2316001*",
)


def test_a_url_line_that_is_part_of_a_sentence_is_text() -> None:
    """A URL on a line of its own was dropped as a link line: the paragraph read ``…of
    the Office at and in the annex`` and the footnote ``The questionnaire is available
    at``. The link lines the PDF prints after the page's footnotes still go."""
    doc = clean(URL_EN, "en")
    covered(URL_EN, doc)
    assert texts(doc) == [
        "1. The questionnaire was sent to all Member States. Replies were received from 45 "
        "Member States and are available on the website of the Office at "
        "https://www.ohchr.org/en/special-procedures/sr-human-rights-defenders/"
        "annual-thematic-reports and in the annex to the present report.",
        "The questionnaire is available at "
        "https://www.ohchr.org/en/calls-for-input/2023/call-input-report-human-rights-defenders.",
        "Resolution 59/48.",
    ]
    assert doc.links == ("https://undocs.org/en/A/RES/59/48", "https://undocs.org/en/A/RES/64/183")
    assert reasons(doc)["link"] == list(doc.links)


def test_a_chinese_url_line_that_is_part_of_a_sentence_is_text() -> None:
    """The same in Chinese, where the URL ends the footnote with ``。``."""
    raw = lines(
        " 1. 已收到45个会员国的答复，答复可在人权高专办网站",
        "https://www.ohchr.org/en/special-procedures/sr-human-rights-defenders/annual-thematic-reports",
        "以及本报告附件中查阅。",
        "__________________",
        " 1 调查问卷可查阅",
        "https://www.ohchr.org/en/calls-for-input/2023/call-input-report-defenders。",
        "https://undocs.org/ch/A/RES/59/48",
        "23-16001 (C)    100823",
    )
    doc = clean(raw, "zh")
    covered(raw, doc)
    assert texts(doc) == [
        "1. 已收到45个会员国的答复，答复可在人权高专办网站https://www.ohchr.org/en/"
        "special-procedures/sr-human-rights-defenders/annual-thematic-reports以及本报告附件中查阅。",
        "调查问卷可查阅https://www.ohchr.org/en/calls-for-input/2023/call-input-report-defenders。",
    ]
    assert doc.links == ("https://undocs.org/ch/A/RES/59/48",)


# -- document symbols -----------------------------------------------------------

SYMBOL_TABLE = (
    lines(
        "A/78/500",
        " 1. The Committee had before it the following documents:",
        " Symbol ",
        " Title",
        " A/78/250 ",
        " Report of the Secretary-General on cooperation with regional organizations",
        " S/2023/123 ",
        " Letter dated 13 February 2023 from the Permanent Representative of Canada",
        " 2. The Committee took note of the documents listed above.",
        " 23-18001 1/2",
    )
    + "\f"
    + lines("A/78/500", " 3. The Committee decided to consider them at its next session.")
)


def test_a_symbol_in_a_table_is_text_and_the_page_header_is_not() -> None:
    """A line that was only a document symbol went as a page header wherever it stood:
    a table of symbols lost its symbol column. The header atop each page still goes."""
    doc = clean(SYMBOL_TABLE, "en")
    covered(SYMBOL_TABLE, doc)
    assert "A/78/250" in texts(doc) and "S/2023/123" in texts(doc)
    assert reasons(doc)["page-header"] == ["A/78/500", "A/78/500"]
    assert "A/78/500" not in doc.text


# -- masthead lines -------------------------------------------------------------


def test_a_date_a_heading_goes_on_into_is_text() -> None:
    """``Adopted by the Security Council at its 9520th meeting, on`` lost its
    ``22 December 2023`` as a masthead line."""
    raw = lines(
        " Resolution 2720 (2023)",
        " Adopted by the Security Council at its 9520th meeting, on",
        "22 December 2023",
        " The Security Council,",
        " 1. Decides to remain seized of the matter.",
    )
    doc = clean(raw, "en")
    covered(raw, doc)
    assert texts(doc, "heading") == [
        "Resolution 2720 (2023)",
        "Adopted by the Security Council at its 9520th meeting, on 22 December 2023",
    ]
    assert "masthead" not in reasons(doc)


def test_a_tables_date_cells_near_the_top_of_page_one_are_text() -> None:
    """A schedule on page 1, above the first full line, lost all its date cells as
    masthead lines; the masthead's own date still goes."""
    raw = lines(
        "United Nations A/78/502",
        "General Assembly Distr.: General",
        "3 July 2023",
        "Original: English",
        "Schedule of meetings",
        " Date ",
        " Meeting ",
        " 4 December 2026 ",
        " 1st plenary meeting ",
        " 5 December 2026 ",
        " 2nd plenary meeting ",
        "The schedule above is provisional and may be adjusted by the Bureau in the light of the",
        "progress of work, in consultation with the regional groups and the secretariat.",
    )
    doc = clean(raw, "en")
    covered(raw, doc)
    assert "4 December 2026" in texts(doc) and "5 December 2026" in texts(doc)
    assert "3 July 2023" in reasons(doc)["masthead"]
    assert "3 July 2023" not in doc.text


# -- Chinese measure words ------------------------------------------------------


def test_a_chinese_figure_before_a_measure_word_is_a_quantity() -> None:
    """``有2家公司`` lost its ``2`` as footnote mark 2 (``有家公司``), and mark 2 stayed
    glued to the paragraph it belongs to. A mark before ``所有`` is still a mark."""
    raw = lines(
        " 1. 特别报告员收到了各国政府的来文。1所有来文均已答复。",
        " 2. 有2家公司和3位专家答复了调查问卷。",
        " 3. 答复摘要载于附件。2",
        "__________________",
        " 1 见 A/HRC/52/33。",
        " 2 见 A/HRC/52/34。",
    )
    doc = clean(raw, "zh", layout="wrapped")
    covered(raw, doc)
    assert texts(doc, "body") == [
        "1. 特别报告员收到了各国政府的来文。所有来文均已答复。",
        "2. 有2家公司和3位专家答复了调查问卷。",
        "3. 答复摘要载于附件。",
    ]
    assert [list(b.refs) for b in doc.blocks if b.kind == "body"] == [["1"], [], ["2"]]


# -- English compounds broken at a line end -------------------------------------


def _joined(first: str, second: str) -> str:
    raw = lines(f" 1. The Council will look at the {first}", f"{second} matters in the region.")
    doc = clean(raw, "en", layout="wrapped")
    covered(raw, doc)
    return texts(doc)[0].removeprefix("1. The Council will look at the ").split(" matters")[0]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("conflict-", "affected", "conflict-affected"),
        ("post-", "conflict", "post-conflict"),
        ("inter-", "agency", "inter-agency"),
        ("sex-", "disaggregated", "sex-disaggregated"),
        ("re-", "elected", "re-elected"),
        ("re-", "establish", "re-establish"),
        ("pre-", "session", "pre-session"),
        ("pre-", "existing", "pre-existing"),
        ("war-", "torn", "war-torn"),
        ("e-", "government", "e-government"),
        ("multi-", "year", "multi-year"),
        ("intra-", "party", "intra-party"),
        ("disaster-", "affected", "disaster-affected"),
    ],
)
def test_a_un_compound_broken_at_a_line_end_keeps_its_hyphen(
    first: str, second: str, expected: str
) -> None:
    """``conflict-|affected``, ``post-|conflict``, ``inter-|agency``, ``sex-|disaggregated``
    and ``re-|elected`` came out solid (``conflictaffected``, ``reelected``)."""
    assert _joined(first, second) == expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("follow-", "ing", "following"),
        ("com-", "mittee", "committee"),
        ("post-", "poned", "postponed"),
        ("pre-", "vent", "prevent"),
        ("pre-", "ambular", "preambular"),
        ("re-", "affirming", "reaffirming"),
        ("re-", "integration", "reintegration"),
        ("inter-", "governmental", "intergovernmental"),
        ("inter-", "national", "international"),
        ("sex-", "ual", "sexual"),
        ("war-", "rant", "warrant"),
        ("multi-", "lateral", "multilateral"),
        ("conflict-", "ing", "conflicting"),
        ("un-", "affected", "unaffected"),
        ("co-", "operation", "cooperation"),
        ("co-", "ordination", "coordination"),
    ],
)
def test_a_word_broken_by_hyphenation_after_a_compound_prefix_is_joined(
    first: str, second: str, expected: str
) -> None:
    """The same first parts break words that are solid (``re-|affirming``,
    ``inter-|governmental``): those still lose the hyphen."""
    assert _joined(first, second) == expected


# -- Latin words in Chinese text ------------------------------------------------


def test_latin_words_across_a_chinese_line_break_keep_their_space() -> None:
    """``Policy Paper Series,`` + ``No. 4`` came out ``Series,No. 4``, and a URL wrapped
    mid-word gained a space (``human-rights-defender s-2023``)."""
    raw = lines(
        " 1. 调查问卷和答复可查阅 https://www.ohchr.org/en/calls-for-input/2023/call-input-"
        "report-human-rights-defender",
        "s-2023。另见 John Smith, Global Trends in Displacement, Policy Paper Series,",
        "No. 4 (Geneva, Institute of International Studies, 2022)，第 12",
        "页。",
    )
    doc = clean(raw, "zh", layout="wrapped")
    covered(raw, doc)
    assert texts(doc) == [
        "1. 调查问卷和答复可查阅https://www.ohchr.org/en/calls-for-input/2023/call-input-report-"
        "human-rights-defenders-2023。另见John Smith, Global Trends in Displacement, Policy "
        "Paper Series, No. 4 (Geneva, Institute of International Studies, 2022)，第12页。"
    ]


def test_a_link_line_after_a_page_that_stops_mid_sentence_is_still_a_link() -> None:
    """The link the PDF prints for a symbol in the text stays out of a paragraph that
    goes on over the page."""
    raw = (
        lines(
            " 3. Recalling its resolution 70/1 of 25 September 2015, entitled “Transforming our",
            "world: the 2030 Agenda for Sustainable Development”, and",
            "https://undocs.org/en/A/RES/70/1",
            "23-16001 (E)    100823",
        )
        + "\f"
        + lines("A/78/300", "its resolution 75/1 of 21 September 2020,")
    )
    doc = clean(raw, "en")
    covered(raw, doc)
    assert doc.links == ("https://undocs.org/en/A/RES/70/1",)
    assert "https" not in doc.text and doc.text.endswith(
        "and its resolution 75/1 of 21 September 2020,"
    )


def test_table_rows_at_the_foot_of_pages_are_no_running_heads() -> None:
    """A budget table ending each page lost its ``Total`` row on every page as a running
    head: lines alike but for their figures are one only where each figure stays the
    same or counts the pages."""
    pages = [
        lines(
            f" {n}. The requirements for section {n} are estimated at US$ {n + 1},204.5 "
            f"thousand, as shown in table {n}, and reflect the proposed new posts.",
            "",
            f"Posts {n},003.0 {n},{n}07.5",
            "",
            f"Total {n},{2 * n}04.5 {n},{3 * n}66.5",
        )
        for n in range(1, 5)
    ]
    raw = "\f".join(pages)
    doc = clean(raw, "en")
    covered(raw, doc)
    assert "running-head" not in reasons(doc)
    assert [t for t in texts(doc) if t.startswith("Total")] == [
        f"Total {n},{2 * n}04.5 {n},{3 * n}66.5" for n in range(1, 5)
    ]
    body = "The Committee met on the matter before it and adopted the report of its session."
    heads = "\f".join(
        lines(f"Report of the Committee, page {n}", f" {n}. {body}") for n in range(1, 5)
    )
    assert len(reasons(clean(heads, "en"))["running-head"]) == 4  # its figure counts the pages
