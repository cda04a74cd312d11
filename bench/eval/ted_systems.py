"""TED MQM dev at the system level: does mtlint rank the human reference and the 13 MT systems as the experts do?

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/eval/ted_systems.py

Per system (all 210 segments of the two talks): the experts' mean MQM penalty per segment,
mtlint's mean `score` and `mqm_penalty`, then the system-level Kendall tau, and each check's
penalty per segment on the human reference (`ref`) against the MT systems.  The reference
is a human translation, freer than MT; every issue mtlint raises on it is an issue the
experts would mostly not raise (their penalty on it is the lowest).
"""
from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path[:0] = [str(ROOT / "bench" / d) for d in ("eval", "calibrate", "speed", "train", "probe")]
WEIGHTS = {"Major": 5.0, "Minor": 1.0}
ISSUE_WEIGHTS = {"major": 5.0, "minor": 1.0, "critical": 25.0}


def main():
    from scipy.stats import kendalltau

    from devsets import run_pairs

    segments, expert = {}, defaultdict(float)
    with open(ROOT.parent / "shared" / "data" / "mqm" / "mqm_ted_ende.dev.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            key = (row["system"], row["doc"], int(row["seg_id"]))
            segments[key] = (row["source"], re.sub(r"</?v>", "", row["target"]))
            if row["category"] != "No-error":
                expert[key] += 0.1 if row["category"].startswith("Fluency/Punctuation") else WEIGHTS.get(row["severity"], 0.0)
    keys = sorted(segments)
    results = run_pairs([segments[k] for k in keys], "en", "de")
    systems = sorted({k[0] for k in keys})
    table = []
    for system in systems:
        rows = [(k, r) for k, r in zip(keys, results) if k[0] == system]
        table.append((np.mean([expert[k] for k, _ in rows]), system, np.mean([r["score"] for _, r in rows]),
                      np.mean([r["mqm_penalty"] for _, r in rows])))
    print("| system | experts' penalty per segment | mtlint `score` | mtlint penalty per segment |\n|---|---:|---:|---:|")
    for e, system, score, penalty in sorted(table):
        print(f"| {system} | {e:.2f} | {score:.4f} | {penalty:.2f} |")
    experts = [-t[0] for t in table]
    print(f"\nsystem-level Kendall tau: `score` {kendalltau([t[2] for t in table], experts).statistic:.3f}, "
          f"`mqm_penalty` {kendalltau([-t[3] for t in table], experts).statistic:.3f}")
    by_check = defaultdict(lambda: [0.0, 0.0])
    counts = [0, 0]
    for k, r in zip(keys, results):
        side = 0 if k[0] == "ref" else 1
        counts[side] += 1
        for issue in r["issues"]:
            by_check[issue["check"]][side] += ISSUE_WEIGHTS.get(issue["severity"], 0.0)  # a hint weighs nothing
    print("\n| check | penalty per segment, human reference | penalty per segment, MT systems |\n|---|---:|---:|")
    for check, (ref, mt) in sorted(by_check.items()):
        print(f"| `{check}` | {ref / counts[0]:.3f} | {mt / counts[1]:.3f} |")


if __name__ == "__main__":
    main()
