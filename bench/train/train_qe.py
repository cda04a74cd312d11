"""Build mtlint's quality-estimation heads (src/mtlint/data/qe-head.npz) from ../shared.

    export MTLINT_QE_FEATURES=/tmp/mtlint-qe-features
    MTLINT_QE_OUT=/tmp/word.npz .venv/bin/python bench/train/train_qe.py
    MTLINT_QE_OUT=/tmp/sentence.npz MTLINT_QE_WRONG_SENSE=0 .venv/bin/python bench/train/train_qe.py
    MTLINT_QE_OUT=/tmp/critical.npz MTLINT_QE_WRONG_SENSE=0 MTLINT_QE_CED_PAIRS=7878 MTLINT_QE_EPOCHS=5 \
        .venv/bin/python bench/train/train_qe.py
    .venv/bin/python bench/train/train_qe.py --combine /tmp/word.npz /tmp/sentence.npz /tmp/critical.npz
    .venv/bin/python bench/train/train_qe.py --replace-word src/mtlint/data/qe-head.npz /tmp/word.npz OUT.npz
    .venv/bin/python bench/train/train_qe.py --attach RUN/qe-cross.npz /tmp/critical.npz OUT.npz

The shipped file holds three heads over the same frozen features, one
recipe with different data, each used for the output it does best:
"word" (with the wrong-sense substitutions below) for word probabilities;
"sentence" (without them) for HTER; "critical" (without them, all 7,878
critical-error pairs, 5 epochs) for the critical-error probability.  The
substitutions sharpened words (wrong-sense dev challenge: flagged 0.20 ->
0.39) but cost sentence-level dev figures (CED MCC 0.387 -> 0.366, TED
Kendall tau 0.199 -> 0.175); all CED pairs raised the critical-error MCC on
CED dev from 0.387 to 0.425 (thresholds chosen on train) but lowered the
TED score's Kendall tau (0.194 -> 0.165, both outputs from that head).

Data (train splits only; 10% of each held out for early stopping and the
decision thresholds; the dev splits are measured by bench/eval/devsets.py, never
tuned on):
  * MLQE-PE en-de train (7,000 pairs): word tags OK/BAD and HTER;
  * WMT21 critical-error en-de train (ERR/NOT): a seeded random 4,000 of its
    7,878 pairs for the word and sentence heads (2 epochs), all of them for
    the critical head (5 epochs; the best epoch on the held-out tenth is kept);
  * wrong-sense substitutions (bench/eval/wrong_sense.py) built from the MLQE-PE
    train post-edits with Debian's Ding dictionary (needs trans-de-en): the
    post-edit with one word replaced by a dictionary rendering of its source
    word in another sense (that word BAD), next to the unmodified post-edit
    (all OK), so the head learns sense, not just MT-typical damage.
MTLINT_QE_BASE=RUN/qe-cross.npz reads the pair features from a fine-tuned cross-encoder's
layers instead (bench/train/train_cross_encoder.py); --attach puts the heads into a copy of
that file, where mtlint.qe takes the critical probability and HTER from them.
The frozen e5-small pair features are computed once and cached in
$MTLINT_QE_FEATURES (about 2 GB); training the head takes minutes on 2 cores.
Seeded: the same data and code give the same weights (the critical head rebuilt
on 2026-12-04 matched the shipped one to the last bit).  MTLINT_QE_HEAD_SEED
changes only the head's initialisation and batch order, for measuring seed
variance (docs/benchmarks.md: a three-seed critical ensemble, not shipped).  The head's size
(MTLINT_QE_DMODEL=128, MTLINT_QE_LAYERS=1) and MTLINT_QE_EPOCHS=2 fit the
2-core machine this was built on; a 2-layer 256-wide head took >7 min an
epoch there under load.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench" / "train"), str(ROOT / "bench" / "eval")]

from mtlint.qe import ADAPTER_FILE, PairEncoder, QualityEstimator, build_head, collate, encode_pair, word_logits, words  # noqa: E402
from train_cross_encoder import held_out, load_npz, save_npz  # noqa: E402  (npz files written atomically, read without pickle)

SHARED = ROOT.parent / "shared" / "data"
SEED = 13


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")[:-1] if path.read_text(encoding="utf-8").endswith("\n") \
        else path.read_text(encoding="utf-8").split("\n")


def load_mlqe(split: str):
    d = SHARED / "wordqe" / f"en-de-{split}"
    src, mt = read_lines(d / f"{split}.src"), read_lines(d / f"{split}.mt")
    tags, hter = read_lines(d / f"{split}.tags"), read_lines(d / f"{split}.hter")
    rows = []
    for s, t, g, h in zip(src, mt, tags, hter):
        tw = t.split()
        word_tags = g.split()[1::2]
        assert len(word_tags) == len(tw), (t, g)
        rows.append({"source": s.split(), "target": tw, "bad": [x == "BAD" for x in word_tags], "hter": float(h)})
    return rows


def load_ced(split: str):
    rows = []
    for line in read_lines(SHARED / "ced" / f"ende_majority_{split}.tsv"):
        parts = line.split("\t")
        if len(parts) < 5:
            continue
        s, t = parts[1], parts[2]
        rows.append({"source": [s[a:b] for a, b in words(s)], "target": [t[a:b] for a, b in words(t)],
                     "err": parts[-1].strip() == "ERR"})
    return rows


def load_curriculum(path: str):
    """The synthetic errors of a curriculum (bench/train/curriculum.py) as pairs of rows, the changed
    translation (its BAD words marked) then its unmodified human translation (all OK), like
    :func:`load_wrong_sense`'s; real post-edit tags and sentence labels are left to the other sets."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("type") in ("post-edit", "critical-label") or r.get("target_tags") is None:
                continue
            bad = [t == "BAD" for t in r["target_tags"]]
            gaps = sum(g == "BAD" for g in r.get("gap_tags", ()))  # an omission is BAD in the gaps only
            rows.append({"source": r["source"], "target": r["target"], "bad": bad,
                         "hter": min(1.0, (sum(bad) + gaps) / len(bad))})
            original = r["original"]
            rows.append({"source": r["source"], "target": original, "bad": [False] * len(original), "hter": 0.0})
    return rows


