"""The clean stage: turn a UN document's PDF text extraction into paragraphs.

A UN PDF extraction carries page furniture (document symbol, page counter
``2/4``, job number ``23-16564 (E) 070723``, barcode ``*2316564*``, "Please
recycle"), footnotes under a ``______`` rule, link lines left by the PDF's link
annotations (``https://undocs.org/...``), footnote reference marks glued to the
text, and lines broken mid-paragraph (a blank line between every two lines, a
leading space on a paragraph's first line only). :func:`clean` undoes all of
that and returns headings, body paragraphs and footnotes as separate blocks.

Every character of the raw text is accounted for exactly once: it is either
copied verbatim into ``CleanDocument.text`` (``CleanDocument.spans`` says where
from) or covered by one :class:`~align.types.Removal` saying why it went. The
only characters of ``text`` that are not raw characters are inserted ones: the
``"\\n"`` between blocks and the single space that joins two lines of a
space-separated language (or two Latin words across a Chinese line break).
"""

from __future__ import annotations

import re
import shlex
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from urllib.parse import unquote

from align.languages import CJK_LANGS, CJK_TEXT, NO_SPACE_LANGS, base_language, display_width
from align.types import Block, BlockKind, CleanDocument, Layout, RawDocument, Removal

KEPT = "kept"

REASONS: dict[str, str] = {
    "blank-line": "empty or space-only lines",
    "line-break": "newlines, and indentation of lines joined to the line before",
    "whitespace": "leading/trailing spaces, indentation of paragraph starts, runs of spaces, "
    "tabs between words",
    "page-break": "form feeds between pages",
    "page-header": "document symbols in page headers/footers (e.g. A/77/L.107)",
    "page-counter": "page counters (e.g. 2/4)",
    "job-number": "job numbers with language and dates (e.g. 23-16564 (E) 070723, "
    "GE.23-12345 (F) 150923 190923)",
    "barcode": "barcodes (e.g. *2316564*)",
    "recycle": "'Please recycle' notices",
    "masthead": "first-page masthead lines (Distr., Original:, date, language, organ)",
    "footnote-rule": "the ______ rule above each page's footnotes",
    "rule": "a ______ rule typed between paragraphs, above no footnotes",
    "footnote-mark": "the mark opening each footnote (kept in the footnote's label: "
    "[N footnote 1])",
    "footnote-ref": "footnote reference marks glued to the text (listed below, in order)",
    "link": "URL lines left by the PDF's links (kept with their paragraph: the TM gives "
    "them as x-link)",
    "stray-space": "spaces the PDF's text put between Chinese and digits or Latin letters",
    "hyphen": "end-of-line hyphens of words broken across lines",
    "invisible": "zero-width spaces, soft hyphens and byte-order marks inside the text",
    "kashida": "Arabic elongation marks (tatweel) that justify a line, not spell a word",
    "toc-leader": "a table of contents' dot leaders and page numbers (. . . . . 3)",
    "page-number": "page numbers at the top or foot of each page (- 2 -, Page 2 of 9, 第2页)",
    "running-head": "a line repeated at the top or foot of page after page (a report's title)",
}

_TOC_LEADER = re.compile(r"\s*(?:[.．·・…⋯‥]\s?){4,}\s*(?:\d{1,4}|[ivxlcdm]{1,7})$")
"""A table of contents entry's dot leader and page number (``I. Introduction . . . . 3``):
the page differs between language versions, and the leader is no text."""
_TOC_LEADER_REVERSED = re.compile(r"(?:\d{1,4}|[ivxlcdm]{1,7})\s*(?:\s?[.．·・…⋯‥]){4,}\s*")
""":data:`_TOC_LEADER` read backwards, matched at the start of a line reversed."""
_CONTENTS_LINE = re.compile(
    r"^(?:(?:Table\s+of\s+)?[Cc]ontents|Pages?|目\s*[录錄]|[页頁]\s*次|Table\s+des\s+matières"
    r"|Índice|Página|Содержание|Стр\.|المحتويات|الصفحة)$"
)
"""The heading of a table of contents and of its page column, each a paragraph of its own:
a page sets them apart by their size and place, which the text does not keep."""
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*(\d{1,4})\s*[-–—]"
    r"|(?i:page|p\.|pg\.?|página|pagina|seite|стр\.|страница|صفحة)\s*(\d{1,4})"
    r"(?:\s*(?i:of|/|de|sur|von|di|из|من)\s*\d{1,4})?"
    r"|第\s*(\d{1,4})\s*[页頁](?:\s*[，,]?\s*共\s*\d{1,4}\s*[页頁])?"
    r"|(\d{1,3}))$"
)
"""A line that is only a page's number, as other publishers than the UN print it
(``- 2 -``, ``Page 2 of 9``, ``第 2 页，共 9 页``, ``2``). It is furniture where it stands
at the top or foot of its page and counts the pages (:meth:`_Cleaner._page_numbers`)."""
RUNNING_HEAD_PAGES = 3
"""Pages a line must head or foot to be a running head."""
_INDENT_CHARS = " \t\u3000\xa0"
_INDENT_CUES = 0.03
"""Share of lines that must be indented for indentation to be what marks paragraph starts."""
_INVISIBLE = frozenset("\u200b\u00ad\u2060\ufeff")
_KASHIDA = "\u0640"
_NO_BREAK = frozenset("\xa0\u2007\u202f")
_HYPHENS = "-\u2010"
_TERMINAL = "。；：;:.!?！？，,،؛؟۔"
_SENTENCE_END = re.compile(r"[。！？.!?…][”’\"'）)」』»]*$")
_TRAILING_MARK = re.compile(rf"(?<=[{_TERMINAL}])(?:\d{{1,3}}|\*+)$")
"""A footnote mark glued after a line's final punctuation (``Development,1``)."""
_HEADING_CONTINUES = ":：、,，;；،؛-\u2010–"
_CONNECTORS = frozenset(
    "and or of the for on in to with between by from at et de des du la le les und der die".split()
)
_UNITS_ZH = frozenset(
    "年月日号號卷次届屆条條款段项項章节節个個名人国國万萬亿億千百十时時分秒岁歲周週期页頁点點部份场場轮輪"
)
_MEASURE_WORDS_ZH = frozenset("家位种種类類所件倍批张張册冊辆輛架艘枚篇封例笔筆间間户戶吨噸")
"""Measure words and units a figure counts with (``有2家公司``, ``3位专家``, ``两倍``), besides
:data:`_UNITS_ZH`: glued straight to the figure, it is a quantity, not a footnote mark."""
_NOT_MEASURED_ZH = re.compile(
    "家[庭属屬乡鄉园園]|[种種]族|[类類][似别別]|所[有述载載列示称稱指说說提涉需要采採在以得谓謂属屬]"
    "|位[于於]|批[准评評]|例[如外]|[间間]接|架[构構]"
)
"""Words that open with one of :data:`_MEASURE_WORDS_ZH` (``所有``, ``例如``, ``批准``,
``家庭``): a sentence after a footnote mark may start with them."""
_ABBREVIATIONS = frozenset(
    "rev add corr no nos vol vols para paras art arts p pp sect chap amend suppl fig".split()
)
_COMPOUND_FIRST = frozenset(
    """self non co long short follow cross well ex anti counter semi quasi all half
    high low large small medium mid top full decision evidence gender rights open cost conflict
    far ill state fact one two three four five first second third twenty thirty
    forty fifty sixty seventy eighty ninety""".split()
)
_COMPOUND_PREFIXES: dict[str, re.Pattern[str]] = {
    prefix: re.compile(pattern)
    for prefix, pattern in {
        "post": r"(?!pon|ur|ul|er|age|al|grad)[a-z]{3,}",
        "pre": r"e[a-z]{2,}|session\w*|crisis|conflict",
        "re": r"e[a-z]{2,}",
        "inter": r"agenc(?:y|ies)|institutional|missions?|committees?|clusters?|ethnic|party"
        r"|departmental|divisional",
        "intra": r"agenc(?:y|ies)|institutional|party|household|group|community|communal",
        "sex": r"(?!u)[a-z]{4,}",
        "war": r"torn|affected|ravaged|induced|weary",
        "e": r"[a-z]{3,}",
        "multi": r"years?|hazards?|partners?|donors?|country|agency",
    }.items()
}
"""English first parts that make compounds with some second parts only (a suffix of
:data:`_SUFFIXES` never being one): UN documents write ``post-conflict``,
``pre-session``, ``re-elected``, ``inter-agency``, ``sex-disaggregated``, ``war-torn``,
``e-government``, ``multi-year``, but solid ``postpone``, ``prevent``, ``reaffirm``,
``intergovernmental``, ``sexual``, ``warrant``, ``multilateral``, which hyphenation
breaks at the same place (``post-|pone``, ``re-|affirming``). ``re`` and ``pre`` keep
their hyphen before an ``e`` only (``re-establish``, ``pre-existing``), where the UN
writes one to keep the vowels apart."""
_COMPOUND_SECOND = frozenset(
    """based level related led owned making term scale wide oriented sensitive specific
    friendly driven centred centered bound like up ups offs outs depth ended reaching
    called stakeholder stakeholders disaggregated prone induced""".split()
)
_SUFFIXES = frozenset(
    """ing ings ed er ers est ly ness ment ments ity ities ic ics ical ish ist ists ism
    ful less ship ships hood ther thest""".split()
)
"""Endings a word broken by hyphenation leaves on the next line after a first part of
:data:`_COMPOUND_FIRST` (``open-|ing``, ``state-|ment``, ``follow-|ing``, ``far-|ther``)."""
COMPOUND_FIRST_BY_LANGUAGE: dict[str, frozenset[str] | re.Pattern[str]] = {
    "fr": frozenset(
        """non sous vice demi semi quasi ex mi porte contre avant après arrière grand
        deux trois quatre cinq six sept huit neuf dix vingt trente quarante cinquante
        soixante cent""".split()
    ),
    "es": re.compile(r"\w{2,}ico|socio|franco|anglo|hispano|afro"),
    "ru": re.compile(r"\w{2,}(?:н|ск|цк|ов|ев)о"),
}
"""First parts of compounds in other languages, where they differ from English's: French
numbers (``soixante-dix-|neuvième``) and prefixes (``sous-|régionale``); ``anti`` and
``co`` are not, since French writes ``antiterroriste`` and ``coopération`` solid.
Spanish and Russian compound adjectives join a stem in ``-o`` to a word
(``técnico-|científica``, ``социально-|экономическое``, ``торгово-|экономической``):
such a first part is taken as one where the second has five letters or more, since a
word broken by hyphenation leaves a shorter tail there (``ответственно-|сти``)."""

