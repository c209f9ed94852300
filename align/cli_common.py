"""What the ``align`` subcommands share: the error console and aligning two files on the spot."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from align.errors import OutputError

if TYPE_CHECKING:
    from rich.progress import Progress

    from align.types import Alignment

err = Console(stderr=True)


class _AsPythonWould(logging.Handler):
    """Hands a record of the package's to :data:`logging.lastResort` (the message alone on
    stderr) where nothing but the package's own NullHandler would take it: what the command
    line printed before the package had one, and nothing where a program set up logging."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        last = logging.lastResort
        if last is None or record.levelno < last.level or self._taken(record):
            return
        last.handle(record)

    def _taken(self, record: logging.LogRecord) -> bool:
        ours = logging.getLogger("align")
        logger: logging.Logger | None = logging.getLogger(record.name)
        while logger is not None:
            for handler in logger.handlers:
                if handler is not self and not (
                    logger is ours and isinstance(handler, logging.NullHandler)
                ):
                    return True
            logger = logger.parent if logger.propagate else None
        return False


def show_library_warnings() -> None:
    """Print the package's logged warnings on stderr as Python prints them unhandled (the
    package's NullHandler keeps them from a library caller, not from a terminal user)."""
    logger = logging.getLogger("align")
    if not any(isinstance(h, _AsPythonWould) for h in logger.handlers):
        logger.addHandler(_AsPythonWould())


MAX_BEAD_HELP = (
    "Most sentences on one side of a bead the search builds; a bead at that limit "
    "still takes in unaligned sentences beside it (up to as many again) where they "
    "read as part of its translation."
)
CACHE_HELP = "Reuse embeddings cached on disk by earlier runs."
ANYWAY_HELP = (
    "Align and write even where the checks refuse (exit 3 otherwise): documents that do "
    "not look like translations of each other or print different UN document symbols or "
    "job numbers; each document's language taken as given unless its script contradicts "
    "it (not its words), and a Chinese document with a long annex in another language "
    "as Chinese. Each such pair is written with a warning."
)


def language_option(param: typer.CallbackParam, value: str | None) -> str | None:
    """Stop a language code no CAT tool knows (``en-UK``, ``jp``, ``english``) while the
    command line is read, naming the option: it would go into every ``xml:lang``."""
    if value is None:
        return None
    from align.languages import checked_tag

    codes = [c for c in value.split(",") if c.strip()] if param.name == "langs" else [value]
    for code in codes:
        checked_tag(code, param.opts[0])
    return value


def refuse_an_input(output: Path, inputs: Iterable[Path], option: str = "-o") -> None:
    """Stop before ``output`` replaces one of the documents being read: ``--force`` lets a
    run overwrite its earlier output, never its input."""
    for given in inputs:
        try:
            same = output.exists() and given.exists() and os.path.samefile(output, given)
        except OSError:
            same = False
        if same or output.absolute() == given.absolute():
            raise OutputError(
                f"{output} is an input ({given}): writing there would destroy it: choose "
                f"another {option}"
            )


def say(message: str) -> None:
    """One line on stderr, printed as is (paths and brackets are not markup)."""
    err.print(message, highlight=False, markup=False, soft_wrap=True)


EXIT_INTERRUPTED = 130
"""The exit code of a run stopped by Ctrl-C, as shells give a process SIGINT ended."""
interrupt_told: list[str] = []
"""What a command said of its own interruption (batch: what finished), so that
:func:`align.cli.main` does not say it again."""


def say_interrupted(message: str) -> None:
    """Tell the user, once, what a Ctrl-C left behind."""
    interrupt_told.append(message)
    say(message)


def aligning_bar(console: Console, *fields: str, label: str = "aligning") -> Progress:
    """The live bar of long runs: spinner, ``label``, bar, done/total, ``fields`` (rich text
    column templates such as ``"{task.fields[rate]} sentences/s"``), time elapsed and left."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        SpinnerColumn(),
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        *(TextColumn(f) for f in fields),
        TimeElapsedColumn(),
        TextColumn("elapsed ·"),
        TimeRemainingColumn(),
        TextColumn("left"),
        console=console,
    )


def align_now(
    src_file: Path,
    tgt_file: Path,
    *,
    src_lang: str,
    tgt_lang: str,
    model: str,
    cache: bool,
    force: bool,
    max_bead: int | None = None,
) -> Alignment:
    """Align two documents with a spinner on a terminal; a pair that does not look like a
    translation, or prints two different documents, is an error unless ``force``, then a
    warning (:func:`~align.pipeline.align_documents`)."""
    from align.aligner import AlignConfig
    from align.pipeline import Settings, align_files, check_translation_unless

    config = AlignConfig() if max_bead is None else AlignConfig(max_bead=max_bead)
    settings = Settings(src_lang=src_lang, tgt_lang=tgt_lang, model=model, align=config)
    with err.status("aligning…") if err.is_terminal else nullcontext() as status:
        alignment = align_files(
            src_file,
            tgt_file,
            settings=settings,
            use_cache=cache,
            progress=(lambda msg: status.update(msg)) if status is not None else None,
            allow_different=force,
            warn=lambda msg: say(f"warning: {msg}"),
        )
    check_translation_unless(
        force, alignment, src_file, tgt_file, lambda msg: say(f"warning: {msg}")
    )
    return alignment


class Units(StrEnum):
    """What a translation unit of the TM holds (:mod:`align.paragraphs`)."""

    sentence = "sentence"
    paragraph = "paragraph"


UNITS_HELP = (
    "What a unit of the TM holds: a sentence bead, or whole paragraphs, for a CAT tool "
    "project that keeps paragraphs whole (OmegaT with sentence segmentation off). Beads that "
    "share a paragraph on either side are joined, and the TMX says segtype=paragraph; the "
    "report still lists the sentence beads."
)
