"""Word's automatic paragraph numbers, as the page prints them (for the .docx reader).

A paragraph numbered by Word (a list, or a style such as ``List Number``) holds no
``1.`` in its text: the number lives in ``word/numbering.xml`` and is counted as the
document is laid out. The PDF of the same document prints it, and so does a
translation typed by hand, so a .docx read without it would pair ``Decides`` with
``1. Decides`` and the TM would lose the number. This module counts the lists the
way Word does and gives each paragraph the label it prints.

What is modelled: list definitions (``w:abstractNum``) shared by list instances
(``w:num``) that continue one another unless one restarts a level
(``w:lvlOverride``); a level's start, format, text (``%1.%2.``), legal numbering
and the separator after the label; deeper levels restarting after a shallower one;
numbering set on the paragraph or inherited from its style. Formats Word offers for
the UN's languages, and the Chinese, Japanese and Korean ones a Chinese document
can carry (LibreOffice saves its 一, 二, 三 as ``taiwaneseCountingThousand``), are
drawn as Word draws them; any other counts in digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from align.readers.wordsym import symbol

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = {"w": W}


def _q(name: str) -> str:
    return f"{{{W}}}{name}"


def _val(element: etree._Element | None, child: str) -> str | None:
    if element is None:
        return None
    found = element.find(f"w:{child}", _W)
    return None if found is None else found.get(_q("val"))


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def roman(n: int) -> str:
    out = []
    for value, numeral in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _letters(alphabet: str) -> Callable[[int], str]:
    """Word's letter counting: a…z, then aa…zz, then aaa (the letter repeated)."""

    def draw(n: int) -> str:
        repeat, index = divmod(n - 1, len(alphabet))
        return alphabet[index] * (repeat + 1)

    return draw


_CN_DIGITS = "〇一二三四五六七八九"


