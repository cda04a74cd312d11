"""Verdicts an editor and a CI gate can trust: hints, one finding per problem, review order,
input sanity, and reports whose badges say what the gate said."""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import CORPUS, REFERENCES
from mtlint.align import Link
from mtlint.checks.base import DocumentPair, Issue
from mtlint.score import Gate, summary
from mtlint.resources.segment import Sentence
from mtlint.verdict import demote, fold_into_sentences, hints, merge_same_place, review_first

pytestmark = pytest.mark.model  # runs the real encoder and quality-estimation model

TARGET = "Die Regierung hat am Montag die neuen Sanktionen gegen Russland beschlossen."


def issue(check, severity, span, confidence=0.9, message="m", source_span=None, suggestion=None, category=None):
    return Issue(check=check, category=category or "accuracy/mistranslation", severity=severity, target_span=span,
                 target_text=TARGET[span[0]:span[1]] if span else "", source_span=source_span, source_text="",
                 message=message, suggestion=suggestion, confidence=confidence)


def span_of(word):
    start = TARGET.index(word)
    return start, start + len(word)


# --------------------------------------------------------------------------- hints


def test_low_confidence_findings_become_hints_per_family():
    doubtful = issue("mistranslation", "minor", span_of("Sanktionen"), confidence=0.6)
    sure = issue("mistranslation", "minor", span_of("Montag"), confidence=0.95)
    weak_rule = issue("quote-style", "minor", span_of("Russland"), confidence=0.6, category="fluency/punctuation")
    strong_rule = issue("number-format", "major", span_of("Regierung"), confidence=0.9)
    out = hints([doubtful, sure, weak_rule, strong_rule], "en", "de")
    assert [i.severity for i in out] == ["hint", "minor", "hint", "major"]
    assert out[0].demoted_from == "minor" and out[1].demoted_from is None


def test_model_checks_outside_the_measured_pair_are_hints_only():
    sure = issue("critical-error", "major", span_of("Sanktionen"), confidence=0.99)
    rule = issue("number-format", "major", span_of("Montag"), confidence=0.9)
    assert [i.severity for i in hints([sure, rule], "fr", "de")] == ["hint", "major"]
    assert [i.severity for i in hints([sure, rule], "en", "de")] == ["major", "major"]


def test_sanity_findings_are_never_hints():
    found = issue("mismatched-documents", "critical", None, confidence=0.0)
    assert hints([found], "xx", "de")[0].severity == "critical"


def test_a_hint_fails_no_gate_unless_hints_are_included():
    hint = demote(issue("mistranslation", "major", span_of("Sanktionen")))
    assert hint.severity == "hint" and hint.demoted_from == "major"
    assert Gate("minor").passed([hint], 10)
    assert not Gate("major", include_hints=True).passed([hint], 10)
    assert Gate("critical", include_hints=True).passed([hint], 10)
    result = summary([hint], TARGET, Gate())
    assert result["mqm_penalty"] == 0 and result["issues_by_severity"]["hint"] == 1 and result["passed"]


def test_the_issue_dict_gains_keys_only_where_they_apply():
    plain = issue("mistranslation", "minor", span_of("Montag"))
    assert set(plain.as_dict()) == {"check", "category", "severity", "target_span", "target_text", "source_span",
                                    "source_text", "message", "suggestion", "confidence", "baselined"}
    assert demote(plain).as_dict()["demoted_from"] == "minor"


# --------------------------------------------------------------------------- one finding per problem


def test_findings_on_the_same_word_merge_the_most_severe_leading():
    word = span_of("Russland")
    quote = issue("quote-style", "minor", word, message="quote", category="fluency/punctuation")
    spelling = issue("spelling", "minor", (word[0], word[0] + 3), message="spelling", suggestion="Rußland")
    wrong = issue("mistranslation", "major", word, message="wrong sense", suggestion="Moskau")
    elsewhere = issue("spelling", "minor", span_of("Montag"))
    out = merge_same_place([quote, spelling, wrong, elsewhere], TARGET)
    assert len(out) == 2
    lead = next(i for i in out if i.target_span == word)
    assert lead.check == "mistranslation" and lead.severity == "major" and lead.suggestion == "Moskau"
    related = lead.as_dict()["related"]
    assert sorted(r["check"] for r in related) == ["quote-style", "spelling"]
    assert [r.get("suggestion") for r in related if r["check"] == "spelling"] == ["Rußland"]
    assert [r["target_span"] for r in related if r["check"] == "spelling"] == [[word[0], word[0] + 3]]
    hash(lead)  # still a value: merged issues can be compared and hashed
    assert "related" not in elsewhere.as_dict() and out[-1] == elsewhere  # untouched, byte for byte


