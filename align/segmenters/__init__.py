"""The segment stage: CleanDocument -> list[Segment], one language-aware splitter per language."""

from __future__ import annotations

from functools import cache

from align.languages import is_cjk
from align.segmenters.base import Overlong, Segmenter, Span
from align.segmenters.en import MosesSegmenter
from align.segmenters.zh import ZhSegmenter
from align.types import CleanDocument, Segment

__all__ = [
    "MosesSegmenter",
    "Overlong",
    "Segmenter",
    "Span",
    "ZhSegmenter",
    "get_segmenter",
    "segment_document",
]


@cache
def get_segmenter(lang: str) -> Segmenter:
    """zh, zh-CN, zh-TW, zh_Hans... and ja -> ZhSegmenter; anything else -> MosesSegmenter(lang).

    Japanese ends sentences with the same full-width stops and writes no space
    after them, which the Moses rules need. The Moses splitter uses that
    language's non-breaking prefixes where sacremoses has them and English ones
    otherwise.
    """
    if is_cjk(lang):
        return ZhSegmenter()
    return MosesSegmenter(lang)


def segment_document(doc: CleanDocument, overlong: list[Overlong] | None = None) -> list[Segment]:
    """Segment ``doc`` with the splitter for ``doc.lang``; sentences cut for their length
    are listed in ``overlong``."""
    return get_segmenter(doc.lang).segment(doc, overlong)
