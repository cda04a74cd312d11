"""Sentence alignment (mtlint.align) and its scorer (mtlint.evaluate)."""
from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtlint.align import Link, align, anchors, link_types, parse_vecalign, to_vecalign, weak_boundary
from mtlint.evaluate import score_alignment, score_alignments

pytestmark = pytest.mark.model  # runs the real encoder and quality-estimation model

ALIGNMENT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "alignment"

# An English article and a German translation of it with, in order: a 1-2
# link (the mayor's sentence split in two), an added boilerplate line
# ("Lesen Sie auch"), a 2-1 link (two sentences merged), an omitted source
# sentence (the weather).
EN = [
    "The city council approved the new budget on Tuesday evening.",
    "It includes 12,000 euros for the renovation of the public library.",
    "The mayor said the library would reopen in the spring, and she thanked the volunteers "
    "who had collected donations for two years.",
    "Critics argued that the money should rather go to the schools.",
    "The teachers' union has asked for new computers since 2021.",
    "The roads are in poor condition.",
    "Many residents have complained about potholes.",
    "A new bus line will connect the old town with the train station.",
    "Tickets will cost 2.50 euros.",
    "The weather was sunny all week.",
    "Four council members voted against the budget.",
    "The next council meeting will take place in March.",
]
DE = [
    "Der Stadtrat hat am Dienstagabend den neuen Haushalt beschlossen.",
    "Er enthält 12.000 Euro für die Renovierung der öffentlichen Bibliothek.",
    "Die Bürgermeisterin sagte, die Bibliothek werde im Frühjahr wieder öffnen.",
    "Sie dankte den Freiwilligen, die zwei Jahre lang Spenden gesammelt hatten.",
    "Kritiker meinten, das Geld solle besser in die Schulen fließen.",
    "Die Lehrergewerkschaft fordert seit 2021 neue Computer.",
    "Lesen Sie auch: Die besten Rezepte für heiße Sommertage",
    "Die Straßen sind in schlechtem Zustand, und viele Anwohner haben sich über Schlaglöcher beschwert.",
    "Eine neue Buslinie soll die Altstadt mit dem Bahnhof verbinden.",
    "Fahrkarten werden 2,50 Euro kosten.",
    "Vier Ratsmitglieder stimmten gegen den Haushalt.",
    "Die nächste Ratssitzung findet im März statt.",
]
EXPECTED = [
    ((0,), (0,)),
    ((1,), (1,)),
    ((2,), (2, 3)),        # 1-2: the target splits the sentence
    ((3,), (4,)),
    ((4,), (5,)),
    ((), (6,)),            # added in the target
    ((5, 6), (7,)),        # 2-1: the target merges two sentences
    ((7,), (8,)),
    ((8,), (9,)),
    ((9,), ()),            # omitted from the target
    ((10,), (10,)),
    ((11,), (11,)),
]


def pairs(links):
    return [(link.source, link.target) for link in links]


def assert_well_formed(links, n_source, n_target):
    """Monotone links covering every sentence exactly once, in order."""
    sources = [i for link in links for i in link.source]
    targets = [j for link in links for j in link.target]
    assert sources == list(range(n_source))
    assert targets == list(range(n_target))
    for link in links:
        assert link.source or link.target
        assert link.source == tuple(range(link.source[0], link.source[-1] + 1)) if link.source else True
        assert link.target == tuple(range(link.target[0], link.target[-1] + 1)) if link.target else True
        assert 0.0 <= link.score <= 1.0
        assert link.is_null == (not link.source or not link.target)
        if link.is_null:
            assert link.score == 0.0


# --------------------------------------------------------------------------
# with the real encoder

def test_toy_article(encoder):
    links = align(EN, DE, encoder.encode)
    assert pairs(links) == EXPECTED
    assert_well_formed(links, len(EN), len(DE))
    assert [link.kind for link in links if link.is_null] == ["0-1", "1-0"]
    # the scores of real links sit well above zero
    assert min(link.score for link in links if not link.is_null) > 0.2


