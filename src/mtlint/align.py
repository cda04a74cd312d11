"""Sentence alignment of a document with its translation.

The method follows the ideas of Vecalign (Thompson & Koehn 2019) and
Bertalign (Liu & Zhu 2022), in code of our own:

* **Vectors.** Every non-blank sentence is embedded once by the encoder. A
  group of consecutive sentences (one side of a 1-2, 3-1, 2-2 ... link) is
  represented by the normalised sum of its sentences' vectors, each
  weighted by the square root of its length in characters: no encoder
  call, so the aligner asks the encoder for exactly one text per non-blank
  sentence. With ``encoded_overlap=k`` the groups of up to ``k`` sentences
  are embedded for real instead, joined with a space, as Vecalign does; on
  the Bleualign dev set that costs k texts per sentence and scores lower
  (see docs/benchmarks.md).
* **Gain of a link** (source group x, target group y), summed along the path:
  ``margin - length_weight * GC + anchor_weight * anchors
  + weak_break_bonus * doubtful_breaks - coverage_weight * uncovered``, where

  - ``margin = cos(x, y) - (cos(x, mean target) + cos(y, mean source)) / 2``,
    the cosine minus what each side scores on average against the other
    document: Vecalign's normalisation by random sentences, made exact and
    deterministic. It removes the pull of long, "average" groups and of
    hub sentences;
  - ``GC`` is Gale & Church's squared length deviation ``delta**2 / 2``
    (capped), with the document pair's own character ratio;
  - ``anchors = shared - 0.5 * unmatched`` counts the numbers (locale
    separators dropped: 12,000 = 12.000) and names (capitalised words)
    found in both documents, within the link: it rewards links whose
    numbers and names agree and keeps a boundary from cutting a number off
    its translation;
  - ``doubtful_breaks`` counts the sentence breaks inside the link that
    look unreliable (after a colon or an abbreviation, before a lower-case
    letter; see :func:`weak_boundary`): translators and sentence splitters
    disagree there most;
  - ``uncovered`` sums, over the sentences of a multi-sentence side, how far
    each sentence's own margin with the other side falls short of 0.02
    (about the 80th percentile of random pairs; in the second search, the
    document's threshold below), scaled by its length up to
    30 characters; sentences joined to the group by a doubtful break are
    exempt. Without it an omitted or added sentence slips into a
    neighbouring link at little cost, since it barely moves a summed vector.

  A null link (1-0 or 0-1) costs ``null_penalty`` in the first search,
  proportionally less for a sentence shorter than 30 characters (page
  debris such as ``.....``).
* **The document's scale.** Margins differ from document to document (a
  typical 1-1 translation pair scores about 0.10 on a TED talk, 0.16 on
  Wikipedia sentences with e5-small, far more with other encoders), so fixed
  thresholds in cosine units make omissions too cheap in one document and
  too dear in another. The search therefore runs twice: the first path's 1-1
  links give the document's typical margin ``tau`` (their median), and the
  second search states its thresholds in units of ``tau``:

  - a null link costs ``null_ratio * tau`` (same length scaling);
  - a sentence grouped into a multi-sentence link must reach
    ``cover_ratio * tau`` (at least 0.02) on its own. On the synthetic
    training families (bench/align_families.py --calibration) a sentence
    of a genuine n-m link scores 0.18-0.49 ``tau`` against the other side
    at its 10th percentile (median 0.5-0.75), a deleted or inserted sentence
    against its neighbour's link about 0 (median; 90th percentile
    0.07-0.36);
  - a 1-1 link whose margin falls below ``floor_ratio * tau`` pays
    ``floor_weight`` per unit short. A 1-1 link of two unrelated sentences
    still gains about 0 (a random pair's margin), more than the two null
    links that would describe it, so an omission directly next to an
    addition came out as one wrong 1-1 link; the floor makes 1-0 + 0-1 the
    better reading of a pair far below the document's own level. The same
    floor raises the coverage threshold of links with several sentences on
    both sides, so the pair cannot hide in a 2-2 link with a neighbour
    either.

  Vecalign sets its null cost from the document too (a percentile of random
  pairs' costs); relative to the document's own translations, these hold
  for any encoder and language pair (tests/test_align.py aligns synthetic
  documents whose margins range from 0.05 to 0.9 with the same settings).
* **Search.** Dynamic programming finds the monotone chain of links of
  highest total gain, with link shapes a-b for 1 <= a, b <= max_overlap and
  a + b <= max_link, plus 1-0 and 0-1. To stay linear in time and memory it
  runs coarse to fine: blocks of 2, 4, 8 ... sentences (vectors summed) are
  aligned first, exhaustively only at the coarsest level (at most
  ``coarse_size`` blocks a side), and each finer level searches a band of
  ``band`` cells around the path projected from the coarser one.

Blank sentences (empty after stripping, as in pre-segmented input) are
never embedded: a blank that falls inside a multi-sentence group of its own
side joins that link; any other blank becomes a null link of its own.
"""
from __future__ import annotations

