"""ONNX Runtime against mtlint's torch engine for both uses of the encoder (measured, not shipped).

    pip install onnxruntime onnx          # not mtlint dependencies: this script alone needs them
    .venv/bin/python bench/speed/onnx_runtime.py --runs 3 [--save onnx-runtime]

The transformer layers of the embedded e5-small (the part that costs; the 4-bit word embeddings are
looked up in torch for both engines) are exported with ``torch.onnx.export`` and run with
ONNX Runtime's CPU provider (all graph optimisations on), against the same layers in torch as
mtlint runs them: 12 layers for the sentence encoder, 8 for the quality-estimation model's pair
pass.  Inputs: the sentences of corpus/ and references/ (four words or more), batched by padded
width as mtlint batches them.  Reported per engine and thread count: the median seconds of
``--runs``, the speed-up, the largest difference from torch's states, and whether a row's states
change when it is run alone instead of in its batch (reports must not depend on batching).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import ROOT, save_result, signature  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))


class Layers:
    """The encoder's layers ``0 .. n-1`` over given embeddings, as mtlint.e5torch runs them."""

    def __new__(cls, encoder, n):
        import torch
        import torch.nn.functional as F

        class _Layers(torch.nn.Module):
            def forward(self, x, mask):
                H, NH = encoder.H, encoder.NH
                shape = x.shape
                m = mask[:, None, None, :]
                x = x.reshape(-1, H)
                for ly in encoder.layers[:n]:
                    w, b = ly["qkv"]
                    q, k, v = torch.addmm(b, x, w).view(shape[0], shape[1], 3, NH, H // NH).permute(2, 0, 3, 1, 4)
                    a = F.scaled_dot_product_attention(q, k, v, attn_mask=m).transpose(1, 2).reshape(-1, H)
                    w, b = ly["ao"]
                    x = F.layer_norm(torch.addmm(x + b, a, w), (H,), *ly["aln"], encoder.eps)
                    w, b = ly["fi"]
                    h = F.gelu(torch.addmm(b, x, w))
                    w, b = ly["fo"]
                    x = F.layer_norm(torch.addmm(x + b, h, w), (H,), *ly["oln"], encoder.eps)
                return x.view(shape[0], shape[1], H)

        return _Layers().eval()


def _texts() -> list[str]:
    texts = []
    for folder in ("corpus", "references"):
        for path in sorted((ROOT / folder).glob("*.txt")):
            texts += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.split()) > 3]
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--save", metavar="NAME", help="also write bench/results/NAME.json")
    args = ap.parse_args()
    try:
        import onnxruntime as ort
    except ImportError:
        sys.exit("needs onnxruntime and onnx: pip install onnxruntime onnx")
    import torch
    import torch.nn.functional as F
    from mtlint.e5torch import E5Encoder, E5Tokenizer, default_q4_path, padded_width, read_q4_file

    sig = signature()
    q4 = read_q4_file(default_q4_path())
    encoder, tokenizer = E5Encoder(q4), E5Tokenizer.from_q4(q4)
    bos, eos, pad = q4.special["bos"], q4.special["eos"], q4.special["pad"]
    segments = [[bos, *ids[:510], eos] for ids, _, _ in tokenizer.encode(_texts(), "passage: ")]

    def embed(ids):
        return F.layer_norm(encoder.embed(ids) + encoder.pos_type[:ids.shape[1]], (encoder.H,), *encoder.emb_ln,
                            encoder.eps)

    by_width: dict[int, list[int]] = {}
    for i, seg in enumerate(segments):
        by_width.setdefault(padded_width(len(seg), 512), []).append(i)
    batches = []
    for width, members in sorted(by_width.items()):
        for k in range(0, len(members), 32):
            rows = members[k:k + 32]
            ids = torch.full((len(rows), width), pad, dtype=torch.long)
            for r, i in enumerate(rows):
                ids[r, :len(segments[i])] = torch.tensor(segments[i])
            lengths = torch.tensor([len(segments[i]) for i in rows])
            batches.append((embed(ids), torch.arange(width)[None, :] < lengths[:, None]))
    lines = [f"{len(segments)} sentences of corpus/ and references/, {len(batches)} batches by padded width, "
             f"median of {args.runs} runs, load average {os.getloadavg()[0]:.1f} at the start:", "",
             "| encoder use | threads | torch s | ONNX Runtime s | speed-up | largest difference | alone vs batched |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    data = []
    with tempfile.TemporaryDirectory() as tmp:
        for n_layers, use in ((12, "sentence encoder (12 layers)"), (8, "quality estimation, pair pass (8 layers)")):
            model = Layers(encoder, n_layers)
            path = os.path.join(tmp, f"e5-{n_layers}.onnx")
            x0, m0 = embed(torch.zeros((2, 16), dtype=torch.long)), torch.ones((2, 16), dtype=torch.bool)
            torch.onnx.export(model, (x0, m0), path, input_names=["x", "mask"], output_names=["h"],
                              dynamic_axes={"x": {0: "B", 1: "T"}, "mask": {0: "B", 1: "T"}, "h": {0: "B", 1: "T"}},
                              opset_version=17, dynamo=False)
            for threads in (1, 2):
                torch.set_num_threads(threads)
                options = ort.SessionOptions()
                options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
                torch_s, ort_s = [], []
                for _ in range(args.runs):  # alternate the engines, so that load falls on both alike
                    start = time.perf_counter()
                    with torch.inference_mode():
                        reference = [model(x, m).numpy() for x, m in batches]
                    torch_s.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    got = [session.run(None, {"x": x.numpy(), "mask": m.numpy()})[0] for x, m in batches]
                    ort_s.append(time.perf_counter() - start)
                diff = max(float(np.abs(r - g).max()) for r, g in zip(reference, got))
                alone = 0.0
                for x, m in batches[:6]:
                    full = session.run(None, {"x": x.numpy(), "mask": m.numpy()})[0]
                    for r in range(min(4, len(x))):
                        one = session.run(None, {"x": x[r:r + 1].numpy(), "mask": m[r:r + 1].numpy()})[0]
                        alone = max(alone, float(np.abs(one[0] - full[r]).max()))
                t, o = statistics.median(torch_s), statistics.median(ort_s)
                data.append({"use": use, "threads": threads, "torch_s": t, "ort_s": o, "diff": diff, "alone": alone})
                lines.append(f"| {use} | {threads} | {t:.2f} | {o:.2f} | {t / o:.2f}x | {diff:.1e} | {alone:.1e} |")
                print(lines[-1], file=sys.stderr, flush=True)
    markdown = "\n".join(lines)
    print(markdown)
    if args.save:
        save_result(args.save, f".venv/bin/python bench/speed/onnx_runtime.py --runs {args.runs} --save {args.save}",
                    markdown, sig, {"rows": data})


if __name__ == "__main__":
    main()
