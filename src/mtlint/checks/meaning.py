"""Mistranslations found by the learned quality-estimation model (:mod:`mtlint.qe`).

The model reads each aligned pair whole and gives every target word the
probability that a post-editor would change it, and the pair the
probability of a critical (meaning-destroying) error.  Runs of words above
the threshold become spans; each span is mapped to the source words it
attends to most, so the report can say what the source said.

Thresholds (documented in docs/benchmarks.md with the data they came from):
``critical_threshold`` is stored with the weights, chosen on a held-out
tenth of the WMT21 train set; the span threshold below was chosen on the
TED MQM dev set.
"""
from __future__ import annotations

import re

from ..check import DocumentPair, Finding, register

# Chosen on TED MQM en-de dev (bench/calibrate_qe.py): from 0.6 to 0.7 character
# precision against the experts' spans stays ~0.19 while recall falls from 0.27 to
# 0.08; 0.7 keeps reports readable.  That precision only warrants "minor: look here".
SPAN_THRESHOLD = 0.70
MAX_SPAN_WORDS = 6      # longer runs are a garbled sentence, reported as such
_CONTENT = re.compile(r"\w")
MODEL_CHECKS = ("mistranslation", "critical-error")  # the checks that need the model's estimates


def estimates(pair: DocumentPair) -> list[tuple[tuple[int, int], tuple[int, int], object]]:
    """(source span, target span, PairEstimate) per aligned link; one batched model call per document."""
    if "qe" not in pair.cache:
        from ..qe import available, get_estimator

        aligned = list(pair.aligned())
        if aligned and available():
            rows = [(pair.source[s[0]:s[1]], pair.target[t[0]:t[1]]) for _, s, t in aligned]
            results = get_estimator().estimate(rows)
        else:
            results = []
        pair.cache["qe"] = [(s, t, r) for (_, s, t), r in zip(aligned, results)]
    return pair.cache["qe"]


def _runs(estimate, text: str, threshold: float) -> list[list[int]]:
    """Runs of consecutive words at or above ``threshold``; punctuation marks
    neither start nor break a run and are trimmed from its ends."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, ((a, b), p) in enumerate(zip(estimate.word_spans, estimate.word_bad)):
        if not _CONTENT.search(text[a:b]):
            continue
        if p >= threshold:
            current.append(i)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _source_phrase(estimate, words: list[int]) -> tuple[int, int] | None:
    """The span of the source words these target words attend to, if it is compact."""
    indices = sorted({estimate.alignment[i] for i in words if estimate.alignment[i] >= 0})
    if not indices:
        return None
    if indices[-1] - indices[0] > 2 * len(words) + 2:  # scattered: keep the strongest single word
        indices = [estimate.alignment[max(words, key=lambda i: estimate.word_bad[i])]]
    return estimate.source_spans[indices[0]][0], estimate.source_spans[indices[-1]][1]


@register("mistranslation", "accuracy/mistranslation", "minor",
          "Target words whose meaning departs from the source, as the trained quality-estimation model judges them.")
def mistranslation(pair: DocumentPair):
    for sspan, tspan, est in estimates(pair):
        if est.critical >= _critical_threshold():
            continue  # the whole pair is reported by critical-error
        for run in _runs(est, pair.target[tspan[0]:tspan[1]], SPAN_THRESHOLD):
            if len(run) > MAX_SPAN_WORDS:
                continue
            content = run
            start, end = est.word_spans[content[0]][0], est.word_spans[content[-1]][1]
            peak = max(est.word_bad[i] for i in content)
            phrase = _source_phrase(est, content)
            source_span = (sspan[0] + phrase[0], sspan[0] + phrase[1]) if phrase else sspan
            quoted = pair.source[source_span[0]:source_span[1]]
            suggestion = _suggestion(pair, sspan, tspan, est, content)
            yield Finding(target_span=(tspan[0] + start, tspan[0] + end), source_span=source_span,
                          message=f"probably mistranslated (p={peak:.2f}); source: \"{quoted}\"",
                          suggestion=suggestion, confidence=peak)


MAX_CANDIDATES = 8     # dictionary renderings tried per flagged word
MIN_IMPROVEMENT = 0.25  # a suggestion must lower the word's edit probability at least this much


def _suggestion(pair: DocumentPair, sspan, tspan, est, run: list[int]) -> str | None:
    """A dictionary rendering of the aligned source word that the model, reading
    it in context, finds clearly better (contrastive scoring); None if none is."""
    from .. import lexicon
    from ..qe import get_estimator

    lex = lexicon.load(pair.source_lang, pair.target_lang)
    if lex is None:
        return None
    source, target = pair.source[sspan[0]:sspan[1]], pair.target[tspan[0]:tspan[1]]
    variants = []
    for i in run:
        j = est.alignment[i]
        if j < 0:
            continue
        a, b = est.word_spans[i]
        current = target[a:b]
        word = source[est.source_spans[j][0]:est.source_spans[j][1]]
        for candidate in lex.renderings(word)[:MAX_CANDIDATES]:
            if candidate.lower() != current.lower():
                variants.append((i, a, b, candidate))
    if not variants:
        return None
    scored = get_estimator().estimate([(source, target[:a] + c + target[b:]) for _, a, b, c in variants])
    best = None
    for (i, a, b, candidate), new in zip(variants, scored):
        replaced = [p for (x, y), p in zip(new.word_spans, new.word_bad) if x < a + len(candidate) and a < y]
        if not replaced:
            continue
        value = max(replaced)
        if value < SPAN_THRESHOLD and value <= est.word_bad[i] - MIN_IMPROVEMENT and (best is None or value < best[0]):
            best = (value, a, b, candidate)
    if best is None:
        return None
    _, a, b, candidate = best
    start, end = est.word_spans[run[0]][0], est.word_spans[run[-1]][1]
    return target[start:a] + candidate + target[b:end]


def _critical_threshold() -> float:
    from ..qe import get_estimator

    return get_estimator().critical_threshold


@register("critical-error", "accuracy/mistranslation", "major",
          "A translation whose meaning is badly wrong as a whole (trained on WMT21 critical-error data).")
def critical_error(pair: DocumentPair):
    for sspan, tspan, est in estimates(pair):
        if est.critical >= _critical_threshold():
            yield Finding(target_span=tspan, source_span=sspan,
                          message=f"the meaning of this sentence departs badly from the source "
                                  f"(critical-error probability {est.critical:.2f})",
                          confidence=est.critical)
