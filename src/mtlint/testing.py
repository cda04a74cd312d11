"""Helpers for testing code that uses mtlint, and mtlint's own fast tests.

:func:`hashing_encoder` is a deterministic stand-in for the multilingual model: texts become
normalised bags of hashed character trigrams, so identical or near-identical texts are close and
unrelated ones far apart. It needs no model and no cache, costs microseconds, and is the same on
every machine. It knows nothing of translation: use it for checks that do not depend on
cross-lingual similarity (numbers, placeholders, punctuation, grammar), and the real model for
meaning checks and alignment quality.

    from mtlint import Checker, Options
    from mtlint.testing import hashing_encoder

    checker = Checker(Options(enable=["number-mismatch"]), encoder=hashing_encoder())
"""
from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np

from .embed import CachedEncoder


class HashingEncoder:
    """Character-trigram hashing into ``dim`` buckets, L2-normalised."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.model_id = f"hashing-trigrams-{dim}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.lower()}  "
            for i in range(len(padded) - 2):
                bucket = int.from_bytes(hashlib.blake2b(padded[i:i + 3].encode("utf-8", "surrogatepass"),
                                                        digest_size=4).digest(), "little") % self.dim
                vectors[row, bucket] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


def hashing_encoder(dim: int = 256) -> CachedEncoder:
    """A :class:`HashingEncoder` behind the run's in-memory cache (no disk cache)."""
    return CachedEncoder(HashingEncoder(dim), None)


def _no_model(texts):
    raise RuntimeError("check_unit runs rule checks only; this check needs the embedding model")


def check_unit(source: str, target: str, source_lang: str, target_lang: str, checks: list[str],
               max_width: int | None = None) -> list:
    """Run the rule checks ``checks`` (ids) on one software-string unit, as ``mtlint pairs`` does
    on PO/XLIFF input, without loading a model (tests, benchmarks, library callers)."""
    from .align import Link
    from .checks import select_checks
    from .checks.base import DocumentPair, run_checks
    from .resources.segment import Sentence

    s_sent = [Sentence(0, len(source), 0)] if source.strip() else []
    t_sent = [Sentence(0, len(target), 0)] if target.strip() else []
    link = Link(tuple(range(len(s_sent))), tuple(range(len(t_sent))), 1.0)
    pair = DocumentPair(source, target, source_lang, target_lang, s_sent, t_sent, [link], _no_model,
                        software_strings=True, max_width=max_width)
    return run_checks(pair, select_checks(checks, strings=True))
