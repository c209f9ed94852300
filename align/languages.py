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


def is_cjk(code: str) -> bool:
    return base_language(code) in CJK_LANGS


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width rendering: a wide (CJK) character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
