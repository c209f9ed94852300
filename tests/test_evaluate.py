"""The scorer on tiny hand-made gold/test pairs (Vecalign's definitions)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from conftest import BENCH

from align.aligner import AlignConfig
from align.errors import InputError
from align.evaluate import (
    DocumentResult,
    EvalResult,
    bench_sets,
    best_possible,
    evaluate,
    folder_language,
    format_beads,
    found_by_type,
    gold_homes,
    match_counts,
    parse_beads,
    read_lines,
    saved_alignment,
    score,
    set_languages,
    without_lines,
    wrong_kind,
    wrong_kinds,
)
from align.types import BeadIds

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2, 3))]


def test_perfect_alignment_scores_one() -> None:
    s = score([GOLD], [GOLD])
    assert (s.precision_strict, s.recall_strict, s.f1_strict) == (1.0, 1.0, 1.0)
    assert s.f1_lax == 1.0


def test_strict_miss_that_overlaps_is_a_lax_hit() -> None:
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2, 3))]
    c = match_counts(GOLD, test)
    # (1,)-(1,) overlaps gold (1,2)-(1,): lax hit, strict miss.
    # (2,)-() is a deletion that gold does not have: it can never be a lax hit.
    assert (c.tp_strict, c.fp_strict, c.tp_lax, c.fp_lax) == (3, 2, 4, 1)
    s = score([GOLD], [test])
    assert s.precision_strict == pytest.approx(3 / 5)
    assert s.precision_lax == pytest.approx(4 / 5)
    # recall ignores one-sided beads: gold has 3 two-sided beads, 2 found strictly
    assert s.recall_strict == pytest.approx(2 / 3)
    assert s.recall_lax == pytest.approx(1.0)


def test_insertions_count_for_precision_only() -> None:
    gold = [((0,), (0,)), ((), (1,))]
    test_with = [((0,), (0,)), ((), (1,))]
    test_without = [((0,), (0, 1))]
    assert score([gold], [test_with]).recall_strict == 1.0
    assert score([gold], [test_with]).precision_strict == 1.0
    s = score([gold], [test_without])
    assert s.precision_strict == 0.0 and s.precision_lax == 1.0
    assert s.recall_strict == 0.0 and s.recall_lax == 1.0


def test_micro_average_sums_counts_before_ratios() -> None:
    doc_a = ([((0,), (0,))], [((0,), (0,))])  # 1 of 1
    doc_b = (
        [((i,), (i,)) for i in range(3)],
        [((0, 1), (0, 1)), ((2,), (2,))],
    )  # 1 of 2 precision, 1 of 3 recall
    s = score([doc_a[0], doc_b[0]], [doc_a[1], doc_b[1]])
    assert s.precision_strict == pytest.approx(2 / 3)
    assert s.recall_strict == pytest.approx(2 / 4)


def test_parse_and_format_round_trip() -> None:
    text = "[0, 1]:[0]\n[2]:[]\n[]:[1, 2]\n"
    beads = parse_beads(text)
    assert beads == [((0, 1), (0,)), ((2,), ()), ((), (1, 2))]
    assert format_beads(beads) == text


def test_bad_gold_line_is_one_line_error() -> None:
    with pytest.raises(InputError, match=r"gold:2: not a bead line"):
        parse_beads("[0]:[0]\nnonsense\n", "gold")


TYPES = AlignConfig(max_bead=2).bead_types()


def test_best_possible_is_the_gold_itself_when_an_aligner_can_produce_it() -> None:
    assert best_possible(GOLD, 5, 4, TYPES) == GOLD
    assert score([GOLD], [best_possible(GOLD, 5, 4, TYPES)]).f1_strict == 1.0


def test_best_possible_scores_below_one_where_gold_skips_lines_or_is_too_big() -> None:
    # (0)-(0, 2) skips target 1: no contiguous bead is it, but (1)-(1) stays reachable.
    crossing = [((0,), (0, 2)), ((1,), (1,)), ((2,), (3,))]
    got = best_possible(crossing, 3, 4, TYPES)
    assert [b for b in got if b in crossing] == [((1,), (1,)), ((2,), (3,))]
    assert sorted(i for b in got for i in b[0]) == [0, 1, 2]
    assert sorted(j for b in got for j in b[1]) == [0, 1, 2, 3]
    # a 2-2 bead is beyond max_bead 2 (a + b <= 3): the rest is still hit.
    big = [((0, 1), (0, 1)), ((2,), (2,))]
    got = best_possible(big, 3, 3, TYPES)
    assert ((2,), (2,)) in got and ((0, 1), (0, 1)) not in got
    assert best_possible(big, 3, 3, AlignConfig(max_bead=3).bead_types()) == big


def test_document_ceilings_are_each_documents_own() -> None:
    """One document whose gold crosses (a source line paired two targets apart), one
    an aligner can match exactly: the set's ceiling is between their two."""
    crossing = [((0,), (0, 2)), ((1,), (1,)), ((2,), (3,))]
    docs = [
        DocumentResult("a", 3, 4, crossing, crossing, score([crossing], [crossing])),
        DocumentResult("b", 5, 4, GOLD, GOLD, score([GOLD], [GOLD])),
    ]
    result = EvalResult(score([crossing, GOLD], [crossing, GOLD]), docs, tuple(TYPES))
    first, second = (c.f1_strict for c in result.document_ceilings())
    assert first == score([crossing], [best_possible(crossing, 3, 4, TYPES)]).f1_strict < 1.0
    assert second == 1.0
    assert first < result.ceiling().f1_strict < second


