"""The ``align`` command: a thin layer over the library (see align.pipeline)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from align import __version__, cli_batch, cli_multi, cli_report, cli_review
from align.aligner import AlignConfig
from align.cli_cache import cache_app
from align.cli_common import (
    ANYWAY_HELP,
    CACHE_HELP,
    EXIT_INTERRUPTED,
    MAX_BEAD_HELP,
    UNITS_HELP,
    OneLineUsage,
    Units,
    aligning_bar,
    interrupt_told,
    language_option,
    refuse_an_input,
    say_interrupted,
    show_library_warnings,
)
from align.cli_tmx import tmx_app
from align.errors import AlignError, OutputError
from align.types import CleanDocument, RawDocument

if TYPE_CHECKING:
    from align.evaluate import DocumentResult, EvalResult
    from align.significance import Comparison

app = typer.Typer(
    help=(
        "Align a Chinese document with its English counterpart sentence by sentence and "
        "write a translation memory (TMX) your CAT tool can load.\n\n"
        "Start with:  align pair zh.txt en.txt -o out.tmx"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=OneLineUsage,
)

app.add_typer(
    tmx_app, name="tmx", help="Validate, inspect, merge, filter and convert TMX.", cls=OneLineUsage
)
app.add_typer(cache_app, name="cache", cls=OneLineUsage)
err = Console(stderr=True)
show_library_warnings()


class Format(StrEnum):
    tmx = "tmx"
    tsv = "tsv"
    jsonl = "jsonl"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"un-align {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Bilingual alignment and translation memories for UN documents."""


FORMATS = (
    ".txt (a PDF's text, or one paragraph a line), .docx, .pdf, a web page (.html, .mht), "
    ".pptx, .xlsx, .epub, or .doc/.rtf/.odt (through LibreOffice)"
)
"""The formats a document may come in, as the commands that read one say them."""


