"""Web archives (.mht, .mhtml): Word's "single file web page" and a browser's "save as
MHTML". The archive is a MIME message; its first HTML part is the page, read as the
web page reader reads a page. The other parts are its images, styles and (from Word)
the page headers and footers, which are page furniture.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

from align.readers.base import LxmlReader, input_error, read_bytes
from align.readers.html import page_text, read_page


class MhtmlReader(LxmlReader):
    suffixes = (".mht", ".mhtml")
    magic = (b"MIME-Version:", b"From: <Saved by")
    layout = "paragraphs"

    def read(self, path: Path, lang: str = "") -> tuple[str, str]:
        part = _page_part(read_bytes(path))
        if part is None:
            raise input_error(
                path,
                "is not a web archive with a page in it (no text/html part)",
                "open it in a browser or Word and save it as a web page (.html) or .docx",
            )
        data = part.get_payload(decode=True)
        text, encoding = page_text(
            data if isinstance(data, bytes) else b"", lang, path, part.get_content_charset()
        )
        return read_page(text, path), f"mhtml, {encoding}"


READER = MhtmlReader()


def _page_part(data: bytes) -> EmailMessage | None:
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part
    return None
