"""Learned quality estimation: a small model over e5-small reading source and translation together.

Sentence similarity alone cannot tell a wrong-sense word from the right one
(the sentence still "means about the same"), so this model reads the source
and the translation as one sequence, XLM-R pair style
``<s> source </s></s> target </s>``, through the embedded e5-small weights
(frozen, see :mod:`mtlint.e5torch`; the states of layers 4 and 8, where
cross-lingual word correspondences are strongest) and a small trained
transformer head (1 layer, 128 wide, trained in minutes on 2 cores) that gives:

* per target word, the probability that a post-editor changes it (trained
  on MLQE-PE word tags) -> spans for ``accuracy/mistranslation``;
* per pair, the probability of a critical error (WMT21 critical errors);
* per pair, an HTER estimate (MLQE-PE).

Only the heads are stored (``data/qe-head.npz``, float16, 1.5 MB: a "word"
head trained with wrong-sense substitutions too, a "sentence" head trained
without, whose HTER scored better on dev, and a "critical" head trained on
all critical-error pairs);
``bench/train/train_qe.py`` rebuilds both from ``../shared`` with a fixed seed.
Both training sets use space-tokenised text, so inputs are tokenised the
same way here (``\\w+`` runs and single other characters), with spans back
into the original text.  Fine-tuning the encoder itself (LoRA) was measured
at ~1 s per pair per step on this 2-core machine: too slow to train here.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

ADAPTER_FILE = os.path.join(os.path.dirname(__file__), "data", "qe-head.npz")
MAX_SIDE_TOKENS = 96  # per side; longer sentences are cut (rare in news text)
_WORD = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)


def words(text: str) -> list[tuple[int, int]]:
    """Character spans of the words (and single punctuation marks) of ``text``."""
    return [m.span() for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class PairEstimate:
    critical: float                     # probability of a critical error
    hter: float                         # estimated share of words a post-editor changes
    word_spans: list[tuple[int, int]]   # target word spans (offsets into the target text)
    word_bad: list[float]               # probability that each word needs editing
    alignment: list[int]                # per target word: index of its most attended source word, -1 none
    source_spans: list[tuple[int, int]]  # source word spans
    source_alignment: list[int] = ()     # per source word: index of its most similar target word, -1 none
    source_coverage: list[float] = ()    # per source word: cosine to its most similar target word (0 none)
    target_coverage: list[float] = ()    # per target word: cosine to its most similar source word (0 none)
    # Per target word: the source word it renders (-1 none), by the later LINK_LAYER's states, a mutual
    # link preferred: what a finding names as its source.  The fields above stay on layer 4, whose
    # cosines the coverage thresholds were chosen on.
    word_links: list[int] = ()


def _torch():
    import torch

    return torch


FEATURE_LAYERS = (3, 7)  # a lower and a middle layer: the upper layers add little for QE and cost a third more
# The layer whose states link a target word to the source word it renders: on MLQE-PE en-de train's
# word alignments (bench/probe/word_alignment_layers.py) layer 7 with mutual links preferred agrees
# in 0.935 of target content words, layer 4 (index 3) in 0.853.  Computed in the same pass.
LINK_LAYER = 6
LINK_CANDIDATES = 3  # a mutual link is looked for among a target word's most similar source words


class PairEncoder:
    """The frozen embedded e5-small run over ``<s> source </s></s> target </s>``:
    per token the states of :data:`FEATURE_LAYERS`, concatenated (768 wide)."""

    def __init__(self):
        import copy

        from .e5torch import load_e5_torch

        model = load_e5_torch()  # the sentence encoder's weights and tokenizer, loaded once per process
        # Its own object over the shared tensors: a fine-tuned cross-encoder replaces some of
        # its layers (QualityEstimator._load_cross_encoder), never the sentence encoder's.
        self.base = copy.copy(model.encoder)
        self.base.layers = list(model.encoder.layers)
        self.tokenizer = model.tokenizer
        self.width = self.base.H * len(FEATURE_LAYERS)

    def features(self, ids, lengths):
        return self.features_and_links(ids, lengths)[0]

    def features_and_links(self, ids, lengths):
        """The heads' features and the states of :data:`LINK_LAYER`, from one pass."""
        torch = _torch()
        keep = sorted({*FEATURE_LAYERS, LINK_LAYER})
        states = dict(zip(keep, self.base.layer_states(ids, lengths, keep, always_mask=True)))
        return torch.cat([states[i] for i in FEATURE_LAYERS], dim=-1), states[LINK_LAYER]