def test_nothing_merges_when_findings_are_apart():
    apart = [issue("spelling", "minor", span_of("Montag")), issue("spelling", "minor", span_of("Russland"))]
    assert merge_same_place(apart, TARGET) == apart


def test_findings_inside_a_critical_sentence_fold_into_it():
    sentence = issue("critical-error", "major", (0, len(TARGET)), message="meaning departs")
    inside = [issue("untranslated-word", "minor", span_of("Sanktionen")),
              issue("number-format", "major", span_of("Montag"))]
    hint = demote(issue("mistranslation", "minor", span_of("Russland"), confidence=0.5))
    out = fold_into_sentences([sentence, *inside, hint])
    assert len(out) == 1 and out[0].check == "critical-error"
    assert [r["check"] for r in out[0].as_dict()["related"]] == ["untranslated-word", "number-format", "mistranslation"]
    # A finding more severe than the sentence's stays on its own.
    worse = issue("untranslated-sentence", "critical", span_of("Russland"))
    assert len(fold_into_sentences([sentence, worse])) == 2


# --------------------------------------------------------------------------- review first


class _Estimate:
    def __init__(self, critical, hter):
        self.critical, self.hter = critical, hter


def test_review_first_ranks_sentences_by_model_and_findings():
    source, target = "One. Two. Three.", "Eins. Zwei. Drei."
    s_sent = [Sentence(0, 4, 0), Sentence(5, 9, 0), Sentence(10, 16, 0)]
    t_sent = [Sentence(0, 5, 0), Sentence(6, 11, 0), Sentence(12, 17, 0)]
    links = [Link((i,), (i,), 0.9) for i in range(3)]
    pair = DocumentPair(source, target, "en", "de", s_sent, t_sent, links, encode=None)
    from mtlint.resources import qe

    pair.provide(qe._document_estimates, [((0, 4), (0, 5), _Estimate(0.01, 0.05)),
                                          ((5, 9), (6, 11), _Estimate(0.9, 0.6)),
                                          ((10, 16), (12, 17), _Estimate(0.0, 0.0))])
    found = [Issue("number-format", "accuracy/number", "major", (12, 16), "Drei", None, "", "m", None, 0.9),
             Issue("mistranslation", "accuracy/mistranslation", "hint", (0, 4), "Eins", None, "", "m", None, 0.5,
                   demoted_from="minor")]
    ranked = review_first(pair, found)
    assert [e["link"] for e in ranked] == [1, 2, 0]
    assert ranked[0]["model"] == {"critical": 0.9, "hter": 0.6} and ranked[0]["issues"] == []
    assert ranked[1]["issues"] == [0] and ranked[1]["risk"] == 5.0  # the hint adds nothing
    assert json.dumps(ranked) == json.dumps(review_first(pair, found))


# --------------------------------------------------------------------------- renderers


def _report(issues, passed):
    counts = {s: sum(1 for i in issues if i["severity"] == s) for s in ("hint", "minor", "major", "critical")}
    return {"source": {"path": "a.en.txt", "lang": "en", "encoding": "utf-8"},
            "target": {"path": "a.de.txt", "lang": "de", "encoding": "utf-8"}, "encoder": "e5", "signature": "s",
            "source_sentences": [{"start": 0, "end": 10}], "target_sentences": [{"start": 0, "end": len(TARGET)}],
            "alignment": [{"source": [0], "target": [0], "score": 0.9, "penalty": 5.0}],
            "issues": issues, "warnings": [], "review_first": [{"link": 0, "target_span": [0, len(TARGET)],
                                                                "risk": 5.0, "issues": [0]}],
            "summary": {"words": 10, "mqm_penalty": 5.0, "mqm_per_100_words": 50.0, "issues_by_severity": counts,
                        "passed": passed}}


