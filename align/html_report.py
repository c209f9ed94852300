"""The report as one self-contained HTML page, for sharing a batch run's results.

One file, inline CSS, no script, no font, image or stylesheet fetched: it opens the
same from an e-mail attachment, a shared drive or an air-gapped machine. Each bead
is a table row (``tr.bead``) with both sides, its type, its confidence as a colour,
and the flags with their reasons; unaligned sentences are rows with an empty side.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

from align.atomic import atomic_write
from align.flags import FLAG_CODES, LOW_CONFIDENCE, Flag, flag_alignment, shown
from align.report import confidence_line, left_out, missing_blocks, summarize
from align.types import Alignment, Bead

SURE = 0.7
"""At or above this confidence a bead is shown green; between LOW_CONFIDENCE and this, amber."""
MAX_LINKS = 40
"""Beads linked per flag in the summary."""

_CSS = """
:root { --ink: #1d232a; --muted: #5b6670; --line: #d5dbe1; --sure: #2e7d32; --fair: #b7791f;
  --low: #c62828; --none: #7b3fa0; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem 2rem; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
  "Microsoft YaHei", "PingFang SC", sans-serif; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.muted, .index { color: var(--muted); }
table { border-collapse: collapse; }
.facts td, .facts th, .by-flag td, .by-flag th { padding: .15rem .75rem .15rem 0; text-align: left;
  vertical-align: top; }
.by-flag td.count { text-align: right; font-variant-numeric: tabular-nums; }
.by-flag tr.quiet { color: var(--muted); }
.by-flag tr.quiet .code { background: #eef0f2; color: var(--muted); }
.where { font-size: .8rem; color: var(--muted); } .where a { color: inherit; margin-right: .2rem; }
tr.bead:target { outline: 3px solid #1565c0; outline-offset: -3px; }
.legend span { display: inline-block; margin-right: 1rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem;
  vertical-align: -.1rem; border-radius: 2px; }
table.beads { width: 100%; table-layout: fixed; margin-top: .5rem; }
table.beads th { position: sticky; top: 0; background: #f3f5f7; text-align: left;
  border-bottom: 2px solid var(--line); padding: .35rem .5rem; }
table.beads td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; vertical-align: top;
  overflow-wrap: anywhere; }
col.n { width: 3.5rem; } col.kind { width: 3.5rem; } col.conf { width: 4.5rem; }
col.flags { width: 22%; }
tr.bead td:first-child { border-left: 5px solid var(--sure); }
tr.fair td:first-child { border-left-color: var(--fair); }
tr.low td:first-child { border-left-color: var(--low); }
tr.one-sided td:first-child { border-left-color: var(--none); }
tr.unscored td:first-child { border-left-color: var(--line); }
tr.low { background: #fdecea; }
tr.one-sided { background: #f5eefa; }
td.conf { font-weight: 600; font-variant-numeric: tabular-nums; }
tr.sure td.conf { color: var(--sure); } tr.fair td.conf { color: var(--fair); }
tr.low td.conf { color: var(--low); } tr.one-sided td.conf { color: var(--none); }
td.side p { margin: 0 0 .3rem; }
td.side p:last-child { margin-bottom: 0; }
td.side .index { font-size: .75rem; margin-right: .35rem; }
td.empty { color: var(--none); font-style: italic; }
ul.flags { margin: 0; padding: 0; list-style: none; }
ul.flags li { margin-bottom: .3rem; }
.code { display: inline-block; font-size: .8rem; font-weight: 600; padding: 0 .35rem;
  border-radius: 3px; background: #fff3cd; color: #6b4e00; margin-right: .3rem; }
.links { font-size: .8rem; margin-top: .25rem; }
.links a { color: var(--muted); margin-right: .5rem; }
dl.signature { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem;
  font-size: .85rem; }
dl.signature dt { color: var(--muted); } dl.signature dd { margin: 0; font-family: monospace; }
@media print { table.beads th { position: static; } body { padding: 0; } }
"""


def confidence_class(bead: Bead) -> str:
    """The colour band of a bead: ``one-sided``, ``unscored`` (cut by a reviewer), ``low``,
    ``fair`` or ``sure``."""
    if not (bead.src and bead.tgt):
        return "one-sided"
    if not math.isfinite(bead.confidence):
        return "unscored"
    if bead.confidence < LOW_CONFIDENCE:
        return "low"
    if bead.confidence < SURE:
        return "fair"
    return "sure"


def _side_cell(alignment: Alignment, bead: Bead, side: str) -> str:
    lang = alignment.src_lang if side == "src" else alignment.tgt_lang
    other = alignment.tgt_lang if side == "src" else alignment.src_lang
    indices = bead.src if side == "src" else bead.tgt
    segments = alignment.src if side == "src" else alignment.tgt
    if not indices:
        # The note is in the page's English, not in the side's language: lang="zh" on it
        # would have a screen reader read it, and a browser set it, as Chinese.
        return (
            f'<td class="side {side} empty">'
            f"no {escape(lang)} sentence matches this {escape(other)} text</td>"
        )
    paragraphs = []
    links: dict[str, None] = {}
    for i in indices:
        seg = segments[i]
        note = (
            f" footnote {escape(seg.footnote)}" if seg.kind == "footnote" and seg.footnote else ""
        )
        paragraphs.append(
            f'<p class="seg" data-index="{i}"><span class="index">#{i}{note}</span>'
            f"{escape(seg.text)}</p>"
        )
        links.update(dict.fromkeys(seg.links))
    link_html = ""
    if links:
        anchors = "".join(
            f'<a href="{escape(url)}" rel="noreferrer">{escape(url)}</a>'
            for url in links
            if url.startswith(("http://", "https://"))
        )
        link_html = f'<div class="links">{anchors}</div>' if anchors else ""
    return f'<td class="side {side}" lang="{escape(lang)}">{"".join(paragraphs)}{link_html}</td>'


def _flags_cell(flags: list[Flag]) -> str:
    if not flags:
        return '<td class="flags"></td>'
    items = "".join(
        f'<li class="flag" data-code="{escape(f.code)}"><span class="code">{escape(f.code)}</span>'
        f"{escape(f.reason)}</li>"
        for f in flags
    )
    return f'<td class="flags"><ul class="flags">{items}</ul></td>'


def _bead_row(alignment: Alignment, n: int, bead: Bead, flags: list[Flag]) -> str:
    band = confidence_class(bead)
    codes = " ".join(dict.fromkeys(f.code for f in flags))
    score = f"{bead.confidence:.4f}" if math.isfinite(bead.confidence) else ""
    return (
        f'<tr class="bead {band}" id="bead-{n}" data-kind="{bead.kind}" '
        f'data-confidence="{score}" data-flags="{escape(codes)}">'
        f'<td class="n">{n}</td><td class="kind">{bead.kind}</td>'
        f'<td class="conf">{shown(bead.confidence)}</td>'
        f"{_side_cell(alignment, bead, 'src')}{_side_cell(alignment, bead, 'tgt')}"
        f"{_flags_cell(flags)}</tr>"
    )


def _bead_links(code: str, flags: list[list[Flag]], most: int = MAX_LINKS) -> str:
    """Links to the first beads raising ``code`` (the page needs no script to jump there)."""
    numbers = [
        n for n, bead_flags in enumerate(flags, 1) if any(f.code == code for f in bead_flags)
    ]
    if not numbers:
        return ""
    links = " ".join(f'<a href="#bead-{n}">{n}</a>' for n in numbers[:most])
    more = f" and {len(numbers) - most} more" if len(numbers) > most else ""
    return f'<div class="where">beads {links}{more}</div>'


def render_html(alignment: Alignment, flags: list[list[Flag]] | None = None) -> str:
    """The whole report as one HTML page (a string); every text escaped."""
    if flags is None:
        flags = flag_alignment(alignment)
    s = summarize(alignment, flags=flags)
    src, tgt = escape(alignment.src_lang), escape(alignment.tgt_lang)
    title = escape(alignment.document or "alignment") + " — alignment report"
    kinds = ", ".join(f"{escape(k)}: {n}" for k, n in s.by_kind.items()) or "none"
    facts = [
        ("segments", f"{src} {s.src_segments}, {tgt} {s.tgt_segments}"),
        ("beads", f"{s.beads} ({kinds}); translation units: {s.units}"),
        ("mean confidence", escape(confidence_line(s))),
        ("unaligned", f"{src} {len(s.unaligned_src)}, {tgt} {len(s.unaligned_tgt)}"),
        *(("block", escape(line)) for line in missing_blocks(alignment, s)),
        *((("left out", escape(left_out(s.untranslated))),) if s.untranslated else ()),
        ("flagged beads", f"{s.flagged} of {s.beads}"),
    ]
    fact_rows = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts)
    flag_rows = "".join(
        f'<tr data-code="{escape(code)}" class="{"raised" if count else "quiet"}">'
        f'<td><span class="code">{escape(code)}</span></td><td class="count">{count}</td>'
        f"<td>{escape(FLAG_CODES.get(code, ''))}{_bead_links(code, flags)}</td></tr>"
        for code, count in s.flags.items()
    )
    rows = "\n".join(
        _bead_row(alignment, n, b, f)
        for n, (b, f) in enumerate(zip(alignment.beads, flags, strict=True), 1)
    )
    signature = "".join(
        f"<dt>{escape(str(k))}</dt><dd>{escape(str(v))}</dd>"
        for k, v in alignment.signature.items()
    )
    legend = (
        f'<span><i class="swatch" style="background:var(--sure)"></i>sure (≥ {SURE})</span>'
        f'<span><i class="swatch" style="background:var(--fair)"></i>'
        f"fair ({LOW_CONFIDENCE}–{SURE})</span>"
        f'<span><i class="swatch" style="background:var(--low)"></i>'
        f"low (&lt; {LOW_CONFIDENCE})</span>"
        f'<span><i class="swatch" style="background:var(--none)"></i>one side empty</span>'
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<p class="muted">{src} → {tgt}: every sentence of both documents is in one row below.</p>
</header>
<section id="summary">
<h2>Summary</h2>
<table class="facts">{fact_rows}</table>
<h2>Flags</h2>
<table class="by-flag"><thead><tr><th>flag</th><th>beads</th><th>meaning</th></tr></thead>
<tbody>{flag_rows}</tbody></table>
</section>
<section id="beads">
<h2>Beads</h2>
<p class="legend">{legend}</p>
<table class="beads">
<colgroup><col class="n"><col class="kind"><col class="conf"><col class="src"><col class="tgt">
<col class="flags"></colgroup>
<thead><tr><th>#</th><th>type</th><th>conf</th><th>{src}</th><th>{tgt}</th><th>flags</th></tr>
</thead>
<tbody>
{rows}
</tbody>
</table>
</section>
<footer>
<h2>Signature</h2>
<dl class="signature">{signature}</dl>
</footer>
</body>
</html>
"""


def write_html(
    alignment: Alignment,
    path: Path | str,
    *,
    force: bool = False,
    flags: list[list[Flag]] | None = None,
) -> Path:
    """Write :func:`render_html` to ``path`` atomically (refused if it exists, unless ``force``)."""
    path = Path(path)
    atomic_write(path, render_html(alignment, flags).encode("utf-8"), force=force)
    return path
