"""``align review``: see, fix and approve an alignment before it becomes a TM."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from align.aligner import AlignConfig
from align.cli_common import (
    CACHE_HELP,
    MAX_BEAD_HELP,
    Units,
    align_now,
    language_option,
    refuse_an_input,
)
from align.cli_common import say as _say
from align.errors import AlignError, InputError, OutputError

if TYPE_CHECKING:
    from align.review import Counts


def _to_align(
    src_file: Path, tgt_file: Path, output: Path | None, review_file: Path | None, *, force: bool
) -> Path:
    """Where two documents' alignment is to be written (``-o``), refused before the
    aligning, which takes minutes on a long document, when it cannot be written or
    reviewed: a review file left there belongs to the alignment it was made for, and
    writing another over that one would leave the translator's decisions unopenable."""
    from align.cli import _check_output_folder
    from align.review import review_path_for

    if output is None:
        raise AlignError(
            f"aligning {src_file} with {tgt_file} needs -o OUT.jsonl: where to keep the "
            "alignment you review (reopen it later with: align review OUT.jsonl)"
        )
    if output.suffix.lower() != ".jsonl":
        raise AlignError(
            f"{output}: the alignment to review is written as JSONL: name it .jsonl "
            "(export the TM with --export or the x key)"
        )
    refuse_an_input(output, (src_file, tgt_file))
    if output.exists() and not force:
        raise AlignError(
            f"{output} already exists: resume its review with 'align review {output}', "
            "or pass --force to align again"
        )
    for kept_in in dict.fromkeys(p for p in (review_file, review_path_for(output)) if p):
        if kept_in.exists():
            raise AlignError(
                f"{kept_in} already holds a review, which a new alignment would not match: "
                f"resume it with 'align review {output}', or move it away (or choose "
                "another -o) to align again"
            )
    _check_output_folder(output)
    return output


def _align_first(
    src_file: Path,
    tgt_file: Path,
    output: Path,
    *,
    src_lang: str,
    tgt_lang: str,
    model: str,
    force: bool,
    anyway: bool,
    cache: bool,
    max_bead: int,
) -> None:
    """Align two documents and write the JSONL to review at ``output`` (checked by
    :func:`_to_align`)."""
    from align.writers import write_alignment

    alignment = align_now(
        src_file,
        tgt_file,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        model=model,
        cache=cache,
        force=anyway,
        max_bead=max_bead,
    )
    write_alignment(alignment, output, fmt="jsonl", force=force)
    _say(f"wrote {output} ({len(alignment.beads)} beads)")


def _summary(c: Counts) -> str:
    return (
        f"{c.accepted} accepted, {c.rejected} rejected, {c.pending} still to review, "
        f"{c.edited} edited, of {c.total} beads"
    )


