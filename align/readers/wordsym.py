"""Characters Word draws from symbol fonts, as the Unicode a translator types.

Word inserts ``≥``, ``±`` or a tick from *Insert > Symbol* as ``w:sym`` (a font
and a code in it, not a character), and list bullets as a code in Symbol or
Wingdings. A reader that skipped them would turn ``≥ 5 per cent`` into
``5 per cent`` beside the other language's ``≥5%``; one that kept the code
would put a private-use character in the TM that matches nothing.
"""

from __future__ import annotations

import re

_SYMBOL = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
        "abcdefghijklmnopqrstuvwxyz{|}~",
        " !∀#∃%&∍()∗+,−./0123456789:;<=>?≅ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ[∴]⊥_‾"
        "αβχδεφγηιϕκλμνοπθρστυϖωξψζ{|}∼",
        strict=True,
    )
)
_SYMBOL.update(
    zip(
        map(chr, range(0xA1, 0xFF)),
        "ϒ′≤⁄∞ƒ♣♦♥♠↔←↑→↓°±″≥×∝∂•÷≠≡≈…⏐⎯↵ℵℑℜ℘⊗⊕∅∩∪⊃⊇⊄⊂⊆∈∉∠∇®©™∏√⋅¬∧∨⇔⇐⇑⇒⇓◊〈®©™∑"
        "⎛⎜⎝⎡⎢⎣⎧⎨⎩⎪€〉∫⌠⎮⌡⎞⎟⎠⎤⎥⎦⎫⎬⎭",
        strict=True,
    )
)
"""The Symbol font's characters (Adobe's Symbol encoding) by the code Word stores."""

_WINGDINGS = {
    "l": "●", "n": "■", "q": "❑", "u": "◆", "v": "❖", "§": "▪", "Ø": "➢", "ü": "✓",
    "û": "✗", "ý": "☒", "þ": "☑", "o": "□", "¨": "◻", "Ÿ": "•", "à": "→", "è": "➔",
}  # fmt: skip
"""Wingdings characters used as bullets and ticks."""

FONTS = {"symbol": _SYMBOL, "wingdings": _WINGDINGS}

SYMBOL_CODES = re.compile("[\uf020-\uf0ff]")
"""Where Word and PDFs made from it put a symbol font's characters (U+F000 + the code)."""


def symbol_font(name: str | None) -> str | None:
    """The key in :data:`FONTS` of a font name as Word or a PDF gives it (``Symbol``,
    ``ABCDEF+SymbolMT``, ``Wingdings-Regular``), or None for any other font."""
    base = (name or "").lstrip("/").split("+", 1)[-1].lower()
    return next((key for key in FONTS if base.startswith(key)), None)


def symbol(font: str | None, char: str) -> str:
    """What ``char`` draws in ``font``: Unicode for Symbol and Wingdings (whose codes
    Word stores as is or moved to U+F0xx), ``•`` for another symbol font's private-use
    code, and ``char`` itself in any other font."""
    table = FONTS.get(symbol_font(font) or "")
    code = chr(ord(char) - 0xF000) if "\uf020" <= char <= "\uf0ff" else char
    if table is not None:
        return table.get(code, "•")
    return "•" if "\ue000" <= char <= "\uf8ff" else char


def sym(font: str | None, hex_code: str | None) -> str:
    """A ``w:sym`` element's character: ``hex_code`` is its ``w:char`` (``F0B3``)."""
    try:
        return symbol(font, chr(int(hex_code or "", 16)))
    except (ValueError, OverflowError):
        return ""
