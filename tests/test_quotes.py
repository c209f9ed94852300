"""How :func:`align.quotes.quotation_state` reads each language's quotation marks; the
aligner's ``quotes`` signal and the reviewer's ``quotes`` flag both go by it."""

from __future__ import annotations

import numpy as np
import pytest

from align import signals
from align.aligner import AlignStats, _Windows
from align.flags import quote_mismatch
from align.quotes import has_quotation, has_quote, quotation_state
from align.types import Alignment, Bead, Segment


@pytest.mark.parametrize(
    ("text", "state"),
    [
        # a single quote after "：" or beside a Chinese character is no apostrophe
        ("他说：‘好", "open"),
        ("俗语说的好：‘与人方便，自己方便。", "open"),
        ("要有什么话，叫二奶奶裁夺着就是了。’", "close"),
        ("自己方便。 ’", "close"),
        ("这‘长安’，城中遍地皆是钱。", None),
        ("他说‘好’，然后走了。", None),
        ("开口就是‘你侄儿’。", None),
        ("‘谋事在人，成事在天’，咱们谋到了。", None),
        ("毛泽东同志说：‘ 是’就是规律性。", None),
        ("科特迪瓦（Côte d’Ivoire）的代表", None),
        # nested ‘…’ inside “…”, and the traditional 「…」 and 『…』
        ("太太说：“今日不得闲，‘二奶奶陪着也是一样’。”", None),
        ("周瑞家的道：“太太说：‘他们原不是一家子。", "open"),
        ("要有什么话，叫二奶奶裁夺着就是了。’”", "close"),
        ("他說：「好", "open"),
        ("他說：「她說『好』。」", None),
        ("『好』」", "close"),
    ],
)
def test_chinese_quotations(text: str, state: str | None) -> None:
    assert quotation_state(text) == state


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("It's the boys' toys.", None),
        ("In the ’90s it was different.", None),
        ("In the '90s it was different.", None),
        ("In the ‘90s it was different.", None),
        ("'Give 'em hell!' he said.", None),
        ("'Tis the season.", None),
        ("They played rock 'n' roll.", None),
        ("'Why not try me?", "open"),
        ("Never!' he said.", "close"),
        ("addressed her as 'Mrs Zhou', she knew", None),
        ("a civil 'how-do-you-do' and a seat", None),
    ],
)
def test_english_single_quotes_and_apostrophes(text: str, state: str | None) -> None:
    assert quotation_state(text) == state


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ('Our parents will be worried!"', "close"),
        ("between one and five percent,\" he said, quoting from Shen's email.", "close"),
        ('He said "no" twice.', None),
        ('"Well,', "open"),
        ('He said, "It will take', "open"),
        ('" spaced " out', None),
        ('他说："好', "open"),
        ('他说"好"，然后走了。', None),
        ('"好。"他说。', None),
        ("他说：＂好", "open"),
        ("“It's “fine”.”", None),
    ],
)
def test_straight_double_quotes_open_before_a_word_and_close_after_one(
    text: str, state: str | None
) -> None:
    """A sentence that ends a quotation opened in the sentence before closes it; an
    odd count of straight quotes is not always an open one."""
    assert quotation_state(text) == state


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("„So geht das nicht“, sagte er.", None),
        ("„So geht das nicht,", "open"),
        ("Er sagte ‚nein‘ und ging.", None),
        ("Er sagte ‚nein", "open"),
        ("„Er sagte ‚nein‘.“", None),
    ],
)
def test_german_quotes_open_low(text: str, state: str | None) -> None:
    assert quotation_state(text) == state


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Il a dit : « Oui », puis il est parti.", None),
        ("Il a dit : « Oui, nous", "open"),
        ("nous viendrons. »", "close"),
        ("« Ce que des femmes peuvent faire , je le ferai aussi !", "open"),
        ("» avait-il annoncé à la ronde.", "close"),
        ("Er sagte «Ja» und ging.", None),
        ("Er sagte «Ja", "open"),
        ("»Ja«, sagte er.", None),
        ("Er sagte: »Ja.", "open"),
        ("nein.«", "close"),
        ("Er sagte ›nein‹ und ging.", None),
        ("« Il a dit ‹ non ›. »", None),
        ("(«Oui»)", None),
        # Russian and Spanish UN versions quote in « », Russian nesting „…“ inside
        ("Он сказал: «Да, „конечно“».", None),
        ("Он сказал: «Да,", "open"),
        ("el llamado «Grupo de los 77» y China", None),
    ],
)
def test_the_full_reading_reads_guillemets_french_swiss_and_german(
    text: str, state: str | None
) -> None:
    """French, Swiss, Spanish and Russian open with «, German with »; the aligner reads
    none of them."""
    assert quotation_state(text, full=True) == state
    assert quotation_state(text) is None


