"""Meaning errors at sentence level: aligned pairs whose adequacy is an outlier.

Cross-lingual similarity differs by language pair, encoder and text type, so
no global cut-off is used: a pair is flagged when it is a robust outlier
against the other pairs of the same document (median and MAD) *and* falls
clearly below the document's median. Documents with too few pairs to
estimate that spread are left alone.
"""
from __future__ import annotations

import numpy as np

from .base import MIN_PAIRS, DocumentPair, Finding, register

OUTLIER_Z = 3.0      # robust z-score below which a pair is an outlier
MIN_GAP = 0.05       # and at least this far below the median similarity


def _robust_z(values: np.ndarray) -> tuple[np.ndarray, float]:
    median = float(np.median(values))
    mad = float(np.median(np.abs(values - median))) * 1.4826
    return (values - median) / max(mad, 1e-3), median


@register("low-adequacy", "accuracy/mistranslation", "major",
          "An aligned sentence whose meaning departs from its source: similarity far below the document's other pairs.")
def low_adequacy(pair: DocumentPair):
    rows = pair.link_similarities()
    if len(rows) < MIN_PAIRS:
        return
    sims = np.array([r[3] for r in rows])
    z, median = _robust_z(sims)
    for (link, sspan, tspan, sim), score in zip(rows, z):
        if score < -OUTLIER_Z and sim < median - MIN_GAP:
            yield Finding(target_span=tspan, source_span=sspan,
                          message=f"meaning departs from the source: similarity {sim:.2f} against a document "
                                  f"median of {median:.2f}", confidence=min(1.0, -score / 6))


@register("length-mismatch", "accuracy/omission", "major",
          "An aligned sentence much shorter than the document's length ratio predicts: content likely lost.")
def length_mismatch(pair: DocumentPair):
    ratio = pair.length_ratio()
    for link, sspan, tspan, sim in pair.link_similarities():
        src_len, tgt_len = sspan[1] - sspan[0], tspan[1] - tspan[0]
        expected = src_len * (ratio or 1.0)
        if pair.much_too_short(sspan, tspan):
            yield Finding(target_span=tspan, source_span=sspan,
                          message=f"translation is {tgt_len / expected:.0%} of the length the source predicts: "
                                  f"part of the source is probably missing", confidence=0.6)
