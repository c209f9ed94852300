"""Several language versions of one document in one TM: a unit per sentence, every language.

A UN document comes in six languages, and a terminologist's TM holds them all: one
``<tu>`` with a ``<tuv>`` per language, which any CAT tool reads for whichever pair
its project has. Each version is aligned with one pivot version (English, in which
most UN documents are drafted) as a pair is; the pairs' beads are then joined on
the pivot's sentences. Where one language joins two pivot sentences that another
keeps apart, the unit takes both (the finest cut every language agrees with), so
every language's part of a unit translates the same pivot sentences.

Data shapes: each pair is an :class:`~align.types.Alignment` with the version as
its source and the pivot as its target; a :class:`Unit` maps each language to the
ids of its segments (the pivot's always present).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from align.batch.discover import named_language, split_language
from align.batch.identify import counted
from align.encoders import Encoder, default_cache_dir, load_encoder
from align.errors import InputError
from align.flags import untranslated
from align.languages import NAMES, base_language, guess_language, language_tag
from align.pipeline import Settings, align_documents, check_translation_unless, document_id
from align.readers import read_document
from align.readers.base import check_file
from align.types import Alignment, Segment, join_texts


@dataclass(frozen=True)
class Unit:
    """One translation unit: each language's segment ids, and how sure the pairs are.

    ``confidence`` is the lowest confidence of the pair beads it joins: the unit is
    right only where each of them is."""

    ids: Mapping[str, tuple[int, ...]]
    confidence: float


@dataclass
class Multilingual:
    """The versions of one document aligned on a pivot version.

    ``pairs`` holds each other language's alignment with the pivot (version as source,
    pivot as target), as ``align pair`` would have made it; ``unaligned`` the segments
    of each language in no unit (one-sided beads, and beads left out of the TM as
    untranslated), so that every sentence is either in a unit or reported."""

    pivot: str
    langs: list[str]
    segments: dict[str, list[Segment]]
    units: list[Unit]
    pairs: dict[str, Alignment]
    unaligned: dict[str, list[int]] = field(default_factory=dict)
    document: str = ""
    segtype: str = "sentence"
    """What a unit holds: ``sentence``, or ``paragraph`` after :func:`by_paragraph`."""

    def text(self, unit: Unit, lang: str) -> str:
        """A unit's text in one language, its sentences joined as that language writes."""
        return join_texts([self.segments[lang][i].text for i in unit.ids.get(lang, ())], lang)

    @property
    def signature(self) -> dict[str, str]:
        """What the result depends on, from the pairs' signatures: a setting they share
        once, one that differs (the lexicon, which only zh-en reads) and what was read
        per language (``zh.read``, ``en.lang``)."""
        out: dict[str, str] = {"pivot": self.pivot}
        keys = dict.fromkeys(k for pair in self.pairs.values() for k in pair.signature)
        for key in keys:
            values = {lang: pair.signature.get(key) for lang, pair in self.pairs.items()}
            if key.startswith("tgt_"):
                out[f"{self.pivot}.{key.removeprefix('tgt_')}"] = next(
                    v for v in values.values() if v is not None
                )
            elif key.startswith("src_") or len(set(values.values())) > 1:
                for lang, value in values.items():
                    if value is not None:
                        out[f"{lang}.{key.removeprefix('src_')}"] = value
            else:
                out[key] = next(iter(values.values())) or ""
        if self.segtype != "sentence":
            out["units"] = self.segtype
        return dict(sorted(out.items()))


def by_paragraph(multilingual: Multilingual) -> Multilingual:
    """The units joined into paragraph units, as :func:`align.paragraphs.by_paragraph`
    joins a pair's beads: units that share a paragraph in any language are one, and a
    sentence no unit holds joins the unit of its paragraph, if any (it stays unaligned
    otherwise). A unit keeps its least sure member's confidence."""
    from align.paragraphs import connected

    m = multilingual
    nodes = [
        [(lang, m.segments[lang][i].paragraph) for lang, ids in unit.ids.items() for i in ids]
        for unit in m.units
    ]
    groups = connected(nodes)
    group_of = {node: g for g, members in enumerate(groups) for u in members for node in nodes[u]}
    ids: list[dict[str, set[int]]] = [
        {lang: {i for u in members for i in m.units[u].ids.get(lang, ())} for lang in m.langs}
        for members in groups
    ]
    unaligned: dict[str, list[int]] = {lang: [] for lang in m.unaligned}
    for lang, found in m.unaligned.items():
        for i in found:
            g = group_of.get((lang, m.segments[lang][i].paragraph))
            if g is None:
                unaligned[lang].append(i)
            else:
                ids[g][lang].add(i)
    units = [
        Unit(
            {lang: tuple(sorted(found)) for lang, found in ids[g].items() if found},
            min(m.units[u].confidence for u in members),
        )
        for g, members in enumerate(groups)
    ]
    return replace(m, units=units, unaligned=unaligned, segtype="paragraph")