@pytest.mark.parametrize(
    ("text", "full", "default"),
    [
        # a single quotation that a double one sits in: MAC-Dev's British English
        ('...that we used to call "Feng-ge" when she was a child.\'', "close", None),
        ("'You know what they say: \"A prince's door is like the deep sea.\"", "open", None),
        ("'It's \"fine\",' he said.", None, None),
        ('"The boys\' toys," he said.', None, None),
        ("\"It's 'fine',\" he said.", None, None),
        # a speech broken off
        ("'I won a dozen taels,' replied Trinket. 'But I—'", None, "open"),
        ("'Too-tah – too-tah –'", None, "open"),
    ],
)
def test_the_full_reading_reads_single_quotes_beside_double_ones_and_after_a_dash(
    text: str, full: str | None, default: str | None
) -> None:
    assert quotation_state(text, full=True) == full
    assert quotation_state(text) == default


def test_has_quotation_is_a_mark_that_opens_or_closes_not_an_apostrophe() -> None:
    assert has_quotation("他说：“好”") and has_quotation("Never!' he said.")
    assert has_quotation("« Oui », dit-il.", full=True) and not has_quotation("« Oui »")
    assert not has_quotation("It's the boys' toys.") and not has_quotation("qu' à l' homme")
    assert not has_quotation("No quotation here.", full=True)


def test_has_quote_sees_what_quotation_state_reads() -> None:
    assert has_quote("他说：‘好") and has_quote('say "no') and has_quote("„Ja")
    assert not has_quote("他说好。") and not has_quote("No quotation here.")


def test_the_flag_sees_a_chinese_single_quotation_cut_on_one_side() -> None:
    zh, en = "俗语说的好：‘与人方便，", "As the saying goes, 'Help others.'"
    cut = Alignment(
        "zh",
        "en",
        [Segment(zh, 0, 0, len(zh))],
        [Segment(en, 0, 0, len(en))],
        [Bead((0,), (0,), 0.9)],
    )
    flag = quote_mismatch(cut, cut.beads[0])
    assert flag is not None and flag.reason.startswith("a quotation on the zh side opens")


def test_the_signal_reads_a_chinese_single_quotation_over_two_sentences() -> None:
    zh = ["俗语说的好：‘与人方便，", "自己方便。’", "他走了。"]
    en = ["As the saying goes, 'Help others.", "Help yourself.'", "He left."]
    encoder = type("Flat", (), {"encode": lambda self, texts: np.ones((len(texts), 4))})()
    windows = _Windows(zh, en, "zh", "en", 3, encoder, AlignStats())
    code = signals.QUOTE_STATES
    assert windows.quote_states(0, 1).tolist() == [code["open"], code["close"], code[None]]
    assert windows.quote_states(0, 2).tolist() == [code[None], code["close"]]
    assert windows.quote_states(0, 1).tolist() == windows.quote_states(1, 1).tolist()


def test_the_signal_keeps_the_reading_without_guillemets_or_nested_single_quotes() -> None:
    """Each cost the aligner F1 strict (Text+Berg, MAC-Dev), so only the flag reads them."""
    fr = ["Il a dit : « Oui.", "Non. »", "Il est parti."]
    en = ['\'We called her "Feng-ge".', "She was a child.'", "He left."]
    encoder = type("Flat", (), {"encode": lambda self, texts: np.ones((len(texts), 4))})()
    windows = _Windows(fr, en, "fr", "en", 3, encoder, AlignStats())
    none = signals.QUOTE_STATES[None]
    assert windows.quote_states(0, 1).tolist() == [none] * 3
    assert windows.quote_states(1, 1).tolist() == [none, signals.QUOTE_STATES["close"], none]
