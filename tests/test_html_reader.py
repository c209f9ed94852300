"""The web page reader: what a browser shows, a paragraph a line, footnotes found by their links."""

from __future__ import annotations

from html import escape
from pathlib import Path

import hypothesis.strategies as st
import pytest
from conftest import CORPUS, needs_office
from hypothesis import HealthCheck, given, settings
from lxml import html
from page_corpus import EPUB_CONTAINER

from align.clean import clean
from align.errors import InputError
from align.readers import READERS, read_document
from align.readers.html import page_lines

WORD_PAGE = """<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<title>A/77/L.107</title>
<style><!-- p.MsoNormal {margin:0cm;} --></style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]-->
</head>
<body lang=ZH-CN>
<div class=WordSection1>
<p class=MsoNormal>第七十七届会议<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>大会，</p>
<p class=MsoNormal>考虑到《2030年可持续发展议程》<a style='mso-footnote-id:ftn1' href="#_ftn1"
name="_ftnref1" title=""><span class=MsoFootnoteReference><![if !supportFootnotes]>[1]<![endif]>
</span></a>提出的目标，</p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;
</span></span><![endif]>确认上海合作组织的
建设性作用；</p>
<p class=MsoNormal style='display:none;mso-hide:all'>隐藏的修订说明</p>
<table class=MsoTableGrid><tr><td><p class=MsoNormal>成员国</p></td><td>8</td></tr></table>
</div>
<div style='mso-element:footnote-list'><![if !supportFootnotes]><br clear=all>
<hr align=left size=1 width="33%"><![endif]>
<div style='mso-element:footnote' id=ftn1>
<p class=MsoFootnoteText><a style='mso-footnote-id:ftn1' href="#_ftnref1" name="_ftn1"
title=""><span class=MsoFootnoteReference>[1]</span></a> 第70/1号决议。</p>
<p class=MsoFootnoteText>另见A/70/PV.4。</p>
</div>
</div>
</body></html>
"""


def page(tmp_path: Path, body: str, name: str = "page.html", head: str = "") -> Path:
    path = tmp_path / name
    path.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>',
        encoding="utf-8",
    )
    return path


def lines(path: Path, lang: str = "en") -> list[str]:
    return read_document(path, lang).text.split("\n")


def test_word_web_page_in_gb2312(tmp_path: Path) -> None:
    """Word's "save as web page": its charset, its typed list number, hidden text left out,
    a table's cells, and the footnote (two paragraphs) under a rule with its mark. Word
    breaks its source lines inside Chinese text too: no space there, as in a browser."""
    path = tmp_path / "A_77_L.107-ZH.htm"
    path.write_bytes(WORD_PAGE.encode("gb2312"))
    doc = read_document(path, "zh")
    assert doc.text.split("\n") == [
        "第七十七届会议",
        "大会，",
        "考虑到《2030年可持续发展议程》提出的目标，",
        "1. 确认上海合作组织的建设性作用；",
        "成员国",
        "8",
        "",
        "__________",
        "1 第70/1号决议。 另见A/70/PV.4。",
    ]
    assert doc.encoding == "html, gb18030"
    assert doc.layout == "paragraphs"
    assert [(b.kind, b.footnote, b.text) for b in clean(doc).blocks][-1] == (
        "footnote",
        "1",
        "第70/1号决议。另见A/70/PV.4。",
    )


def test_a_site_s_navigation_scripts_and_hidden_parts_are_not_the_document(
    tmp_path: Path,
) -> None:
    path = page(
        tmp_path,
        '<header><a href="/">UN Home</a><nav><a href="/zh">中文</a> <a href="/fr">Français</a>'
        "</nav></header>"
        '<div role="navigation">Skip to content</div>'
        "<main><article><header><h1>Secretary-General's message</h1></header>"
        "<p>The Assembly met.<script>track()</script> It adopted <b>two</b> texts.</p>"
        '<p hidden>Draft note</p><p style="display: none">Old text</p>'
        "<template><p>Row</p></template><noscript>Enable scripts</noscript>"
        '<p><span aria-hidden="true">★</span>Both passed.</p>'
        "<footer>Posted on 5 April</footer></article></main>"
        "<aside>Related stories</aside><footer>Copyright United Nations</footer>",
        head="<title>Site title</title><style>p { color: red }</style>",
    )
    assert lines(path) == [
        "Secretary-General's message",
        "The Assembly met. It adopted two texts.",
        "Both passed.",
        "Posted on 5 April",
    ]