def load_wrong_sense():
    """Per substitution two rows, the changed post-edit then the original
    (kept adjacent so that the split below keeps them together)."""
    import wrong_sense

    rows = []
    for e in wrong_sense.build("train"):
        changed = wrong_sense.substituted(e)
        rows.append({"source": e["source"], "target": changed, "bad": [i == e["position"] for i in range(len(changed))],
                     "hter": 1.0 / len(changed)})
        rows.append({"source": e["source"], "target": e["target"], "bad": [False] * len(e["target"]), "hter": 0.0})
    return rows


def features_for(name: str, rows, encoder: PairEncoder, cache_dir: Path):
    """Frozen pair features per row (float16), cached on disk."""
    path = cache_dir / f"{name}.npz"
    encoded = [encode_pair(encoder.tokenizer, r["source"], r["target"]) for r in rows]
    if path.exists():
        stored = load_npz(path)
        return encoded, [stored[str(i)] for i in range(len(rows))]
    out: list = [None] * len(rows)
    order = sorted(range(len(rows)), key=lambda i: len(encoded[i].ids))
    started = time.time()
    with torch.inference_mode():
        for k in range(0, len(order), 32):
            chunk = order[k:k + 32]
            batch = [encoded[i] for i in chunk]
            ids, lengths, _ = collate(batch, encoder.tokenizer.special["pad"])
            feats = encoder.features(ids, lengths)
            for row, i in enumerate(chunk):
                out[i] = feats[row, :len(encoded[i].ids)].numpy().astype(np.float16)
            if k % 1600 == 0:
                print(f"  {name}: {k}/{len(rows)} pairs, {time.time() - started:.0f} s", flush=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    save_npz(path, {str(i): f for i, f in enumerate(out)})
    return encoded, out


def batches(items, size, shuffle, rng):
    order = list(range(len(items)))
    if shuffle:
        rng.shuffle(order)
    for k in range(0, len(order), size):
        yield [items[i] for i in order[k:k + size]]


def stack(batch, pad_width):
    lengths = torch.tensor([f.shape[0] for _, f, _ in batch])
    T = int(lengths.max())
    feats = torch.zeros((len(batch), T, pad_width))
    target_mask = torch.zeros((len(batch), T), dtype=torch.bool)
    for row, (enc, f, _) in enumerate(batch):
        feats[row, :f.shape[0]] = torch.from_numpy(f.astype(np.float32))
        target_mask[row, enc.target_start:len(enc.ids) - 1] = True
    return feats, lengths, target_mask


def predict(head, items, width):
    head.eval()
    crit, hter, bad = [], [], []
    with torch.inference_mode():
        for batch in batches(items, 64, False, None):
            feats, lengths, tmask = stack(batch, width)
            c, h, tb, _ = head(feats, lengths, tmask)
            crit += torch.sigmoid(c).tolist()
            hter += h.tolist()
            bad += [torch.sigmoid(w).tolist() for w in word_logits(tb, [b[0] for b in batch])]
    head.train()
    return np.array(crit), np.array(hter), bad


def mcc(pred, gold) -> float:
    pred, gold = np.asarray(pred, bool), np.asarray(gold, bool)
    tp, tn = np.sum(pred & gold), np.sum(~pred & ~gold)
    fp, fn = np.sum(pred & ~gold), np.sum(~pred & gold)
    denom = np.sqrt(float((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)))
    return float((tp * tn - fp * fn) / denom) if denom else 0.0


def best_threshold(scores, gold):
    grid = np.quantile(scores, np.linspace(0.02, 0.98, 97))
    values = [(mcc(scores >= t, gold), float(t)) for t in grid]
    return max(values)


def split(items):
    """The fixed held-out tenth (seeded by SEED whatever the head's seed)."""
    order = list(range(len(items)))
    random.Random(SEED).shuffle(order)
    cut = len(items) // 10
    return [items[i] for i in order[cut:]], [items[i] for i in order[:cut]]


def main():
    # The head's initialisation and batch order; the data and its held-out tenth stay seeded by SEED.
    head_seed = int(os.environ.get("MTLINT_QE_HEAD_SEED", str(SEED)))
    torch.manual_seed(head_seed)
    torch.set_num_threads(int(os.environ.get("MTLINT_QE_THREADS", "1")))  # oversubscribed OpenMP threads crawl on a busy machine
    rng = random.Random(head_seed)
    cache_dir = Path(os.environ.get("MTLINT_QE_FEATURES", "/tmp/mtlint-qe-features"))
    base = os.environ.get("MTLINT_QE_BASE")  # a packed cross-encoder: the head reads its fine-tuned states
    encoder = QualityEstimator(base).encoder if base else PairEncoder()
    width = encoder.width
    data = {}
    ced_rows = load_ced("train")
    ced_limit = min(len(ced_rows), int(os.environ.get("MTLINT_QE_CED_PAIRS", "4000")))  # bounds feature time
    curriculum = os.environ.get("MTLINT_QE_CURRICULUM")  # its synthetic errors in place of the wrong senses
    # MTLINT_QE_HOLDOUT=0.1: sources bench/train/train_cross_encoder.py holds out are left out of every set,
    # so that bench/calibrate/word_scale.py compares models on sentences none of them was trained on.
    holdout = float(os.environ.get("MTLINT_QE_HOLDOUT", "0"))
    suffix = f"-without-{holdout:g}" if holdout else ""
    if base:  # features of another encoder: cached apart
        suffix += "-base-" + hashlib.sha256(Path(base).read_bytes()).hexdigest()[:12]
    sense_name, sense_loader = "wrong-sense-train", load_wrong_sense
    if curriculum:
        sense_name = "curriculum-" + hashlib.sha256(Path(curriculum).read_bytes()).hexdigest()[:12]
        sense_loader = lambda: load_curriculum(curriculum)  # noqa: E731
    for name, loader in [("mlqe-train", lambda: load_mlqe("train")),
                         (f"ced-train-{ced_limit}", lambda: random.Random(SEED).sample(ced_rows, ced_limit)),
                         ("wrong-sense-train", sense_loader if os.environ.get("MTLINT_QE_WRONG_SENSE", "1") != "0"
                          else list)]:
        rows = loader()
        if holdout:
            rows = [r for r in rows if not held_out(r["source"], holdout)]
        encoded, feats = features_for((sense_name if name == "wrong-sense-train" else name) + suffix, rows,
                                      encoder, cache_dir)
        data[name] = [(e, f, r) for e, f, r in zip(encoded, feats, rows)]
        print(f"{name}: {len(rows)} pairs", flush=True)

    mlqe_train, mlqe_val = split(data["mlqe-train"])
    ced_train, ced_val = split(data[f"ced-train-{ced_limit}"])
    sense_pairs = [data["wrong-sense-train"][k:k + 2] for k in range(0, len(data["wrong-sense-train"]), 2)]
    sense_train, sense_val = split(sense_pairs)
    sense_train = [row for pair in sense_train for row in pair]
    sense_val = [row for pair in sense_val for row in pair]
    d_model = int(os.environ.get("MTLINT_QE_DMODEL", "128"))
    n_layers = int(os.environ.get("MTLINT_QE_LAYERS", "1"))
    head = build_head(width, seed=head_seed, d_model=d_model, layers=n_layers)
    optimiser = torch.optim.AdamW(head.parameters(), lr=float(os.environ.get("MTLINT_QE_LR", "1e-3")),
                                  weight_decay=0.01)
    bad_rate = np.mean([x for _, _, r in mlqe_train for x in r["bad"]])
    pos_weight = torch.tensor((1 - bad_rate) / bad_rate)
    err_rate = np.mean([r["err"] for _, _, r in ced_train])
    err_weight = torch.tensor((1 - err_rate) / err_rate)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    best, best_state, epochs = -1.0, None, int(os.environ.get("MTLINT_QE_EPOCHS", "2"))
    for epoch in range(epochs):
        started = time.time()
        mixed = [("mlqe", b) for b in batches(mlqe_train + sense_train, 32, True, rng)] + \
                [("ced", b) for b in batches(ced_train, 32, True, rng)]
        rng.shuffle(mixed)
        total = 0.0
        for kind, batch in mixed:
            feats, lengths, tmask = stack(batch, width)
            crit, hter, token_bad, _ = head(feats, lengths, tmask)
            if kind == "ced":
                gold = torch.tensor([float(r["err"]) for _, _, r in batch])
                loss = bce(crit, gold, pos_weight=err_weight)
            else:
                gold_h = torch.tensor([r["hter"] for _, _, r in batch])
                wl = torch.cat(word_logits(token_bad, [b[0] for b in batch]))
                gold_w = torch.tensor([float(x) for _, _, r in batch for x in r["bad"]])
                loss = bce(wl, gold_w, pos_weight=pos_weight) + 2.0 * torch.mean((hter - gold_h) ** 2)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(head.parameters(), 1.0)
            optimiser.step()
            total += float(loss.detach())
        crit_val, _, _ = predict(head, ced_val, width)
        ced_mcc, ced_t = best_threshold(crit_val, [r["err"] for _, _, r in ced_val])
        _, hter_val, bad_val = predict(head, mlqe_val, width)
        flat = np.concatenate([np.array(b) for b in bad_val])
        word_mcc, word_t = best_threshold(flat, [x for _, _, r in mlqe_val for x in r["bad"]])
        pearson = float(np.corrcoef(hter_val, [r["hter"] for _, _, r in mlqe_val])[0, 1])
        sense_mcc = 0.0
        if sense_val:
            _, _, sense_bad = predict(head, sense_val, width)
            sense_mcc = mcc(np.concatenate([np.array(b) for b in sense_bad]) >= word_t,
                            [x for _, _, r in sense_val for x in r["bad"]])
        score = ced_mcc + word_mcc + pearson + sense_mcc
        print(f"epoch {epoch + 1}: loss {total / len(mixed):.4f}  val CED MCC {ced_mcc:.3f}  word MCC {word_mcc:.3f}"
              f"  HTER r {pearson:.3f}  wrong-sense MCC {sense_mcc:.3f}  ({time.time() - started:.0f} s)", flush=True)
        if score > best:
            best = score
            best_state = {k: v.detach().clone() for k, v in head.state_dict().items()}
            thresholds = {"critical_threshold": ced_t, "word_threshold": word_t}
    head.load_state_dict(best_state)
    print(json.dumps(thresholds, indent=2))
    arrays = {k: v.numpy().astype(np.float16) for k, v in best_state.items()}
    arrays.update({"config.d_model": np.array(d_model), "config.layers": np.array(n_layers),
                   "config.critical_threshold": np.array(thresholds["critical_threshold"]),
                   "config.word_threshold": np.array(thresholds["word_threshold"])})
    out = Path(os.environ.get("MTLINT_QE_OUT", ADAPTER_FILE))
    out.parent.mkdir(parents=True, exist_ok=True)
    save_npz(out, arrays)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


def combine(word_file: str, sentence_file: str, critical_file: str | None = None, out: str = ADAPTER_FILE):
    """One file, two or three heads: ``word.*``, ``sentence.*`` (and ``critical.*``)
    arrays; the critical threshold from the critical head (else the sentence head),
    the word threshold from the word head."""
    heads = [("word", load_npz(Path(word_file))), ("sentence", load_npz(Path(sentence_file)))]
    if critical_file:
        heads.append(("critical", load_npz(Path(critical_file))))
    word, critical = heads[0][1], heads[-1][1]
    for key in ("config.d_model", "config.layers"):
        assert all(stored[key] == word[key] for _, stored in heads), f"{key} differs"
    arrays = {f"{name}.{k}": stored[k] for name, stored in heads for k in stored if not k.startswith("config.")}
    arrays.update({"config.d_model": word["config.d_model"], "config.layers": word["config.layers"],
                   "config.critical_threshold": critical["config.critical_threshold"],
                   "config.word_threshold": word["config.word_threshold"]})
    save_npz(Path(out), arrays)
    print(f"wrote {out} ({Path(out).stat().st_size / 1e6:.1f} MB)")


def replace_word(combined_file: str, word_file: str, out: str) -> None:
    """A copy of a combined file (``--combine``) with another "word" head and its word threshold."""
    combined, word = load_npz(Path(combined_file)), load_npz(Path(word_file))
    for key in ("config.d_model", "config.layers"):
        assert combined[key] == word[key], f"{key} differs"
    # a word scale belongs to the word head it was fitted for
    arrays = {k: v for k, v in combined.items() if not k.startswith(("word.", "config.word_scale_"))}
    arrays.update({f"word.{k}": v for k, v in word.items() if not k.startswith("config.")})
    arrays["config.word_threshold"] = word["config.word_threshold"]
    save_npz(Path(out), arrays)
    print(f"wrote {out} ({Path(out).stat().st_size / 1e6:.1f} MB)")


def attach(cross_file: str, head_file: str, out: str) -> None:
    """A copy of a packed cross-encoder with a head trained over its states (``critical.*``): mtlint.qe
    then takes the critical probability and HTER from the head.  The thresholds stay the cross-encoder
    file's until bench/eval/cross_encoder.py, given the attached file, chooses them on its held-out
    train data."""
    arrays, head = load_npz(Path(cross_file)), load_npz(Path(head_file))
    arrays.update({f"critical.{k}": v for k, v in head.items() if not k.startswith("config.")})
    arrays.update({"config.d_model": head["config.d_model"], "config.layers": head["config.layers"]})
    save_npz(Path(out), arrays)
    print(f"wrote {out} ({Path(out).stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--combine"]:
        combine(*sys.argv[2:5])
    elif sys.argv[1:2] == ["--replace-word"]:
        replace_word(*sys.argv[2:5])
    elif sys.argv[1:2] == ["--attach"]:
        attach(*sys.argv[2:5])
    else:
        main()
