"""Baselines: stable fingerprints, gates that fail only on new issues."""
import json
import os
import subprocess
import sys

import pytest

from conftest import corpus_files, reference_for
from mtlint.baseline import Fingerprinter, fingerprints
from mtlint.checks.base import Issue
from mtlint.cli import main

pytestmark = pytest.mark.model  # runs the real encoder and quality-estimation model

SOURCE = (
    "The company hired 250 new workers at its plant in March.\n"
    "Sales rose sharply in the spring. Profits fell in the summer.\n"
    "The chief executive said the results were better than expected.\n"
    "The board will meet again in the autumn to discuss new investments.\n"
)
# Today's issues: a changed number (major) and a glued sentence (minor).
TARGET = (
    "Das Unternehmen stellte im März 350 neue Mitarbeiter in seinem Werk ein.\n"
    "Der Umsatz stieg im Frühjahr stark.Die Gewinne fielen im Sommer.\n"
    "Der Vorstandschef sagte, die Ergebnisse seien besser als erwartet.\n"
    "Der Aufsichtsrat wird im Herbst erneut zusammenkommen, um über neue Investitionen zu beraten.\n"
)
PREFACE = ("Shareholders received the annual report by post last week.\n",
           "Die Aktionäre erhielten den Jahresbericht vergangene Woche per Post.\n")


def issue(check, target_span, target_text, source_text, severity="minor"):
    return Issue(check, "fluency/punctuation", severity, target_span, target_text, (0, len(source_text)),
                 source_text, "a message", None, 1.0)


def test_fingerprints_ignore_offsets_and_whitespace_but_count_occurrences():
    first = [issue("quote-style", (10, 11), "»", "He said « no »."), issue("quote-style", (40, 41), "»", "He said « no »."),
             issue("duplicated-word", (60, 67), "die die", "the  house\nof")]
    moved = [issue("quote-style", (110, 111), "»", "He said « no »."),
             issue("quote-style", (140, 141), "»", "He said  « no »."),       # whitespace differs
             issue("duplicated-word", (160, 167), "die die", "the house of")]
    assert fingerprints(first) == fingerprints(moved)
    assert len(set(fingerprints(first))) == 3                                  # repeats differ by occurrence
    assert fingerprints(first[1:]) != fingerprints(first)[1:]                  # ... in document order
    other_check = issue("quote-spacing", (10, 11), "»", "He said « no ».")
    assert Fingerprinter()(other_check) != fingerprints(first)[0]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "doc.en.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "doc.txt").write_text(TARGET, encoding="utf-8")
    return tmp_path


def mtlint_here(monkeypatch, capsys, cwd, *args):
    monkeypatch.chdir(cwd)
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as ended:
        code = ended.code
    return code, capsys.readouterr()


def check_json(monkeypatch, capsys, project, *args):
    code, out = mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt", "--format", "json",
                            "--fail-on", "minor", *args)
    return code, json.loads(out.out)


def test_baseline_passes_the_gate_and_a_new_issue_fails_it(project, monkeypatch, capsys):
    code, report = check_json(monkeypatch, capsys, project)
    assert code == 1 and len(report["issues"]) == 2
    code, out = mtlint_here(monkeypatch, capsys, project, "baseline", "doc.en.txt", "doc.txt", "-o", "bl.json")
    assert code == 0 and "2 issues in 1 document(s)" in out.err
    recorded = json.loads((project / "bl.json").read_text())
    assert recorded["schema"] == "mtlint.baseline/1"
    assert [e["check"] for e in recorded["documents"]["doc"]] == ["number-mismatch", "glued-sentence"]

    code, report = check_json(monkeypatch, capsys, project, "--baseline", "bl.json")
    assert code == 0
    assert [i["baselined"] for i in report["issues"]] == [True, True]          # still reported
    assert report["summary"]["issues_baselined"] == 2 and report["summary"]["issues_new"] == 0
    assert report["summary"]["mqm_penalty"] > 5                                # the penalty still counts them

    # A new issue elsewhere fails the gate again, and only it is new.  (A confident one: a typewriter
    # quotation mark, low confidence, would be a hint, which fails no gate.)
    (project / "doc.txt").write_text(TARGET.replace("seien besser", "seien seien besser"), encoding="utf-8")
    code, report = check_json(monkeypatch, capsys, project, "--baseline", "bl.json")
    assert code == 1
    new = [i for i in report["issues"] if not i["baselined"]]
    assert new and {i["check"] for i in new} == {"duplicated-word"}
    assert report["summary"]["issues_new"] == len(new) and report["summary"]["issues_baselined"] == 2


