"""Word frequencies (wordfreq's zipf scale): known words, function words, content words.

wordfreq tokenises a word before looking it up, and for Chinese, Japanese and Korean that needs
jieba or MeCab, optional packages that are often missing; for a language without a word list
(Thai) it raises LookupError. Here a missing tokeniser falls back to looking the word up as
written in the language's list (how CJK lists are keyed: one token per entry), and a language
without a list has frequency 0 (an unknown word).

Answers are kept on disk (:mod:`.store`): wordfreq's lists load only for words not seen before.
"""
from __future__ import annotations

import functools
import math

from .store import fingerprint, persistent

FUNCTION_WORD_ZIPF = 6.0  # source words more frequent than this (the, of, under) are grammar, not sense


@functools.lru_cache(maxsize=1)
def _wordfreq_data() -> str:
    return fingerprint(packages=["wordfreq"])


@functools.lru_cache(maxsize=None)
def _direct_lookup(lang: str) -> dict[str, float] | None:
    from wordfreq import get_frequency_dict

    try:
        return get_frequency_dict(lang)
    except LookupError:
        return None


@functools.lru_cache(maxsize=None)
def _tokeniser_available(lang: str) -> bool:
    """Can wordfreq tokenise ``lang``? Tried once per language on a probe word."""
    import logging

    from wordfreq import zipf_frequency

    logger = logging.getLogger("wordfreq")
    level = logger.level
    logger.setLevel(logging.ERROR)  # wordfreq logs a warning for scripts it cannot tokenise
    try:
        zipf_frequency("a", lang)
        return True
    except (ImportError, LookupError, OSError):
        return False
    finally:
        logger.setLevel(level)


@persistent("zipf", 1, lambda word, lang: _wordfreq_data())
def zipf(word: str, lang: str) -> float:
    """wordfreq's zipf frequency of ``word`` in ``lang`` (0 for an unknown word or language)."""
    from wordfreq import zipf_frequency

    if _tokeniser_available(lang):
        return zipf_frequency(word, lang)
    table = _direct_lookup(lang)
    if not table:
        return 0.0
    frequency = table.get(word.casefold(), 0.0)
    return round(math.log10(frequency) + 9, 2) if frequency > 0 else 0.0


def content_word(word: str, lang: str) -> bool:
    return zipf(word, lang) <= FUNCTION_WORD_ZIPF
