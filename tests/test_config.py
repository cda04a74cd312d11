"""Configuration files: discovery, validation, flags over file, and the configuration hash."""
import json
import subprocess
import sys

import pytest

from mtlint.cli import main
from mtlint.config import find_config, load_config
from mtlint.errors import UsageError
from mtlint.pipeline import Options
from mtlint.score import Gate

SOURCE = (
    "The company hired 250 new workers at its plant in March.\n"
    "Sales rose sharply in the spring. Profits fell in the summer.\n"
    "The chief executive said the results were better than expected.\n"
    "The board will meet again in the autumn to discuss new investments.\n"
)
# One major issue (a changed number) and one minor one (a sentence glued to the next).
TARGET = (
    "Das Unternehmen stellte im März 350 neue Mitarbeiter in seinem Werk ein.\n"
    "Der Umsatz stieg im Frühjahr stark.Die Gewinne fielen im Sommer.\n"
    "Der Vorstandschef sagte, die Ergebnisse seien besser als erwartet.\n"
    "Der Aufsichtsrat wird im Herbst erneut zusammenkommen, um über neue Investitionen zu beraten.\n"
)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "doc.en.txt").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "doc.txt").write_text(TARGET, encoding="utf-8")
    return tmp_path


def mtlint(cwd, *args):
    """Run the command line in a fresh process (exit code and the one-line error are the contract)."""
    return subprocess.run([sys.executable, "-m", "mtlint", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def mtlint_here(monkeypatch, capsys, cwd, *args):
    """The same in this process (the encoder is loaded once per test session, so this is quick)."""
    monkeypatch.chdir(cwd)
    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as ended:
        code = ended.code
    return code, capsys.readouterr()


def test_unknown_key_is_an_error_naming_key_and_file(project):
    (project / "mtlint.toml").write_text('[tool.mtlint]\nfial_on = "minor"\n', encoding="utf-8")
    result = mtlint(project, "check", "doc.en.txt", "doc.txt")
    assert result.returncode == 2
    assert result.stderr.startswith("mtlint: error: mtlint.toml: unknown key 'fial_on' in [tool.mtlint]")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""


@pytest.mark.parametrize("toml, message", [
    ('fail_on = "sometimes"\n', "'fail_on' in the top level must be one of minor, major, critical, never, not 'sometimes'"),
    ("max_penalty = \"high\"\n", "'max_penalty' in the top level must be a number >= 0"),
    ('enable = "numbers"\n', "'enable' in the top level must be a list of check ids"),
    ('disable = ["no-such-check"]\n', "unknown check 'no-such-check' in 'disable' in the top level"),
    ('[severity]\nglued-words = "fatal"\n', "severity of 'glued-words' in [severity] must be one of hint, minor, major, critical"),
    ('[severity]\ntypo-check = "minor"\n', "unknown check 'typo-check' in [severity]"),
    ('source_lang = "xx"\n', "'source_lang' in the top level: unknown language code 'xx'"),
    ("jobs = 0\n", "'jobs' in the top level must be a whole number >= 1"),
    ('fail_on = "major"\nfail_on = "minor"\n', "not valid TOML"),
])
def test_bad_values_are_errors_naming_the_key(tmp_path, toml, message):
    (tmp_path / "mtlint.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(UsageError) as error:
        load_config(start=tmp_path)
    assert str(error.value).startswith(f"{tmp_path / 'mtlint.toml'}: ") or str(error.value).startswith("mtlint.toml: ")
    assert message in str(error.value)


def test_search_goes_upward_and_the_nearest_file_wins(tmp_path):
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.mtlint]\nfail_on = "critical"\n')
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "no mtlint table here"\n')
    assert find_config(deep) == tmp_path / "pyproject.toml"        # a pyproject without [tool.mtlint] is passed by
    assert load_config(start=deep).get("fail_on") == "critical"
    (tmp_path / "a" / "b" / "mtlint.toml").write_text('fail_on = "minor"\n')
    assert find_config(deep) == tmp_path / "a" / "b" / "mtlint.toml"
    assert load_config(start=deep).get("fail_on") == "minor"
    (deep / "pyproject.toml").write_text('[tool.mtlint]\nfail_on = "never"\n')
    (deep / "mtlint.toml").write_text('fail_on = "major"\n')        # same directory: mtlint.toml first
    assert find_config(deep) == deep / "mtlint.toml"


def test_paths_are_relative_to_the_config_file(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "mtlint.toml").write_text('glossary = "terms/glossary.csv"\nbaseline = "../.mtlint-baseline.json"\n')
    config = load_config(str(tmp_path / "conf" / "mtlint.toml"))
    assert config.get("glossary") == str(tmp_path / "conf" / "terms" / "glossary.csv")
    assert config.get("baseline") == str(tmp_path / "conf" / ".." / ".mtlint-baseline.json")


def test_explicit_config_missing_or_without_table(tmp_path):
    with pytest.raises(UsageError, match="configuration file not found"):
        load_config(str(tmp_path / "nope.toml"))
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with pytest.raises(UsageError, match=r"no \[tool.mtlint\] table"):
        load_config(str(tmp_path / "pyproject.toml"))


def test_file_sets_the_gate_and_flags_override_it(project, monkeypatch, capsys):
    # Without configuration the changed number (major) fails the default gate.
    assert mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt")[0] == 1
    (project / "pyproject.toml").write_text('[tool.mtlint]\nfail_on = "critical"\n')
    assert mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt")[0] == 0
    assert mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt", "--fail-on", "major")[0] == 1
    # max_penalty from the file fails it again; the flag relaxes it.
    (project / "pyproject.toml").write_text('[tool.mtlint]\nfail_on = "never"\nmax_penalty = 5\n')
    assert mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt")[0] == 1
    assert mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt", "--max-penalty", "50")[0] == 0


def test_checks_and_severities_from_the_file(project, monkeypatch, capsys):
    (project / "mtlint.toml").write_text('fail_on = "never"\n[severity]\nglued-sentence = "major"\n')
    code, out = mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt", "--format", "json")
    issues = {i["check"]: i for i in json.loads(out.out)["issues"]}
    assert issues["glued-sentence"]["severity"] == "major" and issues["number-mismatch"]["severity"] == "major"
    (project / "mtlint.toml").write_text('fail_on = "never"\ndisable = ["number-mismatch"]\n')
    code, out = mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt", "--format", "json")
    assert [i["check"] for i in json.loads(out.out)["issues"]] == ["glued-sentence"]
    # --disable on the command line replaces the file's list
    code, out = mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt", "--format", "json",
                            "--disable", "glued-sentence")
    assert [i["check"] for i in json.loads(out.out)["issues"]] == ["number-mismatch"]


def test_config_flag_names_the_file(project, monkeypatch, capsys):
    (project / "strict.toml").write_text('[tool.mtlint]\nfail_on = "minor"\ndisable = ["number-mismatch"]\n')
    code, out = mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt", "--config", "strict.toml")
    assert code == 1 and "glued-sentence" in out.out and "number-mismatch" not in out.out


def test_report_json_carries_the_config_hash(project, monkeypatch, capsys):
    code, out = mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt", "--format", "json")
    plain = json.loads(out.out)
    (project / "mtlint.toml").write_text('[severity]\nglued-sentence = "major"\n')
    code, out = mtlint_here(monkeypatch, capsys, project, "check", "doc.en.txt", "doc.txt", "--format", "json")
    configured = json.loads(out.out)
    for report in (plain, configured):
        assert report["signature"].endswith(f"|cfg:{report['config_hash']}")
        assert report["mtlint_version"] and report["encoder"]
    assert plain["config_hash"] == Options().config_hash()
    assert configured["config_hash"] == Options(severity={"glued-sentence": "major"}).config_hash()
    assert plain["config_hash"] != configured["config_hash"]


def test_config_hash_covers_what_changes_results():
    base = Options()
    changed = [Options(enable=["numbers"]), Options(disable=["glued-words"]), Options(severity={"quote-style": "major"}),
               Options(gate=Gate("minor")), Options(gate=Gate("major", 3.0)), Options(model="some/other-model"),
               Options(presegmented=True)]
    hashes = {base.config_hash()} | {o.config_hash() for o in changed}
    assert len(hashes) == len(changed) + 1
    # the order of ids does not matter, and the worker count does not change results
    assert Options(disable=["a", "b"]).config_hash() == Options(disable=["b", "a"]).config_hash()
    assert Options(jobs=4).config_hash() == base.config_hash()
