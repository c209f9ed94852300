"""The segmenter interface: split each paragraph into sentence spans.

Paragraphs are split independently, so a paragraph end is always a segment
end. That is what makes the UN preambular "，"/"," and operative "；"/";"
endings segment ends without treating those marks as sentence breaks
inside a paragraph.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from align.types import CleanDocument, Segment

Span = tuple[int, int]


class Segmenter(ABC):
    """Splits one paragraph into sentences; ``segment`` applies it to a document."""

    lang: str

    @abstractmethod
    def split(self, text: str) -> list[Span]:
        """Sentence spans of one paragraph's text.

        Spans are sorted, disjoint, trimmed of whitespace and together cover
        every non-space character of ``text``.
        """

    def segment(self, doc: CleanDocument) -> list[Segment]:
        """Split every block and map the spans to ``doc.text`` offsets."""
        segments: list[Segment] = []
        for block in doc.blocks:
            if doc.text[block.start : block.end] != block.text:
                raise ValueError(
                    f"block {block.index} text does not match CleanDocument.text"
                    f"[{block.start}:{block.end}]; the cleaner built inconsistent offsets"
                )
            for start, end in self.split(block.text):
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
