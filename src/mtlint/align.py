"""Sentence alignment of a document with its translation.

The method follows the ideas of Vecalign (Thompson & Koehn 2019) and
Bertalign (Liu & Zhu 2022), in code of our own:

* Every sentence is embedded once with a multilingual encoder. A group of
  consecutive sentences (the side of a 1-2, 3-1, 2-2 ... link) is
  represented by the normalised, length-weighted sum of its sentences'
  vectors, which costs no encoder call. Optionally (``refine``), the few
  groups that the first alignment actually proposes are then embedded for
  real, as the sentences joined by a space, and the alignment is redone.
* A link's gain is its *margin*: the cosine of the two sides minus the
  cosine each side has, on average, with the other document (the dot with
  the other side's mean vector). This is Vecalign's normalisation by random
  sentences, made exact and deterministic: it removes the bias of long,
  "average" groups and of hub sentences. Cheap extra evidence is added to
  the gain: a Gale-Church-like character-length penalty and a bonus when
  both sides share numbers (locale separators ignored) or capitalised
  names. Null links (a sentence with no counterpart) cost a fixed penalty.
* Dynamic programming finds the monotone chain of links of highest total
  gain. To stay linear in time and memory, it runs coarse to fine: blocks of
  2, 4, 8 ... sentences are aligned first (their vectors are sums of the
  sentence vectors), and each finer level only searches a band around the
  path projected from the coarser one.

Blank sentences (empty after stripping) are never embedded: a blank inside
a group of its own side joins that link, any other blank becomes a null
link of its own.
"""
from __future__ import annotations

import ast
import math
import re
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
        """True for a source sentence without translation or an added target sentence."""
        return not self.source or not self.target

    @property
    def kind(self) -> str:
        """``"1-1"``, ``"1-2"``, ``"1-0"``, ``"0-1"`` ..."""
        return f"{len(self.source)}-{len(self.target)}"


# --------------------------------------------------------------------------
# the alignment format of Vecalign / Bleualign gold files

def to_vecalign(links: Iterable) -> str:
    """One link per line, ``[0, 1]:[0]``; null links ``[3]:[]`` and ``[]:[4]``."""
    lines = []
    for link in links:
        src, tgt = (link.source, link.target) if isinstance(link, Link) else link
        lines.append(f"{list(src)}:{list(tgt)}")
    return "\n".join(lines) + ("\n" if lines else "")


