"""The verdict figures of the corpus: how severities and hints line up with the editor's annotation.

    .venv/bin/python bench/eval/verdict_figures.py [--save FILE.json] [--load FILE.json]

Runs mtlint over corpus/ (as bench/eval/corpus_annotations.py does) and prints:
the severity of the canonical inversion ("stark genehmigt" for "heavily
sanctioned", with its suggestion), the share of the annotated majors
(tests/data/corpus_annotations.tsv) that an overlapping major or critical
issue flags, and the flags that are not hints in the clean article 002.
``--save`` keeps the reports, ``--load`` measures saved ones.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "bench" / d) for d in ("eval", "calibrate", "speed", "train", "probe")]
sys.path.insert(0, str(ROOT / "src"))

from corpus_annotations import annotations, run_corpus  # noqa: E402

SERIOUS = ("major", "critical")
CLEAN = "002_cc69014236208990.txt"


def figures(reports: dict[str, dict]) -> dict:
    gold = annotations()
    canonical = [i for r in reports.values() for i in r["issues"] if "genehmigt" in (i["target_text"] or "")]
    flagged = total = 0
    for name, spans in gold.items():
        located = [i for i in reports[name]["issues"] if i["target_span"]]
        for a, b, _, severity in spans:
            if severity not in SERIOUS:
                continue
            total += 1
            flagged += any(i["severity"] in SERIOUS and i["target_span"][0] < b and a < i["target_span"][1]
                           for i in located)
    clean = reports[CLEAN]["issues"]
    return {
        "canonical": [{"check": i["check"], "severity": i["severity"], "suggestion": i["suggestion"]}
                      for i in canonical],
        "annotated_majors": total, "majors_flagged_major": flagged,
        "share_majors_flagged_major": round(flagged / max(total, 1), 3),
        "clean_002_non_hint_flags": sum(1 for i in clean if i["severity"] != "hint"),
        "clean_002_majors": sum(1 for i in clean if i["severity"] in SERIOUS),
        "clean_002_hints": sum(1 for i in clean if i["severity"] == "hint"),
        "severities": {name: _count(r["issues"]) for name, r in sorted(reports.items())},
        "passed": {name: r["summary"]["passed"] for name, r in sorted(reports.items())},
    }


def _count(issues):
    out: dict[str, int] = {}
    for issue in issues:
        out[issue["severity"]] = out.get(issue["severity"], 0) + 1
    return dict(sorted(out.items()))


def main():
    os.environ.setdefault("MTLINT_CACHE_DIR", "/tmp/mtlint-bench-cache")
    args = sys.argv[1:]
    if "--load" in args:
        reports = json.loads(Path(args[args.index("--load") + 1]).read_text(encoding="utf-8"))
    else:
        reports = run_corpus()
    if "--save" in args:
        Path(args[args.index("--save") + 1]).write_text(json.dumps(reports, sort_keys=True, ensure_ascii=False),
                                                        encoding="utf-8")
    result = figures(reports)
    print(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False))
    if "--load" not in args:  # a fresh run: the figures docs/benchmarks.md shows
        sys.path.insert(0, str(ROOT / "bench"))
        from common import save_result, signature

        save_result("verdict-figures", "MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python "
                    "bench/eval/verdict_figures.py", markdown(result), signature(), result)


def markdown(result: dict) -> str:
    canonical = "; ".join(f"`{c['check']}`, {c['severity']}, suggestion \"{c['suggestion']}\"" for c in result["canonical"])
    failing = ", ".join(name[:3] for name, passed in result["passed"].items() if not passed) or "none"
    rows = [("\"stark genehmigt\" for *heavily sanctioned*", canonical or "no finding"),
            ("annotated majors flagged major or critical",
             f"{result['majors_flagged_major']} of {result['annotated_majors']} ({result['share_majors_flagged_major']})"),
            ("clean article 002: findings that are not hints / majors / hints",
             f"{result['clean_002_non_hint_flags']} / {result['clean_002_majors']} / {result['clean_002_hints']}"),
            ("articles failing the default gate", failing)]
    return "| | |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)


if __name__ == "__main__":
    main()