import ast
import re
import unicodedata
import zlib
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Link:
    source: tuple[int, ...]   # source sentence indices (empty for an added target sentence)
    target: tuple[int, ...]   # target sentence indices (empty for an omitted source sentence)
    score: float              # similarity-based confidence in [0, 1] (0 for null links)

    @property
    def is_null(self) -> bool:
        """True for a source sentence left untranslated or a target sentence added."""
        return not self.source or not self.target

    @property
    def kind(self) -> str:
        """``"1-1"``, ``"1-2"``, ``"1-0"``, ``"0-1"`` ..."""
        return f"{len(self.source)}-{len(self.target)}"


# --------------------------------------------------------------------------
# the alignment format of Vecalign and of the Bleualign gold files

def to_vecalign(links: Iterable) -> str:
    """One link per line, ``[0, 1]:[0]``; null links ``[3]:[]`` and ``[]:[4]``."""
    lines = []
    for link in links:
        src, tgt = (link.source, link.target) if isinstance(link, Link) else link
        lines.append(f"{list(src)}:{list(tgt)}")
    return "".join(line + "\n" for line in lines)


def parse_vecalign(text: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Reads ``[0]:[0, 1]`` lines; a third ``:score`` field is ignored, blank lines skipped."""
    links = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        fields = line.split(":")
        try:
            if len(fields) < 2:
                raise ValueError
            src, tgt = ast.literal_eval(fields[0].strip()), ast.literal_eval(fields[1].strip())
            links.append((tuple(int(i) for i in src), tuple(int(j) for j in tgt)))
        except (ValueError, SyntaxError, TypeError):
            raise ValueError(f"line {number}: expected '[i, ...]:[j, ...]', got {line!r}") from None
    return links


# --------------------------------------------------------------------------
# cheap anchors: numbers and names

_NUMBER = re.compile(r"\d+(?:[.,'\u2019\u00a0\u202f]\d+)*")
_WORD = re.compile(r"[^\W\d_][\w\-]*")
_ANCHOR_DIM = 256      # anchors are hashed into this many slots
_ANCHOR_MISS = 0.5     # an anchor without its counterpart costs half what a shared one earns


def anchors(text: str) -> set[str]:
    """Candidate anchors of a sentence: numbers with their separators dropped
    (12,000 = 12.000 = 12000; 8839,8 = 8839.8) and words of three letters or
    more that hold a capital. :func:`align` keeps only the anchors found in
    both documents: names and numbers stay, while German common nouns, also
    capitalised, rarely occur in the translation."""
    found = {"#" + re.sub(r"\D", "", m.group()) for m in _NUMBER.finditer(text)}
    for match in _WORD.finditer(text):
        word = match.group()
        if len(word) >= 3 and not word.islower():
            found.add(unicodedata.normalize("NFC", word))
    return found


def _anchor_rows(sets: Sequence[set[str]], keep: set[str]) -> np.ndarray:
    rows = np.zeros((len(sets), _ANCHOR_DIM), dtype=np.uint8)
    for row, found in enumerate(sets):
        for token in found & keep:
            rows[row, zlib.crc32(token.encode("utf-8")) % _ANCHOR_DIM] = 1  # crc32: stable across runs
    return rows


_ABBREVIATION_END = re.compile(r"(?:^|[\s(.])[^\W\d_]{1,2} ?\.$")


def weak_boundary(before: str, after: str) -> bool:
    """Does the sentence break between ``before`` and ``after`` look doubtful? It
    does after a colon, semicolon or comma, after a short abbreviation or an
    initial (``Ch .``, ``Nr.``), and before a lower-case letter: such breaks
    fall inside a gold link about half the time, others one time in eight."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after:
        return False
    if after[0].islower() or before[-1] in ":;,":
        return True
    return bool(_ABBREVIATION_END.search(before))


# --------------------------------------------------------------------------
# one side of the alignment

def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def _cumulative(values: np.ndarray) -> np.ndarray:
    """out[s] = values[0] + ... + values[s-1] (float64), so that a window sum is out[s+k] - out[s]."""
    values = np.asarray(values, dtype=np.float64)
    return np.concatenate([np.zeros((1,) + values.shape[1:]), np.cumsum(values, axis=0)])


class _Groups:
    """Features of the groups of k consecutive sentences starting at a few positions."""

    __slots__ = ("vectors", "base", "chars", "anchors", "anchor_count", "weak")


class _Side:
    """One side: sentence vectors, lengths, anchors and doubtful breaks.

    Group features (vector, length, anchors, doubtful breaks inside) are
    computed on demand for the few groups a block of DP cells needs, from
    the sentences' values, so that memory stays proportional to the number
    of sentences whatever the largest group."""

    def __init__(self, vectors: np.ndarray, chars: Sequence[float], anchor_rows: np.ndarray | None = None,
                 weak: Sequence[bool] | None = None, weight_power: float = 0.5) -> None:
        self.n = len(vectors)
        self.single = np.ascontiguousarray(vectors, dtype=np.float32)
        self.chars = np.asarray(chars, dtype=np.float64)
        self.weighted = self.single * (np.maximum(self.chars, 1.0) ** weight_power)[:, None].astype(np.float32)
        self.anchor_rows = anchor_rows
        self.cum_chars = _cumulative(self.chars)
        weak = np.zeros(max(self.n - 1, 0)) if weak is None else np.asarray(weak, dtype=np.float64)
        self.weak_after = np.append(weak, 0.0)                 # break s lies between sentences s and s+1
        self.cum_weak = _cumulative(self.weak_after)
        self.encoded: dict[int, np.ndarray] = {}               # groups embedded by the encoder
        self.other_mean = np.zeros(self.single.shape[1], np.float32)  # mean vector of the other side

    def groups(self, k: int, starts: np.ndarray, with_anchors: bool = False) -> _Groups:
        """Features of the groups of sentences starts .. starts + k - 1 (any array shape)."""
        out = _Groups()
        if k == 1:
            vectors = self.single[starts]
        elif k in self.encoded:
            vectors = self.encoded[k][starts]
        else:
            first, last = int(starts.min()), int(starts.max()) + k
            local = _cumulative(self.weighted[first:last])
            sums = (local[k:] - local[:-k]).astype(np.float32)
            vectors = _unit(sums)[starts - first]
        out.vectors = vectors
        out.base = vectors @ self.other_mean
        out.chars = self.cum_chars[starts + k] - self.cum_chars[starts]
        out.weak = self.cum_weak[starts + k - 1] - self.cum_weak[starts] if k > 1 else np.zeros(starts.shape)
        if with_anchors and self.anchor_rows is not None:
            first, last = int(starts.min()), int(starts.max()) + k
            local = _cumulative(self.anchor_rows[first:last])
            present = np.minimum(local[k:] - local[:-k], 1.0).astype(np.float32)
            out.anchors = present[starts - first]
            out.anchor_count = out.anchors.sum(axis=-1)
        return out

    def encode_groups(self, texts: list[str], encode: Encode, upto: int) -> int:
        """Embeds the groups of 2..upto sentences, joined with a space, with the
        encoder instead of summing vectors; returns the number of texts."""
        count = 0
        for k in range(2, min(upto, self.n) + 1):
            joined = [" ".join(texts[s:s + k]) for s in range(self.n - k + 1)]
            self.encoded[k] = _unit(np.asarray(encode(joined), dtype=np.float32)).astype(np.float32)
            count += len(joined)
        return count


# --------------------------------------------------------------------------
# gains of links

_NEG = -1e18
_COVER_MARGIN = 0.02      # a grouped sentence should beat a random pair's margin by this much (~ its 80th pct)
_MIN_TYPICAL_MARGIN = 0.03   # the document scale never falls below this (a document of unrelated halves)
_FULL_NULL_CHARS = 30.0   # sentences shorter than this cost proportionally less to leave out


class _Scorer:
    """Gains of the links ending at a block of DP cells."""

    def __init__(self, src: _Side, tgt: _Side, *, null_penalty: float, length_weight: float = 0.0,
                 anchor_weight: float = 0.0, weak_break_bonus: float = 0.0, coverage_weight: float = 0.0) -> None:
        self.src, self.tgt = src, tgt
        self.length_weight = length_weight
        self.anchor_weight = anchor_weight
        self.weak_break_bonus = weak_break_bonus
        self.coverage_weight = coverage_weight
        # the document's floor (second pass, see align): a 1-1 link whose margin falls below it pays
        # floor_weight per unit short, and so do the sentences of links with several on both sides
        self.floor = 0.0
        self.floor_weight = 0.0
        self.cover = _COVER_MARGIN     # coverage threshold of a grouped sentence (second pass: the document's)
        self.ratio = max(tgt.chars.sum(), 1.0) / max(src.chars.sum(), 1.0)  # target chars per source char
        self.variance = 6.8 * self.ratio                                      # Gale & Church's s^2, rescaled
        src.other_mean = tgt.single.mean(axis=0)
        tgt.other_mean = src.single.mean(axis=0)
        self.set_null_penalty(null_penalty)

    def set_null_penalty(self, null_penalty: float) -> None:
        """Leaving a sentence out costs null_penalty, less for very short ones (page debris, "....")."""
        self.src_null = null_penalty * np.minimum(1.0, self.src.chars / _FULL_NULL_CHARS)
        self.tgt_null = null_penalty * np.minimum(1.0, self.tgt.chars / _FULL_NULL_CHARS)
        self.insert_cum = _cumulative(self.tgt_null)

    def calibrate(self, typical: float, *, floor_ratio: float, floor_weight: float, null_ratio: float,
                  cover_ratio: float) -> None:
        """Thresholds of the second search, in units of the document's typical 1-1 margin."""
        self.floor, self.floor_weight = floor_ratio * typical, floor_weight
        if cover_ratio:
            self.cover = max(_COVER_MARGIN, cover_ratio * typical)
        if null_ratio:
            self.set_null_penalty(null_ratio * max(typical, _MIN_TYPICAL_MARGIN))

    def gains(self, types: list[tuple[int, int]], rows: np.ndarray, cols: np.ndarray) -> list[np.ndarray]:
        """rows (R,), cols (R, W): the cells; one (R, W) array of gains per link type
        (a >= 1), -inf where the link cannot end at the cell."""
        n, m = self.src.n, self.tgt.n
        out: list[np.ndarray] = [np.empty(0)] * len(types)
        use_anchors = bool(self.anchor_weight)
        source_groups: dict[int, _Groups] = {}
        singles: dict[tuple[str, int], _Groups] = {}
        for b in sorted({b for _, b in types}):
            if b == 0:
                for k, (a, bb) in enumerate(types):
                    if bb == 0:
                        g = np.repeat(-self.src_null[np.clip(rows - 1, 0, n - 1)][:, None], cols.shape[1], axis=1)
                        g[rows < a] = _NEG
                        out[k] = g
                continue
            y = self.tgt.groups(b, np.clip(cols - b, 0, m - b), use_anchors)   # target groups ending at each cell
            for k, (a, bb) in enumerate(types):
                if bb != b:
                    continue
                if a not in source_groups:
                    source_groups[a] = self.src.groups(a, np.clip(rows - a, 0, n - a), use_anchors)
                x = source_groups[a]
                cos = np.einsum("rd,rwd->rw", x.vectors, y.vectors)
                g = (cos - 0.5 * (x.base[:, None] + y.base)).astype(np.float64)
                if self.floor_weight and a == 1 and b == 1:
                    g -= self.floor_weight * np.maximum(0.0, self.floor - g)
                if self.length_weight:
                    ls = x.chars[:, None]
                    delta = (y.chars - self.ratio * ls) / np.sqrt(self.variance * (ls + y.chars / self.ratio) / 2.0 + 1.0)
                    g -= self.length_weight * np.minimum(delta * delta, 25.0) / 2.0
                if use_anchors:
                    shared = np.einsum("rh,rwh->rw", x.anchors, y.anchors)
                    unmatched = x.anchor_count[:, None] + y.anchor_count - 2.0 * shared
                    g += self.anchor_weight * (shared - _ANCHOR_MISS * unmatched)
                if self.weak_break_bonus and (a > 1 or b > 1):
                    g += self.weak_break_bonus * (x.weak[:, None] + y.weak)
                if self.coverage_weight and (a > 1 or b > 1):
                    g -= self.coverage_weight * self._uncovered(a, b, rows, cols, x, y, singles)
                possible = (rows[:, None] >= a) & (cols >= b) & (cols <= m)
                g[~possible] = _NEG
                out[k] = g
        return out

    def _uncovered(self, a: int, b: int, rows: np.ndarray, cols: np.ndarray, x: _Groups, y: _Groups,
                   singles: dict) -> np.ndarray:
        """Sum, over the sentences of a link's multi-sentence side(s), of how far each
        sentence's own margin with the other side falls short of the coverage threshold (self.cover),
        weighted by its content (length up to 30 characters). Sentences tied to
        their group by a doubtful break (see :func:`weak_boundary`) are exempt."""
        n, m = self.src.n, self.tgt.n
        cover = max(self.cover, self.floor) if (a > 1 and b > 1) else self.cover
        total = np.zeros(cols.shape)
        if a > 1:
            for j in range(1, a + 1):       # source sentence rows - j
                key = ("s", b, j)               # the same for every a >= j
                if key not in singles:
                    u = self.src.groups(1, np.clip(rows - j, 0, n - 1))
                    mu = np.einsum("rd,rwd->rw", u.vectors, y.vectors) - 0.5 * (u.base[:, None] + y.base)
                    singles[key] = np.maximum(0.0, cover - mu) * self._content(u.chars)[:, None]
                short = singles[key]
                i = rows - j
                attached = np.zeros(rows.shape, bool)
                if j < a:      # a sentence before it in the group
                    attached |= self.src.weak_after[np.clip(i - 1, 0, n - 1)] > 0
                if j > 1:      # a sentence after it in the group
                    attached |= self.src.weak_after[np.clip(i, 0, n - 1)] > 0
                total += short * (~attached)[:, None]
        if b > 1:
            for j in range(1, b + 1):       # target sentence cols - j
                if ("T", j) not in singles:
                    singles[("T", j)] = self.tgt.groups(1, np.clip(cols - j, 0, m - 1))
                key = ("t", a, j)               # the same for every b >= j
                if key not in singles:
                    u = singles[("T", j)]
                    mu = np.einsum("rwd,rd->rw", u.vectors, x.vectors) - 0.5 * (u.base + x.base[:, None])
                    singles[key] = np.maximum(0.0, cover - mu) * self._content(u.chars)
                short = singles[key]
                i = cols - j
                attached = np.zeros(cols.shape, bool)
                if j < b:
                    attached |= self.tgt.weak_after[np.clip(i - 1, 0, m - 1)] > 0
                if j > 1:
                    attached |= self.tgt.weak_after[np.clip(i, 0, m - 1)] > 0
                total += short * ~attached
        return total

    @staticmethod
    def _content(chars: np.ndarray) -> np.ndarray:
        return np.minimum(1.0, chars / _FULL_NULL_CHARS)

    def margin(self, s: int, t: int) -> float:
        """The margin of the 1-1 link of source sentence s and target sentence t."""
        x, y = self.src.groups(1, np.array([s])), self.tgt.groups(1, np.array([t]))
        return float(x.vectors[0] @ y.vectors[0]) - 0.5 * float(x.base[0] + y.base[0])

    def confidence(self, a: int, s: int, b: int, t: int) -> float:
        """How far the link's cosine lies from a random pair's (0) towards identity (1)."""
        x, y = self.src.groups(a, np.array([s])), self.tgt.groups(b, np.array([t]))
        cos = float(x.vectors[0] @ y.vectors[0])
        base = 0.5 * float(x.base[0] + y.base[0])
        return float(min(1.0, max(0.0, (cos - base) / max(1e-6, 1.0 - base))))


# --------------------------------------------------------------------------
# banded dynamic programming

def _band_dp(lo: np.ndarray, hi: np.ndarray, types: list[tuple[int, int]], scorer: _Scorer,
             chunk_cells: int = 2048) -> list[tuple[int, int]]:
    """Best path from (0, 0) to (n, m) through the cells lo[i] <= j <= hi[i].

    ``types``: link shapes (a, b) with a >= 1; the 0-1 link is handled within
    each row. Returns the shapes along the best path, in order.
    """
    n, m = len(lo) - 1, int(hi[-1])
    width = int((hi - lo).max()) + 1
    score = np.full((n + 1, width), _NEG)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    offsets = np.arange(width)
    insert = len(types)
    chunk = max(1, chunk_cells // width)
    gains: list[np.ndarray] = []
    first = 0
    for i in range(n + 1):
        if i % chunk == 0:   # gains for the next block of rows
            first = i
            rows = np.arange(i, min(n + 1, i + chunk))
            gains = scorer.gains(types, rows, lo[rows][:, None] + offsets[None, :])
        cols = lo[i] + offsets
        valid = cols <= hi[i]
        last = int(hi[i] - lo[i])
        best = np.full(width, _NEG)
        arg = np.full(width, -1, dtype=np.int8)
        if i == 0:
            best[0] = 0.0                          # lo[0] == 0
        gain_row = i - first
        for k, (a, b) in enumerate(types):
            if i < a:
                continue
            # cell (i, lo[i] + x) extends cell (i - a, lo[i - a] + x + shift): a contiguous run of x
            shift = int(lo[i] - b - lo[i - a])
            x0, x1 = max(0, -shift), min(last, int(hi[i - a] - lo[i - a]) - shift)
            if x0 > x1:
                continue
            cand = score[i - a, x0 + shift:x1 + shift + 1] + gains[k][gain_row, x0:x1 + 1]
            seg = best[x0:x1 + 1]
            better = cand > seg
            seg[better] = cand[better]
            arg[x0:x1 + 1][better] = k
        # 0-1 links within the row: row[j] = max(best[j], row[j-1] - null cost of target j-1),
        # i.e. a running maximum of best[j] + (null costs of targets before j).
        before = scorer.insert_cum[np.minimum(cols, m)]
        lifted = np.where(valid, best + before, _NEG)
        running = np.maximum.accumulate(lifted)
        row = np.where(valid & (running > _NEG / 2), running - before, _NEG)
        score[i] = row
        back[i] = np.where(running > lifted, insert, arg)
    shapes = []
    i, j = n, m
    while i > 0 or j > 0:
        k = int(back[i, j - lo[i]])
        if k == insert:
            shapes.append((0, 1))
            j -= 1
            continue
        if k < 0:
            raise RuntimeError("alignment search found no path through the band")
        a, b = types[k]
        shapes.append((a, b))
        i, j = i - a, j - b
    shapes.reverse()
    return shapes


def _band_around(shapes: list[tuple[int, int]], scale: int, n: int, m: int, margin: int):
    """Band at a ``scale`` times finer level around a path, widened by ``margin`` cells."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    i = j = 0
    for a, b in shapes:
        r0, r1 = min(i * scale, n), min((i + a) * scale, n)
        c0, c1 = min(j * scale, m), min((j + b) * scale, m)
        lo[r0:r1 + 1] = np.minimum(lo[r0:r1 + 1], c0)
        hi[r0:r1 + 1] = np.maximum(hi[r0:r1 + 1], c1)
        i, j = i + a, j + b
    pad = np.full(margin, 0)
    lo_w = np.lib.stride_tricks.sliding_window_view(np.concatenate([pad + lo[0], lo, pad + lo[-1]]), 2 * margin + 1)
    hi_w = np.lib.stride_tricks.sliding_window_view(np.concatenate([pad + hi[0], hi, pad + hi[-1]]), 2 * margin + 1)
    lo = np.clip(lo_w.min(axis=1) - margin, 0, m)
    hi = np.clip(hi_w.max(axis=1) + margin, 0, m)
    lo[0], hi[n] = 0, m
    # monotone edges keep every cell of the band reachable
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return lo, hi


def _pair_sums(rows: np.ndarray) -> np.ndarray:
    if len(rows) % 2:
        rows = np.concatenate([rows, np.zeros((1,) + rows.shape[1:], rows.dtype)])
    return rows[0::2] + rows[1::2]


def _search_band(src: _Side, tgt: _Side, *, null_penalty: float, band: int, coarse_size: int):
    """The band for the sentence-level search: everything for small documents,
    else a band around the path found on blocks of 2, 4, 8 ... sentences."""
    n, m = src.n, tgt.n
    levels = 0
    while max(n, m) > coarse_size * 2 ** levels:
        levels += 1
    if levels == 0:
        return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    sums = []
    for side in (src, tgt):
        v, c = side.weighted, side.chars
        stack = [(v, c)]
        for _ in range(levels):
            v, c = _pair_sums(v), _pair_sums(c)
            stack.append((v, c))
        sums.append(stack)
    types = [(1, 1), (1, 0), (1, 2), (2, 1)]
    shapes = None
    for level in range(levels, 0, -1):
        blocks = [_Side(_unit(v), c, weight_power=0.0) for v, c in (sums[0][level], sums[1][level])]
        scorer = _Scorer(blocks[0], blocks[1], null_penalty=null_penalty, length_weight=0.0, anchor_weight=0.0)
        nl, ml = blocks[0].n, blocks[1].n
        if shapes is None:
            lo, hi = np.zeros(nl + 1, dtype=np.int64), np.full(nl + 1, ml, dtype=np.int64)
        else:
            lo, hi = _band_around(shapes, 2, nl, ml, band)
        shapes = _band_dp(lo, hi, [(a, b) for a, b in types if a <= nl and b <= ml], scorer)
    return _band_around(shapes, 2, n, m, band)


# --------------------------------------------------------------------------
# public entry point

def link_types(max_overlap: int, max_link: int) -> list[tuple[int, int]]:
    """The link shapes searched (besides 0-1): 1-0 and a-b with a, b <= max_overlap, a + b <= max_link."""
    types = [(1, 1), (1, 0)]
    for size in range(3, max_link + 1):
        for a in range(1, size):
            b = size - a
            if a <= max_overlap and b <= max_overlap:
                types.append((a, b))
    return types


def align(source: Sequence[str], target: Sequence[str], encode: Encode, *,
          max_overlap: int = 5, max_link: int = 7, null_penalty: float = 0.05,
          length_weight: float = 0.02, anchor_weight: float = 0.04, weak_break_bonus: float = 0.02,
          coverage_weight: float = 3.0, floor_ratio: float = 0.35, floor_weight: float = 10.0,
          null_ratio: float = 0.0, cover_ratio: float = 0.0,
          weight_power: float = 0.5, encoded_overlap: int = 1, band: int = 8, coarse_size: int = 256,
          vectors: tuple[np.ndarray, np.ndarray] | None = None) -> list[Link]:
    """Aligns two lists of sentences into monotone links covering every sentence once, in order.

    ``encode`` maps a list of texts to L2-normalised rows (for instance the
    ``encode`` method of :func:`mtlint.embed.get_encoder`'s result). It is
    called once per side, on the stripped non-blank sentences (and, with
    ``encoded_overlap=k > 1``, once more per group size 2..k). ``vectors``
    passes those sentence vectors precomputed instead (rows in the order of
    the non-blank sentences); ``encode`` is then not called unless
    ``encoded_overlap > 1``.

    Parameters (gains are in units of the cosine margin, about 0.12 for a
    typical 1-1 translation pair with multilingual-e5-small):

    * ``max_overlap``, ``max_link``: link shapes a-b with a, b <= max_overlap
      and a + b <= max_link are searched, besides 1-0 and 0-1;
    * ``null_penalty``: cost of a 1-0 or 0-1 link for a sentence of 30
      characters or more (shorter ones cost proportionally less) in the
      first search and the coarse levels;
    * ``null_ratio``: the same cost in the second search, in units of the
      document's typical 1-1 margin (0: keep ``null_penalty``);
    * ``cover_ratio``: the coverage threshold of a grouped sentence in the
      second search, in the same units (0: a fixed 0.02);
    * ``length_weight``: weight of the Gale-Church length term;
    * ``anchor_weight``: weight of shared numbers and names;
    * ``weak_break_bonus``: gain per doubtful sentence break inside a link
      (see :func:`weak_boundary`);
    * ``coverage_weight``: weight of the cost of grouping a sentence that
      does not itself resemble the other side (keeps an omitted or added
      sentence from hiding inside a neighbouring link);
    * ``floor_ratio``, ``floor_weight``: the document's floor (see the
      module): 1-1 links with a margin below ``floor_ratio`` times the median
      margin of the first search's 1-1 links pay ``floor_weight`` per unit
      short in a second search (``floor_weight=0``: no floor; with
      ``null_ratio`` and ``cover_ratio`` 0 too, one search);
    * ``weight_power``: a group vector sums its sentences' vectors weighted
      by ``chars ** weight_power``;
    * ``encoded_overlap``: groups of up to this many sentences are embedded
      by the encoder instead (1: none);
    * ``band``, ``coarse_size``: the coarse-to-fine search (see the module).

    The relative null model (``null_ratio=0.2, cover_ratio=0.2, coverage_weight=2``, chosen
    on synthetic training families only: bench/eval/align_families.py, docs/alignment-figures.md)
    is not the default: it gains on the synthetic families but loses on the one family of real,
    freely edited translations (Bleualign), where a change must hold before it ships. The
    defaults are the aligner measured in the "Sentence alignment" section of docs/benchmarks.md.
    """
    src_keep = [i for i, text in enumerate(source) if text.strip()]
    tgt_keep = [j for j, text in enumerate(target) if text.strip()]
    src_texts = [source[i].strip() for i in src_keep]
    tgt_texts = [target[j].strip() for j in tgt_keep]
    n, m = len(src_texts), len(tgt_texts)
    if n == 0 or m == 0:
        shapes, scores = [(1, 0)] * n + [(0, 1)] * m, [0.0] * (n + m)
        return _with_blanks(shapes, scores, src_keep, tgt_keep, len(source), len(target))

    if vectors is None:
        src_vec, tgt_vec = encode(src_texts), encode(tgt_texts)
    else:
        src_vec, tgt_vec = vectors
    src_vec, tgt_vec = np.asarray(src_vec, np.float32), np.asarray(tgt_vec, np.float32)
    if src_vec.shape[0] != n or tgt_vec.shape[0] != m:
        raise ValueError("need one vector per non-blank sentence")

    src_sets = [anchors(t) for t in src_texts]
    tgt_sets = [anchors(t) for t in tgt_texts]
    common = set().union(*src_sets) & set().union(*tgt_sets)
    src_weak = [weak_boundary(x, y) for x, y in zip(src_texts, src_texts[1:])]
    tgt_weak = [weak_boundary(x, y) for x, y in zip(tgt_texts, tgt_texts[1:])]
    src = _Side(src_vec, [len(t) for t in src_texts], _anchor_rows(src_sets, common), src_weak, weight_power)
    tgt = _Side(tgt_vec, [len(t) for t in tgt_texts], _anchor_rows(tgt_sets, common), tgt_weak, weight_power)
    del src_sets, tgt_sets, common
    if encoded_overlap > 1:
        src.encode_groups(src_texts, encode, min(encoded_overlap, max_overlap))
        tgt.encode_groups(tgt_texts, encode, min(encoded_overlap, max_overlap))

    lo, hi = _search_band(src, tgt, null_penalty=null_penalty, band=band, coarse_size=coarse_size)
    scorer = _Scorer(src, tgt, null_penalty=null_penalty, length_weight=length_weight, anchor_weight=anchor_weight,
                     weak_break_bonus=weak_break_bonus, coverage_weight=coverage_weight)
    types = [(a, b) for a, b in link_types(max_overlap, max_link) if a <= src.n and b <= tgt.n]
    shapes = _band_dp(lo, hi, types, scorer)
    if (floor_ratio and floor_weight) or null_ratio or cover_ratio:
        typical = _typical_one_to_one_margin(shapes, scorer)
        if typical is not None:
            scorer.calibrate(typical, floor_ratio=floor_ratio, floor_weight=floor_weight, null_ratio=null_ratio,
                             cover_ratio=cover_ratio)
            shapes = _band_dp(lo, hi, types, scorer)

    scores, i, j = [], 0, 0
    for a, b in shapes:
        scores.append(scorer.confidence(a, i, b, j) if a and b else 0.0)
        i, j = i + a, j + b
    return _with_blanks(shapes, scores, src_keep, tgt_keep, len(source), len(target))


_MIN_TYPICAL_LINKS = 5   # fewer 1-1 links than this say too little about the document's typical margin


def _typical_one_to_one_margin(shapes: list[tuple[int, int]], scorer: _Scorer) -> float | None:
    """Median margin of the 1-1 links along a path (None when there are too few)."""
    found, i, j = [], 0, 0
    for a, b in shapes:
        if a == 1 and b == 1:
            found.append(scorer.margin(i, j))
        i, j = i + a, j + b
    if len(found) < _MIN_TYPICAL_LINKS:
        return None
    return max(0.0, float(np.median(found)))


def _with_blanks(shapes, scores, src_keep, tgt_keep, n_source, n_target) -> list[Link]:
    """Links on the non-blank sentences mapped back to all sentences, blanks included."""
    links: list[Link] = []
    next_src = next_tgt = 0   # first original index not yet in a link

    def nulls_before(src_end: int, tgt_end: int) -> None:
        nonlocal next_src, next_tgt
        for i in range(next_src, src_end):
            links.append(Link((i,), (), 0.0))
        for j in range(next_tgt, tgt_end):
            links.append(Link((), (j,), 0.0))
        next_src, next_tgt = max(next_src, src_end), max(next_tgt, tgt_end)

    i = j = 0
    for (a, b), score in zip(shapes, scores):
        src = [src_keep[k] for k in range(i, i + a)]
        tgt = [tgt_keep[k] for k in range(j, j + b)]
        i, j = i + a, j + b
        nulls_before(src[0] if src else next_src, tgt[0] if tgt else next_tgt)
        src_span = tuple(range(src[0], src[-1] + 1)) if src else ()   # inner blanks join the group
        tgt_span = tuple(range(tgt[0], tgt[-1] + 1)) if tgt else ()
        links.append(Link(src_span, tgt_span, score))
        next_src = src_span[-1] + 1 if src_span else next_src
        next_tgt = tgt_span[-1] + 1 if tgt_span else next_tgt
    nulls_before(n_source, n_target)
    return links