MAJOR = {**issue("number-format", "major", span_of("Montag"), message="a confident major").as_dict()}
HINT = {**demote(issue("mistranslation", "minor", span_of("Russland"), message="a doubtful one")).as_dict()}


def test_no_green_pass_next_to_majors():
    from mtlint.renderers.html import article_page, index_page
    from mtlint.renderers.markdown import markdown

    ungated = _report([MAJOR], passed=True)  # --fail-on never
    index = index_page([{"report": ungated, "page": "a.html", "name": "a"}])
    page = article_page(ungated, "Source....", TARGET)
    text = markdown([(ungated, TARGET)])
    assert "all passed" not in index.replace("all passed the gate, with 1 major", "")
    assert "✓ passed" not in index and "✓ passed" not in page and "✅" not in text
    assert "⚠ passed with 1 major/critical" in page and "⚠️ passed, with 1 major or critical" in text
    failed = _report([MAJOR], passed=False)
    assert "✗ failed" in article_page(failed, "Source....", TARGET)
    assert "✗ 1 failed" in index_page([{"report": failed, "page": "a.html", "name": "a"}])


def test_hints_are_kept_apart_in_every_format():
    from mtlint.renderers.html import article_page
    from mtlint.renderers.junit import junit
    from mtlint.renderers.markdown import markdown
    from mtlint.renderers.sarif import sarif

    report = _report([HINT, MAJOR], passed=False)
    page = article_page(report, "Source....", TARGET)
    confident, collapsed = page.index("a confident major"), page.index('<details class="hints">')
    assert confident < collapsed < page.index("a doubtful one")
    assert "<details class=\"hints\" open" not in page and "Review first" in page
    text = markdown([(report, TARGET)])
    table, details = text.split("<details>")
    assert "a confident major" in table and "a doubtful one" not in table and "a doubtful one" in details
    levels = {r["message"]["text"].split(":")[0]: r["level"] for r in sarif([(report, TARGET)])["runs"][0]["results"]}
    assert sorted(levels.values()) == ["error", "note"]
    xml = ET.fromstring(junit([(_report([HINT], passed=True), TARGET)], per="segment"))
    assert xml.get("failures") == "0" and "a doubtful one" in "".join(xml.itertext())


# --------------------------------------------------------------------------- input sanity (real model)

SANITY = ["identical-input", "swapped-direction", "source-language-target", "wrong-target-language", "mismatched-documents"]
EN, DE = REFERENCES / "000_82a9c39d3c60c71b.en.txt", CORPUS / "000_82a9c39d3c60c71b.txt"
OTHER_EN, OTHER_DE = REFERENCES / "002_cc69014236208990.en.txt", CORPUS / "002_cc69014236208990.txt"


def _sanity(source, target, source_lang="en", target_lang="de"):
    from mtlint.pipeline import Options, check_documents
    from mtlint.formats import read_document

    options = Options(source_lang=source_lang, target_lang=target_lang, enable=SANITY)
    report = check_documents(read_document(str(source)), read_document(str(target)), options)
    return report, [i.check for i in report.issues]