def test_best_possible_prefers_fewer_beads_among_equal_hits() -> None:
    # a 2-2 gold bead cannot be hit at max_bead 2: its lines go into two beads, not four.
    got = best_possible([((0, 1), (0, 1))], 2, 2, TYPES)
    assert len(got) == 2
    assert score([[((0, 1), (0, 1))]], [got]).f1_strict == 0.0


def test_best_possible_covers_every_line_even_where_the_gold_does_not() -> None:
    got = best_possible([((0,), (0,))], 3, 2, TYPES)
    assert got[0] == ((0,), (0,))
    assert [i for b in got for i in b[0]] == [0, 1, 2]
    assert [j for b in got for j in b[1]] == [0, 1]
    assert best_possible([], 0, 0, TYPES) == []


def test_found_by_type_counts_gold_beads_by_shape_most_common_first() -> None:
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2, 3))]
    other = [((0,), (0,)), ((1,), (1,))]
    got = found_by_type([GOLD, other], [test, other])
    assert got == {"1-1": (3, 1.0), "1-0": (1, 1.0), "1-2": (1, 1.0), "2-1": (1, 0.0)}
    assert list(got) == ["1-1", "1-0", "1-2", "2-1"]


def test_without_lines_renumbers_and_leaves_orphans_as_omissions() -> None:
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,)), ((), (4,)), ((4,), ())]
    assert without_lines(gold, 0, [1]) == [
        ((0,), (0,)),
        ((), (1,)),
        ((), (2,)),
        ((1, 2), (3,)),
        ((), (4,)),
        ((3,), ()),
    ]
    assert without_lines(gold, 1, [1, 2, 4]) == [
        ((0,), (0,)),
        ((1,), ()),
        ((2, 3), (1,)),
        ((4,), ()),
    ]
    assert without_lines(gold, 0, []) == gold


def test_read_lines_keeps_blank_lines_and_drops_bom_and_windows_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "doc"
    path.write_bytes("\ufeff第一句。\r\n\r\n第三句。\r\n".encode())
    assert read_lines(path) == ["第一句。", "", "第三句。"]
    path.write_bytes(b"a\nb")
    assert read_lines(path) == ["a", "b"]
    path.write_bytes(b"")
    assert read_lines(path) == []  # an empty file has no lines, not one empty one
    path.write_bytes(b"\n")
    assert read_lines(path) == [""]


