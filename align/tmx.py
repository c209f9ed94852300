"""TMX as a first-class format: stream, validate, inspect, merge, filter and convert.

Reading streams with ``iterparse`` and frees every ``<tu>`` once it is handled, so
a file of millions of units is read with flat memory; merge and validate add only
a 16-byte digest (and a confidence) per unit to find duplicates. A unit keeps each
``<seg>`` as inner XML, so inline codes (``<bpt>``, ``<ph>``, ``<hi>``...) survive a
read-write round trip; ``<prop>`` and ``<note>`` are kept with their attributes
(comments, processing instructions and non-TMX elements are not).
TMX 1.1-1.4 is read (``lang`` as well as ``xml:lang``); TMX 1.4 is written, laid
out exactly as :mod:`align.writers.tmx` does, so our own files come back byte for
byte. Outputs stream into a temporary file beside the target that is renamed into
place only when complete (:func:`atomic_output`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np
from lxml import etree

from align import __version__
from align.atomic import _reason, atomic_output
from align.errors import InputError, OutputError
from align.languages import (
    NAMES,
    base_language,
    cjk_share,
    lang_code,
    language_tag,
    tag_problem,
)
from align.writers.base import LINE_BREAK, TMX_DATE, DroppedChar, clean_text, tmx_date
from align.writers.tmx import DOCTYPE, SEGTYPES, TOOL, XML_DECLARATION
from align.writers.tsv import COLUMNS, header_row

log = logging.getLogger(__name__)

DTD_PATH = Path(__file__).resolve().parents[2] / "shared" / "spec" / "tmx14.dtd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANG_CODE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DATE_ATTRIBUTES = ("creationdate", "changedate", "lastusagedate")
CONFIDENCE = "x-confidence"
DOCUMENT = "x-document"
CONTEXT_PREFIX = "x-context"
JSONL_FORMAT = "un-align-tmx-jsonl"
# Inline elements whose content is markup code, not text (as in align.writers.tmx).
_CODE_TAGS = frozenset({"bpt", "ept", "ph", "it", "ut"})
# What a TMX 1.4 header must carry; filled in when an older file leaves one out.
_REQUIRED_HEADER = (
    ("creationtool", TOOL),
    ("creationtoolversion", __version__),
    ("segtype", "sentence"),
    ("o-tmf", TOOL),
    ("adminlang", "en-US"),
    ("srclang", "*all*"),
    ("datatype", "plaintext"),
)
_HISTOGRAM_BINS = 10
_LANGUAGE_SAMPLE = 200
"""TSV rows read to check that each column is in the language it is said to be."""

Attrs = tuple[tuple[str, str], ...]


# --- the data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Meta:
    """A ``<prop>`` or ``<note>``: its text and attributes (``type`` for props) in file order."""

    tag: Literal["prop", "note"]
    text: str
    attrib: Attrs = ()

    @property
    def type(self) -> str:
        return dict(self.attrib).get("type", "")

    @classmethod
    def prop(cls, kind: str, value: str) -> Meta:
        return cls("prop", value, (("type", kind),))

    @classmethod
    def note(cls, text: str) -> Meta:
        return cls("note", text)


@dataclass(frozen=True)
class Variant:
    """A ``<tuv>``: language, the ``<seg>``'s inner XML (inline codes kept) and its plain text.

    ``attrib`` holds the attributes other than the language.
    """

    lang: str
    seg: str
    text: str
    attrib: Attrs = ()
    meta: tuple[Meta, ...] = ()

    @classmethod
    def plain(cls, lang: str, text: str) -> Variant:
        return cls(lang, escape(text), text)


@dataclass(frozen=True)
class Unit:
    """A ``<tu>``; ``n`` is its 1-based position in the file it was read from, ``line`` its line."""

    variants: tuple[Variant, ...]
    meta: tuple[Meta, ...] = ()
    attrib: Attrs = ()
    n: int = 0
    line: int = 0

    def props(self, kind: str) -> list[str]:
        return [m.text for m in self.meta if m.tag == "prop" and m.type == kind]

    def prop(self, kind: str) -> str | None:
        values = self.props(kind)
        return values[0] if values else None

    @property
    def notes(self) -> list[str]:
        return [m.text for m in self.meta if m.tag == "note"]

    @property
    def confidence(self) -> float | None:
        """``x-confidence`` as a number; None when absent or not a finite number."""
        try:
            value = float(self.prop(CONFIDENCE) or "")
        except ValueError:
            return None
        return value if math.isfinite(value) else None

    def variant(self, lang: str) -> Variant | None:
        """The first variant in ``lang`` (compared case-insensitively)."""
        lang = lang.lower()
        return next((v for v in self.variants if v.lang.lower() == lang), None)

    def key(self, *, context: bool = False) -> bytes:
        """A 16-byte digest of the texts by language: equal keys mean duplicate units.

        With ``context``, the context props (memoQ's ``x-context-pre``/``-post``, Trados'
        ``x-Context``) are part of it: a sentence met twice in different places is two
        units to a CAT tool that matches in context.
        """
        parts = sorted(f"{v.lang.lower()}\x00{v.seg}" for v in self.variants)
        if context and (contexts := self._contexts()):
            parts += ["\x02", *contexts]
        return hashlib.blake2b("\x01".join(parts).encode("utf-8"), digest_size=16).digest()

    def _contexts(self) -> list[str]:
        """The unit's and its variants' context props, each with its language, sorted."""
        metas = [("", self.meta), *((v.lang.lower(), v.meta) for v in self.variants)]
        return sorted(
            f"{lang}\x00{m.type}\x00{m.text}"
            for lang, meta in metas
            for m in meta
            if m.tag == "prop" and m.type.lower().startswith(CONTEXT_PREFIX)
        )


@dataclass(frozen=True)
class Header:
    """A ``<header>``: attributes in file order, props and notes, ``<ude>`` elements as XML."""

    attrib: Attrs
    meta: tuple[Meta, ...] = ()
    udes: tuple[str, ...] = ()
    version: str = "1.4"

    @property
    def srclang(self) -> str:
        return dict(self.attrib).get("srclang", "")

    def props(self, kind: str) -> list[str]:
        return [m.text for m in self.meta if m.tag == "prop" and m.type == kind]


def new_header(srclang: str, *, date: datetime | str | None = None) -> Header:
    """The header our writer produces, for TMX made from scratch (TSV input)."""
    attrib = dict(_REQUIRED_HEADER) | {"srclang": srclang, "creationdate": tmx_date(date)}
    return Header(tuple(attrib.items()))


def escape(text: str) -> str:
    """Text as lxml writes it inside an element, so a plain seg compares equal to a parsed one."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


