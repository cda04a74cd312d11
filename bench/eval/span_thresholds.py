"""The span thresholds of the `mistranslation` check against the expert spans of TED MQM en-de dev.

    .venv/bin/python bench/eval/span_thresholds.py

A dev measurement: the shipped threshold (0.75) was set with this table and the corpus, not on a
train split; bench/calibrate/word_scale.py carries it to another model by its false-alarm rate on
human translations of train.

For each candidate threshold: character precision/recall of the runs of
words at or above it against the expert spans (all error categories, and
Accuracy/Mistranslation only).  Prints a table; the chosen values live in
src/mtlint/checks/meaning.py with a pointer here.
"""
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path[:0] = [str(ROOT / "bench" / d) for d in ("eval", "calibrate", "speed", "train", "probe")]

from devsets import char_set, load_mqm  # noqa: E402
from mtlint.qe_cache import cached_estimate  # noqa: E402

segments = load_mqm()
keys = sorted(k for k in segments if k[0] != "ref")
segs = [segments[k] for k in keys]
estimates = cached_estimate([(s["source"], s["target"]) for s in segs])
print("| threshold | P (any error) | R (any error) | P (mistranslation) | R (mistranslation) | words flagged |")
print("|---|---|---|---|---|---|")
for threshold in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8):
    stats = np.zeros((2, 3))
    flagged = 0
    for s, e in zip(segs, estimates):
        pred = char_set((a, b) for (a, b), p in zip(e.word_spans, e.word_bad)
                        if p >= threshold and any(c.isalnum() for c in s["target"][a:b]))
        flagged += sum(1 for (a, b), p in zip(e.word_spans, e.word_bad) if p >= threshold)
        for row, keep in enumerate((lambda c: True, lambda c: c == "Accuracy/Mistranslation")):
            gold = char_set((a, b) for a, b, c, _ in s["spans"] if keep(c))
            stats[row] += (len(pred & gold), len(pred - gold), len(gold - pred))
    cells = []
    for tp, fp, fn in stats:
        cells += [f"{tp / max(tp + fp, 1):.3f}", f"{tp / max(tp + fn, 1):.3f}"]
    print(f"| {threshold} | " + " | ".join(cells) + f" | {flagged} |")
