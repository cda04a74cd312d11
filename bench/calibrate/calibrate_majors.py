"""Which findings may be major: each check's majors on human translations and on machine translation.

    .venv/bin/python bench/calibrate/calibrate_majors.py [--limit 2000] [--set NAME=VALUE ...] [--save FILE]
                                                         [--from FILE]

Reads TRAIN data only: the first ``--limit`` rows of MLQE-PE en-de train, the human post-edits
and the machine translations of the same sources with their word tags.  Every check runs in
segment-pair mode.  Per check that gives major or critical findings (hints aside): how many it
gives on the post-edits (false alarms: the target is zero) and on the machine translations, and
how many of those touch a word the post-editors changed (tag BAD; base rate printed beside it).

For the dictionary-confirmed wrong senses (`mistranslation` majors, checks/meaning.py): the
model's doubt of the word (p) and of the dictionary's rendering in its place (value), so that
MIN_WRONG_SENSE_P can be chosen: the lowest doubt at which no post-edit draws such a major.
Run with ``--set MIN_WRONG_SENSE_P=0.55`` (the contrast floor) to see every candidate.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SHARED, apply_settings, save_result, signature, use_repository  # noqa: E402

use_repository()

SERIOUS = ("major", "critical")
_WRONG_SENSE = re.compile(r'wrong sense: ".*?" \(p=([0-9.]+)\) and ".*?" \(p=([0-9.]+)\)')


def bad_words(target: str, tags: str) -> list[tuple[int, int, bool]]:
    """(start, end, BAD) per whitespace token; the tags interleave gaps and words."""
    words = [m.span() for m in re.finditer(r"\S+", target)]
    marks = tags.split()[1::2]
    return [(a, b, mark == "BAD") for (a, b), mark in zip(words, marks)]


def collect(limit: int) -> dict:
    from mtlint.pipeline import Options, check_pairs

    folder = SHARED / "wordqe" / "en-de-train"
    read = lambda name: (folder / name).read_text(encoding="utf-8").splitlines()[:limit]  # noqa: E731
    sources, mt, pe, tags = read("train.src"), read("train.mt"), read("train.pe"), read("train.tags")
    from mtlint.score import word_count

    out = {"words": {"human": sum(word_count(t) for t in pe), "mt": sum(word_count(t) for t in mt)},
           "bad_rate": round(sum(t.split()[1::2].count("BAD") for t in tags) / max(1, sum(len(t.split()) for t in mt)), 4),
           "human": [], "mt": []}
    for family, targets in (("human", pe), ("mt", mt)):
        for row, result in enumerate(check_pairs(list(zip(sources, targets)), "en", "de", Options())):
            for issue in result.issues:
                if issue.severity not in SERIOUS or not issue.target_span:
                    continue
                a, b = issue.target_span
                entry = {"row": row, "check": issue.check, "severity": issue.severity}
                sense = _WRONG_SENSE.search(issue.message)
                if sense:
                    entry["p"], entry["value"] = float(sense.group(1)), float(sense.group(2))
                if family == "mt":
                    entry["bad"] = any(bad and x < b and a < y for x, y, bad in bad_words(targets[row], tags[row]))
                out[family].append(entry)
    return out


def summarise(data: dict) -> dict:
    checks = sorted({e["check"] for fam in ("human", "mt") for e in data[fam]})
    table = {}
    for check in checks:
        human = [e for e in data["human"] if e["check"] == check]
        mt = [e for e in data["mt"] if e["check"] == check]
        table[check] = {"human": len(human), "mt": len(mt), "mt_on_bad": sum(e["bad"] for e in mt)}
    senses_h = sorted(e["p"] for e in data["human"] if "p" in e)
    senses_m = [e for e in data["mt"] if "p" in e]
    cuts = {}
    for cut in (0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        kept = [e for e in senses_m if e["p"] >= cut]
        cuts[str(cut)] = {"human": sum(p >= cut for p in senses_h), "mt": len(kept),
                          "mt_on_bad": sum(e["bad"] for e in kept)}
    zero = [float(c) for c, v in cuts.items() if v["human"] == 0]
    return {"words": data["words"], "bad_rate": data["bad_rate"], "majors_by_check": table,
            "wrong_sense_cuts": cuts, "lowest_cut_with_no_human_major": min(zero) if zero else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting of mtlint.checks.meaning for this run")
    parser.add_argument("--save")
    parser.add_argument("--from", dest="load")
    args = parser.parse_args()
    if args.load:
        data = json.loads(Path(args.load).read_text(encoding="utf-8"))
    else:
        if not (SHARED / "wordqe").is_dir():
            sys.exit(f"skipped: {SHARED} not found")
        apply_settings(args.set)
        data = collect(args.limit)
        data["signature"] = signature(dict(item.split("=", 1) for item in args.set))
        data["limit"] = args.limit
        if args.save:
            Path(args.save).write_text(json.dumps(data), encoding="utf-8")
    summary = summarise(data)
    print(json.dumps(summary, indent=1))
    if "signature" in data:
        command = " ".join(["MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/calibrate/calibrate_majors.py",
                            f"--limit {data['limit']}", *(f"--set {item}" for item in sorted(
                                f"{k}={v}" for k, v in (data["signature"].get("settings") or {}).items()))])
        save_result("calibrate-majors", command, markdown(summary), data["signature"], summary)


def markdown(summary: dict) -> str:
    words = summary["words"]
    lines = [f"| check | on post-edits ({words['human']:,} words) | on machine translations ({words['mt']:,} words) "
             f"| of those, on a BAD word (base rate {summary['bad_rate']:.3f}) |", "|---|---:|---:|---:|"]
    for check, row in sorted(summary["majors_by_check"].items(), key=lambda kv: (-kv[1]["human"], kv[0])):
        lines.append(f"| `{check}` | {row['human']} | {row['mt']} | {row['mt_on_bad']} |")
    lines += ["", "Dictionary-confirmed wrong senses (`mistranslation` majors) by the model's doubt of the word:", "",
              "| doubt at least | on post-edits | on machine translations | on a BAD word |", "|---:|---:|---:|---:|"]
    for cut, row in summary["wrong_sense_cuts"].items():
        lines.append(f"| {cut} | {row['human']} | {row['mt']} | {row['mt_on_bad']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