_OPENING = re.compile(
    r"^(?:(?:The\s+)?(?:General\s+Assembly|Security\s+Council|Economic\s+and\s+Social\s+Council"
    r"|Human\s+Rights\s+Council|Trade\s+and\s+Development\s+Board)\s*,"
    r"|(?:大会|安全理事会|安理会|经济及社会理事会|经社理事会|人权理事会"
    r"|大會|安全理事會|安理會|經濟及社會理事會|經社理事會|人權理事會)\s*[，,]"
    r"|(?:L['’]\s*Assemblée\s+générale|Le\s+Conseil\s+de\s+sécurité)\s*,"
    r"|(?:La\s+Asamblea\s+General|El\s+Consejo\s+de\s+Seguridad)\s*,"
    r"|(?:Генеральная\s+Ассамблея|Совет\s+Безопасности)\s*,"
    r"|(?:إن\s+)?(?:الجمعية\s+العامة|مجلس\s+الأمن|المجلس\s+الاقتصادي\s+والاجتماعي"
    r"|مجلس\s+حقوق\s+الإنسان)\s*[،,])$"
)
RULE_LINE = re.compile(r"^(?:_{5,}|[‐‑‒–—―─]{10,})$")
"""A (stripped) line that is the rule above a page's footnotes."""
FOOTNOTE_RULE = "__________"
"""The rule a reader writes above footnotes it knows of (a .docx's notes, a PDF's under
a drawn rule), for the cleaner to find as it finds a UN PDF's typed one."""
_URL = r"(?:https?://|www\.|undocs\.org/)\S+"
_LINK_LINE = re.compile(rf"^{_URL}(?:\s+{_URL})*$")
_URL_TOKEN = re.compile(_URL)
_NUMBERED = re.compile(r"^(?:\d{1,3}\.|\([a-z]{1,4}\)|\([ivx]{1,6}\))\s")
_HEADING_LABEL = re.compile(
    r"^(?:[IVXL]{1,6}\.\s|[A-Z]\.\s|[一二三四五六七八九十]{1,3}(?:、|[.．]\s?))"
)
"""A report's section labels: ``I. Introduction``, ``A. Background``, ``一、导言``, and
``一. 导言`` as the UN's Chinese reports number their chapters."""
_NOTE_START = re.compile(r"^(\*+|\d{1,4})(?:\s+|(?<=\*)(?=\S))(?=\S)")
_OTHER_NOTE = re.compile(r"^(?:[†‡§¶#]{1,3}|[a-z]{1,2}|[ivx]{1,4})\s+\S")
"""A note a reader wrote with another mark than a number or stars (``† text``, ``a text``)."""

_SYMBOL = r"[A-Z]+(?:\.\d+)?(?:/[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?)+"


def _spaced(words: str) -> str:
    """``"大会|中文"`` as a pattern that also takes the letter-spaced ``大 会`` of a masthead."""
    return "|".join(r"\s*".join(word) for word in words.split("|"))


_DATE = (
    r"\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\s+\d{4}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{1,2}(?:er)?\s+(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre"
    r"|novembre|décembre)\s+\d{4}"
    r"|\d{1,2}\s+de\s+(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|sep?tiembre|octubre"
    r"|noviembre|diciembre)\s+de\s+\d{4}"
    r"|\d{1,2}\s+(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября"
    r"|декабря)\s+\d{4}(?:\s+года)?"
    r"|\d{1,2}\s+[\u0621-\u064a]+(?:\s+[\u0621-\u064a]+)?/[\u0621-\u064a]+\s+\d{4}"
)
_LANGUAGE = (
    r"(?:English|French|Spanish|Russian|Arabic|Chinese"
    rf"|{_spaced('中文|英文|法文|俄文|西班牙文|阿拉伯文')}"
    r"|[Ff]rançais|[Aa]nglais|[Ee]spagnol|[Rr]usse|[Aa]rabe|[Cc]hinois"
    r"|[Ee]spañol|[Ii]nglés|[Ff]rancés|[Rr]uso|[Áá]rabe|[Cc]hino"
    r"|[Рр]усский|[Аа]нглийский|[Фф]ранцузский|[Ии]спанский|[Аа]рабский|[Кк]итайский"
    r"|عربي|إنكليزي|انكليزي|فرنسي)"
)
_ORGAN = (
    r"(?:United\s+Nations|General\s+Assembly|Security\s+Council|Economic\s+and\s+Social\s+Council"
    rf"|{_spaced('联合国|大会|安全理事会|经济及社会理事会|聯合國|大會|安全理事會|經濟及社會理事會')}"
    r"|Nations\s+Unies|Assemblée\s+générale|Conseil\s+de\s+sécurité"
    r"|Conseil\s+économique\s+et\s+social"
    r"|Naciones\s+Unidas|Asamblea\s+General|Consejo\s+de\s+Seguridad"
    r"|Consejo\s+Económico\s+y\s+Social"
    r"|Организация\s+Объединенных\s+Наций|Генеральная\s+Ассамблея|Совет\s+Безопасности"
    r"|Экономический\s+и\s+Социальный\s+Совет"
    r"|الأمم\s+المتحدة|الجمعية\s+العامة|مجلس\s+الأمن|المجلس\s+الاقتصادي\s+والاجتماعي)"
)
_ORIGINAL = (
    rf"(?:Original|{_spaced('原文|原件')}|Подлинный\s+текст|الأصل)"
    r"\s*[:：]\s*\w+(?:\s[\u4e00-\u9fff])*"
)
_FURNITURE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern))
    for reason, pattern in (
        ("job-number", r"(?:[A-Z]{1,2}\.)?\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6}){0,2}"),
        ("barcode", r"\*\d{6,9}\*"),
        (
            "recycle",
            r"Please\s+recycle|[请請]回收(?:利用)?|♲|Merci\s+de\s+recycler|Sírvase\s+reciclar"
            r"|Просьба\s+отправить\s+на\s+вторичную\s+переработку|الرجاء\s+إعادة\s+الاستعمال",
        ),
        ("page-header", _SYMBOL),
        ("page-counter", r"(\d{1,3})/(\d{1,3})"),
        ("masthead", rf"Distr\.:?\s*\w+|{_ORIGINAL}"),
        ("organ", _ORGAN),
    )
)
_MASTHEAD_LINE = re.compile(
    rf"^(?:{_DATE}|{_LANGUAGE}|{_ORGAN}(?:\s+{_ORGAN})?|Distr\.:?\s*\w+|{_ORIGINAL})$"
)
_CJK_GAP = re.compile(f"[ \u3000]+(?=[{CJK_TEXT}])|(?<=[{CJK_TEXT}])[ \u3000]+")
_OPENERS = "（《「『【〔〈“‘([{«"
_NUMBER_LINKS = "至和或及到、，；～~–"
_CLOSERS = ")]}\"'”’»》」』】〕〉"
_ADDRESS = re.compile(rf"[{re.escape(_OPENERS)}<]?(?:{_URL}|[\w.+-]+@\S*)")
"""A token that is a web or e-mail address (``https://…/45/``, ``(info@``)."""
_ADDRESS_BREAK = "/@-_.=?&"
_ADDRESS_CHAR = re.compile(r"[\w.+-]")
"""A character of an e-mail address's user name, as :data:`_ADDRESS` takes them."""
_WORD_CHARS = re.compile(r"\w+")
ADDRESS_HEAD = 1 + len("undocs.org/") + 1
"""Characters of a token that tell whether it opens as a web address: an opener, the
longest opening :data:`_URL` takes, one character after it."""
LONG_WORD = 64
"""Letters of a longer word's last part that tell whether it is a compound's first part:
no list holds a word so long, and :data:`COMPOUND_FIRST_BY_LANGUAGE`'s patterns take a
part of word characters by its ending."""
_ADDRESS_START = re.compile(rf"[{re.escape(_OPENERS)}<]?(?:https?://|www\.|undocs\.org/|[\w.+-]+@)")
"""A token that opens like a web or e-mail address, whole or not (``www.``)."""
_NUMBERED_TERM_ZH = re.compile(
    "(?:表|图|圖|框|目标|目標|指标|指標|附件|附录|附錄|专栏|專欄|方案|选项|選項|阶段|階段"
    "|步骤|步驟)$"
)
"""Chinese words a figure numbers (``表1所列``, ``目标2的``): glued to the next character
too, the figure is the table's or the goal's, not a footnote mark."""
_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")


