"""The learned quality-estimation model, the dictionary and the checks built on them."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import SHARED

from mtlint.resources.lexicon import parse_ding
from mtlint.qe import words

pytestmark = pytest.mark.model  # runs the real encoder and quality-estimation model


def test_words_cover_text_and_split_punctuation():
    text = "Er sagte: „Nein.“ Das war's – 12,5 %."
    spans = words(text)
    assert [text[a:b] for a, b in spans][:5] == ["Er", "sagte", ":", "„", "Nein"]
    assert all(text[a:b].strip() == text[a:b] and a < b for a, b in spans)


def test_ding_slots_map_inflected_forms():
    lines = [
        "etw. sanktionieren [geh.]; dulden {vt} | sanktionierend; duldend | sanktioniert; geduldet :: "
        "to sanction sth. | sanctioning | sanctioned\n",
        "Haus {n} | Häuser {pl} :: house | houses\n",
        "# comment :: ignored\n",
        "etw. vermuten; argwöhnen {vt} | vermutend | vermutet :: to suspect sth. / that … | suspecting | suspected\n",
    ]
    index = parse_ding(lines)
    assert index["suspect"] == ["vermuten", "argwöhnen"]  # the term ends where its complement's alternatives begin
    assert "follow" not in parse_ding(["auf etw. / einer Sache folgen {vi} :: to follow sth.\n"])  # not "auf"
    assert index["sanctioned"] == ["sanktioniert", "geduldet"]
    assert index["sanction"] == ["sanktionieren", "dulden"]
    assert index["houses"] == ["Häuser"]
    assert "comment" not in index


@pytest.fixture(scope="module")
def estimator():
    from mtlint.qe import get_estimator

    return get_estimator()


def test_estimates_are_probabilities_with_exact_spans(estimator):
    source = "The minister resigned on Monday after weeks of pressure."
    target = "Der Minister trat am Montag nach wochenlangem Druck zurück."
    (est,) = estimator.estimate([(source, target)])
    assert 0.0 <= est.critical <= 1.0 and 0.0 <= est.hter <= 1.0
    assert [target[a:b] for a, b in est.word_spans][:3] == ["Der", "Minister", "trat"]
    assert len(est.word_bad) == len(est.word_spans) == len(est.alignment)
    assert all(0.0 <= p <= 1.0 for p in est.word_bad)
    # "Montag" attends to "Monday" more than to any other source word
    monday = [a for a, b in est.source_spans].index(source.index("Monday"))
    assert est.alignment[[target[a:b] for a, b in est.word_spans].index("Montag")] == monday


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def _token_of(text, spans):
    starts = [m.start() for m in __import__("re").finditer(r"\S+", text)]
    return [sum(1 for s in starts if s <= a) - 1 for a, _ in spans]


@pytest.mark.skipif(not (SHARED / "data" / "wordqe").exists(), reason="../shared not present")
def test_named_source_words_agree_with_reference_word_alignments_more_often(estimator):
    """``word_links`` (the source word a finding names) against MLQE-PE dev's automatic word
    alignments: more target words are linked to a reference source word than by the layer-4
    coverage links, and most of them are."""
    d = SHARED / "data" / "wordqe" / "en-de-dev"
    src, mt, ali = _lines(d / "dev.src")[:60], _lines(d / "dev.mt")[:60], _lines(d / "dev.src-mt.alignments")[:60]
    hits = {"word_links": 0, "alignment": 0}
    total = 0
    for est, source, target, links in zip(estimator.estimate(list(zip(src, mt))), src, mt, ali):
        gold = {}
        for link in links.split():
            i, j = map(int, link.split("-"))
            gold.setdefault(j, set()).add(i)
        s_tok, t_tok = _token_of(source, est.source_spans), _token_of(target, est.word_spans)
        for n, (a, b) in enumerate(est.word_spans):
            if t_tok[n] not in gold or not target[a:b].isalpha() or len(target[a:b]) < 3:
                continue
            total += 1
            for name in hits:
                j = getattr(est, name)[n]
                hits[name] += int(j >= 0 and s_tok[j] in gold[t_tok[n]])
    assert total > 400
    assert hits["word_links"] > hits["alignment"]
    assert hits["word_links"] >= 0.85 * total


def test_a_doubted_word_names_the_source_word_it_renders():
    """In the corpus, "abgezogen" renders "driven (out)" and "aufforderte" renders "called on";
    the coverage links of layer 4 named "verified" and "armed", words elsewhere in the sentence."""
    from mtlint.pipeline import Options, check

    pairs = [("Russia announced on Saturday that Ukrainian troops had been driven out of Kursk, a claim that "
              "could not be independently verified.",
              "Russland gab am Samstag bekannt, dass die ukrainischen Truppen aus Kursk abgezogen worden seien, "
              "eine Behauptung, die nicht unabhängig überprüft werden konnte.", "abgezogen", ("driven", "out")),
             ("In November, the two leaders ratified a defence treaty which called on each to assist the other "
              "in the event of an armed attack.",
              "Im November ratifizierten die beiden Führer einen Verteidigungsvertrag, der jeden aufforderte, dem "
              "anderen im Falle eines bewaffneten Angriffs zu helfen.", "aufforderte", ("called", "on"))]
    for source, target, word, rendered in pairs:
        (est,) = __import__("mtlint.qe_cache", fromlist=["cached_estimate"]).cached_estimate([(source, target)])
        n = [target[a:b] for a, b in est.word_spans].index(word)
        a, b = est.source_spans[est.word_links[n]]
        assert source[a:b] in rendered
        report = check(source, target, source_lang="en", target_lang="de", options=Options(enable=["mistranslation"]))
        named = [i.source_text for i in report.issues if i.target_text == word]
        assert all(text in rendered for text in named)


@pytest.mark.skipif(not (SHARED / "data" / "wordqe").exists(), reason="../shared not present")
def test_words_tagged_bad_score_higher_on_mlqe_dev(estimator):
    d = SHARED / "data" / "wordqe" / "en-de-dev"
    src, mt, tags = _lines(d / "dev.src")[:80], _lines(d / "dev.mt")[:80], _lines(d / "dev.tags")[:80]
    bad, ok = [], []
    for est, line, tag_line in zip(estimator.estimate(list(zip(src, mt))), mt, tags):
        gold = tag_line.split()[1::2]
        spans, pos = {}, 0
        for w, t in zip(line.split(" "), gold):
            spans[(pos, pos + len(w))] = t
            pos += len(w) + 1
        for span, p in zip(est.word_spans, est.word_bad):
            if span in spans:
                (bad if spans[span] == "BAD" else ok).append(p)
    assert len(bad) > 50 and len(ok) > 500
    assert np.mean(bad) > np.mean(ok) + 0.1


@pytest.mark.skipif(not (SHARED / "data" / "ced").exists(), reason="../shared not present")
def test_critical_errors_score_higher_on_ced_dev(estimator):
    rows = [line.split("\t") for line in _lines(SHARED / "data" / "ced" / "ende_majority_dev.tsv")[:200]]
    results = estimator.estimate([(r[1], r[2]) for r in rows])
    err = [e.critical for e, r in zip(results, rows) if r[-1] == "ERR"]
    fine = [e.critical for e, r in zip(results, rows) if r[-1] == "NOT"]
    assert len(err) > 20
    assert np.median(err) > np.median(fine)


def _has_dictionary() -> bool:
    from mtlint.resources import lexicon

    return lexicon.load("en", "de") is not None


@pytest.mark.skipif(not (SHARED / "data" / "wordqe").exists(), reason="../shared not present")
def test_wrong_sense_substitutes_score_higher_than_the_human_word(estimator):
    """bench/eval/wrong_sense.py's dev challenge (MLQE-PE dev post-edits, one word
    swapped for a dictionary rendering of another sense): the swapped word looks
    more suspicious than the post-editor's word in most sentences (0.78 of 653)."""
    import sys
    from pathlib import Path

    if not _has_dictionary():
        pytest.skip("needs Debian's trans-de-en")
    sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "bench" / d) for d in ("", "eval")]
    import wrong_sense

    examples = wrong_sense.build("dev", limit=60)
    assert len(examples) == 60
    originals = estimator.estimate([(" ".join(e["source"]), " ".join(e["target"])) for e in examples])
    changed = estimator.estimate([(" ".join(e["source"]), " ".join(wrong_sense.substituted(e))) for e in examples])
    higher = [c.word_bad[e["position"]] > o.word_bad[e["position"]] for c, o, e in zip(changed, originals, examples)]
    assert sum(higher) >= 0.65 * len(examples)


