"""JSON Lines carrying the whole Alignment, so a review tool can reopen it exactly.

Line 1 is a header (languages, document, signature, counts); then one line per
source segment, one per target segment, and one per bead, including beads with
an empty side. Beads repeat their texts, kind and paragraphs so each line can be
read on its own; ``loads`` rebuilds from the segment and bead fields only.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from typing import Any

from align import __version__
from align.errors import InputError
from align.types import Alignment, Bead, Segment, block_kind
from align.writers.base import Rendered, Writer, paragraphs

FORMAT = "un-align-jsonl"
VERSION = 1
_SURROGATE = re.compile("[\ud800-\udfff]")


def _line(obj: dict[str, Any]) -> str:
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    # A lone surrogate cannot be UTF-8 encoded; as a JSON escape it survives the round trip.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _segment(side: str, i: int, s: Segment) -> dict[str, Any]:
    return {
        "type": "segment",
        "side": side,
        "id": i,
        "text": s.text,
        "paragraph": int(s.paragraph),
        "start": int(s.start),
        "end": int(s.end),
        "kind": s.kind,
        "footnote": s.footnote,
        "links": list(s.links),
    }


def _confidence(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


class JsonlWriter(Writer):
    name = "jsonl"
    suffix = ".jsonl"
    readable = True

    def render(
        self,
        alignment: Alignment,
        *,
        include_empty: bool = False,
        include_untranslated: bool = False,
        date: datetime | str | None = None,
        src_lang_code: str | None = None,
        tgt_lang_code: str | None = None,
    ) -> Rendered:
        """Everything, always: ``include_empty``, ``include_untranslated`` and the TMX-only
        options are ignored."""
        a = alignment
        lines = [
            _line(
                {
                    "type": "header",
                    "format": FORMAT,
                    "version": VERSION,
                    "tool": f"un-align {__version__}",
                    "src_lang": a.src_lang,
                    "tgt_lang": a.tgt_lang,
                    "document": a.document,
                    "signature": dict(a.signature),
                    "segments": {"src": len(a.src), "tgt": len(a.tgt)},
                    "beads": len(a.beads),
                }
            )
        ]
        lines += [_line(_segment("src", i, s)) for i, s in enumerate(a.src)]
        lines += [_line(_segment("tgt", j, s)) for j, s in enumerate(a.tgt)]
        for n, bead in enumerate(a.beads, 1):
            lines.append(
                _line(
                    {
                        "type": "bead",
                        "n": n,
                        "src": [int(i) for i in bead.src],
                        "tgt": [int(j) for j in bead.tgt],
                        "confidence": _confidence(bead.confidence),
                        "similarity": bead.similarity,
                        "stray": list(bead.stray) if bead.stray else None,
                        "moved": bead.moved,
                        "alternative": (
                            [list(bead.alternative[0]), list(bead.alternative[1])]
                            if bead.alternative
                            else None
                        ),
                        "kind": bead.kind,
                        "src_text": a.src_text(bead),
                        "tgt_text": a.tgt_text(bead),
                        "paragraphs": {
                            "src": paragraphs(a.src, bead.src),
                            "tgt": paragraphs(a.tgt, bead.tgt),
                        },
                    }
                )
            )
        data = ("\n".join(lines) + "\n").encode("utf-8")
        return Rendered(data, len(a.beads))

    def loads(self, data: bytes) -> Alignment:
        """Rebuild the Alignment ``dumps`` wrote; InputError (with the line) if it cannot."""
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        # Split on LF only: U+2028 and friends may sit raw inside JSON strings.
        records = [(n, raw) for n, raw in enumerate(data.split(b"\n"), 1) if raw.strip()]
        if not records:
            raise InputError("empty JSONL: expected a header line first")
        objs = [(n, _decode(n, raw)) for n, raw in records]
        n, head = objs[0]
        if head.get("type") != "header" or head.get("format") != FORMAT:
            raise InputError(f"JSONL line {n}: not an un-align header: was it written by us?")
        if head.get("version") != VERSION:
            raise InputError(
                f"JSONL line {n}: format version {head.get('version')!r}, this tool reads "
                f"{VERSION}: use a matching un-align version"
            )
        try:
            a = Alignment(
                src_lang=str(head["src_lang"]),
                tgt_lang=str(head["tgt_lang"]),
                src=[],
                tgt=[],
                beads=[],
                signature={str(k): str(v) for k, v in head.get("signature", {}).items()},
                document=str(head.get("document", "")),
            )
            want = (int(head["segments"]["src"]), int(head["segments"]["tgt"]), int(head["beads"]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"JSONL line {n}: bad header ({exc!r}): the file is damaged") from None
        for n, obj in objs[1:]:
            try:
                _add_record(a, obj)
            except (KeyError, TypeError, ValueError) as exc:
                raise InputError(f"JSONL line {n}: bad {obj.get('type')} record: {exc}") from None
        got = (len(a.src), len(a.tgt), len(a.beads))
        if want != got:
            raise InputError(
                f"JSONL has {got[0]}/{got[1]} segments and {got[2]} beads, header says "
                f"{want[0]}/{want[1]} and {want[2]}: the file is truncated or damaged"
            )
        _check_coverage(a)
        return a


def _decode(n: int, raw: bytes) -> dict[str, Any]:
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(
            f"JSONL line {n}: byte 0x{exc.object[exc.start]:02x} is not UTF-8: the file is damaged"
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"JSONL line {n}: not a whole record (it breaks off or is garbled at character "
            f"{exc.colno}): the file is damaged; align the pair again to remake it"
        ) from None
    if not isinstance(obj, dict):
        raise InputError(f"JSONL line {n}: expected an object: the file is damaged")
    return obj


def _add_record(a: Alignment, obj: dict[str, Any]) -> None:
    kind = obj["type"]
    if kind == "segment":
        side = a.src if obj["side"] == "src" else a.tgt if obj["side"] == "tgt" else None
        if side is None or obj["id"] != len(side):
            raise ValueError(f"side {obj['side']!r} id {obj['id']!r} out of order")
        seg_kind = block_kind(obj["kind"])
        if seg_kind is None:
            raise ValueError(f"unknown segment kind {obj['kind']!r}")
        side.append(
            Segment(
                text=str(obj["text"]),
                paragraph=int(obj["paragraph"]),
                start=int(obj["start"]),
                end=int(obj["end"]),
                kind=seg_kind,
                footnote=obj["footnote"],
                links=tuple(str(u) for u in obj["links"]),
            )
        )
    elif kind == "bead":
        src, tgt = tuple(int(i) for i in obj["src"]), tuple(int(j) for j in obj["tgt"])
        if not _in_range(a, src, tgt):
            raise ValueError(f"segment index out of range in {list(src)}/{list(tgt)}")
        conf, sim, stray = obj["confidence"], obj.get("similarity"), obj.get("stray")
        if stray is not None and (
            stray[0] not in ("src", "tgt")
            or int(stray[1]) not in (src if stray[0] == "src" else tgt)
        ):
            raise ValueError(f"stray {stray} is not a sentence of bead {list(src)}/{list(tgt)}")
        rival = obj.get("alternative")
        alternative = None
        if rival is not None:
            alternative = (tuple(int(i) for i in rival[0]), tuple(int(j) for j in rival[1]))
            if not _in_range(a, *alternative):
                raise ValueError(f"alternative {rival} names a segment out of range")
        a.beads.append(
            Bead(
                src,
                tgt,
                math.nan if conf is None else float(conf),
                None if sim is None else float(sim),
                None if stray is None else (str(stray[0]), int(stray[1])),
                alternative,
                bool(obj.get("moved", False)),
            )
        )
    else:
        raise ValueError(f"unknown record type {kind!r}")


def _in_range(a: Alignment, src: tuple[int, ...], tgt: tuple[int, ...]) -> bool:
    """Every index names a segment of its side."""
    return all(0 <= i < len(a.src) for i in src) and all(0 <= j < len(a.tgt) for j in tgt)


def _check_coverage(a: Alignment) -> None:
    """Every sentence in exactly one bead, as the aligner leaves them: a sentence in
    none would be neither a unit nor reported unaligned, lost without a word, and one
    in two would be written twice."""
    for name, segments, ids in (
        ("source", a.src, [b.src for b in a.beads]),
        ("target", a.tgt, [b.tgt for b in a.beads]),
    ):
        homes: dict[int, list[int]] = {}
        for n, bead in enumerate(ids, 1):
            for i in bead:
                homes.setdefault(i, []).append(n)
        for i in range(len(segments)):
            found = homes.get(i, [])
            if len(found) == 1:
                continue
            where = (
                "in no bead"
                if not found
                else f"twice in bead {found[0]}"
                if found[0] == found[1]
                else f"in beads {found[0]} and {found[1]}"
            )
            raise InputError(
                f"JSONL {name} sentence #{i} is {where}: the file was edited or damaged: "
                "align the pair again"
            )
