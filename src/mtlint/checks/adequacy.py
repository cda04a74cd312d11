"""Meaning errors at sentence level: aligned pairs whose adequacy is an outlier.

Cross-lingual similarity differs by language pair, encoder and text type, so
no global cut-off is used: a pair is flagged when it is a robust outlier
against the other pairs of the same document (median and MAD) *and* falls
clearly below the document's median. Documents with too few pairs to
estimate that spread are left alone.
"""
from __future__ import annotations

import numpy as np

from ..check import DocumentPair, Finding, register

MIN_PAIRS = 8        # fewer aligned pairs give no stable median/MAD
OUTLIER_Z = 3.0      # robust z-score below which a pair is an outlier
MIN_GAP = 0.05       # and at least this far below the median similarity
LENGTH_FACTOR = 0.5  # target shorter than half its expected length: content lost


def link_similarities(pair: DocumentPair) -> list[tuple[object, tuple[int, int], tuple[int, int], float]]:
    """(link, source span, target span, cosine) for every aligned link; cached on the pair."""
    if "link_similarities" not in pair.cache:
        aligned = list(pair.aligned())
        sources = [pair.source[s[0]:s[1]] for _, s, _ in aligned]
        targets = [pair.target[t[0]:t[1]] for _, _, t in aligned]
        vectors = pair.encode(sources + targets) if aligned else np.zeros((0, 1))
        n = len(aligned)
        sims = [float(vectors[i] @ vectors[n + i]) for i in range(n)]
        pair.cache["link_similarities"] = [(l, s, t, sim) for (l, s, t), sim in zip(aligned, sims)]
    return pair.cache["link_similarities"]


def _robust_z(values: np.ndarray) -> tuple[np.ndarray, float]:
    median = float(np.median(values))
    mad = float(np.median(np.abs(values - median))) * 1.4826
    return (values - median) / max(mad, 1e-3), median


@register("low-adequacy", "accuracy/mistranslation", "major",
          "An aligned sentence whose meaning departs from its source: similarity far below the document's other pairs.")
def low_adequacy(pair: DocumentPair):
    rows = link_similarities(pair)
    if len(rows) < MIN_PAIRS:
        return
    sims = np.array([r[3] for r in rows])
    z, median = _robust_z(sims)
    for (link, sspan, tspan, sim), score in zip(rows, z):
        if score < -OUTLIER_Z and sim < median - MIN_GAP:
            yield Finding(target_span=tspan, source_span=sspan,
                          message=f"meaning departs from the source: similarity {sim:.2f} against a document "
                                  f"median of {median:.2f}", confidence=min(1.0, -score / 6))


def length_ratio(pair: DocumentPair) -> float | None:
    """The median target/source length ratio (characters) of the document's aligned
    pairs, or of the whole file in segment-pair mode (``pair.cache["length_ratio"]``);
    None with fewer than :data:`MIN_PAIRS` pairs."""
    if "length_ratio" not in pair.cache:
        rows = link_similarities(pair)
        ratios = [(t[1] - t[0]) / max(s[1] - s[0], 1) for _, s, t, _ in rows]
        pair.cache["length_ratio"] = float(np.median(ratios)) if len(ratios) >= MIN_PAIRS else None
    return pair.cache["length_ratio"]


def much_too_short(pair: DocumentPair, sspan: tuple[int, int], tspan: tuple[int, int]) -> bool:
    """What length-mismatch reports: in a document of at least :data:`MIN_PAIRS`
    pairs, a target under :data:`LENGTH_FACTOR` of its expected length."""
    if len(link_similarities(pair)) < MIN_PAIRS:
        return False
    ratio = length_ratio(pair)
    src_len = sspan[1] - sspan[0]
    return ratio is not None and src_len >= 40 and tspan[1] - tspan[0] < LENGTH_FACTOR * src_len * ratio


@register("length-mismatch", "accuracy/omission", "major",
          "An aligned sentence much shorter than the document's length ratio predicts: content likely lost.")
def length_mismatch(pair: DocumentPair):
    ratio = length_ratio(pair)
    for link, sspan, tspan, sim in link_similarities(pair):
        src_len, tgt_len = sspan[1] - sspan[0], tspan[1] - tspan[0]
        expected = src_len * (ratio or 1.0)
        if much_too_short(pair, sspan, tspan):
            yield Finding(target_span=tspan, source_span=sspan,
                          message=f"translation is {tgt_len / expected:.0%} of the length the source predicts: "
                                  f"part of the source is probably missing", confidence=0.6)