# --- reading --------------------------------------------------------------------------


def _local(tag: object) -> str:
    if isinstance(tag, str):
        return tag if tag[0] != "{" else tag.rpartition("}")[2]
    return ""


def _attrs(el: etree._Element, skip: tuple[str, ...] = ()) -> Attrs:
    """Attributes in file order; the deprecated ``lang`` becomes ``xml:lang``."""
    attrib = el.attrib
    if not skip and "lang" not in attrib:
        return tuple(attrib.items())
    out: list[tuple[str, str]] = []
    for name, value in el.attrib.items():
        name = XML_LANG if name == "lang" and XML_LANG not in el.attrib else name
        if name not in skip:
            out.append((name, value))
    return tuple(out)


def _meta(el: etree._Element) -> Meta:
    tag: Literal["prop", "note"] = "prop" if _local(el.tag) == "prop" else "note"
    text = (el.text or "") if len(el) == 0 else "".join(el.itertext())
    return Meta(tag, text, _attrs(el))


def _plain_text(el: etree._Element) -> str:
    """Text of a ``<seg>`` without inline codes (``<bpt>`` etc. hold markup, not words)."""
    parts = [el.text or ""]
    for child in el:
        if _local(child.tag) not in _CODE_TAGS and isinstance(child.tag, str):
            parts.append(_plain_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _inner_xml(seg: etree._Element) -> str:
    if len(seg) == 0:
        return escape(seg.text or "")
    xml = etree.tostring(seg, encoding="unicode", with_tail=False)
    if xml.endswith("/>"):
        return ""
    # The start tag may carry namespace declarations inherited from the root: drop it.
    return xml[xml.index(">") + 1 : xml.rindex("</")]


def _variant(tuv: etree._Element) -> Variant:
    lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
    meta: list[Meta] = []
    seg, text = "", ""
    for child in tuv:
        name = _local(child.tag)
        if name in ("prop", "note"):
            meta.append(_meta(child))
        elif name == "seg":
            seg, text = _inner_xml(child), _plain_text(child)
    return Variant(lang, seg, text, _attrs(tuv, skip=(XML_LANG,)), tuple(meta))


def _unit(tu: etree._Element, n: int) -> Unit:
    meta: list[Meta] = []
    variants: list[Variant] = []
    for child in tu:
        name = _local(child.tag)
        if name in ("prop", "note"):
            meta.append(_meta(child))
        elif name == "tuv":
            variants.append(_variant(child))
    return Unit(tuple(variants), tuple(meta), _attrs(tu), n, tu.sourceline or 0)


def _bare(el: etree._Element) -> etree._Element:
    """A copy without namespace declarations or layout whitespace (for ``<ude>``/``<map>``)."""
    copy_ = etree.Element(_local(el.tag), dict(el.attrib))
    if el.text and el.text.strip():
        copy_.text = el.text
    for child in el:
        if isinstance(child.tag, str):
            copy_.append(_bare(child))
    return copy_


def _header(el: etree._Element) -> Header:
    meta = tuple(_meta(c) for c in el if _local(c.tag) in ("prop", "note"))
    udes = tuple(etree.tostring(_bare(c), encoding="unicode") for c in el if _local(c.tag) == "ude")
    version = el.getroottree().getroot().get("version", "")
    return Header(_attrs(el), meta, udes, version)


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError(f"cannot read {path}: no such file: check the path")
    if not path.is_file():
        raise InputError(f"cannot read {path}: not a file: give a .tmx file")


def _scan(path: Path) -> Iterator[tuple[str, etree._Element, int]]:
    """("header", element, 0) then ("tu", element, n) per unit, freeing each once handled.

    Only entities the file declares itself are resolved (``&nbsp;`` in its DOCTYPE); no
    DTD is loaded and nothing is fetched.
    """
    _check_readable(path)
    try:
        context = etree.iterparse(
            str(path),
            events=("end",),
            tag=("{*}header", "{*}tu"),
            resolve_entities="internal",
            no_network=True,
            load_dtd=False,
            huge_tree=True,
            remove_comments=True,
            remove_pis=True,
        )
    except OSError as exc:
        raise InputError(
            f"cannot read {path}: {_reason(exc)}: check the path and its permissions"
        ) from None
    n = 0
    seen_header = False
    try:
        for _event, el in context:
            root = el.getroottree().getroot()
            if _local(root.tag) != "tmx":
                raise InputError(
                    f"{path}: not a TMX file: root element is <{_local(root.tag)}>: check the file"
                )
            if _local(el.tag) == "header":
                seen_header = True
                yield "header", el, 0
                el.clear(keep_tail=False)
                continue
            if not seen_header:
                raise InputError(
                    f"{path}: not a TMX file: <tu> before any <header>: check the file"
                )
            n += 1
            yield "tu", el, n
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise _not_xml(path, exc) from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {_reason(exc)}: check the path") from None
    if not seen_header:
        root = context.root
        if root is not None and _local(root.tag) != "tmx":
            raise InputError(
                f"{path}: not a TMX file: root element is <{_local(root.tag)}>: check the file"
            )
        raise InputError(f"{path}: not a TMX file: no <header>: check the file")


def _not_xml(path: Path, exc: etree.XMLSyntaxError) -> InputError:
    """The error for a file the XML parser stops in: lxml's message says where (``line 1,
    column 5``) and then again, with the file's name, in parentheses; an empty file it calls
    ``no element found (line 0)``."""
    try:
        empty = path.stat().st_size == 0
    except OSError:
        empty = False
    if empty:
        return InputError(
            f"{path}: is empty (0 bytes): check that it was saved or exported completely"
        )
    return InputError(f"{path}: not well-formed XML: {exc.msg or exc}: check it is a TMX file")


def read_header(path: Path | str) -> Header:
    """The header only: parsing stops at ``</header>``."""
    path = Path(path)
    for kind, el, _n in _scan(path):
        if kind == "header":
            return _header(el)
    raise InputError(f"{path}: not a TMX file: no <header>: check the file")  # pragma: no cover


def iter_units(path: Path | str) -> Iterator[Unit]:
    """Every ``<tu>`` of a TMX file, in order, streamed."""
    for kind, el, n in _scan(Path(path)):
        if kind == "tu":
            yield _unit(el, n)


# --- writing --------------------------------------------------------------------------


def _layout(el: etree._Element, level: int) -> None:
    """Indent structural children two spaces a level, as ``etree.indent`` would; never a seg."""
    if len(el) == 0:
        return
    inner = "\n" + "  " * (level + 1)
    el.text = inner
    for child in el:
        child.tail = inner
        if child.tag in ("tuv", "ude"):
            _layout(child, level + 1)
    el[-1].tail = "\n" + "  " * level


def _add_meta(parent: etree._Element, meta: Iterable[Meta]) -> None:
    for m in meta:
        etree.SubElement(parent, m.tag, dict(m.attrib)).text = m.text


def _parse_fragment(xml: str, what: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{what} cannot be written back as XML: {exc}") from None


def header_element(header: Header) -> etree._Element:
    """The ``<header>``, with the attributes TMX 1.4 requires filled in when missing."""
    attrib = dict(header.attrib)
    for name, default in _REQUIRED_HEADER:
        attrib.setdefault(name, default)
    el = etree.Element("header", attrib)
    _add_meta(el, header.meta)
    for ude in header.udes:
        el.append(_parse_fragment(ude, "header <ude>"))
    _layout(el, 1)
    return el


def unit_element(unit: Unit) -> etree._Element:
    tu = etree.Element("tu", dict(unit.attrib))
    _add_meta(tu, unit.meta)
    for v in unit.variants:
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: v.lang, **dict(v.attrib)})
        _add_meta(tuv, v.meta)
        tuv.append(_parse_fragment(f"<seg>{v.seg}</seg>", f"tu {unit.n} <seg>"))
    _layout(tu, 2)
    return tu


