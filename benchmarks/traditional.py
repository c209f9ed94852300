"""Gold sets in Traditional Chinese, made from the Simplified ones, for measuring how the
aligner does on Taiwan and Hong Kong documents (no Traditional gold set is at hand).

The conversion is CC-CEDICT's: each word by longest match, a lone character as the
traditional form its words most often give it. It is a test input, not a product
feature: regional vocabulary (软件 → 軟體) is not converted, only the script.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from align.lexicon import cedict_entries  # noqa: E402  (the checkout's, not an installed copy)

LONGEST_WORD = 6


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    words: dict[str, str] = {}
    single: dict[str, Counter[str]] = defaultdict(Counter)
    for trad, simp, _ in cedict_entries():
        if len(trad) == len(simp):
            if len(simp) > 1:
                words.setdefault(simp, trad)
            for s, t in zip(simp, trad, strict=True):
                single[s][t] += 1
    return words, {s: found.most_common(1)[0][0] for s, found in single.items()}


def to_traditional(text: str) -> str:
    """``text`` in Traditional characters (one character for one, so line numbers and
    lengths stay)."""
    words, single = _tables()
    out, i = [], 0
    while i < len(text):
        for size in range(min(LONGEST_WORD, len(text) - i), 1, -1):
            if text[i : i + size] in words:
                out.append(words[text[i : i + size]])
                i += size
                break
        else:
            out.append(single.get(text[i], text[i]))
            i += 1
    return "".join(out)


def traditional_set(folder: Path, src_lang: str, out: Path) -> Path:
    """A copy of the gold set ``folder`` under ``out`` whose ``src_lang`` files are in
    Traditional characters; the other folders are linked, not copied."""
    out.mkdir(parents=True, exist_ok=True)
    for part in folder.iterdir():
        target = out / part.name
        if part.name == src_lang:
            target.mkdir(exist_ok=True)
            for f in part.iterdir():
                (target / f.name).write_text(
                    to_traditional(f.read_text(encoding="utf-8")), encoding="utf-8"
                )
        elif not target.exists():
            target.symlink_to(part.resolve())
    return out
