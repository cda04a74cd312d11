"""Sentence alignment on synthetic document families with gold links.

A *family* is a set of documents built deterministically (seeded) from
parallel text in ``../shared`` and edited at known rates, so that its gold
alignment is known exactly. Nothing is copied into the repository: the
script reads ``../shared`` at run time.

Parallel text (one *unit* = one gold link):

* ``mlqe``: MLQE-PE English-German (``wordqe/en-de-{train,dev}``), each
  English source line with its human post-edit (``.src``/``.pe``),
  detokenised; consecutive lines cut into documents; ``mlqe-mt``: the
  machine translation instead of the post-edit; ``mlqe-loose``: the machine
  translations with HTER >= 0.3 only (loose or partly wrong translations,
  which must still be linked);
* ``ced``: WMT21 critical-error detection, English-German train, the pairs
  labelled ``NOT`` (no critical error), machine translated, detokenised;
* ``ted``: TED MQM dev, the human reference (system ``ref``) of talks 1 and 5,
  consecutive segments (a segment may hold more than one sentence);
* topical families: MLQE-PE and CED lines are independent sentences; a
  topical family first chains them into runs of lines that share words
  (see :func:`topical_order`), so that neighbours look alike;
* ``bleualign``: the Bleualign dev gold links (German-French), in order,
  as units of any shape (null links kept), sentences outside every link or
  out of order dropped.

Edits (rates per unit, drawn in order with one seeded generator):

* ``merge21`` / ``merge31``: the targets of 2 or 3 adjacent 1-1 units joined
  into one sentence (2-1, 3-1 links); ``merge12`` / ``merge13``: the sources
  joined instead (1-2, 1-3 links: one long source sentence translated as
  several);
* ``split12``: a target sentence split in two at the comma nearest its
  middle (the first part closed with a full stop, the second capitalised);
* ``resplit22``: the targets of 2 adjacent 1-1 units joined and split again
  at another comma (2-2 links: the sentence boundary moved);
* ``debris``: a short line added to the target (0-1): a page number, a
  figure label, "* * *";
* ``delete``: a target sentence removed (1-0);
* ``insert``: a line added to the target after the unit (0-1), half the time
  boilerplate of the target language ("Lesen Sie auch: ..."), half the time a
  related headline: a short target sentence of another document of the same
  corpus;
* ``move``: per document, with this probability, a paragraph of 3 targets is
  moved 6-9 units further down. The gold is what a monotone aligner must
  report: its sources as 1-0 links, the moved targets as 0-1 links (mtlint's
  checks report a moved paragraph as an omission and an addition).

Directions: en-de as given, de-en by swapping the sides (the insertions are
then English), de-fr for Bleualign. Families marked ``train`` are built from
training splits and are the only ones used to choose settings
(``--tune``); ``dev`` families are measured, never tuned on.

Scores per family (documents summed) and per document (spread): strict and
lax F1 as in mtlint.evaluate (Vecalign's definitions), and null-link
precision and recall on sentences: a source sentence reported in a 1-0 link,
or a target sentence in a 0-1 link, is a hit when the gold leaves it unlinked
too.

    MTLINT_CACHE_DIR=/tmp/mtlint-bench-cache .venv/bin/python bench/align_families.py
    ... --families mlqe-train-ende-mix ted-ende-mix    # a subset
    ... --set null_penalty=0.08                         # any keyword of mtlint.align.align
    ... --show                                          # the families' link counts and one document
    ... --tune                                          # grid on the train families, leave-one-family-out
    ... --json out.json
"""
from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"

Unit = tuple[list[str], list[str]]   # source sentences, target sentences of one gold link


# --------------------------------------------------------------------------
# parallel text

_DETOK = [(re.compile(r" ([.,;:!?%)\]}])"), r"\1"), (re.compile(r"([(\[{]) "), r"\1"),
          (re.compile(r" 's\b"), "'s"), (re.compile(r" n't\b"), "n't"), (re.compile(r"  +"), " ")]