def parse_vecalign(text: str) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Reads ``[0]:[0, 1]`` lines (a third ``:score`` field is ignored)."""
    links = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        fields = line.split(":")
        if len(fields) < 2:
            raise ValueError(f"line {number}: expected '[..]:[..]', got {line!r}")
        try:
            src, tgt = ast.literal_eval(fields[0].strip()), ast.literal_eval(fields[1].strip())
            links.append((tuple(int(i) for i in src), tuple(int(j) for j in tgt)))
        except (ValueError, SyntaxError, TypeError):
            raise ValueError(f"line {number}: cannot read {line!r}") from None
    return links


# --------------------------------------------------------------------------
# cheap anchors: numbers and names

_NUMBER = re.compile(r"\d+(?:[.,'\u2019\u00a0\u202f]\d+)*")
_WORD = re.compile(r"[^\W\d_][\w\-]*", re.UNICODE)
_ANCHOR_DIM = 256


def anchors(text: str) -> set[str]:
    """Candidate anchors of a sentence: numbers, separators dropped (12,000 =
    12.000 = 12000; 8839,8 = 8839.8), and words of three letters or more that
    hold a capital. :func:`align` keeps only those found in *both* documents,
    which leaves names and numbers (German common nouns are capitalised but
    rarely occur in the translation)."""
    found = {"#" + re.sub(r"\D", "", m.group()) for m in _NUMBER.finditer(text)}
    for match in _WORD.finditer(text):
        word = match.group()
        if len(word) >= 3 and not word.islower():
            found.add(word)
    return found


def _anchor_matrix(sets: Sequence[set[str]], keep: set[str]) -> np.ndarray:
    """Hashed bag of anchors, one row per sentence (crc32: stable across runs)."""
    import zlib

    out = np.zeros((len(sets), _ANCHOR_DIM), dtype=np.float32)
    for row, found in enumerate(sets):
        for token in found & keep:
            out[row, zlib.crc32(token.encode("utf-8")) % _ANCHOR_DIM] = 1.0
    return out


# --------------------------------------------------------------------------
# the two sides

class _Side:
    """The non-blank sentences of one side, their vectors and group vectors."""

    def __init__(self, texts: list[str], vectors: np.ndarray, max_group: int, weight_power: float,
                 anchor_rows: np.ndarray | None = None) -> None:
        self.texts = texts
        self.n = len(texts)
        self.chars = np.array([len(t) for t in texts], dtype=np.float64)
        self.single = np.asarray(vectors, dtype=np.float32)
        self.weights = np.maximum(self.chars, 1.0) ** weight_power
        self.anchor = anchor_rows if anchor_rows is not None else np.zeros((self.n, _ANCHOR_DIM), np.float32)
        # groups[k][s]: vector of sentences s .. s+k-1 (k = 1 .. max_group)
        self.groups: dict[int, np.ndarray] = {}
        self.group_chars: dict[int, np.ndarray] = {}
        self.group_anchor: dict[int, np.ndarray] = {}
        self.true_groups: dict[tuple[int, int], np.ndarray] = {}
        weighted = self.single * self.weights[:, None].astype(np.float32)
        cum = np.vstack([np.zeros((1, weighted.shape[1]), np.float32), np.cumsum(weighted, axis=0, dtype=np.float64).astype(np.float32)]) if self.n else np.zeros((1, vectors.shape[1] if vectors.ndim == 2 else 1), np.float32)
        ccum = np.concatenate([[0.0], np.cumsum(self.chars)])
        acum = np.vstack([np.zeros((1, _ANCHOR_DIM), np.float32), np.cumsum(self.anchor, axis=0)])
        for k in range(1, max_group + 1):
            if self.n < k:
                break
            if k == 1:
                self.groups[1] = self.single
            else:
                g = cum[k:] - cum[:-k]
                self.groups[k] = g / np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-12)
            self.group_chars[k] = ccum[k:] - ccum[:-k]
            self.group_anchor[k] = np.minimum(acum[k:] - acum[:-k], 1.0)

    def group_text(self, k: int, start: int) -> str:
        return " ".join(self.texts[start:start + k])

    def encode_groups(self, encode: Encode, wanted: dict[int, list[int]]) -> int:
        """Replaces the summed vectors of the groups ``wanted[k]`` (start indices) by
        the encoder's vectors of the joined sentences; returns the number of texts."""
        texts, where = [], []
        for k, starts in wanted.items():
            if k < 2 or k not in self.groups:
                continue
            for s in starts:
                texts.append(self.group_text(k, s))
                where.append((k, s))
        if not texts:
            return 0
        vectors = np.asarray(encode(texts), dtype=np.float32)
        for k in {k for k, _ in where}:
            self.groups[k] = self.groups[k].copy()
        for (k, s), v in zip(where, vectors):
            self.groups[k][s] = v
        return len(texts)


# --------------------------------------------------------------------------
# banded dynamic programming

_NEG = -1e18


