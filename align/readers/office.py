"""Word 97–2003 (.doc), RTF and OpenDocument (.odt) files, read through LibreOffice.

The UN's documents from before 2007 are on file as .doc, and translators keep
archives of them; RTF and .odt are what other tools save. LibreOffice (the
Debian package ``libreoffice-writer-nogui``) turns each into a .docx in a
temporary folder, which the .docx reader then reads, footnotes, numbered
paragraphs and all. Nothing is written beside the input.

Each process keeps one LibreOffice profile of its own for its conversions, so
parallel batch workers do not wait on one another's, and a user's own LibreOffice
settings are never touched.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import tempfile
import threading
from functools import cache
from pathlib import Path

from align.errors import InputError
from align.readers.base import OLE2, Reader, input_error
from align.readers.docx import READER as DOCX

CONVERT_TIMEOUT = 300
"""Seconds one conversion may take before the file is given up on."""

INSTALL = "install LibreOffice (on Debian or Ubuntu: apt-get install libreoffice-writer-nogui)"

_KINDS = {".doc": "Word 97-2003", ".rtf": "RTF", ".odt": "OpenDocument"}
_FILTERS = {".doc": "MS Word 97", ".rtf": "Rich Text Format", ".odt": "writer8"}
"""LibreOffice's import filter for each: named, so that a damaged file is refused rather
than read as plain text, which LibreOffice falls back to."""

_profile: Path | None = None
_profile_pid = 0
_lock = threading.Lock()


PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "C:/Program Files/LibreOffice/program/soffice.exe",
    "C:/Program Files (x86)/LibreOffice/program/soffice.exe",
)
"""Where LibreOffice installs itself on macOS and Windows, whose installers leave it off
the PATH."""


def office_program() -> str | None:
    """The LibreOffice command on this machine, if any: on the PATH, or where its
    installer puts it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((place for place in PLACES if Path(place).is_file()), None)


def _profile_dir() -> Path:
    """This process's LibreOffice profile (a forked child makes its own)."""
    global _profile, _profile_pid
    if _profile is None or _profile_pid != os.getpid():
        _profile, _profile_pid = Path(tempfile.mkdtemp(prefix="align-office-")), os.getpid()
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _KINDS:
        return suffix
    with path.open("rb") as stream:
        return ".doc" if stream.read(8) == OLE2 else ".rtf"


def to_docx(path: Path, outdir: Path, suffix: str | None = None) -> Path:
    """Convert ``path`` into a .docx inside ``outdir`` with LibreOffice; its path.

    ``suffix`` (``.doc``, ``.rtf``, ``.odt``) says what it is, where the caller knows."""
    program = office_program()
    suffix = suffix or _suffix(path)
    if program is None:
        raise input_error(
            path, f"reading {suffix} files needs LibreOffice", f"{INSTALL}, or save it as .docx"
        )
    source = outdir / f"input{suffix}"
    shutil.copyfile(path, source)
    command = [
        program,
        f"-env:UserInstallation={_profile_dir().as_uri()}",
        "--headless",
        "--norestore",
        f"--infilter={_FILTERS[suffix]}",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(outdir),
        str(source),
    ]
    with _lock:
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired as err:
            raise input_error(
                path,
                f"LibreOffice did not convert it within {CONVERT_TIMEOUT} s",
                "open it and save it as .docx",
            ) from err
    converted = outdir / "input.docx"
    if done.returncode != 0 or not converted.is_file() or converted.stat().st_size == 0:
        said = [line for line in (done.stderr or "").splitlines() if "javaldx" not in line]
        reason = said[-1].strip() if said else f"exit status {done.returncode}"
        raise input_error(
            path,
            f"is not a {_KINDS[suffix]} document LibreOffice can read ({reason})",
            "open it and save it as .docx, or supply it as .txt or .pdf",
        )
    return converted


@cache
def office_version() -> str:
    """``LibreOffice 7.4.7.2``, as the program says of itself (once per process)."""
    program = office_program()
    if program is None:
        return "LibreOffice"
    try:
        said = subprocess.run(
            [program, f"-env:UserInstallation={_profile_dir().as_uri()}", "--version"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "LibreOffice"
    found = re.search(r"LibreOffice\s+[\d.]+", said)
    return found.group() if found else "LibreOffice"


class OfficeReader(Reader):
    suffixes = tuple(_KINDS)
    magic = (OLE2, b"{\\rtf")
    layout = "paragraphs"

    def tools(self) -> str:
        return f"{office_version()}, {DOCX.tools()}"

    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        suffix = _suffix(path)
        with tempfile.TemporaryDirectory(prefix="align-convert-") as tmp:
            converted = to_docx(path, Path(tmp), suffix)
            try:
                text, _ = DOCX.read(converted, lang)
            except InputError as err:
                raise InputError(str(err).replace(str(converted), str(path))) from err
        return text, f"{suffix.lstrip('.')} via LibreOffice"


READER = OfficeReader()