def write_units(fh: BinaryIO, header: Header, units: Iterable[Unit]) -> int:
    """Serialise a TMX 1.4 file to ``fh`` one unit at a time; returns the units written."""
    fh.write(XML_DECLARATION + DOCTYPE + b'<tmx version="1.4">\n  ')
    fh.write(etree.tostring(header_element(header), encoding="UTF-8") + b"\n")
    it = iter(units)
    first = next(it, None)
    if first is None:
        fh.write(b"  <body/>\n</tmx>\n")
        return 0
    fh.write(b"  <body>\n")
    count = 0
    for unit in chain([first], it):
        fh.write(b"    " + etree.tostring(unit_element(unit), encoding="UTF-8") + b"\n")
        count += 1
    fh.write(b"  </body>\n</tmx>\n")
    return count


def write_tmx(
    path: Path | str, header: Header, units: Iterable[Unit], *, force: bool = False
) -> int:
    """Write a TMX 1.4 file atomically, streaming ``units``; returns how many were written."""
    with atomic_output(path, force=force) as fh:
        return write_units(fh, header, units)


# --- validation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a TMX: where (``tu 12``, ``header``, ``file``), line, what."""

    where: str
    message: str
    line: int = 0
    tu: int = 0
    warning: bool = False
    """Worth knowing but no CAT tool trips on it (a repeated unit, a segment of codes only)."""

    def __str__(self) -> str:
        at = f" (line {self.line})" if self.line else ""
        kind = "warning: " if self.warning else ""
        return f"{self.where}{at}: {kind}{self.message}"


class Problems(list[Problem]):
    """The problems found, plus how many units were checked and against which DTD."""

    def __init__(self, problems: Iterable[Problem] = (), *, units: int = 0, dtd: Path | None):
        super().__init__(problems)
        self.units = units
        self.dtd = dtd

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.warning]


def _load_dtd(path: Path | None) -> etree.DTD | None:
    if path is None or not path.is_file():
        return None
    try:
        return etree.DTD(str(path))
    except (etree.DTDParseError, OSError) as exc:
        log.warning("cannot load the DTD %s: %s: checking without it", path, exc)
        return None


def _dtd_errors(dtd: etree.DTD, el: etree._Element) -> list[tuple[int, str]]:
    # A copy: validated in place, an element of a parsed file trips on its xml:lang.
    if dtd.validate(copy.deepcopy(el)):
        return []
    return [(e.line, e.message) for e in dtd.error_log.filter_from_errors()]


def _lang_problem(code: str) -> str | None:
    if not code:
        return "no language"
    if not LANG_CODE.match(code):
        return f"language code {code!r} is not well formed (like en-US, zh-CN)"
    return None


def _unknown_languages(seen: dict[str, list[int]]) -> list[Problem]:
    """A warning per well-formed language code no CAT tool maps to a language (``en-UK``,
    ``jp``), at its first unit, with how many segments carry it."""
    out = []
    for code, (n, line, count) in seen.items():
        if problem := tag_problem(code):
            msg = f"language {code} in {count} <tuv>: {problem}"
            out.append(Problem(f"tu {n}", msg, line, n, warning=True))
    return out


def _date_problems(el: etree._Element) -> list[str]:
    return [
        f"{name} {value!r} is not a TMX date: write YYYYMMDDThhmmssZ (UTC), as CAT tools read it"
        for name in _DATE_ATTRIBUTES
        if (value := el.get(name)) is not None and not TMX_DATE.fullmatch(value)
    ]