def test_without_main_the_body_is_read_less_its_banner_menus_and_footer(tmp_path: Path) -> None:
    """As the elements of those names, and (on an older site) the blocks named so."""
    path = page(
        tmp_path,
        "<header>United Nations</header>"
        '<div id="nav"><a href="/">Home</a></div><div class="breadcrumb menu-small">Home</div>'
        '<div id="content"><p>First.</p><p class="nav-note">Second.</p></div>'
        '<table><tr><td class="sidebar">Links</td><td>Third.</td></tr></table>'
        '<footer>Contact</footer><div id="Footer">Terms of use</div>',
    )
    assert lines(path) == ["First.", "Second.", "Third."]


def test_a_table_s_rows_named_header_or_footer_are_the_document(tmp_path: Path) -> None:
    """pandoc names a table's heading row ``header``: the table's, not the site's."""
    path = page(
        tmp_path,
        '<table><caption class="header">Table 1</caption><thead><tr class="header">'
        "<th>Region</th><th>Number of delegations</th></tr></thead>"
        '<tbody class="menu"><tr class="odd"><td>Africa</td><td>54</td></tr></tbody>'
        '<tfoot id="footer"><tr class="footer"><th id="nav">Total</th><td>54</td></tr></tfoot>'
        "</table>",
    )
    assert lines(path) == [
        "Table 1",
        "Region",
        "Number of delegations",
        "Africa",
        "54",
        "Total",
        "54",
    ]


def test_without_main_a_header_holding_the_title_is_the_document(tmp_path: Path) -> None:
    """pandoc's title block, and a header with nothing but the title, author and date;
    a banner (with links or menus) is still the site's."""
    pandoc = page(
        tmp_path,
        '<header id="title-block-header"><h1 class="title">Report of the meeting</h1>'
        '<p class="subtitle">Second session</p><p class="author">The Secretariat</p></header>'
        "<p>1. The Committee considered the proposals.</p>",
        name="pandoc.html",
    )
    assert lines(pandoc) == [
        "Report of the meeting",
        "Second session",
        "The Secretariat",
        "1. The Committee considered the proposals.",
    ]
    titled = page(
        tmp_path,
        '<header><h1>会议报告</h1><p class="date">2024年5月3日</p></header>'
        "<p>委员会审议了提案。</p>"
        '<header><h1><a href="/">联合国</a></h1></header>'
        "<header><h1>联合国</h1><nav>首页</nav></header>"
        "<header>联合国</header>",
        name="titled.html",
    )
    assert lines(titled, "zh") == ["会议报告", "2024年5月3日", "委员会审议了提案。"]


def test_ruby_pronunciation_and_deleted_text_are_not_read(tmp_path: Path) -> None:
    path = page(
        tmp_path,
        "<p><ruby>联合国<rp>(</rp><rt>Liánhéguó</rt><rp>)</rp></ruby>大会"
        "<del>第七十六届</del><ins>第七十七届</ins>会议</p>"
        "<p>The <s>seventy-sixth</s> seventy-seventh session</p>",
    )
    assert lines(path, "zh") == [  # struck-through text is text still, as in a .docx
        "联合国大会第七十七届会议",
        "The seventy-sixth seventy-seventh session",
    ]


