"""clause-omission and clause-addition: a clause of one side with no counterpart inside an aligned pair."""
from __future__ import annotations

import re

import pytest

import mtlint
from mtlint.resources import lexicon
from mtlint.checks.coverage import find_omissions
from mtlint.qe import PairEstimate, available

pytestmark = [pytest.mark.skipif(not available(), reason="quality-estimation head not built"), pytest.mark.model]
# The length evidence (a short translation: two unrendered words suffice) is calibrated with the
# dictionary's coverage and used only with it (trans-de-en; scripts/system-deps.sh installs it).
needs_dictionary = pytest.mark.skipif(lexicon.load("en", "de") is None, reason="trans-de-en not installed")

SOURCE = """The city council met on Tuesday evening to discuss the new budget.
The mayor, who had been in office for twelve years, announced that she would not run again.
Several members of the council thanked her for her work.
The budget includes money for three new schools and a library.
Critics said the plan does not do enough for public transport.
A final vote is expected in March.
The council will also review the parking fees in the city centre.
Residents can comment on the plans until the end of February.
The next meeting takes place on the first Monday of next month.
"""
TRANSLATION = """Der Stadtrat kam am Dienstagabend zusammen, um über den neuen Haushalt zu beraten.
Die Bürgermeisterin, die seit zwölf Jahren im Amt war, kündigte an, dass sie nicht erneut kandidieren werde.
Mehrere Ratsmitglieder dankten ihr für ihre Arbeit.
Der Haushalt enthält Geld für drei neue Schulen und eine Bibliothek.
Kritiker sagten, der Plan tue nicht genug für den öffentlichen Nahverkehr.
Eine endgültige Abstimmung wird im März erwartet.
Der Rat wird auch die Parkgebühren in der Innenstadt überprüfen.
Die Einwohner können sich bis Ende Februar zu den Plänen äußern.
Die nächste Sitzung findet am ersten Montag des nächsten Monats statt.
"""
CLAUSE = "who had been in office for twelve years"
OMITTED = TRANSLATION.replace(", die seit zwölf Jahren im Amt war,", "")


def _omissions(report):
    return [i for i in report.issues if i.check == "clause-omission"]


@needs_dictionary
def test_a_dropped_relative_clause_is_reported_with_its_source_words():
    found = _omissions(mtlint.check(SOURCE, OMITTED, source_lang="en", target_lang="de"))
    assert len(found) == 1
    issue = found[0]
    assert issue.severity == "major"  # short for its source and a run of unrendered words
    clause_start = SOURCE.index(CLAUSE)
    assert clause_start <= issue.source_span[0] < issue.source_span[1] <= clause_start + len(CLAUSE)
    assert issue.source_text == SOURCE[issue.source_span[0]:issue.source_span[1]]
    assert OMITTED[issue.target_span[0]:issue.target_span[1]].startswith("Die Bürgermeisterin kündigte an")


def test_the_complete_translation_is_silent():
    # mtlint.check must stay the API function after the check modules have been imported.
    assert _omissions(mtlint.check(SOURCE, TRANSLATION, source_lang="en", target_lang="de")) == []
    assert callable(mtlint.check)


@needs_dictionary
def test_segment_pair_mode_uses_the_files_length_ratio():
    from mtlint.pipeline import check_pairs

    rows = list(zip(SOURCE.splitlines(), OMITTED.splitlines()))
    results = check_pairs(rows, "en", "de")
    flagged = [r.index for r in results for i in r.issues if i.check == "clause-omission"]
    assert flagged == [1]


def test_a_side_cut_at_the_models_length_limit_is_not_judged():
    source, target = "apple banana cherry walnut melon grape", "Apfel"
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", source)]
    uncovered = PairEstimate(critical=0.0, hter=0.0, word_spans=[(0, 5)], word_bad=[0.1], alignment=[0],
                             source_spans=spans, source_alignment=[0] * 6, source_coverage=[0.1] * 6,
                             target_coverage=[0.9])
    found, longest = find_omissions(source, target, uncovered)
    # "apple" is linked both ways with "Apfel": covered; the other five are not.
    assert longest == 5 and len(found) == 1 and found[0][0] == (spans[1][0], len(source))
    cut = PairEstimate(critical=0.0, hter=0.0, word_spans=[(0, 5)], word_bad=[0.1], alignment=[-1],
                       source_spans=spans, source_alignment=[0] * 6, source_coverage=[0.1] * 6,
                             target_coverage=[0.9])
    assert find_omissions(source, target, cut) == ([], 0)


@needs_dictionary
def test_an_added_relative_clause_is_reported_on_its_target_words():
    source = SOURCE.replace(", who had been in office for twelve years,", "")
    report = mtlint.check(source, TRANSLATION, source_lang="en", target_lang="de")
    found = [i for i in report.issues if i.check == "clause-addition"]
    assert len(found) == 1
    clause = "die seit zwölf Jahren im Amt war"
    start = TRANSLATION.index(clause)
    assert start <= found[0].target_span[0] < found[0].target_span[1] <= start + len(clause)
    assert found[0].category == "accuracy/addition"
    assert [i for i in report.issues if i.check == "clause-omission"] == []
    # and the faithful pair has no additions either
    assert [i for i in mtlint.check(SOURCE, TRANSLATION, source_lang="en", target_lang="de").issues
            if i.check == "clause-addition"] == []


class _NoRenderings:
    def renderings(self, word):
        return []


def test_the_length_evidence_needs_a_dictionary():
    source, target = "apple banana cherry walnut melon grape", "Apfel"
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", source)]
    # Two unrendered words ("melon grape"), then covered ones: below the run rule's four.
    links = PairEstimate(critical=0.0, hter=0.0, word_spans=[(0, 5)], word_bad=[0.1], alignment=[0],
                         source_spans=spans, source_alignment=[0] * 6,
                         source_coverage=[0.9, 0.9, 0.9, 0.9, 0.1, 0.1], target_coverage=[0.9])
    assert find_omissions(source, target, links, median_ratio=1.1)[0] == []
    found, _ = find_omissions(source, target, links, median_ratio=1.1, lexicon=_NoRenderings())
    assert [(span, words, major) for span, words, major in found] == [((spans[4][0], len(source)), 2, True)]


class _PhraseDictionary:
    """Renders only two-word phrases: "melon grape" -> "Obstsalat"."""
    def renderings(self, phrase):
        return ["Obstsalat"] if phrase.lower() == "melon grape" else []


def test_a_dictionary_phrase_rendered_as_one_compound_covers_its_words():
    source = "apple banana cherry walnut melon grape"
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", source)]
    links = PairEstimate(critical=0.0, hter=0.0, word_spans=[(0, 5)], word_bad=[0.1], alignment=[0],
                         source_spans=spans, source_alignment=[0] * 6,
                         source_coverage=[0.9, 0.9, 0.9, 0.9, 0.1, 0.1], target_coverage=[0.9])
    # "Obstsalate" (the compound, inflected) renders the phrase: nothing left out.
    assert find_omissions(source, "Apfel Obstsalate", links, median_ratio=1.1, lexicon=_PhraseDictionary())[0] == []
    found, _ = find_omissions(source, "Apfel Kuchen", links, median_ratio=1.1, lexicon=_PhraseDictionary())
    assert [words for _, words, _ in found] == [2]

