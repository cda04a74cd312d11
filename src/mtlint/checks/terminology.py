"""A user glossary: required and forbidden renderings of source terms.

Formats
-------
CSV (``.csv``, comma) or TSV (``.tsv``, tab), UTF-8, with a header row naming
the columns ``source``, ``target``, ``forbidden`` and ``note`` (``source``
and one of ``target``/``forbidden`` are needed; alternatives inside a cell are
separated by ``|``). A row with an empty ``source`` forbids its ``forbidden``
words everywhere in the translation.

TBX (``.tbx``: TBX 2008 ``martif`` or TBX v3 ``tbx``): each concept entry's
terms in the run's source language are the source terms; its target-language
terms are required renderings, except those whose administrative status
(or normative authorisation) is deprecated or superseded, which are forbidden.
XML is parsed with defusedxml: entity declarations and external references
are refused.

Matching
--------
Words are compared by their Snowball stems (lower-cased), so inflected forms
match ("Sanktion" matches "Sanktionen", "sanctioned" matches "sanctions").
In compounding languages (German, Dutch, Scandinavian) the last word of a
term also matches the end of a compound ("Sanktion" in
"Wirtschaftssanktionen"). Languages without a Snowball stemmer (e.g.
Ukrainian) match a text word that begins with the term word less its last two
letters (at least four kept) and is at most four letters longer.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .base import DocumentPair, Finding, register
from ..resources.glossary import Entry, Glossary

# Snowball algorithm names by ISO 639-1 code.
_STEMMERS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french",
    "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
_COMPOUNDING = frozenset({"de", "nl", "sv", "da", "no", "nb"})
_WORD = re.compile(r"\w+", re.UNICODE)
_MIN_STEM = 4  # shorter stems match whole words only (no prefix, no compound head)


# --- matching ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _stemmer(lang: str):
    import snowballstemmer

    name = _STEMMERS.get(lang)
    return snowballstemmer.stemmer(name) if name else None


@dataclass(frozen=True)
class _Term:
    text: str
    words: tuple[str, ...]  # lower-cased
    stems: tuple[str, ...]


@functools.lru_cache(maxsize=65536)
def _term(text: str, lang: str) -> _Term:
    words = tuple(w.lower() for w in _WORD.findall(text))
    stemmer = _stemmer(lang)
    stems = tuple(stemmer.stemWords(list(words))) if stemmer else tuple(w[: max(_MIN_STEM, len(w) - 2)] for w in words)
    return _Term(text, words, stems)


class _Words:
    """The words of one span of text with their stems, for term look-up."""

    def __init__(self, text: str, start: int, end: int, lang: str) -> None:
        matches = list(_WORD.finditer(text, start, end))
        self.spans = [(m.start(), m.end()) for m in matches]
        self.words = [m.group(0).lower() for m in matches]
        self.lang = lang
        stemmer = _stemmer(lang)
        self.stems = stemmer.stemWords(self.words) if stemmer else self.words
        # Where words match only by equal stems, a term whose first stem is absent cannot match:
        # a set look-up saves scanning the sentence for most glossary entries.
        self.stem_set = frozenset(self.stems) if stemmer else None

    def find(self, term: _Term) -> tuple[tuple[int, int], int] | None:
        """The first occurrence of ``term``: its character span and how many words match letter for letter."""
        n = len(term.stems)
        if (self.stem_set is not None and n and term.stems[0] not in self.stem_set
                and (n > 1 or self.lang not in _COMPOUNDING or len(term.stems[0]) < _MIN_STEM)):
            return None
        for i in range(len(self.stems) - n + 1) if n else ():
            if all(self._word_matches(term.stems[k], i + k, last=k == n - 1) for k in range(n)):
                exact = sum(self.words[i + k] == term.words[k] for k in range(n))
                return (self.spans[i][0], self.spans[i + n - 1][1]), exact
        return None

    def _word_matches(self, stem: str, index: int, last: bool) -> bool:
        candidate = self.stems[index]
        if candidate == stem:
            return True
        if len(stem) < _MIN_STEM:
            return False
        if _stemmer(self.lang) is None:
            word = self.words[index]
            return word.startswith(stem) and len(word) <= len(stem) + 4
        return last and self.lang in _COMPOUNDING and candidate.endswith(stem)


def _best(words: _Words, terms: tuple[str, ...], lang: str):
    """``(span, exact words)`` of the best-matching alternative, or None."""
    found = [hit for term in terms if (hit := words.find(_term(term, lang)))]
    return max(found, key=lambda hit: (hit[0][1] - hit[0][0], hit[1], -hit[0][0])) if found else None


def _source_matches(entries: list[Entry], words: _Words, lang: str) -> list[tuple[Entry, tuple[int, int]]]:
    """Entries whose source term is in ``words``; where two claim overlapping words (stems conflate
    "sanctioned" and "sanctions"), the longer and more literal match wins, as in term-base look-up."""
    hits = []
    for order, entry in enumerate(entries):
        hit = _best(words, entry.source, lang)
        if hit:
            (start, end), exact = hit
            hits.append((-(end - start), -exact, order, entry, (start, end)))
    kept: list[tuple[Entry, tuple[int, int]]] = []
    for *_, entry, span in sorted(hits, key=lambda h: h[:3]):
        if all(span[1] <= other[0] or other[1] <= span[0] for _, other in kept):
            kept.append((entry, span))
    return sorted(kept, key=lambda pair: (pair[1], entries.index(pair[0])))


def _quoted(terms: tuple[str, ...]) -> str:
    return " or ".join(f'"{t}"' for t in terms)


def _note(entry: Entry) -> str:
    return f" ({entry.note})" if entry.note else ""


@register("glossary", "terminology/glossary", "major",
          "A source term from the user's glossary rendered without its required translation, or with a forbidden one.")
def glossary(pair: DocumentPair):
    terms: Glossary | None = pair.glossary
    if terms is None:
        return
    entries = terms.entries_for(pair.source_lang, pair.target_lang)
    conditional = [entry for entry in entries if entry.source]
    everywhere = [entry for entry in entries if not entry.source]
    if everywhere:  # forbidden words with no source term: every target sentence, aligned or not
        for sentence in pair.target_sentences:
            target_words = _Words(pair.target, sentence.start, sentence.end, pair.target_lang)
            for entry in everywhere:
                yield from _forbidden(pair, entry, target_words, None)
    if not conditional:
        return
    for link, source_span, target_span in pair.aligned():
        source_words = _Words(pair.source, *source_span, pair.source_lang)
        target_words = _Words(pair.target, *target_span, pair.target_lang)
        for entry, found in _source_matches(conditional, source_words, pair.source_lang):
            forbidden = list(_forbidden(pair, entry, target_words, found))
            yield from forbidden
            if not forbidden and entry.required and not _best(target_words, entry.required, pair.target_lang):
                yield Finding(target_span=target_span, source_span=found,
                              message=f'"{pair.source[found[0]:found[1]]}" is not rendered as '
                                      f"{_quoted(entry.required)} as the glossary requires{_note(entry)}",
                              suggestion=entry.required[0], confidence=0.8)


def _forbidden(pair: DocumentPair, entry: Entry, target_words: _Words, source_span: tuple[int, int] | None):
    """At most one finding: the first forbidden word of ``entry`` in the target span."""
    hit = _best(target_words, entry.forbidden, pair.target_lang)
    if hit:
        span = hit[0]
        what = f'rendering of "{pair.source[source_span[0]:source_span[1]]}"' if source_span else "word"
        advice = f"; use {_quoted(entry.required)}" if entry.required else ""
        yield Finding(target_span=span, source_span=source_span,
                      message=f'"{pair.target[span[0]:span[1]]}" is a forbidden {what} in the glossary'
                              f"{advice}{_note(entry)}",
                      suggestion=entry.required[0] if entry.required else None)