def _check(tmp_path, source: str, target: str):
    from mtlint.pipeline import check

    return check(source, target, source_lang="en", target_lang="de")


def test_wrong_sense_choice_is_flagged_with_the_dictionary_rendering(tmp_path):
    """The brief's canonical case: "sanctioned" (penalised) rendered as
    "genehmigt" (approved).  Nothing here names the phrase: the model finds the
    word doubtful and Ding's rendering of "sanctioned" reads clearly better."""
    if not _has_dictionary():
        pytest.skip("needs Debian's trans-de-en")
    source = "Russia and Iran, which are both heavily sanctioned by the West, have deepened their military cooperation."
    wrong = "Russland und Iran, die beide vom Westen stark genehmigt werden, haben ihre militärische Zusammenarbeit vertieft."
    right = wrong.replace("genehmigt", "sanktioniert")
    report = _check(tmp_path, source, wrong)
    found = [i for i in report.issues if i.check == "mistranslation"]
    assert [(i.target_text, i.source_text) for i in found] == [("genehmigt", "sanctioned")]
    assert found[0].message.startswith("wrong sense") and "sanktioniert" in found[0].suggestion
    # Not major: the model's doubt of the word (0.67) is below MIN_WRONG_SENSE_P, under which
    # dictionary-confirmed wrong senses were as common on human post-edits as on machine
    # translation (train); so it is a hint for review, with its suggestion.
    assert found[0].severity == "hint" and found[0].demoted_from == "minor"
    assert not [i for i in _check(tmp_path, source, right).issues if i.check == "mistranslation"]


