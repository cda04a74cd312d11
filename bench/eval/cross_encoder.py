"""The quality-estimation model's own outputs on the dev sets: the shipped head beside a trained cross-encoder.

    .venv/bin/python bench/eval/cross_encoder.py RUN/deltas.npz --data CURRICULUM.jsonl [--holdout 0.1]
        [--pack OUT.npz] [--limit N]

Measures the model, not the checks built on it: per target word the BAD probability, per pair
the critical-error probability and the HTER estimate.  Thresholds come from the calibration part
of the training data (``--holdout``: the sources the trainer left out, bench/train/train_cross_encoder.py
``held_out``), never from dev: the word threshold maximises word MCC on the held-out curriculum
and MLQE-PE train tags, the critical threshold the MCC on the held-out sentence labels (WMT21 train
ERR/NOT, synthetic critical errors, human translations).  The shipped head keeps its stored
thresholds (chosen on a held-out tenth of its own train data).

Dev figures, each system in the same run:
* MLQE-PE en-de dev: word MCC at the threshold;
* WMT21 critical errors en-de dev: MCC at the threshold; plain similarity (best threshold on dev,
  an oracle) beside it;
* TED MQM en-de dev (never trained on: the family left out): Kendall tau of the HTER estimate
  against the expert MQM penalty; chrF with the human reference beside it.

``--pack`` writes the cross-encoder in the form ``mtlint.qe`` loads (layer differences as float16,
heads, thresholds) for ``src/mtlint/data``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench" / "train"), str(ROOT / "bench" / "eval")]
SHARED = ROOT.parent / "shared" / "data"


def pack(deltas: Path, out: Path, word_threshold: float, critical_threshold: float) -> None:
    """The trainer's deltas as a model file for mtlint.qe (plain arrays, no pickle); a file packed
    already (``config.start``: with a head attached, say) is copied with the new thresholds."""
    from train_cross_encoder import load_npz, save_npz

    arrays = load_npz(deltas)
    if "config.start" in arrays:
        arrays.update({"config.word_threshold": np.array(word_threshold),
                       "config.critical_threshold": np.array(critical_threshold)})
        save_npz(out, arrays)
        return
    config = json.loads(str(arrays.pop("config.json")))
    if config["form"] != "upper":
        raise SystemExit(f"mtlint: error: only the 'upper' form can be packed, not {config['form']!r}")
    packed = {k: (v.astype(np.float16) if k.startswith("layers.") else v.astype(np.float32)) for k, v in arrays.items()}
    packed.update({"config.start": np.array(config["start"]), "config.end": np.array(config["end"]),
                   "config.word_threshold": np.array(word_threshold),
                   "config.critical_threshold": np.array(critical_threshold),
                   "config.training": np.array(json.dumps(config, sort_keys=True))})
    save_npz(out, packed)


def score(estimator, items: list[dict], batch_size: int = 16):
    """Per item: (word BAD probabilities, critical probability, HTER estimate), from word lists as given."""
    import torch

    from mtlint.qe import collate, encode_pair, word_logits

    tok = estimator.tokenizer
    encoded = [encode_pair(tok, it["source"], it["target"]) for it in items]
    order = sorted(range(len(items)), key=lambda i: len(encoded[i].ids))
    out: list = [None] * len(items)
    with torch.inference_mode():
        for k in range(0, len(order), batch_size):
            chunk = order[k:k + batch_size]
            batch = [encoded[i] for i in chunk]
            ids, lengths, tmask = collate(batch, tok.special["pad"])
            _, _, critical, hter, token_bad = estimator._forward(ids, lengths, tmask)
            for row, (i, wl) in enumerate(zip(chunk, word_logits(token_bad, batch))):
                out[i] = (torch.sigmoid(wl).numpy(), float(torch.sigmoid(critical[row])), float(hter[row]))
    return out


def best_threshold(scores, gold) -> tuple[float, float]:
    """(threshold, MCC) maximising MCC over a grid of score quantiles."""
    grid = np.unique(np.quantile(scores, np.linspace(0.01, 0.99, 197)))
    from devsets import mcc

    return max(((float(t), mcc(np.asarray(scores) >= t, gold)) for t in grid), key=lambda x: (x[1], -x[0]))


def dev_sets(limit: int | None):
    from devsets import load_mqm

    from mtlint.qe import words

    def split(text):
        return [text[a:b] for a, b in words(text)]

    d = SHARED / "wordqe" / "en-de-dev"
    src, mt, tags = ((d / f"dev.{n}").read_text(encoding="utf-8").splitlines() for n in ("src", "mt", "tags"))
    wordqe = [{"source": s.split(), "target": t.split(), "bad": [x == "BAD" for x in g.split()[1::2]]}
              for s, t, g in zip(src, mt, tags)][:limit]
    ced = []
    for line in (SHARED / "ced" / "ende_majority_dev.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        ced.append({"source": split(parts[1]), "target": split(parts[2]), "err": parts[-1].strip() == "ERR",
                    "texts": (parts[1], parts[2])})
    segments = load_mqm()
    refs = {(d_, s): v["target"] for (sys_, d_, s), v in segments.items() if sys_ == "ref"}
    keys = sorted(k for k in segments if k[0] != "ref" and (k[1], k[2]) in refs)
    ted = [{"source": split(segments[k]["source"]), "target": split(segments[k]["target"]),
            "penalty": segments[k]["penalty"], "ref": refs[(k[1], k[2])], "text": segments[k]["target"]}
           for k in keys]
    return wordqe, ced[:limit], ted[:limit]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("deltas", help="a trainer's deltas.npz, or a packed model file")
    parser.add_argument("--data", nargs="+", required=True, help="the curriculum JSONL the model was trained on")
    parser.add_argument("--holdout", type=float, default=0.1)
    parser.add_argument("--pack", default=None, help="write the model file for mtlint.qe here")
    parser.add_argument("--cross-only", action="store_true", help="leave out the shipped head (another seed's run)")
    parser.add_argument("--limit", type=int, default=None, help="dev items per set (a quick look)")
    args = parser.parse_args(argv)
    import torch
    from scipy.stats import kendalltau
    from sacrebleu.metrics import CHRF
    from devsets import mcc
    from train_cross_encoder import load_items

    from mtlint.qe import ADAPTER_FILE, QualityEstimator

    torch.set_num_threads(2)
    calibration = load_items(args.data, args.holdout, calibration=True)
    packed = Path(args.pack) if args.pack else Path("/tmp") / f"mtlint-cross-{Path(args.deltas).parent.name}.npz"
    pack(Path(args.deltas), packed, 0.5, 0.5)
    systems = {"cross-encoder": QualityEstimator(str(packed))}
    thresholds = {}
    if not args.cross_only:  # the shipped head keeps its stored thresholds
        systems["shipped head"] = head = QualityEstimator(ADAPTER_FILE)
        thresholds["shipped head"] = (head.word_threshold, head.critical_threshold)
    scored = score(systems["cross-encoder"], calibration)
    tagged = [(p, it["bad"]) for p, it in zip(scored, calibration) if it["bad"] is not None]
    word_t, word_m = best_threshold(np.concatenate([p[0] for p, _ in tagged]), np.concatenate([b for _, b in tagged]))
    labelled = [(p[1], it["critical"]) for p, it in zip(scored, calibration) if it["critical"] is not None]
    crit_t, crit_m = best_threshold([p for p, _ in labelled], [g == 1.0 for _, g in labelled])
    thresholds["cross-encoder"] = (word_t, crit_t)
    print(f"calibration (held-out train): {len(calibration)} items; word threshold {word_t:.3f} (MCC {word_m:.3f}),"
          f" critical threshold {crit_t:.3f} (MCC {crit_m:.3f} on {len(labelled)} labelled)", file=sys.stderr)
    if args.pack:
        pack(Path(args.deltas), packed, word_t, crit_t)

    wordqe, ced, ted = dev_sets(args.limit)
    chrf = CHRF()
    ted_gold = np.array([t["penalty"] for t in ted])
    rows = []
    for name, estimator in systems.items():
        wt, ct = thresholds[name]
        w = score(estimator, wordqe)
        word_mcc = mcc(np.concatenate([p[0] for p in w]) >= wt, np.concatenate([it["bad"] for it in wordqe]))
        c = score(estimator, ced)
        ced_mcc = mcc([p[1] >= ct for p in c], [it["err"] for it in ced])
        t = score(estimator, ted)
        tau_hter = kendalltau([p[2] for p in t], ted_gold).statistic
        tau_crit = kendalltau([p[1] for p in t], ted_gold).statistic
        rows.append(f"| {name} | {word_mcc:.3f} | {ced_mcc:.3f} | {tau_hter:.3f} | {tau_crit:.3f} |"
                    f" {wt:.3f} / {ct:.3f} |")
    tau_chrf = kendalltau([-chrf.sentence_score(t["text"], [t["ref"]]).score for t in ted], ted_gold).statistic
    print(f"\nDev sets: MLQE-PE {len(wordqe)} sentences, CED {len(ced)} pairs, TED MQM {len(ted)} segments\n")
    print("| system | MLQE-PE word MCC | CED MCC | TED tau (HTER) | TED tau (critical prob.) | thresholds word / critical |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"| chrF with the human reference (TED only) | | | {tau_chrf:.3f} | | |")


if __name__ == "__main__":
    main()
