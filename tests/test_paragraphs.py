"""Paragraph units (align/paragraphs.py, ``align pair --units paragraph``)."""

from __future__ import annotations

from pathlib import Path

from conftest import nospace, paragraph_documents, run_align
from hypothesis import given, settings
from hypothesis import strategies as st
from tmxcheck import assert_valid_tmx
from typer.testing import CliRunner

from align.batch.run import output_path
from align.cli import app
from align.paragraphs import by_paragraph
from align.tmx import iter_units, read_header
from align.types import Alignment, Bead, Segment
from align.writers import read_alignment, write_alignment


def segments(paragraph_sizes: list[int], lang: str) -> list[Segment]:
    """Sentences ``lang0.0``, ``lang0.1``, … for paragraphs of the given sizes."""
    return [
        Segment(f"{lang}{p}.{k}", p, 0, 0)
        for p, size in enumerate(paragraph_sizes)
        for k in range(size)
    ]


def alignment(
    src: list[int], tgt: list[int], beads: list[tuple[list[int], list[int]]]
) -> Alignment:
    return Alignment(
        "zh",
        "en",
        segments(src, "z"),
        segments(tgt, "e"),
        [Bead(tuple(s), tuple(t), 0.9 - 0.1 * n) for n, (s, t) in enumerate(beads)],
        signature={"encoder": "test"},
    )


def test_beads_sharing_a_paragraph_on_either_side_become_one_unit() -> None:
    # zh paragraphs: [0, 1] [2] [3, 4] [5]; en paragraphs: [0] [1, 2] [3] [4] [5]
    a = alignment(
        [2, 1, 2, 1],
        [1, 2, 1, 1, 1],
        [
            ([0], [0]),  # zh para 0 ...
            ([1], [1]),  # ... reaches en para 1, which ...
            ([2], [2]),  # ... reaches zh para 1: one unit of zh 0-1 and en 0-1
            ([3], [3]),  # zh para 2 is split over en paras 2 and 3
            ([4], []),  # an omission inside zh para 2 stays in its unit
            ([], [4]),  # en para 4 has no partner: a one-sided unit
            ([5], [5]),
        ],
    )
    units = by_paragraph(a)
    assert [(b.src, b.tgt) for b in units.beads] == [
        ((0, 1, 2), (0, 1, 2)),
        ((3, 4), (3,)),
        ((), (4,)),
        ((5,), (5,)),
    ]
    assert [b.confidence for b in units.beads] == [
        a.beads[2].confidence,
        a.beads[4].confidence,
        a.beads[5].confidence,
        a.beads[6].confidence,
    ]
    assert units.beads[3] is a.beads[6]  # a paragraph pair of one bead keeps it whole
    assert units.src_text(units.beads[0]) == "z0.0z0.1z1.0"
    assert units.tgt_text(units.beads[0]) == "e0.0 e1.0 e1.1"
    assert units.signature == {"encoder": "test", "units": "paragraph"}
    assert a.signature == {"encoder": "test"} and len(a.beads) == 7  # the input is kept


def test_a_moved_bead_joins_only_the_paragraphs_it_pairs() -> None:
    """A footnote the layout printed elsewhere is its own paragraph on both sides."""
    a = alignment([1, 1, 1], [1, 1, 1], [([0], [0]), ([1], [2]), ([2], [1])])
    a.beads[1] = Bead((1,), (2,), 0.8, moved=True)
    units = by_paragraph(a)
    assert [(b.src, b.tgt, b.moved) for b in units.beads] == [
        ((0,), (0,), False),
        ((1,), (2,), True),
        ((2,), (1,), False),
    ]


@st.composite
def monotone_alignments(draw: st.DrawFn) -> Alignment:
    """Paragraphs of 1-3 sentences on each side and beads of 0-3 sentences a side, in order."""
    n, m = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    beads: list[tuple[list[int], list[int]]] = []
    i = j = 0
    while i < n or j < m:
        a = draw(st.integers(0 if j < m else 1, min(3, n - i)))
        b = draw(st.integers(0 if a else 1, min(3, m - j)))
        beads.append((list(range(i, i + a)), list(range(j, j + b))))
        i, j = i + a, j + b

    def sizes(total: int) -> list[int]:
        out: list[int] = []
        while sum(out) < total:
            out.append(min(draw(st.integers(1, 3)), total - sum(out)))
        return out

    return alignment(sizes(n), sizes(m), beads)


