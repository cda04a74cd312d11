"""Sentence alignment on the Bleualign dev set (Text+Berg, German-French).

Reads ``../shared/data/alignment``: ``dev.de`` and ``dev.fr`` hold one
sentence per line (a blank line would be a sentence too; the dev set has
none), ``dev.defr`` the gold links in Vecalign's ``[0]:[0, 1]`` format. The
dev set is one document (a yearly "Himalaya-Chronik" of the Swiss Alpine
Club's journal): the gold's source indices run 0..467 without a gap. Every
``NAME.de``/``NAME.fr``/``NAME.defr`` triple found (``--sets``) is aligned
as one document and the scores are summed over them, as Vecalign does.

Scores use mtlint.evaluate, which reproduces Vecalign's score.py. Beside
mtlint's aligner, a Gale-Church length-only baseline (written here, classic
priors and variance, the document's own character ratio) is scored.

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/eval/align_bleualign.py
    ... --encoded-overlap 2     # also embed 2-sentence groups for real (Vecalign-style)
    ... --omissions             # also the omission/addition probe below
    ... --json out.json         # figures as JSON

The omission probe uses the project's own articles (references/NAME.LANG.txt,
originals in English, Ukrainian or French, and their German machine
translations corpus/NAME.txt): for every 1-1 link of the
unedited alignment but the first and last, one German sentence is deleted
and a boilerplate line ("Lesen Sie auch: ...") is inserted three sentences
later; the probe counts how often the aligner reports the deleted
sentence's source as a 1-0 link and the boilerplate as a 0-1 link.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

from mtlint.align import align, parse_vecalign
from mtlint.embed import get_encoder
from mtlint.evaluate import score_alignments

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "alignment"


def read_lines(path: Path) -> list[str]:
    """One sentence per line; blank lines are sentences; the final newline ends the last line."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# --------------------------------------------------------------------------
# Gale & Church (1993), length only

_GC_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2,
              (2, 2): 0.011}
_GC_VARIANCE = 6.8