def register(app: typer.Typer) -> None:
    """Add the review command to the ``align`` app."""

    @app.command("review")
    def review_cmd(
        files: Annotated[
            list[Path],
            typer.Argument(
                readable=False,
                help="An alignment written by 'align pair' (.jsonl, or .tmx), or two documents "
                "(ZH_FILE EN_FILE) to align first with -o.",
                show_default=False,
                metavar="ALIGNMENT | ZH_FILE EN_FILE",
            ),
        ],
        output: Annotated[
            Path | None,
            typer.Option(
                "-o",
                "--output",
                help="With two documents: where to write their alignment (.jsonl) to review.",
            ),
        ] = None,
        export: Annotated[
            Path | None,
            typer.Option(
                "--export",
                help="Do not open the review: write its current state and exit. OUT.tmx gets "
                "the accepted beads (the TM); OUT.jsonl every bead with its decision.",
            ),
        ] = None,
        tmx: Annotated[
            Path | None,
            typer.Option(
                "--tmx",
                help="Where the reviewed TM is written (the x key, and on quitting after a "
                "change). Default: X.reviewed.tmx beside the alignment X.",
            ),
        ] = None,
        tm_units: Annotated[
            Units,
            typer.Option(
                "--units",
                help="What a unit of the reviewed TM holds: an accepted bead, or a group of "
                "whole paragraphs (as 'align pair --units paragraph' makes them) whose beads "
                "are all accepted.",
            ),
        ] = Units.sentence,
        review_file: Annotated[
            Path | None,
            typer.Option(
                "--review-file",
                help="Where decisions are saved. Default: X.review.jsonl beside the alignment.",
            ),
        ] = None,
        reviewer: Annotated[
            str | None,
            typer.Option("--reviewer", help="Name saved with each decision. Default: your login."),
        ] = None,
        src_lang: Annotated[
            str, typer.Option("--src-lang", callback=language_option, help="Language of ZH_FILE.")
        ] = "zh",
        tgt_lang: Annotated[
            str, typer.Option("--tgt-lang", callback=language_option, help="Language of EN_FILE.")
        ] = "en",
        model: Annotated[
            str, typer.Option("--model", "-m", help="Sentence encoder when aligning first.")
        ] = "use",
        max_bead: Annotated[
            int, typer.Option("--max-bead", help=MAX_BEAD_HELP + " When aligning now.")
        ] = AlignConfig().max_bead,
        force: Annotated[
            bool,
            typer.Option(
                "--force",
                help="Overwrite -o, --export or --tmx if it exists.",
            ),
        ] = False,
        anyway: Annotated[
            bool,
            typer.Option(
                "--anyway",
                help="Given two documents: align them even if they do not look like "
                "translations of each other or print different documents, with a warning.",
            ),
        ] = False,
        cache: Annotated[
            bool,
            typer.Option("--cache/--no-cache", help=CACHE_HELP),
        ] = True,
    ) -> None:
        """Review an alignment in the terminal: accept, reject, fix, then export the TM.

        One bead per row, source beside target (Chinese beside English by
        default), with its confidence, type (1-1, 2-1, 1-0 …) and why it was
        flagged.

        Keys:
          j / k down / up · J / K scroll a tall bead · a accept · r reject
          n / N next / previous flagged bead still to review · p next to review
          o take the other cut a flag names
          m / M merge with the bead below / above · s split
          , / . move a source sentence up / down · < / > the same for target
          e edit (empty a sentence to leave it unaligned) · u undo · ctrl+r redo
          / search · f filter · c sort by confidence · x export the TM · q quit
          ? every key

        Every decision is saved as you make it in X.review.jsonl beside the
        alignment: reopen the same alignment to resume. Only accepted beads go
        into the TM; rejected ones stay in the review file. Examples:

            align review A_77_L.107.jsonl

            align review zh.txt en.txt -o A_77_L.107.jsonl

            align review A_77_L.107.jsonl --export A_77_L.107.reviewed.tmx
        """
        from align.review import (
            Review,
            review_path_for,
            reviewed_tmx_path,
            tm_written,
            written_by_review,
        )
        from align.review import export as export_review

        if len(files) > 2:
            raise InputError(
                f"{len(files)} files given: give one alignment (.jsonl/.tmx), or two documents"
            )
        if len(files) == 2:
            AlignConfig(max_bead=max_bead)  # a bad --max-bead is said before the terminal's lack
            alignment_path = _to_align(files[0], files[1], output, review_file, force=force)
        else:
            if output is not None:
                raise InputError(
                    "-o is for aligning two documents first: to write the reviewed state "
                    "of an alignment, use --export OUT.tmx"
                )
            alignment_path = files[0]
        if alignment_path.suffix.lower() not in (".jsonl", ".tmx"):
            raise InputError(
                f"{alignment_path}: not an alignment (.jsonl or .tmx): to align two documents "
                "first, give both and -o OUT.jsonl"
            )

        def align_first() -> None:
            if len(files) == 2:
                _align_first(
                    files[0],
                    files[1],
                    alignment_path,
                    src_lang=src_lang,
                    tgt_lang=tgt_lang,
                    model=model,
                    force=force,
                    anyway=anyway,
                    cache=cache,
                    max_bead=max_bead,
                )

        kept_in = Path(review_file) if review_file else review_path_for(alignment_path)
        if export is not None:
            refuse_an_input(export, files, "--export")
            again = export.exists() and written_by_review(export, kept_in)  # a second export
            if export.exists() and not (force or again):
                raise OutputError(
                    f"{export} already exists: pass --force to overwrite, or choose another "
                    "--export"
                )
            align_first()
            review = Review.open(alignment_path, review_file, reviewer=reviewer, save=False)
            try:
                result = export_review(review, export, force=force or again, units=tm_units.value)
                counts = review.counts()
            finally:
                review.close()
            for warning in review.warnings:
                _say(f"warning: {warning}")
            what = tm_written(result) if result.format == "tmx" else f"{result.units} beads"
            _say(f"wrote {export}: {what} ({_summary(counts)})")
            return

        tmx_path = tmx or reviewed_tmx_path(alignment_path)
        refuse_an_input(tmx_path, files, "--tmx")
        own = tmx is None or tmx_path == reviewed_tmx_path(alignment_path)  # X.reviewed.tmx
        if tmx_path.exists() and not (force or own or written_by_review(tmx_path, kept_in)):
            raise OutputError(
                f"{tmx_path} already exists and is not this review's TM: pass --force to "
                "let the review write over it, or choose another --tmx"
            )
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            if len(files) == 2:
                raise AlignError(
                    f"align review needs a terminal to open the review (nothing aligned): run "
                    f"it in one, or only align now with 'align pair {files[0]} {files[1]} "
                    f"-o {alignment_path}' and review it later in a terminal"
                )
            raise AlignError(
                "align review needs a terminal to open the review: run it in one, or pass "
                "--export OUT.tmx to write the reviewed TM"
            )
        align_first()  # minutes on a long document: only once the review can open
        from align.review_app import ReviewApp

        review = Review.open(alignment_path, review_file, reviewer=reviewer)
        try:
            for warning in review.warnings:
                _say(f"warning: {warning}")
            ReviewApp(review, tmx_path, tm_units.value).run()
            counts = review.counts()
            _say(f"decisions saved in {review.path}: {_summary(counts)}")
            from align.review import export_tmx, tm_is_current

            stale = review.steps > 0 and not tm_is_current(review, tmx_path, tm_units.value)
            if review.changes or stale:
                result = export_tmx(review, tmx_path, force=True, units=tm_units.value)
                _say(f"wrote {tmx_path}: {tm_written(result)}")
        finally:
            review.close()
