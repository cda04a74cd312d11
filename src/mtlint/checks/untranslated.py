"""Untranslated sentences: a target sentence still in the source language."""
from __future__ import annotations

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
