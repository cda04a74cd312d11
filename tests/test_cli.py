"""The command line on the real corpus and on bad input."""
import json
import subprocess
import sys

import pytest

from conftest import corpus_files, reference_for

pytestmark = pytest.mark.model  # runs the real encoder and quality-estimation model

CORPUS = corpus_files()


def run(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "mtlint", *map(str, args)], capture_output=True, text=True,
                          **kwargs)


@pytest.fixture(scope="module")
def json_reports():
    reports = {}
    for target in CORPUS:
        result = run("check", reference_for(target), target, "--format", "json", "--fail-on", "never")
        assert result.returncode == 0, result.stderr
        reports[target.name] = (json.loads(result.stdout), result.stdout)
    return reports


def test_json_report_is_valid_for_every_article(json_reports):
    for name, (report, _) in json_reports.items():
        target = (CORPUS[0].parent / name).read_text(encoding="utf-8")
        assert report["schema"] == "mtlint.report/1"
        assert report["target"]["lang"] == "de"
        assert report["source"]["lang"] in {"en", "fr", "uk"}
        assert set(report) >= {"source", "target", "encoder", "signature", "source_sentences", "target_sentences",
                               "alignment", "issues", "summary"}
        covered = sorted(i for link in report["alignment"] for i in link["target"])
        assert covered == list(range(len(report["target_sentences"])))
        for issue in report["issues"]:
            assert issue["severity"] in {"hint", "minor", "major", "critical"}
            assert "/" in issue["category"]
            if issue["target_span"]:
                start, end = issue["target_span"]
                assert target[start:end] == issue["target_text"]
        assert report["summary"]["passed"] is True  # --fail-on never


def test_json_is_byte_identical_across_runs(json_reports):
    target = CORPUS[0]
    again = run("check", reference_for(target), target, "--format", "json", "--fail-on", "never")
    assert again.stdout == json_reports[target.name][1]


def test_gate_exit_codes(json_reports):
    # The article with the most major issues fails the default gate; "never" passes it.
    name = max(json_reports, key=lambda n: json_reports[n][0]["summary"]["issues_by_severity"]["major"])
    assert json_reports[name][0]["summary"]["issues_by_severity"]["major"] > 0
    target = CORPUS[0].parent / name
    assert run("check", reference_for(target), target).returncode == 1
    assert run("check", reference_for(target), target, "--fail-on", "never").returncode == 0
    assert run("check", reference_for(target), target, "--fail-on", "never", "--max-penalty", "0").returncode == 1


def test_text_output_lists_issues_with_positions():
    target = CORPUS[-1]
    result = run("check", reference_for(target), target, "--fail-on", "never")
    assert result.returncode == 0
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith(str(target)) and "MQM penalty" in lines[-1]
    assert all(line.startswith(f"{target}:") for line in lines if not line.startswith("warning"))


@pytest.mark.parametrize("make_bad", ["missing", "directory", "empty", "binary"])
def test_bad_input_is_one_line_and_exit_2(tmp_path, make_bad):
    bad = tmp_path / "bad.txt"
    if make_bad == "directory":
        bad = tmp_path
    elif make_bad == "empty":
        bad.write_bytes(b"")
    elif make_bad == "binary":
        bad.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(200))
    result = run("check", reference_for(CORPUS[0]), bad)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("mtlint: error:")
    assert "Traceback" not in result.stderr


def test_unknown_language_code_is_a_usage_error():
    result = run("check", reference_for(CORPUS[0]), CORPUS[0], "--source-lang", "xx")
    assert result.returncode == 2 and "unknown language code 'xx'" in result.stderr
    assert "Traceback" not in result.stderr


def test_declared_language_contradicted_by_the_text_is_a_warning(tmp_path):
    target = CORPUS[0]
    result = run("check", reference_for(target), target, "--target-lang", "fr", "--format", "json",
                 "--fail-on", "never")
    warnings = json.loads(result.stdout)["warnings"]
    assert any("declared language fr" in w and "de" in w for w in warnings)


