"""Clauses omitted or added inside an aligned sentence pair.

Sentence alignment finds whole sentences without a counterpart; a clause
dropped (or added) inside a sentence leaves the pair aligned.  The quality-estimation
model (:mod:`mtlint.qe`) reads source and translation together and links each
source word to its most similar target word (cosine of contextual states).
A source word is *covered* when that link is mutual (the target word's own
nearest source word is this one) or the similarity is high; a run of
consecutive uncovered content words is a stretch of the source the
translation does not render.  Where a bilingual dictionary is installed
(Debian's Ding for English-German, :mod:`mtlint.resources.lexicon`), a word whose
rendering stands in the target is covered too (a compound rendering two
source words is linked by the model to one of them only), and so are the
words of a two- or three-word dictionary phrase whose rendering stands there
("financial report" -> "Geschäftsbericht").

Two kinds of evidence, thresholds chosen on MLQE-PE en-de *train*
post-edits with one comma-delimited clause deleted (bench/eval/clause_omission.py
--split train --limit 400; dev is measured, never tuned on):

* the uncovered run alone: with similarity below 0.40, runs of at least
  3 / 4 / 5 / 6 content words flagged 48 / 27 / 14 / 5 % of the omitted
  versions and 5.2 / 1.5 / 0 / 0 % of the unmodified post-edits (model links
  only).  Four words report a minor issue ("look here"), six a major one;
* a run together with a translation that is short for its source: the
  target/source length ratio below 0.82 of the document's median (0.9 against
  a median of 1.10 there; 0.7 % of the unmodified post-edits are that short)
  and a run of 2+ words below 0.45: major.  The ratio is relative to the
  document (or the file, in segment-pair mode).  This rule needs the
  dictionary's coverage it was calibrated with (English-German): the model
  links other pairs less tightly (French-German: whole rendered phrases came
  out unlinked; docs/benchmarks.md), so without a dictionary only the run
  rules apply.

With both rules, dictionary coverage and runs ending at punctuation: train
69.2 % of the omitted versions flagged, 0.0 % of the unmodified; dev 68.0 % and 0.4 %
(bench/eval/clause_omission.py; docs/benchmarks.md).

Additions are the same test from the other side: runs of target words that
no source word accounts for, with "long for its source" as the length
evidence, and the same thresholds (measured, not re-tuned, on the mirror
image of the data: a clause deleted from the *source*, bench/eval/clause_omission.py
--addition).
"""
from __future__ import annotations

import re
from typing import Callable

from ..resources.qe import critical_threshold, estimates
from ..resources.stemming import german_stem
from ..resources.requirements import QE_MODEL
from ..resources.frequency import zipf
from .base import DocumentPair, Finding, marked_runs, register

COVERED_SIMILARITY = 0.40   # a word this similar to its nearest word on the other side is rendered
MIN_RUN = 4                 # uncovered content words in a row: minor
MAJOR_RUN = 6               # ... and from here: major (omissions)
SHORT_RATIO = 0.82          # target/source length below this share of the document's median ratio: short
SHORT_COVERED_SIMILARITY = 0.45  # with the length evidence, words below this similarity count as uncovered
SHORT_MIN_RUN = 2           # ... and this many in a row are the missing (or added) part: major
FUNCTION_WORD_ZIPF = 6.0    # the, of, der, und: often legitimately unrendered; they neither count nor break a run
_CONTRACTED = {"s", "re", "m", "ll", "ve", "d"}  # what follows the apostrophe of a contracted function word
COMPOUND_PART = 4           # a dictionary rendering this long counts inside a target compound
_CONTENT = re.compile(r"\w")
_CLAUSE_BREAKS = set(",;:()[]–—\"“”„«»")

Run = tuple[tuple[int, int], int, bool]  # (character span, content words, major)


def _forms(word: str) -> set[str]:
    """The word as written and its lemma (simplemma), to ask the dictionary: Ding's English
    side lists singulars and infinitives ("troops" -> "troop", "sanctioned" -> "sanction")."""
    from ..resources.lexicon import lemma

    return {word, word.lower(), lemma(word, "en")}


def _renderings(lexicon, words: list[str]) -> tuple[set[str], list[str]]:
    """Stems of the single-word dictionary renderings of ``words``, and those long
    enough to count inside a compound."""

    stems, parts = set(), set()
    for word in words:
        for form in _forms(word):
            for rendering in lexicon.renderings(form):
                if " " not in rendering:
                    stems.add(german_stem(rendering.lower()))
                    if len(rendering) >= COMPOUND_PART:
                        parts.add(rendering.lower())
    return stems, sorted(parts)


