"""Moses-style sentence splitting for English and other space-delimited languages.

sacremoses 0.2.0 ships the Moses non-breaking prefix lists but no sentence
splitter, so this is a port of the rules of Moses' ``split-sentences.perl``
over those lists, working on word offsets so every span maps back exactly.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import cache
from pathlib import Path

from align.languages import base_language
from align.segmenters.base import Segmenter, Span, spans_from_cuts

PREFIX = 1
NUMERIC_ONLY = 2

# Abbreviations frequent in UN documents that Moses' lists lack: citations of
# paragraphs, articles, volumes, figures, supplements and document revisions
# ("vol. 2896", "fig. 3", "Corr. 1", "párr. 5", "Suplemento núm. 49", "пп. 3"),
# by the language whose list they extend. Each also stands capitalised, as it opens a
# sentence, a footnote or a table cell ("Approx. 50", "Cf. A/77/10", "Ibid. 12"), with
# the same rule (CAPITALISED_EXCEPT).
UN_PREFIXES: dict[str, dict[str, int]] = {
    "en": {
        **dict.fromkeys(
            "vol Vol vols Vols para paras Para Paras chap Chap sect Sect cf Cf approx".split()
            + "Suppl suppl subpara subparas op".split(),
            PREFIX,
        ),
        **dict.fromkeys(
            "p no nos art arts Arts fig figs Fig Figs Add Corr Rev sess incl encl ref ibid".split(),
            NUMERIC_ONLY,
        ),
    },
    "es": {
        **dict.fromkeys(
            "párr párrs Párr Párrs Supl supl secc cap vol cf Cf inc apdo".split(), PREFIX
        ),
        **dict.fromkeys("art arts Art Arts núm pág págs".split(), NUMERIC_ONLY),
    },
    "fr": {
        **dict.fromkeys("paragr Suppl suppl chap sect vol cf Cf".split(), PREFIX),
        **dict.fromkeys("par art Art arts p".split(), NUMERIC_ONLY),
    },
    "ru": {
        **dict.fromkeys("разд вып Доп доп т.е т.к т.д т.п см".split(), PREFIX),
        **dict.fromkeys("пп ст п стр".split(), NUMERIC_ONLY),
    },
}

MONTH_ABBREVIATIONS: dict[str, str] = {
    "en": "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec",
    "fr": "janv févr fév avr juil sept oct nov déc",
    "es": "ene feb mar abr jun jul ago sep sept oct nov dic",
    "ru": "янв фев февр мар апр авг сен сент окт нояб дек",
    "de": "Jan Feb Febr Mär Apr Aug Sep Sept Okt Nov Dez",
    "it": "gen genn feb febbr mar apr magg giu lug ago sett set ott nov dic",
    "pt": "jan fev mar abr mai jun jul ago set out nov dez",
}
"""Months as footnotes, tables and references abbreviate them (``2 Dec. 2004``, ``2 déc.
2004``, ``2 дек. 2004 г.``): numeric-only prefixes, which do not end a sentence before a
number, in either case."""
for _lang, _months in MONTH_ABBREVIATIONS.items():
    for _month in _months.split():
        for _form in (_month, _month.capitalize(), _month.lower()):
            UN_PREFIXES.setdefault(_lang, {}).setdefault(_form, NUMERIC_ONLY)

CAPITALISED_EXCEPT: dict[str, frozenset[str]] = {"es": frozenset({"inc"})}
"""UN abbreviations whose capitalised form is another word: Spanish ``inc.`` (inciso) but
``Inc.`` of a company's name, which may end a sentence."""
for _lang, _words in UN_PREFIXES.items():
    for _word, _mode in list(_words.items()):
        if _word not in CAPITALISED_EXCEPT.get(_lang, ()):
            _words.setdefault(_word[:1].upper() + _word[1:], _mode)

YEAR_WORDS: dict[str, tuple[str, ...]] = {"ru": ("г", "гг")}
"""Abbreviations of "year" written after a year (``2004 г.``, ``2010–2012 гг.``), which
Moses' lists hold as non-breaking for ``г. Москва``."""