def test_a_frameset_is_refused_with_its_frames(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text(
        '<html><frameset cols="20%,80%"><frame src="menu.htm"><frame src="a77l107.htm">'
        "</frameset></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"index\.html: is a frameset.*menu\.htm, a77l107\.htm"):
        read_document(path, "en")


def test_lists_breaks_preformatted_text_and_tables(tmp_path: Path) -> None:
    path = page(
        tmp_path,
        "<ol><li><p>Acknowledges the role;</p></li><li>Decides to continue.</li></ol>"
        '<ol type="a" start="3"><li>third</li><li value="7">seventh</li><li>eighth</li></ol>'
        "<ol reversed><li>two</li><li>one</li></ol>"
        '<ol style="list-style-type: lower-roman"><li>first</li><li>second</li></ol>'
        '<ol style="list-style-type: cjk-ideographic"><li>加强合作</li><li>促进发展</li></ol>'
        "<ul><li>Kazakhstan<ul><li>Almaty</li></ul></li></ul>"
        '<ul style="list-style: none"><li>plain</li></ul>'
        "<p>Cooperation between the United Nations and regional organizations:<br>"
        "cooperation with the Shanghai Cooperation Organization</p>"
        "<p>The Assembly,<br>\n<br>Recalling its resolution,<br><br><br>Decides</p>"
        "<pre>  1   2\n  3   4</pre>"
        "<table><tr><th>Item</th><th>Amount</th></tr><tr><td>Travel</td><td>1 200</td></tr>"
        "</table>",
    )
    assert lines(path) == [
        "1. Acknowledges the role;",
        "2. Decides to continue.",
        "c. third",
        "g. seventh",
        "h. eighth",
        "2. two",
        "1. one",
        "i. first",
        "ii. second",
        "一、加强合作",
        "二、促进发展",
        "• Kazakhstan",
        "◦ Almaty",
        "plain",
        "Cooperation between the United Nations and regional organizations: cooperation with "
        "the Shanghai Cooperation Organization",
        "The Assembly,",
        "Recalling its resolution,",
        "Decides",
        "1 2",
        "3 4",
        "Item",
        "Amount",
        "Travel",
        "1 200",
    ]


GOOGLE_DOCS_STYLE = (
    "@import url(https://themes.googleusercontent.com/fonts/css?kit=fpjTOVmNbO4Lz34iLy);"
    ".lst-kix_8wj4-1>li{counter-increment:lst-ctn-kix_8wj4-1}"
    "ol.lst-kix_8wj4-1.start{counter-reset:lst-ctn-kix_8wj4-1 0}"
    "ol.lst-kix_8wj4-0.start{counter-reset:lst-ctn-kix_8wj4-0 0}"
    '.lst-kix_8wj4-0>li:before{content:"" counter(lst-ctn-kix_8wj4-0,decimal) ". "}'
    '.lst-kix_8wj4-1>li:before{content:"(" counter(lst-ctn-kix_8wj4-1,lower-latin) ") "}'
    ".lst-kix_8wj4-0>li{counter-increment:lst-ctn-kix_8wj4-0}"
    "ol.lst-kix_8wj4-0{list-style-type:none}ol.lst-kix_8wj4-1{list-style-type:none}"
    'ul.lst-kix_vd-0{list-style-type:none}.lst-kix_vd-0>li:before{content:"\\0025cf  "}'
    "ol.lst-kix_l9-0.start{counter-reset:lst-ctn-kix_l9-0 3}"
    ".lst-kix_l9-0>li{counter-increment:lst-ctn-kix_l9-0}"
    '.lst-kix_l9-0>li:before{content:"" counter(lst-ctn-kix_l9-0,upper-roman) ". "}'
    "ol.lst-kix_l9-0{list-style-type:none}ol{margin:0;padding:0}"
    ".c0{margin-left:36pt;padding-bottom:6pt;text-align:justify}.c4{vertical-align:super}"
)
"""A Google Docs page's style sheet, in the shapes Google writes: one flat list per level
(``-0``, ``-1``), labels drawn by ``li:before``, a list that starts at 4 reset to 3."""


def test_google_docs_lists_drawn_by_the_style_sheet_and_notes_in_bare_boxes(
    tmp_path: Path,
) -> None:
    """Google Docs hides the browser's list numbers and draws its own with CSS counters:
    ``(a)``, not ``1.``; a list broken by a paragraph goes on counting; its bullet is
    ``●``. Each note is in a bare ``<div>``, all of whose paragraphs are the note's."""
    path = page(
        tmp_path,
        '<p class="c3"><span>The General Assembly,</span></p>'
        "<p><span>Recalling its resolution 59/48,</span>"
        '<sup class="c4"><a href="#ftnt1" id="ftnt_ref1">[1]</a></sup></p>'
        '<ol class="c5 lst-kix_8wj4-0 start" start="1"><li class="c0 li-bullet-0">'
        "<span>Welcomes the cooperation;</span></li><li class=c0><span>Encourages:</span>"
        "</li></ol>"
        '<ol class="c5 lst-kix_8wj4-1 start" start="1"><li class="c0"><span>Trade;</span>'
        '</li><li class="c0"><span>Energy;</span><sup class="c4"><a href="#ftnt2" '
        'id="ftnt_ref2">[2]</a></sup></li></ol>'
        '<p class="c3"><span>A paragraph between.</span></p>'
        '<ol class="c5 lst-kix_8wj4-0" start="3"><li class="c0"><span>Decides.</span></li>'
        '</ol><ol class="c5 lst-kix_8wj4-1 start" start="1"><li class="c0">Again;</li></ol>'
        '<ul class="c5 lst-kix_vd-0 start"><li class="c0"><span>A bullet.</span></li></ul>'
        '<ol class="c5 lst-kix_l9-0 start" start="4"><li class="c0"><span>Part four.</span>'
        '</li></ol><hr class="c10">'
        '<div><p class="c8"><a href="#ftnt_ref1" id="ftnt1">[1]</a>'
        '<span class="c2">&nbsp;See A/RES/59/48.</span></p></div>'
        '<div><p class="c8"><a href="#ftnt_ref2" id="ftnt2">[2]</a>'
        '<span class="c2">&nbsp;Including renewable energy.</span></p>'
        '<p class="c8"><span class="c2">Its second paragraph.</span></p></div>',
        head=f'<style type="text/css">{GOOGLE_DOCS_STYLE}</style>',
    )
    assert lines(path) == [
        "The General Assembly,",
        "Recalling its resolution 59/48,",
        "1. Welcomes the cooperation;",
        "2. Encourages:",
        "(a) Trade;",
        "(b) Energy;",
        "A paragraph between.",
        "3. Decides.",
        "(a) Again;",
        "● A bullet.",
        "IV. Part four.",
        "",
        "__________",
        "1 See A/RES/59/48.",
        "2 Including renewable energy. Its second paragraph.",
    ]


def test_reviewers_comments_are_not_the_document(tmp_path: Path) -> None:
    """Google Docs links a comment as it does a note (``[a]`` to ``#cmnt1``, the comment
    and its replies in a box at the end); Word marks one ``[A1]`` and lists them in a
    ``mso-element:comment-list`` box. Neither mark nor remark is the document's text:
    they used to be read as footnotes ``a`` and ``b`` and as body text."""
    path = page(
        tmp_path,
        '<p><span>First paragraph.</span><sup><a href="#cmnt1" id="cmnt_ref1">[a]</a></sup>'
        '<sup><a href="#ftnt1" id="ftnt_ref1">[1]</a></sup></p>'
        '<p><span>Second</span><sup><a href="#cmnt2" id="cmnt_ref2">[b]</a></sup>'
        "<span> paragraph.</span></p>"
        '<p class=MsoNormal>Word text<a class=msocomanchor id="_anchor_1" href="#_msocom_1" '
        'name="_msoanchor_1">[A1]</a> goes on.</p>'
        '<hr><div><p><a href="#ftnt_ref1" id="ftnt1">[1]</a><span>&nbsp;A real note.</span>'
        '</p></div><div class="c16"><p class="c18"><a href="#cmnt_ref1" id="cmnt1">[a]</a>'
        "<span>Check this term with the terminologist</span></p>"
        '<p class="c18"><span>Agreed. Ana</span></p></div>'
        '<div class="c16"><p><a href="#cmnt_ref2" id="cmnt2">[b]</a><span>typo?</span></p></div>'
        "<div style='mso-element:comment-list'><hr class=msocomoff align=left size=1>"
        "<div style='mso-element:comment'><div id=\"_com_1\" class=msocomtxt>"
        '<p class=MsoCommentText><a href="#_msoanchor_1" class=msocomoff>[A1]</a> '
        "Word comment text</p></div></div></div>",
    )
    assert lines(path) == [
        "First paragraph.",
        "Second paragraph.",
        "Word text goes on.",
        "",
        "__________",
        "1 A real note.",
    ]


def test_style_sheet_list_rules_beyond_google_docs(tmp_path: Path) -> None:
    """Legal numbering from two counters, a rule that a later one overrides, a sheet's
    ``list-style-type`` for a class, rules inside ``@media`` and comments left out,
    a selector too complex to model (the browser's own number is drawn); content drawn
    after the list's own bullet, but not an icon font's (private-use) character."""
    style = (
        "/* ol.legal{list-style-type:upper-roman} */"
        "ol.legal{list-style-type:none;counter-reset:sec}"
        "ol.legal>li{counter-increment:sec}"
        "ol.legal ol{list-style-type:none;counter-reset:sub}"
        "ol.legal ol>li{counter-increment:sub}"
        'ol.legal>li::before{content:counter(sec) ". "}'
        "ol.legal ol>li::before{content:counter(sec) '.' counter(sub) ' ' !important}"
        "ol.alpha{list-style-type:lower-alpha}"
        "ol.roman>li:before{content:'x'}ol.roman>li:before{content:normal}"
        "ol.roman{list-style:upper-roman inside}"
        "@media print{ol.alpha{list-style-type:decimal}}"
        'ol.odd li:nth-child(2n)::before{content:"?"}'
        'ul.links li:before{content:"\\f105";font-family:FontAwesome}'
        'ul.dashes{list-style:none}ul.dashes li::before{content:"\\2014  "}'
        "ol.bare{list-style-type:none}"
    )
    path = page(
        tmp_path,
        '<ol class="legal"><li>Scope<ol><li>Members</li><li>Observers</li></ol></li>'
        "<li>Terms</li></ol>"
        '<ol class="alpha"><li>first</li><li>second</li></ol>'
        '<ol class="roman"><li>one</li></ol><ol class="odd"><li>a</li><li>b</li></ol>'
        '<ul class="links"><li>Documents</li></ul><ul class="dashes"><li>Kazakhstan</li></ul>'
        '<ol class="bare" start="0"><li>unnumbered</li></ol>',
        head=f"<style>{style}</style>",
    )
    assert lines(path) == [
        "1. Scope",
        "1.1 Members",
        "1.2 Observers",
        "2. Terms",
        "a. first",
        "b. second",
        "I. one",
        "1. a",
        "2. b",
        "• Documents",
        "— Kazakhstan",
        "unnumbered",  # no "0" where the list draws no number
    ]


def test_footnotes_are_found_by_a_mark_that_links_to_a_note_linking_back(
    tmp_path: Path,
) -> None:
    """pandoc's and Wikipedia's notes, a custom mark, a note cited twice, and links that
    are not notes: a contents entry whose section does not link back, a back link itself."""
    path = page(
        tmp_path,
        '<p><a href="#s1">1</a> Introduction</p>'
        '<p>Sponsors:<a href="#n-star" id="r-star">*</a> draft resolution</p>'
        '<h2 id="s1">Introduction</h2>'
        '<p>As agreed.<sup id="cite_ref-2"><a href="#cite_note-2">[2]</a></sup> '
        'Then adopted.<a href="#fn1" class="footnote-ref" id="fnref1"><sup>1</sup></a> '
        'Again.<sup id="cite_ref-2b"><a href="#cite_note-2">[2]</a></sup></p>'
        '<p>See <a href="#s1">the introduction</a>.</p>'
        '<ol class="references">'
        '<li id="cite_note-2"><span class="mw-cite-backlink">^ <a href="#cite_ref-2">'
        '<sup><i><b>a</b></i></sup></a> <b><a href="#cite_ref-2b">b</a></b></span> '
        "<span>Resolution 70/1.</span></li></ol>"
        '<section class="footnotes"><hr><ol>'
        '<li id="fn1"><p>Treaty Series, vol. 2896.<a href="#fnref1">↩︎</a></p></li>'
        '<li id="n-star"><a href="#r-star">*</a> Any changes in the list of sponsors.</li>'
        "</ol></section>",
    )
    assert lines(path) == [
        "1 Introduction",
        "Sponsors: draft resolution",
        "Introduction",
        "As agreed. Then adopted. Again.",
        "See the introduction.",
        "",
        "__________",
        "* Any changes in the list of sponsors.",
        "2 Resolution 70/1.",
        "1 Treaty Series, vol. 2896.",
    ]


def test_a_custom_mark_a_converter_numbered_is_the_mark_the_note_prints(tmp_path: Path) -> None:
    """pandoc numbers Word's ``*`` note 1 and keeps the typed ``*`` in the note's text."""
    path = page(
        tmp_path,
        '<p>Uzbekistan:<a href="#fn1" id="fnref1"><sup>1</sup></a> draft resolution</p>'
        '<p>Agenda.<a href="#fn2" id="fnref2"><sup>2</sup></a></p><ol>'
        '<li id="fn1"><p>* Any changes in the list of sponsors.<a href="#fnref1">↩</a></p></li>'
        '<li id="fn2"><p>Resolution 70/1.<a href="#fnref2">↩</a></p></li></ol>',
    )
    assert lines(path)[-2:] == ["* Any changes in the list of sponsors.", "2 Resolution 70/1."]


@pytest.mark.parametrize(
    ("data", "lang", "text", "encoding"),
    [
        (  # saved again as UTF-8, the old <meta> kept
            '<html><head><meta charset="iso-8859-1"></head><body><p>Côte d’Ivoire</p></body>'
            "</html>".encode(),
            "en",
            "Côte d’Ivoire",
            "utf-8",
        ),
        (
            '<html><head><meta charset="big5"></head><body><p>聯合國大會</p></body></html>'.encode(
                "big5"
            ),
            "zh-TW",
            "聯合國大會",
            "big5hkscs",
        ),
        (  # no charset said: guessed as a text file's would be
            "<html><body><p>联合国大会通过了决议。</p></body></html>".encode("gb18030"),
            "zh",
            "联合国大会通过了决议。",
            "gb18030",
        ),
        (
            '<?xml version="1.0" encoding="windows-1252"?>\n<html><head>'
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"/></head>'
            "<body><p>Résolution 70/1 – adoptée</p></body></html>".encode("cp1252"),
            "fr",
            "Résolution 70/1 – adoptée",
            "cp1252",
        ),
    ],
)
def test_the_page_s_charset(
    tmp_path: Path, data: bytes, lang: str, text: str, encoding: str
) -> None:
    path = tmp_path / "page.htm"
    path.write_bytes(data)
    doc = read_document(path, lang)
    assert (doc.text, doc.encoding) == (text, f"html, {encoding}")


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body><script>document.write('Loading')</script>"
        b"<nav>Home</nav></body></html>",
        b"<!-- saved without its content -->\n",
    ],
)
def test_a_page_with_nothing_to_read(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"page\.html: contains no text"):
        read_document(path, "en")