def _source_word_rendered(lexicon, target: str) -> Callable[[str], bool]:
    """Is a dictionary rendering of this source word in the target (same stem, or
    inside a compound: "Dienst" in "Geheimdienst")?"""

    words = [w.lower() for w in re.findall(r"\w+", target)]
    stems = {german_stem(w) for w in words}

    def rendered(word: str) -> bool:
        found, parts = _renderings(lexicon, [word])
        return bool(found & stems) or any(p in w for p in parts for w in words)

    return rendered


def _phrase_covered(lexicon, source: str, spans, target: str) -> set[int]:
    """Indices of source words inside a two- or three-word dictionary phrase whose
    rendering stands in the target ("financial report" -> "Geschäftsbericht"):
    a compound or an idiom renders the phrase, not its words one by one."""

    target_words = [w.lower() for w in re.findall(r"\w+", target)]
    stems = {german_stem(w) for w in target_words}

    def present(rendering: str) -> bool:
        words = [w.lower() for w in re.findall(r"\w+", rendering)]
        if len(words) == 1:
            return german_stem(words[0]) in stems or (len(words[0]) >= COMPOUND_PART and any(words[0] in w for w in target_words))
        return bool(words) and all(german_stem(w) in stems for w in words)

    covered = set()
    for n in (2, 3):
        for i in range(len(spans) - n + 1):
            words = [source[a:b] for a, b in spans[i:i + n]]
            if not all(_CONTENT.search(w) for w in words):
                continue  # punctuation inside: not one phrase
            phrases = {" ".join(words)} | {" ".join(words[:-1] + [form]) for form in _forms(words[-1])}
            if any(present(r) for phrase in phrases for r in lexicon.renderings(phrase)):
                covered.update(range(i, i + n))
    return covered


def _target_word_renders(lexicon, source: str, source_spans) -> Callable[[str], bool]:
    """Is this target word a dictionary rendering of a word of the source?"""

    stems, parts = _renderings(lexicon, [source[a:b] for a, b in source_spans])

    def renders(word: str) -> bool:
        w = word.lower()
        return german_stem(w) in stems or any(p in w for p in parts)

    return renders


def _uncovered_runs(text: str, spans, links, back_links, coverage, lang: str, threshold: float,
                    in_dictionary: Callable[[str], bool], covered: set[int] = frozenset()) -> list[list[int]]:
    """Runs of consecutive content words (indices) of one side that no word of the
    other side renders: not linked both ways, less similar than ``threshold`` to
    their nearest word, and not dictionary renderings; punctuation ends a run
    ("deaths, the Service" is two pieces), function words are passed over."""

    words = [text[a:b] for a, b in spans]

    def function_word(j: int, word: str) -> bool:
        if zipf(word, lang) > FUNCTION_WORD_ZIPF:
            return True
        # A contraction of a function word ("they're", "that's": they + are), and English's
        # "going to" future: grammar, rendered by the verb's tense, not by a word.
        head, _, tail = re.sub("’", "'", word).partition("'")
        if tail.lower() in _CONTRACTED and zipf(head, lang) > FUNCTION_WORD_ZIPF:
            return True
        if word.lower() in _CONTRACTED and j > 0 and words[j - 1] in ("'", "’"):
            return True  # tokenised text: "they 're"
        return lang == "en" and word.lower() == "going" and j + 1 < len(words) and words[j + 1].lower() == "to"

    def mark(j: int, word: str) -> bool | None:
        if word in _CLAUSE_BREAKS:
            return False
        if not _CONTENT.search(word) or function_word(j, word):
            return None
        k = links[j]
        return (k >= 0 and back_links[k] != j and coverage[j] < threshold and j not in covered
                and not in_dictionary(word))

    return marked_runs((j, mark(j, text[a:b])) for j, (a, b) in enumerate(spans))


def _judge(runs: list[list[int]], spans, lengthened: bool) -> tuple[list[Run], int]:
    longest = max((len(r) for r in runs), default=0)
    found = [((spans[r[0]][0], spans[r[-1]][1]), len(r), lengthened or len(r) >= MAJOR_RUN)
             for r in runs if len(r) >= (SHORT_MIN_RUN if lengthened else MIN_RUN)]
    return found, longest


def _cut(est) -> bool:
    """A side cut at the model's length limit (or no words): its missing words prove nothing."""
    return not est.source_coverage or not est.target_coverage or -1 in est.alignment or -1 in est.source_alignment


