"""A real CAT tool uses our TMX: OmegaT pre-translates A/77/L.107 from it, every paragraph.

OmegaT's console mode loads a project, fills each segment that has an exact match
in a TMX under ``tm/auto`` and writes the target files. The project reads the
cleaned Chinese document as UTF-8 text, one segment per line (sentence
segmentation off), so every line of the target must be the English text of the
unit whose Chinese text is that line. The alignment is built by hand from the
checked reference, so the test does not depend on the aligner's quality.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CORPUS, paragraph_documents, run_align

from align.clean import clean
from align.evaluate import parse_beads
from align.paragraphs import by_paragraph
from align.readers import read_document
from align.segmenters import segment_document
from align.tmx import iter_units
from align.types import Alignment, Bead, CleanDocument
from align.writers import write_alignment

JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))
ENGLISH_TOKENIZER = "org.omegat.tokenizer.LuceneEnglishTokenizer"
FRENCH_TOKENIZER = "org.omegat.tokenizer.LuceneFrenchTokenizer"
JAVA = shutil.which("java")

pytestmark = pytest.mark.skipif(
    JAVA is None or not JAR.is_file(),
    reason=f"OmegaT not installed (need java and {JAR}): apt-get install omegat",
)

PROJECT = """\
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>{source}</source_lang>
    <target_lang>{target}</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
    <target_tok>{target_tok}</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""

# Project-specific filters: .txt is UTF-8 (OmegaT's default guesses from the locale)
# and a line break ends a segment (the default waits for an empty line).
FILTERS = """\
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters>
  <filter className="org.omegat.filters2.text.TextFilter" enabled="true">
    <files sourceFilenameMask="*.txt" targetFilenamePattern="${filename}"
           sourceEncoding="UTF-8" targetEncoding="UTF-8"/>
    <option name="segmentOn" value="BREAKS"/>
  </filter>
</filters>
"""


def _paragraph_alignment(zh: CleanDocument, en: CleanDocument) -> Alignment:
    """The reference beads as paragraph units (one OmegaT segment = one line)."""
    src, tgt = segment_document(zh), segment_document(en)
    reference = parse_beads((CORPUS / "reference.align").read_text(encoding="utf-8"))
    beads = [Bead(s_ids, t_ids, 1.0) for s_ids, t_ids in reference]
    return by_paragraph(Alignment("zh", "en", src, tgt, beads, document="A/77/L.107"))


