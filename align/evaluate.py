"""Alignment quality against gold beads: strict and lax precision, recall, F1.

The metric is Vecalign's (Thompson & Koehn 2019), as used by Bertalign:

- strict: a test bead counts only if identical to a gold bead;
- lax: a test bead counts if it overlaps some gold bead on both sides;
- beads empty on one side count for precision but are left out of recall;
- counts are summed over documents before the ratios (micro average).
"""

from __future__ import annotations

import ast
import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from align.aligner import AlignConfig, AlignStats, align_texts
from align.atomic import atomic_write
from align.encoders import Encoder
from align.errors import InputError
from align.languages import NAMES, base_language, guess_language
from align.types import BeadIds

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counts:
    """True/false positives, strict and lax, for one direction (precision or recall)."""

    tp_strict: int = 0
    fp_strict: int = 0
    tp_lax: int = 0
    fp_lax: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.tp_strict + other.tp_strict,
            self.fp_strict + other.fp_strict,
            self.tp_lax + other.tp_lax,
            self.fp_lax + other.fp_lax,
        )


@dataclass(frozen=True)
class Scores:
    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in self.__dict__.items()}


def _ratio(tp: int, fp: int) -> float:
    return tp / (tp + fp) if tp + fp else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bead_hits(gold: Sequence[BeadIds], test: Sequence[BeadIds]) -> list[tuple[bool, bool] | None]:
    """For each test bead: (found strictly, found laxly) in ``gold``; ``None`` for an empty bead.

    Laxly: some one gold bead overlaps it on both sides (Vecalign's ``score.py``
    looks up the gold targets of the bead's source sentences), not a source
    sentence in one gold bead and a target sentence in another.
    """
    gold_set = set(gold)
    partners: dict[int, set[int]] = {}
    for g_src, g_tgt in gold:
        for i in g_src:
            partners.setdefault(i, set()).update(g_tgt)
    hits: list[tuple[bool, bool] | None] = []
    for src, tgt in test:
        if not src and not tgt:
            hits.append(None)
        elif (src, tgt) in gold_set:
            hits.append((True, True))
        else:
            hits.append((False, any(not partners.get(i, set()).isdisjoint(tgt) for i in src)))
    return hits


def match_counts(gold: Sequence[BeadIds], test: Sequence[BeadIds]) -> Counts:
    """How many test beads are found in gold, strictly and laxly."""
    counts = Counts()
    for hit in bead_hits(gold, test):
        if hit is not None:
            strict, lax = hit
            counts += Counts(int(strict), int(not strict), int(lax), int(not lax))
    return counts


def score(golds: Iterable[Sequence[BeadIds]], tests: Iterable[Sequence[BeadIds]]) -> Scores:
    """Micro-averaged scores over paired documents."""
    p = r = Counts()
    for gold, test in zip(golds, tests, strict=True):
        p += match_counts(gold, test)
        r += match_counts(_both_sides(test), _both_sides(gold))
    ps, pl = _ratio(p.tp_strict, p.fp_strict), _ratio(p.tp_lax, p.fp_lax)
    rs, rl = _ratio(r.tp_strict, r.fp_strict), _ratio(r.tp_lax, r.fp_lax)
    return Scores(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl))


def _both_sides(beads: Sequence[BeadIds]) -> list[BeadIds]:
    return [(s, t) for s, t in beads if s and t]


def parse_beads(text: str, source: str = "<gold>", *, strict: bool = True) -> list[BeadIds]:
    """Parse ``[0, 1]:[0]`` lines (the bench format).

    Blank lines and ``#`` comments are skipped, and anything after a tab is
    ignored, so a reference file can carry the texts for the human checking it.
    A negative number is a one-line error (Python would read it from the end). So are
    a bead with no line at all and a sentence given twice (:func:`_check_twice`), unless
    not ``strict``: a gold set is the reference as published, and published sets have
    such slips (Text+Berg 002), so there they are warnings and the beads are scored as
    given; a saved run (``--baseline``) has none unless it was damaged.
    """
    beads: list[BeadIds] = []
    numbers: list[int] = []
    for n, full in enumerate(text.splitlines(), 1):
        line = full.split("\t", 1)[0]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            left, right = line.split(":")
            src, tgt = ast.literal_eval(left.strip()), ast.literal_eval(right.strip())
            bead = (tuple(int(i) for i in src), tuple(int(j) for j in tgt))
        except (ValueError, SyntaxError, TypeError) as exc:
            raise InputError(
                f"{source}:{n}: not a bead line like '[0, 1]:[2]' ({line.strip()[:40]!r})"
            ) from exc
        if any(i < 0 for i in bead[0] + bead[1]):
            raise InputError(
                f"{source}:{n}: negative line number in {line.strip()[:40]!r}: "
                "lines count from 0; fix the line"
            )
        if not bead[0] and not bead[1]:
            _damaged(f"{source}:{n}: a bead with no line on either side; delete the line", strict)
        beads.append(bead)
        numbers.append(n)
    _check_twice(beads, numbers, source, strict)
    return beads


