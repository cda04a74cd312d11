"""preposition-case, genitive-name-article, article-agreement, adjective-declension, verb-order and reported-speech on German written by people and by machines.

verb-order has two rules, counted apart: an auxiliary before its object and participle (no tagger),
and any finite verb that more of its clause follows (HanTa's part-of-speech tags).

    .venv/bin/python bench/eval/grammar_rules.py [--show 5]

Every German line of ../shared is checked with the rule alone (no alignment needed):
MLQE-PE en-de post-edits (human) and machine translations, TED MQM dev translations of
all systems (with the experts' Fluency/Grammar spans: a flag there is confirmed), the
Bleualign yearbook's German side, and the German side of WMT21 critical-error data.
For MLQE-PE's machine translations it also counts the flags the post-editor changed (the
flagged words are no longer in the post-edit): a flag kept by the editor is probably false.
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


def main():
    from mtlint.resources import lexicon
    from mtlint.checks.grammar import (adjective_declension_errors, article_agreement_errors,
                                       finite_verb_order_errors, genitive_name_errors, preposition_case_errors,
                                       reported_speech_errors, verb_order_errors)

    dictionary = lexicon.load("en", "de")
    places = dictionary.places
    from mtlint.resources.saying import reporting_verbs

    reporting = reporting_verbs(dictionary.path)

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=0)
    args = parser.parse_args()

    rules = {"preposition-case": lambda line: preposition_case_errors(line, "de"),
             "genitive-name-article": lambda line: genitive_name_errors(line, places),
             "article-agreement": lambda line: article_agreement_errors(line, dictionary.words),
             "adjective-declension": lambda line: adjective_declension_errors(line, dictionary.words),
             "verb-order": lambda line: verb_order_errors(line, dictionary.words),
             "verb-order (tagged)": lambda line: finite_verb_order_errors(line, dictionary.words),
             "reported-speech": lambda line: reported_speech_errors(line, reporting)}

    def errors(line):
        return [line[a:b] for rule in rules.values() for (a, b), *_ in rule(line)]
    sets = []
    for split in ("train", "dev"):
        d = DATA / "wordqe" / f"en-de-{split}"
        sets += [(f"MLQE-PE {split} post-edits (human)", _lines(d / f"{split}.pe")),
                 (f"MLQE-PE {split} MT", _lines(d / f"{split}.mt"))]
    sets.append(("Bleualign dev, German (human)", _lines(DATA / "alignment" / "dev.de")))
    sets.append(("WMT21 CED train+dev MT", [line.split("\t")[2] for name in ("train", "dev")
                                             for line in _lines(DATA / "ced" / f"ende_majority_{name}.tsv")]))
    ted, grammar_spans = {}, {}
    with open(DATA / "mqm" / "mqm_ted_ende.dev.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            key = (row["system"], row["doc"], row["seg_id"])
            ted[key] = re.sub(r"</?v>", "", row["target"])
            if row["category"].startswith("Fluency/Grammar"):
                grammar_spans.setdefault(key, []).append(re.sub(r"</?v>", "", re.search(r"<v>(.*?)</v>", row["target"]).group(1)) if "<v>" in row["target"] else "")
    sets.append(("TED MQM dev, all systems", list(ted.values())))
    print("| German text | lines | " + " | ".join(rules) + " |\n|---|---:|" + "---:|" * len(rules))
    for name, lines in sets:
        counts = []
        for rule in rules.values():
            hits = [(line, line[a:b]) for line in lines for (a, b), *_ in rule(line)]
            counts.append(f"{len(hits)} ({len(hits) / len(lines):.2%})")
            for line, found in hits[:args.show]:
                print(f"  {found!r}: {line[:140]}")
        print(f"| {name} | {len(lines)} | " + " | ".join(counts) + " |")
    for split in ("train", "dev"):
        d = DATA / "wordqe" / f"en-de-{split}"
        for rule in ("article-agreement", "adjective-declension", "verb-order (tagged)", "reported-speech"):
            changed = kept = 0
            for mt, pe in zip(_lines(d / f"{split}.mt"), _lines(d / f"{split}.pe")):
                for (a, b), *_ in rules[rule](mt):
                    changed += mt[a:b] not in pe
                    kept += mt[a:b] in pe
            print(f"\n{rule} on MLQE-PE {split} MT: {changed} of {changed + kept} flags changed by the post-editor")
    ted_hits = [k for k, line in ted.items() if errors(line)]
    confirmed = [k for k in ted_hits if any(span and (span in errors(ted[k])[0] or errors(ted[k])[0] in span)
                                            for span in grammar_spans.get(k, []))]
    print(f"\nTED flags on a segment the experts marked Fluency/Grammar at that place: {len(confirmed)} of {len(ted_hits)}")


if __name__ == "__main__":
    main()
