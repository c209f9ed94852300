"""Tiny document pairs cut from corpora/A_77_L.107 for the batch tests, and output comparison.

The pairs are made of the shortest reference beads, disjoint between pairs, so
that nothing the encoder gets (a sentence, or the first or last clause of one)
is shared across pairs: every executor then sends the encoder the same texts in
the same batches and the outputs must be identical byte for byte. (A text another
pair put in the cache first would leave its batch, and the encoder's output moves
by about 1e-7 with the batch a text is in.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from align.pipeline import prepare
from align.readers import read_document
from align.signals import edge_clauses

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "A_77_L.107"


def reference_beads() -> tuple[list[str], list[str], list[tuple[list[int], list[int]]]]:
    """The cleaned zh and en sentences of A/77/L.107 and its hand-checked beads."""
    zh = [s.text for s in prepare(read_document(CORPUS / "zh.txt", "zh")).segments]
    en = [s.text for s in prepare(read_document(CORPUS / "en.txt", "en")).segments]
    beads = []
    for line in (CORPUS / "reference.align").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            src, tgt = line.split("\t")[0].split(":")
            beads.append((ast.literal_eval(src), ast.literal_eval(tgt)))
    return zh, en, beads


def encoder_texts(sentences: list[str], lang: str) -> set[str]:
    """The sentences and their edge clauses (:func:`align.signals.edge_clauses`)."""
    clauses = {c for s in sentences for c in edge_clauses(s, lang) if c is not None}
    return set(sentences) | clauses


def as_paragraphs(sentences: list[str]) -> str:
    """One paragraph per sentence, marked as the UN extractions mark paragraph starts."""
    return "\n\n".join(" " + s for s in sentences) + "\n"


def write_tiny_corpus(folder: Path, pairs: int = 6, beads_per_pair: int = 3) -> list[str]:
    """``docN.zh.txt``/``docN.en.txt`` pairs in ``folder``; returns their ids."""
    zh, en, beads = reference_beads()
    shortest = sorted(range(len(beads)), key=lambda i: len(zh[beads[i][0][0]]))
    groups: list[list[int]] = [[] for _ in range(pairs)]
    owner: dict[str, int] = {}
    for i in shortest:
        k = sum(map(len, groups)) % pairs
        if len(groups[k]) == beads_per_pair:
            break
        texts = encoder_texts([zh[j] for j in beads[i][0]], "zh") | encoder_texts(
            [en[j] for j in beads[i][1]], "en"
        )
        if all(owner.get(text, k) == k for text in texts):
            groups[k].append(i)
            owner.update(dict.fromkeys(texts, k))
    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for k in range(pairs):
        group = sorted(groups[k])
        name = f"doc{k}"
        src = [zh[j] for i in group for j in beads[i][0]]
        tgt = [en[j] for i in group for j in beads[i][1]]
        (folder / f"{name}.zh.txt").write_text(as_paragraphs(src), encoding="utf-8")
        (folder / f"{name}.en.txt").write_text(as_paragraphs(tgt), encoding="utf-8")
        ids.append(name)
    return ids


def without_dates(data: bytes) -> bytes:
    return re.sub(rb' creationdate="[^"]*"', b"", data)


def outputs(outdir: Path) -> dict[str, bytes]:
    """Every per-pair output under OUTDIR (TMX without its creation date), by relative path."""
    found = {}
    for path in sorted((outdir / "tmx").rglob("*.tmx")) + sorted((outdir / "jsonl").rglob("*")):
        if path.is_file():
            found[path.relative_to(outdir).as_posix()] = without_dates(path.read_bytes())
    return found


def journal_ids(outdir: Path) -> list[str]:
    """Pair ids in journal order, one per line (torn lines would fail the json parse)."""
    import json

    lines = (outdir / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["id"] for line in lines if line.strip()]