def chinese_counting(n: int) -> str:
    """一 … 十, 十一, 二十一, 一百零五: Chinese counting as Word's ``chineseCounting``."""
    if n <= 0 or n >= 10000:
        return str(n)
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero:
                out += "零"
            out += ("" if value == 10 and digit == 1 and not out else _CN_DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def _spoken(digits: str, units: str, zero: str, *, one_ten: bool) -> Callable[[int], str]:
    """Word's counting-thousand and legal formats, 1 to 9999: a digit then its unit
    (``units``: ten, hundred, thousand), a run of zeros inside the number written once
    as ``zero`` (一百〇五, 一千〇一十) and none at its end (一百一十); ten to nineteen
    lose their 一 (十一) unless ``one_ten`` (壹拾壹). Other counts in digits."""

    def draw(n: int) -> str:
        if not 0 < n < 10000:
            return str(n)
        out, gap = "", False
        for place in (3, 2, 1, 0):
            digit = n // 10**place % 10
            if not digit:
                gap = bool(out)
                continue
            if gap:
                out, gap = out + zero, False
            if one_ten or place != 1 or digit != 1 or out:
                out += digits[digit]
            out += ("", *units)[place]
        return out

    return draw


def _digit_by_digit(zero: str) -> Callable[[int], str]:
    """Each figure as its ideograph, ``zero`` for 0: 一〇 for 10 (``ideographDigital``)."""
    figures = zero + _CN_DIGITS[1:]
    return lambda n: "".join(figures[int(c)] for c in str(n)) if n >= 0 else str(n)


def _word_counting(n: int) -> str:
    """Word's ``taiwaneseCounting``: 一 … 十, 十一, 二十一 to 99, then figure by figure
    with ○ for 0 (一○五)."""
    return chinese_counting(n) if n < 100 else _digit_by_digit("○")(n)


def japanese_counting(n: int) -> str:
    """Word's ``japaneseCounting``: no 一 before 十, 百 or 千 and no zeros (百五, 千十)."""
    if not 0 < n < 10000:
        return str(n)
    out = ""
    for place, unit in ((3, "千"), (2, "百"), (1, "十"), (0, "")):
        digit = n // 10**place % 10
        if digit:
            out += ("" if digit == 1 and unit else _CN_DIGITS[digit]) + unit
    return out


def _cycle(symbols: str) -> Callable[[int], str]:
    return lambda n: symbols[(n - 1) % len(symbols)]


def _enclosed(first: int, count: int) -> Callable[[int], str]:
    return lambda n: chr(first + n - 1) if 1 <= n <= count else str(n)


_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _sexagenary(n: int) -> str:
    """``ideographZodiacTraditional``: the sixty stem-branch pairs 甲子, 乙丑 … 癸亥, again."""
    return _STEMS[(n - 1) % 10] + _BRANCHES[(n - 1) % 12] if n > 0 else str(n)


_RU = "абвгдежзиклмнопрстуфхцчшщыэюя"
_AR = "أبتثجحخدذرزسشصضطظعغفقكلمنهوي"

FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": roman,
    "lowerRoman": lambda n: roman(n).lower(),
    "upperLetter": _letters("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerLetter": _letters("abcdefghijklmnopqrstuvwxyz"),
    "russianLower": _letters(_RU),
    "russianUpper": _letters(_RU.upper()),
    "arabicAlpha": _letters(_AR),
    "chineseCounting": chinese_counting,
    "chineseCountingThousand": _spoken(_CN_DIGITS, "十百千", "〇", one_ten=False),
    "chineseLegalSimplified": _spoken("零壹贰叁肆伍陆柒捌玖", "拾佰仟", "零", one_ten=True),
    "taiwaneseCounting": _word_counting,
    "taiwaneseCountingThousand": _spoken(_CN_DIGITS, "十百千", "零", one_ten=False),
    "taiwaneseDigital": _digit_by_digit("○"),
    "ideographLegalTraditional": _spoken("零壹貳參肆伍陸柒捌玖", "拾佰仟", "零", one_ten=True),
    "ideographDigital": _digit_by_digit("〇"),
    "ideographTraditional": _cycle(_STEMS),
    "ideographZodiac": _cycle(_BRANCHES),
    "ideographZodiacTraditional": _sexagenary,
    "ideographEnclosedCircle": _enclosed(0x3220, 10),
    "japaneseCounting": japanese_counting,
    "aiueo": _cycle("".join(map(chr, range(0xFF71, 0xFF9D))) + "\uff66\uff9d"),
    "aiueoFullWidth": _cycle(
        "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
    ),
    "irohaFullWidth": _cycle(
        "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセスン"
    ),
    "ganada": _cycle("가나다라마바사아자차카타파하"),
    "chosung": _cycle("ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"),
    "koreanDigital2": _digit_by_digit("零"),
    "decimalHalfWidth": str,
    "decimalFullWidth": lambda n: str(n).translate({c: c + 0xFEE0 for c in range(48, 58)}),
    "decimalFullWidth2": lambda n: str(n).translate({c: c + 0xFEE0 for c in range(48, 58)}),
    "decimalEnclosedCircle": _enclosed(0x2460, 20),
    "decimalEnclosedCircleChinese": _enclosed(0x2460, 20),
    "decimalEnclosedParen": _enclosed(0x2474, 20),
    "decimalEnclosedFullstop": _enclosed(0x2488, 20),
    "none": lambda n: "",
}
"""``w:numFmt`` -> how a count is drawn. The CJK forms follow what Word prints (MS-DOCX
2.4's format strings, MS-OI29500 on ST_NumberFormat): counting-thousand 十一, 一百〇五
(``taiwanese…`` 一百零五); legal 壹拾壹; ``ideographDigital`` 一〇; ``japaneseCounting``
百五; ``ideographEnclosedCircle`` ㈠ … ㈩; kana and Hangul letters start again after
the last. ``chineseCounting`` keeps the spoken form past 99 (一百零五) that the web page
reader's ``cjk-ideographic`` shares, where Word prints 一○五."""

_SEPARATORS = {"tab": " ", "space": " ", "nothing": ""}
"""``w:suff``: the tab Word puts after a label by default reads as a space."""


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    separator: str = " "
    legal: bool = False
    font: str | None = None


@dataclass
class _List:
    """One list definition's levels and its running counts."""

    levels: dict[int, Level]
    counts: dict[int, int] = field(default_factory=dict)


def _level(lvl: etree._Element) -> Level:
    text = _val(lvl, "lvlText")
    return Level(
        start=_int(_val(lvl, "start"), 1),
        fmt=_val(lvl, "numFmt") or "decimal",
        text="" if text is None else text,
        separator=_SEPARATORS.get(_val(lvl, "suff") or "tab", " "),
        legal=lvl.find("w:isLgl", _W) is not None
        and _val(lvl, "isLgl") not in ("0", "false", "off"),
        font=_font(lvl.find("w:rPr/w:rFonts", _W)),
    )


def _font(fonts: etree._Element | None) -> str | None:
    if fonts is None:
        return None
    return fonts.get(_q("ascii")) or fonts.get(_q("hAnsi")) or fonts.get(_q("cs"))


def _levels(parent: etree._Element) -> dict[int, Level]:
    return {_int(lvl.get(_q("ilvl")), 0): _level(lvl) for lvl in parent.iterfind("w:lvl", _W)}


class Numbering:
    """Counts a document's lists in reading order and labels each numbered paragraph.

    ``numbering`` and ``styles`` are the XML of ``word/numbering.xml`` and
    ``word/styles.xml`` (either may be missing). Call :meth:`label` on every body
    paragraph in document order, numbered or not.
    """

    def __init__(self, numbering: bytes | None, styles: bytes | None = None) -> None:
        self._abstract: dict[str, etree._Element] = {}
        self._nums: dict[str, tuple[str, etree._Element]] = {}
        self._lists: dict[str, _List] = {}
        self._restarted: set[str] = set()
        self._styles: dict[str, etree._Element] = {}
        if numbering:
            root = etree.fromstring(numbering)
            for node in root.iterfind("w:abstractNum", _W):
                self._abstract[node.get(_q("abstractNumId"), "")] = node
            for num in root.iterfind("w:num", _W):
                self._nums[num.get(_q("numId"), "")] = (_val(num, "abstractNumId") or "", num)
        if styles:
            for style in etree.fromstring(styles).iterfind("w:style", _W):
                self._styles[style.get(_q("styleId"), "")] = style

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, str | None]:
        """The numId and ilvl a paragraph style gives, following ``basedOn``."""
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self._styles.get(style_id)
            if style is None:
                break
            num_pr = style.find("w:pPr/w:numPr", _W)
            if num_pr is not None:
                return _val(num_pr, "numId"), _val(num_pr, "ilvl")
            style_id = _val(style, "basedOn")
        return None, None

    def tab_leader(self, p: etree._Element) -> str | None:
        """The leader Word draws up to the paragraph's last tab stop (``dot``,
        ``middleDot``, ``hyphen``…), set on the paragraph or its style (following
        ``basedOn``), as a table of contents' entries have; None for none."""
        ppr = p.find("w:pPr", _W)
        props = [ppr]
        style_id, seen = _val(ppr, "pStyle"), set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            props.append(self._styles[style_id].find("w:pPr", _W))
            style_id = _val(self._styles[style_id], "basedOn")
        for node in props:
            stops = [] if node is None else node.findall("w:tabs/w:tab", _W)
            stops = [t for t in stops if t.get(_q("val")) != "clear"]
            if stops:
                last = max(stops, key=lambda t: _int(t.get(_q("pos")), 0))
                leader = last.get(_q("leader"))
                return None if leader in (None, "none") else leader
        return None

    def _definition(self, abstract_id: str) -> etree._Element | None:
        """The list definition, through a ``numStyleLink`` to the style that defines it."""
        node = self._abstract.get(abstract_id)
        link = _val(node, "numStyleLink")
        if link is not None:
            num_id, _ = self._style_numbering(link)
            linked = self._nums.get(num_id or "")
            if linked is not None and linked[0] != abstract_id:
                return self._abstract.get(linked[0])
        return node

    def label(self, p: etree._Element) -> str:
        """The label Word prints before paragraph ``p`` with its separator (``"1. "``),
        or ``""``; counts ``p`` if it is numbered."""
        ppr = p.find("w:pPr", _W)
        num_pr = None if ppr is None else ppr.find("w:numPr", _W)
        num_id = _val(num_pr, "numId")
        ilvl = _val(num_pr, "ilvl")
        style_id = _val(ppr, "pStyle")
        if num_id is None:
            num_id, style_ilvl = self._style_numbering(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return ""
        abstract_id, num = self._nums[num_id]
        definition = self._definition(abstract_id)
        if definition is None:
            return ""
        if ilvl is None:
            ilvl = next(
                (
                    lvl.get(_q("ilvl"))
                    for lvl in definition.iterfind("w:lvl", _W)
                    if _val(lvl, "pStyle") == style_id
                ),
                "0",
            )
        level = _int(ilvl, 0)
        if abstract_id not in self._lists:
            self._lists[abstract_id] = _List(_levels(definition))
        the_list = self._lists[abstract_id]
        levels = {**the_list.levels}
        overrides: dict[int, int] = {}
        for override in num.iterfind("w:lvlOverride", _W):
            at = _int(override.get(_q("ilvl")), 0)
            replaced = override.find("w:lvl", _W)
            if replaced is not None:
                levels[at] = _level(replaced)
            start = _val(override, "startOverride")
            if start is not None:
                overrides[at] = _int(start, 1)
        if num_id not in self._restarted:
            self._restarted.add(num_id)
            for at, first in overrides.items():
                the_list.counts[at] = first - 1
                for deeper in [k for k in the_list.counts if k > at]:
                    del the_list.counts[deeper]
        this = levels.get(level, Level())
        counts = the_list.counts
        counts[level] = counts.get(level, this.start - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        if this.fmt == "bullet":
            bullet = "".join(symbol(this.font, char) for char in this.text)
            return bullet + this.separator if bullet else ""

        def draw(m: re.Match[str]) -> str:
            at = int(m.group(1)) - 1
            shown = levels.get(at, Level())
            count = counts.get(at, shown.start)
            fmt = "decimal" if this.legal and shown.fmt != "none" else shown.fmt
            return FORMATS.get(fmt, str)(count)

        text = re.sub(r"%([1-9])", draw, this.text)
        return text + this.separator if text else ""