def _damaged(message: str, strict: bool) -> None:
    """An error, or where the file is a published reference, a warning on stderr."""
    if strict:
        raise InputError(message)
    log.warning("warning: %s (scored as given)", message)


_SIDES = ("source", "target")


def _check_twice(
    beads: Sequence[BeadIds], numbers: Sequence[int], source: str, strict: bool = True
) -> None:
    """No sentence given twice: twice in one bead, in two beads that also share a
    sentence of the other side (a bead repeated, or a line copied and half edited), or in
    a one-sided bead and another. A repeated bead counts twice against recall.

    A sentence in two beads paired with different lines is let through: the published
    Text+Berg gold has one (``002``, German line 218 for 228), and its scores stand.
    """
    seen: dict[tuple[int, int], list[int]] = {}
    for k, bead in enumerate(beads):
        for side in (0, 1):
            ids = bead[side]
            for i in ids:
                if ids.count(i) > 1:
                    _damaged(
                        f"{source}:{numbers[k]}: {_SIDES[side]} line {i} is twice in the bead; "
                        "fix the line",
                        strict,
                    )
                for e in seen.get((side, i), []):
                    other = beads[e]
                    if (
                        not all(bead)
                        or not all(other)
                        or not set(bead[1 - side]).isdisjoint(other[1 - side])
                    ):
                        _damaged(
                            f"{source}:{numbers[k]}: {_SIDES[side]} line {i} is in the bead "
                            f"on line {numbers[e]} too: a bead given twice? keep one",
                            strict,
                        )
                seen.setdefault((side, i), []).append(k)


def found_by_type(
    golds: Iterable[Sequence[BeadIds]], tests: Iterable[Sequence[BeadIds]]
) -> dict[str, tuple[int, float]]:
    """Per gold bead shape (``"1-1"``, ``"2-1"``, ``"1-0"``, …): how many, and the share
    the test has exactly.

    Where the aligner goes wrong, by kind: omissions and many-to-many beads are
    the hard ones, and the overall F1 hides them under the 1-1 majority.
    """
    seen: dict[str, list[int]] = {}
    for gold, test in zip(golds, tests, strict=True):
        found = set(test)
        for bead in gold:
            key = f"{len(bead[0])}-{len(bead[1])}"
            tally = seen.setdefault(key, [0, 0])
            tally[0] += 1
            tally[1] += bead in found
    order = sorted(seen, key=lambda k: (-seen[k][0], k))
    return {k: (seen[k][0], seen[k][1] / seen[k][0]) for k in order}


WRONG_KINDS = ("finer", "coarser", "shifted", "one-sided")
"""How a wrong bead is wrong (:func:`wrong_kind`), in the order a report lists them."""


def wrong_kind(bead: BeadIds, home: dict[tuple[int, int], int], gold: Sequence[BeadIds]) -> str:
    """Why a bead that is not a gold bead is wrong; ``home`` maps ``(side, line)`` to the
    index of its gold bead (:func:`gold_homes`).

    - ``one-sided``: the bead leaves one side empty where the gold pairs the line;
    - ``finer``: it lies inside one gold bead on both sides, a piece of it (two
      sentences whose translations cross, cut in two);
    - ``coarser``: it is two or more whole gold beads joined, still a translation,
      only a longer one than the gold's;
    - ``shifted``: a boundary in the wrong place, sentences of one pair given to another.
    """
    if not bead[0] or not bead[1]:
        return "one-sided"
    found = {home.get((0, i)) for i in bead[0]} | {home.get((1, j)) for j in bead[1]}
    homes = {k for k in found if k is not None}
    if len(homes) < len(found):
        return "shifted"
    if len(homes) == 1:
        return "finer"
    src, tgt = set(bead[0]), set(bead[1])
    if all(set(gold[k][0]) <= src and set(gold[k][1]) <= tgt for k in homes):
        return "coarser"
    return "shifted"


