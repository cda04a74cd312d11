"""Hunspell dictionaries (Debian's hunspell-* packages) read with spylls: is a word known as written?"""
from __future__ import annotations

import functools
import os


DICTIONARY_DIRS = ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")


DICTIONARIES = {"de": ("de_DE", "hunspell-de-de")}  # target language -> (hunspell name, Debian package)


@functools.lru_cache(maxsize=None)
def dictionary_path(lang: str) -> str | None:
    """Base path (without .aff/.dic) of the hunspell dictionary for ``lang``, if installed."""
    if lang not in DICTIONARIES:
        return None
    name = DICTIONARIES[lang][0]
    for directory in DICTIONARY_DIRS:
        base = os.path.join(directory, name)
        if os.path.isfile(base + ".aff") and os.path.isfile(base + ".dic"):
            return base
    return None


@functools.lru_cache(maxsize=4)
def lookuper(base: str):
    from spylls.hunspell import Dictionary

    return Dictionary.from_files(base).lookuper


@functools.lru_cache(maxsize=200_000)
def known_as_written(base: str, word: str) -> bool:
    # capitalization=False: no case folding, "Haus" and "haus" are different words.
    return bool(lookuper(base)(word, capitalization=False))
