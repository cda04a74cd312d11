"""The check framework (mtlint.checks.base): registration, requirements, languages, typed context.
Fast: no model (mtlint.testing's hashing encoder)."""
import pytest

from mtlint import Checker, Options
from mtlint.checks import base
from mtlint.resources.requirements import Requirement


def test_every_check_describes_itself():
    from mtlint.checks import all_checks

    checks = all_checks()
    assert len(checks) >= 30
    for check in checks.values():
        assert check.severity in base.SEVERITIES and "/" in check.category and check.summary
        assert check.summary.endswith(".") and len(check.summary) <= len(check.description)
        assert check.languages is None or all(len(code) == 2 for code in check.languages)
        assert all(isinstance(r, Requirement) for r in check.requires)
        assert set(check.as_dict()) == {"id", "category", "severity", "languages", "requires", "family", "summary",
                                        "description"}


def test_a_check_registered_twice_is_refused():
    with pytest.raises(ValueError):
        base.register("omission", "accuracy/omission", "major", "again.")(lambda pair: [])
    with pytest.raises(ValueError):
        base.register("x-test-severity", "accuracy/omission", "fatal", "bad severity.")


@pytest.fixture
def temporary_check():
    """Register checks for one test and remove them after."""
    added = []

    def add(check_id, **kwargs):
        def run(pair):
            yield base.Finding(target_span=(0, 2), source_span=(0, 2), message=f"{check_id} ran")
        base.register(check_id, "fluency/test", "minor", "A test check.", **kwargs)(run)
        added.append(check_id)

    yield add
    for check_id in added:
        del base.REGISTRY[check_id]


def test_missing_requirement_skips_the_check_with_a_coded_warning(temporary_check, fast_encoder):
    missing = Requirement("x-data", "no test data", "the test package x-data", lambda: False)
    present = Requirement("y-data", "no other data", "y", lambda: True)
    temporary_check("x-needs-missing", requires=[missing])
    temporary_check("x-needs-present", requires=[present])
    checker = Checker(Options(enable=["x-needs-missing", "x-needs-present"]), encoder=fast_encoder)
    report = checker.check("It is late.", "Es ist spät.", source_lang="en", target_lang="de")
    assert [i.check for i in report.issues] == ["x-needs-present"]
    assert report.warnings == ["[W001] x-needs-missing skipped: no test data (install the test package x-data)"]


def test_a_check_runs_only_for_its_target_languages(temporary_check, fast_encoder):
    temporary_check("x-german-only", languages=["de"])
    checker = Checker(Options(enable=["x-german-only"]), encoder=fast_encoder)
    assert [i.check for i in checker.check("It is late.", "Es ist spät.", source_lang="en",
                                           target_lang="de").issues] == ["x-german-only"]
    assert checker.check("It is late.", "Il est tard.", source_lang="en", target_lang="fr").issues == []


def test_derived_values_are_computed_once_per_pair(fast_encoder):
    calls = []

    def count_words(pair, side):
        calls.append(side)
        return len(getattr(pair, side).split())

    pair = base.DocumentPair("a b c", "d e", "en", "de", [], [], [], fast_encoder.encode)
    assert pair.derived(count_words, "source") == 3 and pair.derived(count_words, "source") == 3
    assert pair.derived(count_words, "target") == 2
    assert calls == ["source", "target"]


def test_a_file_of_segment_pairs_gives_its_rows_a_file_level_length_ratio():
    rows = [("a" * 10, "b" * 12)] * 8
    batch = base.Batch(rows, "en", "de")
    pair = base.DocumentPair(*rows[0], "en", "de", [], [], [], lambda texts: None, batch=batch, row=0)
    assert pair.length_ratio() == pytest.approx(1.2)
    assert base.Batch(rows[:7], "en", "de").derived(base._file_length_ratio) is None  # too few rows


def test_a_shard_of_a_file_reads_the_file_statistics_it_was_given():
    rows = [("a" * 10, "b" * 12)] * 8 + [("a" * 10, "b" * 30)] * 8
    statistics = base.file_statistics(rows, "en", "de")
    assert statistics[base._file_length_ratio] == pytest.approx(2.1)
    shard = base.Batch(rows[:4], "en", "de", start=0, statistics=statistics)
    pair = base.DocumentPair(*rows[0], "en", "de", [], [], [], lambda texts: None, batch=shard, row=0)
    assert pair.length_ratio() == pytest.approx(2.1)  # the file's, not its four rows' (too few for any)
    with pytest.raises(LookupError):
        base.Batch(rows[:4], "en", "de", statistics={}).statistic(base._file_length_ratio)


def test_hashing_encoder_is_deterministic_and_normalised(fast_encoder):
    import numpy as np

    a = fast_encoder.encode(["The vote was close.", "The vote was close.", "Bananas are yellow."])
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    assert a[0] @ a[1] == pytest.approx(1.0) and a[0] @ a[2] < 0.6
