"""Which layer of the pair model's encoder links a target word to its source word best.

    .venv/bin/python bench/probe/word_alignment_layers.py --limit 1000 [--split train|dev] [--save NAME]

The quality-estimation model links each target word to the source word whose contextual state
(mean of its tokens' states) is most similar.  Layer 4 (index 3) gives the coverage figures
several checks read (``PairEstimate.alignment``); the link a finding names as its source
(``PairEstimate.word_links``) comes from ``qe.LINK_LAYER``, chosen on the train split with this
script.  Reference: MLQE-PE en-de ``src-mt.alignments`` (automatic word alignments shipped with
the data, not human gold), first ``--limit`` sentences of ``--split``.  The two "mtlint" rows
come from ``estimate()`` itself, its words mapped to the data's tokens by character offsets.  Scored: target content words (three letters or more) that have a
reference link; a hit is a predicted source word among the reference's.  "Mutual" prefers,
among a word's three most similar source words, one whose own most similar target word it is.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import ROOT, SHARED, save_result, signature  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))
CONTENT = re.compile(r"\w{3,}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--split", choices=("train", "dev"), default="train")
    ap.add_argument("--save", metavar="NAME")
    args = ap.parse_args()
    import torch

    from mtlint import qe

    sig = signature()
    torch.set_num_threads(1)
    base = SHARED / "wordqe" / f"en-de-{args.split}"
    read = lambda suffix: (base / f"{args.split}.{suffix}").read_text(encoding="utf-8").splitlines()[:args.limit]  # noqa: E731
    estimator = qe.get_estimator()
    layers = list(range(8))
    names = [f"layer {i + 1}" for i in layers] + ["layer 4, mutual", "layer 7, mutual",
                                                  "mtlint: coverage links (`alignment`)",
                                                  "mtlint: named source words (`word_links`)"]
    hits = dict.fromkeys(names, 0)
    total = 0
    with torch.inference_mode():
        for source, target, links in zip(read("src"), read("mt"), read("src-mt.alignments")):
            s_words, t_words = source.split(" "), target.split(" ")
            enc = qe.encode_pair(estimator.tokenizer, s_words, t_words)
            ids, lengths, _ = qe.collate([enc], estimator.tokenizer.special["pad"])
            states = estimator.encoder.base.layer_states(ids, lengths, layers, always_mask=True)
            gold: dict[int, set[int]] = {}
            for link in links.split():
                i, j = map(int, link.split("-"))
                gold.setdefault(j, set()).add(i)

            def pooled(st, groups):
                rows = [st[0][g].mean(0) if g else torch.zeros(st.shape[-1]) for g in groups]
                return torch.nn.functional.normalize(torch.stack(rows), dim=-1)

            sims = [pooled(st, enc.target_words) @ pooled(st, enc.source_words).T for st in states]
            (est,) = estimator.estimate([(source, target)])
            by_links = {"mtlint: coverage links (`alignment`)": est.alignment,
                        "mtlint: named source words (`word_links`)": est.word_links}
            s_token, t_token = _token_index(source, est.source_spans), _token_index(target, est.word_spans)
            named = {}
            for name, linked in by_links.items():
                for i, j in enumerate(linked):
                    if j >= 0 and t_token[i] not in named.setdefault(name, {}):
                        named[name][t_token[i]] = s_token[j]  # a data token's first mtlint word
            for j, word in enumerate(t_words):
                if j not in gold or not CONTENT.match(word) or not enc.target_words[j]:
                    continue
                total += 1
                for name, sim in zip(names, sims):
                    hits[name] += int(int(sim[j].argmax()) in gold[j])
                for name, sim in (("layer 4, mutual", sims[3]), ("layer 7, mutual", sims[6])):
                    top = sim[j].topk(min(3, sim.shape[1])).indices.tolist()
                    mutual = [c for c in top if int(sim[:, c].argmax()) == j]
                    hits[name] += int((mutual[0] if mutual else top[0]) in gold[j])
                for name in by_links:
                    hits[name] += int(named.get(name, {}).get(j) in gold[j])
    lines = [f"MLQE-PE en-de {args.split}, first {args.limit} sentences: {total} target content words with a reference link.",
             "", "| states | share linked to a reference source word |", "|---|---:|"]
    lines += [f"| {name} | {hits[name] / total:.3f} |" for name in names]
    markdown = "\n".join(lines)
    print(markdown)
    if args.save:
        save_result(args.save, f".venv/bin/python bench/probe/word_alignment_layers.py --limit {args.limit} "
                    f"--split {args.split} --save {args.save}", markdown, sig, {"hits": hits, "total": total})


def _token_index(text: str, spans) -> list[int]:
    """Per mtlint word, the index of the whitespace-separated token of ``text`` it lies in."""
    starts = [m.start() for m in re.finditer(r"\S+", text)]
    import bisect

    return [bisect.bisect_right(starts, a) - 1 for a, _ in spans]


if __name__ == "__main__":
    main()
