"""Run a batch: discover pairs, skip what the journal says is done, align the rest, merge.

OUTDIR layout::

    OUTDIR/tmx/ID.tmx        one TMX per pair (ID mirrors the input tree)
    OUTDIR/jsonl/ID.jsonl    the whole alignment, for review tools
    OUTDIR/journal.jsonl     what finished (see align.batch.journal)
    OUTDIR/summary.json      this run: counts, speed, cache, every failure and unpaired file

Only this process writes there, each file atomically, so an interrupted run
leaves complete files or none, and the next run resumes from the journal.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from align import __version__
from align.atomic import atomic_write
from align.batch.discover import Copy, Discovery, Pair, Unpaired, discover, named_language
from align.batch.executors import Executor, LocalExecutor, PoolExecutor
from align.batch.identify import counted
from align.batch.journal import (
    JOURNAL_NAME,
    LOCK_NAME,
    FileStamp,
    Journal,
    file_sha256,
    job_key,
    outdir_lock,
    stamp,
)
from align.batch.task import EncoderSpec, PairOutcome, PairTask, worker_encoder
from align.encoders import check_languages, default_cache_dir, load_encoder
from align.errors import AlignError, InputError, OutputError
from align.pipeline import Settings
from align.readers.base import check_file
from align.tmx import MergeResult
from align.tmx import merge as merge_tmx
from align.writers.tmx import TOOL

log = logging.getLogger(__name__)

EXIT_SOME_FAILED = 4
"""``align batch`` exit code when the batch ran but at least one pair failed."""
TMX_DIR = "tmx"
JSONL_DIR = "jsonl"
SUMMARY_NAME = "summary.json"

Status = Literal["done", "failed", "skipped"]


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch. ``cache_dir`` None: the default cache (for Dask: each worker's)."""

    settings: Settings = field(default_factory=Settings)
    jobs: int = 1
    executor: Literal["local", "dask"] = "local"
    scheduler: str | None = None
    use_cache: bool = True
    cache_dir: Path | None = None
    allow_mismatch: bool = False
    redo: bool = False
    merge: Path | None = None
    units: str = "sentence"
    overwrite: bool = False
    """``--force``: ``merge`` may replace an existing file (never an input document)."""


@dataclass
class PairResult:
    """How one pair ended in this run; ``skipped`` means finished by an earlier run."""

    id: str
    src: str
    tgt: str
    status: Status
    reason: str = ""
    src_sentences: int = 0
    tgt_sentences: int = 0
    beads: int = 0
    units: int = 0
    unaligned: tuple[int, int] = (0, 0)
    score: float | None = None
    seconds: float = 0.0
    cache_hits: int = 0
    cache_misses: int = 0
    worker: str = ""
    encoder_loads: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def sentences(self) -> int:
        return self.src_sentences + self.tgt_sentences


@dataclass(frozen=True)
class StaleOutput:
    """An output an earlier run wrote for a pair this run did not align or skip (it was not
    found, failed or was not run): listed, never deleted, as someone may still use it."""

    path: str
    """Relative to OUTDIR (``tmx/ID.tmx``)."""
    id: str
    reason: str


