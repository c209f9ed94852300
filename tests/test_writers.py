"""The export stage: TMX/TSV/JSONL writers and atomic output."""

from __future__ import annotations

import json
import logging
import math
import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from tmxcheck import assert_valid_tmx

import align
from align.atomic import atomic_write
from align.errors import InputError, OutputError
from align.languages import lang_code
from align.paragraphs import by_paragraph
from align.types import Alignment, Bead, Segment
from align.writers import (
    format_for_path,
    get_writer,
    read_alignment,
    read_tmx_units,
    write_alignment,
)
from align.writers.base import clean_text, lang_from_code, paragraph_label
from align.writers.jsonl import JsonlWriter
from align.writers.tmx import TmxWriter
from align.writers.tsv import TsvWriter

DATE = "20230615T093000Z"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LINK = "https://undocs.org/ch/A/RES/59/48"
SIGNATURE = {
    "encoder": "use",
    "encoder_version": "0.2.1",
    "settings": "max_bead=4;penalty=0.1",
    "tool": "un-align 0.1.0",
}

ZH = [
    ("联合国同上海合作组织的合作", 0, "heading"),
    ("大会，", 1, "body"),
    (
        "回顾联合国的宗旨之一是在维护国际和平与安全及解决属于经济、社会、文化或人道主义性质的"
        "国际问题方面开展合作，",
        2,
        "body",
    ),
    (
        "又回顾《联合国宪章》中的若干条款鼓励在区域合作基础上开展活动，以推进联合国的目标与宗旨，",
        3,
        "body",
    ),
    ("还回顾其2004年12月2日关于给予上海合作组织大会观察员地位的第59/48号决议，", 4, "body"),
    ("提案国名单如有任何变化，将在会议正式记录中予以反映。", 9, "footnote"),
]
EN = [
    (
        "Cooperation between the United Nations and the Shanghai Cooperation Organization",
        0,
        "heading",
    ),
    ("The General Assembly,", 1, "body"),
    (
        "Recalling that one of the purposes of the United Nations is to achieve cooperation in the "
        "maintenance of international peace and security",
        2,
        "body",
    ),
    (
        "and in solving international problems of an economic, social, cultural or humanitarian "
        "character,",
        3,
        "body",
    ),
    ("Recalling further its resolution 59/48 of 2 December 2004,", 4, "body"),
    (
        "by which it granted observer status in the General Assembly to the Shanghai Cooperation "
        "Organization,",
        4,
        "body",
    ),
    (
        "Noting that the Shanghai Cooperation Organization is committed to acting in accordance "
        "with the purposes and principles of the United Nations,",
        5,
        "body",
    ),
]


def _segments(rows: list[tuple[str, int, str]], links: dict[int, tuple[str, ...]]) -> list[Segment]:
    out, pos = [], 0
    for i, (text, para, kind) in enumerate(rows):
        foot = "*" if kind == "footnote" else None
        out.append(Segment(text, para, pos, pos + len(text), kind, foot, links.get(i, ())))
        pos += len(text) + 1
    return out


def make_alignment(src_lang: str = "zh", tgt_lang: str = "en") -> Alignment:
    """A/77/L.107's opening by hand: 1-1, 2-2 across paragraphs, 1-2, and two omissions."""
    return Alignment(
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        src=_segments(ZH, {4: (LINK,)}),
        tgt=_segments(EN, {}),
        beads=[
            Bead((0,), (0,), 0.95),
            Bead((1,), (1,), 0.9876),
            Bead((2, 3), (2, 3), 0.81234),
            Bead((4,), (4, 5), 0.7775),
            Bead((5,), (), 0.0),
            Bead((), (6,), 0.0),
        ],
        signature=dict(SIGNATURE),
        document="A/77/L.107",
    )


def with_texts(src: list[str], tgt: list[str]) -> Alignment:
    """One 1-1 bead per pair of texts."""
    return Alignment(
        "zh",
        "en",
        [Segment(t, i, 0, len(t)) for i, t in enumerate(src)],
        [Segment(t, i, 0, len(t)) for i, t in enumerate(tgt)],
        [Bead((i,), (i,), 0.5) for i in range(len(src))],
    )


def tmx_root(data: bytes) -> etree._Element:
    return assert_valid_tmx(data).getroot()


def props(el: etree._Element) -> list[tuple[str, str]]:
    return [(p.get("type"), p.text) for p in el.findall("prop")]


# --- TMX ---------------------------------------------------------------------------


def test_tmx_is_valid_and_has_one_unit_per_two_sided_bead() -> None:
    a = make_alignment()
    rendered = TmxWriter().render(a, date=DATE)
    root = tmx_root(rendered.data)
    tus = root.findall("body/tu")
    assert len(tus) == rendered.units == 4
    assert [tu.get("tuid") for tu in tus] == ["1", "2", "3", "4"]
    assert rendered.skipped == (4, 5)
    assert rendered.dropped == ()
    assert rendered.data.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx'
    )


