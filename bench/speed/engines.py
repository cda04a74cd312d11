"""One machine or a cluster: `mtlint report` of corpus/ on one process, on worker processes and on
a local Dask cluster, each with an empty cache, and whether their reports are the same bytes.

    .venv/bin/python bench/speed/engines.py [--workers 2]

Each run is a new process (model loading included) with its own empty MTLINT_CACHE_DIR; wall time
and the driver's peak RSS come from ``/usr/bin/time -v``.  Needs Dask for the cluster row
(``pip install -e '.[distributed]'``).
"""
from __future__ import annotations

import argparse
import filecmp
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from end_to_end import _peak_mib, _timed_run  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    mtlint = os.path.join(os.path.dirname(sys.executable), "mtlint")
    engines = [("one process (`-j 1`)", ["-j", "1"]),
               (f"{args.workers} worker processes (`-j {args.workers}`)", ["-j", str(args.workers)]),
               (f"a local Dask cluster of {args.workers} workers", ["--scheduler", "local", "-j", str(args.workers)])]
    rows, outputs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k, (label, flags) in enumerate(engines):
            out = os.path.join(tmp, f"r{k}")
            env = dict(os.environ, MTLINT_CACHE_DIR=os.path.join(tmp, f"cache{k}"))
            seconds, stderr = _timed_run(["/usr/bin/time", "-v", mtlint, "report", str(ROOT / "corpus"),
                                          str(ROOT / "references"), "-o", out, "-q", "--fail-on", "never", *flags], env)
            rows.append((label, seconds, _peak_mib(stderr)))
            outputs.append(out)
        names = sorted(os.listdir(outputs[0]))
        same = all(sorted(os.listdir(o)) == names and
                   all(filecmp.cmp(os.path.join(outputs[0], n), os.path.join(o, n), shallow=False) for n in names)
                   for o in outputs[1:])
    print(f"The 5 corpus articles, cold caches, one run each, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at the end:\n")
    print("| engine | wall s | driver's peak RSS MiB |\n|---|---:|---:|")
    for label, seconds, peak in rows:
        print(f"| {label} | {seconds:.1f} | {peak:.0f} |")
    print(f"\nEvery report file the same bytes in all three runs: {'yes' if same else 'NO'} ({len(names)} files).")


if __name__ == "__main__":
    main()