def _check_unit(unit: Unit, el: etree._Element, srclang: str) -> list[Problem]:
    where, line, n = f"tu {unit.n}", unit.line, unit.n
    out: list[Problem] = []
    tuvs = list(el.iter("{*}tuv"))
    old = sum(1 for t in tuvs if t.get(XML_LANG) is None and t.get("lang") is not None)
    if old:
        msg = f"{old} <tuv> use the deprecated lang attribute: TMX 1.4 wants xml:lang"
        out.append(Problem(where, msg, line, n))
    for date in chain.from_iterable(_date_problems(e) for e in (el, *tuvs)):
        out.append(Problem(where, date, line, n))
    for v in unit.variants:
        bad = _lang_problem(v.lang)
        if bad:
            out.append(Problem(where, f"a <tuv> has {bad}" if not v.lang else bad, line, n))
        if not v.seg.strip():
            out.append(Problem(where, f"empty <seg> in {v.lang or 'a <tuv>'}", line, n))
        elif not v.text.strip():
            msg = f"<seg> in {v.lang or 'a <tuv>'} has no text, only inline codes"
            out.append(Problem(where, msg, line, n, warning=True))
    langs = [v.lang.lower() for v in unit.variants]
    for lang, k in Counter(langs).items():
        if k > 1 and lang:
            shown = next(v.lang for v in unit.variants if v.lang.lower() == lang)
            out.append(Problem(where, f"{k} <tuv> in {shown}", line, n))
    if srclang and srclang != "*all*" and srclang.lower() not in langs:
        has = ", ".join(v.lang for v in unit.variants) or "none"
        out.append(Problem(where, f"no <tuv> in srclang {srclang} (has {has})", line, n))
    return out


def _check_header(header: Header, el: etree._Element) -> list[Problem]:
    line = el.sourceline or 0
    out: list[Problem] = []
    attrib = dict(header.attrib)
    srclang = attrib.get("srclang")
    if not srclang:
        out.append(Problem("header", "no srclang: say which language is the source", line))
    elif srclang != "*all*" and (bad := _lang_problem(srclang)):
        out.append(Problem("header", f"srclang: {bad}", line))
    if "adminlang" in attrib and (bad := _lang_problem(attrib["adminlang"])):
        out.append(Problem("header", f"adminlang: {bad}", line))
    out += [Problem("header", date, line) for date in _date_problems(el)]
    return out


def _skeleton(root: etree._Element, header: etree._Element) -> etree._Element:
    """The document without its units, for checking what lies outside the ``<tu>``s."""
    tmx = etree.Element(_local(root.tag), dict(root.attrib))
    for child in root:
        if not isinstance(child.tag, str):
            continue
        tmx.append(header if _local(child.tag) == "header" else etree.Element(child.tag))
    return tmx


def validate(path: Path | str, *, dtd: Path | None = DTD_PATH) -> Problems:
    """Check a TMX against the TMX 1.4 DTD and what the DTD cannot say.

    Beyond the DTD: srclang declared and present in every unit (unless ``*all*``),
    well-formed language codes, no empty segments, no language twice in a unit,
    no duplicate units (same texts in all languages). The DTD part is skipped when
    ``dtd`` is None or missing (``Problems.dtd`` says so). Streams: a file that is
    not well-formed XML yields the problems found up to the error.
    """
    path = Path(path)
    _check_readable(path)
    checker = _load_dtd(dtd)
    problems: list[Problem] = []
    hi, lo, lines = array("Q"), array("Q"), array("L")
    header_copy: etree._Element | None = None
    root: etree._Element | None = None
    srclang = ""
    units = 0
    unknown: dict[str, list[int]] = {}
    try:
        for kind, el, n in _scan(path):
            if kind == "header":
                header = _header(el)
                srclang = header.srclang
                root = el.getroottree().getroot()
                header_copy = etree.fromstring(etree.tostring(el))
                problems += _check_header(header, el)
                if root.get("version") not in ("1.4", None):
                    line = root.sourceline or 0
                    msg = (
                        f"TMX version {root.get('version')}: rewrite it as 1.4 (align tmx convert)"
                    )
                    problems.append(Problem("file", msg, line))
                continue
            units = n
            unit = _unit(el, n)
            if checker is not None:
                for line, msg in _dtd_errors(checker, el):
                    problems.append(Problem(f"tu {n}", f"DTD: {msg}", line or unit.line, n))
            problems += _check_unit(unit, el, srclang)
            for v in unit.variants:
                if v.lang and not _lang_problem(v.lang):
                    unknown.setdefault(v.lang, [n, unit.line, 0])[2] += 1
            digest = unit.key(context=True)
            hi.append(int.from_bytes(digest[:8]))
            lo.append(int.from_bytes(digest[8:]))
            lines.append(unit.line)
    except InputError as exc:
        problems.append(Problem("file", str(exc).removeprefix(f"{path}: ")))
    else:
        if checker is not None and root is not None and header_copy is not None:
            for line, msg in _dtd_errors(checker, _skeleton(root, header_copy)):
                if "attribute version of tmx" not in msg:  # reported above, with what to do
                    problems.append(Problem("file", f"DTD: {msg}", line))
    problems += _unknown_languages(unknown)
    for group in duplicate_groups(hi, lo):
        first = int(group[0]) + 1
        for g in group[1:]:
            n = int(g) + 1
            msg = f"duplicate of tu {first} (same texts and context)"
            problems.append(Problem(f"tu {n}", msg, lines[int(g)], n, warning=True))
    problems.sort(key=lambda p: (p.tu or 0, p.line))
    return Problems(problems, units=units, dtd=dtd if checker is not None else None)


def duplicate_groups(hi: array, lo: array) -> list[np.ndarray]:
    """Positions of units sharing a key (split in two 64-bit halves), each group in order.

    Sorting the digests keeps memory at 16 bytes a unit, however large the file.
    """
    high = np.frombuffer(hi, dtype=np.uint64) if len(hi) else np.zeros(0, np.uint64)
    low = np.frombuffer(lo, dtype=np.uint64) if len(lo) else np.zeros(0, np.uint64)
    if len(high) < 2:
        return []
    order = np.lexsort((low, high))
    hs, ls = high[order], low[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (hs[1:] != hs[:-1]) | (ls[1:] != ls[:-1])
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, len(order)))
    return [order[s : s + k] for s, k in zip(starts[sizes > 1], sizes[sizes > 1], strict=True)]


