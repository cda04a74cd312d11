"""Untranslated sentences: a target sentence still in the source language."""
from __future__ import annotations

import re

from .. import langid
from ..check import DocumentPair, Finding, register

# langdetect is reliable on sentences; require a clear decision.
_MIN_PROBABILITY = 0.9


@register("untranslated-sentence", "accuracy/untranslated", "critical",
          "A whole target sentence left in the source language (MQM non-translation).")
def untranslated_sentence(pair: DocumentPair):
    if pair.source_lang == pair.target_lang:
        return
    by_target = {i: link for link in pair.links for i in link.target}
    names = _source_names(pair, min_length=1)
    for index, sentence in enumerate(pair.target_sentences):
        text = sentence.text(pair.target)
        # The language is judged without the source's names ("The Royal Shakespeare Company"
        # inside a German sentence): a name keeps its language whatever surrounds it.
        rest = " ".join(w for w in _ANY_WORD.findall(text) if w.lower() not in names or not w[0].isupper())
        lang, probability = langid.detect(rest)
        if lang == pair.source_lang and probability >= _MIN_PROBABILITY and len(rest.split()) >= 4:
            link = by_target.get(index)
            yield Finding(target_span=(sentence.start, sentence.end),
                          source_span=pair.source_span(link.source) if link else None,
                          message=f"sentence is in {lang}, the source language, not {pair.target_lang}",
                          confidence=probability)


_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
SOURCE_KNOWN = 2.5  # zipf: a word of the source language (~3 per 10 million words)
TARGET_UNKNOWN = 1.5 # zipf: (almost) never seen in the target language, so not a loanword


_ANY_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def _source_names(pair: DocumentPair, min_length: int = 4) -> frozenset[str]:
    """Words capitalised inside source sentences: names, carried over legitimately."""
    key = ("untranslated-names", min_length)
    if key not in pair.cache:
        names = set()
        for sentence in pair.source_sentences:
            for match in _ANY_WORD.finditer(pair.source, sentence.start, sentence.end):
                word = match.group(0)
                if match.start() > sentence.start and word[0].isupper():
                    names |= {w.lower() for w in {word, *re.split(r"[-'’]", word)} if len(w) >= min_length}
        pair.cache[key] = frozenset(names)
    return pair.cache[key]


@register("untranslated-word", "accuracy/untranslated", "minor",
          "A source-language word left in the translation (not a name, not a loanword the target language uses).")
def untranslated_word(pair: DocumentPair):
    if pair.source_lang == pair.target_lang:
        return
    from .fluency import zipf

    names = _source_names(pair)
    by_target = {i: link for link in pair.links for i in link.target}
    for index, sentence in enumerate(pair.target_sentences):
        for match in _WORD.finditer(pair.target, sentence.start, sentence.end):
            word = match.group(0).lower()
            if word in names:
                continue
            if zipf(word, pair.source_lang) >= SOURCE_KNOWN and zipf(word, pair.target_lang) < TARGET_UNKNOWN:
                link = by_target.get(index)
                yield Finding(target_span=(match.start(), match.end()),
                              source_span=pair.source_span(link.source) if link else None,
                              message=f"\"{match.group(0)}\" is left untranslated (a word of the source language, {pair.source_lang})",
                              confidence=0.6)