@dataclass
class _Scorer:
    """Gain of a link (a source sentences, b target sentences) ending at cell (i, j)."""

    src: _Side
    tgt: _Side
    null_penalty: float
    length_weight: float
    anchor_weight: float
    size_weight: float
    ratio: float           # target chars per source char
    variance: float        # Gale-Church variance of target length per source char
    threshold: float = 0.0  # margin below which a link loses
    form: str = "margin"
    length_mult: float = 0.0
    mu: float = 0.125
    sigma: float = 0.03
    kappa: float = 1.0
    anchor_miss: float = 0.5

    def __post_init__(self) -> None:
        self.mu_src = self.src.single.mean(axis=0) if self.src.n else None
        self.mu_tgt = self.tgt.single.mean(axis=0) if self.tgt.n else None
        self._base_src = {k: g @ self.mu_tgt for k, g in self.src.groups.items()}
        self._base_tgt = {k: g @ self.mu_src for k, g in self.tgt.groups.items()}

    def refresh(self) -> None:
        self.__post_init__()

    def margin(self, a: int, s: np.ndarray, b: int, t: np.ndarray) -> np.ndarray:
        """Cosine minus the mean cosine of each side with the other document."""
        x = self.src.groups[a][s]          # (R, d)
        y = self.tgt.groups[b][t]          # (R, W, d)
        cos = np.einsum("rd,rwd->rw", x, y, optimize=False)
        base = 0.5 * (self._base_src[a][s][:, None] + self._base_tgt[b][t])
        return cos, base

    def neighbor_base(self, a, s, b, t):
        """Mean cosine of each side with the sentences just before and after the other side."""
        x = self.src.groups[a][s]          # (R, d)
        y = self.tgt.groups[b][t]          # (R, W, d)
        X1, Y1 = self.src.single, self.tgt.single
        n, m = self.src.n, self.tgt.n
        total = np.zeros(t.shape, dtype=np.float32)
        count = np.zeros(t.shape, dtype=np.float32)
        for nb in (t - 1, t + b):
            ok = (nb >= 0) & (nb < m)
            sim = np.einsum("rd,rwd->rw", x, Y1[np.clip(nb, 0, m - 1)])
            total += np.where(ok, sim, 0)
            count += ok
        tb = np.where(count > 0, total / np.maximum(count, 1), self._base_src[a][s][:, None])
        total = np.zeros(t.shape, dtype=np.float32)
        count = np.zeros(t.shape, dtype=np.float32)
        for nb in (s - 1, s + a):
            ok = (nb >= 0) & (nb < n)
            sim = np.einsum("rwd,rd->rw", y, X1[np.clip(nb, 0, n - 1)])
            total += np.where(ok[:, None], sim, 0)
            count += ok[:, None]
        sb = np.where(count > 0, total / np.maximum(count, 1), self._base_tgt[b][t])
        return 0.5 * (tb + sb)

    def gain(self, a: int, b: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """rows: (R,) cell rows; cols: (R, W) cell columns -> (R, W) gains (-inf where impossible)."""
        R, W = cols.shape
        if b == 0:  # deletion of source sentence i-1
            g = np.full((R, W), -self.null_penalty, dtype=np.float64)
            g[rows < a] = _NEG
            return g
        s = rows - a
        t = cols - b
        ok = (s[:, None] >= 0) & (t >= 0) & (cols <= self.tgt.n) & (s[:, None] + a <= self.src.n)
        s_c = np.clip(s, 0, max(self.src.n - a, 0))
        t_c = np.clip(t, 0, max(self.tgt.n - b, 0))
        cos, base = self.margin(a, s_c, b, t_c)
        if self.form == "neighbor":
            base = self.neighbor_base(a, s_c, b, t_c)
        elif self.form == "mix":
            base = 0.5 * (base + self.neighbor_base(a, s_c, b, t_c))
        if self.form == "gauss":
            short = np.maximum(self.mu - (cos - base), 0.0) / self.sigma
            g = (-0.5 * short * short - self.kappa * (a + b - 2)).astype(np.float64)
        elif self.form == "ratio":
            g = -((1.0 - cos) / np.maximum(1.0 - base, 1e-3) * (a * b)).astype(np.float64) + self.threshold
        else:
            g = (cos - base - self.threshold).astype(np.float64)
        if self.size_weight:
            g = g * (((a + b) / 2.0) ** self.size_weight)
        if self.length_mult:
            ls = self.src.group_chars[a][s_c][:, None] * self.ratio
            lt = self.tgt.group_chars[b][t_c]
            r = np.minimum(ls, lt) / np.maximum(np.maximum(ls, lt), 1.0)
            g = g * (np.log2(1.0 + r) ** self.length_mult)
        if self.length_weight:
            ls = self.src.group_chars[a][s_c][:, None]
            lt = self.tgt.group_chars[b][t_c]
            delta = (lt - self.ratio * ls) / np.sqrt(self.variance * (ls + lt / self.ratio) / 2.0 + 1.0)
            g -= self.length_weight * np.minimum(delta * delta, 25.0) / 2.0
        if self.anchor_weight:
            xa = self.src.group_anchor[a][s_c]            # (R, H)
            ya = self.tgt.group_anchor[b][t_c]            # (R, W, H)
            shared = np.einsum("rh,rwh->rw", xa, ya)
            unmatched = xa.sum(axis=1)[:, None] + ya.sum(axis=2) - 2 * shared
            g += self.anchor_weight * (shared - self.anchor_miss * unmatched)
        g[~ok] = _NEG
        return g


def _band_dp(lo: np.ndarray, hi: np.ndarray, types: list[tuple[int, int]], scorer_gain, insert_penalty: float,
             chunk_cells: int = 12000) -> list[tuple[int, int]]:
    """Best path through the band lo[i] <= j <= hi[i], i = 0..n.

    types: link shapes (a, b) with a >= 1 (the 0-1 insertion is handled
    inside each row). Returns the link shapes along the path, in order.
    """
    n = len(lo) - 1
    m = int(hi[-1])
    width = int((hi - lo).max()) + 1
    D = np.full((n + 1, width), _NEG, dtype=np.float64)
    back = np.full((n + 1, width), -1, dtype=np.int16)
    offsets = np.arange(width)
    INSERT = len(types)
    chunk = max(1, chunk_cells // width)
    gains: list[np.ndarray] = []
    chunk_start = -1
    for i in range(n + 1):
        if i == 0 or i >= chunk_start + chunk:
            chunk_start = i
            rows = np.arange(i, min(n + 1, i + chunk))
            cols = lo[rows][:, None] + offsets[None, :]
            gains = [scorer_gain(a, b, rows, cols) for a, b in types]
        cols = lo[i] + offsets
        valid = cols <= hi[i]
        best = np.full(width, _NEG)
        arg = np.full(width, -1, dtype=np.int16)
        if i == 0:
            best[0] = 0.0  # lo[0] == 0
        for t, (a, b) in enumerate(types):
            if i - a < 0:
                continue
            k = cols - b - lo[i - a]
            ok = valid & (k >= 0) & (k <= hi[i - a] - lo[i - a])
            if not ok.any():
                continue
            cand = np.where(ok, D[i - a, np.clip(k, 0, width - 1)] + gains[t][i - chunk_start], _NEG)
            better = cand > best
            best[better] = cand[better]
            arg[better] = t
        # 0-1 links within the row: D[j] = max(best[j], D[j-1] - insert_penalty)
        shifted = best + insert_penalty * cols
        shifted[~valid] = _NEG
        run = np.maximum.accumulate(shifted)
        inserted = run > shifted
        row = run - insert_penalty * cols
        row[~valid] = _NEG
        row[row < _NEG / 2] = _NEG
        D[i] = row
        back[i] = np.where(inserted, INSERT, arg)
    # trace back from (n, m)
    shapes = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(back[i, j - lo[i]])
        if t == INSERT:
            shapes.append((0, 1))
            j -= 1
        elif t < 0:
            raise RuntimeError("alignment search failed (no path through the band)")
        else:
            a, b = types[t]
            shapes.append((a, b))
            i -= a
            j -= b
    shapes.reverse()
    return shapes


def _path_cells(shapes: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Boxes (i0, i1, j0, j1) covered by each link of a path."""
    boxes, i, j = [], 0, 0
    for a, b in shapes:
        boxes.append((i, i + a, j, j + b))
        i, j = i + a, j + b
    return boxes


def _band_from_boxes(boxes, n: int, m: int, scale: int, n_fine: int, m_fine: int, margin: int):
    """Band at a finer level (factor ``scale``) around the coarse path's boxes, widened by ``margin``."""
    lo = np.full(n_fine + 1, m_fine + 1, dtype=np.int64)
    hi = np.full(n_fine + 1, -1, dtype=np.int64)
    for i0, i1, j0, j1 in boxes:
        r0, r1 = min(i0 * scale, n_fine), min(i1 * scale, n_fine)
        c0, c1 = min(j0 * scale, m_fine), min(j1 * scale, m_fine)
        lo[r0:r1 + 1] = np.minimum(lo[r0:r1 + 1], c0)
        hi[r0:r1 + 1] = np.maximum(hi[r0:r1 + 1], c1)
    return _widen(lo, hi, m_fine, margin)


def _widen(lo: np.ndarray, hi: np.ndarray, m: int, margin: int):
    n = len(lo) - 1
    pad_lo = np.concatenate([np.full(margin, lo[0]), lo, np.full(margin, lo[-1])])
    pad_hi = np.concatenate([np.full(margin, hi[0]), hi, np.full(margin, hi[-1])])
    win_lo = np.lib.stride_tricks.sliding_window_view(pad_lo, 2 * margin + 1).min(axis=1)
    win_hi = np.lib.stride_tricks.sliding_window_view(pad_hi, 2 * margin + 1).max(axis=1)
    lo = np.clip(win_lo - margin, 0, m)
    hi = np.clip(win_hi + margin, 0, m)
    lo[0] = 0
    hi[n] = m
    # keep the band monotone so that every cell can be reached
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    return lo, hi


# --------------------------------------------------------------------------
# public entry point

DEFAULTS = dict(
    max_overlap=4,        # most sentences on one side of a link
    max_link=5,           # most sentences in a link, both sides together
    null_penalty=0.06,    # cost of a 1-0 or 0-1 link, in margin units
    length_weight=0.0,    # weight of the Gale-Church length penalty
    anchor_weight=0.0,    # weight of the shared numbers/names bonus
    threshold=0.0,        # margin at which linking a sentence gains nothing
    size_weight=0.0,      # gain scaled by ((a+b)/2) ** size_weight
    weight_power=1.0,     # group vector = sum of sentence vectors weighted by chars ** weight_power
    band=8,               # half-width of the search band around the coarse path
    coarse_size=256,      # largest side (in blocks) of the exhaustive top-level search
)


def align(source: Sequence[str], target: Sequence[str], encode: Encode, *,
          max_overlap: int = DEFAULTS["max_overlap"], max_link: int = DEFAULTS["max_link"],
          null_penalty: float = DEFAULTS["null_penalty"], length_weight: float = DEFAULTS["length_weight"],
          anchor_weight: float = DEFAULTS["anchor_weight"], threshold: float = DEFAULTS["threshold"],
          size_weight: float = DEFAULTS["size_weight"],
          weight_power: float = DEFAULTS["weight_power"], band: int = DEFAULTS["band"],
          coarse_size: int = DEFAULTS["coarse_size"], overlaps: str = "sum",
          vectors: tuple[np.ndarray, np.ndarray] | None = None) -> list[Link]:
    """Aligns two lists of sentences; returns monotone links covering every sentence once.

    ``encode`` maps a list of texts to L2-normalised rows (e.g. the
    ``encode`` method of :func:`mtlint.embed.get_encoder`'s encoder); it is
    called once per side with the non-blank sentences, and, with ``refine``,
    once more per side with the sentence groups the first pass proposes.
    """
    src_idx = [i for i, s in enumerate(source) if s.strip()]
    tgt_idx = [j for j, t in enumerate(target) if t.strip()]
    src_texts = [source[i].strip() for i in src_idx]
    tgt_texts = [target[j].strip() for j in tgt_idx]
    if vectors is not None:
        src_vec, tgt_vec = vectors
    else:
        src_vec = encode(src_texts) if src_texts else np.zeros((0, 1), np.float32)
        tgt_vec = encode(tgt_texts) if tgt_texts else np.zeros((0, 1), np.float32)
    shapes, scores = _align_core(src_texts, tgt_texts, src_vec, tgt_vec, encode, overlaps,
                                 max_overlap=max_overlap, max_link=max_link, null_penalty=null_penalty,
                                 length_weight=length_weight, anchor_weight=anchor_weight, threshold=threshold,
                                 size_weight=size_weight, weight_power=weight_power, band=band,
                                 coarse_size=coarse_size)
    return _restore_blanks(shapes, scores, src_idx, tgt_idx, len(source), len(target))


def _link_types(max_overlap: int, max_link: int) -> list[tuple[int, int]]:
    types = [(1, 1), (1, 0)]
    for a in range(1, max_overlap + 1):
        for b in range(1, max_overlap + 1):
            if (a, b) != (1, 1) and a + b <= max_link:
                types.append((a, b))
    return types


def _align_core(src_texts, tgt_texts, src_vec, tgt_vec, encode, overlaps, *, max_overlap, max_link, null_penalty,
                length_weight, anchor_weight, threshold, size_weight, weight_power, band, coarse_size):
    n, m = len(src_texts), len(tgt_texts)
    if n == 0 or m == 0:
        return [(1, 0)] * n + [(0, 1)] * m, [0.0] * (n + m)
    src_sets = [anchors(t) for t in src_texts]
    tgt_sets = [anchors(t) for t in tgt_texts]
    shared = set().union(*src_sets) & set().union(*tgt_sets)
    src = _Side(src_texts, src_vec, max_overlap, weight_power, _anchor_matrix(src_sets, shared))
    tgt = _Side(tgt_texts, tgt_vec, max_overlap, weight_power, _anchor_matrix(tgt_sets, shared))
    if overlaps == "encode":
        for side in (src, tgt):
            side.encode_groups(encode, {k: list(range(len(g))) for k, g in side.groups.items()})
    ratio = max(tgt.chars.sum(), 1.0) / max(src.chars.sum(), 1.0)
    scorer = _Scorer(src, tgt, null_penalty, length_weight, anchor_weight, size_weight, ratio, 6.8 * ratio,
                     threshold)
    # A link cannot take more sentences than a side has (short documents, single pairs).
    types = [(a, b) for a, b in _link_types(max_overlap, max_link) if a <= n and b <= m]

    lo, hi = _coarse_band(src, tgt, null_penalty, band, coarse_size)
    shapes = _band_dp(lo, hi, types, scorer.gain, null_penalty)
    scores = _link_scores(shapes, scorer)
    return shapes, scores


def _coarse_band(src: _Side, tgt: _Side, null_penalty: float, band: int, coarse_size: int):
    """Band for the sentence-level search: the full matrix for small documents, else
    a band around the path found on blocks of 2, 4, 8 ... sentences."""
    n, m = src.n, tgt.n
    levels = 0
    while max(math.ceil(n / 2 ** levels), math.ceil(m / 2 ** levels)) > coarse_size:
        levels += 1
    if levels == 0:
        return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    # block sums at each level
    xs, ys = [src.single * src.weights[:, None].astype(np.float32)], [tgt.single * tgt.weights[:, None].astype(np.float32)]
    xc, yc = [src.chars], [tgt.chars]
    for _ in range(levels):
        xs.append(_pairsum(xs[-1])), ys.append(_pairsum(ys[-1]))
        xc.append(_pairsum(xc[-1])), yc.append(_pairsum(yc[-1]))
    boxes = None
    for level in range(levels, 0, -1):
        bs, bt = _block_side(xs[level], xc[level]), _block_side(ys[level], yc[level])
        nl, ml = bs.n, bt.n
        if boxes is None:
            lo, hi = np.zeros(nl + 1, dtype=np.int64), np.full(nl + 1, ml, dtype=np.int64)
        else:
            lo, hi = _band_from_boxes(boxes, 0, 0, 2, nl, ml, band)
        ratio = max(bt.chars.sum(), 1.0) / max(bs.chars.sum(), 1.0)
        scorer = _Scorer(bs, bt, null_penalty, 0.0, 0.0, 0.0, ratio, 6.8 * ratio)
        shapes = _band_dp(lo, hi, [(1, 1), (1, 0), (1, 2), (2, 1)], scorer.gain, null_penalty)
        boxes = _path_cells(shapes)
    return _band_from_boxes(boxes, 0, 0, 2, n, m, band)


def _pairsum(x: np.ndarray) -> np.ndarray:
    if len(x) % 2:
        x = np.concatenate([x, np.zeros((1,) + x.shape[1:], x.dtype)])
    return x[0::2] + x[1::2]


class _BlockSide(_Side):
    def __init__(self, sums: np.ndarray, chars: np.ndarray) -> None:
        self.n = len(sums)
        self.chars = chars
        self.single = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
        self.weights = np.ones(self.n)
        self.anchor = np.zeros((self.n, _ANCHOR_DIM), np.float32)
        self.groups = {1: self.single}
        g2 = _pairsum_shift(sums)
        self.groups[2] = g2 / np.maximum(np.linalg.norm(g2, axis=1, keepdims=True), 1e-12)
        self.group_chars = {1: chars, 2: chars[:-1] + chars[1:]}
        self.group_anchor = {}


def _pairsum_shift(x: np.ndarray) -> np.ndarray:
    return x[:-1] + x[1:]


def _block_side(sums: np.ndarray, chars: np.ndarray) -> _Side:
    return _BlockSide(sums, chars)


def _link_scores(shapes, scorer: _Scorer) -> list[float]:
    scores, i, j = [], 0, 0
    for a, b in shapes:
        if a and b:
            cos, base = scorer.margin(a, np.array([i]), b, np.array([[j]]))
            c, bse = float(cos[0, 0]), float(base[0, 0])
            scores.append(float(min(1.0, max(0.0, (c - bse) / max(1e-6, 1.0 - bse)))))
        else:
            scores.append(0.0)
        i, j = i + a, j + b
    return scores


def _restore_blanks(shapes, scores, src_idx, tgt_idx, n_src, n_tgt) -> list[Link]:
    """Maps links on non-blank sentences back to the original indices, with blanks."""
    src_blank = [True] * n_src
    for i in src_idx:
        src_blank[i] = False
    tgt_blank = [True] * n_tgt
    for j in tgt_idx:
        tgt_blank[j] = False
    links: list[Link] = []
    next_src = next_tgt = 0   # first original index not yet emitted

    def flush(src_upto: int, tgt_upto: int) -> None:
        nonlocal next_src, next_tgt
        while next_src < src_upto:
            links.append(Link((next_src,), (), 0.0))
            next_src += 1
        while next_tgt < tgt_upto:
            links.append(Link((), (next_tgt,), 0.0))
            next_tgt += 1

    i = j = 0
    for (a, b), score in zip(shapes, scores):
        src = [src_idx[k] for k in range(i, i + a)]
        tgt = [tgt_idx[k] for k in range(j, j + b)]
        i, j = i + a, j + b
        flush(src[0] if src else next_src, tgt[0] if tgt else next_tgt)
        if src:
            src = list(range(src[0], src[-1] + 1))  # blanks inside the group join it
            next_src = src[-1] + 1
        if tgt:
            tgt = list(range(tgt[0], tgt[-1] + 1))
            next_tgt = tgt[-1] + 1
        links.append(Link(tuple(src), tuple(tgt), score))
    flush(n_src, n_tgt)
    return links
