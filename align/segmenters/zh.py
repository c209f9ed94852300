"""Chinese (and Japanese) sentence splitting: jieba tokens plus UN punctuation rules."""

from __future__ import annotations

import logging
import re
import threading

from align.languages import IDEOGRAPH, IDEOGRAPHS
from align.segmenters.base import Segmenter, Span, spans_from_cuts

FULL_STOPS = frozenset("。！？")
ASCII_STOPS = frozenset("!?")
CLOSERS = frozenset("”’」』）》)]】〉")
PAIRS = {
    "《": "》",
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "（": "）",
    "(": ")",
    "[": "]",
    "【": "】",
    "〈": "〉",
}
CLOSE_TO_OPEN = {close: open_ for open_, close in PAIRS.items()}
STRAIGHT_QUOTE = '"'
"""The ASCII double quote, which opens and closes alike: which it does, only the count tells
(:func:`straight_closers`). The ASCII ``'`` is not counted: it is also the apostrophe of
the Latin names Chinese text quotes (``Côte d'Ivoire``, ``States'``)."""
_CHAPTER_LABEL = re.compile("[一二三四五六七八九十]{1,3}")
"""What stands before the full stop of a chapter's number, ``一. 导言``, as the UN's Chinese
reports number them: a label, not a sentence."""

_jieba_lock = threading.Lock()
_jieba_ready = False


_PERIOD_AFTER_IDEOGRAPH = re.compile(f"[{IDEOGRAPHS}]\\.")
_STOP_OR_CLOSER = "".join(sorted(FULL_STOPS | ASCII_STOPS | CLOSERS | {STRAIGHT_QUOTE}))
_PIECES = re.compile(f"[^{re.escape(_STOP_OR_CLOSER)}]+|.", re.DOTALL)


def _tokenize(text: str) -> list[tuple[str, int, int]]:
    """The tokens the scan needs, with exact offsets: jieba's where its words can move a cut,
    else each stop and closer alone and the runs of text between them.

    jieba puts every character outside its word class (``。！？!?``, closing brackets and
    quotes) in a token of its own, so its words decide a cut only for an ASCII period after
    an ideograph (``签署.他说`` against ``L.107``). A paragraph without one is cut the same
    without them, and a document without one never loads jieba's dictionary: nearly a
    second of every run.
    """
    if _PERIOD_AFTER_IDEOGRAPH.search(text) is None:
        return [(m.group(), m.start(), m.end()) for m in _PIECES.finditer(text)]
    return _jieba_tokens(text)


def _jieba_tokens(text: str) -> list[tuple[str, int, int]]:
    """jieba tokens with exact offsets; jieba is initialised once, quietly, on first use."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return list(jieba.tokenize(text))


def is_cjk(ch: str) -> bool:
    """CJK ideographs, kana, Hangul and CJK/full-width punctuation."""
    code = ord(ch)
    return (
        0x3000 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
    )


def bracketed(text: str) -> list[bool]:
    """``inside[b]`` is True when a cut before ``text[b]`` would fall inside a bracket pair.

    Only pairs that actually close count: an opener that never closes (or is
    closed by the wrong bracket) is ignored, so a stray "《" cannot protect the
    rest of the paragraph from splitting.
    """
    depth = [0] * (len(text) + 2)
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in CLOSE_TO_OPEN:
            want = CLOSE_TO_OPEN[ch]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    opened = stack[k][1]
                    del stack[k:]
                    depth[opened + 1] += 1
                    depth[i + 1] -= 1
                    break
    inside: list[bool] = []
    level = 0
    for b in range(len(text) + 1):
        level += depth[b]
        inside.append(level > 0)
    return inside


def straight_closers(text: str) -> set[int]:
    """Offsets of the ASCII double quotes that close a quote: every second one, counted from
    the start of ``text``. Such a quote after a sentence's stop ends that sentence
    (``他说："……。"我们同意``); one that opens begins the next (``同意。"下一句"``)."""
    quotes = [i for i, ch in enumerate(text) if ch == STRAIGHT_QUOTE]
    return set(quotes[1::2])


def inside_straight_quotes(text: str, inside: list[bool]) -> list[bool]:
    """``inside`` (:func:`bracketed`) with the spans of ASCII double quotes added, where
    they pair up (an even number of them in ``text``): a quoted ``"……。……"`` stays one
    sentence, as it does between “ ”."""
    quotes = [i for i, ch in enumerate(text) if ch == STRAIGHT_QUOTE]
    if not quotes or len(quotes) % 2:
        return inside
    out = list(inside)
    for opened, closed in zip(quotes[0::2], quotes[1::2], strict=True):
        out[opened + 1 : closed + 1] = [True] * (closed - opened)
    return out


class ZhSegmenter(Segmenter):
    """Splits Chinese after 。！？ (and ASCII ! ? before CJK, and an ASCII full stop
    between two Chinese sentences, as web pages type it: ``欢迎.他说``), never inside
    brackets.

    The scan walks jieba tokens rather than characters, so a cut can only fall
    on a word boundary. jieba keeps runs of Latin letters, digits and
    ``. - + # & % _`` as one token ("2.5", "S-30", "L.107"), so a period glued
    inside such a run is never a cut point (a paragraph with no period after an
    ideograph needs no words at all: :func:`_tokenize`).
    Brackets and quotes (《》 “” 「」 （） ()) are tracked by matched pairs, which
    is what keeps "127(s)" and a quoted "…。…" in one piece, ASCII ``"…。…"`` too
    (:func:`inside_straight_quotes`). An ASCII ``"`` after a stop goes with the sentence
    it closes (:func:`straight_closers`). "，" and "；" never
    cut inside a paragraph: the paragraph end, given by the block, already ends
    the segment.
    """

    lang = "zh"

    def split(self, text: str) -> list[Span]:
        tokens = _tokenize(text)
        inside = inside_straight_quotes(text, bracketed(text))
        closing = straight_closers(text)
        cuts: list[int] = []
        i = 0
        while i < len(tokens):
            word, start = tokens[i][0], tokens[i][1]
            period = (
                word == "."
                and start > 0
                and IDEOGRAPH.match(text[start - 1]) is not None
                and not _CHAPTER_LABEL.fullmatch(text[:start].strip())
            )
            if not word or not (
                period or all(ch in FULL_STOPS or ch in ASCII_STOPS for ch in word)
            ):
                i += 1
                continue
            ascii_only = period or all(ch in ASCII_STOPS for ch in word)
            j = i + 1
            while j < len(tokens) and all(
                ch in FULL_STOPS or ch in ASCII_STOPS or ch in CLOSERS or at in closing
                for at, ch in enumerate(tokens[j][0], tokens[j][1])
            ):
                ascii_only = ascii_only and not any(ch in FULL_STOPS for ch in tokens[j][0])
                j += 1
            cut = tokens[j - 1][2]
            i = j
            if cut >= len(text) or inside[cut]:
                continue
            if ascii_only:
                rest = text[cut:].lstrip()
                if not rest or not is_cjk(rest[0]):
                    continue
            cuts.append(cut)
        return spans_from_cuts(text, cuts)
