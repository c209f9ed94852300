"""Inputs that must not break ``align pair``: each gives one line that names the file, says
what is wrong and what to do, a non-zero exit, and leaves the output folder untouched.

The "output already exists" case is tests/test_cli.py::
test_existing_output_is_not_overwritten_without_force.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from conftest import BENCH, CAPSH, CORPUS, run_bound_by_modes
from conftest import run_align as run
from tmxcheck import assert_valid_tmx

from align.errors import InputError, NotTranslation
from align.pipeline import (
    MIN_TRANSLATION_SCORE,
    Prepared,
    check_language,
    check_translation,
    prepare,
)
from align.readers import read_document
from align.types import Alignment, Bead, RawDocument
from align.writers import read_tmx_units

ZH = CORPUS / "zh.txt"
EN = CORPUS / "en.txt"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def assert_refused(
    r: subprocess.CompletedProcess[str], folder: Path, before: dict[str, bytes], *words: str
) -> str:
    """One error line naming what is given, exit code 2, nothing written."""
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    line = lines[0].lower()
    for word in words:
        assert word.lower() in line, (word, line)
    assert "Traceback" not in r.stderr
    assert listing(folder) == before
    return lines[0]


def refused(tmp_path: Path, src: Path, tgt: Path, cache: Path, *words: str) -> str:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "old.tmx").write_bytes(b"old")
    before = listing(out_dir)
    r = run("pair", str(src), str(tgt), "-o", str(out_dir / "new.tmx"), cache=cache)
    return assert_refused(r, out_dir, before, *words)


# -- unreadable files ------------------------------------------------------------------------


def test_empty_file(tmp_path: Path, cache: Path) -> None:
    bad = tmp_path / "empty.en.txt"
    bad.write_bytes(b"")
    refused(tmp_path, ZH, bad, cache, "empty.en.txt", "empty", "check")


def test_binary_file(tmp_path: Path, cache: Path) -> None:
    bad = tmp_path / "image.en.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    refused(tmp_path, ZH, bad, cache, "image.en.txt", "png")


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("doc.en.txt", b"{\\rtf1\\ansi\\deff0 \\f0 The General Assembly,\\par}", ("rtf", ".rtf")),
        (
            "page.en.txt",
            b"<!DOCTYPE html>\n<html><body>The Assembly,</body></html>",
            ("web", ".html"),
        ),
        (
            "memory.tmx",
            b'\xef\xbb\xbf<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            b'<tmx version="1.4"><header/><body/></tmx>',
            ("translation memory", "align tmx"),
        ),
        ("doc.en.xml", b'<?xml version="1.0"?>\n<w:document/>', ("xml", "plain text")),
    ],
)
def test_markup_is_not_taken_for_text(
    tmp_path: Path, cache: Path, name: str, data: bytes, words: tuple[str, ...]
) -> None:
    """RTF (saved as .txt: a .rtf is read through LibreOffice), HTML, XML and a TM given
    by mistake used to be read as text, control words and tags included, and aligned (or
    refused only as 'not translations')."""
    bad = tmp_path / name
    bad.write_bytes(data)
    refused(tmp_path, ZH, bad, cache, name, "looks like", *words)


def test_truncated_utf8(tmp_path: Path, cache: Path) -> None:
    text = ZH.read_text(encoding="utf-8").rstrip()
    assert len(text[-1].encode("utf-8")) == 3  # cutting one byte leaves half a character
    bad = tmp_path / "cut.zh.txt"
    bad.write_bytes(text.encode("utf-8")[:-1])
    refused(tmp_path, bad, EN, cache, "cut.zh.txt", "truncated", "again")


def test_pdf_without_text_layer(tmp_path: Path, cache: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    bad = tmp_path / "scan.en.pdf"
    with bad.open("wb") as fh:
        writer.write(fh)
    refused(tmp_path, ZH, bad, cache, "scan.en.pdf", "no text layer", "ocr")


def test_over_size_input_is_refused_before_reading(tmp_path: Path, cache: Path) -> None:
    big = tmp_path / "big.en.txt"
    with big.open("wb") as fh:
        fh.truncate(101 * 1024 * 1024)  # sparse: no disk, and it must not be read into memory
    with pytest.raises(InputError, match="big.en.txt.*over the input limit of 50.0 MiB"):
        read_document(big, "en")
    line = refused(tmp_path, ZH, big, cache, "big.en.txt", "101.0 mib", "limit", "split")
    assert line.endswith(
        ": split the document, or save a copy without its pictures "
        "(read_document's max_bytes= raises the limit)"
    )  # it said "or raise align.readers.base.MAX_INPUT_BYTES", a name only a programmer knows


def test_output_parent_is_a_file(tmp_path: Path, cache: Path) -> None:
    blocker = tmp_path / "out" / "report.txt"
    blocker.parent.mkdir()
    blocker.write_text("not a folder", encoding="utf-8")
    before = listing(blocker.parent)
    out = blocker / "new.tmx"
    r = run("pair", str(ZH), str(EN), "-o", str(out), cache=cache)
    assert_refused(r, blocker.parent, before, str(out), "is a file", "choose another -o")


@pytest.mark.parametrize(
    "command",
    [
        ["pair", "{zh}", "{en}", "-o", "{en}", "-f", "tmx", "--force"],
        ["pair", "{zh}", "{en}", "-o", "./{zh_name}", "--force"],
        ["multi", "{zh}", "{en}", "-o", "{zh}", "--force"],
        ["report", "{jsonl}", "--html", "{jsonl}", "--force"],
        ["review", "{jsonl}", "--export", "{jsonl}", "--force"],
    ],
)
def test_no_output_replaces_an_input_even_with_force(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """``--force`` overwrites an earlier output, and also aligns unlike texts, so users
    learn to add it: it must never let a run write over a document it reads."""
    folder = tmp_path / "docs"
    folder.mkdir()
    zh, en, jsonl = folder / "zh.txt", folder / "en.txt", folder / "a.jsonl"
    zh.write_bytes(ZH.read_bytes())
    en.write_bytes(EN.read_bytes())
    jsonl.write_text('{"type": "header"}\n', encoding="utf-8")
    monkeypatch.chdir(folder)
    names = {"zh": str(zh), "en": str(en), "jsonl": str(jsonl), "zh_name": zh.name}
    before = listing(folder)
    r = run(*(word.format(**names) for word in command), cache=cache)
    assert_refused(r, folder, before, "is an input", "would destroy it", "choose another")


@pytest.mark.parametrize("value", ["0", "-1", "11"])
@pytest.mark.parametrize("command", ["pair", "batch", "eval", "report", "review", "multi"])
def test_max_bead_out_of_range_is_one_line(
    tmp_path: Path, cache: Path, command: str, value: str
) -> None:
    """0 used to end in a traceback, and 100000 in the kernel killing the run."""
    out = tmp_path / "out"
    out.mkdir()
    args = {
        "pair": ["pair", str(ZH), str(EN), "-o", str(out / "a.tmx")],
        "batch": ["batch", str(CORPUS.parent), "-o", str(out / "batch")],
        "eval": ["eval", *(str(BENCH / "pol-dev" / d) for d in ("zh", "en", "gold"))],
        "report": ["report", str(ZH), str(EN)],
        "review": ["review", str(ZH), str(EN), "-o", str(out / "a.jsonl")],
        "multi": ["multi", str(ZH), str(EN), "-o", str(out / "m.tmx")],
    }[command]
    r = run(*args, "--max-bead", value, cache=cache)
    assert_refused(r, out, {}, f"--max-bead {value}", "from 1 to 10")


@pytest.mark.skipif(os.geteuid() == 0 and CAPSH is None, reason="root without capsh")
@pytest.mark.parametrize(
    "command",
    [
        ["pair", "{txt}", str(EN), "-o", "{out}/a.tmx"],
        ["clean", "{txt}"],
        ["report", "{jsonl}", "--summary"],
        ["tmx", "validate", "{tmx}"],
        ["tmx", "stats", "{tmx}"],
        ["tmx", "merge", "{tmx}", "-o", "{out}/m.tmx"],
        ["tmx", "convert", "{tmx}", "-o", "{out}/c.tsv"],
        ["tmx", "convert", "{tsv}", "-o", "{out}/c.tmx"],
    ],
)
def test_a_file_without_read_permission_is_one_line(
    tmp_path: Path, cache: Path, command: list[str]
) -> None:
    """Typer's own check printed a usage box without a way out; lxml's open, a traceback."""
    locked = tmp_path / "locked"
    locked.mkdir()
    files = {"txt": "zh.txt", "jsonl": "a.jsonl", "tmx": "a.tmx", "tsv": "a.tsv"}
    for name in files.values():
        (locked / name).write_bytes(ZH.read_bytes())
        (locked / name).chmod(0)
    out = tmp_path / "out"
    out.mkdir()
    names = {k: str(locked / v) for k, v in files.items()} | {"out": str(out)}
    tmp_path.chmod(0o755)
    r = run_bound_by_modes(*(word.format(**names) for word in command), cache=cache)
    target = "validate" in command and r.stdout.strip() or r.stderr.strip()
    assert r.returncode in (1, 2), (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Usage:" not in r.stderr
    assert "permission denied" in target.lower() and "locked/" in target, (r.stdout, r.stderr)
    assert listing(out) == {}


# -- the wrong documents -----------------------------------------------------------------------


def test_languages_swapped(tmp_path: Path, cache: Path) -> None:
    line = refused(tmp_path, EN, ZH, cache, "looks like chinese, not en", "swap the files")
    assert line.startswith(f"error: {ZH}")
    assert "(100% of its letters are Chinese characters)" in line and "CJK" not in line


def test_an_english_source_with_the_target_language_forgotten_says_which_to_set(
    tmp_path: Path, cache: Path
) -> None:
    """``align pair en.txt zh.txt --src-lang en``: the files are in the right order, so
    "swap the files" first would be the wrong advice; the language to give is named."""
    before = listing(tmp_path)
    r = run(
        "pair", str(EN), str(ZH), "--src-lang", "en", "-o", str(tmp_path / "t.tmx"), cache=cache
    )
    line = assert_refused(r, tmp_path, before, "looks like chinese, not en")
    assert line.endswith("set --tgt-lang zh or swap the files"), line


def test_the_french_version_given_as_english_is_refused_unless_anyway(
    tmp_path: Path, cache: Path
) -> None:
    french = CORPUS / "fr.htm"
    line = refused(tmp_path, ZH, french, cache, "looks like french, not en", "--tgt-lang fr")
    assert line.startswith(f"error: {french}")
    out = tmp_path / "forced.tmx"
    r = run("pair", str(ZH), str(french), "-o", str(out), "--anyway", "--no-report", cache=cache)
    assert r.returncode == 0, r.stderr
    assert out.is_file()


def test_chinese_side_without_chinese_is_refused() -> None:
    doc = prepare(RawDocument(EN.read_text(encoding="utf-8"), "doc.zh.txt", "utf-8", "zh"))
    with pytest.raises(
        InputError, match=r"doc.zh.txt: looks like English, not zh: set --src-lang en or swap"
    ):
        check_language(doc, "--src-lang")
    digits = prepare(RawDocument("A/77/L.107 " * 9 + "annex table", "t.zh.txt", "utf-8", "zh"))
    with pytest.raises(
        InputError,
        match=r"t.zh.txt: looks like it is not zh \(only 0% of its letters are Chinese char",
    ):  # "CJK characters" was a programmer's word
        check_language(digits, "--src-lang")


def test_a_language_in_latin_letters_given_as_another_is_refused(tmp_path: Path) -> None:
    """A French version given as English would be written into the TM as English units;
    its commonest words say what it is. English with French names in it is English; a
    language with no word list (Swahili, Catalan) is not judged by the others' words."""
    french = read_document(CORPUS / "fr.htm", "en")
    with pytest.raises(InputError, match=r"fr.htm: looks like French, not en: set --tgt-lang fr"):
        check_language(prepare(french), "--tgt-lang")
    check_language(prepare(read_document(CORPUS / "fr.htm", "fr-FR")), "--tgt-lang")
    check_language(prepare(french), "--tgt-lang", by_words=False)  # --anyway: as given
    english = EN.read_text(encoding="utf-8") + " Le Monde, la Société des Nations, Les Misérables."
    check_language(prepare(RawDocument(english, "en.txt", "utf-8", "en")), "--tgt-lang")
    check_language(prepare(RawDocument(english, "en.txt", "utf-8", "sw")), "--tgt-lang")