class DigitEncoder:
    """``s3`` and ``t3`` are translations: one axis per digit."""

    name, version, dim = "digits", "1", 10

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            for digit in filter(str.isdigit, text):
                out[row, int(digit)] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_evaluate_reads_a_set_saved_with_bom_and_windows_line_ends(tmp_path: Path) -> None:
    for folder, text in (
        ("src", "s0\r\ns1\r\ns2\r\ns3\r\ns4\r\n"),
        ("tgt", "t0\r\nt1\r\nt2\r\nt3\r\nt4\r\n"),
        ("gold", "[0]:[0]\r\n[1]:[1]\r\n[2]:[2]\r\n[3]:[3]\r\n[4]:[4]\r\n"),
    ):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "doc").write_bytes(("\ufeff" + text).encode())
    result = evaluate(
        tmp_path / "src",
        tmp_path / "tgt",
        tmp_path / "gold",
        DigitEncoder(),
        src_lang="en",
        tgt_lang="en",
    )
    assert result.scores.f1_strict == 1.0


def test_evaluate_takes_the_languages_from_the_folders_as_align_eval_does(
    tmp_path: Path,
) -> None:
    """A library user scoring Text+Berg (``de/``, ``fr/``) got it aligned as Chinese and
    English: the segmenters, lexicon and length model of the wrong languages, and a
    signature saying zh→en. Languages given still win."""
    for folder, text in (("de", "s0\ns1\n"), ("fr", "t0\nt1\n"), ("gold", "[0]:[0]\n[1]:[1]\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "doc").write_text(text, encoding="utf-8")
    folders = [tmp_path / f for f in ("de", "fr", "gold")]
    result = evaluate(*folders, DigitEncoder())
    assert (result.signature["src_lang"], result.signature["tgt_lang"]) == ("de", "fr")
    given = evaluate(*folders, DigitEncoder(), src_lang="de", tgt_lang="en")
    assert given.signature["tgt_lang"] == "en"


def test_hidden_files_in_the_gold_folder_are_not_documents(tmp_path: Path) -> None:
    for folder, text in (("src", "s0\ns1\n"), ("tgt", "t0\nt1\n"), ("gold", "[0]:[0]\n[1]:[1]\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "doc").write_text(text, encoding="utf-8")
    (tmp_path / "gold" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    result = evaluate(tmp_path / "src", tmp_path / "tgt", tmp_path / "gold", DigitEncoder())
    assert [d.name for d in result.documents] == ["doc"]
    assert result.scores.f1_strict == 1.0


def test_files_named_for_their_language_go_with_their_gold(tmp_path: Path) -> None:
    """``zh/001.zh``, ``en/001.en`` and ``gold/001.align`` are one document; a name with
    no file, or with two, is a one-line error."""
    for folder, name, text in (
        ("src", "001.zh", "s0\ns1\n"),
        ("tgt", "001.en", "t0\nt1\n"),
        ("gold", "001.align", "[0]:[0]\n[1]:[1]\n"),
    ):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(text, encoding="utf-8")
    result = evaluate(tmp_path / "src", tmp_path / "tgt", tmp_path / "gold", DigitEncoder())
    assert [d.name for d in result.documents] == ["001.align"]
    assert result.scores.f1_strict == 1.0
    (tmp_path / "tgt" / "001.fr").write_text("t0\nt1\n", encoding="utf-8")
    with pytest.raises(InputError, match="no source/target file for gold 001.align"):
        evaluate(tmp_path / "src", tmp_path / "tgt", tmp_path / "gold", DigitEncoder())


def test_evaluate_tells_of_each_document_as_it_is_scored(tmp_path: Path) -> None:
    for folder in ("src", "tgt", "gold"):
        (tmp_path / folder).mkdir()
    for name, size in (("b", 3), ("a", 2)):
        (tmp_path / "src" / name).write_text("".join(f"s{i}\n" for i in range(size)))
        (tmp_path / "tgt" / name).write_text("".join(f"t{i}\n" for i in range(size)))
        (tmp_path / "gold" / name).write_text("".join(f"[{i}]:[{i}]\n" for i in range(size)))
    heard: list[tuple[str, int, int, int]] = []
    result = evaluate(
        tmp_path / "src",
        tmp_path / "tgt",
        tmp_path / "gold",
        DigitEncoder(),
        on_document=lambda doc, done, total: heard.append(
            (doc.name, doc.src_sentences, done, total)
        ),
    )
    assert heard == [("a", 2, 1, 2), ("b", 3, 2, 2)]
    assert [d.name for d in result.documents] == ["a", "b"]


def test_an_unreadable_gold_file_is_a_one_line_error(tmp_path: Path) -> None:
    for folder in ("src", "tgt", "gold"):
        (tmp_path / folder).mkdir()
    (tmp_path / "src" / "doc").write_text("s0\n", encoding="utf-8")
    (tmp_path / "tgt" / "doc").write_text("t0\n", encoding="utf-8")
    (tmp_path / "gold" / "doc").write_bytes("[0]:[0]\n".encode("utf-16"))
    with pytest.raises(InputError, match=r"gold/doc: cannot read as UTF-8"):
        evaluate(tmp_path / "src", tmp_path / "tgt", tmp_path / "gold", DigitEncoder())


def test_bench_sets_finds_every_gold_set_and_which_side_is_the_source() -> None:
    assert bench_sets(BENCH) == {
        "mac-dev": ("zh", "en"),
        "pol-dev": ("zh", "en"),
        "text+berg": ("de", "fr"),
    }


def _gold_set(folder: Path, sides: dict[str, int], gold: str) -> Path:
    for lang, n in sides.items():
        (folder / lang).mkdir(parents=True)
        (folder / lang / "001").write_text("".join(f"{lang} {i}\n" for i in range(n)))
    (folder / "gold").mkdir()
    (folder / "gold" / "001").write_text(gold)
    return folder


def test_set_languages_reads_the_direction_from_the_gold(tmp_path: Path) -> None:
    # 'yy' has three lines and 'xx' two: only yy -> xx fits the gold's numbers.
    assert set_languages(
        _gold_set(tmp_path / "a", {"xx": 2, "yy": 3}, "[0, 1]:[0]\n[2]:[1]\n")
    ) == (
        "yy",
        "xx",
    )
    # Both orders fit: English is the target, else the names' order.
    both = "[0]:[0, 1]\n[1, 2]:[2]\n"
    assert set_languages(_gold_set(tmp_path / "b", {"en": 3, "ru": 3}, both)) == ("ru", "en")
    assert set_languages(_gold_set(tmp_path / "c", {"xx": 3, "yy": 3}, both)) == ("xx", "yy")


def test_set_languages_says_what_a_gold_set_must_hold(tmp_path: Path) -> None:
    odd = _gold_set(tmp_path / "odd", {"xx": 1, "yy": 1, "zz": 1}, "[0]:[0]\n")
    with pytest.raises(InputError, match="two language folders beside it, not xx, yy, zz"):
        set_languages(odd)
    assert bench_sets(tmp_path / "nowhere") == {}
    beyond = _gold_set(tmp_path / "beyond", {"xx": 2, "yy": 2}, "[0]:[0]\n[1, 2]:[1]\n")
    with pytest.raises(InputError, match="names lines beyond the files of xx and yy"):
        set_languages(beyond)


def test_folder_language_takes_a_language_code_and_nothing_else(tmp_path: Path) -> None:
    for name in ("de", "ZH", "src", "gold", "doc"):
        (tmp_path / name).mkdir()
    assert folder_language(tmp_path / "de", "zh") == "de"
    assert folder_language(tmp_path / "ZH", "en") == "zh"
    assert folder_language(tmp_path / "de" / ".", "zh") == "de"
    assert [folder_language(tmp_path / n, "zh") for n in ("src", "gold", "doc")] == ["zh"] * 3


def test_a_folder_named_otherwise_is_read_for_its_language(tmp_path: Path) -> None:
    """``cn/``, ``zh-CN/``, ``English/`` name a language; ``source/`` and ``target/`` do
    not, and their files tell it: a hidden set given the other way round, or with
    folders so named, is aligned in its own languages, not as Chinese into English."""
    for name, lang in (("cn", "zh"), ("zh-CN", "zh"), ("English", "en"), ("fr_FR", "fr")):
        assert folder_language(tmp_path / name, "de") == lang
    texts = {
        "source": "The General Assembly recalls the resolution of the Council and its work.\n",
        "target": "大会回顾安全理事会的决议及其工作，并决定继续审议这个问题。\n",
        "quelle": "Die Generalversammlung hat die Resolution und den Bericht mit Dank zur "
        "Kenntnis genommen, die von dem Rat für die Mitglieder vorgelegt wurden.\n",
    }
    for name, line in texts.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "001").write_text(line * 5, encoding="utf-8")
    assert folder_language(tmp_path / "source", "zh") == "en"
    assert folder_language(tmp_path / "target", "en") == "zh"
    assert folder_language(tmp_path / "quelle", "zh") == "de"
    (tmp_path / "empty").mkdir()
    assert folder_language(tmp_path / "empty", "zh") == "zh"


def test_a_lax_hit_overlaps_one_gold_bead_on_both_sides() -> None:
    """Two crossed 1-1 beads each touch the gold on both sides, but through two
    different gold beads: no gold bead overlaps either one on both sides."""
    gold = [((0,), (0,)), ((1,), (1,)), ((2, 3), (2, 3))]
    test = [((0,), (1,)), ((1,), (0,)), ((2,), (3,)), ((3,), (2,))]
    c = match_counts(gold, test)
    assert (c.tp_strict, c.fp_strict, c.tp_lax, c.fp_lax) == (0, 4, 2, 2)
    s = score([gold], [test])
    assert s.precision_lax == pytest.approx(2 / 4)
    assert s.recall_lax == pytest.approx(1 / 3)  # only the gold 2-2 overlaps a test bead


def vecalign_counts(gold: Sequence[BeadIds], test: Sequence[BeadIds]) -> tuple[int, ...]:
    """The README's words, read literally: a lax hit overlaps some gold bead on both sides."""
    counts = [0, 0, 0, 0]
    for src, tgt in test:
        if not src and not tgt:
            continue
        strict = (src, tgt) in set(gold)
        lax = strict or any(set(src) & set(g[0]) and set(tgt) & set(g[1]) for g in gold)
        counts[0 if strict else 1] += 1
        counts[2 if lax else 3] += 1
    return tuple(counts)


def test_the_scorer_counts_as_the_definition_on_random_alignments() -> None:
    rng = np.random.default_rng(5)

    def cut(n: int, m: int) -> list[BeadIds]:
        beads: list[BeadIds] = []
        i = j = 0
        while i < n or j < m:
            a, b = min(n - i, int(rng.integers(0, 4))), min(m - j, int(rng.integers(0, 4)))
            if a == b == 0:
                a, b = (1, 0) if i < n else (0, 1)
            beads.append((tuple(range(i, i + a)), tuple(range(j, j + b))))
            i, j = i + a, j + b
        return beads

    for _ in range(300):
        n, m = int(rng.integers(1, 30)), int(rng.integers(1, 30))
        gold, test = cut(n, m), cut(n, m)
        c = match_counts(gold, test)
        assert (c.tp_strict, c.fp_strict, c.tp_lax, c.fp_lax) == vecalign_counts(gold, test)


def test_a_wrong_bead_is_finer_coarser_shifted_or_one_sided() -> None:
    gold = [((0,), (0,)), ((1, 2), (1, 2)), ((3,), (3,)), ((4,), (4,)), ((5,), (5,)), ((6,), (6,))]
    test = [
        ((0,), (0,)),  # right
        ((1,), (1,)),  # a piece of the gold 2-2
        ((2,), (2,)),  # the other piece
        ((3, 4), (3, 4)),  # two whole gold beads joined
        ((5,), (5, 6)),  # takes its neighbour's translation
        ((6,), ()),  # and leaves its own sentence without one
    ]
    assert [wrong_kind(b, gold_homes(gold), gold) for b in test[1:]] == [
        "finer",
        "finer",
        "coarser",
        "shifted",
        "one-sided",
    ]
    kinds = wrong_kinds([gold], [test])
    assert kinds == {"finer": 2, "coarser": 1, "shifted": 1, "one-sided": 1}
    assert sum(kinds.values()) == match_counts(gold, test).fp_strict
    # a bead that joins a whole gold bead with part of another is shifted, not coarser
    assert wrong_kind(((0, 1), (0, 1)), gold_homes(gold), gold) == "shifted"
    # a line the gold leaves out is no gold bead's: whatever holds it is shifted
    assert wrong_kind(((0,), (0, 9)), gold_homes(gold), gold) == "shifted"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[0]:[0]\n[-1]:[1]\n", r"gold:2: negative line number in '\[-1\]:\[1\]'"),
        ("[0]:[0]\n[]:[]\n[1]:[1]\n", r"gold:2: a bead with no line on either side"),
        ("[0]:[0]\n[1, 2]:[1]\n[1, 2]:[1]\n", r"gold:3: source line 1 is in the bead on line 2"),
        ("[0]:[0]\n# note\n[1]:[]\n[1]:[]\n", r"gold:4: source line 1 is in the bead on line 3"),
        ("[0]:[0]\n[1]:[1]\n[1]:[0, 1]\n", r"gold:3: source line 1 is in the bead on line 2"),
        ("[0]:[0]\n[]:[0]\n", r"gold:2: target line 0 is in the bead on line 1"),
        ("[0]:[0]\n[1, 1]:[1]\n", r"gold:2: source line 1 is twice in the bead"),
    ],
)
def test_a_damaged_gold_line_is_a_one_line_error_naming_it(text: str, message: str) -> None:
    """A negative number would be read from the end, an empty bead and a repeated one
    would change the scores; none is a score to report."""
    with pytest.raises(InputError, match=message) as caught:
        parse_beads(text, "gold")
    assert "\n" not in str(caught.value)


def test_what_the_published_gold_files_hold_is_still_read() -> None:
    """Beads out of order or skipping lines (Text+Berg's ``[98, 102]:[100]``), lines in no
    bead, and one sentence in two beads paired with different lines (Text+Berg 002)."""
    text = "[0]:[0]\n[2, 1]:[2]\n[98, 102]:[100]\n[3]:[]\n[]:[3]\n[1, 4]:[4]\n"
    assert parse_beads(text, "gold")[2:4] == [((98, 102), (100,)), ((3,), ())]
    golds = sorted(BENCH.glob("*/gold/*"))
    assert len(golds) == 14
    for path in golds:
        assert parse_beads(path.read_text(encoding="utf-8"), str(path))


def test_a_gold_file_with_slips_is_scored_as_given_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A gold set is the reference as published, slips and all (Text+Berg 002 has one):
    an emptied file, a repeated bead or an empty one is said on stderr, and the set is
    still scored, so that one slip does not stop the evaluation of a whole set."""
    for folder, text in (("src", "s0\ns1\n"), ("tgt", "t0\nt1\n"), ("gold", "[0]:[0]\n[1]:[1]\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "doc").write_text(text, encoding="utf-8")
    folders = [tmp_path / f for f in ("src", "tgt", "gold")]
    assert evaluate(*folders, DigitEncoder()).documents and not caplog.records
    for slipped, said in (
        ("", r"gold/doc: no beads, though its documents have 2 source and 2 target lines"),
        ("# only a comment\n\n", r"gold/doc: no beads"),
        ("[0]:[0]\n[1]:[1]\n[1]:[1]\n", r"gold/doc:3: source line 1 is in the bead on line 2"),
        ("[0]:[0]\n[]:[]\n[1]:[1]\n", r"gold/doc:2: a bead with no line on either side"),
    ):
        caplog.clear()
        (tmp_path / "gold" / "doc").write_text(slipped, encoding="utf-8")
        result = evaluate(*folders, DigitEncoder())
        assert len(result.documents) == 1
        assert any(re.search(said, r.getMessage()) for r in caplog.records), caplog.records
        assert all(r.getMessage().endswith("(scored as given)") for r in caplog.records)
    (tmp_path / "gold" / "doc").write_text("[-1]:[0]\n[0]:[1]\n", encoding="utf-8")
    with pytest.raises(InputError, match="negative line number"):
        evaluate(*folders, DigitEncoder())


@pytest.mark.parametrize(
    ("saved", "message"),
    [
        ("", r"doc: no beads, though its documents have 2 source and 2 target lines"),
        ("[0]:[0]\n[1]:[1]\n[1]:[1]\n", r"doc:3: source line 1 is in the bead on line 2"),
        ("[-1]:[0]\n[0]:[1]\n", r"doc:1: negative line number"),
        ("[0]:[0]\n[1]:[1]\n[]:[]\n", r"doc:3: a bead with no line on either side"),
    ],
)
def test_a_damaged_baseline_file_is_refused_as_a_gold_file_is(
    tmp_path: Path, saved: str, message: str
) -> None:
    for folder, text in (("src", "s0\ns1\n"), ("tgt", "t0\nt1\n"), ("gold", "[0]:[0]\n[1]:[1]\n")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "doc").write_text(text, encoding="utf-8")
    result = evaluate(*(tmp_path / f for f in ("src", "tgt", "gold")), DigitEncoder())
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs" / "doc").write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    assert saved_alignment(result, tmp_path / "runs")[0].scores.f1_strict == 1.0
    (tmp_path / "runs" / "doc").write_text(saved, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        saved_alignment(result, tmp_path / "runs")


def test_a_gold_file_that_leaves_most_lines_out_is_said_and_scored_as_given(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A gold ``002`` of one bead for 1,346 lines scored F1 0.002 with nothing said; the
    few lines the published sets leave out (pol-dev 2, Text+Berg 3) are no warning."""
    lines = "".join(f"s{k}\n" for k in range(20))
    full = "".join(f"[{k}]:[{k}]\n" for k in range(20))
    for folder, text in (("src", lines), ("tgt", lines.replace("s", "t")), ("gold", full)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "doc").write_text(text, encoding="utf-8")
    folders = [tmp_path / f for f in ("src", "tgt", "gold")]
    few_out = "".join(f"[{k}]:[{k}]\n" for k in range(17))
    for text in (full, few_out):
        (tmp_path / "gold" / "doc").write_text(text, encoding="utf-8")
        assert evaluate(*folders, DigitEncoder()).documents and not caplog.records
    (tmp_path / "gold" / "doc").write_text("[0]:[0]\n", encoding="utf-8")
    result = evaluate(*folders, DigitEncoder())
    assert len(result.documents) == 1
    (record,) = caplog.records
    assert "gold/doc: its beads name 1 of 20 source and 1 of 20 target lines" in record.getMessage()
    assert record.getMessage().endswith("(scored as given)")
