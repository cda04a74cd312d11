"""How often the quality-estimation model flags words of clean human translations, per language pair.

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/eval/qe_language_pairs.py

The model's heads were trained on English-German only (MLQE-PE, WMT21).  Over
other pairs the frozen multilingual encoder carries it, but nothing calibrated
its word probabilities there.  Clean translations show the miscalibration
directly: every flagged word is a false flag.  Two clean sets from ../shared:

* en-de: the MLQE-PE dev post-edits (human-corrected translations) with their sources;
* fr-de: the Bleualign dev set (Text+Berg yearbook, human translations), its 1-1 links;
  and the same reversed (de-fr), a target language the heads never saw.

Printed per set: the share of content words at or above the shipped span
threshold, and the threshold at which each set flags as many words as en-de
does at the shipped threshold (what a per-pair calibration would set).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared" / "data"


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def en_de() -> list[tuple[str, str]]:
    d = SHARED / "wordqe" / "en-de-dev"
    return list(zip(lines(d / "dev.src"), lines(d / "dev.pe")))


def fr_de() -> list[tuple[str, str]]:
    d = SHARED / "alignment"
    de, fr = lines(d / "dev.de"), lines(d / "dev.fr")
    rows = []
    for link in lines(d / "dev.defr"):
        left, right = (json_list(x) for x in link.split(":"))
        if len(left) == 1 and len(right) == 1 and len(de[left[0]].split()) >= 5:
            rows.append((fr[right[0]], de[left[0]]))
    return rows


def json_list(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", text)]


def content_probabilities(rows) -> np.ndarray:
    from mtlint.qe_cache import cached_estimate

    values = []
    for (source, target), est in zip(rows, cached_estimate(rows)):
        values += [p for (a, b), p in zip(est.word_spans, est.word_bad) if re.search(r"\w", target[a:b])]
    return np.asarray(values)


def main():
    from mtlint.checks.meaning import SPAN_THRESHOLD

    sets = {"en-de (MLQE-PE dev post-edits)": en_de(), "fr-de (Bleualign dev, 1-1 links)": fr_de(),
            "de-fr (the same, reversed)": [(t, s) for s, t in fr_de()]}
    probabilities = {name: content_probabilities(rows) for name, rows in sets.items()}
    reference = float(np.mean(next(iter(probabilities.values())) >= SPAN_THRESHOLD))
    print(f"| clean set | sentences | content words | median p | flagged at {SPAN_THRESHOLD} | "
          f"threshold flagging {reference:.2%} |\n|---|---:|---:|---:|---:|---:|")
    for name, values in probabilities.items():
        matched = float(np.quantile(values, 1 - reference))
        print(f"| {name} | {len(sets[name])} | {len(values)} | {np.median(values):.2f} | "
              f"{np.mean(values >= SPAN_THRESHOLD):.2%} | {matched:.3f} |")


if __name__ == "__main__":
    main()
