"""Opposite senses by dictionary alone: does a target word render a WordNet antonym of a source word?

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/probe/opposite_sense.py --limit 2000

On MLQE-PE en-de TRAIN (sources with their machine translations and with the post-editors'
versions), a sentence is flagged where a German word's stem is a single-word Ding rendering of an
antonym (Princeton WordNet's "!" pointers, any part of speech, single words) of a source content word, is no
rendering of that word itself nor of any other word of the source, the source does not contain
the antonym, and neither side has a negation ("not approve" = "ablehnen").  Printed: flagged
sentences among the post-edits (human translations: every flag is a false alarm) and among the
machine translations, with how many of those flags sit on a word the post-editor changed, and
examples.  A look for docs/experiments/opposite-sense.md, not a check.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT / "bench" / "train")]

from common import SHARED  # noqa: E402
from curriculum import wordnet_antonyms  # noqa: E402

NEGATION_EN = re.compile(r"\b(?:not|no|never|without|nor|neither|none|nobody|nothing)\b|n't", re.I)
NEGATION_DE = re.compile(r"\b(?:nicht|kein\w*|nie|niemals|ohne|weder|nichts|niemand)\b", re.I)
WORD = re.compile(r"[^\W\d_]+")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=2000)
    args = ap.parse_args()
    from mtlint.resources import lexicon
    from mtlint.resources.frequency import content_word
    from mtlint.resources.stemming import german_stem

    lex = lexicon.load("en", "de")
    opposite = wordnet_antonyms(parts=("adj", "adv", "noun", "verb"))

    def stems(word: str) -> set[str]:
        forms = {word.lower(), lexicon.lemma(word, "en").lower()}
        return {german_stem(r) for form in forms for r in lex.renderings(form) if WORD.fullmatch(r)}

    def flags(source: str, target: str) -> list[tuple[str, str, str]]:
        if NEGATION_EN.search(source) or NEGATION_DE.search(target):
            return []
        words = WORD.findall(source)
        lemmas = {lexicon.lemma(w, "en").lower() for w in words} | {w.lower() for w in words}
        rendered = {w: stems(w) for w in words}
        target_stems = {german_stem(m.group(0)): m.group(0) for m in WORD.finditer(target)}
        out = []
        for w in words:
            if not content_word(w, "en"):
                continue
            for a in opposite.get(lexicon.lemma(w, "en").lower(), set()) | opposite.get(w.lower(), set()):
                if a in lemmas:
                    continue
                for stem in stems(a):
                    if (len(stem) >= 4 and stem in target_stems and stem not in rendered[w]
                            and not any(stem in rendered[v] for v in words if v != w)):
                        out.append((w, a, target_stems[stem]))
        return out

    folder = SHARED / "wordqe" / "en-de-train"
    read = lambda name: (folder / name).read_text(encoding="utf-8").splitlines()[:args.limit]  # noqa: E731
    sources, mt, pe, tags = read("train.src"), read("train.mt"), read("train.pe"), read("train.tags")
    counts = {"post-edits": 0, "machine translations": 0, "on a changed word": 0}
    examples = []
    for i, source in enumerate(sources):
        if flags(source, pe[i]):
            counts["post-edits"] += 1
        found = flags(source, mt[i])
        if found:
            counts["machine translations"] += 1
            word_tags = tags[i].split()[1::2]  # MLQE-PE interleaves gap tags with the word tags
            changed = {w for w, t in zip(mt[i].split(), word_tags) if t == "BAD"}
            counts["on a changed word"] += any(t in changed for _, _, t in found)
            examples.append(f"- {', '.join(f'{t} for {w} (antonym {a})' for w, a, t in found[:2])}")
    print(f"MLQE-PE en-de train, {len(sources)} sources: sentences flagged\n")
    print("| | sentences |\n|---|---:|")
    for name, value in counts.items():
        print(f"| {name} | {value} |")
    print("\nMachine translations flagged:\n")
    print("\n".join(examples[:12]))


if __name__ == "__main__":
    main()
