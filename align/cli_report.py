"""``align report``: the non-interactive view of an alignment, in the terminal or as HTML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from align.aligner import AlignConfig
from align.cli_common import (
    CACHE_HELP,
    MAX_BEAD_HELP,
    align_now,
    language_option,
    refuse_an_input,
)
from align.cli_common import say as _say
from align.errors import InputError, OutputError

if TYPE_CHECKING:
    from align.types import Alignment


ALIGNMENT_SUFFIXES = (".jsonl", ".tmx")


TMX_NOTE = (
    "{tmx} is a TM: it holds its units, each read as one 1-1 bead, but not the sentences "
    "left unaligned nor the beads' shapes; report the alignment itself for them "
    "(align pair SRC TGT -o {jsonl}, or the jsonl/ folder of align batch)"
)
"""What a report read from a TMX cannot show, said under it."""


def load_for_report(
    first: Path,
    second: Path | None = None,
    *,
    src_lang: str = "zh",
    tgt_lang: str = "en",
    model: str = "use",
    cache: bool = True,
    max_bead: int | None = None,
) -> Alignment:
    """The alignment to report: a written ``.jsonl``/``.tmx``, or two documents aligned now."""
    from align.writers import read_alignment

    if second is None:
        if first.suffix.lower() not in ALIGNMENT_SUFFIXES:
            raise InputError(
                f"{first}: not an alignment (.jsonl or .tmx written by align pair): pass one, "
                f"or two documents to align now (align report zh.txt en.txt)"
            )
        return read_alignment(first)
    for path in (first, second):
        if path.suffix.lower() in ALIGNMENT_SUFFIXES:
            raise InputError(
                f"{path} is an alignment, not a document: report it alone (align report {path})"
            )
    return align_now(
        first,
        second,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        model=model,
        cache=cache,
        force=True,
        max_bead=max_bead,
    )


def register(app: typer.Typer) -> None:
    """Add the report command to the ``align`` app."""

    @app.command("report")
    def report_cmd(
        alignment: Annotated[
            Path,
            typer.Argument(
                readable=False,
                metavar="ALIGNMENT",
                help="An alignment written by 'align pair' (.jsonl, or .tmx), or the source "
                "document when TGT_FILE is given.",
                show_default=False,
            ),
        ],
        tgt_file: Annotated[
            Path | None,
            typer.Argument(
                readable=False,
                metavar="TGT_FILE",
                help="The translated document: align the two now and report.",
            ),
        ] = None,
        html: Annotated[
            Path | None,
            typer.Option(
                "--html",
                help="Also write the report as one self-contained HTML page (no network needed "
                "to open it): side by side, coloured by confidence, with the flags.",
            ),
        ] = None,
        force: Annotated[
            bool, typer.Option("--force", help="Overwrite the --html file if it exists.")
        ] = False,
        beads: Annotated[
            bool,
            typer.Option(
                "--beads/--summary", help="Print every bead, or only the summary and the flags."
            ),
        ] = True,
        src_lang: Annotated[
            str,
            typer.Option(
                "--src-lang", callback=language_option, help="Language of the source document."
            ),
        ] = "zh",
        tgt_lang: Annotated[
            str, typer.Option("--tgt-lang", callback=language_option, help="Language of TGT_FILE.")
        ] = "en",
        model: Annotated[
            str, typer.Option("--model", "-m", help="Sentence encoder, when aligning now.")
        ] = "use",
        max_bead: Annotated[
            int, typer.Option("--max-bead", help=MAX_BEAD_HELP + " When aligning now.")
        ] = AlignConfig().max_bead,
        cache: Annotated[
            bool,
            typer.Option("--cache/--no-cache", help=CACHE_HELP),
        ] = True,
    ) -> None:
        """Show an alignment for checking: every bead, its confidence and its flags.

        Flags point at beads worth a translator's look: low confidence, a sentence
        with no counterpart, numbers or document symbols that differ, a length far
        from usual, text left untranslated, footnote marks or quotation marks that
        do not match. The summary counts beads per flag. Examples:

            align report A_77_L.107.jsonl

            align report A_77_L.107.jsonl --html A_77_L.107.html

            align report zh.txt en.txt --summary
        """
        from align.flags import flag_alignment
        from align.html_report import write_html
        from align.report import print_report

        if html is not None:
            refuse_an_input(html, [alignment, *([tgt_file] if tgt_file else [])], "--html")
            if html.is_dir():
                raise OutputError(f"{html} is a folder: give a file name to --html")
            if html.exists() and not force:
                raise OutputError(
                    f"{html} already exists: pass --force to overwrite, or choose another --html"
                )
        aligned = load_for_report(
            alignment,
            tgt_file,
            src_lang=src_lang,
            tgt_lang=tgt_lang,
            model=model,
            cache=cache,
            max_bead=max_bead,
        )
        flags = flag_alignment(aligned)
        print_report(aligned, beads=beads, flags=flags)
        if tgt_file is None and alignment.suffix.lower() == ".tmx":
            _say(f"note: {TMX_NOTE.format(tmx=alignment, jsonl=alignment.with_suffix('.jsonl'))}")
        if html is not None:
            write_html(aligned, html, force=force, flags=flags)
            _say(f"wrote {html}")
