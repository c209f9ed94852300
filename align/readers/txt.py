"""Plain text in the encodings UN documents turn up in: UTF-8/16, GB18030/GBK, Big5.

Order of trust: a byte-order mark, then strict UTF-8 (most files), then, for
Chinese, whichever of GB18030 and Big5 reads as more ordinary Chinese, and for
other languages charset-normalizer's guess. Detectors are unreliable on short
Chinese texts (a one-line GB18030 file can come back as UTF-16 or Johab), so
for ``zh`` the choice is made here from what the decoded text looks like.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from itertools import islice
from pathlib import Path

from align.errors import InputError
from align.hanzi import TRADITIONAL, declared_script
from align.languages import CJK_TEXT, IDEOGRAPH, base_language
from align.readers.base import Reader, input_error, read_bytes

BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF (rename it to .pdf)"),
    (b"PK\x03\x04", "a ZIP archive (if it is a Word file, rename it to .docx)"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Word .doc or other OLE file (if it is a Word file, rename it to .doc)",
    ),
    (b"\x7fELF", "an ELF executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"MZ", "a Windows executable"),
)

MAX_CONTROL_SHARE = 0.02
"""Above this share of control characters (other than tab, newlines, form feed) a file is binary."""

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_NEWLINES = re.compile("\r\n?")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_CJK = re.compile(f"[{CJK_TEXT}]")

SHORT_TEXT_CHARS = 64
"""Legacy Chinese bytes can be valid UTF-8 by accident only in very short texts."""
SCORE_SAMPLE_CHARS = 200_000
"""Judging GB18030 against Big5 on this much text is as good as on all of it."""

GB_CODECS = frozenset({"gb2312", "gbk", "gb18030", "hz"})
BIG5_CODECS = frozenset({"big5", "big5hkscs", "cp950"})
CODE_PAGES = {"en": "cp1252", "fr": "cp1252", "es": "cp1252", "ru": "cp1251", "ar": "cp1256"}
"""The legacy code page a non-UTF file in each other UN language is most likely in."""
_CHARSET = {"gb18030": "gb2312", "big5": "big5", "cp950": "big5", "big5hkscs": "big5"}
_FIRST_LEVEL = {"gb2312": (0xB0A1, 0xD7FE), "big5": (0xA440, 0xC67E)}
"""Each charset's first level: its most used ideographs."""

CJK_PUNCTUATION = frozenset("，。、；：？！（）《》〈〉“”‘’「」『』【】〔〕…—·％　")
"""Punctuation Chinese text is full of; a wrong codec turns it into bopomofo or private-use."""


class TextReader(Reader):
    suffixes = (".txt", ".text")

    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        text, encoding = decode(read_bytes(path), lang, path)
        _refuse_markup(text, path)
        return _NEWLINES.sub("\n", text), encoding


READER = TextReader()


