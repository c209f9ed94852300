"""Language codes as users type them and as outputs need them.

Translators type ``zh``, ``zh-CN``, ``ZH-cn`` or, from Java and Linux locales,
``zh_CN``. Every stage that behaves differently per language (cleaning,
segmenting, the lexicon, clause cuts, joining sentences) must read all of them
as Chinese, and every output must carry a tag a CAT tool accepts: ``xml:lang``
is a BCP 47 tag, which has hyphens, never underscores.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from align.errors import InputError

CJK_LANGS = ("zh", "ja")
"""Languages written in ideographs, for the checks that a file is in its declared language."""

NO_SPACE_LANGS = ("zh", "ja", "th")
"""Languages that write no space between sentences."""

IDEOGRAPHS = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
"""Chinese characters (CJK unified ideographs with their extensions, and compatibility
ideographs), as a range for a regular expression's character class."""
IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]")
CJK_TEXT = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
"""What Chinese and Japanese text is written in besides Latin: radicals, CJK punctuation,
kana, ideographs and full-width forms, as a range for a character class."""

_SUBTAG = re.compile(r"[-_]")


def base_language(code: str) -> str:
    """The primary language subtag, lower-case: ``zh_CN``, ``zh-Hans``, ``ZH`` → ``zh``."""
    return _SUBTAG.split(code.strip(), maxsplit=1)[0].lower()


def language_tag(code: str) -> str:
    """``code`` as a BCP 47 tag in its usual casing: ``zh_cn`` → ``zh-CN``,
    ``zh-hans-tw`` → ``zh-Hans-TW``, ``EN`` → ``en``.

    Underscores become hyphens; the language is lower-case, a four-letter script
    title-case, a two-letter region upper-case; other subtags (``419``,
    variants) keep their letters lower-case.
    """
    parts = [p for p in _SUBTAG.split(code.strip()) if p]
    if not parts:
        return code
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


LANG_CODES = {"zh": "zh-CN", "en": "en-US", "de": "de-DE", "fr": "fr-FR"}
"""The region plain codes stand for in outputs, as CAT tools expect one."""


def lang_code(lang: str) -> str:
    """The region-qualified code CAT tools expect: zh -> zh-CN, en -> en-US; any other
    code as a BCP 47 tag (zh_TW -> zh-TW), since ``xml:lang`` has no underscores."""
    return LANG_CODES.get(lang.lower(), language_tag(lang))


def variants_of_one_language(a: str, b: str) -> bool:
    """Whether two tags are two variants of one language (``zh-CN`` and ``zh-TW``,
    ``en-US`` and ``en-GB``): a localization, where a sentence may rightly stay as it is.
    Tags that come out alike (``en`` and ``en``, ``zh`` and ``zh-CN``) are one language
    given twice, not that."""
    return base_language(a) == base_language(b) and lang_code(a) != lang_code(b)


def cjk_share(text: str) -> tuple[float, int]:
    """The share of CJK ideographs among the letters of ``text``, and the letter count."""
    letters = sum(1 for ch in text if ch.isalpha())
    if not letters:
        return 0.0, 0
    return len(IDEOGRAPH.findall(text)) / letters, letters


def is_cjk(code: str) -> bool:
    return base_language(code) in CJK_LANGS


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width rendering: a wide (CJK) character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_SCRIPT_OF = {
    "zh": IDEOGRAPH,
    "ja": re.compile(f"[{IDEOGRAPHS}\u3040-\u30ff]"),
    "ko": re.compile("[\uac00-\ud7af\u1100-\u11ff]"),
    "ru": re.compile("[\u0400-\u04ff]"),
    "ar": re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
}
"""The letters each language not written in Latin letters is written in."""
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_KANA = re.compile("[\u3040-\u30ff]")
FUNCTION_WORDS = {
    "en": "the of and to that is for on with by as".split(),
    "fr": "le les des et du une pour dans sur par est au aux".split(),
    "es": "el los las del y por una con se al como".split(),
    "de": "der die das und den von zu mit für im nicht ist".split(),
    "it": "il di che della delle per nel con sono gli".split(),
    "pt": "os da do das dos em uma com não ao".split(),
    "nl": "het een van op te dat voor met zijn niet".split(),
}
"""Common words of languages written in Latin letters that the others do not use as
much (``la``, ``de``, ``que`` are in several, so in none), which tell them apart."""
_WORD = re.compile(r"[^\W\d_]+")


NAMES = {
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ru": "Russian", "ar": "Arabic",
    "en": "English", "fr": "French", "es": "Spanish", "de": "German", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch",
}  # fmt: skip
"""The languages :func:`guess_language` knows, by name."""


