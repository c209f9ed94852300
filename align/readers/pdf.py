"""PDF files with a text layer (the ``pdf`` extra): page texts in order, one newline apart."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from align.errors import InputError
from align.readers.base import Reader, input_error

NO_TEXT = ("has no text layer (scanned?)", "run OCR first, or supply the .txt/.docx")


class PdfReader(Reader):
    suffixes = (".pdf",)
    magic = (b"%PDF-",)
    layout = "wrapped"

    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        try:
            import pypdf
        except ImportError as err:
            raise input_error(
                path, "reading .pdf needs the 'pdf' extra", "pip install 'un-align[pdf]'"
            ) from err
        locked = ("is password-protected", "save an unprotected copy and read that")
        try:
            with _quiet("pypdf"):
                reader = pypdf.PdfReader(str(path))
                if reader.is_encrypted and not reader.decrypt(""):
                    raise input_error(path, *locked)
                pages = [page.extract_text() or "" for page in reader.pages]
        except InputError:
            raise
        except pypdf.errors.FileNotDecryptedError as err:
            raise input_error(path, *locked) from err
        except pypdf.errors.DependencyError as err:
            raise input_error(
                path, f"is encrypted and cannot be opened here ({err})", "pip install cryptography"
            ) from err
        except Exception as err:  # pypdf raises many kinds on a damaged file
            reason = str(err) or type(err).__name__
            raise input_error(
                path, f"is not a valid PDF ({reason})", "re-export it, or supply the .txt/.docx"
            ) from err
        if not any(page.strip() for page in pages):
            raise input_error(path, *NO_TEXT)
        return "\n".join(pages), "pdf"


READER = PdfReader()


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Silence a library's warnings about repairable flaws while it reads one file."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
