"""Omissions and additions: sentences the alignment could not pair."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .base import DocumentPair, Finding, register

_WORD = re.compile(r"\w+", re.UNICODE)


def _fingerprint(text: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def _fingerprint_counts(pair: DocumentPair) -> Counter:
    # Computed once per pair: comparing each unpaired sentence with every
    # other one is quadratic (minutes on a megabyte-long line).
    return pair.derived(_count_fingerprints)


def _count_fingerprints(pair: DocumentPair) -> Counter:
    return Counter(_fingerprint(s.text(pair.target)) for s in pair.target_sentences)


_LIST_MARKERS = "-–—•*·"
_SENTENCE_END = (".", "!", "?", "…", '"', "“", "”", "»", "«")
_HEADLINE_WORDS = 25   # a line of its own this short reads as a headline


def _line_of(text: str, start: int, end: int) -> str:
    """The whole line (paragraph) around a span."""
    return text[text.rfind("\n", 0, start) + 1:(text.find("\n", end) + 1 or len(text) + 1) - 1]


def _is_list_item(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and stripped[0] in _LIST_MARKERS


def describe_unpaired_target(pair: DocumentPair, index: int) -> tuple[str, str]:
    """Say why an unpaired target sentence is there: ``(kind, message)``.

    Recognises text that is not article text by its shape alone, never by its
    words: a repeat of another sentence (``"repeat"``; a repeated headline
    when it is a short line of its own), a run of list items and the label
    that introduces it (``"related-list"``: the related-story lists of news
    pages), a lone list item, a label ending in a colon or a short line
    without sentence punctuation (``"boilerplate"``: navigation, advertising).
    Anything else is a plain ``"addition"``.
    """
    sentences = pair.target_sentences
    sentence = sentences[index]
    text = sentence.text(pair.target)
    stripped = text.strip()
    key = _fingerprint(text)
    if key and _fingerprint_counts(pair)[key] > 1:  # counted once per pair, not per sentence
        line = _line_of(pair.target, sentence.start, sentence.end).strip()
        if line == stripped and len(_WORD.findall(stripped)) <= _HEADLINE_WORDS:
            return "repeat", ("repeated headline: this line appears again in the translation "
                              "(page furniture, not article text)")
        return "repeat", "repeated text: this sentence appears again in the translation (a duplicated paragraph)"
    neighbours = [sentences[k].text(pair.target) for k in (index - 1, index + 1) if 0 <= k < len(sentences)]
    next_text = sentences[index + 1].text(pair.target) if index + 1 < len(sentences) else ""
    if _is_list_item(stripped) and any(_is_list_item(n) for n in neighbours):
        return "related-list", ("not article text: an item of a list of other headlines "
                                "(related-story list, navigation)")
    is_label = stripped.endswith(":") or (len(_WORD.findall(stripped)) <= 4 and not stripped.endswith(_SENTENCE_END))
    if is_label and _is_list_item(next_text):
        return "related-list", "not article text: the heading of a list of other headlines (related-story list)"
    if _is_list_item(stripped) or stripped.endswith(":"):
        return "boilerplate", "not article text: a list item or label (related-story list, navigation)"
    if is_label:
        return "boilerplate", ("not article text: a short label without sentence punctuation "
                               "(page boilerplate, advertising, navigation)")
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
