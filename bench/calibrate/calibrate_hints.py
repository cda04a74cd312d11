"""The confidence cuts below which a finding is a hint (mtlint.verdict's HINT_* constants).

    PYTHONPATH=src .venv/bin/python bench/calibrate/calibrate_hints.py [--limit 600] [--budget 0.5] [--json]

Human translations should draw (almost) no confident findings, and the findings that stay should
be the ones worth an editor's time.  On the MLQE-PE en-de TRAIN split in ../shared, every check
runs in segment-pair mode with no finding demoted, on the sources with their post-edits (human
translations) and on the same sources with their machine translations (word tags: BAD where the
post-editor changed the word).  Findings no cut weighs (rule checks' majors and criticals, wrong
senses the dictionary confirms: verdict.is_low_confidence) take their share of the ``--budget``
(0.5 per 100 words: the target for human translations).  Two families are cut: mistranslation
and critical-error (confidence: the model's probability) and the other checks' minor findings
(confidence: a fixed value per rule).  Chosen: the pair of cuts that keeps the most findings on
a BAD machine-translated word while the findings that stay on the post-edits come to at most the
budget; on a tie, the fewer findings on OK words, then the lower cuts.  Printed: each family's
rates at a few cuts and the chosen cuts (``--json``: at every candidate cut, as ``--from FILE``
reads it to choose again).  Dev splits are not read.
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
    read = lambda name: (folder / name).read_text(encoding="utf-8").splitlines()[:limit]  # noqa: E731
    sources, edits, mt, tags = read("train.src"), read("train.pe"), read("train.mt"), read("train.tags")
    verdict.tune(HINT_MODEL_CONFIDENCE=0.0, HINT_RULE_CONFIDENCE=0.0)  # nothing demoted: raw findings
    out = {"sentences": len(sources), "words": sum(word_count(t) for t in edits), "rate_per_100_words": {},
           "mt_bad": {}, "mt_ok": {}}
    per_check: dict[str, int] = {}
    kept = 0  # findings no cut weighs (verdict.is_low_confidence): rule majors, confirmed wrong senses
    found: dict[tuple[str, str], list] = {(side, f): [] for side in ("human", "mt") for f in ("model", "rule")}
    for side, targets in (("human", edits), ("mt", mt)):
        results = check_pairs(list(zip(sources, targets)), "en", "de", Options())
        for row, result in enumerate(results):
            bad = [(a, b) for (a, b, is_bad) in _bad_words(targets[row], tags[row]) if is_bad] if side == "mt" else []
            for issue in result.issues:
                if issue.check in verdict.SANITY_CHECKS:
                    continue
                if side == "human":
                    per_check[issue.check] = per_check.get(issue.check, 0) + 1
                if issue.check in verdict.PROBABILITY_CHECKS and not (issue.check == "mistranslation"
                                                                      and issue.severity == "major"):
                    family = "model"
                elif issue.check not in verdict.PROBABILITY_CHECKS and issue.severity == "minor":
                    family = "rule"
                else:
                    kept += side == "human"
                    continue
                span = issue.target_span or (0, 0)
                found[side, family].append((float(issue.confidence), any(a < span[1] and span[0] < b for a, b in bad)))
    for family in ("model", "rule"):  # candidate cuts: every confidence seen on either side
        cuts = sorted({round(v, 2) for side in ("human", "mt") for v, _ in found[side, family]} | {1.01})
        human, machine = found["human", family], found["mt", family]
        out["rate_per_100_words"][family] = {
            f"{cut:.2f}": round(100.0 * sum(1 for v, _ in human if v >= cut) / out["words"], 3) for cut in cuts}
        out["mt_bad"][family] = {f"{cut:.2f}": sum(1 for v, hit in machine if v >= cut and hit) for cut in cuts}
        out["mt_ok"][family] = {f"{cut:.2f}": sum(1 for v, hit in machine if v >= cut and not hit) for cut in cuts}
    out["findings_per_check"] = dict(sorted(per_check.items()))
    out["kept_per_100_words"] = round(100.0 * kept / out["words"], 3)
    show(choose(out, budget))


def _bad_words(target: str, tags: str) -> list[tuple[int, int, bool]]:
    """(start, end, BAD) per whitespace token; the tags interleave gaps and words."""
    import re

    words = [m.span() for m in re.finditer(r"\S+", target)]
    return [(a, b, mark == "BAD") for (a, b), mark in zip(words, tags.split()[1::2])]


def _at(counts: dict, cut: float) -> float:
    """A family's figure at a cut: that of the lowest candidate cut at or above it."""
    above = [k for k in counts if float(k) >= cut - 1e-9]
    return counts[min(above, key=float)] if above else 0


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

    print(f"{out['sentences']} sentences, {out['words']} words of post-edits; findings on them before any cut: "
          + ", ".join(f"`{check}` {n}" for check, n in out["findings_per_check"].items()) + "\n")
    print("Per family and cut: findings per 100 words of the post-edits; findings on the machine translations "
          "on a BAD word / on OK words only.\n")
    print("| family | all | " + " | ".join(f"{cut:g}" for cut in cuts) + " |")
    print("|---|---:|" + "---:|" * len(cuts))
    for family, name in names.items():
        def cell(cut: float) -> str:
            text = (f"{_at(out['rate_per_100_words'][family], cut)}; "
                    f"{_at(out['mt_bad'][family], cut)} / {_at(out['mt_ok'][family], cut)}")
            return f"**{text}**" if cut == chosen[family] else text
        print(f"| {name} | {cell(0.0)} | " + " | ".join(cell(cut) for cut in cuts) + " |")
    print(f"\nNever weighed by a cut: {out['kept_per_100_words']} per 100 words.  Chosen: model {chosen['model']:g}, "
          f"rules {chosen['rule']:g}; findings that are not hints: {chosen['non_hint_per_100_words']} per 100 words.")


def choose(out: dict, budget: float) -> dict:
    """``out`` with "chosen": the cuts keeping the most BAD-word findings on the machine translations
    while the post-edits stay within the budget (module docstring)."""
    model, rule = out["rate_per_100_words"]["model"], out["rate_per_100_words"]["rule"]
    room = budget - out["kept_per_100_words"]
    pairs = [(m, r) for m in model for r in rule if model[m] + rule[r] <= room + 1e-9]

    def value(pair):
        m, r = float(pair[0]), float(pair[1])
        bad = _at(out["mt_bad"]["model"], m) + _at(out["mt_bad"]["rule"], r)
        ok = _at(out["mt_ok"]["model"], m) + _at(out["mt_ok"]["rule"], r)
        return bad, -ok, -m, -r

    best = max(pairs, key=value)
    total = out["kept_per_100_words"] + model[best[0]] + rule[best[1]]
    return {**out, "chosen": {"model": float(best[0]), "rule": float(best[1]),
                              "non_hint_per_100_words": round(total, 3)}}


if __name__ == "__main__":
    main()
