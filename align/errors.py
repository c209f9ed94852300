"""Errors a user can act on: each prints as one line and exits non-zero."""

from __future__ import annotations


class AlignError(Exception):
    """A problem with the user's input or setup, stated in one line.

    The message says what file, what is wrong and what to do. ``exit_code``
    is what the CLI exits with.
    """

    exit_code = 2


class InputError(AlignError):
    """An input file cannot be read, decoded or used."""


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
