"""Find the document pairs of a corpus: folder layouts, UN-style names, or a CSV manifest.

A pair's ``id`` is its path relative to INPUT without the language marker
(``sub/A_77_L.107``); outputs are named after it, so they mirror the input tree.
Everything found that cannot be paired is returned too, so the caller can list it:
a batch never skips a file silently.
"""

from __future__ import annotations

import csv
import filecmp
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from align.batch.identify import NO_LANGUAGE, pair_by_content
from align.errors import InputError
from align.hanzi import declared_script
from align.languages import NAMES, base_language, language_tag, tag_problem
from align.readers import READERS
from align.readers.epub import READER as EPUB
from align.readers.html import READER as HTML
from align.readers.mhtml import READER as MHTML
from align.readers.office import READER as OFFICE

DOCUMENT_SUFFIXES = frozenset(READERS)
"""Suffixes some reader handles; files with another suffix and no language are ignored."""

CONVERTED = frozenset(OFFICE.suffixes)
"""Suffixes read by converting the file first (.doc, .rtf, .odt)."""
COPIES = CONVERTED | frozenset(HTML.suffixes) | frozenset(MHTML.suffixes) | frozenset(EPUB.suffixes)
"""Formats a document is also saved in (an older Word format, a web page, an e-book): such a copy
of a document that is there in a format read directly (.docx, .pdf, .txt) is left to that
one, rather than making a second file for one side of the pair."""
NATIVE = DOCUMENT_SUFFIXES - COPIES
PAGE_FOLDER = "_files"
"""What "save as web page" names the folder of a page's images and parts: ``NAME_files``."""

_SAFE_ID = re.compile(r"^[^\x00-\x1f]+$")

UNREADABLE: dict[str, str] = {
    ".wpd": "a WordPerfect file: save it as .docx",
    ".ppt": "a PowerPoint 97-2003 file: save it as .pptx",
    ".odp": "an OpenDocument presentation: save it as .pptx",
    ".xls": "an Excel 97-2003 workbook: save it as .xlsx",
    ".ods": "an OpenDocument spreadsheet: save it as .xlsx",
}
"""Document formats no reader takes: listed as not paired, with what to do, rather than
ignored as if they were not documents."""


@dataclass(frozen=True)
class Pair:
    """A source document and its translation, aligned as one job."""

    id: str
    src: Path
    tgt: Path


