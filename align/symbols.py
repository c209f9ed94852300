"""What a UN document's text says it is: its symbol and its job number.

Every language version of a UN document prints the same symbol (``A/77/L.107``) in its
page headers and the same job number (``23-16564``) at the foot of its first page, so
two files that print different ones are two different documents, or two versions of
one (``A/77/L.107/Rev.1``, a corrigendum). Their texts can still read as translations
of each other: the UN's resolutions on cooperation with regional organizations differ
by little more than the organization's name, and a TM built from the wrong pair would
teach its CAT tool to translate one name by another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from align.types import CleanDocument

JOB_NUMBER = re.compile(r"(?<![\d-])(\d{2}-\d{5})(?![\d-])")
"""A UN job number, ``23-16564``: the same in every language version of a document."""
SYMBOL = re.compile(
    r"(?<![A-Za-z0-9_/])(?:[A-Z]{1,6}(?:\.\d+)?/)+(?:[A-Za-z]+\.?)?\d[A-Za-z0-9_.]*"
    r"(?:/[A-Za-z0-9_.]+)*(?![A-Za-z0-9_/])"
)
"""A UN document symbol with a number in it: ``A/77/L.107``, ``S/2023/1``,
``E/CN.6/2023/3``. Chinese characters around it (``第A/77/L.107号``) do not hide it."""
_LINK = re.compile(r"https?://\S+")


def symbols_in(text: str) -> list[str]:
    """The document symbols ``text`` mentions, in order, outside links: a link cites
    another document (``undocs.org/A/RES/59/48``), and the full stop of a sentence that
    ends with a symbol is not part of it."""
    return [s.rstrip(".") for s in SYMBOL.findall(_LINK.sub(" ", text))]


@dataclass(frozen=True)
class PrintedAs:
    """The symbols a document prints as page furniture (its own) and every symbol it
    mentions, and the job numbers it prints at the foot of a page."""

    own: frozenset[str]
    mentioned: frozenset[str]
    jobs: frozenset[str]

    @classmethod
    def of(cls, doc: CleanDocument) -> PrintedAs:
        own = frozenset(r.text.strip() for r in doc.removals if r.reason == "page-header")
        jobs = (JOB_NUMBER.findall(r.text) for r in doc.removals if r.reason == "job-number")
        return cls(
            own=own,
            mentioned=own | frozenset(symbols_in(doc.text)),
            jobs=frozenset(j for found in jobs for j in found),
        )


def different_documents(src: CleanDocument, tgt: CleanDocument) -> tuple[str, str] | None:
    """What each side prints, where the two print different documents, else None.

    A symbol decides where both sides print one in their page headers: the two are one
    document if either side's own symbol appears anywhere in the other (a table of
    symbols read as headers on one side only is still mentioned in the other's text).
    Otherwise the job numbers decide, where both print one. A side that prints neither
    (a Word file, a web page) cannot be told, and passes.
    """
    a, b = PrintedAs.of(src), PrintedAs.of(tgt)
    if a.own and b.own:
        if a.own & b.mentioned or b.own & a.mentioned:
            return None
        return _listed(a.own), _listed(b.own)
    if a.jobs and b.jobs and not a.jobs & b.jobs:
        return f"job number {_listed(a.jobs)}", f"job number {_listed(b.jobs)}"
    return None


def _listed(found: frozenset[str]) -> str:
    return " and ".join(sorted(found))


def printed_symbol(src: CleanDocument, tgt: CleanDocument) -> str | None:
    """The one symbol both sides print in their page headers, else None."""
    a, b = PrintedAs.of(src).own, PrintedAs.of(tgt).own
    return next(iter(a)) if len(a) == 1 and a == b else None
