"""Wrong-sense word substitutions built from human translations and a dictionary.

    .venv/bin/python bench/eval/wrong_sense.py [--split dev] [--limit N]

A wrong-sense error is a target word that *is* a dictionary rendering of its
source word, but of another sense ("sanctioned" = penalised, rendered as
"approved").  Such errors are built from MLQE-PE's human post-edits (real
translations, corrected by people) and Debian's Ding dictionary
(``trans-de-en``), never from a list of phrases:

1. a post-edit word ``t`` is linked to a source word ``s`` when Ding lists
   ``t`` among the renderings of ``s`` (exact inflected form, Ding's slots);
2. another rendering ``c`` of the same ``s`` is a *different sense* when most
   of what ``c`` means in English is not what ``t`` means: of ``c``'s English
   renderings at most a quarter are also renderings of ``t`` (so "erobert"
   → "beschlagnahmt" for "seized" qualifies, "genehmigt" → "gebilligt" for
   "approved" does not);
3. ``c`` must be a common German word (wordfreq Zipf ≥ 2.5, so the error is
   not betrayed by rarity) of the same word class by German capitalisation.

One substitution per sentence (seeded), the substituted word tagged BAD.

Used twice: ``bench/train/train_qe.py`` adds the train-split substitutions (and
their unmodified post-edits, all OK) to the model's training data; this
script measures the model on the dev split — its *original* words were
never seen in training with a substitution — and prints how often the
substituted word is flagged, how often the original word is, and the
pairwise accuracy (substituted word more suspicious than the original in
the same place), next to plain sentence similarity as a baseline.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))  # bench/common.py

WORDQE = ROOT.parent / "shared" / "data" / "wordqe"
SEED = 13
MAX_SHARED_SENSES = 0.25  # at most this share of the substitute's English renderings may be the original's
MIN_ZIPF_DE = 2.5         # substitutes are common German words
MAX_ZIPF_EN = 6.0         # source words above this are function words (the, of, to): grammar, not sense


def sense_index(index: dict[str, list[str]]) -> dict[str, set[str]]:
    """German form (lower case) -> the English forms Ding renders with it."""
    reverse: dict[str, set[str]] = {}
    for english, germans in index.items():
        for g in germans:
            reverse.setdefault(g.lower(), set()).add(english)
    return reverse


def substitutions(source_words: list[str], target_words: list[str], index, reverse) -> list[tuple[int, str, str]]:
    """(target position, substitute, source word) for every wrong-sense substitution Ding allows."""
    from wordfreq import zipf_frequency

    found = []
    sources = sorted({w.lower() for w in source_words if w.isalpha() and len(w) >= 3})
    sources = [s for s in sources if s in index and zipf_frequency(s, "en") <= MAX_ZIPF_EN]
    for i, t in enumerate(target_words):
        if i == 0 or not t.isalpha() or len(t) < 4:  # sentence-initial capitals hide the word class
            continue
        senses_t = reverse.get(t.lower())
        if not senses_t:
            continue
        for s in sources:
            renderings = index[s]
            if t.lower() not in {r.lower() for r in renderings}:
                continue
            for c in renderings:
                if not c.isalpha() or c.lower() == t.lower() or c[0].isupper() != t[0].isupper():
                    continue
                senses_c = reverse.get(c.lower(), set())
                if not senses_c or len(senses_c & senses_t) > MAX_SHARED_SENSES * len(senses_c):
                    continue
                if zipf_frequency(c, "de") < MIN_ZIPF_DE:
                    continue
                found.append((i, c, s))
    return found


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def build(split: str, limit: int | None = None, seed: int = SEED) -> list[dict]:
    """One wrong-sense example per MLQE-PE post-edit that admits one:
    ``{"source", "target" (post-edit words), "position", "substitute", "source_word"}``."""
    from mtlint.resources import lexicon

    lex = lexicon.load("en", "de")
    if lex is None:
        raise SystemExit("needs Debian's trans-de-en (scripts/system-deps.sh)")
    reverse = sense_index(lex.index)
    folder = WORDQE / f"en-de-{split}"
    rng = random.Random(seed)
    examples = []
    for src, pe in zip(_lines(folder / f"{split}.src"), _lines(folder / f"{split}.pe")):
        options = substitutions(src.split(), pe.split(), lex.index, reverse)
        if options:
            i, c, s = rng.choice(options)
            examples.append({"source": src.split(), "target": pe.split(), "position": i, "substitute": c,
                             "source_word": s})
            if limit and len(examples) >= limit:
                break
    return examples


def substituted(example: dict) -> list[str]:
    words = list(example["target"])
    words[example["position"]] = example["substitute"]
    return words


def _auc(positives: list[float], negatives: list[float]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score([1] * len(positives) + [0] * len(negatives), positives + negatives))


def measure(examples: list[dict]) -> dict:
    from mtlint.checks.meaning import SPAN_THRESHOLD
    from mtlint.embed import get_encoder
    from mtlint.qe_cache import cached_estimate

    originals = [(" ".join(e["source"]), " ".join(e["target"])) for e in examples]
    changed = [(" ".join(e["source"]), " ".join(substituted(e))) for e in examples]
    before, after = cached_estimate(originals), cached_estimate(changed)
    p_orig = [b.word_bad[e["position"]] for b, e in zip(before, examples)]
    p_sub = [a.word_bad[e["position"]] for a, e in zip(after, examples)]
    # The cosine of the word to its nearest source word (frozen encoder states): a wrong sense is unlike its source word.
    cos_orig = [b.target_coverage[e["position"]] for b, e in zip(before, examples)]
    cos_sub = [a.target_coverage[e["position"]] for a, e in zip(after, examples)]
    encoder = get_encoder()
    texts = sorted({t for pair in originals + changed for t in pair})
    vectors = dict(zip(texts, encoder.encode(texts)))
    sim_orig = [float(vectors[s] @ vectors[t]) for s, t in originals]
    sim_sub = [float(vectors[s] @ vectors[t]) for s, t in changed]
    from mtlint.config import Config, build_options
    from mtlint.pipeline import check_pairs

    import mtlint.qe_cache as qe_cache

    options = build_options(Config(), enable=["mistranslation"])
    flagged, passes = {}, {}
    plain = qe_cache.cached_estimate
    for name, rows in (("original", originals), ("substitute", changed)):
        counted = [0]

        def counting(pairs, *args, **kwargs):
            counted[0] += len(pairs)
            return plain(pairs, *args, **kwargs)

        qe_cache.cached_estimate = counting
        try:
            results = check_pairs(rows, "en", "de", options)
        finally:
            qe_cache.cached_estimate = plain
        passes[name] = counted[0] / len(rows)
        hits = {"any": 0, "dictionary": 0}
        for result, example, (_, target) in zip(results, examples, rows):
            a = sum(len(w) + 1 for w in target.split(" ")[:example["position"]])
            b = a + len(target.split(" ")[example["position"]])
            over = [i for i in result.issues if i.target_span[0] < b and a < i.target_span[1]]
            hits["any"] += bool(over)
            hits["dictionary"] += any(i.message.startswith("wrong sense?") for i in over)
        flagged[name] = hits
    n = len(examples)
    return {
        "check: substitute inside a mistranslation issue": flagged["substitute"]["any"] / n,
        "check: ... with a dictionary rendering (wrong sense?)": flagged["substitute"]["dictionary"] / n,
        "check: original word inside a mistranslation issue": flagged["original"]["any"] / n,
        "check: ... with a dictionary rendering": flagged["original"]["dictionary"] / n,
        "examples": n,
        "check: model passes per sentence (original / substitute)": [passes["original"], passes["substitute"]],
        "model: substitute flagged (p >= span threshold)": sum(p >= SPAN_THRESHOLD for p in p_sub) / n,
        "model: original word flagged": sum(p >= SPAN_THRESHOLD for p in p_orig) / n,
        "model: pairwise accuracy (substitute more suspicious)": sum(a > b for a, b in zip(p_sub, p_orig)) / n,
        "model: median p substitute / original": [statistics.median(p_sub), statistics.median(p_orig)],
        "ROC AUC substitute vs human word: model p / -cosine / p - cosine": [
            _auc(p_sub, p_orig), _auc([-c for c in cos_sub], [-c for c in cos_orig]),
            _auc([p - c for p, c in zip(p_sub, cos_sub)], [p - c for p, c in zip(p_orig, cos_orig)])],
        "cosine of the human word: 10th / 20th / 50th percentile": [
            float(x) for x in statistics.quantiles(cos_orig, n=10)[:2]] + [statistics.median(cos_orig)],
        "model: critical-error probability rises": sum(a.critical > b.critical for a, b in zip(after, before)) / n,
        "similarity: pairwise accuracy (substitution lowers similarity)": sum(a < b for a, b in zip(sim_sub, sim_orig)) / n,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--show", type=int, default=0, help="print this many examples")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a constant of mtlint.checks.meaning (e.g. MIN_IMPROVEMENT=0.3)")
    args = parser.parse_args()
    from common import apply_settings

    apply_settings(args.set)
    examples = build(args.split, args.limit)
    for e in examples[:args.show]:
        print(f"{e['source_word']!r}: {e['target'][e['position']]!r} -> {e['substitute']!r} | {' '.join(substituted(e))}")
    if args.show:
        return
    from common import figures_table

    print(figures_table(measure(examples)))


if __name__ == "__main__":
    main()
