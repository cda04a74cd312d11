"""Checking a corpus: many document pairs, in this process or in worker processes.

:func:`check_corpus` is ``mtlint report``: it pairs nothing itself (see
``cli.pair_documents``), it checks each (original, translation) pair, writes
the document's reports as soon as it is done (atomically: an interrupted run
keeps what it finished), and at the end writes ``report.json`` and
``index.html`` for the run.

Where the work runs is a *backend*, a function from an iterator of
:class:`DocumentJob` to an iterator of :class:`DocumentResult` (any order):
in this process (``jobs=1``), in a pool of worker processes
(``jobs>1``), or on Dask (:mod:`mtlint.distributed`).  Every backend calls
the same :func:`check_job`, and a text's embedding does not depend on the
process or batch it was computed in, so the reports are byte-identical
whichever backend ran them.

``mtlint pairs`` on a large file uses the same backends: :func:`check_pairs_file` cuts its rows
into :class:`PairsJob` shards, and :func:`check_job` checks either kind of job.

Cross-document checks: pass ``inventory=fn``, a picklable top-level function
``(pipeline.Report) -> JSON-able``; each worker calls it on each document and
:attr:`CorpusResult.inventories` holds all of them (by document name) at the
end, for a function that looks across documents.
"""
from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import __version__
from .embed import CachedEncoder, EncoderStats, available_cores, default_cache_dir, get_encoder, set_threads
from .pipeline import Options, check_documents
from .formats import read_document
from .read import Document

IN_FLIGHT_PER_WORKER = 2  # documents queued per worker: keeps workers busy, bounds memory


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs besides the documents (pickled once per worker)."""

    options: Options
    model: str | None = None
    cache_dir: str | None = None  # resolved by the parent, so workers share one cache
    use_cache: bool = True
    inventory: Callable | None = None

    def encoder(self) -> CachedEncoder:
        return get_encoder(self.model, cache_dir=self.cache_dir, use_cache=self.use_cache)


@dataclass
class DocumentJob:
    name: str  # a safe file stem, unique in the run
    source: Document
    target: Document


@dataclass
class DocumentResult:
    name: str
    encoder: str              # the encoder's model id
    files: dict[str, str]     # file name in the output directory -> content
    entry: dict               # this document's line in report.json
    index_report: dict        # the report without alignment and sentences, for index.html
    inventory: object = None  # Settings.inventory(report), if set
    encoder_stats: dict = field(default_factory=dict)  # cache hits etc. of this document (stderr only)


@dataclass
class CorpusResult:
    run: dict                 # report.json
    inventories: dict[str, object]
    encoder_stats: EncoderStats
    seconds: float

    @property
    def passed(self) -> bool:
        return bool(self.run["passed"])


@dataclass
class PairsJob:
    """Rows ``shard[0] .. shard[1] - 1`` of a file of segment pairs (``mtlint pairs``): only those
    rows (and their references, ids and limits), with the file statistics of all the file's rows
    (:func:`mtlint.checks.base.file_statistics`), which stand in for a document's."""

    name: str  # the file's key (its baseline entry)
    rows: list[tuple[str, str]]
    source_lang: str
    target_lang: str
    shard: tuple[int, int]
    statistics: dict
    references: list[str | None] | None = None
    ids: list[str] | None = None
    limits: list[int | None] | None = None

    def run(self, settings: Settings, encoder: CachedEncoder) -> tuple[int, list]:
        from .pipeline import check_pairs

        return self.shard[0], check_pairs(self.rows, self.source_lang, self.target_lang, settings.options, encoder,
                                          references=self.references, name=self.name, ids=self.ids,
                                          limits=self.limits, start=self.shard[0], statistics=self.statistics)


