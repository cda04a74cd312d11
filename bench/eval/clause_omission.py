"""Clauses omitted or added inside a sentence: how well clause-omission and clause-addition find them.

    .venv/bin/python bench/eval/clause_omission.py [--split dev] [--limit N] [--addition]

Test data built from human translations (MLQE-PE en-de post-edits, which
are correct translations of their source): in each post-edit with a
comma-delimited clause of 3-12 words (", der ... ," / ", weil ... ."), that
clause is deleted (seeded choice).  The source keeps its clause, so the
translation now omits it.  With --addition the mirror image: a clause is
deleted from the English source (", which ... ,"), so the unmodified
post-edit now adds it.  Measured, with the checks' own thresholds:

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

ROOT = Path(__file__).resolve().parents[2]
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


def build(split: str, limit: int | None, addition: bool = False) -> list[dict]:
    """Rows with the unmodified pair and the changed one: a clause deleted from
    the post-edit (an omission) or, with ``addition``, from the source (so the
    translation adds it)."""
    rng = random.Random(SEED)
    rows = []
    for src, pe in zip(read(split, "src"), read(split, "pe")):
        words = (src if addition else pe).split()
        spans = clause_spans(words)
        if not src.strip() or not pe.strip() or not spans:
            continue
        a, b = rng.choice(spans)
        shortened = " ".join(words[:a] + words[b:])
        rows.append({"source": src, "target": pe, "changed": (shortened, pe) if addition else (src, shortened),
                     "deleted": (a, b)})
    return rows[:limit] if limit else rows


def word_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for w in text.split():
        start = text.index(w, pos)
        spans.append((start, start + len(w)))
        pos = start + len(w)
    return spans


def auc(positive: list[float], negative: list[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--addition", action="store_true",
                    help="delete the clause from the source: measures clause-addition")
    ap.add_argument("--no-dictionary", action="store_true", help="without the Ding dictionary's coverage")
    args = ap.parse_args()
    rows = build(args.split, args.limit, args.addition)
    from mtlint.resources import lexicon
    from mtlint.checks.coverage import find_additions, find_omissions
    from mtlint.embed import get_encoder
    from mtlint.qe_cache import cached_estimate

    find = find_additions if args.addition else find_omissions
    lang = "de" if args.addition else "en"
    originals = cached_estimate([(r["source"], r["target"]) for r in rows])
    changed = cached_estimate([r["changed"] for r in rows])
    flagged_orig = flagged_changed = located = major_changed = major_orig = 0
    score_orig, score_changed = [], []
    # The median length ratio of the file of good translations: in a real file
    # omissions are few, so its median is that of the translations around them.
    dictionary = None if args.no_dictionary else lexicon.load("en", "de")
    median_ratio = statistics.median(len(r["target"]) / len(r["source"]) for r in rows)
    for r, eo, ec in zip(rows, originals, changed):
        found_o, s_o = find(r["source"], r["target"], eo, lang, median_ratio, dictionary)
        found_c, s_c = find(*r["changed"], ec, lang, median_ratio, dictionary)
        major_orig += any(m for _, _, m in found_o)
        major_changed += any(m for _, _, m in found_c)
        score_orig.append(s_o)
        score_changed.append(s_c)
        flagged_orig += bool(found_o)
        flagged_changed += bool(found_c)
        # Gold: the words of the other side linked (in the unmodified pair) to the deleted words.
        a, b = r["deleted"]
        spans = word_spans(r["source"] if args.addition else r["target"])
        first, last = spans[a][0], spans[b - 1][1]
        if args.addition:
            gold = {eo.source_alignment[j] for j, (x, y) in enumerate(eo.source_spans) if first <= x and y <= last}
            gold_chars = [eo.word_spans[i] for i in gold if i >= 0]
        else:
            gold = {eo.alignment[i] for i, (x, y) in enumerate(eo.word_spans) if first <= x and y <= last}
            gold_chars = [eo.source_spans[j] for j in gold if j >= 0]
        if found_c and any(x < e and s < y for (s, e), _, _ in found_c for (x, y) in gold_chars):
            located += 1
    n = len(rows)
    encoder = get_encoder()
    import numpy as np

    def cos(pairs):
        s = encoder.encode([p[0] for p in pairs])
        t = encoder.encode([p[1] for p in pairs])
        return list(np.sum(s * t, axis=1))

    sim_orig = cos([(r["source"], r["target"]) for r in rows])
    sim_changed = cos([r["changed"] for r in rows])
    sign = -1 if args.addition else 1  # an addition makes the target long for its source
    ratio_orig = [sign * len(r["target"]) / max(1, len(r["source"])) for r in rows]
    ratio_changed = [sign * len(r["changed"][1]) / max(1, len(r["changed"][0])) for r in rows]
    check, side, what = (("clause-addition", "source", "added") if args.addition
                         else ("clause-omission", "post-edit", "omitted"))
    print(f"MLQE-PE en-de {args.split}{' (no dictionary)' if args.no_dictionary else ''}: {n} pairs with a clause "
          f"deletable from the {side} (median {statistics.median(b - a for a, b in (r['deleted'] for r in rows))} "
          f"tokens deleted)")
    print(f"| | {what} clause | unmodified post-edit | ROC AUC |")
    print("|---|---:|---:|---:|")
    print(f"| {check} flags the sentence | {flagged_changed / n:.1%} | {flagged_orig / n:.1%} "
          f"| {auc(score_changed, score_orig):.3f} |")
    if not args.addition:  # additions are never major (checks/coverage.py)
        print(f"| ... as major | {major_changed / n:.1%} | {major_orig / n:.1%} | |")
    print(f"| ... and the flagged span covers the deleted clause's counterpart | {located / n:.1%} | | |")
    false_alarm = flagged_orig / n
    for name, omit, orig in ((f"length ratio target/source, {'higher' if args.addition else 'lower'}",
                              ratio_changed, ratio_orig),
                             ("sentence similarity, lower", sim_changed, sim_orig)):
        # The baseline's cut with the check's false-alarm rate on the unmodified post-edits.
        cut = sorted(orig)[int(false_alarm * n)] if false_alarm * n >= 1 else min(orig)
        hit = sum(x < cut for x in omit) / n
        print(f"| baseline: {name} = {what} (at the same false-alarm rate) | {hit:.1%} "
              f"| {sum(x < cut for x in orig) / n:.1%} | {auc([-x for x in omit], [-x for x in orig]):.3f} |")


if __name__ == "__main__":
    main()
