"""`align batch`: pairing, one TMX per pair, resuming, failures, merge, parallel workers.

Real encoder, real files: tiny pairs cut from corpora/A_77_L.107 (tests/batch_corpus.py).
One cold run fills a module-wide embedding cache; later runs reuse it unless a
test needs the encoder to really run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from batch_corpus import journal_ids, outputs, write_tiny_corpus
from conftest import CORPUS, run_on_terminal
from pdf_corpus import un_pdf
from tmxcheck import assert_valid_tmx
from typer.testing import CliRunner

from align import tmx
from align.aligner import AlignConfig
from align.batch import (
    EXIT_SOME_FAILED,
    BatchOptions,
    BatchResult,
    discover,
    output_path,
    read_manifest,
    run_batch,
    task,
)
from align.batch.discover import named_language
from align.batch.executors import PoolExecutor
from align.batch.task import MISNAMED, EncoderSpec, PairTask
from align.cli import app
from align.encoders import CachedEncoder
from align.encoders.cache import DB_NAME
from align.errors import InputError, OutputError
from align.pipeline import Settings, align_files, check_translation
from align.readers import read_document
from align.writers import read_alignment, write_alignment

ENV_NO_COLOR = {"NO_COLOR": "1", "COLUMNS": "200"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_tiny_corpus(folder)
    return folder


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, corpus: Path, cache: Path) -> BatchResult:
    """``--jobs 1`` on a cold cache: the reference every other run is compared with."""
    out = tmp_path_factory.mktemp("baseline")
    return run_batch(corpus, out, BatchOptions(cache_dir=cache))


def options(cache: Path, **kw: object) -> BatchOptions:
    return BatchOptions(cache_dir=cache, **kw)  # type: ignore[arg-type]


# --- finding the pairs ----------------------------------------------------------------


def touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discover_recognises_every_layout_and_lists_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "in"
    touch(root / "A.zh.txt"), touch(root / "A.en.txt")
    touch(root / "sub" / "A.zh.docx"), touch(root / "sub" / "A.en.pdf")
    touch(root / "bench" / "zh" / "001"), touch(root / "bench" / "en" / "001")
    touch(root / "zh" / "deep" / "B.txt"), touch(root / "en" / "deep" / "B.txt")
    touch(root / "A_77_L.107-ZH.pdf"), touch(root / "A_77_L.107-EN.pdf")
    touch(root / "S_2023_1" / "zh.txt"), touch(root / "S_2023_1" / "en.txt")
    touch(root / "lonely.zh.txt")
    touch(root / "en" / "orphan.txt")
    touch(root / "notes.txt")
    touch(root / "Dup.zh.txt"), touch(root / "Dup-ZH.pdf"), touch(root / "Dup.en.txt")
    touch(root / "zh" / "X.en.txt")
    touch(root / "README.md"), touch(root / "S_2023_1" / "reference.align")
    touch(root / "out" / "tmx" / "A.zh.txt")  # the output folder is never read
    touch(root / ".hidden.zh.txt")
    touch(root / "old" / "A_60_1-ZH.doc"), touch(root / "old" / "A_60_1-EN.rtf")
    touch(root / "A.zh.doc")  # A.zh.txt is there: the .doc is a copy, not a second side
    touch(root / "old" / "B_60_1-ZH.wpd"), touch(root / "old" / "B_60_1-EN.mht")
    touch(root / "web" / "P.zh.html"), touch(root / "web" / "P.en.htm")
    touch(root / "web" / "P.zh_files" / "header.htm")  # a saved page's parts: not a document
    touch(root / "web" / "P.zh_files" / "image001.png")
    touch(root / "A.en.htm")  # A.en.txt is there: the web page is a copy
    touch(root / "A.en.epub")  # and so is the e-book
    touch(root / "books" / "B.zh.epub"), touch(root / "books" / "B.en.epub")
    touch(root / "slides" / "Deck.zh.pptx"), touch(root / "slides" / "Deck.en.pptx")
    touch(root / "slides" / "Old-ZH.ppt")

    found = discover(root, skip=root / "out")

    pairs = {
        p.id: (p.src.relative_to(root).as_posix(), p.tgt.relative_to(root).as_posix())
        for p in found.pairs
    }
    assert pairs == {
        "A": ("A.zh.txt", "A.en.txt"),
        "sub/A": ("sub/A.zh.docx", "sub/A.en.pdf"),
        "bench/001": ("bench/zh/001", "bench/en/001"),
        "deep/B": ("zh/deep/B.txt", "en/deep/B.txt"),
        "A_77_L.107": ("A_77_L.107-ZH.pdf", "A_77_L.107-EN.pdf"),
        "S_2023_1": ("S_2023_1/zh.txt", "S_2023_1/en.txt"),
        "old/A_60_1": ("old/A_60_1-ZH.doc", "old/A_60_1-EN.rtf"),
        "web/P": ("web/P.zh.html", "web/P.en.htm"),
        "slides/Deck": ("slides/Deck.zh.pptx", "slides/Deck.en.pptx"),
        "books/B": ("books/B.zh.epub", "books/B.en.epub"),
    }
    assert [p.id for p in found.pairs] == sorted(pairs)
    unpaired = {u.path.relative_to(root).as_posix(): u.reason for u in found.unpaired}
    assert set(unpaired) == {
        "lonely.zh.txt",
        "en/orphan.txt",
        "notes.txt",
        "zh/X.en.txt",
        "old/B_60_1-ZH.wpd",
        "old/B_60_1-EN.mht",
        "slides/Old-ZH.ppt",
    }
    assert "WordPerfect file: save it as .docx" in unpaired["old/B_60_1-ZH.wpd"]
    assert "PowerPoint 97-2003 file: save it as .pptx" in unpaired["slides/Old-ZH.ppt"]
    assert "no 'zh' partner" in unpaired["old/B_60_1-EN.mht"]
    assert "no 'en' partner" in unpaired["lonely.zh.txt"]
    assert "no 'zh' partner" in unpaired["en/orphan.txt"]
    assert "no language" in unpaired["notes.txt"]
    assert "'zh' folder but its name says 'en'" in unpaired["zh/X.en.txt"]
    (conflict,) = found.conflicts
    assert conflict.id == "Dup" and "2 'zh' files" in conflict.reason
    ignored = {p.relative_to(root).as_posix() for p in found.ignored}
    assert ignored == {
        "README.md",
        "S_2023_1/reference.align",
        "A.zh.doc",
        "A.en.htm",
        "A.en.epub",
    }
    copies = {c.path.relative_to(root).as_posix(): c.kept.name for c in found.copies}
    assert copies == {"A.zh.doc": "A.zh.txt", "A.en.htm": "A.en.txt", "A.en.epub": "A.en.txt"}
    not_documents = {p.relative_to(root).as_posix() for p in found.not_documents}
    assert not_documents == {"README.md", "S_2023_1/reference.align"}


def test_a_copy_in_another_format_is_not_called_a_file_that_is_no_document(
    corpus: Path, tmp_path: Path
) -> None:
    """``X.zh.txt``, ``X.en.pdf`` and ``X.en.htm``: the web page, a document left out for the
    PDF, was summed up as "ignored 1 file(s) that are not documents (.htm)"; and a copy
    Windows made, ``X.en - Copy.pdf``, was told it had no language in its name and to be
    renamed. Copies are now named with the file read in their place, on the terminal and
    in summary.json, and counts say one file, not "file(s)"."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(corpus / "doc0.zh.txt", src / "X.zh.txt")
    un_pdf((corpus / "doc0.en.txt").read_text(encoding="utf-8"), src / "X.en.pdf")
    en = (corpus / "doc0.en.txt").read_text(encoding="utf-8").split("\n\n")
    body = "".join(f"<p>{line.strip()}</p>" for line in en)
    touch(src / "X.en.htm", f"<html><body>{body}</body></html>")
    touch(src / "README.md", "notes")
    shutil.copy(src / "X.en.pdf", src / "X.en - Copy.pdf")  # as Windows names a copy
    out = tmp_path / "out"
    env = {"ALIGN_CACHE_DIR": str(tmp_path / "cache"), **ENV_NO_COLOR}

    r = CliRunner().invoke(app, ["batch", str(src), "-o", str(out)], env=env)

    assert r.exit_code == 0, r.output
    assert "align batch: 1 pair found, 1 to align\n" in r.output
    assert "done 1, failed 0, skipped 0 of 1 pair; " in r.output
    copy = f"left out 2 copies (each document is read once):\n  {src / 'X.en.htm'}: the same "
    copy += f"document in another format as X.en.pdf, which is read\n  {src / 'X.en - Copy.pdf'}"
    assert copy + ": the same file as X.en.pdf, which is read\n" in r.output
    assert "not paired" not in r.output and "no language in its name" not in r.output
    assert "ignored 1 file that is not a document (.md)\n" in r.output
    assert "(s)" not in r.output and ".htm)" not in r.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["ignored"] == 3 and summary["counts"]["copies"] == 2
    assert summary["counts"]["unpaired"] == 0
    left_out = [src / "README.md", src / "X.en.htm", src / "X.en - Copy.pdf"]
    assert summary["ignored"] == [str(path) for path in left_out]
    pdf = str(src / "X.en.pdf")
    assert summary["copies"] == [
        {"path": str(src / "X.en.htm"), "kept": pdf, "identical": False},
        {"path": str(src / "X.en - Copy.pdf"), "kept": pdf, "identical": True},
    ]
    assert summary["pairs"][0]["id"] == "X"