def combine(
    pivot: str, pivot_segments: list[Segment], pairs: Mapping[str, Alignment]
) -> Multilingual:
    """Join pair alignments (each language as source, the pivot as target) into units.

    Pivot sentences any pair puts in one bead share a unit. A pair's bead with no pivot
    sentence, or left out of its TM as untranslated
    (:func:`~align.flags.untranslated`), puts its sentences in ``unaligned``; so does
    a pivot sentence no language translates.
    """
    n = len(pivot_segments)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    kept: dict[str, list[tuple[tuple[int, ...], tuple[int, ...], float]]] = {}
    unaligned: dict[str, list[int]] = {lang: [] for lang in (pivot, *pairs)}
    for lang, pair in pairs.items():
        if [s.text for s in pair.tgt] != [s.text for s in pivot_segments]:
            raise ValueError(f"the {lang} pair was not aligned with these {pivot} segments")
        kept[lang] = []
        for bead in pair.beads:
            if bead.src and bead.tgt and not untranslated(pair, bead):
                kept[lang].append((bead.src, bead.tgt, bead.confidence))
                for j in bead.tgt[1:]:
                    parent[root(j)] = root(bead.tgt[0])
            else:
                unaligned[lang] += bead.src  # nothing for a pivot sentence alone
    groups: dict[int, list[int]] = {}
    for j in range(n):
        groups.setdefault(root(j), []).append(j)
    by_start = {members[0]: members for members in groups.values()}
    unit_of = {j: members[0] for members in groups.values() for j in members}
    ids: dict[int, dict[str, list[int]]] = {start: {} for start in by_start}
    confidence: dict[int, float] = {start: 1.0 for start in by_start}
    for lang, beads in kept.items():
        for src, tgt, conf in beads:
            start = unit_of[tgt[0]]
            ids[start].setdefault(lang, []).extend(src)
            confidence[start] = min(confidence[start], conf)
    units: list[Unit] = []
    for start in sorted(by_start):
        if not ids[start]:
            unaligned[pivot] += by_start[start]
            continue
        langs = {pivot: tuple(by_start[start])}
        langs.update({lang: tuple(sorted(found)) for lang, found in ids[start].items()})
        units.append(Unit(langs, confidence[start]))
    segments = {pivot: list(pivot_segments), **{lang: list(p.src) for lang, p in pairs.items()}}
    return Multilingual(
        pivot=pivot,
        langs=[pivot, *pairs],
        segments=segments,
        units=units,
        pairs=dict(pairs),
        unaligned={lang: sorted(found) for lang, found in unaligned.items()},
    )


def summary_lines(multilingual: Multilingual) -> list[str]:
    """What ``align multi`` reports: each pair's beads by kind, the units, and every
    sentence in no unit, by language, with its text."""
    m = multilingual
    lines = []
    for lang, pair in m.pairs.items():
        kinds = Counter(bead.kind for bead in pair.beads)
        shown = ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))
        lines.append(f"{lang} with {m.pivot}: {len(pair.beads)} beads ({shown})")
    full = sum(1 for u in m.units if len(u.ids) == len(m.langs))
    lines.append(f"units: {len(m.units)}, {full} of them in all {len(m.langs)} languages")
    for lang in m.langs:
        ids = m.unaligned.get(lang, [])
        lines.append(f"in no unit, {lang}: {len(ids)}")
        lines += [f"  {lang} #{i}: {m.segments[lang][i].text}" for i in ids]
    return lines