@app.command()
def pair(
    src_file: Annotated[
        Path,
        typer.Argument(
            readable=False,
            metavar="SRC_FILE",
            help=f"The source document (Chinese by default): {FORMATS}.",
        ),
    ],
    tgt_file: Annotated[
        Path,
        typer.Argument(
            readable=False, metavar="TGT_FILE", help="Its translation (English by default)."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Where to write the TM (.tmx, .tsv or .jsonl); by default the document's "
            "name with .tmx in the current folder (A_77_L.107.tmx for "
            "A_77_L.107.zh.pdf or A_77_L.107/zh.pdf, and for N2316567.pdf where its pages "
            "print A/77/L.107).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Output format; by default from the output's suffix."),
    ] = None,
    units: Annotated[Units, typer.Option("--units", help=UNITS_HELP)] = Units.sentence,
    src_lang: Annotated[
        str,
        typer.Option(
            "--src-lang",
            callback=language_option,
            help="Language of SRC_FILE: zh, zh-CN and zh_CN alike.",
        ),
    ] = "zh",
    tgt_lang: Annotated[
        str,
        typer.Option(
            "--tgt-lang",
            callback=language_option,
            help="Language of TGT_FILE: en, en-GB and en_GB alike.",
        ),
    ] = "en",
    model: Annotated[
        str,
        typer.Option(
            "--model",
            "-m",
            help="Sentence encoder: 'use' (default, offline), 'labse', or 'st:NAME_OR_PATH' "
            "for any local sentence-transformers model. See models/README.md.",
        ),
    ] = "use",
    max_bead: Annotated[
        int, typer.Option("--max-bead", help=MAX_BEAD_HELP)
    ] = AlignConfig().max_bead,
    anyway: Annotated[bool, typer.Option("--anyway", help=ANYWAY_HELP)] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Overwrite OUTPUT if it exists (never one of the documents). It does not "
            "let a pair the checks refuse through: that is --anyway.",
        ),
    ] = False,
    report: Annotated[bool, typer.Option("--report/--no-report", help="Print the report.")] = True,
    cache: Annotated[
        bool,
        typer.Option("--cache/--no-cache", help=CACHE_HELP),
    ] = True,
) -> None:
    """Align one document pair and write its TM.

    Every sentence of both documents ends up in a translation unit or in the
    report: as unaligned, or as left out of the TM where its text is not
    translated (an annex in the language of submission). Example:

        align pair A_77_L.107.zh.txt A_77_L.107.en.txt -o A_77_L.107.tmx
    """
    from align.batch.discover import named_language
    from align.clean import left_out_line
    from align.paragraphs import by_paragraph
    from align.pipeline import (
        Settings,
        align_files,
        check_translation_unless,
        document_id,
        document_name,
    )
    from align.report import print_report
    from align.writers import write_alignment

    named = output is not None
    if output is None:
        output = Path(f"{document_id(src_file) or 'aligned'}.tmx")
    refuse_an_input(output, (src_file, tgt_file))
    _check_output_folder(output)
    if output.exists() and not force:
        raise AlignError(
            f"{output} already exists: pass --force to overwrite, or choose another -o"
        )
    _check_output_format(output, fmt.value if fmt else None)
    settings = Settings(
        src_lang=named_language(src_file, src_lang),
        tgt_lang=named_language(tgt_file, tgt_lang),
        model=model,
        align=AlignConfig(max_bead=max_bead),
    )
    status = err.status("aligning…") if err.is_terminal else nullcontext()
    read: list[RawDocument] = []
    cleaned: list[tuple[RawDocument, CleanDocument]] = []

    def on_clean(raw: RawDocument, doc: CleanDocument) -> None:
        """Refuse an existing default output as soon as its name is known (the symbol the
        pages print, for N2316567.pdf), not after the encoder has run."""
        cleaned.append((raw, doc))
        if not named and len(cleaned) == 2 and not force:
            name = document_name(str(src_file), cleaned[0][1], cleaned[1][1])
            if name and Path(f"{name}.tmx").exists():
                raise AlignError(
                    f"{name}.tmx already exists: pass --force to overwrite, or choose another -o"
                )

    with status as s:
        alignment = align_files(
            src_file,
            tgt_file,
            settings=settings,
            use_cache=cache,
            progress=(lambda msg: s.update(msg)) if s is not None else None,
            on_read=read.append,
            language_by_words=not anyway,
            allow_different=anyway,
            warn=lambda msg: err.print(
                f"warning: {msg}", highlight=False, markup=False, soft_wrap=True
            ),
            on_clean=on_clean,
        )
    check_translation_unless(
        anyway,
        alignment,
        src_file,
        tgt_file,
        lambda msg: err.print(f"warning: {msg}", highlight=False, markup=False, soft_wrap=True),
    )
    if not named and alignment.document:
        output = Path(f"{alignment.document}.tmx")  # the symbol the pages print, if any
        refuse_an_input(output, (src_file, tgt_file))
    for raw in read:
        plain = (
            f" ({raw.plain_forms} ligatures and stand-in characters, such as ﬁ for fi and ⼈ "
            "for 人, replaced by the plain ones)"
        )
        message = f"read {raw.path} as {raw.encoding}{plain if raw.plain_forms else ''}"
        err.print(message, highlight=False, markup=False, soft_wrap=True)
    for raw, doc in cleaned:
        if line := left_out_line(raw.path, doc):
            err.print(line, highlight=False, markup=False, soft_wrap=True)
    tm = by_paragraph(alignment) if units is Units.paragraph else alignment
    written = write_alignment(tm, output, fmt=fmt.value if fmt else None, force=force)
    if report:
        print_report(alignment)
    joined = f" ({written.units} paragraph units)" if units is Units.paragraph else ""
    err.print(f"wrote {output}{joined}", highlight=False, markup=False)


def _check_output_format(output: Path, fmt: str | None) -> None:
    """Fail before the slow work when OUTPUT's format is unknown, or when ``--format`` says
    another than its suffix (``k.tmx -f tsv``)."""
    from align.writers import output_format

    output_format(output, fmt)


def _check_output_folder(output: Path) -> None:
    """Fail before the slow work when OUTPUT can never be written there: it is a folder,
    or the nearest existing folder above it is a file or cannot be written in."""
    if output.is_dir():
        raise OutputError(f"{output} is a folder: give -o a file name, such as {output}/a.tmx")
    for parent in output.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(
                    f"cannot write {output}: {parent} is a file, not a folder: choose another -o"
                )
            if not os.access(parent, os.W_OK | os.X_OK):
                raise OutputError(
                    f"cannot write {output}: {parent} is not writable: choose another -o"
                )
            return