JAPANESE = (
    "国際連合総会は、2004年12月2日の決議59/48を想起し、上海協力機構に総会のオブザーバー資格"
    "を付与したことを想起する。\n\n また、国連と上海協力機構との協力に関する決議を想起する。\n"
)


def test_japanese_given_as_chinese_is_refused() -> None:
    """Japanese writes ideographs too, so the script alone let it through as Chinese, into
    a TM whose "zh-CN" units were Japanese; its kana give it away (Chinese writes none)."""
    japanese = prepare(RawDocument(JAPANESE, "ja.txt", "utf-8", "zh"))
    with pytest.raises(InputError, match=r"ja.txt: looks like Japanese, not zh: set --src-lang ja"):
        check_language(japanese, "--src-lang")
    check_language(prepare(RawDocument(JAPANESE, "ja.txt", "utf-8", "ja")), "--src-lang")
    check_language(japanese, "--src-lang", by_words=False)  # --anyway: as given
    quoting = ZH.read_text(encoding="utf-8") + "\n\n 见《国連と上海協力機構》。\n"
    check_language(prepare(RawDocument(quoting, "zh.txt", "utf-8", "zh")), "--src-lang")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_right_language_and_short_texts_pass(lang: str) -> None:
    check_language(prepare(read_document(CORPUS / f"{lang}.txt", lang)), "--src-lang")
    short: Prepared = prepare(RawDocument("大会决议", "x.txt", "utf-8", "en"))
    check_language(short, "--tgt-lang")  # too few letters to judge


