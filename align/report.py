"""The terminal report a translator reads before trusting a TM.

Rich tables on a terminal; plain, greppable text otherwise (pipes, CI logs).
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from align.types import Alignment, Bead

LOW_CONFIDENCE = 0.5


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


def summarize(alignment: Alignment, low: float = LOW_CONFIDENCE) -> Summary:
    beads = alignment.beads
    units = [b for b in beads if b.src and b.tgt]
    src_un, tgt_un = alignment.unaligned()
    mean = sum(b.confidence for b in units) / len(units) if units else 0.0
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
    )


def _summary_lines(alignment: Alignment, s: Summary) -> list[str]:
    kinds = ", ".join(f"{k}: {n}" for k, n in s.by_kind.items())
    lines = [
        f"document: {alignment.document or '-'}",
        f"segments: {alignment.src_lang} {s.src_segments}, {alignment.tgt_lang} {s.tgt_segments}",
        f"beads: {s.beads} ({kinds}); translation units: {s.units}",
        f"mean confidence: {s.mean_confidence:.3f}; below {LOW_CONFIDENCE}: {s.low_confidence}",
        f"unaligned: {alignment.src_lang} {len(s.unaligned_src)}, "
        f"{alignment.tgt_lang} {len(s.unaligned_tgt)}",
    ]
    for i in s.unaligned_src:
        lines.append(f"  unaligned {alignment.src_lang} #{i}: {alignment.src[i].text}")
    for j in s.unaligned_tgt:
        lines.append(f"  unaligned {alignment.tgt_lang} #{j}: {alignment.tgt[j].text}")
    lines.append("signature: " + "|".join(f"{k}:{v}" for k, v in alignment.signature.items()))
    return lines


def render_plain(alignment: Alignment, *, beads: bool = True) -> str:
    """The report as plain text, one bead per block."""
    out: list[str] = []
    if beads:
        for n, b in enumerate(alignment.beads, 1):
            mark = " LOW" if b.confidence < LOW_CONFIDENCE else ""
            out.append(f"[{n}] {b.kind} conf={b.confidence:.2f}{mark}")
            out.append(f"  {alignment.src_lang}: {alignment.src_text(b)}")
            out.append(f"  {alignment.tgt_lang}: {alignment.tgt_text(b)}")
        out.append("")
    out.extend(_summary_lines(alignment, summarize(alignment)))
    return "\n".join(out) + "\n"


def _style(b: Bead) -> str:
    if not (b.src and b.tgt):
        return "magenta"
    if b.confidence < LOW_CONFIDENCE:
        return "bold red"
    if b.confidence < 0.7:
        return "yellow"
    return "green"


def render_table(alignment: Alignment) -> Table:
    table = Table(show_lines=True, expand=True, title=alignment.document or None)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    table.add_column(alignment.src_lang, ratio=1)
    table.add_column(alignment.tgt_lang, ratio=1)
    for n, b in enumerate(alignment.beads, 1):
        style = _style(b)
        table.add_row(
            str(n),
            b.kind,
            Text(f"{b.confidence:.2f}", style=style),
            alignment.src_text(b),
            alignment.tgt_text(b),
            style="on grey15" if style == "bold red" else None,
        )
    return table


def print_report(alignment: Alignment, *, file: TextIO | None = None, beads: bool = True) -> None:
    """Print the report: a rich table on a terminal, plain text otherwise."""
    stream = file or sys.stdout
    console = Console(file=stream)
    if not console.is_terminal:
        stream.write(render_plain(alignment, beads=beads))
        return
    if beads:
        console.print(render_table(alignment))
    for line in _summary_lines(alignment, summarize(alignment)):
        console.print(Text(line))