def test_wrong_sense_in_the_corpus_is_linked_to_its_source_word_by_lemma():
    """In the corpus the canonical word stands in a longer sentence, where the model's
    nearest source word for it is another one ("strengthen").  Ding gives the sense
    only to the lemmas ("to sanction sth." = genehmigen), so the lemma link finds the
    source word, and the issue quotes that word, not the model's neighbour."""
    from pathlib import Path

    from mtlint.pipeline import Options, check
    from mtlint.formats import read_document

    if not _has_dictionary():
        pytest.skip("needs Debian's trans-de-en")
    root = Path(__file__).resolve().parents[1]
    source = read_document(root / "references" / "000_82a9c39d3c60c71b.en.txt").text
    target = read_document(root / "corpus" / "000_82a9c39d3c60c71b.txt").text
    report = check(source, target, source_lang="en", target_lang="de", options=Options(enable=["mistranslation"]))
    wrong = [(i.target_text, i.source_text, i.suggestion) for i in report.issues if i.message.startswith("wrong sense")]
    assert ("genehmigt", "sanctioned", "sanktioniert") in wrong


def test_a_rendering_the_document_establishes_is_no_wrong_sense_later(tmp_path):
    """A short form refers back to a longer name: "the agency" after "the country's spy
    agency".  Alone, "Geheimdienst" for "agency" reads as a wrong sense ("Agentur" fits the
    sentence better); after a sentence that renders the agency "Geheimdienst" undoubted,
    it is the document's term, neither a wrong sense nor unsupported."""
    if not _has_dictionary():
        pytest.skip("needs Debian's trans-de-en")
    first = ("The country's spy agency said the missiles were launched at night.",
             "Der Geheimdienst des Landes sagte, die Raketen seien nachts gestartet worden.")
    later = ("More tests are planned, the agency said.", "Weitere Tests sind geplant, so der Geheimdienst.")

    def flagged(source, target):
        return [(i.target_text, i.source_text) for i in _check(tmp_path, source, target).issues
                if i.check == "mistranslation"]

    assert flagged(*later) == [("Geheimdienst", "agency")]
    assert flagged(first[0] + " " + later[0], first[1] + " " + later[1]) == []