def written_in(file: Path, default: str = "zh") -> str:
    """The language ``file`` is written in, of those :func:`~align.languages.guess_language`
    knows, else ``default``: ``align pair`` tells the user to run ``align clean FILE``, and
    the English file cleaned by Chinese rules showed other text than the run aligned."""
    from align.languages import NAMES, guess_language
    from align.readers import read_document

    return guess_language(read_document(file, "").text, list(NAMES)) or default


@app.command("clean")
def clean_cmd(
    file: Annotated[
        Path,
        typer.Argument(readable=False, metavar="FILE", help=f"A document: {FORMATS}."),
    ],
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            "-l",
            callback=language_option,
            help="Its language. \\[default: the one it is written in, of zh, en, fr, es, ru, "
            "ar and six others; else zh]",
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Also list every piece of text removed, and why.")
    ] = False,
) -> None:
    """Show a document after cleaning: one paragraph per line, page headers and footers removed."""
    from align.clean import clean
    from align.clean import explain as explain_removals
    from align.languages import NAMES, base_language, guess_language
    from align.readers import read_document

    if lang is None:
        lang = written_in(file)
    raw = read_document(file, lang)
    found = guess_language(raw.text, list(NAMES))
    if found and base_language(found) != base_language(lang):
        err.print(
            f"warning: {file} reads as {NAMES[found]}, not {lang}: it is cleaned by the rules "
            f"of {lang} (leave --lang out to clean it as {found})",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    doc = clean(raw, lang)
    for block in doc.blocks:
        mark = f" {block.footnote}" if block.footnote else ""
        typer.echo(f"[{block.index} {block.kind}{mark}] {block.text}")
    if explain:
        typer.echo("")
        for line in explain_removals(doc):
            typer.echo(line)


@app.command("eval")
def eval_cmd(
    src_dir: Annotated[
        Path,
        typer.Argument(
            readable=False, metavar="SRC_DIR", help="Source sentence files, one sentence a line."
        ),
    ],
    tgt_dir: Annotated[
        Path,
        typer.Argument(
            readable=False, metavar="TGT_DIR", help="Target sentence files, same names."
        ),
    ],
    gold_dir: Annotated[
        Path,
        typer.Argument(readable=False, metavar="GOLD_DIR", help="Gold beads, '[0, 1]:[0]' a line."),
    ],
    src_lang: Annotated[
        str | None,
        typer.Option(
            "--src-lang",
            callback=language_option,
            help="Language of SRC_DIR; by default the folder's name where it names one "
            "(de/, zh-CN/, chinese/), else the language its files are written in, else zh.",
            show_default=False,
        ),
    ] = None,
    tgt_lang: Annotated[
        str | None,
        typer.Option(
            "--tgt-lang",
            callback=language_option,
            help="Language of TGT_DIR; by default the folder's name where it names one "
            "(fr/, en-US/, english/), else the language its files are written in, else en.",
            show_default=False,
        ),
    ] = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Sentence encoder.")] = "use",
    max_bead: Annotated[
        int, typer.Option("--max-bead", help=MAX_BEAD_HELP)
    ] = AlignConfig().max_bead,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print one JSON object: precision, recall and F1, strict and lax; with -v "
            "also the ceiling, the 95% interval, the signature, each document, the wrong "
            "beads by kind and the --baseline comparison.",
        ),
    ] = False,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="One row per document, with its own ceiling.")
    ] = False,
    save_beads: Annotated[
        Path | None,
        typer.Option(
            "--save-beads",
            help="Write each document's beads to this new folder (the gold's format and "
            "names, the signature on top), to compare a later run with --baseline.",
            show_default=False,
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="Compare with the beads an earlier run saved here (another model, version "
            "or setting): the change in F1 strict, its 95% interval and p-value, by paired "
            "bootstrap over the same blocks of gold beads.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Score the aligner against gold alignments (strict and lax P/R/F1, micro-averaged).

    F1 strict comes with its 95% interval: documents are cut into blocks of 20
    gold beads and the blocks drawn again with replacement (block bootstrap), so
    a set of a few documents shows how far its score could move.

    The last line is the signature (tool, encoder and version, every aligner
    setting): what a score depends on. With --json it goes to stderr.

    Example, on a set in ../shared/bench:

        cd ../shared/bench/pol-dev && align eval zh en gold

    Is another model better on your own gold? Save one run, compare the next:

        align eval zh en gold --save-beads runs/use

        align eval zh en gold -m labse --baseline runs/use
    """
    import json

    from align.encoders import check_languages, default_cache_dir, load_encoder
    from align.evaluate import (
        bench_documents,
        check_saved,
        check_unsaved,
        evaluate,
        folder_language,
        saved_alignment,
    )
    from align.evaluate import save_beads as save
    from align.pipeline import signature_string
    from align.significance import BLOCK, SAMPLES, compare, interval

    names = bench_documents(src_dir, tgt_dir, gold_dir)
    documents = len(names)
    if baseline is not None:
        check_saved(baseline, names)
    if save_beads is not None:
        check_unsaved(save_beads, names)
    src_lang = src_lang or folder_language(src_dir, "zh")
    tgt_lang = tgt_lang or folder_language(tgt_dir, "en")
    check_languages(model, (src_lang, tgt_lang))
    encoder = load_encoder(model, cache_dir=default_cache_dir())
    with _document_bar(documents) as on_document:
        result = evaluate(
            src_dir,
            tgt_dir,
            gold_dir,
            encoder,
            AlignConfig(max_bead=max_bead),
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            on_document=on_document,
        )
    signed = "signature: " + signature_string(result.signature)
    compared, against = None, None
    if baseline is not None:
        against = compare(saved_alignment(result, baseline), result.documents)
        compared = _comparison(against, baseline)
    if save_beads is not None:
        save(result, save_beads)
    if as_json:
        typer.echo(json.dumps(_eval_json(result, against, verbose)))
        for line in (compared, signed):
            if line is not None:
                err.print(line, highlight=False, markup=False, soft_wrap=True)
        return
    if verbose:
        for d, best in zip(result.documents, result.document_ceilings(), strict=True):
            s = d.scores
            typer.echo(
                f"{d.name}\t{d.src_sentences}:{d.tgt_sentences}\t"
                f"strict P={s.precision_strict:.3f} R={s.recall_strict:.3f} F1={s.f1_strict:.3f}\t"
                f"lax P={s.precision_lax:.3f} R={s.recall_lax:.3f} F1={s.f1_lax:.3f}\t"
                f"ceiling F1={best.f1_strict:.3f}"
            )
    s = result.scores
    typer.echo(
        f"strict: P={s.precision_strict:.3f} R={s.recall_strict:.3f} F1={s.f1_strict:.3f}\n"
        f"lax:    P={s.precision_lax:.3f} R={s.recall_lax:.3f} F1={s.f1_lax:.3f}\n"
        f"ceiling: F1 strict={result.ceiling().f1_strict:.3f} (the best beads of these sizes "
        "score this against the gold)"
    )
    if verbose:
        shapes = ", ".join(
            f"{k} {share:.2f} of {count}" for k, (count, share) in result.found_by_type().items()
        )
        typer.echo(f"found, by gold bead shape: {shapes}")
        kinds = result.wrong_kinds()
        typer.echo(
            f"wrong beads: {sum(kinds.values())}: "
            + ", ".join(f"{kind} {n}" for kind, n in kinds.items())
            + " (a coarser bead is still a right pair, only longer than the gold's)"
        )
    spread = interval(result.documents)
    typer.echo(
        f"F1 strict {spread.score:.3f}, 95% interval {spread.low:.3f}-{spread.high:.3f} "
        f"(block bootstrap: documents cut into blocks of {BLOCK} gold beads, {SAMPLES} draws)"
    )
    if compared is not None:
        typer.echo(compared)
    if save_beads is not None:
        typer.echo(f"beads saved in {save_beads}/ (compare a later run: --baseline {save_beads})")
    typer.echo(signed)


def _eval_json(result: EvalResult, against: Comparison | None, verbose: bool) -> dict[str, Any]:
    """``align eval --json``: the six scores, as the issue that asked for it names them;
    with ``-v`` also what the text output gives (the ceiling, the 95% interval, the
    signature, each document, the wrong beads by kind, the comparison with
    ``--baseline``)."""
    from align.significance import interval

    out: dict[str, Any] = result.scores.as_dict()
    if not verbose:
        return out
    spread = interval(result.documents)
    out |= {
        "ceiling_f1_strict": round(result.ceiling().f1_strict, 4),
        "f1_strict_interval_95": [round(spread.low, 4), round(spread.high, 4)],
        "signature": dict(result.signature),
        "documents": [
            {"name": d.name, **d.scores.as_dict(), "ceiling_f1_strict": round(best.f1_strict, 4)}
            for d, best in zip(result.documents, result.document_ceilings(), strict=True)
        ],
        "wrong_beads": dict(result.wrong_kinds()),
    }
    if against is not None:
        out["baseline"] = {
            "f1_strict": round(against.baseline.score, 4),
            "change": round(against.delta.score, 4),
            "change_interval_95": [round(against.delta.low, 4), round(against.delta.high, 4)],
            "p_value": round(against.p_value, 4),
        }
    return out


def _comparison(c: Comparison, baseline: Path) -> str:
    """One line a reader can act on: the change, its interval, and whether chance explains it."""
    verdict = "more than chance" if c.p_value < 0.05 else "could be chance"
    return (
        f"against {baseline}: F1 strict {c.baseline.score:.3f} -> {c.system.score:.3f}, "
        f"{c.delta.score * 100:+.2f} points (95% interval {c.delta.low * 100:+.2f} to "
        f"{c.delta.high * 100:+.2f}), p = {c.p_value:.3f}: {verdict}"
    )


@contextmanager
def _document_bar(total: int) -> Iterator[Callable[[DocumentResult, int, int], None] | None]:
    """On a terminal, a bar of the documents scored, with sentences per second; else nothing."""
    if not err.is_terminal:
        yield None
        return
    bar = aligning_bar(err, "documents · {task.fields[rate]} sentences/s")
    task = bar.add_task("documents", total=total, rate="-")
    started, sentences = time.perf_counter(), 0

    def advance(doc: DocumentResult, done: int, total: int) -> None:
        nonlocal sentences
        sentences += doc.src_sentences + doc.tgt_sentences
        rate = sentences / max(time.perf_counter() - started, 1e-9)
        bar.update(task, completed=done, rate=f"{rate:.0f}")

    with bar:
        yield advance


cli_batch.register(app)
cli_report.register(app)
cli_review.register(app)
cli_multi.register(app)


class _Unbroken:
    """Standard error that a closed pipe silences instead of ending the run: its messages
    report the work, they are not the work, and ``align pair … 2>&1 | head -1`` died on the
    second one with no TM written."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.closed_by_reader = False

    def write(self, text: str) -> int:
        if not self.closed_by_reader:
            try:
                return int(self._stream.write(text))
            except BrokenPipeError:
                self.closed_by_reader = True
        return len(text)

    def flush(self) -> None:
        if not self.closed_by_reader:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self.closed_by_reader = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def main() -> None:
    """Console entry point: user errors become one line on stderr and exit code 2; Ctrl-C
    one line and 130 (typer ends it silently). A reader closing standard error ends nothing
    (click ends a run whose standard output is closed, ``align clean | head``, with 1)."""
    if not isinstance(sys.stderr, _Unbroken):
        sys.stderr = _Unbroken(sys.stderr)
    try:
        app()
    except AlignError as exc:
        err.print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(_interrupted())
    except SystemExit as exc:
        if exc.code == EXIT_INTERRUPTED:
            sys.exit(_interrupted())
        raise


def _interrupted() -> int:
    if not interrupt_told:
        say_interrupted(
            "interrupted: nothing was left half-written (every output is written whole, "
            "or not at all)"
        )
    return EXIT_INTERRUPTED


if __name__ == "__main__":
    main()