def find_omissions(source: str, target: str, est, source_lang: str = "en", median_ratio: float | None = None,
                   lexicon=None) -> tuple[list[Run], int]:
    """(source character span, content words, major) of the source runs the target
    does not render, and the longest run's length (a score for benchmarks).
    ``median_ratio``: the document's median target/source length ratio (None:
    unknown) and ``lexicon`` (a bilingual dictionary, whose renderings in the
    target cover a word): the length evidence is used only with both."""
    if _cut(est):
        return [], 0
    short = (lexicon is not None and median_ratio is not None
             and len(target) < SHORT_RATIO * median_ratio * len(source))
    in_dictionary = _source_word_rendered(lexicon, target) if lexicon is not None else (lambda word: False)
    covered = _phrase_covered(lexicon, source, est.source_spans, target) if lexicon is not None else set()
    runs = _uncovered_runs(source, est.source_spans, est.source_alignment, est.alignment, est.source_coverage,
                           source_lang, SHORT_COVERED_SIMILARITY if short else COVERED_SIMILARITY, in_dictionary,
                           covered)
    return _judge(runs, est.source_spans, short)


def find_additions(source: str, target: str, est, target_lang: str = "de", median_ratio: float | None = None,
                   lexicon=None) -> tuple[list[Run], int]:
    """The same from the target's side: target runs no source word accounts for,
    with "long for its source" as the length evidence."""
    if _cut(est):
        return [], 0
    long = lexicon is not None and median_ratio is not None and len(target) * SHORT_RATIO > median_ratio * len(source)
    in_dictionary = (_target_word_renders(lexicon, source, est.source_spans) if lexicon is not None
                     else (lambda word: False))
    runs = _uncovered_runs(target, est.word_spans, est.alignment, est.source_alignment, est.target_coverage,
                           target_lang, SHORT_COVERED_SIMILARITY if long else COVERED_SIMILARITY, in_dictionary)
    return _judge(runs, est.word_spans, long)


def _pairs(pair: DocumentPair):
    """(source span, target span, estimate, length ratio, dictionary) of the pairs to judge."""
    from ..resources import lexicon

    dictionary = lexicon.load(pair.source_lang, pair.target_lang)
    for sspan, tspan, est in estimates(pair):
        if est.critical >= critical_threshold() or pair.much_too_short(sspan, tspan):
            continue  # the whole pair is reported by critical-error or length-mismatch
        yield sspan, tspan, est, pair.length_ratio(), dictionary


@register("clause-omission", "accuracy/omission", "minor",
          "A stretch of a source sentence (four or more content words in a row) that no word of its "
          "translation renders, as the quality-estimation model links words; major from six words, or "
          "from two in a translation short for its source.", requires=[QE_MODEL])
def clause_omission(pair: DocumentPair):
    for sspan, tspan, est, ratio, dictionary in _pairs(pair):
        source = pair.source[sspan[0]:sspan[1]]
        found, _ = find_omissions(source, pair.target[tspan[0]:tspan[1]], est, pair.source_lang, ratio, dictionary)
        for (a, b), words, major in found:
            yield Finding(target_span=tspan, source_span=(sspan[0] + a, sspan[0] + b),
                          message=f"\"{source[a:b]}\" has no counterpart in the translation "
                                  f"({'the translation is also short for its source' if major and words < MAJOR_RUN else 'a clause left out?'})",
                          severity="major" if major else None, confidence=0.7 if major else 0.5)


@register("clause-addition", "accuracy/addition", "minor",
          "A stretch of a translation (four or more content words in a row) that no word of its source "
          "accounts for.",
          requires=[QE_MODEL])
def clause_addition(pair: DocumentPair):
    for sspan, tspan, est, ratio, dictionary in _pairs(pair):
        target = pair.target[tspan[0]:tspan[1]]
        found, _ = find_additions(pair.source[sspan[0]:sspan[1]], target, est, pair.target_lang, ratio, dictionary)
        # Never major: on MLQE-PE en-de train (bench/calibrate/calibrate_majors.py --limit 2000) the
        # runs judged major came twice as often on human post-edits as on machine translations (12 / 6).
        for (a, b), words, major in found:
            yield Finding(target_span=(tspan[0] + a, tspan[0] + b), source_span=sspan,
                          message=f"\"{target[a:b]}\" has no counterpart in the source "
                                  f"({'the translation is also long for its source' if major and words < MAJOR_RUN else 'added?'})",
                          confidence=0.7 if major else 0.5)