def test_a_ukrainian_source_has_its_own_span_threshold(monkeypatch):
    """Ukrainian sources shift the model's probabilities up (message catalogues: 1.28x the English
    flag rate on the same German), so uk-de spans start at 0.767: in a corpus article a fine word
    at 0.753 is no longer flagged, a mistranslated one at 0.80 still is."""
    from pathlib import Path

    from mtlint.checks import meaning
    from mtlint.pipeline import Options, check
    from mtlint.formats import read_document

    root = Path(__file__).resolve().parents[1]
    source = read_document(root / "references" / "001_b6670fa3503a2af5.uk.txt").text
    target = read_document(root / "corpus" / "001_b6670fa3503a2af5.txt").text

    def flagged():
        report = check(source, target, source_lang="uk", target_lang="de", options=Options(enable=["mistranslation"]))
        return {(i.target_text, round(i.confidence, 2)) for i in report.issues}

    assert meaning.span_threshold("uk", "de") > meaning.span_threshold("en", "de") == meaning.SPAN_THRESHOLD
    shipped = flagged()
    assert ("festgestellt", 0.8) in shipped and not any(p < meaning.span_threshold("uk", "de") for _, p in shipped)
    monkeypatch.setattr(meaning, "PAIR_SPAN_THRESHOLDS", {})
    assert ("stationiert", 0.75) in flagged() - shipped


def test_a_synonym_from_the_words_own_dictionary_entry_is_no_other_sense():
    from mtlint.resources.lexicon import parse_ding

    entries: dict = {}
    parse_ding(["jdn. einäschern; kremieren {vt} | einäschernd; kremierend | eingeäschert; kremiert :: "
                "to cremate sb. | cremating | cremated\n",
                "etw. genehmigen {vt} | genehmigend | genehmigt :: to approve sth. | approving | approved\n"], entries)
    lex = _ding({})
    lex.entries = entries
    assert lex.same_entry("kremiert", "eingeäschert") and lex.same_entry("Kremieren", "einäschern")
    assert not lex.same_entry("genehmigt", "kremiert") and not lex.same_entry("unbekannt", "kremiert")


def _ding(entries):
    from mtlint.resources.lexicon import Lexicon

    return Lexicon(entries, "test")


def test_the_dictionary_links_a_word_to_the_one_source_word_it_renders():
    from types import SimpleNamespace

    from mtlint.checks.meaning import _dictionary_links, _phrase_rendering_stems
    from mtlint.resources.stemming import german_stem as _stem

    source = "The council sanctioned the plan for the harbour"
    spans = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", source)]
    target = "Der Rat genehmigte den Plan für den Hafen".split()
    lex = _ding({"sanctioned": ["genehmigt", "sanktioniert"], "plan": ["Plan", "Vorhaben"], "harbour": ["Hafen"],
                 "the": ["der", "den"]})
    links = _dictionary_links(lex, source, SimpleNamespace(source_spans=spans), target, "en")
    assert links == {2: 2, 4: 4, 7: 7}  # "genehmigte" -> "sanctioned"; function words own nothing
    # A word two source words render is not linked: the dictionary cannot say which.
    lex.index["harbour"] = ["Hafen", "Plan"]
    assert 4 not in _dictionary_links(lex, source, SimpleNamespace(source_spans=spans), target, "en")
    # A sense the dictionary gives only to the lemmas ("to sanction" = genehmigen) links the inflected words.
    lex = _ding({"sanctioned": ["sanktioniert"], "sanction": ["genehmigen"]})
    assert _dictionary_links(lex, source, SimpleNamespace(source_spans=spans), target, "en") == {2: 2}
    # A phrase's rendering: "gewöhnt" renders "got used to", not "used" alone.
    source = "it got used to drones"
    spans = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", source)]
    stems = _phrase_rendering_stems(_ding({"got used to": ["sich gewöhnt"]}), source, spans, 2)
    assert _stem("gewöhnt") in stems and _stem("Drohnen") not in stems


