"""Segment pairs that hold a paragraph: MLQE-PE en-de dev's word tags, with its sentences joined
into rows of several sentences, as paragraph-level XLIFF or TSV files hold them.

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/eval/paragraph_rows.py \\
        [--group 5] [--tree /path/to/an/older/checkout ...] [--save paragraph-rows]

Consecutive dev lines are joined, ``--group`` at a time, into one row (source and MT alike), and
`mtlint pairs` runs on those rows as a user runs it.  Each MT word keeps its MLQE-PE tag; a word
counts as flagged when an issue span overlaps it.  Rows: the sentences as rows of their own (the
reference reading), then the paragraph rows with each ``--tree`` (an older checkout, e.g. one that
reads a row whole and lets the model see only its first 96 tokens a side), then with this checkout.
"Past token 96" scores only the words after the 96th model token of their row, which a reading of
the row as one unit cannot see.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import ROOT, SHARED, save_result, signature  # noqa: E402
from devsets import mcc, run_pairs  # noqa: E402

MAX_SIDE_TOKENS = 96


def _word_spans(line: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for w in line.split(" "):
        spans.append((pos, pos + len(w)))
        pos += len(w) + 1
    return spans


def _late_words(rows: list[tuple[str, str]]) -> list[list[bool]]:
    """Per row, per MT word: whether it starts after the row's 96th model token."""
    sys.path.insert(0, str(ROOT / "src"))
    from mtlint.e5torch import E5Tokenizer, default_q4_path, read_q4_file

    tokenizer = E5Tokenizer.from_q4(read_q4_file(default_q4_path()))
    late = []
    for _, target in rows:
        ((ids, offsets, _),) = tokenizer.encode([target], prefix="")
        cut = offsets[MAX_SIDE_TOKENS][0] if len(offsets) > MAX_SIDE_TOKENS else len(target) + 1
        late.append([a >= cut for a, _ in _word_spans(target)])
    return late


def score(rows, tags, results, late=None) -> dict:
    pred, gold, pred_late, gold_late = [], [], [], []
    for i, ((_, target), row_tags, result) in enumerate(zip(rows, tags, results)):
        spans = [i_["target_span"] for i_ in result["issues"] if i_["target_span"]]
        for k, ((a, b), tag) in enumerate(zip(_word_spans(target), row_tags)):
            hit = any(s[0] < b and a < s[1] for s in spans)
            pred.append(hit)
            gold.append(tag == "BAD")
            if late is not None and late[i][k]:
                pred_late.append(hit)
                gold_late.append(tag == "BAD")
    out = {"words": len(gold), "flagged": int(sum(pred)), "mcc": mcc(pred, gold)}
    if late is not None:
        out.update(late_words=len(gold_late), late_flagged=int(sum(pred_late)),
                   late_mcc=mcc(pred_late, gold_late) if gold_late else float("nan"))
    return out


def _commit(tree: Path) -> str:
    done = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


def _pairs_with(tree: Path, rows):
    previous = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(tree / "src")
    try:
        return run_pairs(rows, "en", "de")
    finally:
        if previous is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = previous


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--group", type=int, default=5, help="sentences per paragraph row")
    ap.add_argument("--tree", action="append", default=[], help="an older checkout, measured on the paragraph rows")
    ap.add_argument("--limit", type=int, help="only the first N dev sentences (smoke runs)")
    ap.add_argument("--save", metavar="NAME", help="also write bench/results/NAME.json")
    args = ap.parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} not found")
    os.environ.setdefault("MTLINT_CACHE_DIR", "/tmp/mtlint-bench-cache")
    sig = signature()
    d = SHARED / "wordqe" / "en-de-dev"
    src = (d / "dev.src").read_text(encoding="utf-8").splitlines()
    mt = (d / "dev.mt").read_text(encoding="utf-8").splitlines()
    tags = [line.split()[1::2] for line in (d / "dev.tags").read_text(encoding="utf-8").splitlines()]
    if args.limit:
        src, mt, tags = src[:args.limit], mt[:args.limit], tags[:args.limit]
    g = args.group
    sentence_rows = list(zip(src, mt))
    paragraph_rows = [(" ".join(src[k:k + g]), " ".join(mt[k:k + g])) for k in range(0, len(src), g)]
    paragraph_tags = [[t for row in tags[k:k + g] for t in row] for k in range(0, len(src), g)]
    late = _late_words(paragraph_rows)
    figures = [("sentences as rows (reference)", _commit(ROOT), len(sentence_rows),
                score(sentence_rows, tags, _pairs_with(ROOT, sentence_rows)))]
    for tree in [*map(Path, args.tree), ROOT]:
        figures.append((f"paragraphs of {g} sentences as rows", _commit(tree), len(paragraph_rows),
                        score(paragraph_rows, paragraph_tags, _pairs_with(tree, paragraph_rows), late)))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        bad = np.mean([t == "BAD" for row in tags for t in row])
        n_late = sum(map(sum, late))
        print(f"MLQE-PE en-de dev: {len(src)} sentences, {sum(map(len, tags))} MT words ({bad:.1%} BAD); "
              f"{len(paragraph_rows)} paragraph rows, {n_late} of their words past token {MAX_SIDE_TOKENS}.\n")
        print("| rows | version | rows | word MCC | words flagged | MCC past token 96 | flagged past token 96 |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for label, commit, n, f in figures:
            late_cells = (f"{f['late_mcc']:.3f} | {f['late_flagged']}" if "late_mcc" in f else " | ")
            print(f"| {label} | {commit} | {n} | {f['mcc']:.3f} | {f['flagged']} | {late_cells} |")
    print(printed.getvalue(), end="")
    if args.save and not args.limit:
        trees = "".join(f" --tree {t}" for t in args.tree)
        save_result(args.save, f"MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python "
                    f"bench/eval/paragraph_rows.py --group {g}{trees} --save {args.save}", printed.getvalue(), sig,
                    {"figures": [{"rows": label, "commit": c, "n": n, **f} for label, c, n, f in figures]})


if __name__ == "__main__":
    main()