def detokenise(text: str) -> str:
    """Undoes the tokeniser's spaces before punctuation (MLQE-PE and CED are tokenised)."""
    text = text.strip()
    for pattern, repl in _DETOK:
        text = pattern.sub(repl, text)
    return text.strip()


def read_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def mlqe_units(split: str, target: str = "pe") -> list[Unit]:
    folder = SHARED / "wordqe" / f"en-de-{split}"
    src, pe = read_lines(folder / f"{split}.src"), read_lines(folder / f"{split}.{target}")
    return [([detokenise(s)], [detokenise(t)]) for s, t in zip(src, pe) if s.strip() and t.strip()]


def ced_units(split: str) -> list[Unit]:
    units = []
    with open(SHARED / "ced" / f"ende_majority_{split}.tsv", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 5 and row[-1] == "NOT" and row[1].strip() and row[2].strip():
                units.append(([detokenise(row[1])], [detokenise(row[2])]))
    return units


def ted_units(split: str) -> list[Unit]:
    assert split == "dev"
    segments = {}
    with open(SHARED / "mqm" / "mqm_ted_ende.dev.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["system"] == "ref":
                key = (int(row["doc_id"]), int(row["seg_id"]))
                segments[key] = ([row["source"].strip()], [row["target"].replace("<v>", "").replace("</v>", "").strip()])
    return [segments[key] for key in sorted(segments)]


def bleualign_units(split: str) -> list[Unit]:
    from mtlint.align import parse_vecalign

    folder = SHARED / "alignment"
    de, fr = read_lines(folder / f"{split}.de"), read_lines(folder / f"{split}.fr")
    units, next_src, next_tgt = [], 0, 0
    for src, tgt in parse_vecalign((folder / f"{split}.defr").read_text(encoding="utf-8")):
        if (src and src[0] < next_src) or (tgt and tgt[0] < next_tgt):
            continue   # out of order: a monotone document cannot hold it
        units.append(([de[i] for i in src], [fr[j] for j in tgt]))
        next_src = src[-1] + 1 if src else next_src
        next_tgt = tgt[-1] + 1 if tgt else next_tgt
    return units


def mlqe_mt_units(split: str) -> list[Unit]:
    return mlqe_units(split, "mt")


def mlqe_loose_units(split: str) -> list[Unit]:
    """MLQE-PE machine translations that post-editors changed a lot (HTER >= 0.3): loose
    or partly wrong translations, which an aligner must still link rather than drop."""
    folder = SHARED / "wordqe" / f"en-de-{split}"
    src, mt = read_lines(folder / f"{split}.src"), read_lines(folder / f"{split}.mt")
    hter = [float(x) for x in read_lines(folder / f"{split}.hter")]
    return [([detokenise(s)], [detokenise(t)]) for s, t, h in zip(src, mt, hter)
            if h >= 0.3 and s.strip() and t.strip()]


CORPORA = {"mlqe": mlqe_units, "mlqe-mt": mlqe_mt_units, "mlqe-loose": mlqe_loose_units, "ced": ced_units, "ted": ted_units, "bleualign": bleualign_units}

BOILERPLATE = {
    "de": ["Lesen Sie auch: Die wichtigsten Fragen und Antworten im Überblick", "Foto: dpa",
           "Mehr zum Thema", "Anzeige", "Quelle: eigene Recherche", "Weiterlesen nach der Werbung",
           "Alle Rechte vorbehalten.", "Teilen Sie diesen Artikel"],
    "en": ["Read more: The most important questions and answers at a glance", "Photo: AP",
           "Related coverage", "Advertisement", "Source: own research", "Continue reading below",
           "All rights reserved.", "Share this article"],
    "fr": ["Lire aussi : les questions les plus importantes en un coup d'œil", "Photo : AFP",
           "Sur le même sujet", "Publicité", "Source : recherche propre", "La suite après la publicité",
           "Tous droits réservés.", "Partagez cet article"],
}
DEBRIS = ["* * *", "– 12 –", "(Fortsetzung)", "Abb. 3", "I.", "2.", "Seite 4", "[…]"]


# --------------------------------------------------------------------------
# families

@dataclass(frozen=True)
class Family:
    name: str
    corpus: str
    split: str
    direction: str          # "ende", "deen" or "defr"
    role: str               # "train" (tuning) or "dev" (measured only)
    documents: int
    first: int              # first unit of the corpus used (families of one corpus use disjoint stretches)
    seed: int
    rates: dict = field(default_factory=dict)
    move: float = 0.0       # probability that a document has a moved paragraph
    sizes: tuple[int, int] = (28, 40)   # units per document before editing
    topical: bool = False   # documents chained by topic from a pool of independent lines (see topical_order)


MIX = dict(merge21=0.05, merge12=0.04, split12=0.03, merge13=0.015, merge31=0.015, delete=0.04, insert=0.04)
NULLS = dict(merge21=0.02, split12=0.02, delete=0.08, insert=0.08)
REAL = dict(merge21=0.05, merge12=0.05, resplit22=0.04, merge13=0.02, merge31=0.02, delete=0.04, insert=0.03,
            debris=0.03)
NM = dict(merge21=0.08, merge12=0.06, split12=0.05, merge13=0.03, merge31=0.03, delete=0.02, insert=0.02)

FAMILIES = [
    Family("mlqe-train-ende-mix", "mlqe", "train", "ende", "train", 6, 0, 11, MIX, 0.5),
    Family("mlqe-train-deen-nulls", "mlqe", "train", "deen", "train", 6, 400, 12, NULLS, 0.5),
    Family("mlqe-train-ende-nm", "mlqe", "train", "ende", "train", 6, 800, 13, NM, 0.0),
    Family("ced-train-ende-mix", "ced", "train", "ende", "train", 6, 0, 14, MIX, 0.5),
    Family("mlqe-train-ende-topic", "mlqe", "train", "ende", "train", 6, 2000, 15, MIX, 0.5, topical=True),
    Family("mlqe-train-deen-topic", "mlqe", "train", "deen", "train", 6, 3200, 16, NULLS, 0.5, topical=True),
    Family("ced-train-ende-topic", "ced", "train", "ende", "train", 6, 2000, 17, NM, 0.5, topical=True),
    Family("mlqemt-train-ende-real", "mlqe-mt", "train", "ende", "train", 6, 4400, 18, REAL, 0.5, topical=True),
    Family("mlqe-train-deen-real", "mlqe", "train", "deen", "train", 6, 5600, 19, REAL, 0.5, topical=True),
    Family("mlqeloose-train-ende-real", "mlqe-loose", "train", "ende", "train", 6, 0, 20, REAL, 0.5, topical=True),
    Family("ted-ende-mix", "ted", "dev", "ende", "dev", 5, 0, 21, MIX, 0.5, (36, 48)),
    Family("ted-deen-nulls", "ted", "dev", "deen", "dev", 5, 0, 22, NULLS, 0.5, (36, 48)),
    Family("mlqe-dev-ende-nm", "mlqe", "dev", "ende", "dev", 6, 0, 23, NM, 0.0),
    Family("mlqe-dev-deen-mix", "mlqe", "dev", "deen", "dev", 6, 0, 24, MIX, 0.5),
    Family("mlqe-dev-ende-topic", "mlqe", "dev", "ende", "dev", 6, 0, 26, MIX, 0.5, topical=True),
    Family("bleualign-defr-mix", "bleualign", "dev", "defr", "dev", 6, 0, 25, MIX, 0.5, (36, 48)),
    Family("ted-ende-real", "ted", "dev", "ende", "dev", 5, 0, 27, REAL, 0.5, (36, 48)),
]


@dataclass
class Document:
    family: str
    name: str
    source: list[str]
    target: list[str]
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]]