@pytest.mark.parametrize(("codec", "expected"), [("gb18030", "gb18030"), ("big5", "big5")])
def test_legacy_chinese_encodings_work_and_are_reported(
    tmp_path: Path, cache: Path, codec: str, expected: str
) -> None:
    text = ZH.read_text(encoding="utf-8")
    if codec == "big5":
        text = "".join(ch for ch in text if _in_big5(ch))
    src = tmp_path / f"doc.{codec}.zh.txt"
    src.write_bytes(text.encode(codec))
    out = tmp_path / "out.tmx"
    r = run("pair", str(src), str(EN), "-o", str(out), "--no-report", cache=cache)
    assert r.returncode == 0, r.stderr
    assert f"read {src} as {expected}" in r.stderr
    assert f"read {EN} as utf-8" in r.stderr
    assert_valid_tmx(out)


def _in_big5(ch: str) -> bool:
    try:
        ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


@pytest.fixture(scope="module")
def unrelated_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """English of the same shape as a UN document, from a novel: not a translation of A/77/L.107."""
    source = BENCH / "mac-dev" / "en" / "001"
    if not source.exists():
        pytest.skip(f"{source} not available")
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = tmp_path_factory.mktemp("unrelated") / "novel.en.txt"
    path.write_text("".join(f" {line}\n\n" for line in lines[:80]), encoding="utf-8")
    return path


