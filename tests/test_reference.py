"""Reference-based scores (--reference, the third pairs column): sacrebleu's numbers and signatures."""
import json
import subprocess
import sys

import pytest
import sacrebleu

from mtlint.pipeline import Options, check_documents, check_pairs
from mtlint.read import Document
from mtlint.reference import corpus_metrics, sentence_metrics

pytestmark = pytest.mark.model  # runs the real encoder and quality-estimation model

SOURCE = ("The city council met on Tuesday to discuss the new bridge. "
          "Engineers presented three designs for the crossing. "
          "The mayor said that a decision would be made in spring. "
          "Residents may comment on the plans until the end of March.")
TARGET = ("Der Stadtrat traf sich am Dienstag, um über die neue Brücke zu beraten. "
          "Ingenieure stellten drei Entwürfe für den Übergang vor. "
          "Der Bürgermeister sagte, eine Entscheidung werde im Frühling getroffen. "
          "Die Anwohner können die Pläne bis Ende März kommentieren.")
# The reference splits the first sentence in two and words things differently.
REFERENCE = ("Der Gemeinderat tagte am Dienstag. Thema war die neue Brücke. "
             "Ingenieure legten drei Entwürfe für die Überquerung vor. "
             "Laut dem Bürgermeister fällt die Entscheidung im Frühjahr. "
             "Bis Ende März können die Anwohner zu den Plänen Stellung nehmen.")
TARGET_SENTENCES = [
    "Der Stadtrat traf sich am Dienstag, um über die neue Brücke zu beraten.",
    "Ingenieure stellten drei Entwürfe für den Übergang vor.",
    "Der Bürgermeister sagte, eine Entscheidung werde im Frühling getroffen.",
    "Die Anwohner können die Pläne bis Ende März kommentieren.",
]
REFERENCE_UNITS = [  # what each target sentence corresponds to in the reference
    "Der Gemeinderat tagte am Dienstag. Thema war die neue Brücke.",
    "Ingenieure legten drei Entwürfe für die Überquerung vor.",
    "Laut dem Bürgermeister fällt die Entscheidung im Frühjahr.",
    "Bis Ende März können die Anwohner zu den Plänen Stellung nehmen.",
]


def test_sentence_scores_are_sacrebleus_own():
    hyp, ref = TARGET_SENTENCES[1], REFERENCE_UNITS[1]
    metrics = sentence_metrics(hyp, ref)
    assert metrics["chrF"]["score"] == round(sacrebleu.sentence_chrf(hyp, [ref]).score, 4)
    assert metrics["BLEU"]["score"] == round(sacrebleu.sentence_bleu(hyp, [ref]).score, 4)
    assert metrics["TER"]["score"] == round(sacrebleu.sentence_ter(hyp, [ref]).score, 4)
    assert 0 < metrics["chrF"]["score"] < 100 and metrics["TER"]["score"] > 0
    assert "eff:yes" in metrics["BLEU"]["signature"]  # sentence BLEU uses effective order
    assert "nc:6" in metrics["chrF"]["signature"] and "tok:tercom" in metrics["TER"]["signature"]
    for metric in metrics.values():
        assert metric["signature"].startswith("nrefs:1|") and f"version:{sacrebleu.__version__}" in metric["signature"]


def test_identical_text_scores_perfectly():
    metrics = sentence_metrics(TARGET_SENTENCES[0], TARGET_SENTENCES[0])
    assert (metrics["chrF"]["score"], metrics["BLEU"]["score"], metrics["TER"]["score"]) == (100.0, 100.0, 0.0)


def test_corpus_scores_are_sacrebleus_own():
    metrics = corpus_metrics(TARGET_SENTENCES, REFERENCE_UNITS)
    assert metrics["BLEU"]["score"] == round(sacrebleu.corpus_bleu(TARGET_SENTENCES, [REFERENCE_UNITS]).score, 4)
    assert metrics["chrF"]["score"] == round(sacrebleu.corpus_chrf(TARGET_SENTENCES, [REFERENCE_UNITS]).score, 4)
    assert metrics["TER"]["score"] == round(sacrebleu.corpus_ter(TARGET_SENTENCES, [REFERENCE_UNITS]).score, 4)
    assert "eff:no" in metrics["BLEU"]["signature"]


@pytest.fixture(scope="module")
def document_report(encoder):
    options = Options(source_lang="en", target_lang="de")
    return check_documents(Document("src.en.txt", SOURCE, "utf-8"), Document("tgt.txt", TARGET, "utf-8"), options,
                           encoder, Document("ref.de.txt", REFERENCE, "utf-8")).as_dict()


def test_reference_is_aligned_to_the_target_and_scored_per_link(document_report):
    report = document_report
    assert report["reference"]["path"] == "ref.de.txt"
    # The split first sentence is matched as a whole: each link scores against its own reference unit.
    for link in report["alignment"]:
        (t,) = link["target"]
        expected = sentence_metrics(TARGET_SENTENCES[t], REFERENCE_UNITS[t])
        assert link["reference_metrics"] == expected
    assert report["reference_metrics"] == corpus_metrics(TARGET_SENTENCES, REFERENCE_UNITS)


def test_reports_without_reference_have_no_reference_keys(encoder):
    report = check_documents(Document("src.en.txt", SOURCE, "utf-8"), Document("tgt.txt", TARGET, "utf-8"),
                             Options(source_lang="en", target_lang="de"), encoder).as_dict()
    assert "reference_metrics" not in report
    assert all("reference_metrics" not in link for link in report["alignment"])


def test_renderers_show_the_scores(document_report):
    from mtlint.renderers.html import article_page
    from mtlint.renderers.markdown import markdown
    from mtlint.report import to_text

    chrf = document_report["reference_metrics"]["chrF"]
    text = to_text(document_report, TARGET)
    assert f"chrF {chrf['score']:g}" in text and "ref.de.txt" in text
    assert chrf["signature"] in markdown([(document_report, TARGET)])
    assert chrf["signature"] in article_page(document_report, SOURCE, TARGET)


def test_pairs_take_references_per_row(encoder):
    rows = list(zip(SOURCE.split(". "), TARGET_SENTENCES))[:2]
    results = check_pairs(rows, "en", "de", Options(), encoder, references=[REFERENCE_UNITS[0], None])
    assert results[0].as_dict()["reference_metrics"] == sentence_metrics(TARGET_SENTENCES[0], REFERENCE_UNITS[0])
    assert "reference_metrics" not in results[1].as_dict()


def run(*args):
    return subprocess.run([sys.executable, "-m", "mtlint", *map(str, args)], capture_output=True, text=True)


def test_cli_pairs_third_column_and_check_reference_errors(tmp_path):
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text(f"Engineers presented three designs.\t{TARGET_SENTENCES[1]}\t{REFERENCE_UNITS[1]}\n"
                   "The mayor spoke.\tDer Bürgermeister sprach.\n", encoding="utf-8")
    result = run("pairs", tsv, "--source-lang", "en", "--target-lang", "de", "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["reference_metrics"]["TER"]["score"] == round(
        sacrebleu.sentence_ter(TARGET_SENTENCES[1], [REFERENCE_UNITS[1]]).score, 4)
    assert "reference_metrics" not in second
    source, target = tmp_path / "a.en.txt", tmp_path / "a.de.txt"
    source.write_text(SOURCE, encoding="utf-8")
    target.write_text(TARGET, encoding="utf-8")
    missing = run("check", source, target, "--reference", tmp_path / "missing.txt")
    assert missing.returncode == 2 and missing.stderr.startswith("mtlint: error:")
    assert missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
