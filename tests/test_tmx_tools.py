"""align.tmx and ``align tmx``: streaming read/write, validate, stats, merge, filter, convert."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, TMX_DTD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tmxcheck import assert_valid_tmx

import align
from align import tmx
from align.errors import InputError, OutputError
from align.types import Alignment, Bead, Segment
from align.writers import read_tmx_units, write_alignment

DATE = "20230615T093000Z"
LINK = "https://undocs.org/ch/A/RES/59/48"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ZH = [
    ("联合国同上海合作组织的合作", 0, "heading"),
    ("大会，", 1, "body"),
    ("回顾《联合国宪章》第八章 & 区域安排 <第52条>，", 2, "body"),
    ("还回顾其第59/48号决议，", 3, "body"),
    ("提案国名单如有任何变化，将在会议正式记录中予以反映。", 4, "footnote"),
    ("未对齐的一句。", 5, "body"),
]
EN = [
    (
        "Cooperation between the United Nations and the Shanghai Cooperation Organization",
        0,
        "heading",
    ),
    ("The General Assembly,", 1, "body"),
    ('Recalling Chapter VIII & regional arrangements <Article 52> "of the Charter",', 2, "body"),
    ("Recalling further its resolution 59/48,", 3, "body"),
    ("by which it granted observer status,", 3, "body"),
    (
        "Any changes in the list of sponsors will be reflected in the official records.",
        4,
        "footnote",
    ),
]


def _segments(rows: list[tuple[str, int, str]], links: dict[int, tuple[str, ...]]) -> list[Segment]:
    out, pos = [], 0
    for i, (text, para, kind) in enumerate(rows):
        foot = "*" if kind == "footnote" else None
        out.append(Segment(text, para, pos, pos + len(text), kind, foot, links.get(i, ())))
        pos += len(text) + 1
    return out


def make_alignment(document: str = "A/77/L.107", confidences: tuple[float, ...] = ()) -> Alignment:
    conf = confidences or (0.95, 0.9876, 0.41234, 0.7775, 0.6, 0.0)
    return Alignment(
        "zh",
        "en",
        _segments(ZH, {3: (LINK,)}),
        _segments(EN, {}),
        [
            Bead((0,), (0,), conf[0]),
            Bead((1,), (1,), conf[1]),
            Bead((2,), (2,), conf[2]),
            Bead((3,), (3, 4), conf[3]),
            Bead((4,), (5,), conf[4]),
            Bead((5,), (), conf[5]),
        ],
        signature={"encoder": "use", "tool": "un-align 0.1.0"},
        document=document,
    )


@pytest.fixture
def ours(tmp_path: Path) -> Path:
    path = tmp_path / "ours.tmx"
    write_alignment(make_alignment(), path, date=DATE)
    return path


# A TMX 1.1 file as another tool writes it: deprecated ``lang``, every inline element,
# notes and props at every level, a <ude>, namespaced root, upper-case codes.
SEGS = {
    "@EN1@": 'Click <bpt i="1" x="1">&lt;a href="x"&gt;</bpt>here<ept i="1">&lt;/a&gt;</ept> '
    '&amp; <ph x="2">&lt;br/&gt;</ph>see <hi type="b">note<ph>{1}</ph></hi>'
    '<it pos="begin">&lt;i&gt;</it>.',
    "@DE1@": 'Klicken Sie <bpt i="1" x="1">&lt;a href="x"&gt;</bpt>hier<ept i="1">&lt;/a&gt;</ept> '
    '&amp; <ph x="2">&lt;br/&gt;</ph>siehe <hi type="b">Notiz<ph>{1}</ph></hi>'
    '<it pos="begin">&lt;i&gt;</it>.',
    "@EN2@": 'Footnote<ph x="3"><sub>See <hi>annex</hi></sub></ph> and <ut>{\\b}</ut>bold',
    "@DE2@": 'Fußnote<ph x="3"><sub>Siehe <hi>Anhang</hi></sub></ph> und <ut>{\\b}</ut>fett',
}
FOREIGN = textwrap.dedent(
    """\
    <?xml version="1.0" encoding="UTF-8"?>
    <tmx version="1.1" xmlns:x="urn:example">
    <header creationtool="OtherCAT" creationtoolversion="9" datatype="html" segtype="sentence"
     adminlang="EN-US" srclang="EN-US" o-tmf="other">
    <note>exported for review</note>
    <prop type="client">UN</prop>
    <ude name="MacRoman" base="Macintosh"><map unicode="#xF8FF" code="#xF0" ent="Apple_logo"/></ude>
    </header>
    <body>
    <tu tuid="t1" creationdate="20200101T000000Z">
    <note>checked</note>
    <prop type="x-confidence">0.8</prop>
    <prop type="x-document" lang="EN">A/1</prop>
    <tuv lang="EN-US" creationid="ann"><prop type="x-origin">mt</prop><seg>@EN1@</seg></tuv>
    <tuv lang="DE-DE"><note>de note</note><seg>@DE1@</seg></tuv>
    </tu>
    <tu tuid="t2">
    <tuv lang="EN-US"><seg>@EN2@</seg></tuv>
    <tuv lang="DE-DE"><seg>@DE2@</seg></tuv>
    </tu>
    </body>
    </tmx>
    """
)
for _mark, _seg in SEGS.items():
    FOREIGN = FOREIGN.replace(_mark, _seg)


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    path = tmp_path / "foreign.tmx"
    path.write_text(FOREIGN, encoding="utf-8")
    return path


def units_of(path: Path) -> list[tmx.Unit]:
    return list(tmx.iter_units(path))


def content(units: list[tmx.Unit]) -> list[tuple[object, ...]]:
    """What a unit says, without where it sat in its file."""
    return [(u.variants, u.meta, u.attrib) for u in units]


# --- read / write ---------------------------------------------------------------------


def test_our_tmx_round_trips_byte_for_byte(ours: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.tmx"
    n = tmx.write_tmx(again, tmx.read_header(ours), tmx.iter_units(ours))
    assert n == 5
    assert again.read_bytes() == ours.read_bytes()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(
        st.tuples(
            st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1),
            st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1),
        ),
        min_size=0,
        max_size=5,
    ),
    conf=st.floats(0, 1),
)
def test_any_alignment_round_trips_byte_for_byte(
    tmp_path: Path, texts: list[tuple[str, str]], conf: float
) -> None:
    a = Alignment(
        "zh",
        "en",
        [Segment(s, i, 0, len(s)) for i, (s, _) in enumerate(texts)],
        [Segment(t, i, 0, len(t)) for i, (_, t) in enumerate(texts)],
        [Bead((i,), (i,), conf) for i in range(len(texts))],
        document="doc <&>",
    )
    first, second = tmp_path / "first.tmx", tmp_path / "second.tmx"
    write_alignment(a, first, date=DATE, force=True)
    tmx.write_tmx(second, tmx.read_header(first), tmx.iter_units(first), force=True)
    assert second.read_bytes() == first.read_bytes()


def test_reads_what_our_writer_wrote(ours: Path) -> None:
    header = tmx.read_header(ours)
    assert header.srclang == "zh-CN" and header.version == "1.4"
    assert header.props("x-document") == ["A/77/L.107"]
    units = units_of(ours)
    expected = read_tmx_units(ours)
    assert [(u.variant("zh-CN").text, u.variant("en-US").text) for u in units] == [
        (s, t) for s, t, _ in expected
    ]
    assert [u.n for u in units] == [1, 2, 3, 4, 5]
    assert (
        units[2].variant("zh-cn").seg == "回顾《联合国宪章》第八章 &amp; 区域安排 &lt;第52条&gt;，"
    )
    assert units[2].confidence == pytest.approx(0.412)
    assert units[3].props("x-link") == [LINK] and units[3].prop("x-bead") == "1-2"


def test_foreign_tmx_keeps_inline_codes_notes_and_props(foreign: Path, tmp_path: Path) -> None:
    header = tmx.read_header(foreign)
    assert header.version == "1.1" and header.srclang == "EN-US"
    assert [(m.tag, m.text) for m in header.meta] == [
        ("note", "exported for review"),
        ("prop", "UN"),
    ]
    assert len(header.udes) == 1 and "Apple_logo" in header.udes[0]
    first, second = units_of(foreign)
    en = first.variant("en-us")
    assert en.lang == "EN-US" and dict(en.attrib) == {"creationid": "ann"}
    assert en.text == "Click here & see note."
    assert en.seg.startswith('Click <bpt i="1" x="1">&lt;a href="x"&gt;</bpt>here<ept i="1">')
    assert '<hi type="b">note<ph>{1}</ph></hi><it pos="begin">&lt;i&gt;</it>.' in en.seg
    assert "xmlns" not in en.seg
    assert [(m.tag, m.type, m.text) for m in en.meta] == [("prop", "x-origin", "mt")]
    assert first.notes == ["checked"] and first.confidence == 0.8
    assert (XML_LANG, "EN") in next(m for m in first.meta if m.type == "x-document").attrib
    assert dict(first.attrib) == {"tuid": "t1", "creationdate": "20200101T000000Z"}
    assert first.variant("de-de").meta == (tmx.Meta.note("de note"),)
    de = second.variant("DE-DE")
    assert de.text == "Fußnote und fett"
    assert de.seg == SEGS["@DE2@"]
    assert first.variants[1].seg == SEGS["@DE1@"]

    out = tmp_path / "out.tmx"
    assert tmx.write_tmx(out, header, tmx.iter_units(foreign)) == 2
    assert content(units_of(out)) == content([first, second])
    rewritten = tmx.read_header(out)
    assert rewritten.meta == header.meta and rewritten.udes == header.udes
    assert rewritten.version == "1.4"
    tree = assert_valid_tmx(out)  # TMX 1.4: xml:lang, DOCTYPE, DTD
    assert tree.getroot().get("version") == "1.4"


def test_units_are_streamed_not_loaded(tmp_path: Path) -> None:
    """A unit already handed out is freed: at most the last one lingers, emptied."""
    path = tmp_path / "many.tmx"
    write_big(path, 200)
    seen = 0
    for kind, el, _n in tmx._scan(path):
        if kind == "tu":
            prev = el.getprevious()
            assert prev is None or (len(prev) == 0 and prev.getprevious() is None)
            seen += 1
    assert seen == 200


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", r"bad.tmx: is empty \(0 bytes\): check that it was saved"),
        (b"<tmx version='1.4'><header", "not well-formed XML: .*line 1, column 27: check"),
        (b"<html><body/></html>", "root element is <html>"),
        (b"<tmx version='1.4'><body/></tmx>", "no <header>"),
    ],
)
def test_unreadable_input_is_one_input_error(tmp_path: Path, data: bytes, problem: str) -> None:
    path = tmp_path / "bad.tmx"
    path.write_bytes(data)
    with pytest.raises(InputError, match=problem) as info:
        list(tmx.iter_units(path))
    assert "\n" not in str(info.value) and str(path) in str(info.value)
    assert "(bad.tmx, line" not in str(info.value) and "(line 0)" not in str(info.value)
    with pytest.raises(InputError, match="no such file"):
        tmx.read_header(tmp_path / "missing.tmx")


# --- validate -------------------------------------------------------------------------

HEADER = (
    '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
    'adminlang="en-US" srclang="zh-CN" datatype="plaintext"/>'
)


def tmx_with(units: list[str], header: str = HEADER, version: str = "1.4") -> str:
    body = "\n".join(units)
    head = f'<?xml version="1.0"?>\n<tmx version="{version}">\n{header}\n'
    return f"{head}<body>\n{body}\n</body>\n</tmx>\n"


def tu(zh: str = "大会，", en: str = "The General Assembly,", zh_code: str = "zh-CN") -> str:
    return (
        f'<tu><tuv xml:lang="{zh_code}"><seg>{zh}</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>'
    )


def test_our_output_is_valid(ours: Path) -> None:
    problems = tmx.validate(ours)
    assert list(problems) == [] and problems.units == 5
    assert problems.dtd == TMX_DTD


@pytest.mark.parametrize(
    ("units", "where", "message"),
    [
        ([tu(), tu(zh_code="en-GB")], "tu 2", "no <tuv> in srclang zh-CN (has en-GB, en-US)"),
        ([tu(), tu(zh_code="zh_CN")], "tu 2", "language code 'zh_CN' is not well formed"),
        ([tu(), tu(zh_code="chinese-traditional-x")], "tu 2", "is not well formed"),
        ([tu(zh="  ")], "tu 1", "empty <seg> in zh-CN"),
        ([tu(en="")], "tu 1", "empty <seg> in en-US"),
        ([tu(en='<ph x="1">&lt;br/&gt;</ph>')], "tu 1", "has no text, only inline codes"),
        ([tu(), tu("甲", "A"), tu()], "tu 3", "duplicate of tu 1 (same texts and context)"),
        ([tu("甲", "A"), tu("<hi>甲</hi>", "A")], None, None),  # markup differs: not a duplicate
        ([tu(), tu(en="x<b>y</b>")], "tu 2", "DTD: No declaration for element b"),
        (
            ['<tu><tuv lang="zh-CN"><seg>甲</seg></tuv><tuv lang="en-US"><seg>A</seg></tuv></tu>'],
            "tu 1",
            "2 <tuv> use the deprecated lang attribute",
        ),
        (
            [
                '<tu><tuv xml:lang="zh-CN"><seg>甲</seg></tuv>'
                '<tuv xml:lang="ZH-cn"><seg>乙</seg></tuv>'
                '<tuv xml:lang="en-US"><seg>A</seg></tuv></tu>'
            ],
            "tu 1",
            "2 <tuv> in zh-CN",
        ),
        (
            [
                '<tu><prop type="a">x</prop><tuv xml:lang="zh-CN"><seg>甲</seg></tuv>'
                "<note>late</note></tu>"
            ],
            "tu 1",
            "DTD: Element tu content does not follow the DTD",
        ),
    ],
)
def test_validate_finds_each_problem_with_its_unit(
    tmp_path: Path, units: list[str], where: str | None, message: str | None
) -> None:
    path = tmp_path / "t.tmx"
    path.write_text(tmx_with(units), encoding="utf-8")
    problems = tmx.validate(path)
    if where is None:
        assert list(problems) == []
        return
    assert any(p.where == where and message in p.message for p in problems), problems
    assert all(p.where == where for p in problems), problems
    assert str(problems[0]).startswith(f"{where} (line ")


def test_validate_header_and_file_problems(tmp_path: Path) -> None:
    path = tmp_path / "t.tmx"
    header = HEADER.replace('srclang="zh-CN"', "").replace('adminlang="en-US"', 'adminlang="e"')
    path.write_text(tmx_with([tu()], header=header, version="1.2"), encoding="utf-8")
    text = [str(p) for p in tmx.validate(path)]
    assert any(t.startswith("header") and "no srclang" in t for t in text), text
    assert any("adminlang" in t and "'e'" in t for t in text), text
    assert any(t.startswith("file") and "TMX version 1.2" in t for t in text), text
    assert any("DTD" in t and "srclang" in t for t in text), text  # required by the DTD


def test_srclang_all_needs_no_source_tuv(tmp_path: Path) -> None:
    path = tmp_path / "t.tmx"
    header = HEADER.replace('srclang="zh-CN"', 'srclang="*all*"')
    path.write_text(tmx_with([tu(zh_code="fr-FR")], header=header), encoding="utf-8")
    assert list(tmx.validate(path)) == []


def test_validate_without_the_dtd_still_checks_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "t.tmx"
    path.write_text(tmx_with([tu(en="x<b>y</b>"), tu(zh_code="zh_CN")]), encoding="utf-8")
    problems = tmx.validate(path, dtd=tmp_path / "absent.dtd")
    assert problems.dtd is None
    assert {p.where for p in problems} == {"tu 2"}
    assert not any("DTD" in p.message for p in problems)


def test_truncated_file_reports_what_it_found_and_where_it_broke(tmp_path: Path) -> None:
    path = tmp_path / "t.tmx"
    path.write_text(tmx_with([tu(), tu(zh="  ")])[:-8], encoding="utf-8")
    problems = tmx.validate(path)
    assert [p.where for p in problems] == ["file", "tu 2"]
    assert "not well-formed" in problems[0].message


# --- stats ----------------------------------------------------------------------------


def test_stats_counts_what_is_there(ours: Path) -> None:
    s = tmx.stats(ours)
    a = make_alignment()
    two_sided = [b for b in a.beads if b.src and b.tgt]
    assert s.units == len(two_sided) == 5
    assert s.segments == {"zh-CN": 5, "en-US": 5}
    assert s.characters["zh-CN"] == sum(len(a.src_text(b)) for b in two_sided)
    assert s.characters["en-US"] == sum(len(a.tgt_text(b)) for b in two_sided)
    assert s.props["x-confidence"] == 5 and s.props["x-link"] == 1 and s.props["x-kind"] == 2
    assert s.notes == 0 and s.scored == 5
    # 0.950 0.988 -> bin 9; 0.412 -> 4; 0.777 (0.7775 written .3f) -> 7; 0.600 -> 6
    assert s.histogram == (0, 0, 0, 0, 1, 0, 1, 1, 0, 2)
    assert s.mean_confidence == pytest.approx((0.95 + 0.988 + 0.412 + 0.777 + 0.6) / 5, abs=1e-3)
    assert "  zh-CN: 5 segments" in "\n".join(s.lines())
    assert s.segtype == "sentence" and "srclang zh-CN, segtype sentence" in s.lines()[1]


def test_stats_merges_language_spellings_and_counts_notes(foreign: Path) -> None:
    s = tmx.stats(foreign)
    assert s.units == 2 and s.segments == {"EN-US": 2, "DE-DE": 2}
    assert s.notes == 2 and s.props == {"x-confidence": 1, "x-document": 1, "x-origin": 1}
    assert s.scored == 1 and s.histogram[8] == 1
    assert s.characters["DE-DE"] == len("Klicken Sie hier & siehe Notiz.") + len("Fußnote und fett")


# --- merge ----------------------------------------------------------------------------


def test_merge_keeps_the_most_confident_copy_and_every_document(tmp_path: Path) -> None:
    a, b = tmp_path / "a.tmx", tmp_path / "b.tmx"
    write_alignment(make_alignment("A/1", (0.5, 0.9, 0.4, 0.7, 0.6, 0)), a, date=DATE)
    write_alignment(make_alignment("A/2", (0.8, 0.2, 0.4, 0.7, 0.6, 0)), b, date=DATE)
    out = tmp_path / "c.tmx"
    r = tmx.merge([a, b], out)
    assert (r.units_in, r.units_out, r.duplicates) == (10, 5, 5)
    merged = units_of(out)
    first_b = units_of(b)[0]
    # unit 1: b's copy is more confident, so it comes from b (in b's place, after a's units).
    assert [u.confidence for u in merged] == [0.9, 0.4, 0.7, 0.6, 0.8]
    assert merged[-1].variants == first_b.variants
    for u in merged:
        assert u.props("x-document") == (["A/2", "A/1"] if u is merged[-1] else ["A/1", "A/2"])
    # x-document stays where it was among the props.
    assert [m.type for m in merged[0].meta][:3] == ["x-confidence", "x-document", "x-document"]
    assert tmx.read_header(out).props("x-document") == ["A/1", "A/2"]
    assert list(tmx.validate(out)) == []
    assert_valid_tmx(out)


def test_merge_of_one_file_without_duplicates_is_that_file(ours: Path, tmp_path: Path) -> None:
    out = tmp_path / "same.tmx"
    tmx.merge([ours], out)
    assert out.read_bytes() == ours.read_bytes()


def test_merge_drops_duplicates_inside_one_file_and_keeps_notes(
    foreign: Path, tmp_path: Path
) -> None:
    doubled = tmp_path / "doubled.tmx"
    body = FOREIGN.split("<body>")[1].split("</body>")[0]
    worse = body.replace('type="x-confidence">0.8', 'type="x-confidence">0.1').replace(
        "<note>checked</note>", "<note>older</note>"
    )
    doubled.write_text(FOREIGN.replace(body, worse + body), encoding="utf-8")
    out = tmp_path / "out.tmx"
    r = tmx.merge([doubled], out)
    assert (r.units_in, r.units_out) == (4, 2)
    merged = units_of(out)
    assert [u.prop("x-confidence") for u in merged] == [None, "0.8"]
    assert merged[1].notes == ["checked"]
    assert content(merged) == content(units_of(foreign)[::-1])  # the no-score copy came first


def test_merge_of_different_source_languages_says_all(
    foreign: Path, ours: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.tmx"
    r = tmx.merge([ours, foreign], out)
    assert r.units_out == 7
    assert tmx.read_header(out).srclang == "*all*"
    assert list(tmx.validate(out)) == []


def test_merge_of_paragraph_and_sentence_tms_says_paragraph(
    ours: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paragraphs = tmp_path / "p.tmx"
    paragraphs.write_bytes(ours.read_bytes().replace(b'segtype="sentence"', b'segtype="paragraph"'))
    for inputs in ([ours, paragraphs], [paragraphs, ours]):
        out = tmp_path / "out.tmx"
        tmx.merge(inputs, out, force=True)
        assert dict(tmx.read_header(out).attrib)["segtype"] == "paragraph"
        assert list(tmx.validate(out)) == []
    assert "different segtype (paragraph, sentence): the merge says paragraph" in caplog.text
    assert tmx.stats(out).as_dict()["segtype"] == "paragraph"
    tmx.merge([ours, ours], out, force=True)
    assert dict(tmx.read_header(out).attrib)["segtype"] == "sentence"


# --- filter ---------------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0.0, 0.412, 0.5, 0.95, 1.0])
def test_filter_keeps_units_at_or_above_the_threshold(
    ours: Path, tmp_path: Path, threshold: float
) -> None:
    out = tmp_path / "f.tmx"
    r = tmx.filter(ours, out, threshold)
    expected = [u for u in units_of(ours) if u.confidence >= threshold]
    assert content(units_of(out)) == content(expected)
    assert (r.kept, r.dropped, r.unscored) == (len(expected), 5 - len(expected), 0)
    if threshold == 0.0:
        assert out.read_bytes() == ours.read_bytes()
    else:
        assert_valid_tmx(out)


def test_filter_unscored_units(foreign: Path, tmp_path: Path) -> None:
    r = tmx.filter(foreign, tmp_path / "a.tmx", 0.5)
    assert (r.kept, r.dropped, r.unscored) == (1, 1, 1)
    r = tmx.filter(foreign, tmp_path / "b.tmx", 0.5, keep_unscored=True)
    assert (r.kept, r.dropped, r.unscored) == (2, 0, 1)
    with pytest.raises(InputError, match="from 0 to 1"):
        tmx.filter(foreign, tmp_path / "c.tmx", 1.5)
    assert not (tmp_path / "c.tmx").exists()


# --- convert --------------------------------------------------------------------------


def test_tmx_to_tsv_is_what_the_tsv_writer_writes(ours: Path, tmp_path: Path) -> None:
    direct = tmp_path / "direct.tsv"
    write_alignment(make_alignment(), direct)
    converted = tmp_path / "converted.tsv"
    r = tmx.convert(ours, converted)
    assert (r.format, r.units, r.skipped) == ("tsv", 5, 0)
    assert converted.read_bytes() == direct.read_bytes()


def test_tsv_to_tmx_rebuilds_the_units(ours: Path, tmp_path: Path) -> None:
    tsv = tmp_path / "a.tsv"
    write_alignment(make_alignment(), tsv)
    back = tmp_path / "back.tmx"
    r = tmx.convert(tsv, back, src_lang="zh", tgt_lang="en", date=DATE)
    assert (r.format, r.units) == ("tmx", 5)
    assert_valid_tmx(back)
    want = [
        (
            [(v.lang, v.seg) for v in u.variants],
            [
                (m.type, m.text)
                for m in u.meta
                if m.type in ("x-confidence", "x-bead", "x-paragraph")
            ],
        )
        for u in units_of(ours)
    ]
    got = [
        ([(v.lang, v.seg) for v in u.variants], [(m.type, m.text) for m in u.meta])
        for u in units_of(back)
    ]
    assert got == want  # a TSV row has no neighbours: the context props are the TMX's own
    assert tmx.read_header(back).attrib == (
        ("creationtool", "un-align"),
        ("creationtoolversion", align.__version__),
        ("segtype", "sentence"),
        ("o-tmf", "un-align"),
        ("adminlang", "en-US"),
        ("srclang", "zh-CN"),
        ("datatype", "plaintext"),
        ("creationdate", DATE),
    )


def test_plain_two_column_tsv(tmp_path: Path) -> None:
    tsv = tmp_path / "p.tsv"
    tsv.write_text("Guten Tag\tGood day\n\nnur links\t\nA & <B>\tA & <B>\n", encoding="utf-8")
    out = tmp_path / "p.tmx"
    r = tmx.convert(tsv, out, src_lang="de-DE", tgt_lang="en-GB")
    assert (r.units, r.skipped) == (2, 1)
    units = units_of(out)
    assert [(u.variant("de-DE").text, u.variant("en-GB").text) for u in units] == [
        ("Guten Tag", "Good day"),
        ("A & <B>", "A & <B>"),
    ]
    assert units[1].variants[0].seg == "A &amp; &lt;B&gt;"
    assert list(tmx.validate(out)) == []


def test_a_tsv_not_in_utf8_is_told_by_its_line(tmp_path: Path) -> None:
    """A TSV saved as Windows-1252 said ``not UTF-8 (invalid continuation byte)``: the codec's
    words, and no line to look at."""
    tsv = tmp_path / "p.tsv"
    tsv.write_bytes(b"Guten Tag\tGood day\n" * 600 + b"Caf\xe9\tCafe\n")
    with pytest.raises(InputError) as info:
        tmx.convert(tsv, tmp_path / "p.tmx", src_lang="de-DE", tgt_lang="en-GB")
    assert str(info.value) == (
        f"{tsv}: is not UTF-8 (line 601 has the byte 0xe9, which UTF-8 does not allow "
        "there): save it as UTF-8"
    )
    assert not (tmp_path / "p.tmx").exists()


def test_tmx_to_jsonl_keeps_markup_props_and_notes(foreign: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    r = tmx.convert(foreign, out)
    assert (r.format, r.units) == ("jsonl", 2)
    head, *units = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert head["format"] == tmx.JSONL_FORMAT and head["attributes"]["srclang"] == "EN-US"
    assert head["notes"] == ["exported for review"] and head["props"] == [["client", "UN"]]
    first = units[0]
    assert first["notes"] == ["checked"] and ["x-confidence", "0.8"] in first["props"]
    en = first["tuvs"][0]
    assert en["lang"] == "EN-US" and en["text"] == "Click here & see note."
    assert en["seg"] == units_of(foreign)[0].variants[0].seg
    assert en["props"] == [["x-origin", "mt"]]


def test_tmx_to_tmx_upgrades_an_old_file(foreign: Path, tmp_path: Path) -> None:
    out = tmp_path / "new.tmx"
    tmx.convert(foreign, out)
    assert_valid_tmx(out)
    assert content(units_of(out)) == content(units_of(foreign))


def test_a_tsv_round_trip_keeps_the_languages(tmp_path: Path) -> None:
    """An English-to-Chinese TM through TSV comes back English-to-Chinese, not zh/en."""
    source = tmp_path / "en-zh.tmx"
    header = HEADER.replace('srclang="zh-CN"', 'srclang="en-GB"')
    body = (
        '<tu><tuv xml:lang="en-GB"><seg>Press Save now.</seg></tuv>'
        '<tuv xml:lang="zh-TW"><seg>現在按儲存。</seg></tuv></tu>'
    )
    source.write_text(tmx_with([body], header=header), encoding="utf-8")
    tsv, back = tmp_path / "x.tsv", tmp_path / "back.tmx"
    tmx.convert(source, tsv)
    assert tsv.read_text(encoding="utf-8").splitlines()[0].split("\t")[:2] == ["en-GB", "zh-TW"]
    tmx.convert(tsv, back)
    assert tmx.read_header(back).srclang == "en-GB"
    assert [(v.lang, v.text) for v in units_of(back)[0].variants] == [
        ("en-GB", "Press Save now."),
        ("zh-TW", "現在按儲存。"),
    ]


def test_a_tsv_column_in_another_language_than_said_is_refused(tmp_path: Path) -> None:
    swapped = tmp_path / "swapped.tsv"
    rows = [("The General Assembly,", "大会，"), ("Recalling its resolutions,", "回顾其各项决议，")]
    swapped.write_text("".join(f"{a}\t{b}\n" for a, b in rows), encoding="utf-8")
    out = tmp_path / "s.tmx"
    with pytest.raises(
        InputError, match=r"first column has almost no Chinese .* zh \(by default\)"
    ):
        tmx.convert(swapped, out)
    assert not out.exists()
    labelled = tmp_path / "labelled.tsv"
    labelled.write_text("zh-CN\ten-US\tconfidence\n" + swapped.read_text("utf-8"), "utf-8")
    with pytest.raises(InputError, match="as its header says"):
        tmx.convert(labelled, out)
    r = tmx.convert(swapped, out, src_lang="en", tgt_lang="zh")
    assert r.units == 2 and tmx.read_header(out).srclang == "en-US"


def test_a_translators_tsv_is_read_as_data(tmp_path: Path) -> None:
    """Chinese rows full of URLs and acronyms are Chinese; a glossary whose first row looks
    like codes (``UN-Habitat``, ``IT``) is data, not a header naming languages."""
    rows = [
        (
            "详情请访问 https://www.undp.org/content/undp/en/home/goals.html",
            "For details, see https://www.undp.org/content/undp/en/home/goals.html",
        ),
        ("联合国开发计划署(UNDP)和联合国环境规划署(UNEP)", "UNDP and UNEP"),
        ("请发送电子邮件至 info@unep.org", "Please send an e-mail to info@unep.org"),
    ]
    tsv, out = tmp_path / "urls.tsv", tmp_path / "urls.tmx"
    tsv.write_text("".join(f"{a}\t{b}\n" for a, b in rows), encoding="utf-8")
    assert tmx.convert(tsv, out, src_lang="zh", tgt_lang="en").units == 3
    assert tmx.convert(tsv, out, force=True).units == 3
    for first in ("UN-Habitat\tUN-Habitat", "IT\tIT", "co-op\tco-op", "EN\tES"):
        glossary = tmp_path / "g.tsv"
        glossary.write_text(f"{first}\n联合国儿童基金会\tUNICEF\n", encoding="utf-8")
        assert tmx.tsv_header(glossary) is None
        r = tmx.convert(glossary, tmp_path / "g.tmx", force=True)
        assert r.units == 2 and tmx.read_header(tmp_path / "g.tmx").srclang == "zh-CN"
    glossary.write_text("zh-CN\ten-GB\n联合国儿童基金会\tUNICEF\n", encoding="utf-8")
    assert tmx.tsv_header(glossary) == ("zh-CN", "en-GB")


def test_tmx_to_tsv_counts_languages_whatever_their_case(tmp_path: Path) -> None:
    path = tmp_path / "mixed.tmx"
    path.write_text(tmx_with([tu(), tu("甲", "A").replace("en-US", "EN-us")]), encoding="utf-8")
    out = tmp_path / "mixed.tsv"
    r = tmx.convert(path, out)
    assert r.units == 2 and out.read_text("utf-8").splitlines()[2] == "甲\tA\t\t\t"


def test_tmx_to_tsv_says_what_a_row_cannot_hold(foreign: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.tmx"
    units = [
        tu(en="  Padded  "),
        tu(en="Line one\nLine two\twith tab"),
        tu(en='See <ph x="1">&lt;img/&gt;</ph> here'),
        tu(en='<ph x="1">&lt;img/&gt;</ph>'),
    ]
    path.write_text(tmx_with(units), encoding="utf-8")
    r = tmx.convert(path, tmp_path / "t.tsv")
    assert (r.units, r.skipped) == (3, 1)
    assert r.altered == {
        "had spaces at their ends, trimmed": 1,
        "had line breaks or tabs, written as spaces": 1,
        "lost inline codes (formatting, placeholders) a TSV cannot hold": 1,
    }
    rows = (tmp_path / "t.tsv").read_text("utf-8").splitlines()[1:]
    assert [row.split("\t")[1] for row in rows] == [
        "Padded",
        "Line one Line two with tab",
        "See  here",
    ]


def test_tsv_to_tmx_cleans_characters_xml_cannot_hold(tmp_path: Path) -> None:
    tsv = tmp_path / "c.tsv"
    tsv.write_text("source\ttarget\n分\x0b行\tLine\x0bbreak\x01\n", encoding="utf-8")
    out = tmp_path / "c.tmx"
    r = tmx.convert(tsv, out)
    assert [(v.lang, v.text) for v in units_of(out)[0].variants] == [
        ("zh-CN", "分 行"),
        ("en-US", "Line break"),
    ]
    assert [(d.where, d.char) for d in r.dropped] == [
        ("c.tsv:2 source", "\x0b"),
        ("c.tsv:2 target", "\x01"),
        ("c.tsv:2 target", "\x0b"),
    ]
    assert list(tmx.validate(out)) == []


def test_a_sentence_met_twice_in_different_context(tmp_path: Path) -> None:
    """Not a duplicate to validate; one unit to merge, unless contexts are kept for the
    CAT tools that match in context (memoQ's 101%, Trados' context match)."""

    def with_context(pre: str) -> str:
        return tu("同上。", "Ibid.").replace(
            '<tuv xml:lang="zh-CN">',
            f'<tuv xml:lang="zh-CN"><prop type="x-context-pre">{pre}</prop>',
        )

    path = tmp_path / "rep.tmx"
    path.write_text(tmx_with([with_context("甲"), with_context("乙"), with_context("甲")]), "utf-8")
    problems = tmx.validate(path)
    assert [(p.where, p.warning) for p in problems] == [("tu 3", True)]
    assert problems.errors == []
    r = tmx.merge([path], tmp_path / "m.tmx")
    assert (r.units_in, r.units_out) == (3, 1)
    r = tmx.merge([path], tmp_path / "k.tmx", keep_contexts=True)
    assert (r.units_in, r.units_out) == (3, 2)
    pres = [u.variants[0].meta[0].text for u in units_of(tmp_path / "k.tmx")]
    assert pres == ["甲", "乙"]
    cli = align_cli("merge", str(path), "--keep-contexts", "-o", str(tmp_path / "c.tmx"))
    assert cli.returncode == 0 and "2 units from 1 file(s)" in cli.stderr, cli.stderr


def test_validate_reads_dates_as_cat_tools_do(tmp_path: Path) -> None:
    header = HEADER.replace("<header ", '<header creationdate="2024-01-01 10:00" ')
    units = [
        tu().replace("<tu>", f'<tu creationdate="{DATE}" changedate="yesterday">'),
        tu("甲", "A").replace('<tuv xml:lang="en-US">', '<tuv xml:lang="en-US" changedate="1">'),
    ]
    path = tmp_path / "d.tmx"
    path.write_text(tmx_with(units, header=header), encoding="utf-8")
    found = [(p.where, p.message.split(" is ")[0]) for p in tmx.validate(path)]
    assert found == [
        ("header", "creationdate '2024-01-01 10:00'"),
        ("tu 1", "changedate 'yesterday'"),
        ("tu 2", "changedate '1'"),
    ]


def test_tmx_to_tmx_says_what_it_cannot_mend(ours: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text(tmx_with([tu(), tu(en="x<b>y</b>")]), encoding="utf-8")
    r = tmx.convert(path, tmp_path / "out.tmx")
    assert r.units == 2 and r.problems
    assert all(p.startswith("tu 2 ") and "element b" in p.lower() for p in r.problems)
    assert tmx.convert(ours, tmp_path / "ours14.tmx").problems == ()


def test_jsonl_keeps_the_attributes_of_every_element(foreign: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    tmx.convert(foreign, out)
    head, first, _second = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert head["udes"] == [
        '<ude name="MacRoman" base="Macintosh"><map unicode="#xF8FF" code="#xF0" '
        'ent="Apple_logo"/></ude>'
    ]
    assert ["x-document", "A/1", {"xml:lang": "EN"}] in first["props"]
    assert first["tuvs"][0]["attributes"] == {"creationid": "ann"}
    assert "attributes" not in first["tuvs"][1]


def test_entities_a_file_declares_are_read(tmp_path: Path) -> None:
    path = tmp_path / "e.tmx"
    text = tmx_with([tu("10&nbsp;公里", "10&nbsp;km")])
    path.write_text(
        text.replace("?>\n", '?>\n<!DOCTYPE tmx [ <!ENTITY nbsp "&#160;"> ]>\n', 1), "utf-8"
    )
    assert [v.text for v in units_of(path)[0].variants] == ["10\xa0公里", "10\xa0km"]
    assert tmx.stats(path).characters == {"zh-CN": 5, "en-US": 5}
    tmx.merge([path], tmp_path / "m.tmx")
    assert [v.text for v in units_of(tmp_path / "m.tmx")[0].variants] == ["10\xa0公里", "10\xa0km"]


@pytest.mark.parametrize("lang", ["", "english"])
def test_merge_and_filter_refuse_a_unit_without_a_language(
    ours: Path, tmp_path: Path, lang: str
) -> None:
    broken = tmp_path / "broken.tmx"
    attribute = f' xml:lang="{lang}"' if lang else ""
    broken.write_text(
        tmx_with([tu(), tu("甲", "A").replace(' xml:lang="en-US"', attribute)]), "utf-8"
    )
    out = tmp_path / "out.tmx"
    with pytest.raises(InputError, match=r"broken\.tmx: tu 2 \(line \d+\): .*mend it first"):
        tmx.merge([ours, broken], out)
    with pytest.raises(InputError, match="tu 2"):
        tmx.filter(broken, out, 0.0, keep_unscored=True)
    assert not out.exists()


def test_convert_refuses_what_it_cannot_do(foreign: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot convert \.tmx to \.docx"):
        tmx.convert(foreign, tmp_path / "x.docx")
    three = tmp_path / "three.tmx"
    three.write_text(
        tmx_with(
            [
                '<tu><tuv xml:lang="zh-CN"><seg>甲</seg></tuv><tuv xml:lang="fr-FR"><seg>A</seg>'
                "</tuv></tu>",
                tu(),
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"2 target languages \(en-US, fr-FR\).*\.jsonl"):
        tmx.convert(three, tmp_path / "x.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_text("source\ttarget\tconfidence\nA\tB\thigh\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.tsv:2: confidence 'high'"):
        tmx.convert(bad, tmp_path / "bad.tmx")
    assert not (tmp_path / "bad.tmx").exists() and not (tmp_path / "x.tsv").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("option", ["src_lang", "tgt_lang"])
def test_convert_refuses_column_languages_for_a_tmx(
    foreign: Path, tmp_path: Path, option: str
) -> None:
    """They name a TSV's columns; a TMX names its own languages. They were ignored, and the
    TM came out in languages the caller had not asked for."""
    flag = "--" + option.replace("_", "-")
    with pytest.raises(InputError) as info:
        tmx.convert(foreign, tmp_path / "x.tsv", **{option: "fr-FR"})  # type: ignore[arg-type]
    assert str(info.value) == (
        f"{flag} ({option}=) gives the languages of a TSV's columns, but {foreign} is not a "
        f"TSV, and a TMX names the language of each segment itself: leave {flag} out"
    )  # it read "(src_lang) names a TSV input's columns; … is no TSV'
    assert not (tmp_path / "x.tsv").exists()


# --- atomic output --------------------------------------------------------------------


def test_existing_output_needs_force(ours: Path, foreign: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    out.write_text("keep me", encoding="utf-8")
    for run in (
        lambda f: tmx.merge([ours], out, force=f),
        lambda f: tmx.filter(ours, out, 0.5, force=f),
        lambda f: tmx.convert(foreign, out, force=f),
    ):
        with pytest.raises(OutputError, match=r"already exists: pass --force \(force=True\) to"):
            run(False)
        assert out.read_text(encoding="utf-8") == "keep me"
    tmx.merge([ours], out, force=True)
    assert out.read_bytes() == ours.read_bytes()


def test_a_failure_half_way_leaves_nothing_behind(ours: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.tmx"
    broken.write_bytes(ours.read_bytes()[:-300])
    out = tmp_path / "out.tmx"
    out.write_bytes(b"old")
    with pytest.raises(InputError, match="not well-formed"):
        tmx.filter(broken, out, 0.0, force=True)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.tmx", "ours.tmx", "out.tmx"]


def test_merge_into_one_of_its_inputs(ours: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.tmx"
    copy.write_bytes(ours.read_bytes())
    r = tmx.merge([ours, copy], ours, force=True)
    assert (r.units_in, r.units_out) == (10, 5)
    assert content(units_of(ours)) == content(units_of(copy))


# --- memory ---------------------------------------------------------------------------


def write_big(path: Path, n: int, start: int = 0) -> None:
    """n units with inline codes, written as text (fast), confidences cycling 0..0.999."""
    with path.open("w", encoding="utf-8") as f:
        f.write(tmx_with(["@"]).split("@")[0])
        for i in range(start, start + n):
            f.write(
                f'<tu tuid="{i}">\n  <prop type="x-confidence">{i % 1000 / 1000:.3f}</prop>\n'
                f'  <prop type="x-document">D{i % 7}</prop>\n'
                f'  <tuv xml:lang="zh-CN">\n    <seg>第{i}号决议回顾联合国的宗旨之一是在维护'
                f"国际和平与安全方面开展合作，</seg>\n  </tuv>\n"
                f'  <tuv xml:lang="en-US">\n    <seg>Recalling resolution {i}, that one of the '
                f'purposes of the <ph x="1">&lt;br/&gt;</ph>United Nations is cooperation,</seg>\n'
                f"  </tuv>\n</tu>\n"
            )
        f.write("</body>\n</tmx>\n")


MEASURE = """
import resource, sys
import align
from align import tmx
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
r = tmx.merge(sys.argv[1:3], sys.argv[3])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(r.units_in, r.units_out, (after - before) * 1024)
"""


def test_merge_streams_with_flat_memory(tmp_path: Path) -> None:
    """9 MB of TMX: a merge that held the parsed units grew by about 27 MB (three times
    the input, measured; past the interpreter's own start-up peak); streaming, by nothing."""
    a, b, out = tmp_path / "a.tmx", tmp_path / "b.tmx", tmp_path / "out.tmx"
    write_big(a, 20_000)
    write_big(b, 2_000, start=19_200)  # 800 units shared with a
    size = a.stat().st_size + b.stat().st_size
    r = subprocess.run(
        [sys.executable, "-c", MEASURE, str(a), str(b), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert r.returncode == 0, r.stderr
    units_in, units_out, growth = map(int, r.stdout.split())
    assert (units_in, units_out) == (22_000, 21_200)
    # Holding the parsed units would take several times the file size; streaming, a few MB.
    assert growth < size / 4, f"peak RSS grew {growth / 1e6:.1f} MB for {size / 1e6:.1f} MB of TMX"
    assert tmx.stats(out).units == 21_200


# --- other readers --------------------------------------------------------------------


def test_translate_toolkit_reads_the_same_units(ours: Path, foreign: Path, tmp_path: Path) -> None:
    from translate.storage.tmx import tmxfile

    for path in (ours, tmp_path / "merged.tmx"):
        if path.name == "merged.tmx":
            tmx.merge([ours, foreign], path)
        store = tmxfile.parsefile(str(path))
        units = units_of(path)
        header = tmx.read_header(path)
        assert store.sourcelanguage == header.srclang
        assert len(store.units) == len(units)
        for theirs, mine in zip(store.units, units, strict=True):
            langs = [n.get(XML_LANG) for n in theirs.getlanguageNodes()]
            assert langs == [v.lang for v in mine.variants]
            if mine.variants[0].seg == tmx.escape(mine.variants[0].text):
                assert (theirs.source, theirs.target) == tuple(v.text for v in mine.variants)
            assert theirs.getid() == dict(mine.attrib).get("tuid", theirs.getid())


# --- the command ----------------------------------------------------------------------


def align_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "align.cli", "tmx", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
        timeout=60,
        cwd=ROOT,
    )


def test_cli_validate(ours: Path, tmp_path: Path) -> None:
    r = align_cli("validate", str(ours))
    assert (r.returncode, r.stdout) == (0, "valid: 5 units\n"), r.stderr
    bad = tmp_path / "bad.tmx"
    bad.write_text(tmx_with([tu(), tu(zh_code="zh_CN"), tu()]), encoding="utf-8")
    r = align_cli("validate", str(bad))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith("tu 2 (line ") for line in lines[:2])
    assert "'zh_CN' is not well formed" in lines[0] and "no <tuv> in srclang" in lines[1]
    assert lines[2].startswith("tu 3") and "warning: duplicate of tu 1" in lines[2]
    assert "invalid: 2 problem(s) in 3 units, 1 warning(s)" in r.stderr
    repeated = tmp_path / "repeated.tmx"
    repeated.write_text(tmx_with([tu(), tu("甲", "A"), tu()]), encoding="utf-8")
    r = align_cli("validate", str(repeated))
    assert (r.returncode, r.stdout.splitlines()[-1]) == (0, "valid: 3 units, 1 warning(s)")


def test_cli_merge_filter_convert_stats(ours: Path, foreign: Path, tmp_path: Path) -> None:
    merged, sure, tsv = tmp_path / "m.tmx", tmp_path / "s.tmx", tmp_path / "s.tsv"
    r = align_cli("merge", str(ours), str(ours), "-o", str(merged))
    assert r.returncode == 0 and "5 units" in r.stderr and "5 duplicate" in r.stderr, r.stderr
    r = align_cli("filter", str(merged), "--min-confidence", "0.6", "-o", str(sure))
    assert r.returncode == 0 and "kept 4 units, dropped 1" in r.stderr, r.stderr
    r = align_cli("convert", str(sure), "-o", str(tsv))
    assert r.returncode == 0, r.stderr
    assert len(tsv.read_text(encoding="utf-8").splitlines()) == 1 + 4
    r = align_cli("stats", str(sure), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["units"] == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("validate", "{tmp}/missing.tmx"), "no such file"),
        (("merge", "{ours}", "-o", "{ours}"), "already exists"),
        (("filter", "{ours}", "--min-confidence", "2", "-o", "{tmp}/x.tmx"), "from 0 to 1"),
        (("convert", "{ours}", "-o", "{tmp}/x.pdf"), "cannot convert"),
        (("convert", "{ours}", "--tgt-lang", "fr", "-o", "{tmp}/x.tsv"), "leave --tgt-lang out"),
        (("stats", "{tmp}/junk.tmx"), "not well-formed"),
    ],
)
def test_cli_errors_are_one_line_exit_2(
    ours: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "junk.tmx").write_bytes(b"\x00\x01 junk")
    r = align_cli(*(a.format(tmp=tmp_path, ours=ours) for a in args))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1 and message in r.stderr, r.stderr
    assert r.stderr.startswith("error: ")


def test_validate_warns_once_per_language_code_cat_tools_do_not_know(tmp_path: Path) -> None:
    path = tmp_path / "t.tmx"
    units = [tu("甲", "A"), *(tu(zh, en).replace("en-US", "en-UK") for zh, en in ["乙B", "丙C"])]
    path.write_text(tmx_with(units), encoding="utf-8")
    problems = tmx.validate(path)
    assert not problems.errors
    (only,) = problems
    assert only.warning and only.where == "tu 2"
    assert "en-UK in 2 <tuv>" in only.message and "write en-GB" in only.message
