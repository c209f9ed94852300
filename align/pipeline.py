"""The whole job as library calls: read → clean → segment → embed → align.

``align pair`` is these calls, so a Python user gets the same result as the CLI:

    alignment = align_files("zh.txt", "en.txt")  # or align_strings(zh_text, en_text)
    check_translation(alignment, "zh.txt", "en.txt")  # align pair's refusal, without --anyway
    write_alignment(alignment, "out.tmx")  # align.writers; by_paragraph() for --units paragraph

:func:`align_files` and :func:`align_documents` refuse a wrong language or two different
documents, as ``align pair`` does; whether the texts translate each other at all is
:func:`check_translation`'s to say, after aligning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from align import __version__, lexicon
from align.aligner import AlignConfig, align_texts
from align.clean import clean
from align.encoders import (
    DEFAULT_MODEL,
    Encoder,
    check_languages,
    default_cache_dir,
    load_encoder,
)
from align.errors import DifferentDocuments, InputError, NotTranslation, WrongLanguage
from align.flags import untranslated
from align.hanzi import TRADITIONAL, as_simplified, chinese_script, tag_for_script
from align.languages import (
    NAMES,
    base_language,
    checked_tag,
    cjk_share,
    guess_language,
    is_cjk,
)
from align.readers import read_document
from align.readers.base import plain_forms
from align.segmenters import Overlong, segment_document
from align.symbols import different_documents, printed_symbol
from align.types import Alignment, Bead, CleanDocument, Layout, RawDocument, Segment

Progress = Callable[[str], None]
OnRead = Callable[[RawDocument], None]
OnClean = Callable[[RawDocument, CleanDocument], None]
FORCED = "aligned all the same"
"""The end of the warning of a pair aligned although it prints two different documents."""

MAX_CJK_SHARE = 0.3
"""A document in a non-CJK language with more ideographs among its letters than this is swapped."""
MIN_CJK_SHARE = 0.3
"""A zh/ja document with fewer ideographs among its letters than this is not in that language."""
MIXED_IDEOGRAPHS = 100
"""A document given as Chinese with this many ideographs is Chinese with other text in it
(under ``--anyway``), not an English one given as Chinese, which has next to none."""
MIN_LETTERS = 20
"""Below this many letters the share of ideographs says too little to refuse a file."""
MIN_TRANSLATION_SCORE = 0.3
"""Below this :func:`translation_score` two documents are not translations of each other.

