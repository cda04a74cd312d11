"""Word frequencies (wordfreq's zipf scale): known words, function words, content words.

Answers are kept on disk (:mod:`.store`): wordfreq's lists load only for words not seen before.
"""
from __future__ import annotations

import functools

from .store import fingerprint, persistent

FUNCTION_WORD_ZIPF = 6.0  # source words more frequent than this (the, of, under) are grammar, not sense


@functools.lru_cache(maxsize=1)
def _wordfreq_data() -> str:
    return fingerprint(packages=["wordfreq"])


@persistent("zipf", 1, lambda word, lang: _wordfreq_data())
def zipf(word: str, lang: str) -> float:
    """wordfreq's zipf frequency of ``word`` in ``lang`` (0 for an unknown word)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


def content_word(word: str, lang: str) -> bool:
    return zipf(word, lang) <= FUNCTION_WORD_ZIPF
