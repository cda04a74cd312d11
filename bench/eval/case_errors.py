"""case-error on dev data: flags on human German (false alarms) and on MT judged by its post-edit.

    .venv/bin/python bench/eval/case_errors.py

Reads ../shared/data/wordqe/en-de-dev (MLQE-PE: src, mt, pe) and the human
reference rows (system "ref") of ../shared/data/mqm/mqm_ted_ende.dev.tsv.
Each set is checked as one document, one sentence per line.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

from mtlint.resources import segment
from mtlint.checks.spelling import case_findings
from mtlint.resources.hunspell import dictionary_path

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def flags(lines: list[str], sources: list[str]) -> list[tuple[int, str, str]]:
    text = "\n".join(lines)
    found = []
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for finding in case_findings(text, segment.lines_as_sentences(text), "de", "\n".join(sources)):
        start, end = finding.target_span
        row = next(i for i in range(len(lines)) if starts[i] <= start < starts[i + 1])
        found.append((row, text[start:end], finding.suggestion))
    return found


def main() -> None:
    if dictionary_path("de") is None:
        sys.exit("no de_DE hunspell dictionary (Debian hunspell-de-de)")
    qe = SHARED / "wordqe" / "en-de-dev"
    src = (qe / "dev.src").read_text(encoding="utf-8").splitlines()
    mt = (qe / "dev.mt").read_text(encoding="utf-8").splitlines()
    pe = (qe / "dev.pe").read_text(encoding="utf-8").splitlines()
    on_pe = flags(pe, src)
    print(f"MLQE-PE dev post-edits ({len(pe)} human-corrected sentences): {len(on_pe)} flags")
    for row, word, suggestion in on_pe:
        print(f"  pe {row}: {word} -> {suggestion}")
    on_mt = flags(mt, src)
    confirmed = [f for f in on_mt if f[2] in pe[f[0]].split() and f[1] not in pe[f[0]].split()]
    print(f"MLQE-PE dev MT ({len(mt)} sentences): {len(on_mt)} flags, {len(confirmed)} confirmed by the post-edit "
          "(the suggestion is in the post-edit, the flagged form is not)")
    for row, word, suggestion in on_mt:
        mark = "ok" if (row, word, suggestion) in confirmed else "??"
        print(f"  mt {row} [{mark}]: {word} -> {suggestion}")
    # Case-only differences between MT and post-edit: what a perfect case check would find.
    changed = sum(1 for m, p in zip(mt, pe) for a in m.split() if a not in p.split()
                  and a.lower() in {w.lower() for w in p.split()} and a[1:].islower())
    print(f"MT words the post-editor re-cased (upper bound on case errors): {changed}")
    with open(SHARED / "mqm" / "mqm_ted_ende.dev.tsv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if r["system"] == "ref"]
    seen, refs, ref_src = set(), [], []
    for r in rows:
        if r["seg_id"] not in seen:
            seen.add(r["seg_id"])
            refs.append(r["target"].replace("<v>", "").replace("</v>", ""))
            ref_src.append(r["source"])
    on_ref = flags(refs, ref_src)
    print(f"TED MQM dev human reference ({len(refs)} segments): {len(on_ref)} flags")
    for row, word, suggestion in on_ref:
        print(f"  ref {row}: {word} -> {suggestion}")


if __name__ == "__main__":
    main()
