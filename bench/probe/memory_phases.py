"""Where a long document's memory goes: resident size sampled with the function running.

    OMP_NUM_THREADS=1 .venv/bin/python bench/probe/memory_phases.py 4000

Builds the synthetic pair of bench/speed/end_to_end.py with N sentences, checks it in this
process (empty cache directory unless MTLINT_CACHE_DIR is set) and renders the text report,
while a thread samples the resident size every 0.25 s together with the innermost mtlint
functions on the main thread's stack.  Prints the peak, then per innermost function the largest
size seen, the time it was seen running and when.  A look, not a benchmark: sampling costs little
but the figures move with the machine's load.
"""
from __future__ import annotations

import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench" / "speed")]
INTERVAL = 0.25


def _rss_mib() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2 ** 20


def main() -> None:
    sentences = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    os.environ.setdefault("MTLINT_CACHE_DIR", tempfile.mkdtemp())
    from end_to_end import build_pair

    from mtlint.formats import read_document
    from mtlint.pipeline import Options, check_documents
    from mtlint.renderers import render

    source_path, target_path = build_pair(tempfile.mkdtemp(), sentences)
    main_thread = threading.main_thread().ident
    samples: list[tuple[float, int, str]] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            frame, names = sys._current_frames().get(main_thread), []
            while frame is not None:
                if "mtlint" in frame.f_code.co_filename:
                    names.append(f"{Path(frame.f_code.co_filename).name}:{frame.f_code.co_name}")
                frame = frame.f_back
            samples.append((time.perf_counter(), _rss_mib(), " < ".join(names[:4])))
            time.sleep(INTERVAL)

    threading.Thread(target=sample, daemon=True).start()
    start = time.perf_counter()
    source, target = read_document(source_path), read_document(target_path)
    report = check_documents(source, target, Options()).as_dict()
    samples.append((time.perf_counter(), _rss_mib(), "(after the check)"))
    render("text", report, source.text, target.text, color=False, fail_on="major")
    samples.append((time.perf_counter(), _rss_mib(), "(after rendering)"))
    done.set()
    when, peak, where = max(samples, key=lambda s: s[1])
    print(f"{sentences} sentences: peak {peak} MiB at {when - start:.1f} s of {time.perf_counter() - start:.1f} s, "
          f"in {where or '-'}; ru_maxrss {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB\n")
    phases: dict[str, list[float]] = {}
    for t, size, names in samples:
        row = phases.setdefault(names.split(" < ")[0] or "-", [t, t, size, 0])
        row[1], row[2], row[3] = t, max(row[2], size), row[3] + 1
    print("| innermost mtlint function | largest MiB | seen running s | from-to s |\n|---|---:|---:|---|")
    for name, (first, last, size, count) in sorted(phases.items(), key=lambda p: (-p[1][2], p[0]))[:25]:
        print(f"| {name} | {size:.0f} | {count * INTERVAL:.1f} | {first - start:.0f}-{last - start:.0f} |")


if __name__ == "__main__":
    main()
