"""English into Chinese: the direction the UN's Chinese translators work in.

Their TM has ``srclang`` English and the English as every unit's source; the tool was
built and tuned mostly the other way round. The shipped A/77/L.107 pair is aligned with
English as the source and every output is checked with the sides swapped; the flags are
run both ways on the pol-dev and MAC-Dev gold beads, which they must read alike.
"""

from __future__ import annotations

import ast
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import BENCH, CORPUS, run_align
from tmxcheck import assert_valid_tmx

from align.flags import Flag, flag_bead
from align.html_report import render_html
from align.languages import IDEOGRAPH
from align.paragraphs import by_paragraph
from align.pipeline import Settings, align_files
from align.report import render_plain
from align.review import Review, export
from align.types import Alignment, Bead, Segment
from align.writers import read_alignment, write_alignment

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def en_zh(embedding_cache: Path) -> Alignment:
    settings = Settings(src_lang="en", tgt_lang="zh-CN")
    return align_files(
        CORPUS / "en.txt", CORPUS / "zh.txt", settings=settings, cache_dir=embedding_cache
    )


def reference_swapped() -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """reference.align (zh first) with its sides swapped."""
    lines = (CORPUS / "reference.align").read_text(encoding="utf-8").splitlines()
    beads = []
    for line in lines:
        if line.strip() and not line.startswith("#"):
            zh, en = (tuple(ast.literal_eval(side)) for side in line.split("\t")[0].split(":"))
            beads.append((en, zh))
    return beads


def chinese(text: str) -> bool:
    return len(IDEOGRAPH.findall(text)) > len(text) / 3


def test_english_source_gets_the_reference_beads_sides_swapped(en_zh: Alignment) -> None:
    assert (en_zh.src_lang, en_zh.tgt_lang) == ("en", "zh-CN")
    assert [(b.src, b.tgt) for b in en_zh.beads] == reference_swapped()
    assert en_zh.signature["src_lang"] == "en" and en_zh.signature["tgt_lang"] == "zh-CN"
    assert not any(chinese(s.text) for s in en_zh.src)
    assert all(chinese(s.text) for s in en_zh.tgt)


def test_the_tmx_has_english_as_its_source_everywhere(en_zh: Alignment, tmp_path: Path) -> None:
    """srclang, each unit's first <tuv>, its context and the signature say English."""
    path = tmp_path / "a.tmx"
    write_alignment(en_zh, path)
    root = assert_valid_tmx(path).getroot()
    header = root.find("header")
    assert header.get("srclang") == "en-US" and header.get("adminlang") == "en-US"
    sig = {p.get("type"): p.text for p in header.findall("prop")}
    assert sig["x-signature-src_lang"] == "en" and sig["x-signature-tgt_lang"] == "zh-CN"
    units = list(root.iter("tu"))
    assert len(units) == len(en_zh.beads)
    for tu in units:
        (en, zh) = tu.findall("tuv")
        assert (en.get(XML_LANG), zh.get(XML_LANG)) == ("en-US", "zh-CN")
        assert not chinese(en.findtext("seg")) and chinese(zh.findtext("seg"))
        assert zh.find("prop") is None  # the context belongs to the source side
        for context in en.findall("prop"):
            assert context.get("type") in ("x-context-pre", "x-context-post")
            assert not chinese(context.text)
    back = read_alignment(path)
    assert (back.src_lang, back.tgt_lang) == ("en", "zh")
    assert back.src[0].text == en_zh.src[0].text == "Seventy-seventh session"


def test_tsv_jsonl_and_paragraph_units_keep_english_first(en_zh: Alignment, tmp_path: Path) -> None:
    write_alignment(en_zh, tmp_path / "a.tsv")
    header, first = (tmp_path / "a.tsv").read_text(encoding="utf-8").splitlines()[:2]
    assert header.split("\t")[:2] == ["en-US", "zh-CN"]
    assert first.split("\t")[:2] == ["Seventy-seventh session", "第七十七届会议"]
    write_alignment(en_zh, tmp_path / "a.jsonl")
    head = json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert (head["src_lang"], head["tgt_lang"]) == ("en", "zh-CN")
    write_alignment(by_paragraph(en_zh), tmp_path / "p.tmx")
    root = assert_valid_tmx(tmp_path / "p.tmx").getroot()
    header = root.find("header")
    assert (header.get("srclang"), header.get("segtype")) == ("en-US", "paragraph")
    assert {tuv.get(XML_LANG) for tuv in root.iter("tuv")} == {"en-US", "zh-CN"}