def refused_then_forced(tgt: Path, tmp_path: Path, cache: Path) -> tuple[str, str]:
    """``align pair ZH tgt``: exit 3, one line that offers --anyway, nothing written; then
    with --anyway, a warning and a valid TM. Returns the line and the forced run's stderr."""
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "new.tmx"
    r = run("pair", str(ZH), str(tgt), "-o", str(out), cache=cache)
    assert r.returncode == 3, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr and "--anyway" in lines[0]
    assert list(out_dir.iterdir()) == []
    overwrite = run("pair", str(ZH), str(tgt), "-o", str(out), "--force", cache=cache)
    assert overwrite.returncode == 3 and not out.exists()  # --force only overwrites
    forced = run("pair", str(ZH), str(tgt), "-o", str(out), "--anyway", cache=cache)
    assert forced.returncode == 0 and "warning:" in forced.stderr, forced.stderr
    assert_valid_tmx(out)
    return lines[0], forced.stderr


def test_documents_that_are_not_translations_write_nothing_and_exit_3(
    tmp_path: Path, cache: Path, unrelated_en: Path
) -> None:
    line, forced = refused_then_forced(unrelated_en, tmp_path, cache)
    assert str(unrelated_en) in line and "not look like translations" in line
    assert "not look like translations" in forced


def another_resolution(folder: Path) -> Path:
    """The English of another resolution on cooperation with a regional organization: the
    same text with another organization's name, symbol and job number."""
    text = EN.read_text(encoding="utf-8")
    for old, new in (
        ("Shanghai Cooperation Organization", "Collective Security Treaty Organization"),
        ("A/77/L.107", "A/77/L.108"),
        ("16564", "16601"),
    ):
        assert old in text
        text = text.replace(old, new)
    path = folder / "A_77_L.108.en.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_different_documents_write_nothing_and_exit_3(tmp_path: Path, cache: Path) -> None:
    """Two resolutions that differ by an organization's name read as translations of each
    other (every bead 1-1, confident); their page headers tell them apart."""
    other = another_resolution(tmp_path)
    line, forced = refused_then_forced(other, tmp_path, cache)
    assert f"{ZH} prints A/77/L.107 but {other} prints A/77/L.108" in line
    assert "prints A/77/L.108: aligned all the same" in forced

    r = run("report", str(ZH), str(other), cache=cache)  # a report is for looking: it warns
    assert r.returncode == 0 and "prints A/77/L.108: aligned all the same" in r.stderr, r.stderr
    assert "Collective Security Treaty Organization" in r.stdout


def test_different_documents_are_refused_before_the_encoder_is_loaded(tmp_path: Path) -> None:
    from align.errors import DifferentDocuments
    from align.pipeline import align_files

    with pytest.raises(DifferentDocuments, match="prints A/77/L.108"):
        align_files(ZH, another_resolution(tmp_path), encoder=_NoEncoder())


class _NoEncoder:
    """An encoder that must not be called."""

    name, version, dim = "none", "0", 512

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise AssertionError("the encoder was called")