def test_every_format_shows_what_is_baselined(project, monkeypatch, capsys):
    import xml.etree.ElementTree as ET

    from test_render import _sarif_validator

    mtlint_here(monkeypatch, capsys, project, "baseline", "doc.en.txt", "doc.txt", "-o", "bl.json")
    (project / "doc.txt").write_text(TARGET.replace("seien besser", "seien seien besser"), encoding="utf-8")
    code, report = check_json(monkeypatch, capsys, project, "--baseline", "bl.json")
    assert code == 1
    flags = [i["baselined"] for i in report["issues"]]
    assert flags.count(True) == 2 and flags.count(False) >= 1

    def render(fmt):
        code, out = mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt", "--fail-on", "minor",
                                "--baseline", "bl.json", "--format", fmt)
        assert code == 1
        return out.out

    log = json.loads(render("sarif"))
    assert not list(_sarif_validator().iter_errors(log))
    assert [r["baselineState"] for r in log["runs"][0]["results"]] == ["unchanged" if f else "new" for f in flags]
    root = ET.fromstring(render("junit"))
    failures = "\n".join(node.text or "" for node in root.iter("failure"))
    assert int(root.get("failures")) >= 1 and "[duplicated-word]" in failures and "(baselined)" not in failures
    assert "\n".join(node.text for node in root.iter("system-out")).count("(baselined)") == 2
    text = render("text").splitlines()
    assert sum(line.endswith("(baselined)") for line in text) == 2
    assert f"; {flags.count(False)} new, 2 baselined)" in text[-1] and text[-1].endswith("FAILED (1 new issue minor or worse)")
    md = render("md")
    assert md.count("(baselined)") == 2 and "| New | Baselined |" in md
    assert render("html").count('<span class="bl"') == 2


def test_fingerprints_survive_an_unrelated_edit(project, monkeypatch, capsys):
    mtlint_here(monkeypatch, capsys, project, "baseline", "doc.en.txt", "doc.txt", "-o", "bl.json")
    # A new first paragraph on both sides moves every offset and every line number.
    (project / "doc.en.txt").write_text(PREFACE[0] + SOURCE, encoding="utf-8")
    (project / "doc.txt").write_text(PREFACE[1] + TARGET, encoding="utf-8")
    code, report = check_json(monkeypatch, capsys, project, "--baseline", "bl.json")
    assert code == 0
    assert len(report["issues"]) == 2 and all(i["baselined"] for i in report["issues"])
    assert report["issues"][0]["target_span"][0] > len(PREFACE[1])


def test_baseline_from_the_config_file(project, monkeypatch, capsys):
    (project / "mtlint.toml").write_text('fail_on = "minor"\nbaseline = "ci/baseline.json"\n', encoding="utf-8")
    code, _ = mtlint_here(monkeypatch, capsys, project, "baseline", "doc.en.txt", "doc.txt")
    assert (project / "ci" / "baseline.json").is_file()                        # -o defaults to the configured path
    assert mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt")[0] == 0


