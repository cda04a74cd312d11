"""Start-up and per-check cost, as users feel it (issue: fast start and a small footprint).

Measures in one run, on this machine, with one cache directory (MTLINT_CACHE_DIR, default a
fresh temporary one):

* ``cold``: ``mtlint check`` of a corpus article with an empty cache (models run);
* ``warm``: the same command again, every model answer and language-resource lookup cached
  (median of --repeat runs), wall time and peak memory (GNU time);
* ``pair``: a two-sentence document pair, warm;
* ``serve``: ``mtlint serve`` answering the same article after a first request (median);
* ``model``: the models' own passes over the article (encoder and quality estimation, no cache),
  in-process, for the ratios.

    python bench/speed/speed.py [--article corpus/000_82a9c39d3c60c71b.txt] [--repeat 5]

Prints a Markdown table of medians and ratios; timings belong here, never in unit tests.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def timed(command: list[str], env: dict) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of one command, by GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        started = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, *command], env=env, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - started
        return wall, int(out.read().strip().splitlines()[-1]) // 1024


def model_seconds(source: str, target: str) -> float:
    """The encoder's and the quality-estimation model's passes over the article, uncached."""
    from mtlint.align import align
    from mtlint.embed import get_encoder
    from mtlint.qe import get_estimator
    from mtlint.resources import segment

    encoder = get_encoder(use_cache=False, lazy=False)
    estimator = get_estimator()
    s = [x.text(source) for x in segment.sentences(source, "en")]
    t = [x.text(target) for x in segment.sentences(target, "de")]
    encoder.encode(["warm-up"]), estimator.estimate([("warm-up", "Aufwärmen")])  # loading is not a pass
    started = time.perf_counter()
    encoder.encode(s + t)
    links = align(s, t, encoder.encode)
    rows = [(" ".join(s[i] for i in link.source), " ".join(t[i] for i in link.target))
            for link in links if link.source and link.target]
    estimator.estimate(rows)
    return time.perf_counter() - started


def serve_seconds(env: dict, source: str, target: str, repeat: int) -> list[float]:
    process = subprocess.Popen([sys.executable, "-m", "mtlint", "serve", "--port", "0"], env=env, cwd=ROOT,
                               stderr=subprocess.PIPE, text=True)
    try:
        url = process.stderr.readline().split("serving on ")[1].split()[0]
        body = json.dumps({"source": source, "target": target, "source_lang": "en", "target_lang": "de"}).encode()
        times = []
        for _ in range(repeat + 1):  # the first request loads everything
            started = time.perf_counter()
            with urllib.request.urlopen(urllib.request.Request(url + "/check", data=body), timeout=900) as response:
                response.read()
            times.append(time.perf_counter() - started)
        return times[1:]
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--article", default="corpus/000_82a9c39d3c60c71b.txt")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    target_path = ROOT / args.article
    (source_path,) = sorted((ROOT / "references").glob(target_path.stem + ".*.txt"))
    env = dict(os.environ)
    env.setdefault("MTLINT_CACHE_DIR", tempfile.mkdtemp(prefix="mtlint-speed-"))
    check = [sys.executable, "-m", "mtlint", "check", str(source_path), str(target_path), "--format", "json"]
    cold = timed(check, env)
    warm = [timed(check, env) for _ in range(args.repeat)]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a.en.txt").write_text("The fee is 5 euros. It is due today.\n", encoding="utf-8")
        (Path(tmp) / "a.de.txt").write_text("Die Gebühr beträgt 7 Euro. Sie ist heute fällig.\n", encoding="utf-8")
        pair_command = [sys.executable, "-m", "mtlint", "check", f"{tmp}/a.en.txt", f"{tmp}/a.de.txt"]
        timed(pair_command, env)
        pair = [timed(pair_command, env) for _ in range(args.repeat)]
    source, target = source_path.read_text(encoding="utf-8"), target_path.read_text(encoding="utf-8")
    served = serve_seconds(env, source, target, args.repeat)
    model = model_seconds(source, target)
    med = statistics.median
    rows = [
        ("check, cold cache", cold[0], cold[1]),
        ("check, warm (median)", med(w for w, _ in warm), max(m for _, m in warm)),
        ("two-sentence pair, warm (median)", med(w for w, _ in pair), max(m for _, m in pair)),
        ("serve, after the first request (median)", med(served), None),
        ("the models' own passes over the article", model, None),
    ]
    lines = [f"Article {args.article} ({len(target.split())} words), {args.repeat} repeats, {os.cpu_count()} cores, "
             f"load average {os.getloadavg()[0]:.1f} at the end:", "",
             "| measurement | seconds | peak MB |", "|---|---:|---:|"]
    lines += [f"| {name} | {seconds:.2f} | {peak if peak is not None else ''} |" for name, seconds, peak in rows]
    lines += ["", f"serve / model passes: {med(served) / model:.2f}x; warm check / model passes: "
                  f"{med(w for w, _ in warm) / model:.2f}x"]
    text = "\n".join(lines)
    print(text)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from common import save_result, signature

    save_result("speed", f".venv/bin/python bench/speed/speed.py --repeat {args.repeat}", text, signature(),
                {"rows": rows, "article": args.article, "repeat": args.repeat})


if __name__ == "__main__":
    main()
