"""Run a bench script and keep what it prints as a signed result file for docs/benchmarks.md.

    .venv/bin/python bench/record.py NAME -- .venv/bin/python bench/eval/negation.py

For scripts that print their figures (Markdown tables, or plain text) to stdout: the output
becomes bench/results/NAME.json with the command and the signature (common.signature), and
bench/render_benchmarks.py shows it in the ``<!-- result: NAME -->`` block.  Output without a
Markdown table is shown as a text block.  Environment settings given before the command on the
page (MTLINT_CACHE_DIR, OMP_NUM_THREADS) are taken from this process's environment.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, save_result, signature  # noqa: E402

SHOWN_ENV = ("MTLINT_CACHE_DIR", "OMP_NUM_THREADS")


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__.splitlines()[2].strip())
    name, command = sys.argv[1], sys.argv[3:]
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"{shlex.join(command)} failed with exit {done.returncode}; nothing recorded")
    output = done.stdout.strip()
    print(output)
    if not any(line.startswith("|") for line in output.splitlines()):
        output = f"```text\n{output}\n```"
    shown = [f"{key}={os.environ[key]}" for key in SHOWN_ENV if key in os.environ]
    save_result(name, " ".join([*shown, shlex.join(command)]), output, signature(), {})


if __name__ == "__main__":
    main()