def with_annex(folder: Path, paragraphs: int) -> tuple[Path, Path]:
    """A/77/L.107 with an annex "circulated in the language of submission only": the same
    English paragraphs in the Chinese version as in the English."""
    annex = "".join(
        f" {n}. The delegation of State {n} set out its position on item {n} of the agenda "
        "and asked that it be recorded.\n\n"
        for n in range(1, paragraphs + 1)
    )
    paths = []
    for source, note in (
        (ZH, " 附件仅以提交语文分发。\n\n"),
        (EN, " The annex is being circulated in the language of submission only.\n\n"),
    ):
        path = folder / f"annexed.{source.stem}.txt"
        text = source.read_text(encoding="utf-8")
        path.write_text(f"{text}\n\n{note}\f Annex\n\n{annex}", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def test_an_annex_in_the_language_of_submission_stays_out_of_the_tm(
    tmp_path: Path, cache: Path
) -> None:
    """Its English paragraphs and its heading pair with themselves; as units they would
    offer English as the Chinese. The report says which beads were left out."""
    zh, en = with_annex(tmp_path, 6)
    out = tmp_path / "annexed.tmx"
    r = run("pair", str(zh), str(en), "-o", str(out), cache=cache)
    assert r.returncode == 0, r.stderr
    units = read_tmx_units(out)
    assert len(units) == 43 and not any("delegation of State" in s for s, _, _ in units)
    assert "Annex" not in {s for s, _, _ in units}
    assert "translation units: 43" in r.stdout
    assert "left out of the TM: 7 bead(s) whose text is not translated" in r.stdout


def test_a_chinese_document_mostly_in_another_language_is_aligned_with_anyway(
    tmp_path: Path, cache: Path
) -> None:
    """A long annex makes the Chinese version mostly English: refused as not Chinese, with
    --anyway offered, since it has thousands of Chinese characters; --anyway aligns it."""
    zh, en = with_annex(tmp_path, 80)
    out = tmp_path / "annexed.tmx"
    r = run("pair", str(zh), str(en), "-o", str(out), cache=cache)
    assert r.returncode == 2 and not out.exists()
    assert f"{zh}: looks like English, not zh" in r.stderr
    assert "an annex in the language of submission), pass --anyway" in r.stderr
    r = run("pair", str(zh), str(en), "-o", str(out), "--anyway", cache=cache)
    assert r.returncode == 0, r.stderr
    assert len(read_tmx_units(out)) == 43
    assert "left out of the TM: 81 bead(s)" in r.stdout


def _bench_lines(name: str, lang: str, doc: str) -> list[str]:
    path = BENCH / name / lang / doc
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(
    ("case", "is_translation"),
    [
        ("the shipped pair", True),
        ("three unrelated sentences", False),
        ("two stretches of one novel", False),
        ("two novels", False),
    ],
)
def test_translation_score_tells_translations_from_look_alikes(
    tmp_path: Path, cache: Path, case: str, is_translation: bool
) -> None:
    """Unrelated texts can still be cut into clear beads; their similarity gives them away."""
    from align.encoders import load_encoder
    from align.pipeline import align_files, check_translation

    novel_zh = _bench_lines("mac-dev", "zh", "001")
    novel_en = _bench_lines("mac-dev", "en", "001")
    other_en = _bench_lines("mac-dev", "en", "002")
    speech_en = _bench_lines("pol-dev", "en", "002")
    texts = {
        "three unrelated sentences": (novel_zh[100:103], speech_en[500:503]),
        "two stretches of one novel": (novel_zh[:100], novel_en[-100:]),
        "two novels": (novel_zh[:100], other_en[:100]),
    }
    if case in texts:
        src, tgt = tmp_path / "src.txt", tmp_path / "tgt.txt"
        for path, lines in zip((src, tgt), texts[case], strict=True):
            path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    else:
        src, tgt = ZH, EN
    alignment = align_files(src, tgt, encoder=load_encoder("use", cache_dir=cache))
    if is_translation:
        assert check_translation(alignment, src, tgt) > 2 * MIN_TRANSLATION_SCORE
    else:
        with pytest.raises(NotTranslation):
            check_translation(alignment, src, tgt)


def test_one_text_given_twice_is_not_a_translation() -> None:
    """A copy of the original where the translation should be aligns bead for bead, each
    with the highest similarity: most beads being the same text gives it away. A few (an
    annex in the language of submission) do not."""
    from align.types import Segment

    paragraphs = [p.strip() for p in EN.read_text(encoding="utf-8").split("\n\n")]
    src = [Segment(t, n, 0, len(t)) for n, t in enumerate(p for p in paragraphs if len(p) > 40)]
    src = src[:10]
    beads = [Bead((n,), (n,), 0.99, 0.9) for n in range(10)]
    with pytest.raises(NotTranslation, match=r"a and b are mostly the same text \(10 of 10"):
        check_translation(Alignment("en", "fr", src, src, beads), "a", "b")
    french = [Segment(f"Le paragraphe {n} est traduit en français.", n, 0, 1) for n in range(6)]
    some = Alignment("en", "fr", src, [*french, *src[6:]], beads)
    assert check_translation(some, "a", "b") > MIN_TRANSLATION_SCORE


def _alignment(similarities: list[float], one_sided: int) -> Alignment:
    from align.types import Segment

    n, m = len(similarities), len(similarities) + one_sided
    src = [Segment(f"第{i}句。", i, 0, 4) for i in range(n)]
    tgt = [Segment(f"Sentence {j}.", j, 0, 11) for j in range(m)]
    beads = [Bead((i,), (i,), 0.99, s) for i, s in enumerate(similarities)]
    beads += [Bead((), (n + k,), 0.0) for k in range(one_sided)]
    return Alignment("zh", "en", src, tgt, beads)


def test_translation_score_threshold() -> None:
    good = _alignment([0.6] * 40, 1)
    assert check_translation(good, "a", "b") > MIN_TRANSLATION_SCORE
    with pytest.raises(NotTranslation, match="a and b do not look like translations"):
        check_translation(_alignment([0.2] * 20, 0), "a", "b")  # all 1-1, confident, unrelated
    with pytest.raises(NotTranslation) as long_text:
        check_translation(_alignment([0.6] * 10, 30), "a", "b")  # mostly one-sided
    assert "too few" not in str(long_text.value)
    with pytest.raises(NotTranslation, match=r"below 0\.30; only 4 beads, too few for the score"):
        check_translation(_alignment([0.28] * 4, 0), "a", "b")  # a short passage of a novel
    with pytest.raises(NotTranslation):
        check_translation(_alignment([], 0), "a", "b")


# -- atomic output -----------------------------------------------------------------------------

WRITER = """
import sys
from align.atomic import atomic_output
with atomic_output(sys.argv[1], force=True) as fh:
    fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\\n<tmx version="1.4"><body>\\n')
    fh.flush()
    print("writing", flush=True)
    while True:
        fh.write(b'<tu><tuv xml:lang="en"><seg>' + b"x" * 4000 + b"</seg></tuv></tu>\\n")
"""


@pytest.mark.parametrize("old", [None, b"<tmx>old, complete</tmx>\n"])
def test_killed_writer_leaves_no_partial_output(tmp_path: Path, old: bytes | None) -> None:
    target = tmp_path / "big.tmx"
    if old is not None:
        target.write_bytes(old)
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
        temp = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert temp, "the writer should be writing a temporary file"
        deadline = time.monotonic() + 30
        while temp[0].stat().st_size < 4 * 1024 * 1024:  # well into a large write
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.001)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    if old is None:
        assert not target.exists()
    else:
        assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".tmp")] == (
        [] if old is None else ["big.tmx"]
    )