@pytest.mark.skipif(not (SHARED / "data" / "wordqe").exists(), reason="../shared not present")
def test_wrong_sense_substitutes_are_flagged_more_often_than_the_human_word():
    """bench/eval/wrong_sense.py's dev challenge through the check itself (150 sentences: 60 proved too few,
    7 human words against 20 substitutes; the bench's 664 give 34.0% vs 6.0%)."""
    import sys
    from pathlib import Path

    if not _has_dictionary():
        pytest.skip("needs Debian's trans-de-en")
    sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "bench" / d) for d in ("", "eval")]
    import wrong_sense
    from mtlint.config import Config, build_options
    from mtlint.pipeline import check_pairs

    examples = wrong_sense.build("dev", limit=150)
    options = build_options(Config(), enable=["mistranslation"])
    flagged = {}
    for name, words in (("human", lambda e: e["target"]), ("substitute", wrong_sense.substituted)):
        rows = [(" ".join(e["source"]), " ".join(words(e))) for e in examples]
        hits = 0
        for result, e, (_, target) in zip(check_pairs(rows, "en", "de", options), examples, rows):
            a = sum(len(w) + 1 for w in target.split(" ")[:e["position"]])
            b = a + len(target.split(" ")[e["position"]])
            hits += any(i.target_span[0] < b and a < i.target_span[1] for i in result.issues)
        flagged[name] = hits
    assert flagged["substitute"] >= 0.2 * len(examples)
    assert flagged["substitute"] >= 3 * max(flagged["human"], 1)


@pytest.mark.skipif(not (SHARED / "data" / "wordqe").exists(), reason="../shared not present")
def test_a_critical_error_marks_the_words_most_likely_wrong():
    """MLQE-PE dev: inside sentences reported as critical errors, the words the issue marks
    were changed by the post-editor more often than the words it leaves out."""
    from mtlint.pipeline import Options, check_pairs

    d = SHARED / "data" / "wordqe" / "en-de-dev"
    src, mt, tags = (_lines(d / f"dev.{kind}")[:400] for kind in ("src", "mt", "tags"))
    results = check_pairs(list(zip(src, mt)), "en", "de", Options(enable=["critical-error"]))
    inside, outside = [], []
    for line, tag_line, result in zip(mt, tags, results):
        for issue in result.issues:
            a, b = issue.target_span
            pos = 0
            for word, tag in zip(line.split(" "), tag_line.split()[1::2]):
                (inside if a <= pos < b else outside).append(tag == "BAD")
                pos += len(word) + 1
    assert len(inside) > 100 and len(outside) > 100  # most reported sentences are marked in part
    assert np.mean(inside) > np.mean(outside) + 0.05


def test_a_word_rendering_a_plural_phrase_is_not_tested_against_its_single_word_senses():
    """TED's human reference: "Schwarze Löcher" renders *black holes* (Ding: "black hole" =
    "Schwarzes Loch"), so "Höhlen" (caves, another sense of *holes*) is no better rendering."""
    from mtlint.pipeline import Options, check

    if not _has_dictionary():
        pytest.skip("needs Debian's trans-de-en")
    source = "These two black holes are colliding, and they will merge over a billion-year time scale."
    target = "Diese beiden Schwarzen Löcher stoßen zusammen und werden im Laufe von Milliarden Jahren eins."
    issues = check(source, target, source_lang="en", target_lang="de",
                   options=Options(enable=["mistranslation"])).issues
    assert not any(i.suggestion and "Höhlen" in i.suggestion for i in issues)


