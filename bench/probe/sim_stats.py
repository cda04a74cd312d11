"""Distribution of cross-lingual similarity on the dev sets (for calibration)."""
import csv, sys, numpy as np
from pathlib import Path
from mtlint.embed import get_encoder
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
enc = get_encoder()
rows = list(csv.reader(open(SHARED / "ced/ende_majority_dev.tsv", encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
src = [r[1] for r in rows]; tgt = [r[2] for r in rows]; lab = np.array([r[-1] == "ERR" for r in rows])
v = enc.encode(src + tgt); n = len(rows); sim = np.sum(v[:n] * v[n:], axis=1)
print("CED dev", n, "ERR", lab.sum())
for q in (5, 10, 25, 50): print("  NOT q%d=%.3f ERR q%d=%.3f" % (q, np.percentile(sim[~lab], q), q, np.percentile(sim[lab], q)))
best = max(((t, np.corrcoef(sim < t, lab)[0, 1]) for t in np.arange(0.70, 0.95, 0.005)), key=lambda x: x[1])
print("  best MCC threshold %.3f mcc %.3f" % best)
