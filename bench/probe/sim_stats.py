"""Plain cross-lingual similarity as a critical-error detector, on WMT21 critical errors en-de dev.

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/probe/sim_stats.py

Prints the percentiles of the e5 cosine of each pair, for the pairs without and with a critical
error, and the best MCC any single cosine threshold reaches (an oracle choice on dev).
"""
import csv
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SHARED, use_repository  # noqa: E402

use_repository()
from mtlint.embed import get_encoder  # noqa: E402

with open(SHARED / "ced" / "ende_majority_dev.tsv", encoding="utf-8") as fh:
    rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
src, tgt = [r[1] for r in rows], [r[2] for r in rows]
lab = np.array([r[-1] == "ERR" for r in rows])
v = get_encoder().encode(src + tgt)
n = len(rows)
sim = np.sum(v[:n] * v[n:], axis=1)
QUANTILES = (5, 10, 25, 50)
print("| | " + " | ".join(f"{q}th pct" if q != 50 else "median" for q in QUANTILES) + " |")
print("|---|" + "---:|" * len(QUANTILES))
for name, mask in (("without critical error (NOT", ~lab), ("with critical error (ERR", lab)):
    print(f"| cosine, pairs {name}, n={int(mask.sum())}) | "
          + " | ".join(f"{np.percentile(sim[mask], q):.3f}" for q in QUANTILES) + " |")
cuts = np.quantile(sim, np.linspace(0.01, 0.99, 99))  # every percentile of the data: both sides non-empty
best = max(((t, np.corrcoef(sim < t, lab)[0, 1]) for t in cuts), key=lambda x: x[1])
print(f"\nBest single cosine threshold on this set (an oracle): {best[0]:.3f}, MCC {best[1]:.3f}")
