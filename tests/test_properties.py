"""Properties that hold for any text: the cleaner, both segmenters and the TMX writer never
crash, never lose a character and never write a TMX a CAT tool would reject."""

from __future__ import annotations

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings
from tmxcheck import assert_valid_tmx

from align.clean import REASONS, clean
from align.segmenters import MosesSegmenter, Segmenter, ZhSegmenter
from align.types import Alignment, Bead, CleanDocument, Layout, Segment
from align.writers.tmx import TmxWriter

SPECIAL_LINES = [
    "______",
    "_______________",
    "A/77/L.107",
    "3/4 23-16564",
    "23-16564 (C)",
    "https://undocs.org/zh/A/RES/76/123",
    "http://example.org/a?b=1&c=<2>",
    " 大会，",
    " 1. 请秘书长提交报告；",
    " Recalling its resolution 76/123,",
    "1 2 3",
    "*",
    "-",
    "x-",
    "0123456789" * 3,
    "1",
    "👩\u200d💻 🇨🇳 مرحبا 大会",
    "",
    " ",
]
"""Lines shaped like the page furniture and structure the cleaner looks for."""

ALPHABET = st.one_of(
    st.characters(codec="utf-8"),  # any code point except surrogates
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # lone surrogates
    st.characters(max_codepoint=0x1F),  # control characters
    st.sampled_from(list("<>&\"'\u00ad\u200b\u2028\u2029\ufeff\ufffe\uffff\x7f\x85\f\t\r")),
    st.sampled_from(list("大会决议秘书长。，；：“”《》（）—…")),  # CJK and its punctuation
    st.sampled_from(list("مرحبا שלום")),  # right-to-left
    st.sampled_from(list("😀👩\u200d💻🇨🇳")),  # emoji, and the parts of ZWJ sequences and flags
    st.sampled_from(list("abc XYZ .,;:!?-_0123456789/")),
)

REPEATED = st.builds(
    lambda s, n: s * n, st.sampled_from(["中文Latin混合 ", "x", "大", "__"]), st.integers(1, 500)
)
"""Very long lines, long underscore rules, CJK and Latin mixed."""

LINE = st.one_of(
    st.text(ALPHABET, max_size=80),
    st.sampled_from(SPECIAL_LINES),
    st.builds(lambda a, b: a + b, st.sampled_from(SPECIAL_LINES), st.text(ALPHABET, max_size=10)),
    REPEATED,
)


@st.composite
def raw_texts(draw: st.DrawFn) -> str:
    """Text laid out like a PDF extraction: lines, blank lines, leading spaces, odd breaks."""
    lines = draw(st.lists(LINE, max_size=25))
    seps = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n \n\n", "\r\n", "\f\n"]), min_size=25))
    return "".join(line + sep for line, sep in zip(lines, seps, strict=False))


LANGS = ["zh", "en"]
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_covered(raw: str, doc: CleanDocument) -> None:
    """The kept spans and the removals cover every raw character exactly once
    (the invariant tests/test_clean.py states as ``covered``)."""
    count = [0] * len(raw)
    for at, start, length in doc.spans:
        assert length > 0 and doc.text[at : at + length] == raw[start : start + length]
        for i in range(start, start + length):
            count[i] += 1
    for r in doc.removals:
        assert r.start < r.end and r.text == raw[r.start : r.end]
        assert r.reason in REASONS, r
        for i in range(r.start, r.end):
            count[i] += 1
    assert [i for i, n in enumerate(count) if n != 1] == []
    assert doc.text == "\n".join(b.text for b in doc.blocks)
    for n, b in enumerate(doc.blocks):
        assert b.index == n and doc.text[b.start : b.end] == b.text


@PROPERTY
@given(
    raw=raw_texts(),
    lang=st.sampled_from(LANGS),
    layout=st.sampled_from(["auto", "wrapped", "paragraphs"]),
)
def test_cleaner_keeps_or_accounts_for_every_character(raw: str, lang: str, layout: Layout) -> None:
    assert_covered(raw, clean(raw, lang, layout=layout))


SEGMENTERS: dict[str, Segmenter] = {"zh": ZhSegmenter(), "en": MosesSegmenter("en")}


def assert_segments_partition(doc: CleanDocument, segments: list[Segment]) -> None:
    owner = [0] * len(doc.text)
    for seg in segments:
        assert seg.start < seg.end and seg.text == doc.text[seg.start : seg.end]
        for i in range(seg.start, seg.end):
            owner[i] += 1
    for block in doc.blocks:
        for i in range(block.start, block.end):
            if not doc.text[i].isspace():
                assert owner[i] == 1, (block.index, i, doc.text[i])
    outside = set(range(len(doc.text))) - {i for b in doc.blocks for i in range(b.start, b.end)}
    assert all(owner[i] == 0 for i in outside)


@PROPERTY
@given(raw=raw_texts(), lang=st.sampled_from(LANGS), splitter=st.sampled_from(LANGS))
def test_segmenters_partition_every_block(raw: str, lang: str, splitter: str) -> None:
    doc = clean(raw, lang)
    assert_segments_partition(doc, SEGMENTERS[splitter].segment(doc))


@pytest.mark.parametrize("splitter", LANGS)
def test_segmenters_on_one_very_long_line(splitter: str) -> None:
    raw = ("大会注意到 the report of 秘书长 (A/77/123)，" * 2000) + "\n"
    doc = clean(raw, splitter)
    assert_segments_partition(doc, SEGMENTERS[splitter].segment(doc))


def alignment_of(src: list[Segment], tgt: list[Segment], document: str) -> Alignment:
    """Pair segments in order, leaving the surplus one-sided, like a real alignment can."""
    n = max(len(src), len(tgt))
    beads = [
        Bead((i,) if i < len(src) else (), (i,) if i < len(tgt) else (), 0.5) for i in range(n)
    ]
    return Alignment("zh", "en", src, tgt, beads, {"tool": document[:20]}, document)


@PROPERTY
@given(
    zh_raw=raw_texts(),
    en_raw=raw_texts(),
    document=st.text(ALPHABET, max_size=20),
    include_empty=st.booleans(),
)
def test_tmx_is_always_well_formed_and_valid(
    zh_raw: str, en_raw: str, document: str, include_empty: bool
) -> None:
    zh, en = clean(zh_raw, "zh"), clean(en_raw, "en")
    alignment = alignment_of(SEGMENTERS["zh"].segment(zh), SEGMENTERS["en"].segment(en), document)
    rendered = TmxWriter().render(alignment, include_empty=include_empty)
    tree = assert_valid_tmx(rendered.data, allow_one_sided=include_empty)
    assert len(tree.getroot().findall("body/tu")) == rendered.units
