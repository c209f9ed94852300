"""What the ``align`` subcommands share: the error console and aligning two files on the spot."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

try:
    from typer import _click as click  # typer 0.29 on parses with a click of its own
except ImportError:  # pragma: no cover
    import click  # type: ignore[no-redef]

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


class OneLineUsage(TyperGroup):
    """A command group whose usage errors (an unknown option, a missing argument, a value
    its option does not take) print as one ``error:`` line like the package's own, with
    exit code 2, instead of typer's box under a usage line. Its subcommands' errors pass
    through it, so the root group covers every command; giving sub-typers this class too
    names the exact command where the parser's error names none (``-o`` with no value).
    ``--help``, and a group's help when it is given no command, are left as typer draws
    them."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.UsageError as exc:
            above = [parent.command_path] if parent is not None else []
            _refuse(exc, self, " ".join([*above, info_name or self.name or ""]))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.UsageError as exc:
            name = ctx.invoked_subcommand
            command = self.get_command(ctx, name) if name else None
            if command is None:
                _refuse(exc, self, ctx.command_path)
            _refuse(exc, command, f"{ctx.command_path} {name}")


def _refuse(exc: click.exceptions.UsageError, command: click.Command, where: str) -> NoReturn:
    """Say ``exc`` as one line and end the run with its exit code; ``command`` (called
    ``where`` on the command line) is the one that failed where ``exc`` does not say."""
    if type(exc).__name__ == "NoArgsIsHelpError":
        raise exc
    if exc.ctx is not None:
        command, where = exc.ctx.command, exc.ctx.command_path
    say(f"error: {usage_problem(exc, command, where)}")
    raise typer.Exit(exc.exit_code) from None


def usage_problem(exc: click.exceptions.UsageError, command: click.Command, where: str) -> str:
    """What is wrong with the command line and what to do, in one line, for what click
    says as a box of several lines: the option or argument, the value given, and the
    values it takes where those are known."""
    errors = click.exceptions
    options = f"({where} --help lists every option)"
    message = " ".join(exc.message.split()).removeprefix("Value error, ").rstrip(".")
    if isinstance(exc, errors.NoSuchOption):
        guesses = " or ".join(sorted(exc.possibilities or []))
        guess = f": did you mean {guesses}?" if guesses else ""
        return f"{where} has no option {exc.option_name}{guess} {options}"
    if isinstance(exc, errors.BadOptionUsage):
        option = exc.option_name
        if "requires" in message:
            return f"{option} needs a value after it {options}"
        if "does not take a value" in message:
            return f"{option} takes no value: give {option} alone {options}"
        return f"{option}: {_lower(message)} {options}"
    if isinstance(exc, errors.MissingParameter) and exc.param is not None:
        missing, wanted = _named(exc.param), _arguments(command)
        if exc.param.param_type_name != "argument":
            return f"{where} needs {missing} {options}"
        write = f": write {where} {wanted}" if wanted != missing else ""
        return f"{where} needs {missing}{write} ({where} --help says what each is)"
    if isinstance(exc, errors.BadParameter):
        return _bad_value(exc, message, options)
    if found := re.fullmatch(r"No such command (.+?)(?:\. Did you mean (.+)\?)?", message):
        name, guesses = found[1], (found[2] or "").replace("'", "")
        guess = f": did you mean {guesses}?" if guesses else ""
        return f"{where} has no command {name}{guess} ({where} --help lists every command)"
    if found := re.fullmatch(r"Got unexpected extra argument\S* \((.*)\)", message):
        return (
            f"too many arguments ({found[1]} left over): give {where} {_arguments(command)}, "
            f"quote a path with spaces in it, and give each option its name {options}"
        )
    if message == "Missing command":
        return f"{where} needs a command ({where} --help lists every command)"
    return f"{_lower(message)} {options}"


_LIMITS = {
    "greater_than_equal": ("ge", "{} or more"),
    "greater_than": ("gt", "more than {}"),
    "less_than_equal": ("le", "{} or less"),
    "less_than": ("lt", "less than {}"),
}
"""What a number out of its option's range is told to be, by pydantic's error type: the
bound's name in the error's context, and the words around it."""


def _bad_value(exc: click.exceptions.BadParameter, message: str, options: str) -> str:
    """A value the option or argument does not take: the option, the value, what is
    wrong, and the values it does take."""
    param = exc.param
    if param is not None:
        name = _named(param)
    elif isinstance(exc.param_hint, str):
        name = exc.param_hint
    else:
        name = " / ".join(exc.param_hint or ["the command line"])
    detail: dict[str, Any] = {}
    errors = getattr(exc.__cause__, "errors", None)
    if callable(errors):
        detail = (errors() or [{}])[0]
    given = f" {detail['input']!r}" if "input" in detail else ""
    bounds: dict[str, Any] = detail.get("ctx") or {}
    kind = detail.get("type")
    default = getattr(param, "default", None)
    example = f", such as {default}" if isinstance(default, int | float) and default else ""
    if choices := re.search(r"is not one of (.+)$", message):
        if not given and (value := re.match(r"('.*?'|\S+) is not one of", message)):
            given = f" {value[1]}"
        taken = ", ".join(re.findall(r"'([^']*)'", choices[1])) or choices[1]
        problem = f"give one of {taken}"
    elif kind == "int_parsing":
        problem = f"not a whole number: give one{example}"
    elif kind == "float_parsing":
        problem = f"not a number: give one{example}"
    elif kind in _LIMITS and _LIMITS[kind][0] in bounds:
        key, limit = _LIMITS[kind]
        problem = f"out of range: give {limit.format(bounds[key])}"
    elif "does not exist" in message:
        problem = f"{_lower(message)}: check the path and the file name"
    else:
        problem = _lower(str(detail.get("msg") or message).rstrip("."))
    return f"{name}{given}: {problem} {options}"


def _named(param: click.Parameter) -> str:
    """An option by its long name (``--format``, not ``'--format' / '-f'``), an argument
    by what the help calls it (``SRC_FILE``)."""
    if param.param_type_name == "argument":
        return param.metavar or (param.name or "").upper()
    return next((o for o in param.opts if o.startswith("--")), param.opts[0])


def _arguments(command: click.Command) -> str:
    """The arguments ``command`` takes, as its help names them: ``SRC_FILE TGT_FILE``."""
    names = [
        _named(p) if p.required else f"[{_named(p)}]"
        for p in command.params
        if p.param_type_name == "argument"
    ]
    return " ".join(names) or "no arguments"


def _lower(text: str) -> str:
    """``text`` to follow a colon: its first letter small, unless it starts a name."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


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