# --- statistics -----------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """What a TMX holds. ``histogram`` counts x-confidence in tenths (last bin takes 1.0)."""

    path: Path
    version: str
    srclang: str
    units: int
    segments: dict[str, int]
    characters: dict[str, int]
    props: dict[str, int]
    notes: int
    scored: int = 0
    mean_confidence: float | None = None
    histogram: tuple[int, ...] = ()
    segtype: str = ""
    """What a unit holds, as the header says (``sentence``, ``paragraph``)."""

    @property
    def languages(self) -> list[str]:
        return list(self.segments)

    def as_dict(self) -> dict[str, object]:
        d = {k: v for k, v in self.__dict__.items() if k != "path"}
        return {"file": str(self.path), **d}

    def lines(self) -> list[str]:
        out = [
            f"file: {self.path}",
            f"TMX {self.version or '?'}, srclang {self.srclang or '?'}, "
            f"segtype {self.segtype or '?'}",
            f"units: {self.units}",
            f"languages: {len(self.segments)}",
        ]
        for lang, k in self.segments.items():
            out.append(f"  {lang}: {k} segments, {self.characters.get(lang, 0)} characters")
        props = ", ".join(f"{k} {v}" for k, v in self.props.items()) or "none"
        out += [f"props: {props}", f"notes: {self.notes}"]
        if self.histogram:
            out.append(f"confidence: {self.scored} scored, mean {self.mean_confidence:.3f}")
            top = max(self.histogram) or 1
            for i, k in enumerate(self.histogram):
                bar = "#" * round(30 * k / top)
                out.append(
                    f"  {i / _HISTOGRAM_BINS:.1f}-{(i + 1) / _HISTOGRAM_BINS:.1f} {k:>7} {bar}"
                )
        return out


def stats(path: Path | str) -> Stats:
    """Count units, segments and characters per language, props, notes and confidences."""
    path = Path(path)
    header = read_header(path)
    segments: Counter[str] = Counter()
    characters: Counter[str] = Counter()
    props: Counter[str] = Counter()
    notes = units = 0
    confidences: list[float] = []
    histogram = [0] * _HISTOGRAM_BINS
    spelling: dict[str, str] = {}  # language codes are case-insensitive: first spelling wins
    for unit in iter_units(path):
        units += 1
        metas = list(unit.meta)
        for v in unit.variants:
            lang = spelling.setdefault(v.lang.lower(), v.lang)
            segments[lang] += 1
            characters[lang] += len(v.text)
            metas += v.meta
        for m in metas:
            if m.tag == "prop":
                props[m.type] += 1
            else:
                notes += 1
        c = unit.confidence
        if c is not None:
            confidences.append(c)
            histogram[min(max(int(c * _HISTOGRAM_BINS), 0), _HISTOGRAM_BINS - 1)] += 1
    scored = len(confidences)
    return Stats(
        path,
        header.version,
        header.srclang,
        units,
        dict(segments),
        dict(characters),
        dict(props),
        notes,
        scored,
        sum(confidences) / scored if scored else None,
        tuple(histogram) if scored else (),
        dict(header.attrib).get("segtype", ""),
    )


# --- merge and filter -----------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    output: Path
    inputs: tuple[Path, ...]
    units_in: int
    units_out: int

    @property
    def duplicates(self) -> int:
        return self.units_in - self.units_out


def _merged_header(headers: Sequence[Header]) -> Header:
    """The first header, with every input's props and notes; srclang ``*all*`` if they differ,
    and the coarsest segtype if they differ (paragraph TMs merged with sentence ones: a CAT
    tool that segments a paragraph TM itself leaves a sentence unit as it is)."""
    first = headers[0]
    attrib = dict(first.attrib)
    langs = {h.srclang.lower() for h in headers}
    if len(langs) > 1:
        log.warning(
            "inputs have different srclang (%s): the merge says *all*", ", ".join(sorted(langs))
        )
        attrib["srclang"] = "*all*"
    kinds = {dict(h.attrib).get("segtype", "sentence") for h in headers}
    if len(kinds) > 1:
        coarsest = min(kinds, key=lambda k: SEGTYPES.index(k) if k in SEGTYPES else len(SEGTYPES))
        log.warning(
            "inputs have different segtype (%s): the merge says %s",
            ", ".join(sorted(kinds)),
            coarsest,
        )
        attrib["segtype"] = coarsest
    meta = tuple(dict.fromkeys(m for h in headers for m in h.meta))
    udes = tuple(dict.fromkeys(u for h in headers for u in h.udes))
    return replace(first, attrib=tuple(attrib.items()), meta=meta, udes=udes)


def _with_documents(unit: Unit, documents: Sequence[str]) -> Unit:
    """``unit`` with one x-document prop per value, where its first one was (or after props)."""
    props = [i for i, m in enumerate(unit.meta) if m.tag == "prop"]
    docs = [i for i, m in enumerate(unit.meta) if m.tag == "prop" and m.type == DOCUMENT]
    at = docs[0] if docs else (props[-1] + 1 if props else 0)
    rest = [m for m in unit.meta if not (m.tag == "prop" and m.type == DOCUMENT)]
    before = sum(1 for i in range(at) if i not in docs)
    new = [Meta.prop(DOCUMENT, d) for d in documents]
    return replace(unit, meta=tuple(rest[:before] + new + rest[before:]))


def _with_languages(unit: Unit, path: Path) -> Unit:
    """``unit``, if every ``<tuv>`` says its language well: a TM written on from one that
    does not would carry segments no CAT tool can match."""
    for v in unit.variants:
        if bad := _lang_problem(v.lang):
            what = "a <tuv> has no language" if not v.lang else bad
            raise InputError(
                f"{path}: tu {unit.n} (line {unit.line}): {what}: mend it first "
                f"(align tmx validate {path} lists every problem)"
            )
    return unit


