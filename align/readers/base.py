"""What every format reader provides, and the file checks they all share."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

from lxml import etree

from align.errors import InputError
from align.types import Layout

T = TypeVar("T")

MAX_INPUT_BYTES = 50 * 1024 * 1024
"""Inputs larger than this are refused before reading; set it to allow bigger files."""


class Reader(ABC):
    """Turns one file format into text.

    ``suffixes`` are the lower-case suffixes it handles (``".txt"``); ``magic``
    the leading bytes that identify the format when the suffix does not;
    ``layout`` whether its text comes one paragraph per line (``paragraphs``),
    wrapped as on a page (``wrapped``), or either (``auto``).
    """

    suffixes: tuple[str, ...] = ()
    magic: tuple[bytes, ...] = ()
    layout: Layout = "auto"

    def tools(self) -> str:
        """The libraries (and programs) this reader reads with, and their versions."""
        return ""

    @abstractmethod
    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        """Return the text and the encoding (or format label) it was read with.

        ``lang`` is a hint for guessing legacy encodings; raise ``InputError``
        when the file cannot be used.
        """


class LxmlReader(Reader):
    """A reader that parses its format with lxml, whose version is what it depends on."""

    def tools(self) -> str:
        return package_version("lxml")


_PDF_FORMS = re.compile(
    "[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufefe\u2f00-\u2fd5\u2e80-\u2ef3\uf900-\ufaff]"
)
"""Characters PDF text extraction leaves that stand for ordinary ones: Latin ligatures
(``ﬁ``), Arabic presentation forms (``ﻻ``), Kangxi and supplementary radicals (``⼈``)
and CJK compatibility ideographs."""


def plain_forms(text: str) -> tuple[str, int]:
    """``text`` with :data:`_PDF_FORMS` replaced by what they stand for (their NFKC form),
    and how many changed. A TM unit holding ``ﬁnancial`` or ``⼈⺠`` would never match the
    ``financial`` or ``人民`` a translator types."""
    changed = 0

    def plain(m: re.Match[str]) -> str:
        nonlocal changed
        out = unicodedata.normalize("NFKC", m.group())
        changed += out != m.group()
        return out

    return _PDF_FORMS.sub(plain, text), changed


def without_mark(text: str, mark: str) -> str:
    """A note's text without its own mark in front: Word types a custom mark there (an
    automatic one reads as nothing), LibreOffice writes it twice (in a .docx, and in a
    web page after the link back to the text). A note that opens with
    the mark's characters in a word or a figure (``1990``) keeps them."""
    for _ in range(2):
        rest = text[len(mark) :]
        if not mark or not text.startswith(mark) or (rest[:1].isalnum() and mark[-1].isalnum()):
            break
        text = rest.lstrip()
    return text


def package_version(name: str) -> str:
    """``NAME VERSION`` of an installed package, or just its name."""
    try:
        return f"{name} {version(name)}"
    except PackageNotFoundError:
        return name


def input_error(path: Path | str, problem: str, action: str) -> InputError:
    """An InputError whose message is one line: the file, what is wrong, what to do."""
    message = f"{path}: {problem}: {action}"
    return InputError(re.sub(r"\s*[\r\n]+\s*", " ", message))


def damage(err: BaseException) -> str:
    """What a reader's exception says of the file, in a translator's words: ``damaged``
    first, then what the library saw, without its repr quoting (a ``KeyError`` prints its
    message in quotes) or a bare class name (``IndexError``). zipfile's own words for a
    missing part (``There is no item named 'word/document.xml' in the archive``) are kept:
    tests/test_html_reader.py matches them."""
    text = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
    if isinstance(err, zipfile.BadZipFile) and text == "File is not a zip file":
        return "damaged, or another kind of file renamed"
    if isinstance(err, KeyError) and not text.startswith("There is no item named"):
        return f"damaged: it refers to a part it lacks ({text})" if text else "damaged"
    if isinstance(err, etree.XMLSyntaxError):
        line, column = err.position
        return f"damaged: one of its parts is garbled at line {line}, column {column}"
    return f"damaged: {text}" if text else "damaged"


def not_valid(path: Path | str, kind: str, err: BaseException, action: str) -> InputError:
    """The error for a file its reader cannot parse: ``is not a valid KIND (damaged: why)``."""
    return input_error(path, f"is not a valid {kind} ({damage(err)})", action)


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MiB ({size} bytes)"
    return f"{size} bytes"


def check_file(path: Path, max_bytes: int | None = None) -> int:
    """Check ``path`` is a readable, non-empty regular file within the size limit.

    Returns its size in bytes. Done before any reader runs so every format
    fails the same way on the same problems.
    """
    limit = MAX_INPUT_BYTES if max_bytes is None else max_bytes
    try:
        if not path.exists():
            raise input_error(path, "file does not exist", "check the path and the file name")
        if path.is_dir():
            raise input_error(path, "is a directory, not a file", "give the path of a document")
        if not path.is_file():
            raise input_error(path, "is not a regular file", "give the path of a document")
        size = path.stat().st_size
    except OSError as err:
        raise input_error(path, f"cannot be accessed ({err.strerror})", "check the path") from err
    if size > limit:
        raise input_error(
            path,
            f"is {size_label(size)}, over the input limit of {size_label(limit)}",
            "split the document, or save a copy without its pictures "
            "(read_document's max_bytes= raises the limit)",
        )
    if size == 0:
        raise input_error(
            path, "is empty (0 bytes)", "check that it was saved or exported completely"
        )
    return size


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an Office 97-2003 file starts, and an Office file encrypted with a password."""
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def office_container_error(path: Path, app: str, suffix: str, legacy: str) -> InputError | None:
    """The error for an Office 2007 file (``suffix``) that is not a zip package, where it is
    an OLE2 container instead: encrypted with a password to open (its package is the
    container's ``EncryptedPackage``), or an ``app`` 97-2003 file given the new suffix."""
    data = read_bytes(path)
    if not data.startswith(OLE2):
        return None
    if _ENCRYPTED_PACKAGE in data:
        return input_error(
            path,
            "is encrypted with a password to open",
            f"open it in {app} and save a copy without the password",
        )
    return input_error(
        path,
        f"is a {app} 97-2003 file, not a {suffix}",
        f"rename it to {legacy}, or save it as {suffix}",
    )


def read_package(
    path: Path,
    read: Callable[[zipfile.ZipFile], T],
    app: str,
    suffix: str,
    legacy: str,
    action: str,
) -> T:
    """``read(package)`` of an Office 2007 file (a zip of XML parts). One whose parts are
    missing or damaged is ``not a valid SUFFIX``, with ``action``; one encrypted, or an
    old ``legacy`` file renamed, says so (:func:`office_container_error`)."""
    try:
        with zipfile.ZipFile(path) as package:
            return read(package)
    except (zipfile.BadZipFile, KeyError, IndexError, ValueError, etree.XMLSyntaxError) as err:
        sealed = office_container_error(path, app, suffix, legacy)
        if sealed is not None:
            raise sealed from err
        raise not_valid(path, suffix, err, action) from err


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise input_error(
            path, f"cannot be read ({err.strerror})", "check its permissions"
        ) from err
