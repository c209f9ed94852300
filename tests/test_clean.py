"""The clean stage on excerpts of A/77/L.107 (copied as extracted) and on whole documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BENCH

from align.clean import REASONS, clean, explain, one_paragraph_per_line
from align.types import CleanDocument, RawDocument

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "A_77_L.107"


def lines(*rows: str) -> str:
    """Rebuild the extraction layout: a blank line after every line."""
    return "".join(row + "\n\n" for row in rows)


def covered(raw: str, doc: CleanDocument) -> None:
    """Every raw character is either copied into the text or removed, exactly once."""
    count = [0] * len(raw)
    copied = [False] * len(doc.text)
    for at, start, length in doc.spans:
        assert doc.text[at : at + length] == raw[start : start + length]
        for i in range(start, start + length):
            count[i] += 1
        for i in range(at, at + length):
            copied[i] = True
    for r in doc.removals:
        assert r.text == raw[r.start : r.end] and r.start < r.end
        assert r.reason in REASONS, r
        for i in range(r.start, r.end):
            count[i] += 1
    assert [i for i, n in enumerate(count) if n != 1] == []
    # what was not copied was inserted: block separators and line-join spaces only
    assert {doc.text[i] for i, c in enumerate(copied) if not c} <= {" ", "\n"}
    assert doc.text == "\n".join(b.text for b in doc.blocks)
    for n, b in enumerate(doc.blocks):
        assert b.index == n and doc.text[b.start : b.end] == b.text
        assert "\n" not in b.text and b.text == b.text.strip() and "  " not in b.text


def texts(doc: CleanDocument, kind: str | None = None) -> list[str]:
    return [b.text for b in doc.blocks if kind is None or b.kind == kind]


def reasons(doc: CleanDocument) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in doc.removals:
        out.setdefault(r.reason, []).append(r.text.strip())
    return out


# -- page furniture -----------------------------------------------------------

ZH_PAGE_BREAK = (
    "交易和贩运问题，欢迎上海合作组织与毒品和犯罪问题办公室进一步开展合作， \n\n"
    "\n\n A/77/L.107 \n\n \n\n3/4 23-16564 \n\n \n\n"
    " 注意到上海合作组织成员国间的合作态势有质的提高，上海合作组织这一多\n\n"
    "边机制在国际舞台上的潜力和作用得到进一步增强， \n\n"
)


def test_zh_page_furniture_dropped_with_reasons() -> None:
    doc = clean(ZH_PAGE_BREAK, "zh")
    covered(ZH_PAGE_BREAK, doc)
    found = reasons(doc)
    assert found["page-header"] == ["A/77/L.107"]
    assert found["page-counter"] == ["3/4"]
    assert found["job-number"] == ["23-16564"]
    assert texts(doc) == [
        "交易和贩运问题，欢迎上海合作组织与毒品和犯罪问题办公室进一步开展合作，",
        "注意到上海合作组织成员国间的合作态势有质的提高，上海合作组织这一多边机制在国际舞台上的潜力和作用得到进一步增强，",
    ]


def test_a_line_that_is_only_n_of_m_is_a_page_counter_only_where_the_pages_say_so() -> None:
    """``2/4`` alone on a line is page 2 of 4 where the document has 4 pages (form feeds)
    or where another such line counts to 4 as well; a table cell ``75/268`` (a
    resolution), ``12/31`` or ``1/2`` once in a text is text, and a document of
    paragraphs has no pages to count at all."""
    paged = "Recalling its resolution,\n\f2/3\n Noting also that\n\f3/3\n Decides"
    doc = clean(paged, "en")
    assert reasons(doc)["page-counter"] == ["2/3", "3/3"]
    copied = lines(" Recalling,", "2/4", " Noting,", "3/4", " Decides")  # no form feeds
    assert reasons(clean(copied, "en"))["page-counter"] == ["2/4", "3/4"]
    cells = lines(" Resolution", " 75/268", " Share", " 1/2", " Decides")
    assert texts(clean(cells, "en")) == ["Resolution", "75/268", "Share", "1/2", "Decides"]
    table = RawDocument("Resolution\n75/268\nDate\n25/268", "t.docx", "docx", "en", 0, "paragraphs")
    assert texts(clean(table)) == ["Resolution", "75/268", "Date", "25/268"]


def test_paragraphs_from_a_reader_have_no_page_furniture() -> None:
    """A .docx or a workbook has no pages: a paragraph or cell that is a symbol, a
    pollutant (``PM2.5/PM10``), a figure like a job number or a web address is text.
    They were dropped as a page header, a job number and a link."""
    rows = [
        "Air quality indicators include:",
        "PM2.5/PM10",
        "A/RES/77/1",
        "12-34567",
        "https://www.un.org/en/about-us",
        "2/4",
        "Decides to remain seized of the matter.",
    ]
    raw = "\n".join(rows)
    doc = clean(RawDocument(raw, "a.docx", "docx", "en", layout="paragraphs"))
    covered(raw, doc)
    assert texts(doc) == rows
    assert doc.links == ()
    pdf = clean(lines(*(f" {row}" for row in rows)), "en")
    assert texts(pdf) == [rows[0], "PM2.5/PM10", "2/4", rows[-1]]  # no symbol has 2.5 in front
    footer = "\n".join([*rows, "22-22869 (E)", "22-22869 (E)    121022"])
    doc = clean(RawDocument(footer, "a.docx", "docx", "en", layout="paragraphs"))
    assert texts(doc) == rows  # a job number with its language letter is furniture anywhere
    assert reasons(doc)["job-number"] == ["22-22869 (E)", "22-22869 (E)    121022"]


def test_a_rule_typed_in_a_document_of_paragraphs_is_above_no_notes() -> None:
    """A reader of paragraphs writes the notes it takes from the file after an empty line
    and a rule, one a line and in turn. A rule typed between paragraphs of a .docx made
    the paragraphs after it footnotes 12 and 13, their figures taken for marks."""
    rows = [
        "A total of 150 delegations attended the session.",
        "__________",
        "12 countries had ratified the Convention by the end of 2023.",
        "13 countries have signed the Convention.",
        "The meeting decided to continue its consideration of the question next year.",
    ]
    raw = "\n".join(rows)
    doc = clean(RawDocument(raw, "a.docx", "docx", "en", layout="paragraphs"))
    covered(raw, doc)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("body", row) for row in rows if not row.startswith("_")
    ]
    assert reasons(doc)["rule"] == ["__________"]
    noted = "\n".join([*rows[:-1], "", "__________", "1 Resolution 70/1.", "2 Ibid."])
    doc = clean(RawDocument(noted, "a.docx", "docx", "en", layout="paragraphs"))
    covered(noted, doc)
    assert [(b.kind, b.footnote) for b in doc.blocks] == [("body", None)] * 3 + [
        ("footnote", "1"),
        ("footnote", "2"),
    ]


def test_notes_typed_in_a_web_page_take_their_marks_out_of_the_text() -> None:
    """A page that types its notes (``<sup>1</sup>`` in the text, a rule, then ``1 …``)
    leaves the marks in the text, as a PDF does: they go, and the notes stay notes. The
    reader's own notes (after an empty line) leave no marks, and a figure stays."""
    rows = [
        "Reaffirming the Addis Ababa Action Agenda1 and the Paris Agreement,2",
        "Notes that table 1 lists 12 countries;",
        "__________",
        "1 Resolution 69/313, annex.",
        "2 See FCCC/CP/2015/10/Add.1.",
    ]
    raw = "\n".join(rows)
    doc = clean(RawDocument(raw, "a.html", "html", "en", layout="paragraphs"))
    covered(raw, doc)
    assert [(b.kind, b.footnote, b.text) for b in doc.blocks] == [
        ("body", None, "Reaffirming the Addis Ababa Action Agenda and the Paris Agreement,"),
        ("body", None, "Notes that table 1 lists 12 countries;"),
        ("footnote", "1", "Resolution 69/313, annex."),
        ("footnote", "2", "See FCCC/CP/2015/10/Add.1."),
    ]
    written = "\n".join(["注意到表1所列数据，", "", "__________", "1 第70/1号决议。"])
    doc = clean(RawDocument(written, "a.docx", "docx", "zh", layout="paragraphs"))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("body", "注意到表1所列数据，"),
        ("footnote", "第70/1号决议。"),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("23-16564 (E)    280823 ", [("job-number", "23-16564 (E)    280823")]),
        ("*2316564* ", [("barcode", "*2316564*")]),
        ("Please recycle ", [("recycle", "Please recycle")]),
        ("23-16564 3/4 ", [("job-number", "23-16564"), ("page-counter", "3/4")]),
        # a translation carries the dates of receipt and of translation; Geneva's a prefix
        ("23-16564 (F)    250923    260923", [("job-number", "23-16564 (F)    250923    260923")]),
        ("GE.23-12345 (S) 150923 190923", [("job-number", "GE.23-12345 (S) 150923 190923")]),
        ("Merci de recycler ", [("recycle", "Merci de recycler")]),
        (
            "Просьба отправить на вторичную переработку",
            [("recycle", "Просьба отправить на вторичную переработку")],
        ),
        ("الرجاء إعادة الاستعمال", [("recycle", "الرجاء إعادة الاستعمال")]),
        (" A/RES/77/300 ", [("page-header", "A/RES/77/300")]),
        ("S/2023/123", [("page-header", "S/2023/123")]),
        ("E/CN.6/2023/L.3 2/4", [("page-header", "E/CN.6/2023/L.3"), ("page-counter", "2/4")]),
        (
            "United Nations A/77/L.107",
            [("masthead", "United Nations"), ("page-header", "A/77/L.107")],
        ),
    ],
)
def test_en_furniture_lines(line: str, expected: list[tuple[str, str]]) -> None:
    raw = lines(" Recalling its resolution 59/48 of 2 December 2004,", line, " Noting also that")
    doc = clean(raw, "en")
    covered(raw, doc)
    assert texts(doc) == ["Recalling its resolution 59/48 of 2 December 2004,", "Noting also that"]
    kept = {"blank-line", "line-break", "whitespace"}
    assert [(r.reason, r.text) for r in doc.removals if r.reason not in kept] == expected


