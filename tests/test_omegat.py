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
from pathlib import Path

import pytest
from conftest import CORPUS

from align.clean import clean
from align.evaluate import parse_beads
from align.readers import read_document
from align.segmenters import segment_document
from align.types import Alignment, Bead, CleanDocument
from align.writers import write_alignment

JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))
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
    <source_lang>zh-CN</source_lang>
    <target_lang>en-US</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
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
    """The reference beads, joined per Chinese paragraph (one OmegaT segment = one line)."""
    src, tgt = segment_document(zh), segment_document(en)
    reference = parse_beads((CORPUS / "reference.align").read_text(encoding="utf-8"))
    by_paragraph: dict[int, tuple[list[int], list[int]]] = {}
    for s_ids, t_ids in reference:
        assert s_ids and t_ids, f"reference has a one-sided bead {s_ids}:{t_ids}"
        para = src[s_ids[0]].paragraph
        group = by_paragraph.setdefault(para, ([], []))
        group[0].extend(s_ids)
        group[1].extend(t_ids)
    beads = [Bead(tuple(s), tuple(t), 1.0) for s, t in by_paragraph.values()]
    return Alignment("zh", "en", src, tgt, beads, document="A/77/L.107")


def test_omegat_pretranslates_every_paragraph_from_our_tmx(tmp_path: Path) -> None:
    zh = clean(read_document(CORPUS / "zh.txt", "zh"), "zh")
    en = clean(read_document(CORPUS / "en.txt", "en"), "en")
    alignment = _paragraph_alignment(zh, en)
    lines = [block.text for block in zh.blocks]
    expected = {alignment.src_text(b): alignment.tgt_text(b) for b in alignment.beads}
    missing = [line for line in lines if line not in expected]
    assert not missing, f"reference.align does not cover these paragraphs: {missing[:3]}"

    project = tmp_path / "A_77_L.107"
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    (project / "omegat" / "filters.xml").write_text(FILTERS, encoding="utf-8")
    source = project / "source" / "A_77_L.107.zh.txt"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    tm = project / "tm" / "auto" / "A_77_L.107.tmx"
    result = write_alignment(alignment, tm)
    assert result.units == len(alignment.beads) and not result.skipped

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
    target = project / "target" / source.name
    assert target.is_file(), f"no target written: {log[-3000:]}"

    got = target.read_text(encoding="utf-8").splitlines()
    assert len(got) == len(lines)
    wrong = [
        (zh_line, en_line)
        for zh_line, en_line in zip(lines, got, strict=True)
        if en_line != expected[zh_line]
    ]
    assert not wrong, f"{len(wrong)} paragraphs not pre-translated, e.g. {wrong[0]}"
    assert "The General Assembly," in got