@dataclass(frozen=True)
class Unpaired:
    """A file that is not part of any pair, and why (a line a user can act on)."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Conflict:
    """Several files claim the same side of one pair id: none of them is aligned."""

    id: str
    paths: tuple[Path, ...]
    reason: str


@dataclass(frozen=True)
class Copy:
    """A document left out because the same document is read from another file (``kept``):
    a copy in another format beside one read directly (``.htm`` beside ``.pdf``), or a copy
    of the file itself. Not a second file for one side of a pair, but a document all the
    same, so it is named with the file read in its place, never called "not a document"."""

    path: Path
    kept: Path
    identical: bool = False
    """The same bytes as ``kept`` (``en - Copy.docx`` beside ``en.docx``), not another format."""


@dataclass
class Discovery:
    """What :func:`discover` found: pairs in id order, and what it could not use;
    ``by_text``, the pairs among them found by their text, not their names (to check).
    ``ignored`` holds every file left out; ``copies`` says which of them are documents
    read from another file (:class:`Copy`), the rest being ``not_documents``."""

    pairs: list[Pair] = field(default_factory=list)
    by_text: list[Pair] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)

    @property
    def not_documents(self) -> list[Path]:
        """The ignored files that are no document (notes, a README, a saved page's parts)."""
        copies = {c.path for c in self.copies}
        return [p for p in self.ignored if p not in copies]


_CODE = re.compile(
    r"^[a-z]{2,3}(?:[-_](?:hans|hant|latn|cyrl|arab))?(?:[-_](?:[a-z]{2}|\d{3}))?$", re.IGNORECASE
)
"""A language code as CAT tools and locales put it in names: ``zh``, ``zh-CN``, ``zh_Hans``,
``zh-Hant-TW``, ``en_GB``, ``es-419`` (a script among the few written with these languages,
so that ``NAME.en-copy`` is not read as English)."""


def language_of(code: str, langs: tuple[str, ...]) -> str | None:
    """Which of ``langs`` (lower-cased) the language code ``code`` in a name or folder means.

    The same code first (``zh_cn`` is ``zh-CN``); else the one with its primary subtag
    (``zh-CN``, ``zh-Hans``, ``zh-TW`` for ``zh``; ``en-US``, ``en_GB`` for ``en``) whose
    script the code does not contradict: given ``zh-CN`` and ``zh-TW``, ``zh-HK`` and
    ``zh-Hant`` are the second, plain ``zh`` neither. None if no language, or two, fit.
    A code of a form names seldom have (``de-CH-1996``, ``ja-Jpan``) is read only where it
    is one of ``langs`` as written, so that ``NAME.en-copy`` is not English."""
    if not _CODE.match(code):
        spelt = code.lower().replace("_", "-")
        same = [lang for lang in langs if lang.lower().replace("_", "-") == spelt]
        return same[0].lower() if same else None
    tag = language_tag(code)
    exact = [lang for lang in langs if language_tag(lang) == tag]
    if exact:
        return exact[0].lower()
    script = declared_script(code)
    same_base = [(lang, declared_script(lang)) for lang in langs]
    same_base = [(lang, s) for lang, s in same_base if base_language(lang) == base_language(code)]
    matching = [lang for lang, wanted in same_base if script is not None and wanted == script]
    silent = [lang for lang, wanted in same_base if script is None or wanted is None]
    best = matching or silent
    return best[0].lower() if len(best) == 1 else None


def split_language(stem: str, langs: tuple[str, ...]) -> tuple[str | None, str, str] | None:
    """``(base, lang, code)`` of a name that ends in a language code (``A_77_L.107-ZH``,
    ``a.zh-CN``; base None for a name that is one, ``en-US``), or None: ``lang`` is the one
    of ``langs`` (lower-cased) the code means (:func:`language_of`). The one reader of a
    language in a file's name, for ``align batch``, ``pair`` and ``multi`` alike."""
    if (lang := language_of(stem, langs)) is not None:
        return None, lang, stem
    cuts = [at for at in range(len(stem) - 1, 0, -1) if stem[at] in "-_."]
    for i, at in enumerate(cuts):
        wider = cuts[i + 1] if i + 1 < len(cuts) else None
        if (lang := language_of(stem[at + 1 :], langs)) is None:
            continue
        if wider is not None and _is_regional(code := stem[wider + 1 :]):
            if (whole := language_of(code, langs)) is not None:
                return stem[:wider], whole, code  # doc.es-AR: Spanish, not Arabic
        return stem[:at], lang, stem[at + 1 :]
    return None


def _is_regional(code: str) -> bool:
    """A language with a valid region or script (``es-AR``), not two codes (``zh-en``)."""
    return language_tag(code) != base_language(code) and tag_problem(code) is None


def named_language(path: Path, lang: str) -> str:
    """``lang``, or the fuller code the file's name or folder gives for it: a TM of
    ``doc.en-GB.txt`` or ``en_GB/doc.txt`` aligned as plain ``en`` is labelled ``en-GB``, not
    the ``en-US`` a bare ``en`` becomes in a TMX (:func:`align.languages.lang_code`).

    Only a bare language code is made fuller, and only by a code of that language a CAT
    tool knows: a region or script given by the user (``--tgt-lang en-US``) stays theirs."""
    if language_tag(lang) != base_language(lang):
        return lang
    stem = _strip_document_suffix(path.name)
    split = split_language(stem, (lang,))
    codes = [split[2]] if split else []
    codes += [part for part in reversed(path.parent.parts) if language_of(part, (lang,))][:1]
    for code in codes:
        tag = language_tag(code)
        if tag != base_language(tag) and tag_problem(tag) is None:
            return tag
    return lang


def _strip_document_suffix(name: str) -> str:
    """``A_77_L.107.zh.txt`` -> ``A_77_L.107.zh``; ``A_77_L.107`` stays (``.107`` is no format)."""
    suffix = PurePosixPath(name).suffix
    return name[: -len(suffix)] if suffix.lower() in DOCUMENT_SUFFIXES else name


def _is_document_name(name: str) -> bool:
    suffix = PurePosixPath(name).suffix.lower()
    return not suffix or suffix in DOCUMENT_SUFFIXES


def check_id(pair_id: str, where: str) -> str:
    """Refuse ids that cannot name an output file inside OUTDIR."""
    parts = PurePosixPath(pair_id).parts
    if (
        not pair_id
        or not _SAFE_ID.match(pair_id)
        or pair_id.startswith("/")
        or "\\" in pair_id
        or any(p in ("", ".", "..") for p in parts)
    ):
        raise InputError(
            f"{where}: pair id {pair_id!r} cannot name an output file: "
            "use letters, digits, '.', '-', '_' and '/' between folder names"
        )
    return pair_id


def _no_language(langs: tuple[str, str]) -> str:
    langs_text = " or ".join(f"'{c}'" for c in langs)
    return (
        f"{NO_LANGUAGE} or folder ({langs_text}): name it NAME.{langs[0]}.txt "
        f"or put it in a {langs[0]}/ folder, or list it in a manifest"
    )


def _classify(
    rel: PurePosixPath, root_name: str, langs: tuple[str, str]
) -> tuple[str, str] | str | None:
    """``(id, lang)`` for a document of a pair, the reason it is not one, or None where
    neither its name nor its folders name a language."""
    folders = list(rel.parts[:-1])
    stem = _strip_document_suffix(rel.name)
    name_lang, base, code = None, None, ""
    if split := split_language(stem, langs):
        base, name_lang, code = split
    folder_langs = [language_of(part, langs) for part in folders]
    folder_at = [i for i, lang in enumerate(folder_langs) if lang is not None]
    if folder_at:
        at = folder_at[-1]
        folder_lang = str(folder_langs[at])
        if name_lang is not None and name_lang != folder_lang:
            return f"is in a '{folders[at]}' folder but its name says '{code.lower()}'"
        rest = folders[:at] + folders[at + 1 :]
        if base is None and name_lang is not None:
            return f"is named after a language inside the '{folders[at]}' folder: name it NAME"
        return "/".join([*rest, base if base is not None else stem]), folder_lang
    if name_lang is None:
        return None
    if base is None:
        return "/".join(folders) or root_name, name_lang
    return "/".join([*folders, base]), name_lang


def _other_language(rel: PurePosixPath, langs: tuple[str, str]) -> str | None:
    """Why a document whose name or folder names another language than ``langs``
    (``fr.htm``, ``A_77_L.107-FR.pdf``, ``ru/``) is left out, or None: it is that
    language's version, which a pair of these two languages has no place for; it was
    told to rename itself as the source language's."""
    wanted = {base_language(lang) for lang in langs}
    others = tuple(lang for lang in NAMES if lang not in wanted)
    stem = _strip_document_suffix(rel.name)
    split = split_language(stem, others)
    named = [split[1]] if split else []
    named += [lang for part in rel.parts[:-1] if (lang := language_of(part, others))]
    if not named:
        return None
    code = named[-1]
    return (
        f"is the {NAMES[code]} version ({code}), not {' or '.join(langs)}: left out "
        f"(align multi aligns every language version of a document)"
    )


def _walk(root: Path, skip: Path | None) -> list[Path]:
    """Files under ``root`` in a stable order, without hidden files, without ``skip`` and
    without the parts folder of a saved web page (``NAME_files`` beside ``NAME.htm``)."""
    found: list[Path] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if skip is not None and (path == skip or skip in path.parents):
            continue
        if any(_page_parts(folder) for folder in path.parents if root in folder.parents):
            continue
        if path.is_file():
            found.append(path)
    return found


def _page_parts(folder: Path) -> bool:
    """Whether ``folder`` holds the images and parts of a web page saved beside it."""
    if not folder.name.endswith(PAGE_FOLDER):
        return False
    page = folder.name[: -len(PAGE_FOLDER)]
    return any((folder.parent / f"{page}{suffix}").is_file() for suffix in HTML.suffixes)


def discover_folder(
    root: Path,
    *,
    src_lang: str = "zh",
    tgt_lang: str = "en",
    skip: Path | None = None,
    on_read: Callable[[int, int], None] | None = None,
) -> Discovery:
    """Pair the documents under ``root`` by the layouts the README describes.

    Recognised, mixed freely: ``NAME.zh.txt``/``NAME.en.txt`` side by side;
    ``zh/NAME`` and ``en/NAME`` trees; UN names ``A_77_L.107-ZH.pdf``; and a
    folder per document holding ``zh.txt`` and ``en.txt``. Documents whose names
    and folders name no language are paired by their text (:mod:`identify`).
    ``skip`` (the output folder, when it lies inside ``root``) is not scanned;
    ``on_read(done, total)`` hears of each file read to be paired by its text.
    """
    langs = (src_lang, tgt_lang)
    if src_lang.lower() == tgt_lang.lower():
        raise InputError(f"--src-lang and --tgt-lang are both '{src_lang}': give two languages")
    sides: dict[str, dict[str, list[Path]]] = defaultdict(lambda: defaultdict(list))
    found = Discovery()
    unlabeled: list[tuple[Path, PurePosixPath, str]] = []
    no_language = _no_language(langs)
    root_name = root.resolve().name or "document"
    for path in _walk(root, skip.resolve() if skip else None):
        rel = PurePosixPath(path.relative_to(root).as_posix())
        suffix = path.suffix.lower()
        advice = UNREADABLE.get(suffix)
        if advice is not None or suffix in COPIES:
            kept = next((k for o in sorted(NATIVE) if (k := path.with_suffix(o)).is_file()), None)
            if kept is not None:
                found.ignored.append(path)
                found.copies.append(Copy(path, kept))
                continue
            if advice is not None:
                found.unpaired.append(Unpaired(path, f"is {advice}, then run the batch again"))
                continue
        got = _classify(rel, root_name, langs)
        if got is None and _is_document_name(rel.name):
            other = _other_language(rel, langs)
            if other is not None:
                found.unpaired.append(Unpaired(path, other))
                continue
            unlabeled.append((path, rel.parent, no_language))
            continue
        if got is None:
            got = no_language
        if isinstance(got, str):
            if _is_document_name(rel.name):
                found.unpaired.append(Unpaired(path, got))
            else:
                found.ignored.append(path)
            continue
        pair_id, lang = got
        sides[pair_id][lang].append(path)
    src_key, tgt_key = src_lang.lower(), tgt_lang.lower()
    for pair_id in sorted(sides):
        by_lang = sides[pair_id]
        src, tgt = by_lang.get(src_key, []), by_lang.get(tgt_key, [])
        crowded = [(lang, ps) for lang, ps in ((src_lang, src), (tgt_lang, tgt)) if len(ps) > 1]
        if crowded:
            lang, paths = crowded[0]
            names = ", ".join(str(p) for p in paths)
            found.conflicts.append(
                Conflict(
                    pair_id,
                    tuple(src + tgt),
                    f"{len(paths)} '{lang}' files for {pair_id} ({names}): keep one, rename "
                    "the others, or list the pairs in a manifest",
                )
            )
        elif src and tgt:
            found.pairs.append(Pair(pair_id, src[0], tgt[0]))
        else:
            (present,) = src or tgt
            missing = tgt_lang if src else src_lang
            reason = f"has no '{missing}' partner for {pair_id}"
            unlabeled.append((present, PurePosixPath(pair_id).parent, reason))
    unlabeled = _without_duplicates(unlabeled, found)
    if unlabeled:
        taken = {p.id for p in found.pairs} | {c.id for c in found.conflicts}
        by_text = pair_by_content(unlabeled, langs, taken, on_read)
        found.by_text = [Pair(*pair) for pair in by_text.pairs]
        found.pairs = sorted([*found.pairs, *found.by_text], key=lambda p: p.id)
        found.unpaired += [Unpaired(path, reason) for path, reason in by_text.unpaired]
    return found


_COPY_NAME = re.compile(
    r"^(?:copy (?:\(\d+\) )?of )?(?P<name>.+?)(?: - copy(?: \(\d+\))?| copy(?: \d+)?| \(\d+\))?$",
    re.IGNORECASE,
)
"""What a copy is named after its file: ``en - Copy.docx``, ``en - Copy (2).docx`` (Windows),
``en copy.docx`` (macOS), ``A_77_L.107-EN (1).pdf`` (a second download), ``Copy of en.docx``."""


def _copy_of(path: Path, candidates: list[Path]) -> Path | None:
    """The file among ``candidates`` (in ``path``'s folder) that ``path`` is a copy of: named
    as a copy of it, and the same bytes."""
    match = _COPY_NAME.match(path.stem)
    if match is None or match["name"] == path.stem:
        return None
    name = (match["name"] + path.suffix).lower()
    for kept in candidates:
        if kept.parent == path.parent and kept.name.lower() == name and _same_file(kept, path):
            return kept
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return filecmp.cmp(a, b, shallow=False)  # files of different sizes are not read
    except OSError:
        return False


def _without_duplicates(
    unlabeled: list[tuple[Path, PurePosixPath, str]], found: Discovery
) -> list[tuple[Path, PurePosixPath, str]]:
    """``unlabeled`` less the copies of a paired file that the system or a browser made beside
    it (``en - Copy.docx``, ``A_77_L.107-EN (1).pdf``), which go to ``found.copies``: such a
    copy was listed as a file with no language in its name, to be renamed or put in a
    manifest, when there is nothing to do with it."""
    paired = [path for pair in found.pairs for path in (pair.src, pair.tgt)]
    rest = []
    for item in unlabeled:
        kept = _copy_of(item[0], paired)
        if kept is None:
            rest.append(item)
        else:
            found.ignored.append(item[0])
            found.copies.append(Copy(item[0], kept, identical=True))
    return rest


def _manifest_rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        raise InputError(f"{path}: cannot read the manifest ({reason}): check the path") from None
    rows = [(n, [c.strip() for c in row]) for n, row in enumerate(csv.reader(text.splitlines()), 1)]
    return [(n, row) for n, row in rows if any(row) and not row[0].startswith("#")]


def read_manifest(path: Path) -> Discovery:
    """Pairs listed in a CSV manifest: ``id,source path,target path`` a line, paths relative to it.

    A first line whose first cell is ``id`` is a header. Missing files are not
    checked here: such a pair fails with the reader's message when it is run.
    """
    rows = _manifest_rows(path)
    if rows and rows[0][1] and rows[0][1][0].lower() == "id":
        rows = rows[1:]
    found = Discovery()
    seen: dict[str, int] = {}
    base = path.parent
    for n, row in rows:
        where = f"{path} line {n}"
        if len(row) != 3 or not all(row):
            raise InputError(
                f"{where}: expected 3 columns 'id,source path,target path', got {len(row)}: "
                "fix the line"
            )
        pair_id = check_id(row[0], where)
        if pair_id in seen:
            raise InputError(
                f"{where}: id {pair_id!r} is already used on line {seen[pair_id]}: "
                "give each pair its own id"
            )
        seen[pair_id] = n
        found.pairs.append(Pair(pair_id, base / row[1], base / row[2]))
    if not found.pairs:
        raise InputError(
            f"{path}: the manifest lists no pairs: add lines 'id,source path,target path'"
        )
    return found


def discover(
    source: Path,
    *,
    src_lang: str = "zh",
    tgt_lang: str = "en",
    manifest: bool | None = None,
    skip: Path | None = None,
    on_read: Callable[[int, int], None] | None = None,
) -> Discovery:
    """Pairs from a folder, or from a manifest (``manifest=True``, or a ``.csv`` file)."""
    source = Path(source)
    if not source.exists():
        raise InputError(f"{source}: does not exist: give a folder of documents or a manifest")
    if manifest or (manifest is None and source.is_file()):
        if source.is_dir():
            raise InputError(f"{source}: is a folder, not a manifest: drop --manifest")
        if manifest is None and source.suffix.lower() != ".csv":
            raise InputError(
                f"{source}: is a file: give a folder of documents, or a CSV manifest "
                "(name it .csv or pass --manifest)"
            )
        return read_manifest(source)
    return discover_folder(source, src_lang=src_lang, tgt_lang=tgt_lang, skip=skip, on_read=on_read)