def test_body_lines_that_look_like_numbers_are_not_furniture() -> None:
    raw = lines(" Recalling its resolution", "59/48 of 2 December 2004 and", "2010, ")
    doc = clean(raw, "en")
    assert texts(doc) == ["Recalling its resolution 59/48 of 2 December 2004 and 2010,"]


def test_first_page_masthead_is_furniture() -> None:
    raw = lines(
        "联合国 A/77/L.107",
        "大会 Distr.: Limited",
        "2023年7月12日",
        "中文",
        "原文：英文",
        " 第七十七届会议   ",
        "议程项目 127(s)   ",
        " 大会， ",
        " 回顾其第 59/48 号决议， ",
        "23-16564 (C)    070723",
        "*2316564*",
        "请回收",
    )
    doc = clean(raw, "zh")
    covered(raw, doc)
    assert texts(doc, "heading") == ["第七十七届会议", "议程项目127(s)"]
    assert texts(doc, "body") == ["大会，", "回顾其第59/48号决议，"]
    assert {"masthead", "page-header", "job-number", "barcode", "recycle"} <= set(reasons(doc))


REPORT_TOP_EN = (
    " General Assembly  Distr.: General",
    "3 July 2023",
    "Original: English",
    "Seventy-eighth session",
    "Item 68 of the preliminary list*",
    "  Cooperation between the United Nations and the Shanghai Cooperation Organization",
    "  Report of the Secretary-General",
    "  Summary",
    " The present report is submitted pursuant to General Assembly resolution 75/268, in",
    "which the Assembly requested the Secretary-General to report at its seventy-eighth",
    "session on its implementation.",
)
REPORT_TOP_ZH = (
    " 大  会  Distr.: General",
    "3 July 2023",
    "Chinese",
    "Original: English",
    "第七十八届会议",
    "临时议程草案*项目68",
    "  联合国同上海合作组织的合作",
    "  秘书长的报告",
    "  摘要",
    " 本报告依照大会第75/268号决议提交，大会在该决议中请秘书长向大会第七十八届会议报告",
    "决议的执行情况。",
)


@pytest.mark.parametrize(("lang", "top"), [("en", REPORT_TOP_EN), ("zh", REPORT_TOP_ZH)])
def test_a_reports_masthead_is_furniture_down_to_its_first_full_line(
    lang: str, top: tuple[str, ...]
) -> None:
    """A report has no opening line to end a heading zone: its masthead is what stands
    above the first full line of its first page. A date further down is text."""
    raw = lines(*top, " The consultations were held on", "3 July 2023", "\f in New York.")
    doc = clean(raw, lang)
    covered(raw, doc)
    assert texts(doc)[0].startswith(("Seventy-eighth session", "第七十八届会议"))
    assert [t for t in texts(doc) if "2023" in t] == ["The consultations were held on 3 July 2023"]
    assert "English" not in doc.text and "Chinese" not in doc.text
    assert "masthead" in reasons(doc)


CONTENTS_EN = (
    " Report of the Secretary-General",
    "Contents",
    "Page",
    "I. Introduction . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . 3",
    "II. Cooperation between the United Nations and the Shanghai Cooperation",
    "Organization . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . 3",
    "A. Peace and security . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . 4",
    "Annexes",
    "I. List of meetings..................................................... 12",
    "III. Conclusions . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . xii",
    " I. Introduction",
    " 1. The present report is submitted pursuant to resolution 75/268.",
)
CONTENTS_ZH = (
    " 秘书长的报告",
    "目录",
    "页次",
    "一. 导言 . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . 3",
    "二. 联合国同上海合作组织的合作. . . . . . . . . . . . . . . . . . . . . . . . 4",
    "A. 和平与安全 . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . 4",
    "附件",
    "一. 会议清单…………………………………………………………………………… 13",
    "三. 结论 . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . xiii",
    " 一. 导言",
    " 1. 本报告依照第75/268号决议提交。",
)


@pytest.mark.parametrize(
    ("lang", "contents", "entries"),
    [
        (
            "en",
            CONTENTS_EN,
            [
                "I. Introduction",
                "II. Cooperation between the United Nations and the Shanghai Cooperation "
                "Organization",
                "A. Peace and security",
                "Annexes",
                "I. List of meetings",
                "III. Conclusions",
            ],
        ),
        (
            "zh",
            CONTENTS_ZH,
            [
                "一. 导言",
                "二. 联合国同上海合作组织的合作",
                "A. 和平与安全",
                "附件",
                "一. 会议清单",
                "三. 结论",
            ],
        ),
    ],
)
def test_a_contents_entry_loses_its_leader_and_page_number(
    lang: str, contents: tuple[str, ...], entries: list[str]
) -> None:
    """The page numbers differ between language versions (3 against 4 above) and would
    be flagged; the leaders are no text. Each entry is a paragraph of its own, a title
    broken over two lines included, and so are the headings of the contents and of
    their page column, which the page sets apart by size and place only."""
    raw = lines(*contents)
    doc = clean(raw, lang)
    covered(raw, doc)
    assert texts(doc)[3:-2] == entries
    assert texts(doc)[:3] == [contents[0].strip(), contents[1], contents[2]]
    leaders = reasons(doc)["toc-leader"]
    assert len(leaders) == 5 and all(re.fullmatch(r"[.…\s]+(\d+|[xiv]+)", t) for t in leaders)


def test_dots_inside_a_sentence_are_not_a_leader() -> None:
    raw = lines(" The series ran 1, 2, 3 . . . . and so on to 10", " It was . . . . 5 days.")
    assert texts(clean(raw, "en")) == [
        "The series ran 1, 2, 3 . . . . and so on to 10",
        "It was . . . . 5 days.",
    ]


def paged(body: str, edge: str, pages: int = 4, first: int = 1) -> str:
    """``pages`` pages of three paragraphs (``body`` numbered), each with ``edge`` (its
    page number put in) at its foot, the last at its head: as a PDF's text gives them, a
    form feed apart."""
    out = []
    for n in range(pages):
        number = edge.format(first + n)
        page = [f" {3 * n + k + 1}. {body}" for k in range(3)]
        out.append(lines(*(page + [number] if n < pages - 1 else [number, *page])))
    return "\f".join(out)


EN_BODY = (
    "The Conference noted the report of the Director-General and decided to continue its "
    "consideration of the matter at its next session."
)
ZH_BODY = "会议注意到总干事的报告，并决定在下届会议上继续审议这一事项。"


@pytest.mark.parametrize(
    ("lang", "edge"),
    [
        ("en", "- {} -"),
        ("en", "Page {} of 4"),
        ("en", "{}"),
        ("fr", "Page {} sur 4"),
        ("zh", "第 {} 页，共 4 页"),
        ("zh", "- {} -"),
        ("ru", "Стр. {}"),
    ],
)
def test_page_numbers_other_publishers_print_are_furniture(lang: str, edge: str) -> None:
    """WHO, FAO, ILO and national documents number their pages so; a number glued to the
    page's last paragraph would end up in a Chinese sentence (``…意见。第1页，共4页``)."""
    body = ZH_BODY if lang == "zh" else EN_BODY
    raw = paged(body, edge)
    doc = clean(raw, lang)
    covered(raw, doc)
    assert texts(doc) == [f"{n}. {body}" for n in range(1, 13)]
    assert len(reasons(doc)["page-number"]) == 4


def test_a_number_that_does_not_count_the_pages_is_text() -> None:
    same = paged(EN_BODY, "2")  # the same number on every page
    years = paged(EN_BODY, "{}", first=2021)  # a year heading each page's statistics
    inside = lines(f" {EN_BODY}", "3", f" {EN_BODY}") + "\f" + lines(f" {EN_BODY}", "4", "x")
    for raw in (same, years, inside):  # the last: mid-page, not at its head or foot
        doc = clean(raw, "en")
        covered(raw, doc)
        assert "page-number" not in reasons(doc)


def test_a_line_heading_page_after_page_is_furniture() -> None:
    """A report's title over every page and a session line under every page (its
    number changing) go, the first page's included; the title set as the first page's
    text stays."""
    pages = []
    for n in range(4):
        body = [f" {3 * n + k + 1}. {EN_BODY}" for k in range(3)]
        title = ["  Report of the Committee on World Food Security"] if n == 0 else []
        pages.append(
            lines(
                "Report of the Committee on World Food Security",
                *title,
                *body,
                f"CFS {50 + n}/Inf.{n + 3}",
            )
        )
    raw = "\f".join(pages)
    doc = clean(raw, "en")
    covered(raw, doc)
    assert texts(doc)[0] == "Report of the Committee on World Food Security"  # the title
    assert doc.text.count("Report of the Committee on World Food Security") == 1
    assert "CFS" not in doc.text
    assert len(reasons(doc)["running-head"]) == 8
    two = "\f".join(lines("Annex", f" {n}. {EN_BODY}") for n in range(2))
    assert "running-head" not in reasons(clean(two, "en"))  # two pages are not a run
    ends = "\f".join(  # a templated paragraph's last line, at the foot of every page
        lines(f" {n}. {EN_BODY} The Conference took note of", "the views expressed.")
        for n in range(4)
    )
    assert "running-head" not in reasons(clean(ends, "en"))


# -- links ----------------------------------------------------------------------

ZH_PAGE_ONE_FOOT = (
    " 还回顾其2004年12月2日关于给予上海合作组织大会观察员地位的第59/48\n\n"
    "号决议， \n\n"
    " 注意到上海合作组织致力于按照联合国的目标和原则行事， \n\n"
    "__________________ \n\n"
    " * 提案国名单如有任何变化，将在会议正式记录中予以反映。 \n\n"
    "https://undocs.org/ch/A/RES/59/48\n"
    "https://undocs.org/ch/A/RES/59/48\n"
    "  又注意到上海合作组织已成为应对区域安全各个层面的一个不可或缺的区\n\n"
    "域组织，包括与相关区域组织合作方面， \n\n"
    " 考虑到上海合作组织成员国承诺努力落实《2030 年可持续发展议程》1 提出\n\n"
    "的目标， \n\n"
    "__________________ \n\n"
    " 1 第 70/1 号决议。 \n\n"
    " 2 联合国，《条约汇编》，第 2896 卷，第 50518 号。 \n\n"
    "https://undocs.org/ch/A/RES/70/1\n"
    "https://undocs.org/ch/A/RES/60/288\n"
)

