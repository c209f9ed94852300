"""A translator's review of an alignment: decisions and fixes, kept in a log that never forgets.

No UI here (``align.review_app`` is the terminal front end): :class:`Review` holds the
alignment as the aligner wrote it and the reviewed state on top of it, beads with a
decision (pending, accepted, rejected) and edited sentence texts. Every change is one
operation; with a log attached, each is appended to the review file and fsynced before
the call returns, so a closed terminal loses nothing and reopening replays the file.

Invariants: every source and every target segment sits in exactly one bead, in the
aligner's order, whatever the reviewer does; a rejected bead keeps its sentences (it
is only left out of the TM); the review file is only ever appended to.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Literal

from align import __version__
from align.errors import AlignError, InputError, OutputError
from align.flags import Flag, flag_bead
from align.types import Alignment, Bead, BeadIds, Segment
from align.writers import WriteResult, read_alignment, write_alignment
from align.writers.base import tmx_date
from align.writers.jsonl import JsonlWriter
from align.writers.jsonl import _line as jsonl_line

Status = Literal["pending", "accepted", "rejected"]
Side = Literal["src", "tgt"]
Direction = Literal["previous", "next"]
Clock = Callable[[], str]

FORMAT = "un-align-review"
VERSION = 3
"""The review format written: 2 added the ``unalign`` step, 3 the ``group`` step (what
one press of the editor's Enter changed, undone as one), which an un-align reading only
older versions would call damaged; it says the file is newer than it instead."""
READS = (1, 2, 3)
GROUPS_FROM = 3
"""The first version with ``group`` steps. A review file of an older version (a review
begun before) gets an edit's changes a step each, as before: the un-align that made it
reads them, where it would call a group damaged, and a step it cannot see joined to the
next would make it undo half an edit and show a state the reviewer never saw."""
SUFFIX = ".review.jsonl"
STATUSES: tuple[Status, ...] = ("pending", "accepted", "rejected")
FILTERS = ("all", "pending", "flagged", "accepted", "rejected", "edited")
"""Views besides ``flag:CODE`` (beads raising that flag)."""
SORTS = ("position", "confidence")


class ReviewError(ValueError):
    """An operation that cannot be done on the current state (nothing changed, nothing logged)."""


@dataclass(frozen=True)
class ReviewBead:
    """A bead as the reviewer left it: its segments, the aligner's confidence and a decision.

    ``confidence`` is the aligner's for this cut; for a cut the reviewer made, the least
    sure of the beads it came from, which is no score of this bead:
    :meth:`Review.confidence` is what to show and export. ``time`` and ``reviewer`` say
    when and by whom the decision was made.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float
    status: Status = "pending"
    time: str = ""
    reviewer: str = ""

    @property
    def kind(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def bead(self) -> Bead:
        return Bead(self.src, self.tgt, self.confidence)


@dataclass(frozen=True)
class State:
    """One reviewed state; ``edits`` maps (side, segment index) to the reviewer's text."""

    beads: tuple[ReviewBead, ...]
    edits: dict[tuple[Side, int], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Counts:
    """The status bar: beads left to review, decided, and changed by the reviewer."""

    pending: int
    accepted: int
    rejected: int
    edited: int
    total: int


def review_path_for(alignment_path: Path | str) -> Path:
    """Where the review of ``X.jsonl`` or ``X.tmx`` is kept: ``X.review.jsonl`` beside it."""
    path = Path(alignment_path)
    return path.with_name(path.stem + SUFFIX)


def reviewed_tmx_path(alignment_path: Path | str) -> Path:
    """Where the reviewed TM of ``X.jsonl`` or ``X.tmx`` goes: ``X.reviewed.tmx`` beside it."""
    path = Path(alignment_path)
    return path.with_name(path.stem + ".reviewed.tmx")


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}: check the path") from None
    return digest.hexdigest()


def _default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        return ""


def _min_confidence(*values: float) -> float:
    finite = [c for c in values if math.isfinite(c)]
    return min(finite) if finite else math.nan


class Review:
    """An alignment under review; every public change is one logged, undoable operation.

    Build one in memory with ``Review(alignment)``, or with :meth:`open` on a written
    alignment to keep every decision in its review file (and resume an earlier review).
    """

    def __init__(
        self,
        alignment: Alignment,
        *,
        clock: Clock | None = None,
        reviewer: str | None = None,
    ) -> None:
        self.alignment = alignment
        self.clock: Clock = clock or (lambda: tmx_date())
        self.reviewer = _default_reviewer() if reviewer is None else reviewer
        self.path: Path | None = None
        self.kept_in: Path | None = None
        """The review file this review belongs to, though not created yet (an export
        before any decision): the TM names it, so that the next export may replace it."""
        self.alignment_path: Path | None = None
        self.warnings: list[str] = []
        self.changes = 0
        """Operations made since this Review was built or opened (not replayed ones)."""
        self.version = VERSION
        """The format of the review file: an older file gets no step it cannot read."""
        self.steps = 0
        """Operations in the review, replayed ones too: the TM records it, so that a TM
        written before the last decision is known to be out of date."""
        self._log: IO[bytes] | None = None
        self._original = {(b.src, b.tgt): b for b in alignment.beads}
        self._state = State(tuple(ReviewBead(b.src, b.tgt, b.confidence) for b in alignment.beads))
        self._undo: list[State] = []
        self._redo: list[State] = []
        self._current: Alignment | None = None
        self._flags: list[list[Flag]] | None = None
        self._flag_cache: dict[tuple[object, ...], list[Flag]] = {}

    # -- opening and closing ------------------------------------------------------------

    @classmethod
    def open(
        cls,
        alignment_path: Path | str,
        review_path: Path | str | None = None,
        *,
        clock: Clock | None = None,
        reviewer: str | None = None,
        save: bool = True,
    ) -> Review:
        """Open ``alignment_path`` (JSONL or TMX) and its review file, replaying what it holds.

        The review file (``X.review.jsonl`` unless given) is created when missing; one
        made for another version of the alignment is refused, and so is one another
        review has open. With ``save=False`` the file is only read (a missing one means
        nothing decided yet) and changes stay in memory: for exporting.
        """
        alignment_path = Path(alignment_path)
        if alignment_path.name.endswith(SUFFIX):
            raise InputError(
                f"{alignment_path} is a review file: open the alignment it belongs to "
                f"({alignment_path.name.removesuffix(SUFFIX)}.jsonl or .tmx)"
            )
        if not alignment_path.is_file():
            what = "is a folder" if alignment_path.is_dir() else "does not exist"
            raise InputError(f"{alignment_path} {what}: give the .jsonl or .tmx alignment")
        alignment = read_alignment(alignment_path)
        review = cls(alignment, clock=clock, reviewer=reviewer)
        review.alignment_path = alignment_path
        path = Path(review_path) if review_path else review_path_for(alignment_path)
        review.kept_in = path
        digest = file_digest(alignment_path)
        if not path.exists():
            if save:
                review._create(path, digest)
        elif save:
            review._attach(path)  # lock first: nobody appends between reading and writing
            try:
                review._resume(path, digest)
            except BaseException:
                review.close()
                raise
        else:
            review._resume(path, digest)
        if review._log is not None:
            review._append(
                {
                    "op": "open",
                    "time": review.clock(),
                    "reviewer": review.reviewer,
                    "tool": f"un-align {__version__}",
                }
            )
        return review

    def _header(self, digest: str) -> dict[str, Any]:
        assert self.alignment_path is not None
        a = self.alignment
        return {
            "format": FORMAT,
            "version": VERSION,
            "tool": f"un-align {__version__}",
            "alignment": self.alignment_path.name,
            "sha256": digest,
            "segments": {"src": len(a.src), "tgt": len(a.tgt)},
            "beads": len(a.beads),
            "created": self.clock(),
        }

    def _create(self, path: Path, digest: str) -> None:
        from align.atomic import atomic_write

        atomic_write(path, (jsonl_line(self._header(digest)) + "\n").encode("utf-8"))
        self._attach(path)

    def _attach(self, path: Path) -> None:
        try:
            fh = path.open("ab")
        except OSError as exc:
            raise OutputError(
                f"cannot write {path}: {exc.strerror}: make the folder writable"
            ) from None
        try:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:
            pass
        except OSError:
            fh.close()
            raise InputError(f"{path} is open in another review: close that one first") from None
        self.path = path
        self._log = fh

    def _resume(self, path: Path, digest: str) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}: check the path") from None
        complete, _, partial = data.rpartition(b"\n")
        lines = complete.split(b"\n") if complete else []
        if partial.strip():
            lines.append(partial)
        if not lines:
            raise InputError(f"{path} is empty: delete it to start the review again")
        records = list(_decode_lines(path, lines, tolerate_last=bool(partial.strip())))
        if not records:
            raise InputError(f"{path} was cut off while being created: delete it to start again")
        if len(records) < len(lines):
            self.warnings.append(
                f"{path}: the last line was cut off mid-write (not a decision); it was dropped"
            )
        n, head = records[0]
        if head.get("format") != FORMAT:
            raise InputError(f"{path} line {n}: not an un-align review file: check the path")
        if head.get("version") not in READS:
            raise InputError(
                f"{path} line {n}: review format version {head.get('version')!r}, this tool "
                f"reads {', '.join(map(str, READS[:-1]))} and {READS[-1]}: use a matching "
                "un-align version"
            )
        self.version = head["version"]
        name = self.alignment_path.name if self.alignment_path else "the alignment"
        if head.get("sha256") != digest:
            raise InputError(
                f"{path} was made for another version of {name} (its sha256 differs): open "
                f"the alignment it was made for, or move {path.name} away to start a new review"
            )
        for n, record in records[1:]:
            try:
                self._replay(record)
            except (ReviewError, KeyError, TypeError, ValueError) as exc:
                raise InputError(
                    f"{path} line {n}: cannot replay {record.get('op')!r} ({exc}): the review "
                    f"file is damaged; move it away to start a new review"
                ) from None
        self.path = path
        if self._log is not None and partial.strip():
            if len(records) < len(lines):
                self._log.truncate(len(complete) + 1)
            else:
                self._log.write(b"\n")  # a last line whose newline never reached the disk

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Review:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading the state --------------------------------------------------------------

    @property
    def beads(self) -> tuple[ReviewBead, ...]:
        return self._state.beads

    @property
    def edits(self) -> dict[tuple[Side, int], str]:
        return dict(self._state.edits)

    def __len__(self) -> int:
        return len(self._state.beads)

    def segment_text(self, side: Side, index: int) -> str:
        if (side, index) in self._state.edits:
            return self._state.edits[(side, index)]
        segments = self.alignment.src if side == "src" else self.alignment.tgt
        return segments[index].text

    def current(self) -> Alignment:
        """The reviewed state as an Alignment: all beads, edited texts, reviewer-made beads."""
        if self._current is None:
            a = self.alignment

            def edited(side: Side, segments: list[Segment]) -> list[Segment]:
                return [
                    replace(s, text=self._state.edits[(side, i)])
                    if (side, i) in self._state.edits
                    else s
                    for i, s in enumerate(segments)
                ]

            self._current = Alignment(
                src_lang=a.src_lang,
                tgt_lang=a.tgt_lang,
                src=edited("src", a.src),
                tgt=edited("tgt", a.tgt),
                beads=[self._aligners(b) for b in self._state.beads],
                signature=dict(a.signature),
                document=a.document,
            )
        return self._current

    def _rescored(self, bead: ReviewBead) -> ReviewBead:
        """``bead`` with the aligner's confidence where it is the aligner's cut again (a
        merge split back), not the least sure of the beads it was made from."""
        original = self._original.get((bead.src, bead.tgt))
        return bead if original is None else replace(bead, confidence=original.confidence)

    def _aligners(self, bead: ReviewBead) -> Bead:
        """The aligner's own bead where the reviewer left its sentences together, with
        what the aligner recorded on it (stray sentence, likeliest other cut), so the
        review shows the flags the report shows. A bead the reviewer cut has none of
        that and no confidence: the aligner never scored it, and the score of the beads
        it came from would flag, sort and export it as if it had."""
        original = self._original.get((bead.src, bead.tgt))
        return original if original is not None else Bead(bead.src, bead.tgt, math.nan)

    def src_text(self, i: int) -> str:
        return self.current().src_text(self._state.beads[i].bead())

    def tgt_text(self, i: int) -> str:
        return self.current().tgt_text(self._state.beads[i].bead())

    def flags(self, i: int) -> list[Flag]:
        if self._flags is None:
            current = self.current()
            self._flags = [self._flags_of(current, b) for b in current.beads]
        return self._flags[i]

    def _flags_of(self, current: Alignment, bead: Bead) -> list[Flag]:
        """A bead's flags, worked out once for each cut and text: a change touches a bead
        or two, and flagging all of a long document's beads again took a second a key."""
        edits = self._state.edits
        texts = tuple(edits.get(("src", i)) for i in bead.src) + tuple(
            edits.get(("tgt", j)) for j in bead.tgt
        )
        key = (bead.src, bead.tgt, (bead.src, bead.tgt) in self._original, texts)
        if key not in self._flag_cache:
            self._flag_cache[key] = flag_bead(current, bead)
        return self._flag_cache[key]

    def confidence(self, i: int) -> float:
        """The aligner's confidence in bead ``i``; NaN where the reviewer cut the bead
        (merge, split, move, other cut, unalign), which the aligner never scored."""
        b = self._state.beads[i]
        original = self._original.get((b.src, b.tgt))
        return original.confidence if original is not None else math.nan

    @property
    def file_name(self) -> str:
        """The name of the review file, made or still to be (``kept_in``): what a TM of
        this review records, to be known as its own."""
        return next((p.name for p in (self.path, self.kept_in) if p), "")

    def is_recut(self, i: int) -> bool:
        """Whether the reviewer cut bead ``i`` (its sentences are not an aligner's bead)."""
        b = self._state.beads[i]
        return (b.src, b.tgt) not in self._original

    def segment_edited(self, side: Side, index: int) -> bool:
        return (side, index) in self._state.edits

    def is_edited(self, i: int) -> bool:
        """Whether the bead differs from the aligner's: other sentences, or a sentence edited."""
        b = self._state.beads[i]
        if (b.src, b.tgt) not in self._original:
            return True
        edits = self._state.edits
        return any(("src", s) in edits for s in b.src) or any(("tgt", t) in edits for t in b.tgt)

    def counts(self) -> Counts:
        beads = self._state.beads
        by = {s: sum(1 for b in beads if b.status == s) for s in STATUSES}
        edited = sum(1 for i in range(len(beads)) if self.is_edited(i))
        return Counts(by["pending"], by["accepted"], by["rejected"], edited, len(beads))

    def position(self) -> int:
        """Where to resume: the first bead still to review (0 when all are decided)."""
        return next((i for i, b in enumerate(self._state.beads) if b.status == "pending"), 0)

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def matches(self, i: int, view: str) -> bool:
        """Whether bead ``i`` belongs in ``view`` (one of FILTERS, or ``flag:CODE``)."""
        b = self._state.beads[i]
        if view == "all":
            return True
        if view in STATUSES:
            return b.status == view
        if view == "flagged":
            return bool(self.flags(i))
        if view == "edited":
            return self.is_edited(i)
        if view.startswith("flag:"):
            return any(f.code == view[5:] for f in self.flags(i))
        raise ReviewError(f"unknown filter {view!r}: use {', '.join(FILTERS)} or flag:CODE")

    def view(self, filter: str = "all", sort: str = "position") -> list[int]:
        """Bead indices to show: those matching ``filter``, in document or confidence order."""
        if sort not in SORTS:
            raise ReviewError(f"unknown sort {sort!r}: use {', '.join(SORTS)}")
        shown = [i for i in range(len(self._state.beads)) if self.matches(i, filter)]
        if sort == "confidence":

            def least_sure(i: int) -> tuple[float, int]:
                c = self.confidence(i)
                return (c if math.isfinite(c) else -1.0, i)

            shown.sort(key=least_sure)
        return shown

    def flag_codes(self) -> list[str]:
        """Flag codes raised anywhere, in order of first appearance (for the filter)."""
        codes = (f.code for i in range(len(self)) for f in self.flags(i))
        return list(dict.fromkeys(codes))

    def find(
        self, start: int, predicate: Callable[[int], bool], *, backwards: bool = False
    ) -> int | None:
        """The next bead after ``start`` (wrapping round) for which ``predicate`` holds."""
        n = len(self._state.beads)
        step = -1 if backwards else 1
        for k in range(1, n + 1):
            i = (start + step * k) % n
            if predicate(i):
                return i
        return None

    def search(self, query: str, start: int = -1, *, backwards: bool = False) -> int | None:
        """The next bead after ``start`` whose source or target text contains ``query``."""
        needle = query.casefold().strip()
        if not needle:
            return None

        def hit(i: int) -> bool:
            return needle in self.src_text(i).casefold() or needle in self.tgt_text(i).casefold()

        return self.find(start, hit, backwards=backwards)

    # -- operations ---------------------------------------------------------------------

    def accept(self, i: int) -> None:
        """Approve bead ``i`` for the TM as it stands."""
        self._do({"op": "accept", "bead": i})

    def reject(self, i: int) -> None:
        """Keep bead ``i`` out of the TM; its sentences stay in the review."""
        self._do({"op": "reject", "bead": i})

    def merge_down(self, i: int) -> int:
        """Merge bead ``i`` with the bead below; returns the merged bead's index."""
        self._do({"op": "merge", "bead": i})
        return i

    def merge_up(self, i: int) -> int:
        """Merge bead ``i`` with the bead above; returns the merged bead's index."""
        if i <= 0:
            raise ReviewError("the first bead has no bead above to merge with")
        self._do({"op": "merge", "bead": i - 1})
        return i - 1

    def split(self, i: int, src_cut: int, tgt_cut: int) -> None:
        """Split bead ``i`` in two: its first ``src_cut`` source and ``tgt_cut`` target
        sentences stay in the upper bead, the rest go to a new bead below it."""
        self._do({"op": "split", "bead": i, "src_cut": src_cut, "tgt_cut": tgt_cut})

    def move(self, i: int, side: Side, to: Direction) -> int:
        """Move one ``side`` sentence of bead ``i`` to its neighbour ``to``: the first one
        to the bead above, the last one to the bead below. A bead left empty disappears
        (its sentence lives on in the neighbour). Returns where the moved sentence is."""
        before = len(self)
        self._do({"op": "move", "bead": i, "side": side, "to": to})
        if to == "previous":
            return i - 1
        return i + 1 if len(self) == before else i

    def other_cut(self, i: int) -> BeadIds | None:
        """The likeliest other cut the aligner saw for bead ``i`` (``Bead.alternative``,
        named by the low-confidence and close-call flags), while the reviewer has left
        the bead as the aligner made it."""
        return self.current().beads[i].alternative

    def take_cut(self, src: Sequence[int], tgt: Sequence[int]) -> int:
        """Re-cut the beads holding these sentences so that they are one bead, and the
        rest of those beads' sentences before and after it a bead each (one-sided where
        only one language has any): one step for what would take several moves.
        Returns the new bead's index."""
        self._do({"op": "cut", "src": list(src), "tgt": list(tgt)})
        return self.bead_of("src", src[0])

    def edit(self, side: Side, segment: int, text: str) -> None:
        """Replace the text of one sentence (the aligner's text stays in the alignment)."""
        self._do({"op": "edit", "side": side, "segment": segment, "text": text})

    def unalign(self, side: Side, segment: int) -> int:
        """Take one sentence out of its bead into a bead of its own, with its text as it
        stands: what emptying a sentence in the editor means, so that a sentence whose
        counterpart is missing stays in the review (unaligned) rather than being lost.
        The sentence must be first or last on its side of the bead, to keep the order.
        Returns the index of its new bead."""
        self._do({"op": "unalign", "side": side, "segment": segment})
        return self.bead_of(side, segment)

    def edit_sentences(self, texts: Mapping[tuple[Side, int], str]) -> None:
        """Save what the editor changed, as one step that one undo takes back whole: each
        sentence's new text, then each sentence made empty taken out of its bead as
        unaligned (:meth:`unalign`), with the text it had. Nothing changes when any of it
        cannot be done (:meth:`check_sentences` says so beforehand)."""
        ops = self.check_sentences(texts)
        if len(ops) == 1:
            self._do(ops[0])
        elif self.version < GROUPS_FROM and self._log is not None:
            for op in ops:
                self._do(op)
        else:
            self._do({"op": "group", "ops": ops})

    def check_sentences(self, texts: Mapping[tuple[Side, int], str]) -> list[dict[str, Any]]:
        """The steps :meth:`edit_sentences` would take, or the ReviewError it would raise:
        for the editor to keep what the reviewer typed when it cannot be saved."""
        ops: list[dict[str, Any]] = [
            {"op": "edit", "side": side, "segment": j, "text": text}
            for (side, j), text in texts.items()
            if text.strip()
        ]
        ops += [
            {"op": "unalign", "side": side, "segment": j}
            for (side, j), text in texts.items()
            if not text.strip()
        ]
        if not ops:
            raise ReviewError("nothing changed")
        _transform_all(self, ops)
        return ops

    def undo(self) -> int | None:
        """Undo the last change; returns the first bead it touched, for the cursor to go
        to (an accept moved the cursor on; a step of an earlier session may be far off)."""
        before = self._state
        self._do({"op": "undo"})
        return _first_change(self, before, self._state)

    def redo(self) -> int | None:
        """Redo the last undone change; returns the first bead it touched."""
        before = self._state
        self._do({"op": "redo"})
        return _first_change(self, before, self._state)

    def bead_of(self, side: Side, segment: int) -> int:
        """The index of the bead holding a segment."""
        for i, b in enumerate(self._state.beads):
            if segment in (b.src if side == "src" else b.tgt):
                return i
        raise ReviewError(f"no bead holds {side} segment {segment}")

    # -- applying and logging -----------------------------------------------------------

    def _do(self, op: dict[str, Any]) -> None:
        op = {**op, "time": self.clock()}
        if op["op"] in ("accept", "reject") and self.reviewer:
            op["reviewer"] = self.reviewer
        self._apply(op)
        self.changes += 1
        if self._log is not None:
            self._append(op)

    def _append(self, record: dict[str, Any]) -> None:
        assert self._log is not None
        self._log.write((jsonl_line(record) + "\n").encode("utf-8"))
        self._log.flush()
        os.fsync(self._log.fileno())

    def _replay(self, record: dict[str, Any]) -> None:
        if record["op"] == "open":
            return
        self._apply(record)

    def _apply(self, op: dict[str, Any]) -> None:
        kind = op["op"]
        if kind == "undo":
            if not self._undo:
                raise ReviewError("nothing to undo")
            self._redo.append(self._state)
            self._state = self._undo.pop()
        elif kind == "redo":
            if not self._redo:
                raise ReviewError("nothing to redo")
            self._undo.append(self._state)
            self._state = self._redo.pop()
        else:
            new = _transform_all(self, op["ops"]) if kind == "group" else _transform(self, op)
            if kind not in ("accept", "reject"):
                new = replace(new, beads=tuple(self._rescored(b) for b in new.beads))
            self._undo.append(self._state)
            self._redo.clear()
            self._state = new
            if kind in ("accept", "reject"):
                self.steps += 1
                return  # same beads, same texts: the flags still hold
        self.steps += 1
        self._current = None
        self._flags = None


def _seen(b: ReviewBead) -> tuple[object, ...]:
    """What the reviewer sees change on a bead: its sentences and its decision."""
    return (b.src, b.tgt, b.status, b.time, b.reviewer)


def _first_change(review: Review, before: State, after: State) -> int | None:
    """The first bead of ``after`` that differs from ``before``: other sentences, another
    decision or an edited sentence."""
    pairs = zip(before.beads, after.beads, strict=False)
    found = [k for k, (a, b) in enumerate(pairs) if _seen(a) != _seen(b)][:1]
    keys = before.edits.keys() | after.edits.keys()
    found += [review.bead_of(*key) for key in keys if before.edits.get(key) != after.edits.get(key)]
    return min(found) if found else None


def _index(review: Review, value: Any, what: str = "bead") -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ReviewError(f"{what} must be a number, not {value!r}")
    if not 0 <= value < len(review.beads):
        raise ReviewError(f"there is no {what} number {value + 1}")
    return value


def _side(value: Any) -> Side:
    if value not in ("src", "tgt"):
        raise ReviewError(f"side must be 'src' or 'tgt', not {value!r}")
    return value


def _transform_all(review: Review, ops: Any) -> State:
    """The state after each of ``ops`` in turn, as one step (a ``group``); ReviewError
    (state untouched) when any of them cannot be done."""
    if not isinstance(ops, list) or not ops:
        raise ReviewError(f"a group needs a list of steps, not {ops!r}")
    kept = review._state
    try:
        for op in ops:
            if not isinstance(op, dict) or op.get("op") not in ("edit", "unalign"):
                raise ReviewError(f"a group holds edits and unaligns, not {op!r}")
            review._state = _transform(review, op)
        return review._state
    finally:
        review._state = kept


def _transform(review: Review, op: dict[str, Any]) -> State:
    """The state after ``op``; ReviewError (state untouched) when it cannot be done."""
    state = review._state
    beads = list(state.beads)
    kind = op["op"]
    if kind in ("accept", "reject"):
        i = _index(review, op["bead"])
        status: Status = "accepted" if kind == "accept" else "rejected"
        beads[i] = replace(
            beads[i], status=status, time=str(op.get("time", "")), reviewer=op.get("reviewer", "")
        )
        return replace(state, beads=tuple(beads))
    if kind == "merge":
        i = _index(review, op["bead"])
        if i + 1 >= len(beads):
            raise ReviewError("the last bead has no bead below to merge with")
        a, b = beads[i], beads[i + 1]
        beads[i : i + 2] = [
            ReviewBead(a.src + b.src, a.tgt + b.tgt, _min_confidence(a.confidence, b.confidence))
        ]
        return replace(state, beads=tuple(beads))
    if kind == "split":
        i = _index(review, op["bead"])
        b = beads[i]
        cuts = (op["src_cut"], op["tgt_cut"])
        if any(not isinstance(c, int) or isinstance(c, bool) for c in cuts):
            raise ReviewError(f"split points must be numbers, not {cuts!r}")
        sc, tc = cuts
        if not (0 <= sc <= len(b.src) and 0 <= tc <= len(b.tgt)):
            raise ReviewError(f"bead {i + 1} ({b.kind}) cannot be cut at {sc}/{tc}")
        upper = ReviewBead(b.src[:sc], b.tgt[:tc], b.confidence)
        lower = ReviewBead(b.src[sc:], b.tgt[tc:], b.confidence)
        if not (upper.src or upper.tgt) or not (lower.src or lower.tgt):
            raise ReviewError(f"splitting bead {i + 1} there would leave an empty bead")
        beads[i : i + 1] = [upper, lower]
        return replace(state, beads=tuple(beads))
    if kind == "move":
        i = _index(review, op["bead"])
        side = _side(op["side"])
        to = op["to"]
        if to not in ("previous", "next"):
            raise ReviewError(f"move to 'previous' or 'next', not {to!r}")
        j = i - 1 if to == "previous" else i + 1
        if not 0 <= j < len(beads):
            where = "above" if to == "previous" else "below"
            raise ReviewError(f"bead {i + 1} has no bead {where}")
        here, there = beads[i], beads[j]
        ids = here.src if side == "src" else here.tgt
        if not ids:
            lang = review.alignment.src_lang if side == "src" else review.alignment.tgt_lang
            raise ReviewError(f"bead {i + 1} has no {lang} sentence to move")
        moved, rest = (ids[0], ids[1:]) if to == "previous" else (ids[-1], ids[:-1])
        other = there.src if side == "src" else there.tgt
        other = other + (moved,) if to == "previous" else (moved,) + other
        here = (
            ReviewBead(rest, here.tgt, here.confidence)
            if side == "src"
            else ReviewBead(here.src, rest, here.confidence)
        )
        there = (
            ReviewBead(other, there.tgt, there.confidence)
            if side == "src"
            else ReviewBead(there.src, other, there.confidence)
        )
        beads[i], beads[j] = here, there
        if not (here.src or here.tgt):
            del beads[i]
        return replace(state, beads=tuple(beads))
    if kind == "cut":
        return replace(state, beads=tuple(_cut(review, beads, op["src"], op["tgt"])))
    if kind == "unalign":
        return replace(state, beads=tuple(_unalign(review, beads, op["side"], op["segment"])))
    if kind == "edit":
        side = _side(op["side"])
        segments = review.alignment.src if side == "src" else review.alignment.tgt
        j = op["segment"]
        if not isinstance(j, int) or isinstance(j, bool) or not 0 <= j < len(segments):
            raise ReviewError(f"there is no {side} segment {j!r}")
        text = op["text"]
        if not isinstance(text, str) or not text.strip():
            raise ReviewError("a sentence cannot be made empty: reject the bead instead")
        if text == review.segment_text(side, j):
            raise ReviewError("the text is unchanged")
        edits = dict(state.edits)
        if text == segments[j].text:
            del edits[(side, j)]
        else:
            edits[(side, j)] = text
        i = review.bead_of(side, j)
        beads[i] = ReviewBead(beads[i].src, beads[i].tgt, beads[i].confidence)
        return State(tuple(beads), edits)
    raise ReviewError(f"unknown operation {kind!r}")


def _unalign(review: Review, beads: list[ReviewBead], side: Any, j: Any) -> list[ReviewBead]:
    """``beads`` with ``side`` sentence ``j`` in a bead of its own (see ``unalign``)."""
    side = _side(side)
    a = review.alignment
    lang = a.src_lang if side == "src" else a.tgt_lang
    count = len(a.src if side == "src" else a.tgt)
    if not isinstance(j, int) or isinstance(j, bool) or not 0 <= j < count:
        raise ReviewError(f"there is no {lang} sentence #{j!r}")
    i = review.bead_of(side, j)
    b = beads[i]
    ids, others = (b.src, b.tgt) if side == "src" else (b.tgt, b.src)
    if ids == (j,) and not others:
        raise ReviewError(
            f"{lang} #{j} is already a bead of its own: reject it to keep it out of the TM"
        )
    if j not in (ids[0], ids[-1]):
        raise ReviewError(
            f"{lang} #{j} is between two {lang} sentences of bead {i + 1}: split the bead "
            "next to it first"
        )

    def bead(mine: tuple[int, ...], theirs: tuple[int, ...]) -> ReviewBead:
        pair = (mine, theirs) if side == "src" else (theirs, mine)
        return ReviewBead(*pair, b.confidence)

    alone = bead((j,), ())
    if j == ids[-1]:
        pieces = [bead(ids[:-1], others), alone]
    else:
        pieces = [alone, bead(ids[1:], others)]
    return beads[:i] + [p for p in pieces if p.src or p.tgt] + beads[i + 1 :]


def _cut(review: Review, beads: list[ReviewBead], src: Any, tgt: Any) -> list[ReviewBead]:
    """``beads`` with those holding ``src``/``tgt`` re-cut around them (see ``take_cut``)."""
    a = review.alignment
    for ids, segments, lang in ((src, a.src, a.src_lang), (tgt, a.tgt, a.tgt_lang)):
        if (
            not isinstance(ids, list)
            or not ids
            or any(not isinstance(k, int) or isinstance(k, bool) for k in ids)
        ):
            raise ReviewError(f"a cut needs {lang} sentence numbers, not {ids!r}")
        if ids != list(range(ids[0], ids[0] + len(ids))) or not 0 <= ids[0] <= ids[-1] < len(
            segments
        ):
            raise ReviewError(f"{lang} sentences {ids} are not a run of the document's")
    held = [k for k, b in enumerate(beads) if set(b.src) & set(src) or set(b.tgt) & set(tgt)]
    lo, hi = held[0], held[-1]
    span = beads[lo : hi + 1]
    if len(span) == 1 and (span[0].src, span[0].tgt) == (tuple(src), tuple(tgt)):
        raise ReviewError(f"bead {lo + 1} is already cut that way")
    s_all = [i for b in span for i in b.src]
    t_all = [j for b in span for j in b.tgt]
    confidence = _min_confidence(*(b.confidence for b in span))
    pieces = [
        ReviewBead(
            tuple(i for i in s_all if i < src[0]), tuple(j for j in t_all if j < tgt[0]), confidence
        ),
        ReviewBead(tuple(src), tuple(tgt), confidence),
        ReviewBead(
            tuple(i for i in s_all if i > src[-1]),
            tuple(j for j in t_all if j > tgt[-1]),
            confidence,
        ),
    ]
    return beads[:lo] + [b for b in pieces if b.src or b.tgt] + beads[hi + 1 :]


def _decode_lines(
    path: Path, lines: list[bytes], *, tolerate_last: bool
) -> Iterator[tuple[int, dict[str, Any]]]:
    for n, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
            if not isinstance(obj, dict):
                raise ValueError("not an object")
        except (UnicodeDecodeError, ValueError) as exc:
            if tolerate_last and n == len(lines):
                return
            raise InputError(
                f"{path} line {n}: not a JSON record ({exc}): the review file is damaged; "
                "move it away to start a new review"
            ) from None
        if n > 1 and "op" not in obj:
            raise InputError(f"{path} line {n}: no 'op': the review file is damaged")
        yield n, obj


# -- export ------------------------------------------------------------------------------


def written_by_review(path: Path, review_file: Path) -> bool:
    """Whether the TMX at ``path`` is a TM the review kept in ``review_file`` wrote (its
    header's signature names that file), which the review may write over; any other file
    it must not."""
    from align import tmx

    try:
        header = tmx.read_header(path)
    except (AlignError, OSError):
        return False
    return header.props("x-signature-reviewed") == ["yes"] and header.props(
        "x-signature-review.file"
    ) == [review_file.name]


def tm_is_current(review: Review, path: Path, units: str = "sentence") -> bool:
    """Whether ``path`` is the TM of this review as it stands, in ``units``: a session
    closed with its terminal left the TM of an earlier step (or none), and quitting the
    next session without a change must still write it."""
    from align import tmx

    try:
        header = tmx.read_header(path)
    except (AlignError, OSError):
        return False
    return (
        header.props("x-signature-review.file") == [review.file_name]
        and header.props("x-signature-review.steps") == [str(review.steps)]
        and dict(header.attrib).get("segtype") == units
    )


def review_signature(review: Review) -> dict[str, str]:
    """The alignment's signature plus what the review did, so a TM says it was reviewed."""
    c = review.counts()
    sig = dict(review.alignment.signature)
    sig.update(
        {
            "reviewed": "yes",
            "review.file": review.file_name,
            "review.accepted": str(c.accepted),
            "review.rejected": str(c.rejected),
            "review.pending": str(c.pending),
            "review.edited": str(c.edited),
            "review.steps": str(review.steps),
            "review.tool": f"un-align {__version__}",
        }
    )
    return sig


def _decision(b: ReviewBead) -> str:
    parts: list[str] = [b.status]
    if b.time:
        parts.append(b.time)
    if b.reviewer:
        parts.append(f"by {b.reviewer}")
    return " ".join(parts)


def export_tmx(
    review: Review,
    path: Path | str,
    *,
    force: bool = False,
    date: str | None = None,
    units: str = "sentence",
) -> WriteResult:
    """Write the accepted beads, with the reviewer's texts, as TMX.

    Rejected and pending beads are not written (the review file and :func:`export_jsonl`
    keep them); an accepted bead is, untranslated text included (a reviewer's decision
    outweighs :func:`~align.writers.base.written_beads`' rule). Each unit carries
    ``x-reviewed`` (decision, time, reviewer) and ``x-edited: yes`` when the reviewer
    changed it. A unit with a bead the reviewer cut has no ``x-confidence``: the aligner
    never scored that bead (:meth:`Review.confidence`). With ``units="paragraph"`` a unit
    is a paragraph group of :func:`align.paragraphs.by_paragraph`, written where every
    bead in it is accepted: a paragraph with a bead not accepted is not known to be
    translated whole.
    """
    from align.paragraphs import joined_units, paragraph_groups

    current = review.current()
    groups = (
        paragraph_groups(current)
        if units == "paragraph"
        else [[i] for i in range(len(current.beads))]
    )
    accepted = [g for g in groups if all(review.beads[i].status == "accepted" for i in g)]
    tm = replace(current, signature=review_signature(review))
    if units == "paragraph":
        tm = joined_units(tm, [[current.beads[i] for i in g] for g in accepted])
    else:
        tm = replace(tm, beads=[current.beads[g[0]] for g in accepted])
    props: dict[int, list[tuple[str, str]]] = {}
    for k, group in enumerate(accepted):
        props[k] = [("x-reviewed", _decisions([review.beads[i] for i in group]))]
        if any(review.is_edited(i) for i in group):
            props[k].append(("x-edited", "yes"))
    return write_alignment(
        tm, path, fmt="tmx", force=force, date=date, unit_props=props, include_untranslated=True
    )


def _decisions(beads: list[ReviewBead]) -> str:
    """One bead's decision (:func:`_decision`); for several, the last time and every reviewer."""
    if len(beads) == 1:
        return _decision(beads[0])
    last = max(beads, key=lambda b: b.time)
    reviewers = sorted({b.reviewer for b in beads if b.reviewer})
    return _decision(replace(last, reviewer=", ".join(reviewers)))


def export_jsonl(review: Review, path: Path | str, *, force: bool = False) -> WriteResult:
    """Write the whole reviewed state as un-align JSONL: every bead, whatever its decision.

    Readable by :func:`align.writers.read_alignment`; bead lines add ``review``
    (status, time, reviewer, edited) and edited segments keep the aligner's text
    in ``original``, so nothing the reviewer saw disappears.
    """
    current = replace(review.current(), signature=review_signature(review))
    rendered = JsonlWriter().render(current)
    lines = rendered.data.decode("utf-8").split("\n")
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        obj = json.loads(line)
        if obj.get("type") == "segment":
            side: Side = obj["side"]
            if review.segment_edited(side, obj["id"]):
                original = review.alignment.src if side == "src" else review.alignment.tgt
                obj["original"] = original[obj["id"]].text
        elif obj.get("type") == "bead":
            i = obj["n"] - 1
            b = review.beads[i]
            obj["review"] = {
                "status": b.status,
                "time": b.time,
                "reviewer": b.reviewer,
                "edited": review.is_edited(i),
            }
            obj["flags"] = [{"code": f.code, "reason": f.reason} for f in review.flags(i)]
        out.append(jsonl_line(obj))
    data = ("\n".join(out) + "\n").encode("utf-8")
    path = Path(path)
    from align.atomic import atomic_write

    atomic_write(path, data, force=force)  # refuses an existing path without force
    return WriteResult(path, "jsonl", len(review.beads), (), rendered.dropped)


def tm_written(result: WriteResult) -> str:
    """What a TM export wrote, and why accepted beads are missing from it: a bead with a
    sentence on one side only (an unaligned sentence) pairs nothing, so it is no unit."""
    n = result.units
    out = f"{n} translation unit{'' if n == 1 else 's'}"
    if result.skipped:
        n = len(result.skipped)
        out += (
            f"; {n} accepted bead{' has' if n == 1 else 's have'} a sentence on one side "
            "only: not a unit, kept in the review"
        )
    return out


def export(
    review: Review, path: Path | str, *, force: bool = False, units: str = "sentence"
) -> WriteResult:
    """Export by suffix: ``.tmx`` (accepted beads, the TM, in ``units``) or ``.jsonl``
    (everything, bead by bead)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".tmx":
        return export_tmx(review, path, force=force, units=units)
    if suffix == ".jsonl":
        return export_jsonl(review, path, force=force)
    raise OutputError(f"{path}: export as .tmx (the reviewed TM) or .jsonl (the whole review)")


def replay(alignment: Alignment, ops: Iterable[dict[str, Any]]) -> Review:
    """A Review with ``ops`` (log records) applied in memory, as reopening would."""
    review = Review(alignment, reviewer="")
    for op in ops:
        review._replay(op)
    return review
