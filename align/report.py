"""The terminal report a translator reads before trusting a TM.

Rich tables on a terminal; plain, greppable text otherwise (pipes, CI logs).
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from align.flags import (
    FLAG_CODES,
    LOW_CONFIDENCE,
    Flag,
    flag_alignment,
    flag_counts,
    shown,
)
from align.types import Alignment, Bead

__all__ = ["LOW_CONFIDENCE", "Summary", "print_report", "render_plain", "render_table", "summarize"]


@dataclass(frozen=True)
class Summary:
    """Numbers a reviewer checks first."""

    src_segments: int
    tgt_segments: int
    beads: int
    units: int
    by_kind: dict[str, int]
    unaligned_src: list[int]
    unaligned_tgt: list[int]
    low_confidence: int
    mean_confidence: float
    flags: dict[str, int] = field(default_factory=dict)
    """Beads raising each flag code (every code, zeros included)."""
    flagged: int = 0
    """Beads with at least one flag."""
    untranslated: list[int] = field(default_factory=list)
    """Beads left out of the TM as not translated (:func:`~align.writers.base.written_beads`)."""
    unscored: int = 0
    """Units with no aligner confidence (cut by a reviewer; a TM that records none), left
    out of the mean."""


def summarize(
    alignment: Alignment, low: float = LOW_CONFIDENCE, flags: list[list[Flag]] | None = None
) -> Summary:
    """The report's numbers; pass ``flags`` (:func:`align.flags.flag_alignment`) if known."""
    beads = alignment.beads
    if flags is None:
        flags = flag_alignment(alignment)
    untranslated = [
        i for i, found in enumerate(flags) if any(f.code == "untranslated" for f in found)
    ]
    left_out_ = set(untranslated)
    units = [b for i, b in enumerate(beads) if b.src and b.tgt and i not in left_out_]
    src_un, tgt_un = alignment.unaligned()
    scored = [b.confidence for b in units if math.isfinite(b.confidence)]
    mean = sum(scored) / len(scored) if scored else 0.0
    return Summary(
        src_segments=len(alignment.src),
        tgt_segments=len(alignment.tgt),
        beads=len(beads),
        units=len(units),
        by_kind=dict(sorted(Counter(b.kind for b in beads).items())),
        unaligned_src=src_un,
        unaligned_tgt=tgt_un,
        low_confidence=sum(1 for b in units if b.confidence < low),
        mean_confidence=mean,
        flags=flag_counts(flags),
        flagged=sum(1 for f in flags if f),
        untranslated=untranslated,
        unscored=len(units) - len(scored),
    )


def confidence_line(s: Summary) -> str:
    """The mean and how many units fall below :data:`LOW_CONFIDENCE`, of those scored."""
    mean = f"{s.mean_confidence:.3f}" if s.units > s.unscored else "—"
    unscored = f"; no aligner score (cut in review): {s.unscored}" if s.unscored else ""
    return f"{mean}; below {LOW_CONFIDENCE}: {s.low_confidence}{unscored}"


MISSING_RUN = 3
"""Unaligned sentences in a row from which the report names the run as a block: a
paragraph or page one document lacks (or its extraction lost) is another mistake
than one sentence left untranslated, and it is checked against the other PDF."""


def unaligned_runs(ids: Sequence[int], least: int = MISSING_RUN) -> list[tuple[int, int]]:
    """First and last of each run of at least ``least`` consecutive sentence indices."""
    runs: list[tuple[int, int]] = []
    for i in sorted(ids):
        if runs and i == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return [(a, b) for a, b in runs if b - a + 1 >= least]


def missing_blocks(alignment: Alignment, s: Summary) -> list[str]:
    """One line per run of unaligned sentences (:func:`unaligned_runs`), for the report."""
    lines = []
    for ids, have, lack in (
        (s.unaligned_src, alignment.src_lang, alignment.tgt_lang),
        (s.unaligned_tgt, alignment.tgt_lang, alignment.src_lang),
    ):
        for first, last in unaligned_runs(ids):
            lines.append(
                f"{have} #{first}–#{last}: {last - first + 1} sentences in a row with no "
                f"{lack} counterpart: is a paragraph or page missing from the {lack} document?"
            )
    return lines


def left_out(beads: Sequence[int]) -> str:
    """The report's line for the beads left out of the TM as not translated."""
    runs = unaligned_runs(beads, least=1)
    where = ", ".join(f"[{a + 1}]" if a == b else f"[{a + 1}]–[{b + 1}]" for a, b in runs)
    return (
        f"left out of the TM: {len(beads)} bead(s) whose text is not translated (the same on "
        f"both sides, or in the other side's language): {where}"
    )