Measured with the default encoder (USE): A/77/L.107 zh with its English 0.78,
MAC-Dev 001/002 0.56/0.45, pol-dev (first 150/200 lines) 0.58; the same zh
with a novel's English 0.03, three unrelated sentences 0.05, two stretches of
one novel 0.20, two novels 0.16.
"""

SHORT_TEXT_BEADS = 10
"""Under this many beads the translation score is a hint: on passages of 2 and 4 gold
beads cut from the gold sets, 2% and 0.7% of real translations scored under 0.30 (and
12% and 5% of mismatched passages over it); at 8 beads 0% and 3%, at 40 none either way."""


@dataclass(frozen=True)
class Settings:
    """What a run depends on besides its inputs; recorded in every output.

    ``src_lang``/``tgt_lang``: each document's language, any spelling of a code (``zh``,
    ``zh_CN``); ``model``: the encoder, as :func:`~align.encoders.load_encoder` names it
    (``use``, ``labse``, ``st:PATH``); ``align``: the aligner's settings (``--max-bead``).
    """

    src_lang: str = "zh"
    tgt_lang: str = "en"
    model: str = DEFAULT_MODEL
    align: AlignConfig = field(default_factory=AlignConfig)

    def __post_init__(self) -> None:
        """Languages as BCP 47 tags (``zh_CN`` → ``zh-CN``), so that every spelling
        of one language gives the same run, signature and output; a code no CAT tool
        knows (``en-UK``) is refused (:func:`~align.languages.checked_tag`)."""
        object.__setattr__(self, "src_lang", checked_tag(self.src_lang, "source language"))
        object.__setattr__(self, "tgt_lang", checked_tag(self.tgt_lang, "target language"))


@dataclass(frozen=True)
class Prepared:
    """One side after cleaning and segmentation."""

    raw: RawDocument
    clean: CleanDocument
    segments: list[Segment]
    overlong: tuple[Overlong, ...] = ()
    """Sentences too long to be one, cut into pieces (a table run together, no stop)."""

    def overlong_lines(self) -> list[str]:
        """What to tell the user of :attr:`overlong`, a line per sentence cut."""
        return [
            f"{self.raw.path}: paragraph {o.paragraph + 1} has a sentence of {o.length} "
            f"characters with no stop: cut into {o.pieces} pieces at commas or spaces "
            "(a table or a PDF text block run together? check the document's text)"
            for o in self.overlong
        ]


def prepare(raw: RawDocument) -> Prepared:
    """Clean ``raw`` by the rules of its ``lang`` and cut it into sentences."""
    doc = clean(raw, raw.lang)
    overlong: list[Overlong] = []
    segments = segment_document(doc, overlong)
    return Prepared(raw, doc, segments, tuple(overlong))


def check_language(prepared: Prepared, flag: str, *, by_words: bool = True) -> None:
    """Refuse a document whose script or commonest words contradict its declared
    language: the files swapped, or a language mistyped (French given as English).

    ``by_words`` False (``--anyway``) leaves the words out (a list of French names in an
    English document), and takes a Chinese document that has :data:`MIXED_IDEOGRAPHS`
    in it as Chinese, however much else it holds: a letter whose annex is circulated
    in the language of submission only is mostly English in every language version."""
    lang = prepared.clean.lang
    text = prepared.clean.text
    share, letters = cjk_share(text)
    if letters < MIN_LETTERS:
        return
    path = prepared.raw.path or "<text>"
    mixed = is_cjk(lang) and share * letters >= MIXED_IDEOGRAPHS
    if mixed and not by_words:
        return
    also = (
        "; or, if it is Chinese with text in another language (an annex in the language "
        "of submission), pass --anyway"
        if mixed
        else ""
    )
    known = by_words and base_language(lang) in NAMES  # one with no word list may share some
    guess = guess_language(text, list(NAMES), margin=3.0, least=20) if known else None
    kana = guess == "ja" and base_language(lang) == "zh"  # Chinese writes no kana
    if guess is not None and guess != base_language(lang) and (not is_cjk(guess) or kana):
        raise WrongLanguage(
            f"{path}: looks like {NAMES[guess]}, not {lang}",
            f"set {flag} {guess} or swap the files{also}",
        )
    action = f"swap the files or set {flag}"
    if is_cjk(lang) and share < MIN_CJK_SHARE:
        raise WrongLanguage(
            f"{path}: looks like it is not {lang} (only {share:.0%} of its letters are Chinese "
            "characters)",
            action + also,
        )
    if not is_cjk(lang) and share > MAX_CJK_SHARE:
        raise WrongLanguage(
            f"{path}: looks like Chinese, not {lang} ({share:.0%} of its letters are Chinese "
            "characters)",
            f"set {flag} zh or swap the files",
        )


def check_same_document(src: Prepared, tgt: Prepared) -> None:
    """Refuse two files that print different UN documents or versions of one
    (:func:`~align.symbols.different_documents`): their texts can read as translations
    of each other and still make a TM that gives one organization's name for another's."""
    found = different_documents(src.clean, tgt.clean)
    if found is None:
        return
    src_path, tgt_path = src.raw.path or "<source>", tgt.raw.path or "<target>"
    raise DifferentDocuments(
        f"{src_path} prints {found[0]} but {tgt_path} prints {found[1]}",
        "pair the language versions of one document, or pass --anyway to align them all the same",
    )


def translation_score(alignment: Alignment) -> float:
    """Mean bead similarity, one-sided beads counting 0: the encoder's raw verdict.

    Not the confidence: that says whether a bead is cut right, and the best
    cut of two unrelated texts can still be clear-cut.
    """
    if not alignment.beads:
        return 0.0
    total = sum(b.similarity or 0.0 for b in alignment.beads if b.src and b.tgt)
    return total / len(alignment.beads)


def check_translation(
    alignment: Alignment,
    src_path: str | Path,
    tgt_path: str | Path,
    threshold: float = MIN_TRANSLATION_SCORE,
) -> float:
    """Raise :class:`NotTranslation` when the documents do not translate each other: their
    similarity is too low, or most beads are the same text on both sides (one file given
    twice, or a copy of the original where the translation should be).

    ``src_path``/``tgt_path`` name the documents in the message. Returns the score
    (:func:`translation_score`) otherwise, so callers can report it.
    """
    both = [b for b in alignment.beads if b.src and b.tgt]
    same = sum(1 for b in both if untranslated(alignment, b))
    if both and 2 * same > len(both):
        raise NotTranslation(
            f"{src_path} and {tgt_path} are mostly the same text ({same} of {len(both)} "
            "beads not translated)",
            f"check that {tgt_path} is the translation, or pass --anyway to write the TM "
            "all the same",
        )
    score = translation_score(alignment)
    if score < threshold:
        short = (
            f"; only {len(alignment.beads)} beads, too few for the score to be sure"
            if len(alignment.beads) < SHORT_TEXT_BEADS
            else ""
        )
        raise NotTranslation(
            f"{src_path} and {tgt_path} do not look like translations of each other "
            f"(score {score:.2f}, below {threshold:.2f}{short})",
            "check that they are the same document, or pass --anyway to write the TM all the same",
        )
    return score


def check_translation_unless(
    force: bool,
    alignment: Alignment,
    src_path: str | Path,
    tgt_path: str | Path,
    warn: Progress,
) -> None:
    """:func:`check_translation`; with ``force`` (``--anyway``) its refusal goes to
    ``warn`` instead, and the caller writes the TM anyway."""
    try:
        check_translation(alignment, src_path, tgt_path)
    except NotTranslation as exc:
        if not force:
            raise
        warn(f"{exc.what}: {FORCED}")


def signature(settings: Settings, encoder: Encoder) -> dict[str, str]:
    """Like sacrebleu's signature: enough to reproduce the result."""
    sig = {
        "tool": f"un-align {__version__}",
        "encoder": encoder.name,
        "encoder_version": encoder.version,
        "src_lang": settings.src_lang,
        "tgt_lang": settings.tgt_lang,
    }
    if settings.align.weights.lexicon:
        sig["lexicon"] = lexicon.source(settings.src_lang, settings.tgt_lang)
    sig.update({f"align.{k}": str(v) for k, v in asdict(settings.align).items()})
    return sig


