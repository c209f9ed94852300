"""English sentence ends in UN documents that Moses' rules get wrong: a part's letter after its
label (``annex I.``), ``et al.``, a resolution's number before its title, and capitalised
abbreviations."""

from __future__ import annotations

import pytest

from align.segmenters import Segmenter, get_segmenter


@pytest.fixture(scope="module")
def en() -> Segmenter:
    return get_segmenter("en")


def texts(segmenter: Segmenter, text: str) -> list[str]:
    return [text[s:e] for s, e in segmenter.split(text)]


# --- 1. a part's letter or Roman numeral ends a sentence ----------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("1. The list of participants is contained in annex I.", "The agenda is in annex II."),
        ("2. The proposals are set out in section A.", "The Committee approved them."),
        ("The replies are summarized in Appendix B.", "The full text is online."),
        ("See A/77/10, chap. IV.B.", "The Committee met."),
        ("They are listed in sections A and B.", "Both were adopted."),
        ("It is set out in annexes I, II and V.", "They were adopted."),
        ("The States parties to Additional Protocol I.", "Some States have not ratified it."),
        ("It is shown in table C.", '"Other" includes the rest.'),
        ("It came under Working Group I.", "Working Group II met later."),
        ("The figures appear in TABLE D.", "They are provisional."),
    ],
)
def test_a_part_letter_after_its_label_ends_a_sentence(
    en: Segmenter, first: str, second: str
) -> None:
    """After a word that labels a part of a document (annex, section, chap., Protocol...), a
    single capital or Roman numeral with a period before a capital ends the sentence: the
    single-initial rule, there for ``J. Smith``, kept ``annex I. The agenda`` whole."""
    assert texts(en, f"{first} {second}") == [first, second]


@pytest.mark.parametrize(
    "text",
    [
        "As noted by J. Smith in para. 5 it held.",
        "It was said by Mr. A. Smith and by H.E. Mr. X. Jones of the delegation.",
        "The table J. Smith drew up was adopted.",
        "It is contained in annex I to the present report.",
        "Annex I. List of participants",
        "Chapter IV. Conclusions and recommendations",
        "Section A. Background",
    ],
)
def test_names_and_headings_keep_their_letters(en: Segmenter, text: str) -> None:
    """Initials of names stay; so does a label opening a paragraph (``Annex I. List of
    participants``): a heading, whose Chinese (``附件一``, its title) is one paragraph or
    two, never a sentence end after the numeral."""
    assert texts(en, text) == [text]


# --- 2. et al. ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1. Takes note of the study by Smith et al. (2021) on regional cooperation;",
        "The study by Smith et al. [12] found the same.",
        "As Smith et al. 2021 found, it held.",
        "As Smith et al. noted, it held.",
    ],
)
def test_et_al_before_a_bracket_a_year_or_lower_case_ends_no_sentence(
    en: Segmenter, text: str
) -> None:
    """``et al.`` before ``(2021)`` was cut, a digit after ``(`` taken for a sentence's
    start."""
    assert texts(en, text) == [text]


def test_et_al_before_a_capital_still_ends_a_sentence(en: Segmenter) -> None:
    text = "It was studied by Smith et al. The Committee took note."
    assert texts(en, text) == ["It was studied by Smith et al.", "The Committee took note."]


# --- 3. a resolution's number and its title -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "78/999. Cooperation between the United Nations and the African Union",
        "77/1. Cooperation between the United Nations and the Shanghai Cooperation Organisation",
        "S-30/1. Our joint commitment to effectively addressing the world drug problem",
        "ES-10/21. Protection of civilians and upholding legal and humanitarian obligations",
        "77/505. Appointment of members of the Committee on Contributions",
    ],
)
def test_a_resolution_number_stays_with_its_title(en: Segmenter, text: str) -> None:
    """A resolution's or decision's number opening a paragraph is its title's enumerator,
    as ``1.`` is an operative paragraph's; the Chinese keeps ``78/999. 联合国…`` whole."""
    assert texts(en, text) == [text]
    zh = text.split(" ", 1)[0] + " 联合国与非洲联盟的合作"
    assert texts(get_segmenter("zh"), zh) == [zh]


def test_a_resolution_number_inside_a_paragraph_still_ends_a_sentence(en: Segmenter) -> None:
    text = "It recalled resolution 77/1. Cooperation continued."
    assert texts(en, text) == ["It recalled resolution 77/1.", "Cooperation continued."]


# --- 4. capitalised abbreviations ---------------------------------------------

CAPITALISED = "Approx Cf Ibid Incl Para Paras Art Arts Sect Vol No Nos Fig".split()


@pytest.mark.parametrize("abbreviation", CAPITALISED)
def test_a_capitalised_un_abbreviation_before_a_number_or_lower_case_ends_no_sentence(
    en: Segmenter, abbreviation: str
) -> None:
    """``Approx. 50 …`` opening a sentence, a footnote or a table cell: only ``approx`` was
    listed, in lower case."""
    for text in (f"{abbreviation}. 50 of them were read.", f"{abbreviation}. see below."):
        assert texts(en, f"It ended. {text}") == ["It ended.", text]


def test_lower_case_nos_before_a_number_ends_no_sentence(en: Segmenter) -> None:
    text = "See documents nos. 5 and 6 of the list."
    assert texts(en, text) == [text]


def test_capitalised_abbreviations_of_other_languages() -> None:
    """The Spanish, French and Russian UN lists get their capitals too, but ``Inc.`` of a
    company may still end a Spanish sentence (``inc.``, inciso, does not)."""
    assert texts(get_segmenter("ru"), "См. A/77/10. Конец.") == ["См. A/77/10.", "Конец."]
    assert texts(get_segmenter("es"), "Lo dijo Acme Inc. El Consejo decide.") == [
        "Lo dijo Acme Inc.",
        "El Consejo decide.",
    ]
