"""Plain data that flows between the pipeline stages.

read -> RawDocument -> clean -> CleanDocument -> segment -> list[Segment]
-> embed -> align -> Alignment -> write / report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

from align.languages import NO_SPACE_LANGS, base_language

BlockKind = Literal["heading", "body", "footnote"]
BLOCK_KINDS: tuple[BlockKind, ...] = get_args(BlockKind)


def block_kind(value: object) -> BlockKind | None:
    """``value`` as a block kind, or None where it names none (a file's own word for it)."""
    return next((k for k in BLOCK_KINDS if k == value), None)


Layout = Literal["auto", "wrapped", "paragraphs"]
"""How a raw text's lines relate to its paragraphs: ``wrapped`` (a PDF extraction, a
paragraph broken over many lines), ``paragraphs`` (one paragraph per line, as Word and
"save as text" write), or ``auto`` (the cleaner tells them apart)."""


@dataclass(frozen=True)
class RawDocument:
    """A document as read from disk, before any cleaning.

    ``plain_forms``: characters of PDF extraction (ligatures, presentation forms,
    radicals) the reader replaced by the ordinary ones they stand for. ``layout``:
    what the reader knows of how lines make paragraphs. ``reader``: the library (and
    program) that read it, with versions, where one did (``pypdf 5.1.0``): the TM
    records it, since another version may read the same file differently.
    """

    text: str
    path: str
    encoding: str
    lang: str
    plain_forms: int = 0
    layout: Layout = "auto"
    reader: str = ""


@dataclass(frozen=True)
class Removal:
    """Characters the cleaner dropped from the raw text, and why.

    ``start``/``end`` index the raw text; ``reason`` is a short key such as
    ``page-counter``, ``job-number``, ``link``, ``footnote-ref``, ``line-break``.
    """

    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class Block:
    """One paragraph of cleaned text: a heading, a body paragraph or a footnote.

    ``start``/``end`` index ``CleanDocument.text``. ``footnote`` is the footnote
    mark (``"1"``, ``"*"``) for footnote blocks; ``links`` are the URLs the
    PDF carried for this paragraph; ``refs`` the footnote marks removed from it.
    """

    index: int
    kind: BlockKind
    text: str
    start: int
    end: int
    footnote: str | None = None
    links: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanDocument:
    """Cleaned text as paragraphs; ``text`` is the blocks joined with newlines.

    ``spans`` are the runs of ``text`` copied verbatim from the raw text, as
    ``(start in text, start in raw, length)``; the characters of ``text`` outside
    them were inserted (block separators, line-join spaces). Spans and
    ``removals`` together cover the raw text exactly once. ``layout`` is how the
    lines were read: ``wrapped`` or ``paragraphs``.
    """

    lang: str
    text: str
    blocks: tuple[Block, ...]
    removals: tuple[Removal, ...]
    links: tuple[str, ...] = ()
    spans: tuple[tuple[int, int, int], ...] = ()
    layout: Layout = "wrapped"


@dataclass(frozen=True)
class Segment:
    """A sentence (or heading, or footnote) to be aligned.

    ``start``/``end`` index ``CleanDocument.text``; ``paragraph`` is the
    ``Block.index`` it came from.
    """

    text: str
    paragraph: int
    start: int
    end: int
    kind: BlockKind = "body"
    footnote: str | None = None
    links: tuple[str, ...] = ()


BeadIds = tuple[tuple[int, ...], tuple[int, ...]]
"""A bead as its source and target sentence indices, ``((0, 1), (0,))``."""


@dataclass(frozen=True)
class Bead:
    """A group of source and target segments that translate each other.

    ``src``/``tgt`` are indices into the segment lists of the ``Alignment``;
    either may be empty (an omission). ``confidence`` is in [0, 1];
    ``similarity`` is the cosine of the two sides' vectors, the encoder's raw
    verdict (for several sentences, their joined text's embedding blended with
    their mean, ``AlignConfig.joined``; ``None`` for an omission, or where it is
    not known).
    ``stray`` names a first or last sentence of a many-sentence side,
    ``("src", i)`` or ``("tgt", j)``, that the other side seems not to
    translate: an omission the aligner folded into its neighbour's bead.
    ``alternative`` is the likeliest other bead over some of the same sentences
    (its ``src`` and ``tgt``), where the aligner gave it a fair share of the
    ways to cut the documents: where to look first if this bead is wrong.
    ``moved`` says the two sides stand at different places in their documents
    (a caption or box the layout put elsewhere): the bead is out of the target's order.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 0.0
    similarity: float | None = None
    stray: tuple[str, int] | None = None
    alternative: BeadIds | None = None
    moved: bool = False

    @property
    def kind(self) -> str:
        """How many sentences each side holds, ``2-1``, as the TMX's ``x-bead`` says it."""
        return f"{len(self.src)}-{len(self.tgt)}"


@dataclass
class Alignment:
    """The result of aligning two documents, with what it depends on.

    ``src``/``tgt`` are each document's sentences in order; ``beads`` pair them, in the
    source's order, every sentence in exactly one bead (one-sided where it has no
    counterpart). ``signature`` is what the result depends on (tool, encoder, settings,
    how each file was read), as the TM's header records it; ``document`` the name the TM
    gives the document (``A_77_L.107``), or empty.
    """

    src_lang: str
    tgt_lang: str
    src: list[Segment]
    tgt: list[Segment]
    beads: list[Bead]
    signature: dict[str, str] = field(default_factory=dict)
    document: str = ""

    def src_text(self, bead: Bead) -> str:
        """The bead's source sentences as one text, joined as the language writes them."""
        return join_texts([self.src[i].text for i in bead.src], self.src_lang)

    def tgt_text(self, bead: Bead) -> str:
        """The bead's target sentences as one text, joined as the language writes them."""
        return join_texts([self.tgt[i].text for i in bead.tgt], self.tgt_lang)

    def unaligned(self) -> tuple[list[int], list[int]]:
        """Source and target segments that sit in a bead with an empty other side."""
        src = [i for b in self.beads if not b.tgt for i in b.src]
        tgt = [j for b in self.beads if not b.src for j in b.tgt]
        return src, tgt


def join_texts(texts: list[str], lang: str) -> str:
    """Join sentences the way the language writes them: no space for zh/ja/th."""
    return separator(lang).join(texts)


def separator(lang: str) -> str:
    """What :func:`join_texts` puts between sentences of ``lang``."""
    return "" if base_language(lang) in NO_SPACE_LANGS else " "
