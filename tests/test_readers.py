"""The readers stage: encodings, formats and the one-line errors for unusable inputs."""

from __future__ import annotations

import codecs
import io
import random
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import CORPUS, layout_in, needs_arabic_layout, needs_office
from docx_corpus import office_copy
from pdf_corpus import assemble, un_pdf

from align.errors import InputError
from align.readers import READERS, base, read_document, reader_for
from align.types import RawDocument

# Lines of the seed resolution in traditional characters, as a Big5 file would have them.
TRADITIONAL = "\n".join(
    [
        " 第七十七屆會議",
        "議程項目 127(s)",
        "聯合國同上海合作組織的合作",
        " 大會，",
        " 回顧聯合國的宗旨之一是在維護國際和平與安全及解決屬於經濟、社會、文化或人道主義性質的"
        "國際問題方面開展合作，",
        " 又回顧《聯合國憲章》中的若干條款鼓勵在區域合作基礎上開展活動，以推進聯合國的目標與宗旨，",
        " 注意到上海合作組織致力於按照聯合國的目標和原則行事，",
        " * 提案國名單如有任何變化，將在會議正式記錄中予以反映。",
    ]
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def error_for(path: Path | str, lang: str = "zh", **kwargs: int) -> str:
    with pytest.raises(InputError) as caught:
        read_document(path, lang, **kwargs)
    message = str(caught.value)
    assert Path(path).name in message
    assert "\n" not in message and "\r" not in message
    return message


# --- plain text encodings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "codec", "label"),
    [
        (b"", "utf-8", "utf-8"),
        (b"", "utf-8-sig", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (b"", "gb18030", "gb18030"),
        (b"", "gbk", "gb18030"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    ],
)
def test_seed_round_trips_through_each_encoding(
    tmp_path: Path, zh_seed_text: str, bom: bytes, codec: str, label: str
) -> None:
    path = write(tmp_path, "zh.txt", bom + zh_seed_text.encode(codec))
    doc = read_document(path, "zh")
    assert doc == RawDocument(text=zh_seed_text, path=str(path), encoding=label, lang="zh")
    assert not doc.text.startswith("\ufeff")


def test_gbk_only_characters_read_as_gb18030(tmp_path: Path, zh_seed_text: str) -> None:
    text = zh_seed_text + "\n 朱镕基、温家宝和李喆出席了会议。\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gb2312")
    doc = read_document(write(tmp_path, "gbk.txt", text.encode("gbk")), "zh")
    assert (doc.text, doc.encoding) == (text, "gb18030")


def test_big5_traditional_text_is_not_mistaken_for_gb18030(tmp_path: Path) -> None:
    data = TRADITIONAL.encode("big5")
    assert data.decode("gb18030") != TRADITIONAL  # both decode: the reader has to choose
    doc = read_document(write(tmp_path, "zh-tw.txt", data), "zh")
    assert (doc.text, doc.encoding) == (TRADITIONAL, "big5")


def test_big5_with_microsoft_extensions_reads_as_cp950(tmp_path: Path) -> None:
    text = TRADITIONAL + "\n 圍棋亦稱碁。\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("big5")
    doc = read_document(write(tmp_path, "cp950.txt", text.encode("cp950")), "zh")
    assert (doc.text, doc.encoding) == (text, "cp950")


def test_hong_kong_big5_reads_as_big5_hkscs(tmp_path: Path) -> None:
    """Hong Kong's characters (Cantonese 佢哋, 啲, 嘅) are in Big5-HKSCS only: that file
    used to fail as Big5 and be read as GB18030, every character wrong."""
    text = TRADITIONAL + "\n 佢哋話呢啲嘢好緊要，嘅確係咁。\n"
    for codec in ("big5", "cp950"):
        with pytest.raises(UnicodeEncodeError):
            text.encode(codec)
    doc = read_document(write(tmp_path, "hk.txt", text.encode("big5hkscs")), "zh")
    assert (doc.text, doc.encoding) == (text, "big5hkscs")


@pytest.mark.parametrize(
    "line", [" 大会， ", " 第七十七届会议   ", "联合国同上海合作组织的合作 ", "纽约", "委员"]
)
def test_short_gb18030_line(tmp_path: Path, line: str) -> None:
    data = line.encode("gb18030")
    others = []
    for codec in ("utf-8", "big5"):
        try:
            others.append(data.decode(codec))
        except UnicodeDecodeError:
            pass
    assert others, "the bytes must be ambiguous for this to test anything"
    doc = read_document(write(tmp_path, "short.txt", data), "zh")
    assert (doc.text, doc.encoding) == (line, "gb18030")


@pytest.mark.parametrize(
    "line",
    [
        " 大會，",
        "第七十七屆會議",
        "聯合國同上海合作組織的合作",
        # Two-character words: decided by which codec gives first-level (common) ideographs.
        "議程",
        "問題",
        "確認",
        # Decided by the punctuation, which GB18030 turns into private-use characters.
        "區域組織，",
        "《聯合國憲章》",
    ],
)
def test_short_big5_line(tmp_path: Path, line: str) -> None:
    data = line.encode("big5")
    data.decode("gb18030")
    doc = read_document(write(tmp_path, "short.txt", data), "zh")
    assert (doc.text, doc.encoding) == (line, "big5")


def test_gb18030_that_looks_like_truncated_utf8(tmp_path: Path) -> None:
    text = "A/77/L.107 " + b"\xe4\xb8".decode("gb18030")
    data = text.encode("gb18030")
    with pytest.raises(UnicodeDecodeError, match="unexpected end of data"):
        data.decode("utf-8")
    doc = read_document(write(tmp_path, "short.txt", data), "zh")
    assert (doc.text, doc.encoding) == (text, "gb18030")


def test_region_tag_decides_a_big5_fragment_that_reads_as_gb18030_too(tmp_path: Path) -> None:
    path = write(tmp_path, "frag.txt", "組織".encode("big5"))
    assert read_document(path, "zh").encoding == "gb18030"
    doc = read_document(path, "zh-TW")
    assert (doc.text, doc.encoding) == ("組織", "big5")
    assert read_document(path, "zh-Hant").encoding == "big5"


def test_english_ascii_with_mixed_newlines(tmp_path: Path) -> None:
    raw = b"The General Assembly,\r\n\r\n Recalling its resolution 59/48,\rNoting\n"
    doc = read_document(write(tmp_path, "en.txt", raw), "en")
    assert doc.text == "The General Assembly,\n\n Recalling its resolution 59/48,\nNoting\n"
    assert (doc.encoding, doc.lang) == ("utf-8", "en")


def test_utf16_seed_keeps_crlf_normalised(tmp_path: Path, zh_seed_text: str) -> None:
    data = zh_seed_text.replace("\n", "\r\n").encode("utf-16")
    doc = read_document(write(tmp_path, "zh.txt", data), "zh")
    assert (doc.text, doc.encoding) == (zh_seed_text, "utf-16")


def test_english_in_windows_1252(tmp_path: Path) -> None:
    text = "The \u201cAssembly\u201d \u2013 crèche, café, naïve\n" * 5
    doc = read_document(write(tmp_path, "en.txt", text.encode("cp1252")), "en")
    assert (doc.text, doc.encoding) == (text, "cp1252")


def test_english_utf16_without_bom(tmp_path: Path) -> None:
    text = "The General Assembly,\nRecalling its resolution 59/48 of 2 December 2004,\n"
    doc = read_document(write(tmp_path, "en.txt", text.encode("utf-16-le")), "en")
    assert (doc.text, doc.encoding) == (text, "utf-16-le")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_bom(tmp_path: Path, codec: str) -> None:
    """Few NUL bytes (only its line breaks and figures have them): it used to be called
    binary, which sent the user looking for the wrong fault."""
    text = "人民对美好生活的向往，就是我们的奋斗目标\n（2012年11月15日）\n记者朋友们：\n"
    doc = read_document(write(tmp_path, "zh.txt", text.encode(codec)), "zh")
    assert (doc.text, doc.encoding) == (text, codec)


def test_random_bytes_are_still_binary(tmp_path: Path) -> None:
    noise = np.random.default_rng(7).integers(0, 256, 4000, dtype=np.uint8).tobytes()
    with pytest.raises(InputError, match="looks binary"):
        read_document(write(tmp_path, "x.txt", noise), "zh")


def test_unknown_suffix_is_read_as_text(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "A_77_L.107", "大会，\n".encode()), "zh")
    assert (doc.text, doc.encoding) == ("大会，\n", "utf-8")


def test_other_characters_are_kept_exactly(tmp_path: Path) -> None:
    text = "\ufeffa\u00a0b\u3000c\td\f\n\u200be  \n"
    doc = read_document(write(tmp_path, "x.txt", b"\xef\xbb\xbf" + text.encode()), "en")
    assert doc.text == text  # only the first BOM is the file's; the rest is content


