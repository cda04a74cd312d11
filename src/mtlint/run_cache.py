"""Whole documents answered from the cache: a re-run over unchanged inputs checks nothing anew.

Embeddings and model estimates are cached per text, but a warm run would
still segment, align, load dictionaries and run every check (seconds per
document).  So ``mtlint report`` also stores each document's finished
results (its report files, its line in report.json, its names inventory) in
the same cache, under a key covering everything they depend on: the
documents (path, text, encoding), the languages and configuration hash, the
encoder, mtlint's own files (code and model heads), the installed packages'
versions and the external dictionaries' files (size and modification time).
Any change gives a new key, and a hit is what a recomputation would write,
byte for byte (tests/test_batch.py).

What is stored is the report's data only (schema ``MODEL``: a JSON object
``{"report": <the document's report.json>, "inventory": <JSON>}``), never
file names or rendered files: a hit is validated (:func:`validated`) and the
files are rendered from it anew, named after the job, so a poisoned row can
neither name a file outside ``-o`` nor carry markup past the renderers'
escaping.  A row that fails validation is dropped and recomputed.
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache

MODEL = "mtlint-document-results/2"  # the result store's model key for these entries


def _external_files() -> list[str]:
    """Data files outside the package that checks read (dictionaries), where installed."""
    from .resources.hunspell import DICTIONARIES, dictionary_path
    from .resources.lexicon import DING_PATHS

    paths = sorted(set(DING_PATHS.values()) | {os.environ.get("MTLINT_DICTIONARY") or ""})
    for lang in sorted(DICTIONARIES):
        base = dictionary_path(lang)
        if base:
            paths += [base + ".aff", base + ".dic"]
    return [p for p in paths if p]


@lru_cache(maxsize=1)
def environment_digest() -> str:
    """mtlint's files, the installed distributions and the external data, as one digest."""
    from importlib.metadata import distributions

    digest = hashlib.sha256()
    root = os.path.dirname(os.path.abspath(__file__))
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(directory, name)
            digest.update(os.path.relpath(path, root).encode() + b"\0")
            with open(path, "rb") as fh:
                digest.update(hashlib.sha256(fh.read()).digest())
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions() if d.metadata["Name"])
    digest.update("\n".join(installed).encode())
    for path in _external_files():
        try:
            stat = os.stat(path)
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{path}:absent\n".encode())
    return digest.hexdigest()


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def job_key(job, options, encoder_id: str, inventory) -> bytes:
    """The cache key of one document job's results."""
    payload = {
        "environment": environment_digest(),
        "name": job.name,
        "source": [job.source.path, job.source.encoding, _text_digest(job.source.text)],
        "target": [job.target.path, job.target.encoding, _text_digest(job.target.text)],
        "languages": [options.source_lang, options.target_lang],
        "config": options.config_hash(),
        "encoder": encoder_id,
        "inventory": f"{inventory.__module__}.{inventory.__qualname__}" if inventory else None,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).digest()


class InvalidRow(ValueError):
    """A stored result that does not have the schema's shape."""


def _need(condition: bool, what: str) -> None:
    if not condition:
        raise InvalidRow(what)


def _number(value) -> bool:
    import math

    return type(value) in (int, float) and math.isfinite(value)


def validated(text: str, job) -> dict:
    """The stored row ``text`` as ``{"report": ..., "inventory": ...}`` if it has the shape a run
    writes and belongs to ``job``; :class:`InvalidRow` otherwise.  What check_corpus reads from the
    report (summary, stats, signature) is type-checked; the rest is only ever rendered (escaped)."""
    try:
        row = json.loads(text)
    except (TypeError, ValueError):
        raise InvalidRow("not JSON") from None
    _need(isinstance(row, dict) and set(row) == {"report", "inventory"}, "not a result row")
    report = row["report"]
    _need(isinstance(report, dict), "report not an object")
    for side, document in (("source", job.source), ("target", job.target)):
        _need(isinstance(report.get(side), dict) and report[side].get("path") == document.path,
              f"{side} is not this job's")
    _need(isinstance(report.get("encoder"), str) and isinstance(report.get("signature"), str), "encoder, signature")
    summary, stats = report.get("summary"), report.get("stats")
    _need(isinstance(summary, dict) and _number(summary.get("mqm_per_100_words"))
          and type(summary.get("passed")) is bool and isinstance(summary.get("issues_by_severity"), dict)
          and all(type(v) is int for v in summary["issues_by_severity"].values()), "summary")
    _need(isinstance(stats, dict) and type(stats.get("target_sentences")) is int
          and type(stats.get("encoder_distinct_texts")) is int, "stats")
    for key in ("issues", "alignment", "source_sentences", "target_sentences", "warnings"):
        _need(isinstance(report.get(key), list), key)
    return row