def gold_homes(gold: Sequence[BeadIds]) -> dict[tuple[int, int], int]:
    """Each line's gold bead, by ``(side, line)``: side 0 the source, 1 the target."""
    return {(side, i): k for k, bead in enumerate(gold) for side in (0, 1) for i in bead[side]}


def wrong_kinds(
    golds: Iterable[Sequence[BeadIds]], tests: Iterable[Sequence[BeadIds]]
) -> dict[str, int]:
    """How many of the test beads are wrong, by :func:`wrong_kind`, over paired documents.

    For a translation memory the kinds differ: a coarser bead is still a right
    pair, only a longer one; a finer or shifted one pairs text with what does not
    translate it.
    """
    counts = dict.fromkeys(WRONG_KINDS, 0)
    for gold, test in zip(golds, tests, strict=True):
        found, home = set(gold), gold_homes(gold)
        for bead in test:
            if (bead[0] or bead[1]) and bead not in found:
                counts[wrong_kind(bead, home, gold)] += 1
    return counts


def without_lines(gold: Sequence[BeadIds], side: int, lines: Collection[int]) -> list[BeadIds]:
    """The gold of a document once ``lines`` of one ``side`` (0 source, 1 target) are cut out.

    The lines after them move up; a bead that loses its whole side leaves the other
    side as omissions, one bead per line as a gold file writes them. For measuring
    what a paragraph missing from one version does to the alignment of the rest.
    """
    dropped = set(lines)
    total = 1 + max((i for bead in gold for i in bead[side]), default=-1)
    new, k = {}, 0
    for i in range(total):
        if i not in dropped:
            new[i], k = k, k + 1
    out: list[BeadIds] = []
    for bead in gold:
        kept = list(bead)
        kept[side] = tuple(new[i] for i in bead[side] if i in new)
        if kept[0] and kept[1] or not bead[0] or not bead[1]:
            out.append((kept[0], kept[1]))
        else:
            out += [((i,), ()) for i in kept[0]] + [((), (j,)) for j in kept[1]]
    return [bead for bead in out if bead[0] or bead[1]]


def best_possible(
    gold: Sequence[BeadIds], n: int, m: int, types: Sequence[tuple[int, int]]
) -> list[BeadIds]:
    """The beads a perfect aligner would output: the most gold beads hit, then the fewest beads.

    Beads are contiguous, in order and of the ``(source, target)`` sizes in
    ``types`` (:meth:`AlignConfig.bead_types`), as the aligner's are; their score
    is the ceiling of strict F1 on this gold, below 1 where a gold bead skips
    lines, crosses another or is larger than ``types`` allow. The search keeps to
    a band around the gold's own path, which is where every hit lies.
    """
    wanted = {bead for bead in gold if bead[0] and bead[1]}
    reach = max(max(a, b) for a, b in types)
    lo, hi = [m] * (n + 1), [0] * (n + 1)
    corner = (0, 0)
    for src, tgt in [*gold, ((n - 1,), (m - 1,))]:
        nxt = (
            min(n, max(corner[0], max(src, default=-1) + 1)),
            min(m, max(corner[1], max(tgt, default=-1) + 1)),
        )
        for i in range(max(0, corner[0] - reach), min(n, nxt[0] + reach) + 1):
            lo[i] = min(lo[i], max(0, corner[1] - reach))
            hi[i] = max(hi[i], min(m, nxt[1] + reach))
        corner = nxt
    best: dict[tuple[int, int], tuple[int, int, tuple[int, int], BeadIds]] = {
        (0, 0): (0, 0, (0, 0), ((), ()))
    }
    for i in range(n + 1):
        for j in range(lo[i], hi[i] + 1):
            here = best.get((i, j))
            if here is None:
                continue
            hits, beads = here[0], here[1]
            for a, b in types:
                end = (i + a, j + b)
                if end[0] > n or end[1] > m or not lo[end[0]] <= end[1] <= hi[end[0]]:
                    continue
                bead = (tuple(range(i, i + a)), tuple(range(j, j + b)))
                cand = (hits + (bead in wanted), beads - 1, (i, j), bead)
                if end not in best or cand[:2] > best[end][:2]:
                    best[end] = cand
    out: list[BeadIds] = []
    cell = (n, m)
    while cell != (0, 0):
        _, _, cell, bead = best[cell]
        out.append(bead)
    return out[::-1]


