"""Omissions and additions: sentences the alignment could not pair."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ..check import DocumentPair, Finding, register

_WORD = re.compile(r"\w+", re.UNICODE)


def _fingerprint(text: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def _fingerprint_counts(pair: DocumentPair) -> Counter:
    # Computed once per pair: comparing each unpaired sentence with every
    # other one is quadratic (minutes on a megabyte-long line).
    cache = getattr(pair, "cache", {})
    if "target_fingerprints" not in cache:
        cache["target_fingerprints"] = Counter(_fingerprint(s.text(pair.target)) for s in pair.target_sentences)
    return cache["target_fingerprints"]


def describe_unpaired_target(pair: DocumentPair, index: int) -> tuple[str, str]:
    """Say why an unpaired target sentence is there: ``(kind, message)``.

    Recognises text that is not article text by its shape alone: a repeat of
    another sentence (a headline printed twice), a list item or a short line
    without sentence punctuation (navigation, advertising labels,
    related-story lists). Anything else is a plain addition.
    """
    text = pair.target_sentences[index].text(pair.target)
    key = _fingerprint(text)
    if key and _fingerprint_counts(pair)[key] > 1:
        return "repeat", "repeated text: this sentence appears again in the translation (a duplicated headline or paragraph)"
    stripped = text.strip()
    words = _WORD.findall(stripped)
    if stripped[:1] in "-–—•*·" or stripped.endswith(":"):
        return "boilerplate", "not article text: a list item or label (related-story list, navigation)"
    if len(words) <= 4 and not stripped.endswith((".", "!", "?", "…", '"', "“", "”", "»", "«")):
        return "boilerplate", "not article text: a short label without sentence punctuation (page boilerplate, advertising, navigation)"
    return "addition", "no counterpart in the source: this sentence was added"


@register("omission", "accuracy/omission", "major",
          "A source sentence with no counterpart in the translation.")
def omission(pair: DocumentPair):
    for link in pair.links:
        if link.source and not link.target:
            text = pair.source[slice(*pair.source_span(link.source))]
            if not _WORD.search(text):
                continue  # a blank or punctuation-only line carries no content
            yield Finding(target_span=None, source_span=pair.source_span(link.source),
                          message="source sentence not translated: it has no counterpart in the translation")


@register("addition", "accuracy/addition", "major",
          "A translated sentence with no counterpart in the source (boilerplate and repeats are named as such).")
def addition(pair: DocumentPair):
    for link in pair.links:
        if link.target and not link.source:
            for index in link.target:
                span = pair.target_sentences[index]
                if not _WORD.search(span.text(pair.target)):
                    continue
                kind, message = describe_unpaired_target(pair, index)
                yield Finding(target_span=(span.start, span.end), source_span=None, message=message,
                              severity="minor" if kind != "addition" else None,
                              suggestion="delete it" if kind != "addition" else None)