def test_locale_codes_in_names_and_folders_mean_their_language(
    tmp_path: Path, corpus: Path, cache: Path
) -> None:
    """CAT tools and locales name files and folders zh-CN, zh_CN, en-US: the default
    zh and en used to find no pair in them. A code means the language of its primary
    subtag, unless its script says otherwise: zh-CN and zh-TW stay two languages."""
    root = tmp_path / "in"
    touch(root / "b10" / "zh-CN" / "a.txt"), touch(root / "b10" / "en-US" / "a.txt")
    touch(root / "a.zh-CN.txt"), touch(root / "a.en-US.txt")
    touch(root / "d.zh_Hans.docx"), touch(root / "d.EN_gb.docx")
    touch(root / "e" / "zh-CN.txt"), touch(root / "e" / "en_US.txt")
    touch(root / "k.zh-CN.txt"), touch(root / "k.zh-TW.txt"), touch(root / "k.en.txt")
    touch(root / "zh-CN" / "x.en-US.txt")
    touch(root / "n.en-copy.txt")  # not a language code

    found = discover(root)

    pairs = {p.id: (p.src.relative_to(root), p.tgt.relative_to(root)) for p in found.pairs}
    assert {k: tuple(p.as_posix() for p in v) for k, v in pairs.items()} == {
        "b10/a": ("b10/zh-CN/a.txt", "b10/en-US/a.txt"),
        "a": ("a.zh-CN.txt", "a.en-US.txt"),
        "d": ("d.zh_Hans.docx", "d.EN_gb.docx"),
        "e": ("e/zh-CN.txt", "e/en_US.txt"),
    }
    (conflict,) = found.conflicts
    assert conflict.id == "k" and "2 'zh' files for k" in conflict.reason
    unpaired = {u.path.relative_to(root).as_posix(): u.reason for u in found.unpaired}
    assert "'zh-CN' folder but its name says 'en-us'" in unpaired["zh-CN/x.en-US.txt"]
    assert unpaired["n.en-copy.txt"].startswith("has no language in its name")

    zh_cn_tw = tmp_path / "variants"
    touch(zh_cn_tw / "f.zh-CN.txt"), touch(zh_cn_tw / "f.zh-TW.txt")
    touch(zh_cn_tw / "g.zh-Hans.txt"), touch(zh_cn_tw / "g.zh_HK.txt")
    touch(zh_cn_tw / "h.zh.txt")  # either of the two: not guessed
    found = discover(zh_cn_tw, src_lang="zh-CN", tgt_lang="zh-TW")
    assert {p.id: (p.src.name, p.tgt.name) for p in found.pairs} == {
        "f": ("f.zh-CN.txt", "f.zh-TW.txt"),
        "g": ("g.zh-Hans.txt", "g.zh_HK.txt"),
    }
    assert [u.path.name for u in found.unpaired] == ["h.zh.txt"]
    found = discover(zh_cn_tw, src_lang="zh-TW", tgt_lang="en")  # zh-CN is not zh-TW
    assert not found.pairs
    assert {u.path.name for u in found.unpaired} == {
        "f.zh-CN.txt", "f.zh-TW.txt", "g.zh-Hans.txt", "g.zh_HK.txt", "h.zh.txt"
    }  # fmt: skip
    assert "has no 'en' partner for f" in " ".join(u.reason for u in found.unpaired)

    src = tmp_path / "cat"
    for folder, lang in (("zh-CN", "zh"), ("en-US", "en")):
        touch(src / folder / "doc0.txt", (corpus / f"doc0.{lang}.txt").read_text("utf-8"))
    result = run_batch(src, tmp_path / "out", options(cache))
    assert [(r.id, r.status) for r in result.results] == [("doc0", "done")]