@pytest.mark.parametrize(
    ("lang", "extracted", "plain", "changed"),
    [
        ("en", "the ﬁnancial ofﬁce, ﬂows and aﬀairs", "the financial office, flows and affairs", 4),
        ("zh", "⼈⺠和⼤会，第七十七届会议", "人⺠和大会，第七十七届会议", 2),
        (
            "zh",
            "中國的聯合國",
            "中國的聯合國",
            0,
        ),  # traditional characters are not compatibility forms
        ("ar", "ﺍﻟﺠﻤﻌﻴﺔ ﺍﻟﻌﺎﻣﺔ", "الجمعية العامة", 13),
        ("fr", "« Français », œuvre, 2 ½", "« Français », œuvre, 2 ½", 0),
    ],
)
def test_pdf_ligatures_and_presentation_forms_are_made_plain(
    tmp_path: Path, lang: str, extracted: str, plain: str, changed: int
) -> None:
    doc = read_document(write(tmp_path, "x.txt", extracted.encode()), lang)
    assert (doc.text, doc.plain_forms) == (plain, changed)


# --- errors ---------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in error_for(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "directory" in error_for(folder)


@pytest.mark.parametrize(
    ("data", "expected"),
    [(b"", "empty (0 bytes)"), (" \n\t\r\n\u3000\n".encode(), "only whitespace")],
)
def test_empty(tmp_path: Path, data: bytes, expected: str) -> None:
    assert expected in error_for(write(tmp_path, "empty.txt", data))


def _random_bytes(size: int, *, nul: bool) -> bytes:
    data = random.Random(size).randbytes(size)
    return data if nul else data.replace(b"\x00", b"\x01")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200), "ZIP archive"),
        (b"\x7fELF\x02\x01\x01" + bytes(200), "ELF executable"),
        (_random_bytes(4096, nul=True), "binary"),
        (_random_bytes(4096, nul=False), "binary"),
        (_random_bytes(64, nul=False), "binary"),
        ("大会\x01\x02\x03\x04，\x05".encode(), "binary"),
    ],
    ids=["png", "zip", "elf", "random", "random-no-nul", "random-short", "controls"],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_binary(tmp_path: Path, data: bytes, expected: str, lang: str) -> None:
    message = error_for(write(tmp_path, "doc.txt", data), lang)
    assert expected in message and "not text" in message


def test_utf8_truncated_mid_character(tmp_path: Path, zh_seed_text: str) -> None:
    data = (zh_seed_text.rstrip() + "。").encode()[:-1]
    message = error_for(write(tmp_path, "cut.txt", data))
    assert f"byte offset {len(data) - 2}" in message and "truncated" in message


def test_utf8_with_a_broken_byte(tmp_path: Path, zh_seed_text: str) -> None:
    data = zh_seed_text.encode()
    at = data.index("上海".encode())
    message = error_for(write(tmp_path, "bad.txt", data[:at] + b"\xff" + data[at:]))
    assert f"is UTF-8 with invalid bytes (first at byte offset {at})" in message


def test_utf16_with_bom_truncated(tmp_path: Path, zh_seed_text: str) -> None:
    data = zh_seed_text.encode("utf-16")[:-1]
    message = error_for(write(tmp_path, "cut16.txt", data))
    assert "UTF-16" in message and f"offset {len(data) - 1}" in message


def test_a_byte_order_mark_broken_by_the_bytes_is_told_plainly(tmp_path: Path) -> None:
    """The codec's words (``truncated data``, ``invalid continuation byte``) went into the
    message, and the offset of a UTF-8 file with a mark was counted from after the mark."""
    data = codecs.BOM_UTF8 + "大会".encode() + b"\xe9 and more"
    message = error_for(write(tmp_path, "bom8.txt", data))
    at = data.index(b"\xe9")
    assert f"is not valid UTF-8 (byte 0xe9 at offset {at} is not UTF-8): re-save" in message
    cut = "大会".encode("utf-16")[:-1]
    message = error_for(write(tmp_path, "cut16.txt", cut))
    assert f"(cut off in the middle of a character at byte offset {len(cut) - 1})" in message
    assert "truncated data" not in message


def test_undecodable(tmp_path: Path) -> None:
    message = error_for(write(tmp_path, "odd.txt", b"Resolution \xff\xfe\xff 59/48\n"))
    assert "cannot be decoded" in message and "0xff at offset 11" in message


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "big.txt", b"x" * 2048)
    monkeypatch.setattr(base, "MAX_INPUT_BYTES", 1024)
    message = error_for(path)
    assert "2048 bytes" in message and "1024 bytes" in message
    assert read_document(path, "en", max_bytes=4096).text == "x" * 2048


def test_size_limit_in_mib(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"y" * (3 * 1024 * 1024))
    message = error_for(path, max_bytes=2 * 1024 * 1024)
    assert "3.0 MiB (3145728 bytes)" in message and "2.0 MiB" in message
    assert base.MAX_INPUT_BYTES == 50 * 1024 * 1024


# --- docx -----------------------------------------------------------------------------------


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_pptx_slides_in_reading_order_with_notes_and_numbers(tmp_path: Path) -> None:
    """A briefing deck: titles and placeholders where the layout puts them, PowerPoint's
    own paragraph numbers, the speaker's notes after their slide, a table cell by cell,
    a source line added first but standing at the foot read last, a group's boxes left
    to right; no slide number, date or footer."""
    pytest.importorskip("pptx")
    from deck_corpus import BRIEFING, briefing_deck

    text = BRIEFING["en"]
    raw = read_document(briefing_deck("en", tmp_path / "briefing.pptx"), "en")
    assert raw.encoding == "pptx" and raw.layout == "paragraphs"
    show = (tmp_path / "briefing.pptx").rename(tmp_path / "briefing.ppsx")  # a slide show
    assert read_document(show, "en").text == raw.text
    assert raw.text.split("\n") == [
        text["title"],
        text["subtitle"],
        "",
        text["points_title"],
        *(f"{n}. {point}" for n, point in enumerate(text["points"], 1)),
        text["notes"],
        "",
        text["table_title"],
        *(cell for row in text["table"] for cell in row),
        "",
        text["last_title"],
        *text["boxes"],
        text["source"],
    ]


@pytest.mark.parametrize(
    ("kind", "numbers"),
    [
        ("arabicPeriod", ["1.", "2.", "3."]),
        ("alphaLcParenBoth", ["(a)", "(b)", "(c)"]),
        ("alphaLcParenR", ["a)", "b)", "c)"]),
        ("romanUcPeriod", ["I.", "II.", "III."]),
        ("ea1ChsPeriod", ["一、", "二、", "三、"]),
        ("circleNumDbPlain", ["①", "②", "③"]),
    ],
)
def test_pptx_automatic_numbers(tmp_path: Path, kind: str, numbers: list[str]) -> None:
    pptx = pytest.importorskip("pptx")
    from deck_corpus import _numbered

    prs = pptx.Presentation()
    frame = prs.slides.add_slide(prs.slide_layouts[1]).placeholders[1].text_frame
    for n, words in enumerate(["First", "Second", "Third"]):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.text = words
        _numbered(paragraph, kind)
    prs.save(str(tmp_path / "n.pptx"))
    lines = read_document(tmp_path / "n.pptx", "en").text.split("\n")
    assert lines == [f"{n} {w}" for n, w in zip(numbers, ["First", "Second", "Third"], strict=True)]


def test_pptx_that_is_not_one(tmp_path: Path) -> None:
    assert "is not a valid .pptx" in error_for(write(tmp_path, "a.pptx", b"PK\x03\x04broken"))
    pptx = pytest.importorskip("pptx")
    import zipfile

    prs = pptx.Presentation()
    prs.slides.add_slide(prs.slide_layouts[1]).placeholders[1].text_frame.text = "Point"
    prs.save(str(tmp_path / "good.pptx"))
    bad = tmp_path / "bad-level.pptx"
    with zipfile.ZipFile(tmp_path / "good.pptx") as good, zipfile.ZipFile(bad, "w") as out:
        for item in good.infolist():
            data = good.read(item.filename)
            if item.filename == "ppt/slides/slide1.xml":
                data = data.replace(b"<a:p>", b'<a:p><a:pPr lvl="one"/>', 1)
            out.writestr(item, data)
    assert "is not a valid .pptx (damaged: invalid literal for int()" in error_for(bad)


def test_xlsx_visible_text_cells_row_by_row(tmp_path: Path) -> None:
    """A table of contributions: the sheet's name, then its text cells row by row (rich
    text and inline strings included); no figures, no formula without a text result,
    no hidden row or sheet."""
    pytest.importorskip("openpyxl")
    from deck_corpus import WORKBOOK, contributions_workbook

    text = WORKBOOK["en"]
    raw = read_document(contributions_workbook("en", tmp_path / "table.xlsx"), "en")
    assert raw.encoding == "xlsx" and raw.layout == "paragraphs"
    assert raw.text.split("\n") == [
        text["sheet"],
        text["title"],
        *text["header"],
        "Africa",
        "Includes pledges not yet paid.",
        "Asia and the Pacific",
        "Two new donors.",
        "Europe",
        text["total"],
        text["note"],
    ]
    assert "not a valid .xlsx" in error_for(write(tmp_path, "bad.xlsx", b"PK\x03\x04junk"))