def _summary_lines(alignment: Alignment, s: Summary, *, by_flag: bool = True) -> list[str]:
    kinds = ", ".join(f"{k}: {n}" for k, n in s.by_kind.items())
    lines = [
        f"document: {alignment.document or '-'}",
        f"segments: {alignment.src_lang} {s.src_segments}, {alignment.tgt_lang} {s.tgt_segments}",
        f"beads: {s.beads} ({kinds}); translation units: {s.units}",
        f"mean confidence: {confidence_line(s)}",
        f"unaligned: {alignment.src_lang} {len(s.unaligned_src)}, "
        f"{alignment.tgt_lang} {len(s.unaligned_tgt)}",
    ]
    lines.extend(f"  {line}" for line in missing_blocks(alignment, s))
    if s.untranslated:
        lines.append(f"  {left_out(s.untranslated)}")
    for i in s.unaligned_src:
        lines.append(f"  unaligned {alignment.src_lang} #{i}: {alignment.src[i].text}")
    for j in s.unaligned_tgt:
        lines.append(f"  unaligned {alignment.tgt_lang} #{j}: {alignment.tgt[j].text}")
    if by_flag:
        lines.extend(flag_summary_lines(s))
    lines.append("signature: " + "|".join(f"{k}:{v}" for k, v in alignment.signature.items()))
    return lines


def flag_summary_lines(s: Summary) -> list[str]:
    """The summary by flag: how many beads raise each one, and what it means."""
    lines = [f"flagged beads: {s.flagged} of {s.beads}"]
    width = max(map(len, s.flags), default=0)
    for code, count in s.flags.items():
        meaning = FLAG_CODES.get(code, "")
        lines.append(f"  {code:<{width}} {count:>5}  {meaning}".rstrip())
    return lines


def render_plain(
    alignment: Alignment, *, beads: bool = True, flags: list[list[Flag]] | None = None
) -> str:
    """The report as plain text, one bead per block; each flag on a ``  flag CODE: reason`` line."""
    out: list[str] = []
    if flags is None:
        flags = flag_alignment(alignment)
    if beads:
        for n, (b, bead_flags) in enumerate(zip(alignment.beads, flags, strict=True), 1):
            mark = " LOW" if b.confidence < LOW_CONFIDENCE else ""
            out.append(f"[{n}] {b.kind} conf={shown(b.confidence)}{mark}")
            out.append(f"  {alignment.src_lang}: {alignment.src_text(b)}")
            out.append(f"  {alignment.tgt_lang}: {alignment.tgt_text(b)}")
            out.extend(f"  flag {f.code}: {f.reason}" for f in bead_flags)
        out.append("")
    out.extend(_summary_lines(alignment, summarize(alignment, flags=flags)))
    return "\n".join(out) + "\n"


def _style(b: Bead) -> str:
    if not (b.src and b.tgt):
        return "magenta"
    if b.confidence < LOW_CONFIDENCE:
        return "bold red"
    if b.confidence < 0.7:
        return "yellow"
    return "green"


def _flag_cell(flags: list[Flag]) -> Text:
    cell = Text()
    for n, f in enumerate(flags):
        if n:
            cell.append("\n")
        cell.append(f.code, style="bold yellow")
        cell.append(f": {f.reason}", style="dim")
    return cell


def render_table(alignment: Alignment, flags: list[list[Flag]] | None = None) -> Table:
    """One row per bead: type, confidence (coloured), both sides, and the flags with reasons."""
    if flags is None:
        flags = flag_alignment(alignment)
    table = Table(show_lines=True, expand=True, title=alignment.document or None)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    # "fold": a Chinese sentence has no space to wrap at, and the default ellipsis cut it
    # to its first line.
    table.add_column(alignment.src_lang, ratio=2, overflow="fold")
    table.add_column(alignment.tgt_lang, ratio=2, overflow="fold")
    table.add_column("flags", ratio=1, overflow="fold")
    for n, (b, bead_flags) in enumerate(zip(alignment.beads, flags, strict=True), 1):
        style = _style(b)
        table.add_row(
            str(n),
            b.kind,
            Text(shown(b.confidence), style=style),
            alignment.src_text(b),
            alignment.tgt_text(b),
            _flag_cell(bead_flags),
            style="on grey15" if style == "bold red" else None,
        )
    return table


def render_flag_table(summary: Summary) -> Table:
    """The summary by flag, for the terminal."""
    title = f"flagged beads: {summary.flagged} of {summary.beads}"
    table = Table(title=title, title_justify="left")
    table.add_column("flag", no_wrap=True)
    table.add_column("beads", justify="right", no_wrap=True)
    table.add_column("meaning")
    for code, count in summary.flags.items():
        style = "bold yellow" if count else "dim"
        table.add_row(Text(code, style=style), str(count), FLAG_CODES.get(code, ""))
    return table


def print_report(
    alignment: Alignment,
    *,
    file: TextIO | None = None,
    beads: bool = True,
    flags: list[list[Flag]] | None = None,
) -> None:
    """Print the report: a rich table on a terminal, plain text otherwise."""
    stream = file or sys.stdout
    console = Console(file=stream)
    if flags is None:
        flags = flag_alignment(alignment)
    if not console.is_terminal:
        stream.write(render_plain(alignment, beads=beads, flags=flags))
        return
    summary = summarize(alignment, flags=flags)
    if beads:
        console.print(render_table(alignment, flags))
    *lines, signature = _summary_lines(alignment, summary, by_flag=False)
    for line in lines:
        console.print(Text(line))
    console.print(render_flag_table(summary))
    console.print(Text(signature))
