"""The quality-estimation cache (mtlint.qe_cache): hits skip the model, keys follow the weights, processes share it."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import asdict

import numpy as np
import pytest

from conftest import CORPUS, ROOT, reference_for

from mtlint import qe, qe_cache
from mtlint.embed import CachedEncoder, EmbeddingCache, ResultStore, measure_usage
from mtlint.qe import PairEstimate
from mtlint.qe_cache import cached_estimate, decode_estimate, encode_estimate, model_key

pytestmark = [pytest.mark.skipif(not qe.available(), reason="no trained quality-estimation head"), pytest.mark.model]

SOURCE = "The minister resigned on Monday after weeks of pressure."
TARGETS = ["Der Minister trat am Montag nach wochenlangem Druck zurück.",
           "Der Minister trat am Dienstag nach wochenlangem Druck zurück.",  # same length as the first
           "Der Kanzler trat am Montag nach wochenlangem Druck zurück."]
PAIRS = [(SOURCE, t) for t in TARGETS]


class FakeEncoder:
    """Vectors without a model: enough to make a CachedEncoder the run's encoder."""
    model_id, dim = "fake", 2

    def encode(self, texts):
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def _estimate(pairs, store):
    with measure_usage() as usage:
        results = cached_estimate(pairs, store)
    return results, usage


def test_second_estimate_runs_no_pass_and_returns_equal_results(tmp_path):
    store = ResultStore(EmbeddingCache(str(tmp_path)))
    first, cold = _estimate(PAIRS + PAIRS[:1], store)  # a repeat inside the call is computed once
    assert cold.forward_passes == {"quality-estimation": 3} and cold.cached_passes == {"quality-estimation": 1}
    assert store.stats.results_computed == 3

    second, warm = _estimate(PAIRS, store)            # the same run: its memory
    assert warm.forward_passes == {} and second == first[:3]
    third, disk = _estimate(PAIRS, ResultStore(EmbeddingCache(str(tmp_path))))  # a new run: the disk
    assert disk.forward_passes == {} and third == first[:3]
    # The report counts what the document needed, whatever the cache held.
    assert cold.as_dict(1)["forward_passes"] == {"quality-estimation": 4}
    assert warm.as_dict(1)["forward_passes"] == disk.as_dict(1)["forward_passes"] == {"quality-estimation": 3}


def test_results_do_not_depend_on_what_was_cached_before(tmp_path):
    # The model's head gives a pair slightly different bits in a batch of two
    # than alone; a cache must not let that leak into reports.
    estimator = qe.get_estimator()
    alone = [estimator.estimate([p])[0] for p in PAIRS]
    partly_warm = ResultStore(EmbeddingCache(str(tmp_path / "a")))
    cached_estimate(PAIRS[1:2], partly_warm)
    assert cached_estimate(PAIRS, partly_warm) == alone
    assert cached_estimate(PAIRS, ResultStore(EmbeddingCache(str(tmp_path / "b")))) == alone


def test_the_run_encoder_decides_the_cache_and_no_cache_skips_the_disk(tmp_path):
    with_cache = CachedEncoder(FakeEncoder(), EmbeddingCache(str(tmp_path)))
    with_cache.encode(["x"])  # as the alignment does before the checks run
    cached_estimate(PAIRS)
    assert with_cache.stats.results_computed == 3

    without = CachedEncoder(FakeEncoder(), None)  # --no-cache
    without.encode(["x"])
    _, usage = _estimate(PAIRS, None)
    assert usage.forward_passes == {"quality-estimation": 3} and without.stats.results_disk_hits == 0

    again = CachedEncoder(FakeEncoder(), EmbeddingCache(str(tmp_path)))
    again.encode(["x"])
    _, usage = _estimate(PAIRS, None)
    assert usage.forward_passes == {} and again.stats.results_disk_hits == 3


def test_a_changed_head_misses_and_its_results_never_reach_the_disk(tmp_path, monkeypatch):
    cache_dir = str(tmp_path / "cache")
    cached_estimate(PAIRS, ResultStore(EmbeddingCache(cache_dir)))

    same = tmp_path / "same.npz"  # the same bytes elsewhere: the key is the content, not the path
    same.write_bytes(open(qe.ADAPTER_FILE, "rb").read())
    monkeypatch.setattr(qe, "ADAPTER_FILE", str(same))
    _, usage = _estimate(PAIRS, ResultStore(EmbeddingCache(cache_dir)))
    assert usage.forward_passes == {}

    stored = dict(np.load(str(same)))
    name = next(k for k in stored if not k.startswith("config."))
    stored[name] = stored[name] + np.asarray(0.5, dtype=stored[name].dtype)  # "retrained"
    changed = tmp_path / "changed.npz"
    np.savez(changed, **stored)
    monkeypatch.setattr(qe, "ADAPTER_FILE", str(changed))
    changed_key = model_key()
    assert changed_key != model_key(qe_cache._head(str(same)))
    _, usage = _estimate(PAIRS, ResultStore(EmbeddingCache(cache_dir)))
    assert usage.forward_passes == {"quality-estimation": 3}
    # This process's model still has the old weights: what it computed is not
    # filed under the new weights' key for other processes to find.
    with sqlite3.connect(os.path.join(cache_dir, "embeddings.sqlite3")) as conn:
        keys = {model for (model,) in conn.execute("SELECT DISTINCT model FROM results")}
    assert keys == {model_key(qe_cache._head(str(same)))}