def test_omission_next_to_an_addition(encoder):
    # the bus-line sentence replaced by one from another story: its source is
    # omitted and the stranger added, not one poor 1-1 link
    target = DE[:8] + ["Der Gipfel war in dichten Nebel gehüllt, als die Seilschaft im Morgengrauen aufbrach."] + DE[9:]
    got = pairs(align(EN, target, encoder.encode))
    assert ((7,), ()) in got and ((), (8,)) in got
    assert [p for p in got if p not in {((7,), ()), ((), (8,))}] == [p for p in EXPECTED if p != ((7,), (8,))]
    # without the document-relative floor the two hide inside a link
    unfloored = pairs(align(EN, target, encoder.encode, floor_weight=0.0))
    assert ((7,), ()) not in unfloored and ((), (8,)) not in unfloored


def test_blank_sentences(encoder):
    # blanks at the edges and between links become null links; a blank inside
    # a group of its own side joins that link; none is sent to the encoder
    source = ["", *EN[:3], "  ", *EN[3:]]
    target = [*DE[:3], "", *DE[3:], ""]
    asked = []

    def encode(texts):
        asked.extend(texts)
        return encoder.encode(texts)

    links = align(source, target, encode)
    assert_well_formed(links, len(source), len(target))
    assert "" not in asked and "  " not in asked
    got = pairs(links)
    assert got[0] == ((0,), ())
    assert ((3,), (2, 3, 4)) in got            # the blank target 3 joins the 1-2 link
    assert ((4,), ()) in got                   # the blank source line between two links
    assert got[-1] == ((), (len(target) - 1,))
    # the rest is the alignment without blanks, shifted
    shift_src = {i: i + 1 if i < 3 else i + 2 for i in range(len(EN))}
    shift_tgt = {j: j if j < 3 else j + 1 for j in range(len(DE))}
    expected = [(tuple(shift_src[i] for i in s), tuple(shift_tgt[j] for j in t)) for s, t in EXPECTED]
    expected = [(s, tuple(range(t[0], t[-1] + 1)) if t else t) for s, t in expected]
    assert [p for p in got if p not in {((0,), ()), ((4,), ()), ((), (len(target) - 1,))}] == expected


def test_empty_sides(encoder):
    assert pairs(align([], ["Hallo."], encoder.encode)) == [((), (0,))]
    assert pairs(align(["Hello.", ""], [], encoder.encode)) == [((0,), ()), ((1,), ())]
    assert align([], [], encoder.encode) == []
    links = align(["", ""], ["", "Hallo."], encoder.encode)
    assert_well_formed(links, 2, 2)
    assert set(pairs(links)) == {((0,), ()), ((1,), ()), ((), (0,)), ((), (1,))}


@pytest.mark.skipif(not (ALIGNMENT_DATA / "dev.defr").exists(), reason="../shared Bleualign data absent")
def test_bleualign_dev(encoder):
    """The Bleualign dev set (one document, 468 German and 554 French lines):
    measured strict F1 0.931, lax F1 0.989 (docs/alignment-figures.md)."""
    def lines(name):
        text = (ALIGNMENT_DATA / name).read_text(encoding="utf-8").split("\n")
        return text[:-1] if text[-1] == "" else text

    source, target = lines("dev.de"), lines("dev.fr")
    gold = parse_vecalign((ALIGNMENT_DATA / "dev.defr").read_text(encoding="utf-8"))
    asked = []

    def encode(texts):
        asked.extend(texts)
        return encoder.encode(texts)

    links = align(source, target, encode)
    assert_well_formed(links, len(source), len(target))
    assert len(asked) == len(source) + len(target)       # one encoder text per sentence
    scores = score_alignment(gold, links)
    assert scores.f1_strict >= 0.92
    assert scores.f1_lax >= 0.98


# --------------------------------------------------------------------------
# with a fake encoder: the search itself

DIM = 32


def fake_vector(text: str) -> np.ndarray:
    """A fixed random unit vector per text; "t:<k>" texts are noisy copies of "s:<k>"."""
    key = text.split()[0][2:] if text[:2] in ("s:", "t:") else text
    rng = np.random.default_rng(zlib.crc32(key.encode()))
    v = rng.normal(size=DIM)
    if text.startswith("t:"):
        v = v + 0.35 * np.random.default_rng(zlib.crc32(text.encode())).normal(size=DIM)
    return v / np.linalg.norm(v)


