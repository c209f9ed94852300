"""One pair as a unit of work, run wherever an executor puts it (this process, a pool, Dask).

:func:`run_task` never raises for a bad pair: it returns a :class:`PairOutcome`
with the reason, so one bad pair never stops a batch. It returns the rendered
TMX and JSONL as bytes instead of writing them: only the process that owns
OUTDIR writes, atomically, and records the pair in the journal, so a worker
that dies or runs a pair twice can never leave a half or double output.

The encoder is a per-process global (:func:`worker_encoder`): loaded on a
worker's first pair (or by the pool initializer) and reused for every pair
after that.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing.util
import os
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from align.encoders import CachedEncoder, Encoder, default_cache_dir, load_encoder
from align.errors import AlignError, NotTranslation, WrongLanguage
from align.flags import untranslated
from align.paragraphs import by_paragraph
from align.pipeline import (
    FORCED,
    Settings,
    align_files,
    check_translation,
    translation_score,
)
from align.report import left_out
from align.writers import WRITERS


@dataclass(frozen=True)
class EncoderSpec:
    """Which encoder a worker loads. ``cache_dir`` None with ``use_cache``: the worker's
    own default cache (``ALIGN_CACHE_DIR`` or ``~/.cache`` on that machine)."""

    model: str
    use_cache: bool = True
    cache_dir: str | None = None


@dataclass(frozen=True)
class PairTask:
    """Everything a worker needs for one pair; ``*_data`` set when it has no shared disk."""

    id: str
    src: str
    tgt: str
    settings: Settings
    encoder: EncoderSpec
    allow_mismatch: bool = False
    src_data: bytes | None = None
    tgt_data: bytes | None = None
    units: str = "sentence"


@dataclass(frozen=True)
class PairOutcome:
    """A pair's result as a worker sends it back: outputs as bytes, or the reason it failed."""

    id: str
    ok: bool
    reason: str = ""
    tmx: bytes = b""
    jsonl: bytes = b""
    src_sentences: int = 0
    tgt_sentences: int = 0
    beads: int = 0
    units: int = 0
    unaligned: tuple[int, int] = (0, 0)
    score: float | None = None
    mismatch: bool = False
    cache_hits: int = 0
    cache_misses: int = 0
    seconds: float = 0.0
    worker: str = ""
    encoder_loads: int = 0
    signature: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    logged: tuple[str, ...] = ()
    """What a pool worker logged since its last outcome (the cache it cannot use): every
    worker meets the same trouble, so the parent says each line once, not once a worker."""


class _Held(logging.Handler):
    """Keeps the package's warnings of a pool worker, for the parent to say once."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            self.messages.append(record.getMessage())


_HELD: _Held | None = None
"""Set in a pool worker by :func:`init_worker`: only a process of this package's own holds
its warnings back (a Dask worker's go to its own log, an in-process run's are said at once)."""


def _held() -> tuple[str, ...]:
    if _HELD is None:
        return ()
    messages, _HELD.messages = tuple(_HELD.messages), []
    return messages


_MODELS: dict[str, Encoder] = {}
_ENCODERS: dict[EncoderSpec, Encoder] = {}
_LOCK = threading.Lock()
_loads = 0


def worker_encoder(spec: EncoderSpec) -> Encoder:
    """This process's encoder for ``spec``: the model is loaded once, whatever the cache."""
    global _loads
    with _LOCK:
        encoder = _ENCODERS.get(spec)
        if encoder is None:
            model = _MODELS.get(spec.model)
            if model is None:
                model = _MODELS[spec.model] = load_encoder(spec.model)
                _loads += 1
            encoder = model
            if spec.use_cache:
                cache_dir = Path(spec.cache_dir) if spec.cache_dir else default_cache_dir()
                encoder = CachedEncoder(model, cache_dir)
            _ENCODERS[spec] = encoder
        return encoder


def encoder_loads() -> int:
    """How many models this process has loaded (the tests check it stays at one)."""
    return _loads


def init_worker(spec: EncoderSpec, threads: int) -> None:
    """Pool initializer: load the encoder once, with ``threads`` BLAS threads (the cores
    shared out between the workers, unless ALIGN_ENCODER_THREADS says otherwise). Ctrl-C is
    the parent's to handle, which ends the workers with SIGTERM (:func:`_flush_and_end`);
    the package's warnings go to the parent with the outcomes (:class:`_Held`)."""
    global _HELD
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("ALIGN_ENCODER_THREADS", str(threads))
    _HELD = _Held()
    logging.getLogger("align").addHandler(_HELD)
    multiprocessing.util.Finalize(None, _let_go, exitpriority=_BEFORE_THE_CACHE)
    worker_encoder(spec)
    signal.signal(signal.SIGTERM, _flush_and_end)