@pytest.mark.parametrize(
    ("name", "app", "legacy"),
    [
        ("plan.docx", "Word", ".doc"),
        ("deck.pptx", "PowerPoint", ".ppt"),
        ("table.xlsx", "Excel", ".xls"),
    ],
)
def test_office_files_encrypted_or_in_the_old_format(
    tmp_path: Path, name: str, app: str, legacy: str
) -> None:
    """A document with a password to open is an OLE2 container holding the encrypted
    package (msoffcrypto-tool encrypts as Office does); a 97-2003 file renamed to the
    new suffix is one too, without it. Both used to be 'not a valid .docx (File is not a
    zip file)'."""
    import docx
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / "plain.docx"
    document = docx.Document()
    document.add_paragraph("Restricted draft.")
    document.save(str(plain))
    locked = tmp_path / name
    with plain.open("rb") as stream, locked.open("wb") as out:
        OOXMLFile(stream).encrypt("secret", out)
    assert error_for(locked) == (
        f"{locked}: is encrypted with a password to open: "
        f"open it in {app} and save a copy without the password"
    )
    old = write(tmp_path, f"old-{name}", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    suffix = Path(name).suffix
    assert error_for(old).endswith(
        f"is a {app} 97-2003 file, not a {suffix}: rename it to {legacy}, or save it as {suffix}"
    )


def test_a_macro_enabled_word_document_reads_as_a_docx(tmp_path: Path) -> None:
    """A .docm (what a template with macros saves) is a .docx whose main part has another
    content type, with a macro part beside it; python-docx refused it for the type."""
    import zipfile

    import docx

    word = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    macros = b"application/vnd.ms-word.document.macroEnabled.main+xml"  # as Word writes it
    plain = tmp_path / "plain.docx"
    document = docx.Document()
    document.add_paragraph("Decides to continue its consideration of the question.")
    document.save(str(plain))
    macro = tmp_path / "draft.docm"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(macro, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(word, macros).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/'
                    b'vnd.ms-office.vbaProject"/></Types>',
                )
            target.writestr(item, data)
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros")
    assert read_document(macro, "en").text == read_document(plain, "en").text
    assert (
        read_document(macro, "en").text == "Decides to continue its consideration of the question."
    )


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_heading("联合国同上海合作组织的合作", level=1)
    document.add_paragraph("大会，")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "甲"
    table.cell(0, 1).text = "乙"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "丙"
    tracked = document.add_paragraph("回顾")
    tracked._p.append(
        parse_xml(f"<w:del {nsdecls('w')}><w:r><w:delText>删去</w:delText></w:r></w:del>")
    )
    tracked._p.append(parse_xml(f"<w:ins {nsdecls('w')}><w:r><w:t>其决议，</w:t></w:r></w:ins>"))
    hidden = "<w:r {}><w:rPr><w:vanish{}/></w:rPr><w:t>{}</w:t></w:r>"
    tracked._p.append(parse_xml(hidden.format(nsdecls("w"), "", "隐藏的批注")))
    tracked._p.append(parse_xml(hidden.format(nsdecls("w"), ' w:val="0"', "第59/48号")))
    document.add_paragraph("")
    document.add_paragraph("The end.")
    body = document.element.body
    control = f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>附件</w:t></w:r></w:p>"
    body.insert(len(body) - 1, parse_xml(control + "</w:sdtContent></w:sdt>"))
    custom = f"<w:customXml {nsdecls('w')} w:element='x'><w:p><w:r><w:t>一、</w:t></w:r></w:p>"
    body.insert(len(body) - 1, parse_xml(custom + "</w:customXml>"))
    compat = (
        f"<mc:AlternateContent {nsdecls('w')} xmlns:mc='{MC}'><mc:Choice Requires='w14'><w:p><w:r>"
        "<w:t>二、</w:t></w:r></w:p></mc:Choice><mc:Fallback><w:p><w:r><w:t>二、</w:t></w:r>"
        "</w:p></mc:Fallback></mc:AlternateContent>"
    )
    body.insert(len(body) - 1, parse_xml(compat))
    path = tmp_path / "doc.docx"
    document.save(str(path))

    doc = read_document(path, "zh")
    assert doc.encoding == "docx"
    assert doc.text.split("\n") == [
        "联合国同上海合作组织的合作",
        "大会，",
        "甲",
        "乙",
        "丙",
        "回顾其决议，第59/48号",
        "",
        "The end.",
        "附件",
        "一、",
        "二、",
    ]


def _docx_with_notes(path: Path, body_xml: list[str], notes: dict[str, str]) -> Path:
    """A .docx whose body is ``body_xml`` paragraphs and whose parts hold ``notes``
    (``"footnotes"``/``"endnotes"`` -> the notes' XML), as Word writes them."""
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    body = document.element.body
    for xml in body_xml:
        body.insert(len(body) - 1, parse_xml(f"<w:p {nsdecls('w')}>{xml}</w:p>"))
    kinds = {
        "footnotes": (CT.WML_FOOTNOTES, RT.FOOTNOTES),
        "endnotes": (CT.WML_ENDNOTES, RT.ENDNOTES),
    }
    for name, xml in notes.items():
        content_type, reltype = kinds[name]
        blob = f"<w:{name} {nsdecls('w')}>{xml}</w:{name}>".encode()
        part = Part(PackURI(f"/word/{name}.xml"), content_type, blob, document.part.package)
        document.part.relate_to(part, reltype)
    document.save(str(path))
    return path


def _note(kind: str, note_id: int, *paragraphs: str, mark: str = "") -> str:
    head = f"<w:r><w:t>{mark}</w:t></w:r>" if mark else f"<w:r><w:{kind}Ref/></w:r>"
    first, *rest = paragraphs
    paras = [f"<w:p>{head}<w:r><w:tab/><w:t>{first}</w:t></w:r></w:p>"]
    paras += [f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in rest]
    return f'<w:{kind} w:id="{note_id}">{"".join(paras)}</w:{kind}>'


def test_docx_footnotes_follow_the_body_under_a_rule(tmp_path: Path) -> None:
    """Footnotes are numbered in the order the text refers to them, whatever their ids;
    a custom mark (the sponsors' ``*``) is kept, a note cited twice is written once, and
    a reference in deleted text cites nothing."""
    separators = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>"
    )
    footnotes = separators + "".join(
        [
            _note("footnote", 1, "提案国名单如有任何变化。", mark="*"),
            _note("footnote", 7, "第70/1号决议。"),
            _note("footnote", 3, "联合国，《条约汇编》，", "第2896卷。"),
            _note("footnote", 9, "删去的脚注。"),
        ]
    )
    body = [
        '<w:r><w:t>决议草案</w:t></w:r><w:r><w:footnoteReference w:customMarkFollows="1" '
        'w:id="1"/><w:t>*</w:t></w:r>',
        '<w:r><w:t>回顾《2030年议程》，</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r>'
        '<w:del><w:r><w:footnoteReference w:id="9"/></w:r></w:del>',
        "<w:r><w:t>《条约》</w:t><w:br/><w:t>第二行</w:t></w:r>"
        '<w:r><w:footnoteReference w:id="3"/></w:r><w:r><w:t>和第70/1号决议</w:t></w:r>'
        '<w:r><w:footnoteReference w:id="7"/></w:r>',
    ]
    path = _docx_with_notes(tmp_path / "notes.docx", body, {"footnotes": footnotes})

    doc = read_document(path, "zh")
    assert doc.layout == "paragraphs"
    assert doc.text.split("\n") == [
        "决议草案*",
        "回顾《2030年议程》，",
        "《条约》 第二行和第70/1号决议",
        "",
        "__________",
        "* 提案国名单如有任何变化。",
        "1 第70/1号决议。",
        "2 联合国，《条约汇编》， 第2896卷。",
    ]


def test_docx_body_text_is_neither_furniture_nor_notes(tmp_path: Path) -> None:
    """A .docx has no pages and gives its notes apart, their marks out of the text: a
    figure glued to a word (``表1``, ``目标2``), a paragraph that looks like a symbol, a
    job number or a link, and the paragraphs after a rule typed in the text are the
    document's text. They were dropped, or made footnotes 12 and 13."""
    from align.clean import clean

    notes = _note("footnote", 1, "提案国名单如有任何变化。", mark="*") + _note(
        "footnote", 7, "第70/1号决议。"
    )
    rows = [
        "注意到表1所列数据，并注意到可持续发展目标2的执行情况，",
        "PM2.5/PM10",
        "A/RES/77/1",
        "12-34567",
        "https://www.un.org/zh/about-us",
        "__________",
        "12 个国家已批准该公约。",
        "13 个国家已签署该公约。",
        "会议决定继续审议这个问题。",
    ]
    body = [
        '<w:r><w:t>决议草案</w:t></w:r><w:r><w:footnoteReference w:customMarkFollows="1" '
        'w:id="1"/><w:t>*</w:t></w:r>',
        f'<w:r><w:t>{rows[0]}</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r>',
        *(f"<w:r><w:t>{row}</w:t></w:r>" for row in rows[1:]),
    ]
    path = _docx_with_notes(tmp_path / "body.docx", body, {"footnotes": notes})
    doc = clean(read_document(path, "zh"))
    assert [(b.kind, b.footnote, b.text) for b in doc.blocks] == [
        ("body", None, "决议草案"),
        *(("body", None, row.replace(" ", "")) for row in rows if row != "__________"),
        ("footnote", "*", "提案国名单如有任何变化。"),
        ("footnote", "1", "第70/1号决议。"),
    ]
    assert [r.text for r in doc.removals if r.reason in ("footnote-ref", "rule")] == [
        "*",
        "__________",
    ]


