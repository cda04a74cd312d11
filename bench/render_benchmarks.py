"""Fill docs/benchmarks.md's generated blocks from the signed result files in bench/results/.

    .venv/bin/python bench/render_benchmarks.py          # rewrite the blocks
    .venv/bin/python bench/render_benchmarks.py --check  # exit 1 where a block is not current

A block is ``<!-- result: NAME -->`` … ``<!-- /result -->``; its content is the command, the
result's Markdown and its signature line, from ``bench/results/NAME.json`` (written by the bench
script through ``common.save_result``).  Text outside the blocks is left as it is.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, ROOT, signature_line  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
BLOCK = re.compile(r"(<!-- result: ([\w.-]+) -->\n)(.*?)(<!-- /result -->)", re.S)


def _tables_apart(markdown: str) -> str:
    """A blank line between a table and a line of text before or after it (Markdown needs it)."""
    out: list[str] = []
    for line in markdown.strip().splitlines():
        if out and line.strip() and out[-1].strip() and line.startswith("|") != out[-1].startswith("|"):
            out.append("")
        out.append(line)
    return "\n".join(out)


def block(record: dict) -> str:
    return (f"```sh\n{record['command']}\n```\n\n{_tables_apart(record['markdown'])}\n\n"
            f"<sub>Signature: {signature_line(record['signature'])}</sub>\n")


def render(text: str, results: Path = RESULTS) -> tuple[str, list[str]]:
    """The text with every block filled, and the names whose result file is missing."""
    missing = []

    def fill(match: re.Match) -> str:
        path = results / f"{match.group(2)}.json"
        if not path.is_file():
            missing.append(match.group(2))
            return match.group(0)
        record = json.loads(path.read_text(encoding="utf-8"))
        return match.group(1) + block(record) + match.group(4)

    return BLOCK.sub(fill, text), missing


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    rendered, missing = render(text)
    if missing:
        sys.exit(f"no result file for: {', '.join(missing)}")
    if "--check" in sys.argv:
        if rendered != text:
            sys.exit("docs/benchmarks.md is not current: run bench/render_benchmarks.py")
        return
    DOC.write_text(rendered, encoding="utf-8")


if __name__ == "__main__":
    main()