def test_tmx_header_attributes_and_signature() -> None:
    header = tmx_root(TmxWriter().dumps(make_alignment(), date=DATE)).find("header")
    assert dict(header.attrib) == {
        "creationtool": "un-align",
        "creationtoolversion": align.__version__,
        "segtype": "sentence",
        "o-tmf": "un-align",
        "adminlang": "en-US",
        "srclang": "zh-CN",
        "datatype": "plaintext",
        "creationdate": DATE,
    }
    got = dict(props(header))
    assert got.pop("x-document") == "A/77/L.107"
    assert got == {f"x-signature-{k}": v for k, v in SIGNATURE.items()}


def test_tmx_unit_props_and_texts() -> None:
    a = make_alignment()
    tus = tmx_root(TmxWriter().dumps(a, date=DATE)).findall("body/tu")
    assert props(tus[0]) == [
        ("x-confidence", "0.950"),
        ("x-document", "A/77/L.107"),
        ("x-paragraph", "0"),
        ("x-bead", "1-1"),
        ("x-kind", "heading"),
    ]
    two = dict(props(tus[2]))
    assert (two["x-confidence"], two["x-paragraph"], two["x-bead"]) == ("0.812", "2-3", "2-2")
    assert "x-kind" not in two and "x-link" not in two
    last = dict(props(tus[3]))
    assert (last["x-bead"], last["x-link"], last["x-confidence"]) == ("1-2", LINK, "0.777")
    for tu, bead in zip(tus, a.beads, strict=False):
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == ["zh-CN", "en-US"]
        assert [t.findtext("seg") for t in tuvs] == [a.src_text(bead), a.tgt_text(bead)]
    # zh sentences join without a space, en sentences with one.
    assert tus[2].findall("tuv")[0].findtext("seg") == ZH[2][0] + ZH[3][0]
    assert tus[3].findall("tuv")[1].findtext("seg") == f"{EN[4][0]} {EN[5][0]}"


@pytest.mark.parametrize(
    ("src", "tgt", "codes"),
    [
        ("zh", "en", ["zh-CN", "en-US"]),
        ("fr", "de", ["fr-FR", "de-DE"]),
        ("ru", "es", ["ru", "es"]),
    ],
)
def test_tmx_language_codes(src: str, tgt: str, codes: list[str]) -> None:
    root = tmx_root(TmxWriter().dumps(make_alignment(src, tgt), date=DATE))
    assert root.find("header").get("srclang") == codes[0]
    assert [t.get(XML_LANG) for t in root.find("body/tu").findall("tuv")] == codes


def test_tmx_source_side_carries_the_sentences_around_it_as_memoq_does() -> None:
    """memoQ matches in context (101%) where a TM unit's source came between the same
    sentences: its TMX writes them on the source ``<tuv>`` as ``x-context-pre`` and
    ``x-context-post``, each a ``<seg>`` element as text. A many-sentence unit's context
    is what stands around all of it; the first and last unit have one side only; an
    omitted sentence is still a neighbour, since it stands in the document."""
    rendered = TmxWriter().render(make_alignment(), date=DATE)
    assert_valid_tmx(rendered.data)
    units = list(tmx_root(rendered.data).iter("tu"))
    contexts = [[(p.get("type"), p.text) for p in tu.find("tuv").findall("prop")] for tu in units]

    def seg(i: int) -> str:
        return f"<seg>{ZH[i][0]}</seg>"

    assert contexts == [
        [("x-context-post", seg(1))],
        [("x-context-pre", seg(0)), ("x-context-post", seg(2))],
        [("x-context-pre", seg(1)), ("x-context-post", seg(4))],
        [("x-context-pre", seg(3)), ("x-context-post", seg(5))],
    ]
    assert all(tu.findall("tuv")[1].find("prop") is None for tu in units)
    marked = with_texts(["A & B <i>", "大会，"], ["A & B", "The General Assembly,"])
    data = TmxWriter().render(marked, date=DATE).data
    escaped = b"&lt;seg&gt;A &amp;amp; B &amp;lt;i&amp;gt;&lt;/seg&gt;"
    assert b'<prop type="x-context-pre">' + escaped in data