_PI = "".join(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Pi")
_PF = "".join(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Pf")

STOPS = "?!\u3002\uff01\uff1f\u061f\u06d4"  # with the Arabic question mark and Urdu full stop
STARTERS = "'\"([\u00bf\u00a1\u300c\u300e" + _PI
CLOSERS = "'\")]\u300d\u300f" + _PF
_CLOSING = r"['\")\]%" + re.escape(_PF) + r"]"
_PERIOD_WORD = re.compile(r"([\w.\-]*)(" + _CLOSING + r"*)(\.+)$")
_PERIOD_WORD_REVERSED = re.compile(r"\.+" + _CLOSING + r"*[\w.\-]*")
""":data:`_PERIOD_WORD` read backwards, matched at the start of a word reversed."""
_CLOSED_STOP = re.compile(r"[?!.][" + re.escape(CLOSERS) + r"]+$")
_ENUMERATOR = re.compile(r"(?:\d+(?:\.\d+)*|(?:[A-Z]{1,2}-)?\d{1,4}/\d{1,4}|[IVXLCDM]+|[A-Za-z])\.")
"""What numbers a paragraph at its start: ``1.``, ``1.2.``, ``IV.``, ``A.``, ``(a)`` aside, and
the number of the resolution or decision whose title follows (``77/1.``, ``S-30/1.``,
``ES-10/2.``, ``77/505.``)."""

PART_LABELS: dict[str, frozenset[str]] = {
    "en": frozenset(
        (
            "annex annexes appendix appendices appendixes attachment attachments enclosure "
            "enclosures section sections subsection subsections chapter chapters part parts "
            "table tables figure figures chart charts schedule schedules category categories "
            "group groups option options phase phases stage stages tier tiers pillar pillars "
            "article articles title titles volume volumes box boxes protocol protocols column "
            "columns chap chaps sect sects vol vols art arts fig figs"
        ).split()
    ),
}
"""Words that name a part of a document or a class by the letter or Roman numeral after them
(``annex I``, ``section A``, ``chap. IV``, ``Working Group II``, ``Protocol I``), by language,
compared in lower case without a trailing period."""
_DESIGNATION = re.compile(r"(?:[IVXLCDM]+|[A-Z])(?:\.(?:[IVXLCDM]+|[A-Z]|\d+))*\.")
"""A part's letter or Roman numeral with the period after it: ``I.``, ``A.``, ``IV.B.``."""
_LISTED = re.compile(r"(?:[IVXLCDM]+|[A-Z]|\d+)(?:\.(?:[IVXLCDM]+|[A-Z]|\d+))*[,;]?")
_LIST_WORDS = frozenset("and or to through and/or & - – —".split())
_ARTICLES = frozenset("a an the".split())


@cache
def moses_prefix_lists() -> dict[str, list[str]]:
    """Moses' non-breaking prefix lists by language code, each line as sacremoses gives it.

    Read from the data module sacremoses 0.2 keeps them in, loaded on its own: importing
    the package compiles its tokenizer's regular expressions first, half a second of every
    run that splits a language in Latin letters, for lists that take a millisecond. Any other
    layout is read through the package's ``NonbreakingPrefixes``.
    """
    files = _prefix_data_module()
    if files is None:
        from sacremoses.corpus import NonbreakingPrefixes

        data = NonbreakingPrefixes()
        codes = sorted(set(data.available_langs.values()))
        return {code: list(data.words(code)) for code in codes}
    lists = {}
    for name, text in files.items():
        if name.startswith("nonbreaking_prefix."):
            lines = (line.strip() for line in text.splitlines())
            lists[name.removeprefix("nonbreaking_prefix.")] = [
                line for line in lines if line and not line.startswith("#")
            ]
    return lists


def _prefix_data_module() -> dict[str, str] | None:
    """sacremoses' ``NONBREAKING_PREFIXES`` (file name → text), or None where this
    sacremoses keeps them otherwise."""
    spec = importlib.util.find_spec("sacremoses")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "_data_nonbreaking_prefixes.py"
    if not path.is_file():
        return None
    module_spec = importlib.util.spec_from_file_location("_sacremoses_prefix_lists", path)
    if module_spec is None or module_spec.loader is None:
        return None
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except Exception:
        return None
    files = getattr(module, "NONBREAKING_PREFIXES", None)
    ok = isinstance(files, dict) and "nonbreaking_prefix.en" in files
    return files if ok else None


@cache
def nonbreaking_prefixes(lang: str) -> tuple[str, dict[str, int]]:
    """The Moses prefix list for ``lang`` (falling back to English) and which language it is."""
    lists = moses_prefix_lists()
    code = base_language(lang)
    source = code if code in lists else "en"
    prefixes: dict[str, int] = {}
    for line in lists[source]:
        word, _, mark = line.partition(" ")
        prefixes[word] = NUMERIC_ONLY if "#NUMERIC_ONLY#" in mark else PREFIX
    for word, mode in UN_PREFIXES.get(source, {}).items():
        prefixes.setdefault(word, mode)
    return source, prefixes


def _starts_sentence(word: str, digits: bool) -> bool:
    """Opening quotes/brackets, then an uppercase letter, a letter of a script without
    case (Arabic, Hebrew: Moses' uppercase test would never split them), or an ASCII
    digit if allowed."""
    rest = word.lstrip(STARTERS)
    if not rest:
        return False
    first = rest[0]
    capital_or_caseless = first.isalpha() and not first.islower()
    return capital_or_caseless or (digits and "0" <= first <= "9")


def _period_word(word: str) -> re.Match[str] | None:
    """:data:`_PERIOD_WORD` searched for in ``word``, tried only where the match starts.

    The reversed word says where: searched for forwards, a long word that does not end
    in a period (a form's ``____`` blank to fill in) is tried from each of its characters
    to its end, time growing with the square of its length (10,000 underscores took 3 s)."""
    found = _PERIOD_WORD_REVERSED.match(word[::-1])
    return None if found is None else _PERIOD_WORD.match(word, len(word) - found.end())


def _is_acronym(word: str) -> bool:
    """Acronyms like "U.N.": the part after the last inner period is uppercase letters/hyphens."""
    body = word.rstrip(".")
    dot = body.rfind(".")
    tail = body[dot + 1 :]
    return dot >= 0 and bool(tail) and all(ch.isupper() or ch == "-" for ch in tail)


class MosesSegmenter(Segmenter):
    """Splits after . ! ? ؟ (plus closing quotes) before an uppercase start, as Moses
    does, or before any letter in a script without case.

    A period does not split after a non-breaking prefix ("Mr.", "e.g.", "vol."),
    a single uppercase initial, an acronym ("U.N."), a numeric-only prefix
    followed by a number ("No. 50518"), ``et al.`` before anything but a capital
    ("Smith et al. (2021)"), or a paragraph-initial enumerator ("1.", "IV.", and
    "77/1." of a resolution's title), which UN operative paragraphs start with. A
    part's letter or Roman numeral after its label is no initial: "… in annex I. The
    agenda …" splits, unless the pair opens the paragraph ("Annex I. List of
    participants", a heading: :meth:`_part_label`). Numbers such as
    "2.5" or "59/48" hold no space, so they never split. ";" and "," never split
    inside a paragraph; the paragraph end already ends the segment.
    """

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self.prefix_lang, self.prefixes = nonbreaking_prefixes(lang)

    def split(self, text: str) -> list[Span]:
        found = [(m.group(), m.end()) for m in re.finditer(r"\S+", text)]
        words = [word for word, _ in found]
        cuts = [end for i, (_, end) in enumerate(found[:-1]) if self._cuts_after(words, i)]
        return spans_from_cuts(text, cuts)

    def _cuts_after(self, words: list[str], i: int) -> bool:
        """Whether a sentence ends after ``words[i]`` (there is a word after it)."""
        word, following = words[i], words[i + 1]
        label = self._part_label(words, i)
        if label is not None:
            # "Annex I. List of participants" opening a paragraph is a heading, one unit.
            heading = label == 0 and i == 1
            return not heading and _starts_sentence(following, digits=False)
        if word == "al." and i > 0 and words[i - 1].lower() == "et":
            # "Smith et al. (2021) found", "et al. 2021": only a capital ends a sentence.
            return following[0] not in "([{" and _starts_sentence(following, digits=False)
        return self._breaks(word, following, first=i == 0) or (
            i > 0 and self._year_ends(words[i - 1], word, following)
        )

    def _part_label(self, words: list[str], i: int) -> int | None:
        """The index of the label (``annex``, ``section``) that ``words[i]`` is the letter or
        Roman numeral of, with a period (``annex I.``, ``section A.``, ``sections A and B.``),
        or None.

        Such a letter is no initial: ``… in annex I. The agenda …`` ends a sentence, which
        the single-initial rule kept whole for ``J. Smith``. A label after an article (``the
        table J. Smith drew up``) labels nothing.
        """
        labels = PART_LABELS.get(self.prefix_lang)
        if not labels or not _DESIGNATION.fullmatch(words[i]):
            return None
        k = i - 1
        while k >= 0 and k >= i - 8:
            word = words[k]
            if word.lower().rstrip(".") in labels:
                return None if k > 0 and words[k - 1].lower() in _ARTICLES else k
            if word.lower() not in _LIST_WORDS and not _LISTED.fullmatch(word):
                return None
            k -= 1
        return None

    def _year_ends(self, before: str, word: str, following: str) -> bool:
        """``… к 2030 г. Генеральная …``: a year's abbreviated "year" after its number ends
        a sentence before a capital, although the same word before a name (``г. Москва``,
        "the city of") does not."""
        year = YEAR_WORDS.get(self.prefix_lang, ())
        return (
            word.rstrip(".") in year
            and word.endswith(".")
            and before[-1:].isdigit()
            and _starts_sentence(following, digits=False)
        )

    def _breaks(self, word: str, following: str, first: bool) -> bool:
        if word[-1] in STOPS:
            return _starts_sentence(following, digits=False)
        if word.endswith(".."):
            return _starts_sentence(following, digits=False)
        if _CLOSED_STOP.search(word):
            return _starts_sentence(following, digits=False)
        match = _period_word(word)
        if match is None:
            return False
        prefix, punct = match.group(1), match.group(2)
        mode = self.prefixes.get(prefix) if prefix and not punct else None
        if mode == PREFIX:
            return False
        if not punct and len(prefix) == 1 and prefix.isupper():
            return False
        if _is_acronym(word):
            return False
        if first and _ENUMERATOR.fullmatch(word):
            return False
        if not _starts_sentence(following, digits=True):
            return False
        return not (mode == NUMERIC_ONLY and "0" <= following[0] <= "9")