@pytest.mark.parametrize(
    ("command", "option", "code", "says"),
    [
        ("pair {zh} {en} -o {out}/a.tmx", "--tgt-lang", "en-UK", "write en-GB"),
        ("pair {zh} {en} -o {out}/a.tmx", "--src-lang", "chinese", "write zh"),
        ("batch {corpus} -o {out}/b", "--tgt-lang", "eng", "write en"),
        ("eval {pol}/zh {pol}/en {pol}/gold", "--src-lang", "zh-CHS", "write zh-Hans"),
        ("multi {zh} {en} -o {out}/m.tmx", "--langs", "zh,jp", "write ja"),
        ("clean {zh}", "--lang", "cn", "write zh"),
        ("report {zh} {en} --html {out}/r.html", "--tgt-lang", "en-EN", "en-US"),
        ("tmx convert {out}/t.tsv -o {out}/t.tmx", "--tgt-lang", "zz", "no language's code"),
    ],
)
def test_a_language_code_no_cat_tool_knows_is_one_line_before_any_work(
    tmp_path: Path, cache: Path, command: str, option: str, code: str, says: str
) -> None:
    """It went into every xml:lang of the TM (``en-UK``, ``english``), which CAT tools
    file under no language; an unknown one also lost its language's cleaning rules."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "t.tsv").write_text("甲\tA\n", encoding="utf-8")
    before = listing(out)
    names = {"zh": ZH, "en": EN, "out": out, "corpus": CORPUS.parent, "pol": BENCH / "pol-dev"}
    r = run(*command.format(**names).split(), option, code, cache=cache)
    assert_refused(r, out, before, f"{option} '{code.split(',')[-1]}'", says)


def test_review_does_not_write_its_tm_over_a_file_it_did_not_write(
    tmp_path: Path, cache: Path
) -> None:
    """``align review a.jsonl --tmx main.tmx`` replaced an existing TM with the review's
    accepted beads, without --force; the review's own TM it still rewrites."""
    from align.review import Review, export_tmx, written_by_review

    jsonl = tmp_path / "a.jsonl"
    r = run("pair", str(ZH), str(EN), "-o", str(jsonl), cache=cache)
    assert r.returncode == 0, r.stderr
    out = tmp_path / "out"
    out.mkdir()
    main = out / "main.tmx"
    main.write_bytes(b"<tmx/>")
    before = listing(out)
    r = run("review", str(jsonl), "--tmx", str(main), cache=cache)
    assert_refused(r, out, before, "main.tmx already exists", "not this review's tm", "--force")
    r = run("review", str(jsonl), "--export", str(main), cache=cache)
    assert_refused(r, out, before, "main.tmx already exists", "choose another --export")

    review = Review.open(jsonl)
    try:
        mine = tmp_path / "a.reviewed.tmx"
        export_tmx(review, mine)
        assert review.path is not None and written_by_review(mine, review.path)
    finally:
        review.close()
    assert not written_by_review(mine, tmp_path / "b.review.jsonl")
    assert not written_by_review(main, review.path) and not written_by_review(EN, review.path)