ZH_NOTES_4_5 = (
    "__________________ \n\n"
    " 4 第 60/288 号决议。 \n\n"
    " 5 S-30/1 号决议，附件。 \n\n"
    "https://undocs.org/ch/A/RES/60/288\n"
    "https://undocs.org/ch/A/RES/S-30/1\n"
)


def test_links_collected_and_attached_to_the_block_naming_them() -> None:
    doc = clean(ZH_PAGE_ONE_FOOT, "zh")
    covered(ZH_PAGE_ONE_FOOT, doc)
    assert doc.links == (
        "https://undocs.org/ch/A/RES/59/48",
        "https://undocs.org/ch/A/RES/70/1",
        "https://undocs.org/ch/A/RES/60/288",
    )
    by_text = {b.text: b.links for b in doc.blocks}
    assert by_text["还回顾其2004年12月2日关于给予上海合作组织大会观察员地位的第59/48号决议，"] == (
        "https://undocs.org/ch/A/RES/59/48",
    )
    assert by_text["第70/1号决议。"] == ("https://undocs.org/ch/A/RES/70/1",)
    # 60/288 is named by no block here: collected, attached nowhere
    assert sum(len(b.links) for b in doc.blocks) == 2
    assert reasons(doc)["link"] == [
        "https://undocs.org/ch/A/RES/59/48",
        "https://undocs.org/ch/A/RES/59/48",
        "https://undocs.org/ch/A/RES/70/1",
        "https://undocs.org/ch/A/RES/60/288",
    ]
    assert not any("undocs" in b.text for b in doc.blocks)


def test_link_to_a_special_session_resolution() -> None:
    doc = clean(ZH_NOTES_4_5, "zh")
    covered(ZH_NOTES_4_5, doc)
    assert [(b.footnote, b.text, b.links) for b in doc.blocks] == [
        ("4", "第60/288号决议。", ("https://undocs.org/ch/A/RES/60/288",)),
        ("5", "S-30/1号决议，附件。", ("https://undocs.org/ch/A/RES/S-30/1",)),
    ]


def test_link_needs_the_whole_number() -> None:
    raw = lines(" Recalling resolution 70/10 and 170/1.", "https://undocs.org/en/A/RES/70/1")
    doc = clean(raw, "en")
    assert doc.links == ("https://undocs.org/en/A/RES/70/1",)
    assert doc.blocks[0].links == ()


# -- footnotes ------------------------------------------------------------------


def test_footnotes_pulled_out_after_the_body_in_mark_order() -> None:
    doc = clean(ZH_PAGE_ONE_FOOT, "zh")
    assert [b.kind for b in doc.blocks] == ["body"] * 4 + ["footnote"] * 3
    assert [(b.footnote, b.text) for b in doc.blocks if b.kind == "footnote"] == [
        ("*", "提案国名单如有任何变化，将在会议正式记录中予以反映。"),
        ("1", "第70/1号决议。"),
        ("2", "联合国，《条约汇编》，第2896卷，第50518号。"),
    ]
    assert texts(doc, "body")[2] == (
        "又注意到上海合作组织已成为应对区域安全各个层面的一个不可或缺的区域组织，包括与相关区域组织合作方面，"
    )
    assert reasons(doc)["footnote-mark"] == ["*", "1", "2"]
    assert reasons(doc)["footnote-rule"] == ["__________________"] * 2


def test_footnote_number_must_be_the_next_one() -> None:
    # after footnote 1, a "5" line is not a footnote: the zone ends and it is body text
    raw = ZH_PAGE_ONE_FOOT.replace(" 2 联合国", " 5 联合国")
    doc = clean(raw, "zh")
    covered(raw, doc)
    assert [b.footnote for b in doc.blocks if b.kind == "footnote"] == ["*", "1"]
    assert texts(doc, "body")[-1].startswith("5联合国，《条约汇编》")


def test_footnote_with_a_hanging_indent_wraps_into_itself() -> None:
    """A footnote set with a hanging indent wraps right of its mark: an indented line
    continues it until it has ended a sentence, and the next mark opens the next one."""
    raw = lines(
        " Noting the memoranda of understanding,6 and welcoming them,7",
        "__________________ ",
        " 6 Memorandum of Understanding between the Secretariat of the Shanghai Cooperation",
        "   Organization and the Eurasian Economic Commission, signed on 17 September 2021. ",
        " 7 Memorandum of Understanding between the Secretariat of the Shanghai Cooperation",
        "   Organization and the League of Arab States, signed on 16 September 2022. ",
    )
    doc = clean(raw, "en")
    covered(raw, doc)
    notes = [(b.footnote, b.text) for b in doc.blocks if b.kind == "footnote"]
    assert [mark for mark, _ in notes] == ["6", "7"]
    assert notes[0][1].endswith("Eurasian Economic Commission, signed on 17 September 2021.")
    assert notes[1][1].endswith("League of Arab States, signed on 16 September 2022.")
    assert texts(doc, "body") == ["Noting the memoranda of understanding, and welcoming them,"]


def test_numbered_operative_paragraph_is_not_a_footnote() -> None:
    raw = (
        " 深信加强联合国和联合国系统其他组织同上海合作组织的合作有助于促进\n\n"
        "联合国的目标与宗旨， \n\n"
        "__________________ \n\n"
        " 1 第 70/1 号决议。 \n\n"
        "  2. 强调联合国系统与上海合作组织加强对话、合作与协调的重要性，提议\n\n"
        "秘书长通过现有机构间论坛和形式， \n\n"
    )
    doc = clean(raw, "zh")
    covered(raw, doc)
    assert [(b.kind, b.footnote) for b in doc.blocks] == [
        ("body", None),
        ("body", None),
        ("footnote", "1"),
    ]
    assert doc.blocks[1].text == (
        "2. 强调联合国系统与上海合作组织加强对话、合作与协调的重要性，"
        "提议秘书长通过现有机构间论坛和形式，"
    )


def test_footnote_continuation_lines_join_the_footnote() -> None:
    raw = (
        "__________________ \n\n"
        " 6 Memorandum of Understanding between the Secretariat of the Shanghai Cooperation"
        " Organization and\n\n"
        "the Eurasian Economic Commission, signed in Dushanbe on 17 September 2021. \n\n"
        " 7 Memorandum of Understanding between the Secretariat of the Shanghai Cooperation"
        " Organization and\n\n"
        "the League of Arab States, signed in Samarkand on 16 September 2022. \n\n"
    )
    doc = clean(raw, "en")
    covered(raw, doc)
    assert [(b.footnote, b.text[-40:]) for b in doc.blocks] == [
        ("6", "mmission, signed in Dushanbe on 17 September 2021."[-40:]),
        ("7", "Arab States, signed in Samarkand on 16 September 2022."[-40:]),
    ]


def test_a_page_break_ends_the_footnotes() -> None:
    """A form feed (a PDF read here, or ``pdftotext``) starts a page: a paragraph that runs
    on there after the last page's footnotes is body text, even with no page header."""
    raw = lines(
        " Noting the memorandum of understanding,6 and welcoming its",
        "__________________ ",
        " 6 Memorandum of Understanding between the Secretariat of the Shanghai Cooperation",
        "Organization and the Eurasian Economic Commission",
        "\fsigning in Dushanbe on 17 September 2021,",
        " Recalling its resolution 75/268,",
    )
    doc = clean(raw, "en")
    covered(raw, doc)
    assert texts(doc, "body") == [
        "Noting the memorandum of understanding, and welcoming its signing in Dushanbe on "
        "17 September 2021,",
        "Recalling its resolution 75/268,",
    ]
    assert [b.text for b in doc.blocks if b.kind == "footnote"] == [
        "Memorandum of Understanding between the Secretariat of the Shanghai Cooperation "
        "Organization and the Eurasian Economic Commission"
    ]


# -- footnote references ----------------------------------------------------------

ZH_REFS = (
    " 考虑到上海合作组织成员国承诺努力落实《2030 年可持续发展议程》1 提出\n\n"
    "的目标， \n\n"
    " 确认上海合作组织成员国努力按照《上海合作组织成员国长期睦邻友好合作\n\n"
    "条约》，2 将上海合作组织区域建设成一个持久和平、友好、繁荣、和睦的区域， \n\n"
    " 还回顾其2004年12月2日关于给予上海合作组织大会观察员地位的第59/48\n\n"
    "号决议， \n\n"
    " 考虑到上海合作组织成员国中包括经济转型国家，在这方面回顾大会 2006\n\n"
    "年 12 月 20 日第 61/210 号决议， \n\n"
    " 注意到 2022 年 9 月 15 日和 16 日在撒马尔罕举行的第二十二次会议和 2023 年\n\n"
    "3 月 4 日由印度以视频形式主持召开的第二十三次会议， \n\n"
    " 又确认上海合作组织根据 2016 年 4 月 19 至 21 日在纽约举行的世界毒品问\n\n"
    "题大会第三十届特别会议的成果文件3 在打击毒品方面发挥作用， \n\n"
    "__________________ \n\n"
    " 1 第 70/1 号决议。 \n\n"
    " 2 联合国，《条约汇编》，第 2896 卷，第 50518 号。 \n\n"
    " 3 S-30/1 号决议，附件。 \n\n"
)


