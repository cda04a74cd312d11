"""Forms of address and dashes in German text of the dev data: address-form and dash-style.

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/eval/register_dashes.py

Each set is one file of segment pairs checked as ``mtlint pairs`` checks it (the file's usual
form of address stands in for a document's), with ``address-form`` and ``dash-style`` enabled.
The forms are counted with the check's own function (``address.file_counts``, built on
``address_forms``): "counted" leaves out a form that opens a sentence, which the check still
reports where the text addresses its reader the other way.  On TED MQM dev the flags are set
against the experts' error spans (by category).  A minute or two with a warm cache (the
segment-pair mode encodes each pair once).
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SHARED, use_repository  # noqa: E402

use_repository()

CHECKS = ["address-form", "dash-style"]
HYPHENS = ("-", "--")


def wordqe(split: str, side: str) -> list[tuple[str, str]]:
    folder = SHARED / "wordqe" / f"en-de-{split}"
    read = lambda ext: (folder / f"{split}.{ext}").read_text(encoding="utf-8").splitlines()  # noqa: E731
    return list(zip(read("src"), read(side)))


def ced_dev() -> list[tuple[str, str]]:
    with open(SHARED / "ced" / "ende_majority_dev.tsv", encoding="utf-8") as fh:
        return [(r[1], r[2]) for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)]


def ted(reference: bool) -> tuple[list[tuple[str, str]], list[list[tuple[int, int, str]]]]:
    """TED MQM dev's segments of the human reference or of the 13 systems, with the expert spans."""
    from devsets import load_mqm

    segments = [s for (system, _, _), s in sorted(load_mqm().items()) if (system == "ref") == reference]
    return ([(s["source"], s["target"]) for s in segments],
            [[(a, b, category) for a, b, category, _ in s["spans"]] for s in segments])


def run(rows: list[tuple[str, str]]):
    from mtlint.checks import address
    from mtlint.config import Config, build_options
    from mtlint.pipeline import check_pairs

    results = check_pairs(rows, "en", "de", build_options(Config(), enable=CHECKS))
    flags = {check: [(i, issue.target_span) for i, r in enumerate(results) for issue in r.issues
                     if issue.check == check] for check in CHECKS}
    return address.file_counts(rows, "en", "de"), flags


def overlaps(span: tuple[int, int], spans: list[tuple[int, int, str]]) -> list[str]:
    return [category for a, b, category in spans if a < span[1] and span[0] < b]


def main() -> None:
    sets = {"TED MQM dev, human reference": ted(True), "TED MQM dev, 13 systems": ted(False),
            "MLQE-PE train post-edits (human)": (wordqe("train", "pe"), None),
            "MLQE-PE dev post-edits (human)": (wordqe("dev", "pe"), None),
            "MLQE-PE dev MT": (wordqe("dev", "mt"), None),
            "WMT21 CED dev MT (user comments)": (ced_dev(), None)}
    print("| German text | lines | formal (counted) | informal (counted) | address-form flags | "
          "in lines | dash-style flags |\n|---|---:|---:|---:|---:|---:|---:|")
    notes = []
    for name, (rows, spans) in sets.items():
        counts, flags = run(rows)
        address_flags, dash_flags = flags["address-form"], flags["dash-style"]
        print(f"| {name} | {len(rows)} | {counts['formal']} | {counts['informal']} | {len(address_flags)} | "
              f"{len({i for i, _ in address_flags})} | {len(dash_flags)} |")
        if spans is None or not (address_flags or dash_flags):
            continue
        on_span = sum(bool(overlaps(span, spans[i])) for i, span in address_flags)
        register = [(i, a, b) for i, s in enumerate(spans) for a, b, c in s if c == "Fluency/Register"]
        register_hit = sum(any(j == i and a < y and x < b for j, (x, y) in address_flags) for i, a, b in register)
        dash_categories = [overlaps(span, spans[i]) for i, span in dash_flags]
        punctuation = sum("Fluency/Punctuation" in c for c in dash_categories)
        hyphen_spans = [(i, a, b) for i, s in enumerate(spans) for a, b, c in s
                        if c == "Fluency/Punctuation" and rows[i][1][a:b].strip() in HYPHENS]
        hyphen_found = sum(any(j == i and a < y and x < b for j, (x, y) in dash_flags) for i, a, b in hyphen_spans)
        notes.append(f"{name}: address-form flags on an expert span {on_span} of {len(address_flags)}; "
                     f"Fluency/Register spans with a flag {register_hit} of {len(register)}; "
                     f"dash-style flags in a Fluency/Punctuation span {punctuation}, in another expert span "
                     f"{sum(bool(c) and 'Fluency/Punctuation' not in c for c in dash_categories)}; "
                     f"Fluency/Punctuation spans that are a hyphen or two alone, flagged "
                     f"{hyphen_found} of {len(hyphen_spans)}")
    print()
    print("\n".join(f"- {note}" for note in notes))


if __name__ == "__main__":
    main()
