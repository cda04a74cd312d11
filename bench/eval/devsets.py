"""mtlint on the shared dev sets, with simple baselines side by side.

    .venv/bin/python bench/eval/devsets.py mqm      # TED MQM en-de dev: Kendall tau, ROC AUC, span P/R
    .venv/bin/python bench/eval/devsets.py ced      # WMT21 critical errors en-de dev: MCC
    .venv/bin/python bench/eval/devsets.py wordqe   # MLQE-PE en-de dev: word-level MCC
    .venv/bin/python bench/eval/devsets.py all

mtlint runs as users run it: `mtlint pairs FILE.tsv --format jsonl` in a
subprocess (reference-free: two columns).  Baselines run in this process:
chrF (sacrebleu, against the human reference where the set has one) and
plain cross-lingual sentence similarity (the embedded encoder's cosine).
Results go to stdout as Markdown tables, and run over a whole set, to bench/results/devsets-SET.json,
which docs/benchmarks.md shows (bench/render_benchmarks.py).
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
WEIGHTS = {"Major": 5.0, "Minor": 1.0}


def run_pairs(rows: list[tuple[str, str]], source_lang: str, target_lang: str, extra: list[str] = ()) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pairs.tsv"
        clean = [(s.replace("\t", " ").replace("\n", " "), t.replace("\t", " ").replace("\n", " ")) for s, t in rows]
        path.write_text("".join(f"{s}\t{t}\n" for s, t in clean), encoding="utf-8")
        out = Path(tmp) / "out.jsonl"
        started = time.time()
        proc = subprocess.run([sys.executable, "-m", "mtlint", "pairs", str(path), "--format", "jsonl",
                               "--source-lang", source_lang, "--target-lang", target_lang, "--fail-on", "never",
                               "-o", str(out), *extra], capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            sys.exit(f"mtlint pairs failed ({proc.returncode}): {proc.stderr.strip()}")
        print(f"  mtlint pairs: {len(rows)} pairs in {time.time() - started:.0f} s", file=sys.stderr)
        results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(results) == len(rows), (len(results), len(rows))
    return results


def similarity(sources: list[str], targets: list[str]) -> np.ndarray:
    sys.path.insert(0, str(ROOT / "src"))
    from mtlint.embed import get_encoder

    vectors = get_encoder().encode(sources + targets)
    n = len(sources)
    return np.sum(vectors[:n] * vectors[n:], axis=1)


def mcc(pred, gold) -> float:
    pred, gold = np.asarray(pred, bool), np.asarray(gold, bool)
    tp, tn = np.sum(pred & gold), np.sum(~pred & ~gold)
    fp, fn = np.sum(pred & ~gold), np.sum(~pred & gold)
    denom = np.sqrt(float((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)))
    return float((tp * tn - fp * fn) / denom) if denom else 0.0


def oracle_mcc(scores, gold) -> tuple[float, float]:
    """The best MCC any threshold on ``scores`` reaches (an upper bound for a baseline)."""
    grid = np.unique(np.quantile(scores, np.linspace(0.01, 0.99, 99)))
    return max((mcc(np.asarray(scores) >= t, gold), float(t)) for t in grid)


def flagged(result: dict, severities=("major", "critical"), include_hints: bool = False) -> bool:
    """Whether the gate at ``severities`` fails the result; with ``include_hints`` as
    ``--include-hints`` judges, each hint at the severity its check gave it (``demoted_from``)."""
    return any(i["severity"] in severities or (include_hints and i.get("demoted_from") in severities)
               for i in result["issues"])


def bootstrap_interval(pred, gold, rng, draws: int = 1000) -> tuple[float, float]:
    """The 95% interval of the MCC over ``draws`` resamplings of the pairs (how far a test set of
    the same size may move the figure)."""
    values = [mcc(pred[i], gold[i]) for i in (rng.integers(0, len(gold), len(gold)) for _ in range(draws))]
    low, high = np.quantile(values, [0.025, 0.975])
    return float(low), float(high)


# ------------------------------------------------------------------ TED MQM

def load_mqm():
    path = SHARED / "mqm" / "mqm_ted_ende.dev.tsv"
    segments: dict = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            key = (row["system"], row["doc_id"], row["seg_id"])
            marked = row["target"]
            plain = marked.replace("<v>", "").replace("</v>", "")
            seg = segments.setdefault(key, {"source": row["source"], "target": plain, "penalty": 0.0,
                                            "major": False, "spans": [], "talk": row["doc"]})
            category, severity = row["category"], row["severity"]
            if category == "No-error":
                continue
            if category.startswith("Non-translation"):
                weight = 25.0
            elif severity == "Minor" and category == "Fluency/Punctuation":
                weight = 0.1
            else:
                weight = WEIGHTS.get(severity, 0.0)
            seg["penalty"] += weight
            seg["major"] |= severity == "Major"
            m = re.search(r"<v>(.*?)</v>", marked)
            if m:
                start = m.start()
                seg["spans"].append((start, start + len(m.group(1)), category, severity))
    return segments


def char_set(spans) -> set[int]:
    return {c for a, b in spans for c in range(a, b)}


def bench_mqm(limit: int | None):
    from scipy.stats import kendalltau
    from sacrebleu.metrics import CHRF
    from sklearn.metrics import roc_auc_score

    segments = load_mqm()
    refs = {(d, s): v["target"] for (sys_, d, s), v in segments.items() if sys_ == "ref"}
    keys = sorted(k for k in segments if k[0] != "ref" and (k[1], k[2]) in refs)
    if limit:
        keys = keys[:limit]
    segs = [segments[k] for k in keys]
    gold = np.array([s["penalty"] for s in segs])
    major = np.array([s["major"] for s in segs])
    results = run_pairs([(s["source"], s["target"]) for s in segs], "en", "de")
    mt_penalty = np.array([r["mqm_penalty"] for r in results])
    mt_quality = np.array([r["score"] for r in results])
    chrf = CHRF()
    chrf_scores = np.array([chrf.sentence_score(s["target"], [refs[(k[1], k[2])]]).score for k, s in zip(keys, segs)])
    sim = similarity([s["source"] for s in segs], [s["target"] for s in segs])

    def row(name, badness):
        tau = kendalltau(badness, gold).statistic
        auc = roc_auc_score(major, badness)
        return f"| {name} | {tau:.3f} | {auc:.3f} |"

    print(f"\nTED MQM en-de dev: {len(segs)} segments of {len({k[0] for k in keys})} systems "
          f"(the human reference `ref` is the chrF reference, so it is left out), {int(major.sum())} with a Major error\n")
    print("| system | Kendall tau-b vs MQM penalty | ROC AUC (has Major) |\n|---|---|---|")
    print(row("chrF vs human reference (sacrebleu)", -chrf_scores))
    print(row("cross-lingual similarity (e5-small cosine)", -sim))
    print(row("mtlint `score` (reference-free)", -mt_quality))
    print(row("mtlint `mqm_penalty` (reference-free)", mt_penalty))
    # Span precision/recall for accuracy/mistranslation, by characters: the word-level check
    # alone, and every check of that category (critical-error marks its likeliest words).
    for label, checks in (("`mistranslation` check", {"mistranslation"}),
                          ("all accuracy/mistranslation checks", None)):
        tp = fp = fn = 0
        hit_segments = gold_segments = 0
        for s, r in zip(segs, results):
            gold_chars = char_set((a, b) for a, b, c, _ in s["spans"] if c == "Accuracy/Mistranslation")
            pred_chars = char_set(tuple(i["target_span"]) for i in r["issues"]
                                  if i["category"] == "accuracy/mistranslation" and i["target_span"]
                                  and (checks is None or i["check"] in checks))
            tp += len(gold_chars & pred_chars)
            fp += len(pred_chars - gold_chars)
            fn += len(gold_chars - pred_chars)
            if gold_chars:
                gold_segments += 1
                hit_segments += bool(gold_chars & pred_chars)
        p = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        print(f"\naccuracy/mistranslation spans (characters, {label}): precision {p:.3f}, recall {rec:.3f}, "
              f"F1 {2 * p * rec / (p + rec) if p + rec else 0:.3f}; gold spans touched in {hit_segments}/{gold_segments} segments")


# ---------------------------------------------------------------- WMT21 CED

def bench_ced(limit: int | None):
    rows = []
    with open(SHARED / "ced" / "ende_majority_dev.tsv", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            rows.append((parts[1], parts[2], parts[-1] == "ERR"))
    if limit:
        rows = rows[:limit]
    gold = np.array([r[2] for r in rows])
    results = run_pairs([(s, t) for s, t, _ in rows], "en", "de")
    sim = similarity([r[0] for r in rows], [r[1] for r in rows])
    best_sim, _ = oracle_mcc(-sim, gold)
    quality = np.array([r["score"] for r in results])
    best_score, _ = oracle_mcc(-quality, gold)
    print(f"\nWMT21 critical errors en-de dev: {len(rows)} pairs, {int(gold.sum())} ERR\n")
    print("| system | MCC |\n|---|---|")
    print(f"| cross-lingual similarity, best threshold chosen on dev (oracle) | {best_sim:.3f} |")
    pred = np.array([flagged(r) for r in results])
    rng = np.random.default_rng(0)
    low, high = bootstrap_interval(pred, gold, rng)
    print(f"| mtlint: has a major or critical issue | {mcc(pred, gold):.3f} (bootstrap 95% {low:.3f}-{high:.3f}) |")
    with_hints = np.array([flagged(r, include_hints=True) for r in results])
    low, high = bootstrap_interval(with_hints, gold, rng)
    print(f"| mtlint: the gate with `--include-hints` (a hint counts at its check's severity) | "
          f"{mcc(with_hints, gold):.3f} (bootstrap 95% {low:.3f}-{high:.3f}) |")
    print(f"| mtlint: has a critical-error issue | "
          f"{mcc([any(i['check'] == 'critical-error' for i in r['issues']) for r in results], gold):.3f} |")
    print(f"| mtlint `score`, best threshold chosen on dev (oracle) | {best_score:.3f} |")
    # Which checks make up "has a major or critical issue": pairs each flags, by gold label.
    by_check: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r, is_err in zip(results, gold):
        for check in {i["check"] for i in r["issues"] if i["severity"] in ("major", "critical")}:
            by_check[check][0 if is_err else 1] += 1
    print("\n| check (major or critical) | ERR pairs flagged | NOT pairs flagged |\n|---|---:|---:|")
    for check, (err, ok) in sorted(by_check.items()):
        print(f"| `{check}` | {err} | {ok} |")


# ------------------------------------------------------------------ MLQE-PE

def bench_wordqe(limit: int | None):
    d = SHARED / "wordqe" / "en-de-dev"
    src = (d / "dev.src").read_text(encoding="utf-8").splitlines()
    mt = (d / "dev.mt").read_text(encoding="utf-8").splitlines()
    tags = (d / "dev.tags").read_text(encoding="utf-8").splitlines()
    if limit:
        src, mt, tags = src[:limit], mt[:limit], tags[:limit]
    results = run_pairs(list(zip(src, mt)), "en", "de")
    pred, gold = [], []
    per_check: dict[str, list] = defaultdict(list)
    for line, tag_line, r in zip(mt, tags, results):
        spans, pos = [], 0
        for w in line.split(" "):
            spans.append((pos, pos + len(w)))
            pos += len(w) + 1
        word_tags = tag_line.split()[1::2]
        for (a, b), t in zip(spans, word_tags):
            hit = [i for i in r["issues"] if i["target_span"] and i["target_span"][0] < b and a < i["target_span"][1]]
            pred.append(bool(hit))
            gold.append(t == "BAD")
            for check in {i["check"] for i in hit}:
                per_check[check].append(t == "BAD")
    gold_a = np.array(gold)
    print(f"\nMLQE-PE en-de dev: {len(mt)} sentences, {len(gold)} target words, {gold_a.mean():.1%} BAD\n")
    print("| system | word MCC | words flagged |\n|---|---|---|")
    print(f"| all words OK (majority baseline) | 0.000 | 0 |")
    print(f"| mtlint: word inside any issue span | {mcc(pred, gold):.3f} | {sum(pred)} |")
    for check, labels in sorted(per_check.items()):
        print(f"|   of which `{check}`: share BAD | {np.mean(labels):.2f} | {len(labels)} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", choices=["mqm", "ced", "wordqe", "all"])
    parser.add_argument("--limit", type=int, help="only the first N items (smoke runs)")
    args = parser.parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} not found")
    os.environ.setdefault("MTLINT_CACHE_DIR", "/tmp/mtlint-bench-cache")
    sys.path.insert(0, str(ROOT / "bench"))
    from common import save_result, signature

    for name, fn in [("mqm", bench_mqm), ("ced", bench_ced), ("wordqe", bench_wordqe)]:
        if args.set in (name, "all"):
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                fn(args.limit)
            print(printed.getvalue(), end="")
            if args.limit is None:  # the whole set: the figures docs/benchmarks.md shows
                save_result(f"devsets-{name}", f"MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python "
                            f"bench/eval/devsets.py {name}", printed.getvalue(), signature())


if __name__ == "__main__":
    main()
