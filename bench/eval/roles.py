"""role-swap on real translations: false alarms on human ones, and swaps made in them.

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/eval/roles.py [--show 5]

Clean sets (every flag false): MLQE-PE en-de post-edits (train and dev) and TED's human
references.  Machine translations: MLQE-PE MT, and WMT21 CED dev (flags on ERR / NOT pairs).
Swaps: in each post-edit where the source has a bare name and a name after a preposition of
direction ("Russia ... to North Korea") and the translation renders both, the two target
names are exchanged ("Nordkorea ... nach Russland"); the share of those flagged is the recall
on this construction.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path[:0] = [str(ROOT / "bench" / d) for d in ("eval", "calibrate", "speed", "train", "probe")]


def main():
    from negation import mlqe, ted_reference

    from mtlint.resources import lexicon
    from mtlint.resources.function_words import PREPOSITIONS
    from mtlint.checks.roles import (DIRECTION_RENDERINGS, _TOKEN, _preposition_before,
                                     _source_entities, _target_position)
    from mtlint.config import Config, build_options
    from mtlint.pipeline import check_pairs

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()
    options = build_options(Config(), enable=["role-swap"])
    ding = lexicon.load("en", "de")
    renderings = DIRECTION_RENDERINGS[("en", "de")]

    def flagged(pairs):
        return [k for k, r in enumerate(check_pairs(pairs, "en", "de", options)) if r.issues]

    print("| translations | pairs | flagged |\n|---|---:|---:|")
    sets = []
    for split in ("train", "dev"):
        src, mt, pe = mlqe(split)
        sets += [(f"MLQE-PE {split} post-edits (human)", list(zip(src, pe))), (f"MLQE-PE {split} MT", list(zip(src, mt)))]
    sets.append(("TED references (human)", ted_reference()))
    for name, pairs in sets:
        hits = flagged(pairs)
        print(f"| {name} | {len(pairs)} | {len(hits)} |")
        for k in hits[:args.show]:
            print(f"  {pairs[k][0][:120]!r}\n   -> {pairs[k][1][:120]!r}")
    ced = [line.split("\t") for line in (ROOT.parent / "shared" / "data" / "ced" / "ende_majority_dev.tsv")
           .read_text(encoding="utf-8").splitlines()]
    hits = flagged([(c[1], c[2]) for c in ced])
    err = sum(ced[k][-1] == "ERR" for k in hits)
    print(f"| WMT21 CED dev | {len(ced)} | {len(hits)} ({err} ERR, {len(hits) - err} NOT) |")

    # Swaps made in the post-edits.
    swapped = []
    for split in ("train", "dev"):
        src, _, pe = mlqe(split)
        for s, t in zip(src, pe):
            st, tt = list(_TOKEN.finditer(s)), list(_TOKEN.finditer(t))
            names = []
            for first, _, words in _source_entities(s, st, "en"):
                before = _preposition_before(st, first, "en")
                position = _target_position(words, tt, "en", ding)
                if position is not None:
                    names.append((before, position))
            bare = [p for b, p in names if b not in PREPOSITIONS["en"]]
            directed = [(b, p) for b, p in names if b in renderings]
            for a in bare[:1]:
                for role, b in directed[:1]:
                    if a != b and _preposition_before(tt, b, "de") in renderings[role]:
                        x, y = sorted([a, b])
                        ta, tb = tt[x], tt[y]
                        swapped.append((s, t[:ta.start()] + tb.group(0) + t[ta.end():tb.start()] + ta.group(0)
                                        + t[tb.end():], t))
    caught = flagged([(s, w) for s, w, _ in swapped])
    unchanged = flagged([(s, t) for s, _, t in swapped])
    print(f"\nswaps made in post-edits: {len(swapped)}; flagged {len(caught)}; "
          f"the same post-edits unswapped flagged {len(unchanged)}")
    for k in caught[:args.show]:
        print(f"  {swapped[k][0][:100]!r}\n   -> {swapped[k][1][:100]!r}")


if __name__ == "__main__":
    main()
