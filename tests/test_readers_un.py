"""Readers on UN documents as LibreOffice and Word set them: Chinese list numbers in a
.docx, footnote marks glued to their note in a PDF, list items set with a hanging indent."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import needs_office
from pdf_corpus import _to_unicode, assemble

from align.clean import FOOTNOTE_RULE, clean
from align.readers import read_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# --- Word's list numbers in Chinese ----------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "counts"),
    [
        (
            "taiwaneseCountingThousand",
            {1: "一", 10: "十", 11: "十一", 21: "二十一", 105: "一百零五"},
        ),
        ("chineseCountingThousand", {2: "二", 19: "十九", 110: "一百一十", 105: "一百〇五"}),
        ("chineseLegalSimplified", {1: "壹", 2: "贰", 3: "叁", 10: "壹拾", 11: "壹拾壹"}),
        ("ideographLegalTraditional", {2: "貳", 3: "參", 20: "貳拾", 105: "壹佰零伍"}),
        ("taiwaneseCounting", {10: "十", 11: "十一", 99: "九十九", 105: "一○五"}),
        ("ideographDigital", {3: "三", 10: "一〇", 105: "一〇五"}),
        ("taiwaneseDigital", {10: "一○"}),
        ("japaneseCounting", {10: "十", 11: "十一", 100: "百", 105: "百五", 2024: "二千二十四"}),
        ("ideographEnclosedCircle", {1: "㈠", 10: "㈩", 11: "11"}),
        ("ideographZodiacTraditional", {1: "甲子", 11: "甲戌", 60: "癸亥", 61: "甲子"}),
        ("decimalHalfWidth", {12: "12"}),
    ],
)
def test_cjk_number_formats_as_word_prints_them(fmt: str, counts: dict[int, str]) -> None:
    """The CJK list-number formats a Chinese document can carry, as Word prints them
    (MS-DOCX 2.4, MS-OI29500): counting-thousand drops the 一 of 十一 and writes a run of
    zeros once (〇, or 零 in the Taiwanese form); the legal forms keep it (壹拾壹).
    They counted in digits, or as spoken numbers where Word prints 壹 or 百五."""
    from align.readers.wordnum import FORMATS

    assert {n: FORMATS[fmt](n) for n in counts} == counts


def _numbered_docx(path: Path, fmt: str, items: list[tuple[int, str]]) -> Path:
    """A .docx whose paragraphs are items of one list: ``1.``, then ``(a)``, then
    ``(%3)`` drawn in ``fmt``, each item at its level (0, 1 or 2)."""
    docx = pytest.importorskip("docx")
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{f}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for ilvl, f, text in ((0, "decimal", "%1."), (1, "lowerLetter", "(%2)"), (2, fmt, "(%3)"))
    )
    numbering.append(
        parse_xml(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">{levels}</w:abstractNum>')
    )
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    for ilvl, text in items:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>'
            )
        )
    document.save(str(path))
    return path


def test_docx_list_in_taiwanese_counting_thousand_prints_chinese_numbers(tmp_path: Path) -> None:
    """``(%3)`` in ``taiwaneseCountingThousand`` (what LibreOffice saves its 一, 二, 三 as)
    prints ``(一)``, ``(二)`` as Word and the PDF do. It read ``(1)``, ``(2)``, and ``(2)``
    against the English ``(ii)`` was flagged as a number that differs."""
    items = [
        (0, "请秘书长："),
        (1, "就此向大会第七十九届会议提出报告，包括报告以下方面："),
        (2, "所涉经费问题；"),
        (2, "所涉人员编制问题；"),
    ]
    path = _numbered_docx(tmp_path / "zh.docx", "taiwaneseCountingThousand", items)
    assert read_document(path, "zh").text.split("\n")[-4:] == [
        "1. 请秘书长：",
        "(a) 就此向大会第七十九届会议提出报告，包括报告以下方面：",
        "(一) 所涉经费问题；",
        "(二) 所涉人员编制问题；",
    ]


_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles><text:list-style style:name="L">
<text:list-level-style-number text:level="1" style:num-format="一, 二, 三, ..."
 style:num-prefix="(" style:num-suffix=")"/></text:list-style></office:styles>
<office:body><office:text><text:p>大会，</text:p><text:list text:style-name="L">
<text:list-item><text:p>所涉经费问题；</text:p></text:list-item>
<text:list-item><text:p>所涉人员编制问题；</text:p></text:list-item>
</text:list></office:text></office:body></office:document>
"""