def decode(data: bytes, lang: str, path: Path | str) -> tuple[str, str]:
    """Decode ``data`` and name the codec used; raise InputError for binary or broken text."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as err:
                raise _not_as_marked(path, data, name, err) from err
            return _checked_text(text, data, path), codec
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found is None:
            raise _binary_error(path, data)
        text, codec = found
        return _checked_text(text, data, path), codec
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        text, codec = _decode_not_utf8(data, lang, path, err)
        return _checked_text(text, data, path), codec
    repaired = undo_double_utf8(text, path)
    if repaired is not None:
        return _checked_text(repaired, data, path), "utf-8 (double-encoded: repaired)"
    if (share := read_as_gbk(text)) is not None:
        raise input_error(
            path,
            f"was read as GBK and saved as UTF-8 again, losing characters (乱码: {share:.0%} "
            f"of its Chinese decodes as such, e.g. {text.strip()[:12]!r})",
            "export it again from the original",
        )
    if _is_chinese(lang) and _accidental_utf8(text):
        found = _decode_chinese(data, lang)
        if found is not None and chinese_score(*found) > 0:
            return _checked_text(found[0], data, path), found[1]
    return _checked_text(text, data, path), "utf-8"


_CP1252 = {bytes([b]).decode("cp1252", "replace"): bytes([b]) for b in range(0x80, 0x100)}
_CP1252.pop("\ufffd")  # the five bytes Windows-1252 leaves undefined
_MOJIBAKE = re.compile(
    "[ÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ]"
    "[\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\ufffd]"
)
"""A UTF-8 lead byte and a continuation byte, each read as a Windows-1252 character."""


def _byte(ch: str) -> bytes:
    """The byte Windows-1252 (or Latin-1, for its undefined five) reads as ``ch``."""
    if ord(ch) < 0x80 or (0x80 <= ord(ch) <= 0x9F and ch not in _CP1252):
        return bytes([ord(ch)])
    return _CP1252[ch]


def undo_double_utf8(text: str, path: Path | str) -> str | None:
    """The text of a file that was UTF-8, read as Windows-1252 and saved as UTF-8 again
    (``大会`` as ``å¤§ä¼š``, ``’`` as ``â€™``), else None.

    Every character then stands for one byte of the first UTF-8, which decodes again.
    Where the second saving lost the bytes Windows-1252 has no character for (``�``),
    the text cannot be had back: that is an error, not a document in the wrong language
    (which the language check would have called it)."""
    pairs = _MOJIBAKE.findall(text)
    if len(pairs) < 3 or 4 * len(pairs) < sum(1 for ch in text if not ch.isascii()):
        return None
    try:
        raw = b"".join(map(_byte, text))
    except KeyError:
        if "\ufffd" not in text:
            return None  # other text than the garbled kind: left as it is
        raise input_error(
            path,
            f"was read as Windows-1252 and saved as UTF-8 again ({len(pairs)} garbled letters "
            f"such as {pairs[0]!r}), losing characters",
            "export it again from the original",
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


_CJK_RUN = re.compile(f"[{CJK_TEXT}\ufffd]{{4,}}")


def read_as_gbk(text: str) -> float | None:
    """The share of a text's Chinese that is UTF-8 read as GBK (``大会`` as ``澶т細``),
    where that is most of it, else None: such 乱码 is Chinese characters still, so it
    passes for Chinese, and only fails as a translation of anything. A Chinese word
    written in GBK is no UTF-8; garbled text is, but for the bytes it lost."""
    runs = _CJK_RUN.findall(text)[:400]
    chars = sum(len(run) for run in runs)
    if chars < 40:
        return None
    back = sum(
        len(
            IDEOGRAPH.findall(
                run.replace("\ufffd", "").encode("gbk", "ignore").decode("utf-8", "ignore")
            )
        )
        for run in runs
    )
    share = 1.5 * back / chars  # three UTF-8 bytes a character, which GBK reads as 1.5
    return share if share >= 0.5 else None


def _decode_not_utf8(
    data: bytes, lang: str, path: Path | str, utf8_error: UnicodeDecodeError
) -> tuple[str, str]:
    """Tell binary, damaged UTF-8 and legacy-encoded text apart, and decode the last."""
    if _control_share(len(_CONTROL_BYTES.findall(data)), len(data)) > MAX_CONTROL_SHARE:
        raise _binary_error(path, data)
    valid_prefix = data[: utf8_error.start].decode("utf-8")
    if utf8_error.reason == "unexpected end of data" and not (
        _is_chinese(lang) and _accidental_utf8(valid_prefix)
    ):
        raise input_error(
            path,
            f"ends in the middle of a UTF-8 character at byte offset {utf8_error.start} "
            "(truncated file?)",
            "export or copy the file again",
        )
    if _mostly_utf8(data):
        raise input_error(
            path,
            f"is UTF-8 with invalid bytes (first at byte offset {utf8_error.start})",
            "repair the file or re-save it as UTF-8",
        )
    found_legacy = _decode_legacy(data, lang)
    if found_legacy is None:
        raise input_error(
            path,
            "cannot be decoded as UTF-8, UTF-16, GB18030 or Big5 "
            f"(invalid byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start})",
            "re-save it as UTF-8",
        )
    return found_legacy


MARKUP: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"\{\\rtf"),
        "an RTF document, not plain text",
        "rename it to .rtf, or save it as .docx or as plain text (.txt)",
    ),
    (
        re.compile(r"(?i)<!doctype\s+html|<html[\s>]"),
        "a web page, not plain text",
        "rename it to .html, which is read as a web page",
    ),
    (
        re.compile(r"(?:<\?xml[^>]*>\s*)?(?:<!DOCTYPE[^>]*>\s*)?<(?:tmx|xliff)[\s>]"),
        "a translation memory (TMX) or XLIFF file, not a document",
        "align the two documents it was made from ('align tmx' works on TMX files)",
    ),
    (
        re.compile(r"<\?xml"),
        "an XML file, not plain text",
        "save the document as .docx or as plain text (.txt)",
    ),
)
"""Text formats that are not a document's text: aligned as they are, their markup would
end up in the TM."""


def _refuse_markup(text: str, path: Path | str) -> None:
    head = text[:2000].lstrip("\ufeff \t\r\n")
    for pattern, kind, action in MARKUP:
        if pattern.match(head):
            raise input_error(path, f"looks like {kind}", action)


def _not_as_marked(path: Path | str, data: bytes, name: str, err: UnicodeDecodeError) -> InputError:
    """A file whose byte-order mark names an encoding its bytes break, said without the
    codec's words (``invalid continuation byte``, ``truncated data``) and at the file's
    offset: the UTF-8 codec counts from after the mark."""
    offset = err.start + (len(codecs.BOM_UTF8) if err.encoding == "utf-8" else 0)
    if err.end >= len(data) - (offset - err.start):
        what = f"cut off in the middle of a character at byte offset {offset}"
    elif name == "UTF-8":
        what = f"byte 0x{data[offset]:02x} at offset {offset} is not UTF-8"
    else:
        what = f"the bytes at offset {offset} are no {name} character"
    return input_error(
        path,
        f"starts with a {name} byte-order mark but is not valid {name} ({what})",
        "re-save it as UTF-8",
    )


def _control_share(controls: int, total: int) -> float:
    return controls / total if total else 0.0


def _checked_text(text: str, data: bytes, path: Path | str) -> str:
    """Refuse decoded text that is really binary: NULs or many control characters."""
    controls = len(_CONTROL_CHARS.findall(text))
    if "\x00" in text or _control_share(controls, len(text)) > MAX_CONTROL_SHARE:
        raise _binary_error(path, data)
    return text


def _binary_error(path: Path | str, data: bytes) -> InputError:
    kind = next((name for magic, name in SIGNATURES if data.startswith(magic)), None)
    problem = (
        f"looks like {kind}, not text" if kind else "looks binary, not text (NUL or control bytes)"
    )
    return input_error(path, problem, "supply the document as .txt, .docx or .pdf")


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Mostly-Latin UTF-16 without a BOM: NULs sit on one side of every byte pair."""
    if len(data) % 2:
        return None
    half = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    for zeros, others, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= 0.3 * half and others <= 0.01 * half:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None
    return _cjk_utf16_without_bom(data)


