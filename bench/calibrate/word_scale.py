"""A new quality-estimation model's word probabilities put on the reference model's scale, on train.

    .venv/bin/python bench/calibrate/word_scale.py MODEL.npz [--write OUT.npz] [--json OUT.json]
        [--reference src/mtlint/data/qe-head.npz] [--limit N]

The checks' word thresholds (`mistranslation`'s span threshold, the wrong-sense test's floor and
its major cut, the hint cut) were chosen for the reference model's probabilities, by what they
flag on human translations.  A new model's probabilities live on another scale.  This script maps
them onto the reference scale by quantiles of the two models' probabilities on the same human
translations: a word the new model puts at its q-th quantile gets the reference model's q-th
quantile.  Every threshold then flags as many words of human translations as before (the same
false-alarm cost to an editor), and the machine translations of the same sources show what the
flags are worth at a cut (share of flagged words a post-editor changed; share of changed words
flagged), both models in the same run.  ``--write`` stores the knots in a copy of the model file
(``config.word_scale_from`` / ``config.word_scale_to``), which mtlint.qe applies.

Data: MLQE-PE en-de TRAIN, only the sources bench/train/train_cross_encoder.py holds out of
training (``held_out(source, 0.1)``); each source with its post-edit (human: every word OK) and
its machine translation with word tags.  Dev splits are not read.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench" / "train"), str(ROOT / "bench" / "eval")]
SHARED = ROOT.parent / "shared" / "data"
_CONTENT = re.compile(r"\w")
# Quantiles of the knots: dense in the upper tail, where the checks' thresholds lie (0.55-0.9 on
# the reference scale flag about 17 to 0.04 in 100 human words).  The knots are fitted on words
# with a letter or digit, the only ones the checks flag; mtlint.qe applies them to every word.
QUANTILES = np.unique(np.concatenate([np.linspace(0.0, 0.9, 19), np.linspace(0.9, 0.99, 19),
                                      np.linspace(0.99, 0.999, 10)]))
CUTS = (0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.87, 0.9)


def rows(holdout: float = 0.1) -> list[dict]:
    from train_cross_encoder import held_out

    d = SHARED / "wordqe" / "en-de-train"
    src, mt, pe, tags = ((d / f"train.{n}").read_text(encoding="utf-8").splitlines()
                         for n in ("src", "mt", "pe", "tags"))
    out = []
    for s, m, p, g in zip(src, mt, pe, tags):
        if held_out(s.split(), holdout):
            out.append({"source": s.split(), "mt": m.split(), "pe": p.split(),
                        "bad": [x == "BAD" for x in g.split()[1::2]]})
    return out


def content(words: list[str]) -> np.ndarray:
    return np.array([bool(_CONTENT.search(w)) for w in words])


def probabilities(model: str, data: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Raw probabilities (no stored scale) of content words: on the post-edits, on the MT, and the MT's tags."""
    from cross_encoder import score

    from mtlint.qe import QualityEstimator

    estimator = QualityEstimator(model)
    human = score(estimator, [{"source": r["source"], "target": r["pe"]} for r in data])
    machine = score(estimator, [{"source": r["source"], "target": r["mt"]} for r in data])
    h = np.concatenate([p[0][content(r["pe"])] for p, r in zip(human, data)])
    m = np.concatenate([p[0][content(r["mt"])] for p, r in zip(machine, data)])
    bad = np.concatenate([np.asarray(r["bad"])[content(r["mt"])] for r in data])
    return h.astype(np.float64), m.astype(np.float64), bad


def knots(new_human: np.ndarray, ref_human: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monotone knots from the new model's quantiles to the reference's, ending at (0, 0) and (1, 1)."""
    x = np.concatenate([[0.0], np.quantile(new_human, QUANTILES), [1.0]])
    y = np.concatenate([[0.0], np.quantile(ref_human, QUANTILES), [1.0]])
    keep = np.concatenate([[True], np.diff(x) > 1e-9])  # strictly increasing for np.interp
    x, y = x[keep], np.maximum.accumulate(y[keep])
    return x, y


def at(threshold: float, human: np.ndarray, machine: np.ndarray, bad: np.ndarray) -> dict:
    flagged = machine >= threshold
    return {"cut": threshold, "human_flags_per_100_words": round(100.0 * float((human >= threshold).mean()), 3),
            "mt_precision": round(float(bad[flagged].mean()) if flagged.any() else 0.0, 4),
            "mt_recall": round(float(flagged[bad].mean()), 4), "mt_flags": int(flagged.sum())}


def write(model: str, out: Path, x: np.ndarray, y: np.ndarray) -> None:
    from train_cross_encoder import load_npz, save_npz

    arrays = load_npz(Path(model))
    arrays["config.word_scale_from"], arrays["config.word_scale_to"] = x.astype(np.float64), y.astype(np.float64)
    save_npz(out, arrays)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", help="a packed model for mtlint.qe (bench/eval/cross_encoder.py --pack)")
    parser.add_argument("--reference", default=str(ROOT / "src" / "mtlint" / "data" / "qe-head.npz"))
    parser.add_argument("--write", type=Path, help="a copy of the model file with the knots")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="the first N held-out sentences (a quick look)")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(2)
    data = rows()[:args.limit]
    ref = probabilities(args.reference, data)
    new = probabilities(args.model, data)
    x, y = knots(new[0], ref[0])
    mapped = tuple(np.interp(v, x, y) for v in new[:2]) + (new[2],)
    table = {"reference": [at(c, *ref) for c in CUTS], "model": [at(c, *mapped) for c in CUTS]}
    result = {"sentences": len(data), "human_words": int(len(ref[0])), "mt_words": int(len(ref[1])),
              "bad_rate": round(float(ref[2].mean()), 4), "cuts": table,
              "knots": [[round(float(a), 6), round(float(b), 6)] for a, b in zip(x, y)]}
    print(f"MLQE-PE en-de train, held-out sources: {len(data)} sentences, {result['human_words']} post-edit and "
          f"{result['mt_words']} MT content words, BAD rate {result['bad_rate']:.3f}\n")
    print("| cut (reference scale) | flags per 100 human words: reference / model | MT flagged words BAD: "
          "reference / model | MT BAD words flagged: reference / model |")
    print("|---:|---|---|---|")
    for r, m in zip(table["reference"], table["model"]):
        print(f"| {r['cut']:.2f} | {r['human_flags_per_100_words']:.2f} / {m['human_flags_per_100_words']:.2f} "
              f"| {r['mt_precision']:.3f} / {m['mt_precision']:.3f} | {r['mt_recall']:.3f} / {m['mt_recall']:.3f} |")
    if args.write:
        write(args.model, args.write, x, y)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