def cross_heads(H: int):
    """A cross-encoder's linear heads over its last layer (width ``H``): per token a BAD logit
    (word), per pair [critical-error logit, HTER] from :func:`pair_pooling` (sentence)."""
    nn = _torch().nn
    return nn.Sequential(nn.LayerNorm(H), nn.Linear(H, 1)), nn.Sequential(nn.LayerNorm(2 * H), nn.Linear(2 * H, 2))


def pair_pooling(states, target_mask):
    """(B, 2H): the first token's state beside the mean state of the target's tokens."""
    torch = _torch()
    tmask = target_mask.unsqueeze(-1).float()
    target_mean = (states * tmask).sum(1) / tmask.sum(1).clamp(min=1.0)
    return torch.cat([states[:, 0], target_mean], dim=-1)


def build_head(width: int, seed: int = 0, d_model: int = 128, layers: int = 1):
    """The trained part: a small transformer over the frozen pair features,
    a sentence head ([critical logit, HTER]) and a per-token BAD head."""
    torch = _torch()
    from torch import nn

    torch.manual_seed(seed)

    class QEHead(nn.Module):
        def __init__(self):
            super().__init__()
            self.project = nn.Sequential(nn.LayerNorm(width), nn.Dropout(0.1), nn.Linear(width, d_model))
            self.side = nn.Embedding(2, d_model)  # source / target
            block = nn.TransformerEncoderLayer(d_model, nhead=4, dim_feedforward=2 * d_model, dropout=0.1,
                                               batch_first=True, norm_first=True)
            self.blocks = nn.TransformerEncoder(block, layers, enable_nested_tensor=False)
            self.sentence_head = nn.Sequential(nn.LayerNorm(2 * d_model), nn.Linear(2 * d_model, 2))
            self.word_head = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 1))

        def forward(self, features, lengths, target_mask):
            T = features.shape[1]
            pad = torch.arange(T)[None, :] >= lengths[:, None]
            x = self.project(features) + self.side(target_mask.long())
            x = self.blocks(x, src_key_padding_mask=pad)
            tmask = target_mask.unsqueeze(-1).float()
            target_mean = (x * tmask).sum(1) / tmask.sum(1).clamp(min=1.0)
            sentence = self.sentence_head(torch.cat([x[:, 0], target_mean], dim=-1))
            return sentence[:, 0], sentence[:, 1], self.word_head(x).squeeze(-1), x

    return QEHead()


# ------------------------------------------------------------------ batching

@dataclass
class Encoded:
    ids: list[int]
    target_start: int                   # index of the first target token in ids
    target_words: list[list[int]]       # per target word: its token positions in ids
    source_words: list[list[int]]       # per source word: its token positions in ids


def _side_tokens(tokenizer, words_: list[str], limit: int) -> tuple[list[int], list[list[int]]]:
    """Token ids of space-joined words and, per word, positions of its tokens."""
    text = " ".join(words_)
    ((ids, offsets, _),) = tokenizer.encode([text], prefix="")
    starts, pos = [], 0
    for w in words_:
        starts.append(pos)
        pos += len(w) + 1
    groups: list[list[int]] = [[] for _ in words_]
    k = 0
    for t, (a, b) in enumerate(offsets[:limit]):
        while k + 1 < len(starts) and a >= starts[k + 1]:
            k += 1
        if words_:
            groups[k].append(t)
    return ids[:limit], groups


def encode_pair(tokenizer, source_words: list[str], target_words: list[str]) -> Encoded:
    special = tokenizer.special
    s_ids, s_groups = _side_tokens(tokenizer, source_words, MAX_SIDE_TOKENS)
    t_ids, t_groups = _side_tokens(tokenizer, target_words, MAX_SIDE_TOKENS)
    ids = [special["bos"], *s_ids, special["eos"], special["eos"], *t_ids, special["eos"]]
    t0 = len(s_ids) + 3
    return Encoded(ids, t0, [[t0 + p for p in g] for g in t_groups], [[1 + p for p in g] for g in s_groups])