def _split_at_comma(text: str) -> tuple[str, str] | None:
    """The sentence cut at the comma nearest its middle into two sentences, or None."""
    cuts = [m.start() for m in re.finditer(r", ", text) if 15 <= m.start() <= len(text) - 15]
    if not cuts:
        return None
    cut = min(cuts, key=lambda c: abs(c - len(text) / 2))
    first, second = text[:cut].rstrip() + ".", text[cut + 2:].lstrip()
    return first, second[:1].upper() + second[1:]


def _resplit(first: str, second: str) -> tuple[str, str] | None:
    """Two sentences joined and cut again at a comma away from their boundary, or None."""
    joined = first + " " + second
    cuts = [m.start() for m in re.finditer(r", ", joined)
            if 15 <= m.start() <= len(joined) - 15 and abs(m.start() - len(first)) > 10]
    if not cuts:
        return None
    cut = min(cuts, key=lambda c: abs(c - len(joined) / 2))
    rest = joined[cut + 2:].lstrip()
    return joined[:cut].rstrip() + ".", rest[:1].upper() + rest[1:]


def _is_one_to_one(unit: Unit) -> bool:
    return len(unit[0]) == 1 and len(unit[1]) == 1


def edit_units(units: list[Unit], rates: dict, move: float, rng: random.Random, language: str,
               headlines: list[str]) -> list[Unit]:
    """The units after the family's edits, drawn left to right."""
    edits = sorted(rates)
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        draw, edit, acc = rng.random(), None, 0.0
        for name in edits:
            acc += rates[name]
            if draw < acc:
                edit = name
                break
        width = {"merge21": 2, "merge12": 2, "merge31": 3, "merge13": 3, "resplit22": 2}.get(edit, 1)
        group = units[i:i + width]
        if len(group) < width or not all(_is_one_to_one(u) for u in group):
            edit, width, group = None, 1, [unit]
        if edit in ("merge21", "merge31"):
            out.append(([u[0][0] for u in group], [" ".join(u[1][0] for u in group)]))
        elif edit in ("merge12", "merge13"):
            out.append(([" ".join(u[0][0] for u in group)], [u[1][0] for u in group]))
        elif edit == "resplit22" and _resplit(group[0][1][0], group[1][1][0]):
            out.append(([u[0][0] for u in group], list(_resplit(group[0][1][0], group[1][1][0]))))
        elif edit == "debris":
            out.append(unit)
            out.append(([], [rng.choice(DEBRIS)]))
        elif edit == "split12" and _is_one_to_one(unit) and _split_at_comma(unit[1][0]):
            out.append((unit[0], list(_split_at_comma(unit[1][0]))))
        elif edit == "delete" and unit[0] and unit[1]:
            out.append((unit[0], []))
        elif edit == "insert":
            out.append(unit)
            if rng.random() < 0.5:
                line = rng.choice(BOILERPLATE[language])
            else:
                line = rng.choice(headlines)
            out.append(([], [line]))
        else:
            out.append(unit)
        i += width
    if move and rng.random() < move and len(out) > 16:
        # a paragraph of 3 one-to-one units whose targets move 6-9 units further down
        for _ in range(20):
            start = rng.randrange(1, len(out) - 13)
            if all(_is_one_to_one(u) for u in out[start:start + 3]):
                distance = rng.randint(6, 9)
                block = out[start:start + 3]
                moved = [([], u[1]) for u in block]
                rest = [(u[0], []) for u in block]
                after = start + 3 + distance
                out = out[:start] + rest + out[start + 3:after] + moved + out[after:]
                break
    return out