def test_report_command_writes_every_article_and_lists_unpaired(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for target in CORPUS[:2]:
        (corpus / target.name).write_bytes(target.read_bytes())
    (corpus / "orphan.txt").write_text("Ein Artikel ohne Original.", encoding="utf-8")
    out = tmp_path / "out"
    result = run("report", corpus, reference_for(CORPUS[0]).parent, "-o", out, "--fail-on", "never", "-q")
    assert result.returncode == 0, result.stderr
    run_report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [d["name"] for d in run_report["documents"]] == sorted(
        [d["name"] for d in run_report["documents"]],
        key=lambda n: -next(d["summary"]["mqm_per_100_words"] for d in run_report["documents"] if d["name"] == n))
    assert {d["name"] for d in run_report["documents"]} == {t.stem for t in CORPUS[:2]}
    assert any(p.endswith("orphan.txt") for p in run_report["unpaired"])
    for target in CORPUS[:2]:
        assert (out / f"{target.stem}.json").exists()


def test_fail_on_default_is_what_the_help_says(tmp_path, monkeypatch, capsys):
    from mtlint.cli import main
    from test_baseline import SOURCE, TARGET  # one major issue (a changed number), one minor (a glued sentence)

    help_text = " ".join(run("check", "--help").stdout.split())
    assert "[default: 'fail_on' in the configuration, else major]" in help_text
    (tmp_path / "doc.en.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "major.txt").write_text(TARGET, encoding="utf-8")
    (tmp_path / "minor.txt").write_text(TARGET.replace("350", "250"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # no configuration here or above

    def exit_code(target, *args):
        with pytest.raises(SystemExit) as ended:
            main(["check", "doc.en.txt", target, "--enable", "number-mismatch,glued-sentence", *args])
        capsys.readouterr()
        return ended.value.code

    # Neither flag nor configuration: major fails, minor passes.
    assert exit_code("major.txt") == 1 and exit_code("minor.txt") == 0
    assert exit_code("minor.txt", "--fail-on", "minor") == 1 and exit_code("major.txt", "--fail-on", "critical") == 0
    # The configuration's fail_on replaces the default; the flag still wins.
    (tmp_path / "mtlint.toml").write_text('fail_on = "minor"\n', encoding="utf-8")
    assert exit_code("minor.txt") == 1 and exit_code("minor.txt", "--fail-on", "major") == 0


def test_checks_lists_every_registered_check_for_enable_and_disable(tmp_path):
    from mtlint.checks import all_checks

    result = run("checks", "--format", "json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert [c["id"] for c in listed] == list(all_checks())
    assert {"mistranslation", "number-mismatch", "clause-omission", "untranslated-sentence"} <= {c["id"] for c in listed}
    for c in listed:
        assert c["severity"] in {"minor", "major", "critical"} and "/" in c["category"] and c["description"]
    text = run("checks").stdout.splitlines()
    assert len(text) == len(listed) and text[0].split()[0] == listed[0]["id"]
    # Each listed id is accepted by --enable.
    (tmp_path / "pairs.tsv").write_text("It is late.\tEs ist spät.\n", encoding="utf-8")
    pair = run("pairs", tmp_path / "pairs.tsv", "--source-lang", "en", "--target-lang", "de", "--enable", listed[0]["id"],
               "--format", "jsonl")
    assert pair.returncode == 0, pair.stderr


GOLDEN = CORPUS[0].parent.parent / "tests" / "data" / "golden"


def test_corpus_reports_are_byte_identical_to_the_recorded_ones(json_reports):
    """The JSON report of every corpus article, as recorded in tests/data/golden (paths reduced to
    file names): a change of any issue, span, score or signature shows here.  A deliberate change
    of results rewrites these files (see tests/data/golden/README.md)."""
    for name, (report, _) in sorted(json_reports.items()):
        for side in ("source", "target"):
            report[side]["path"] = report[side]["path"].replace("\\", "/").rsplit("/", 1)[-1]
        expected = (GOLDEN / (name.rsplit(".", 1)[0] + ".json")).read_text(encoding="utf-8")
        assert json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n" == expected, name


@pytest.mark.parametrize("interrupt, code", [(KeyboardInterrupt(), 130), (SystemExit(143), 143)])
def test_an_interrupt_a_library_turned_into_its_own_error_still_ends_as_an_interrupt(monkeypatch, capsys,
                                                                                      interrupt, code):
    """langdetect's profile loader catches everything (a bare except) and raises its own error; a
    Ctrl-C or SIGTERM that lands there must still end the run as one, not as an internal error."""
    import mtlint.checks
    from mtlint.cli import main

    def loader():
        try:
            raise interrupt
        except BaseException:
            raise ValueError("Profile format error")

    monkeypatch.setattr(mtlint.checks, "all_checks", loader)
    with pytest.raises(SystemExit) as exit_info:
        main(["checks"])
    assert exit_info.value.code == code
    assert capsys.readouterr().err == "mtlint: interrupted\n"


def test_a_translation_read_from_standard_input_gets_the_same_issues(json_reports):
    target = CORPUS[0]
    result = run("check", reference_for(target), "-", "--format", "json", "--fail-on", "never",
                 input=target.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["target"]["path"] == "-"
    assert report["issues"] == json_reports[target.name][0]["issues"]
    both = run("check", "-", "-", input="Ein Satz.\n")  # standard input is read once
    assert both.returncode == 2 and both.stderr.startswith("mtlint: error: -:") and "Traceback" not in both.stderr
