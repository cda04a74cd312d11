"""int8 dynamic quantisation of the sentence encoder: speed, agreement and batch invariance.

    .venv/bin/python bench/speed/quantize.py [--n 200] [--runs 3]

The shipped engine (mtlint.e5torch, float32) against the same weights exported to a
``transformers.BertModel`` (float32, and int8 by ``torch.ao.quantization.quantize_dynamic`` on
every Linear layer).  Texts: the sentences of corpus/ and references/ (no ../shared needed).
Per engine and thread count: sentences per second (median of ``--runs``); per engine: the cosine
with the shipped engine's vectors (mean, least); and batch invariance, the largest difference
between a text's vector encoded alone and in a batch with the others (reports must not depend
on what a text was batched with).  Prints a Markdown table and writes bench/results/quantize.json.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import ROOT, save_result, signature, use_repository  # noqa: E402

use_repository()


def texts(n: int) -> list[str]:
    from mtlint.resources.segment import sentences

    out = []
    for folder in ("corpus", "references"):
        for path in sorted((ROOT / folder).glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            lang = "de" if folder == "corpus" else path.stem.rsplit(".", 1)[-1]
            out += [s.text(text) for s in sentences(text, lang) if len(s.text(text).split()) >= 3]
    return out[:n]


class HFEncoder:
    """The exported BertModel, pooled as E5Torch.encode pools (texts of one window)."""

    def __init__(self, model, e5):
        self.model, self.e5 = model, e5

    def encode(self, batch_texts: list[str]):
        import numpy as np
        import torch

        segments, _ = self.e5._windows(self.e5.tokenizer.encode(batch_texts))
        width = max(len(s) for s in segments)
        ids = torch.full((len(segments), width), self.e5.special["pad"], dtype=torch.long)
        mask = torch.zeros((len(segments), width), dtype=torch.long)
        for row, seg in enumerate(segments):
            ids[row, :len(seg)] = torch.tensor(seg)
            mask[row, :len(seg)] = 1
        with torch.inference_mode():
            hidden = self.model(input_ids=ids, attention_mask=mask).last_hidden_state
        pooled = ((hidden * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)).numpy()
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def main() -> None:
    import numpy as np
    import torch
    from transformers import BertModel

    from mtlint.e5torch import default_q4_path, export_hf, load_e5_torch, read_q4_file

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sample = texts(args.n)
    e5 = load_e5_torch()
    export = Path(os.environ.get("TMPDIR", "/tmp")) / "mtlint-e5-hf"
    if not (export / "model.safetensors").is_file():
        export_hf(read_q4_file(default_q4_path()), str(export))
    fp32 = BertModel.from_pretrained(str(export), add_pooling_layer=False).eval()
    int8 = torch.ao.quantization.quantize_dynamic(fp32, {torch.nn.Linear}, dtype=torch.qint8)
    engines = {"mtlint.e5torch, float32 (shipped)": e5.encode, "BertModel, float32": HFEncoder(fp32, e5).encode,
               "BertModel, int8 dynamic": HFEncoder(int8, e5).encode}
    reference = e5.encode(sample)
    rows = []
    for name, encode in engines.items():
        batched = np.vstack([encode(sample[k:k + 32]) for k in range(0, len(sample), 32)])
        alone = np.vstack([encode([t]) for t in sample[:50]])
        cosine = np.sum(batched * reference, axis=1)
        speeds = {}
        for threads in (1, 2):
            torch.set_num_threads(threads)
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                for k in range(0, len(sample), 32):
                    encode(sample[k:k + 32])
                times.append(time.perf_counter() - started)
            speeds[threads] = len(sample) / statistics.median(times)
        rows.append((name, speeds[1], speeds[2], float(cosine.mean()), float(cosine.min()),
                     float(np.abs(alone - batched[:50]).max())))
    base = rows[0][1]
    lines = [f"{len(sample)} sentences of corpus/ and references/, batches of 32, median of {args.runs} runs:", "",
             "| engine | sent/s, 1 thread | sent/s, 2 threads | speed vs shipped, 1 thread | cosine with shipped, "
             "mean / least | largest change alone vs batched |", "|---|---:|---:|---:|---|---:|"]
    lines += [f"| {name} | {one:.1f} | {two:.1f} | {one / base:.2f}x | {mean:.5f} / {least:.5f} | {diff:.2e} |"
              for name, one, two, mean, least, diff in rows]
    text = "\n".join(lines)
    print(text)
    save_result("quantize", f".venv/bin/python bench/speed/quantize.py --n {args.n} --runs {args.runs}", text,
                signature(), {"rows": rows})


if __name__ == "__main__":
    main()