def fake_encode(texts):
    return np.array([fake_vector(t) for t in texts], dtype=np.float32).reshape(len(texts), DIM)


def synthetic_pair(n: int, seed: int):
    """Source s:0..n-1; target = translations t:k with some dropped and some junk added."""
    rng = np.random.default_rng(seed)
    source = [f"s:{k} " + "x" * int(rng.integers(40, 120)) for k in range(n)]
    target, truth = [], []
    for k in range(n):
        if rng.random() < 0.03:
            truth.append(((k,), ()))
            continue
        if rng.random() < 0.03:
            target.append(f"junk {k} " + "y" * 60)
            truth.append(((), (len(target) - 1,)))
        target.append(f"t:{k} " + "x" * len(source[k]))
        truth.append(((k,), (len(target) - 1,)))
    return source, target, truth


def test_synthetic_recovery_and_coarse_search():
    source, target, truth = synthetic_pair(600, seed=1)
    coarse = align(source, target, fake_encode, coarse_size=16, anchor_weight=0.0)
    full = align(source, target, fake_encode, coarse_size=10_000, anchor_weight=0.0)
    assert pairs(coarse) == pairs(full)            # the banded search loses nothing here
    assert score_alignment(truth, coarse).f1_strict > 0.97
    assert_well_formed(coarse, len(source), len(target))


def test_encoder_calls_and_determinism():
    source, target, _ = synthetic_pair(120, seed=2)
    calls = []

    def encode(texts):
        calls.append(len(texts))
        return fake_encode(texts)

    first = align(source, target, encode)
    assert calls == [len(source), len(target)]
    assert align(source, target, encode) == first
    calls.clear()
    align(source, target, encode, encoded_overlap=2)
    assert calls == [len(source), len(target), len(source) - 1, len(target) - 1]


sentences = st.lists(st.one_of(st.just(""), st.just(" "), st.text("abcdefgh .", min_size=1, max_size=30)),
                     max_size=40)


@settings(max_examples=60, deadline=None)
@given(sentences, sentences, st.integers(2, 6), st.integers(3, 8))
def test_links_cover_everything_in_order(source, target, max_overlap, coarse_size):
    links = align(source, target, fake_encode, max_overlap=max_overlap, max_link=max_overlap + 2,
                  coarse_size=coarse_size, band=2)
    assert_well_formed(links, len(source), len(target))


def test_link_types():
    assert link_types(2, 4) == [(1, 1), (1, 0), (1, 2), (2, 1), (2, 2)]
    assert (1, 5) in link_types(5, 7) and (2, 5) in link_types(5, 7) and (3, 5) not in link_types(5, 7)


# --------------------------------------------------------------------------
# features

def test_anchors_normalise_numbers():
    assert {"#12000", "#88398"} <= anchors("12,000 Meter, 8839,8 m")
    assert {"#12000", "#88398"} <= anchors("12.000 mètres, 8839.8 m")
    assert "Everest" in anchors("Mount Everest") and "der" not in anchors("der Berg")


def test_weak_boundary():
    assert weak_boundary("Erstersteigung 1933 durch B.M .", "Abalakow , seitdem besucht .")
    assert weak_boundary("Literatur :", "Die Alpen 1956 .")
    assert weak_boundary("Er kam ;", "dann ging er .")
    assert not weak_boundary("Er kam um 5 Uhr .", "Dann ging er .")
    assert not weak_boundary("It rained.", "The roads were wet.")


# --------------------------------------------------------------------------
# the Vecalign format

def test_vecalign_format_round_trip():
    links = [Link((0,), (0, 1), 0.5), Link((1, 2), (2,), 0.7), Link((3,), (), 0.0), Link((), (3,), 0.0)]
    text = to_vecalign(links)
    assert text == "[0]:[0, 1]\n[1, 2]:[2]\n[3]:[]\n[]:[3]\n"
    assert parse_vecalign(text) == pairs(links)
    assert parse_vecalign("[0]:[0]:0.156006\n\n[1, 2]:[]\n") == [((0,), (0,)), ((1, 2), ())]
    with pytest.raises(ValueError):
        parse_vecalign("[0] [1]\n")
    assert to_vecalign([]) == ""