def test_docx_endnotes_count_on_from_the_footnotes(tmp_path: Path) -> None:
    body = [
        '<w:r><w:t>Recalling</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r>',
        '<w:r><w:t>Noting</w:t></w:r><w:r><w:endnoteReference w:id="5"/></w:r>',
    ]
    notes = {
        "footnotes": _note("footnote", 2, "Resolution 70/1."),
        "endnotes": _note("endnote", 5, "2030 Agenda."),
    }
    doc = read_document(_docx_with_notes(tmp_path / "end.docx", body, notes), "en")
    assert doc.text.split("\n")[-3:] == ["__________", "1 Resolution 70/1.", "2 2030 Agenda."]


def test_docx_without_notes_has_no_rule(tmp_path: Path) -> None:
    body = ["<w:r><w:t>The General Assembly,</w:t></w:r>"]
    doc = read_document(_docx_with_notes(tmp_path / "plain.docx", body, {}), "en")
    assert doc.text == "The General Assembly,"


def test_docx_text_boxes_follow_the_paragraph_they_are_anchored_in(tmp_path: Path) -> None:
    """A text box (a boxed example in a report) is read once, after its anchor: from the
    drawing Word writes, not again from its fallback copy; an old VML-only box too. Runs
    with a fallback copy are read once."""
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"

    def box(*texts: str) -> str:
        paras = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)
        return f"<w:txbxContent>{paras}</w:txbxContent>"

    drawn = (
        f"<w:r><mc:AlternateContent xmlns:mc='{MC}'><mc:Choice Requires='wps'><w:drawing>"
        f"<wps:wsp xmlns:wps='{wps}'><wps:txbx>{box('Box 1', 'Lessons learned.')}</wps:txbx>"
        f"</wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape "
        f"xmlns:v='urn:schemas-microsoft-com:vml'><v:textbox>{box('Box 1', 'Lessons learned.')}"
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    vml = (
        "<w:r><w:pict><v:shape xmlns:v='urn:schemas-microsoft-com:vml'><v:textbox>"
        f"{box('Box 2')}</v:textbox></v:shape></w:pict></w:r>"
    )
    body = [
        f"<w:r><w:t>The Mission reported progress.</w:t></w:r>{drawn}",
        f"{vml}<w:r><w:t>It closed in </w:t></w:r><mc:AlternateContent xmlns:mc='{MC}'>"
        "<mc:Choice Requires='w14'><w:r><w:t>2022.</w:t></w:r></mc:Choice><mc:Fallback>"
        "<w:r><w:t>2022.</w:t></w:r></mc:Fallback></mc:AlternateContent>",
    ]
    doc = read_document(_docx_with_notes(tmp_path / "boxed.docx", body, {}), "en")
    assert doc.text.split("\n") == [
        "The Mission reported progress.",
        "Box 1",
        "Lessons learned.",
        "It closed in 2022.",
        "Box 2",
    ]


def test_docx_symbols_are_the_characters_they_draw(tmp_path: Path) -> None:
    """``w:sym`` (Insert > Symbol) is read as the character the symbol font draws."""
    body = [
        "<w:r><w:t xml:space='preserve'>Coverage </w:t><w:sym w:font='Symbol' w:char='F0B3'/>"
        "<w:t xml:space='preserve'> 95 per cent </w:t><w:sym w:font='Symbol' w:char='00B1'/>"
        "<w:t xml:space='preserve'> 2; met </w:t><w:sym w:font='Wingdings' w:char='F0FC'/>"
        "<w:sym w:font='Arial Unicode MS' w:char='2248'/></w:r>"
    ]
    doc = read_document(_docx_with_notes(tmp_path / "sym.docx", body, {}), "en")
    assert doc.text == "Coverage ≥ 95 per cent ± 2; met ✓≈"


def _contents_docx(path: Path) -> Path:
    """A table of contents as Word sets one: entries in a ``TOC 1`` style whose right tab
    stop draws a dot leader up to the page number; one entry with the leader set on the
    paragraph itself (middle dots); and a figure after a plain tab, which is no leader."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm

    document = docx.Document()
    toc = document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    toc.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    document.add_paragraph("Contents")
    document.add_paragraph("I. Introduction\t3", style=toc)
    document.add_paragraph(
        "II. Cooperation between the United Nations and the Shanghai Cooperation Organization "
        "in the field of peace and security\tiv",
        style=toc,
    )
    annex = document.add_paragraph("Annex\t12")
    annex.paragraph_format.tab_stops.add_tab_stop(
        Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.MIDDLE_DOT
    )
    total = document.add_paragraph("Total contributions\t1250")
    total.paragraph_format.tab_stops.add_tab_stop(Cm(12), WD_TAB_ALIGNMENT.RIGHT)
    document.add_paragraph("I. Introduction")
    document.save(str(path))
    return path


CONTENTS = [
    "Contents",
    "I. Introduction",
    "II. Cooperation between the United Nations and the Shanghai Cooperation Organization in "
    "the field of peace and security",
    "Annex",
    "Total contributions 1250",
    "I. Introduction",
]


def test_docx_contents_entries_lose_their_leaders_and_page_numbers(tmp_path: Path) -> None:
    from align.clean import clean

    raw = read_document(_contents_docx(tmp_path / "toc.docx"), "en")
    assert "I. Introduction . . . . . 3" in raw.text and "Annex · · · · · 12" in raw.text
    doc = clean(raw)
    assert [b.text for b in doc.blocks] == CONTENTS
    assert [r.text for r in doc.removals if r.reason == "toc-leader"] == [
        ". . . . . 3",
        ". . . . . iv",
        "· · · · · 12",
    ]


@needs_office
def test_pdf_contents_entries_lose_their_leaders_and_page_numbers(tmp_path: Path) -> None:
    """LibreOffice draws the leaders as full stops, which a PDF's text keeps."""
    from align.clean import clean

    pdf = office_copy(_contents_docx(tmp_path / "toc.docx"), ".pdf", tmp_path)
    raw = read_document(pdf, "en")
    assert "Introduction......" in raw.text
    assert [b.text for b in clean(raw).blocks] == CONTENTS


def test_a_pdf_whose_fonts_map_no_unicode_is_one_clear_line(tmp_path: Path) -> None:
    """Glyph numbers read as characters are letters of a dozen scripts, or private-use
    codes; the language check would have told the translator to swap the files."""
    text = (CORPUS / "zh.txt").read_text(encoding="utf-8")
    rng = random.Random(1)
    for name, low, high in (("mixed", 0x0021, 0x1FFF), ("private", 0xE000, 0xF8FF)):
        glyph = {ch: rng.randrange(low, high) for ch in set(text)}
        with pytest.raises(InputError, match="has a text layer that does not decode") as err:
            read_document(un_pdf(text, tmp_path / f"{name}.pdf", cjk=True, glyphs=glyph), "zh")
        assert "run OCR on it" in str(err.value)


def _read_as_cp1252(data: bytes) -> str:
    """What a Windows program that takes UTF-8 for Windows-1252 reads, the five bytes
    Windows-1252 leaves undefined kept as the control characters of their numbers."""
    return "".join(bytes([b]).decode("cp1252", "replace").replace("\ufffd", chr(b)) for b in data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_text_decoded_twice_is_repaired(tmp_path: Path, lang: str) -> None:
    """UTF-8 read as Windows-1252 and saved as UTF-8 again: ``大会`` as ``å¤§ä¼š``, ``’``
    as ``â€™``. The language check called the Chinese one "not zh: swap the files"."""
    original = (CORPUS / f"{lang}.txt").read_text(encoding="utf-8").replace("'", "’")
    path = tmp_path / f"{lang}.txt"
    path.write_text(_read_as_cp1252(original.encode("utf-8")), encoding="utf-8")
    doc = read_document(path, lang)
    assert doc.text == original and doc.encoding == "utf-8 (double-encoded: repaired)"
    lossy = original.encode("utf-8").decode("cp1252", "replace")  # the five bytes lost
    path.write_text(lossy, encoding="utf-8")
    with pytest.raises(InputError, match="was read as Windows-1252 and saved as UTF-8 again"):
        read_document(path, lang)


def test_chinese_read_as_gbk_and_saved_again_is_one_clear_line(tmp_path: Path) -> None:
    """乱码 (``大会`` as ``澶т細``) is Chinese characters still: it passed the language
    check and failed only as "not a translation" after the whole alignment."""
    from align.readers.txt import read_as_gbk

    original = (CORPUS / "zh.txt").read_text(encoding="utf-8")
    path = tmp_path / "zh.txt"
    path.write_text(original.encode("utf-8").decode("gbk", "replace"), encoding="utf-8")
    with pytest.raises(InputError, match=r"was read as GBK and saved as UTF-8 again.*乱码"):
        read_document(path, "zh")
    traditional = "大會決定將題為「聯合國同上海合作組織的合作」的分項列入臨時議程。" * 5
    for text in (original, traditional):
        assert read_as_gbk(text) is None


def test_text_with_letters_like_garbled_ones_is_left_as_it_is(tmp_path: Path) -> None:
    text = "Le château, où l’Âme était à Genève. Ça coûte 5 €. 大会决定。Ã la carte: Ã©tÃ©?"
    path = tmp_path / "fr.txt"
    path.write_text(text * 3, encoding="utf-8")
    doc = read_document(path, "fr")
    assert doc.text == text * 3 and doc.encoding == "utf-8"


def test_a_glossary_in_four_scripts_is_text() -> None:
    from align.readers.pdf import undecoded

    rows = [
        "General Assembly",
        "Assemblée générale",
        "Генеральная Ассамблея",
        "الجمعية العامة",
        "大会",
    ]
    assert undecoded("\n".join(rows * 40)) is None
    assert undecoded("The General Assembly, \ue001 recalling its resolution") is None


def test_docx_numbers_word_prints_from_its_list_styles(tmp_path: Path) -> None:
    """``List Number`` and ``List Bullet`` (numbered through their styles, as in Word's
    own template) print their labels; an empty list paragraph still counts."""
    import docx

    document = docx.Document()
    document.add_paragraph("The General Assembly,")
    document.add_paragraph("Acknowledges the role;", style="List Number")
    document.add_paragraph("", style="List Number")
    document.add_paragraph("Invites cooperation;", style="List Number")
    document.add_paragraph("Among them:")
    document.add_paragraph("Kazakhstan;", style="List Bullet")
    document.add_paragraph("Decides to continue.", style="List Number")
    path = tmp_path / "listed.docx"
    document.save(str(path))
    assert read_document(path, "en").text.split("\n") == [
        "The General Assembly,",
        "1. Acknowledges the role;",
        "",
        "3. Invites cooperation;",
        "Among them:",
        "• Kazakhstan;",
        "4. Decides to continue.",
    ]


def _numbering(abstract: str, nums: str) -> bytes:
    return f'<w:numbering xmlns:w="{W}">{abstract}{nums}</w:numbering>'.encode()


def _lvl(ilvl: int, fmt: str, text: str, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def _para(num_id: str | None, ilvl: int | None = None, style: str | None = None) -> object:
    from lxml import etree

    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num_id is not None:
        level = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
        ppr += f'<w:numPr>{level}<w:numId w:val="{num_id}"/></w:numPr>'
    return etree.fromstring(f'<w:p xmlns:w="{W}"><w:pPr>{ppr}</w:pPr></w:p>')


def test_word_numbering_counts_levels_restarts_and_continues() -> None:
    """Two lists on one definition continue each other unless one restarts; a deeper
    level starts again after a shallower one; ``%1.%2`` draws each level in its format
    (in digits where the level is legal); ``numId`` 0 takes a paragraph out of the list."""
    from align.readers.wordnum import Numbering

    levels = (
        _lvl(0, "upperRoman", "%1.")
        + _lvl(1, "upperLetter", "%2.", '<w:suff w:val="space"/>')
        + _lvl(2, "lowerLetter", "(%3)", '<w:suff w:val="nothing"/>')
        + _lvl(3, "decimal", "%1.%4", "<w:isLgl/>")
    )
    numbering = Numbering(
        _numbering(
            f'<w:abstractNum w:abstractNumId="7">{levels}</w:abstractNum>',
            '<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>'
            '<w:num w:numId="2"><w:abstractNumId w:val="7"/></w:num>'
            '<w:num w:numId="3"><w:abstractNumId w:val="7"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>',
        )
    )
    paragraphs = [
        ("1", 0), ("1", 1), ("1", 2), ("1", 2), ("1", 1), ("1", 2), ("0", 0), (None, None),
        ("2", 0), ("2", 1), ("1", 3), ("3", 0), ("3", 1), ("9", 0),
    ]  # fmt: skip
    assert [numbering.label(_para(n, lvl)) for n, lvl in paragraphs] == [
        "I. ", "A. ", "(a)", "(b)", "B. ", "(a)", "", "",
        "II. ", "A. ", "2.1 ", "I. ", "A. ", "",
    ]  # fmt: skip


def test_word_numbering_from_a_style_chain_and_in_chinese() -> None:
    """A style based on a numbered style is numbered too, at the level whose ``pStyle``
    names it; Chinese counting and symbol-font bullets print as Word draws them."""
    from align.readers.wordnum import Numbering

    styles = (
        f'<w:styles xmlns:w="{W}">'
        '<w:style w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr>'
        '</w:style><w:style w:styleId="UNHeading"><w:basedOn w:val="Heading1"/></w:style>'
        '<w:style w:styleId="Sub"><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr>'
        "</w:style></w:styles>"
    ).encode()
    wingdings = '<w:pStyle w:val="Sub"/><w:rPr><w:rFonts w:ascii="Wingdings"/></w:rPr>'
    levels = (
        _lvl(0, "chineseCounting", "%1、", '<w:pStyle w:val="Heading1"/>')
        + _lvl(1, "bullet", "\uf0b7")
        + _lvl(2, "bullet", "§", wingdings)
    )
    numbering = Numbering(
        _numbering(
            f'<w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>',
            '<w:num w:numId="4"><w:abstractNumId w:val="0"/></w:num>',
        ),
        styles,
    )
    labels = [numbering.label(_para(None, style="UNHeading")) for _ in range(12)]
    assert labels[:2] + labels[9:] == ["一、 ", "二、 ", "十、 ", "十一、 ", "十二、 "]
    assert numbering.label(_para("4", 1)) == "• "
    assert numbering.label(_para(None, style="Sub")) == "▪ "
    assert numbering.label(_para(None, style="Heading1")) == "十三、 "


@pytest.mark.parametrize(
    ("fmt", "counts"),
    [
        ("lowerRoman", {4: "iv", 9: "ix", 14: "xiv", 1990: "mcmxc"}),
        ("lowerLetter", {1: "a", 26: "z", 27: "aa", 53: "aaa"}),
        ("chineseCounting", {10: "十", 20: "二十", 105: "一百零五", 1010: "一千零一十"}),
        ("russianLower", {1: "а", 3: "в"}),
        ("decimalEnclosedCircle", {1: "①", 20: "⑳", 21: "21"}),
        ("decimalFullWidth", {12: "１２"}),
        ("ideographTraditional", {1: "甲", 11: "甲"}),
    ],
)
def test_word_number_formats(fmt: str, counts: dict[int, str]) -> None:
    from align.readers.wordnum import FORMATS

    assert {n: FORMATS[fmt](n) for n in counts} == counts


def test_docx_that_is_not_a_docx(tmp_path: Path) -> None:
    assert "not a valid .docx" in error_for(write(tmp_path, "fake.docx", "大会，".encode()))


def test_a_damaged_package_is_told_in_plain_words(tmp_path: Path) -> None:
    """A translator read ``(File is not a zip file)`` and, for a missing part, zipfile's
    KeyError in its repr quotes: ``("There is no item named '[Content_Types].xml' in the
    archive")``; a bare exception was named by its class (``IndexError``)."""
    import zipfile

    renamed = error_for(write(tmp_path, "renamed.docx", b"PK\x03\x04not a zip at all"))
    assert "is not a valid .docx (damaged, or another kind of file renamed): " in renamed
    for suffix, part in ((".docx", "[Content_Types].xml"), (".pptx", "ppt/presentation.xml")):
        with zipfile.ZipFile(tmp_path / f"partless{suffix}", "w") as package:
            package.writestr("other.xml", "<a/>")
        message = error_for(tmp_path / f"partless{suffix}")
        assert (
            f"is not a valid {suffix} (damaged: There is no item named '{part}' in the "
            "archive): " in message
        )
        assert '"' not in message
    docx = pytest.importorskip("docx")
    docx.Document().save(str(tmp_path / "whole.docx"))
    with zipfile.ZipFile(tmp_path / "whole.docx") as whole:
        parts = {item.filename: whole.read(item) for item in whole.infolist()}
    parts["word/document.xml"] = parts["word/document.xml"][:200]  # cut inside a tag
    with zipfile.ZipFile(tmp_path / "cut.docx", "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    message = error_for(tmp_path / "cut.docx")
    assert (
        "is not a valid .docx (damaged: one of its parts is garbled at line 2, column " in message
    )
    assert "AttValue" not in message  # lxml's words
    from align.readers.base import damage

    assert damage(IndexError()) == "damaged"
    assert damage(KeyError("rId7")) == "damaged: it refers to a part it lacks (rId7)"


def test_docx_with_no_text(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    assert "no text" in error_for(path)


def test_docx_without_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)
    message = error_for(write(tmp_path, "a.docx", b"PK\x03\x04"))
    assert "reading .docx needs the 'docx' extra: pip install 'un-align[docx]'" in message


# --- .doc, .rtf, .odt (through LibreOffice) -------------------------------------------------


def _report_docx(path: Path) -> Path:
    """A report excerpt as Word writes it: numbered paragraphs, a bullet, a footnote."""
    import docx

    body = [
        '<w:r><w:t xml:space="preserve">The Secretary-General reports on cooperation.</w:t>'
        '</w:r><w:r><w:footnoteReference w:id="1"/></w:r>',
        "<w:r><w:t xml:space='preserve'>Coverage reached </w:t></w:r>"
        "<w:r><w:sym w:font='Symbol' w:char='F0B3'/></w:r>"
        "<w:r><w:t xml:space='preserve'> 95 per cent.</w:t></w:r>",
    ]
    notes = {"footnotes": _note("footnote", 1, "Resolution 70/1.")}
    _docx_with_notes(path, body, notes)
    document = docx.Document(str(path))
    document.add_paragraph("Member States met twice.", style="List Number")
    document.add_paragraph("The Council took note.", style="List Number")
    document.add_paragraph("Kazakhstan", style="List Bullet")
    document.add_paragraph("大会，第77/1号决议。")
    document.save(str(path))
    return path


@needs_office
@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".odt"])
def test_office_formats_read_as_the_docx_they_were_saved_from(tmp_path: Path, suffix: str) -> None:
    from docx_corpus import office_copy

    original = _report_docx(tmp_path / "report.docx")
    expected = read_document(original, "en").text
    assert expected.split("\n") == [
        "The Secretary-General reports on cooperation.",
        "Coverage reached ≥ 95 per cent.",
        "1. Member States met twice.",
        "2. The Council took note.",
        "• Kazakhstan",
        "大会，第77/1号决议。",
        "",
        "__________",
        "1 Resolution 70/1.",
    ]
    copy = office_copy(original, suffix, tmp_path)
    doc = read_document(copy, "en")
    assert (doc.text, doc.encoding, doc.layout) == (
        expected,
        f"{suffix[1:]} via LibreOffice",
        "paragraphs",
    )
    assert not list(tmp_path.glob("report*.docx"))[1:], "nothing is written beside the input"
    if suffix != ".odt":  # a zip file, which without its suffix is taken for a .docx
        misnamed = copy.rename(tmp_path / "report.bin")
        assert read_document(misnamed, "en").text == expected


def test_office_formats_without_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from align.readers import office

    monkeypatch.setattr(office, "office_program", lambda: None)
    message = error_for(write(tmp_path, "A_60_1.zh.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"))
    assert "reading .doc files needs LibreOffice: install LibreOffice (on Debian" in message
    assert "or save it as .docx" in message


def test_each_process_converts_with_a_libreoffice_profile_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two LibreOffice instances on one profile wait on each other or fail; a child
    process forked after the parent converted a file must not share the parent's."""
    from align.readers import office

    mine = office._profile_dir()
    assert mine.is_dir() and office._profile_dir() == mine
    monkeypatch.setattr(office.os, "getpid", lambda: -1)
    child = office._profile_dir()
    assert child != mine and child.is_dir()


def test_libreoffice_is_found_where_its_installer_puts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On macOS and Windows LibreOffice is not on the PATH."""
    from align.readers import office

    app = tmp_path / "LibreOffice.app" / "Contents" / "MacOS" / "soffice"
    app.parent.mkdir(parents=True)
    app.write_text("#!/bin/sh\n")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(office, "PLACES", (str(tmp_path / "missing"), str(app)))
    assert office.office_program() == str(app)
    monkeypatch.setattr(office, "PLACES", (str(tmp_path / "missing"),))
    assert office.office_program() is None


@needs_office
def test_office_file_that_is_not_one(tmp_path: Path) -> None:
    path = write(tmp_path, "old.en.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00junk" * 200)
    message = error_for(path, "en")
    assert "is not a Word 97-2003 document LibreOffice can read" in message
    assert message.endswith("open it and save it as .docx, or supply it as .txt or .pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.en.doc"]


# --- pdf ------------------------------------------------------------------------------------


def _pdf(pages: list[str]) -> bytes:
    """A minimal valid PDF with one line of Helvetica text per page."""
    count = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, text in enumerate(pages):
        stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    return assemble(objects)


def test_pdf_pages_in_order(tmp_path: Path) -> None:
    path = write(tmp_path, "doc.pdf", _pdf(["The General Assembly,", "Recalling resolution 59/48"]))
    doc = read_document(path, "en")
    assert doc.encoding == "pdf"
    assert doc.text.split("\n") == ["The General Assembly,", "\fRecalling resolution 59/48"]


def test_pdf_lines_starting_right_of_the_left_edge_are_indented(tmp_path: Path) -> None:
    """pypdf drops where a line starts; the reader puts back a leading space for a line
    that starts an em or more right of the page's left edge and of the line above or
    below it, as a paragraph's first line does, so the cleaner can tell paragraphs apart."""
    text = "\n".join(
        [
            "the last line of a paragraph from the page before,",
            " The General Assembly,",
            " Recalling that one of the purposes of the United Nations is to achieve",
            "cooperation in solving international problems,",
            " Noting the qualitative enhancement of cooperation among the States",
            "members of the Organization,",
            "1 Resolution 70/1.",
        ]
    )
    doc = read_document(un_pdf(text, tmp_path / "indent.pdf"), "en")
    assert doc.text.split("\n") == text.split("\n")


def test_pdf_headings_left_of_a_block_indented_body_do_not_make_it_indented(
    tmp_path: Path,
) -> None:
    """A report sets its body as an indented block, with headings out at the margin; on a
    short page the headings are not the left edge its lines start from."""
    body = [
        "   1. The present report is submitted pursuant to General Assembly resolution",
        "   75/268, in which the Assembly requested a report on its implementation.",
        "   2. The report describes the cooperation between the United Nations and the",
        "   Shanghai Cooperation Organization during the period under review.",
    ]
    rows = ["I. Introduction", *body, "II. Cooperation", *body, *body[:2]]
    doc = read_document(un_pdf("\n".join(rows), tmp_path / "report.pdf"), "en")
    assert doc.text.split("\n") == [row.strip() for row in rows]


def test_pdf_text_drawn_turned_gets_no_indents(tmp_path: Path) -> None:
    """Text set a quarter turn round (a landscape table on an upright page) runs up the
    page: its lines' x positions are where they stand side by side, not indents."""
    rows = ["Annex", "Contributions received", "as at 31 December 2022", "Member States"]
    doc = read_document(un_pdf("\n".join(rows), tmp_path / "turned.pdf", turned=True), "en")
    assert doc.text.split("\n") == rows


def test_pdf_in_arabic_gets_no_indents_from_the_left_edge(tmp_path: Path) -> None:
    """A right-to-left paragraph's short last line starts right of the others; read as an
    indent, it would open a paragraph of its own. (A PDF draws Arabic in visual order,
    which pypdf turns back into reading order.)"""
    rows = [
        "إذ تشير إلى أن أحد مقاصد الأمم المتحدة هو تحقيق التعاون الدولي في حل المسائل الدولية",
        " ذات الصبغة الاقتصادية والاجتماعية والثقافية والإنسانية،",
        "وإذ تشير أيضا إلى مواد ميثاق الأمم المتحدة التي تشجع الأنشطة من خلال التعاون الإقليمي",
        " من أجل تعزيز مقاصد الأمم المتحدة ومبادئها،",
    ]
    drawn = [row[: len(row) - len(row.lstrip())] + row.strip()[::-1] for row in rows]
    doc = read_document(un_pdf("\n".join(drawn), tmp_path / "ar.pdf", cjk=True), "ar")
    assert doc.text.split("\n") == [row.strip() for row in rows]


def test_pdf_in_arabic_drawn_piece_by_piece_from_the_left_reads_right_to_left(
    tmp_path: Path,
) -> None:
    """A line drawn in pieces from its left end, each in visual order, as LibreOffice
    draws a justified Arabic line cut at each kashida (which its font draws as ``$``),
    with a date's figures in pieces of their own. pypdf joins the pieces as drawn: the
    words came back in reverse order and the spaces beside the figures on the wrong
    side (``المؤرخ2  كانون``)."""
    from pdf_corpus import _cid, _to_unicode

    pieces = [  # in reading order; the kashida's $ inside a word
        "وإذ تشير إلى قرارها ",
        "59/48",
        " المؤرخ ",
        "2",
        " كانون الثاني/ين",
        "$$",
        "اير ",
        "2004",
        "، الذي منحت",
    ]
    line = "وإذ تشير إلى قرارها 59/48 المؤرخ 2 كانون الثاني/يناير 2004، الذي منحت"
    x, drawn = 500.0, []
    for piece in pieces:  # each placed left of the one before; Arabic drawn reversed
        x -= 6 * len(piece)
        drawn.append((x, piece if piece[0].isdigit() or piece[0] == "$" else piece[::-1]))
    drawn.reverse()  # drawn from the left
    text = "".join(piece for _, piece in drawn)
    cmap = _to_unicode(text)
    ops = [f"BT {x} 700 Td /F1 12 Tf {_cid(p)} Tj ET" for x, p in drawn]  # as LibreOffice
    stream = "\n".join(ops).encode("latin-1")
    path = tmp_path / "ar.pdf"
    path.write_bytes(
        assemble(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 4 0 R >> >> /Contents 7 0 R >>",
                b"<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H "
                b"/DescendantFonts [5 0 R] /ToUnicode 6 0 R >>",
                b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial /DW 1000 "
                b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
                b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
                b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
            ]
        )
    )
    assert read_document(path, "ar").text.strip() == line


def _laid_out(
    tmp_path: Path, lang: str, paragraphs: list[str], justified: bool = True
) -> list[str]:
    """``paragraphs`` laid out by LibreOffice (first lines indented; justified, or aligned to
    the side the text starts at; right to left for Arabic) and read back as cleaned blocks."""
    docx = pytest.importorskip("docx")
    pytest.importorskip("pypdf")
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from docx_corpus import office_copy

    from align.clean import clean

    rtl = lang == "ar"
    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(36)
        paragraph.alignment = (
            WD_ALIGN_PARAGRAPH.JUSTIFY
            if justified
            else WD_ALIGN_PARAGRAPH.RIGHT
            if rtl
            else WD_ALIGN_PARAGRAPH.LEFT
        )
        run = paragraph.add_run(text)
        if rtl:
            paragraph._p.get_or_add_pPr().append(paragraph._p.makeelement(qn("w:bidi"), {}))
            run._r.get_or_add_rPr().append(run._r.makeelement(qn("w:rtl"), {}))
    document.save(str(tmp_path / f"{lang}.docx"))
    pdf = office_copy(tmp_path / f"{lang}.docx", ".pdf", tmp_path)
    return [b.text for b in clean(read_document(pdf, lang)).blocks]


ARABIC = [
    "الدورة السابعة والسبعون",
    "البند 127 (ق) من جدول الأعمال",
    "إن الجمعية العامة،",
    "إذ تشير إلى أن أحد مقاصد الأمم المتحدة هو تحقيق التعاون الدولي في صون السلام والأمن "
    "الدوليين وفي حل المسائل الدولية ذات الصبغة الاقتصادية والاجتماعية والثقافية والإنسانية،",
    "وإذ تشير أيضا إلى قرارها 59/48 المؤرخ 2 كانون الأول/ديسمبر 2004، الذي منحت بموجبه "
    "منظمة شانغهاي للتعاون مركز المراقب في الجمعية العامة،",
    "1 - تسلم بالدور البناء الذي تضطلع به منظمة شانغهاي للتعاون في كفالة السلام والتنمية "
    "المستدامة وتعزيز التعاون الإقليمي؛",
]


@needs_arabic_layout
@pytest.mark.parametrize("align", ["justified", "right"])
def test_pdf_in_arabic_laid_out_by_libreoffice(tmp_path: Path, align: str) -> None:
    """A/77/L.107's opening in Arabic, set right to left with first lines indented, laid
    out by LibreOffice and read back: each paragraph as typed. Justified, LibreOffice
    stretches lines with kashidas and draws each line in pieces from the left; the
    paragraphs came back with their words in reverse order and ``$$`` between them, and
    right-aligned ones with ``المؤرخ2  كانون الأول/ديسمبر2004 ،``."""
    assert _laid_out(tmp_path, "ar", ARABIC, justified=align == "justified") == ARABIC


UN_OPENINGS = {
    "ru": [
        "Семьдесят седьмая сессия",
        "Генеральная Ассамблея,",
        "ссылаясь на свою резолюцию 59/48 от 2 декабря 2004 года, которой она предоставила "
        "Шанхайской организации сотрудничества статус наблюдателя в Генеральной Ассамблее, и "
        "на социально-экономическое, военно-политическое и научно-техническое сотрудничество "
        "в Азиатско-Тихоокеанском регионе,",
        "1. признает конструктивную роль Шанхайской организации сотрудничества в обеспечении "
        "мира и устойчивого развития, в том числе в торгово-экономической, "
        "финансово-банковской и информационно-коммуникационной областях;",
    ],
    "es": [
        "Septuagésimo séptimo período de sesiones",
        "La Asamblea General,",
        "Recordando también su resolución 59/48, de 2 de diciembre de 2004, por la que otorgó "
        "a la Organización de Cooperación de Shanghái la condición de observadora en la "
        "Asamblea General, y la cooperación técnico-científica, político-militar y "
        "económico-social en la región de Asia y el Pacífico,",
        "1. Reconoce la función constructiva que desempeña la Organización de Cooperación de "
        "Shanghái para garantizar la paz y el desarrollo sostenible;",
    ],
}


@layout_in("ru", "Cyrillic")
@pytest.mark.parametrize("lang", ["ru", "es"])
def test_pdf_in_russian_and_spanish_laid_out_by_libreoffice(tmp_path: Path, lang: str) -> None:
    """Justified, first lines indented: each paragraph as typed. LibreOffice breaks a
    compound adjective at its hyphen (``социально-|экономическое``,
    ``técnico-|científica``), which the cleaner used to take for a broken word."""
    assert _laid_out(tmp_path, lang, UN_OPENINGS[lang]) == UN_OPENINGS[lang]


def _drawn_page(rows: list[tuple[float, float, str]], x: float = 72) -> bytes:
    """A one-page PDF drawing each ``(y, size, text)`` in Helvetica, ``x`` from the left;
    a text that is a list of ``(x, text)`` draws each piece where it says."""
    from pdf_corpus import _latin

    ops = ["BT"]
    for y, size, text in rows:
        for at, piece in [(x, text)] if isinstance(text, str) else text:
            ops.append(f"/F1 {size} Tf 1 0 0 1 {at} {y} Tm {_latin(piece)} Tj")
    stream = "\n".join([*ops, "ET"]).encode("latin-1")
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        ]
    )


