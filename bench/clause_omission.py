"""Clauses omitted inside a sentence: how well the clause-omission check finds them.

    .venv/bin/python bench/clause_omission.py [--split dev] [--limit N]

Test data built from human translations (MLQE-PE en-de post-edits, which
are correct translations of their source): in each post-edit with a
comma-delimited clause of 3-12 words (", der ... ," / ", weil ... ."), that
clause is deleted (seeded choice).  The source keeps its clause, so the
translation now omits it.  Measured, with the check's own thresholds:

* sentences flagged: omitted versions vs the unmodified post-edits (the
  false-alarm rate on good translations);
* localisation: the flagged source span overlaps the source words whose
  counterpart was deleted (those linked to the deleted words in the
  unmodified pair): what the check adds over a length test, which can
  only say that something is missing;
* baselines in the same run: the target/source length ratio, and plain
  sentence similarity (e5-small), each as ROC AUC of "omitted" against
  "unmodified" next to the check's own score.
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SHARED = ROOT.parent / "shared" / "data" / "wordqe"
SEED = 7
_WORDISH = re.compile(r"\w")


def read(split: str, ext: str) -> list[str]:
    return (SHARED / f"en-de-{split}" / f"{split}.{ext}").read_text(encoding="utf-8").split("\n")


def clause_spans(words: list[str]) -> list[tuple[int, int]]:
    """(start, end) word indices of ", clause" stretches: from a comma up to
    (not including) the next comma or final full stop, 3-12 word tokens."""
    commas = [i for i, w in enumerate(words) if w == ","]
    spans = []
    for c in commas:
        end = next((k for k in range(c + 1, len(words)) if words[k] in (",", ".", ";", ":", "?", "!")), None)
        if end is None:
            continue
        n = sum(1 for w in words[c + 1:end] if _WORDISH.search(w))
        if 3 <= n <= 12 and words[end] in (",", "."):
            spans.append((c, end))
    return spans


def build(split: str, limit: int | None) -> list[dict]:
    rng = random.Random(SEED)
    rows = []
    for src, pe in zip(read(split, "src"), read(split, "pe")):
        words = pe.split()
        spans = clause_spans(words)
        if not src.strip() or not spans:
            continue
        a, b = rng.choice(spans)
        rows.append({"source": src, "target": pe, "omitted": " ".join(words[:a] + words[b:]),
                     "deleted": (a, b)})
    return rows[:limit] if limit else rows


def auc(positive: list[float], negative: list[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--no-dictionary", action="store_true", help="without the Ding dictionary's coverage")
    args = ap.parse_args()
    rows = build(args.split, args.limit)
    from mtlint import lexicon
    from mtlint.checks.omission import find_omissions
    from mtlint.embed import get_encoder
    from mtlint.qe_cache import cached_estimate

    originals = cached_estimate([(r["source"], r["target"]) for r in rows])
    omitted = cached_estimate([(r["source"], r["omitted"]) for r in rows])
    flagged_orig = flagged_omit = located = major_omit = major_orig = 0
    score_orig, score_omit = [], []
    # The median length ratio of the file of good translations: in a real file
    # omissions are few, so its median is that of the translations around them.
    dictionary = None if args.no_dictionary else lexicon.load("en", "de")
    median_ratio = statistics.median(len(r["target"]) / len(r["source"]) for r in rows)
    for r, eo, em in zip(rows, originals, omitted):
        src = r["source"]
        found_o, s_o = find_omissions(src, r["target"], eo, "en", median_ratio, dictionary)
        found_m, s_m = find_omissions(src, r["omitted"], em, "en", median_ratio, dictionary)
        major_orig += any(m for _, _, m in found_o)
        major_omit += any(m for _, _, m in found_m)
        score_orig.append(s_o)
        score_omit.append(s_m)
        flagged_orig += bool(found_o)
        flagged_omit += bool(found_m)
        # Gold: source words linked (in the unmodified pair) to the deleted target words.
        t_words = r["target"].split()
        a, b = r["deleted"]
        spans, pos = [], 0
        for w in t_words:
            start = r["target"].index(w, pos)
            spans.append((start, start + len(w)))
            pos = start + len(w)
        deleted_chars = (spans[a][0], spans[b - 1][1])
        gold = {j for i, (x, y) in enumerate(eo.word_spans) if deleted_chars[0] <= x and y <= deleted_chars[1]
                for j in [eo.alignment[i]] if j >= 0}
        gold_chars = [eo.source_spans[j] for j in gold]
        if found_m and any(x < e and s < y for (s, e), _, _ in found_m for (x, y) in gold_chars):
            located += 1
    n = len(rows)
    encoder = get_encoder()
    import numpy as np

    def cos(pairs):
        s = encoder.encode([p[0] for p in pairs])
        t = encoder.encode([p[1] for p in pairs])
        return list(np.sum(s * t, axis=1))

    sim_orig = cos([(r["source"], r["target"]) for r in rows])
    sim_omit = cos([(r["source"], r["omitted"]) for r in rows])
    ratio_orig = [len(r["target"]) / max(1, len(r["source"])) for r in rows]
    ratio_omit = [len(r["omitted"]) / max(1, len(r["source"])) for r in rows]
    print(f"MLQE-PE en-de {args.split}{' (no dictionary)' if args.no_dictionary else ''}: {n} post-edits with a deletable clause "
          f"(median {statistics.median(b - a for a, b in (r['deleted'] for r in rows))} tokens deleted)")
    print("| | omitted clause | unmodified post-edit | ROC AUC |")
    print("|---|---:|---:|---:|")
    print(f"| clause-omission flags the sentence | {flagged_omit / n:.1%} | {flagged_orig / n:.1%} "
          f"| {auc(score_omit, score_orig):.3f} |")
    print(f"| ... as major | {major_omit / n:.1%} | {major_orig / n:.1%} | |")
    print(f"| ... and the flagged source span covers the deleted clause | {located / n:.1%} | | |")
    false_alarm = flagged_orig / n
    for name, omit, orig in (("length ratio target/source", ratio_omit, ratio_orig),
                             ("sentence similarity", sim_omit, sim_orig)):
        # The baseline's cut with the check's false-alarm rate on the unmodified post-edits.
        cut = sorted(orig)[int(false_alarm * n)] if false_alarm * n >= 1 else min(orig)
        hit = sum(x < cut for x in omit) / n
        print(f"| baseline: {name}, lower = omission (at the same false-alarm rate) | {hit:.1%} "
              f"| {sum(x < cut for x in orig) / n:.1%} | {auc([-x for x in omit], [-x for x in orig]):.3f} |")


if __name__ == "__main__":
    main()