def test_a_region_in_the_names_labels_the_tm(tmp_path: Path, corpus: Path, cache: Path) -> None:
    """A UN English document saved as ``doc.en-GB.txt`` (or in an ``en_GB/`` folder) is
    British English: its TM says en-GB, not the en-US a bare ``en`` stands for, or a CAT
    tool files it under the wrong variant. A region the user gives stays theirs."""
    assert named_language(Path("doc.en-GB.txt"), "en") == "en-GB"
    assert named_language(Path("x/en_GB/doc.txt"), "en") == "en-GB"
    assert named_language(Path("zh-TW/doc.txt"), "zh") == "zh-TW"
    assert named_language(Path("doc.en-GB.txt"), "en-US") == "en-US"
    assert named_language(Path("doc.en-UK.txt"), "en") == "en"  # no CAT tool knows UK
    assert named_language(Path("A_77_L.107-EN.pdf"), "en") == "en"

    src = tmp_path / "in"
    touch(src / "gb.zh.txt", (corpus / "doc0.zh.txt").read_text("utf-8"))
    touch(src / "gb.en-GB.txt", (corpus / "doc0.en.txt").read_text("utf-8"))
    touch(src / "us.zh.txt", (corpus / "doc1.zh.txt").read_text("utf-8"))
    touch(src / "us.en.txt", (corpus / "doc1.en.txt").read_text("utf-8"))
    out = tmp_path / "out"
    result = run_batch(src, out, options(cache, merge=tmp_path / "all.tmx"))
    assert [(r.id, r.status) for r in result.results] == [("gb", "done"), ("us", "done")]

    def languages(path: Path) -> set[str]:
        return set(re.findall(r'xml:lang="([^"]+)"', path.read_text("utf-8")))

    assert languages(out / "tmx" / "gb.tmx") == {"zh-CN", "en-GB"}
    assert languages(out / "tmx" / "us.tmx") == {"zh-CN", "en-US"}
    assert languages(tmp_path / "all.tmx") == {"zh-CN", "en-GB", "en-US"}
    assert_valid_tmx(tmp_path / "all.tmx")

    env = {"ALIGN_CACHE_DIR": str(cache), **ENV_NO_COLOR}
    tm = tmp_path / "pair.tmx"
    r = CliRunner().invoke(
        app, ["pair", str(src / "gb.zh.txt"), str(src / "gb.en-GB.txt"), "-o", str(tm)], env=env
    )
    assert r.exit_code == 0, r.output
    assert languages(tm) == {"zh-CN", "en-GB"}
    args = ["pair", str(src / "gb.zh.txt"), str(src / "gb.en-GB.txt"), "--tgt-lang", "en-US"]
    r = CliRunner().invoke(app, [*args, "-o", str(tm), "--force"], env=env)
    assert r.exit_code == 0, r.output
    assert languages(tm) == {"zh-CN", "en-US"}


def test_files_whose_names_say_no_language_are_paired_by_their_text(
    tmp_path: Path, cache: Path
) -> None:
    """Two downloads of one UN document saved as ``N2316564.txt`` and ``N2316564 (1).txt``
    name no language: their text does (script, commonest words), and the job number and
    symbol both versions print say they are one document. So do files whose names give
    their language but no partner (``zh/N2316567.txt`` and ``en/E1.txt``, or one named
    and one not). A file that cannot be placed is listed with what its text gave;
    nothing is guessed."""
    zh = (CORPUS / "zh.txt").read_text(encoding="utf-8")
    en = (CORPUS / "en.txt").read_text(encoding="utf-8")
    root = tmp_path / "in"
    touch(root / "downloads" / "N2316564.txt", en)
    touch(root / "downloads" / "N2316564 (1).txt", zh)
    touch(root / "downloads" / "letter.txt", "Dear colleague, thank you for the note of today.")
    french = read_document(CORPUS / "fr.htm", "fr").text + "\n23-16564 (F)\nA/77/L.107\n"
    touch(root / "downloads" / "N2316564 (2).txt", french)  # the same job, a third language
    touch(root / "three" / "a.txt", zh), touch(root / "three" / "b.txt", zh)
    touch(root / "three" / "c.txt", en)
    touch(root / "alone" / "x.txt", en)
    touch(root / "A_77_L.107-ZH.txt", zh), touch(root / "A_77_L.107-EN.txt", en)
    touch(root / "N1.txt", zh), touch(root / "N2.txt", en)  # the same document again
    touch(root / "scan.pdf", "%PDF-1.4 not really")
    touch(root / "trees" / "zh" / "N2316567.txt", zh), touch(root / "trees" / "en" / "E1.txt", en)
    touch(root / "mixed" / "A_77_L.107-ZH.txt", zh), touch(root / "mixed" / "N2316564.txt", en)
    told: list[tuple[int, int]] = []

    found = discover(root, on_read=lambda done, total: told.append((done, total)))

    assert told == [(n, 15) for n in range(16)]  # the bar ends at 15/15, not 14/15

    pairs = {p.id: (p.src.name, p.tgt.name) for p in found.pairs}
    assert pairs == {
        "A_77_L.107": ("A_77_L.107-ZH.txt", "A_77_L.107-EN.txt"),
        "downloads/A_77_L.107": ("N2316564 (1).txt", "N2316564.txt"),
        "trees/A_77_L.107": ("N2316567.txt", "E1.txt"),  # named, but not alike
        "mixed/A_77_L.107": ("A_77_L.107-ZH.txt", "N2316564.txt"),  # one named, one not
    }
    unpaired = {u.path.relative_to(root).as_posix(): u.reason for u in found.unpaired}
    assert set(unpaired) == {
        "downloads/letter.txt",
        "downloads/N2316564 (2).txt",
        "three/a.txt",
        "three/b.txt",
        "three/c.txt",
        "alone/x.txt",
        "N1.txt",
        "N2.txt",
        "scan.pdf",
    }
    assert all(reason.startswith("has no language in its name") for reason in unpaired.values())
    letter = "(its text reads as no language it can tell (no UN job number or symbol))"
    assert letter in unpaired["downloads/letter.txt"]  # too few words to tell en from fr
    assert (
        "reads as zh (job number 23-16564, A/77/L.107); so does 1 other 'zh' file here)"
        in unpaired["three/a.txt"]
    )
    assert "16564, A/77/L.107); 2 'zh' files here have that number)" in unpaired["three/c.txt"]
    third = "(its text reads as fr (job number 23-16564, A/77/L.107))"  # not taken for en
    assert third in unpaired["downloads/N2316564 (2).txt"]
    assert "no 'zh' file here has that number" in unpaired["alone/x.txt"]
    assert "the pair's id A_77_L.107 is taken by files named for it" in unpaired["N1.txt"]
    assert "(its text could not be read: " in unpaired["scan.pdf"]
    assert "is not a valid PDF" in unpaired["scan.pdf"]

    downloads, out = root / "downloads", tmp_path / "out"
    env = {"ALIGN_CACHE_DIR": str(cache), **ENV_NO_COLOR}
    r = CliRunner().invoke(app, ["batch", str(downloads), "-o", str(out)], env=env)
    assert r.exit_code == 0, r.output
    assert "1 pair found, 1 to align, 1 paired by their text, 2 files not paired\n" in r.output
    assert "paired by their text, not their names (1; check them):" in r.output
    assert f"A_77_L.107: {downloads / 'N2316564 (1).txt'} + {downloads / 'N2316564.txt'}" in (
        r.output
    )
    tree = assert_valid_tmx(output_path(out, "A_77_L.107", "tmx"))
    assert len(tree.findall(".//tu")) == 42
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["paired_by_text"] == [
        {
            "id": "A_77_L.107",
            "src": str(downloads / "N2316564 (1).txt"),
            "tgt": str(downloads / "N2316564.txt"),
        }
    ]