def test_pdf_paragraphs_set_apart_by_space_and_footnotes_in_small_type(tmp_path: Path) -> None:
    """A word processor's PDF sets paragraphs apart by space, not a first-line indent, and
    draws the rule above the footnotes as a line: the reader marks each paragraph's first
    line as indented and types the rule above the first small-type line with a mark (a
    running footer under the notes, in any type, notwithstanding)."""
    rows = [
        (800, 10, "A/77/L.107"),
        (760, 11, "The General Assembly,"),
        (735, 11, "Recalling its resolution 59/48 of 2 December 2004, by which it granted"),
        (720.5, 11, "observer status to the Organization,"),
        (706, 11, "Noting that the Organization is committed to the purposes and"),
        (691.5, 11, "principles of the United Nations,"),
        (667, 11, "Welcoming the commitment of its members to the Treaty,"),
        (120, 9, "1 Resolution 70/1."),
        (109, 9, "2 United Nations, Treaty Series, vol. 2896, No. 50518, and vol. 729,"),
        (98, 9, "No. 10485."),
        (60, 11, "23-16564"),
    ]
    doc = read_document(write(tmp_path, "spaced.pdf", _drawn_page(rows)), "en")
    assert doc.text.split("\n") == [
        "A/77/L.107",
        "The General Assembly,",
        " Recalling its resolution 59/48 of 2 December 2004, by which it granted",
        "observer status to the Organization,",
        "Noting that the Organization is committed to the purposes and",
        "principles of the United Nations,",
        " Welcoming the commitment of its members to the Treaty,",
        "__________",
        " 1 Resolution 70/1.",
        "2 United Nations, Treaty Series, vol. 2896, No. 50518, and vol. 729,",
        "No. 10485.",
        " 23-16564",
    ]


