"""Scoring sentence alignments against a gold alignment.

The definitions reproduce Vecalign's ``score.py`` (Thompson & Koehn 2019),
itself a faster version of the scorer of Sennrich & Volk (2011,
https://www.aclweb.org/anthology/W11-4624/), so that figures are comparable
with the published Bleualign results. A link is a pair ``(source indices,
target indices)``; links empty on both sides are ignored, and duplicates
count once (both sides are turned into sets of links).

Precision runs over *all* hypothesis links, null links included:

* strict hit: the link (both index tuples, exactly) is a gold link; a null
  hypothesis link ``[3]:[]`` is a hit only when the gold has ``[3]:[]``;
* lax hit: a strict hit, or a non-null link whose target indices meet the
  gold targets of any of its source indices (it overlaps some gold link on
  both sides). A null link that is not a strict hit is never a lax hit.

Recall runs over the gold links that are *not* null links (both sides
non-empty), against the hypothesis links that are not null links, with the
same strict and lax tests in the other direction. So predicting a null link
that the gold lacks costs precision, while missing a gold null link costs
nothing: the asymmetry is Vecalign's and is kept for comparability.

F1 is the harmonic mean of precision and recall; any 0/0 gives 0.0.
Gold files of the Bleualign set leave a few sentences out of every link and
have a few non-monotone links; they are scored as they are (as Vecalign does).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

Pair = tuple[tuple[int, ...], tuple[int, ...]]


def _as_pairs(links: Iterable) -> set[Pair]:
    pairs = set()
    for link in links:
        if hasattr(link, "source") and hasattr(link, "target"):
            src, tgt = link.source, link.target
        else:
            src, tgt = link
        src, tgt = tuple(int(i) for i in src), tuple(int(j) for j in tgt)
        if src or tgt:
            pairs.add((src, tgt))
    return pairs


def _hits(reference: set[Pair], candidates: set[Pair]) -> tuple[int, int, int]:
    """(number of candidates, strict hits, lax hits) of ``candidates`` against ``reference``."""
    targets_of_source: dict[int, set[int]] = defaultdict(set)
    for src, tgt in reference:
        for i in src:
            targets_of_source[i].update(tgt)
    strict = lax = 0
    for src, tgt in candidates:
        if (src, tgt) in reference:
            strict += 1
            lax += 1
        elif src and tgt:
            reached = set()
            for i in src:
                reached |= targets_of_source.get(i, set())
            if reached.intersection(tgt):
                lax += 1
    return len(candidates), strict, lax


@dataclass(frozen=True)
class AlignmentScores:
    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float
    # raw counts, summed over documents
    hypothesis_links: int   # precision denominator (all hypothesis links)
    gold_links: int         # recall denominator (non-null gold links)
    precision_hits_strict: int
    precision_hits_lax: int
    recall_hits_strict: int
    recall_hits_lax: int

    def as_dict(self) -> dict[str, float]:
        return dict(vars(self))

    def table(self) -> str:
        return ("|           | strict | lax   |\n|-----------|--------|-------|\n"
                f"| precision | {self.precision_strict:.3f}  | {self.precision_lax:.3f} |\n"
                f"| recall    | {self.recall_strict:.3f}  | {self.recall_lax:.3f} |\n"
                f"| F1        | {self.f1_strict:.3f}  | {self.f1_lax:.3f} |")


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_alignments(golds: Sequence[Iterable], hypotheses: Sequence[Iterable]) -> AlignmentScores:
    """Micro-averaged scores over several documents (counts summed, then divided)."""
    if len(golds) != len(hypotheses):
        raise ValueError("as many gold alignments as hypotheses are needed")
    n_hyp = n_gold = p_strict = p_lax = r_strict = r_lax = 0
    for gold, hyp in zip(golds, hypotheses):
        gold_set, hyp_set = _as_pairs(gold), _as_pairs(hyp)
        n, s, lx = _hits(gold_set, hyp_set)
        n_hyp, p_strict, p_lax = n_hyp + n, p_strict + s, p_lax + lx
        gold_links = {(a, b) for a, b in gold_set if a and b}
        hyp_links = {(a, b) for a, b in hyp_set if a and b}
        n, s, lx = _hits(hyp_links, gold_links)
        n_gold, r_strict, r_lax = n_gold + n, r_strict + s, r_lax + lx
    ps, pl = _ratio(p_strict, n_hyp), _ratio(p_lax, n_hyp)
    rs, rl = _ratio(r_strict, n_gold), _ratio(r_lax, n_gold)
    return AlignmentScores(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl),
                           n_hyp, n_gold, p_strict, p_lax, r_strict, r_lax)


def score_alignment(gold: Iterable, hypothesis: Iterable) -> AlignmentScores:
    """Scores of one document's alignment (links or ``(source, target)`` pairs)."""
    return score_alignments([gold], [hypothesis])
