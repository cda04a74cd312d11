"""How long `mtlint pairs` takes on an XLIFF file of N units, cold and warm.

    python bench/speed/pairs_scaling.py [--units 5000] [--jobs-note TEXT] [--keep DIR]

Writes an XLIFF 1.2 file of N English-German units (the first N source and
machine-translated lines of the WMT word-level QE training set in
../shared/data/wordqe/en-de-train: real sentences, all distinct), then runs
``mtlint pairs FILE --fail-on never`` twice with a fresh cache directory: cold
(every sentence encoded, every pair estimated) and warm (everything from the
cache).  Prints wall and CPU seconds of each run, units per second, and the
peak resident memory, as one JSON line.  The data stay outside the repository
(licence); the script skips with a message when they are absent.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import SHARED  # noqa: E402

DATA = str(SHARED / "wordqe" / "en-de-train")


def write_xliff(path: str, units: int) -> int:
    with open(os.path.join(DATA, "train.src"), encoding="utf-8") as fh:
        sources = [line.strip() for line in fh]
    with open(os.path.join(DATA, "train.mt"), encoding="utf-8") as fh:
        targets = [line.strip() for line in fh]
    pairs = [(s, t) for s, t in zip(sources, targets) if s and t][:units]
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
                  'xmlns="urn:oasis:names:tc:xliff:document:1.2">\n<file source-language="en" target-language="de" '
                  'datatype="plaintext" original="bench"><body>\n')
        for number, (source, target) in enumerate(pairs, 1):
            out.write(f'<trans-unit id="{number}"><source>{escape(source)}</source>'
                      f'<target>{escape(target)}</target></trans-unit>\n')
        out.write("</body></file></xliff>\n")
    return len(pairs)


def run(path: str, cache: str) -> dict:
    env = {**os.environ, "MTLINT_CACHE_DIR": cache}
    script = ("import re, sys, resource\nfrom mtlint.cli import main\ntry:\n    main(sys.argv[1:])\nfinally:\n"
              "    status = open('/proc/self/status').read()\n"
              "    print('peak-kib', re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)")
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, "pairs", path, "--fail-on", "never", "-o", os.devnull],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"mtlint pairs failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    peak = int(re.search(r"peak-kib (\d+)", done.stderr).group(1))
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "peak_mib": peak // 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--keep", metavar="DIR", help="write the XLIFF and the cache here (kept)")
    args = parser.parse_args()
    if not os.path.isdir(DATA):
        print(f"skipped: {DATA} not found", file=sys.stderr)
        return
    directory = args.keep or tempfile.mkdtemp(prefix="mtlint-pairs-bench-")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"units-{args.units}.xlf")
    units = write_xliff(path, args.units)
    cache = os.path.join(directory, "cache")
    cold = run(path, cache)
    warm = run(path, cache)
    print(json.dumps({"units": units, "cores": len(os.sched_getaffinity(0)), "cold": cold, "warm": warm,
                      "cold_units_per_s": round(units / cold["wall_s"], 1)}))


if __name__ == "__main__":
    main()
