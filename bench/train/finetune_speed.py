"""Seconds per training step of each trainable form of the QE model, on this machine's CPU.

    OMP_NUM_THREADS=2 .venv/bin/python bench/train/finetune_speed.py [--steps 1] [--rounds 5] [--threads 2]

One step = forward + loss + backward + AdamW update on a batch of 8 MLQE-PE train pairs of
about 40 words (source + post-edit; invented pairs when ../shared is absent).  Forms:

  head      today's form: the 1-layer 128-wide head (mtlint.qe.build_head) over frozen
            features of layers 3 and 7 (computed once per pair, before training)
  upper8    layers 8-11 trained, over cached layer-7 states
  upper4    layers 4-7 trained, over cached layer-3 states (inference as deep as today's)
  lora      LoRA rank 8 on every linear map of all 12 layers, from the token ids
  full      all 12 layers trained, from the token ids

After one warm-up step each, the forms take single steps in turns (head, upper8, ..., head,
upper8, ...), ``--rounds`` x ``--steps`` steps each, so a change in the machine's load hits them
all.  Printed: the median and the fastest step and their ratios to ``head`` (on a shared machine
the fastest step is the nearer estimate of the unshared cost); the one-time inference pass of
the frozen lower layers each form needs (layers 0-7 for the features and layer-7 states, 0-3 for
upper4), per batch; the inference time of a batch through 8 and 12 layers; the projected
training time of ``--pairs`` pairs for ``--epochs`` epochs; the load average before and after,
which shows how shared the machine was.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench" / "train"))

SHARED = ROOT.parent / "shared" / "data"
BATCH = 8
WORDS = 40  # per pair, source and translation together
INVENTED = ("The committee approved the new budget for the regional hospital after a long debate about costs .",
            "Der Ausschuss genehmigte nach einer langen Debatte über die Kosten den neuen Haushalt für das Regionalkrankenhaus .")


def sample_pairs(n: int = BATCH, words: int = WORDS) -> list[tuple[list[str], list[str]]]:
    """``n`` MLQE-PE train pairs whose two sides have ``words`` +- 2 words together, the first found."""
    folder = SHARED / "wordqe" / "en-de-train"
    if (folder / "train.src").exists():
        src = (folder / "train.src").read_text(encoding="utf-8").splitlines()
        pe = (folder / "train.pe").read_text(encoding="utf-8").splitlines()
        found = [(s.split(), t.split()) for s, t in zip(src, pe) if abs(len(s.split()) + len(t.split()) - words) <= 2]
        if len(found) >= n:
            return found[:n]
    s, t = INVENTED
    return [(s.split(), t.split())] * n


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=1, help="timed steps per form and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--forms", default="head,upper8,upper4,lora,full")
    parser.add_argument("--pairs", type=int, default=7000 + 12700,
                        help="training pairs for the projection (default: MLQE-PE train + a curriculum of one "
                             "error per MLQE-PE and CED NOT translation)")
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    from model_forms import CrossEncoder, lower_states

    from mtlint.qe import PairEncoder, build_head, collate, encode_pair, word_logits

    load_before = os.getloadavg()
    encoder = PairEncoder()
    base, tok = encoder.base, encoder.tokenizer
    pairs = sample_pairs()
    batch = [encode_pair(tok, s, t) for s, t in pairs]
    ids, lengths, tmask = collate(batch, tok.special["pad"])
    gold_words = torch.cat([torch.tensor([float(i % 5 == 0) for i in range(len(e.target_words))]) for e in batch])
    gold_crit = torch.tensor([float(i % 2) for i in range(len(batch))])
    gold_hter = torch.rand(len(batch))
    bce = torch.nn.functional.binary_cross_entropy_with_logits

    def timed(fn, repeat=3):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return statistics.median(times), min(times)

    # One-time costs: the frozen lower layers per batch (features for "head", cached states for "upper").
    with torch.inference_mode():
        lower_s, lower_fast = timed(lambda: encoder.features(ids, lengths))
        infer8, infer8_fast = timed(lambda: base.layer_states(ids, lengths, (7,), always_mask=True))
        infer12, infer12_fast = timed(lambda: base.layer_states(ids, lengths, (11,), always_mask=True))
        infer4, infer4_fast = timed(lambda: base.layer_states(ids, lengths, (3,), always_mask=True))
    # The frozen pass each form needs once per pair: layers 0-7 (features, layer-7 states), 0-3 (layer-3 states).
    once_per_batch = {"head": (lower_s, lower_fast), "upper8": (lower_s, lower_fast), "upper4": (infer4, infer4_fast)}
    with torch.no_grad():  # inference_mode's tensors cannot enter an autograd graph
        features = encoder.features(ids, lengths)
    states7 = lower_states(base, ids, lengths, 7)
    states3 = lower_states(base, ids, lengths, 3)

    def loss_of(crit, hter, token_bad):
        wl = torch.cat(word_logits(token_bad, batch))
        return bce(wl, gold_words) + bce(crit, gold_crit) + torch.mean((hter - gold_hter) ** 2)

    forms = {}
    if "head" in args.forms:
        head = build_head(encoder.width, seed=0)
        forms["head"] = (head, lambda: head(features, lengths, tmask)[:3])
    for name, start, end, form, states in (("upper8", 8, 12, "upper", states7), ("upper4", 4, 8, "upper", states3),
                                           ("lora", 0, 12, "lora", None), ("full", 0, 12, "full", None)):
        if name not in args.forms.split(","):
            continue
        model = CrossEncoder(base, form, start, end, rank=8)
        if states is None:
            forms[name] = (model, lambda m=model: m(lengths, tmask, ids=ids))
        else:
            forms[name] = (model, lambda m=model, s=states: m(lengths, tmask, states=s))
    optimisers = {name: torch.optim.AdamW([p for p in m.parameters() if p.requires_grad], lr=1e-4)
                  for name, (m, _) in forms.items()}

    def step(name):
        model, run = forms[name]
        model.train()
        loss = loss_of(*run())
        optimisers[name].zero_grad()
        loss.backward()
        optimisers[name].step()

    times: dict[str, list[float]] = {name: [] for name in forms}
    for name in forms:
        step(name)  # warm-up: allocations, AdamW state
    for _ in range(args.rounds * args.steps):
        for name in forms:  # one step of each form in turn: a change in load hits them all alike
            t0 = time.perf_counter()
            step(name)
            times[name].append(time.perf_counter() - t0)
    load_after = os.getloadavg()

    steps = args.pairs * args.epochs / BATCH
    batches = args.pairs / BATCH
    ref = statistics.median(times["head"]) if "head" in times else None
    ref_fast = min(times["head"]) if "head" in times else None
    rows = {}
    for name, ts in times.items():
        med = statistics.median(ts)
        once = batches * once_per_batch.get(name, (0.0, 0.0))[0]
        trained = sum(p.numel() for p in forms[name][0].parameters() if p.requires_grad)
        fast = min(ts)
        once_fast = batches * once_per_batch.get(name, (0.0, 0.0))[1]
        rows[name] = {"step_s": round(med, 3), "fastest_step_s": round(fast, 3),
                      "ratio_to_head": round(med / ref, 2) if ref else None,
                      "fastest_ratio_to_head": round(fast / ref_fast, 2) if ref else None,
                      "trained_params_M": round(trained / 1e6, 2),
                      "one_time_lower_layers_h": round(once / 3600, 2),
                      "projected_h": round((steps * med + once) / 3600, 2),
                      "projected_h_at_fastest": round((steps * fast + once_fast) / 3600, 2)}
    report = {
        "batch": {"pairs": BATCH, "words": sum(len(s) + len(t) for s, t in pairs), "tokens_padded": list(ids.shape)},
        "threads": args.threads, "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "lower_layers_0_7_inference_per_batch_s": [round(lower_s, 3), round(lower_fast, 3)],
        "inference_per_batch_s (median, fastest)": {"8 layers (today)": [round(infer8, 3), round(infer8_fast, 3)],
                                                    "12 layers": [round(infer12, 3), round(infer12_fast, 3)],
                                                    "4 layers (upper4's frozen part)": [round(infer4, 3),
                                                                                        round(infer4_fast, 3)]},
        "projection": f"{args.pairs} pairs x {args.epochs} epochs = {steps:.0f} steps of {BATCH}",
        "forms": rows,
    }
    report["step_times_s"] = {name: [round(t, 3) for t in ts] for name, ts in times.items()}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