def guess_language(
    text: str, candidates: Sequence[str], margin: float = 2.0, least: int = 5
) -> str | None:
    """Which of ``candidates`` ``text`` is written in, or None where it cannot tell.

    The script decides first (Chinese, Russian, Arabic... against a language written in
    Latin letters); between languages written in the same letters, their commonest words
    (:data:`FUNCTION_WORDS`) do, where one has ``margin`` times any other's count and at
    least ``least`` of them.
    """
    letters = "".join(filter(str.isalpha, text))
    if len(letters) < 20:
        return None

    def share(script: re.Pattern[str]) -> float:
        return len(script.findall(letters)) / len(letters)

    possible = [
        lang for lang in candidates if share(_SCRIPT_OF.get(base_language(lang), _LATIN)) >= 0.3
    ]
    kana = share(_KANA)
    japanese = {"ja"} if kana >= 0.05 else {"zh"}  # both write ideographs; only one kana
    possible = [lang for lang in possible if base_language(lang) not in {"zh", "ja"} - japanese]
    if len(possible) <= 1:
        return possible[0] if possible else None
    words = Counter(_WORD.findall(text.lower()))
    scores = {
        lang: sum(words[w] for w in FUNCTION_WORDS.get(base_language(lang), ()))
        for lang in possible
    }
    best, *rest = sorted(possible, key=lambda lang: -scores[lang])
    runner_up = max((scores[lang] for lang in rest), default=0)
    return best if scores[best] >= max(margin * runner_up, least) else None


ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi
    ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks
    ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl
    nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve
    vi vo wa wo xh yi yo za zh zu""".split()
)
"""The two-letter language codes (ISO 639-1), the only two-letter ones BCP 47 allows."""

ISO_3166_1 = frozenset(
    """AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
    BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE
    DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN
    GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE
    KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK
    ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA
    PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK
    SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
    UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW EU UN""".split()
)
"""The two-letter regions BCP 47 takes (ISO 3166-1, with the EU and the UN it registers)."""

_INSTEAD = {
    # country codes and habits typed for a language
    "jp": "ja", "cn": "zh", "gr": "el", "dk": "da", "cz": "cs", "ua": "uk", "vn": "vi",
    # codes BCP 47 has replaced (Java still writes the first three)
    "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro",
    # three-letter codes of languages that have a two-letter one
    "eng": "en", "zho": "zh", "chi": "zh", "cmn": "zh", "fra": "fr", "fre": "fr",
    "deu": "de", "ger": "de", "spa": "es", "rus": "ru", "ara": "ar", "jpn": "ja",
    "kor": "ko", "por": "pt", "ita": "it", "nld": "nl", "dut": "nl",
    # Microsoft's old Chinese codes, which Trados and .NET once wrote
    "zh-chs": "zh-Hans", "zh-cht": "zh-Hant",
}  # fmt: skip
"""What a translator means by a code no CAT tool maps to a language, and what to write."""

_REGION_INSTEAD = {"UK": "GB"}
_COUNTRY = {"zh": "CN", "en": "US", "ja": "JP", "ko": "KR", "ru": "RU", "fr": "FR", "de": "DE"}

_TAG_SHAPE = re.compile(r"[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*")
_NOT_A_CODE = "not a language code: write one like zh, zh-CN, zh-TW, en or en-GB"
_CODE_OF_NAME = {name.lower(): lang for lang, name in NAMES.items()}


def tag_problem(code: str) -> str | None:
    """What is wrong with ``code`` as the language of a document or a TM, and what to
    write instead; None when a CAT tool will know it.

    A code a CAT tool does not know (``en-UK``, ``jp``, ``eng``, ``english``) is still
    written into every ``xml:lang`` of the TMX, and the tool then files the TM under no
    language or refuses it, so it is stopped before any work."""
    code = code.strip()
    if not _TAG_SHAPE.fullmatch(code):
        return _NOT_A_CODE
    parts = [p for p in _SUBTAG.split(code) if p]
    primary = parts[0].lower()
    instead = _INSTEAD.get("-".join(parts[:2]).lower()) or _INSTEAD.get(primary)
    if instead:
        rest = parts[2:] if "-" in instead else parts[1:]
        return f"not a code CAT tools know: write {language_tag('-'.join([instead, *rest]))}"
    if primary in _CODE_OF_NAME:
        return f"a language's name, not its code: write {_CODE_OF_NAME[primary]}"
    if len(primary) > 3:
        return _NOT_A_CODE
    if len(primary) == 2 and primary not in ISO_639_1:
        return f"{primary} is no language's code (ISO 639-1): write one like zh or en"
    for i, part in enumerate(parts[1:], 1):
        region = part.upper()
        if len(part) != 2 or not part.isalpha() or region in ISO_3166_1:
            continue
        if region in _REGION_INSTEAD:
            instead = "UA" if primary == "uk" else _REGION_INSTEAD[region]  # Ukrainian
            tag = language_tag("-".join([*parts[:i], instead, *parts[i + 1 :]]))
            return f"{region} is not a region code: write {tag}"
        country = f" ({primary}-{_COUNTRY[primary]})" if primary in _COUNTRY else ""
        return (
            f"{region} is no country's code (ISO 3166-1): write {primary} alone, "
            f"or with its country{country}"
        )
    return None


def checked_tag(code: str, what: str = "language") -> str:
    """``code`` as a BCP 47 tag (:func:`language_tag`), or :class:`InputError` saying
    what is wrong with it and what to write (:func:`tag_problem`)."""
    problem = tag_problem(code)
    if problem:
        raise InputError(f"{what} {code!r}: {problem}")
    return language_tag(code)
