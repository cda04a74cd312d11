"""Input sanity: a pair of documents that cannot be a translation and its original.

Five cases, each a critical finding on the whole document (no span: it is about the
inputs, not a passage) and a one-line warning, so that the gate fails and says why:

- ``identical-input``: the target is the source (same words, whatever the spacing);
- ``swapped-direction``: the source reads as the target language and the target as the
  source language (the two files given in the wrong order);
- ``source-language-target``: the target reads as the source's language (an untranslated
  copy of another text, or the wrong file);
- ``wrong-target-language``: the target reads, beyond doubt, as a third language, neither
  the declared target language nor a close relative of it (the wrong file, or a wrong
  ``--target-lang``: the language-specific checks would otherwise report its words as errors);
- ``mismatched-documents``: the documents do not correspond: their aligned sentences are
  barely more alike than any two sentences of the pair, far less than in any real
  translation (``MISMATCH_MARGIN``).

Language detection (:mod:`mtlint.langid`) must be confident (``DETECTION_CONFIDENCE``)
and the text long enough (``MIN_WORDS``): short units (a software string, a title) are
left alone, where a copy may be right ("OK" -> "OK") and detection is unreliable.
Segment-pair mode (``mtlint pairs``) does not run them: a unit is not a document.
"""
from __future__ import annotations

import re

from ..resources import langid
from .base import DocumentPair, Finding, register

MIN_WORDS = 8                 # below this the texts say too little for a verdict on the inputs
DETECTION_CONFIDENCE = 0.9    # as the pipeline's own check of a declared language
# A third language must be beyond doubt: langdetect's confidence on a text of MIN_WORDS or more,
# stricter than the warning's; and languages it confuses or codes apart are one language here.
WRONG_LANGUAGE_CONFIDENCE = 0.99
_CLOSE_LANGUAGES = ({"no", "nb", "nn", "da"}, {"hr", "sr", "bs", "sh"}, {"id", "ms"}, {"zh", "zh-cn", "zh-tw"},
                    {"cs", "sk"})
MIN_SENTENCES = 4             # sentences a document needs before its alignment can be judged
# Chosen on the TRAIN splits in ../shared (`bench/calibrate/sanity_mismatch.py`: 40 documents of 12 sentence
# pairs, half MLQE-PE en-de train sources with their post-edits, half CED en-de train pairs without
# a critical error; mismatched: each source with another document's translation).  The aligner
# links almost every sentence even of a mismatched pair (coverage p0 0.92), so what separates them
# is the links' similarity margin over chance (alignment_statistics): real translations 0.094 at
# the lowest (p5 0.105, median 0.146), mismatched 0.007 at the highest (median 0.001).  The cut
# lies between the two, nearer the mismatched side.
MISMATCH_MARGIN = 0.04

_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _warn(pair: DocumentPair, message: str) -> None:
    pair.warn(message)


def _detected(pair: DocumentPair, side: str) -> str | None:
    """The side's language as detected, where detection is confident."""
    lang, probability = pair.derived(_detect, side)
    return lang if lang and probability >= DETECTION_CONFIDENCE else None


def _detect(pair: DocumentPair, side: str) -> tuple[str | None, float]:
    """(language, probability) of one side, detected once per pair."""
    return langid.detect(pair.source if side == "source" else pair.target)


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
        # The texts cannot tell which is wrong: the order of the files or the declared languages.
        _warn(pair, f"source and target look swapped: the source reads as {pair.target_lang} and the target "
                    f"as {pair.source_lang}; give the original first, or correct the declared languages")
        yield Finding(target_span=None, source_span=None,
                      message=f"source and target look swapped: the source reads as {pair.target_lang}, the "
                              f"target as {pair.source_lang}; give the original first, or correct the declared "
                              f"languages (--source-lang, --target-lang)")


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


def alignment_statistics(links, source_vectors, target_vectors) -> tuple[float, float]:
    """(share of source sentences in a link with both sides, the links' similarity margin).

    The margin is how much more alike a link's sentences are (cosine of their embeddings) than
    any source sentence is to any target sentence of the two documents on average; a source
    sentence left unlinked counts 0.  A margin, not the raw similarity: how alike translations
    look to the encoder depends on the language pair (Ukrainian-German real translations score
    lower than English-German ones), how much better the links are than chance does not."""
    import numpy as np

    if not len(source_vectors) or not len(target_vectors):
        return 0.0, 0.0
    source, target = np.asarray(source_vectors), np.asarray(target_vectors)
    # The mean of every source-target cosine without the matrix itself (n x m floats: 450 MB
    # for two 10,000-sentence documents): the mean of the dot products is the dot product of
    # the sums, divided by their number.
    chance = float(source.sum(axis=0, dtype=np.float64) @ target.sum(axis=0, dtype=np.float64)) / (
        len(source) * len(target))
    paired = [link for link in links if link.source and link.target]
    covered = sum(len(link.source) for link in paired)
    total = sum(len(link.source) * (float((source[list(link.source)] @ target[list(link.target)].T).mean()) - chance)
                for link in paired)
    count = len(source_vectors)
    return covered / count, total / count


def _close(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or a.split("-")[0] == b.split("-")[0] or any(a in group and b in group for group in _CLOSE_LANGUAGES)


@register("wrong-target-language", "accuracy/mistranslation", "critical",
          "The translation is written, beyond doubt, in a third language: neither the target language "
          "declared nor the source's (the wrong file, or a wrong --target-lang).")
def wrong_target_language(pair: DocumentPair):
    if not _long_enough(pair) or _identical(pair) or _swapped(pair):
        return
    lang, probability = pair.derived(_detect, "target")  # the detection the other sanity checks read
    if (lang is None or probability < WRONG_LANGUAGE_CONFIDENCE or _close(lang, pair.target_lang)
            or _close(lang, pair.source_lang)):
        return
    _warn(pair, f"the target reads as {lang} (p={probability:.2f}), not {pair.target_lang}: the wrong file, "
                f"or the wrong target language declared")
    yield Finding(target_span=None, source_span=None,
                  message=f"the target is written in {lang}, not in {pair.target_lang}, the language it was "
                          f"declared in")


@register("mismatched-documents", "accuracy/mistranslation", "critical",
          "The documents do not correspond: few source sentences find a partner in the translation and "
          "those that do are far less alike than in any real translation.")
def mismatched_documents(pair: DocumentPair):
    if (len(pair.source_sentences) < MIN_SENTENCES or len(pair.target_sentences) < MIN_SENTENCES
            or _identical(pair) or _swapped(pair)):
        return
    source_vectors = pair.encode([s.text(pair.source) for s in pair.source_sentences])
    target_vectors = pair.encode([s.text(pair.target) for s in pair.target_sentences])
    coverage, margin = alignment_statistics(pair.links, source_vectors, target_vectors)
    if margin < MISMATCH_MARGIN:
        _warn(pair, f"the documents do not correspond: their aligned sentences ({coverage:.0%} of the source) are "
                    f"barely more alike than any two (margin {margin:.2f}); is the target a translation of another text?")
        yield Finding(target_span=None, source_span=None,
                      message=f"the target does not translate this source: its aligned sentences are barely more "
                              f"alike than any two of the documents (margin {margin:.2f}, a translation's is "
                              f"{MISMATCH_MARGIN:.2f} or more)")
