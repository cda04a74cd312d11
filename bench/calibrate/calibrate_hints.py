"""The confidence cuts below which a finding is a hint (mtlint.verdict's HINT_* constants).

    PYTHONPATH=src .venv/bin/python bench/calibrate/calibrate_hints.py [--limit 600] [--budget 0.5]

Human translations should draw (almost) no confident findings.  On the MLQE-PE en-de TRAIN
split in ../shared (sources with their post-edits: human translations), every check runs in
segment-pair mode with no finding demoted.  Findings no cut weighs (rule checks' majors and
criticals, wrong senses the dictionary confirms: verdict.is_low_confidence) take their share of
the ``--budget`` (0.5 per 100 words: the target for human translations); the rest is halved
between two families, mistranslation and critical-error (confidence: the model's probability)
and the other checks' minor findings (confidence: a fixed value per rule), and for each the
lowest cut is chosen at which the findings at or above it stay within its half.  Printed: the
rate of each family at each candidate cut, and the chosen cuts.  Dev splits are not read.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared" / "data"


def _arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main() -> None:
    from mtlint import verdict
    from mtlint.pipeline import Options, check_pairs
    from mtlint.score import word_count

    limit, budget = int(_arg("--limit", "600")), float(_arg("--budget", "0.5"))
    folder = SHARED / "wordqe" / "en-de-train"
    sources = (folder / "train.src").read_text(encoding="utf-8").splitlines()[:limit]
    edits = (folder / "train.pe").read_text(encoding="utf-8").splitlines()[:limit]
    verdict.HINT_MODEL_CONFIDENCE = verdict.HINT_RULE_CONFIDENCE = 0.0  # nothing demoted: raw findings
    results = check_pairs(list(zip(sources, edits)), "en", "de", Options())
    words = sum(word_count(t) for t in edits)
    families = {"model": [], "rule": []}
    kept = 0  # findings no cut weighs (verdict.is_low_confidence): rule majors, confirmed wrong senses
    per_check: dict[str, int] = {}
    for result in results:
        for issue in result.issues:
            if issue.check in verdict.SANITY_CHECKS:
                continue
            per_check[issue.check] = per_check.get(issue.check, 0) + 1
            if issue.check in verdict.PROBABILITY_CHECKS and not (issue.check == "mistranslation"
                                                                  and issue.severity == "major"):
                families["model"].append(float(issue.confidence))
            elif issue.check not in verdict.PROBABILITY_CHECKS and issue.severity == "minor":
                families["rule"].append(float(issue.confidence))
            else:
                kept += 1
    kept_rate = 100.0 * kept / words
    out = {"sentences": len(results), "words": words, "findings_per_check": dict(sorted(per_check.items())),
           "rate_per_100_words": {}, "chosen": {}, "kept_per_100_words": round(kept_rate, 3)}
    budget = max(0.0, budget - kept_rate)  # what the findings never weighed leave to the two families
    for family, values in families.items():
        cuts = sorted({round(v, 2) for v in values} | {1.01})
        rates = {cut: 100.0 * sum(1 for v in values if v >= cut) / words for cut in cuts}
        out["rate_per_100_words"][family] = {f"{cut:.2f}": round(rate, 3) for cut, rate in rates.items()}
        out["chosen"][family] = min(cut for cut, rate in rates.items() if rate <= budget / 2)
    print(json.dumps(out, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
