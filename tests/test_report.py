"""The report: what a reviewer sees before trusting a TM."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pytest
from conftest import drawn_on_terminal
from rich.console import Console
from typer.testing import CliRunner

from align.cli import app
from align.cli_report import load_for_report
from align.errors import InputError
from align.report import render_plain, render_table, summarize, unaligned_runs
from align.review import Review
from align.types import Alignment, Bead, Segment
from align.writers import read_alignment, write_alignment
from align.writers.jsonl import JsonlWriter


def seg(text: str, n: int) -> Segment:
    return Segment(text=text, paragraph=n, start=0, end=len(text))


def make() -> Alignment:
    src = [
        seg("大会，", 0),
        seg("回顾其第59/48号决议，", 1),
        seg("多出的一句。", 2),
        seg("甲。", 3),
    ]
    tgt = [seg("The General Assembly,", 0), seg("Recalling its resolution 59/48,", 1)]
    tgt.append(seg("An extra English line.", 2))
    beads = [
        Bead((0,), (0,), 0.95),
        Bead((1,), (1,), 0.42),
        Bead((2,), (), 0.3),
        Bead((), (2,), 0.2),
        Bead((3,), (), 0.1),
    ]
    return Alignment("zh", "en", src, tgt, beads, {"encoder": "use-m3"}, "DOC")


def test_summary_counts() -> None:
    s = summarize(make())
    assert (s.src_segments, s.tgt_segments, s.beads, s.units) == (4, 3, 5, 2)
    assert s.by_kind == {"0-1": 1, "1-0": 2, "1-1": 2}
    assert s.unaligned_src == [2, 3] and s.unaligned_tgt == [2]
    assert s.low_confidence == 1
    assert abs(s.mean_confidence - (0.95 + 0.42) / 2) < 1e-9


def test_plain_report_lists_every_sentence_and_flags_low_confidence() -> None:
    text = render_plain(make())
    assert "[2] 1-1 conf=0.42 LOW" in text and "[1] 1-1 conf=0.95\n" in text
    assert "unaligned zh #2: 多出的一句。" in text
    assert "unaligned zh #3: 甲。" in text
    assert "unaligned en #2: An extra English line." in text
    assert "signature: encoder:use-m3" in text
    for s in make().src + make().tgt:
        assert s.text in text


def test_rich_table_shows_both_sides() -> None:
    buf = io.StringIO()
    Console(file=buf, width=120, color_system=None).print(render_table(make()))
    out = buf.getvalue()
    assert "The General Assembly," in out and "大会，" in out and "0.42" in out


def table_cells(out: str) -> list[list[str]]:
    """Each bead row of a rich table as its cells' texts, without the spaces (a cell's
    lines are joined where rich broke them)."""
    rows: list[list[str]] = []
    fresh = True
    for line in out.splitlines():
        if line.startswith("│"):
            cells = ["".join(c.split()) for c in line.strip("│").split("│")]
            if fresh:
                rows.append(cells)
            else:
                rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
            fresh = False
        else:
            fresh = True
    return rows


@pytest.mark.parametrize("english_first", [False, True])
def test_rich_table_shows_a_long_chinese_sentence_whole(english_first: bool) -> None:
    """A Chinese sentence has no space to wrap at: the table folds it over lines instead
    of cutting it to its first line with an ellipsis, whichever side it stands on."""
    zh = "还回顾其2004年12月2日关于给予上海合作组织大会观察员地位的第59/48号决议，" * 2
    en = "Recalling further its resolution 59/48 of 2 December 2004, granting observer status."
    sides = ([seg(en, 0)], [seg(zh, 0)]) if english_first else ([seg(zh, 0)], [seg(en, 0)])
    langs = ("en", "zh-CN") if english_first else ("zh", "en")
    a = Alignment(*langs, *sides, [Bead((0,), (0,), 0.9)])
    buf = io.StringIO()
    Console(file=buf, width=100, color_system=None).print(render_table(a))
    (row,) = table_cells(buf.getvalue())
    texts = ["".join(t.split()) for t in ((en, zh) if english_first else (zh, en))]
    assert row[3:5] == texts


def test_plain_report_gives_each_flag_its_reason_and_sums_them_by_flag() -> None:
    text = render_plain(make())
    block = text.split("[2] 1-1 conf=0.42 LOW\n", 1)[1].split("[3]", 1)[0]
    assert "  flag low-confidence: confidence 0.42 is below 0.5\n" in block
    assert "  flag numbers: numbers differ: " not in block  # 59/48 is on both sides
    assert "  flag one-sided: zh sentence with no en counterpart" in text
    assert "flagged beads: 4 of 5\n" in text
    summary = text.split("flagged beads:", 1)[1]
    assert re.search(r"\n  one-sided +3  a sentence with no counterpart", summary)
    assert re.search(r"\n  low-confidence +1  ", summary)
    assert re.search(r"\n  numbers +0  ", summary)
    assert summarize(make()).flags["one-sided"] == 3


def test_rich_report_shows_flags_column_and_summary_table() -> None:
    from align.report import print_report

    buf = io.StringIO()
    console = Console(file=buf, width=160, color_system=None, force_terminal=True)
    console.print(render_table(make()))
    out = buf.getvalue()
    assert "flags" in out and "low-confidence" in out and "one-sided" in out
    term = io.StringIO()
    term.isatty = lambda: True  # type: ignore[method-assign]
    print_report(make(), file=term)
    shown = term.getvalue()
    assert "flagged beads: 4 of 5" in shown and "meaning" in shown
    assert "signature: encoder:use-m3" in shown


def test_a_run_of_unaligned_sentences_is_named_as_a_block() -> None:
    """Four English sentences in a row with no Chinese: one line says so, then each is listed."""
    base = make()
    tgt = [*base.tgt, *(seg(f"Extra line {k}.", 3) for k in range(3))]
    beads = [*base.beads, *(Bead((), (j,), 0.9) for j in range(3, 6))]
    alignment = Alignment("zh", "en", base.src, tgt, beads, base.signature, "DOC")
    text = render_plain(alignment)
    assert (
        "en #2–#5: 4 sentences in a row with no zh counterpart: "
        "is a paragraph or page missing from the zh document?"
    ) in text
    assert "zh #2–#3" not in text
    for j in range(2, 6):
        assert f"unaligned en #{j}: {tgt[j].text}" in text
    assert unaligned_runs([9, 1, 2, 3, 5, 6, 7, 8]) == [(1, 3), (5, 9)]
    assert unaligned_runs([1, 2], least=2) == [(1, 2)]


def test_report_and_review_refuse_an_alignment_that_loses_a_sentence(tmp_path: Path) -> None:
    """Every sentence is in a unit or in the report as unaligned: a JSONL edited so that one
    is in no bead (or in two) is refused by both, not reported as fully aligned."""
    path = tmp_path / "a.jsonl"
    data = JsonlWriter().dumps(make())
    path.write_bytes(data)
    assert summarize(load_for_report(path)).unaligned_src == [2, 3]
    Review.open(path, save=False).close()
    for old, new, problem in (
        (b'"n": 5, "src": [3]', b'"n": 5, "src": []', "source sentence #3 is in no bead"),
        (
            b'"n": 3, "src": [2]',
            b'"n": 3, "src": [1]',
            "source sentence #1 is in beads 2 and 3",
        ),
    ):
        assert data.count(old) == 1
        path.write_bytes(data.replace(old, new))
        for load in (load_for_report, lambda p: Review.open(p, save=False)):
            with pytest.raises(InputError, match=f"a.jsonl: JSONL {problem}: the file was edited"):
                load(path)
    assert list(tmp_path.iterdir()) == [path]


def test_a_report_of_a_tmx_says_what_a_tm_cannot_show(tmp_path: Path) -> None:
    """A TM holds its units only: read back, a sentence left unaligned is not there and
    every unit is a 1-1 bead, so the report says so rather than look complete."""
    a = make()
    assert any(not b.src or not b.tgt for b in a.beads)
    write_alignment(a, tmp_path / "a.tmx")
    r = CliRunner().invoke(app, ["report", str(tmp_path / "a.tmx"), "--summary"])
    assert r.exit_code == 0, r.output
    assert f"note: {tmp_path / 'a.tmx'} is a TM" in r.output
    assert "not the sentences left unaligned" in r.output
    write_alignment(a, tmp_path / "a.jsonl")
    r = CliRunner().invoke(app, ["report", str(tmp_path / "a.jsonl"), "--summary"])
    assert r.exit_code == 0 and "is a TM" not in r.output


SGR = re.compile(r"\x1b\[([0-9;]*)m")
COLOUR = {*range(30, 39), *range(40, 49), *range(90, 98), *range(100, 108)}


def _styles(text: str) -> tuple[set[int], set[int]]:
    """The colour and the other attributes (bold 1, dim 2, ...) that ``text``'s escapes set."""
    params = {int(p) for codes in SGR.findall(text) for p in codes.split(";") if p}
    return params & COLOUR, params - COLOUR - {0}


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """What ``align ARGS`` draws with stdout and stderr on a pseudo-terminal."""
    code, drawn = drawn_on_terminal(*args, env=env)
    assert code == 0, drawn
    return drawn


