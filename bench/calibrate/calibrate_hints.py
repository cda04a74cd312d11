"""The confidence cuts below which a finding is a hint (mtlint.verdict's HINT_* constants).

    PYTHONPATH=src .venv/bin/python bench/calibrate/calibrate_hints.py [--limit 600] [--budget 0.5] [--json]

Human translations should draw (almost) no confident findings.  On the MLQE-PE en-de TRAIN
split in ../shared (sources with their post-edits: human translations), every check runs in
segment-pair mode with no finding demoted.  Findings no cut weighs (rule checks' majors and
criticals, wrong senses the dictionary confirms: verdict.is_low_confidence) take their share of
the ``--budget`` (0.5 per 100 words: the target for human translations).  Two families are cut:
mistranslation and critical-error (confidence: the model's probability) and the other checks'
minor findings (confidence: a fixed value per rule).  Chosen: the pair of cuts that demotes the
fewest findings while all that stay come to at most the budget (the least intervention; on a tie
the lower cuts).  Printed: each family's rate at a few cuts and the chosen cuts (``--json``: at every
candidate cut, as ``--from FILE`` reads it to choose again).  Dev splits are not read.
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
    if "--from" in sys.argv:
        show(choose(json.loads(Path(_arg("--from", "")).read_text(encoding="utf-8")), budget))
        return
    folder = SHARED / "wordqe" / "en-de-train"
    sources = (folder / "train.src").read_text(encoding="utf-8").splitlines()[:limit]
    edits = (folder / "train.pe").read_text(encoding="utf-8").splitlines()[:limit]
    verdict.tune(HINT_MODEL_CONFIDENCE=0.0, HINT_RULE_CONFIDENCE=0.0)  # nothing demoted: raw findings
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
    out = {"sentences": len(results), "words": words, "findings_per_check": dict(sorted(per_check.items())),
           "kept_per_100_words": round(100.0 * kept / words, 3), "rate_per_100_words": {}}
    for family, values in families.items():
        cuts = sorted({round(v, 2) for v in values} | {1.01})
        out["rate_per_100_words"][family] = {f"{cut:.2f}": round(100.0 * sum(1 for v in values if v >= cut) / words, 3)
                                            for cut in cuts}
    show(choose(out, budget))


SHOWN_CUTS = (0.6, 0.7, 0.8, 0.83, 0.85, 0.86, 0.87, 0.9)


def show(out: dict) -> None:
    """``out`` as JSON with ``--json`` (what ``--from`` reads), else as Markdown: each family's rate at
    the shown cuts and the chosen ones."""
    if "--json" in sys.argv:
        print(json.dumps(out, indent=2, sort_keys=True))
        return
    chosen = out["chosen"]
    cuts = sorted(set(SHOWN_CUTS) | {chosen["model"], chosen["rule"]})
    names = {"model": "mistranslation, critical-error (the model's probability)",
             "rule": "other checks' minor findings (fixed confidence per rule)"}

    def rate(family: str, cut: float) -> float:  # findings at or above the cut, per 100 words
        rates = out["rate_per_100_words"][family]
        return next(rates[k] for k in sorted(rates, key=float) if float(k) >= cut - 1e-9)

    print(f"{out['sentences']} sentences, {out['words']} words; findings before any cut: "
          + ", ".join(f"`{check}` {n}" for check, n in out["findings_per_check"].items()) + "\n")
    print("| family | all | " + " | ".join(f"{cut:g}" for cut in cuts) + " |")
    print("|---|---:|" + "---:|" * len(cuts))
    for family, name in names.items():
        marked = lambda cut: f"**{rate(family, cut)}**" if cut == chosen[family] else str(rate(family, cut))  # noqa: E731
        print(f"| {name} | {rate(family, 0.0)} | " + " | ".join(marked(cut) for cut in cuts) + " |")
    print(f"\nNever weighed by a cut: {out['kept_per_100_words']} per 100 words.  Chosen: model {chosen['model']:g}, "
          f"rules {chosen['rule']:g}; findings that are not hints: {chosen['non_hint_per_100_words']} per 100 words.")


def choose(out: dict, budget: float) -> dict:
    """``out`` with "chosen": the cuts keeping the most findings within the budget (module docstring)."""
    model, rule = out["rate_per_100_words"]["model"], out["rate_per_100_words"]["rule"]
    room = budget - out["kept_per_100_words"]
    pairs = [(m, r) for m in model for r in rule if model[m] + rule[r] <= room + 1e-9]
    best = max(pairs, key=lambda pair: (model[pair[0]] + rule[pair[1]], -float(pair[0]), -float(pair[1])))
    total = out["kept_per_100_words"] + model[best[0]] + rule[best[1]]
    return {**out, "chosen": {"model": float(best[0]), "rule": float(best[1]),
                              "non_hint_per_100_words": round(total, 3)}}


if __name__ == "__main__":
    main()