def _check_output(
    output: Path, inputs: Sequence[Path], force: bool, tmx_only: str | None = None
) -> None:
    """``tmx_only``, the command's name, where it writes TMX whatever OUTPUT is called:
    a TM named ``m.tsv`` is a file a CAT tool imports as a broken TSV."""
    if tmx_only and output.suffix.lower() != ".tmx":
        raise OutputError(
            f"{output}: {tmx_only} writes TMX: name it .tmx (align tmx convert then turns "
            "it into .tsv or .jsonl)"
        )
    if output.exists() and not force:
        raise OutputError(
            f"{output} already exists: pass --force (force=True) to overwrite, or choose another -o"
        )
    for p in inputs:
        _check_readable(p)


def merge(
    inputs: Sequence[Path | str],
    output: Path | str,
    *,
    force: bool = False,
    keep_contexts: bool = False,
) -> MergeResult:
    """Merge TMX files, dropping duplicate units (same texts in every language; with
    ``keep_contexts``, in the same context too, as memoQ's 101% and Trados' context
    matches tell them apart, so boilerplate met in many places stays a unit a place).

    Of duplicates the unit with the highest x-confidence is kept (the first on a
    tie) with its props and notes, plus every ``x-document`` value of its
    duplicates. Two streaming passes: the first keeps 16-byte digests, a confidence
    and a document-set id per unit, the second writes the units kept, in input order.
    """
    paths = [Path(p) for p in inputs]
    output = Path(output)
    if not paths:
        raise InputError("nothing to merge: give one or more TMX files")
    _check_output(output, paths, force, tmx_only="merge")
    headers = [read_header(p) for p in paths]
    hi, lo, conf, docs = array("Q"), array("Q"), array("d"), array("I")
    doc_sets: dict[tuple[str, ...], int] = {(): 0}
    for p in paths:
        for unit in iter_units(p):
            digest = _with_languages(unit, p).key(context=keep_contexts)
            hi.append(int.from_bytes(digest[:8]))
            lo.append(int.from_bytes(digest[8:]))
            c = unit.confidence
            conf.append(-math.inf if c is None else c)
            docs.append(doc_sets.setdefault(tuple(unit.props(DOCUMENT)), len(doc_sets)))
    units_in = len(hi)
    keep = np.ones(units_in, dtype=bool)
    documents: dict[int, tuple[str, ...]] = {}
    names = list(doc_sets)
    scores = np.frombuffer(conf, dtype=np.float64) if units_in else np.zeros(0)
    for group in duplicate_groups(hi, lo):
        best = int(group[np.argmax(scores[group])])
        keep[group] = False
        keep[best] = True
        ids = [docs[best]] + [docs[int(g)] for g in group]
        if len(set(ids)) > 1:
            documents[best] = tuple(dict.fromkeys(d for i in ids for d in names[i]))

    def kept() -> Iterator[Unit]:
        g = 0
        for p in paths:
            for unit in iter_units(p):
                if g >= units_in:
                    raise InputError(f"{p} changed while being merged: run the merge again")
                if keep[g]:
                    yield _with_documents(unit, documents[g]) if g in documents else unit
                g += 1

    units_out = write_tmx(output, _merged_header(headers), kept(), force=force)
    return MergeResult(output, tuple(paths), units_in, units_out)


@dataclass(frozen=True)
class FilterResult:
    output: Path
    kept: int
    dropped: int
    unscored: int


def filter(
    source: Path | str,
    output: Path | str,
    min_confidence: float,
    *,
    keep_unscored: bool = False,
    force: bool = False,
) -> FilterResult:
    """Keep the units whose x-confidence is at least ``min_confidence``.

    Units without a (numeric) x-confidence are dropped unless ``keep_unscored``;
    ``unscored`` counts them either way.
    """
    source, output = Path(source), Path(output)
    if not 0.0 <= min_confidence <= 1.0 or math.isnan(min_confidence):
        raise InputError(f"--min-confidence {min_confidence}: give a number from 0 to 1")
    _check_output(output, [source], force, tmx_only="filter")
    header = read_header(source)
    counts = Counter[str]()

    def kept() -> Iterator[Unit]:
        for unit in iter_units(source):
            c = _with_languages(unit, source).confidence
            if c is None:
                counts["unscored"] += 1
                if keep_unscored:
                    yield unit
                else:
                    counts["dropped"] += 1
            elif c >= min_confidence:
                yield unit
            else:
                counts["dropped"] += 1

    n = write_tmx(output, header, kept(), force=force)
    return FilterResult(output, n, counts["dropped"], counts["unscored"])


# --- conversion -----------------------------------------------------------------------


@dataclass(frozen=True)
class ConvertResult:
    output: Path
    format: str
    units: int
    skipped: int = 0
    """Units left out: without text in both languages."""
    dropped: tuple[DroppedChar, ...] = ()
    altered: dict[str, int] = field(default_factory=dict)
    """Segments written other than they were, by what a TSV row cannot hold."""
    problems: tuple[str, ...] = ()
    """What the output still has wrong (an invalid input the conversion cannot mend)."""


_CONVERSIONS = {
    (".tmx", ".tsv"),
    (".tmx", ".jsonl"),
    (".tmx", ".tmx"),
    (".tsv", ".tmx"),
}


