"""The whole job as library calls: read → clean → segment → embed → align.

Everything the ``align pair`` command does is here, so a Python user gets the
same result as the CLI: ``align_files("zh.txt", "en.txt")`` returns an
:class:`~align.types.Alignment`; :func:`align.writers.write_alignment` writes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from align import __version__
from align.aligner import AlignConfig, align_texts
from align.clean import clean
from align.encoders import DEFAULT_MODEL, Encoder, default_cache_dir, load_encoder
from align.readers import read_document
from align.segmenters import segment_document
from align.types import Alignment, Bead, CleanDocument, RawDocument, Segment

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Settings:
    """What a run depends on besides its inputs; recorded in every output."""

    src_lang: str = "zh"
    tgt_lang: str = "en"
    model: str = DEFAULT_MODEL
    align: AlignConfig = field(default_factory=AlignConfig)


@dataclass(frozen=True)
class Prepared:
    """One side after cleaning and segmentation."""

    raw: RawDocument
    clean: CleanDocument
    segments: list[Segment]


def prepare(raw: RawDocument) -> Prepared:
    doc = clean(raw, raw.lang)
    return Prepared(raw, doc, segment_document(doc))


def signature(settings: Settings, encoder: Encoder) -> dict[str, str]:
    """Like sacrebleu's signature: enough to reproduce the result."""
    sig = {
        "tool": f"un-align {__version__}",
        "encoder": encoder.name,
        "encoder_version": encoder.version,
        "src_lang": settings.src_lang,
        "tgt_lang": settings.tgt_lang,
    }
    sig.update({f"align.{k}": str(v) for k, v in asdict(settings.align).items()})
    return sig


def signature_string(sig: dict[str, str]) -> str:
    return "|".join(f"{k}:{v}" for k, v in sig.items())


def _groups(segments: Sequence[Segment]) -> dict[str, list[int]]:
    """Split segment indices into what may align with what.

    Headings and body align together, footnotes only with footnotes: the
    cleaner moves every footnote out of the body, in footnote order.
    """
    groups: dict[str, list[int]] = {"main": [], "notes": []}
    for i, seg in enumerate(segments):
        groups["notes" if seg.kind == "footnote" else "main"].append(i)
    return groups


def align_segments(
    src: Sequence[Segment],
    tgt: Sequence[Segment],
    encoder: Encoder,
    settings: Settings = Settings(),
) -> list[Bead]:
    """Align two segment lists group by group; beads come out group by group, in order."""
    src_groups, tgt_groups = _groups(src), _groups(tgt)
    beads: list[Bead] = []
    for key, s_ids in src_groups.items():
        t_ids = tgt_groups[key]
        local = align_texts(
            [src[i].text for i in s_ids],
            [tgt[j].text for j in t_ids],
            encoder,
            settings.align,
            src_lang=settings.src_lang,
            tgt_lang=settings.tgt_lang,
        )
        for b in local:
            beads.append(
                Bead(tuple(s_ids[i] for i in b.src), tuple(t_ids[j] for j in b.tgt), b.confidence)
            )
    return beads


def document_id(path: str | Path) -> str:
    """A document's name for the TM: ``A_77_L.107`` from ``A_77_L.107/zh.txt`` or
    ``A_77_L.107.zh.txt`` or ``A_77_L.107-ZH.pdf``."""
    p = Path(path)
    if re.fullmatch(r"[a-z]{2}(-[a-z]{2})?", p.stem, flags=re.IGNORECASE):
        return p.resolve().parent.name
    return re.sub(r"[._-][a-z]{2}$", "", p.stem, flags=re.IGNORECASE)


def align_documents(
    src: RawDocument,
    tgt: RawDocument,
    *,
    settings: Settings = Settings(),
    encoder: Encoder | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> Alignment:
    """Align two read documents; the encoder is loaded unless one is given."""
    say = progress or (lambda _msg: None)
    say("cleaning and segmenting")
    src_p, tgt_p = prepare(src), prepare(tgt)
    if encoder is None:
        say(f"loading encoder {settings.model}")
        encoder = load_encoder(settings.model, cache_dir=cache_dir)
    say(f"aligning {len(src_p.segments)} × {len(tgt_p.segments)} segments")
    beads = align_segments(src_p.segments, tgt_p.segments, encoder, settings)
    return Alignment(
        src_lang=settings.src_lang,
        tgt_lang=settings.tgt_lang,
        src=list(src_p.segments),
        tgt=list(tgt_p.segments),
        beads=beads,
        signature=signature(settings, encoder),
        document=document_id(src.path) if src.path else "",
    )


def align_files(
    src_path: str | Path,
    tgt_path: str | Path,
    *,
    settings: Settings = Settings(),
    encoder: Encoder | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> Alignment:
    """Read, clean, segment, embed and align a document pair (``align pair``)."""
    src = read_document(src_path, settings.src_lang)
    tgt = read_document(tgt_path, settings.tgt_lang)
    if use_cache and cache_dir is None:
        cache_dir = default_cache_dir()
    return align_documents(
        src,
        tgt,
        settings=settings,
        encoder=encoder,
        cache_dir=cache_dir if use_cache else None,
        progress=progress,
    )