def _cjk_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Chinese (or other non-Latin) UTF-16 without a BOM: few NULs, but read in the right
    byte order it is all characters, while the wrong order turns its ASCII (line breaks,
    figures) into unassigned code points."""
    shares = {}
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        shares[codec] = (_character_share(text), text)
    if not shares:
        return None
    codec, (share, text) = max(shares.items(), key=lambda kv: kv[1][0])
    others = [s for c, (s, _) in shares.items() if c != codec]
    if share >= 0.99 and all(s < share for s in others):
        return text, codec
    return None


def _character_share(text: str) -> float:
    """The share of ``text`` that is letters, marks, figures, punctuation, symbols, spaces
    or line breaks: not controls, unassigned or private-use code points."""
    if not text:
        return 0.0
    good = sum(ch in "\n\r\t" or unicodedata.category(ch)[0] != "C" for ch in text)
    return good / len(text)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken bytes (rather than another encoding).

    Legacy CJK bytes form valid UTF-8 multi-byte sequences only by accident,
    far less often than they break it.
    """
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - broken
    return valid >= 8 and valid >= 4 * broken


def _accidental_utf8(text: str) -> bool:
    """UTF-8 without a single CJK character: in a short Chinese file, likely GB or Big5 bytes.

    One or two GB18030 characters are often valid UTF-8 (``为实`` is ``Ϊʵ``).
    """
    if _CJK.search(text):
        return False
    non_ascii = sum(1 for _ in islice(_NON_ASCII.finditer(text), SHORT_TEXT_CHARS + 1))
    return non_ascii <= SHORT_TEXT_CHARS