def _norm_tail(z: float) -> float:
    """Two-sided tail 2 * (1 - Phi(|z|))."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def gale_church(source: list[str], target: list[str]) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Length-only alignment by full dynamic programming (quadratic; fine for one dev document)."""
    ls = [len(s.strip()) for s in source]
    lt = [len(t.strip()) for t in target]
    ratio = max(sum(lt), 1) / max(sum(ls), 1)
    n, m = len(ls), len(lt)
    cs = np.concatenate([[0], np.cumsum(ls)])
    ct = np.concatenate([[0], np.cumsum(lt)])
    prior_cost = {k: -math.log(p) for k, p in _GC_PRIORS.items()}

    def cost(a: int, b: int, i: int, j: int) -> float:
        l1 = cs[i] - cs[i - a]
        l2 = ct[j] - ct[j - b]
        mean = (l1 + l2 / ratio) / 2.0
        delta = (l2 - l1 * ratio) / math.sqrt(_GC_VARIANCE * ratio * max(mean, 1e-9)) if mean > 0 else 0.0
        return prior_cost[(a, b)] - math.log(max(_norm_tail(delta), 1e-300))

    inf = float("inf")
    best = np.full((n + 1, m + 1), inf)
    back = np.zeros((n + 1, m + 1, 2), dtype=np.int8)
    best[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            choice, value = None, inf
            for a, b in _GC_PRIORS:
                if i >= a and j >= b and best[i - a, j - b] < inf:
                    v = best[i - a, j - b] + cost(a, b, i, j)
                    if v < value:
                        choice, value = (a, b), v
            best[i, j] = value
            back[i, j] = choice
    links = []
    i, j = n, m
    while i or j:
        a, b = int(back[i, j, 0]), int(back[i, j, 1])
        links.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    return links[::-1]


# --------------------------------------------------------------------------

class CountingEncoder:
    """Counts the texts asked of the encoder (the cache answers repeats for free)."""

    def __init__(self, encode) -> None:
        self._encode = encode
        self.texts = 0
        self.calls = 0
        self.seconds = 0.0

    def __call__(self, texts):
        self.texts += len(texts)
        self.calls += 1
        start = time.perf_counter()
        try:
            return self._encode(texts)
        finally:
            self.seconds += time.perf_counter() - start


ROOT = Path(__file__).resolve().parents[2]
BOILERPLATE = "Lesen Sie auch: Die besten Rezepte für heiße Sommertage"


def omission_probe(encode) -> dict[str, float]:
    from mtlint.resources import segment

    omitted = added = trials = 0
    for reference in sorted((ROOT / "references").glob("*.*.txt")):
        stem, lang = reference.name.split(".")[:2]
        article = ROOT / "corpus" / (stem + ".txt")
        if not article.exists():
            continue
        src_text, tgt_text = reference.read_text(encoding="utf-8"), article.read_text(encoding="utf-8")
        source = [s.text(src_text) for s in segment.sentences(src_text, lang)]
        target = [s.text(tgt_text) for s in segment.sentences(tgt_text, "de")]
        ones = [link for link in align(source, target, encode) if link.kind == "1-1"]
        for link in ones[1:-1]:
            j = link.target[0]
            edited = target[:j] + target[j + 1:]
            k = min(len(edited) - 1, j + 3)
            edited = edited[:k] + [BOILERPLATE] + edited[k:]
            links = align(source, edited, encode)
            trials += 1
            omitted += any(x.source == link.source and not x.target for x in links)
            added += any(not x.source and x.target == (k,) for x in links)
    return {"trials": trials, "omission_found": omitted / max(trials, 1), "addition_found": added / max(trials, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sets", nargs="+", default=["dev"])
    parser.add_argument("--encoded-overlap", type=int, default=1)
    parser.add_argument("--omissions", action="store_true", help="also run the omission/addition probe")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not (args.data / "dev.defr").exists():
        print(f"no Bleualign data at {args.data}", file=sys.stderr)
        return 2

    encoder = get_encoder()
    counter = CountingEncoder(encoder.encode)
    golds, hyps, baselines = [], [], []
    sentences = 0
    align_seconds = 0.0
    aligner_texts = 0
    for name in args.sets:
        source = read_lines(args.data / f"{name}.de")
        target = read_lines(args.data / f"{name}.fr")
        gold = parse_vecalign((args.data / f"{name}.defr").read_text(encoding="utf-8"))
        sentences += len(source) + len(target)
        # encode first (timed apart), then align with the same encoder: all cache hits
        counter(sorted({s.strip() for s in source + target if s.strip()}))
        before = counter.texts
        start = time.perf_counter()
        links = align(source, target, counter, encoded_overlap=args.encoded_overlap)
        align_seconds += time.perf_counter() - start
        aligner_texts += counter.texts - before
        golds.append(gold)
        hyps.append(links)
        baselines.append(gale_church(source, target))

    ours = score_alignments(golds, hyps)
    base = score_alignments(golds, baselines)
    encode_seconds = counter.seconds
    print(f"Bleualign {'+'.join(args.sets)}: {sentences} sentences, encoded_overlap={args.encoded_overlap}")
    print(f"encoder: the aligner asked for {aligner_texts} texts ({aligner_texts / sentences:.2f} per sentence); "
          f"{encoder.stats.encoded} texts actually encoded this run, {encode_seconds:.1f} s in the encoder")
    print(f"alignment time, encoder included: {align_seconds:.2f} s")
    lines = ["| aligner | strict P | strict R | strict F1 | lax P | lax R | lax F1 |", "|---|---|---|---|---|---|---|"]
    for label, s in (("mtlint (e5-small, defaults)", ours), ("Gale-Church, length only (in the bench script)", base)):
        lines.append(f"| {label} | {s.precision_strict:.3f} | {s.recall_strict:.3f} | {s.f1_strict:.3f} "
                     f"| {s.precision_lax:.3f} | {s.recall_lax:.3f} | {s.f1_lax:.3f} |")
    probe = None
    if args.omissions:
        probe = omission_probe(encoder.encode)
        lines += ["", f"Omission probe ({probe['trials']} edited corpus articles): the deleted sentence is reported "
                      f"as 1-0 in {100 * probe['omission_found']:.0f}%, the inserted boilerplate as 0-1 in "
                      f"{100 * probe['addition_found']:.0f}%."]
    table = "\n".join(lines)
    print()
    print(table)
    if args.sets == ["dev"] and args.encoded_overlap == 1 and args.data == DEFAULT_DATA and args.omissions:
        sys.path.insert(0, str(ROOT / "bench"))
        from common import save_result, signature

        save_result("align-bleualign", "MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python "
                    "bench/eval/align_bleualign.py --omissions", table, signature(),
                    {"mtlint": ours.as_dict(), "gale_church": base.as_dict(), "omission_probe": probe})
    if args.json:
        args.json.write_text(json.dumps({"mtlint": ours.as_dict(), "gale_church": base.as_dict(), "omission_probe": probe,
                                         "sentences": sentences, "aligner_texts": aligner_texts,
                                         "encoder_stats": encoder.stats.as_dict(),
                                         "align_seconds": align_seconds}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
