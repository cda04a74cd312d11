"""How sentence alignment scales with document length.

Synthetic document pairs of about 100, 1,000 and 10,000 source sentences are
made by repeating the Bleualign dev document (German-French, 468 + 554
lines) and cutting at a gold link boundary, so the gold alignment of every
pair is known. Sentence vectors come from the embedded encoder once (and
its on-disk cache); the aligner then gets an ``encode`` that looks them up,
so the timings exclude encoding. Reported per size: alignment time (median
of the runs), peak memory traced by tracemalloc during one more run, the
texts the aligner asked of ``encode`` per sentence, and strict F1 against
the repeated gold (the coarse-to-fine search must not lose accuracy on long
documents). Encoding time is estimated from the encoder's measured speed on
uncached dev sentences.

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/speed/align_scaling.py
    ... --sizes 100 1000 10000 --runs 3 --json out.json
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / d) for d in ("eval", "calibrate", "speed", "train", "probe")]
from align_bleualign import DEFAULT_DATA, read_lines  # noqa: E402

from mtlint.align import align, parse_vecalign  # noqa: E402
from mtlint.embed import get_encoder  # noqa: E402
from mtlint.evaluate import score_alignment  # noqa: E402


def repeated(source, target, gold, size):
    """The dev document repeated, cut after the first gold link that reaches ``size`` source sentences."""
    links = []
    copy = 0
    while True:
        for src, tgt in gold:
            src = tuple(i + copy * len(source) for i in src)
            tgt = tuple(j + copy * len(target) for j in tgt)
            links.append((src, tgt))
            if src and src[-1] + 1 >= size:
                n = src[-1] + 1
                m = max(j for _, t in links for j in t) + 1
                return (source * (copy + 1))[:n], (target * (copy + 1))[:m], links
        copy += 1


class LookupEncoder:
    """Answers from precomputed vectors and counts the texts asked for."""

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table
        self.texts = 0

    def __call__(self, texts):
        self.texts += len(texts)
        return np.stack([self.table[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def encoder_speed(texts: list[str]) -> float:
    """Sentences per second of the embedded encoder, without any cache."""
    encoder = get_encoder(use_cache=False)
    encoder.encode(texts[:8])                      # load and warm up
    start = time.perf_counter()
    encoder.encode(texts)
    return len(texts) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--speed-sample", type=int, default=200, help="sentences timed for the encoder's speed")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not (args.data / "dev.defr").exists():
        print(f"no Bleualign data at {args.data}", file=sys.stderr)
        return 2

    source = read_lines(args.data / "dev.de")
    target = read_lines(args.data / "dev.fr")
    gold = parse_vecalign((args.data / "dev.defr").read_text(encoding="utf-8"))
    texts = sorted({s.strip() for s in source + target if s.strip()})
    vectors = get_encoder().encode(texts)
    table = dict(zip(texts, vectors))
    rate = encoder_speed(sorted({s.strip() for s in source if s.strip()})[:args.speed_sample])
    print(f"encoder speed (no cache, {args.speed_sample} dev sentences): {rate:.1f} sentences/s")

    rows = []
    for size in args.sizes:
        src, tgt, ref = repeated(source, target, gold, size)
        times = []
        for _ in range(args.runs if size < 5000 else 1):
            lookup = LookupEncoder(table)
            start = time.perf_counter()
            links = align(src, tgt, lookup)
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        align(src, tgt, LookupEncoder(table))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        sentences = len(src) + len(tgt)
        seconds = statistics.median(times)
        encode_estimate = sentences / rate
        rows.append(dict(source=len(src), target=len(tgt), align_seconds=seconds,
                         ms_per_sentence=1000 * seconds / sentences, peak_mib=peak / 2 ** 20,
                         encoder_texts_per_sentence=lookup.texts / sentences,
                         encode_seconds_estimate=encode_estimate, align_share=seconds / encode_estimate,
                         f1_strict=score_alignment(ref, links).f1_strict))
        print(f"  {len(src)} x {len(tgt)}: {seconds:.2f} s", file=sys.stderr)

    print()
    print("| source x target sentences | alignment (s) | ms / sentence | peak memory (MiB) | encoder texts / sentence "
          "| est. encoding (s) | alignment / encoding | strict F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['source']:,} x {r['target']:,} | {r['align_seconds']:.2f} | {r['ms_per_sentence']:.2f} "
              f"| {r['peak_mib']:.0f} | {r['encoder_texts_per_sentence']:.2f} | {r['encode_seconds_estimate']:.0f} "
              f"| {100 * r['align_share']:.1f} % | {r['f1_strict']:.3f} |")
    if args.json:
        args.json.write_text(json.dumps({"encoder_sentences_per_second": rate, "rows": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
