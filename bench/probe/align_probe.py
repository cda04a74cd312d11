"""Probes of the aligner where no gold alignment exists: edit a document pair
whose alignment is known, re-align it and count what comes back.

Three probes (each prints a table; ``--json`` writes the figures):

* ``replace`` -- an omission directly next to an addition. In every 1-1 link
  of an unedited alignment (first and last excepted) the target sentence is
  replaced by an unrelated sentence of about the same length; a hit is the
  source sentence reported as a 1-0 link *and* the stranger as a 0-1 link.
  Run on the project's five articles (references/ vs corpus/, the 1-1 links
  of their unedited alignment) with strangers from two places: German
  sentences of another domain (the MLQE-PE en-de dev machine translations,
  Wikipedia) and German sentences of the *other* corpus articles (the same
  news topic, so much closer); and on the Bleualign dev set (German-French,
  the gold 1-1 links) with French strangers from the far half of the same
  book chapter.
* ``ende`` -- another language pair, English-German, without a gold
  alignment: the MLQE-PE en-de dev set (``../shared/data/wordqe/en-de-dev``,
  one source sentence and its machine translation per line) cut into
  documents of 200 lines; in each, at random non-adjacent places (seeded),
  target lines are deleted (1-0), unrelated German lines from another
  document inserted (0-1), two target lines merged into one (2-1), a target
  line split in two at a comma (1-2) and a target line replaced by an
  unrelated one (1-0 + 0-1). The edited pair is aligned and scored against
  the alignment the edits imply (mtlint.evaluate, Vecalign's definitions),
  and each kind of edit is counted as recovered when its exact links come
  back.
* ``clean`` -- false alarms: null links found in the unedited pairs (the
  corpus articles, whose only unpaired sentences are page furniture, and
  the en-de documents, which have none).

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/probe/align_probe.py
    ... --probe replace ende        # a subset
    ... --set floor_ratio=0          # any keyword of mtlint.align.align, for comparisons
    ... --json out.json
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from mtlint.resources import segment
from mtlint.align import align, parse_vecalign
from mtlint.embed import get_encoder
from mtlint.evaluate import score_alignment, score_alignments

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
ALIGNMENT = SHARED / "alignment"
WORDQE = SHARED / "wordqe" / "en-de-dev"


def read_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def corpus_pairs() -> list[tuple[str, list[str], list[str]]]:
    """(stem, source sentences, German sentences) of every article with its reference."""
    pairs = []
    for reference in sorted((ROOT / "references").glob("*.*.txt")):
        stem, lang = reference.name.split(".")[:2]
        article = ROOT / "corpus" / (stem + ".txt")
        if not article.exists():
            continue
        src_text, tgt_text = reference.read_text(encoding="utf-8"), article.read_text(encoding="utf-8")
        pairs.append((stem, [s.text(src_text) for s in segment.sentences(src_text, lang)],
                      [s.text(tgt_text) for s in segment.sentences(tgt_text, "de")]))
    return pairs


def closest_in_length(pool: list[str], length: int, used: set[str]) -> str:
    """The unused pool sentence nearest in length (ties: the first), so that
    length alone does not give the stranger away."""
    best = min((s for s in pool if s not in used), key=lambda s: abs(len(s) - length))
    used.add(best)
    return best


def replacement_hits(source, target, one_to_one, pool, kw, encode) -> tuple[int, int]:
    """(trials, hits): for each 1-1 link (i, j), target j replaced by a stranger from pool."""
    trials = hits = 0
    used: set[str] = set()
    for i, j in one_to_one:
        stranger = closest_in_length(pool, len(target[j]), used)
        edited = target[:j] + [stranger] + target[j + 1:]
        links = align(source, edited, encode, **kw)
        pairs = {(link.source, link.target) for link in links}
        trials += 1
        hits += ((i,), ()) in pairs and ((), (j,)) in pairs
    return trials, hits


def probe_replace(encode, kw) -> dict:
    articles = corpus_pairs()
    other_domain = [s for s in read_lines(WORDQE / "dev.mt")[:400] if len(s) >= 30] if WORDQE.exists() else []
    results = {}
    for label, pool_of in (("corpus, stranger from another domain", lambda stem: other_domain),
                           ("corpus, stranger from another corpus article",
                            lambda stem: [s for other, _, tgt in articles if other != stem for s in tgt
                                          if len(s) >= 30])):
        trials = hits = 0
        for stem, source, target in articles:
            pool = pool_of(stem)
            if not pool:
                continue
            ones = [(link.source[0], link.target[0]) for link in align(source, target, encode, **kw)
                    if link.kind == "1-1"][1:-1]
            t, h = replacement_hits(source, target, ones, pool, kw, encode)
            trials, hits = trials + t, hits + h
        results[label] = {"trials": trials, "hits": hits}
    if (ALIGNMENT / "dev.defr").exists():
        source, target = read_lines(ALIGNMENT / "dev.de"), read_lines(ALIGNMENT / "dev.fr")
        gold = parse_vecalign((ALIGNMENT / "dev.defr").read_text(encoding="utf-8"))
        ones = [(s[0], t[0]) for s, t in gold if len(s) == 1 and len(t) == 1]
        ones = [ones[k] for k in range(5, len(ones) - 5, max(1, len(ones) // 40))]   # 40 spread out
        half = len(target) // 2
        trials = hits = 0
        for i, j in ones:
            # French strangers from the other half of the chapter, at least 30 characters
            far = [s for s in (target[half:] if j < half else target[:half]) if len(s.strip()) >= 30]
            t, h = replacement_hits(source, target, [(i, j)], far, kw, encode)
            trials, hits = trials + t, hits + h
        results["Bleualign dev (de-fr), French stranger from the far half"] = {"trials": trials, "hits": hits}
    return results


# --------------------------------------------------------------------------
# English-German: edits of MLQE-PE documents

EDITS = ("delete", "insert", "merge", "split", "replace")


def edited_document(source: list[str], target: list[str], strangers: list[str], rng: random.Random,
                    per_kind: int):
    """Applies per_kind edits of each kind at random non-adjacent lines; returns
    (edited target, truth links, {kind: [links that must come back]})."""
    n = len(source)
    kinds = [kind for kind in EDITS for _ in range(per_kind)]
    places = sorted(rng.sample(range(2, n - 2, 3), len(kinds)))   # every third line: never adjacent
    rng.shuffle(kinds)
    plan = dict(zip(places, kinds))
    new_target: list[str] = []
    truth: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    expected: dict[str, list] = {kind: [] for kind in EDITS}
    i = 0
    while i < n:
        kind = plan.get(i)
        j = len(new_target)
        if kind == "delete":
            links = [((i,), ())]
        elif kind == "insert":
            new_target += [strangers.pop(), target[i]]
            links = [((), (j,)), ((i,), (j + 1,))]
        elif kind == "merge":
            new_target.append(target[i] + " " + target[i + 1])
            links = [((i, i + 1), (j,))]
        elif kind == "split" and " , " in target[i]:
            cut = target[i].index(" , ", len(target[i]) // 3) if " , " in target[i][len(target[i]) // 3:] \
                else target[i].index(" , ")
            new_target += [target[i][:cut + 2], target[i][cut + 3:]]
            links = [((i,), (j, j + 1))]
        elif kind == "replace":
            new_target.append(strangers.pop())
            links = [((i,), ()), ((), (j,))]
        else:
            new_target.append(target[i])
            links = [((i,), (j,))]
            kind = None if kind is None else "split-skipped"
        truth += links
        if kind in expected:
            expected[kind].append(links[:1] if kind == "insert" else links)
        i += 2 if kind == "merge" else 1
    return new_target, truth, expected


def probe_ende(encode, kw, size: int = 200, per_kind: int = 4, seed: int = 0) -> dict:
    source_all, target_all = read_lines(WORDQE / "dev.src"), read_lines(WORDQE / "dev.mt")
    docs = [(source_all[k:k + size], target_all[k:k + size]) for k in range(0, len(source_all) - size + 1, size)]
    rng = random.Random(seed)
    golds, hyps, clean_nulls, clean_links = [], [], 0, 0
    found = {kind: [0, 0] for kind in EDITS}
    for d, (source, target) in enumerate(docs):
        # strangers: German lines of the next document (no translation of anything in this one)
        strangers = list(docs[(d + 1) % len(docs)][1])
        rng.shuffle(strangers)
        clean = align(source, target, encode, **kw)
        clean_links += len(clean)
        clean_nulls += sum(link.is_null for link in clean)
        edited, truth, expected = edited_document(source, target, strangers, rng, per_kind)
        links = align(source, edited, encode, **kw)
        pairs = {(link.source, link.target) for link in links}
        golds.append(truth)
        hyps.append(links)
        for kind, cases in expected.items():
            for case in cases:
                found[kind][0] += 1
                found[kind][1] += all(link in pairs for link in case)
    scores = score_alignments(golds, hyps)
    return {"documents": len(docs), "lines": size, "scores": scores.as_dict(),
            "recovered": {kind: {"trials": t, "hits": h} for kind, (t, h) in found.items()},
            "clean": {"links": clean_links, "null_links": clean_nulls}}


def probe_clean_corpus(encode, kw) -> dict:
    out = {}
    for stem, source, target in corpus_pairs():
        links = align(source, target, encode, **kw)
        out[stem] = {"source": [link.source[0] for link in links if not link.target],
                     "target": [link.target[0] for link in links if not link.source]}
    return out


def parse_setting(text: str):
    name, _, value = text.partition("=")
    return name, (int(value) if value.lstrip("-").isdigit() else float(value))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--probe", nargs="+", choices=("replace", "ende", "clean"),
                        default=["replace", "ende", "clean"])
    parser.add_argument("--set", action="append", default=[], type=parse_setting, metavar="NAME=VALUE",
                        help="keyword argument of mtlint.align.align")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    kw = dict(args.set)
    encode = get_encoder().encode
    out: dict = {"settings": kw}
    start = time.perf_counter()
    if "replace" in args.probe:
        out["replace"] = probe_replace(encode, kw)
        print("| omission next to an addition | trials | reported as 1-0 + 0-1 |")
        print("|---|---|---|")
        for label, r in out["replace"].items():
            print(f"| {label} | {r['trials']} | {r['hits']} ({100 * r['hits'] / max(r['trials'], 1):.0f} %) |")
        print()
    if "ende" in args.probe:
        if not (WORDQE / "dev.src").exists():
            print(f"no MLQE-PE data at {WORDQE}", file=sys.stderr)
            return 2
        r = out["ende"] = probe_ende(encode, kw)
        s = r["scores"]
        print(f"English-German, {r['documents']} documents of {r['lines']} lines, edited: strict P/R/F1 "
              f"{s['precision_strict']:.3f}/{s['recall_strict']:.3f}/{s['f1_strict']:.3f}, "
              f"lax F1 {s['f1_lax']:.3f}")
        print("| edit | trials | links recovered exactly |")
        print("|---|---|---|")
        for kind, c in r["recovered"].items():
            print(f"| {kind} | {c['trials']} | {c['hits']} ({100 * c['hits'] / max(c['trials'], 1):.0f} %) |")
        print(f"unedited documents: {r['clean']['null_links']} null links among {r['clean']['links']}")
        print()
    if "clean" in args.probe:
        out["clean"] = probe_clean_corpus(encode, kw)
        print("| unedited corpus article | unpaired source sentences (index from 0) | unpaired target sentences (index from 0) |")
        print("|---|---|---|")
        for stem, r in out["clean"].items():
            print(f"| {stem} | {', '.join(map(str, r['source'])) or '-'} | {', '.join(map(str, r['target'])) or '-'} |")
    print(f"{time.perf_counter() - start:.0f} s", file=sys.stderr)  # timing: not a figure of the result
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
