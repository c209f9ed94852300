"""``align batch``: align whole folders of document pairs (see align.batch)."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from align.aligner import AlignConfig
from align.cli_common import (
    EXIT_INTERRUPTED,
    MAX_BEAD_HELP,
    UNITS_HELP,
    Units,
    aligning_bar,
    language_option,
    say_interrupted,
)

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from align.batch import BatchListener, BatchResult, Discovery, PairResult

err = Console(stderr=True, highlight=False)


def _say(text: str) -> None:
    """A plain line: no markup, never wrapped (log files and grep want whole lines)."""
    err.print(text, markup=False, soft_wrap=True)


def counted(n: int, word: str, words: str | None = None) -> str:
    """``1 file``, ``2 files``: :func:`align.batch.identify.counted`, imported late as the
    rest of align.batch is."""
    from align.batch.identify import counted as counted_in_batch

    return counted_in_batch(n, word, words)


SHOW = 20
"""Failures and unpaired files listed on the terminal, at most (summary.json has all)."""


class ExecutorName(StrEnum):
    local = "local"
    dask = "dask"


class _Counts:
    """What the progress display shows, whatever it looks like."""

    def __init__(self) -> None:
        self.done = self.failed = self.skipped = 0
        self.sentences = 0
        self.planned = 0
        self.finished = 0
        self.started = time.perf_counter()

    def add(self, result: PairResult) -> None:
        if result.status == "done":
            self.done += 1
            self.sentences += result.sentences
        elif result.status == "failed":
            self.failed += 1
        else:
            self.skipped += 1

    @property
    def rate(self) -> float:
        elapsed = time.perf_counter() - self.started
        return self.sentences / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        return f"done {self.done} · failed {self.failed} · skipped {self.skipped}"


def _listener(rich: bool, counts: _Counts) -> tuple[BatchListener, Callable[[], None]]:
    """The CLI's listener, counting into ``counts``, and what stops its progress bar; its
    classes are built here, as align.batch is imported late."""
    from align.batch import BatchListener

    class PlainListener(BatchListener):
        """One log line per pair, for logs and pipes."""

        def __init__(self) -> None:
            self.counts = counts

        def started(self, planned: int, settled: list[PairResult], found: Discovery) -> None:
            c = self.counts
            c.planned = planned
            for r in settled:
                c.add(r)
            _say(f"align batch: {_found(found, planned, c)}")
            for r in settled:
                if r.status == "failed":
                    _say(f"failed {r.id}: {r.reason}")
            c.started = time.perf_counter()

        def finished(self, result: PairResult) -> None:
            c = self.counts
            c.add(result)
            c.finished += 1
            where = f"[{c.finished}/{c.planned}]"
            if result.status == "done":
                _say(
                    f"{where} done {result.id}: {counted(result.sentences, 'sentence')}, "
                    f"{counted(result.units, 'unit')}, {result.seconds:.2f} s; {c.line()}, "
                    f"{c.rate:.1f} sentences/s"
                )
            else:
                _say(f"{where} failed {result.id}: {result.reason}")

        def stop(self) -> None:
            pass

        def reading(self, done: int, total: int) -> None:
            if done == 0:
                files = counted(total, "file")
                _say(f"align batch: reading {files} to pair them by their text")

    class RichListener(PlainListener):
        """A live progress bar: pairs done / failed / skipped, sentences per second, time left."""

        progress: Progress | None = None
        task: TaskID

        def reading(self, done: int, total: int) -> None:
            if self.progress is None:
                text = "files to pair them by their text"
                self.progress = aligning_bar(err, text, label="reading")
                self.progress.start()
                self.task = self.progress.add_task("files", total=total)
            self.progress.update(self.task, completed=done)

        def started(self, planned: int, settled: list[PairResult], found: Discovery) -> None:
            self.stop()
            c = self.counts
            c.planned = planned
            for r in settled:
                c.add(r)
                if r.status == "failed":
                    err.print(f"[red]failed[/red] {r.id}: {_escape(r.reason)}")
            err.print(_found(found, planned, c), markup=False)
            self.progress = aligning_bar(
                err, "{task.fields[counts]}", "{task.fields[rate]} sentences/s"
            )
            self.progress.start()
            self.task = self.progress.add_task("pairs", total=planned, counts=c.line(), rate="-")
            c.started = time.perf_counter()

        def finished(self, result: PairResult) -> None:
            c = self.counts
            c.add(result)
            c.finished += 1
            if result.status == "failed":
                err.print(f"[red]failed[/red] {result.id}: {_escape(result.reason)}")
            if self.progress is not None:
                self.progress.update(self.task, advance=1, counts=c.line(), rate=f"{c.rate:.1f}")

        def stop(self) -> None:
            if self.progress is not None:
                self.progress.stop()
                self.progress = None

    listener = RichListener() if rich else PlainListener()
    return listener, listener.stop


def _found(found: Discovery, planned: int, c: _Counts) -> str:
    pairs = len(found.pairs) + len(found.conflicts)
    parts = [f"{counted(pairs, 'pair')} found", f"{planned} to align"]
    if c.skipped:
        parts.append(f"{c.skipped} unchanged (skipped)")
    if c.failed:
        parts.append(f"{c.failed} failed before starting")
    if found.by_text:
        parts.append(f"{len(found.by_text)} paired by their text")
    if found.unpaired:
        parts.append(f"{counted(len(found.unpaired), 'file')} not paired")
    return ", ".join(parts)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _report(result: BatchResult) -> None:
    """The end-of-run summary on the terminal; summary.json has all of it."""
    rate = result.cache_hit_rate
    cache = f"; cache hit rate {rate:.0%}" if rate is not None else ""
    _say(
        f"done {len(result.done)}, failed {len(result.failed)}, skipped {len(result.skipped)} "
        f"of {counted(len(result.results), 'pair')}; {counted(result.sentences, 'sentence')} "
        f"in {result.seconds:.1f} s ({result.sentences_per_second:.1f} sentences/s, "
        f"{result.pairs_per_second:.2f} pairs/s){cache}"
    )
    if result.failed:
        _say(f"failed ({len(result.failed)}):")
        for r in result.failed[:SHOW]:
            _say(f"  {r.id}: {r.reason}")
    if result.paired_by_text:
        _say(f"paired by their text, not their names ({len(result.paired_by_text)}; check them):")
        for p in result.paired_by_text[:SHOW]:
            _say(f"  {p.id}: {p.src} + {p.tgt}")
    if result.unpaired:
        _say(f"not paired ({counted(len(result.unpaired), 'file')}):")
        for u in result.unpaired[:SHOW]:
            _say(f"  {u.path}: {u.reason}")
    warnings = [w for r in result.results for w in r.warnings]
    if warnings:
        _say(f"warnings ({len(warnings)}):")
        for warning in warnings[:SHOW]:
            _say(f"  {warning}")
    if result.copies:
        copies_of = counted(len(result.copies), "copy", "copies")
        _say(f"left out {copies_of} (each document is read once):")
        for c in result.copies[:SHOW]:
            what = "the same file as" if c.identical else "the same document in another format as"
            _say(f"  {c.path}: {what} {c.kept.name}, which is read")
    left = {c.path for c in result.copies}
    if others := [p for p in result.ignored if p not in left]:
        suffixes = sorted({p.suffix or p.name for p in others})
        _say(
            f"ignored {counted(len(others), 'file')} that {'is' if len(others) == 1 else 'are'} "
            f"not {'a document' if len(others) == 1 else 'documents'} ({', '.join(suffixes[:8])})"
        )
    lists = (result.failed, result.unpaired, result.paired_by_text, warnings, result.copies)
    more = max(len(items) for items in lists) > SHOW
    listed = "; the full lists are in summary.json" if more else ""
    _say(f"wrote {result.outdir} (tmx/, jsonl/, journal.jsonl, summary.json){listed}")
    if result.merge is not None:
        m = result.merge
        dropped = counted(m.duplicates, "duplicate")
        _say(f"merged {counted(m.units_out, 'unit')} into {m.output} ({dropped} dropped)")
    for folder in ("tmx", "jsonl"):  # the TMs if any; summary.json lists the JSONL too
        stale = [x.path for x in result.stale if x.path.startswith(f"{folder}/")]
        if stale:
            names = ", ".join(p.removeprefix(f"{folder}/") for p in stale[:SHOW])
            cut = ", ..." if len(stale) > SHOW else ""
            _say(
                f"{counted(len(stale), 'file')} in {result.outdir / folder} "
                f"{'is' if len(stale) == 1 else 'are'} from "
                f"{'a pair' if len(stale) == 1 else 'pairs'} not aligned in this run: "
                f"{names}{cut} (see summary.json)"
            )
            break


def register(app: typer.Typer) -> None:
    """Add the batch command to the ``align`` app."""

    @app.command("batch")
    def batch_cmd(
        source: Annotated[
            Path,
            typer.Argument(
                readable=False,
                metavar="INPUT",
                help="A folder of documents, or a CSV manifest (id,source,target paths a line).",
            ),
        ],
        outdir: Annotated[
            Path,
            typer.Option(
                "-o", "--output", help="Folder for the TMs, the run journal and summary.json."
            ),
        ],
        jobs: Annotated[
            int,
            typer.Option(
                "--jobs", "-j", min=1, help="Pairs aligned at once, each in its own process."
            ),
        ] = 1,
        executor: Annotated[
            ExecutorName,
            typer.Option(
                "--executor",
                help="'local' (this machine, --jobs processes) or 'dask' (a Dask cluster, "
                "see --scheduler).",
            ),
        ] = ExecutorName.local,
        scheduler: Annotated[
            str | None,
            typer.Option(
                "--scheduler",
                help="The Dask scheduler, tcp://HOST:PORT, as printed by 'dask scheduler'.",
            ),
        ] = None,
        merge: Annotated[
            Path | None,
            typer.Option(
                "--merge",
                help="Also write one TMX of all pairs, duplicates dropped (the most confident "
                "kept, every document id kept as x-document). Rewritten on every run into "
                "OUTDIR; any other existing file only with --force, an input document never.",
            ),
        ] = None,
        units: Annotated[Units, typer.Option("--units", help=UNITS_HELP)] = Units.sentence,
        manifest: Annotated[
            bool,
            typer.Option(
                "--manifest", help="INPUT is a CSV manifest even if its name does not end .csv."
            ),
        ] = False,
        src_lang: Annotated[
            str, typer.Option("--src-lang", callback=language_option, help="Source language.")
        ] = "zh",
        tgt_lang: Annotated[
            str, typer.Option("--tgt-lang", callback=language_option, help="Target language.")
        ] = "en",
        model: Annotated[
            str,
            typer.Option("--model", "-m", help="Sentence encoder, as for 'align pair'."),
        ] = "use",
        max_bead: Annotated[
            int, typer.Option("--max-bead", help=MAX_BEAD_HELP)
        ] = AlignConfig().max_bead,
        force: Annotated[
            bool,
            typer.Option(
                "--force",
                help="Let --merge, and a pair's outputs, replace an existing file this tool "
                "did not write (never an input document).",
            ),
        ] = False,
        anyway: Annotated[
            bool,
            typer.Option(
                "--anyway",
                help="Write TMs even for pairs that do not look like translations of each "
                "other or print different UN document symbols or job numbers (they fail "
                "otherwise), taking each file's language as given unless its script "
                "contradicts it (not its words); each with a warning.",
            ),
        ] = False,
        redo: Annotated[
            bool, typer.Option("--redo", help="Align every pair again, whatever the journal says.")
        ] = False,
        cache: Annotated[
            bool,
            typer.Option(
                "--cache/--no-cache",
                help="Share embeddings through the on-disk cache (ALIGN_CACHE_DIR).",
            ),
        ] = True,
    ) -> None:
        """Align every document pair in a folder, or listed in a manifest, into OUTDIR.

        Pairs are found by name, in any mix of these layouts:

            NAME.zh.txt + NAME.en.txt        side by side (.txt, .docx, .pdf...)
            zh/NAME + en/NAME                one folder per language
            A_77_L.107-ZH.pdf + -EN.pdf      UN file names with the symbol
            NAME/zh.txt + NAME/en.txt        one folder per document
            manifest.csv                     id,source path,target path a line

        Files whose names say no language (N2316564.pdf, N2316564 (1).pdf), or
        whose names find no partner, are paired by their text: the UN job number
        or symbol both print, and the language each is written in.

        OUTDIR gets tmx/NAME.tmx and jsonl/NAME.jsonl per pair, journal.jsonl and
        summary.json. Run the same command again to resume: pairs whose inputs,
        model and settings are unchanged are skipped. Exit codes: 0 every pair
        aligned; 4 some pairs failed (listed, and in summary.json); 2 the batch
        could not run; 130 interrupted. Examples:

            align batch corpus/ -o out/ --jobs 2 --merge corpus.tmx
            align batch corpus/ -o out/ --executor dask --scheduler tcp://HOST:8786
        """
        from align.batch import EXIT_SOME_FAILED, BatchOptions, run_batch
        from align.pipeline import Settings

        if executor is ExecutorName.dask and jobs != 1:
            _say("note: --jobs is for the local executor; Dask runs as many as its workers")
        options = BatchOptions(
            settings=Settings(
                src_lang=src_lang,
                tgt_lang=tgt_lang,
                model=model,
                align=AlignConfig(max_bead=max_bead),
            ),
            jobs=jobs,
            executor=executor.value,
            scheduler=scheduler,
            use_cache=cache,
            allow_mismatch=anyway,
            redo=redo,
            merge=merge,
            units=units.value,
            overwrite=force,
        )
        counts = _Counts()
        listener, stop = _listener(err.is_terminal, counts)
        try:
            result = run_batch(
                source, outdir, options, manifest=True if manifest else None, listener=listener
            )
        except KeyboardInterrupt:
            stop()
            say_interrupted(
                f"interrupted: {counted(counts.done, 'pair')} finished and recorded in "
                f"{outdir}/journal.jsonl; run the same command again to resume"
            )
            raise typer.Exit(EXIT_INTERRUPTED) from None
        finally:
            stop()
        _report(result)
        if result.failed:
            raise typer.Exit(EXIT_SOME_FAILED)
