"""Errors a user can act on: each prints as one line and exits non-zero."""

from __future__ import annotations

import re


class AlignError(Exception):
    """A problem with the user's input or setup, stated in one line.

    The message says what file, what is wrong and what to do. ``exit_code``
    is what the CLI exits with.
    """

    exit_code = 2


class InputError(AlignError):
    """An input file cannot be read, decoded or used."""


class WrongLanguage(InputError):
    """A document reads as another language than its side says. ``problem`` is the file and
    what it reads as, without the advice: a batch, where options are no remedy, gives its own
    (rename the file, or a manifest)."""

    def __init__(self, problem: str, advice: str) -> None:
        super().__init__(re.sub(r"\s*[\r\n]+\s*", " ", f"{problem}: {advice}"))
        self.problem = problem


class ModelNotAvailable(AlignError):
    """The requested encoder cannot be loaded here; the message says how to get it."""


class OutputError(AlignError):
    """An output cannot be written (not writable, or exists without --force)."""


class NotTranslation(AlignError):
    """The two documents do not look like translations of each other; nothing is written.
    ``what`` says what is wrong, and the message adds what to do: ``--anyway`` writes the
    TM with ``what`` as its warning."""

    exit_code = 3

    def __init__(self, what: str, advice: str) -> None:
        super().__init__(f"{what}: {advice}")
        self.what = what


class DifferentDocuments(NotTranslation):
    """The two files print different UN documents (or versions of one)."""