def signature_string(sig: dict[str, str]) -> str:
    """The signature on one line, ``key:value|key:value``, as ``align eval`` prints it."""
    return "|".join(f"{k}:{v}" for k, v in sig.items())


def _groups(segments: Sequence[Segment]) -> dict[str, list[int]]:
    """Split segment indices into what may align with what.

    Headings and body align together, footnotes only with footnotes: the
    cleaner moves every footnote out of the body, in footnote order.
    """
    groups: dict[str, list[int]] = {"main": [], "notes": []}
    for i, seg in enumerate(segments):
        groups["notes" if seg.kind == "footnote" else "main"].append(i)
    return groups


def align_segments(
    src: Sequence[Segment],
    tgt: Sequence[Segment],
    encoder: Encoder,
    settings: Settings = Settings(),
) -> list[Bead]:
    """Align two segment lists group by group; beads come out group by group, in order.

    A side in Traditional Chinese is compared as Simplified (:func:`~align.hanzi.as_simplified`),
    told from the whole document: its footnotes alone may be too short to tell."""
    src_texts = as_simplified([s.text for s in src], settings.src_lang)
    tgt_texts = as_simplified([t.text for t in tgt], settings.tgt_lang)
    src_groups, tgt_groups = _groups(src), _groups(tgt)
    beads: list[Bead] = []
    for key, s_ids in src_groups.items():
        t_ids = tgt_groups[key]
        local = align_texts(
            [src_texts[i] for i in s_ids],
            [tgt_texts[j] for j in t_ids],
            encoder,
            settings.align,
            src_lang=settings.src_lang,
            tgt_lang=settings.tgt_lang,
        )
        beads += [_in_document(b, s_ids, t_ids) for b in local]
    return beads


