"""mtlint's recall and precision against the editor's annotation of the corpus.

    .venv/bin/python bench/eval/corpus_annotations.py [--json]

tests/data/corpus_annotations.tsv marks every garbled passage an editor
found in the five corpus articles (target text + occurrence, MQM category,
severity, source text).  An annotation is *found* when an mtlint issue's
target span overlaps it; an issue is *correct* when it overlaps some
annotation.  Counted overall, by severity, and for the issues of each check.
"""
from __future__ import annotations

import csv
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))  # bench/common.py


def annotations(path: Path = ROOT / "tests" / "data" / "corpus_annotations.tsv"):
    """Per corpus file: list of (start, end, category, severity) in the target text."""
    out = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            text = (ROOT / "corpus" / row["file"]).read_text(encoding="utf-8")
            start = -1
            for _ in range(int(row["occurrence"])):
                start = text.find(row["target_text"], start + 1)
                if start < 0:
                    raise SystemExit(f"{row['file']}: annotation {row['target_text']!r} not found")
            out[row["file"]].append((start, start + len(row["target_text"]), row["category"], row["severity"]))
    return out


def measure(reports: dict[str, dict]) -> dict:
    """``reports``: corpus file name -> mtlint report dict."""
    gold = annotations()
    found = total = 0
    found_major = total_major = 0
    correct = issues = 0
    per_check = defaultdict(lambda: [0, 0])
    per_file = {}
    for name, report in sorted(reports.items()):
        spans = gold.get(name, [])  # an article with no annotation reads cleanly: all its issues are false
        located = [i for i in report["issues"] if i["target_span"]]
        hits = [any(i["target_span"][0] < b and a < i["target_span"][1] for i in located) for a, b, _, _ in spans]
        found += sum(hits)
        total += len(spans)
        found_major += sum(h for h, s in zip(hits, spans) if s[3] != "minor")
        total_major += sum(1 for s in spans if s[3] != "minor")
        ok = [any(i["target_span"][0] < b and a < i["target_span"][1] for a, b, _, _ in spans) for i in located]
        correct += sum(ok)
        issues += len(located)
        for i, good in zip(located, ok):
            per_check[i["check"]][0] += good
            per_check[i["check"]][1] += 1
        per_file[name] = {"annotations": len(spans), "found": sum(hits), "issues": len(located), "correct": sum(ok)}
    return {"recall": found / total, "recall_major": found_major / max(total_major, 1),
            "precision": correct / max(issues, 1), "annotations": total, "issues": issues,
            "per_check": {k: {"correct": v[0], "issues": v[1]} for k, v in sorted(per_check.items())},
            "per_file": per_file}


def run_corpus() -> dict[str, dict]:
    from mtlint.embed import get_encoder
    from mtlint.pipeline import Options, check_documents
    from mtlint.formats import read_document

    encoder = get_encoder()
    reports = {}
    for target in sorted((ROOT / "corpus").glob("*.txt")):
        (source,) = sorted((ROOT / "references").glob(target.stem + ".*.txt"))
        reports[target.name] = check_documents(read_document(str(source)), read_document(str(target)),
                                               Options(), encoder).as_dict()
    return reports


def without_hints(reports: dict[str, dict]) -> dict[str, dict]:
    return {name: {**report, "issues": [i for i in report["issues"] if i["severity"] != "hint"]}
            for name, report in reports.items()}


def markdown(result: dict, confident: dict) -> str:
    lines = [f"**{result['annotations']} annotations, {result['issues']} issues (hints included; findings on one "
             f"word merge into one): recall {result['recall']:.2f} (major annotations {result['recall_major']:.2f}), "
             f"precision {result['precision']:.2f}.** The {confident['issues']} that are not hints: recall "
             f"{confident['recall']:.2f} (major {confident['recall_major']:.2f}), precision {confident['precision']:.2f}.",
             "", "| article | annotations | found | issues | correct |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {name} | {v['annotations']} | {v['found']} | {v['issues']} | {v['correct']} |"
              for name, v in result["per_file"].items()]
    lines += ["", "| check | issues | overlapping an annotation |", "|---|---:|---:|"]
    lines += [f"| {check} | {v['issues']} | {v['correct']} |" for check, v in result["per_check"].items()]
    return "\n".join(lines)


def main():
    os.environ.setdefault("MTLINT_CACHE_DIR", "/tmp/mtlint-bench-cache")
    from common import apply_settings, save_result, signature

    settings = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--set=")]  # --set=MIN_IMPROVEMENT=0.3
    apply_settings(settings)
    reports = run_corpus()
    result, confident = measure(reports), measure(without_hints(reports))
    if "--json" in sys.argv:
        print(json.dumps({**result, "not_hints": confident}, indent=2, sort_keys=True))
        return
    text = markdown(result, confident)
    print(text)
    if not settings:  # the shipped settings: the figures docs/benchmarks.md shows
        save_result("corpus-annotations", "MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python "
                    "bench/eval/corpus_annotations.py", text, signature(), {"all": result, "not_hints": confident})


if __name__ == "__main__":
    main()