def test_pdf_paragraph_running_on_below_a_page_header_is_not_set_apart(tmp_path: Path) -> None:
    """A page's running header stands apart from the text below it whether a paragraph
    starts there or runs on from the page before: the gap under it marks nothing."""
    rows = [
        (800, 10, "A/77/L.107"),
        (760, 11, "cooperation in the maintenance of international peace and security,"),
        (745.5, 11, "and in solving international problems,"),
        (721, 11, "Recalling also the Articles of the Charter of the United Nations that"),
        (706.5, 11, "encourage activities through regional cooperation,"),
        (682, 11, "Recalling further its resolution 59/48,"),
    ]
    doc = read_document(write(tmp_path, "header.pdf", _drawn_page(rows)), "en")
    assert [line[:12] for line in doc.text.split("\n")] == [
        "A/77/L.107",
        "cooperation ",
        "and in solvi",
        " Recalling a",
        "encourage ac",
        " Recalling f",
    ]


def test_pdf_table_cells_become_lines_of_their_own(tmp_path: Path) -> None:
    """Pieces of a line far apart, where other lines have a piece starting or ending at
    the same place (left- or right-aligned columns), are a table's cells: each is a
    paragraph, as a .docx's cell is. A wide gap in one line alone, or after a footnote's
    mark, parts nothing."""

    def right(end: float, text: str) -> tuple[float, str]:  # a right-aligned cell
        return end - 11 * sum(0.278 if ch == " " else 0.556 for ch in text), text

    rows = [
        (760, 11, "Contributions received in 2022, by region (millions of dollars)."),
        (735, 11, [(72, "Region"), (220, "2021"), right(400, "2022")]),
        (720, 11, [(72, "Asia and the Pacific"), (220, "520"), right(400, "1 600")]),
        (705, 11, [(72, "Europe"), (220, "470"), right(400, "49")]),
        (680, 11, [(72, "Africa and Asia accounted"), (300, "for most of the increase.")]),
        (100, 9, [(72, "1"), (90, "Resolution 70/1.")]),
    ]
    doc = read_document(write(tmp_path, "table.pdf", _drawn_page(rows)), "en")
    assert doc.text.split("\n") == [
        "Contributions received in 2022, by region (millions of dollars).",
        " Region",
        " 2021",
        " 2022",
        " Asia and the Pacific",
        " 520",
        " 1 600",
        " Europe",
        " 470",
        " 49",
        " Africa and Asia accounted for most of the increase.",
        "__________",
        " 1 Resolution 70/1.",
    ]