@dataclass
class BatchResult:
    """A whole run: one :class:`PairResult` per pair (id order), and what was not paired."""

    source: Path
    outdir: Path
    executor: str
    workers: int
    encoder: str
    identity: dict[str, Any]
    results: list[PairResult]
    unpaired: list[Unpaired]
    ignored: list[Path]
    seconds: float
    interrupted: bool = False
    not_run: list[str] = field(default_factory=list)
    merge: MergeResult | None = None
    paired_by_text: list[Pair] = field(default_factory=list)
    merge_files: list[str] = field(default_factory=list)
    """Every --merge file batches into this OUTDIR wrote (absolute): a rerun may rewrite them."""
    stale: list[StaleOutput] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    """The documents among ``ignored``, each read from another file (its ``kept``)."""

    def _with(self, status: Status) -> list[PairResult]:
        return [r for r in self.results if r.status == status]

    @property
    def done(self) -> list[PairResult]:
        return self._with("done")

    @property
    def failed(self) -> list[PairResult]:
        return self._with("failed")

    @property
    def skipped(self) -> list[PairResult]:
        return self._with("skipped")

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted

    @property
    def sentences(self) -> int:
        """Sentences aligned in this run (both sides)."""
        return sum(r.sentences for r in self.done)

    @property
    def pairs_per_second(self) -> float:
        return len(self.done) / self.seconds if self.seconds > 0 else 0.0

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds > 0 else 0.0

    @property
    def cache_hits(self) -> int:
        return sum(r.cache_hits for r in self.done)

    @property
    def cache_misses(self) -> int:
        return sum(r.cache_misses for r in self.done)

    @property
    def cache_hit_rate(self) -> float | None:
        total = self.cache_hits + self.cache_misses
        return self.cache_hits / total if total else None

    def tmx_path(self, pair_id: str) -> Path:
        return output_path(self.outdir, pair_id, "tmx")

    def as_dict(self) -> dict[str, Any]:
        """What ``summary.json`` holds."""
        rate = self.cache_hit_rate
        return {
            "tool": f"un-align {__version__}",
            "input": str(self.source),
            "outdir": str(self.outdir),
            "executor": self.executor,
            "workers": self.workers,
            "encoder": self.encoder,
            "identity": self.identity,
            "interrupted": self.interrupted,
            "seconds": round(self.seconds, 3),
            "counts": {
                "pairs": len(self.results),
                "done": len(self.done),
                "failed": len(self.failed),
                "skipped": len(self.skipped),
                "unpaired": len(self.unpaired),
                "ignored": len(self.ignored),
                "copies": len(self.copies),
                "not_run": len(self.not_run),
            },
            "sentences": self.sentences,
            "pairs_per_second": round(self.pairs_per_second, 3),
            "sentences_per_second": round(self.sentences_per_second, 2),
            "cache": {
                "hits": self.cache_hits,
                "misses": self.cache_misses,
                "hit_rate": None if rate is None else round(rate, 4),
            },
            "failed": [
                {"id": r.id, "src": r.src, "tgt": r.tgt, "reason": r.reason} for r in self.failed
            ],
            "unpaired": [{"path": str(u.path), "reason": u.reason} for u in self.unpaired],
            "paired_by_text": [
                {"id": p.id, "src": str(p.src), "tgt": str(p.tgt)} for p in self.paired_by_text
            ],
            "ignored": [str(p) for p in self.ignored],
            "copies": [
                {"path": str(c.path), "kept": str(c.kept), "identical": c.identical}
                for c in self.copies
            ],
            "not_run": self.not_run,
            "warnings": [w for r in self.results for w in r.warnings],
            "merge": None
            if self.merge is None
            else {
                "output": str(self.merge.output),
                "units_in": self.merge.units_in,
                "units_out": self.merge.units_out,
                "duplicates": self.merge.duplicates,
            },
            "merge_files": self.merge_files,
            "stale": [asdict(x) for x in self.stale],
            "pairs": [
                {
                    "id": r.id,
                    "status": r.status,
                    "sentences": [r.src_sentences, r.tgt_sentences],
                    "beads": r.beads,
                    "units": r.units,
                    "unaligned": list(r.unaligned),
                    "score": r.score,
                    "seconds": round(r.seconds, 3),
                    "worker": r.worker,
                }
                for r in self.results
            ],
        }


class BatchListener:
    """Told about progress as it happens (the CLI draws its progress bar from this)."""

    def started(self, planned: int, settled: list[PairResult], found: Discovery) -> None:
        """``planned`` pairs will run; ``settled`` are already decided (skipped, failed)."""

    def finished(self, result: PairResult) -> None:
        """One planned pair is done or failed (and, if done, on disk and in the journal)."""

    def reading(self, done: int, total: int) -> None:
        """Before the pairs are known: ``done`` of ``total`` files whose names do not pair
        them have been read, to pair them by their text."""


