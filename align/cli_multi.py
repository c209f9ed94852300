"""``align multi``: the language versions of one document into one multilingual TMX."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from align.aligner import AlignConfig
from align.cli_common import (
    CACHE_HELP,
    MAX_BEAD_HELP,
    UNITS_HELP,
    Units,
    language_option,
    refuse_an_input,
    say,
)
from align.errors import OutputError


def register(app: typer.Typer) -> None:
    """Add the multi command to the ``align`` app."""

    @app.command("multi")
    def multi_cmd(
        files: Annotated[
            list[Path],
            typer.Argument(
                readable=False,
                metavar="FILES",
                help="The language versions of one document, in any format 'align pair' reads; "
                "each file's language is its name's (A_77_L.107.zh.pdf, en.docx, report-FR.htm), "
                "else its text's (N2316567.pdf, as the UN names downloads).",
                show_default=False,
            ),
        ],
        output: Annotated[
            Path | None,
            typer.Option(
                "-o",
                "--output",
                help="The TMX to write; by default the document's name with .tmx in the "
                "current folder.",
                show_default=False,
            ),
        ] = None,
        pivot: Annotated[
            str,
            typer.Option(
                "--pivot",
                callback=language_option,
                help="The version every other is aligned with: English, in which most UN "
                "documents are drafted.",
            ),
        ] = "en",
        langs: Annotated[
            str | None,
            typer.Option(
                "--langs",
                callback=language_option,
                help="The files' languages in their order (zh,en,fr), where their names do "
                "not say.",
                show_default=False,
            ),
        ] = None,
        model: Annotated[str, typer.Option("--model", "-m", help="Sentence encoder.")] = "use",
        max_bead: Annotated[
            int, typer.Option("--max-bead", help=MAX_BEAD_HELP)
        ] = AlignConfig().max_bead,
        anyway: Annotated[
            bool,
            typer.Option(
                "--anyway",
                help="Align versions that do not look like translations of the pivot or "
                "print another document's symbol (exit 3 otherwise), with a warning.",
            ),
        ] = False,
        force: Annotated[
            bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")
        ] = False,
        cache: Annotated[
            bool,
            typer.Option("--cache/--no-cache", help=CACHE_HELP),
        ] = True,
        units: Annotated[Units, typer.Option("--units", help=UNITS_HELP)] = Units.sentence,
    ) -> None:
        """Align the language versions of one document into one TMX, a unit per sentence.

        Each unit has every language in it, so any CAT tool reads it for the pair its
        project has. Each version is aligned with the pivot as 'align pair' aligns a
        pair, with the same checks. Where one language joins two sentences another
        keeps apart, the unit takes both. Sentences in no unit are listed. Example:

            align multi A_77_L.107.zh.pdf A_77_L.107.en.pdf A_77_L.107.fr.pdf
        """
        from align.multilingual import (
            align_versions,
            by_paragraph,
            summary_lines,
            version_languages,
        )
        from align.pipeline import Settings
        from align.writers import multilingual_tmx

        codes = [c.strip() for c in langs.split(",") if c.strip()] if langs else None
        versions = version_languages(files, codes, pivot, told=say)
        if output is not None:
            refuse_an_input(output, files)
            multilingual_tmx.check_path(output)
            if output.exists() and not force:
                raise OutputError(
                    f"{output} already exists: pass --force to overwrite, or choose another -o"
                )
        result = align_versions(
            versions,
            pivot=pivot,
            settings=Settings(model=model, align=AlignConfig(max_bead=max_bead)),
            use_cache=cache,
            force=anyway,
            warn=lambda msg: say(f"warning: {msg}"),
            progress=say,
        )
        out = output or Path(f"{result.document or 'aligned'}.tmx")
        for line in summary_lines(result):
            say(line)
        tm = by_paragraph(result) if units is Units.paragraph else result
        rendered = multilingual_tmx.write(tm, out, force=force)
        kind = "paragraph units" if units is Units.paragraph else "units"
        say(f"wrote {out} ({rendered.units} {kind})")
