"""Pair documents whose names do not pair them, by what their text says they are.

Two downloads of one UN document often have names that say neither its symbol nor
its language: ``N2316564.pdf`` and ``N2316564 (1).pdf``, as a browser saves the
same job twice, or a colleague's ``resolution.docx`` and ``决议.docx``. Every
language version of a UN document prints the same job number (``23-16564``, at the
foot of the first page and in the page headers) and the same symbol
(``A/77/L.107``), so the two versions of one document are the two files that share
them; the script and the commonest words tell which is which language
(:func:`~align.languages.guess_language`). The same goes for a file whose name or
folder gives its language but no partner (``zh/N2316567.pdf`` beside
``en/N2316564.pdf``). Files are paired within one folder only (a pair's folder, for
``zh/`` and ``en/`` trees), and only where exactly one file of each language has the
document's number: anything else is listed with what was found, never guessed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from align.errors import InputError
from align.languages import NAMES, base_language, guess_language
from align.symbols import JOB_NUMBER, symbols_in

NO_LANGUAGE = "has no language in its name"
"""How the reason of a file whose name and folder give no language begins."""


@dataclass(frozen=True)
class Identity:
    """What a file's text says it is: its ``lang`` (None where it cannot tell), the job
    number and symbol it prints most often (None where it prints none)."""

    lang: str | None
    job: str | None
    symbol: str | None

    @property
    def document(self) -> str | None:
        """What the versions of one document share: the job number, else the symbol."""
        return self.job or self.symbol

    def describe(self) -> str:
        found = [f"job number {self.job}" if self.job else "", self.symbol or ""]
        what = ", ".join(f for f in found if f) or "no UN job number or symbol"
        return f"reads as {self.lang or 'no language it can tell'} ({what})"


def identify(text: str, langs: tuple[str, str]) -> Identity:
    """The language (``langs``' or another, :func:`_candidates`), job number and symbol a
    document's text gives.

    Symbols inside links are citations of other documents (``undocs.org/A/RES/59/48``),
    not this one's, so they are not counted."""
    lang = guess_language(text, _candidates(langs))
    jobs = Counter(JOB_NUMBER.findall(text))
    symbols = Counter(symbols_in(text))
    job = jobs.most_common(1)[0][0] if jobs else None
    symbol = symbols.most_common(1)[0][0] if symbols else None
    return Identity(lang, job, symbol)


def _candidates(langs: tuple[str, str]) -> list[str]:
    """The languages a file may be told to be in: every language known by its script or
    words, so a third version (the French beside the Chinese and the English) is not
    taken for the pair's language written in the same letters; only the pair's own
    where one of them is not known, whose words could be mistaken for another's."""
    bases = [base_language(lang) for lang in langs]
    if not all(b in NAMES for b in bases):
        return list(langs)
    return [*langs, *(name for name in NAMES if name not in bases)]


def pair_id(folder: PurePosixPath, ids: tuple[Identity, Identity]) -> str:
    """A pair's id: its folder and its symbol as a UN file name writes it (``A_77_L.107``),
    or its job number where the two do not print one symbol."""
    symbols = {i.symbol for i in ids}
    one = symbols.pop() if len(symbols) == 1 else None
    name = one.replace("/", "_") if one else str(ids[0].job)
    return str(folder / name) if str(folder) != "." else name


@dataclass(frozen=True)
class ContentPairs:
    """:func:`pair_by_content`'s result: ``(id, src, tgt)`` pairs, and the files left
    over, each with why."""

    pairs: list[tuple[str, Path, Path]]
    unpaired: list[tuple[Path, str]]


def pair_by_content(
    files: list[tuple[Path, PurePosixPath, str]],
    langs: tuple[str, str],
    taken: set[str],
    on_read: Callable[[int, int], None] | None = None,
) -> ContentPairs:
    """Pair ``files`` by the document their text says they are. Each comes with the folder
    it may be paired within (relative to the batch's folder) and what it is told if it is
    left over, before what its text gave; ``taken`` are the ids already in use.
    ``on_read(done, total)`` hears of each file as it is read (a PDF takes seconds), and
    once more when all are."""
    from align.readers import read_document

    groups: dict[tuple[PurePosixPath, str], list[tuple[Path, Identity]]] = defaultdict(list)
    unpaired: list[tuple[Path, str]] = []
    told = {path: reason for path, _, reason in files}
    for done, (path, folder, reason) in enumerate(files):
        if on_read is not None:
            on_read(done, len(files))
        try:
            text = read_document(path, "").text
        except InputError as err:
            unpaired.append((path, f"{reason} (its text could not be read: {err})"))
            continue
        found = identify(text, langs)
        if found.document is None and not reason.startswith(NO_LANGUAGE):
            unpaired.append((path, reason))  # named for its language; its text adds nothing
            continue
        if found.lang not in langs or found.document is None:
            unpaired.append((path, f"{reason} (its text {found.describe()})"))
            continue
        groups[folder, found.document].append((path, found))
    if on_read is not None and files:
        on_read(len(files), len(files))  # a bar left at 1/2 reads as a file never read
    pairs: list[tuple[str, Path, Path]] = []
    for (folder, _document), members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        by_lang = {lang: [m for m in members if m[1].lang == lang] for lang in langs}
        src, tgt = by_lang[langs[0]], by_lang[langs[1]]
        taken_by: str | None = None
        if len(src) == 1 and len(tgt) == 1:
            new_id = pair_id(folder, (src[0][1], tgt[0][1]))
            if new_id not in taken:
                taken.add(new_id)
                pairs.append((new_id, src[0][0], tgt[0][0]))
                continue
            taken_by = f"the pair's id {new_id} is taken by files named for it"
        for path, found in members:
            same = len(by_lang[str(found.lang)])
            other = langs[1] if found.lang == langs[0] else langs[0]
            if taken_by:
                why = taken_by
            elif same > 1:
                others = counted(same - 1, f"other '{found.lang}' file")
                why = f"so {'does' if same == 2 else 'do'} {others} here"
            elif by_lang[other]:
                many = len(by_lang[other])
                named = counted(many, f"'{other}' file")
                why = f"{named} here {'has' if many == 1 else 'have'} that number"
            else:
                why = f"no '{other}' file here has that number"
            unpaired.append((path, f"{told[path]} (its text {found.describe()}; {why})"))
    return ContentPairs(pairs, unpaired)


def counted(n: int, word: str, words: str | None = None) -> str:
    """``1 file``, ``2 files`` (``words`` for a plural not made with an s): the batch's
    messages are read by people, not parsed, and ``file(s)`` reads as a form."""
    return f"{n} {word if n == 1 else words or word + 's'}"