def test_no_color_takes_the_colours_out_of_the_terminal_report_not_its_bold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """NO_COLOR (no-color.org) "prevents the addition of ANSI color": a low bead's red and
    the grey behind its row go, and its bold stays, as rich does for --help too."""
    from align.report import print_report

    def shown() -> str:
        term = io.StringIO()
        term.isatty = lambda: True  # type: ignore[method-assign]
        print_report(make(), file=term)
        return term.getvalue()

    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    colours, attributes = _styles(shown())
    assert {31, 32} <= colours and {1, 2} <= attributes
    monkeypatch.setenv("NO_COLOR", "1")
    colours, attributes = _styles(shown())
    assert not colours and {1, 2} <= attributes


def test_help_and_report_are_plain_text_on_a_pipe_and_colourless_under_no_color(
    tmp_path: Path,
) -> None:
    import os
    import subprocess
    import sys

    write_alignment(make(), tmp_path / "a.jsonl")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="120", ALIGN_CACHE_DIR=str(tmp_path / "cache"))
    for args in (["--help"], ["pair", "--help"], ["report", str(tmp_path / "a.jsonl")]):
        piped = subprocess.run(
            [sys.executable, "-m", "align.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert "\x1b" not in piped.stdout + piped.stderr, args
        assert _styles(_on_a_terminal(args, env))[0], args  # colour where it is not refused
        colours, attributes = _styles(_on_a_terminal(args, {**env, "NO_COLOR": "1"}))
        assert not colours and 1 in attributes, args


def test_a_bead_a_reviewer_cut_is_reported_without_a_score(tmp_path: Path) -> None:
    """A review's full export gives a merged bead no confidence (null): 'align report' of it
    failed with a traceback, and a TM that records none read as 0.00 LOW on every unit."""
    from align.review import export_jsonl

    review = Review(make())
    review.merge_down(0)
    everything = tmp_path / "everything.jsonl"
    export_jsonl(review, everything)
    runner = CliRunner()
    r = runner.invoke(app, ["report", str(everything)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "no aligner score (cut in review): 1" in r.output
    html = tmp_path / "r.html"
    r = runner.invoke(app, ["report", str(everything), "--html", str(html)])
    assert r.exit_code == 0, r.output
    page = html.read_text(encoding="utf-8")
    assert 'class="bead unscored"' in page and 'data-confidence=""' in page
    assert '<td class="conf">—</td>' in page

    merged = Alignment("zh", "en", make().src, make().tgt, [Bead((0, 1), (0, 1), math.nan)])
    tm = tmp_path / "tm.tmx"
    write_alignment(merged, tm)
    assert "x-confidence" not in tm.read_text(encoding="utf-8")
    text = render_plain(read_alignment(tm))
    assert "[1] 1-1 conf=—\n" in text and "LOW" not in text.split("\n\n")[0]
    s = summarize(read_alignment(tm))
    assert (s.units, s.unscored, s.low_confidence) == (1, 1, 0)
    tsv = tmp_path / "tm.tsv"
    write_alignment(merged, tsv)
    assert tsv.read_text(encoding="utf-8").splitlines()[1].split("\t")[2] == ""