def clean(
    raw: RawDocument | str, lang: str | None = None, layout: Layout | None = None
) -> CleanDocument:
    """Clean a UN document's PDF text (Chinese, English, or another language).

    ``lang`` defaults to the RawDocument's language, or is guessed from the
    share of CJK characters for a plain string. Chinese and Japanese lines are
    joined without a space and lose the stray spaces around CJK characters;
    every other language is joined with one space and has end-of-line
    hyphenation undone (see ``_Cleaner._keep_hyphen``).

    ``layout`` defaults to the RawDocument's (what its reader knows), else
    ``auto``: a text whose lines are often wider than a page holds
    (:func:`one_paragraph_per_line`) was not wrapped, so each line is a paragraph
    of its own instead of being joined to the next. A text given as ``paragraphs``
    (a .docx, a web page, a workbook) has no pages: nothing in it is page furniture,
    and the reader took its notes' marks out of it.
    """
    text = raw.text if isinstance(raw, RawDocument) else raw
    if lang is None:
        lang = raw.lang if isinstance(raw, RawDocument) else _guess_lang(text)
    if layout is None:
        layout = raw.layout if isinstance(raw, RawDocument) else "auto"
    return _Cleaner(text, lang, layout).run()


PAGE_LINE_WIDTH = 140
"""Columns (a CJK character counts two) no line of a PDF page reaches."""


def toc_leader(line: str) -> int:
    """The length of the longest end of ``line`` that is a contents entry's leader and page
    number (:data:`_TOC_LEADER`), 0 if none.

    Matched on the line reversed: searched for forwards, a line of dots or spaces with no
    page number after them (a PDF's leaders for a form to fill in) is tried from each of
    its characters to its end, time growing with the square of its length (10,000 dots
    took 7 s)."""
    found = _TOC_LEADER_REVERSED.match(line[::-1])
    return found.end() if found else 0


def one_paragraph_per_line(lines: list[str]) -> bool:
    """Whether these (stripped, non-blank) lines are whole paragraphs rather than a page's
    wrapped lines.

    A page wraps every line under :data:`PAGE_LINE_WIDTH`; text saved from Word or
    typed in an editor puts each paragraph on one line, and in any document of some
    length a tenth of them are longer than that. A wrapped text with a wide table (as
    ``pdftotext -layout`` writes it) has wide lines too, but far more lines that stop
    mid-sentence at a page's width. A text of short paragraphs (a sentence a line, as
    sentence files and subtitles have them) has no wide line, but nearly every line ends
    a sentence and hardly any stops mid-sentence at a page's width.
    """
    widths = [display_width(line) for line in lines]
    wide = sum(w > PAGE_LINE_WIDTH for w in widths)
    wrapped = sum(
        40 <= w <= PAGE_LINE_WIDTH and not line.endswith(tuple(_TERMINAL))
        for line, w in zip(lines, widths, strict=True)
    )
    if wide > 0 and wide >= 0.1 * len(lines) and wrapped < wide:
        return True
    ended = sum(bool(_SENTENCE_END.search(line)) for line in lines)
    return len(lines) >= 4 and wrapped <= 0.1 * len(lines) and ended >= 0.6 * len(lines)


def explain(doc: CleanDocument) -> list[str]:
    """Human lines saying what was removed and why, grouped by reason, with counts."""
    kinds = Counter(b.kind for b in doc.blocks)
    kept = sum(n for _, _, n in doc.spans)
    total = kept + sum(r.end - r.start for r in doc.removals)
    read_as = "one paragraph per line" if doc.layout == "paragraphs" else "wrapped lines"
    lines = [
        f"kept {kept} of {total} characters in {len(doc.blocks)} paragraphs "
        f"({kinds['heading']} headings, {kinds['body']} of body text, "
        f"{kinds['footnote']} footnotes), read as {read_as}"
    ]
    groups: dict[str, list[Removal]] = {}
    for removal in doc.removals:
        groups.setdefault(removal.reason, []).append(removal)
    for reason, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        chars = sum(r.end - r.start for r in items)
        samples: list[str] = []
        for r in items:
            shown = r.text.strip()
            if shown and repr(shown) not in samples and len(samples) < 3:
                samples.append(repr(shown[:40]))
        detail = f", e.g. {', '.join(samples)}" if samples else ""
        what = REASONS.get(reason, reason)
        unit = "character" if chars == 1 else "characters"
        lines.append(f"{reason}: {len(items)} removed ({chars} {unit}) - {what}{detail}")
    refs = [mark for b in doc.blocks for mark in b.refs]
    if refs:
        lines.append(f"footnote marks removed from the text, in order: {' '.join(refs)}")
    if doc.links:
        attached = sum(len(b.links) for b in doc.blocks)
        kept_with = (
            f"kept {attached} times with the paragraph they belong to"
            if attached
            else "none of them with a paragraph"
        )
        lines.append(f"links taken out of the text: {len(doc.links)} different ones, {kept_with}")
    return lines


def _guess_lang(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    cjk = sum(1 for c in letters if _is_cjk(c))
    return "zh" if letters and cjk / len(letters) > 0.2 else "en"


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3FFFF
    )


def _label(text: str) -> re.Match[str] | None:
    """The paragraph number or section label ``text`` opens with, if any."""
    return _NUMBERED.match(text) or _HEADING_LABEL.match(text)


@dataclass
class _Line:
    """One raw line: where its content sits and what it is."""

    start: int
    end: int
    text: str
    lead: int
    trail: int
    indent: int
    kind: str = "content"
    tokens: list[tuple[int, int, str]] = field(default_factory=list)
    leader: int = 0
    """Characters of a contents entry's leader and page number, inside ``trail``."""

    @property
    def page_start(self) -> bool:
        """Whether a form feed before the line's text says a new page starts with it."""
        return "\f" in (self.text[: self.lead] if self.text.strip() else self.text)

    @property
    def content(self) -> str:
        return self.text[self.lead : len(self.text) - self.trail]

    @property
    def cstart(self) -> int:
        return self.start + self.lead

    @property
    def cend(self) -> int:
        return self.end - self.trail


@dataclass
class _Draft:
    """A block under construction: the raw line pieces it is made of."""

    kind: BlockKind
    mark: str | None = None
    pieces: list[tuple[int, int]] = field(default_factory=list)
    last: _Line | None = None
    refs: list[str] = field(default_factory=list)
    chars: list[tuple[str, int]] = field(default_factory=list)


def _runs_on(note: _Draft) -> bool:
    """Whether a footnote's last line stops short of a sentence end: the next goes on with it."""
    return note.last is not None and not note.last.content.endswith(("。", "."))


@dataclass
class _Notes:
    """Footnote-zone state: in a zone or not, the open footnote, the numbering so far."""

    active: bool = False
    current: _Draft | None = None
    last: _Draft | None = None
    stars: int = 0
    number: int = 0
    opening: str | None = None
    """The four-figure mark a document's numbering goes on from (:func:`_numbered_on`)."""

    def accepts(self, mark: str) -> bool:
        """Whether a line opening with ``mark`` opens the next footnote. A mark of four
        figures opens only the note it numbers in turn (1000 after 999, in a long report),
        or the first note of a volume whose numbering goes on from an earlier one's
        (:attr:`opening`): a line opening with a year (``2030 Agenda``) opens none."""
        if mark.startswith("*"):
            return mark == "*" * (self.stars + 1)
        if len(mark) > 3:
            return mark == str(self.number) or (self.number == 0 and mark == self.opening)
        n = int(mark)
        return self.number == 0 or n == self.number or (n == 1 and self.current is None)

    def opened(self, note: _Draft) -> None:
        assert note.mark is not None
        if note.mark.startswith("*"):
            self.stars += 1
        else:
            self.number = int(note.mark) + 1
        self.current = self.last = note


