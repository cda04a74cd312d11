"""The verdicts on the dev sets: false alarms on human translations, and where the majors land.

    .venv/bin/python bench/eval/verdict_devsets.py [--limit N]

Dev data, measured, never tuned to (the cuts come from train: mtlint.verdict, checks/meaning.py).
Words are counted as mtlint's MQM rates count them (mtlint.score.word_count).
mtlint runs as users run it (``mtlint pairs``, segment by segment, reference-free):

* **Human translations**: the TED MQM dev references (system ``ref``) and the MLQE-PE en-de dev
  post-edits.  Printed: findings that are not hints per 100 words, and the major or critical ones.
* **TED MQM dev, machine translations**: every major or critical finding with a target span.
  Printed: the share that overlaps an expert Major span; the number on text the experts left
  unmarked (overlapping no expert span of any severity); and chance: the same share for a span of
  the same length placed at random in the same segment (exact expectation over positions).
  Beside it, the sentence-level baseline: chrF against the human reference, flagging as many
  segments as mtlint flags, ranks lowest first; its "share on a Major span" is the share of those
  segments that hold a Major error (a segment-level flag covers the whole segment).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "bench" / d) for d in ("eval", "calibrate", "speed", "train", "probe")]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from common import save_result, signature  # noqa: E402
from devsets import SHARED, flagged, load_mqm, run_pairs  # noqa: E402
from mtlint.score import word_count  # noqa: E402

SERIOUS = ("major", "critical")


def human_rates(rows: list[tuple[str, str]]) -> dict:
    results = run_pairs(rows, "en", "de")
    total_words = sum(word_count(t) for _, t in rows)
    flags = [i for r in results for i in r["issues"] if i["severity"] != "hint"]
    majors = [i for i in flags if i["severity"] in SERIOUS]
    by_check: dict[str, int] = {}
    for i in majors:
        by_check[i["check"]] = by_check.get(i["check"], 0) + 1
    gate_with_hints = sum(flagged(r, SERIOUS, include_hints=True) for r in results)
    return {"segments": len(rows), "words": total_words, "flags": len(flags),
            "segments_failing_with_hints": gate_with_hints,
            "flags_per_100_words": round(100 * len(flags) / max(1, total_words), 3),
            "majors": len(majors), "majors_by_check": by_check}


def chance_overlap(length: int, text_len: int, spans: list[tuple[int, int]]) -> float:
    """The probability that a span of ``length`` characters, placed uniformly in the segment,
    overlaps one of ``spans``."""
    positions = max(1, text_len - length + 1)
    hit = sum(any(x < start + length and start < y for x, y in spans) for start in range(positions))
    return hit / positions


def ted_majors(limit: int | None) -> dict:
    from sacrebleu.metrics import CHRF

    segments = load_mqm()
    refs = {(d, s): v["target"] for (system, d, s), v in segments.items() if system == "ref"}
    keys = sorted(k for k in segments if k[0] != "ref" and (k[1], k[2]) in refs)[:limit]
    results = run_pairs([(segments[k]["source"], segments[k]["target"]) for k in keys], "en", "de")
    on_major = unmarked = total = 0
    chance = 0.0
    by_check: dict[str, list[int]] = {}
    flagged_segments = set()
    for key, result in zip(keys, results):
        seg = segments[key]
        major_spans = [(a, b) for a, b, _, severity in seg["spans"] if severity == "Major"]
        any_spans = [(a, b) for a, b, _, _ in seg["spans"]]
        for issue in result["issues"]:
            if issue["severity"] not in SERIOUS or not issue["target_span"]:
                continue
            a, b = issue["target_span"]
            total += 1
            flagged_segments.add(key)
            hit = any(x < b and a < y for x, y in major_spans)
            on_major += hit
            unmarked += not any(x < b and a < y for x, y in any_spans)
            chance += chance_overlap(b - a, len(seg["target"]), major_spans)
            counts = by_check.setdefault(issue["check"], [0, 0])
            counts[0] += 1
            counts[1] += hit
    chrf = CHRF()
    scored = sorted(keys, key=lambda k: (chrf.sentence_score(segments[k]["target"], [refs[(k[1], k[2])]]).score, k))
    lowest = scored[:len(flagged_segments)]
    return {"segments": len(keys), "segments_with_a_major_error": sum(segments[k]["major"] for k in keys),
            "major_flags": total, "on_expert_major_span": round(on_major / total, 3) if total else None,
            "chance_same_length": round(chance / total, 3) if total else None,
            "on_unmarked_text": unmarked, "flagged_segments": len(flagged_segments),
            "flagged_segments_with_a_major_error": sum(segments[k]["major"] for k in flagged_segments),
            "chrf_lowest_same_count_with_a_major_error": sum(segments[k]["major"] for k in lowest),
            "by_check": {c: {"flags": n, "on_major_span": h} for c, (n, h) in sorted(by_check.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="the first N rows of each set (a quick look)")
    args = parser.parse_args()
    segments = load_mqm()
    ted_refs = sorted((k, v) for k, v in segments.items() if k[0] == "ref")[:args.limit]
    folder = SHARED / "wordqe" / "en-de-dev"
    src = (folder / "dev.src").read_text(encoding="utf-8").splitlines()[:args.limit]
    pe = (folder / "dev.pe").read_text(encoding="utf-8").splitlines()[:args.limit]
    out = {"human": {"ted_references": human_rates([(v["source"], v["target"]) for _, v in ted_refs]),
                     "mlqe_pe_post_edits": human_rates(list(zip(src, pe)))},
           "ted_machine_translations": ted_majors(args.limit)}
    print(json.dumps(out, indent=1))
    if args.limit is None:  # the whole sets: the figures docs/benchmarks.md shows
        save_result("verdict-devsets", "MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python "
                    "bench/eval/verdict_devsets.py", markdown(out), signature(), out)


def _by_check(counts: dict) -> str:
    return ", ".join(f"`{check}` {n}" for check, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def markdown(out: dict) -> str:
    ted, mlqe, mt = out["human"]["ted_references"], out["human"]["mlqe_pe_post_edits"], out["ted_machine_translations"]
    rows = [
        (f"TED dev references ({ted['segments']} segments, {ted['words']:,} words): findings that are not "
         f"hints per 100 words", f"{ted['flags_per_100_words']:.3f}"),
        ("the same: major or critical findings", f"{ted['majors']} ({_by_check(ted['majors_by_check'])})"),
        (f"MLQE-PE dev post-edits ({mlqe['segments']:,} segments, {mlqe['words']:,} words): findings that are "
         f"not hints per 100 words", f"{mlqe['flags_per_100_words']:.3f}"),
        ("the same: major or critical findings", f"{mlqe['majors']} ({_by_check(mlqe['majors_by_check'])})"),
        ("segments that would fail the gate with `--include-hints`: TED references / MLQE-PE post-edits",
         f"{ted['segments_failing_with_hints']} of {ted['segments']} / {mlqe['segments_failing_with_hints']} of "
         f"{mlqe['segments']:,}"),
        (f"TED MQM dev machine translations ({mt['segments']:,} segments, {mt['segments_with_a_major_error']} "
         f"with a Major error): major or critical findings", str(mt["major_flags"])),
        ("the same: share on an expert Major span", f"{mt['on_expert_major_span']}"),
        ("the same: a random span of the same length on a Major span (chance)", f"{mt['chance_same_length']}"),
        ("the same: on text no expert marked", str(mt["on_unmarked_text"])),
        ("segments mtlint flags that hold a Major error",
         f"{mt['flagged_segments_with_a_major_error']} of {mt['flagged_segments']}"),
        ("as many segments, those chrF with the reference ranks lowest, that hold a Major error",
         f"{mt['chrf_lowest_same_count_with_a_major_error']} of {mt['flagged_segments']}"),
    ]
    return "| | |\n|---|---:|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)


if __name__ == "__main__":
    main()