def test_reports_name_english_as_the_source(en_zh: Alignment) -> None:
    plain = render_plain(en_zh)
    assert "  en: Seventy-seventh session\n  zh-CN: 第七十七届会议\n" in plain
    assert "segments: en 42, zh-CN 42" in plain and "unaligned: en 0, zh-CN 0" in plain
    assert "Chinese" not in plain and "English" not in plain
    html = render_html(en_zh)
    assert "<th>en</th><th>zh-CN</th>" in html and "en → zh-CN" in html


def test_the_reviewed_tm_has_english_as_its_source(en_zh: Alignment, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    write_alignment(en_zh, path)
    with Review.open(path, reviewer="tester") as review:
        for i in range(len(review)):
            review.accept(i)
        export(review, tmp_path / "reviewed.tmx")
        export(review, tmp_path / "paragraphs.tmx", units="paragraph")
    for name in ("reviewed.tmx", "paragraphs.tmx"):
        root = assert_valid_tmx(tmp_path / name).getroot()
        assert root.find("header").get("srclang") == "en-US"
        first = [tuv.get(XML_LANG) for tuv in root.find("body/tu").findall("tuv")]
        assert first == ["en-US", "zh-CN"]


def test_align_pair_and_report_from_the_command_line(embedding_cache: Path, tmp_path: Path) -> None:
    """As a translator types it (README: the English original first, ``--src-lang en
    --tgt-lang zh``)."""
    en, zh = str(CORPUS / "en.txt"), str(CORPUS / "zh.txt")
    tmx, jsonl, html = tmp_path / "a.tmx", tmp_path / "a.jsonl", tmp_path / "a.html"
    for out in (tmx, jsonl):
        done = run_align(
            "pair", en, zh, "--src-lang", "en", "--tgt-lang", "zh", "-o", str(out),
            cache=embedding_cache,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    root = assert_valid_tmx(tmx).getroot()
    assert root.find("header").get("srclang") == "en-US"
    assert [t.get(XML_LANG) for t in root.find("body/tu").findall("tuv")] == ["en-US", "zh-CN"]
    done = run_align("report", str(jsonl), "--summary", "--html", str(html), cache=embedding_cache)
    assert done.returncode == 0, done.stderr
    assert "segments: en 42, zh 42\n" in done.stdout and "unaligned: en 0, zh 0\n" in done.stdout
    assert "<th>en</th><th>zh</th>" in html.read_text(encoding="utf-8")


# --- the flags, both ways ----------------------------------------------------------------


def seg(text: str) -> Segment:
    return Segment(text=text, paragraph=0, start=0, end=len(text))


def both_ways(zh: str, en: str) -> tuple[list[Flag], list[Flag]]:
    """The flags of one 1-1 bead read zh → en and en → zh."""
    forward = Alignment("zh", "en", [seg(zh)], [seg(en)], [Bead((0,), (0,), 0.9)])
    backward = Alignment("en", "zh-CN", [seg(en)], [seg(zh)], [Bead((0,), (0,), 0.9)])
    return flag_bead(forward, forward.beads[0]), flag_bead(backward, backward.beads[0])


@pytest.mark.parametrize(
    ("zh", "en", "codes"),
    [
        ("共计1 234 567美元。", "A total of US$ 1,234,567.", []),  # UN Chinese spaced thousands
        ("共计1 234 567美元。", "A total of US$ 1,234,568.", ["numbers"]),
        (
            "大会2023年12月22日第78/1号决议，",
            "General Assembly resolution 78/1 of 22 December 2023,",
            [],
        ),
        (
            "大会2023年12月22日第78/1号决议，",
            "General Assembly resolution 78/1 of 23 December 2023,",
            ["numbers"],
        ),
        ("第七十七届会议", "Seventy-seventh session", []),
        ("150万人", "1.5 million people", []),
        ("他说：“我们必须行动。”", "He said: “We must act.”", []),
        ("他说：“我们必须行动。", "He said: “We must act.”", ["quotes"]),
        ("他说：「我们必须行动。", "He said: “We must act.”", ["quotes"]),
        ("《联合国宪章》第2条", "Article 2 of the Charter of the United Nations", []),
        ("《联合国宪章", "the Charter of the United Nations", ["quotes"]),
        ("Annex", "Annex", ["untranslated"]),
        (
            "This annex is circulated in the language of submission only.",
            "This annex is circulated in the language of submission only.",
            ["untranslated"],
        ),
        (
            "大会",
            "The General Assembly, recalling all its resolutions on the subject and the reports "
            "of the Secretary-General thereon,",
            ["length"],
        ),
        ("大会¹", "General Assembly", ["numbers", "footnote"]),
    ],
)
def test_a_check_written_for_a_chinese_source_reads_a_chinese_target_alike(
    zh: str, en: str, codes: list[str]
) -> None:
    forward, backward = both_ways(zh, en)
    assert [f.code for f in forward] == [f.code for f in backward] == codes


def test_a_reason_names_the_sides_as_they_are() -> None:
    """Swapped, a reason says "in en only", "the zh-CN side", as the bead now reads."""
    forward, backward = both_ways("共计1 234 567美元。", "A total of US$ 1,234,568.")
    assert forward[0].reason == "numbers differ: 1234567 in zh only; 1234568 in en only"
    assert backward[0].reason == "numbers differ: 1234568 in en only; 1234567 in zh-CN only"
    forward, backward = both_ways("他说：“我们必须行动。", "He said: “We must act.”")
    assert "on the zh side opens" in forward[0].reason
    assert "on the zh-CN side opens" in backward[0].reason


def gold_beads(bench_set: str) -> list[tuple[Alignment, Alignment]]:
    """Each gold document of ``bench_set`` as zh → en and as en → zh (sides swapped), plus
    the same with every target shifted one bead on (wrong pairs, which raise flags)."""
    folder = BENCH / bench_set
    out = []
    for gold in sorted((folder / "gold").iterdir()):
        zh = [seg(t) for t in (folder / "zh" / gold.name).read_text(encoding="utf-8").split("\n")]
        en = [seg(t) for t in (folder / "en" / gold.name).read_text(encoding="utf-8").split("\n")]
        pairs = [
            tuple(tuple(ast.literal_eval(side)) for side in line.split(":"))
            for line in gold.read_text(encoding="utf-8").splitlines()
        ]
        for beads in (pairs, [(s, t) for (s, _), (_, t) in zip(pairs, pairs[1:], strict=False)]):
            out.append(
                (
                    Alignment("zh", "en", zh, en, [Bead(s, t, 0.9) for s, t in beads]),
                    Alignment("en", "zh", en, zh, [Bead(t, s, 0.9) for s, t in beads]),
                )
            )
    return out


@pytest.mark.parametrize("bench_set", ["pol-dev", "mac-dev"])
def test_every_gold_bead_raises_the_same_flags_either_way(bench_set: str) -> None:
    raised = 0
    for forward, backward in gold_beads(bench_set):
        for a, b in zip(forward.beads, backward.beads, strict=True):
            codes = [f.code for f in flag_bead(forward, a)]
            assert codes == [f.code for f in flag_bead(backward, b)], forward.src_text(a)
            raised += bool(codes)
    assert raised > 100  # the shifted pairs raise flags: the comparison is not all empty


# --- the HTML page -----------------------------------------------------------------------


class Cells(HTMLParser):
    """The ``lang`` of each side cell of the beads table, with its text."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str | None, str]] = []
        self._open: list[tuple[str, str | None, str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "td" and "side" in (a.get("class") or "").split():
            self._open = [(a.get("class") or "", a.get("lang"), "")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._open is not None:
            self.cells.append(self._open[0])
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            cls, lang, text = self._open[0]
            self._open[0] = (cls, lang, text + data)


def test_the_note_in_an_empty_chinese_cell_is_not_marked_as_chinese() -> None:
    """A Chinese translation missing a sentence leaves its cell with an English note:
    marked ``lang="zh-CN"``, a screen reader reads it, and a browser sets it, as Chinese."""
    a = Alignment(
        "en",
        "zh-CN",
        [seg("The General Assembly,"), seg("Recalling its resolutions,")],
        [seg("大会，")],
        [Bead((0,), (0,), 0.95), Bead((1,), (), 0.0)],
    )
    parser = Cells()
    parser.feed(render_html(a))
    assert [(cls, lang) for cls, lang, _ in parser.cells] == [
        ("side src", "en"),
        ("side tgt", "zh-CN"),
        ("side src", "en"),
        ("side tgt empty", None),
    ]
    empty = [(lang, text) for cls, lang, text in parser.cells if "empty" in cls]
    assert empty == [(None, "no zh-CN sentence matches this en text")]