class _Cleaner:
    def __init__(self, text: str, lang: str, layout: Layout = "auto") -> None:
        self.raw = text
        self.lang = lang
        self.layout = layout
        self.base = base = base_language(lang)
        self.no_space = base in NO_SPACE_LANGS
        self.cjk = base in CJK_LANGS
        self.reason: list[str | None] = [None] * len(text)
        self.links: list[str] = []
        self.drafts: list[_Draft] = []
        self.vocab = {w.lower() for w in _WORD.findall(text)}
        self.longest = max(map(len, self.vocab), default=0)
        """The length of the text's longest word: a longer one is in :attr:`vocab` in no form."""
        self.paginated = layout != "paragraphs"
        """Whether the text may come from pages. A reader that gives a paragraph a line
        (Word, a web page, a workbook) reads no page furniture, and takes the notes from
        the file: their marks are not in its text."""
        self.typed_notes = False
        """Whether such a text has notes typed in it (:meth:`_rules_above_notes`), whose
        numbered marks are then in its text, as on a page."""
        self.mark_before_stop = not self.cjk and base != "en"
        """Whether the language puts a footnote mark before a comma or full stop (French,
        Spanish, Russian), so that a year may come out glued to it (``20301,``)."""

    # -- line level ---------------------------------------------------------

    def _mark(self, start: int, end: int, reason: str) -> None:
        for i in range(start, end):
            self.reason[i] = reason

    def _lines(self) -> list[_Line]:
        lines: list[_Line] = []
        pos = 0
        for text in self.raw.split("\n"):
            stripped = text.strip()
            lead = len(text) - len(text.lstrip())
            trail = len(text) - len(text.rstrip()) if stripped else 0
            pre = text[:lead].replace("\f", "").replace("\r", "")
            indent = sum(1 for c in pre if c in _INDENT_CHARS)
            line = _Line(pos, pos + len(text), text, lead, trail, indent)
            if not stripped:
                line.kind = "blank"
            elif RULE_LINE.match(stripped):
                line.kind = "rule"
            elif self.paginated and _LINK_LINE.match(stripped):
                line.kind = "link"
            else:
                tokens = _furniture(stripped)
                if tokens is not None and not (self.paginated or _job_number(stripped, tokens)):
                    tokens = None
                if tokens is not None:
                    line.kind = "furniture"
                    line.tokens = [(line.cstart + s, line.cstart + e, r) for s, e, r in tokens]
                elif 0 < (leader := toc_leader(stripped)) < len(stripped):
                    line.leader = leader
                    line.trail += leader
            lines.append(line)
            pos += len(text) + 1
        if self.paginated:
            self._keep_lone_fractions(lines)
            self._keep_symbols_off_the_edges(lines)
            self._keep_links_in_sentences(lines)
            self._page_numbers(lines)
            self._running_heads(lines)
        return lines

    def _keep_links_in_sentences(self, lines: list[_Line]) -> None:
        """A URL line is text where it is part of a sentence: the line before goes on into
        it (``…available at`` + ``https://…``), it ends the sentence itself (``https://….``),
        or the next line goes on in lower case (``and in the annex…``). The lines a PDF's
        link annotations leave come in a run at a page's foot, after the page's last
        sentence (A/77/L.107 prints ``https://undocs.org/en/A/RES/59/48`` after its
        footnotes), and stay links: a URL line next to another is one of them unless it
        ends with punctuation, and so is an ``undocs.org`` link after a page's last line
        that stops mid-sentence (the paragraph goes on over the page)."""
        for prev, line, nxt in _neighbours(lines):
            if line.kind != "link":
                continue
            if line.content.endswith(tuple(_TERMINAL)):
                line.kind = "content"
                continue
            if (prev is not None and prev.kind == "link") or (
                nxt is not None and nxt.kind == "link"
            ):
                continue
            led_in = (
                not any(_link_keys(url) for url in line.content.split())
                and prev is not None
                and prev.kind == "content"
                and not line.page_start
                and not _SENTENCE_END.search(_TRAILING_MARK.sub("", prev.content))
            )
            led_on = (
                nxt is not None
                and nxt.kind == "content"
                and not nxt.page_start
                and nxt.content[0].islower()
            )
            if led_in or led_on:
                line.kind = "content"

    def _keep_symbols_off_the_edges(self, lines: list[_Line]) -> None:
        """A line that is only a document symbol (``A/78/250``) is a page header where
        it stands at the top or foot of a page: first or last on it, next to the page's
        other furniture (job number, counter, link lines) or a page break. Elsewhere it is
        one only if it repeats, or is the symbol the page headers print; other symbols
        standing alone mid-page are a table's or a list's cells, and text. A lone symbol
        in a text that shows no header at all is taken for one whose page break the text
        lost."""

        def symbol(line: _Line) -> str | None:
            if line.kind != "furniture" or any(r != "page-header" for _, _, r in line.tokens):
                return None
            return " ".join(line.content.split())

        def furniture(line: _Line | None) -> bool:
            return line is None or (line.kind != "content" and symbol(line) is None)

        found = [
            (prev, line, nxt, key)
            for prev, line, nxt in _neighbours(lines)
            if (key := symbol(line))
        ]
        if not found:
            return
        heads: set[str] = set()
        for prev, line, nxt, key in found:
            if (
                line.page_start
                or (nxt is not None and nxt.page_start)
                or furniture(prev)
                or furniture(nxt)
            ):
                heads.add(key)
        keys = Counter(key for *_, key in found)
        heads |= {key for key, k in keys.items() if k > 1}
        if not heads and len(keys) == 1:
            return
        for _, line, _, key in found:
            if key not in heads:
                line.kind, line.tokens = "content", []

    @staticmethod
    def _page_edges(lines: list[_Line]) -> list[list[_Line]]:
        """Each page's first and last content line (one where the page has one)."""
        pages: list[list[_Line]] = [[]]
        for line in lines:
            if line.page_start and pages[-1]:
                pages.append([])
            if line.kind == "content":
                pages[-1].append(line)
        return [list({id(ln): ln for ln in page[:1] + page[-1:]}.values()) for page in pages]

    def _running_heads(self, lines: list[_Line]) -> None:
        """Mark a line that heads or foots page after page (a report's or a chapter's
        title, as publishers other than the UN print them), its figures aside, wherever
        at least :data:`RUNNING_HEAD_PAGES` pages have it, the first page included: a
        title set as the first page's text too stands below the header, not at the edge.
        A short line that ends a sentence or goes on with one is a paragraph's last or
        first line, however alike the paragraphs of a templated document end."""
        widths = sorted(display_width(ln.content) for ln in lines if ln.kind == "content")
        short = 0.7 * widths[int(0.9 * (len(widths) - 1))] if widths else 0
        seen: dict[str, list[tuple[int, _Line]]] = {}
        for page, edges in enumerate(self._page_edges(lines)):
            for line in edges:
                text = line.content
                if display_width(text) < short and not (  # a title, not a paragraph's line
                    text.endswith(tuple(_TERMINAL)) or text[0].islower()
                ):
                    seen.setdefault(re.sub(r"\d+", "0", text), []).append((page, line))
        for repeats in seen.values():
            if len(repeats) >= RUNNING_HEAD_PAGES and _figures_run_with_pages(repeats):
                for _, line in repeats:
                    line.kind = "furniture"
                    line.tokens = [(line.cstart, line.cend, "running-head")]

    def _page_numbers(self, lines: list[_Line]) -> None:
        """Mark the page numbers (:data:`_PAGE_NUMBER`) that stand first or last on their
        page and count the pages: at least two pages' numbers less the page's place in
        the document give the same offset (a cover page may go unnumbered). A lone "2"
        elsewhere is text."""
        found: list[tuple[int, _Line]] = []
        for place, edges in enumerate(self._page_edges(lines)):
            for line in edges:
                m = _PAGE_NUMBER.match(line.content)
                if m:
                    found.append((int(next(g for g in m.groups() if g)) - place, line))
        offsets = Counter(offset for offset, _ in found)
        if not offsets or offsets.most_common(1)[0][1] < 2:
            return
        best = offsets.most_common(1)[0][0]
        for offset, line in found:
            if offset == best:
                line.kind = "furniture"
                line.tokens = [(line.cstart, line.cend, "page-number")]

    def _keep_lone_fractions(self, lines: list[_Line]) -> None:
        """A line that is only ``n/m`` is a page counter where the page count says so: it
        is ``m`` pages by the form feeds, or another such line has the same ``m``, as every
        page of one document does. Else it is text (a table cell's ``75/268``, a date
        ``12/31``, a fraction), and never in a document of paragraphs, which has no pages."""
        alone = [line for line in lines if [r for _, _, r in line.tokens] == ["page-counter"]]
        if not alone:
            return
        pages = self.raw.count("\f") + 1
        totals = Counter(self._counter_total(line) for line in alone)
        for line in alone:
            total = self._counter_total(line)
            if not (totals[total] > 1 or total == pages > 1):
                line.kind, line.tokens = "content", []

    def _counter_total(self, line: _Line) -> int:
        start, end, _ = line.tokens[0]
        return int(self.raw[start:end].rsplit("/", 1)[1])

    def _drop_line(self, line: _Line) -> None:
        """Account for a line that contributes no text."""
        if line.kind == "blank":
            self._mark(line.start, line.end, "blank-line")
            if line.end < len(self.raw):
                self.reason[line.end] = "blank-line"
            return
        self._edges(line, first=True)
        if line.kind == "rule":
            self._mark(line.cstart, line.cend, "footnote-rule")
        elif line.kind == "link":
            self._mark(line.cstart, line.cend, "whitespace")
            for m in _URL_TOKEN.finditer(line.content):
                self._mark(line.cstart + m.start(), line.cstart + m.end(), "link")
                if m.group() not in self.links:
                    self.links.append(m.group())
        else:
            self._mark(line.cstart, line.cend, "whitespace")
            for start, end, reason in line.tokens:
                self._mark(start, end, reason)

    def _edges(self, line: _Line, first: bool, lead_end: int | None = None) -> None:
        """Reasons for a line's indentation, trailing spaces and newline."""
        lead_reason = "whitespace" if first else "line-break"
        for i in range(line.start, line.cstart if lead_end is None else lead_end):
            self.reason[i] = "page-break" if self.raw[i] == "\f" else lead_reason
        for i in range(line.cend, line.end):
            self.reason[i] = "page-break" if self.raw[i] == "\f" else "whitespace"
        leader = self.raw[line.cend : line.cend + line.leader]
        spaces = len(leader) - len(leader.lstrip())
        self._mark(line.cend + spaces, line.cend + line.leader, "toc-leader")
        if line.end < len(self.raw):
            self.reason[line.end] = "line-break"

    # -- structure ----------------------------------------------------------

    def run(self) -> CleanDocument:
        lines = self._lines()
        content = [ln for ln in lines if ln.kind == "content"]
        widths = sorted(display_width(ln.content) for ln in content)
        if self.layout == "auto":
            texts = [ln.content for ln in content]
            self.layout = "paragraphs" if one_paragraph_per_line(texts) else "wrapped"
        # the usual full line width, over lines at least half the widest (not table
        # cells or headings); too few lines to tell -> assume a typical page
        wide = [w for w in widths if 2 * w >= widths[-1]] if widths else []
        self.full = wide[int(0.9 * (len(wide) - 1))] if len(widths) >= 10 else 60
        levels = {ln.indent for ln in content}
        # a margin every line has is no indent, unless it is the only indentation there is
        # (every line a paragraph start, as one paragraph a line marked like the seed)
        margin = min(levels) if len(levels) > 1 else 0
        for ln in lines:
            ln.indent = max(0, ln.indent - margin)
        self.indents = sum(ln.indent > 0 for ln in content) >= _INDENT_CUES * len(content)
        opening = next(
            (i for i, ln in enumerate(content[:80]) if _OPENING.match(self._unspaced(ln.content))),
            None,
        )
        self.heading_zone = opening is not None and opening > 0
        self._structure(lines, content[opening] if opening is not None else None)
        self._build_chars()
        self._remove_refs()
        for draft in self.drafts:
            self._invisible(draft)
            if self.cjk:
                self._stray_spaces(draft)
            self._collapse(draft)
        return self._assemble()

    def _unspaced(self, text: str) -> str:
        """``text`` without the spaces a PDF's justified Chinese lines put between
        characters (``大 会 ，``), for matching words; the text itself loses them later."""
        return _CJK_GAP.sub("", text) if self.cjk else text

    def _short(self, line: _Line) -> bool:
        return display_width(line.content) < 0.7 * self.full

    def _structure(self, lines: list[_Line], opening: _Line | None) -> None:
        """Sort the lines into heading, body and footnote drafts, dropping the rest."""
        zone = "heading" if self.heading_zone else "body"
        cur: _Draft | None = None
        numbered_on = _numbered_on(lines)
        notes = _Notes(opening=numbered_on)
        top = self.layout == "wrapped"  # a report's masthead, above its first full line
        above_notes = self._rules_above_notes(lines, numbered_on)
        self.typed_notes = any(above_notes.values())
        around = {id(line): (prev, nxt) for prev, line, nxt in _neighbours(lines)}
        masthead: set[int] = set()
        for line in lines:
            if line.page_start:
                notes.active = False  # a page's footnotes end with it
                top = False
            if notes.active and self._note_line(line, notes):
                continue
            notes.active = False
            if line.kind == "rule" and id(line) in above_notes:
                self._drop_line(line)
                notes.active, notes.current = True, None
                continue
            if line.kind == "rule":
                self._edges(line, first=True)
                self._mark(line.cstart, line.cend, "rule")
                continue
            if line.kind != "content":
                self._drop_line(line)
                continue
            top = top and self._short(line)
            if (
                (top or zone == "heading")
                and _MASTHEAD_LINE.match(line.content)
                and self._in_masthead(line, *around[id(line)], masthead)
            ):
                masthead.add(id(line))
                self._edges(line, first=True)
                self._mark(line.cstart, line.cend, "masthead")
                continue
            if zone == "heading":
                if line is opening:
                    zone, cur = "body", None
                elif cur is not None and cur.last and self._heading_continues(cur.last, line):
                    self._append(cur, line)
                    continue
                else:
                    cur = self._new(line, "heading")
                    continue
            if cur is None or cur.kind != "body" or self._starts_paragraph(line, cur.last):
                cur = self._new(line, "body")
            else:
                self._append(cur, line)

    @staticmethod
    def _in_masthead(
        line: _Line, prev: _Line | None, nxt: _Line | None, masthead: set[int]
    ) -> bool:
        """Whether a line of the masthead's kind (a date, a language, an organ) stands in
        the masthead: next to its other lines (``Distr.: General``, ``Original: English``,
        the symbol) or first on the page. One that a line of text goes on into
        (``…at its 9520th meeting, on`` + ``22 December 2023``) is text, and so are a
        table's date cells among its other cells, however near the top of page 1."""
        if prev is not None and prev.kind == "content" and id(prev) not in masthead:
            text = prev.content
            words = text.split()
            if text.endswith(tuple(",，、:：;；")) or words[-1].lower() in _CONNECTORS:
                return False
        if prev is None or line.page_start or prev.kind != "content" or id(prev) in masthead:
            return True
        return nxt is not None and (
            nxt.kind != "content" or bool(_MASTHEAD_LINE.match(nxt.content))
        )

    def _rules_above_notes(self, lines: list[_Line], opening: str | None) -> dict[int, bool]:
        """The ids of the rule lines that may stand above footnotes, each with whether its
        notes are typed in the text: every one in text from pages (not typed there). In
        text given a paragraph a line, a rule followed to the end of the text (or of its
        page) by notes, one a line, each opening with its mark in turn: after an empty
        line, as a reader writes the notes it takes from the file (a .docx), or opening at
        note 1 or ``*``, as a page types them (``<p>____</p>`` then ``<p><sup>1</sup> …``);
        a rule typed in a .docx above paragraphs that happen to open with figures (``12
        countries had ratified``, ``13 countries…``) is neither. Typed notes leave their
        marks in the text (:attr:`typed_notes`, for :meth:`_remove_refs`). A volume whose
        numbering goes on from an earlier one's opens at its first mark (``opening``)."""
        rules = [n for n, line in enumerate(lines) if line.kind == "rule"]
        if self.paginated:
            return dict.fromkeys((id(lines[n]) for n in rules), False)
        found: dict[int, bool] = {}
        for n in rules:
            written = n > 0 and lines[n - 1].kind == "blank"
            notes = _Notes(opening=opening)
            after = _lines_on_page(lines, n + 1)
            head = next(after, None)
            first = _NOTE_START.match(head.content) if head is not None else None
            typed = first is not None and first.group(1) in ("1", "*", opening)
            if head is None or not (written or typed):
                continue
            for line in chain([head], after):
                m = _NOTE_START.match(line.content)
                if m is not None and notes.accepts(m.group(1)):
                    notes.opened(_Draft("footnote", m.group(1)))
                elif not _OTHER_NOTE.match(line.content):
                    break
            else:
                found[id(lines[n])] = not written
        return found

    def _note_line(self, line: _Line, notes: _Notes) -> bool:
        """Take a line of a footnote zone; False when the zone has ended at it.

        A footnote starts at a line opening with the next expected mark and a
        space: "*" ("**" next), then numbers in sequence across the document
        (the first number may be any, and a zone may restart at 1, as annexes
        do). An unindented line continues the open footnote (or, right after
        the rule, the last footnote of the previous page if it did not end a
        sentence), and so does an indented one while the footnote has not ended
        a sentence: a footnote set with a hanging indent wraps right of its mark.
        Links, furniture and any other line end the zone.
        """
        if line.kind in ("blank", "rule"):
            self._drop_line(line)
            return True
        if line.kind != "content":
            return False
        m = _NOTE_START.match(line.content)
        if m and notes.accepts(m.group(1)):
            mark = m.group(1)
            note = _Draft("footnote", mark)
            self.drafts.append(note)
            notes.opened(note)
            self._edges(line, first=True)
            self._mark(line.cstart, line.cstart + len(mark), "footnote-mark")
            self._mark(line.cstart + len(mark), line.cstart + m.end(), "whitespace")
            note.pieces.append((line.cstart + m.end(), line.cend))
            note.last = line
            return True
        target = notes.current
        if target is None and notes.last is not None and _runs_on(notes.last):
            target = notes.last
        if target is None or target.last is None:
            return False
        if line.indent == 0 or _runs_on(target):
            self._append(target, line)
            return True
        return False

    def _new(self, line: _Line, kind: BlockKind) -> _Draft:
        draft = _Draft(kind)
        self.drafts.append(draft)
        self._edges(line, first=True)
        draft.pieces.append((line.cstart, line.cend))
        draft.last = line
        return draft

    def _append(self, draft: _Draft, line: _Line) -> None:
        self._edges(line, first=False)
        draft.pieces.append((line.cstart, line.cend))
        draft.last = line

    def _heading_continues(self, prev: _Line, line: _Line) -> bool:
        """Whether a heading line runs on into the next one.

        It does if it ends with ":"/","/"、" or a connector word ("and", "of"),
        if the next line starts in lower case, or if it is a full-width line
        without final punctuation followed by an unindented line.
        """
        if self.layout == "paragraphs":
            return False
        text = prev.content
        if text.endswith(tuple(_HEADING_CONTINUES)):
            return True
        words = text.split()
        if words and words[-1].lower() in _CONNECTORS:
            return True
        first = line.content[:1]
        if first.isalpha() and first.islower() and not _is_cjk(first):
            return True
        return line.indent == 0 and not self._short(prev) and not text.endswith(tuple(_TERMINAL))

    def _starts_paragraph(self, line: _Line, prev: _Line | None) -> bool:
        """A line opens a paragraph if indented, or numbered/after a short line ending one.

        A numbered or labelled line (``1.``, ``(a)``, ``II.``, ``A.``, ``一、``) opens one
        after a line that left room for its label, as a heading with no stop does.
        Text whose paragraph starts carry no indentation (a copy from a PDF viewer)
        also starts one after a line that ends a clause and left room for this line's
        first word: a page wraps a paragraph only when the next word does not fit.
        """
        if prev is None or line.indent > 0 or self.layout == "paragraphs" or prev.leader:
            return True
        if _CONTENTS_LINE.match(line.content) or _CONTENTS_LINE.match(prev.content):
            return True
        ended = _TRAILING_MARK.sub("", prev.content).endswith(tuple(_TERMINAL))
        if _NUMBERED.match(line.content) and ended:
            return True
        if _label(line.content) and self._room_for(prev, line):
            return True
        if ended and not self.indents:
            return self._room_for(prev, line)
        return ended and self._short(prev)

    def _room_for(self, prev: _Line, line: _Line) -> bool:
        """Whether ``line``'s first word would have fitted at the end of ``prev``."""
        first = line.content.split()[0]
        if _is_cjk(first[0]):
            return display_width(prev.content) + display_width(first[0]) <= self.full
        return display_width(prev.content) + 1 + display_width(first) <= self.full

    # -- character level ----------------------------------------------------

    def _build_chars(self) -> None:
        raw = self.raw
        for draft in self.drafts:
            chars = draft.chars
            tail = _Tail(chars)
            for start, end in draft.pieces:
                if chars and start < end:
                    self._join(chars, raw[start:end], tail)
                chars.extend((raw[i], i) for i in range(start, end))

    def _join(self, chars: list[tuple[str, int]], nxt: str, tail: _Tail) -> None:
        """Join a line to the text before it: nothing, a space, or an undone hyphen."""
        last, idx = chars[-1]
        if last == "\xad":
            chars.pop()
            tail.popped()
            self.reason[idx] = "hyphen"
            return
        if self.no_space:
            if _latin_words_meet(chars, nxt, tail):
                chars.append((" ", -1))
            return
        if self._address_goes_on(chars, nxt, tail):
            return
        if last in _HYPHENS and len(chars) > 1 and chars[-2][0].isalpha():
            before, whole = self._word_before(chars, tail)
            m = re.match(r"[^\W\d_]+", nxt)
            if m is None or self._keep_hyphen(
                before, m.group(), nxt[m.end() : m.end() + 1], whole=whole
            ):
                return
            chars.pop()
            tail.popped()
            self.reason[idx] = "hyphen"
            return
        chars.append((" ", -1))

    def _word_before(self, chars: list[tuple[str, int]], tail: _Tail) -> tuple[str, bool]:
        """The hyphenated token that ends just before the final hyphen in ``chars``, and
        whether it is whole.

        Of a token longer than any word of the text (so in :attr:`vocab` in no form) and
        than :data:`LONG_WORD`, only what :meth:`_keep_hyphen` looks at then: its last
        :data:`LONG_WORD` characters, after the last letter before them of its last part
        that lowercases to more than word characters (``İ``), if any. Copied whole at
        each line's end, a token grown over thousands of lines took time with the square
        of its length."""
        start = tail.first("letter", str.isalpha, tail.run("word", _in_word))
        end = len(chars) - 1
        assert start is not None  # chars[-2] is a letter
        if end - start <= max(self.longest, LONG_WORD):
            return "".join(ch for ch, _ in chars[start:end]), True
        cut = end - LONG_WORD
        plain = tail.run("plain", _plain_letter, end)
        odd = chars[plain - 1][0] if tail.run("part", str.isalpha, end) < plain <= cut else ""
        return odd + "".join(ch for ch, _ in chars[cut:end]), False

    @staticmethod
    def _address_goes_on(chars: list[tuple[str, int]], nxt: str, tail: _Tail) -> bool:
        """Whether the line ends inside a web or e-mail address that the next line goes on
        with (``…/sites/45/`` + ``publication/…``, ``info@`` + ``un.org``): a space would
        cut it in two, and a hyphen there is the address's own (``wp-`` + ``content``).
        After a full stop or question mark the next line must go on in lower case or
        figures, as a domain or a query does and a new sentence does not; a line that
        opens with ``and`` or ``of`` goes on with the sentence instead."""
        last = chars[-1][0]
        if last not in _ADDRESS_BREAK or not (nxt[0].isalnum() or nxt[0] in "/_~%#"):
            return False
        if last in ".?" and not (nxt[0].islower() or nxt[0].isdigit()):
            return False
        if nxt.split(None, 1)[0].rstrip(",;:") in _CONNECTORS:  # the sentence goes on
            return False
        start = tail.run("token", _not_space)
        return bool(_ADDRESS.fullmatch(_address_head(chars, start, tail, "token")))

    def _keep_hyphen(self, before: str, after: str, then: str = "", whole: bool = True) -> bool:
        """Whether "before-" at a line end + "after" (and ``then``, the character after it)
        is a compound, not a broken word.

        Evidence from the document comes first: if only the hyphenated form
        (``long-term``) occurs elsewhere in it, keep the hyphen; if only the
        solid form (``organizations``) does, drop it. Failing that, a capital
        after the hyphen means a compound (``Secretary-General``,
        ``Non-Proliferation``), and so does a first part from a short list of
        words that form compounds (self, non, co, long, short, follow, cross,
        well, open, cost, state, twenty, ...) unless what follows is a suffix
        (``open-|ing``), or a second part such as based, level, related, term,
        making, ups (start-ups), depth (in-depth); in French, Spanish and Russian,
        the first parts of :data:`COMPOUND_FIRST_BY_LANGUAGE`. A little word with a
        hyphen after it goes on with a compound of many parts (``up-|to-date``,
        ``state-|of-the-art``). Anything else is a word broken by hyphenation.

        ``before`` not ``whole`` is the end of a token longer than any word of the text:
        the text has it in neither form, and its last part is matched by its ending.
        """
        if whole:
            solid = (before + after).lower()
            hyphenated = f"{before}-{after}".lower()
            if hyphenated in self.vocab and solid not in self.vocab:
                return True
            if solid in self.vocab and hyphenated not in self.vocab:
                return False
        if after[:1].isupper() or (then and then in _HYPHENS and after.lower() in _CONNECTORS):
            return True
        first = re.split(r"[-\u2010]", before)[-1].lower()
        known = COMPOUND_FIRST_BY_LANGUAGE.get(self.base)
        if isinstance(known, re.Pattern):
            return bool(known.fullmatch(first)) and len(after) >= 5 and after[:1].islower()
        if known is not None:
            return first in known
        second = after.lower()
        if first == "co" and second.startswith(("operat", "ordinat")):
            return False  # the UN writes cooperation, coordination solid
        if first in _COMPOUND_FIRST and second not in _SUFFIXES:
            return True
        prefix = _COMPOUND_PREFIXES.get(first)
        if prefix is not None and second not in _SUFFIXES and prefix.fullmatch(second):
            return True
        if second == "affected":  # disaster-affected, not un-|affected or dis-|affected
            return first not in ("un", "dis")
        return second in _COMPOUND_SECOND

    def _delete(self, draft: _Draft, positions: list[int], reason: str) -> None:
        drop = set(positions)
        for p in drop:
            idx = draft.chars[p][1]
            if idx >= 0:
                self.reason[idx] = reason
        draft.chars = [c for p, c in enumerate(draft.chars) if p not in drop]

    def _remove_refs(self) -> None:
        """Drop footnote reference marks glued to heading/body text, in mark order."""
        marks = [d.mark for d in self.drafts if d.kind == "footnote" and d.mark]
        if not self.paginated and not self.typed_notes:
            # the reader took the numbered marks out: only a custom one (the sponsors' *) stays
            marks = [mark for mark in marks if not mark.isdigit()]
        k = 0
        for draft in self.drafts:
            if draft.kind == "footnote" or k >= len(marks):
                continue
            view = "".join(c for c, _ in draft.chars)
            drop: list[int] = []
            last_marks: dict[str, int] = {}
            for m in re.finditer(r"\*+|\d+", view):
                if k >= len(marks):
                    break
                found, start = m.group(), m.start()
                hit = next((j for j in (k, k + 1) if j < len(marks) and marks[j] == found), None)
                if hit is None:
                    hit = next(
                        (j for j in (k, k + 1) if j < len(marks) and _year_then(found, marks[j])),
                        None,
                    )
                    if (
                        hit is None
                        or not self.mark_before_stop
                        or not self._mark_after_year(draft.chars, view, m)
                    ):
                        continue
                    start = m.start() + 4
                elif not self._glued_ref(draft.chars, view, m.start(), m.end()):
                    continue
                elif self._mark_later(draft.chars, view, m, last_marks):
                    continue
                drop.extend(range(start, m.end()))
                draft.refs.append(marks[hit])
                k = hit + 1
            self._delete(draft, drop, "footnote-ref")

    def _mark_later(
        self, chars: list[tuple[str, int]], view: str, m: re.Match[str], last: dict[str, int]
    ) -> bool:
        """Whether figures ``m`` glued to a word (``方案1的``) leave the mark to the same
        figures glued to punctuation further on in the paragraph (``较短。1``): a mark
        follows the clause it annotates, a figure a word it numbers.

        ``last`` keeps, by figures, where the paragraph's last such mark starts (-1 for
        none), found once a paragraph: looked for after each figure glued to a word, to
        the paragraph's end, it took time with the square of the paragraph's length."""
        if m.group().startswith("*") or not view[m.start() - 1].isalpha():
            return False
        figures = m.group()
        if figures not in last:
            last[figures] = max(
                (
                    found.start()
                    for found in re.finditer(rf"(?<!\d){figures}(?!\d)", view)
                    if found.start() > 0
                    and not view[found.start() - 1].isalnum()
                    and self._glued_ref(chars, view, found.start(), found.end())
                ),
                default=-1,
            )
        return last[figures] >= m.end()

    def _mark_after_year(self, chars: list[tuple[str, int]], view: str, m: re.Match[str]) -> bool:
        """Whether the figures ``m`` are a year with a mark glued on: a figure standing
        alone, its first four digits on one line with the rest, and punctuation (or the
        paragraph's end) after it: ``à l’horizon 20301,`` where English has
        ``Development,1``, since French, Spanish and Russian put the mark before the comma."""
        s, e = m.start(), m.end()
        if s and not (view[s - 1].isspace() or view[s - 1] in _OPENERS):
            return False
        if any(chars[p][1] < 0 or chars[p][1] != chars[p - 1][1] + 1 for p in range(s + 1, e)):
            return False
        rest = view[e:].lstrip(" \xa0\u202f")
        return not rest or rest[0] in ",.;:)»”"

    def _glued_ref(self, chars: list[tuple[str, int]], view: str, s: int, e: int) -> bool:
        """Whether view[s:e] is a reference mark, not part of a number, date or symbol.

        The mark must follow a raw character of the same line with no space
        ("议程》1 提出", "Weapons3 to", "Development,1"), and must not be followed
        by a letter, digit, "/" or a Chinese unit such as 年/月/号 ("其2004年12月", or
        "2018 年6 月" as a PDF reader spaces digits set in another font).
        """
        if s == 0 or chars[s][1] < 0 or chars[s - 1][1] != chars[s][1] - 1:
            return False
        prev = view[s - 1]
        if prev.isspace():
            return False
        if view[s] == "*":
            return True
        nxt = view[e] if e < len(view) else ""
        after = view[e + 1] if e + 1 < len(view) else ""
        if nxt and ((nxt.isalnum() and not _is_cjk(nxt)) or nxt in "/-\u2010–%°"):
            return False
        if nxt and nxt in ".," and after.isdigit():
            return False
        if self.cjk and view[e:].lstrip()[:1] in _UNITS_ZH:
            return False
        if self.cjk and nxt in _MEASURE_WORDS_ZH and not _NOT_MEASURED_ZH.match(view, e):
            return False
        if _is_cjk(prev):
            # "第5", "《1", "第1、2和3段", "19至21", "表1所列" are numbers, not marks
            before = view[s - 2] if s > 1 else ""
            return not (
                prev == "第"
                or prev in _OPENERS
                or (prev in _NUMBER_LINKS and before.isdigit())
                or (
                    nxt.isalpha()
                    and _is_cjk(nxt)
                    and bool(_NUMBERED_TERM_ZH.search(view, s - 2, s))
                )
            )
        found = re.search(r"\S+$", view[max(0, s - 60) : s])
        token = found.group() if found else prev
        if prev.isalpha():
            return _plausible_word(_trailing_word(token))
        if prev in ".,":
            head = token[:-1]
            if not head:
                return False
            if head[-1].isdigit():
                # "2016,5" and "59/48,1" are marks after a year or a symbol; "3,5" is a number
                return bool(re.search(r"(?:^|\D)\d{4}$|/\d+$", head))
            if head[-1].isalpha():
                return _plausible_word(_trailing_word(head))
            return head[-1] in _CLOSERS
        return prev in _CLOSERS or prev in ";:!?"

    def _invisible(self, draft: _Draft) -> None:
        """Drop zero-width spaces, soft hyphens, word joiners and stray byte-order marks:
        a TM unit holding ``reso\xadlution`` never matches the ``resolution`` a translator
        types. Zero-width (non-)joiners stay: Persian and Indic spelling needs them.
        Arabic tatweel goes too: it stretches a word to justify a line (``الأمـــم``)."""
        drop = [i for i, (c, _) in enumerate(draft.chars) if c in _INVISIBLE]
        self._delete(draft, drop, "invisible")
        kashidas = [i for i, (c, _) in enumerate(draft.chars) if c == _KASHIDA]
        self._delete(draft, kashidas, "kashida")

    def _stray_spaces(self, draft: _Draft) -> None:
        """Chinese: drop spaces next to a CJK character; keep them between Latin/digit tokens.

        The space after a leading paragraph number ("1. 肯定") is kept, as in English.
        """
        chars = draft.chars
        drop: list[int] = []
        number = _label("".join(c for c, _ in chars[:12]))
        i = number.end() if number else 0
        while i < len(chars):
            if not chars[i][0].isspace():
                i += 1
                continue
            j = i
            while j < len(chars) and chars[j][0].isspace():
                j += 1
            left = chars[i - 1][0] if i > 0 else ""
            right = chars[j][0] if j < len(chars) else ""
            if (left and _is_cjk(left)) or (right and _is_cjk(right)):
                drop.extend(range(i, j))
            i = j
        self._delete(draft, drop, "stray-space")

    def _collapse(self, draft: _Draft) -> None:
        """Strip the block and shrink every run of spaces to one.

        A run keeps its space, else its no-break space (French ``2,5 %``); a run of
        tabs or typographic spaces alone (Word's ``1.<tab>Decides``) becomes one
        space, so the unit reads as a translator types it.
        """
        chars = draft.chars
        drop: list[int] = []
        i = 0
        while i < len(chars):
            if not chars[i][0].isspace():
                i += 1
                continue
            j = i
            while j < len(chars) and chars[j][0].isspace():
                j += 1
            if i == 0 or j == len(chars):
                drop.extend(range(i, j))
            else:
                run = range(i, j)
                keep = next((p for p in run if chars[p][0] == " "), None)
                if keep is None:
                    keep = next((p for p in run if chars[p][0] in _NO_BREAK), None)
                if keep is None:
                    keep, idx = i, chars[i][1]
                    if idx >= 0:
                        self.reason[idx] = "whitespace"
                    chars[i] = (" ", -1)
                drop.extend(p for p in run if p != keep)
            i = j
        self._delete(draft, drop, "whitespace")

    # -- output -------------------------------------------------------------

    def _assemble(self) -> CleanDocument:
        ordered = [d for d in self.drafts if d.kind != "footnote" and d.chars]
        ordered += [d for d in self.drafts if d.kind == "footnote" and d.chars]
        parts: list[str] = []
        spans: list[tuple[int, int, int]] = []
        blocks: list[Block] = []
        pos = 0
        texts = ["".join(c for c, _ in d.chars) for d in ordered]
        link_owner = self._attach_links(texts)
        for n, (draft, text) in enumerate(zip(ordered, texts, strict=True)):
            if n:
                parts.append("\n")
                pos += 1
            for offset, (_, idx) in enumerate(draft.chars):
                if idx < 0:
                    continue
                self.reason[idx] = KEPT
                if (
                    spans
                    and spans[-1][0] + spans[-1][2] == pos + offset
                    and (spans[-1][1] + spans[-1][2] == idx)
                ):
                    c, r, length = spans[-1]
                    spans[-1] = (c, r, length + 1)
                else:
                    spans.append((pos + offset, idx, 1))
            blocks.append(
                Block(
                    index=n,
                    kind=draft.kind,
                    text=text,
                    start=pos,
                    end=pos + len(text),
                    footnote=draft.mark,
                    links=tuple(link_owner.get(n, ())),
                    refs=tuple(draft.refs),
                )
            )
            parts.append(text)
            pos += len(text)
        return CleanDocument(
            lang=self.lang,
            text="".join(parts),
            blocks=tuple(blocks),
            removals=tuple(self._removals()),
            links=tuple(self.links),
            spans=tuple(spans),
            layout="paragraphs" if self.layout == "paragraphs" else "wrapped",
        )

    def _attach_links(self, texts: list[str]) -> dict[int, list[str]]:
        """Give each link to the first block whose text mentions its symbol."""
        owner: dict[int, list[str]] = {}
        for url in self.links:
            for key in _link_keys(url):
                pattern = re.compile(
                    rf"(?<![0-9A-Za-z/.\-]){re.escape(key)}(?![0-9/]|[.,][0-9]|[A-Za-z])"
                )
                n = next((i for i, t in enumerate(texts) if pattern.search(t)), None)
                if n is not None:
                    owner.setdefault(n, []).append(url)
                    break
        return owner

    def _removals(self) -> list[Removal]:
        out: list[Removal] = []
        start = 0
        raw = self.raw
        reasons = [r if r is not None else "unaccounted" for r in self.reason]
        for i in range(1, len(raw) + 1):
            if i == len(raw) or reasons[i] != reasons[start]:
                if reasons[start] != KEPT:
                    out.append(Removal(start, i, raw[start:i], reasons[start]))
                start = i
        return out