def _pretranslate(
    tmp_path: Path, lines: list[str], write_tm: Callable[[Path], None], target: str, tok: str
) -> list[str]:
    """Run OmegaT's console translation of ``lines`` (zh-CN into ``target``) on a project
    whose ``tm/auto`` holds the TMX ``write_tm`` writes; the target file's lines."""
    project = tmp_path / "A_77_L.107"
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / folder).mkdir(parents=True)
    settings = PROJECT.format(source="zh-CN", target=target, target_tok=tok)
    (project / "omegat.project").write_text(settings, encoding="utf-8")
    (project / "omegat" / "filters.xml").write_text(FILTERS, encoding="utf-8")
    source = project / "source" / "A_77_L.107.zh.txt"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    tm = project / "tm" / "auto" / "A_77_L.107.tmx"
    write_tm(tm)
    run = subprocess.run(
        [
            str(JAVA),
            "-Djava.awt.headless=true",
            f"-Duser.home={tmp_path}",
            "-jar",
            str(JAR),
            "--mode=console-translate",
            f"--config-dir={tmp_path / 'omegat-config'}",
            "--no-team",
            "--disable-project-locking",
            str(project),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    output = run.stdout + run.stderr
    log = "\n".join(line for line in output.splitlines() if "PLUGIN_LOAD_OK" not in line)
    assert run.returncode == 0, log[-3000:]
    assert str(tm) in output, f"OmegaT did not read {tm}: {log[-3000:]}"
    translated = project / "target" / source.name
    assert translated.is_file(), f"no target written: {log[-3000:]}"
    got = translated.read_text(encoding="utf-8").splitlines()
    assert len(got) == len(lines)
    return got


def test_omegat_pretranslates_every_paragraph_from_our_tmx(tmp_path: Path) -> None:
    zh = clean(read_document(CORPUS / "zh.txt", "zh"), "zh")
    en = clean(read_document(CORPUS / "en.txt", "en"), "en")
    alignment = _paragraph_alignment(zh, en)
    lines = [block.text for block in zh.blocks]
    expected = {alignment.src_text(b): alignment.tgt_text(b) for b in alignment.beads}
    missing = [line for line in lines if line not in expected]
    assert not missing, f"reference.align does not cover these paragraphs: {missing[:3]}"

    def write_tm(tm: Path) -> None:
        result = write_alignment(alignment, tm)
        assert result.units == len(alignment.beads) and not result.skipped

    got = _pretranslate(tmp_path, lines, write_tm, "en-US", ENGLISH_TOKENIZER)
    wrong = [
        (zh_line, en_line)
        for zh_line, en_line in zip(lines, got, strict=True)
        if en_line != expected[zh_line]
    ]
    assert not wrong, f"{len(wrong)} paragraphs not pre-translated, e.g. {wrong[0]}"
    assert "The General Assembly," in got


def test_omegat_pretranslates_chinese_into_french_from_our_multilingual_tmx(
    tmp_path: Path, embedding_cache: Path
) -> None:
    """``align multi`` aligns the Chinese and the French each with the English; OmegaT
    takes the Chinese–French pairs the English never shows from the units."""
    from align.multilingual import align_versions
    from align.writers import multilingual_tmx

    versions = {"zh": CORPUS / "zh.txt", "en": CORPUS / "en.txt", "fr": CORPUS / "fr.htm"}
    multi = align_versions(versions, cache_dir=embedding_cache)
    zh = clean(read_document(CORPUS / "zh.txt", "zh"), "zh")
    lines = [block.text for block in zh.blocks]
    expected = {multi.text(u, "zh"): multi.text(u, "fr") for u in multi.units}
    assert set(lines) <= set(expected)

    got = _pretranslate(
        tmp_path, lines, lambda tm: multilingual_tmx.write(multi, tm), "fr-FR", FRENCH_TOKENIZER
    )
    wrong = [(z, f) for z, f in zip(lines, got, strict=True) if f != expected[z]]
    assert not wrong, f"{len(wrong)} paragraphs not pre-translated, e.g. {wrong[0]}"
    assert "L’Assemblée générale," in got


def test_a_paragraph_tm_pretranslates_paragraphs_a_sentence_tm_cannot(
    tmp_path: Path, embedding_cache: Path
) -> None:
    """A project that keeps paragraphs whole (sentence segmentation off) finds its
    paragraphs of several sentences in ``align pair --units paragraph``'s TMX; in the
    sentence TMX of the same alignment it finds only the paragraphs of one sentence."""
    zh_file, en_file, _ = paragraph_documents(tmp_path)
    lines = [block.text for block in clean(read_document(zh_file, "zh"), "zh").blocks]
    assert len(lines) >= 15
    tms = {}
    for units in ("paragraph", "sentence"):
        tms[units] = tmp_path / f"{units}.tmx"
        r = run_align(
            "pair", str(zh_file), str(en_file), "--units", units, "-o", str(tms[units]),
            "--no-report", cache=embedding_cache,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr

    def pretranslated(units: str) -> list[str]:
        root = tmp_path / units
        root.mkdir()
        copy = lambda tm: shutil.copy(tms[units], tm)  # noqa: E731
        got = _pretranslate(root, lines, copy, "en-US", ENGLISH_TOKENIZER)
        return [en for zh, en in zip(lines, got, strict=True) if en != zh]

    def pairs(units: str) -> dict[str, str]:
        return {u.variants[0].seg: u.variants[1].seg for u in iter_units(tms[units])}

    found = pretranslated("paragraph")
    assert len(found) >= 0.9 * len(lines), f"{len(found)} of {len(lines)} pre-translated"
    assert set(found) <= set(pairs("paragraph").values())
    one_sentence = [pairs("sentence")[line] for line in lines if line in pairs("sentence")]
    assert len(one_sentence) < len(lines) / 4
    assert pretranslated("sentence") == one_sentence