def convert(
    source: Path | str,
    output: Path | str,
    *,
    force: bool = False,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    date: datetime | str | None = None,
) -> ConvertResult:
    """Convert by suffix: TMX to TSV, JSONL or TMX 1.4; TSV to TMX.

    TSV to TMX reads our TSV (header ``zh-CN<TAB>en-US<TAB>confidence…``, or the
    older ``source<TAB>target…``) or any two-column TSV; ``src_lang``/``tgt_lang``
    name its languages (by default what the header names, else zh and en) and
    ``date`` sets the creation date. TMX to TSV needs one target language and
    keeps plain text (``ConvertResult.altered`` counts the segments a TSV row could
    not hold as they were); JSONL keeps everything (one header line, then one line
    per unit). TMX to TMX 1.4 rewrites the file as our writer would; what it cannot
    mend is in ``ConvertResult.problems``. ``src_lang``/``tgt_lang`` for a TMX source raise
    ``InputError``: they would be ignored, and the TM not labelled as the caller meant.
    """
    source, output = Path(source), Path(output)
    if source.suffix.lower() != ".tsv" and (src_lang or tgt_lang):
        flag, arg = ("--src-lang", "src_lang=") if src_lang else ("--tgt-lang", "tgt_lang=")
        raise InputError(
            f"{flag} ({arg}) gives the languages of a TSV's columns, but {source} is not a "
            f"TSV, and a TMX names the language of each segment itself: leave {flag} out"
        )
    pair = (source.suffix.lower(), output.suffix.lower())
    if pair not in _CONVERSIONS:
        done = ", ".join(f"{a} -> {b}" for a, b in sorted(_CONVERSIONS))
        raise InputError(
            f"cannot convert {pair[0] or 'no suffix'} to {pair[1] or 'no suffix'}: "
            f"supported are {done}"
        )
    _check_output(output, [source], force)
    if pair == (".tsv", ".tmx"):
        return _tsv_to_tmx(source, output, force, src_lang, tgt_lang, date)
    if pair == (".tmx", ".tmx"):
        n = write_tmx(output, read_header(source), iter_units(source), force=force)
        left = validate(output).errors
        return ConvertResult(output, "tmx", n, problems=tuple(str(p) for p in left))
    if pair == (".tmx", ".jsonl"):
        return _tmx_to_jsonl(source, output, force)
    return _tmx_to_tsv(source, output, force)


def _source_language(header: Header, path: Path) -> str:
    if header.srclang and header.srclang != "*all*":
        return header.srclang
    first = next(iter_units(path), None)
    return first.variants[0].lang if first and first.variants else ""


def _tmx_to_tsv(source: Path, output: Path, force: bool) -> ConvertResult:
    src = _source_language(read_header(source), source)
    others: dict[str, str] = {}  # language codes are case-insensitive: first spelling wins
    for unit in iter_units(source):
        for v in unit.variants:
            if v.lang.lower() != src.lower():
                others.setdefault(v.lang.lower(), v.lang)
    if len(others) > 1:
        langs = ", ".join(sorted(others.values()))
        raise InputError(
            f"{source} has {len(others)} target languages ({langs}): a TSV holds one pair: "
            "convert to .jsonl"
        )
    tgt = next(iter(others.values()), "")
    dropped: list[DroppedChar] = []
    altered: Counter[str] = Counter()
    rows = skipped = 0
    with atomic_output(output, force=force) as fh:
        header = header_row(lang_code(src) if src else "", lang_code(tgt) if tgt else "")
        fh.write((header + "\n").encode("utf-8"))
        for unit in iter_units(source):
            cells = []
            for side, lang in (("source", src), ("target", tgt)):
                variant = unit.variant(lang) if lang else None
                text = clean_text(variant.text, f"tu {unit.n} {side}", dropped) if variant else ""
                if variant and text:
                    altered.update(_tsv_changes(variant, text))
                cells.append(text)
            if not all(cells):
                skipped += 1
                continue
            cells += [
                clean_text(unit.prop(k) or "", f"tu {unit.n} {k}", dropped)
                for k in (CONFIDENCE, "x-bead", "x-paragraph")
            ]
            fh.write(("\t".join(cells) + "\n").encode("utf-8"))
            rows += 1
    for d in dropped:
        log.warning("%s: %s", output, d)
    for what, k in altered.items():
        log.warning("%s: %d segment(s) %s", output, k, what)
    return ConvertResult(output, "tsv", rows, skipped, tuple(dropped), dict(altered))


def _tsv_changes(variant: Variant, written: str) -> list[str]:
    """What a TSV row changed in a segment: its inline codes, its line breaks and tabs,
    the spaces at its ends."""
    out = []
    if variant.seg != escape(variant.text):
        out.append("lost inline codes (formatting, placeholders) a TSV cannot hold")
    text = variant.text
    if LINE_BREAK.search(text):
        out.append("had line breaks or tabs, written as spaces")
    if text != text.strip() and text.strip() == written:
        out.append("had spaces at their ends, trimmed")
    return out


def _named(attrib: Attrs) -> dict[str, str]:
    """Attributes as JSON keys: ``xml:lang`` for lxml's namespaced name."""
    return {("xml:lang" if k == XML_LANG else k): v for k, v in attrib}


def _props(meta: Iterable[Meta]) -> list[list[object]]:
    """Props as ``[type, text]``, with a third item for any other attribute they carry."""
    out: list[list[object]] = []
    for m in meta:
        if m.tag == "prop":
            rest = _named(tuple((k, v) for k, v in m.attrib if k != "type"))
            out.append([m.type, m.text, rest] if rest else [m.type, m.text])
    return out


def _notes(meta: Iterable[Meta]) -> list[object]:
    """Notes as their text, or ``[text, attributes]`` where they carry any."""
    return [[m.text, _named(m.attrib)] if m.attrib else m.text for m in meta if m.tag == "note"]


def _tmx_to_jsonl(source: Path, output: Path, force: bool) -> ConvertResult:
    header = read_header(source)
    head: dict[str, object] = {
        "type": "header",
        "format": JSONL_FORMAT,
        "version": 1,
        "tmx_version": header.version,
        "attributes": _named(header.attrib),
        "props": _props(header.meta),
        "notes": _notes(header.meta),
    }
    if header.udes:
        head["udes"] = list(header.udes)
    n = 0
    with atomic_output(output, force=force) as fh:
        fh.write(_json_line(head))
        for unit in iter_units(source):
            tuvs = []
            for v in unit.variants:
                tuv: dict[str, object] = {"lang": v.lang, "text": v.text}
                if v.seg != escape(v.text):
                    tuv["seg"] = v.seg
                if v.attrib:
                    tuv["attributes"] = _named(v.attrib)
                if v.meta:
                    tuv["props"] = _props(v.meta)
                    tuv["notes"] = _notes(v.meta)
                tuvs.append(tuv)
            record = {
                "type": "unit",
                "n": unit.n,
                "attributes": _named(unit.attrib),
                "props": _props(unit.meta),
                "notes": _notes(unit.meta),
                "tuvs": tuvs,
            }
            fh.write(_json_line(record))
            n += 1
    return ConvertResult(output, "jsonl", n)