def collate(batch: list[Encoded], pad: int):
    torch = _torch()
    lengths = torch.tensor([len(e.ids) for e in batch])
    T = int(lengths.max())
    ids = torch.full((len(batch), T), pad, dtype=torch.long)
    target_mask = torch.zeros((len(batch), T), dtype=torch.bool)
    for row, e in enumerate(batch):
        ids[row, :len(e.ids)] = torch.tensor(e.ids)
        target_mask[row, e.target_start:len(e.ids) - 1] = True
    return ids, lengths, target_mask


def word_logits(token_bad, batch: list[Encoded]):
    """Per example, a tensor of word logits: the mean of its tokens' logits."""
    torch = _torch()
    out = []
    for row, e in enumerate(batch):
        values = [token_bad[row, g].mean() if g else token_bad[row, 0] * 0 - 10.0 for g in e.target_words]
        out.append(torch.stack(values) if values else token_bad.new_zeros(0))
    return out


# ----------------------------------------------------------------- inference

class QualityEstimator:
    """Loads the stored head; ``estimate(pairs)`` -> :class:`PairEstimate` per pair."""

    model_id = "mtlint-qe/e5-small-L4L8-word+sentence+critical-heads"
    batch_invariant = True  # the head runs per pair: an estimate never depends on its batch (qe_cache relies on it)

    def __init__(self, head_file: str = ADAPTER_FILE):
        torch = _torch()
        from .errors import UsageError

        if not os.path.exists(head_file):
            raise UsageError(f"quality-estimation weights missing: {head_file} (rebuild: bench/train/train_qe.py)")
        stored = np.load(head_file, allow_pickle=False)
        self.encoder = PairEncoder()
        self.tokenizer = self.encoder.tokenizer
        self.calls = 0  # pair forward passes, for the encoder-call statistics
        self.word_threshold = float(stored["config.word_threshold"])
        self.critical_threshold = float(stored["config.critical_threshold"])
        # A model's word probabilities mapped onto a reference scale (bench/calibrate/word_scale.py):
        # monotone knots, so that the checks' thresholds keep their false-alarm rate on human text.
        self.word_scale = ((stored["config.word_scale_from"].astype(np.float64),
                            stored["config.word_scale_to"].astype(np.float64))
                           if "config.word_scale_from" in stored.files else None)
        if "config.start" in stored.files:
            self._load_cross_encoder(stored)
            return
        self.cross = None
        # Heads over the same frozen features, each output from the head trained for it:
        # "word" (trained with the wrong-sense substitutions too) gives the word
        # probabilities, "sentence" (trained without them) HTER, and "critical" (trained
        # on all WMT21 critical-error pairs) the critical-error probability; files
        # without a "critical" head take it from "sentence".  Each head costs ~1-2 %.
        names = [name for name in ("word", "sentence", "critical") if f"{name}.project.0.weight" in stored.files]
        self.head = torch.nn.ModuleDict({name: self._stored_head(stored, name) for name in names})
        self.critical_head = "critical" if "critical" in names else "sentence"
        if any(not k.startswith(("config.", *(f"{name}." for name in names))) for k in stored.files):
            raise UsageError(f"quality-estimation weights: {head_file} holds arrays of no head")

    def _stored_head(self, stored, name: str):
        """The frozen-feature head (:func:`build_head`) stored under ``name.*``, ready to run."""
        torch = _torch()
        head = build_head(self.encoder.width, d_model=int(stored["config.d_model"]), layers=int(stored["config.layers"]))
        head.load_state_dict({k[len(name) + 1:]: torch.from_numpy(stored[k].astype(np.float32))
                              for k in stored.files if k.startswith(name + ".")}, strict=True)
        head.eval()
        return head

    def _load_cross_encoder(self, stored) -> None:
        """A fine-tuned cross-encoder: layers ``start`` .. ``end - 1`` of e5-small as the base
        weights plus stored differences, and linear word and sentence heads over layer ``end - 1``."""
        torch = _torch()
        from .errors import UsageError

        base = self.encoder.base
        start, end = int(stored["config.start"]), int(stored["config.end"])
        if not FEATURE_LAYERS[0] < start < end <= len(base.layers):
            raise UsageError(f"quality-estimation weights: layers {start}..{end} cannot be used")
        layers = list(base.layers)  # this encoder's own list: the sentence encoder is another object
        for i in range(start, end):
            layers[i] = {short: (w + torch.from_numpy(stored[f"layers.{i - start}.{short}_w"].astype(np.float32)),
                                 b + torch.from_numpy(stored[f"layers.{i - start}.{short}_b"].astype(np.float32)))
                         for short, (w, b) in base.layers[i].items()}
        base.layers = layers
        word, sentence = cross_heads(base.H)
        self.cross = {"end": end, "word": word, "sentence": sentence}
        for name in ("word", "sentence"):
            module = self.cross[name]
            module.load_state_dict({k: torch.from_numpy(stored[f"{name}_head.{k}"].astype(np.float32))
                                    for k in module.state_dict()}, strict=True)
            module.eval()
        if "critical.project.0.weight" in stored.files:
            # A head of the frozen-encoder kind trained over these layers' states (bench/train/train_qe.py
            # with MTLINT_QE_BASE): the critical probability and HTER come from it.
            if end - 1 != FEATURE_LAYERS[1]:
                raise UsageError(f"quality-estimation weights: a critical head needs layer {FEATURE_LAYERS[1]} last")
            self.cross["critical"] = self._stored_head(stored, "critical")

    def word_probabilities(self, probabilities) -> list[float]:
        """The model's word BAD probabilities, on the reference scale where the file has one."""
        values = np.asarray(probabilities, dtype=np.float64)
        if self.word_scale is not None:
            values = np.interp(values, *self.word_scale)
        return [float(x) for x in values]

    def _forward(self, ids, lengths, target_mask):
        """(states for word coverage (B, T, H), states for word links (B, T, H), critical logits (B,),
        HTER (B,), token BAD logits (B, T)).
        Heads run per pair: batched, their output moves in the last bit with the batch, and cached
        estimates (qe_cache) must not depend on what was computed beside them."""
        torch = _torch()

        def per_pair(head, features) -> list:
            """The head's outputs for each pair of the batch, run one pair at a time."""
            return [head(features[r:r + 1], lengths[r:r + 1], target_mask[r:r + 1]) for r in range(len(ids))]

        def output(outputs: list, k: int):
            return torch.cat([o[k] for o in outputs])

        if self.cross is None:
            features, link_states = self.encoder.features_and_links(ids, lengths)
            critical = output(per_pair(self.head[self.critical_head], features), 0)
            hter = output(per_pair(self.head["sentence"], features), 1)
            token_bad = output(per_pair(self.head["word"], features), 2)
            return features[..., :self.encoder.base.H], link_states, critical, hter, token_bad
        keep = sorted({FEATURE_LAYERS[0], LINK_LAYER, self.cross["end"] - 1})
        states = dict(zip(keep, self.encoder.base.layer_states(ids, lengths, keep, always_mask=True)))
        low, top = states[FEATURE_LAYERS[0]], states[self.cross["end"] - 1]
        token_bad = torch.cat([self.cross["word"](top[r:r + 1]).squeeze(-1) for r in range(len(ids))])
        if "critical" in self.cross:
            features = torch.cat([states[i] for i in FEATURE_LAYERS], dim=-1)
            outputs = per_pair(self.cross["critical"], features)
            critical, hter = output(outputs, 0), output(outputs, 1)
            return low, states[LINK_LAYER], critical, hter, token_bad
        pooled = pair_pooling(top, target_mask)
        sentence = torch.cat([self.cross["sentence"](pooled[r:r + 1]) for r in range(len(ids))])
        return low, states[LINK_LAYER], sentence[:, 0], sentence[:, 1], token_bad

    def estimate(self, pairs: list[tuple[str, str]], batch_size: int = 32) -> list[PairEstimate]:
        torch = _torch()
        from .embed import count_forward_passes

        prepared = []
        for source, target in pairs:
            s_spans, t_spans = words(source), words(target)
            enc = encode_pair(self.tokenizer, [source[a:b] for a, b in s_spans], [target[a:b] for a, b in t_spans])
            prepared.append((enc, s_spans, t_spans))
        results: list[PairEstimate | None] = [None] * len(prepared)
        # Batches hold pairs of one length only: no padding, so a pair's estimate
        # never depends on what it was batched with (byte-identical reports).
        by_length: dict[int, list[int]] = {}
        for i, (enc, _, _) in enumerate(prepared):
            by_length.setdefault(len(enc.ids), []).append(i)
        chunks = [group[k:k + batch_size] for _, group in sorted(by_length.items())
                  for k in range(0, len(group), batch_size)]
        with torch.inference_mode():
            for chunk in chunks:
                batch = [prepared[i][0] for i in chunk]
                ids, lengths, target_mask = collate(batch, self.tokenizer.special["pad"])
                align_states, link_states, critical, hter, token_bad = self._forward(ids, lengths, target_mask)
                self.calls += len(chunk)
                count_forward_passes("quality-estimation", len(chunk))
                for row, (i, wl) in enumerate(zip(chunk, word_logits(token_bad, batch))):
                    enc, s_spans, t_spans = prepared[i]
                    links = _align_words(align_states[row], enc)
                    results[i] = PairEstimate(
                        critical=float(torch.sigmoid(critical[row])), hter=float(hter[row].clamp(0, 1)),
                        word_spans=t_spans, word_bad=self.word_probabilities(torch.sigmoid(wl)),
                        alignment=links[0], source_spans=s_spans, source_alignment=links[1],
                        source_coverage=links[2], target_coverage=links[3],
                        word_links=_link_words(link_states[row], enc))
        return results  # type: ignore[return-value]


