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
    for index, sentence in enumerate(pair.target_sentences):
        text = sentence.text(pair.target)
        lang, probability = langid.detect(text)
        if lang == pair.source_lang and probability >= _MIN_PROBABILITY and len(text.split()) >= 4:
            link = by_target.get(index)
            yield Finding(target_span=(sentence.start, sentence.end),
                          source_span=pair.source_span(link.source) if link else None,
                          message=f"sentence is in {lang}, the source language, not {pair.target_lang}",
                          confidence=probability)


_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
SOURCE_KNOWN = 2.5  # zipf: a word of the source language (~3 per 10 million words)
TARGET_UNKNOWN = 1.5 # zipf: (almost) never seen in the target language, so not a loanword


def _source_names(pair: DocumentPair) -> frozenset[str]:
    """Words capitalised inside source sentences: names, carried over legitimately."""
    names = set()
    for sentence in pair.source_sentences:
        for match in _WORD.finditer(pair.source, sentence.start, sentence.end):
            if match.start() > sentence.start and match.group(0)[0].isupper():
                names.add(match.group(0).lower())
    return frozenset(names)


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
