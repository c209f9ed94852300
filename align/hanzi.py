"""Simplified and Traditional Chinese: which one a text is written in, and the TM's tag.

A CAT tool keeps ``zh-CN`` and ``zh-TW`` apart: a Taiwan or Hong Kong translator's
project does not offer units tagged ``zh-CN``. So a document given as plain ``zh``
that is written in Traditional characters is tagged ``zh-TW``, and a declared
region or script that its characters contradict is worth a warning. The script is
told by the characters only one of the two writes (们 or 們), as CC-CEDICT pairs them.
A Traditional side is compared as Simplified, which the encoder knows far better.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from align.languages import base_language
from align.lexicon import cedict_entries

SIMPLIFIED, TRADITIONAL = "Hans", "Hant"
SCRIPT_NAMES = {SIMPLIFIED: "Simplified", TRADITIONAL: "Traditional"}
SCRIPT_OF_REGION = {
    "CN": SIMPLIFIED, "SG": SIMPLIFIED, "MY": SIMPLIFIED,
    "TW": TRADITIONAL, "HK": TRADITIONAL, "MO": TRADITIONAL,
}  # fmt: skip
"""The script each Chinese-speaking region writes, for a tag that names a region only."""
TRADITIONAL_TAG = "zh-TW"
"""The tag a Traditional document given as plain ``zh`` gets: the one OmegaT, Trados,
memoQ and Phrase all know (Hong Kong's ``zh-HK`` must be asked for)."""
MIN_EVIDENCE = 20
"""Characters of one script only that a text must have for its script to be told."""
DOMINANCE = 0.9
"""Share of those characters one script must have: a Simplified text quoting a name
in Traditional characters is still Simplified."""


@lru_cache(maxsize=1)
def distinctive_characters() -> dict[str, str]:
    """Each character only one of the two scripts writes, with that script.

    From CC-CEDICT's one-character entries whose two forms differ, less any character
    the other script writes too (后 is the simplified 後 and also the traditional 后):
    about 2,700 simplified and 3,600 traditional characters. Empty without the package.
    """
    simplified: set[str] = set()
    traditional: set[str] = set()
    written_simplified: set[str] = set()
    written_traditional: set[str] = set()
    for trad, simp, _ in cedict_entries():
        if len(trad) == 1 and len(simp) == 1:
            written_traditional.add(trad)
            written_simplified.add(simp)
            if trad != simp:
                traditional.add(trad)
                simplified.add(simp)
    return {
        **{ch: SIMPLIFIED for ch in simplified - written_traditional},
        **{ch: TRADITIONAL for ch in traditional - written_simplified},
    }


SIMPLIFIED_SHARE = 0.8
"""How often CC-CEDICT's words must write a Traditional character otherwise in Simplified
for :func:`simplified_forms` to change it (於 is 于 in 關於, 對於, 於是; 於 in a name)."""


@lru_cache(maxsize=1)
def simplified_forms() -> dict[int, str]:
    """Traditional characters → their Simplified forms, for ``str.translate``.

    A character is changed where CC-CEDICT's words write it otherwise in Simplified
    :data:`SIMPLIFIED_SHARE` of the time or more, to the form they most often take
    (發 and 髮 are both 发). Only a text found to be Traditional is translated, so a
    character Simplified also writes now and then (於, in names) can be taken too.
    """
    changed: dict[str, Counter[str]] = defaultdict(Counter)
    kept: Counter[str] = Counter()
    for trad, simp, _ in cedict_entries():
        if len(trad) == len(simp):
            for t, s in zip(trad, simp, strict=True):
                if t != s:
                    changed[t][s] += 1
                else:
                    kept[t] += 1
    return {
        ord(t): forms.most_common(1)[0][0]
        for t, forms in changed.items()
        if forms.total() >= SIMPLIFIED_SHARE * (forms.total() + kept[t])
    }


def as_simplified(texts: Sequence[str], lang: str) -> Sequence[str]:
    """A Chinese side written in Traditional characters as Simplified ones, for the
    encoder; any other side as it is.

    The multilingual encoder knows Simplified Chinese far better: on MAC-Dev turned
    into Traditional characters, F1 falls from 0.922 to 0.894 as it is, and comes back
    to 0.922 when encoded as Simplified. Only what the aligner compares changes: the TM keeps
    the text as written. The mapping is one character for one, so lengths, numbers
    and quotes stay where they were.
    """
    if base_language(lang) != "zh" or chinese_script("".join(texts)) != TRADITIONAL:
        return texts
    table = simplified_forms()
    return [text.translate(table) for text in texts]


def chinese_script(text: str) -> str | None:
    """``Hans`` or ``Hant``, whichever script ``text`` is written in, or None where it has
    too few characters of either (:data:`MIN_EVIDENCE`) or mixes them."""
    table = distinctive_characters()
    counts = Counter(table[ch] for ch in text if ch in table)
    total = sum(counts.values())
    if total < MIN_EVIDENCE:
        return None
    script, most = counts.most_common(1)[0]
    return script if most >= DOMINANCE * total else None


def declared_script(tag: str) -> str | None:
    """The script a Chinese tag names (``zh-Hant-HK``, ``zh-Hans``) or implies by its
    region (``zh-TW``, ``zh_CN``); None for plain ``zh`` or another language."""
    parts = tag.replace("_", "-").split("-")
    if base_language(tag) != "zh":
        return None
    for part in parts[1:]:
        if part.title() in SCRIPT_NAMES:
            return part.title()
    return next(
        (SCRIPT_OF_REGION[p.upper()] for p in parts[1:] if p.upper() in SCRIPT_OF_REGION), None
    )


def tag_for_script(tag: str, found: str | None, flag: str = "--src-lang") -> tuple[str, str | None]:
    """The tag a side's TM carries, given the script its text is ``found`` written in
    (:func:`chinese_script`), and what the user should hear about it.

    Plain ``zh`` written in Traditional characters becomes :data:`TRADITIONAL_TAG`;
    a tag whose region or script the characters contradict stays, with a warning
    (a translator may have picked the wrong language version). Any other tag stays,
    silently. The message has no subject (the caller puts the file's name first) and
    names ``flag`` as the way to give another tag.
    """
    if base_language(tag) != "zh" or found is None:
        return tag, None
    declared = declared_script(tag)
    if declared is None and found == TRADITIONAL and tag.lower() == "zh":
        return TRADITIONAL_TAG, (
            f"is written in Traditional Chinese: the TM tags it {TRADITIONAL_TAG} "
            f"(set {flag} zh-HK, zh-MO or zh-Hant for another tag)"
        )
    if declared is not None and declared != found:
        return tag, (
            f"is written in {SCRIPT_NAMES[found]} Chinese but {flag} is {tag} "
            f"({SCRIPT_NAMES[declared]}): check that it is the language version you meant"
        )
    return tag, None
