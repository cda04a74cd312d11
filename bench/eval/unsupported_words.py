"""Is a word no dictionary rendering of the source supports more often wrong?

    .venv/bin/python bench/eval/unsupported_words.py [--split dev|train] [--limit N]

MLQE-PE en-de (../shared/data/wordqe): for every content word of the machine translation
(four letters or more, not a copy of a source word, wordfreq Zipf <= 6), the share tagged
BAD by the post-editors, for words the dictionary supports (mtlint.checks.meaning's
``_word_supported``: a rendering of a source word, its lemma or a 2-3 word source phrase,
a form or synonym in the same Ding entry, a compound of supported parts, or a verb whose
separated particle makes it a rendering) and words it does not, by the quality model's
edit probability p.  Then what reporting unsupported words from p = t up to the model's
span threshold adds: words, share BAD, words per sentence.  The model's own flags
(p >= SPAN_THRESHOLD) are the comparison.  UNSUPPORTED_P was chosen on train, not dev.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "data" / "wordqe"


def main():
    os.environ.setdefault("MTLINT_CACHE_DIR", "/tmp/mtlint-bench-cache")
    from mtlint.resources import lexicon
    from mtlint.checks.meaning import SPAN_THRESHOLD, _supported_stems, _unsupported_candidate, _word_supported
    from mtlint.qe_cache import cached_estimate

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args()
    d = DATA / f"en-de-{args.split}"
    src, mt, tags = ((d / f"{args.split}.{kind}").read_text(encoding="utf-8").splitlines()[:args.limit]
                     for kind in ("src", "mt", "tags"))
    lex = lexicon.load("en", "de")
    rows = []  # (p, supported, bad)
    for source, target, tag_line, est in zip(src, mt, tags, cached_estimate(list(zip(src, mt)))):
        word_tags = tag_line.split()[1::2]  # MLQE-PE tags gaps and words alternately
        starts = [m.start() for m in re.finditer(r"\S+", target)]
        supported = _supported_stems(lex, source, est, "en", "de")
        words = [target[a:b] for a, b in est.word_spans]
        for i, ((a, b), p) in enumerate(zip(est.word_spans, est.word_bad)):
            if not _unsupported_candidate(words[i], source, "de"):
                continue
            token = max(k for k, start in enumerate(starts) if start <= a)
            rows.append((p, _word_supported(words, i, supported, lex, "de"), word_tags[token] == "BAD"))
    p, supported, bad = (np.array(column) for column in zip(*rows))
    print(f"MLQE-PE en-de {args.split}, {len(src)} sentences: {len(rows)} content words, {bad.mean():.1%} BAD\n")
    print("| model p | supported: words | BAD | unsupported: words | BAD |\n|---|---:|---:|---:|---:|")
    for lo, hi in ((0, 0.3), (0.3, 0.5), (0.5, 0.6), (0.6, 0.75), (0.75, 1.01)):
        band = (p >= lo) & (p < hi)
        cells = [f"{(band & m).sum()} | {bad[band & m].mean():.1%}" for m in (supported, ~supported)]
        print(f"| [{lo}, {min(hi, 1)}) | " + " | ".join(cells) + " |")
    flagged = p >= SPAN_THRESHOLD
    print(f"\nthe model's own flags (p >= {SPAN_THRESHOLD}): {flagged.sum()} words, {bad[flagged].mean():.1%} BAD\n")
    print("| unsupported words reported from p = | words added | BAD | per sentence |\n|---|---:|---:|---:|")
    for t in (0.5, 0.55, 0.6, 0.65, 0.7):
        added = ~supported & (p >= t) & ~flagged
        print(f"| {t} | {added.sum()} | {bad[added].mean():.1%} | {added.sum() / len(src):.2f} |")


if __name__ == "__main__":
    main()