def test_manifest_pairs_relative_to_itself(tmp_path: Path) -> None:
    touch(tmp_path / "docs" / "a-zh.txt"), touch(tmp_path / "docs" / "a-en.txt")
    manifest = touch(
        tmp_path / "list.csv",
        "id,zh,en\n# a comment\nfirst,docs/a-zh.txt,docs/a-en.txt\nsub/second,x.txt,y.txt\n",
    )
    found = discover(manifest)
    assert [(p.id, p.src, p.tgt) for p in found.pairs] == [
        ("first", tmp_path / "docs" / "a-zh.txt", tmp_path / "docs" / "a-en.txt"),
        ("sub/second", tmp_path / "x.txt", tmp_path / "y.txt"),
    ]
    assert discover(touch(tmp_path / "list.txt", "a,b,c\n"), manifest=True).pairs[0].id == "a"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a,x.txt,y.txt\na,z.txt,w.txt\n", ["line 2", "already used on line 1"]),
        ("a,x.txt\n", ["line 1", "3 columns"]),
        ("../up,x.txt,y.txt\n", ["line 1", "cannot name an output file"]),
        ("id,zh,en\n", ["lists no pairs"]),
    ],
)
def test_bad_manifest_is_one_clear_error(tmp_path: Path, text: str, words: list[str]) -> None:
    with pytest.raises(InputError) as exc:
        read_manifest(touch(tmp_path / "m.csv", text))
    message = str(exc.value)
    assert "\n" not in message and all(w in message for w in words), message


# --- one batch ------------------------------------------------------------------------


def test_batch_writes_one_tmx_and_jsonl_per_pair(baseline: BatchResult, corpus: Path) -> None:
    out = baseline.outdir
    ids = [f"doc{k}" for k in range(6)]
    assert [r.id for r in baseline.results] == ids
    assert [r.status for r in baseline.results] == ["done"] * 6
    assert baseline.ok and baseline.sentences == sum(r.sentences for r in baseline.results) > 0
    for pair_id in ids:
        tree = assert_valid_tmx(output_path(out, pair_id, "tmx"))
        docs = {p.text for p in tree.iter("prop") if p.get("type") == "x-document"}
        assert docs == {pair_id}
        again = read_alignment(output_path(out, pair_id, "jsonl"))
        assert again.document == pair_id and len(again.beads) == 3
    assert journal_ids(out) == ids
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"] == {
        "pairs": 6,
        "done": 6,
        "failed": 0,
        "skipped": 0,
        "unpaired": 0,
        "ignored": 0,
        "copies": 0,
        "not_run": 0,
    }
    assert summary["cache"]["misses"] > 0 and summary["sentences"] == baseline.sentences


def test_batch_output_is_what_align_pair_writes(
    baseline: BatchResult, corpus: Path, cache: Path, tmp_path: Path
) -> None:
    from align.encoders import load_encoder

    encoder = load_encoder("use", cache_dir=cache)
    single = align_files(corpus / "doc2.zh.txt", corpus / "doc2.en.txt", encoder=encoder)
    write_alignment(single, tmp_path / "doc2.tmx")
    want = outputs_of(tmp_path / "doc2.tmx")
    assert outputs_of(output_path(baseline.outdir, "doc2", "tmx")) == want


def outputs_of(path: Path) -> bytes:
    from batch_corpus import without_dates

    return without_dates(path.read_bytes())


# --- resuming ---------------------------------------------------------------------------