def to_document(family: str, name: str, units: list[Unit]) -> Document:
    source, target, gold = [], [], []
    for src, tgt in units:
        s = tuple(range(len(source), len(source) + len(src)))
        t = tuple(range(len(target), len(target) + len(tgt)))
        source += src
        target += tgt
        if s and t:
            gold.append((s, t))
        else:   # a null unit: one null link per sentence
            gold += [((i,), ()) for i in s] + [((), (j,)) for j in t]
    return Document(family, name, source, target, gold)


_POOL = 1200   # independent lines a topical family draws its documents from


def topical_order(units: list[Unit], count: int) -> list[Unit]:
    """The units reordered into runs of topically close lines: each run starts at
    the first unused unit and goes on with the unused unit whose English side is
    nearest (TF-IDF cosine over words) to the last three. MLQE-PE and CED lines
    are independent sentences from many articles; chained this way, neighbours
    share names and vocabulary as the sentences of one article do, which is what
    makes real documents hard to align."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    english = [u[0][0] for u in units]
    matrix = TfidfVectorizer(lowercase=True, sublinear_tf=True, min_df=2).fit_transform(english)
    used = np.zeros(len(units), bool)
    order = []
    for start in range(len(units)):
        if used[start] or len(order) >= count:
            continue
        run = [start]
        used[start] = True
        while len(run) < 60 and len(order) + len(run) < count:
            centre = matrix[run[-3:]].mean(axis=0)
            sims = np.asarray(matrix @ np.asarray(centre).ravel()).ravel()
            sims[used] = -1.0
            nxt = int(np.argmax(sims))   # ties: the first
            if sims[nxt] <= 0.0:
                break
            run.append(nxt)
            used[nxt] = True
        order += run
    return [units[i] for i in order]


def build_family(family: Family, cache: dict) -> list[Document]:
    if (family.corpus, family.split) not in cache:
        cache[(family.corpus, family.split)] = CORPORA[family.corpus](family.split)
    units = cache[(family.corpus, family.split)]
    if family.topical:
        units = topical_order(units[family.first:family.first + _POOL], family.documents * family.sizes[1])
        family = Family(**{**vars(family), "first": 0})
    rng = random.Random(family.seed)
    lo, hi = family.sizes
    sizes = [rng.randint(lo, hi) for _ in range(family.documents)]
    if family.corpus in ("ted", "bleualign"):
        # small corpora: documents spread evenly over them (sizes drawn again, the first draw unused)
        step = max(1, (len(units) - hi) // max(1, family.documents - 1))
        stretches = [(k * step, min(len(units), k * step + rng.randint(lo, hi))) for k in range(family.documents)]
    else:   # consecutive stretches from family.first on
        ends = family.first + np.cumsum(sizes)
        stretches = [(int(end - size), int(end)) for end, size in zip(ends, sizes)]
    documents = []
    swap = family.direction == "deen"
    language = {"ende": "de", "deen": "en", "defr": "fr"}[family.direction]
    for number, (a, b) in enumerate(stretches):
        chunk = [(t, s) if swap else (s, t) for s, t in units[a:b]]
        # related headlines: short target sentences from outside this document, same corpus
        outside = [(t, s) if swap else (s, t) for s, t in units[b:b + 300] + units[max(0, a - 300):a]]
        headlines = sorted({u[1][0] for u in outside if len(u[1]) == 1 and 20 <= len(u[1][0]) <= 90})
        if not headlines:
            headlines = BOILERPLATE[language]
        edited = edit_units(chunk, family.rates, family.move, rng, language, headlines)
        documents.append(to_document(family.name, f"{family.name}/{number}", edited))
    return documents


def bleualign_dev() -> Document:
    from mtlint.align import parse_vecalign

    folder = SHARED / "alignment"
    return Document("bleualign-dev", "bleualign-dev", read_lines(folder / "dev.de"), read_lines(folder / "dev.fr"),
                    parse_vecalign((folder / "dev.defr").read_text(encoding="utf-8")))


# --------------------------------------------------------------------------
# scoring

def null_counts(gold, hyp) -> tuple[int, int, int]:
    """(hypothesis null sentences, gold null sentences, both), sentences named ("s", i) or ("t", j)."""
    def nulls(links):
        found = set()
        for src, tgt in links:
            if src and not tgt:
                found |= {("s", i) for i in src}
            elif tgt and not src:
                found |= {("t", j) for j in tgt}
        return found
    h, g = nulls(gold_pairs(hyp)), nulls(gold)
    return len(h), len(g), len(h & g)


def gold_pairs(links):
    return [(tuple(l.source), tuple(l.target)) if hasattr(l, "source") else l for l in links]


def summarise(documents: list[Document], hyps: list) -> dict:
    from mtlint.evaluate import score_alignment, score_alignments

    total = score_alignments([d.gold for d in documents], hyps)
    per_doc = [score_alignment(d.gold, h).f1_strict for d, h in zip(documents, hyps)]
    nh = ng = both = 0
    for d, h in zip(documents, hyps):
        a, b, c = null_counts(d.gold, h)
        nh, ng, both = nh + a, ng + b, both + c
    return {"documents": len(documents), "gold_links": total.gold_links,
            "f1_strict": total.f1_strict, "f1_lax": total.f1_lax,
            "precision_strict": total.precision_strict, "recall_strict": total.recall_strict,
            "doc_f1_min": min(per_doc), "doc_f1_median": statistics.median(per_doc), "doc_f1_max": max(per_doc),
            "doc_f1_sd": statistics.pstdev(per_doc),
            "null_gold": ng, "null_found": nh,
            "null_precision": both / nh if nh else (1.0 if not ng else 0.0),
            "null_recall": both / ng if ng else None,
            "per_document": [round(x, 4) for x in per_doc]}


def link_kinds(documents: list[Document]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in documents:
        for s, t in d.gold:
            key = f"{len(s)}-{len(t)}"
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


# --------------------------------------------------------------------------

class Vectors:
    """Sentence vectors of every document, encoded once (the cache answers repeats)."""

    def __init__(self, encoder) -> None:
        self.encoder = encoder
        self.table: dict[str, np.ndarray] = {}

    def prepare(self, documents: list[Document]) -> None:
        texts = sorted({s.strip() for d in documents for s in d.source + d.target if s.strip()} - set(self.table))
        if texts:
            rows = self.encoder.encode(texts)
            self.table.update(zip(texts, np.asarray(rows, np.float32)))

    def of(self, sentences: list[str]) -> np.ndarray:
        return np.stack([self.table[s.strip()] for s in sentences if s.strip()])


def run(documents: list[Document], vectors: Vectors, settings: dict) -> list:
    from mtlint.align import align

    hyps = []
    for d in documents:
        links = align(d.source, d.target, None, vectors=(vectors.of(d.source), vectors.of(d.target)), **settings)
        hyps.append([(l.source, l.target) for l in links])
    return hyps


def evaluate(families: dict[str, list[Document]], vectors: Vectors, settings: dict) -> dict[str, dict]:
    return {name: summarise(docs, run(docs, vectors, settings)) for name, docs in families.items()}


def table(results: dict[str, dict], roles: dict[str, str]) -> str:
    lines = ["| family | role | docs | gold links | strict F1 | lax F1 | per-doc strict F1 min / median / max (sd) "
             "| null P | null R (gold nulls) |", "|---|---|---:|---:|---:|---:|---|---:|---|"]
    for name, r in results.items():
        recall = "-" if r["null_recall"] is None else f"{r['null_recall']:.3f}"
        lines.append(f"| {name} | {roles.get(name, 'dev')} | {r['documents']} | {r['gold_links']} | {r['f1_strict']:.3f} "
                     f"| {r['f1_lax']:.3f} | {r['doc_f1_min']:.3f} / {r['doc_f1_median']:.3f} / {r['doc_f1_max']:.3f} "
                     f"({r['doc_f1_sd']:.3f}) | {r['null_precision']:.3f} | {recall} ({r['null_gold']}) |")
    return "\n".join(lines)


def calibration(documents: list[Document], vectors: Vectors) -> dict:
    """Margins in units of each document's typical 1-1 margin ``tau`` (median over its gold
    1-1 links), with the aligner's definitions (length-weighted group vectors, margin
    against the other side's mean): gold 1-1 links; each sentence of a gold n-m link
    against the link's other side ("parts"); each gold null sentence against the other
    side of a neighbouring gold link ("nulls", what absorbing it would look like)."""
    def unit(v):
        return v / np.linalg.norm(v)

    taus, ones, parts, nulls = [], [], [], []
    for d in documents:
        S, T = vectors.of(d.source), vectors.of(d.target)
        cs = np.array([len(x.strip()) for x in d.source], float)
        ct = np.array([len(x.strip()) for x in d.target], float)
        ms, mt = S.mean(0), T.mean(0)

        def group(V, C, idx):
            return unit((V[list(idx)] * np.sqrt(C[list(idx)])[:, None]).sum(0))

        def margin(x, y):
            return float(x @ y) - 0.5 * (float(x @ mt) + float(y @ ms))

        m11 = [margin(S[s[0]], T[t[0]]) for s, t in d.gold if len(s) == 1 and len(t) == 1]
        tau = float(np.median(m11))
        taus.append(tau)
        ones += [m / tau for m in m11]
        for s, t in d.gold:
            if s and t and (len(s) > 1 or len(t) > 1):
                X, Y = group(S, cs, s), group(T, ct, t)
                parts += [margin(S[i], Y) / tau for i in (s if len(s) > 1 else [])]
                parts += [margin(X, T[j]) / tau for j in (t if len(t) > 1 else [])]
        for k, (s, t) in enumerate(d.gold):
            if bool(s) == bool(t):
                continue
            for nb in (d.gold[k - 1] if k else None, d.gold[k + 1] if k + 1 < len(d.gold) else None):
                if nb and s and nb[1]:
                    nulls.append(margin(S[s[0]], group(T, ct, nb[1])) / tau)
                if nb and t and nb[0]:
                    nulls.append(margin(group(S, cs, nb[0]), T[t[0]]) / tau)

    def pct(values):
        return [round(float(x), 2) for x in np.percentile(values, [10, 50, 90])] if values else None
    return {"tau_min": round(min(taus), 3), "tau_max": round(max(taus), 3), "one_to_one": pct(ones),
            "parts": pct(parts), "parts_n": len(parts), "nulls": pct(nulls), "nulls_n": len(nulls)}


def parse_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def tuning_grid(grid_spec: list[str]) -> tuple[list[dict], dict[str, list]]:
    """Every combination of the axes ``NAME=V1,V2,...``; also the axes."""
    axes = {}
    for spec in grid_spec:
        key, values = spec.split("=", 1)
        axes[key] = [parse_value(v) for v in values.split(",")]
    keys = sorted(axes)
    return [dict(zip(keys, combo)) for combo in itertools.product(*(axes[k] for k in keys))], axes


def _neighbours(point: dict, grid: list[dict], axes: dict[str, list]) -> list[int]:
    """Grid points one step away from ``point`` along one axis, and the point itself."""
    found = []
    for k, other in enumerate(grid):
        steps = [abs(axes[a].index(other[a]) - axes[a].index(point[a])) for a in axes]
        if sum(steps) <= 1:
            found.append(k)
    return found


def tune(train: dict[str, list[Document]], vectors: Vectors, base: dict, grid: list[dict],
         axes: dict[str, list]) -> dict:
    """Scores every grid point on every train family. A point is judged by its
    plateau: the lowest mean strict F1 over itself and its grid neighbours (one
    step along one axis), means taken over the families used; ties go to the
    higher mean, then to the earlier point. Used with all train families (the
    choice) and with all but one (leave-one-family-out)."""
    scores = []
    for point in grid:
        res = evaluate(train, vectors, {**base, **point})
        scores.append({"point": point, "f1": {k: v["f1_strict"] for k, v in res.items()},
                       "null_p": {k: v["null_precision"] for k, v in res.items()},
                       "null_r": {k: v["null_recall"] for k, v in res.items()}})
        print(f"  {point}: " + " ".join(f"{k}={v['f1_strict']:.3f}" for k, v in res.items())
              + f" mean={statistics.mean(v['f1_strict'] for v in res.values()):.4f}", file=sys.stderr, flush=True)
    near = [_neighbours(p, grid, axes) for p in grid]

    def best(names):
        means = [statistics.mean(s["f1"][n] for n in names) for s in scores]
        plateau = [min(means[k] for k in near[i]) for i in range(len(grid))]
        index = max(range(len(grid)), key=lambda i: (round(plateau[i], 6), round(means[i], 6), -i))
        return scores[index], plateau[index]

    names = list(train)
    chosen, plateau = best(names)
    lofo = {}
    for left in names:
        pick, _ = best([n for n in names if n != left])
        lofo[left] = {"point": pick["point"], "f1": pick["f1"][left], "tuned_f1": chosen["f1"][left]}
    return {"chosen": chosen, "plateau": plateau, "lofo": lofo, "grid": scores}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", nargs="+", help="names (default: all); 'train' or 'dev' for a role")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--no-bleualign-dev", action="store_true", help="skip the Bleualign dev document")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--calibration", action="store_true",
                        help="margins of gold links in units of each document's typical 1-1 margin")
    parser.add_argument("--tune", nargs="*", metavar="NAME=V1,V2", help="grid axes; tuned on train families only")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"no shared data at {SHARED}", file=sys.stderr)
        return 2

    chosen = [f for f in FAMILIES if not args.families or f.name in args.families or f.role in args.families]
    roles = {f.name: f.role for f in FAMILIES}
    cache: dict = {}
    families = {f.name: build_family(f, cache) for f in chosen}
    if args.show:
        for name, docs in families.items():
            sizes = [(len(d.source), len(d.target)) for d in docs]
            print(f"{name}: {len(docs)} documents, sentences {sizes}, links {link_kinds(docs)}")
        d = next(iter(families.values()))[0]
        for s, t in d.gold:
            print(s, t, " | ".join(d.source[i] for i in s)[:70], "||", " | ".join(d.target[j] for j in t)[:70])
        return 0

    from mtlint.embed import get_encoder

    settings = {k: parse_value(v) for k, v in (s.split("=", 1) for s in args.set)}
    vectors = Vectors(get_encoder())
    start = time.perf_counter()
    everything = [d for docs in families.values() for d in docs]
    dev_doc = None if args.no_bleualign_dev else bleualign_dev()
    vectors.prepare(everything + ([dev_doc] if dev_doc else []))
    encode_seconds = time.perf_counter() - start
    out: dict = {"settings": settings, "links": {n: link_kinds(d) for n, d in families.items()}}
    if args.calibration:
        print("| family | tau (min-max over documents) | gold 1-1 / tau (p10 p50 p90) | parts of n-m links / tau "
              "| null sentences vs the neighbouring link / tau |\n|---|---|---|---|---|")
        for name, docs in families.items():
            c = calibration(docs, vectors)
            print(f"| {name} | {c['tau_min']:.3f}-{c['tau_max']:.3f} | {c['one_to_one']} | {c['parts']} ({c['parts_n']}) "
                  f"| {c['nulls']} ({c['nulls_n']}) |")
        return 0

    if args.tune is not None:
        train = {n: d for n, d in families.items() if roles[n] == "train"}
        grid, axes = tuning_grid(args.tune)
        result = tune(train, vectors, settings, grid, axes)
        out["tuning"] = result
        print("| left-out family | setting chosen on the others | its strict F1 | with the setting tuned on all |")
        print("|---|---|---:|---:|")
        for left, r in result["lofo"].items():
            print(f"| {left} | {r['point']} | {r['f1']:.3f} | {r['tuned_f1']:.3f} |")
        print(f"\nchosen on all train families: {result['chosen']['point']} (plateau mean strict F1 "
              f"{result['plateau']:.4f})")
        settings = {**settings, **result["chosen"]["point"]}

    start = time.perf_counter()
    results = evaluate(families, vectors, settings)
    if dev_doc:
        results["bleualign-dev"] = summarise([dev_doc], run([dev_doc], vectors, settings))
    out["results"] = results
    print(f"settings: {settings or 'defaults'}; encoding {encode_seconds:.1f} s, "
          f"alignment {time.perf_counter() - start:.1f} s")
    print(table(results, roles))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
