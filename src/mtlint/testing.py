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