def check_job(job: DocumentJob | PairsJob, settings: Settings, encoder: CachedEncoder) -> DocumentResult:
    """One document pair: check it and render its reports (JSON, text, HTML),
    or render them from the cached report data when nothing it depends on changed.
    A :class:`PairsJob` gives (its first row, its rows' results)."""
    import json

    if isinstance(job, PairsJob):
        return job.run(settings, encoder)

    from . import run_cache
    from .safety import cache_warning

    key = run_cache.job_key(job, settings.options, encoder.model_id, settings.inventory)
    stored = encoder.results.get_many(run_cache.MODEL, [key]).get(key)
    if stored is not None:
        try:
            row = run_cache.validated(stored, job)
            return _document_result(job, row["report"], row["inventory"], {})
        except (run_cache.InvalidRow, KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            # A row this run did not write: dropped, recomputed and stored anew.
            cache_warning(f"run cache: invalid result for {job.name} ({exc.__class__.__name__}: "
                          f"{' '.join(str(exc).split())[:80]}); recomputed")
            encoder.results.drop(run_cache.MODEL, [key])
    report, inventory, stats = _check_job(job, settings, encoder)
    text = json.dumps({"report": report, "inventory": inventory})
    encoder.results.put_many(run_cache.MODEL, [(key, text)])
    # Rendered from what a later run will read back (tuples as lists), so both give the same bytes.
    row = json.loads(text)
    return _document_result(job, row["report"], row["inventory"], stats)


def _document_result(job: DocumentJob, data: dict, inventory, stats: dict) -> DocumentResult:
    """The document's files and report.json line, named after the job (never after stored data)."""
    from .renderers.html import article_page
    from .report import to_json, to_text

    files = {job.name + ".json": to_json(data),
             job.name + ".txt": to_text(data, job.target.text),
             job.name + ".html": article_page(data, job.source.text, job.target.text)}
    entry = {"name": job.name, "source": job.source.path, "target": job.target.path, "json": job.name + ".json",
             "html": job.name + ".html", "summary": data["summary"], "signature": data["signature"],
             "stats": data["stats"]}
    index_report = {k: v for k, v in data.items() if k not in ("alignment", "source_sentences", "target_sentences")}
    return DocumentResult(job.name, data["encoder"], files, entry, index_report, inventory, stats)


def _check_job(job: DocumentJob, settings: Settings, encoder: CachedEncoder) -> tuple[dict, object, dict]:
    """(the report's data, the inventory, this document's encoder statistics)."""
    before = EncoderStats(**encoder.stats.as_dict())
    report = check_documents(job.source, job.target, settings.options, encoder)
    stats = {k: v - getattr(before, k) for k, v in encoder.stats.as_dict().items()}
    inventory = settings.inventory(report) if settings.inventory else None
    return report.as_dict(), inventory, stats


# ----------------------------------------------------------------- backends

Backend = Callable[[Iterator[DocumentJob], Settings], Iterator[DocumentResult]]


def in_process(jobs: Iterator[DocumentJob], settings: Settings) -> Iterator[DocumentResult]:
    encoder = settings.encoder()
    for job in jobs:
        yield check_job(job, settings, encoder)


_worker_state: dict = {}


def _init_worker(settings: Settings, threads: int) -> None:
    from .safety import install_warning_format

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the workers
    install_warning_format()  # one-line warnings, as the parent prints them
    set_threads(threads)
    _worker_state["settings"] = settings
    _worker_state["encoder"] = settings.encoder()


def _work(job: DocumentJob) -> DocumentResult:
    return check_job(job, _worker_state["settings"], _worker_state["encoder"])


class _HeldSignals:
    """SIGINT and SIGTERM held while the main thread works the pool, and
    delivered by :meth:`deliver` at points where that is safe.

    Why: Python raises KeyboardInterrupt between any two bytecodes.  Raised
    inside ``concurrent.futures.wait`` it can leave a future's lock held; the
    pool's manager thread then blocks on that lock and ``shutdown`` waits for
    it forever (an interrupted ``--jobs 2`` run hung in CI).  A held signal is
    re-raised with ``signal.raise_signal`` once the previous handlers are back,
    so it ends the run exactly as it would have: KeyboardInterrupt, or
    whatever the SIGTERM handler does."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self.received: list[int] = []
        self.previous: dict = {}
        self.hold()

    def hold(self) -> None:
        import threading

        if self.previous or threading.current_thread() is not threading.main_thread():
            return  # only the main thread receives signals (and may set handlers)
        for signum in self.SIGNALS:
            if signal.getsignal(signum) not in (signal.SIG_IGN, None):
                self.previous[signum] = signal.signal(signum, self._note)

    def _note(self, signum, frame) -> None:
        self.received.append(signum)

    def restore(self) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)
        self.previous = {}

    def deliver(self) -> None:
        """Restore the handlers and re-raise the first held signal, if any.  A handler that
        does not raise (one that only notes the signal) lets the run go on, unheld."""
        if self.received:
            signum = self.received[0]
            self.received.clear()
            self.restore()
            signal.raise_signal(signum)


POLL_SECONDS = 0.2  # how soon a held Ctrl-C is acted on while waiting for workers


def _stop_workers(executor) -> None:
    """End ``executor``'s workers now, without waiting for documents still running.

    The pool has no public way to do this before Python 3.14, hence the private
    attributes.  A worker killed while sending its (large) result leaves half a
    message in the result pipe; the pool's manager thread would wait for the rest
    forever, since this process holds the pipe's write end too.  Closing that end
    turns the wait into EOFError, and the manager thread ends as for a crashed
    worker."""
    for process in list((executor._processes or {}).values()):
        process.terminate()
    if executor._result_queue is not None:
        executor._result_queue._writer.close()
    executor.shutdown(wait=True, cancel_futures=True)


def process_pool(workers: int, lost: str = "the documents finished so far are written and cached, a rerun checks "
                                         "only the rest") -> Backend:
    """Documents spread over ``workers`` processes, each with its own encoder
    (threads: the cores shared out) and the one on-disk cache (SQLite WAL)."""

    def run(jobs: Iterator[DocumentJob], settings: Settings) -> Iterator[DocumentResult]:
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        threads = max(1, available_cores() // workers)
        signals = _HeldSignals()

        def finished(pending: set) -> tuple[set, set]:
            while True:  # wait in short steps, so that a held signal is acted on
                signals.deliver()
                done, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                if done:
                    signals.deliver()
                    return done, pending

        executor = None
        try:
            # spawn: a fresh interpreter per worker, never a fork of a process with torch's threads running
            executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_init_worker, initargs=(settings, threads))
            pending: set = set()
            for job in jobs:
                signals.deliver()
                pending.add(executor.submit(_work, job))
                if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                    done, pending = finished(pending)
                    yield from (future.result() for future in done)
            while pending:
                done, pending = finished(pending)
                yield from (future.result() for future in done)
            signals.deliver()
            executor.shutdown()
        except BaseException as exc:
            # Interrupted or failed: do not wait for documents still running.  Signals are held
            # again meanwhile: a second Ctrl-C must not land inside the pool's shutdown either.
            signals.hold()
            if executor is not None:
                _stop_workers(executor)
            from concurrent.futures.process import BrokenProcessPool

            if isinstance(exc, BrokenProcessPool):
                from .errors import MtlintError

                raise MtlintError(f"a worker process ended abruptly (killed, or out of memory); {lost}") from None
            raise
        finally:
            held = signals.received[:1] if signals.previous else []
            signals.restore()
            if held:  # a second Ctrl-C, or the consumer stopped early (an error, close()): it still counts.
                # (When the generator is closed by the garbage collector, Python only prints what
                # the handler raises: the first error decides the exit code.)
                signal.raise_signal(held[0])

    return run


# A worker's peak memory: both models (sentence encoder, quality estimation)
# and a long article measured 0.9 GiB (docs/benchmarks.md); the rest is margin.
WORKER_MEMORY = 1.5 * 2**30


def available_memory() -> int | None:
    """Bytes this process may still use: MemAvailable, capped by a cgroup v2 limit; None if unknown."""
    limits = []
    try:
        with open("/proc/meminfo") as fh:
            limits += [int(line.split()[1]) * 1024 for line in fh if line.startswith("MemAvailable:")]
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open("/sys/fs/cgroup/memory.max") as fh:
            limit = fh.read().strip()
        if limit != "max":
            with open("/sys/fs/cgroup/memory.current") as fh:
                limits.append(int(limit) - int(fh.read()))
    except (OSError, ValueError):
        pass
    return min(limits) if limits else None


# Each worker pays its own start-up (imports, the hunspell dictionary, the
# bilingual dictionary, both models: about 10 CPU-s) against 1-2 s per warm
# and ~5 s per cold article; a worker needs several documents to pay off
# (docs/benchmarks.md: 5 articles took twice as long in 2 workers as in 1).
DOCUMENTS_PER_WORKER = 8


def default_jobs(documents: int) -> int:
    """Worker processes when none are asked for (``--jobs 0``, the default): one
    per core, but at most one per DOCUMENTS_PER_WORKER documents and as many as
    the free memory holds; a small corpus is checked in this process."""
    return _memory_bounded(min(available_cores(), -(-documents // DOCUMENTS_PER_WORKER)))


# ------------------------------------------------------------------- driver

SHARDS_PER_WORKER = 4  # a file's rows are cut into this many parts per worker: even load, visible progress
MIN_SHARD_ROWS = 32
CLUSTER_SHARDS = 64  # shards of a file sent to a cluster whose size this process does not know


def check_pairs_file(rows: list[tuple[str, str]], source_lang: str, target_lang: str, options: Options, *,
                     model: str | None = None, use_cache: bool = True, jobs: int = 0,
                     backend: Backend | None = None, references: list[str | None] | None = None,
                     ids: list[str] | None = None, limits: list[int | None] | None = None, name: str = "pairs",
                     progress: Callable[[int], None] | None = None, encoder: CachedEncoder | None = None) -> list:
    """``pipeline.check_pairs`` over worker processes (``jobs``; 0: one per core, as memory allows)
    or another backend (Dask): the rows are cut into contiguous shards, each checked with the whole
    file's statistics, and the results joined in file order, so they are the same as one
    process's.  The file statistics are worked out here, once, and each shard carries only its own
    rows.  One worker (or one shard) runs in this process, with ``encoder`` where given."""
    from .checks.base import file_statistics
    from .pipeline import check_pairs, mark_baseline

    workers = jobs if jobs > 0 else _memory_bounded(available_cores())
    shards_wanted = CLUSTER_SHARDS if backend is not None and jobs <= 1 else workers * SHARDS_PER_WORKER
    size = max(MIN_SHARD_ROWS, -(-len(rows) // shards_wanted))
    bounds = [(start, min(start + size, len(rows))) for start in range(0, len(rows), size)]
    settings = Settings(options, model, default_cache_dir() if use_cache else None, use_cache)
    if backend is None and (workers == 1 or len(bounds) <= 1):  # not worth a worker process
        return check_pairs(rows, source_lang, target_lang, options, encoder or settings.encoder(),
                           references=references, ids=ids, limits=limits, name=name, progress=progress)
    statistics = file_statistics(rows, source_lang, target_lang)

    def part(values: list | None, start: int, end: int) -> list | None:
        return values[start:end] if values else values

    shards = (PairsJob(name, rows[start:end], source_lang, target_lang, (start, end), statistics,
                       part(references, start, end), part(ids, start, end), part(limits, start, end))
              for start, end in bounds)
    run = backend or process_pool(min(workers, len(bounds)),
                                  lost="a rerun finds the model's answers so far in the cache")
    parts: dict[int, list] = {}
    for start, results in run(shards, settings):
        parts[start] = results
        if progress is not None:
            progress(3 * len(results))
    joined = [result for start in sorted(parts) for result in parts[start]]
    return mark_baseline(joined, rows, options, name)


def _memory_bounded(workers: int) -> int:
    """At most one worker per :data:`WORKER_MEMORY` of the memory still free, and at least one."""
    free = available_memory()
    return max(1, min(workers, int(free // WORKER_MEMORY))) if free is not None else max(1, workers)


def read_jobs(pairs: Iterable[tuple[str, str, str]], input_format: str | None = None) -> Iterator[DocumentJob]:
    """(name, source path, target path) -> jobs, each read only when a worker is free for it.

    Documents are read here, in the driver, for every backend (workers get the
    text), so ``input_format`` (text, markdown, html; None: by extension or
    content) applies to process pools and Dask alike."""
    for name, source_path, target_path in pairs:
        yield DocumentJob(name, read_document(source_path, input_format), read_document(target_path, input_format))


def check_corpus(pairs: list[tuple[str, str, str]], output_dir: str, options: Options | None = None, *,
                 model: str | None = None, use_cache: bool = True, cache_dir: str | None = None, jobs: int = 1,
                 unpaired: Iterable[str] = (), backend: Backend | None = None,
                 inventory: Callable | None = None, progress: bool = False,
                 input_format: str | None = None) -> CorpusResult:
    """Check every (name, source path, target path) pair; write each document's
    ``NAME.json``/``.txt``/``.html`` to ``output_dir`` as it finishes, then
    ``report.json`` and ``index.html``.  ``jobs``: worker processes (0: one
    per core); ``backend`` overrides where the work runs; ``input_format``:
    how the documents are read (see :func:`read_jobs`)."""
    from .embed import model_id_for
    from .renderers.html import index_page
    from .report import to_json, write_atomic
    from .safety import output_inside

    started = time.perf_counter()
    settings = Settings(options or Options(), model, (cache_dir or default_cache_dir()) if use_cache else None,
                        use_cache, inventory)
    if backend is None:
        workers = jobs if jobs > 0 else default_jobs(len(pairs))
        backend = in_process if workers <= 1 or len(pairs) <= 1 else process_pool(min(workers, len(pairs)))
    documents, pages, inventories, stats, encoders = [], [], {}, EncoderStats(), set()
    with _progress(progress, len(pairs)) as advance:
        for result in backend(read_jobs(pairs, input_format), settings):
            for file_name, content in result.files.items():
                write_atomic(output_inside(output_dir, file_name), content)  # a name never leaves -o
            documents.append(result.entry)
            pages.append({"report": result.index_report, "page": result.name + ".html", "name": result.name})
            inventories[result.name] = result.inventory
            stats.add(result.encoder_stats)
            encoders.add(result.encoder)
            advance(result.entry["target"])
    documents.sort(key=lambda d: (-d["summary"]["mqm_per_100_words"], d["name"]))
    pages.sort(key=lambda p: p["name"])
    unpaired = sorted(unpaired)
    target_sentences = sum(d["stats"]["target_sentences"] for d in documents)
    distinct_texts = sum(d["stats"]["encoder_distinct_texts"] for d in documents)
    run = {"schema": "mtlint.run/1", "documents": documents, "unpaired": unpaired,
           "mtlint_version": __version__, "config_hash": settings.options.config_hash(),
           "passed": all(d["summary"]["passed"] for d in documents),
           "encoder": ", ".join(sorted(encoders)) if encoders else model_id_for(model),
           "stats": {"target_sentences": target_sentences, "encoder_distinct_texts": distinct_texts,
                     "encoder_texts_per_target_sentence":
                         round(distinct_texts / target_sentences, 4) if target_sentences else 0.0}}
    write_atomic(os.path.join(output_dir, "report.json"), to_json(run))
    write_atomic(os.path.join(output_dir, "index.html"), index_page(pages, unpaired))
    return CorpusResult(run, dict(sorted(inventories.items())), stats, time.perf_counter() - started)


class _progress:
    """A progress bar over documents on stderr (click's), or nothing (``enabled`` false)."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled, self.total, self.bar = enabled and total > 0, total, None

    def __enter__(self) -> Callable[[str], None]:
        if not self.enabled:
            return lambda name: None
        import click

        self.bar = click.progressbar(length=self.total, label="checking", file=sys.stderr, show_pos=True,
                                     item_show_func=lambda name: name)
        self.bar.__enter__()
        return lambda name: self.bar.update(1, current_item=os.path.basename(name))

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def progress_wanted(quiet: bool, stream=None) -> bool:
    """Progress only for a person watching: not with --quiet, only on a terminal."""
    stream = stream or sys.stderr
    return not quiet and hasattr(stream, "isatty") and stream.isatty()
