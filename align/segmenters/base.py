"""The segmenter interface: split each paragraph into sentence spans.

Paragraphs are split independently, so a paragraph end is always a segment
end. That is what makes the UN preambular "，"/"," and operative "；"/";"
endings segment ends without treating those marks as sentence breaks
inside a paragraph.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

from align.languages import is_cjk
from align.types import CleanDocument, Segment

Span = tuple[int, int]

MAX_SENTENCE = {"cjk": 1500, "other": 4000}
"""The most characters one sentence may have; twice the longest of the gold sets (750
Chinese, 1,285 English). Longer, it is a table or a PDF text block run together with no
stop, and one such segment wrecks the search around it."""


def max_sentence(lang: str) -> int:
    """:data:`MAX_SENTENCE` for ``lang``."""
    return MAX_SENTENCE["cjk" if is_cjk(lang) else "other"]


def shortest_piece(lang: str) -> int:
    """How short :func:`cap` may cut a piece of an overlong sentence (its last piece
    aside): it cuts at a break in the second half of the limit."""
    return max_sentence(lang) // 2


_SOFT_BREAK = re.compile(r"[，；、：,;:]\s*|\s+")


@dataclass(frozen=True)
class Overlong:
    """A sentence :func:`cap` cut: its paragraph, length and the pieces it became."""

    paragraph: int
    length: int
    pieces: int


class Segmenter(ABC):
    """Splits one paragraph into sentences; ``segment`` applies it to a document."""

    lang: str

    @abstractmethod
    def split(self, text: str) -> list[Span]:
        """Sentence spans of one paragraph's text.

        Spans are sorted, disjoint, trimmed of whitespace and together cover
        every non-space character of ``text``.
        """

    def segment(self, doc: CleanDocument, overlong: list[Overlong] | None = None) -> list[Segment]:
        """Split every block and map the spans to ``doc.text`` offsets; a sentence longer
        than :data:`MAX_SENTENCE` is cut (:func:`cap`) and listed in ``overlong``."""
        limit = max_sentence(doc.lang)
        segments: list[Segment] = []
        for block in doc.blocks:
            if doc.text[block.start : block.end] != block.text:
                raise ValueError(
                    f"block {block.index} text does not match CleanDocument.text"
                    f"[{block.start}:{block.end}]; the cleaner built inconsistent offsets"
                )
            spans: list[Span] = []
            for span in self.split(block.text):
                pieces = cap(block.text, span, limit)
                if len(pieces) > 1 and overlong is not None:
                    overlong.append(Overlong(block.index, span[1] - span[0], len(pieces)))
                spans += pieces
            for start, end in spans:
                segments.append(
                    Segment(
                        text=block.text[start:end],
                        paragraph=block.index,
                        start=block.start + start,
                        end=block.start + end,
                        kind=block.kind,
                        footnote=block.footnote,
                        links=block.links,
                    )
                )
        return segments


def trim(text: str, start: int, end: int) -> Span | None:
    """``(start, end)`` shrunk past surrounding whitespace, or None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def spans_from_cuts(text: str, cuts: list[int]) -> list[Span]:
    """Cut ``text`` at the given offsets and trim each piece; empty pieces vanish."""
    spans: list[Span] = []
    bounds = [0, *sorted(set(cuts)), len(text)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        span = trim(text, start, end)
        if span is not None:
            spans.append(span)
    return spans


def cap(text: str, span: Span, limit: int) -> list[Span]:
    """``span`` of ``text`` cut into pieces of at most ``limit`` characters, each at the
    last comma, semicolon or space before the limit where there is one (else at the
    limit); every character stays in a piece."""
    start, end = span
    pieces: list[Span] = []
    while end - start > limit:
        window = text[start : start + limit]
        breaks = [m.end() for m in _SOFT_BREAK.finditer(window) if m.end() < limit]
        cut = start + (breaks[-1] if breaks and breaks[-1] > limit // 2 else limit)
        piece = trim(text, start, cut)
        if piece is not None:
            pieces.append(piece)
        start = cut
    last = trim(text, start, end)
    if last is not None:
        pieces.append(last)
    return pieces