def format_beads(beads: Iterable[BeadIds]) -> str:
    return "".join(f"{list(s)}:{list(t)}\n" for s, t in beads)


@dataclass(frozen=True)
class DocumentResult:
    name: str
    src_sentences: int
    tgt_sentences: int
    gold: list[BeadIds]
    test: list[BeadIds]
    scores: Scores


@dataclass(frozen=True)
class EvalResult:
    """The scores over all documents and each document's; ``bead_types`` are the
    sizes the aligner was allowed, which the ceiling is computed for; ``signature``
    is what the scores depend on (tool, encoder and its version, languages, every
    aligner setting), as in a TM's header."""

    scores: Scores
    documents: list[DocumentResult]
    bead_types: tuple[tuple[int, int], ...]
    signature: dict[str, str] = field(default_factory=dict)

    def ceiling(self) -> Scores:
        """The scores of :func:`best_possible` against the same gold: what the gold allows."""
        return score([d.gold for d in self.documents], self._best)

    def document_ceilings(self) -> list[Scores]:
        """:meth:`ceiling` of each document: where a set's loss is the gold's, not the aligner's."""
        return [score([d.gold], [best]) for d, best in zip(self.documents, self._best, strict=True)]

    @cached_property
    def _best(self) -> list[list[BeadIds]]:
        """Each document's :func:`best_possible` beads, searched once for both ceilings."""
        return [
            best_possible(d.gold, d.src_sentences, d.tgt_sentences, self.bead_types)
            for d in self.documents
        ]

    def found_by_type(self) -> dict[str, tuple[int, float]]:
        """:func:`found_by_type` over every document."""
        return found_by_type([d.gold for d in self.documents], [d.test for d in self.documents])

    def wrong_kinds(self) -> dict[str, int]:
        """:func:`wrong_kinds` over every document."""
        return wrong_kinds([d.gold for d in self.documents], [d.test for d in self.documents])


def save_beads(result: EvalResult, folder: Path) -> list[Path]:
    """Write each document's beads to ``folder`` in the gold's format, one file per
    document under the gold's name, the signature in a ``#`` line on top: a run that
    a later one can be compared with (:func:`saved_alignment`), or read as a gold.

    An existing file is never replaced: a saved run is someone's baseline.
    """
    from align.pipeline import signature_string  # the document-reading stack, lazily

    check_unsaved(folder, [d.name for d in result.documents])
    header = f"# align eval beads; {signature_string(result.signature)}\n"
    paths = []
    for d in result.documents:
        atomic_write(folder / d.name, (header + format_beads(d.test)).encode("utf-8"))
        paths.append(folder / d.name)
    return paths


def check_unsaved(folder: Path, names: Sequence[str]) -> None:
    """Saving beads must replace no file, checked before any is aligned or written."""
    taken = [folder / n for n in names if (folder / n).exists()]
    if taken:
        raise InputError(f"{taken[0]}: already holds saved beads; save to a new folder")


def check_saved(folder: Path, names: Sequence[str]) -> None:
    """A baseline folder must hold a saved run for every document, before any is aligned."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder; give the folder of an eval run's --save-beads")
    missing = [n for n in names if not (folder / n).is_file()]
    if missing:
        raise InputError(
            f"{folder}: no saved beads for {', '.join(missing[:5])}; save a run of the same "
            "documents with --save-beads"
        )


def saved_alignment(result: EvalResult, folder: Path) -> list[DocumentResult]:
    """The documents of ``result`` again, against the same gold, with the beads saved in
    ``folder`` (:func:`save_beads`) as their test: the other side of a paired comparison."""
    check_saved(folder, [d.name for d in result.documents])
    out = []
    for d in result.documents:
        path = folder / d.name
        test = parse_beads(_read_text(path), str(path))
        _check_lines(test, d.src_sentences, d.tgt_sentences, path, "an alignment")
        scores = score([d.gold], [test])
        out.append(DocumentResult(d.name, d.src_sentences, d.tgt_sentences, d.gold, test, scores))
    return out


def read_lines(path: Path) -> list[str]:
    """A pre-split file: one sentence per line (blank lines are sentences too).

    A byte-order mark and Windows line ends are not part of any sentence; the
    line count, which the gold's numbers refer to, stays the same.
    """
    text = _read_text(path)
    if not text:
        return []
    lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
    return [line.removesuffix("\r") for line in lines]


def _read_text(path: Path) -> str:
    """A bench file's text, without a byte-order mark; a one-line error if unreadable."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read as UTF-8 ({exc.__class__.__name__})") from exc