@settings(max_examples=200, deadline=None)
@given(monotone_alignments())
def test_units_are_whole_paragraphs_and_keep_every_sentence(a: Alignment) -> None:
    units = by_paragraph(a).beads
    for side, segs in (("src", a.src), ("tgt", a.tgt)):
        ids = [i for u in units for i in getattr(u, side)]
        assert sorted(ids) == list(range(len(segs)))  # every sentence, once
        owner = {segs[i].paragraph: k for k, u in enumerate(units) for i in getattr(u, side)}
        for k, u in enumerate(units):  # no paragraph is cut between units
            assert all(owner[segs[i].paragraph] == k for i in getattr(u, side))
    # and none is bigger than it must be: merge beads that share a paragraph, pair by
    # pair, until no two groups share one
    groups = [
        (
            {("s", a.src[i].paragraph) for i in b.src} | {("t", a.tgt[j].paragraph) for j in b.tgt},
            set(b.src),
            set(b.tgt),
        )
        for b in a.beads
    ]
    merged = True
    while merged:
        merged = False
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                if groups[x][0] & groups[y][0]:
                    gy = groups.pop(y)
                    groups[x] = (groups[x][0] | gy[0], groups[x][1] | gy[1], groups[x][2] | gy[2])
                    merged = True
                    break
            if merged:
                break
    assert sorted((sorted(s), sorted(t)) for _, s, t in groups) == sorted(
        (list(u.src), list(u.tgt)) for u in units
    )


def test_a_paragraph_tmx_says_so_in_its_header(tmp_path: Path) -> None:
    a = alignment([2, 1], [1, 1], [([0], [0]), ([1, 2], [1])])
    write_alignment(by_paragraph(a), tmp_path / "p.tmx")
    write_alignment(a, tmp_path / "s.tmx")
    for name, segtype, units in (("p.tmx", "paragraph", 1), ("s.tmx", "sentence", 2)):
        assert_valid_tmx(tmp_path / name)
        assert dict(read_header(tmp_path / name).attrib)["segtype"] == segtype
        assert len(list(iter_units(tmp_path / name))) == units


def test_align_pair_writes_one_unit_a_paragraph(tmp_path: Path, embedding_cache: Path) -> None:
    zh_file, en_file, expected = paragraph_documents(tmp_path)
    assert len(expected) >= 15
    out = tmp_path / "doc.tmx"
    r = run_align(
        "pair", str(zh_file), str(en_file), "--units", "paragraph", "-o", str(out),
        cache=embedding_cache,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert_valid_tmx(out)
    units = list(iter_units(out))
    assert f"wrote {out} ({len(units)} paragraph units)" in r.stderr
    assert "1-1:" in r.stdout  # the report still shows the sentence beads
    # the cleaner takes out stray spaces (“中国声音 ” 。): compare the texts without them
    pairs = {nospace(u.variants[0].seg): " ".join(u.variants[1].seg.split()) for u in units}
    expected = {nospace(zh): " ".join(en.split()) for zh, en in expected.items()}
    right = sum(1 for zh, en in expected.items() if pairs.get(zh) == en)
    assert right >= 0.9 * len(expected), f"{right} of {len(expected)} paragraphs paired"
    assert sorted("".join(pairs)) == sorted("".join(expected))  # no character lost


def test_align_batch_writes_paragraph_tms_and_keeps_the_sentence_beads(tmp_path: Path) -> None:
    """``--units paragraph`` is part of what a pair's output depends on: a rerun with the
    other setting aligns again, a rerun with the same one skips the pair."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    zh_file, en_file, expected = paragraph_documents(corpus)
    out = tmp_path / "out"
    env = {"ALIGN_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "COLUMNS": "200"}

    def batch(*args: str) -> str:
        r = CliRunner().invoke(app, ["batch", str(corpus), "-o", str(out), *args], env=env)
        assert r.exit_code == 0, r.output
        return r.output

    batch("--units", "paragraph")
    tm, beads = output_path(out, "doc", "tmx"), output_path(out, "doc", "jsonl")
    assert_valid_tmx(tm)
    assert dict(read_header(tm).attrib)["segtype"] == "paragraph"
    paragraphs = len(list(iter_units(tm)))
    sentences = len(read_alignment(beads).beads)
    assert len(expected) - 2 <= paragraphs <= len(expected) < sentences
    assert "1 to align" not in batch("--units", "paragraph")
    assert "1 to align" in batch()
    assert dict(read_header(tm).attrib)["segtype"] == "sentence"
    assert len(list(iter_units(tm))) == sentences