def test_a_paragraph_tm_gives_whole_paragraphs_as_the_context() -> None:
    """A CAT tool that segments by paragraph compares a unit's context with the paragraphs
    around the segment: the last sentence of the paragraph before (and the first of the
    one after) never matches one of two sentences or more. English first, as the UN's
    Chinese translators have it."""

    def para(texts: list[str], numbers: list[int]) -> list[Segment]:
        return [Segment(t, n, 0, len(t)) for t, n in zip(texts, numbers, strict=True)]

    paragraphs = [0, 1, 1, 2, 2]
    en = ["The General Assembly,", "First one.", "Second one.", "Third one.", "Fourth one."]
    zh = ["大会，", "第一句。", "第二句。", "第三句。", "第四句。"]
    a = Alignment(
        "en",
        "zh",
        para(en, paragraphs),
        para(zh, paragraphs),
        [Bead((i,), (i,), 0.9) for i in range(5)],
    )
    units = list(tmx_root(TmxWriter().dumps(by_paragraph(a), date=DATE)).iter("tu"))
    contexts = [props(tu.find("tuv")) for tu in units]
    assert contexts == [
        [("x-context-post", "<seg>First one. Second one.</seg>")],
        [
            ("x-context-pre", "<seg>The General Assembly,</seg>"),
            ("x-context-post", "<seg>Third one. Fourth one.</seg>"),
        ],
        [("x-context-pre", "<seg>First one. Second one.</seg>")],
    ]
    swapped = Alignment("zh", "en", a.tgt, a.src, [Bead(b.tgt, b.src, 0.9) for b in a.beads])
    units = list(tmx_root(TmxWriter().dumps(by_paragraph(swapped), date=DATE)).iter("tu"))
    assert props(units[2].find("tuv")) == [("x-context-pre", "<seg>第一句。第二句。</seg>")]
    sentences = list(tmx_root(TmxWriter().dumps(a, date=DATE)).iter("tu"))  # as before
    assert props(sentences[3].find("tuv")) == [
        ("x-context-pre", "<seg>Second one.</seg>"),
        ("x-context-post", "<seg>Fourth one.</seg>"),
    ]


def test_tmx_language_codes_can_be_overridden() -> None:
    data = TmxWriter().dumps(
        make_alignment(), date=DATE, src_lang_code="zh-Hans", tgt_lang_code="en-GB"
    )
    root = tmx_root(data)
    assert root.find("header").get("srclang") == "zh-Hans"
    assert {t.get(XML_LANG) for t in root.iter("tuv")} == {"zh-Hans", "en-GB"}


def test_markup_characters_are_escaped_and_read_back() -> None:
    zh = "“A & B” <联合国> 'x' \"y\" &amp; ]]>"
    en = "Fish & Chips <b>bold</b> 'single' \"double\" &lt; ]]>"
    data = TmxWriter().dumps(with_texts([zh], [en]), date=DATE)
    assert_valid_tmx(data)
    assert b"&amp;amp;" in data and b"&lt;b&gt;bold&lt;/b&gt;" in data
    assert [(s, t) for s, t, _ in read_tmx_units(data)] == [(zh, en)]