def test_rerun_skips_what_is_unchanged_and_redoes_the_rest(
    baseline: BatchResult, corpus: Path, cache: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    first = run_batch(src, out, options(cache))
    assert outputs(out) == outputs(baseline.outdir)
    mtimes = {p: p.stat().st_mtime_ns for p in (out / "tmx").iterdir()}

    again = run_batch(src, out, options(cache))
    assert [r.status for r in again.results] == ["skipped"] * 6
    assert {p: p.stat().st_mtime_ns for p in (out / "tmx").iterdir()} == mtimes
    assert again.results[0].sentences == first.results[0].sentences

    with (src / "doc1.en.txt").open("a", encoding="utf-8") as fh:
        fh.write("\n The General Assembly,\n")
    output_path(out, "doc3", "tmx").unlink()
    output_path(out, "doc4", "jsonl").write_text("edited by hand\n", encoding="utf-8")
    lines = (out / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if json.loads(line)["id"] != "doc5"]
    (out / "journal.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")

    third = run_batch(src, out, options(cache))
    status = {r.id: r.status for r in third.results}
    assert status == {
        "doc0": "skipped",
        "doc1": "done",  # input changed
        "doc2": "skipped",
        "doc3": "done",  # output deleted
        "doc4": "done",  # output changed
        "doc5": "done",  # output on disk but not in the journal
    }
    assert outputs(out)["tmx/doc3.tmx"] == outputs(baseline.outdir)["tmx/doc3.tmx"]
    assert outputs(out)["tmx/doc1.tmx"] != outputs(baseline.outdir)["tmx/doc1.tmx"]

    changed = Settings(align=AlignConfig(max_bead=2))
    fourth = run_batch(src, out, BatchOptions(settings=changed, cache_dir=cache))
    assert [r.status for r in fourth.results] == ["done"] * 6
    assert [r.status for r in run_batch(src, out, options(cache, redo=True)).results] == [
        "done"
    ] * 6


def test_a_realigned_pair_keeps_its_review_with_the_alignment_it_reviewed(
    corpus: Path, cache: Path, tmp_path: Path
) -> None:
    """A rerun after an input changed used to overwrite jsonl/ID.jsonl under its review,
    which then refused to open ("made for another version"): every decision was lost.
    The earlier alignment and its review are now kept together under new names."""
    from align.review import Review, export_tmx, review_path_for, reviewed_tmx_path

    src = tmp_path / "in"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    run_batch(src, out, options(cache))
    aligned = output_path(out, "doc1", "jsonl")
    before = aligned.read_bytes()
    with Review.open(aligned, reviewer="tester") as review:
        review.accept(0)
        review.accept(2)
        export_tmx(review, reviewed_tmx_path(aligned))  # the x key's TM, beside it
    decisions = review_path_for(aligned).read_bytes()
    reviewed_tm = reviewed_tmx_path(aligned).read_bytes()
    redone = run_batch(src, out, options(cache, redo=True))  # the same alignment: it stays
    assert [r.warnings for r in redone.results] == [()] * 6
    assert review_path_for(aligned).read_bytes() == decisions

    with (src / "doc1.en.txt").open("a", encoding="utf-8") as fh:
        fh.write("\n The General Assembly,\n")
    env = {"ALIGN_CACHE_DIR": str(cache), **ENV_NO_COLOR}
    r = CliRunner().invoke(app, ["batch", str(src), "-o", str(out)], env=env)
    assert r.exit_code == 0, r.output

    (kept,) = (
        p
        for p in (out / "jsonl").glob("doc1.before-*.jsonl")
        if not p.name.endswith(".review.jsonl")
    )
    assert re.fullmatch(r"doc1\.before-\d{8}T\d{6}\.jsonl", kept.name)
    assert kept.read_bytes() == before and aligned.read_bytes() != before
    assert review_path_for(kept).read_bytes() == decisions
    assert not review_path_for(aligned).exists()
    assert reviewed_tmx_path(kept).read_bytes() == reviewed_tm  # the TM goes with its review
    assert not reviewed_tmx_path(aligned).exists()
    assert not list((out / "tmx").glob("*.before-*"))  # the TMX had no review
    with Review.open(kept, save=False) as again:
        assert [b.status for b in again.beads] == ["accepted", "pending", "accepted"]
        assert export_tmx(again, tmp_path / "reviewed.tmx").units == 2
    warning = (
        f"doc1: realigned, and {review_path_for(aligned)} reviewed the earlier doc1.jsonl: "
        f"both kept as {kept.name} and {review_path_for(kept).name} (and its TM as "
        f"{reviewed_tmx_path(kept).name}) (align review {kept} opens them)"
    )
    assert f"warnings (1):\n  {warning}" in r.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["warnings"][0].startswith(warning)


def test_outputs_of_pairs_gone_or_failed_are_listed_as_stale(
    corpus: Path, cache: Path, tmp_path: Path
) -> None:
    """After a pair's files are deleted, or a pair fails, its earlier TMX and JSONL stay in
    OUTDIR, made from files no longer there: they are kept, and named at the end and in
    summary.json, so nobody takes them for this run's work."""
    src = tmp_path / "in"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    run_batch(src, out, options(cache))
    for side in ("zh", "en"):
        (src / f"doc3.{side}.txt").unlink()
    (src / "doc4.zh.txt").write_text("   \n", encoding="utf-8")  # fails now: no text
    env = {"ALIGN_CACHE_DIR": str(cache), **ENV_NO_COLOR}

    r = CliRunner().invoke(app, ["batch", str(src), "-o", str(out)], env=env)

    assert r.exit_code == EXIT_SOME_FAILED, r.output
    gone = "its pair was not found in this run (its files were moved or deleted)"
    failed = "its pair failed in this run: made from earlier versions of its files"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["stale"] == [
        {"path": "tmx/doc3.tmx", "id": "doc3", "reason": gone},
        {"path": "jsonl/doc3.jsonl", "id": "doc3", "reason": gone},
        {"path": "tmx/doc4.tmx", "id": "doc4", "reason": failed},
        {"path": "jsonl/doc4.jsonl", "id": "doc4", "reason": failed},
    ]
    assert all((out / x["path"]).is_file() for x in summary["stale"])  # listed, not deleted
    assert r.output.rstrip().endswith(
        f"2 files in {out / 'tmx'} are from pairs not aligned in this run: doc3.tmx, doc4.tmx "
        "(see summary.json)"
    )
    (src / "doc4.zh.txt").write_bytes((corpus / "doc4.zh.txt").read_bytes())
    output_path(out, "doc3", "tmx").unlink()
    output_path(out, "doc3", "jsonl").unlink()
    assert run_batch(src, out, options(cache)).stale == []


def wait_for_journal(out: Path, proc: subprocess.Popen[str], lines: int = 1) -> int:
    journal = out / "journal.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists():
            got = journal.read_text(encoding="utf-8").count("\n")
            if got >= lines:
                return got
        time.sleep(0.005)
    raise AssertionError(f"the batch wrote no journal line; it exited with {proc.poll()}")


_HELD_AFTER_ONE_PAIR = """
import signal, sys, time
import align.batch.run as run
from align.cli import main
signal.signal(signal.SIGINT, signal.default_int_handler)
record, recorded = run._write, []
def held(*args, **kwargs):
    while recorded:
        time.sleep(0.01)
    recorded.append(True)
    return record(*args, **kwargs)
run._write = held
sys.argv[0] = "align"
main()
"""


_CTRL_C_AS_THE_JOURNAL_WRITES = """
import os, signal, sys
from align.batch.journal import Journal
from align.cli import main
signal.signal(signal.SIGINT, signal.default_int_handler)
record = Journal.record
def record_then_ctrl_c(self, entry):
    record(self, entry)
    os.kill(os.getpid(), signal.SIGINT)
Journal.record = record_then_ctrl_c
sys.argv[0] = "align"
main()
"""


def test_ctrl_c_as_a_pair_reaches_the_journal_still_counts_it_done(
    corpus: Path, cache: Path, tmp_path: Path
) -> None:
    """The summary used to be built from what was counted, the journal from what was
    written, and a Ctrl-C between the two left a pair in the journal that the summary
    called not run (a flaky failure of the test below). A pair is now counted first."""
    out = tmp_path / "out"
    env = {**os.environ, **ENV_NO_COLOR, "ALIGN_CACHE_DIR": str(cache)}
    args = ["batch", str(corpus), "-o", str(out)]
    r = subprocess.run(
        [sys.executable, "-c", _CTRL_C_AS_THE_JOURNAL_WRITES, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 130, r.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert journal_ids(out) == [pair["id"] for pair in summary["pairs"] if pair["status"] == "done"]
    assert summary["counts"]["done"] == 1 and summary["counts"]["not_run"] == 5


def test_interrupted_and_killed_runs_resume_cleanly(
    baseline: BatchResult, corpus: Path, cache: Path, tmp_path: Path
) -> None:
    """Ctrl-C and a kill mid-run. Each run is held after recording its first pair (a
    warm cache aligns the other five in milliseconds), so the signal always meets a run
    with pairs left; it takes Ctrl-C even where the tests were started in the background,
    whose children inherit SIGINT ignored."""
    out = tmp_path / "out"
    env = {**os.environ, **ENV_NO_COLOR, "ALIGN_CACHE_DIR": str(cache)}
    args = ["batch", str(corpus), "-o", str(out)]
    held = [sys.executable, "-c", _HELD_AFTER_ONE_PAIR, *args]
    cmd = [sys.executable, "-m", "align.cli", *args]

    proc = subprocess.Popen(held, env=env, stderr=subprocess.PIPE, text=True)
    wait_for_journal(out, proc)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "run the same command again to resume" in stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    after_ctrl_c = journal_ids(out)
    assert len(after_ctrl_c) == 1
    assert summary["counts"]["not_run"] == 5

    proc = subprocess.Popen(held, env=env, stderr=subprocess.PIPE, text=True)
    wait_for_journal(out, proc, len(after_ctrl_c) + 1)
    proc.kill()
    proc.communicate(timeout=60)
    after_kill = journal_ids(out)
    assert len(after_kill) == 2 and len(set(after_kill)) == 2
    for path in (out / "tmx").glob("*.tmx"):
        assert_valid_tmx(path)  # complete or absent, never half-written
    (out / "tmx" / ".doc5.tmx.leftover.tmp").write_bytes(b"<?xml")  # as a kill mid-write leaves

    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["skipped"] == len(after_kill)
    assert summary["counts"]["done"] == 6 - len(after_kill)
    assert sorted(journal_ids(out)) == [f"doc{k}" for k in range(6)]
    assert not list(out.rglob("*.tmp"))
    assert outputs(out) == outputs(baseline.outdir)


# --- failures -------------------------------------------------------------------------


def test_bad_pairs_are_reported_and_the_rest_is_aligned(
    corpus: Path, cache: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    shutil.copytree(corpus, src)
    (src / "empty.zh.txt").write_text("   \n", encoding="utf-8")
    shutil.copy(corpus / "doc0.en.txt", src / "empty.en.txt")
    shutil.copy(corpus / "doc0.zh.txt", src / "swapped.zh.txt")
    shutil.copy(corpus / "doc0.zh.txt", src / "swapped.en.txt")  # Chinese where English goes
    shutil.copy(corpus / "doc1.zh.txt", src / "doc1-ZH.txt")  # a second zh file for doc1
    (src / "lonely.zh.txt").write_text(" 大会，\n", encoding="utf-8")
    out = tmp_path / "out"
    env = {"ALIGN_CACHE_DIR": str(cache), **ENV_NO_COLOR}

    r = CliRunner().invoke(app, ["batch", str(src), "-o", str(out)], env=env)

    assert r.exit_code == EXIT_SOME_FAILED, r.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    reasons = {f["id"]: f["reason"] for f in summary["failed"]}
    assert set(reasons) == {"doc1", "empty", "swapped"}
    assert "2 'zh' files for doc1" in reasons["doc1"]
    assert "empty.zh.txt" in reasons["empty"] and "no text" in reasons["empty"]
    assert "swapped.en.txt" in reasons["swapped"] and "looks like Chinese" in reasons["swapped"]
    assert reasons["swapped"].endswith(MISNAMED)  # not "set --tgt-lang zh": that is every pair's
    assert "--tgt-lang zh or swap" not in reasons["swapped"]
    assert summary["counts"]["done"] == 5 and summary["counts"]["failed"] == 3
    assert [u["reason"] for u in summary["unpaired"]] == ["has no 'en' partner for lonely"]
    for pair_id, reason in reasons.items():
        assert f"failed {pair_id}: {reason}" in r.output
        assert not output_path(out, pair_id, "tmx").exists()
    assert "lonely.zh.txt: has no 'en' partner" in r.output
    assert sorted(journal_ids(out)) == ["doc0", "doc2", "doc3", "doc4", "doc5"]


def test_a_terminal_gets_a_live_bar_and_a_log_gets_plain_lines(
    corpus: Path, cache: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    shutil.copytree(corpus, src)
    shutil.copy(corpus / "doc0.zh.txt", src / "swapped.zh.txt")
    shutil.copy(corpus / "doc0.zh.txt", src / "swapped.en.txt")
    shutil.copy(corpus / "doc0.zh.txt", src / "N2316564.txt")  # read to be paired by its text
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache)}
    code, _, drawn = run_on_terminal("batch", str(src), "-o", str(tmp_path / "tty"), env=env)
    assert code == EXIT_SOME_FAILED, drawn
    assert "━" in drawn and "aligning" in drawn and "7/7" in drawn and "sentences/s" in drawn
    assert "reading" in drawn and "files to pair them by their text" in drawn
    assert "failed swapped: " in drawn and "looks like Chinese" in drawn
    piped = subprocess.run(
        [sys.executable, "-m", "align.cli", "batch", str(src), "-o", str(tmp_path / "log")],
        capture_output=True,
        text=True,
        env={**env, **ENV_NO_COLOR},
        timeout=300,
    )
    assert piped.returncode == EXIT_SOME_FAILED, piped.stderr
    assert "━" not in piped.stderr and "\x1b[" not in piped.stderr
    assert re.search(r"\[\d/7\] failed swapped: ", piped.stderr)
    assert "align batch: reading 1 file to pair them by their text\n" in piped.stderr
    assert outputs(tmp_path / "tty") == outputs(tmp_path / "log")


def test_force_writes_pairs_that_fail_the_translation_check(
    corpus: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a threshold no pair can reach, every pair fails the check: --force writes them
    with a warning, and a later run without --force does not count them as finished."""
    monkeypatch.setattr(task, "check_translation", partial(check_translation, threshold=1.01))
    out = tmp_path / "out"

    strict = run_batch(corpus, out, options(cache))
    assert [r.status for r in strict.results] == ["failed"] * 6
    assert all("do not look like translations" in r.reason for r in strict.results)
    assert not (out / "tmx").exists()

    forced = run_batch(corpus, out, options(cache, allow_mismatch=True))
    assert [r.status for r in forced.results] == ["done"] * 6
    assert all("written because of --anyway" in r.warnings[0] for r in forced.results)
    assert_valid_tmx(output_path(out, "doc0", "tmx"))
    assert [r.status for r in run_batch(corpus, out, options(cache)).results] == ["failed"] * 6


def test_a_pair_that_prints_two_documents_fails_unless_forced(
    corpus: Path, cache: Path, tmp_path: Path
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for lang, symbol in (("zh", "A/77/L.107"), ("en", "A/77/L.108")):
        text = (corpus / f"doc0.{lang}.txt").read_text(encoding="utf-8")
        (src / f"doc0.{lang}.txt").write_text(f"{symbol}\n\n{text}", encoding="utf-8")
    out = tmp_path / "out"

    strict = run_batch(src, out, options(cache)).results
    assert [r.status for r in strict] == ["failed"]
    assert "doc0.zh.txt prints A/77/L.107 but" in strict[0].reason
    assert "doc0.en.txt prints A/77/L.108" in strict[0].reason
    assert not (out / "tmx").exists()

    forced = run_batch(src, out, options(cache, allow_mismatch=True)).results
    assert [r.status for r in forced] == ["done"]
    assert forced[0].warnings[0].endswith("prints A/77/L.108: aligned all the same")
    assert_valid_tmx(output_path(out, "doc0", "tmx"))
    assert [r.status for r in run_batch(src, out, options(cache)).results] == ["failed"]


def test_a_pair_with_a_warning_other_than_a_mismatch_is_finished(
    corpus: Path, cache: Path, tmp_path: Path
) -> None:
    """Only a pair aligned although it looked like two documents is a mismatch to redo:
    a pair with a sentence cut for its length is done, and a rerun skips it."""
    src = tmp_path / "in"
    src.mkdir()
    for lang in ("zh", "en"):
        text = (corpus / f"doc0.{lang}.txt").read_text(encoding="utf-8")
        (src / f"doc0.{lang}.txt").write_text(text, encoding="utf-8")
    with (src / "doc0.en.txt").open("a", encoding="utf-8") as fh:
        fh.write("\n\n" + "word " * 2000 + "\n")
    out = tmp_path / "out"
    first = run_batch(src, out, options(cache)).results
    assert [r.status for r in first] == ["done"]
    assert "has a sentence of 9999 characters with no stop" in first[0].warnings[0]
    assert [r.status for r in run_batch(src, out, options(cache)).results] == ["skipped"]


def test_text_left_untranslated_is_told_at_the_end_of_the_run(
    corpus: Path, cache: Path, tmp_path: Path
) -> None:
    """An annex in the language of submission stays out of the pair's TM; the terminal's
    end-of-run summary says so, as summary.json does."""
    src = tmp_path / "in"
    src.mkdir()
    annex = "".join(
        f"{n}. The delegation of State {n} set out its position on the item in detail.\n\n"
        for n in range(1, 4)
    )
    for lang in ("zh", "en"):
        text = (CORPUS / f"{lang}.txt").read_text(encoding="utf-8")
        (src / f"doc0.{lang}.txt").write_text(f"{text}\n\n\f{annex}", encoding="utf-8")
    out = tmp_path / "out"
    env = {"ALIGN_CACHE_DIR": str(cache), **ENV_NO_COLOR}
    r = CliRunner().invoke(app, ["batch", str(src), "-o", str(out)], env=env)
    assert r.exit_code == 0, r.output
    warning = "doc0: left out of the TM: 3 bead(s) whose text is not translated"
    assert f"warnings (1):\n  {warning}" in r.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["warnings"][0].startswith(warning)
    assert "<seg>1. The delegation" not in output_path(out, "doc0", "tmx").read_text("utf-8")


def test_batch_level_problems_are_one_line_errors(tmp_path: Path, cache: Path) -> None:
    touch(tmp_path / "in" / "notes.txt")
    with pytest.raises(InputError) as exc:
        run_batch(tmp_path / "in", tmp_path / "out", options(cache))
    assert "no document pairs found" in str(exc.value) and "notes.txt" in str(exc.value)
    with pytest.raises(InputError, match="needs --scheduler"):
        run_batch(tmp_path / "in", tmp_path / "o", options(cache, executor="dask"))
    with pytest.raises(InputError, match="a folder of their own"):
        run_batch(tmp_path / "in", tmp_path / "in", options(cache))
    with pytest.raises(InputError, match="--jobs 0"):
        run_batch(tmp_path / "in", tmp_path / "o", options(cache, jobs=0))


def test_two_batches_cannot_share_an_outdir(corpus: Path, cache: Path, tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    with (out / ".batch.lock").open("a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        with pytest.raises(OutputError, match="another 'align batch' is writing"):
            run_batch(corpus, out, options(cache))


# --- merge ----------------------------------------------------------------------------


def test_merge_writes_one_deduplicated_tmx(corpus: Path, cache: Path, tmp_path: Path) -> None:
    src = tmp_path / "in"
    shutil.copytree(corpus, src)
    shutil.copy(corpus / "doc0.zh.txt", src / "copy.zh.txt")
    shutil.copy(corpus / "doc0.en.txt", src / "copy.en.txt")
    merged = tmp_path / "corpus.tmx"

    result = run_batch(src, tmp_path / "out", options(cache, merge=merged))

    assert_valid_tmx(merged)
    per_pair = [u for r in result.results for u in tmx.iter_units(result.tmx_path(r.id))]
    units = list(tmx.iter_units(merged))
    assert result.merge is not None and result.merge.units_in == len(per_pair) == 21
    assert len(units) == len({u.key() for u in per_pair}) == 18
    best: dict[bytes, float] = {}
    for u in per_pair:
        best[u.key()] = max(best.get(u.key(), -1.0), u.confidence or 0.0)
    for u in units:
        assert u.confidence == best[u.key()]
        docs = u.props("x-document")
        assert docs in (["copy", "doc0"], ["doc1"], ["doc2"], ["doc3"], ["doc4"], ["doc5"])
    assert sum(u.props("x-document") == ["copy", "doc0"] for u in units) == 3


def test_merge_never_replaces_an_input_nor_a_file_it_did_not_write(
    corpus: Path, cache: Path, tmp_path: Path
) -> None:
    """--merge used to overwrite whatever it named, an input document or a reviewed master
    TM included, and to find it named a folder only after every pair was aligned. Now all
    is checked first: an input never, another existing file with --force only, and the
    merge an earlier run into the same OUTDIR wrote is rewritten as the help says."""
    src = tmp_path / "in"
    shutil.copytree(corpus, src)
    english = (src / "doc0.en.txt").read_bytes()
    out = tmp_path / "out"
    manifest = touch(tmp_path / "pairs.csv", "doc0,in/doc0.zh.txt,in/doc0.en.txt\n")
    for given, force in ((src / "doc0.en.txt", False), (src / "doc0.en.txt", True)):
        with pytest.raises(OutputError) as exc:
            run_batch(src, out, options(cache, merge=given, overwrite=force))
        assert str(exc.value) == (
            f"{given} is an input ({given}): writing there would destroy it: choose another --merge"
        )
    with pytest.raises(OutputError, match="is an input"):
        run_batch(manifest, out, options(cache, merge=manifest, overwrite=True))
    with pytest.raises(OutputError, match=r"^--merge .*: is a folder: give a file name"):
        run_batch(src, out, options(cache, merge=tmp_path))
    inside = out / "tmx" / "all.tmx"
    with pytest.raises(OutputError, match="is a file the batch writes in"):
        run_batch(src, out, options(cache, merge=inside, overwrite=True))
    master = touch(tmp_path / "master.tmx", "a reviewed TM")
    with pytest.raises(OutputError) as exc:
        run_batch(src, out, options(cache, merge=master))
    assert "already exists and no earlier batch into" in str(exc.value)
    assert "pass --force to overwrite it, or choose another --merge" in str(exc.value)
    assert (src / "doc0.en.txt").read_bytes() == english
    assert master.read_text(encoding="utf-8") == "a reviewed TM"
    assert not out.exists()  # refused before anything was aligned or written

    merged = tmp_path / "corpus.tmx"
    assert run_batch(src, out, options(cache, merge=merged)).merge is not None
    run_batch(src, out, options(cache))  # a run without --merge in between
    again = run_batch(src, out, options(cache, merge=merged))  # its own merge: rewritten
    assert again.merge is not None and again.merge.units_out == 18
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["merge_files"] == [str(merged.resolve())]
    with pytest.raises(OutputError, match="no earlier batch into"):  # not another OUTDIR's
        run_batch(src, tmp_path / "other", options(cache, merge=merged))

    within = src / "all.tmx"  # in the input folder, as `align batch . --merge all.tmx` puts it
    assert run_batch(src, out, options(cache, merge=within)).merge is not None
    again = run_batch(src, out, options(cache, merge=within))  # not an input: never read
    assert again.merge is not None and again.merge.units_out == 18

    env = {"ALIGN_CACHE_DIR": str(cache), **ENV_NO_COLOR}
    args = ["batch", str(src), "-o", str(tmp_path / "forced"), "--merge", str(master)]
    r = CliRunner().invoke(app, args, env=env)
    assert isinstance(r.exception, OutputError) and "already exists" in str(r.exception)
    r = CliRunner().invoke(app, [*args, "--force"], env=env)
    assert r.exit_code == 0, r.output
    assert_valid_tmx(master)


# --- parallel -------------------------------------------------------------------------


def assert_same_alignments(got: dict[str, bytes], expected: dict[str, bytes]) -> None:
    """The same TMX files byte for byte, and the same JSONL up to float noise.

    A worker encodes with one BLAS thread, ``--jobs 1`` with several, and on some CPUs
    (AVX-512 OpenBLAS kernels) that moves an embedding by about 1e-7: the JSONL's
    unrounded similarity and confidence show it, the beads and the TMX do not.
    """
    assert got.keys() == expected.keys()
    for name, data in got.items():
        if not name.endswith(".jsonl"):
            assert data == expected[name], name
            continue
        rows = [json.loads(line) for line in data.decode().splitlines()]
        want = [json.loads(line) for line in expected[name].decode().splitlines()]
        assert len(rows) == len(want), name
        for row, ref in zip(rows, want, strict=True):
            floats = {k for k, v in ref.items() if isinstance(v, float)}
            assert {k: v for k, v in row.items() if k not in floats} == {
                k: v for k, v in ref.items() if k not in floats
            }, name
            for key in floats:
                assert row[key] == pytest.approx(ref[key], rel=0, abs=1e-5), (name, key)


def test_jobs_2_matches_jobs_1_and_loads_the_encoder_once_per_worker(
    baseline: BatchResult, corpus: Path, tmp_path: Path
) -> None:
    result = run_batch(corpus, tmp_path / "out", BatchOptions(jobs=2, cache_dir=tmp_path / "c"))
    assert result.executor == "process pool" and result.ok
    assert_same_alignments(outputs(tmp_path / "out"), outputs(baseline.outdir))
    by_worker: dict[str, int] = {}
    for r in result.results:
        assert r.worker and r.encoder_loads == 1
        by_worker[r.worker] = by_worker.get(r.worker, 0) + 1
    assert len(by_worker) <= 2 and max(by_worker.values()) >= 3
    assert result.cache_misses > 0  # the encoder really ran in the workers


def test_a_cache_no_worker_can_use_is_said_once_not_once_a_worker(
    corpus: Path, tmp_path: Path
) -> None:
    """With ``--jobs 2`` and a cache that cannot be opened, each worker printed the same
    warning: one line per worker, word for word. The workers hand it to the parent, which
    says each line once."""
    cache = tmp_path / "cache"
    (cache / DB_NAME).mkdir(parents=True)  # what is there cannot be opened, even by root
    out = tmp_path / "out"
    env = {**os.environ, **ENV_NO_COLOR, "ALIGN_CACHE_DIR": str(cache)}
    r = subprocess.run(
        [sys.executable, "-m", "align.cli", "batch", str(corpus), "-o", str(out), "--jobs", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    warning = f"embedding cache {cache / DB_NAME} cannot be used (unable to open database file)"
    assert r.stderr.count(warning) == 1, r.stderr
    assert r.stderr.count("cannot be used") == 1
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["done"] == 6 and summary["workers"] == 2


def test_a_worker_ended_by_sigterm_stamps_its_cache_hits_first(
    baseline: BatchResult, corpus: Path, cache: Path, tmp_path: Path
) -> None:
    """Ctrl-C, or a pool broken by a worker's death, ends the other workers with SIGTERM,
    which killed them with their cache hits not yet stamped as used (up to 2000 a worker):
    rows a batch had just used then looked unused and were evicted first. A worker now
    stamps them, then ends as the signal would have ended it."""
    warm = tmp_path / "cache"
    warm.mkdir()
    with sqlite3.connect(cache / DB_NAME) as held, sqlite3.connect(warm / DB_NAME) as copy:
        held.backup(copy)
        copy.execute("UPDATE vectors SET used = 0")
    spec = EncoderSpec(Settings().model, True, str(warm))
    task = PairTask(
        "doc0", str(corpus / "doc0.zh.txt"), str(corpus / "doc0.en.txt"), Settings(), spec
    )
    pool = PoolExecutor(1, spec)
    try:
        (outcome,) = pool.run([task])
        assert outcome.ok and outcome.cache_hits > 0 and outcome.cache_misses == 0
        (worker,) = pool._pool._processes.values()
        worker.terminate()
        worker.join(timeout=120)
        assert worker.exitcode == -signal.SIGTERM
    finally:
        pool.close(abort=True)
    with sqlite3.connect(warm / DB_NAME) as db:
        stamped, rows = db.execute(
            "SELECT count(*) FILTER (WHERE used > 0), count(*) FROM vectors"
        ).fetchone()
    assert 0 < stamped < rows  # what doc0 used, not the other pairs' vectors


# --- the shared embedding cache ---------------------------------------------------------

WRITER = textwrap.dedent(
    """
    import hashlib, sys, time
    import numpy as np
    from align.encoders import CachedEncoder

    class Digest:
        name, version, dim = "digest", "1", 8
        def encode(self, texts):
            rows = [list(hashlib.sha256(t.encode()).digest()[:8]) for t in texts]
            v = np.asarray(rows, dtype=np.float32) + 1
            return v / np.linalg.norm(v, axis=1, keepdims=True)

    folder, start, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    while time.time() < start:
        time.sleep(0.001)
    enc = CachedEncoder(Digest(), folder)
    rng = np.random.default_rng(seed)
    for _ in range(40):
        enc.encode([f"sentence {j}" for j in rng.choice(300, 10, replace=False)])
    """
)


def test_cache_takes_concurrent_writers(tmp_path: Path) -> None:
    """Six processes open a new cache at the same instant and write overlapping texts."""
    start = str(time.time() + 2)
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), start, str(seed)])
        for seed in range(6)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0] * 6
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
        keys = db.execute("SELECT count(*), count(DISTINCT key) FROM embeddings").fetchone()
    assert mode == "wal" and keys[0] == keys[1] > 200


class Unit8:
    name: str = "unit8"
    version: str = "1"
    dim: int = 8

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.tile(np.eye(8, dtype=np.float32)[0], (len(texts), 1))


def test_cache_waits_out_a_locked_database(tmp_path: Path) -> None:
    """Another process holding the write lock past SQLite's busy timeout delays, not fails."""
    enc = CachedEncoder(Unit8(), tmp_path)
    enc.busy_timeout_ms = 50
    enc.close()
    holder = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.6, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        assert enc.encode(["a", "b"]).shape == (2, 8)
    finally:
        release.join()
        holder.close()
    assert CachedEncoder(Unit8(), tmp_path).encode(["a", "b"]).shape == (2, 8)


# --- the command ------------------------------------------------------------------------


def test_help_teaches_layouts_and_exit_codes() -> None:
    r = CliRunner().invoke(app, ["batch", "--help"], env=ENV_NO_COLOR)
    assert r.exit_code == 0
    for words in ("NAME.zh.txt", "zh/NAME", "-ZH.pdf", "manifest", "--jobs", "--scheduler"):
        assert words in r.output
    assert f"{EXIT_SOME_FAILED} some pairs failed" in " ".join(r.output.split())


def test_a_file_this_tool_did_not_write_is_not_written_over_without_force(
    corpus: Path, cache: Path, baseline: BatchResult, tmp_path: Path
) -> None:
    """A TM of the user's in OUTDIR/tmx/ bearing a pair's name was replaced, exit 0."""
    out = tmp_path / "out"
    (out / "tmx").mkdir(parents=True)
    mine = out / "tmx" / "doc1.tmx"
    mine.write_bytes(b"<tmx>mine</tmx>")
    with pytest.raises(OutputError, match=r"doc1\.tmx exists, and this tool did not write it"):
        run_batch(corpus, out, options(cache))
    assert mine.read_bytes() == b"<tmx>mine</tmx>" and not (out / "jsonl").exists()
    done = run_batch(corpus, out, options(cache, overwrite=True))
    assert mine.read_bytes() != b"<tmx>mine</tmx>" and done.ok
    again = run_batch(corpus, out, options(cache, redo=True))  # its own outputs it rewrites
    assert [r.status for r in again.results] == ["done"] * len(again.results)


def test_a_version_in_a_third_language_is_said_to_be_one(tmp_path: Path) -> None:
    """``fr.htm`` beside zh.txt and en.txt was told it "has no language in its name" and to
    be renamed NAME.zh.txt; with the six UN languages, four such lines a document."""
    doc = tmp_path / "A_77_L.107"
    doc.mkdir()
    for name in ("zh.txt", "en.txt", "fr.htm", "ru.txt"):
        (doc / name).write_text("text\n", encoding="utf-8")
    (tmp_path / "A_77_L.108-ES.pdf").write_bytes(b"%PDF")
    found = discover(tmp_path)
    assert [p.id for p in found.pairs] == ["A_77_L.107"]
    reasons = {u.path.name: u.reason for u in found.unpaired}
    assert reasons["fr.htm"].startswith("is the French version (fr), not zh or en: left out")
    assert reasons["ru.txt"].startswith("is the Russian version (ru)")
    assert reasons["A_77_L.108-ES.pdf"].startswith("is the Spanish version (es)")