# --------------------------------------------------------------------------
# the scorer (Vecalign's score.py definitions)

GOLD = [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((), (3,)), ((3,), (4,))]
HYP = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), ()), ((), (3,)), ((3,), (4,))]


def test_scorer_hand_computed():
    s = score_alignment(GOLD, HYP)
    # precision over all 6 hypothesis links: 4 exact (two of them null links
    # found in the gold); [1]:[1] meets gold [1]:[1, 2] on both sides (lax);
    # []:[2] is a null link the gold lacks: never a lax hit.
    assert (s.hypothesis_links, s.precision_hits_strict, s.precision_hits_lax) == (6, 4, 5)
    # recall over the 3 non-null gold links, against the non-null hypothesis links
    assert (s.gold_links, s.recall_hits_strict, s.recall_hits_lax) == (3, 2, 3)
    assert s.precision_strict == pytest.approx(4 / 6) and s.recall_strict == pytest.approx(2 / 3)
    assert s.f1_strict == pytest.approx(2 / 3)
    assert s.precision_lax == pytest.approx(5 / 6) and s.recall_lax == 1.0
    assert s.f1_lax == pytest.approx(10 / 11)


def test_scorer_edge_cases():
    perfect = score_alignment(GOLD, [Link(s, t, 1.0) for s, t in GOLD] + [Link(*GOLD[0], 0.3)])
    assert perfect.f1_strict == 1.0 and perfect.f1_lax == 1.0      # Link objects; duplicates count once
    empty = score_alignment(GOLD, [])
    assert (empty.precision_strict, empty.recall_strict, empty.f1_strict) == (0.0, 0.0, 0.0)
    assert score_alignment([((), ())], [((), ())]).f1_strict == 0.0  # links empty on both sides are ignored
    # crossed links meet no gold link on both sides at once: not even lax hits
    s = score_alignment([((0,), (0,)), ((1,), (1,))], [((0,), (1,)), ((1,), (0,))])
    assert (s.precision_hits_lax, s.recall_hits_lax) == (0, 0)
    # a merged link that overlaps each gold link is a lax hit both ways
    s = score_alignment([((0,), (0,)), ((1,), (1,))], [((0, 1), (0, 1))])
    assert (s.precision_hits_strict, s.precision_hits_lax, s.recall_hits_lax) == (0, 1, 2)


def test_scorer_sums_counts_over_documents():
    both = score_alignments([GOLD, GOLD], [HYP, GOLD])
    assert both.hypothesis_links == 11 and both.precision_hits_strict == 4 + 5
    assert both.precision_strict == pytest.approx(9 / 11)
    with pytest.raises(ValueError):
        score_alignments([GOLD], [])


# --------------------------------------------------------------------------
# the corpus: every article against its reconstructed original (references/README.md)

# Unpaired sentences per article, read by hand against the reference:
# (source sentences the German lacks, target sentences the original lacks),
# each target one by the start of its text.
CORPUS_UNPAIRED = {
    # 000, 002: faithful translations, one German sentence per original one
    "000_82a9c39d3c60c71b": ([], []),
    "002_cc69014236208990": ([], []),
    # 001: the headline is printed three times (the reference keeps one: the first,
    # the one with the full stop); "Lesen Sie auch" and "Werbung" are page furniture
    "001_b6670fa3503a2af5": ([], ["Nordkorea schickt mehr Truppen", "Nordkorea schickt mehr Truppen",
                                  "Lesen Sie auch", "Werbung"]),
    # 003: "Lesen Sie auch" and the six headlines of other stories after the article
    "003_70f45af898db9f89": ([], ["Lesen Sie auch", "- Ukrainer haben", "- Russland sendet", "- ISW:",
                                  "- Der Feind", "- Bojka:", "- Ehemaliger Arzt"]),
    # 004: the aggregator's "Related News :" line at the end (the duplicated
    # attribution the reference drops lies inside a sentence, not a sentence of its own)
    "004_2b3cd93104af1e43": ([], ["Related News :"]),
}