def test_a_binary_file_named_html(tmp_path: Path) -> None:
    path = tmp_path / "photo.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    with pytest.raises(InputError, match=r"photo\.html: "):
        read_document(path, "en")


def web_archive(page: bytes, charset: str, parts: dict[str, str]) -> bytes:
    """An .mht as Word saves one: the page quoted-printable first, then its other parts."""
    from email.message import EmailMessage

    archive = EmailMessage()
    archive["MIME-Version"] = "1.0"
    archive.set_content(page, maintype="text", subtype="html", cte="quoted-printable")
    archive.replace_header("Content-Type", f'text/html; charset="{charset}"')
    archive.make_related()
    for name, text in parts.items():
        archive.add_related(text, subtype="html", cte="quoted-printable", filename=name)
    archive.add_related(b"\x89PNG\r\n", maintype="image", subtype="png", filename="image001.png")
    return archive.as_bytes()


@pytest.mark.parametrize("name", ["A_77_L.107-ZH.mht", "A_77_L.107-ZH.bin"])
def test_a_web_archive_reads_as_its_page(tmp_path: Path, name: str) -> None:
    """Word's "single file web page": the page, not its page headers or images."""
    page_file = tmp_path / "page.htm"
    page_file.write_bytes(WORD_PAGE.encode("gb2312"))
    path = tmp_path / name
    path.write_bytes(
        web_archive(
            WORD_PAGE.encode("gb2312"),
            "gb2312",
            {"header.htm": "<html><body><p>A/77/L.107</p><p>23-16564</p></body></html>"},
        )
    )
    doc = read_document(path, "zh")
    assert doc.text == read_document(page_file, "zh").text
    assert doc.encoding == "mhtml, gb18030"


