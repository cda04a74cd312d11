"""German part-of-speech tags for the grammar checks: HanTa, the Hanover Tagger (a hidden Markov
model over morphological analyses, trained on the TIGER treebank; its model ships in the wheel, so
it works offline).  Tags are STTS at HanTa's level 1: "VV(FIN)" a finite full verb, "KOUS" a
subordinating conjunction, "PRELS" a relative pronoun, "NN" a noun.

Without HanTa installed the checks that need tags fall back to what they see without them.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# Words (with inner hyphens, dots and apostrophes: "Gatling-Gewehre", "1.100") and single punctuation marks.
_TOKEN = re.compile(r"\w+(?:[-.’']\w+)*|[^\w\s]")
MAX_TAGGED_CHARS = 2000  # a longer "sentence" is a run-on line, not worth a tagger pass per word
# HanTa's analysis of a word grows faster than its length (40 letters: 0.04 s, 100: 0.3 s, 2,000: 90 s);
# a longer token is tagged as a stand-in noun, and a sentence whose words' squared lengths sum past
# MAX_ANALYSIS_COST (30 words of 25 letters) is not tagged: a long German sentence costs about 6,000.
MAX_WORD_CHARS = 30
MAX_ANALYSIS_COST = 20_000
_STAND_IN = "Wort"


class Token(NamedTuple):
    text: str
    tag: str
    lemma: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _tagger():
    try:
        from HanTa import HanoverTagger

        return HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    except Exception:  # not installed, or its model unreadable: the checks do without tags
        return None


def available() -> bool:
    return _tagger() is not None


_SEP = "\x1f"  # joins words, lemmas and tags in the cache: never part of a token (a space to \s)


def _tag_tokens(words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(lemma, tag) per word.  Several checks tag every sentence of a document, one check after
    the other, so the cache must hold a whole document's sentences: kept as one string per
    sentence (about 0.6 KB), not as tuples of tuples (about 3 KB)."""
    if not any(_SEP in word for word in words):
        flat = _tag_joined(_SEP.join(words)).split(_SEP)
        if len(flat) == 2 * len(words):
            return tuple(zip(flat[0::2], flat[1::2]))
    return tuple((lemma, tag) for _, lemma, tag in _tagger().tag_sent(list(words), taglevel=1))


@lru_cache(maxsize=50_000)
def _tag_joined(joined: str) -> str:
    return _SEP.join(f"{lemma}{_SEP}{tag}" for _, lemma, tag in _tagger().tag_sent(joined.split(_SEP), taglevel=1))


def tag_german(text: str, start: int = 0, end: int | None = None) -> list[Token] | None:
    """The tokens of ``text[start:end]`` (one sentence) with their tags, offsets into ``text``;
    None without the tagger, or for a run-on line or one too costly to analyse."""
    end = len(text) if end is None else end
    if _tagger() is None or end - start > MAX_TAGGED_CHARS:
        return None
    found = list(_TOKEN.finditer(text, start, end))
    if not found:
        return []
    words = tuple(m.group(0) if len(m.group(0)) <= MAX_WORD_CHARS else _STAND_IN for m in found)
    if sum(len(word) ** 2 for word in words) > MAX_ANALYSIS_COST:
        return None
    tags = _tag_tokens(words)
    return [Token(m.group(0), tag, lemma, m.start(), m.end()) for m, (lemma, tag) in zip(found, tags)]