def test_forbidden_characters_are_removed_and_reported(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    zh = "大会\x00，回顾\x1b决议\ud800"
    en = "The General\x0bAssembly,\x00 recalling"
    out = tmp_path / "out.tmx"
    with caplog.at_level(logging.WARNING, logger="align.writers"):
        result = write_alignment(with_texts([zh], [en]), out, date=DATE)
    assert_valid_tmx(out)
    assert read_tmx_units(out)[0][:2] == ("大会，回顾决议", "The General Assembly, recalling")
    found = {(d.where, d.char, d.count, d.replacement) for d in result.dropped}
    assert found == {
        ("bead 1 source", "\x00", 1, ""),
        ("bead 1 source", "\x1b", 1, ""),
        ("bead 1 source", "\ud800", 1, ""),
        ("bead 1 target", "\x0b", 1, " "),
        ("bead 1 target", "\x00", 1, ""),
    }
    assert "removed 1 × U+D800" in caplog.text and "U+000B with a space" in caplog.text


def test_surrogate_pairs_are_joined_not_dropped() -> None:
    dropped: list = []
    assert clean_text("emoji \ud83d\ude00 ok", "x", dropped) == "emoji \U0001f600 ok"
    assert dropped == []


def test_breaks_and_tabs_inside_a_segment_become_one_space() -> None:
    data = TmxWriter().dumps(
        with_texts(["回顾\n\n决议"], ["Recalling \t its\r\nresolution "]), date=DATE
    )
    assert read_tmx_units(data)[0][:2] == ("回顾 决议", "Recalling its resolution")


def test_bead_left_empty_by_cleaning_is_skipped_not_written_empty() -> None:
    a = with_texts(["\x00\x01", "大会，"], ["The General Assembly,", "The General Assembly,"])
    rendered = TmxWriter().render(a, date=DATE)
    assert_valid_tmx(rendered.data)
    assert rendered.units == 1 and rendered.skipped == (0,)
    assert [d.where for d in rendered.dropped] == ["bead 1 source", "bead 1 source"]


ANNEX = "They reaffirmed their commitment to the Charter of the United Nations."


def test_text_left_untranslated_is_kept_out_of_the_tm_and_in_the_full_alignment() -> None:
    """An annex circulated in the language of submission only is English in the Chinese
    document too: units of it (its ``Annex`` heading included) would offer English as the
    Chinese. So would a Chinese sentence left in the English. A symbol stays."""
    a = with_texts(
        ["大会，", ANNEX, "Annex", "大会决定将该项目列入议程。", "A/77/L.107"],
        ["The General Assembly,", ANNEX, "Annex", "大会决定将该项目列入议程。", "A/77/L.107"],
    )
    for writer in (TmxWriter(), TsvWriter()):
        rendered = writer.render(a, date=DATE)
        assert rendered.units == 2 and rendered.skipped == (1, 2, 3), writer.name
        unit = f"<seg>{ANNEX}</seg>" if writer.name == "tmx" else ANNEX  # not the context
        assert unit not in rendered.data.decode("utf-8")
        everything = writer.render(a, date=DATE, include_untranslated=True)
        assert everything.units == 5 and unit in everything.data.decode("utf-8")
    assert JsonlWriter().loads(JsonlWriter().dumps(a)).beads == a.beads


def test_include_empty_writes_one_sided_units() -> None:
    rendered = TmxWriter().render(make_alignment(), date=DATE, include_empty=True)
    assert rendered.units == 6 and rendered.skipped == ()
    root = assert_valid_tmx(rendered.data, allow_one_sided=True).getroot()
    tus = root.findall("body/tu")
    assert [len(tu.findall("tuv")) for tu in tus] == [2, 2, 2, 2, 1, 1]
    assert tus[4].find("tuv").get(XML_LANG) == "zh-CN"
    assert dict(props(tus[4]))["x-kind"] == "footnote"
    assert tus[5].find("tuv").get(XML_LANG) == "en-US"
    assert dict(props(tus[5]))["x-paragraph"] == "5"
    with pytest.raises(AssertionError, match="needs two languages"):
        assert_valid_tmx(rendered.data)


def test_same_alignment_and_date_give_identical_bytes() -> None:
    one = TmxWriter().dumps(make_alignment(), date=DATE)
    two = TmxWriter().dumps(make_alignment(), date=DATE)
    assert one == two
    assert TmxWriter().dumps(make_alignment(), date="20230615T093001Z") != one
    shuffled = make_alignment()
    shuffled.signature = dict(reversed(list(SIGNATURE.items())))
    assert TmxWriter().dumps(shuffled, date=DATE) == one
    assert b"\n  <header " in one and b"\n    <tu tuid" in one and b"\n        <seg>" in one


def test_dates() -> None:
    tz = timezone(timedelta(hours=8))
    a = make_alignment()
    aware = TmxWriter().dumps(a, date=datetime(2023, 6, 15, 17, 30, tzinfo=tz))
    naive = TmxWriter().dumps(a, date=datetime(2023, 6, 15, 9, 30))
    assert aware == naive == TmxWriter().dumps(a, date=DATE)
    with pytest.raises(OutputError, match="TMX date"):
        TmxWriter().dumps(a, date="2023-06-15")


@pytest.mark.parametrize("bad", ["2024-01-01", date(2024, 1, 1)])
def test_a_bad_date_is_the_packages_error_saying_what_to_pass(tmp_path: Path, bad: object) -> None:
    """It was a bare ValueError (or an AttributeError for a ``datetime.date``), which a
    caller catching ``AlignError`` for the user's mistakes let through."""
    out = tmp_path / "a.tmx"
    with pytest.raises(OutputError, match=r"is not a TMX date: pass date= a datetime, or a "):
        write_alignment(make_alignment(), out, date=bad)
    assert not out.exists()


def test_date_defaults_to_now_or_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now(UTC).replace(microsecond=0)
    header = tmx_root(TmxWriter().dumps(make_alignment())).find("header")
    stamp = datetime.strptime(header.get("creationdate"), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert before <= stamp <= datetime.now(UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1686821400")
    header = tmx_root(TmxWriter().dumps(make_alignment())).find("header")
    assert header.get("creationdate") == DATE


def test_tmx_reads_back_as_an_alignment() -> None:
    a = make_alignment()
    b = TmxWriter().loads(TmxWriter().dumps(a, date=DATE))
    two_sided = [x for x in a.beads if x.src and x.tgt]
    assert (b.src_lang, b.tgt_lang, b.document, b.signature) == ("zh", "en", a.document, SIGNATURE)
    assert [b.src_text(x) for x in b.beads] == [a.src_text(x) for x in two_sided]
    assert [b.tgt_text(x) for x in b.beads] == [a.tgt_text(x) for x in two_sided]
    assert [x.confidence for x in b.beads] == [round(x.confidence, 3) for x in two_sided]
    assert all(x.kind == "1-1" for x in b.beads)
    assert b.src[0].kind == "heading" and b.src[3].links == (LINK,)
    assert [s.paragraph for s in b.src] == [0, 1, 2, 4]


def test_tmx_kind_another_tool_wrote_is_read_as_body() -> None:
    data = TmxWriter().dumps(make_alignment(), date=DATE)
    assert data.count(b'"x-kind">heading<') == 1
    b = TmxWriter().loads(data.replace(b'"x-kind">heading<', b'"x-kind">sidebar<'))
    assert b.src[0].kind == "body" and b.tgt[0].kind == "body"
    assert [s.kind for s in b.src[1:]] == [s.kind for s in TmxWriter().loads(data).src[1:]]


def test_tmx_reader_handles_other_tools_files() -> None:
    data = (
        b'<?xml version="1.0"?><tmx version="1.4"><header creationtool="x" '
        b'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="*all*" '
        b'datatype="html"/><body><tu><tuv xml:lang="en"><seg>Hello <bpt i="1">&lt;b&gt;</bpt>'
        b'world<ept i="1">&lt;/b&gt;</ept></seg></tuv><tuv xml:lang="fr"><seg>Bonjour '
        b"<hi>monde</hi></seg></tuv></tu></body></tmx>"
    )
    assert read_tmx_units(data) == [("Hello world", "Bonjour monde", {})]
    a = TmxWriter().loads(data)
    assert (a.src_lang, a.tgt_lang, [(b.src, b.tgt) for b in a.beads]) == (
        "en",
        "fr",
        [((0,), (0,))],
    )
    assert math.isnan(a.beads[0].confidence)  # no x-confidence: no score, not 0.00 LOW


@pytest.mark.parametrize(
    "data",
    [b"<tmx><header>", b"<xliff/>", b"<tmx version='1.4'/>"],
)
def test_tmx_reader_rejects_non_tmx(data: bytes) -> None:
    with pytest.raises(InputError):
        TmxWriter().loads(data)


# --- the checker itself must be able to fail --------------------------------------------


def test_checker_rejects_what_the_dtd_and_cat_tools_reject() -> None:
    good = TmxWriter().dumps(make_alignment(), date=DATE)
    assert_valid_tmx(good)
    bad = {
        "dtd": good.replace(b' segtype="sentence"', b""),
        "srclang": good.replace(b'<tuv xml:lang="zh-CN">', b'<tuv xml:lang="zh-TW">', 1),
        "empty": good.replace("<seg>大会，</seg>".encode(), b"<seg> </seg>"),
        "doctype": good.replace(b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n', b""),
    }
    for name, data in bad.items():
        assert data != good, name
        with pytest.raises(AssertionError):
            assert_valid_tmx(data)


# --- TSV ---------------------------------------------------------------------------


def test_tsv_rows() -> None:
    a = make_alignment()
    a.src[1] = replace(a.src[1], text="大会，\t\n")
    lines = TsvWriter().dumps(a).decode("utf-8").split("\n")
    assert lines[0] == "zh-CN\ten-US\tconfidence\tbead\tparagraph"
    assert lines[-1] == ""
    rows = [line.split("\t") for line in lines[1:-1]]
    assert all(len(r) == 5 for r in rows) and len(rows) == 4
    assert rows[1] == ["大会，", "The General Assembly,", "0.988", "1-1", "1"]
    assert rows[2][2:] == ["0.812", "2-2", "2-3"]
    assert rows[3][1] == f"{EN[4][0]} {EN[5][0]}"


def test_tsv_include_empty() -> None:
    rendered = TsvWriter().render(make_alignment(), include_empty=True)
    rows = [r.split("\t") for r in rendered.data.decode().splitlines()[1:]]
    assert rendered.units == 6
    assert rows[4][:2] == [ZH[5][0], ""] and rows[5][:2] == ["", EN[6][0]]


# --- JSONL -------------------------------------------------------------------------


def test_jsonl_round_trip_is_exact_with_one_sided_beads() -> None:
    a = make_alignment()
    a.src[1] = replace(a.src[1], text="大会\x00，\ud800\u2028\t")
    a.tgt[1] = replace(a.tgt[1], text="The General\x0bAssembly,\n\x85")
    data = JsonlWriter().dumps(a)
    data.decode("utf-8")
    b = JsonlWriter().loads(data)
    assert b == a
    assert b.beads[4] == Bead((5,), (), 0.0) and b.beads[5] == Bead((), (6,), 0.0)
    assert b.src[5].footnote == "*" and b.src[4].links == (LINK,)


def test_jsonl_layout() -> None:
    a = make_alignment()
    rendered = JsonlWriter().render(a)
    assert rendered.units == 6 and rendered.skipped == ()
    assert "联合国".encode() in rendered.data
    lines = [json.loads(line) for line in rendered.data.decode().splitlines()]
    head = lines[0]
    assert head["type"] == "header" and head["signature"] == SIGNATURE
    assert (head["src_lang"], head["tgt_lang"], head["document"]) == ("zh", "en", "A/77/L.107")
    assert head["tool"] == f"un-align {align.__version__}"
    kinds = [x["type"] for x in lines]
    assert kinds == ["header"] + ["segment"] * 13 + ["bead"] * 6
    bead = lines[-3]
    assert (bead["src"], bead["tgt"], bead["kind"]) == ([4], [4, 5], "1-2")
    assert bead["tgt_text"] == a.tgt_text(a.beads[3])
    assert bead["paragraphs"] == {"src": [4], "tgt": [4]}
    assert lines[-2]["tgt"] == [] and lines[-2]["src_text"] == ZH[5][0]


def test_jsonl_keeps_a_stray_sentence_and_refuses_one_outside_its_bead() -> None:
    a = make_alignment()
    a.beads[3] = Bead((4,), (4, 5), 0.7775, 0.41, ("tgt", 5))
    data = JsonlWriter().dumps(a)
    assert JsonlWriter().loads(data).beads[3] == a.beads[3]
    assert json.loads(data.decode().splitlines()[-3])["stray"] == ["tgt", 5]
    assert json.loads(data.decode().splitlines()[-4])["stray"] is None
    with pytest.raises(InputError, match="stray"):
        JsonlWriter().loads(data.replace(b'"stray": ["tgt", 5]', b'"stray": ["tgt", 2]'))


def test_jsonl_keeps_a_bead_paired_out_of_order() -> None:
    """A moved bead (``Bead.moved``) reads back as moved, and is flagged again by the
    report and the review; a JSONL written before there were moved beads reads as none."""
    a = make_alignment()
    a.beads[2] = Bead((2, 3), (2, 3), 0.66, 0.7, moved=True)
    data = JsonlWriter().dumps(a)
    back = JsonlWriter().loads(data)
    assert back.beads[2] == a.beads[2] and back.beads[2].moved
    assert [b.moved for b in back.beads] == [False, False, True, False, False, False]
    older = data.replace(b', "moved": true', b"").replace(b', "moved": false', b"")
    assert b'"moved"' not in older
    assert not any(b.moved for b in JsonlWriter().loads(older).beads)


def test_jsonl_keeps_the_alternative_and_refuses_one_out_of_range() -> None:
    a = make_alignment()
    a.beads[2] = Bead((2, 3), (2, 3), 0.31, 0.4, None, ((3,), (3, 4)))
    data = JsonlWriter().dumps(a)
    assert JsonlWriter().loads(data).beads[2] == a.beads[2]
    assert json.loads(data.decode().splitlines()[-4])["alternative"] == [[3], [3, 4]]
    assert json.loads(data.decode().splitlines()[-3])["alternative"] is None
    with pytest.raises(InputError, match="alternative"):
        JsonlWriter().loads(
            data.replace(b'"alternative": [[3], [3, 4]]', b'"alternative": [[3], [99]]')
        )


def test_jsonl_nan_confidence_is_null() -> None:
    a = make_alignment()
    a.beads[0] = Bead((0,), (0,), math.nan)
    data = JsonlWriter().dumps(a)
    assert b"NaN" not in data
    assert math.isnan(JsonlWriter().loads(data).beads[0].confidence)


def test_jsonl_damage_is_an_input_error() -> None:
    lines = JsonlWriter().dumps(make_alignment()).splitlines(keepends=True)
    with pytest.raises(InputError, match="truncated"):
        JsonlWriter().loads(b"".join(lines[:-1]))
    with pytest.raises(InputError, match="line 3: not a whole record"):
        JsonlWriter().loads(b"".join([*lines[:2], b"{oops\n", *lines[2:]]))
    bad_index = lines[-1].replace(b'"tgt": [6]', b'"tgt": [60]')
    assert bad_index != lines[-1]
    with pytest.raises(InputError, match="out of range"):
        JsonlWriter().loads(b"".join([*lines[:-1], bad_index]))
    with pytest.raises(InputError, match="header"):
        JsonlWriter().loads(b"".join(lines[1:]))
    odd_kind = lines[1].replace(b'"kind": "heading"', b'"kind": "sidebar"')
    assert odd_kind != lines[1]
    with pytest.raises(InputError, match="unknown segment kind 'sidebar'"):
        JsonlWriter().loads(b"".join([lines[0], odd_kind, *lines[2:]]))


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (b'"src": [5], "tgt": []', b'"src": [], "tgt": []', "source sentence #5 is in no bead"),
        (
            b'"src": [], "tgt": [6]',
            b'"src": [], "tgt": [5]',
            "target sentence #5 is in beads 4 and 6",
        ),
        (b'"src": [4], "tgt": [4, 5]', b'"src": [4], "tgt": [4, 4]', "#4 is twice in bead 4"),
    ],
)
def test_jsonl_with_a_sentence_in_no_bead_or_in_two_is_refused(
    tmp_path: Path, old: bytes, new: bytes, problem: str
) -> None:
    """Every sentence is in a unit or reported unaligned: a file edited so that one is
    lost, or written twice, is damaged, not an alignment to report or review."""
    data = JsonlWriter().dumps(make_alignment())
    assert data.count(old) == 1
    (tmp_path / "a.jsonl").write_bytes(data.replace(old, new))
    with pytest.raises(InputError, match=problem) as caught:
        read_alignment(tmp_path / "a.jsonl")
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'a.jsonl'}: ") and "\n" not in message
    assert message.endswith("the file was edited or damaged: align the pair again")


def test_jsonl_of_every_kind_of_bead_and_of_paragraph_units_reads_back() -> None:
    """What the writer writes passes the check: one-sided beads, a moved bead, strays,
    alternatives, and paragraph units (joined beads, each sentence in one)."""
    a = make_alignment()
    a.beads[1] = Bead((1,), (1,), 0.5, 0.4, None, ((1,), (1, 2)), moved=True)
    a.beads[2] = Bead((2, 3), (2, 3), 0.81, 0.7, ("src", 3))
    a.beads[3:4] = [Bead((4,), (4,), 0.8), Bead((), (5,), 0.1)]  # EN 4 and 5: one paragraph
    assert JsonlWriter().loads(JsonlWriter().dumps(a)) == a
    units = by_paragraph(a)
    assert len(units.beads) < len(a.beads)
    assert JsonlWriter().loads(JsonlWriter().dumps(units)) == units


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.text(), st.text()), min_size=1, max_size=4))
def test_any_text_gives_valid_tmx_and_exact_jsonl(pairs: list[tuple[str, str]]) -> None:
    a = with_texts([s for s, _ in pairs], [t for _, t in pairs])
    rendered = TmxWriter().render(a, date=DATE)
    root = assert_valid_tmx(rendered.data).getroot()
    assert rendered.units == len(root.findall("body/tu")) == len(pairs) - len(rendered.skipped)
    assert JsonlWriter().loads(JsonlWriter().dumps(a)) == a


