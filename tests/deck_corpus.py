"""Write a briefing as PowerPoint does (python-pptx, PowerPoint's own default template),
and its table of contributions as Excel does (openpyxl).

``briefing_deck`` makes the same four slides in either language: a title slide; a
slide whose body paragraphs are numbered by PowerPoint (``buAutoNum``), with a note
for the speaker; a table; and a slide whose source line, added first, stands at the
foot, under a group of two boxes. Placeholders keep the layout's places (no position
of their own), as on a slide made from a layout; the slide number, date and footer are
on every slide.
"""

from __future__ import annotations

from pathlib import Path

BRIEFING = {
    "en": {
        "title": "Cooperation between the United Nations and the Shanghai Cooperation Organization",
        "subtitle": "Briefing to Member States, September 2023",
        "points_title": "The draft resolution",
        "points": [
            "Acknowledges the constructive role of the Shanghai Cooperation Organization.",
            "Underlines the importance of dialogue, cooperation and coordination.",
            "Requests a report at the seventy-ninth session.",
        ],
        "notes": "Recall that the Organization has had observer status since 2004.",
        "table_title": "Earlier resolutions",
        "table": [
            ["Resolution", "Date"],
            ["59/48", "2 December 2004"],
            ["75/268", "25 March 2021"],
        ],
        "last_title": "Next steps",
        "boxes": ["Consultations continue in New York.", "The vote is planned for October."],
        "source": "Source: draft resolution A/77/L.107.",
        "footer": "United Nations",
    },
    "zh": {
        "title": "联合国同上海合作组织的合作",
        "subtitle": "向会员国的通报，2023年9月",
        "points_title": "决议草案",
        "points": [
            "肯定上海合作组织的建设性作用。",
            "强调对话、合作与协调的重要性。",
            "请在第七十九届会议上提交报告。",
        ],
        "notes": "请回顾，该组织自2004年起具有观察员地位。",
        "table_title": "以往的决议",
        "table": [["决议", "日期"], ["59/48", "2004年12月2日"], ["75/268", "2021年3月25日"]],
        "last_title": "下一步",
        "boxes": ["磋商在纽约继续进行。", "表决计划于10月举行。"],
        "source": "资料来源：决议草案A/77/L.107。",
        "footer": "联合国",
    },
}


def _numbered(paragraph: object, kind: str = "arabicPeriod") -> None:
    from pptx.oxml.ns import qn

    props = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    auto = props.makeelement(qn("a:buAutoNum"), {"type": kind})
    props.append(auto)


def _furniture(slide: object, footer: str, number: int) -> None:
    """The slide number, date and footer placeholders a deck's master draws on a slide."""
    from pptx.oxml.ns import qn
    from pptx.util import Emu

    for n, (kind, text) in enumerate(
        (("sldNum", str(number)), ("dt", "2023-09-12"), ("ftr", footer)), 1
    ):
        shapes = slide.shapes  # type: ignore[attr-defined]
        box = shapes.add_textbox(Emu(n * 2_000_000), Emu(6_400_000), Emu(1), Emu(1))
        box.text_frame.text = text
        nv = box._element.find(f".//{qn('p:nvPr')}")
        nv.append(nv.makeelement(qn("p:ph"), {"type": kind}))


def briefing_deck(lang: str, path: Path) -> Path:
    """Save the briefing in ``lang`` (``en`` or ``zh``) at ``path``."""
    from pptx import Presentation
    from pptx.util import Emu, Pt

    text = BRIEFING[lang]
    prs = Presentation()
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = text["title"]
    first.placeholders[1].text = text["subtitle"]
    _furniture(first, text["footer"], 1)

    points = prs.slides.add_slide(prs.slide_layouts[1])
    points.shapes.title.text = text["points_title"]
    body = points.placeholders[1].text_frame
    for n, point in enumerate(text["points"]):
        paragraph = body.paragraphs[0] if n == 0 else body.add_paragraph()
        paragraph.text = point
        _numbered(paragraph)
    points.notes_slide.notes_text_frame.text = text["notes"]
    _furniture(points, text["footer"], 2)

    table_slide = prs.slides.add_slide(prs.slide_layouts[5])
    table_slide.shapes.title.text = text["table_title"]
    rows = text["table"]
    frame = table_slide.shapes.add_table(
        len(rows), 2, Emu(900_000), Emu(2_000_000), Emu(7_000_000), Emu(1_500_000)
    )
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            frame.table.cell(r, c).text = cell
    _furniture(table_slide, text["footer"], 3)

    last = prs.slides.add_slide(prs.slide_layouts[5])
    last.shapes.title.text = text["last_title"]
    source = last.shapes.add_textbox(Emu(900_000), Emu(5_800_000), Emu(7_000_000), Emu(400_000))
    source.text_frame.text = text["source"]
    source.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
    group = last.shapes.add_group_shape()
    for n, words in enumerate(text["boxes"]):
        box = group.shapes.add_textbox(
            Emu(900_000 + n * 3_600_000), Emu(2_000_000), Emu(3_400_000), Emu(800_000)
        )
        box.text_frame.text = words
    _furniture(last, text["footer"], 4)
    prs.save(str(path))
    return path


WORKBOOK = {
    "en": {
        "sheet": "Contributions",
        "title": "Voluntary contributions by region, 2021-2022",
        "header": ["Region", "2021", "2022", "Remarks"],
        "rows": [
            ["Africa", 350, 410, "Includes pledges not yet paid."],
            ["Asia and the Pacific", 520, 600, "Two new donors."],
            ["Europe", 470, 490, None],
        ],
        "total": "Total",
        "note": "Source: Office of Programme Planning, Finance and Budget.",
        "hidden_sheet": "Working notes",
        "hidden_row": "Draft figures, not for publication.",
    },
    "zh": {
        "sheet": "捐款",
        "title": "2021-2022年按区域分列的自愿捐款",
        "header": ["区域", "2021年", "2022年", "备注"],
        "rows": [
            ["非洲", 350, 410, "包括尚未缴付的认捐。"],
            ["亚洲及太平洋", 520, 600, "两个新捐助方。"],
            ["欧洲", 470, 490, None],
        ],
        "total": "共计",
        "note": "资料来源：方案规划、财务和预算厅。",
        "hidden_sheet": "工作说明",
        "hidden_row": "数字草稿，不供发表。",
    },
}


def contributions_workbook(lang: str, path: Path) -> Path:
    """The table of contributions in ``lang`` as an .xlsx: a title, a header row, rows of
    figures with remarks, a total by formula, a note in rich text; a hidden row, column
    and sheet that the workbook does not show."""
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    text = WORKBOOK[lang]
    book = Workbook()
    sheet = book.active
    sheet.title = text["sheet"]
    sheet.append([text["title"]])
    sheet.append(text["header"])
    for region, first, second, remark in text["rows"]:
        sheet.append([region, first, second, remark])
    sheet["E3"] = text["hidden_row"]  # in a hidden column
    sheet.column_dimensions["E"].hidden = True
    sheet.append([text["total"], "=SUM(B3:B5)", "=SUM(C3:C5)"])
    sheet.append([text["hidden_row"]])
    sheet.row_dimensions[sheet.max_row].hidden = True
    first, rest = text["note"][:5], text["note"][5:]
    sheet.append([CellRichText(TextBlock(InlineFont(b=True), first), rest)])
    notes = book.create_sheet(text["hidden_sheet"])
    notes.append([text["hidden_row"]])
    notes.sheet_state = "hidden"
    book.save(str(path))
    return path
