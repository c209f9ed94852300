"""The DP core on constructed cases, with the real default encoder."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import BENCH

from align.aligner import AlignConfig, AlignStats, align_texts
from align.encoders import Encoder, load_encoder
from align.evaluate import parse_beads, score

ZH = [
    "大会，",
    "回顾联合国的宗旨之一是在维护国际和平与安全方面开展合作，",
    "还回顾其2004年12月2日关于给予上海合作组织大会观察员地位的第59/48号决议，",
    "注意到上海合作组织致力于按照联合国的目标和原则行事，",
    "请秘书长向大会第七十九届会议提交本决议执行情况报告。",
    "决定在大会第七十九届会议临时议程中列入题为“联合国同上海合作组织的合作”的分项。",
]
EN = [
    "The General Assembly,",
    "Recalling that one of the purposes of the United Nations is to achieve cooperation "
    "in the maintenance of international peace and security,",
    "Recalling further its resolution 59/48 of 2 December 2004, by which it granted observer "
    "status in the General Assembly to the Shanghai Cooperation Organization,",
    "Noting that the Shanghai Cooperation Organization is committed to acting in accordance "
    "with the purposes and principles of the United Nations,",
    "Requests the Secretary-General to submit to the General Assembly at its seventy-ninth "
    "session a report on the implementation of the present resolution.",
    "Decides to include in the provisional agenda of its seventy-ninth session the sub-item "
    "entitled “Cooperation between the United Nations and the Shanghai Cooperation "
    "Organization”.",
]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return load_encoder("use")


def pairs(beads: list) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in beads]


def assert_covers(beads: list, n: int, m: int) -> None:
    assert [i for b in beads for i in b.src] == list(range(n))
    assert [j for b in beads for j in b.tgt] == list(range(m))
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)


def test_one_to_one_order_is_recovered(encoder: Encoder) -> None:
    beads = align_texts(ZH, EN, encoder)
    assert pairs(beads) == [((i,), (i,)) for i in range(len(ZH))]
    assert min(b.confidence for b in beads) > 0.5


def test_english_split_in_two_gives_a_1_2_bead(encoder: Encoder) -> None:
    en = (
        EN[:4]
        + [
            "Requests the Secretary-General to submit a report to the General Assembly.",
            "The report shall be on the implementation of the present resolution and be "
            "considered at the seventy-ninth session.",
        ]
        + EN[5:]
    )
    beads = align_texts(ZH, en, encoder)
    assert ((4,), (4, 5)) in pairs(beads)
    assert_covers(beads, len(ZH), len(en))


def test_two_chinese_sentences_merged_in_english_give_a_2_1_bead(encoder: Encoder) -> None:
    zh = (
        ZH[:4]
        + ["请秘书长提交一份报告。", "报告应涉及本决议的执行情况，提交大会第七十九届会议。"]
        + ZH[5:]
    )
    beads = align_texts(zh, EN, encoder)
    assert ((4, 5), (4,)) in pairs(beads)
    assert_covers(beads, len(zh), len(EN))


INSERTED_EN = "The committee also discussed unrelated budgetary matters and conference services."


def test_omitted_chinese_sentence_becomes_a_1_0_bead(encoder: Encoder) -> None:
    zh = list(ZH)
    zh.insert(3, "此外，委员会还讨论了与本议程无关的预算问题和会议服务安排。")
    beads = align_texts(zh, EN, encoder)
    assert ((3,), ()) in pairs(beads)
    assert len([p for p in pairs(beads) if p[0] and p[1]]) == len(ZH)


@pytest.mark.xfail(
    strict=True,
    reason="known: at the default skip cost an inserted English sentence after a long one is "
    "absorbed into a 1-2 bead; skip=-0.15 finds it but costs 0.5 point of F1 on MAC-Dev",
)
def test_omitted_english_sentence_becomes_a_0_1_bead(encoder: Encoder) -> None:
    en = [*EN[:3], INSERTED_EN, *EN[3:]]
    assert ((), (3,)) in pairs(align_texts(ZH, en, encoder))


def test_a_cheaper_skip_finds_the_english_omission(encoder: Encoder) -> None:
    en = [*EN[:3], INSERTED_EN, *EN[3:]]
    beads = align_texts(ZH, en, encoder, AlignConfig(skip=-0.15))
    assert ((), (3,)) in pairs(beads)
    assert len([p for p in pairs(beads) if p[0] and p[1]]) == len(ZH)


def test_swapped_neighbours_stay_monotonic_and_the_rest_is_right(encoder: Encoder) -> None:
    en = EN[:2] + [EN[3], EN[2]] + EN[4:]
    beads = align_texts(ZH, en, encoder)
    assert_covers(beads, len(ZH), len(en))
    got = pairs(beads)
    for i in (0, 1, 4, 5):
        assert ((i,), (i,)) in got


@pytest.mark.parametrize(("n", "m"), [(0, 0), (0, 3), (2, 0), (1, 1)])
def test_edge_sizes(encoder: Encoder, n: int, m: int) -> None:
    beads = align_texts(ZH[:n], EN[:m], encoder)
    assert_covers(beads, n, m)


def test_random_inputs_are_always_covered(encoder: Encoder) -> None:
    rng = random.Random(7)
    for _ in range(5):
        zh = rng.sample(ZH, rng.randint(1, len(ZH)))
        en = rng.sample(EN, rng.randint(1, len(EN)))
        assert_covers(align_texts(zh, en, encoder, AlignConfig(max_bead=3)), len(zh), len(en))


def pol_dev(first_src: int) -> tuple[list[str], list[str], list]:
    """The start of pol-dev, cut after the gold bead that reaches ``first_src`` sentences."""
    folder: Path = BENCH / "pol-dev"
    zh = (folder / "zh" / "002").read_text(encoding="utf-8").splitlines()
    en = (folder / "en" / "002").read_text(encoding="utf-8").splitlines()
    gold = parse_beads((folder / "gold" / "002").read_text(encoding="utf-8"))
    kept = []
    for src, tgt in gold:
        kept.append((src, tgt))
        if src and src[-1] + 1 >= first_src:
            break
    n = 1 + max(i for s, _ in kept for i in s)
    m = 1 + max(j for _, t in kept for j in t)
    return zh[:n], en[:m], kept


def test_work_grows_about_linearly(encoder: Encoder) -> None:
    """Counted, not timed: similarity entries and DP cells for n and 4n sentences."""
    zh, en, _ = pol_dev(240)
    small, large = AlignStats(), AlignStats()
    align_texts(zh[:60], en[:78], encoder, stats=small)
    align_texts(zh[:240], en[:312], encoder, stats=large)
    for name in ("sims_pass2", "dp_cells", "dp_edges", "texts_encoded"):
        ratio = getattr(large, name) / getattr(small, name)
        assert ratio < 5.5, (name, ratio)


def test_quality_on_the_start_of_pol_dev(encoder: Encoder) -> None:
    zh, en, gold = pol_dev(150)
    beads = align_texts(zh, en, encoder)
    assert score([gold], [pairs(beads)]).f1_strict >= 0.95