def version_languages(
    files: Sequence[Path],
    langs: Sequence[str] | None = None,
    pivot: str = "en",
    told: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Each file's language: from ``langs`` (in the files' order), else its name
    (:func:`language_from_name`), else its text (a UN download is named by its job
    number, ``N2316567.pdf``); ``told`` hears which were told by their text. Raises
    ``InputError`` for a file none of these place, or two files in one language."""
    if langs is not None and len(langs) != len(files):
        raise InputError(
            f"--langs names {counted(len(langs), 'language')} for "
            f"{counted(len(files), 'file')}: give one a file"
        )
    known = list(dict.fromkeys([pivot, *NAMES]))
    found: dict[str, Path] = {}
    for n, path in enumerate(files):
        code = langs[n].strip() if langs is not None else language_from_name(path, known)
        if code is None:
            code = guess_language(read_document(path, "").text, known)
            if code is None:
                raise InputError(
                    f"{path}: neither its name nor its text tells its language: name it like "
                    "A_77_L.107.zh.pdf or zh.pdf, or give --langs zh,en,fr in the files' order"
                )
            if told is not None:
                told(f"{path}: {code}, by its text")
        code = named_language(path, language_tag(code))
        if code in found:
            raise InputError(
                f"{found[code]} and {path} are both '{code}': give each version of the "
                f"document once, one file a language"
            )
        found[code] = path
    return found


def _with_pivot(
    versions: Mapping[str, str | Path], pivot: str
) -> tuple[dict[str, str | Path], str]:
    """The versions and the pivot among them, where they give one language two ways: a
    bare pivot (``en``) is the one version of its language (``en-GB``, from ``--langs`` or
    a file named ``doc.en-GB.pdf``); a pivot with a region (``--pivot en-GB``) labels the
    one version that gives none (``doc.en.pdf``)."""
    tagged = {language_tag(lang): path for lang, path in versions.items()}
    same = [lang for lang in tagged if base_language(lang) == base_language(pivot)]
    if pivot in tagged or len(same) != 1:
        return tagged, pivot
    (lang,) = same
    if pivot == base_language(pivot):
        return tagged, lang
    if lang == base_language(lang):
        return {pivot if k == lang else k: v for k, v in tagged.items()}, pivot
    return tagged, pivot


def language_from_name(path: Path | str, known: Sequence[str]) -> str | None:
    """The language a file's name gives, among ``known`` codes (as spelt there): ``zh.pdf``,
    ``A_77_L.107.zh.pdf``, ``A_77_L.107-ZH.docx``, ``report_fr.htm``, ``doc.zh-CN.pdf``;
    else None. The code is read as ``align batch`` reads it
    (:func:`align.batch.discover.split_language`); only where the name ends differs: a
    file given here is read whatever its suffix, so the last one goes (``doc.zh.bak``), where
    a folder's scan takes off a document format's only, and ``A_77_L.107`` keeps its ``.107``.
    """
    split = split_language(Path(path).stem, tuple(known))
    if split is None:
        return None
    return next(code for code in known if code.lower() == split[1])


def align_versions(
    versions: Mapping[str, str | Path],
    *,
    pivot: str = "en",
    settings: Settings | None = None,
    encoder: Encoder | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    force: bool = False,
    warn: Callable[[str], None] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Multilingual:
    """Align the language versions of one document (language → file) on ``pivot``.

    Each other version is aligned with the pivot as ``align pair`` aligns a pair, with
    the same checks: a wrong language, a different document or text that does not
    translate the pivot raises, unless ``force`` (then ``warn`` hears of it). The pivot
    is read once and the encoder loaded once, with its embeddings cached in ``cache_dir``
    (by default the user's cache) unless ``use_cache`` is False, as :func:`align_files`.
    Every version is checked and read before the encoder is loaded or any pair aligned, so
    an unreadable file raises ``InputError`` before minutes of work, not after them.
    """
    versions, pivot = _with_pivot(versions, language_tag(pivot))
    if pivot not in versions:
        others, one = ", ".join(versions), next(iter(versions))
        raise InputError(
            f"no {pivot} version among {others}: add it, or align on one of these "
            f"with --pivot {one} (pivot={one!r})"
        )
    if len(versions) < 2:
        raise InputError("a multilingual TM needs two language versions or more")
    for path in versions.values():
        check_file(Path(path))
    raws = {lang: read_document(path, lang) for lang, path in versions.items()}
    settings = settings or Settings()
    say = progress or (lambda _msg: None)
    pivot_raw = raws[pivot]
    if encoder is None:
        say(f"loading encoder {settings.model}")
        cache = (cache_dir or default_cache_dir()) if use_cache else None
        encoder = load_encoder(settings.model, cache_dir=cache)
    pairs: dict[str, Alignment] = {}
    read_from: dict[str, str | Path] = {}
    for lang, path in versions.items():
        if lang == pivot:
            continue
        say(f"aligning {lang} with {pivot}")
        raw = raws[lang]
        pair_settings = replace(settings, src_lang=lang, tgt_lang=pivot)
        pair = align_documents(
            raw,
            pivot_raw,
            settings=pair_settings,
            encoder=encoder,
            language_by_words=not force,
            allow_different=force,
            warn=warn,
        )
        check_translation_unless(force, pair, path, versions[pivot], warn or (lambda _msg: None))
        tag = pair.src_lang  # the tag the pair settled on: zh-TW for a Traditional zh
        if tag in pairs:
            raise InputError(
                f"{read_from[tag]} and {path} are both {tag}: give each version its own language"
            )
        pairs[tag], read_from[tag] = pair, path
    first = next(iter(pairs.values()))
    result = combine(first.tgt_lang, first.tgt, pairs)
    result.document = first.document or document_id(versions[pivot])
    return result