def _furniture(text: str) -> list[tuple[int, int, str]] | None:
    """Spans and reasons if the whole line is page furniture, else None."""
    tokens: list[tuple[int, int, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        for reason, pattern in _FURNITURE:
            m = pattern.match(text, pos)
            if not m or (m.end() < len(text) and not text[m.end()].isspace()):
                continue
            if reason == "page-counter" and not 0 < int(m.group(1)) <= int(m.group(2)):
                continue
            if reason == "page-header" and not any(c.isdigit() for c in m.group()):
                continue
            tokens.append((m.start(), m.end(), reason))
            pos = m.end()
            break
        else:
            return None
    kinds = {r for _, _, r in tokens}
    if not tokens or ("organ" in kinds and not kinds & {"page-header", "masthead"}):
        return None
    return [(s, e, "masthead" if r == "organ" else r) for s, e, r in tokens]


_LANGUAGE_LETTER = re.compile(r"\([A-Z]\)")


def _neighbours(lines: list[_Line]) -> list[tuple[_Line | None, _Line, _Line | None]]:
    """Each line but the blank ones, with the non-blank line before and after it (None at
    either end): what a line's role is told by."""
    shown = [line for line in lines if line.kind != "blank"]
    before: list[_Line | None] = [None, *shown]
    after: list[_Line | None] = [*shown[1:], None]
    return list(zip(before, shown, after, strict=False))


def _numbered_on(lines: list[_Line]) -> str | None:
    """The four-figure mark a volume's footnote numbering goes on from (``1012``, the
    earlier volumes of a long report holding notes 1 to 1011), else None: the first
    numbered mark opening a line under a rule has four figures, and a line under a rule
    further on opens with the next figure. A line opening with a year (``2030 Agenda``)
    has no such line after it."""
    first: int | None = None
    zone = False
    for line in lines:
        if line.page_start:
            zone = False
        if line.kind == "rule":
            zone = True
        if not zone or line.kind != "content":
            continue
        m = _NOTE_START.match(line.content)
        if m is None or m.group(1).startswith("*"):
            continue
        if first is None:
            if len(m.group(1)) < 4:
                return None
            first = int(m.group(1))
        elif int(m.group(1)) == first + 1:
            return str(first)
    return None


def _lines_on_page(lines: list[_Line], start: int) -> Iterator[_Line]:
    """The lines from ``start`` to the end of their page that are not blank, read as they
    are wanted: a list of them to the end of the text for each of its rules took time
    with the number of rules times the number of lines (16,000 typed rules, 40 s)."""
    for i in range(start, len(lines)):
        line = lines[i]
        if line.page_start:
            return
        if line.kind != "blank":
            yield line


def _figures_run_with_pages(repeats: list[tuple[int, _Line]]) -> bool:
    """Whether lines alike but for their figures, at the edges of pages, are one running
    head: each of its figures is the same on every page (``A/77/L.107``) or counts the
    pages (``Page 3 of 12``, ``CFS 50/Inf.3``). Figures that do neither are a table's
    cells at the pages' foot (``1,366.5``, ``Total 1,204.5 1,366.5``), which were
    dropped as running heads."""
    figures = [re.findall(r"\d+", line.content) for _, line in repeats]
    pages = [page for page, _ in repeats]
    return all(
        len({f[at] for f in figures}) == 1
        or len({int(f[at]) - page for f, page in zip(figures, pages, strict=True)}) == 1
        for at in range(len(figures[0]))
    )


def _job_number(text: str, tokens: list[tuple[int, int, str]]) -> bool:
    """Whether the line is only a UN job number with its language letter (``22-22869 (E)``):
    furniture even in a .docx, where a conversion can leave the first page's footer in the
    body; a bare ``12-34567`` there may be a figure of the text."""
    return all(r == "job-number" for _, _, r in tokens) and bool(_LANGUAGE_LETTER.search(text))


def _latin_words_meet(chars: list[tuple[str, int]], nxt: str, tail: _Tail) -> bool:
    """Whether a line break in Chinese or Japanese text falls between two Latin-script
    words, and is a space as in English: ``Policy Paper Series,`` + ``No. 4``, ``John`` +
    ``Smith``. Inside a web or e-mail address it is none (``…human-rights-defender`` +
    ``s-2023``, ``https://`` + ``www.…``), unless the address ended a sentence or the
    sentence goes on after it (``and``, ``of``)."""
    last, first = chars[-1][0], nxt[0]
    if not (last.isascii() and (last.isalnum() or last in ",.;:!?)]\"'%")):
        return False
    if not (first.isascii() and (first.isalnum() or first in "(\"'")):
        return False
    start = tail.run("latin", _not_space_or_cjk)
    if tail.first("ascii", _ascii_alnum, start) is None:
        return False  # ``中国,`` + ``No.``: no Latin word ends the line
    if _ADDRESS_START.match(_address_head(chars, start, tail, "latin")):
        if nxt.split(None, 1)[0].rstrip(",;:") in _CONNECTORS:
            return True
        return last in ".?" and not (first.islower() or first.isdigit())
    return True


class _Tail:
    """Where the runs of characters that end a block under construction start, each
    character looked at about once however often it is asked.

    A token grown over thousands of wrapped lines with no space between them (a line of
    ``abcdefghij-`` after another, the hyphens undone; an address broken at each ``@``)
    was read back to its start at each line's end: 4,000 lines took 11.5 s, time growing
    with the square of their number. ``chars`` grows at its end, and loses its last
    character only where :meth:`popped` is told."""

    def __init__(self, chars: list[tuple[str, int]]) -> None:
        self.chars = chars
        self._runs: dict[str, tuple[int, int]] = {}
        """By name: how many characters were looked at, and where the run ending there
        starts."""
        self._firsts: dict[str, tuple[int, int, int | None]] = {}
        """By name: where the search starts, where it has got to, what it found."""

    def run(self, name: str, inside: Callable[[str], bool], end: int | None = None) -> int:
        """Where the run of characters that ``inside`` takes up to ``end`` (the end of
        ``chars``, or the character before it, the same for each ``name``) starts."""
        chars = self.chars
        end = len(chars) if end is None else end
        seen, start = self._runs.get(name, (0, 0))
        if seen > end:
            seen, start = 0, 0
        for i in range(end, seen, -1):
            if not inside(chars[i - 1][0]):
                start = i
                break
        self._runs[name] = (end, start)
        return start

    def first(self, name: str, wanted: Callable[[str], bool], origin: int) -> int | None:
        """Where the first character from ``origin`` on that ``wanted`` takes is, if any."""
        chars, end = self.chars, len(self.chars)
        at, seen, found = self._firsts.get(name, (origin, origin, None))
        if at != origin:
            seen, found = origin, None
        if found is None:
            found = next((i for i in range(seen, end) if wanted(chars[i][0])), None)
        self._firsts[name] = (origin, end if found is None else found, found)
        return found

    def popped(self) -> None:
        """Forget what was found out about the character just taken off the end."""
        end = len(self.chars)
        for name, (seen, start) in list(self._runs.items()):
            if start > end:
                del self._runs[name]
            else:
                self._runs[name] = (min(seen, end), start)
        for name, (origin, seen, found) in list(self._firsts.items()):
            if origin > end:
                del self._firsts[name]
            else:
                gone = found is not None and found >= end
                self._firsts[name] = (origin, min(seen, end), None if gone else found)


def _in_word(ch: str) -> bool:
    return ch.isalpha() or ch in _HYPHENS


def _plain_letter(ch: str) -> bool:
    """A letter whose lower case is word characters only: not ``İ``, which lowercases to
    ``i`` and a combining dot."""
    return ch.isalpha() and _WORD_CHARS.fullmatch(ch.lower()) is not None


def _not_space(ch: str) -> bool:
    return not ch.isspace()


def _not_space_or_cjk(ch: str) -> bool:
    return not (ch.isspace() or _is_cjk(ch))


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _outside_address(ch: str) -> bool:
    return _ADDRESS_CHAR.fullmatch(ch) is None


def _address_head(chars: list[tuple[str, int]], start: int, tail: _Tail, name: str) -> str:
    """As much of the token from ``start`` to the end of ``chars`` (no space in it) as
    tells whether it is, or opens as, a web or e-mail address (:data:`_ADDRESS`,
    :data:`_ADDRESS_START`): its first :data:`ADDRESS_HEAD` characters, and up to the
    first after its first that is no part of an e-mail's user name (the ``@``, or what
    shows it has none). Past these the patterns take anything but a space."""
    odd = tail.first(name, _outside_address, start + 1)
    head = ADDRESS_HEAD if odd is None else max(ADDRESS_HEAD, odd + 1 - start)
    return "".join(ch for ch, _ in chars[start : start + head])


def _trailing_word(token: str) -> str:
    found = re.findall(r"[^\W\d_]+$", token)
    return found[0] if found else ""


def _year_then(figures: str, mark: str) -> bool:
    """``20301`` is the year 2030 followed by the mark ``1``."""
    return (
        mark.isdigit()
        and figures.endswith(mark)
        and len(figures) == 4 + len(mark)
        and bool(re.fullmatch(r"(?:19|20)\d\d", figures[:4]))
    )


def _plausible_word(word: str) -> bool:
    """A word a reference mark may follow: not an initial (G7) or short acronym (CO2)."""
    if len(word) < 2 or word.lower() in _ABBREVIATIONS:
        return False
    return not (word.isupper() and len(word) <= 4)


def _link_keys(url: str) -> list[str]:
    """What a block would mention for a link: the symbol, or a resolution's number."""
    m = re.match(r"^(?:https?://)?(?:www\.)?undocs\.org/(.+)$", url)
    if not m:
        return []
    path = unquote(m.group(1)).strip("/")
    parts = path.split("/")
    if len(parts) > 1 and re.fullmatch(r"[a-z]{2}", parts[0]):
        path = "/".join(parts[1:])
    keys = [path]
    res = re.search(r"/RES/(.+)$", path)
    if res:
        keys.append(res.group(1))
    return keys


TEXT_REASONS = frozenset(
    {
        "page-header", "page-counter", "job-number", "barcode", "recycle", "masthead", "rule",
        "footnote-ref", "link", "toc-leader", "page-number", "running-head",
    }
)  # fmt: skip
"""Removals of printed text rather than of layout (breaks, spaces, hyphens): what a
translator should hear of, since a rule that misfires takes real words with it."""


def left_out(doc: CleanDocument) -> Counter[str]:
    """How many pieces of printed text the cleaner left out, by reason."""
    return Counter(r.reason for r in doc.removals if r.reason in TEXT_REASONS and r.text.strip())


def left_out_line(path: str, doc: CleanDocument) -> str:
    """One line telling what :func:`left_out` counts and how to see it; empty if nothing."""
    counts = left_out(doc)
    if not counts:
        return ""
    what = ", ".join(f"{k} {reason}" for reason, k in counts.most_common())
    return f"left out of {path}: {what} (align clean {shlex.quote(path)} --explain lists them)"