def _flush_and_end(signum: int, frame: object) -> None:
    """SIGTERM, as the parent ends its workers on Ctrl-C or a broken pool: stamp the cache
    hits still waiting (up to 2000 a worker, which would otherwise look unused and be
    evicted first), then end as the signal would have. An encoder whose lock is held was
    stopped inside its own work (this thread holds it: flushing would wait forever), so
    it is left as it is (``flush(wait=False)``); a lost stamp only makes a row look older."""
    for encoder in list(_ENCODERS.values()):
        if isinstance(encoder, CachedEncoder):
            encoder.retry_seconds = 0.0  # a cache another process keeps locked is not waited out
            with contextlib.suppress(Exception):
                encoder.flush(wait=False)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


_BEFORE_THE_CACHE = 200
"""Above the cache's own flush at exit (100), so that what that flush has to say is said."""


def _let_go() -> None:
    """As the worker ends, what it logs is said here again: no outcome is left to carry it
    to the parent. What it still holds is dropped, not said: a worker that got no pair holds
    the warning of its start, which its fellows' outcomes have carried already."""
    global _HELD
    if _HELD is not None:
        logging.getLogger("align").removeHandler(_HELD)
        _HELD = None


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@contextlib.contextmanager
def _inputs(task: PairTask) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """The pair's files on this machine, and how to say temporary paths as the user's."""
    if task.src_data is None or task.tgt_data is None:
        yield Path(task.src), Path(task.tgt), {}
        return
    with tempfile.TemporaryDirectory(prefix="un-align-") as tmp:
        src = Path(tmp, "src", Path(task.src).name)
        tgt = Path(tmp, "tgt", Path(task.tgt).name)
        for path, data in ((src, task.src_data), (tgt, task.tgt_data)):
            path.parent.mkdir()
            path.write_bytes(data)
        yield src, tgt, {str(src): task.src, str(tgt): task.tgt}


def _say_paths(message: str, names: dict[str, str]) -> str:
    for tmp, original in names.items():
        message = message.replace(tmp, original)
    return message


def _counters(encoder: Encoder) -> tuple[int, int]:
    if isinstance(encoder, CachedEncoder):
        return encoder.hits, encoder.misses
    return 0, 0


MISNAMED = (
    "its name, folder or manifest line gives it the wrong language: rename or move it, or "
    "correct the manifest (--src-lang and --tgt-lang hold for every pair)"
)
"""What to do about a document in a batch that reads as another language than its side."""


def run_task(task: PairTask) -> PairOutcome:
    """Align one pair and render its TMX and JSONL; a failure comes back as a reason."""
    started = time.perf_counter()
    names: dict[str, str] = {}
    try:
        with _inputs(task) as (src, tgt, names):
            encoder = worker_encoder(task.encoder)
            hits, misses = _counters(encoder)
            warnings: list[str] = []
            alignment = align_files(
                src,
                tgt,
                settings=task.settings,
                encoder=encoder,
                language_by_words=not task.allow_mismatch,
                allow_different=task.allow_mismatch,
                warn=lambda msg: warnings.append(_say_paths(msg, names)),
            )
            alignment.document = task.id
            # other warnings (a script tagged, a sentence cut for its length) are no mismatch
            mismatch = any(w.endswith(FORCED) for w in warnings)
            try:
                check_translation(alignment, task.src, task.tgt)
            except NotTranslation as exc:
                if not task.allow_mismatch:
                    raise
                mismatch = True
                warnings.append(f"{exc.what}: written because of --anyway")
            tm = by_paragraph(alignment) if task.units == "paragraph" else alignment
            tmx = WRITERS["tmx"].render(tm)
            jsonl = WRITERS["jsonl"].render(alignment)
            warnings += [f"{task.id}.tmx: {d}" for d in tmx.dropped]
            left = [i for i in tmx.skipped if untranslated(tm, tm.beads[i])]
            if left:
                warnings.append(f"{task.id}: {left_out(left)}")
            hits2, misses2 = _counters(encoder)
            src_un, tgt_un = alignment.unaligned()
            return PairOutcome(
                id=task.id,
                ok=True,
                tmx=tmx.data,
                jsonl=jsonl.data,
                src_sentences=len(alignment.src),
                tgt_sentences=len(alignment.tgt),
                beads=len(alignment.beads),
                units=tmx.units,
                unaligned=(len(src_un), len(tgt_un)),
                score=round(translation_score(alignment), 4),
                mismatch=mismatch,
                cache_hits=hits2 - hits,
                cache_misses=misses2 - misses,
                seconds=time.perf_counter() - started,
                worker=worker_name(),
                encoder_loads=encoder_loads(),
                signature=dict(alignment.signature),
                warnings=tuple(warnings),
                logged=_held(),
            )
    except WrongLanguage as exc:
        reason = _say_paths(f"{exc.problem}: {MISNAMED}", names)
    except AlignError as exc:
        reason = _say_paths(str(exc), names)
    except Exception as exc:  # one pair's bug must not stop the batch; it is reported
        detail = _say_paths(str(exc), names)
        reason = f"unexpected {type(exc).__name__}: {detail} (a bug: please report it)"
    return PairOutcome(
        id=task.id,
        ok=False,
        reason=" ".join(reason.split()),
        seconds=time.perf_counter() - started,
        worker=worker_name(),
        encoder_loads=encoder_loads(),
        logged=_held(),
    )
