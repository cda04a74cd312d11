"""The software-string checks on their own case suite: false alarms and recall per check.

Reads ``tests/data/strings/cases.tsv`` (or the file given with ``--cases``):
one unit per line with the check it exercises, its languages, and whether
the check must pass or fail it (cases written from pofilter's and Okapi
CheckMate's documented behaviour). Each case runs its one check, without a
model, as ``mtlint pairs`` does on PO/XLIFF input. Reported per check and
in total: false alarms (pass cases the check fires on, aim at most 5%) and
recall (fail cases it fires on, aim at least 90%), with the cases it got
wrong listed.

    PYTHONPATH=src .venv/bin/python bench/strings_suite.py
    ... --json out.json     # figures as JSON
    ... --cases other.tsv   # another case file in the same columns
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))

from strings_cases import CASES, load_cases, run_case  # noqa: E402


def evaluate(cases) -> dict:
    by_check: dict[str, dict] = defaultdict(lambda: {"pass": 0, "false_alarms": 0, "fail": 0, "found": 0,
                                                     "wrong": []})
    for case in cases:
        fired = bool(run_case(case))
        row = by_check[case.check]
        row[case.expected] += 1
        if case.expected == "pass" and fired:
            row["false_alarms"] += 1
            row["wrong"].append(str(case))
        elif case.expected == "fail":
            row["found"] += fired
            if not fired:
                row["wrong"].append(str(case))
    total = {"pass": sum(r["pass"] for r in by_check.values()),
             "false_alarms": sum(r["false_alarms"] for r in by_check.values()),
             "fail": sum(r["fail"] for r in by_check.values()), "found": sum(r["found"] for r in by_check.values())}
    for row in [*by_check.values(), total]:
        row["false_alarm_rate"] = round(row["false_alarms"] / row["pass"], 4) if row["pass"] else None
        row["recall"] = round(row["found"] / row["fail"], 4) if row["fail"] else None
    return {"checks": dict(sorted(by_check.items())), "total": total}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=CASES)
    parser.add_argument("--json", help="write the figures here as JSON")
    args = parser.parse_args()
    result = evaluate(load_cases(args.cases))
    print(f"{'check':22} {'pass':>5} {'false alarms':>13} {'fail':>5} {'recall':>8}")
    for check, row in [*result["checks"].items(), ("TOTAL", result["total"])]:
        rate = f"{row['false_alarm_rate']:.1%}" if row["false_alarm_rate"] is not None else "-"
        recall = f"{row['recall']:.1%}" if row["recall"] is not None else "-"
        print(f"{check:22} {row['pass']:5} {row['false_alarms']:5} ({rate:>6}) {row['fail']:5} {recall:>8}")
    for check, row in result["checks"].items():
        for wrong in row["wrong"]:
            print(f"  wrong: {wrong}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2, sort_keys=True, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