def bench_documents(src_dir: Path, tgt_dir: Path, gold_dir: Path) -> list[str]:
    """Names present in all three folders, sorted; a name missing anywhere is an error.

    Hidden files (``.DS_Store``, an editor's ``.001.swp``) are not documents,
    as in the batch command's folder walk.
    """
    for d in (src_dir, tgt_dir, gold_dir):
        if not d.is_dir():
            raise InputError(f"{d}: not a folder; eval takes SRC_DIR TGT_DIR GOLD_DIR")
    names = sorted(p.name for p in gold_dir.iterdir() if p.is_file() and p.name[0] != ".")
    missing = [n for n in names if not bench_file(src_dir, n) or not bench_file(tgt_dir, n)]
    if missing:
        raise InputError(f"{gold_dir}: no source/target file for gold {', '.join(missing)}")
    if not names:
        raise InputError(f"{gold_dir}: no gold files")
    return names


def bench_file(folder: Path, name: str) -> Path | None:
    """The file in ``folder`` for the gold file ``name``: the one of that name, else the
    only one whose name starts as it does up to its first dot (``001.zh`` and ``001.en``
    for ``gold/001`` or ``gold/001.align``), else None."""
    exact = folder / name
    if exact.is_file():
        return exact
    stem = name.split(".")[0]
    found = [p for p in folder.iterdir() if p.is_file() and p.name.split(".")[0] == stem]
    return found[0] if len(found) == 1 else None


def _bench_file(folder: Path, name: str) -> Path:
    path = bench_file(folder, name)
    if path is None:
        raise InputError(f"{folder}: no file for gold {name}")
    return path


LANGUAGE_FOLDERS = frozenset("ar de en es fr it ja ko nl pt ru zh".split())
"""Folder names read as the language of the files in them: the six UN languages and
the others the bench sets and the clause and segmenter rules know. A folder named
``src`` or ``docs`` says nothing."""


FOLDER_NAMES = {"cn": "zh", "ch": "zh", **{name.lower(): code for code, name in NAMES.items()}}
"""Other names a language's folder goes by: ``cn/``, ``chinese/``, ``English/``."""
SAMPLE_LINES = 400
"""Lines of a folder's files read to tell its language when its name does not."""


def folder_language(folder: Path, default: str) -> str:
    """The language a bench folder's name gives (``de/``, ``zh-CN/``, ``chinese/`` hold
    German and Chinese), else the language its files are written in (``src/``,
    ``target/``), else ``default``."""
    name = folder.resolve().name.lower()
    code = FOLDER_NAMES.get(name, base_language(name))
    if code in LANGUAGE_FOLDERS:
        return code
    sample: list[str] = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if path.is_file() and not path.name.startswith(".") and len(sample) < SAMPLE_LINES:
            try:
                sample += read_lines(path)[:SAMPLE_LINES]
            except InputError:
                continue
    return guess_language("\n".join(sample), list(NAMES)) or default


def set_languages(folder: Path) -> tuple[str, str]:
    """The source and the target folder of a gold set laid out as ``../shared/bench``'s.

    The set names neither, so the gold decides: its beads name source lines first,
    and only one order fits every line number where the two versions differ in
    length. Where both orders fit, English is the target, as in every set so far;
    failing that, the folders' names in alphabetical order.
    """
    langs = sorted(
        d.name for d in folder.iterdir() if d.is_dir() and d.name != "gold" and d.name[0] != "."
    )
    if len(langs) != 2 or not (folder / "gold").is_dir():
        raise InputError(
            f"{folder}: a gold set has gold/ and two language folders beside it, "
            f"not {', '.join(langs) or 'none'}"
        )
    names = bench_documents(folder / langs[0], folder / langs[1], folder / "gold")
    lines = {
        (lang, n): len(read_lines(_bench_file(folder / lang, n))) for lang in langs for n in names
    }
    highest: dict[str, list[int]] = {}
    for n in names:
        gold = parse_beads(_read_text(folder / "gold" / n), str(folder / "gold" / n), strict=False)
        highest[n] = [max((i for bead in gold for i in bead[side]), default=-1) for side in (0, 1)]

    def fits(src: str, tgt: str) -> bool:
        return all(top[0] < lines[src, n] and top[1] < lines[tgt, n] for n, top in highest.items())

    orders = [order for order in (tuple(langs), tuple(langs[::-1])) if fits(*order)]
    if not orders:
        raise InputError(
            f"{folder / 'gold'}: names lines beyond the files of {' and '.join(langs)} "
            "whichever is the source; is it the gold of these files?"
        )
    src, tgt = next((o for o in orders if o[1] == "en"), orders[0])
    return src, tgt