def _json_line(obj: dict[str, object]) -> bytes:
    text = json.dumps(obj, ensure_ascii=False)
    # A lone surrogate cannot be UTF-8 encoded; as a JSON escape it survives.
    text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
    return (text + "\n").encode("utf-8")


def _tsv_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) per non-blank line."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for number, line in enumerate(fh, 1):
                line = line.rstrip("\r\n")
                if line.strip():
                    yield number, line.split("\t")
    except UnicodeDecodeError:
        raise _not_utf8(path) from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {_reason(exc)}: check the path") from None


def _not_utf8(path: Path) -> InputError:
    """Where a TSV stops being UTF-8, by line and byte: the codec's own reason (``invalid
    continuation byte``) says nothing to a translator, and its offset is into a chunk."""
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        return InputError(
            f"{path}: is not UTF-8 (line {line} has the byte 0x{byte:02x}, which UTF-8 does "
            "not allow there): save it as UTF-8"
        )
    return InputError(f"{path}: is not UTF-8: save it as UTF-8")  # pragma: no cover


def _is_language_tag(cell: str) -> bool:
    cell = cell.strip()
    return bool(LANG_CODE.match(cell)) and base_language(cell) in NAMES


def tsv_header(path: Path) -> tuple[str, str] | None:
    """The languages a TSV's header row names (``zh-CN<TAB>en-US<TAB>confidence…``, as
    we write it and as Phrase imports it), or None: no header, or ``source<TAB>target``.

    Two different codes of known languages, with our ``confidence`` column or a region on
    both (``en-GB``): a glossary row such as ``UN-Habitat<TAB>UN-Habitat`` or ``IT<TAB>IT``
    is data."""
    first = next(_tsv_lines(path), None)
    if first is None or first[0] != 1 or len(first[1]) < 2:
        return None
    a, b = (c.strip() for c in first[1][:2])
    ours = [c.strip().lower() for c in first[1][2:3]] == [COLUMNS[2]]
    if not (_is_language_tag(a) and _is_language_tag(b)) or language_tag(a) == language_tag(b):
        return None
    return (a, b) if ours or ("-" in a and "-" in b) else None


def _tsv_rows(path: Path, header: bool) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) per non-blank line; a header row (``header``: one naming
    languages, :func:`tsv_header`; or ``source<TAB>target``) is skipped."""
    for number, fields in _tsv_lines(path):
        if number == 1 and (header or [f.strip().lower() for f in fields[:2]] == list(COLUMNS[:2])):
            continue
        if len(fields) < 2:
            raise InputError(
                f"{path}:{number}: expected source<TAB>target, found no tab: "
                "check the file is tab-separated"
            )
        yield number, fields


def _tsv_languages(
    path: Path, named: tuple[str, str] | None, src: str | None, tgt: str | None
) -> tuple[str, str]:
    """The TSV's languages: as given, else as its header names them (``named``), else zh
    and en. A column said to be Chinese or Japanese with almost none of their characters,
    where the other column has them, stops the conversion: a TM with its languages
    swapped finds nothing in a CAT tool."""
    origin = "as given" if src and tgt else "as its header says" if named else "by default"
    src = src or (named[0] if named else "zh")
    tgt = tgt or (named[1] if named else "en")
    columns: list[list[str]] = [[], []]
    for _number, fields in islice(_tsv_rows(path, named is not None), _LANGUAGE_SAMPLE):
        for column, text in zip(columns, fields[:2], strict=False):
            column.append(text)
    shares = [cjk_share(" ".join(column))[0] for column in columns]
    for side, code, mine, other in (
        ("first", src, shares[0], shares[1]),
        ("second", tgt, shares[1], shares[0]),
    ):
        if base_language(code) in ("zh", "ja") and mine < 0.05 and other >= 0.3:
            raise InputError(
                f"{path}: the {side} column has almost no {NAMES.get(base_language(code), code)} "
                f"characters though it is said to be {code} ({origin}), and the other column "
                "has them: give the columns' languages with --src-lang and --tgt-lang"
            )
    return lang_code(src), lang_code(tgt)


def _tsv_to_tmx(
    source: Path,
    output: Path,
    force: bool,
    src_lang: str | None,
    tgt_lang: str | None,
    date: datetime | str | None,
) -> ConvertResult:
    for code in (src_lang, tgt_lang):
        if code is not None and (bad := _lang_problem(lang_code(code))):
            raise InputError(f"{bad}: give --src-lang/--tgt-lang like zh-CN, en-US")
    named = tsv_header(source)
    src, tgt = _tsv_languages(source, named, src_lang, tgt_lang)
    skipped = 0
    dropped: list[DroppedChar] = []

    def units() -> Iterator[Unit]:
        nonlocal skipped
        n = 0
        for number, fields in _tsv_rows(source, named is not None):
            texts = [
                clean_text(f, f"{source.name}:{number} {side}", dropped)
                for f, side in zip(fields[:2], ("source", "target"), strict=False)
            ]
            if not all(texts):
                skipped += 1
                continue
            n += 1
            meta = []
            extra = dict(zip((CONFIDENCE, "x-bead", "x-paragraph"), fields[2:5], strict=False))
            conf = extra.get(CONFIDENCE, "").strip()
            if conf:
                try:
                    float(conf)
                except ValueError:
                    raise InputError(
                        f"{source}:{number}: confidence {conf!r} is not a number: "
                        "the third column must be a number"
                    ) from None
                meta.append(Meta.prop(CONFIDENCE, conf))
            for kind in ("x-paragraph", "x-bead"):
                if value := clean_text(extra.get(kind, ""), f"{source.name}:{number} {kind}"):
                    meta.append(Meta.prop(kind, value))
            variants = (Variant.plain(src, texts[0]), Variant.plain(tgt, texts[1]))
            yield Unit(variants, tuple(meta), (("tuid", str(n)),), n, number)

    count = write_tmx(output, new_header(src, date=date), units(), force=force)
    for d in dropped:
        log.warning("%s", d)
    return ConvertResult(output, "tmx", count, skipped, tuple(dropped))