def test_a_word_is_supported_by_any_form_or_synonym_in_its_renderings_entry():
    """A form in the Ding entry of a rendering is supported ("gesandt" for *sent*); "Unbekannten"
    (the unknown ones) renders no word of a sentence about unfamiliarity."""
    import re
    from types import SimpleNamespace

    from mtlint.resources import lexicon
    from mtlint.checks.meaning import _is_supported, _supported_stems, _word_supported

    if not _has_dictionary():
        pytest.skip("needs Debian's trans-de-en")
    lex = lexicon.load("en", "de")

    def supported(source, word):
        spans = [m.span() for m in re.finditer(r"\w+", source)]
        return _is_supported(word, _supported_stems(lex, source, SimpleNamespace(source_spans=spans), "en", "de"),
                             lex, "de")
    assert supported("They sent troops.", "sandten") and supported("They sent troops.", "Truppen")
    assert not supported("Their unfamiliarity with the terrain hurt them.", "Unbekannten")
    # A compound by its parts: both must render source words.
    assert supported("He wore a leather belt.", "Ledergürtel") and supported("It was a steel cage.", "Stahlkäfig")
    assert not supported("He wore a belt.", "Ledergürtel") and not supported("It was a cage.", "Stahlkäfig")
    # A verb with its separated particle: "gab … auf" renders *abandoned*.
    source = "He abandoned the plan."
    spans = [m.span() for m in re.finditer(r"\w+", source)]
    stems = _supported_stems(lex, source, SimpleNamespace(source_spans=spans), "en", "de")
    words = "Er gab den Plan auf .".split()
    assert not _is_supported("gab", stems, lex, "de") and _word_supported(words, 1, stems, lex, "de")
    # A rendering's verb or noun counterpart, and a compound rendering's head (its broader term).
    assert supported("Moscow is giving them support.", "gewährt")  # *giving*: "Gewährung"
    assert supported("They replenished the stockpiles.", "Bestände")  # *stockpile*: "Lagerbestand"
    assert not supported("They replenished the stockpiles.", "Gewährung")
    # "to suspect sth. / that …": the verb keeps its renderings though its complement has alternatives.
    assert supported("They suspect that he lied.", "vermuten")


def test_verbs_and_adjectives_are_told_apart_for_the_wrong_sense_test():
    from mtlint.resources import lexicon
    from mtlint.checks.meaning import _german_word_classes

    if not _has_dictionary():
        pytest.skip("needs Debian's trans-de-en")
    words = lexicon.load("en", "de").words
    assert _german_word_classes("vermuten", words) == {"verb"}
    assert _german_word_classes("zweifelhafte", words) == _german_word_classes("zweifelhaft", words) == {"adjective"}
    assert _german_word_classes("genehmigt", words) == {"verb", "adjective"}  # a participle is both


@pytest.mark.skipif(not (SHARED / "data" / "wordqe").exists(), reason="../shared not present")
def test_doubted_words_no_rendering_supports_are_more_often_bad():
    """MLQE-PE dev (the 400 sentences of the critical-error test): among content words the model
    doubts (p from UNSUPPORTED_P to the span threshold), the post-editors changed those the
    dictionary does not support more often than those it does (bench/eval/unsupported_words.py)."""
    import re

    from mtlint.resources import lexicon
    from mtlint.checks.meaning import (SPAN_THRESHOLD, UNSUPPORTED_P, _supported_stems, _unsupported_candidate,
                                       _word_supported)
    from mtlint.qe_cache import cached_estimate

    if not _has_dictionary():
        pytest.skip("needs Debian's trans-de-en")
    lex = lexicon.load("en", "de")
    d = SHARED / "data" / "wordqe" / "en-de-dev"
    src, mt, tags = (_lines(d / f"dev.{kind}")[:400] for kind in ("src", "mt", "tags"))
    outcome = {True: [], False: []}
    for source, target, tag_line, est in zip(src, mt, tags, cached_estimate(list(zip(src, mt)))):
        starts = [m.start() for m in re.finditer(r"\S+", target)]
        supported = _supported_stems(lex, source, est, "en", "de")
        words = [target[a:b] for a, b in est.word_spans]
        for i, ((a, b), p) in enumerate(zip(est.word_spans, est.word_bad)):
            if UNSUPPORTED_P <= p < SPAN_THRESHOLD and _unsupported_candidate(words[i], source, "de"):
                token = max(k for k, start in enumerate(starts) if start <= a)
                outcome[_word_supported(words, i, supported, lex, "de")].append(tag_line.split()[1::2][token] == "BAD")
    assert len(outcome[False]) >= 40 and len(outcome[True]) >= 40
    assert np.mean(outcome[False]) > np.mean(outcome[True]) + 0.1
