"""The quality-estimation model's answers for a document pair (one batched call per document)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .requirements import QE_MODEL

if TYPE_CHECKING:
    from ..checks.base import Batch, DocumentPair


def estimates(pair: DocumentPair) -> list[tuple[tuple[int, int], tuple[int, int], object]]:
    """(source span, target span, PairEstimate) per aligned link: one batched model call per
    document, or per file of segment pairs where the run's checks need the model."""
    if _from_file(pair):
        results = pair.batch.derived(file_estimates)
        if results is None:
            return []
        source, target = pair.batch.row(pair.row)
        estimate = results[pair.row - pair.batch.start]
        return [((0, len(source)), (0, len(target)), estimate)] if source.strip() and target.strip() else []
    return pair.derived(_document_estimates)


def _from_file(pair: DocumentPair) -> bool:
    """Whether the pair's estimate comes from the file's batched pass (a one-sentence row of a
    file of segment pairs), not from its own aligned links."""
    return pair.batch is not None and QE_MODEL.id in pair.batch.needs and pair.batch.reads_whole(pair.row)


FILE_CHUNK = 256  # rows per model call on a file: batches well, and progress shows between chunks


def computed_estimates(pair: DocumentPair) -> list:
    """The estimates where a check already asked for them, else [] (the model is not run for this)."""
    if _from_file(pair):
        return estimates(pair) if pair.batch.computed(file_estimates) is not None else []
    return pair.computed(_document_estimates, default=[])


def file_estimates(batch: Batch) -> list | None:
    """The model's estimate for every row of the batch read whole, in chunks, in the order of
    ``batch.rows`` (None without the model; None in place of a row of several sentences).  A
    pair's estimate does not depend on the chunk it is read in."""
    from ..qe import available
    from ..qe_cache import cached_estimate

    if not batch.rows or not available():
        return None
    estimates: list = [None] * len(batch.rows)  # None: a row read link by link
    for first in range(0, len(batch.rows), FILE_CHUNK):
        chunk = range(first, min(first + FILE_CHUNK, len(batch.rows)))
        whole = [i for i in chunk if batch.reads_whole(batch.start + i)]
        for i, estimate in zip(whole, cached_estimate([batch.rows[i] for i in whole])):
            estimates[i] = estimate
        if batch.advance is not None:
            batch.advance(len(chunk))
    return estimates


def _document_estimates(pair: DocumentPair):
    from ..qe import available
    from ..qe_cache import cached_estimate

    aligned = list(pair.aligned())
    if aligned and available():
        rows = [(pair.source[s[0]:s[1]], pair.target[t[0]:t[1]]) for _, s, t in aligned]
        results = cached_estimate(rows)
    else:
        results = []
    return [(s, t, r) for (_, s, t), r in zip(aligned, results)]


def critical_threshold() -> float:
    from ..qe_cache import critical_threshold as trained_threshold

    return trained_threshold()


def estimate_rows(rows: list[tuple[str, str]]) -> list:
    """The model's estimates for (source, target) rows, through the cache."""
    from ..qe_cache import cached_estimate

    return cached_estimate(rows)
