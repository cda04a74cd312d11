"""The whole pipeline on a megabyte-long single line: time per stage, nothing quadratic.

The target is one line of about 1 MB made of corpus words with no line
break (a file whose paragraphs were joined, or a hostile input); the source
is a normal article. The encoder is a hashed character-trigram stand-in
(as in tests/test_properties.py), so the figures are mtlint's own work:
segmentation, alignment and checks. Sizes 250 KB, 500 KB and 1 MB show how
the time grows (linear: it doubles with the size).

    .venv/bin/python bench/probe/hostile_input.py --sizes 250000 500000 1000000 --runs 1
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


class TrigramEncoder:
    model_id = "trigram-hash-256/bench"
    dim = 256

    def encode(self, texts):
        vectors = np.zeros((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.casefold()}  "
            for k in range(len(padded) - 2):
                vectors[row, zlib.crc32(padded[k:k + 3].encode("utf-8", "surrogatepass")) % self.dim] += 1.0
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def one_line(size: int, seed: int = 1) -> str:
    words = (ROOT / "corpus" / "000_82a9c39d3c60c71b.txt").read_text(encoding="utf-8").split()
    rng, parts, length = random.Random(seed), [], 0
    while length < size:
        word = rng.choice(words)
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)[:size]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 500_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print the top functions of the largest size")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "src"))
    from mtlint.embed import CachedEncoder
    from mtlint.pipeline import Options, check_documents
    from mtlint.read import Document

    source = Document("article.en.txt", (ROOT / "references" / "000_82a9c39d3c60c71b.en.txt").read_text("utf-8"), "utf-8")
    print("| target | sentences | issues | seconds (median) |")
    print("|---|---|---|---|")
    for size in args.sizes:
        target = Document("line.de.txt", one_line(size), "utf-8")
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            report = check_documents(source, target, Options(source_lang="en", target_lang="de"),
                                     CachedEncoder(TrigramEncoder()))
            times.append(time.perf_counter() - started)
        times.sort()
        print(f"| {size:,} chars, one line | {len(report.target_sentences)} | {len(report.issues)} | "
              f"{times[len(times) // 2]:.1f} |", flush=True)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(check_documents, source, target, Options(source_lang="en", target_lang="de"),
                         CachedEncoder(TrigramEncoder()))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
