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