def test_pdf_symbol_font_codes_are_the_characters_they_draw(tmp_path: Path) -> None:
    """Word's PDFs map a Symbol or Wingdings glyph to its private-use code (U+F0B3 for
    ``≥``): the TM gets the character the font draws. A private-use character in any other
    font (a rare ideograph GB18030 puts there, a company's logo glyph) is kept."""
    from pdf_corpus import _cid, _latin, _to_unicode

    def cid_font(name: str, cmap: int) -> bytes:
        return (
            b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
            b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] "
            b"/ToUnicode %d 0 R >>" % (name.encode(), name.encode(), cmap)
        )

    cmap = _to_unicode("\uf0b3\uf0a7\ue81e\uf0e0")
    lines = [
        [("F1", "Coverage reached "), ("F2", "\uf0b3"), ("F1", " 95 per cent.")],
        [("F3", "\uf0a7"), ("F1", " Kazakhstan")],
        [("F4", "\ue81e\uf0e0")],
    ]
    ops = ["BT"]
    for row, line in enumerate(lines):
        ops.append(f"1 0 0 1 72 {760 - 14 * row} Tm")
        for font, text in line:
            ops.append(f"/{font} 10.5 Tf {_cid(text) if font != 'F1' else _latin(text)} Tj")
    stream = "\n".join([*ops, "ET"]).encode("latin-1")
    fonts = b"/F1 4 0 R /F2 5 0 R /F3 6 0 R /F4 7 0 R"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << %s >> >> /Contents 8 0 R >>" % fonts,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        cid_font("ABCDEF+SymbolMT", 9),
        cid_font("GHIJKL+Wingdings-Regular", 9),
        cid_font("SimSun", 9),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
    ]
    path = tmp_path / "symbols.pdf"
    path.write_bytes(assemble(objects))
    assert read_document(path, "en").text.split("\n") == [
        "Coverage reached ≥ 95 per cent.",
        "▪ Kazakhstan",
        "\ue81e\uf0e0",
    ]