def test_glued_reference_marks_removed_numbers_kept() -> None:
    doc = clean(ZH_REFS, "zh")
    covered(ZH_REFS, doc)
    body = texts(doc, "body")
    assert body == [
        "考虑到上海合作组织成员国承诺努力落实《2030年可持续发展议程》提出的目标，",
        "确认上海合作组织成员国努力按照《上海合作组织成员国长期睦邻友好合作条约》，将上海合作组织区域建设成一个持久和平、友好、繁荣、和睦的区域，",
        "还回顾其2004年12月2日关于给予上海合作组织大会观察员地位的第59/48号决议，",
        "考虑到上海合作组织成员国中包括经济转型国家，在这方面回顾大会2006年12月20日第61/210号决议，",
        # "3" opens a line after a date: it is the expected mark but not glued, so kept
        "注意到2022年9月15日和16日在撒马尔罕举行的第二十二次会议和2023年3月4日由印度以视频形式主持召开的第二十三次会议，",
        "又确认上海合作组织根据2016年4月19至21日在纽约举行的世界毒品问题大会第三十届特别会议的成果文件在打击毒品方面发挥作用，",
    ]
    assert [b.refs for b in doc.blocks if b.refs] == [("1",), ("2",), ("3",)]
    assert reasons(doc)["footnote-ref"] == ["1", "2", "3"]


def test_figures_a_pdf_reader_spaced_from_their_units_are_not_marks() -> None:
    """Chinese figures set in a Latin font come out of a PDF as ``2018 年6 月9 日``: the 6
    after 年 is the month, not the footnote 6 the page cites."""
    raw = lines(
        " 注意到2018 年6 月9 日和10 日在中国青岛举行的会议，并欢迎该组织的备忘录6。",
        "__________________ ",
        " 6 《上海合作组织秘书处与欧亚经济委员会谅解备忘录》。",
    )
    doc = clean(raw, "zh")
    covered(raw, doc)
    assert texts(doc, "body") == [
        "注意到2018年6月9日和10日在中国青岛举行的会议，并欢迎该组织的备忘录。"
    ]
    assert reasons(doc)["footnote-ref"] == ["6"]


def test_a_mark_glued_to_a_year_before_the_comma_is_removed() -> None:
    """French, Spanish and Russian put the mark before the comma, so a PDF gives the year
    and the mark as one figure: ``à l’horizon 20301,`` is 2030 and note 1. A figure
    followed by a word, or with no note of that mark waiting, stays whole."""
    raw = lines(
        " Tenant compte des objectifs énoncés dans le Programme de développement",
        "durable à l’horizon 20301, et d’un montant de 20302 dollars,",
        " Rappelant sa résolution 59/48 du 2 décembre 20042\xa0;",
        " Recordando la Agenda 20303.",
        " Notant le Plan 20251.",
        "__________________ ",
        " 1 Résolution 70/1. ",
        " 2 A/RES/59/48. ",
        " 3 Resolución 70/1. ",
    )
    doc = clean(raw, "fr")
    covered(raw, doc)
    assert texts(doc, "body") == [
        "Tenant compte des objectifs énoncés dans le Programme de développement durable à "
        "l’horizon 2030, et d’un montant de 20302 dollars,",
        "Rappelant sa résolution 59/48 du 2 décembre 2004\xa0;",
        "Recordando la Agenda 2030.",
        "Notant le Plan 20251.",
    ]
    assert [b.refs for b in doc.blocks if b.refs] == [("1",), ("2",), ("3",)]


def test_figures_that_number_a_word_are_not_marks() -> None:
    """A figure glued to a table, goal or option it numbers (``表1所列``, ``目标2的``) is
    no footnote mark, nor is one that leaves the mark to the same figure after
    punctuation further on (``项目1的…较短。1``): they were dropped as marks."""
    raw = lines(
        " 注意到表1所列数据表明，可持续发展目标2的执行情况有所改善，",
        "__________________ ",
        " 1 第 70/1 号决议。 ",
        " 2 A/77/2。 ",
    )
    doc = clean(raw, "zh")
    covered(raw, doc)
    assert texts(doc, "body") == ["注意到表1所列数据表明，可持续发展目标2的执行情况有所改善，"]
    assert "footnote-ref" not in reasons(doc)
    raw = lines(" 又注意到项目1的成本较低，实施时间较短。1", "__________________ ", " 1 A/77/1。 ")
    doc = clean(raw, "zh")
    covered(raw, doc)
    assert texts(doc, "body") == ["又注意到项目1的成本较低，实施时间较短。"]
    assert reasons(doc)["footnote-ref"] == ["1"]


def test_an_english_year_is_not_a_year_with_a_mark() -> None:
    """English puts the mark after the comma: ``rose to 20151,`` is a number, and the
    mark is the ``1`` after ``2020;``. It used to come out as ``rose to 2015,``."""
    raw = lines(
        " Notes that the applications received rose to 20151, compared with 18000 in 2020;1",
        "__________________ ",
        " 1 See A/77/1. ",
    )
    doc = clean(raw, "en")
    covered(raw, doc)
    assert texts(doc, "body") == [
        "Notes that the applications received rose to 20151, compared with 18000 in 2020;"
    ]
    assert doc.blocks[0].refs == ("1",)


def test_a_reader_of_paragraphs_leaves_no_numbered_marks_in_the_text() -> None:
    """A .docx or a web page gives its notes apart from the text, their marks out of it:
    a figure there (``表1``, ``目标2``, ``Development,1``) is text. A custom mark typed in
    the text (the sponsors' ``*``) is still the note's."""
    raw = "\n".join(
        [
            "决议草案*",
            "注意到表1所列数据，并注意到可持续发展目标2的执行情况，",
            "回顾《2030年可持续发展议程》，1",
            "",
            "__________",
            "* 提案国名单如有任何变化。",
            "1 第70/1号决议。",
            "2 第70/2号决议。",
        ]
    )
    doc = clean(RawDocument(raw, "a.docx", "docx", "zh", layout="paragraphs"))
    covered(raw, doc)
    assert texts(doc, "body") == [
        "决议草案",
        "注意到表1所列数据，并注意到可持续发展目标2的执行情况，",
        "回顾《2030年可持续发展议程》，1",
    ]
    assert [(b.footnote, b.text) for b in doc.blocks if b.kind == "footnote"] == [
        ("*", "提案国名单如有任何变化。"),
        ("1", "第70/1号决议。"),
        ("2", "第70/2号决议。"),
    ]
    assert reasons(doc)["footnote-ref"] == ["*"]


def test_only_marks_of_this_document_are_removed() -> None:
    raw = lines(" 欢迎《不扩散核武器条约》3 缔约国承诺充分遵守该条约，")
    doc = clean(raw, "zh")
    assert texts(doc) == ["欢迎《不扩散核武器条约》3缔约国承诺充分遵守该条约，"]
    assert "footnote-ref" not in reasons(doc)


def test_english_reference_marks() -> None:
    raw = lines(
        " Taking into account the commitment of the member States of the Shanghai Cooperation",
        "Organization to work towards the implementation of the goals set out in the 2030 Agenda",
        "for Sustainable Development,1 ",
        " Welcoming the commitment of the States members of the Shanghai Cooperation Organization",
        "that are parties to the Treaty on the Non-Proliferation of Nuclear Weapons2 to comply",
        "fully with that Treaty, including in the Central Asian region, ",
        " Recognizing also the role of the Shanghai Cooperation Organization in countering drugs",
        "Assembly on the world drug problem, held in New York from 19 to 21 April 2016,3 and",
        "encouraging the G7 and CO2 and 4 the Shanghai Cooperation Organization to continue",
        "__________________ ",
        " 1 Resolution 70/1. ",
        " 2 United Nations, Treaty Series, vol. 729, No. 10485. ",
        " 3 Resolution S-30/1, annex. ",
        " 4 Ibid. ",
    )
    doc = clean(raw, "en")
    covered(raw, doc)
    body = texts(doc, "body")
    assert body[0].endswith("the 2030 Agenda for Sustainable Development,")
    assert "Nuclear Weapons to comply" in body[1]
    assert "21 April 2016, and encouraging the G7 and CO2 and 4 the" in body[2]
    assert [r for b in doc.blocks for r in b.refs] == ["1", "2", "3"]


def test_sponsors_heading_loses_its_star() -> None:
    zh = lines(
        "  阿塞拜疆、中国、印度、哈萨克斯坦、吉尔吉斯斯坦、巴基斯坦、俄罗斯联邦、",
        "塔吉克斯坦和乌兹别克斯坦：* 决议草案 ",
        "  联合国同上海合作组织的合作 ",
        " 大会， ",
        "__________________ ",
        " * 提案国名单如有任何变化，将在会议正式记录中予以反映。 ",
    )
    en = lines(
        "  Azerbaijan, China, India, Kazakhstan, Kyrgyzstan, Pakistan, Russian Federation,",
        "Tajikistan and Uzbekistan:* draft resolution ",
        "  Cooperation between the United Nations and the Shanghai Cooperation Organization ",
        " The General Assembly, ",
        "__________________ ",
        " * Any changes in the list of sponsors will be reflected in the official records. ",
    )
    zdoc, edoc = clean(zh, "zh"), clean(en, "en")
    covered(zh, zdoc)
    covered(en, edoc)
    assert texts(zdoc, "heading")[0] == (
        "阿塞拜疆、中国、印度、哈萨克斯坦、吉尔吉斯斯坦、巴基斯坦、俄罗斯联邦、塔吉克斯坦和乌兹别克斯坦：决议草案"
    )
    assert texts(edoc, "heading")[0] == (
        "Azerbaijan, China, India, Kazakhstan, Kyrgyzstan, Pakistan, Russian Federation, "
        "Tajikistan and Uzbekistan: draft resolution"
    )
    assert zdoc.blocks[0].refs == edoc.blocks[0].refs == ("*",)


# -- spaces and line joins --------------------------------------------------------


