"""unbalanced-quote on clean human translations (every flag false) and on machine translations.

    .venv/bin/python bench/eval/unbalanced_quotes.py [--show 5]

The check's test per paragraph: the translation's quotation marks leave one
unpaired (``resources.quotes.quote_slips``) while the source's pair up.  Each line of the
sets below is one paragraph.  MLQE-PE's MT lines count as confirmed when the
post-editor's version pairs its quotation marks.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path[:0] = [str(ROOT / "bench" / d) for d in ("eval", "calibrate", "speed", "train", "probe")]


def main():
    from mtlint.resources.quotes import quote_slips
    from negation import bleualign, mlqe, ted_reference

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()

    def slips(text):
        return quote_slips(text, 0, len(text))

    def flagged(pairs):
        return [(s, t) for s, t in pairs if slips(t) and not slips(s)]

    print("| translations | sentences | with quotation marks | flagged | share |\n|---|---:|---:|---:|---:|")
    sets = []
    for split in ("train", "dev"):
        src, mt, pe = mlqe(split)
        sets += [(f"MLQE-PE {split} post-edits (human)", list(zip(src, pe))),
                 (f"MLQE-PE {split} MT", list(zip(src, mt)))]
    sets += [("TED MQM dev references (human)", ted_reference()), ("Bleualign dev 1-1, fr-de (human)", [
        (s, t) for s, t in __import__("negation").bleualign()])]
    for name, pairs in sets:
        hits = flagged(pairs)
        quoted = sum(1 for _, t in pairs if any(c in t for c in "„“”«»\""))
        print(f"| {name} | {len(pairs)} | {quoted} | {len(hits)} | {len(hits) / len(pairs):.2%} |")
        for s, t in hits[:args.show]:
            print(f"  {s[:120]!r}\n   -> {t[:120]!r}  {slips(t)}")
    for split in ("train", "dev"):
        src, mt, pe = mlqe(split)
        hits = [(s, m, p) for s, m, p in zip(src, mt, pe) if slips(m) and not slips(s)]
        fixed = sum(1 for _, _, p in hits if not slips(p))
        print(f"\nMLQE-PE {split} MT: {len(hits)} flagged, {fixed} of them paired by the post-editor")


if __name__ == "__main__":
    main()
