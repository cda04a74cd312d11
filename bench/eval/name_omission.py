"""name-omission on MLQE-PE en-de dev: flagged source names against the source-side BAD tags.

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache OMP_NUM_THREADS=1 .venv/bin/python bench/eval/name_omission.py [--list]

Reads ../shared/data/wordqe/en-de-dev (dev.src, dev.mt, dev.source_tags: one OK/BAD tag per source word; the
text is tokenised, words separated by spaces). mtlint runs as users run it, `mtlint pairs --enable
name-omission` in a subprocess; a flagged name is counted correct when any of its words is tagged BAD (the
post-editor changed or added its translation). Baseline, in the same run: every capitalised source word that
is not the first word of its sentence and does not occur verbatim among the target's words. --list prints
every name mtlint flags with its tags, for reading.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / d) for d in ("eval", "calibrate", "speed", "train", "probe")]
from devsets import SHARED, run_pairs  # noqa: E402


def word_spans(line: str) -> list[tuple[int, int, str]]:
    spans, position = [], 0
    for word in line.split(" "):
        spans.append((position, position + len(word), word))
        position += len(word) + 1
    return spans


def capitalised(word: str) -> bool:
    return word[:1].isupper() and any(ch.islower() for ch in word)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every flagged name with its tags")
    args = parser.parse_args()
    qe = SHARED / "wordqe" / "en-de-dev"
    if not qe.is_dir():
        sys.exit(f"{qe} not found")
    src = (qe / "dev.src").read_text(encoding="utf-8").splitlines()
    mt = (qe / "dev.mt").read_text(encoding="utf-8").splitlines()
    tags = [line.split() for line in (qe / "dev.source_tags").read_text(encoding="utf-8").splitlines()]
    assert len(src) == len(mt) == len(tags)
    assert all(len(line.split(" ")) == len(t) for line, t in zip(src, tags)), "source tags are one per word"

    results = run_pairs(list(zip(src, mt)), "en", "de", ["--enable", "name-omission"])
    names = []  # (row, name, tags of its words)
    for row, result in enumerate(results):
        for issue in result["issues"]:
            start, end = issue["source_span"]
            covered = [tags[row][i] for i, (s, e, _) in enumerate(word_spans(src[row])) if s < end and e > start]
            names.append((row, issue["source_text"], covered))

    baseline = []  # (row, word, tag)
    candidates = []  # every capitalised non-initial source word: the base rate
    for row, (line, target) in enumerate(zip(src, mt)):
        target_words = set(target.split())
        for i, (_, _, word) in enumerate(word_spans(line)):
            if i > 0 and capitalised(word) and word.isalpha():
                candidates.append(tags[row][i])
                if word not in target_words:
                    baseline.append((row, word, tags[row][i]))

    # The same names as mtlint's rule picks, flagged when missing verbatim: what the counterpart search adds.
    from mtlint.resources import lexicon
    from mtlint.checks import names as name_checks

    ding = lexicon.load("en", "de")
    verbatim = [(row, word, tag) for row, word, tag in baseline
                if name_checks._is_name(word, "en", "de", ding)]

    all_tags = [t for row in tags for t in row]
    mt_words = [t for _, _, covered in names for t in covered]
    name_hits = sum("BAD" in covered for _, _, covered in names)
    print(f"MLQE-PE en-de dev: {len(src)} sentences, {len(all_tags)} source words, "
          f"{all_tags.count('BAD') / len(all_tags):.1%} BAD; "
          f"{len(candidates)} capitalised non-initial words, {candidates.count('BAD') / max(len(candidates), 1):.1%} BAD")
    print()
    print("| system | flags | sentences | precision (BAD) |")
    print("|---|---|---|---|")
    print(f"| baseline: capitalised non-initial source word missing verbatim from the target (words) | "
          f"{len(baseline)} | {len({r for r, _, _ in baseline})} | "
          f"{sum(t == 'BAD' for _, _, t in baseline) / max(len(baseline), 1):.2f} |")
    print(f"| baseline restricted to the words mtlint takes for names | {len(verbatim)} | "
          f"{len({r for r, _, _ in verbatim})} | "
          f"{sum(t == 'BAD' for _, _, t in verbatim) / max(len(verbatim), 1):.2f} |")
    print(f"| mtlint name-omission: names (any word BAD) | {len(names)} | {len({r for r, _, _ in names})} | "
          f"{name_hits / max(len(names), 1):.2f} |")
    print(f"| mtlint name-omission: words of the flagged names | {len(mt_words)} | {len({r for r, _, _ in names})} | "
          f"{mt_words.count('BAD') / max(len(mt_words), 1):.2f} |")
    if args.list:
        print()
        for row, name, covered in names:
            print(f"{row}\t{name}\t{' '.join(covered)}\t{mt[row]}")


if __name__ == "__main__":
    main()
