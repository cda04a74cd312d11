"""TED MQM dev read as documents: mistranslation issues against the experts' spans.

    .venv/bin/python bench/eval/ted_documents.py [--set NAME=VALUE ...] [--list]

``bench/eval/devsets.py mqm`` checks each segment alone (``mtlint pairs``).  The dev set
holds two runs of consecutive segments (talk.1: segments 1-140, talk.5: 378-447),
so each system's translation of a talk can also be checked as one document, as
``mtlint check`` does, where checks that look across sentences take part.  Per
setting: the `mistranslation` issues, how many overlap an expert's error span of
the same segment (any category), and the same for the "wrong sense?" ones.
``--set`` overrides a constant of mtlint.checks.meaning (e.g. DOCUMENT_TERMS=0);
``--list`` prints every issue; ``--check ID`` counts another check's issues (default mistranslation).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))  # bench/common.py
sys.path[:0] = [str(ROOT / "bench" / d) for d in ("eval", "calibrate", "speed", "train", "probe")]


def talks() -> tuple[dict, dict]:
    """(system, talk) -> [(source, target)] in segment order; (system, talk, index) -> expert spans.
    The segments and spans as ``bench/eval/devsets.py mqm`` reads them."""
    from devsets import load_mqm

    documents = defaultdict(list)
    for (system, _, seg_id), segment in load_mqm().items():
        documents[(system, segment["talk"])].append((int(seg_id), segment))
    ordered = {doc: [segment for _, segment in sorted(segments, key=lambda item: item[0])]
               for doc, segments in documents.items()}
    return ({doc: [(s["source"], s["target"]) for s in segments] for doc, segments in ordered.items()},
            {(*doc, i): [(a, b) for a, b, _, _ in s["spans"]] for doc, segments in ordered.items()
             for i, s in enumerate(segments)})


def measure(documents: dict, spans: dict, listing: bool = False, check_id: str = "mistranslation") -> Counter:
    from mtlint.config import Config, build_options
    from mtlint.pipeline import check

    options = build_options(Config(), enable=[check_id])
    counts = Counter()
    for (system, talk), pairs in sorted(documents.items()):
        source = "\n".join(s for s, _ in pairs)
        target = "\n".join(t for _, t in pairs)
        starts = [0]
        for _, t in pairs[:-1]:
            starts.append(starts[-1] + len(t) + 1)
        report = check(source, target, source_lang="en", target_lang="de", options=options)
        for issue in report.issues:
            a, b = issue.target_span
            index = max(i for i, start in enumerate(starts) if start <= a)
            offset = starts[index]
            hit = any(x < b - offset and a - offset < y for x, y in spans[(system, talk, index)])
            kinds = (["all", "human reference" if system == "ref" else "machine translation"]
                     + (["wrong sense"] if issue.message.startswith("wrong sense?") else []))
            for kind in kinds:
                counts[kind] += 1
                counts[kind + " on an expert span"] += hit
            if listing:
                print(f"{system}\t{talk}\t{issue.target_text!r}\t{'expert span' if hit else '-'}\t{issue.message}")
    return counts


def main():
    os.environ.setdefault("MTLINT_CACHE_DIR", "/tmp/mtlint-bench-cache")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--check", default="mistranslation", help="the check to count (default: mistranslation)")
    args = parser.parse_args()
    from common import apply_settings

    apply_settings(args.set)
    documents, spans = talks()
    counts = measure(documents, spans, args.list, args.check)
    print(f"TED MQM en-de dev as documents: {len(documents)} (system, talk) documents, "
          f"{sum(map(len, documents.values()))} segments\n")
    print(f"| {args.check} issues | issues | on an expert span |\n|---|---:|---:|")
    systems = len({system for system, _ in documents} - {"ref"})
    rows = {"all": "all", "machine translation": f"{systems} machine translation systems",
            "human reference": "the human reference"}
    if args.check == "mistranslation":
        rows["wrong sense"] = 'reported as "wrong sense?"'
    for kind, label in rows.items():
        share = counts[kind + " on an expert span"] / max(counts[kind], 1)
        print(f"| {label} | {counts[kind]} | {counts[kind + ' on an expert span']} ({share:.0%}) |")


if __name__ == "__main__":
    main()