def corpus_report(stem):
    from mtlint.pipeline import Options, check_documents
    from mtlint.formats import read_document

    root = Path(__file__).resolve().parents[1]
    reference = sorted((root / "references").glob(stem + ".*.txt"))[0]
    return check_documents(read_document(reference), read_document(root / "corpus" / (stem + ".txt")),
                           Options(enable=["omission", "addition"]))


@pytest.mark.parametrize("stem", sorted(CORPUS_UNPAIRED))
def test_corpus_unpaired_sentences(stem):
    report = corpus_report(stem)
    assert_well_formed(report.links, len(report.source_sentences), len(report.target_sentences))
    expected_source, expected_target = CORPUS_UNPAIRED[stem]
    source = [report.source_sentences[link.source[0]].text(report.source.text)
              for link in report.links if not link.target]
    target = [report.target_sentences[link.target[0]].text(report.target.text)
              for link in report.links if not link.source]
    assert len(source) == len(expected_source) and all(s.startswith(e) for s, e in zip(source, expected_source))
    assert len(target) == len(expected_target) and all(t.startswith(e) for t, e in zip(target, expected_target))
    # everything else is paired: 1-1, except 001's closing quote of four sentences,
    # which the Ukrainian segmenter keeps as one sentence inside « »
    kinds = sorted({link.kind for link in report.links if not link.is_null})
    assert kinds == (["1-1", "1-4"] if stem.startswith("001") else ["1-1"])


def test_corpus_additions_are_named_for_what_they_are():
    found = []          # (article, target text, message)
    for stem in ("001_b6670fa3503a2af5", "003_70f45af898db9f89", "004_2b3cd93104af1e43"):
        report = corpus_report(stem)
        for issue in report.issues:
            # no omission anywhere; every addition is page furniture: minor, to be deleted
            assert issue.check == "addition" and issue.severity == "minor" and issue.suggestion == "delete it"
            found.append((stem[:3], issue.target_text, issue.message))
    headlines = [m for _, text, m in found if text.startswith("Nordkorea schickt")]
    assert len(headlines) == 2 and all(m.startswith("repeated headline") for m in headlines)
    related = [m for stem, _, m in found if stem == "003"]
    assert len(related) == 7 and all("related-story list" in m for m in related)
    assert "heading of a list of other headlines" in related[0]          # "Lesen Sie auch" above the list
    labels = {(stem, text): m for stem, text, m in found if not text.startswith(("Nordkorea", "-"))}
    assert labels.keys() == {("001", "Lesen Sie auch"), ("001", "Werbung"), ("003", "Lesen Sie auch"),
                             ("004", "Related News :")}
    for key in (("001", "Lesen Sie auch"), ("001", "Werbung"), ("004", "Related News :")):
        assert labels[key].startswith("not article text: a ") and "label" in labels[key]


# --------------------------------------------------------------------------
# null links in units of the document's own similarities

COMMON = np.random.default_rng(7).normal(size=64)


def scaled_encode(noise: float, shared: float):
    """A fake encoder for documents of a chosen similarity scale: "S:k" and its
    translation "T:k" share a random vector, the translation blurred by
    ``noise``; "J:k" (junk) is unrelated; every vector leans on one common
    direction by ``shared``, as sentence embeddings do, which shrinks every
    margin. Texts start with a capital so that no break between them looks
    doubtful (see weak_boundary)."""
    unit_common = COMMON / np.linalg.norm(COMMON)

    def vector(text: str) -> np.ndarray:
        kind, key = text.split()[0].split(":")
        v = np.random.default_rng(zlib.crc32((("junk" if kind == "J" else "") + key).encode())).normal(size=64)
        if kind == "T":
            v = v + noise * np.random.default_rng(zlib.crc32(text.encode())).normal(size=64)
        v = v / np.linalg.norm(v) + shared * unit_common
        return v / np.linalg.norm(v)

    return lambda texts: np.array([vector(t) for t in texts], dtype=np.float32).reshape(len(texts), 64)


