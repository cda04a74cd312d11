"""End-to-end speed and memory of mtlint next to the encoder alone.

    python bench/end_to_end.py [--runs 3] [--parts corpus,pair2000,warm,pair10000] [--disable IDS]

--disable skips checks (e.g. the quality-estimation model's checks,
``mistranslation,critical-error``, to see the rest of the pipeline alone).

* ``corpus`` and ``pair2000``: ``pipeline.check_documents`` on each corpus
  article and on a 2,000-sentence English-German document pair, with an
  empty embedding cache each run (the model is loaded once before, not
  timed).  The encoder's own time is measured inside the same run (every
  call into the model is timed), so "end-to-end / encoder-only" compares
  the same sentences under the same load.  Medians of --runs.
* ``warm``: ``mtlint report corpus references`` as a user runs it (a new
  process each time, model loading included), cold (empty MTLINT_CACHE_DIR)
  then warm (the same again); medians of --runs pairs.
* ``pair10000``: peak RSS (``/usr/bin/time -v``) of ``mtlint check`` on a
  10,000-sentence pair, cold cache, once.

The document pairs come from ../shared/data/wordqe (MLQE-PE en-de: English
source sentences and their German MT, one per line): 2,000 = dev (1,000) +
the first 1,000 of train; 10,000 = dev + train (8,000) + 2,000 more pairs of
train source with its human post-edit as the target.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))
WORDQE = os.path.join(ROOT, "..", "shared", "data", "wordqe")


def _lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh]


def build_pair(directory: str, sentences: int) -> tuple[str, str]:
    dev, train = os.path.join(WORDQE, "en-de-dev", "dev"), os.path.join(WORDQE, "en-de-train", "train")
    source = _lines(dev + ".src") + _lines(train + ".src")
    target = _lines(dev + ".mt") + _lines(train + ".mt")
    source += _lines(train + ".src")
    target += _lines(train + ".pe")
    source_path = os.path.join(directory, f"pair{sentences}.en.txt")
    target_path = os.path.join(directory, f"pair{sentences}.de.txt")
    for path, lines in ((source_path, source), (target_path, target)):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines[:sentences]) + "\n")
    return source_path, target_path


class TimedEncoder:
    """The model with a stopwatch: seconds spent inside ``encode``."""

    def __init__(self, inner):
        self.inner, self.model_id, self.dim, self.seconds, self.texts = inner, inner.model_id, inner.dim, 0.0, 0

    def encode(self, texts):
        start = time.perf_counter()
        try:
            return self.inner.encode(texts)
        finally:
            self.seconds += time.perf_counter() - start
            self.texts += len(texts)


def in_process(pairs: list[tuple[str, str]], runs: int, label: str, disable: list[str]) -> None:
    from mtlint.embed import CachedEncoder, load_encoder
    from mtlint.pipeline import Options, check_documents
    from mtlint.read import read_document

    model = load_encoder()
    documents = [(read_document(s), read_document(t)) for s, t in pairs]
    check_documents(*documents[0], Options(disable=disable), CachedEncoder(model))  # warm-up: imports, word lists
    rows = []
    for _ in range(runs):
        timed = TimedEncoder(model)
        encoder = CachedEncoder(timed)  # empty memory cache, no disk cache: every text is encoded
        start = time.perf_counter()
        sentences = 0
        for source, target in documents:
            report = check_documents(source, target, Options(disable=disable), encoder)
            sentences += len(report.target_sentences)
        total = time.perf_counter() - start
        rows.append((total, timed.seconds, timed.texts, sentences, report.stats))
    total = statistics.median(r[0] for r in rows)
    encoding = statistics.median(r[1] for r in rows)
    ratio = statistics.median(r[0] / r[1] for r in rows)
    texts, sentences = rows[0][2], rows[0][3]
    print(f"| {label} | {sentences} | {texts} | {total:.1f} | {encoding:.1f} | {ratio:.2f} "
          f"| {sentences / total:.1f} | {texts / encoding:.1f} |", flush=True)


def _timed_run(argv: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - start, done.stderr


def warm_vs_cold(runs: int, disable: list[str]) -> None:
    mtlint = os.path.join(os.path.dirname(sys.executable), "mtlint")
    cold, warm = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, MTLINT_CACHE_DIR=os.path.join(tmp, "cache"))
            argv = [mtlint, "report", os.path.join(ROOT, "corpus"), os.path.join(ROOT, "references"),
                    "-o", os.path.join(tmp, "reports"), "--fail-on", "never", "-q"]
            argv += ["--disable", ",".join(disable)] if disable else []
            cold.append(_timed_run(argv, env)[0])
            warm.append(_timed_run(argv, env)[0])
    print(f"| cold (empty cache) | {statistics.median(cold):.2f} | {', '.join(f'{x:.2f}' for x in cold)} |")
    print(f"| warm (same again) | {statistics.median(warm):.2f} | {', '.join(f'{x:.2f}' for x in warm)} |")
    print(f"| cold / warm | {statistics.median(c / w for c, w in zip(cold, warm)):.1f}x | |", flush=True)


def peak_rss(source: str, target: str, disable: list[str]) -> None:
    mtlint = os.path.join(os.path.dirname(sys.executable), "mtlint")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, MTLINT_CACHE_DIR=os.path.join(tmp, "cache"))
        seconds, stderr = _timed_run(["/usr/bin/time", "-v", mtlint, "check", source, target, "--format", "json",
                                      "-o", os.path.join(tmp, "report.json"), "--fail-on", "never"]
                                     + (["--disable", ",".join(disable)] if disable else []), env)
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr).group(1))
    print(f"| 10,000-sentence pair, cold cache | {rss_kb / 1024:.0f} MiB | {seconds:.0f} s |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--parts", default="corpus,pair2000,warm,pair10000")
    ap.add_argument("--disable", default="", help="comma-separated check ids to skip")
    args = ap.parse_args()
    parts = args.parts.split(",")
    disable = [d for d in args.disable.split(",") if d]
    print(f"{os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.1f}, checks disabled: "
          f"{', '.join(disable) or 'none'}\n")
    tmp = tempfile.mkdtemp()
    try:
        if "corpus" in parts or "pair2000" in parts:
            print("| documents | target sentences | encoder texts | end-to-end s | encoder s | end-to-end / encoder "
                  "| target sent/s end-to-end | texts/s encoder |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|")
        if "corpus" in parts:
            corpus = sorted(f for f in os.listdir(os.path.join(ROOT, "corpus")) if f.endswith(".txt"))
            refs = os.listdir(os.path.join(ROOT, "references"))
            pairs = [(os.path.join(ROOT, "references", next(r for r in refs if r.startswith(f[:-4] + "."))),
                      os.path.join(ROOT, "corpus", f)) for f in corpus]
            in_process(pairs, args.runs, f"corpus ({len(pairs)} articles)", disable)
        if "pair2000" in parts:
            in_process([build_pair(tmp, 2000)], args.runs, "2,000-sentence pair", disable)
        if "warm" in parts:
            print("\n| `mtlint report corpus references` | median s | runs |\n|---|---:|---|")
            warm_vs_cold(args.runs, disable)
        if "pair10000" in parts:
            print("\n| | peak RSS | wall |\n|---|---:|---:|")
            peak_rss(*build_pair(tmp, 10000), disable)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
