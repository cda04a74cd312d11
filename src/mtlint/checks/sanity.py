"""Input sanity: a pair of documents that cannot be a translation and its original.

Four cases, each a critical finding on the whole document (no span: it is about the
inputs, not a passage) and a one-line warning, so that the gate fails and says why:

- ``identical-input``: the target is the source (same words, whatever the spacing);
- ``swapped-direction``: the source reads as the target language and the target as the
  source language (the two files given in the wrong order);
- ``source-language-target``: the target reads as the source's language (an untranslated
  copy of another text, or the wrong file);
- ``mismatched-documents``: the documents do not correspond: their aligned sentences are
  far less alike than in any real translation (``MISMATCH_SIMILARITY``).

Language detection (:mod:`mtlint.langid`) must be confident (``DETECTION_CONFIDENCE``)
and the text long enough (``MIN_WORDS``): short units (a software string, a title) are
left alone, where a copy may be right ("OK" -> "OK") and detection is unreliable.
"""
from __future__ import annotations

import re

from ..check import DocumentPair, Finding, register

MIN_WORDS = 8                 # below this the texts say too little for a verdict on the inputs
DETECTION_CONFIDENCE = 0.9    # as the pipeline's own check of a declared language
MIN_SENTENCES = 4             # sentences a document needs before its alignment can be judged
# Chosen on the TRAIN splits in ../shared (bench/sanity_mismatch.py: 40 documents of 12 sentence
# pairs, half MLQE-PE en-de train sources with their post-edits, half CED en-de train pairs without
# a critical error; mismatched: each source with another document's translation).  The aligner
# links almost every sentence even of a mismatched pair (coverage p0 0.92), so what separates
# them is the similarity of the links, counted 0 for a source sentence left unlinked: real
# translations 0.507 at the lowest (p5 0.535, median 0.682), mismatched 0.364 at the highest
# (median 0.291).  The cut lies between the two, nearer the mismatched side.
MISMATCH_SIMILARITY = 0.43

_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _warn(pair: DocumentPair, message: str) -> None:
    pair.cache.setdefault("warnings", []).append(message)


def _detected(pair: DocumentPair, side: str) -> str | None:
    """The side's language as detected, where detection is confident (cached per pair)."""
    key = f"sanity_lang_{side}"
    if key not in pair.cache:
        from .. import langid

        lang, probability = langid.detect(pair.source if side == "source" else pair.target)
        pair.cache[key] = lang if lang and probability >= DETECTION_CONFIDENCE else None
    return pair.cache[key]


def _long_enough(pair: DocumentPair) -> bool:
    return len(_words(pair.source)) >= MIN_WORDS and len(_words(pair.target)) >= MIN_WORDS


def _identical(pair: DocumentPair) -> bool:
    return _long_enough(pair) and _words(pair.source) == _words(pair.target)


def _swapped(pair: DocumentPair) -> bool:
    if not _long_enough(pair) or pair.source_lang == pair.target_lang or _identical(pair):
        return False
    return _detected(pair, "source") == pair.target_lang and _detected(pair, "target") == pair.source_lang


@register("identical-input", "accuracy/untranslated", "critical",
          "The translation is the source itself (the same words): nothing was translated, or a file was "
          "given twice.")
def identical_input(pair: DocumentPair):
    if _identical(pair):
        _warn(pair, "the target is identical to the source: nothing was translated (or the same file was given twice)")
        yield Finding(target_span=None, source_span=None,
                      message="the target is identical to the source: this is no translation")


@register("swapped-direction", "accuracy/untranslated", "critical",
          "Source and target given the wrong way round: the source reads as the target language and the "
          "target as the source language.")
def swapped_direction(pair: DocumentPair):
    if _swapped(pair):
        _warn(pair, f"source and target look swapped: the source reads as {pair.target_lang} and the target "
                    f"as {pair.source_lang}")
        yield Finding(target_span=None, source_span=None,
                      message=f"source and target look swapped: the source reads as {pair.target_lang}, the "
                              f"target as {pair.source_lang}; give the original first")


@register("source-language-target", "accuracy/untranslated", "critical",
          "The translation is written in the source's language, not the target language.")
def source_language_target(pair: DocumentPair):
    if (not _long_enough(pair) or pair.source_lang == pair.target_lang or _identical(pair) or _swapped(pair)):
        return
    if _detected(pair, "target") == pair.source_lang:
        _warn(pair, f"the target reads as {pair.source_lang}, the source's language, not {pair.target_lang}")
        yield Finding(target_span=None, source_span=None,
                      message=f"the target is written in {pair.source_lang}, the source's language, "
                              f"not in {pair.target_lang}")


def alignment_statistics(links, source_count: int) -> tuple[float, float]:
    """(share of source sentences in a link with both sides, mean similarity of those links)."""
    paired = [link for link in links if link.source and link.target]
    covered = sum(len(link.source) for link in paired)
    similarity = sum(float(link.score) for link in paired) / len(paired) if paired else 0.0
    return (covered / source_count if source_count else 0.0), similarity


@register("mismatched-documents", "accuracy/mistranslation", "critical",
          "The documents do not correspond: few source sentences find a partner in the translation and "
          "those that do are far less alike than in any real translation.")
def mismatched_documents(pair: DocumentPair):
    if (len(pair.source_sentences) < MIN_SENTENCES or len(pair.target_sentences) < MIN_SENTENCES
            or _identical(pair) or _swapped(pair)):
        return
    coverage, similarity = alignment_statistics(pair.links, len(pair.source_sentences))
    if coverage * similarity < MISMATCH_SIMILARITY:
        _warn(pair, f"the documents do not correspond: {coverage:.0%} of the source sentences align, with "
                    f"mean similarity {similarity:.2f} (is the target a translation of another text?)")
        yield Finding(target_span=None, source_span=None,
                      message=f"the target does not translate this source: {coverage:.0%} of its sentences "
                              f"align (mean similarity {similarity:.2f}); a translation aligns almost all")