def test_a_warm_hit_in_a_new_process_never_imports_torch(tmp_path):
    cache_dir = tmp_path / "cache"
    cold = cached_estimate(PAIRS, ResultStore(EmbeddingCache(str(cache_dir))))
    script = textwrap.dedent(f"""
        import json, sys
        from dataclasses import asdict
        from mtlint.embed import measure_usage
        from mtlint.qe_cache import cached_estimate, critical_threshold
        with measure_usage() as usage:
            results = cached_estimate({PAIRS!r})
        print(json.dumps({{"results": [asdict(r) for r in results], "torch": "torch" in sys.modules,
                          "passes": dict(usage.forward_passes), "threshold": critical_threshold()}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env=dict(os.environ, MTLINT_CACHE_DIR=str(cache_dir)))
    out = json.loads(done.stdout)
    assert out["torch"] is False and out["passes"] == {}
    assert out["results"] == json.loads(json.dumps([asdict(r) for r in cold]))
    assert out["threshold"] == qe.get_estimator().critical_threshold


def test_stored_json_is_exact_and_compact():
    (real,) = cached_estimate(PAIRS[:1], ResultStore(None))
    text = encode_estimate(real)
    assert decode_estimate(text) == real and text.startswith("[32,")
    assert len(text) < 0.6 * len(json.dumps(asdict(real)))
    # Numbers that are not float32 values fall back to exact float64 text ...
    odd = PairEstimate(**{**asdict(real), "critical": 0.1, "hter": 1 / 3, "word_bad": [2 / 3] * len(real.word_bad)})
    assert json.loads(encode_estimate(odd))[0] == 64 and decode_estimate(encode_estimate(odd)) == odd
    # ... and what cannot be written exactly is not stored at all.
    assert encode_estimate(PairEstimate(**{**asdict(real), "critical": np.float32(0.5)})) is None


_WRITER = textwrap.dedent("""
    import sys
    from mtlint.embed import EmbeddingCache, ResultStore
    cache_dir, worker = sys.argv[1], int(sys.argv[2])
    store = ResultStore(EmbeddingCache(cache_dir))
    keys = [f"pair {i}".encode() for i in range(150)]
    for i in range(150):  # overlapping keys, one transaction each, in a different order per process
        k = keys[(i + 37 * worker) % 150] if worker % 2 else keys[149 - i]
        store.put_many("m", [(k, "value of " + k.decode())])
    fresh = ResultStore(EmbeddingCache(cache_dir)).get_many("m", keys)
    assert fresh == {k: "value of " + k.decode() for k in keys}, "missing or wrong rows"
""")


def test_concurrent_processes_share_the_result_cache(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), str(w)], stderr=subprocess.PIPE,
                              text=True) for w in range(4)]
    errors = [p.communicate()[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    with sqlite3.connect(str(tmp_path / "embeddings.sqlite3")) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT digest) FROM results").fetchone() == (150, 150)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs corpus/")
def test_a_warm_document_check_gives_the_same_report_without_the_model(tmp_path, monkeypatch):
    # meaning.py calls the model through qe.get_estimator(); stand in for it as
    # meaning.py will once it calls cached_estimate and qe_cache.critical_threshold.
    from mtlint.pipeline import Options, check_documents
    from mtlint.formats import read_document

    real = qe.get_estimator()
    calls = []
    monkeypatch.setattr(real, "estimate", lambda pairs, **kw: calls.append(len(pairs)) or
                        type(real).estimate(real, pairs, **kw))

    class ThroughTheCache:
        estimate = staticmethod(cached_estimate)
        critical_threshold = property(lambda self: qe_cache.critical_threshold())

    monkeypatch.setattr(qe, "get_estimator", ThroughTheCache)
    target = sorted(CORPUS.glob("*.txt"))[0]
    source = reference_for(target)
    options = Options(enable=["mistranslation", "critical-error"])
    from mtlint.embed import get_encoder

    def run():  # a new run each time (fresh memory), one disk cache
        encoder = get_encoder(cache_dir=str(tmp_path))
        return check_documents(read_document(str(source)), read_document(str(target)), options, encoder)

    cold = run()
    aligned = sum(1 for link in cold.links if link.source and link.target)
    assert sum(calls) >= aligned > 10  # the cold run ran the model on every aligned pair
    calls.clear()
    warm = run()
    assert calls == []
    assert warm.as_dict() == cold.as_dict()
    assert warm.stats["forward_passes"]["quality-estimation"] >= aligned