def _in_document(bead: Bead, s_ids: Sequence[int], t_ids: Sequence[int]) -> Bead:
    """A group's bead with every sentence it names (its own, its stray sentence, its
    alternative's) numbered as in the whole document."""

    def src(ids: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(s_ids[i] for i in ids)

    def tgt(ids: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(t_ids[j] for j in ids)

    stray = bead.stray
    if stray is not None:
        side, i = stray
        stray = (side, (s_ids if side == "src" else t_ids)[i])
    rival = bead.alternative
    return replace(
        bead,
        src=src(bead.src),
        tgt=tgt(bead.tgt),
        stray=stray,
        alternative=None if rival is None else (src(rival[0]), tgt(rival[1])),
    )


_LANGUAGE_STEM = re.compile(r"[a-z]{2}(-[a-z]{2})?", flags=re.IGNORECASE)


def document_id(path: str | Path) -> str:
    """A document's name for the TM: ``A_77_L.107`` from ``A_77_L.107/zh.txt`` or
    ``A_77_L.107.zh.txt`` or ``A_77_L.107-ZH.pdf``."""
    p = Path(path)
    if _LANGUAGE_STEM.fullmatch(p.stem):
        return p.resolve().parent.name
    return re.sub(r"[._-][a-z]{2}$", "", p.stem, flags=re.IGNORECASE)


def align_documents(
    src: RawDocument,
    tgt: RawDocument,
    *,
    settings: Settings = Settings(),
    encoder: Encoder | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    language_by_words: bool = True,
    allow_different: bool = False,
    warn: Progress | None = None,
    on_clean: OnClean | None = None,
) -> Alignment:
    """Align two read documents (:func:`~align.readers.read_document`), each in the
    language ``settings`` gives its side.

    ``encoder`` is used as given (wrap it in :class:`~align.encoders.CachedEncoder` for an
    embedding cache): load it once with :func:`~align.encoders.load_encoder` to align many
    pairs. Without one, ``settings.model`` is loaded, with its embeddings cached in
    ``cache_dir`` only where one is given (:func:`align_files` gives the user's cache).
    ``progress`` hears what stage the run is at; ``warn`` what the user should know of the
    result (sentences cut for having no stop, a script the language tag contradicts).
    ``language_by_words`` False checks each side's language by its script only
    (:func:`check_language`); ``allow_different`` aligns two files that print different
    documents (:func:`check_same_document`), telling ``warn``. ``--anyway`` sets both.
    ``on_clean`` gets each side as read and as cleaned, to tell what the cleaner left out.
    Raises :class:`~align.errors.AlignError` for an input it refuses."""
    say = progress or (lambda _msg: None)
    for raw, lang, which in ((src, settings.src_lang, "src"), (tgt, settings.tgt_lang, "tgt")):
        _check_read_as(raw, lang, which)
    check_languages(settings.model, (settings.src_lang, settings.tgt_lang))
    say("cleaning and segmenting")
    src_p, tgt_p = prepare(src), prepare(tgt)
    if warn is not None:
        for line in src_p.overlong_lines() + tgt_p.overlong_lines():
            warn(line)
    if on_clean is not None:
        for p in (src_p, tgt_p):
            on_clean(p.raw, p.clean)
    sides = [(src_p, "--src-lang"), (tgt_p, "--tgt-lang")]
    for side, flag in sorted(sides, key=lambda s: is_cjk(s[0].clean.lang)):
        check_language(side, flag, by_words=language_by_words)  # Chinese, if any, first
    try:
        check_same_document(src_p, tgt_p)
    except DifferentDocuments as exc:
        if not allow_different:
            raise
        if warn is not None:
            warn(f"{exc.what}: {FORCED}")
    scripts = [
        chinese_script(p.clean.text) if base_language(lang) == "zh" else None
        for p, lang in ((src_p, settings.src_lang), (tgt_p, settings.tgt_lang))
    ]
    settings = _tags_for_scripts(settings, (src_p, tgt_p), scripts, warn)
    if encoder is None:
        say(f"loading encoder {settings.model}")
        encoder = load_encoder(settings.model, cache_dir=cache_dir)
    say(f"aligning {len(src_p.segments)} × {len(tgt_p.segments)} segments")
    beads = align_segments(src_p.segments, tgt_p.segments, encoder, settings)
    sig = signature(settings, encoder)
    for name, raw in (("src", src), ("tgt", tgt)):
        sig[f"{name}_read"] = f"{raw.encoding} ({raw.reader})" if raw.reader else raw.encoding
    for name, script in zip(("src", "tgt"), scripts, strict=True):
        if script == TRADITIONAL:
            sig[f"{name}_compared"] = f"as Simplified Chinese ({lexicon.dictionary_version()})"
    return Alignment(
        src_lang=settings.src_lang,
        tgt_lang=settings.tgt_lang,
        src=list(src_p.segments),
        tgt=list(tgt_p.segments),
        beads=beads,
        signature=sig,
        document=document_name(src.path, src_p.clean, tgt_p.clean),
    )


def _check_read_as(raw: RawDocument, lang: str, side: str) -> None:
    """Refuse a document read as another language than its side of the settings: it would
    be cleaned and split by one language's rules and tagged as the other in the TM."""
    if base_language(raw.lang) != base_language(lang):
        read_as = raw.lang or "no language"
        raise InputError(
            f"{raw.path or '<text>'}: read as {read_as} but settings.{side}_lang is {lang}: "
            f"read it as {lang}, or set settings.{side}_lang to its language"
        )


def _tags_for_scripts(
    settings: Settings,
    sides: tuple[Prepared, Prepared],
    scripts: list[str | None],
    warn: Progress | None,
) -> Settings:
    """The settings with each side tagged for the script it is written in
    (:func:`~align.hanzi.tag_for_script`): plain ``zh`` in Traditional characters is
    ``zh-TW``. What changed, or contradicts the tag given, goes to ``warn``."""
    tags = []
    for side, lang, script, flag in zip(
        sides,
        (settings.src_lang, settings.tgt_lang),
        scripts,
        ("--src-lang", "--tgt-lang"),
        strict=True,
    ):
        tag, message = tag_for_script(lang, script, flag)
        if message is not None and warn is not None:
            warn(f"{side.raw.path or '<text>'} {message}")
        tags.append(tag)
    return replace(settings, src_lang=tags[0], tgt_lang=tags[1])


JOB_FILE = re.compile(r"[A-Z]?\d{7}[A-Z]?(?:\s*\(\d+\))?", re.IGNORECASE)
"""A file name that is a job number (``N2316564``, ``N2316564 (1)``), as the UN's
document system names downloads: it says nothing of which document it is."""


def document_name(path: str, src: CleanDocument, tgt: CleanDocument) -> str:
    """The TM's document name: the file's (:func:`document_id`), or where that is a job
    number, the folder's of a file named for its language only (``Downloads/zh.txt``) or
    none, the symbol both sides print (``A_77_L.107``). Known once both are cleaned, so
    ``align pair`` names its output before the encoder runs."""
    name = document_id(path) if path else ""
    by_folder = bool(path) and _LANGUAGE_STEM.fullmatch(Path(path).stem) is not None
    if not name or by_folder or JOB_FILE.fullmatch(name):
        symbol = printed_symbol(src, tgt)
        if symbol:
            return symbol.replace("/", "_")
    return name


def align_files(
    src_path: str | Path,
    tgt_path: str | Path,
    *,
    settings: Settings = Settings(),
    encoder: Encoder | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    on_read: OnRead | None = None,
    language_by_words: bool = True,
    allow_different: bool = False,
    warn: Progress | None = None,
    on_clean: OnClean | None = None,
) -> Alignment:
    """Read, clean, segment, embed and align a document pair (``align pair``): any
    format :func:`~align.readers.read_document` reads, in ``settings``' languages.

    The model is loaded for each call unless ``encoder`` is given; its embeddings are
    cached in ``cache_dir``, by default :func:`~align.encoders.default_cache_dir`
    (``~/.cache/un-align/embeddings``), and nowhere when ``use_cache`` is False. An
    ``encoder`` given is used as it is (see :func:`align_documents`).
    ``on_read`` gets both read documents once both have been read (their
    ``encoding`` is worth telling the user: a GB18030 or Big5 file is read fine);
    ``progress``, ``language_by_words``, ``allow_different``, ``warn`` and ``on_clean`` go
    to :func:`align_documents`. It does not judge whether the files translate each other:
    :func:`check_translation` does, as ``align pair`` runs it.
    """
    src = read_document(src_path, settings.src_lang)
    tgt = read_document(tgt_path, settings.tgt_lang)
    for raw in (src, tgt):
        if on_read is not None:
            on_read(raw)
        if progress is not None:
            progress(f"read {raw.path} as {raw.encoding}")
    if use_cache and cache_dir is None:
        cache_dir = default_cache_dir()
    return align_documents(
        src,
        tgt,
        settings=settings,
        encoder=encoder,
        cache_dir=cache_dir if use_cache else None,
        progress=progress,
        language_by_words=language_by_words,
        allow_different=allow_different,
        warn=warn,
        on_clean=on_clean,
    )


IN_MEMORY = "text in memory"
"""How :func:`align_strings` says its texts were read, in the signature's ``src_read``."""


def align_strings(
    src_text: str,
    tgt_text: str,
    *,
    settings: Settings = Settings(),
    encoder: Encoder | None = None,
    cache_dir: Path | None = None,
    src_name: str = "",
    tgt_name: str = "",
    layout: Layout = "auto",
    progress: Progress | None = None,
    language_by_words: bool = True,
    allow_different: bool = False,
    warn: Progress | None = None,
) -> Alignment:
    """Align two texts held in memory (a notebook cell, a web form, a database row), each
    in the language ``settings`` gives its side: cleaned and split as a ``.txt`` file of
    that text would be.

    ``src_name``/``tgt_name`` stand for the files' names in messages and in the TM's
    document name (``A_77_L.107.zh.txt`` names it ``A_77_L.107``); ``layout`` says how
    the lines make paragraphs (:data:`~align.types.Layout`). Nothing is cached unless
    ``cache_dir`` or a :class:`~align.encoders.CachedEncoder` is given; the other
    arguments are :func:`align_documents`'. Raises :class:`~align.errors.InputError` for
    a text with nothing but whitespace in it.
    """
    sides = []
    for text, name, lang in (
        (src_text, src_name, settings.src_lang),
        (tgt_text, tgt_name, settings.tgt_lang),
    ):
        if not text.strip():
            raise InputError(
                f"{name or '<text>'}: contains no text (only whitespace): pass the document's text"
            )
        plain, changed = plain_forms(text)
        sides.append(RawDocument(plain, name, IN_MEMORY, lang, changed, layout))
    return align_documents(
        sides[0],
        sides[1],
        settings=settings,
        encoder=encoder,
        cache_dir=cache_dir,
        progress=progress,
        language_by_words=language_by_words,
        allow_different=allow_different,
        warn=warn,
    )
