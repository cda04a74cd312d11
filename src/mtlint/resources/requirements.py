"""What checks may need besides the texts: data packages and the trained model.

A check declares its requirements (``@register(..., requires=[HUNSPELL_DE])``); the pipeline
skips a check whose requirement is missing and says so once in the report's warnings.
``available`` only looks for files: it never loads the resource.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Requirement:
    """Something a check needs besides the texts, and whether it is installed here."""

    id: str
    summary: str                        # what is missing, in a warning: "no hunspell dictionary de_DE"
    install: str                        # how to get it: "the Debian package hunspell-de-de"
    available: Callable[[], bool]


def _hunspell_de() -> bool:
    from .hunspell import dictionary_path

    return dictionary_path("de") is not None


def _qe_model() -> bool:
    from ..qe import available

    return available()


def _wordnet() -> bool:
    from .wordnet import counts_path

    return counts_path() is not None


HUNSPELL_DE = Requirement("hunspell-de", "no hunspell dictionary de_DE", "the Debian package hunspell-de-de",
                          _hunspell_de)
QE_MODEL = Requirement("qe-model", "no trained quality-estimation head",
                       "src/mtlint/data/qe-head.npz, built by bench/train/train_qe.py", _qe_model)
WORDNET = Requirement("wordnet", "no verbs of saying", "the Debian package wordnet-base", _wordnet)


def _ding() -> bool:
    import os

    from .lexicon import DING_PATHS

    return os.path.isfile(os.environ.get("MTLINT_DICTIONARY") or DING_PATHS[("en", "de")])


DING = Requirement("ding", "no German-English dictionary (Ding)", "the Debian package trans-de-en", _ding)