# --- registry and write_alignment ---------------------------------------------------


def test_registry() -> None:
    assert [get_writer(n).name for n in ("tmx", "TSV", "jsonl")] == ["tmx", "tsv", "jsonl"]
    assert format_for_path("out/A_77_L.107.TMX") == "tmx"
    assert format_for_path(Path("a.tsv")) == "tsv" and format_for_path("a.jsonl") == "jsonl"
    with pytest.raises(OutputError, match="unknown output format 'xliff'"):
        get_writer("xliff")
    with pytest.raises(OutputError, match=r"or give the format \(--format, fmt=\)$"):
        format_for_path("out.xml")


def test_write_alignment_by_suffix_and_explicit_format(tmp_path: Path) -> None:
    a = make_alignment()
    result = write_alignment(a, tmp_path / "tm.tmx", date=DATE)
    assert (result.format, result.units, result.skipped) == ("tmx", 4, (4, 5))
    assert (tmp_path / "tm.tmx").read_bytes() == TmxWriter().dumps(a, date=DATE)
    assert_valid_tmx(tmp_path / "tm.tmx")
    write_alignment(a, tmp_path / "tm.txt", fmt="jsonl")
    assert read_alignment(tmp_path / "tm.txt", fmt="jsonl") == a
    told = r"y\.tmx is named as TMX but the format given is tsv \(--format tsv, fmt='tsv'\)"
    with pytest.raises(OutputError, match=told):
        write_alignment(a, tmp_path / "y.tmx", fmt="tsv")  # TSV a CAT tool reads as broken TMX
    assert not (tmp_path / "y.tmx").exists()
    (tmp_path / "folder.tmx").mkdir()
    with pytest.raises(OutputError, match=r"folder\.tmx is a folder: give a file name"):
        write_alignment(a, tmp_path / "folder.tmx", force=True)  # not "already exists"
    with pytest.raises(OutputError, match=r"folder\.tmx is a folder: give a file name"):
        write_alignment(a, tmp_path / "folder.tmx")
    write_alignment(a, tmp_path / "tm.jsonl")
    assert read_alignment(tmp_path / "tm.jsonl") == a
    write_alignment(a, tmp_path / "tm.tsv")
    with pytest.raises(InputError, match="cannot be read back"):
        read_alignment(tmp_path / "tm.tsv")
    (tmp_path / "bad.jsonl").write_bytes(b"{}\n")
    with pytest.raises(InputError, match=r"bad\.jsonl: JSONL line 1"):
        read_alignment(tmp_path / "bad.jsonl")