def test_pairs_baseline(tmp_path, monkeypatch, capsys):
    rows = ["The plant employs 250 people.\tDas Werk beschäftigt 350 Menschen.",
            "Prices rose by 12 percent.\tDie Preise stiegen um 12 Prozent."]
    (tmp_path / "pairs.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = ("--source-lang", "en", "--target-lang", "de")
    code, _ = mtlint_here(monkeypatch, capsys, tmp_path, "baseline", "--pairs", "pairs.tsv", *args, "-o", "bl.json")
    assert mtlint_here(monkeypatch, capsys, tmp_path, "pairs", "pairs.tsv", *args)[0] == 1
    code, out = mtlint_here(monkeypatch, capsys, tmp_path, "pairs", "pairs.tsv", *args, "--baseline", "bl.json")
    assert code == 0
    # A new pair inserted above: the old issue is still known, the new one fails the gate.
    rows.insert(0, "The firm sold 40 trucks.\tDie Firma verkaufte 14 Lastwagen.")
    (tmp_path / "pairs.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out = mtlint_here(monkeypatch, capsys, tmp_path, "pairs", "pairs.tsv", *args, "--baseline", "bl.json")
    results = [json.loads(line) for line in out.out.splitlines()]
    assert code == 1
    assert [r["passed"] for r in results] == [False, True, True]
    assert [i["baselined"] for i in results[1]["issues"]] == [True] * len(results[1]["issues"])
    assert results[1]["issues"] and not any(i["baselined"] for i in results[0]["issues"])


def test_pairs_baseline_of_an_xliff_file_names_its_units(tmp_path, monkeypatch, capsys):
    from test_formats import XLIFF_12  # a "lost" unit whose {folder} placeholder is missing (major)

    (tmp_path / "app.xlf").write_text(XLIFF_12, encoding="utf-8")
    code, out = mtlint_here(monkeypatch, capsys, tmp_path, "pairs", "app.xlf")
    assert code == 1
    failing = [json.loads(line) for line in out.out.splitlines()]
    assert "lost" in [line["id"] for line in failing if not line["passed"]]
    code, out = mtlint_here(monkeypatch, capsys, tmp_path, "baseline", "--pairs", "app.xlf", "-o", "bl.json")
    assert code == 0
    entries = json.loads((tmp_path / "bl.json").read_text())["documents"]["app"]
    code, out = mtlint_here(monkeypatch, capsys, tmp_path, "pairs", "app.xlf", "--baseline", "bl.json")
    lines = [json.loads(line) for line in out.out.splitlines()]
    assert code == 0 and all(line["passed"] for line in lines)
    issues = [(line["id"], issue) for line in lines for issue in line["issues"]]
    assert issues and all(issue["baselined"] for _, issue in issues)
    # The baseline names each issue's unit as `pairs` does, in the same order.
    assert [(e["unit"], e["check"], e["target_text"]) for e in entries] == [
        (unit, issue["check"], issue["target_text"]) for unit, issue in issues]
    assert ("lost", "placeholder") in [(e["unit"], e["check"]) for e in entries]


def test_pairs_baseline_reads_the_file_as_pairs_does(tmp_path, monkeypatch, capsys):
    # CSV in a .txt file: tab-separated unless --input-format says csv; both runs must read it alike.
    (tmp_path / "rows.txt").write_text("source,target\nThe plant employs 250 people.,Das Werk beschäftigt 350 Menschen.\n"
                                       "Prices rose by 12 percent.,Die Preise stiegen um 12 Prozent.\n", encoding="utf-8")
    args = ("--input-format", "csv", "--source-lang", "en", "--target-lang", "de", "--enable", "number-mismatch")
    code, _ = mtlint_here(monkeypatch, capsys, tmp_path, "baseline", "--pairs", "rows.txt", *args, "-o", "bl.json")
    entries = json.loads((tmp_path / "bl.json").read_text())["documents"]["rows"]
    assert code == 0 and [(e["unit"], e["check"]) for e in entries] == [("2", "number-mismatch")]
    code, out = mtlint_here(monkeypatch, capsys, tmp_path, "pairs", "rows.txt", *args, "--baseline", "bl.json")
    assert code == 0 and json.loads(out.out.splitlines()[0])["issues"][0]["baselined"]
    code, out = mtlint_here(monkeypatch, capsys, tmp_path, "baseline", "--pairs", "rows.txt", "--input-format", "html")
    assert code == 2 and out.err == "mtlint: error: --input-format html is for documents, not --pairs\n"


def test_corpus_baseline_serves_report_and_check(tmp_path, monkeypatch, capsys):
    article = corpus_files()[0]  # a short article with a major and a minor issue
    corpus, references = tmp_path / "corpus", tmp_path / "references"
    corpus.mkdir(), references.mkdir()
    os.symlink(article, corpus / article.name)
    os.symlink(reference_for(article), references / reference_for(article).name)
    code, out = mtlint_here(monkeypatch, capsys, tmp_path, "baseline", "--corpus", corpus, references, "-o", "bl.json")
    recorded = json.loads((tmp_path / "bl.json").read_text())
    assert list(recorded["documents"]) == [article.stem] and recorded["documents"][article.stem]
    code, _ = mtlint_here(monkeypatch, capsys, tmp_path, "report", corpus, references, "-o", "out", "-q",
                          "--fail-on", "minor", "--baseline", "bl.json")
    assert code == 0
    run = json.loads((tmp_path / "out" / "report.json").read_text())
    assert run["passed"] and run["documents"][0]["summary"]["issues_new"] == 0
    document = json.loads((tmp_path / "out" / f"{article.stem}.json").read_text())
    assert run["config_hash"] == document["config_hash"] and run["mtlint_version"] == document["mtlint_version"]
    # the same file gates a single `check` of that article (documents are filed by file stem)
    code, _ = mtlint_here(monkeypatch, capsys, tmp_path, "check", reference_for(article), article, "--fail-on", "minor",
                          "--baseline", "bl.json")
    assert code == 0


@pytest.mark.parametrize("content, message", [
    (None, "baseline not found"),
    ("{not json", "not a baseline file"),
    ('{"schema": "something/1", "documents": {}}', "expected schema mtlint.baseline/1"),
])
def test_bad_baseline_file_is_exit_2(project, content, message):
    if content is not None:
        (project / "bl.json").write_text(content, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mtlint", "check", "doc.en.txt", "doc.txt", "--baseline", "bl.json"],
                            capture_output=True, text=True, cwd=project, timeout=300)
    assert result.returncode == 2
    assert result.stderr.startswith("mtlint: error: bl.json: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_baseline_arguments_are_checked(project):
    result = subprocess.run([sys.executable, "-m", "mtlint", "baseline", "--corpus", "only-one-dir"],
                            capture_output=True, text=True, cwd=project, timeout=300)
    assert result.returncode == 2
    assert result.stderr == "mtlint: error: baseline --corpus takes CORPUS_DIR REFERENCES_DIR, got 1 argument(s)\n"
