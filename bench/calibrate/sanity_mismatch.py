"""How far a document that translates another one falls below real translations: the data
behind mtlint.checks.sanity's MISMATCH thresholds.

    PYTHONPATH=src .venv/bin/python bench/calibrate/sanity_mismatch.py [--docs 40] [--size 12] [--json]

Real translations: pseudo-documents of ``--size`` consecutive sentence pairs from the TRAIN
splits in ../shared (MLQE-PE en-de train sources with their human post-edits; WMT21 CED
en-de train pairs labelled NOT, i.e. without a critical error).  Mismatched: the same source
documents paired with another document's translation.  Each pair is aligned as the pipeline
aligns it; printed per group: the share of source sentences in a link with both sides
(coverage) and the links' similarity margin over chance (mtlint.checks.sanity's statistic),
as percentiles.  Dev splits are not read.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared" / "data"


def _arg(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def documents(size: int, count: int) -> list[tuple[list[str], list[str], str]]:
    wordqe = SHARED / "wordqe" / "en-de-train"
    src = (wordqe / "train.src").read_text(encoding="utf-8").splitlines()
    pe = (wordqe / "train.pe").read_text(encoding="utf-8").splitlines()
    with open(SHARED / "ced" / "ende_majority_train.tsv", encoding="utf-8") as fh:
        ced = [(r[1], r[2]) for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if r[-1] == "NOT"]
    out = []
    for name, pairs in (("mlqe-pe", list(zip(src, pe))), ("ced", ced)):
        for k in range(count // 2):
            chunk = pairs[k * size:(k + 1) * size]
            out.append(([s for s, _ in chunk], [t for _, t in chunk], name))
    return out


def main() -> None:
    from mtlint.align import align
    from mtlint.checks.sanity import alignment_statistics
    from mtlint.embed import get_encoder

    size, count = _arg("--size", 12), _arg("--docs", 40)
    encoder = get_encoder()
    docs = documents(size, count)
    groups: dict[str, list[tuple[float, float]]] = {"real": [], "mismatched": []}
    for n, (source, target, _) in enumerate(docs):
        other = docs[(n + len(docs) // 2 + 1) % len(docs)][1]  # another corpus's document: surely unrelated
        for group, tgt in (("real", target), ("mismatched", other)):
            links = align(source, tgt, encoder.encode)
            groups[group].append(alignment_statistics(links, encoder.encode(source), encoder.encode(tgt)))
    result = {}
    for group, values in groups.items():
        coverage = np.array([c for c, _ in values])
        similarity = np.array([s for _, s in values])  # the margin (unlinked source sentences count 0)
        result[group] = {"documents": len(values),
                         "coverage": {f"p{q}": round(float(np.percentile(coverage, q)), 3) for q in (0, 5, 50, 95, 100)},
                         "margin": {f"p{q}": round(float(np.percentile(similarity, q)), 3)
                                        for q in (0, 5, 50, 95, 100)}}
    if "--json" in sys.argv:
        print(json.dumps(result, indent=2, sort_keys=True))
        return
    columns = [("coverage", "p0"), *(("margin", q) for q in ("p0", "p5", "p50", "p95", "p100"))]
    print("| | documents | " + " | ".join(f"{kind} {q}" for kind, q in columns) + " |")
    print("|---|---:|" + "---:|" * len(columns))
    for group, figures in result.items():
        print(f"| {group} | {figures['documents']} | " + " | ".join(str(figures[k][q]) for k, q in columns) + " |")


if __name__ == "__main__":
    main()
