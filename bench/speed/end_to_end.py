"""End-to-end speed and memory of mtlint next to the encoder alone.

    python bench/speed/end_to_end.py [--runs 3] [--parts corpus,pair2000,warm,pair10000] [--disable IDS] [--jobs N]

--disable skips checks (e.g. the quality-estimation model's checks,
``mistranslation,critical-error``, to see the rest of the pipeline alone).

* ``corpus`` and ``pair2000``: ``pipeline.check_documents`` on each corpus
  article and on a 2,000-sentence English-German document pair, with empty
  caches each run (embeddings and quality estimates; the models are loaded
  once before, not timed).  The sentence encoder's own time and the
  quality-estimation (QE) model's are measured inside the same run (every
  call into either model is timed), so "end-to-end / encoder" compares the
  same sentences under the same load.  The QE model is a second transformer
  pass per aligned pair: the table gives the ratio both with the QE time
  counted as encoder time and without.  Medians of --runs.
* ``warm``: ``mtlint report corpus references`` as a user runs it (a new
  process each time, model loading included; ``--jobs N`` passed on if
  given, else the command's default), cold (empty MTLINT_CACHE_DIR) then
  warm (the same again); medians of --runs pairs, and the peak RSS of the
  largest process (``/usr/bin/time -v``; a warm run that loads no model
  stays small).
* ``jobs``: ``mtlint report`` on a corpus of 20 documents of 100 sentence
  pairs each (MLQE-PE en-de dev and train, as below), cold then warm, with
  ``--jobs 1`` and ``--jobs 2``: whether worker processes pay for their
  start-up (imports, dictionaries, models: each worker loads its own).
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

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
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


class QETimer:
    """A stopwatch on the quality-estimation model's ``estimate`` (the loaded
    instance, so cached and uncached callers alike are timed)."""

    def __init__(self):
        from mtlint.qe import get_estimator

        self.estimator, self.seconds, self.pairs = get_estimator(), 0.0, 0
        inner = type(self.estimator).estimate

        def estimate(pairs, **kwargs):
            start = time.perf_counter()
            try:
                return inner(self.estimator, pairs, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self.pairs += len(pairs)

        self.estimator.estimate = estimate

    def reset(self) -> None:
        self.seconds, self.pairs = 0.0, 0


def _warm_up_pair() -> tuple[str, str]:
    target = sorted(f for f in os.listdir(os.path.join(ROOT, "corpus")) if f.endswith(".txt"))[0]
    source = next(r for r in os.listdir(os.path.join(ROOT, "references")) if r.startswith(target[:-4] + "."))
    return os.path.join(ROOT, "references", source), os.path.join(ROOT, "corpus", target)


def in_process(pairs: list[tuple[str, str]], runs: int, label: str, disable: list[str]) -> None:
    from mtlint.checks import all_checks
    from mtlint.resources.requirements import QE_MODEL

    MODEL_CHECKS = [c.id for c in all_checks().values() if QE_MODEL in c.requires]
    from mtlint.embed import CachedEncoder, load_encoder
    from mtlint.pipeline import Options, check_documents
    from mtlint.qe import available
    from mtlint.formats import read_document

    model = load_encoder()
    qe = QETimer() if available() and not set(MODEL_CHECKS) <= set(disable) else None
    documents = [(read_document(s), read_document(t)) for s, t in pairs]
    # warm-up on one short article: imports, word lists, dictionaries
    check_documents(*(read_document(p) for p in _warm_up_pair()), Options(disable=disable), CachedEncoder(model))
    rows = []
    for _ in range(runs):
        timed = TimedEncoder(model)
        if qe:
            qe.reset()
        encoder = CachedEncoder(timed)  # empty memory caches, no disk cache: every text and pair is computed
        start = time.perf_counter()
        sentences = 0
        for source, target in documents:
            report = check_documents(source, target, Options(disable=disable), encoder)
            sentences += len(report.target_sentences)
        total = time.perf_counter() - start
        rows.append((total, timed.seconds, timed.texts, sentences, qe.seconds if qe else 0.0, qe.pairs if qe else 0))
    total = statistics.median(r[0] for r in rows)
    encoding = statistics.median(r[1] for r in rows)
    qe_seconds = statistics.median(r[4] for r in rows)
    ratio = statistics.median(r[0] / r[1] for r in rows)
    both = statistics.median(r[0] / (r[1] + r[4]) for r in rows)
    texts, sentences, qe_pairs = rows[0][2], rows[0][3], rows[0][5]
    print(f"| {label} | {sentences} | {texts} | {qe_pairs} | {total:.1f} | {encoding:.1f} | {qe_seconds:.1f} "
          f"| {ratio:.2f} | {both:.2f} | {sentences / total:.1f} | {texts / encoding:.1f} |", flush=True)


def _timed_run(argv: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - start, done.stderr


def _peak_mib(stderr: str) -> float:
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr).group(1)) / 1024


def warm_vs_cold(runs: int, disable: list[str], jobs: int | None) -> None:
    mtlint = os.path.join(os.path.dirname(sys.executable), "mtlint")
    cold, warm, cold_rss, warm_rss = [], [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, MTLINT_CACHE_DIR=os.path.join(tmp, "cache"))
            argv = ["/usr/bin/time", "-v", mtlint, "report", os.path.join(ROOT, "corpus"),
                    os.path.join(ROOT, "references"), "-o", os.path.join(tmp, "reports"), "--fail-on", "never", "-q"]
            argv += ["--disable", ",".join(disable)] if disable else []
            argv += ["--jobs", str(jobs)] if jobs is not None else []
            for times, rss in ((cold, cold_rss), (warm, warm_rss)):
                seconds, stderr = _timed_run(argv, env)
                times.append(seconds)
                rss.append(_peak_mib(stderr))
    for label, times, rss in (("cold (empty cache)", cold, cold_rss), ("warm (same again)", warm, warm_rss)):
        print(f"| {label} | {statistics.median(times):.2f} | {', '.join(f'{x:.2f}' for x in times)} "
              f"| {statistics.median(rss):.0f} |")
    print(f"| cold / warm | {statistics.median(c / w for c, w in zip(cold, warm)):.1f}x | | |", flush=True)


def build_corpus(directory: str, documents: int, sentences: int) -> tuple[str, str]:
    """``documents`` pairs of ``sentences`` lines each, cut from the 10,000-sentence pair."""
    source_path, target_path = build_pair(directory, documents * sentences)
    corpus, references = os.path.join(directory, "corpus"), os.path.join(directory, "references")
    os.makedirs(corpus)
    os.makedirs(references)
    source, target = _lines(source_path), _lines(target_path)
    for n in range(documents):
        part = slice(n * sentences, (n + 1) * sentences)
        with open(os.path.join(references, f"doc{n:02d}.en.txt"), "w", encoding="utf-8") as fh:
            fh.write("\n".join(source[part]) + "\n")
        with open(os.path.join(corpus, f"doc{n:02d}.txt"), "w", encoding="utf-8") as fh:
            fh.write("\n".join(target[part]) + "\n")
    return corpus, references


def jobs_scaling(directory: str, disable: list[str], jobs_list: list[int]) -> None:
    mtlint = os.path.join(os.path.dirname(sys.executable), "mtlint")
    corpus, references = build_corpus(directory, 20, 100)
    for jobs in jobs_list:
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, MTLINT_CACHE_DIR=os.path.join(tmp, "cache"))
            argv = ["/usr/bin/time", "-v", mtlint, "report", corpus, references, "-o", os.path.join(tmp, "reports"),
                    "--fail-on", "never", "-q", "--jobs", str(jobs)]
            argv += ["--disable", ",".join(disable)] if disable else []
            cold, cold_err = _timed_run(argv, env)
            warm, warm_err = _timed_run(argv, env)
        print(f"| --jobs {jobs} | {cold:.1f} | {warm:.1f} | {cold / warm:.1f}x | {_peak_mib(cold_err):.0f} |",
              flush=True)


def peak_rss(source: str, target: str, disable: list[str]) -> None:
    mtlint = os.path.join(os.path.dirname(sys.executable), "mtlint")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, MTLINT_CACHE_DIR=os.path.join(tmp, "cache"))
        seconds, stderr = _timed_run(["/usr/bin/time", "-v", mtlint, "check", source, target, "--format", "json",
                                      "-o", os.path.join(tmp, "report.json"), "--fail-on", "never"]
                                     + (["--disable", ",".join(disable)] if disable else []), env)
    print(f"| 10,000-sentence pair, cold cache | {_peak_mib(stderr):.0f} MiB | {seconds:.0f} s |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--parts", default="corpus,pair2000,warm,pair10000")
    ap.add_argument("--disable", default="", help="comma-separated check ids to skip")
    ap.add_argument("--jobs", type=int, help="warm: pass --jobs N to mtlint report (default: its own default)")
    args = ap.parse_args()
    parts = args.parts.split(",")
    disable = [d for d in args.disable.split(",") if d]
    print(f"{os.cpu_count()} CPUs, load average at start {os.getloadavg()[0]:.1f}, checks disabled: "
          f"{', '.join(disable) or 'none'}\n")
    tmp = tempfile.mkdtemp()
    try:
        if "corpus" in parts or "pair2000" in parts:
            print("| documents | target sentences | encoder texts | QE pairs | end-to-end s | encoder s | QE s "
                  "| end-to-end / encoder | end-to-end / (encoder + QE) | target sent/s end-to-end | texts/s encoder |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        if "corpus" in parts:
            corpus = sorted(f for f in os.listdir(os.path.join(ROOT, "corpus")) if f.endswith(".txt"))
            refs = os.listdir(os.path.join(ROOT, "references"))
            pairs = [(os.path.join(ROOT, "references", next(r for r in refs if r.startswith(f[:-4] + "."))),
                      os.path.join(ROOT, "corpus", f)) for f in corpus]
            in_process(pairs, args.runs, f"corpus ({len(pairs)} articles)", disable)
        if "pair2000" in parts:
            in_process([build_pair(tmp, 2000)], args.runs, "2,000-sentence pair", disable)
        if "warm" in parts:
            print(f"\n| `mtlint report corpus references`{f' --jobs {args.jobs}' if args.jobs is not None else ''} "
                  "| median s | runs | peak RSS MiB |\n|---|---:|---|---:|")
            warm_vs_cold(args.runs, disable, args.jobs)
        if "jobs" in parts:
            print("\n| 20 documents x 100 sentences | cold s | warm s | cold / warm | peak RSS MiB (largest process) |"
                  "\n|---|---:|---:|---:|---:|")
            jobs_scaling(tmp, disable, [1, 2])
        if "pair10000" in parts:
            print("\n| | peak RSS | wall |\n|---|---:|---:|")
            peak_rss(*build_pair(tmp, 10000), disable)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
