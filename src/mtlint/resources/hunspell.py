"""Hunspell dictionaries (Debian's hunspell-* packages) read with spylls: is a word known?

Answers are kept on disk (:mod:`.store`), filed under the dictionary files' fingerprint: a
dictionary loads (seconds, with spylls) only for words not seen before.
"""
from __future__ import annotations

import functools
import os

from .store import fingerprint, persistent

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


@functools.lru_cache(maxsize=8)
def dictionary_data(base: str, *_) -> str:
    """The fingerprint of the dictionary's files and of spylls (what its answers depend on)."""
    return fingerprint([base + ".aff", base + ".dic"], ["spylls"])


@persistent("hunspell-as-written", 1, dictionary_data)
def known_as_written(base: str, word: str) -> bool:
    """The dictionary knows ``word`` exactly as written (no case folding: "Haus" is not "haus")."""
    return bool(lookuper(base)(word, capitalization=False))


@persistent("hunspell-accepts", 1, dictionary_data)
def accepts(base: str, word: str) -> bool:
    """The dictionary accepts ``word`` with its compounding, affix and capitalisation rules."""
    return bool(lookuper(base)(word))
