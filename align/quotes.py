"""Where a quotation opens and closes: shared by the aligner's ``quotes`` signal and the
reviewer's ``quotes`` flag, so both read a text's quotation marks the same way."""

from __future__ import annotations

import re
import unicodedata

QUOTATION_PAIRS = (("“", "”"), ("「", "」"), ("『", "』"))
_OPENERS = frozenset(o for o, _ in QUOTATION_PAIRS)
_DOUBLE = re.compile("[" + re.escape("".join(o + c for o, c in QUOTATION_PAIRS)) + "„]")
"""Double quotation marks; German's „ opens and closes with the mark English opens with."""
_SINGLE_OPEN = re.compile(r"(?:^|(?<=[\s(\[—–-]))['‘‚](?=\w)")
_SINGLE_CLOSE = re.compile(r"(?<=[.!?,;:…])['’](?!\w)|(?<=\w)['’](?=[,.;:!?)\]])")
_SINGLE_AFTER_WORD = re.compile(r"(?<=\w)['’](?=\s|$)")
_ANY = re.compile("['\"‘’‚„" + "".join(o + c for o, c in QUOTATION_PAIRS) + "]")


def quotation_state(text: str) -> str | None:
    """``open`` if a quotation opens and does not close, ``close`` if one closes unopened,
    ``None`` if the quotations balance, whichever style the language quotes in.

    “…”, 「…」 and German „…“ pair up; straight double quotes cannot tell
    opening from closing, so an odd count is ``open``. A text with no double
    quotation mark may quote with single ones ('Why not?' in British novels): a
    single quote that starts a word opens; one after sentence punctuation, or
    between a word and punctuation ('Mrs Zhou', she), closes; one inside a word
    (it's) is an apostrophe, and one after a word (civil 'how-do-you-do' and,
    the boys' toys) closes only a quotation that is open. Full-width marks count
    as their ASCII forms (NFKC).
    """
    text = unicodedata.normalize("NFKC", text)
    if not _ANY.search(text):
        return None
    marks = _DOUBLE.findall(text)
    if not marks and '"' not in text:
        steps = sorted(
            [(m.start(), 1) for m in _SINGLE_OPEN.finditer(text)]
            + [(m.start(), -1) for m in _SINGLE_CLOSE.finditer(text)]
            + [(m.start(), 0) for m in _SINGLE_AFTER_WORD.finditer(text)]
        )
        depth = 0
        for _, step in steps:
            if step == 0:  # after a word: an apostrophe unless a quotation is open
                step = -1 if depth > 0 else 0
            depth += step
            if depth < 0:
                return "close"
        return "open" if depth > 0 else None
    stack: list[str] = []
    for mark in marks:
        if stack and stack[-1] == "„" and mark == "“":
            stack.pop()
        elif mark in _OPENERS or mark == "„":
            stack.append(mark)
        elif not stack:
            return "close"
        else:
            stack.pop()
    return "open" if stack or text.count('"') % 2 else None


def has_quote(text: str) -> bool:
    """Whether ``text`` has any mark :func:`quotation_state` reads (most sentences have none)."""
    return bool(_ANY.search(unicodedata.normalize("NFKC", text)))