def test_chinese_stray_spaces() -> None:
    raw = lines(
        " 回顾其关于联合国同上海合作组织的合作的 2009年 12月 18日第 64/183号、",
        "2010 年 12 月 13 日第 65/124 号、联合国 United Nations 大会和 S-30/1 号决议，",
        " 1. 肯定上海合作组织在确保和平与可持续发展方面的建设性作用； ",
    )
    doc = clean(raw, "zh")
    covered(raw, doc)
    assert texts(doc) == [
        "回顾其关于联合国同上海合作组织的合作的2009年12月18日第64/183号、"
        "2010年12月13日第65/124号、联合国United Nations大会和S-30/1号决议，",
        "1. 肯定上海合作组织在确保和平与可持续发展方面的建设性作用；",
    ]
    assert set(reasons(doc)["stray-space"]) == {""}


def test_lines_join_into_paragraphs() -> None:
    zh = lines(
        " 回顾联合国的宗旨之一是在维护国际和平与安全及解决属于经济、社会、文",
        "化或人道主义性质的国际问题方面开展合作， ",
        " 又回顾《联合国宪章》中的若干条款鼓励在区域合作基础上开展活动，以推",
        "进联合国的目标与宗旨， ",
    )
    en = lines(
        " Recalling also the Articles of the Charter of the United Nations that encourage",
        "activities through regional cooperation for the promotion of the purposes and",
        "principles of the United Nations, ",
        " Recalling further its resolution 59/48 of 2 December 2004, by which it granted observer",
        "status in the General Assembly to the Shanghai Cooperation Organization, ",
    )
    assert texts(clean(zh, "zh")) == [
        "回顾联合国的宗旨之一是在维护国际和平与安全及解决属于经济、社会、文化或人道主义性质的国际问题方面开展合作，",
        "又回顾《联合国宪章》中的若干条款鼓励在区域合作基础上开展活动，以推进联合国的目标与宗旨，",
    ]
    edoc = clean(en, "en")
    covered(en, edoc)
    assert texts(edoc) == [
        "Recalling also the Articles of the Charter of the United Nations that encourage "
        "activities through regional cooperation for the promotion of the purposes and "
        "principles of the United Nations,",
        "Recalling further its resolution 59/48 of 2 December 2004, by which it granted observer "
        "status in the General Assembly to the Shanghai Cooperation Organization,",
    ]
    assert {r.reason for r in edoc.removals} <= {"line-break", "blank-line", "whitespace"}


def test_unindented_paragraph_after_a_short_line() -> None:
    raw = lines(
        "Recalling also the Articles of the Charter of the United Nations that encourage",
        "activities through regional cooperation for the promotion of the purposes and",
        "principles of the United Nations,",
        "Recalling further its resolution 59/48 of 2 December 2004, by which it granted observer",
        "status in the General Assembly to the Shanghai Cooperation Organization,",
    )
    assert len(clean(raw, "en").blocks) == 2


EN_PAGE_BREAK = (
    " 1. Acknowledges the constructive role of the Shanghai Cooperation Organization in\n\n"
    "ensuring peace and sustainable development, promoting regional cooperation and\n\n"
    "security and stability in the region, countering terrorism, drug trafficking and other\n\n"
    "__________________ \n\n"
    " 6 Memorandum of Understanding between the Secretariat of the Shanghai Cooperation"
    " Organization and\n\n"
    "the Eurasian Economic Commission, signed in Dushanbe on 17 September 2021. \n\n"
    " 7 Memorandum of Understanding between the Secretariat of the Shanghai Cooperation"
    " Organization and\n\n"
    "the League of Arab States, signed in Samarkand on 16 September 2022. \n\n"
    "https://undocs.org/en/A/RES/61/210\n\n\n"
    " A/77/L.107 \n\n \n\n4/4 23-16564 \n\n \n\n"
    "types of criminal activity of a transnational nature, and promoting regional\n\n"
    "cooperation in such areas as trade and economic development, energy, transportation,\n\n"
    "protection and natural disaster risk reduction, as well as in other relevant areas; \n\n"
    " 2. Underlines the importance of strengthening dialogue, cooperation and coordination\n\n"
)


def test_paragraph_continues_across_page_break() -> None:
    doc = clean(EN_PAGE_BREAK, "en")
    covered(EN_PAGE_BREAK, doc)
    assert [(b.kind, b.footnote) for b in doc.blocks] == [
        ("body", None),
        ("body", None),
        ("footnote", "6"),
        ("footnote", "7"),
    ]
    first = doc.blocks[0].text
    assert "drug trafficking and other types of criminal activity" in first
    assert first.endswith("as well as in other relevant areas;")
    assert doc.blocks[1].text.startswith("2. Underlines")
    assert {"page-header", "page-counter", "job-number", "link"} <= set(reasons(doc))


# -- hyphenation ----------------------------------------------------------------


def en_join(first: str, second: str, elsewhere: str = "") -> str:
    raw = lines(" " + first, second, " " + elsewhere) if elsewhere else lines(" " + first, second)
    return clean(raw, "en").blocks[0].text


def test_hyphenation_undone_for_broken_words() -> None:
    assert en_join(
        "between the United Nations and other organi-",
        "zations of the United Nations system",
        "Cooperation with regional organizations,",
    ) == ("between the United Nations and other organizations of the United Nations system")
    # no evidence either way, lower case, not a compound word: a broken word
    assert en_join("the imple-", "mentation of the present resolution") == (
        "the implementation of the present resolution"
    )


def test_hyphen_kept_in_compounds() -> None:
    assert en_join("dialogue between the Secretary-", "General of the United Nations") == (
        "dialogue between the Secretary-General of the United Nations"
    )
    assert en_join("the Treaty on the Non-", "Proliferation of Nuclear Weapons") == (
        "the Treaty on the Non-Proliferation of Nuclear Weapons"
    )
    assert en_join("its long-", "term goals") == "its long-term goals"
    assert en_join("the follow-", "up to the conference") == "the follow-up to the conference"
    assert en_join("science, start-", "ups and innovation") == "science, start-ups and innovation"
    assert en_join("the trade-", "offs between them") == "the trade-offs between them"
    assert en_join("the twenty-", "third meeting") == "the twenty-third meeting"
    assert en_join("the COVID-", "19 pandemic") == "the COVID-19 pandemic"


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        ("an open-", "ended working group", "an open-ended working group"),
        ("an in-", "depth review", "an in-depth review"),
        ("the cost-", "effective measures", "the cost-effective measures"),
        ("the far-", "reaching consequences", "the far-reaching consequences"),
        ("to prevent ill-", "treatment in", "to prevent ill-treatment in"),
        ("their state-", "of-the-art technologies", "their state-of-the-art technologies"),
        ("an up-", "to-date list", "an up-to-date list"),
        ("the so-", "called experts", "the so-called experts"),
        ("the multi-", "stakeholder partnership", "the multi-stakeholder partnership"),
        ("the open-", "ing of the session", "the opening of the session"),
        ("a state-", "ment by the President", "a statement by the President"),
        ("the follow-", "ing year", "the following year"),
        ("the inter-", "national community", "the international community"),
        ("public in-", "formation", "public information"),
    ],
)
def test_english_compounds_broken_at_their_hyphen(first: str, second: str, joined: str) -> None:
    """Common first and second parts of compounds keep the hyphen (``openended``,
    ``indepth`` and ``stateof-the-art`` came out before); a suffix after a first part
    (``open-|ing``) and other syllables are a word broken by hyphenation."""
    assert en_join(first, second) == joined


def test_french_compounds_and_broken_words() -> None:
    """French numbers and prefixes form compounds (``soixante-dix-neuvième``, broken at its
    hyphen by a word processor, read as ``dixneuvième`` before); ``anti`` and ``co`` do
    not, as French writes ``antiterroriste`` and ``coopération`` solid."""

    def fr_join(first: str, second: str) -> str:
        return clean(lines(" " + first, second), "fr").blocks[0].text

    assert fr_join("à sa soixante-dix-", "neuvième session") == "à sa soixante-dix-neuvième session"
    assert fr_join("la coopération sous-", "régionale") == "la coopération sous-régionale"
    assert fr_join("les mesures anti-", "terroristes") == "les mesures antiterroristes"
    assert fr_join("de l’Organi-", "sation") == "de l’Organisation"
    assert fr_join("la co-", "opération") == "la coopération"


@pytest.mark.parametrize(
    ("lang", "first", "second", "joined"),
    [
        ("es", "la cooperación técnico-", "científica y", "la cooperación técnico-científica y"),
        ("es", "el ámbito socio-", "económico", "el ámbito socio-económico"),
        ("es", "la Organiza-", "ción de", "la Organización de"),
        ("es", "económi-", "cos y", "económicos y"),
        ("ru", "и на социально-", "экономическое", "и на социально-экономическое"),
        ("ru", "в торгово-", "экономической", "в торгово-экономической"),
        ("ru", "Азиатско-", "Тихоокеанском", "Азиатско-Тихоокеанском"),
        ("ru", "международного сотрудни-", "чества", "международного сотрудничества"),
        ("ru", "их ответственно-", "сти", "их ответственности"),
        ("ru", "Организации Объединен-", "ных Наций", "Организации Объединенных Наций"),
    ],
)
def test_spanish_and_russian_compounds_and_broken_words(
    lang: str, first: str, second: str, joined: str
) -> None:
    """Compound adjectives join a stem in -o to a word (técnico-científica,
    социально-экономическое): broken at their hyphen by a word processor, they lost it."""
    assert clean(lines(" " + first, second), lang).blocks[0].text == joined


def test_hyphenation_follows_evidence_in_the_document() -> None:
    assert en_join("peace-", "building efforts", "Welcoming peace-building,") == (
        "peace-building efforts"
    )
    assert en_join("peace-", "building efforts", "Welcoming peacebuilding,") == (
        "peacebuilding efforts"
    )


