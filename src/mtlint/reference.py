"""Reference-based scores: chrF, BLEU and TER against a human (or post-edited) translation.

All three come from sacrebleu, per sentence and per document, each with its
sacrebleu signature so a score can be reproduced. A reference document is
aligned to the target with the same sentence aligner as source and target
(both are in the target language): equal sentence counts do not mean the
sentences correspond (one split and one merge cancel out), so counts are never
trusted on their own.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

METRIC_NAMES = ("BLEU", "chrF", "TER")
_DECIMALS = 4  # scores are rounded so JSON output is byte-identical across runs


def _metrics(sentence_level: bool):
    from sacrebleu.metrics import BLEU, CHRF, TER

    # Sentence BLEU needs effective order: without it one missing 4-gram zeroes the score.
    return {"BLEU": BLEU(effective_order=sentence_level), "chrF": CHRF(), "TER": TER()}


def _scored(metrics: dict, score_one) -> dict:
    out = {}
    for name in METRIC_NAMES:
        metric = metrics[name]
        score = score_one(metric)
        out[name] = {"score": round(float(score.score), _DECIMALS), "signature": str(metric.get_signature())}
    return out


def sentence_metrics(hypothesis: str, reference: str) -> dict:
    """``{"BLEU": {"score", "signature"}, "chrF": ..., "TER": ...}`` for one segment."""
    return _scored(_metrics(True), lambda m: m.sentence_score(hypothesis, [reference]))


def corpus_metrics(hypotheses: Sequence[str], references: Sequence[str]) -> dict:
    """Document (corpus) level scores: statistics summed over segments, not averaged scores."""
    hypotheses, references = list(hypotheses), list(references)
    return _scored(_metrics(False), lambda m: m.corpus_score(hypotheses, [references]))


def reference_for_targets(target_texts: Sequence[str], reference_texts: Sequence[str],
                          encode: Callable[[list[str]], np.ndarray]) -> tuple[list, list[tuple[int, ...]]]:
    """Align reference sentences to target sentences.

    Returns the reference-target links (for document scores, every sentence
    counted once) and, per target sentence, the reference sentences linked to it.
    """
    from .align import align

    links = align(list(reference_texts), list(target_texts), encode)
    per_target: list[tuple[int, ...]] = [() for _ in target_texts]
    for link in links:
        for t in link.target:
            per_target[t] = tuple(link.source)
    return links, per_target


def document_reference_metrics(target_texts: Sequence[str], reference_texts: Sequence[str],
                               target_groups: Sequence[Sequence[int]],
                               encode: Callable[[list[str]], np.ndarray]) -> tuple[dict, list[dict | None]]:
    """Scores for a whole document and for each group of target sentences (an alignment link).

    A group without target sentences (an omission) or whose sentences have no
    reference counterpart gets ``None``.
    """
    links, per_target = reference_for_targets(target_texts, reference_texts, encode)
    hypotheses, references = [], []
    for link in links:
        # Unpaired sentences count too: an addition scores against an empty reference, an omission
        # leaves an empty hypothesis, as a document-level score should penalise both.
        hypotheses.append(" ".join(target_texts[t] for t in link.target))
        references.append(" ".join(reference_texts[r] for r in link.source))
    document = corpus_metrics(hypotheses, references)
    per_group: list[dict | None] = []
    for group in target_groups:
        ref_ids = sorted({r for t in group for r in per_target[t]})
        if not group or not ref_ids:
            per_group.append(None)
            continue
        per_group.append(sentence_metrics(" ".join(target_texts[t] for t in group),
                                          " ".join(reference_texts[r] for r in ref_ids)))
    return document, per_group