def pair_with_nulls(n: int, seed: int):
    """Every 7th source sentence (from the 4th) left untranslated, a junk line
    added before every 9th translation (from the 6th)."""
    rng = np.random.default_rng(seed)
    source = [f"S:{k} " + "x" * int(rng.integers(40, 120)) for k in range(n)]
    target, truth = [], []
    for k in range(n):
        if k % 7 == 3:
            truth.append(((k,), ()))
            continue
        if k % 9 == 5:
            target.append(f"J:{k} " + "y" * 60)
            truth.append(((), (len(target) - 1,)))
        target.append(f"T:{k} " + "x" * len(source[k]))
        truth.append(((k,), (len(target) - 1,)))
    return source, target, truth


# The relative null model (not the default: see align()'s docstring).
RELATIVE = {"null_ratio": 0.2, "cover_ratio": 0.2, "coverage_weight": 2.0}


@pytest.mark.parametrize("noise, shared", [(0.5, 0.0), (0.5, 2.0), (1.0, 3.0), (0.6, 4.0)])
def test_null_links_hold_at_any_similarity_scale(noise, shared):
    # from clear translations (margins near 1) to blurred ones leaning on a
    # common direction (margins near 0.05, as with e5 on real text), the
    # same relative settings find every omission and addition and nothing else
    encode = scaled_encode(noise, shared)
    for seed in range(3):
        source, target, truth = pair_with_nulls(40, seed)
        links = align(source, target, encode, **RELATIVE)
        assert set(pairs(links)) == set(truth)    # adjacent null links may come in either order
        assert_well_formed(links, len(source), len(target))


def test_fixed_null_penalty_loses_nulls_on_low_similarity_documents():
    # the same documents with the null cost and coverage threshold fixed in
    # cosine units (null_ratio=0, cover_ratio=0): on the low-similarity
    # pairs, omitted sentences hide inside neighbouring links
    encode = scaled_encode(1.0, 3.0)
    lost = 0
    for seed in range(3):
        source, target, truth = pair_with_nulls(40, seed)
        got = set(pairs(align(source, target, encode, null_ratio=0.0, cover_ratio=0.0, coverage_weight=2.0)))
        lost += sum(1 for link in truth if not (link[0] and link[1]) and link not in got)
    assert lost >= 3


SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.mark.skipif(not (SHARED_DATA / "wordqe" / "en-de-train").exists() or not (SHARED_DATA / "mqm").exists(),
                    reason="../shared/data (MLQE-PE, TED MQM) not available")
def test_alignment_families_have_exact_gold():
    # bench/eval/align_families.py: every document's gold is a monotone cover of
    # both sides, rebuilt identically, with the edits' link kinds present
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[1] / "bench" / "eval" / "align_families.py"
    spec = importlib.util.spec_from_file_location("align_families", path)
    af = importlib.util.module_from_spec(spec)
    sys.modules["align_families"] = af     # dataclasses look their module up while the file runs
    spec.loader.exec_module(af)

    chosen = [f for f in af.FAMILIES if f.name in ("mlqe-train-ende-mix", "mlqe-train-deen-real", "ted-ende-mix")]
    first = {f.name: af.build_family(f, {}) for f in chosen}
    again = {f.name: af.build_family(f, {}) for f in chosen}
    kinds = set()
    for name, docs in first.items():
        assert [(d.source, d.target, d.gold) for d in docs] == [(d.source, d.target, d.gold) for d in again[name]]
        for d in docs:
            assert 20 <= len(d.source) <= 70 and 20 <= len(d.target) <= 70
            assert [i for s, _ in d.gold for i in s] == list(range(len(d.source)))
            assert [j for _, t in d.gold for j in t] == list(range(len(d.target)))
            kinds |= {f"{len(s)}-{len(t)}" for s, t in d.gold}
    assert {"1-1", "1-0", "0-1", "1-2", "2-1", "1-3", "2-2"} <= kinds
    # the de-en family is the en-de text with its sides swapped: German sources
    german = first["mlqe-train-deen-real"][0].source
    assert sum(w in " ".join(german).split() for w in ("der", "die", "und")) == 3