def test_web_and_e_mail_addresses_wrapped_across_lines_are_joined_whole() -> None:
    """A space put where the line broke cut ``…/sites/45/ publication/…`` and
    ``info@ un.org`` in two; a hyphen there is the address's own (``wp-content``)."""
    raw = lines(
        " Takes note of the report, available at https://www.un.org/development/desa/wp-",
        "content/uploads/sites/45/",
        "publication/WESP2023_FullReport.pdf, and of the e-mail from info@",
        "un.org and the page www.un.org/",
        "and the address www.un.org.",
        "The report is long;",
    )
    doc = clean(raw, "en")
    covered(raw, doc)
    assert texts(doc) == [
        "Takes note of the report, available at https://www.un.org/development/desa/"
        "wp-content/uploads/sites/45/publication/WESP2023_FullReport.pdf, and of the e-mail "
        "from info@un.org and the page www.un.org/ and the address www.un.org.",
        "The report is long;",
    ]


def test_other_languages_join_like_english() -> None:
    de = lines(" Der Ausschuss-", "bericht wurde von der Generalversammlung an-", "genommen. ")
    fr = lines(
        " L’Assemblée générale,",
        " Rappelant que l’un des buts de l’Organisation des Nations Unies est de réaliser la",
        "coopération internationale, ",
    )
    assert texts(clean(de, "de")) == [
        "Der Ausschussbericht wurde von der Generalversammlung angenommen."
    ]
    doc = clean(fr, "fr")
    covered(fr, doc)
    assert texts(doc) == [
        "L’Assemblée générale,",
        "Rappelant que l’un des buts de l’Organisation des Nations Unies est de réaliser la "
        "coopération internationale,",
    ]


# -- headings -------------------------------------------------------------------

ZH_HEAD = (
    " 第七十七届会议   \n\n议程项目 127(s)   \n\n"
    "联合国同各区域组织及其他组织的合作： \n\n联合国同上海合作组织的合作 \n \n\n  \n\n"
    "  阿塞拜疆、中国、印度、哈萨克斯坦、吉尔吉斯斯坦、巴基斯坦、俄罗斯联邦、\n\n"
    "塔吉克斯坦和乌兹别克斯坦：* 决议草案 \n\n"
    "  联合国同上海合作组织的合作 \n\n"
    " 大会， \n\n"
    " 回顾联合国的宗旨之一是在维护国际和平与安全及解决属于经济、社会、文\n\n"
)


def test_headings_before_the_opening_line() -> None:
    doc = clean(ZH_HEAD, "zh")
    covered(ZH_HEAD, doc)
    assert texts(doc, "heading") == [
        "第七十七届会议",
        "议程项目127(s)",
        "联合国同各区域组织及其他组织的合作：联合国同上海合作组织的合作",
        # no footnote "*" in this excerpt, so the star is not a reference mark here
        "阿塞拜疆、中国、印度、哈萨克斯坦、吉尔吉斯斯坦、巴基斯坦、俄罗斯联邦、塔吉克斯坦和乌兹别克斯坦：*决议草案",
        "联合国同上海合作组织的合作",
    ]
    assert texts(doc, "body")[0] == "大会，"


def test_english_headings() -> None:
    raw = (
        " Seventy-seventh session   \n\nAgenda item 127 (s)   \n\n"
        "Cooperation between the United Nations and regional and other organizations: \n\n"
        "cooperation between the United Nations and the Shanghai Cooperation Organization \n \n\n"
        " The General Assembly, \n\n"
    )
    doc = clean(raw, "en")
    assert texts(doc, "heading") == [
        "Seventy-seventh session",
        "Agenda item 127 (s)",
        "Cooperation between the United Nations and regional and other organizations: "
        "cooperation between the United Nations and the Shanghai Cooperation Organization",
    ]
    assert texts(doc, "body") == ["The General Assembly,"]


@pytest.mark.parametrize(
    ("lang", "masthead", "body"),
    [
        (
            "fr",
            "Nations Unies A/77/L.107\n\nAssemblée générale Distr. limitée\n25 août 2023\n"
            "Français\nOriginal : anglais\n\n",
            ["Soixante-dix-septième session", "L’Assemblée générale,", "Rappelant sa résolution,"],
        ),
        (
            "es",
            "Naciones Unidas A/77/L.107\n\nAsamblea General Distr. limitada\n"
            "25 de agosto de 2023\nEspañol\nOriginal: inglés\n\n",
            ["Septuagésimo séptimo período", "La Asamblea General,", "Recordando su resolución,"],
        ),
        (
            "ru",
            "Организация Объединенных Наций A/77/L.107\n\nГенеральная Ассамблея Distr.: limited\n"
            "25 августа 2023 года\nRussian\nOriginal: English\n\n",
            ["Семьдесят седьмая сессия", "Генеральная Ассамблея,", "ссылаясь на резолюцию,"],
        ),
        (
            "ar",
            "الأمم المتحدة A/77/L.107\n\nالجمعية العامة Distr.: Limited\n25 آب/أغسطس 2023\nعربي\n"
            "الأصل: بالإنكليزية\n\n",
            ["الدورة السابعة والسبعون", "إن الجمعية العامة،", "إذ تشير إلى قرارها،"],
        ),
        (
            "zh",
            "联 合 国 A/77/L.107\n\n大 会 Distr.: Limited\n2023 年 8 月 25 日\n中 文\n"
            "原 文 ： 英 文\n\n",
            ["第七十七届会议", "大会，", "回顾其第59/48号决议，"],
        ),
    ],
)
def test_the_first_page_masthead_in_other_un_languages(
    lang: str, masthead: str, body: list[str]
) -> None:
    """Organ, symbol, distribution, date, language and original language go, as in English."""
    raw = masthead + "".join(f" {line}\n\n" for line in body)
    doc = clean(raw, lang)
    covered(raw, doc)
    assert [b.text for b in doc.blocks] == body
    assert {"masthead", "page-header"} <= set(reasons(doc))


@pytest.mark.parametrize(
    ("lang", "raw", "opening"),
    [
        (
            "ar",
            " الدورة السابعة والسبعون \n\nالبند 127 (ق) من جدول الأعمال\n\n"
            " إن الجمعية العامة، \n\n",
            "إن الجمعية العامة،",
        ),
        (
            "ru",
            "Семьдесят седьмая сессия\n\nПункт 127 (s) повестки дня\n\nГенеральная Ассамблея,\n\n",
            "Генеральная Ассамблея,",
        ),
    ],
)
def test_the_opening_line_of_a_resolution_in_other_un_languages(
    lang: str, raw: str, opening: str
) -> None:
    """Its own paragraph, after the headings: it used to be joined to the first
    preambular paragraph in Arabic (a line ending in a comma continues)."""
    doc = clean(
        raw + ("إذ تشير إلى قرارها 59/48،\n" if lang == "ar" else "ссылаясь на резолюцию 59/48,\n"),
        lang,
    )
    assert len(texts(doc, "heading")) == 2
    assert texts(doc, "body")[0] == opening


@pytest.mark.parametrize(
    ("lang", "raw", "expected"),
    [
        ("zh", " 大\u200b会， \n\n 回顾\ufeff其决议， \n", ["大会，", "回顾其决议，"]),
        ("en", " The Gen\u200beral Assembly, \n\n Recalling its reso\u00adlution, \n", None),
        ("fa", " می\u200cخواهم \n", ["می\u200cخواهم"]),
    ],
)
def test_invisible_characters_inside_the_text_are_dropped(
    lang: str, raw: str, expected: list[str] | None
) -> None:
    """Zero-width spaces, soft hyphens and byte-order marks, but not the zero-width
    non-joiner Persian spelling needs."""
    doc = clean(raw, lang)
    covered(raw, doc)
    want = expected or ["The General Assembly,", "Recalling its resolution,"]
    assert [b.text for b in doc.blocks] == want
    assert (reasons(doc).get("invisible", []) != []) is (lang != "fa")


def test_arabic_kashidas_that_justify_a_line_are_dropped() -> None:
    """``الأمـــم المتحـدة`` is ``الأمم المتحدة`` stretched to fill the line: as a TM unit
    it would match nothing a translator types."""
    raw = " إن الجمعيـــة العامة، \n\n إذ تشير إلى مقاصد الأمـــم المتحـدة، \n"
    doc = clean(raw, "ar")
    covered(raw, doc)
    assert [b.text for b in doc.blocks] == [
        "إن الجمعية العامة،",
        "إذ تشير إلى مقاصد الأمم المتحدة،",
    ]
    assert len(reasons(doc)["kashida"]) == 3


def test_no_opening_line_means_no_headings() -> None:
    doc = clean(lines(" Seventy-seventh session", " Recalling its resolution 59/48,"), "en")
    assert {b.kind for b in doc.blocks} == {"body"}


# -- inputs -----------------------------------------------------------------------


def test_raw_document_and_language_guess() -> None:
    raw = RawDocument(ZH_HEAD, "zh.txt", "utf-8", "zh")
    assert clean(raw).lang == "zh"
    assert clean(ZH_HEAD).lang == "zh"
    assert clean(EN_PAGE_BREAK).lang == "en"
    assert clean(raw).text == clean(ZH_HEAD, "zh").text


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "\n",
        "   \n\n",
        "one line without newline",
        ZH_HEAD.replace("\n", "\r\n"),
        "\f Recalling its resolution\n\nand the\xad\n\nother\n",
        "______\n\n 1 \n\n1 2 3\n",
        "*\n\n* *\n",
        "-\n\n-\n\nx-\n\n-y",
    ],
)
def test_coverage_on_synthetic_inputs(raw: str) -> None:
    for lang in ("zh", "en", "fr"):
        covered(raw, clean(raw, lang))


# -- whole documents ----------------------------------------------------------------