def test_an_output_name_with_brackets_is_printed_as_written(tmp_path: Path, cache: Path) -> None:
    """``-o 'v[draft].tmx'`` printed ``wrote v.tmx`` (rich markup), and ``v[/b].tmx`` ended
    in a MarkupError traceback after the TM was written."""
    for name in ("v[draft].tmx", "v[/b].tmx"):
        r = run("pair", str(ZH), str(EN), "-o", str(tmp_path / name), cache=cache)
        assert r.returncode == 0, r.stderr
        assert f"wrote {tmp_path / name}" in r.stderr and (tmp_path / name).is_file()


@pytest.mark.parametrize(
    ("command", "says"),
    [
        (
            "pair {zh} {en} -o {out}/k.tmx -f tsv",
            "named as tmx but the format given is tsv (--format tsv",
        ),
        ("pair {zh} {en} -o {out}/k.xyz", "cannot tell the output format"),
        ("tmx merge {tm} -o {out}/m.tsv", "merge writes tmx: name it .tmx"),
        ("tmx filter {tm} -o {out}/f.jsonl --min-confidence 0.5", "filter writes tmx"),
        ("tmx convert {tm} -o {out}/c.tsv --src-lang fr", "gives the languages of a tsv's columns"),
    ],
)
def test_an_output_named_as_another_format_is_refused_before_any_work(
    tmp_path: Path, cache: Path, command: str, says: str
) -> None:
    """``-o k.tmx -f tsv`` wrote TSV into k.tmx, and ``tmx merge -o m.tsv`` TMX into m.tsv:
    files a CAT tool reads as broken; ``-o k.xyz`` failed only after the alignment."""
    out = tmp_path / "out"
    out.mkdir()
    tm = tmp_path / "a.tmx"
    tm.write_text(
        '<?xml version="1.0"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en-US" '
        'srclang="zh-CN" datatype="plaintext"/><body><tu><tuv xml:lang="zh-CN"><seg>甲</seg>'
        '</tuv><tuv xml:lang="en-US"><seg>A</seg></tuv></tu></body></tmx>\n',
        encoding="utf-8",
    )
    names = {"zh": ZH, "en": EN, "out": out, "tm": tm}
    r = run(*command.format(**names).split(), cache=cache)
    assert_refused(r, out, {}, says)


_CTRL_C_WHILE_ALIGNING = """
import os, signal, sys
import align.pipeline
from align.cli import main
signal.signal(signal.SIGINT, signal.default_int_handler)
def ctrl_c(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGINT)
align.pipeline.align_files = ctrl_c
sys.argv[0] = "align"
main()
"""