def test_a_web_archive_without_a_page(tmp_path: Path) -> None:
    path = tmp_path / "images.mht"
    path.write_bytes(b"MIME-Version: 1.0\nContent-Type: image/png\n\n\x89PNG")
    with pytest.raises(InputError, match=r"images\.mht: is not a web archive with a page in it"):
        read_document(path, "en")


def test_the_registry_reads_web_pages() -> None:
    assert {".html", ".htm", ".xhtml", ".mht", ".mhtml"} <= READERS.keys()
    assert READERS[".htm"].tools().startswith("lxml ")


@needs_office
def test_a_web_page_saved_by_libreoffice_reads_as_its_docx(tmp_path: Path) -> None:
    """Word's numbers and bullets, a symbol, a table's cells and a footnote, as the .docx
    reader reads the document the page was saved from."""
    pytest.importorskip("docx")
    from docx_corpus import office_copy
    from test_readers import _report_docx

    original = _report_docx(tmp_path / "report.docx")
    copy = office_copy(original, ".html", tmp_path)
    assert read_document(copy, "en").text == read_document(original, "en").text


_INLINE = ("span", "b", "i", "a", "sup", "em", "font")
_BLOCK = ("p", "div", "td", "h2", "blockquote", "section")


def _tree(draw: st.DrawFn, depth: int) -> str:
    """Random markup of text, inline and block elements, tables and line breaks."""
    words = st.text(alphabet="abc xyz 联合国。,&<>\xa0\n", min_size=0, max_size=12)
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "inline", "block", "br", "table"]))
        if kind == "text" or depth == 0:
            parts.append(escape(draw(words)))
        elif kind == "br":
            parts.append("<br>")
        elif kind == "table":
            cells = "".join(f"<td>{_tree(draw, depth - 1)}</td>" for _ in range(2))
            parts.append(f"<table><tr>{cells}</tr></table>")
        else:
            tag = draw(st.sampled_from(_INLINE if kind == "inline" else _BLOCK))
            parts.append(f"<{tag}>{_tree(draw, depth - 1)}</{tag}>")
    return "".join(parts)