def _pooled(states, groups):
    """Per word, the mean of its tokens' states, unit length (zeros for a word with no tokens)."""
    torch = _torch()
    rows = [states[g].mean(0) if g else torch.zeros(states.shape[-1]) for g in groups]
    return torch.nn.functional.normalize(torch.stack(rows), dim=-1)


def _link_words(states, enc: Encoded) -> list[int]:
    """Per target word, the source word it renders (-1 where a side has no tokens): among its
    :data:`LINK_CANDIDATES` most similar source words the first whose own most similar target
    word it is, else the most similar."""
    if not enc.source_words or not enc.target_words:
        return [-1] * len(enc.target_words)
    sim = _pooled(states, enc.target_words) @ _pooled(states, enc.source_words).T
    back = sim.argmax(0).tolist()
    ranked = sim.topk(min(LINK_CANDIDATES, sim.shape[1]), dim=1).indices.tolist()
    links = []
    for i, candidates in enumerate(ranked):
        mutual = [j for j in candidates if back[j] == i and enc.source_words[j]]
        j = mutual[0] if mutual else candidates[0]
        links.append(j if enc.target_words[i] and enc.source_words[j] else -1)
    return links


def _align_words(states, enc: Encoded) -> tuple[list[int], list[int], list[float], list[float]]:
    """Per target word, the source word whose contextual state is most similar
    (cosine of mean token states), per source word the most similar target
    word (-1 where a side has no tokens), and those similarities (0.0 there):
    per source word, then per target word."""
    if not enc.source_words or not enc.target_words:
        return ([-1] * len(enc.target_words), [-1] * len(enc.source_words), [0.0] * len(enc.source_words),
                [0.0] * len(enc.target_words))

    sim = _pooled(states, enc.target_words) @ _pooled(states, enc.source_words).T
    (target_cover, best), (coverage, back) = ([v.tolist() for v in sim.max(d)] for d in (1, 0))
    return ([b if enc.target_words[i] and enc.source_words[b] else -1 for i, b in enumerate(best)],
            [t if enc.source_words[j] and enc.target_words[t] else -1 for j, t in enumerate(back)],
            [c if enc.source_words[j] and enc.target_words[t] else 0.0
             for j, (t, c) in enumerate(zip(back, coverage))],
            [c if enc.target_words[i] and enc.source_words[b] else 0.0
             for i, (b, c) in enumerate(zip(best, target_cover))])


def available() -> bool:
    """Whether the trained head is installed (a source checkout before bench/train/train_qe.py has none)."""
    return os.path.exists(ADAPTER_FILE)


@lru_cache(maxsize=1)
def get_estimator() -> QualityEstimator:
    return QualityEstimator()
