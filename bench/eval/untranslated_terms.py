"""untranslated-term on MLQE-PE en-de: machine translations against their post-edits.

    .venv/bin/python bench/eval/untranslated_terms.py [--split train] [--show 20]

Also English terms in a French-German translation (a translation through English), on the
Bleualign yearbook's human translations, where every flag is false.

A copied source term (a capitalised multi-word run with a dictionary rendering) is
flagged on the machine translation (MT) and on the human post-edit (PE) of the
same sentences.  A flag on MT whose run the post-editor removed is confirmed by a
person; a flag on PE is a term the post-editor kept (their judgement: acceptable),
so the PE flag rate is the false-alarm rate on human-approved German.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
WORDQE = ROOT.parent / "shared" / "data" / "wordqe"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="train", choices=["train", "dev"])
    parser.add_argument("--show", type=int, default=0, help="print this many flags of each kind")
    args = parser.parse_args()
    os.environ.setdefault("MTLINT_CACHE_DIR", "/tmp/mtlint-bench-cache")
    from mtlint.config import Config, build_options
    from mtlint.pipeline import check_pairs

    folder = WORDQE / f"en-de-{args.split}"
    src, mt, pe = (_lines(folder / f"{args.split}.{kind}") for kind in ("src", "mt", "pe"))
    options = build_options(Config(), enable=["untranslated-term"])
    flags = {}
    for name, targets in (("mt", mt), ("pe", pe)):
        results = check_pairs(list(zip(src, targets)), "en", "de", options)
        flags[name] = [(k, i.target_text, i.suggestion) for k, r in enumerate(results) for i in r.issues]
    confirmed = [f for f in flags["mt"] if f[1] not in pe[f[0]]]
    n = len(src)
    print(f"MLQE-PE en-de {args.split}: {n} sentences")
    print(f"flags on MT: {len(flags['mt'])}, of which the post-editor removed the run: {len(confirmed)}"
          f" ({len(confirmed) / max(1, len(flags['mt'])):.2f})")
    print(f"flags on PE (kept by the post-editor): {len(flags['pe'])} ({len(flags['pe']) / n:.4f} per sentence)")
    for label, rows in (("confirmed", confirmed), ("MT kept", [f for f in flags["mt"] if f not in confirmed]),
                        ("PE", flags["pe"])):
        for k, text, suggestion in rows[:args.show]:
            print(f"  {label}: {text!r} -> {suggestion!r} | {pe[k][:100]}")
    # English terms in a translation from another language (through English): the human
    # French-German yearbook translations, where every flag is false.
    sys.path[:0] = [str(ROOT / "bench" / d) for d in ("eval", "calibrate", "speed", "train", "probe")]
    from negation import bleualign

    rows = bleualign()
    results = check_pairs(rows, "fr", "de", options)
    pivot = [(k, i.target_text) for k, r in enumerate(results) for i in r.issues]
    print(f"Bleualign dev fr-de (human), {len(rows)} 1-1 links: {len(pivot)} flags {pivot[:args.show]}")


if __name__ == "__main__":
    main()
