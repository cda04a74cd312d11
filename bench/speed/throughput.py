"""Sentences per second of `mtlint check` on one long document pair, for several versions of mtlint
in one run: a user's cold run (empty cache directory, models loaded by the process itself).

    python bench/speed/throughput.py --sentences 10000 --tree /path/to/an/older/checkout [--tree ...]
    python bench/speed/throughput.py --sentences 10000 --tree ... --save throughput

Each ``--tree`` is a checkout of mtlint (its ``src/`` is put first on PYTHONPATH), measured in the
order given, then this checkout last; the ratio column divides each version's sentences per second
by the first tree's.  The document pair is end_to_end.py's (MLQE-PE en-de sources with their MT,
then with post-edits, one sentence per line).  Wall time, CPU time (user + system) and peak RSS come
from ``/usr/bin/time -v``; on a shared machine the CPU seconds are the steadier measure (set
OMP_NUM_THREADS=1 so that no thread spins waiting for a busy core).  Every run writes a JSON report; the number of
issues is shown so that runs that did different work stand out.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import ROOT, save_result, signature  # noqa: E402
from end_to_end import _peak_mib, _timed_run, build_pair  # noqa: E402


def _commit(tree: str) -> str:
    done = subprocess.run(["git", "-C", tree, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


def run_tree(tree: str, source: str, target: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, MTLINT_CACHE_DIR=os.path.join(tmp, "cache"), PYTHONPATH=os.path.join(tree, "src"))
        out = os.path.join(tmp, "report.json")
        seconds, stderr = _timed_run(["/usr/bin/time", "-v", sys.executable, "-m", "mtlint", "check", source, target,
                                      "--format", "json", "-o", out, "--fail-on", "never"], env)
        with open(out, encoding="utf-8") as fh:
            report = json.load(fh)
    issues = report.get("issues")
    if issues is None:  # reports of several documents keep issues per document
        issues = [i for doc in report.get("documents", []) for i in doc.get("issues", [])]
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", stderr).group(1)) for kind in ("User", "System"))
    return {"commit": _commit(tree), "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "peak_mib": round(_peak_mib(stderr)), "issues": len(issues)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=10000)
    ap.add_argument("--tree", action="append", default=[], help="an older checkout to measure first")
    ap.add_argument("--save", metavar="NAME", help="also write bench/results/NAME.json")
    args = ap.parse_args()
    sig = signature()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        source, target = build_pair(tmp, args.sentences)
        for tree in [*args.tree, ROOT]:
            row = run_tree(os.path.abspath(tree), source, target)
            row["sent_per_s"] = round(args.sentences / row["seconds"], 2)
            row["sent_per_cpu_s"] = round(args.sentences / row["cpu_seconds"], 2)
            rows.append(row)
            print(row, file=sys.stderr, flush=True)
    threads = os.environ.get("OMP_NUM_THREADS", "all cores")
    lines = [f"`mtlint check` of a {args.sentences:,}-sentence en-de pair, cold cache, one run each "
             f"(OMP_NUM_THREADS {threads}), load average {os.getloadavg()[0]:.1f} at the end:", "",
             "| version | wall s | sentences/s | vs first | CPU s | sentences/CPU-s | vs first | peak RSS MiB | issues |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['commit']} | {row['seconds']:.0f} | {row['sent_per_s']:.2f} | "
                     f"{row['sent_per_s'] / rows[0]['sent_per_s']:.2f}x | {row['cpu_seconds']:.0f} | {row['sent_per_cpu_s']:.2f} | "
                     f"{row['sent_per_cpu_s'] / rows[0]['sent_per_cpu_s']:.2f}x | {row['peak_mib']} | {row['issues']} |")
    markdown = "\n".join(lines)
    print(markdown)
    if args.save:
        trees = " ".join(f"--tree {t}" for t in args.tree)
        command = (f"OMP_NUM_THREADS={threads} " if "OMP_NUM_THREADS" in os.environ else "") + \
            f".venv/bin/python bench/speed/throughput.py --sentences {args.sentences} {trees} --save {args.save}"
        save_result(args.save, command, markdown, sig, {"rows": rows})


if __name__ == "__main__":
    main()