def test_failed_serialisation_leaves_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "OUT.tmx"
    out.write_bytes(b"old TM")

    def boom(self: TmxWriter, alignment: Alignment, **options: object) -> bytes:
        raise RuntimeError("serialiser failed")

    monkeypatch.setattr(TmxWriter, "render", boom)
    with pytest.raises(RuntimeError, match="serialiser failed"):
        write_alignment(make_alignment(), out, force=True)
    assert out.read_bytes() == b"old TM"
    assert [p.name for p in tmp_path.iterdir()] == ["OUT.tmx"]


def test_existing_output_is_refused_before_serialising(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "OUT.tmx"
    out.write_bytes(b"old TM")
    calls: list[str] = []
    monkeypatch.setattr(TmxWriter, "render", lambda *a, **k: calls.append("render"))
    with pytest.raises(OutputError, match=r"already exists: pass --force \(force=True\) to"):
        write_alignment(make_alignment(), out)
    assert calls == [] and out.read_bytes() == b"old TM"


# --- atomic_write ------------------------------------------------------------------


def test_atomic_write_creates_folders_with_normal_permissions(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "tm.tmx"
    atomic_write(out, b"data")
    assert out.read_bytes() == b"data"
    umask = os.umask(0o022)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    assert sorted(p.name for p in out.parent.iterdir()) == ["tm.tmx"]


def test_atomic_write_needs_force_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "OUT.tmx"
    out.write_bytes(b"old")
    out.chmod(0o640)
    with pytest.raises(OutputError) as info:
        atomic_write(out, b"new")
    want = f"{out} already exists: pass --force (force=True) to overwrite, or choose another -o"
    assert str(info.value) == want
    assert out.read_bytes() == b"old"
    atomic_write(out, b"new", force=True)
    assert out.read_bytes() == b"new"
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["OUT.tmx"]


def test_atomic_write_failure_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "OUT.tmx"
    out.write_bytes(b"old")

    def fail(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OutputError, match="cannot write .*OUT.tmx: No space left on device"):
        atomic_write(out, b"new", force=True)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["OUT.tmx"]


def test_atomic_write_into_a_file_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder")
    for target in (blocker / "tm.tmx", blocker / "sub" / "tm.tmx"):
        with pytest.raises(OutputError, match="is a file|not a folder") as info:
            atomic_write(target, b"data")
        assert "\n" not in str(info.value)
    with pytest.raises(OutputError, match="is a folder"):
        atomic_write(tmp_path, b"data", force=True)
    assert blocker.read_text() == "a file, not a folder"


def test_atomic_write_wants_bytes(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        atomic_write(tmp_path / "x", "text")  # type: ignore[arg-type]


# --- helpers -----------------------------------------------------------------------


def test_helpers() -> None:
    assert paragraph_label([12]) == "12"
    assert paragraph_label([13, 12, 12]) == "12-13"
    assert paragraph_label([3, 5, 6, 7]) == "3,5-7"
    assert [lang_code(c) for c in ("zh", "EN", "de", "fr", "pt-BR")] == [
        "zh-CN",
        "en-US",
        "de-DE",
        "fr-FR",
        "pt-BR",
    ]
    assert [lang_from_code(c) for c in ("zh-CN", "en-us", "zh-TW", "ru")] == [
        "zh",
        "en",
        "zh-TW",
        "ru",
    ]


@pytest.mark.parametrize(
    ("line", "said"),
    [
        (b'{"type": "bead", "src": ', "not a whole record (it breaks off or is garbled at"),
        (b'\xff\xfe{"type": "bead"}', "byte 0xff is not UTF-8"),
    ],
)
def test_a_damaged_jsonl_line_is_told_in_plain_words(
    tmp_path: Path, line: bytes, said: str
) -> None:
    """It quoted Python's JSON parser ("Expecting property name enclosed in double quotes")."""
    good = tmp_path / "good.jsonl"
    write_alignment(make_alignment(), good)
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(good.read_bytes() + line + b"\n")
    with pytest.raises(InputError, match="the file is damaged") as told:
        read_alignment(bad)
    assert said in str(told.value) and "Expecting" not in str(told.value)