def whole(lang: str) -> tuple[str, CleanDocument]:
    path = CORPUS / f"{lang}.txt"
    if not path.exists():
        pytest.skip(f"{path} not written yet")
    raw = path.read_text(encoding="utf-8")
    return raw, clean(raw, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_whole_document_structure(lang: str) -> None:
    raw, doc = whole(lang)
    covered(raw, doc)
    kinds = [b.kind for b in doc.blocks]
    assert kinds == ["heading"] * 5 + ["body"] * 29 + ["footnote"] * 8
    assert [b.footnote for b in doc.blocks if b.kind == "footnote"] == ["*"] + list("1234567")
    assert [r for b in doc.blocks for r in b.refs] == ["*"] + list("1234567")
    assert texts(doc, "body")[0] in ("大会，", "The General Assembly,")
    assert texts(doc, "body")[-1].startswith("5. ")
    for block in doc.blocks:
        for junk in ("undocs", "https:", "23-16564", "A/77/L.107", "2/4", "3/4", "4/4", "____"):
            assert junk not in block.text, (junk, block.text)
    assert len(doc.links) == 12 and all("/A/RES/" in link for link in doc.links)
    attached = {link for b in doc.blocks for link in b.links}
    assert attached == set(doc.links)
    notes = {b.footnote: b for b in doc.blocks if b.kind == "footnote"}
    assert notes["1"].links == (doc.links[-4],) or "70/1" in notes["1"].links[0]
    assert notes["5"].links and notes["5"].links[0].endswith("/A/RES/S-30/1")
    unknown = {r.reason for r in doc.removals} - set(REASONS)
    assert not unknown


def test_a_resolution_whose_justified_lines_were_extracted_letter_spaced_cleans_alike() -> None:
    """pdftotext writes a justified Chinese line's stretched gaps as spaces (``大 会 ，``):
    the opening line is found all the same, and with it the headings above."""
    raw, doc = whole("zh")
    spaced = re.sub(r"(?<=[\u4e00-\u9fff，、；：])(?=[\u4e00-\u9fff，、；：])", " ", raw)
    assert "大 会 ，" in spaced
    found = clean(spaced, "zh")
    covered(spaced, found)
    assert [(b.kind, b.text) for b in found.blocks] == [(b.kind, b.text) for b in doc.blocks]


def test_whole_zh_has_no_glued_marks_or_stray_spaces() -> None:
    _, doc = whole("zh")
    for block in doc.blocks:
        # a footnote digit left after a Chinese character or bracket, not part of a number
        assert not re.search(r"[^\x00-\x7f][1-7](?![\d/年月日号卷至])", block.text), block.text
        unnumbered = re.sub(r"^\d\. ", "", block.text)
        assert not re.search(r"[\u4e00-\u9fff，、；：》] | [\u4e00-\u9fff，、；：《]", unnumbered)
    body = texts(doc, "body")
    assert any("《2030年可持续发展议程》提出的目标" in t for t in body)
    assert any("成果文件在打击毒品方面" in t for t in body)
    assert any("欧亚经济联盟和阿拉伯国家联盟等" in t for t in body)
    assert any("回顾大会2006年12月20日第61/210号决议" in t for t in body)
    assert texts(doc, "heading")[3].endswith("乌兹别克斯坦：决议草案")


def test_whole_en_text() -> None:
    _, doc = whole("en")
    for block in doc.blocks:
        assert not re.search(r"[A-Za-z,][1-7]\b", block.text), block.text
    body = texts(doc, "body")
    assert any("other organizations of the United Nations system" in t for t in body)
    assert any("the Secretary-General of the United Nations and heads" in t for t in body)
    assert any("Non-Proliferation of Nuclear Weapons to comply" in t for t in body)
    assert any("drug trafficking and other types of criminal activity" in t for t in body)
    assert texts(doc, "heading")[3].endswith("Uzbekistan: draft resolution")


def one_per_line(doc: CleanDocument) -> str:
    """The document as Word's "save as text" writes it: a paragraph a line, footnotes
    after a rule at the end."""
    rows = [b.text for b in doc.blocks if b.kind != "footnote"]
    notes = [f"{b.footnote} {b.text}" for b in doc.blocks if b.kind == "footnote"]
    return "\n".join([*rows, "", "__________", *notes]) + "\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_paragraph_per_line_is_read_as_such(lang: str) -> None:
    """Without it, a long paragraph ending in a comma swallowed the next: the body of
    A/77/L.107 came out as 18 blocks instead of 29."""
    _, pdf = whole(lang)
    raw = one_per_line(pdf)
    doc = clean(raw, lang)
    covered(raw, doc)
    assert (pdf.layout, doc.layout) == ("wrapped", "paragraphs")
    assert [(b.kind, b.footnote, b.text) for b in doc.blocks] == [
        (b.kind, b.footnote, b.text) for b in pdf.blocks
    ]
    assert explain(doc)[0].endswith("read as one paragraph per line")
    joined = clean(raw, lang, layout="wrapped")
    assert len(joined.blocks) < len(pdf.blocks)


def test_layout_is_told_by_line_widths_and_ends() -> None:
    paragraph = "Recalling its resolution 59/48 of 2 December 2004, by which it granted " * 2
    wrapped = "Recalling its resolution 59/48 of 2 December 2004, by which it granted observer"
    assert one_paragraph_per_line(["Agenda item 127", "The General Assembly,", paragraph])
    assert one_paragraph_per_line([paragraph] + ["Decides;"] * 9)
    assert not one_paragraph_per_line([paragraph] + ["Decides;"] * 10)
    assert not one_paragraph_per_line([wrapped] * 200 + ["x" * 140])
    assert not one_paragraph_per_line([])
    # a wrapped text with a wide table: a tenth of its lines are wide, most stop mid-sentence
    table = "Total   " + "   1 250 000" * 12
    assert not one_paragraph_per_line([wrapped] * 80 + [table] * 20)
    assert one_paragraph_per_line([paragraph + "."] * 80 + [wrapped] * 5)


def test_a_sentence_a_line_is_read_as_paragraphs() -> None:
    """No line is wide, but each ends a sentence: read as wrapped, the title, the date and
    the first sentence of pol-dev's first lines ran into one segment."""
    lines = (BENCH / "pol-dev" / "zh" / "002").read_text("utf-8").splitlines()[:12]
    assert one_paragraph_per_line(lines)
    doc = clean("\n".join(lines) + "\n", "zh")
    assert [b.text.replace(" ", "") for b in doc.blocks] == [x.replace(" ", "") for x in lines]
    english = (BENCH / "pol-dev" / "en" / "002").read_text("utf-8").splitlines()[:15]
    assert one_paragraph_per_line(english)
    wrapped = "Recalling its resolution 59/48 of 2 December 2004, by which it granted observer"
    ends = "status to the Shanghai Cooperation Organization."
    assert not one_paragraph_per_line([wrapped, ends] * 3)  # half the lines stop mid-sentence
    assert not one_paragraph_per_line(["Decides.", "Notes."])  # too few lines to tell


def test_paragraph_layout_keeps_short_lines_apart() -> None:
    """In one-paragraph-per-line text a heading with no stop is not run into the next line."""
    raw = "Agenda item 127\nCooperation with the Shanghai Cooperation Organization\n"
    assert texts(clean(raw, "en", layout="paragraphs")) == [
        "Agenda item 127",
        "Cooperation with the Shanghai Cooperation Organization",
    ]
    assert len(clean(raw, "en", layout="wrapped").blocks) == 1
    raw_doc = RawDocument(raw, "x.docx", "docx", "en", layout="paragraphs")
    assert clean(raw_doc).layout == "paragraphs"


def flattened(raw: str) -> str:
    """The text as pypdf or a copy from a PDF viewer gives it: no blank lines, no
    indentation at paragraph starts."""
    rows = (row.strip().lstrip("\f").strip() for row in raw.split("\n"))
    return "\n".join(row for row in rows if row)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_margin_on_every_line_is_not_an_indent(lang: str) -> None:
    """``pdftotext -layout`` keeps the page's left margin as spaces on every line; only
    what is indented beyond it starts a paragraph. Before, every line was one."""
    raw, pdf = whole(lang)
    shifted = "\n".join(f"      {row}" if row.strip() else row for row in raw.split("\n"))
    doc = clean(shifted, lang)
    covered(shifted, doc)
    assert [(b.kind, b.text) for b in doc.blocks] == [(b.kind, b.text) for b in pdf.blocks]


def test_every_line_indented_alike_is_every_line_a_paragraph() -> None:
    """Where every line has the same indentation there is no margin to take off: each is a
    paragraph start, as in one-paragraph-a-line text marked like the seed extraction."""
    rows = [
        "The General Assembly,",
        "Recalling the commitment of the member States to the pacific settlement of regional "
        "disputes,",
        "Resolution S-30/1, annex.",
    ]
    raw = lines(*(f" {row}" for row in rows))
    doc = clean(raw, "en")
    covered(raw, doc)
    assert texts(doc) == rows


@pytest.mark.parametrize(("lang", "found"), [("zh", 24), ("en", 29)])
def test_paragraphs_found_without_indentation(lang: str, found: int) -> None:
    """With no indented lines to go by, a paragraph ends at a line that ends a clause
    and left room for the next line's first word. Before, only the short-line rule
    applied: 15 and 19 of the 29 body paragraphs came out whole; 22 Chinese ones while
    the full line width counted the masthead's short lines. The Chinese misses are
    paragraphs whose last line is full, which nothing in the text tells apart."""
    raw, pdf = whole(lang)
    flat = flattened(raw)
    doc = clean(flat, lang)
    covered(flat, doc)
    body = set(texts(pdf, "body"))
    assert sum(text in body for text in texts(doc, "body")) == found
    assert [(b.footnote, b.text) for b in doc.blocks if b.kind == "footnote"] == [
        (b.footnote, b.text) for b in pdf.blocks if b.kind == "footnote"
    ]


REPORT = {
    "zh": [
        " 一、导言",
        " 1. 本报告是根据大会第 75/268 号决议提交的，大会在该决议中请秘书长在第七十七",
        "届会议上向大会提交一份关于该决议执行情况的报告。",
        " 二、秘书处与该组织之间的合作",
        " A. 政治和安全事项",
        " 3. 政治和建设和平事务部继续与该组织秘书处保持定期联系。",
        " 4. 联合国毒品和犯罪问题办公室与地区反恐怖机构于 2022 年 5 月在塔什干举行了磋",
        "商。",
        " B. 经济事项",
        " 5. 亚洲及太平洋经济社会委员会于 2022 年 9 月与秘书处签署了谅解备忘录。",
    ],
    "en": [
        " I. Introduction",
        " 1. The present report is submitted pursuant to General Assembly resolution 75/268, in",
        "which the Assembly requested the Secretary-General to submit to it at its seventy-seventh",
        "session a report on the implementation of the resolution.",
        " II. Cooperation between the Secretariat and the Organization",
        " A. Political and security matters",
        " 3. The Department of Political and Peacebuilding Affairs continued its regular contacts",
        "with the secretariat of the Organization.",
        " 4. The United Nations Office on Drugs and Crime and the Regional Anti-Terrorist",
        "Structure held consultations in Tashkent in May 2022.",
        " B. Economic matters",
        " 5. The Economic and Social Commission for Asia and the Pacific signed a memorandum",
        "of understanding with the secretariat in September 2022.",
    ],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_reports_section_headings_stand_alone(lang: str) -> None:
    """A report's headings (``I. Introduction``, ``A. 政治和安全事项``) end with no stop. With
    no indentation to go by they were run into the paragraph after them; and the Chinese
    lost the space after ``A.``, which the English keeps."""
    indented = clean(lines(*REPORT[lang]), lang)
    flat = "\n".join(row.strip() for row in REPORT[lang])
    doc = clean(flat, lang)
    covered(flat, doc)
    assert texts(doc) == texts(indented)
    assert len(doc.blocks) == 8
    assert texts(doc)[0] == {"zh": "一、导言", "en": "I. Introduction"}[lang]
    assert (
        texts(doc)[3]
        == {"zh": "A. 政治和安全事项", "en": "A. Political and security matters"}[lang]
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_report_read_from_its_pdf_keeps_its_headings_and_paragraphs(
    lang: str, tmp_path: Path
) -> None:
    """A report's PDF sets its body as an indented block, headings out at the margin. Read
    here, it gives the blocks the indented text gives: each heading and numbered paragraph
    alone, no line cut off its paragraph."""
    pytest.importorskip("pypdf")
    from pdf_corpus import un_pdf

    from align.readers import read_document

    label = re.compile(r"^(?:[IVX]+\.|[A-Z]\.|[一二三]、)")
    rows = [row.strip() for row in REPORT[lang]]
    drawn = "\n".join(row if label.match(row) else f"   {row}" for row in rows)
    doc = clean(read_document(un_pdf(drawn, tmp_path / f"{lang}.pdf", lang == "zh"), lang))
    assert texts(doc) == texts(clean(lines(*REPORT[lang]), lang))


def test_a_glued_mark_after_the_final_comma_still_ends_the_line() -> None:
    raw = (
        "Taking into account the goals set out in the 2030 Agenda for Sustainable\n"
        "Development,1\n"
        "Recalling the commitment of the member States to the pacific settlement of\n"
        "regional disputes,\n"
        "______\n"
        "1 Resolution 70/1.\n"
    )
    doc = clean(raw, "en")
    assert texts(doc, "body") == [
        "Taking into account the goals set out in the 2030 Agenda for Sustainable Development,",
        "Recalling the commitment of the member States to the pacific settlement of regional "
        "disputes,",
    ]


@pytest.mark.parametrize(
    ("lang", "raw", "expected"),
    [
        ("en", "1.\tAcknowledges the role;", "1. Acknowledges the role;"),
        ("en", "The\u2003General\t\tAssembly,", "The General Assembly,"),
        ("fr", "une hausse de 2,5\xa0% \t par an", "une hausse de 2,5\xa0% par an"),
        ("fr", "de 2,5\xa0\t%", "de 2,5\xa0%"),
        ("zh", "1.\t肯定上海合作组织的作用；", "1. 肯定上海合作组织的作用；"),
    ],
)
def test_tabs_between_words_become_one_space(lang: str, raw: str, expected: str) -> None:
    """Word writes ``1.<tab>Decides``; a TM unit with the tab never matches what a
    translator types. A no-break space is kept: French puts one before ``%``."""
    doc = clean(raw, lang, layout="paragraphs")
    covered(raw, doc)
    assert texts(doc) == [expected]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_names_every_reason_with_counts(lang: str) -> None:
    _, doc = whole(lang)
    out = explain(doc)
    assert out[0].startswith(f"kept {sum(n for _, _, n in doc.spans)} of ")
    counts: dict[str, int] = {}
    for r in doc.removals:
        counts[r.reason] = counts.get(r.reason, 0) + 1
    for reason, n in counts.items():
        assert any(line.startswith(f"{reason}: {n} removed") for line in out), reason
    assert any("* 1 2 3 4 5 6 7" in line for line in out)


_CODE_NAME = re.compile(r"\b(?:[A-Z][a-z]+){2,}\b|\b[A-Z]\w*\.[a-z_]+\b")
"""A class name (``CleanDocument``) or an attribute path (``Block.refs``)."""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_speaks_a_translators_words(lang: str) -> None:
    """``align clean --explain`` is read by translators: it said where the marks and links
    went as ``kept in Block.refs`` and ``CleanDocument.links``, names in the code."""
    _, doc = whole(lang)
    out = explain(doc)
    for line in [*out, *REASONS.values()]:
        assert not _CODE_NAME.search(line), line
    assert "blocks" not in out[0] and " chars)" not in "\n".join(out)
    assert out[-1] == (
        "links taken out of the text: 12 different ones, kept 12 times with the paragraph "
        "they belong to"
    )
    assert "(listed below, in order)" in REASONS["footnote-ref"]
    assert "x-link" in REASONS["link"] and "[N footnote 1]" in REASONS["footnote-mark"]


def test_a_line_of_figures_with_a_slash_in_pdf_text_is_no_document_symbol() -> None:
    """A UN symbol opens with its organ's letters (``A/``, ``S/``, ``E/CN.6/``); a line that
    opens with figures in its first part (``PM2.5/PM10``, ``FY2023/24``) was dropped from
    PDF text as a page header."""
    for row in ("PM2.5/PM10", "FY2023/24", "G20/OECD"):
        doc = clean(lines(" The table reads:", "", f" {row}", "", " Decides."), "en")
        assert row in texts(doc), texts(doc)
    for symbol in ("A/77/L.107", "E/CN.6/2023/L.3", "S/2023/123", "A/HRC/52/L.1"):
        doc = clean(lines(" The table reads:", "", f" {symbol}", "", " Decides."), "en")
        assert reasons(doc)["page-header"] == [symbol]


# --- a token grown over many lines: what the joins look at of it ---------------------------


def _chars(text: str) -> list[tuple[str, int]]:
    return [(ch, i) for i, ch in enumerate(text)]


def test_an_address_is_told_by_its_opening_as_by_the_whole_token() -> None:
    """Whether a line ends inside a web or e-mail address is told from the token's opening
    (:func:`align.clean._address_head`), as the patterns tell it from the whole token,
    which a token grown over thousands of lines made slow to read at each line."""
    import random

    from align.clean import _ADDRESS, _ADDRESS_START, _address_head, _Tail

    pieces = ["https://", "http://", "www.", "undocs.org/", "(", "<", "《", "@", "@", ".", "-",
              "+", "_", "/", "a", "Z", "9", "é", "中", "!", ":", "abcdefghij"]  # fmt: skip
    rng = random.Random(7)
    for _ in range(5000):
        token = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        chars = _chars(token)
        head = _address_head(chars, 0, _Tail(chars), "token")
        assert bool(_ADDRESS.fullmatch(head)) == bool(_ADDRESS.fullmatch(token)), token
        assert bool(_ADDRESS_START.match(head)) == bool(_ADDRESS_START.match(token)), token


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ru"])
def test_a_long_word_before_a_hyphen_is_judged_as_the_whole_word(lang: str) -> None:
    """A hyphen ending a line after a token longer than any word of the text and than
    ``LONG_WORD`` letters is kept or dropped as the whole token's last letters say: no
    list holds a word so long, and the patterns take a part by its ending (``-ico``,
    ``-но``) and refuse one with a letter that lowercases to more than word characters
    (``İ``)."""
    import random

    from align.clean import LONG_WORD, _Cleaner, _Tail

    letters = ["a", "b", "ico", "но", "ов", "co", "İ", "Σ", "ß", "-", "-"]
    rng = random.Random(11)
    cleaner = _Cleaner("short words only", lang)
    for _ in range(400):
        pool = letters if rng.random() < 0.5 else letters[:-2]  # a part of 64 letters or more
        end = rng.choice(["o-", "ab" * 40 + "ico-", "ик" * 40 + "но-"])  # İ before the last 64
        run = "x" + "".join(rng.choice(pool) for _ in range(rng.randint(20, 60))) + end
        chars = _chars("the " + run)
        before, whole = cleaner._word_before(chars, _Tail(chars))
        full = run[:-1].strip("-")
        assert whole == (len(full) <= LONG_WORD)
        for after in ("ment", "Term", "based", "ab"):
            want = cleaner._keep_hyphen(full, after)
            assert cleaner._keep_hyphen(before, after, whole=whole) == want, (run, after)


def test_notes_typed_in_paragraph_text_numbered_on_from_an_earlier_volume() -> None:
    """A web page of a later volume types its notes under a rule, numbered on from the
    earlier volumes' (1012, 1013, …): they are notes and their marks go from the text,
    as notes typed from 1 do; they were paragraphs, the marks glued to the sentences."""
    body = [f"Paragraph {i} recalls the report.{1011 + i} It goes on here." for i in range(1, 4)]
    notes = [f"{1011 + i} Resolution {i}/1." for i in range(1, 4)]
    text = "\n".join([*body, "__________", *notes])
    doc = clean(RawDocument(text, "", "utf-8", "en", layout="paragraphs"), "en")
    assert [(b.kind, b.footnote, b.refs, b.text) for b in doc.blocks] == [
        ("body", None, (str(1011 + i),), f"Paragraph {i} recalls the report. It goes on here.")
        for i in range(1, 4)
    ] + [("footnote", str(1011 + i), (), f"Resolution {i}/1.") for i in range(1, 4)]