def test_ctrl_c_is_one_line_and_exit_130(tmp_path: Path, cache: Path) -> None:
    """typer ended a Ctrl-C with exit 130 and nothing said, in every command but batch."""
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache), "NO_COLOR": "1", "COLUMNS": "300"}
    args = ["pair", str(ZH), str(EN), "-o", str(out / "a.tmx")]
    r = subprocess.run(
        [sys.executable, "-c", _CTRL_C_WHILE_ALIGNING, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 130, r.stderr
    assert r.stderr.strip().splitlines() == [
        "interrupted: nothing was left half-written (every output is written whole, or not at all)"
    ]
    assert listing(out) == {}


def test_an_output_that_is_a_folder_is_refused_before_any_work(tmp_path: Path, cache: Path) -> None:
    """``-o FOLDER`` said "already exists: pass --force", and with --force failed only after
    the alignment, with "cannot tell the output format from 'no suffix'"."""
    out = tmp_path / "out"
    (out / "tms").mkdir(parents=True)
    for force in ([], ["--force"]):
        r = run("pair", str(ZH), str(EN), "-o", str(out / "tms"), *force, cache=cache)
        assert_refused(r, out, {}, "tms is a folder: give -o a file name")


def test_report_aligns_now_with_the_max_bead_given(cache: Path) -> None:
    """They aligned with the default 5 whatever a pair run had used: a run could not be
    reproduced there."""
    from align.cli_report import load_for_report

    aligned = load_for_report(ZH, EN, max_bead=3)
    assert aligned.signature["align.max_bead"] == "3"


# -- the command line itself -------------------------------------------------------------------

ALIGN = "python -m align.cli"
"""What click calls the program run as ``python -m align.cli``, as the help and errors say it."""


def _options(command: str) -> str:
    return f"({ALIGN} {command} --help lists every option)"


@pytest.mark.parametrize(
    ("words", "says"),
    [
        pytest.param(
            "pair {zh} {en} -o {out}/a.tmx --format xyz",
            "--format 'xyz': give one of tmx, tsv, jsonl " + _options("pair"),
            id="a-choice-not-offered",
        ),
        pytest.param(
            "batch {corpus} -o {out}/b --executor slurm",
            "--executor 'slurm': give one of local, dask " + _options("batch"),
            id="a-choice-not-offered-batch",
        ),
        pytest.param(
            "multi {zh} {en} -o {out}/m.tmx --units page",
            "--units 'page': give one of sentence, paragraph " + _options("multi"),
            id="a-choice-not-offered-multi",
        ),
        pytest.param(
            "pair {zh} {en} --max-bead two",
            "--max-bead 'two': not a whole number: give one, such as 5 " + _options("pair"),
            id="not-a-whole-number",
        ),
        pytest.param(
            "tmx filter {zh} -o {out}/f.tmx --min-confidence high",
            "--min-confidence 'high': not a number: give one " + _options("tmx filter"),
            id="not-a-number",
        ),
        pytest.param(
            "batch {corpus} -o {out}/b -j 0",
            "--jobs '0': out of range: give 1 or more " + _options("batch"),
            id="a-number-out-of-range",
        ),
        pytest.param(
            "pair {zh} {en} --bogus",
            f"{ALIGN} pair has no option --bogus " + _options("pair"),
            id="no-such-option",
        ),
        pytest.param(
            "pair {zh} {en} --forc",
            f"{ALIGN} pair has no option --forc: did you mean --force or --format? "
            + _options("pair"),
            id="no-such-option-with-a-guess",
        ),
        pytest.param(
            "cache info --everything",
            f"{ALIGN} cache info has no option --everything " + _options("cache info"),
            id="no-such-option-cache",
        ),
        pytest.param(
            "--bogus",
            f"{ALIGN} has no option --bogus ({ALIGN} --help lists every option)",
            id="no-such-option-before-the-command",
        ),
        pytest.param(
            "pair {zh} {en} -o",
            "-o needs a value after it " + _options("pair"),
            id="an-option-without-its-value",
        ),
        pytest.param(
            "tmx merge {zh} {en} -o",
            "-o needs a value after it " + _options("tmx merge"),
            id="an-option-without-its-value-tmx",
        ),
        pytest.param(
            "clean {zh} --lang",
            "--lang needs a value after it " + _options("clean"),
            id="an-option-without-its-value-clean",
        ),
        pytest.param(
            "pair {zh} {en} --report=yes",
            "--report takes no value: give --report alone " + _options("pair"),
            id="a-flag-given-a-value",
        ),
        pytest.param(
            "pair {zh}",
            f"{ALIGN} pair needs TGT_FILE: write {ALIGN} pair SRC_FILE TGT_FILE "
            f"({ALIGN} pair --help says what each is)",
            id="a-missing-argument",
        ),
        pytest.param(
            "eval {zh} {en}",
            f"{ALIGN} eval needs GOLD_DIR: write {ALIGN} eval SRC_DIR TGT_DIR GOLD_DIR "
            f"({ALIGN} eval --help says what each is)",
            id="a-missing-argument-eval",
        ),
        pytest.param(
            "report",
            f"{ALIGN} report needs ALIGNMENT: write {ALIGN} report ALIGNMENT [TGT_FILE] "
            f"({ALIGN} report --help says what each is)",
            id="a-missing-argument-report",
        ),
        pytest.param(
            "tmx validate",
            f"{ALIGN} tmx validate needs FILE ({ALIGN} tmx validate --help says what each is)",
            id="the-only-argument-missing",
        ),
        pytest.param(
            "batch {corpus}",
            f"{ALIGN} batch needs --output " + _options("batch"),
            id="a-missing-option",
        ),
        pytest.param(
            "pair {zh} {en} {out}/a.tmx",
            "too many arguments ({out}/a.tmx left over): give "
            f"{ALIGN} pair SRC_FILE TGT_FILE, quote a path with spaces in it, and give each "
            "option its name " + _options("pair"),
            id="an-argument-too-many",
        ),
        pytest.param(
            "paar {zh} {en}",
            f"{ALIGN} has no command 'paar': did you mean pair? ({ALIGN} --help lists every "
            "command)",
            id="no-such-command",
        ),
        pytest.param(
            "tmx valdate {zh}",
            f"{ALIGN} tmx has no command 'valdate': did you mean validate? ({ALIGN} tmx "
            "--help lists every command)",
            id="no-such-command-tmx",
        ),
        pytest.param(
            "cache empty",
            f"{ALIGN} cache has no command 'empty' ({ALIGN} cache --help lists every command)",
            id="no-such-command-cache",
        ),
    ],
)
def test_a_command_line_typer_refuses_is_one_line_exit_2(
    tmp_path: Path, cache: Path, words: str, says: str
) -> None:
    """Typer drew these as a box of several lines under a usage line and a "Try … --help"
    line, and said a choice as "Value error, 'xyz' is not one of 'tmx', 'tsv', 'jsonl'.";
    the line stays whole in a narrow terminal."""
    out = tmp_path / "out"
    out.mkdir()
    names = {"zh": ZH, "en": EN, "out": out, "corpus": CORPUS.parent}
    env = {**os.environ, "ALIGN_CACHE_DIR": str(cache), "NO_COLOR": "1", "COLUMNS": "40"}
    r = subprocess.run(
        [sys.executable, "-m", "align.cli", *words.format(**names).split()],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == ["error: " + says.format(**names)]
    assert not r.stdout and listing(out) == {}
