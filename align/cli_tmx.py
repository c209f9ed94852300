"""``align tmx …``: TMX as a first-class format, a thin layer over :mod:`align.tmx`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from align.cli_common import language_option

tmx_app = typer.Typer(no_args_is_help=True)

Output = Annotated[Path, typer.Option("-o", "--output", help="Where to write the result.")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")]


def _done(message: str) -> None:
    typer.echo(message, err=True)


@tmx_app.command("validate")
def validate_cmd(
    file: Annotated[
        Path, typer.Argument(readable=False, metavar="FILE", help="The TMX file to check.")
    ],
) -> None:
    """Check a TMX against the TMX 1.4 DTD and what CAT tools also need.

    Prints one line per problem (with the unit number) and exits 1 if there are
    any; otherwise prints 'valid: N units'. Warnings (a unit repeated with the
    same context, a segment of inline codes only) are printed too but do not
    make the file invalid: CAT tools read such files. Example:

        align tmx validate out.tmx
    """
    from align import tmx

    problems = tmx.validate(file)
    if problems.dtd is None:
        _done(f"note: {tmx.DTD_PATH} not found: checked without the TMX 1.4 DTD")
    for problem in problems:
        typer.echo(str(problem))
    warned = f", {len(problems.warnings)} warning(s)" if problems.warnings else ""
    if problems.errors:
        _done(f"invalid: {len(problems.errors)} problem(s) in {problems.units} units{warned}")
        raise typer.Exit(1)
    typer.echo(f"valid: {problems.units} units{warned}")


@tmx_app.command("stats")
def stats_cmd(
    file: Annotated[Path, typer.Argument(readable=False, metavar="FILE", help="A TMX file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Units, languages, segments and characters per language, props, confidences."""
    from align import tmx

    result = tmx.stats(file)
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    for line in result.lines():
        typer.echo(line)


@tmx_app.command("merge")
def merge_cmd(
    files: Annotated[
        list[Path],
        typer.Argument(readable=False, metavar="FILES", help="TMX files to merge, in order."),
    ],
    output: Output,
    keep_contexts: Annotated[
        bool,
        typer.Option(
            "--keep-contexts",
            help="Keep a sentence met in different contexts (x-context props) as a unit "
            "per context, for memoQ's 101% and Trados' context matches; by default units "
            "with the same texts are one.",
        ),
    ] = False,
    force: Force = False,
) -> None:
    """Merge TMX files, dropping duplicate units (the most confident copy is kept).

    Example:

        align tmx merge A.tmx B.tmx -o all.tmx
    """
    from align import tmx

    r = tmx.merge(files, output, force=force, keep_contexts=keep_contexts)
    _done(
        f"wrote {r.output}: {r.units_out} units from {len(r.inputs)} file(s) "
        f"({r.units_in} read, {r.duplicates} duplicate(s) dropped)"
    )


@tmx_app.command("filter")
def filter_cmd(
    file: Annotated[Path, typer.Argument(readable=False, metavar="FILE", help="A TMX file.")],
    output: Output,
    min_confidence: Annotated[
        float,
        typer.Option("--min-confidence", help="Keep units scored at least this (0 to 1)."),
    ],
    keep_unscored: Annotated[
        bool, typer.Option("--keep-unscored", help="Keep units that have no x-confidence.")
    ] = False,
    force: Force = False,
) -> None:
    """Keep only the units whose x-confidence reaches a threshold.

    Example:

        align tmx filter out.tmx --min-confidence 0.6 -o sure.tmx
    """
    from align import tmx

    r = tmx.filter(file, output, min_confidence, keep_unscored=keep_unscored, force=force)
    unscored = f", {r.unscored} without a score" if r.unscored else ""
    _done(f"wrote {r.output}: kept {r.kept} units, dropped {r.dropped}{unscored}")


@tmx_app.command("convert")
def convert_cmd(
    file: Annotated[
        Path, typer.Argument(readable=False, metavar="FILE", help="A .tmx or .tsv file.")
    ],
    output: Output,
    src_lang: Annotated[
        str | None,
        typer.Option(
            "--src-lang",
            callback=language_option,
            help="TSV input: language of the first column. \\[default: as the header row "
            "names it (zh-CN<TAB>en-US...), else zh]",
            show_default=False,
        ),
    ] = None,
    tgt_lang: Annotated[
        str | None,
        typer.Option(
            "--tgt-lang",
            callback=language_option,
            help="TSV input: language of the second column. \\[default: as the header row "
            "names it, else en]",
            show_default=False,
        ),
    ] = None,
    force: Force = False,
) -> None:
    """Convert by suffix: TMX to .tsv, .jsonl or TMX 1.4; TSV to .tmx.

    A TSV row holds plain text on one line: inline codes, line breaks and tabs
    are not kept, and a warning says how many segments lost them. Example:

        align tmx convert out.tmx -o out.tsv
    """
    from align import tmx

    r = tmx.convert(file, output, force=force, src_lang=src_lang, tgt_lang=tgt_lang)
    skipped = f", skipped {r.skipped} without text in both languages" if r.skipped else ""
    _done(f"wrote {r.output}: {r.units} units as {r.format}{skipped}")
    if r.problems:
        _done(
            f"warning: {r.output} still has {len(r.problems)} problem(s) the conversion "
            f"cannot mend, first: {r.problems[0]}: see align tmx validate {r.output}"
        )
