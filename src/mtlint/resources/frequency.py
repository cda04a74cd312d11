"""Word frequencies (wordfreq's zipf scale): known words, function words, content words."""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


FUNCTION_WORD_ZIPF = 6.0  # source words more frequent than this (the, of, under) are grammar, not sense


def content_word(word: str, lang: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang) <= FUNCTION_WORD_ZIPF