@st.composite
def _pages(draw: st.DrawFn) -> str:
    return _tree(draw, 3)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pages())
def test_every_character_a_page_shows_is_read_once_in_order(body: str) -> None:
    """Whatever the nesting of blocks, inline elements, cells and breaks, the page's text
    comes out whole, in order: only white space may change."""
    root = html.document_fromstring(f"<html><body>{body}</body></html>")
    shown = "".join(root.find("body").itertext())
    got = "\n".join(page_lines(root))
    assert "".join(got.split()) == "".join(shown.split())


def test_an_epub_book_reads_page_by_page_with_its_notes(tmp_path: Path) -> None:
    """An EPUB 3 book of A/77/L.107: its two chapters in spine order, not the cover the
    spine sets out of the reading order nor the navigation page; its ``epub:type``
    notes under their chapter, which an ``<aside>`` outside an article would otherwise
    hide as a site's sidebar, their marks out of the text. Notes on a page of their own
    are footnotes too, with the marks that cite them from other pages (which leave the
    text) and without their links back: the text's blocks, notes and all."""
    from page_corpus import epub_book

    doc = clean(read_document(CORPUS / "en.txt", "en"))
    raw = read_document(epub_book(doc, tmp_path / "book.epub"), "en")
    assert raw.encoding == "epub, utf-8" and raw.layout == "paragraphs"
    got = clean(raw)
    body = [b.text for b in doc.blocks if b.kind != "footnote"]
    assert [b.text for b in got.blocks if b.kind != "footnote"] == body
    assert sorted(b.text for b in got.blocks if b.kind == "footnote") == sorted(
        b.text for b in doc.blocks if b.kind == "footnote"
    )
    assert "Contents" not in raw.text and "cover" not in raw.text
    ends = clean(read_document(epub_book(doc, tmp_path / "ends.epub", endnotes=True), "en"))
    assert [(b.kind, b.footnote, b.text) for b in ends.blocks] == [
        (b.kind, b.footnote, b.text) for b in doc.blocks
    ]


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"mimetype": "application/epub+zip"}, "There is no item named 'META-INF/container.xml'"),
        ({"META-INF/container.xml": "<container/>"}, "no package file named"),
        (
            {
                "META-INF/container.xml": EPUB_CONTAINER,
                "OEBPS/content.opf": '<package xmlns="http://www.idpf.org/2007/opf"/>',
            },
            "its spine lists no pages",
        ),
    ],
)
def test_an_epub_that_is_not_one(tmp_path: Path, files: dict[str, str], problem: str) -> None:
    import zipfile

    path = tmp_path / "bad.epub"
    with zipfile.ZipFile(path, "w") as book:
        for name, data in files.items():
            book.writestr(name, data)
    with pytest.raises(InputError, match=f"bad.epub: is not a valid EPUB .*{problem}"):
        read_document(path, "en")
    (tmp_path / "junk.epub").write_bytes(b"not a zip at all")
    with pytest.raises(InputError, match="junk.epub: is not a valid EPUB"):
        read_document(tmp_path / "junk.epub", "en")
