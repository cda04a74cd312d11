"""negation-lost on real translations: false alarms on human ones, hits on machine ones.

    .venv/bin/python bench/eval/negation.py [--show 10]

The check's test (``mtlint.checks.negation.lost_negations``: the source holds a
negation, the translation none at all) is lexical, so it runs here without the
model, on every set in ../shared that has sources next to translations:

* clean human translations, where every flag is false: MLQE-PE en-de post-edits
  (train and dev), the TED MQM reference translations (system ``ref``), and the
  Bleualign yearbook's 1-1 links, French to German and German to French;
* machine translations with a human judgement: MLQE-PE en-de MT, where a flag is
  confirmed when the post-editor's version has a negation (they restored it);
  WMT21 critical-error data, flags on pairs with a critical error (ERR) and without (NOT).
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "data"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def mlqe(split: str):
    d = DATA / "wordqe" / f"en-de-{split}"
    return _lines(d / f"{split}.src"), _lines(d / f"{split}.mt"), _lines(d / f"{split}.pe")


def ted_reference() -> list[tuple[str, str]]:
    rows = {}
    with open(DATA / "mqm" / "mqm_ted_ende.dev.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["system"] == "ref":
                rows[(row["doc"], int(row["seg_id"]))] = (row["source"], re.sub(r"</?v>", "", row["target"]))
    return [rows[k] for k in sorted(rows)]


def bleualign() -> list[tuple[str, str]]:
    """(French, German) for the gold 1-1 links."""
    d = DATA / "alignment"
    de, fr = _lines(d / "dev.de"), _lines(d / "dev.fr")
    out = []
    for link in _lines(d / "dev.defr"):
        left, right = ([int(x) for x in re.findall(r"\d+", side)] for side in link.split(":"))
        if len(left) == 1 and len(right) == 1:
            out.append((fr[right[0]], de[left[0]]))
    return out


def ced() -> list[tuple[str, str, str]]:
    rows = []
    for line in _lines(DATA / "ced" / "ende_majority_dev.tsv"):
        cells = line.split("\t")
        rows.append((cells[1], cells[2], cells[-1]))
    return rows


def main():
    from mtlint.checks.negation import has_negation, lost_negations, negations

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print this many flags of each set")
    args = parser.parse_args()

    def flagged(pairs, source_lang, target_lang):
        return [(s, t) for s, t in pairs if lost_negations(s, t, source_lang, target_lang)]

    def show(name, items):
        for s, t in items[:args.show]:
            print(f"  [{name}] {s[:140]!r}\n      -> {t[:140]!r}")

    print("| clean human translations | pair | sentences | with a source negation | flagged | share of sentences |")
    print("|---|---|---:|---:|---:|---:|")
    clean = []
    for split in ("train", "dev"):
        src, _, pe = mlqe(split)
        clean.append((f"MLQE-PE {split} post-edits", "en-de", list(zip(src, pe))))
    clean.append(("TED MQM dev, reference translation", "en-de", ted_reference()))
    clean.append(("Bleualign dev, 1-1 links", "fr-de", bleualign()))
    clean.append(("Bleualign dev, 1-1 links, reversed", "de-fr", [(t, s) for s, t in bleualign()]))
    for name, langs, pairs in clean:
        source_lang, target_lang = langs.split("-")
        hits = flagged(pairs, source_lang, target_lang)
        negated = sum(1 for s, _ in pairs if negations(s, source_lang))
        print(f"| {name} | {langs} | {len(pairs)} | {negated} | {len(hits)} | {len(hits) / len(pairs):.2%} |")
        show(name, hits)

    print("\n| machine translations | sentences | flagged | confirmed by a person |")
    print("|---|---:|---:|---|")
    for split in ("train", "dev"):
        src, mt, pe = mlqe(split)
        hits = [(s, m, p) for s, m, p in zip(src, mt, pe) if lost_negations(s, m, "en", "de")]
        confirmed = [h for h in hits if has_negation(h[2], "de")]
        print(f"| MLQE-PE {split} MT | {len(src)} | {len(hits)} | {len(confirmed)} (the post-edit has a negation) |")
        show(f"MT {split} confirmed", [(s, m) for s, m, _ in confirmed])
    rows = ced()
    hits = [r for r in rows if lost_negations(r[0], r[1], "en", "de")]
    err = sum(1 for r in hits if r[2] == "ERR")
    print(f"| WMT21 CED dev | {len(rows)} | {len(hits)} | {err} on ERR pairs, {len(hits) - err} on NOT pairs |")
    show("CED", [(s, t) for s, t, _ in hits])


if __name__ == "__main__":
    main()