def test_pdf_found_by_content_when_the_suffix_is_unknown(tmp_path: Path) -> None:
    path = write(tmp_path, "A_77_L.107", _pdf(["Draft resolution"]))
    assert reader_for(path) is READERS[".pdf"]
    assert read_document(path, "en").text == "Draft resolution"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as stream:
        writer.write(stream)
    message = error_for(path)
    assert "has no text layer (scanned?): run OCR first, or supply the .txt/.docx" in message


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
@pytest.mark.parametrize("password", ["secret", ""])
def test_encrypted_pdf(tmp_path: Path, password: str, algorithm: str) -> None:
    """A PDF secured against editing opens with no password; LibreOffice encrypts
    with RC4, Acrobat and Word with AES (which pypdf needs ``cryptography`` for)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(["Draft resolution"]))))
    writer.encrypt(user_password=password, owner_password="owner", algorithm=algorithm)
    path = tmp_path / "locked.pdf"
    with path.open("wb") as stream:
        writer.write(stream)
    if password:
        assert "is password-protected" in error_for(path)
    else:
        assert read_document(path, "en").text == "Draft resolution"


def test_pdf_that_is_not_a_pdf(tmp_path: Path) -> None:
    assert "not a valid PDF" in error_for(write(tmp_path, "fake.pdf", b"just some text\n" * 3))


def test_pdf_without_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)
    message = error_for(write(tmp_path, "a.pdf", _pdf(["x"])))
    assert "reading .pdf needs the 'pdf' extra: pip install 'un-align[pdf]'" in message


# --- registry -------------------------------------------------------------------------------


def test_registry_maps_suffixes_case_insensitively(tmp_path: Path) -> None:
    assert {".txt", ".docx", ".pdf"} <= READERS.keys()
    for suffix, reader in READERS.items():
        assert suffix in reader.suffixes
    path = write(tmp_path, "EN.TXT", b"Hello\n")
    assert reader_for(path) is READERS[".txt"]
    assert read_document(path, "en").text == "Hello\n"


# --- long reports: notes numbered past 999 ---------------------------------------------------

_LONG_BODY: list[tuple[float, float, str]] = [
    (760, 11, "The Committee considered the report and welcomed the information provided by"),
    (745.5, 11, "the State party on the measures it has taken.1012 It requested further"),
    (731, 11, "information on its recommendations, as in document CCPR/C/SR.2023 and in"),
    (716.5, 11, "resolution A/RES/2023 (2023), and on the measures it took.1013"),
]


@pytest.mark.parametrize("glued", [False, True], ids=["spaced", "glued"])
def test_pdf_notes_numbered_past_999_in_small_type_are_notes(tmp_path: Path, glued: bool) -> None:
    """Notes 1012 and 1013 of a long report, in small type at the page's foot, their marks
    set apart from the note's first word (Word) or against it (LibreOffice): the rule goes
    above them and a space after a glued mark, as for notes 1 and 2. The marks stopped at
    three figures, and the notes were read as body text."""
    space = "" if glued else " "
    notes: list[tuple[float, float, str]] = [
        (120, 9, f"1012{space}See the summary record of the meeting, document CCPR/C/SR.1012."),
        (109, 9, f"1013{space}Ibid., paragraph 4."),
    ]
    doc = read_document(write(tmp_path, "long.pdf", _drawn_page(_LONG_BODY + notes)), "en")
    assert [line.strip() for line in doc.text.split("\n")][-3:] == [
        "__________",
        "1012 See the summary record of the meeting, document CCPR/C/SR.1012.",
        "1013 Ibid., paragraph 4.",
    ]


def test_pdf_small_type_opening_with_a_year_the_body_cites_is_no_note(tmp_path: Path) -> None:
    """A line of small type at the foot opening with a year the body cites (``(2023)``,
    ``A/RES/2023``, ``SR.2023 and``) is no note 2023: a mark of four figures stands glued
    to a word or to the stop that ends it."""
    foot: list[tuple[float, float, str]] = [
        (120, 9, "2023 was the warmest year on record, as the body says."),
        (109, 9, "2023Report of the Committee, chapter II."),
    ]
    doc = read_document(write(tmp_path, "year.pdf", _drawn_page(_LONG_BODY[2:] + foot)), "en")
    lines = [line.strip() for line in doc.text.split("\n")]
    assert "__________" not in lines
    assert lines[-2:] == [row[2] for row in foot]


@needs_office
def test_pdf_of_a_long_report_laid_out_by_libreoffice_keeps_its_notes(tmp_path: Path) -> None:
    """Two volumes of a long report as Word files, their footnotes numbered from 995 and
    (numbering going on from the earlier volumes) from 1012, laid out by LibreOffice: notes
    in small type under a drawn rule, each mark glued to the note's first word
    (``1012See``). Every note is a note with its text, every mark out of the body. From
    1000 on, the notes were left in the body, and from 1012 all of them."""
    pytest.importorskip("docx")
    from docx_corpus import office_copies
    from long_corpus import assert_notes, report_docx

    from align.clean import clean

    count = 12
    firsts = [995, 1012]
    docs = [report_docx(tmp_path / f"vol{first}.docx", first, count) for first in firsts]
    for first, pdf in zip(firsts, office_copies(docs, ".pdf", tmp_path), strict=True):
        assert_notes(clean(read_document(pdf, "en")), first, count)