def output_path(outdir: Path, pair_id: str, kind: Literal["tmx", "jsonl"]) -> Path:
    folder = TMX_DIR if kind == "tmx" else JSONL_DIR
    return outdir / folder / f"{pair_id}.{kind}"


@dataclass(frozen=True)
class _Planned:
    src: FileStamp
    tgt: FileStamp
    key: str


def check_options(options: BatchOptions) -> None:
    """Refuse impossible options before any work is done."""
    if options.executor == "dask":
        if not options.scheduler:
            raise InputError(
                "--executor dask needs --scheduler tcp://HOST:PORT: start one with "
                "'dask scheduler' (see README)"
            )
    elif options.executor != "local":
        raise InputError(f"unknown executor {options.executor!r}: use local or dask")
    if options.jobs < 1:
        raise InputError(f"--jobs {options.jobs}: give 1 or more")


def earlier_merges(outdir: Path) -> list[str]:
    """The --merge files earlier runs into ``outdir`` wrote, as its summary.json records them."""
    try:
        data = json.loads((outdir / SUMMARY_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict):
        return []
    files = [f for f in data.get("merge_files") or () if isinstance(f, str)]
    merge = data.get("merge")
    if isinstance(merge, dict) and isinstance(merge.get("output"), str):
        files.append(str(Path(merge["output"]).resolve()))  # a summary from before merge_files
    return list(dict.fromkeys(files))


def check_merge(
    merge: Path, outdir: Path, inputs: Iterable[Path], known: Iterable[str], overwrite: bool
) -> None:
    """Refuse a --merge file before any pair is aligned, not after the whole batch: a folder,
    an input document or a file the batch writes itself (even with --force), or an existing
    file that no earlier run into ``outdir`` wrote (``known``), unless ``overwrite``."""
    from align.cli_common import refuse_an_input

    if merge.is_dir():
        raise OutputError(
            f"--merge {merge}: is a folder: give a file name, e.g. {merge / 'corpus.tmx'}"
        )
    refuse_an_input(merge, inputs, "--merge")
    target, own = merge.resolve(), outdir.resolve()
    own_files = (JOURNAL_NAME, SUMMARY_NAME, LOCK_NAME)
    if (target.parent == own and target.name in own_files) or any(
        own / folder in target.parents for folder in (TMX_DIR, JSONL_DIR)
    ):
        raise OutputError(
            f"--merge {merge}: is a file the batch writes in {outdir} itself: choose another "
            f"--merge, outside {outdir / TMX_DIR} and {outdir / JSONL_DIR}"
        )
    if not merge.exists() or overwrite:
        return
    if any(Path(k).resolve() == target for k in known):
        return  # this OUTDIR's own merge, rewritten on every run
    raise OutputError(
        f"{merge} already exists and no earlier batch into {outdir} wrote it: pass --force to "
        "overwrite it, or choose another --merge"
    )


def make_executor(options: BatchOptions, spec: EncoderSpec) -> Executor:
    check_options(options)
    if options.executor == "dask":
        from align.batch.dask_executor import DaskExecutor

        return DaskExecutor(str(options.scheduler))
    if options.jobs == 1:
        return LocalExecutor()
    return PoolExecutor(options.jobs, spec)


def _remove_stale_temporaries(outdir: Path) -> None:
    """Temporary files a killed run left behind (complete outputs are never temporary)."""
    for folder in (outdir, outdir / TMX_DIR, outdir / JSONL_DIR):
        if folder.is_dir():
            for tmp in folder.rglob(".*.tmp"):
                tmp.unlink(missing_ok=True)


def _settled_from_journal(pair_id: str, src: str, tgt: str, entry: dict[str, Any]) -> PairResult:
    sentences = entry.get("sentences") or [0, 0]
    return PairResult(
        pair_id,
        src,
        tgt,
        "skipped",
        reason="unchanged since an earlier run",
        src_sentences=int(sentences[0]),
        tgt_sentences=int(sentences[1]),
        beads=int(entry.get("beads", 0)),
        units=int(entry.get("units", 0)),
        score=entry.get("score"),
    )


def _identity(options: BatchOptions, spec: EncoderSpec) -> tuple[dict[str, Any], str]:
    """What every pair's output depends on besides its inputs, and the encoder's label."""
    if options.executor == "local" and options.jobs == 1:
        encoder = worker_encoder(spec)  # loaded here once; the in-process executor reuses it
    else:
        encoder = load_encoder(spec.model)  # USE loads its weights on first use: cheap here
    s = options.settings
    identity = {
        "tool": __version__,
        "encoder": encoder.name,
        "encoder_version": encoder.version,
        "src_lang": s.src_lang,
        "tgt_lang": s.tgt_lang,
        "align": asdict(s.align),
    }
    if options.units != "sentence":  # journals of sentence TMs from before stay valid
        identity["units"] = options.units
    return identity, f"{encoder.name} ({encoder.version})"


def _plan(
    found: Discovery, journal: Journal, identity: dict[str, Any], options: BatchOptions
) -> tuple[dict[str, PairResult], dict[str, _Planned]]:
    """Pairs already decided (conflicts, unreadable, unchanged since the journal), and the rest."""
    results: dict[str, PairResult] = {}
    plan: dict[str, _Planned] = {}
    for c in found.conflicts:
        paths = [str(p) for p in c.paths]
        results[c.id] = PairResult(c.id, paths[0], ", ".join(paths[1:]), "failed", c.reason)
    for pair in found.pairs:
        src_name, tgt_name = str(pair.src), str(pair.tgt)
        old = journal.entries.get(pair.id, {})
        try:
            check_file(pair.src)
            check_file(pair.tgt)
            src, tgt = stamp(pair.src, old.get("src")), stamp(pair.tgt, old.get("tgt"))
        except InputError as exc:
            results[pair.id] = PairResult(pair.id, src_name, tgt_name, "failed", str(exc))
            continue
        except OSError as exc:
            reason = f"{exc.filename}: cannot be read ({exc.strerror}): check its permissions"
            results[pair.id] = PairResult(pair.id, src_name, tgt_name, "failed", reason)
            continue
        key = job_key(pair.id, src, tgt, identity)
        entry = None if options.redo else journal.finished(pair.id, key)
        if entry is not None and (options.allow_mismatch or not entry.get("mismatch")):
            results[pair.id] = _settled_from_journal(pair.id, src_name, tgt_name, entry)
        else:
            plan[pair.id] = _Planned(src, tgt, key)
    return results, plan


def check_not_ours(outdir: Path, journal: Journal, pair_ids: Iterable[str]) -> None:
    """Refuse, before any pair is aligned, to write a pair's output over a file this tool
    did not write (the journal knows of no such pair, and the file is no TMX or JSONL of
    ours): a TM of the user's that bears the pair's name. An output of ours the journal
    missed (a run killed between the two) is written again, as before. ``--force``
    writes over any."""
    for pair_id in pair_ids:
        if pair_id in journal.entries:
            continue
        for kind in ("tmx", "jsonl"):
            path = output_path(outdir, pair_id, kind)
            if path.exists() and not _written_by_us(path):
                raise OutputError(
                    f"{path} exists, and this tool did not write it: move it away, choose "
                    "another -o, or pass --force to write over it"
                )


def _written_by_us(path: Path) -> bool:
    """Whether ``path`` is a JSONL or TMX this tool wrote: its header says so."""
    from align import tmx
    from align.writers.jsonl import FORMAT

    try:
        if path.suffix == ".jsonl":
            with path.open("rb") as fh:
                head = json.loads(fh.readline())
            return isinstance(head, dict) and (head.get("type"), head.get("format")) == (
                "header",
                FORMAT,
            )
        return dict(tmx.read_header(path).attrib).get("creationtool") == TOOL
    except (AlignError, OSError, ValueError):
        return False


def stale_outputs(
    outdir: Path, journal: Journal, results: dict[str, PairResult], not_run: list[str]
) -> list[StaleOutput]:
    """The outputs the journal knows of whose pair this run neither aligned nor skipped: a
    pair whose files are gone, or that failed now, still has its earlier TMX and JSONL."""
    stale = []
    for pair_id, entry in sorted(journal.entries.items()):
        result = results.get(pair_id)
        if result is not None and result.status != "failed":
            continue
        if result is not None:
            reason = "its pair failed in this run: made from earlier versions of its files"
        elif pair_id in not_run:
            reason = "its pair was not run (interrupted): made from earlier versions of its files"
        else:
            reason = "its pair was not found in this run (its files were moved or deleted)"
        outputs = entry.get("outputs")
        outputs = outputs if isinstance(outputs, dict) else {}
        for kind in ("tmx", "jsonl"):
            out = outputs.get(kind)
            rel = str(out.get("path", "")) if isinstance(out, dict) else ""
            if rel and (outdir / rel).is_file():
                stale.append(StaleOutput(rel, pair_id, reason))
    return stale


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_batch(
    source: Path | str,
    outdir: Path | str,
    options: BatchOptions = BatchOptions(),
    *,
    manifest: bool | None = None,
    listener: BatchListener | None = None,
) -> BatchResult:
    """Align every pair found in ``source`` into ``outdir``; see the module docstring.

    Pairs that fail are in the result with their reason; nothing is raised for
    them. Raises AlignError for problems with the batch itself (no pairs, OUTDIR
    not writable, no cluster). On KeyboardInterrupt the summary is written with
    ``interrupted`` and the interrupt goes on. ``jobs`` > 1 spawns worker
    processes, so a script calling this needs the ``if __name__ == "__main__":``
    guard that :mod:`multiprocessing` asks for.
    """
    started = time.perf_counter()
    check_options(options)
    source, outdir = Path(source), Path(outdir)
    listener = listener or BatchListener()
    if outdir.resolve() == source.resolve():
        raise InputError(f"-o {outdir}: give the outputs a folder of their own, not INPUT")
    settings = options.settings
    found = discover(
        source,
        src_lang=settings.src_lang,
        tgt_lang=settings.tgt_lang,
        manifest=manifest,
        skip=outdir if outdir.exists() else None,
        on_read=listener.reading,
    )
    if not found.pairs and not found.conflicts:
        hint = ""
        if found.unpaired:
            first = found.unpaired[0]
            files = counted(len(found.unpaired), "file")
            hint = f" ({files} not paired, e.g. {first.path} {first.reason})"
        raise InputError(
            f"{source}: no document pairs found{hint}: see 'align batch --help' for the layouts"
        )
    merges = earlier_merges(outdir)
    if options.merge is not None:
        inputs = [
            *(p for pair in found.pairs for p in (pair.src, pair.tgt)),
            *(p for c in found.conflicts for p in c.paths),
            *(u.path for u in found.unpaired),
            *([source] if source.is_file() else []),
        ]
        check_merge(options.merge, outdir, inputs, merges, options.overwrite)
    check_languages(settings.model, (settings.src_lang, settings.tgt_lang))  # before OUTDIR
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {outdir}: {exc.strerror}: choose another -o") from None
    if options.use_cache:
        cache = options.cache_dir
        if cache is None and options.executor == "local":
            cache = default_cache_dir()
        cache_dir = str(Path(cache).expanduser().resolve()) if cache is not None else None
    else:
        cache_dir = None
    spec = EncoderSpec(settings.model, options.use_cache, cache_dir)
    with outdir_lock(outdir):
        _remove_stale_temporaries(outdir)
        journal = Journal(outdir)
        journal.compact()
        identity, encoder_label = _identity(options, spec)
        results, plan = _plan(found, journal, identity, options)
        if not options.overwrite:
            check_not_ours(outdir, journal, plan)
        pairs = {p.id: p for p in found.pairs}
        executor = make_executor(options, spec) if plan else LocalExecutor()
        listener.started(len(plan), list(results.values()), found)
        unread: list[PairOutcome] = []

        def tasks() -> Iterator[PairTask]:
            for pair_id in plan:
                pair = pairs[pair_id]
                data: tuple[bytes | None, bytes | None] = (None, None)
                if executor.needs_bytes:
                    try:
                        data = (pair.src.read_bytes(), pair.tgt.read_bytes())
                    except OSError as exc:
                        reason = f"{exc.filename}: cannot be read ({exc.strerror}): check it"
                        unread.append(PairOutcome(pair_id, False, reason))
                        continue
                yield PairTask(
                    pair_id,
                    str(pair.src),
                    str(pair.tgt),
                    replace(
                        settings,
                        src_lang=named_language(pair.src, settings.src_lang),
                        tgt_lang=named_language(pair.tgt, settings.tgt_lang),
                    ),
                    spec,
                    options.allow_mismatch,
                    *data,
                    units=options.units,
                )

        said: set[str] = set()

        def settle(outcome: PairOutcome) -> None:
            for message in outcome.logged:
                if message not in said:
                    said.add(message)
                    log.warning("%s", message)
            pair = pairs[outcome.id]
            result, entry = _write(outdir, pair.src, pair.tgt, plan[outcome.id], outcome)
            results[outcome.id] = result
            if entry is not None:
                journal.record(entry)
            listener.finished(result)

        journal.open()
        interrupted = False
        try:
            for outcome in executor.run(tasks()):
                settle(outcome)
                while unread:
                    settle(unread.pop())
            while unread:
                settle(unread.pop())
        except KeyboardInterrupt:
            interrupted = True
            executor.close(abort=True)
            raise
        finally:
            if not interrupted:
                executor.close()
            journal.close()
            not_run = [k for k in plan if k not in results]
            result = BatchResult(
                source=source,
                outdir=outdir,
                executor=executor.name,
                workers=executor.workers,
                encoder=encoder_label,
                identity=identity,
                results=[results[k] for k in sorted(results)],
                unpaired=found.unpaired,
                ignored=found.ignored,
                copies=found.copies,
                seconds=time.perf_counter() - started,
                interrupted=interrupted,
                not_run=not_run,
                paired_by_text=found.by_text,
                merge_files=merges,
                stale=stale_outputs(outdir, journal, results, not_run),
            )
            if interrupted:
                _write_summary(result)
        try:
            if options.merge is not None:
                result.merge = _merge(result, options.merge)
                if result.merge is not None:
                    written = str(options.merge.resolve())
                    result.merge_files = list(dict.fromkeys([*merges, written]))
        finally:
            result.seconds = time.perf_counter() - started
            _write_summary(result)
    return result


def _write(
    outdir: Path,
    src_path: Path,
    tgt_path: Path,
    planned: _Planned,
    outcome: PairOutcome,
) -> tuple[PairResult, dict[str, Any] | None]:
    """Put a pair's outputs on disk and return its result with the journal entry to record;
    or turn its failure into a result (and no entry).

    The caller records the entry only once the result is counted, so a Ctrl-C between the
    two never leaves a pair in the journal that the summary calls not run."""
    o = outcome
    result = PairResult(
        o.id,
        str(src_path),
        str(tgt_path),
        "done" if o.ok else "failed",
        reason=o.reason,
        src_sentences=o.src_sentences,
        tgt_sentences=o.tgt_sentences,
        beads=o.beads,
        units=o.units,
        unaligned=o.unaligned,
        score=o.score,
        seconds=o.seconds,
        cache_hits=o.cache_hits,
        cache_misses=o.cache_misses,
        worker=o.worker,
        encoder_loads=o.encoder_loads,
        warnings=o.warnings,
    )
    if not o.ok:
        return result, None
    outputs = {}
    kept: list[str] = []
    try:
        for kind, data in (("tmx", o.tmx), ("jsonl", o.jsonl)):
            path = output_path(outdir, o.id, kind)  # type: ignore[arg-type]
            if (note := keep_reviewed(path, data)) is not None:
                kept.append(f"{o.id}: {note}")
            atomic_write(path, data, force=True)
            outputs[kind] = {"path": path.relative_to(outdir).as_posix(), "sha256": _sha256(data)}
    except AlignError as exc:
        result.status, result.reason = "failed", str(exc)
        result.warnings += tuple(kept)
        return result, None
    result.warnings += tuple(kept)
    return result, {
        "id": o.id,
        "key": planned.key,
        "src": asdict(planned.src),
        "tgt": asdict(planned.tgt),
        "outputs": outputs,
        "sentences": [o.src_sentences, o.tgt_sentences],
        "beads": o.beads,
        "units": o.units,
        "score": o.score,
        "mismatch": o.mismatch,
        "seconds": round(o.seconds, 3),
        "worker": o.worker,
        "finished": _now(),
        "signature": o.signature,
    }


def keep_reviewed(path: Path, data: bytes) -> str | None:
    """Move a pair's earlier output and its review (``align review``) aside before ``data``
    replaces it, as ``ID.before-YYYYMMDDTHHMMSS`` + the suffix: a review only opens with
    the alignment it was made for, so overwriting one would strand every decision in it.
    Returns what to tell the user, or None where there is no review or it still fits."""
    from align.review import review_path_for, reviewed_tmx_path

    review = review_path_for(path)
    if not review.is_file() or not path.is_file():
        return None
    try:
        if file_sha256(path) == _sha256(data):
            return None
    except OSError:
        pass  # unreadable: keep it aside all the same
    when = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    kept, n = path.with_name(f"{path.stem}.before-{when}{path.suffix}"), 1
    while kept.exists() or review_path_for(kept).exists():
        n += 1
        kept = path.with_name(f"{path.stem}.before-{when}-{n}{path.suffix}")
    kept_review = review_path_for(kept)
    try:
        path.rename(kept)
        try:
            review.rename(kept_review)
        except OSError:
            kept.rename(path)
            raise
        if reviewed_tmx_path(path).is_file():  # its TM: the new alignment has none yet
            reviewed_tmx_path(path).rename(reviewed_tmx_path(kept))
    except OSError as exc:
        raise OutputError(
            f"cannot keep {review} with the alignment it reviews ({exc.strerror}): make "
            f"{path.parent} writable, or move the review away, and run the batch again"
        ) from None
    tm = (
        f" (and its TM as {reviewed_tmx_path(kept).name})"
        if reviewed_tmx_path(kept).is_file()
        else ""
    )
    return (
        f"realigned, and {review} reviewed the earlier {path.name}: both kept as {kept.name} "
        f"and {kept_review.name}{tm} (align review {kept} opens them)"
    )


def _merge(result: BatchResult, output: Path) -> MergeResult | None:
    """One deduplicated TMX of every pair that is done (now or earlier), in id order."""
    inputs = [result.tmx_path(r.id) for r in result.results if r.status != "failed"]
    if not inputs:
        return None
    return merge_tmx(inputs, output, force=True)


def _write_summary(result: BatchResult) -> None:
    data = json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"
    atomic_write(result.outdir / SUMMARY_NAME, data.encode("utf-8"), force=True)