def bench_sets(root: Path) -> dict[str, tuple[str, str]]:
    """Every gold set under ``root`` (a folder with ``gold/`` in it), by name, with its
    source and target folder (:func:`set_languages`), in name order."""
    if not root.is_dir():
        return {}
    return {
        d.name: set_languages(d)
        for d in sorted(root.iterdir())
        if d.is_dir() and d.name[0] != "." and (d / "gold").is_dir()
    }


MISSING_LINES = 5
MISSING_SHARE = 0.02
"""Lines a gold file may leave out of its beads before it is taken for another file's or
a cut one: published sets leave a few (pol-dev 2 of 1037 target lines, Text+Berg 3 of
191), which their scores assume."""


def _check_lines(
    gold: Sequence[BeadIds], n: int, m: int, path: Path, what: str = "the gold", strict: bool = True
) -> None:
    """A bead naming a line its documents do not have is a wrong file, not a miss; a file
    with no bead for documents that have lines (an emptied gold scores F1 0) is one too,
    or a warning where not ``strict`` (:func:`parse_beads`)."""
    if not gold and (n or m):
        _damaged(
            f"{path}: no beads, though its documents have {n} source and {m} target lines; "
            f"is it {what} of these files, or was it emptied?",
            strict,
        )
    for src, tgt in gold:
        if any(i >= n for i in src) or any(j >= m for j in tgt):
            raise InputError(
                f"{path}: bead {list(src)}:{list(tgt)} names a line beyond the documents "
                f"({n} source, {m} target lines); is it {what} of these files?"
            )
    if not gold:
        return
    named = [len({i for bead in gold for i in bead[side]}) for side in (0, 1)]
    if any(
        k < total - max(MISSING_LINES, MISSING_SHARE * total)
        for k, total in zip(named, (n, m), strict=True)
    ):
        _damaged(
            f"{path}: its beads name {named[0]} of {n} source and {named[1]} of {m} target "
            f"lines, where every line is in one bead; is it {what} of these files, or was "
            "it cut short?",
            strict,
        )


def evaluate(
    src_dir: Path,
    tgt_dir: Path,
    gold_dir: Path,
    encoder: Encoder,
    config: AlignConfig | None = None,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    stats: AlignStats | None = None,
    on_document: Callable[[DocumentResult, int, int], None] | None = None,
) -> EvalResult:
    """Align every pre-split document in the folders and score it against its gold.

    The languages are ``src_lang``/``tgt_lang``, else each folder's (:func:`folder_language`:
    its name, ``de/``, else the language its files are written in, else zh and en), as
    ``align eval`` takes them: Text+Berg's ``de/`` and ``fr/`` are not scored as Chinese.
    ``stats``, if given, adds up the aligner's work counters over the documents;
    ``on_document(result, done, total)`` hears of each document as it is scored
    (a set can take minutes on a cold cache: the CLI draws a progress bar with it).
    """
    from align.pipeline import Settings, signature  # the document-reading stack, lazily

    config = config or AlignConfig()
    src_lang = src_lang or folder_language(src_dir, "zh")
    tgt_lang = tgt_lang or folder_language(tgt_dir, "en")
    settings = Settings(src_lang=src_lang, tgt_lang=tgt_lang, align=config)  # checked first
    docs: list[DocumentResult] = []
    names = bench_documents(src_dir, tgt_dir, gold_dir)
    for name in names:
        src, tgt = read_lines(_bench_file(src_dir, name)), read_lines(_bench_file(tgt_dir, name))
        gold = parse_beads(_read_text(gold_dir / name), str(gold_dir / name), strict=False)
        _check_lines(gold, len(src), len(tgt), gold_dir / name, strict=False)
        beads = align_texts(
            src, tgt, encoder, config, src_lang=src_lang, tgt_lang=tgt_lang, stats=stats
        )
        test = [(b.src, b.tgt) for b in beads]
        docs.append(DocumentResult(name, len(src), len(tgt), gold, test, score([gold], [test])))
        if on_document is not None:
            on_document(docs[-1], len(docs), len(names))
    total = score([d.gold for d in docs], [d.test for d in docs])
    return EvalResult(total, docs, tuple(config.bead_types()), signature(settings, encoder))