def _is_chinese(lang: str) -> bool:
    return base_language(lang) == "zh"


def _decode_legacy(data: bytes, lang: str) -> tuple[str, str] | None:
    """A non-UTF encoding: the Chinese choice for zh, else charset-normalizer's guess.

    When the guess is a single-byte code page, the language's usual Windows
    code page is taken instead if it reads the bytes: detectors confuse
    cp1250 and cp1252, which differ on letters such as è/č.
    """
    if _is_chinese(lang):
        return _decode_chinese(data, lang)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    codec = codecs.lookup(best.encoding).name
    if codec.replace("-", "_") in GB_CODECS | BIG5_CODECS:
        return _decode_chinese(data, lang)
    text = strict_decode(data, codec)
    preferred = CODE_PAGES.get(base_language(lang))
    if preferred and (text is None or len(text) == len(data)):
        preferred_text = strict_decode(data, preferred)
        if preferred_text is not None:
            return preferred_text, preferred
    return None if text is None else (text, codec)


def strict_decode(data: bytes, codec: str) -> str | None:
    """``data`` in ``codec``, or None where it is not valid there."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _decode_chinese(data: bytes, lang: str) -> tuple[str, str] | None:
    """GB18030 or Big5 (cp950 for Microsoft's extras, Big5-HKSCS for Hong Kong's characters),
    whichever reads as more ordinary Chinese.

    GB18030 is a superset of GB2312 and GBK and decodes nearly any byte string,
    Big5 text included, so being decodable decides little; the score does.
    """
    candidates: list[tuple[str, str]] = []
    gb = strict_decode(data, "gb18030")
    if gb is not None:
        candidates.append((gb, "gb18030"))
    for codec in ("big5", "cp950", "big5hkscs"):
        big5 = strict_decode(data, codec)
        if big5 is not None:
            candidates.append((big5, codec))
            break
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    gb_score = chinese_score(*candidates[0])
    big5_score = chinese_score(*candidates[1])
    if big5_score > gb_score or (big5_score == gb_score and declared_script(lang) == TRADITIONAL):
        return candidates[1]
    return candidates[0]


def chinese_score(text: str, codec: str) -> int:
    """How much ``text``, decoded with ``codec`` (GB or Big5 family), looks like ordinary Chinese.

    It counts CJK punctuation marks and common ideographs, "common" meaning in
    the first, most-used level of that codec's charset. Text decoded with the
    wrong codec lands on the same byte values, so its ideographs mostly fall
    outside the first level, and its punctuation turns into bopomofo or
    private-use characters.
    """
    charset = _CHARSET[codec]
    sample = Counter(text[:SCORE_SAMPLE_CHARS])
    return sum(n for ch, n in sample.items() if _counts(ch, charset))


def _counts(ch: str, charset: str) -> bool:
    if ch in CJK_PUNCTUATION:
        return True
    return "\u4e00" <= ch <= "\u9fff" and _first_level(ch, charset)


def _first_level(ch: str, charset: str) -> bool:
    try:
        code = int.from_bytes(ch.encode(charset), "big")
    except UnicodeEncodeError:
        return False
    lo, hi = _FIRST_LEVEL[charset]
    return lo <= code <= hi