@pytest.fixture(scope="module")
def english_copy(tmp_path_factory):
    """The English original less its first paragraph: not identical, still English, still corresponding."""
    path = tmp_path_factory.mktemp("sanity") / "copy.txt"
    path.write_text(EN.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    return path


@pytest.mark.parametrize("case,expected", [
    ("identical", "identical-input"), ("swapped", "swapped-direction"),
    ("source-language", "source-language-target"), ("mismatched", "mismatched-documents"),
])
def test_wrong_inputs_fail_the_gate_with_a_one_line_warning(case, expected, english_copy):
    source, target = {"identical": (EN, EN), "swapped": (DE, EN), "source-language": (EN, english_copy),
                      "mismatched": (EN, OTHER_DE)}[case]
    report, checks = _sanity(source, target)
    assert checks == [expected]
    assert report.issues[0].severity == "critical" and not report.summary["passed"]
    said = [w for w in report.warnings if "\n" not in w and ("identical" in w or "swapped" in w
                                                             or "reads as" in w or "do not correspond" in w)]
    assert said


def test_alignment_statistics_equal_the_full_similarity_matrix():
    """The margin is computed without the n x m matrix; it must equal the matrix's figures."""
    import numpy as np

    from mtlint.checks.sanity import alignment_statistics
    from mtlint.embed import get_encoder

    encode = get_encoder().encode
    source = [line for line in EN.read_text(encoding="utf-8").splitlines() if line.strip()]
    target = [line for line in DE.read_text(encoding="utf-8").splitlines() if line.strip()]
    s, t = np.asarray(encode(source)), np.asarray(encode(target))
    n = min(len(s), len(t))
    links = ([Link((i,), (i,), 1.0) for i in range(n - 3)] + [Link((n - 3, n - 2), (n - 3,), 1.0)]
             + [Link((), (n - 2,), 0.0)])
    matrix = s @ t.T
    chance = matrix.mean()
    paired = [k for k in links if k.source and k.target]
    expected = sum(len(k.source) * (matrix[np.ix_(k.source, k.target)].mean() - chance) for k in paired) / len(s)
    coverage, margin = alignment_statistics(links, s, t)
    assert coverage == pytest.approx(sum(len(k.source) for k in paired) / len(s))
    assert margin == pytest.approx(float(expected), abs=1e-6) and margin > 0.04


def test_a_target_in_a_third_language_fails_with_what_it_reads_as():
    """German declared as French (a wrong --target-lang, or the wrong file): one critical, not the
    French checks' findings on every German word alone."""
    report, checks = _sanity(EN, DE, target_lang="fr")
    assert checks == ["wrong-target-language"] and not report.summary["passed"]
    assert "written in de, not in fr" in report.issues[0].message
    assert any("reads as de" in w and "\n" not in w for w in report.warnings)
    # Close languages are not a third one: Norwegian text declared as Danish is left to the checks.
    from mtlint.checks.sanity import _close

    assert _close("no", "da") and _close("zh-cn", "zh") and _close("de-CH", "de") and not _close("de", "fr")


def test_another_article_in_the_source_language_fails_too():
    report, checks = _sanity(EN, OTHER_EN)
    assert "source-language-target" in checks and not report.summary["passed"]


def test_a_real_translation_passes_the_sanity_checks():
    for target in (DE, OTHER_DE):
        source = REFERENCES / (target.stem + ".en.txt")
        report, checks = _sanity(source, target)
        assert checks == [] and report.summary["passed"]


def test_cli_exits_1_on_identical_input(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mtlint", "check", str(EN), str(EN), "--source-lang", "en",
                             "--target-lang", "de", "--enable", ",".join(SANITY)], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "warning: the target is identical to the source" in result.stdout
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- severity from meaning


@pytest.mark.skipif(not __import__("os").path.isfile("/usr/share/trans/de-en"), reason="needs Debian's trans-de-en")
@pytest.mark.parametrize("source_word,word,rendering,unrelated", [
    ("sanctioned", "genehmigt", "sanktioniert", True),   # approved / penalised
    ("fine", "fein", "Geldstrafe", True),                # delicate / monetary penalty
    ("launching", "Start", "Gründung", False),           # start / start-up, foundation: related
])
def test_senses_the_dictionary_relates_only_through_the_source_word_are_unrelated(source_word, word, rendering,
                                                                                unrelated):
    from mtlint.checks.meaning import _unrelated_senses

    class Pair:
        source_lang, target_lang = "en", "de"

    assert _unrelated_senses(Pair, source_word, word, rendering) is unrelated


def test_include_hints_from_the_configuration(tmp_path):
    from mtlint.config import build_options, load_config
    from mtlint.errors import UsageError

    path = tmp_path / "mtlint.toml"
    path.write_text("include_hints = true\n", encoding="utf-8")
    options = build_options(load_config(str(path)))
    assert options.gate.include_hints and options.config_hash() != build_options(load_config(None, tmp_path.parent)).config_hash()
    assert build_options(load_config(str(path)), include_hints=None).gate.include_hints  # no flag: the file's
    path.write_text('include_hints = "yes"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="'include_hints' in the top level must be true or false"):
        load_config(str(path))


@pytest.mark.skipif(__import__("shutil").which("make") is None, reason="needs make")
@pytest.mark.parametrize("code,make_ok,said", [(0, True, "gate passed"), (1, True, "gate FAILED"),
                                               (2, False, "failed (exit 2)")])
def test_make_reports_uses_the_gate_and_fails_only_on_errors(tmp_path, code, make_ok, said):
    """`make reports` runs `mtlint report` with the configured gate (no --fail-on never): exit 1 is
    "written, gate failed", said and not an error; exit 2 (bad input) fails the target."""
    from conftest import ROOT

    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "args"
    fake = venv / "bin" / "mtlint"
    fake.write_text(f'#!/bin/sh\necho "$@" > {log}\nexit {code}\n', encoding="utf-8")
    fake.chmod(0o755)
    (venv / ".installed").touch()  # newer than pyproject.toml: nothing to install
    result = subprocess.run(["make", "-s", "-C", str(ROOT), "reports", f"VENV={venv}"], capture_output=True, text=True)
    assert (result.returncode == 0) is make_ok
    assert said in result.stdout + result.stderr
    assert log.read_text(encoding="utf-8").split() == ["report", "corpus", "references", "-o", "reports"]


@pytest.mark.skipif(not __import__("os").path.isfile("/usr/share/trans/de-en"), reason="needs Debian's trans-de-en")
def test_include_hints_flag_lets_a_hint_fail_the_gate(tmp_path):
    """An article that cannot agree with its noun is a low-confidence minor finding: a hint, which
    `--fail-on minor` passes unless `--include-hints` asks for hints to count."""
    from click.testing import CliRunner

    from mtlint.cli import cli

    source, target = tmp_path / "s.en.txt", tmp_path / "t.de.txt"
    source.write_text("The war lasted long.\n", encoding="utf-8")
    target.write_text("Das Krieg dauerte lange.\n", encoding="utf-8")
    base = ["check", str(source), str(target), "--enable", "article-agreement", "--fail-on", "minor"]
    quiet = CliRunner().invoke(cli, base)
    assert quiet.exit_code == 0 and " hint fluency/grammar [article-agreement]" in quiet.output
    assert CliRunner().invoke(cli, base + ["--include-hints"]).exit_code == 1


def test_the_verdicts_check_lists_match_the_registered_checks():
    from mtlint import verdict
    from mtlint.checks import all_checks
    from mtlint.resources.requirements import QE_MODEL

    MODEL_CHECKS = {c.id for c in all_checks().values() if QE_MODEL in c.requires}
    assert set(verdict.MODEL_CHECKS) == MODEL_CHECKS
    registered = all_checks()
    assert all(registered[c].severity == "critical" for c in verdict.SANITY_CHECKS)
    assert set(verdict.PROBABILITY_CHECKS) <= set(MODEL_CHECKS)


def test_segment_pairs_are_not_judged_as_documents():
    from mtlint.pipeline import Options, check_pairs

    row = ("The committee will meet again next week to discuss the budget.",) * 2
    results = check_pairs([row], "en", "de", Options(enable=["identical-input", "untranslated-sentence"]))
    assert [i.check for i in results[0].issues] == ["untranslated-sentence"]


def test_the_hint_cuts_are_changed_only_through_tune_and_restored():
    from mtlint import verdict
    from mtlint.errors import UsageError

    previous = verdict.tune(HINT_MODEL_CONFIDENCE="0.5")
    try:
        assert verdict.HINT_MODEL_CONFIDENCE == 0.5 and previous == {"HINT_MODEL_CONFIDENCE": 0.87}
    finally:
        verdict.tune(**previous)
    assert verdict.HINT_MODEL_CONFIDENCE == 0.87
    with pytest.raises(UsageError, match="not a setting of the verdicts"):
        verdict.tune(HINT_CUT=0.5)
    with pytest.raises(UsageError, match="expected a float"):
        verdict.tune(HINT_RULE_CONFIDENCE="high")