@needs_office
def test_docx_saved_by_libreoffice_with_chinese_list_numbers(tmp_path: Path) -> None:
    """A list LibreOffice numbers 一, 二, 三 and saves as .docx reads with the numbers its
    PDF prints, ``(一)``, not ``(1)``."""
    from align.readers.office import office_program

    program = office_program()
    assert program is not None
    source = tmp_path / "list.zh.fodt"
    source.write_text(_FODT, encoding="utf-8")
    profile = (tmp_path / ".office-profile").resolve().as_uri()
    subprocess.run(
        [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    text = read_document(tmp_path / "list.zh.docx", "zh").text
    assert text.split("\n") == ["大会，", "(一)所涉经费问题；", "(二)所涉人员编制问题；"]


# --- PDF pages drawn piece by piece ----------------------------------------------------------


Run = tuple[float, str]
"""Type size and text, drawn on from where the run before it ended."""


def _pdf(path: Path, lines: list[tuple[float, float, list[Run]]]) -> Path:
    """A one-page PDF with each line's runs drawn from (x, y) on: Helvetica, or a CID
    font with a ToUnicode map for text with Chinese in it, as Word's and LibreOffice's
    PDFs carry."""
    every = "".join(text for _, _, runs in lines for _, text in runs)
    ops = ["BT"]
    for x, y, runs in lines:
        ops.append(f"1 0 0 1 {x} {y} Tm")
        for size, text in runs:
            if text.isascii():
                escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                ops.append(f"/F1 {size} Tf ({escaped}) Tj")
            else:
                ops.append(f"/F2 {size} Tf <{''.join(f'{ord(c):04X}' for c in text)}> Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    cmap = _to_unicode(every)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [7 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [5 0 R] /ToUnicode 6 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /DW 1000 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents 8 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    path.write_bytes(assemble(objects))
    return path


def _body(lines: list[str], top: float = 760.0) -> list[tuple[float, float, list[Run]]]:
    """Lines of 11-point body text 14 points apart, each ``^N`` in them a raised 7-point
    note mark N glued to the text before it; a line opening with spaces is indented."""
    out: list[tuple[float, float, list[Run]]] = []
    for k, line in enumerate(lines):
        runs: list[Run] = []
        for n, part in enumerate(line.strip().split("^")):
            if n:
                runs.append((7.0, part[0]))
                part = part[1:]
            if part:
                runs.append((11.0, part))
        out.append((108.0 if line.startswith(" ") else 72.0, top - 14 * k, runs))
    return out


_BODY_EN = [
    "The General Assembly,",
    " Recalling its resolution 77/1 of 21 September 2022 and all its previous",
    "resolutions on the subject,^1",
    " Taking note of the report of the Secretary-General,^2 and of the",
    "recommendations contained therein, in particular those in paras. 4.45 to 4.50,",
    " Noting with appreciation the contributions of Member States to the Peace",
    "Fund of the African Union, which amounted to 400 million in 5 regions,",
    " 1. Welcomes the report of the Secretary-General;",
]


def test_pdf_notes_with_their_mark_glued_to_the_text_are_notes(tmp_path: Path) -> None:
    """A LibreOffice PDF sets a note's mark against its first word (``1Resolutions``,
    ``2A/78/250.``): the notes at the page's foot, numbered in turn with the marks in
    the body, get the rule above them and a space after their mark, so the cleaner takes
    them as notes and the marks out of the body. They were read as body text with the
    mark glued on, and ``on the subject,1`` kept its mark."""
    notes = [
        (72.0, 120.0, [(6.0, "1"), (9.0, "Resolutions 75/1 and 76/2.")]),
        (72.0, 109.0, [(6.0, "2"), (9.0, "A/78/250.")]),
        (72.0, 80.0, [(11.0, "26-12345 1/2")]),
    ]
    path = _pdf(tmp_path / "en.pdf", _body(_BODY_EN) + notes)
    lines = [line.strip() for line in read_document(path, "en").text.split("\n")]
    assert lines[-4:] == [
        FOOTNOTE_RULE,
        "1 Resolutions 75/1 and 76/2.",
        "2 A/78/250.",
        "26-12345 1/2",
    ]
    blocks = clean(read_document(path, "en")).blocks
    assert [b.text for b in blocks if b.kind == "footnote"] == [
        "Resolutions 75/1 and 76/2.",
        "A/78/250.",
    ]
    assert blocks[1].text.endswith("on the subject,")


def test_pdf_notes_in_chinese_with_their_mark_glued_to_the_text(tmp_path: Path) -> None:
    """``1第75/1和76/2号决议。`` at the foot of a Chinese page, its mark after 决议，
    in the body: a note, as in the English."""
    body = [
        "大会，",
        " 回顾其2022年9月21日第77/1号决议以及关于这一主题的以往所有决议，^1",
        " 注意到秘书长的报告^2及其中所载建议，特别是报告第4.45至4.50段所载建议，",
        " 赞赏地注意到会员国向非洲联盟和平基金提供的捐款，截至2026年6月30日，",
        "捐款约达4亿美元，即达到非洲联盟大会所定目标的42.5%，",
        " 1. 欢迎秘书长的报告；",
    ]
    notes = [
        (72.0, 120.0, [(6.0, "1"), (9.0, "第75/1和76/2号决议。")]),
        (72.0, 109.0, [(6.0, "2"), (9.0, "A/78/250。")]),
    ]
    path = _pdf(tmp_path / "zh.pdf", _body(body) + notes)
    lines = [line.strip() for line in read_document(path, "zh").text.split("\n")]
    assert lines[-3:] == [FOOTNOTE_RULE, "1 第75/1和76/2号决议。", "2 A/78/250。"]


def test_pdf_small_type_opening_with_figures_is_no_note(tmp_path: Path) -> None:
    """Small type at the page's foot whose lines open with a figure glued to a capital
    (``5G``) or with a year is no note: no mark 5 stands glued in the body (``in 5
    regions`` is a number), and ``2023`` is no mark. The text is read as it is."""
    foot = [
        (72.0, 120.0, [(9.0, "5G coverage reached most of the region in the period.")]),
        (72.0, 109.0, [(9.0, "2023 was the warmest year on record.")]),
    ]
    path = _pdf(tmp_path / "en.pdf", _body(_BODY_EN) + foot)
    lines = [line.strip() for line in read_document(path, "en").text.split("\n")]
    assert FOOTNOTE_RULE not in lines
    assert lines[-2:] == [
        "5G coverage reached most of the region in the period.",
        "2023 was the warmest year on record.",
    ]


def test_pdf_glued_figures_out_of_turn_are_no_notes(tmp_path: Path) -> None:
    """Figures glued to a capital at the foot that do not run 1, 2 in turn with marks
    in the body (2 before 1 here) are left as text."""
    foot = [
        (72.0, 120.0, [(6.0, "2"), (9.0, "A/78/250.")]),
        (72.0, 109.0, [(6.0, "1"), (9.0, "Resolutions 75/1 and 76/2.")]),
    ]
    path = _pdf(tmp_path / "en.pdf", _body(_BODY_EN) + foot)
    lines = [line.strip() for line in read_document(path, "en").text.split("\n")]
    assert FOOTNOTE_RULE not in lines
    assert lines[-2:] == ["2A/78/250.", "1Resolutions 75/1 and 76/2."]


def test_pdf_list_items_with_a_hanging_indent_run_on(tmp_path: Path) -> None:
    """Word's numbered list sets the label at the margin and every line of the item at
    the text's indent, right of the label. Each such line was taken for an indented
    first line, and a paragraph ended at each line's end (``…the United Nations and
    the`` | ``African Union…``). A short item's next line at that indent still starts a
    paragraph."""
    rows = [
        (72.0, 760.0, "1."),
        (90.0, 760.0, "Welcomes the report of the Secretary-General on cooperation between the"),
        (90.0, 746.0, "United Nations and the African Union, and the recommendations therein;"),
        (72.0, 728.0, "2."),
        (90.0, 728.0, "Requests the Secretary-General to strengthen cooperation with the African"),
        (90.0, 714.0, "Union Commission, inter alia through the Joint Task Force on Peace and"),
        (90.0, 700.0, "Security, and to report thereon to the General Assembly at its session;"),
        (72.0, 682.0, "3."),
        (90.0, 682.0, "Decides to remain seized of the matter."),
        (90.0, 664.0, "Adopted at the 45th plenary meeting of the session, 3 December 2026."),
        (108.0, 650.0, "The General Assembly further recalls the report of the Secretary-"),
        (72.0, 636.0, "General and the recommendations contained therein, in particular those"),
        (72.0, 622.0, "on joint planning, assessment and reporting of the two organizations."),
    ]
    path = _pdf(tmp_path / "en.pdf", [(x, y, [(11.0, text)]) for x, y, text in rows])
    blocks = [b.text for b in clean(read_document(path, "en")).blocks]
    assert blocks[:4] == [
        "1. Welcomes the report of the Secretary-General on cooperation between the United "
        "Nations and the African Union, and the recommendations therein;",
        "2. Requests the Secretary-General to strengthen cooperation with the African Union "
        "Commission, inter alia through the Joint Task Force on Peace and Security, and to "
        "report thereon to the General Assembly at its session;",
        "3. Decides to remain seized of the matter.",
        "Adopted at the 45th plenary meeting of the session, 3 December 2026.",
    ]


def test_pdf_chinese_list_item_with_a_hanging_indent_keeps_its_words(tmp_path: Path) -> None:
    """A Chinese item under a hanging indent ran on as a new paragraph at each line, and
    a word cut at a line's end was cut in two (``列入其第七`` | ``十九届会议``). A label
    wider than its room pushes the text to a tab stop right of the item's indent
    (``(二)``): the next line at the indent runs on too."""
    rows = [
        (72.0, 760.0, [(11.0, "大会，")]),
        (72.0, 742.0, [(11.0, "2.")]),
        (90.0, 742.0, [(11.0, "请秘书长：")]),
        (90.0, 724.0, [(11.0, "(一)")]),
        (130.0, 724.0, [(11.0, "所涉经费问题，估计为1 234 567美元；")]),
        (90.0, 706.0, [(11.0, "(二)")]),
        (130.0, 706.0, [(11.0, "所涉人员编制问题，例如报告第4.45段所述12个员额和其他所需资")]),
        (108.0, 692.0, [(11.0, "源；")]),
        (72.0, 674.0, [(11.0, "3.")]),
        (90.0, 674.0, [(11.0, "决定将题为“联合国与非洲联盟的合作”的分项目列入大会其第七")]),
        (90.0, 660.0, [(11.0, "十九届会议临时议程题为“联合国同各区域组织及其他组织的合作”的")]),
        (90.0, 646.0, [(11.0, "项目之下。")]),
    ]
    path = _pdf(tmp_path / "zh.pdf", rows)
    blocks = [b.text for b in clean(read_document(path, "zh")).blocks]
    assert "(二)所涉人员编制问题，例如报告第4.45段所述12个员额和其他所需资源；" in blocks
    assert (
        "3. 决定将题为“联合国与非洲联盟的合作”的分项目列入大会其第七十九届会议临时议程题为"
        "“联合国同各区域组织及其他组织的合作”的项目之下。"
    ) in blocks
