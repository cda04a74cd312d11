"""MQM scoring and the gate (mtlint.score): the weights the annotators used, per 100 words."""
from mtlint.checks.base import Issue
from mtlint.score import Gate, issue_penalty, penalty, per_100_words, summary, word_count


def issue(severity, category="accuracy/mistranslation"):
    return Issue("x", category, severity, (0, 1), "a", (0, 1), "a", "m", None, 1.0)


def test_weights_follow_the_mqm_convention():
    assert [issue_penalty(issue(s)) for s in ("minor", "major", "critical")] == [1.0, 5.0, 25.0]
    assert issue_penalty(issue("minor", "fluency/punctuation")) == 0.1
    assert issue_penalty(issue("major", "fluency/punctuation")) == 5.0  # only minor punctuation is discounted
    assert penalty([issue("minor"), issue("major"), issue("minor", "fluency/punctuation")]) == 6.1


def test_words_and_penalty_per_100_words():
    assert word_count("Die EU-Kommission hat's 2024 beschlossen.") == 5
    assert per_100_words(6.1, 61) == 10.0 and per_100_words(3.0, 0) == 0.0


def test_the_gate_fails_on_its_severity_or_its_penalty():
    minor, major = [issue("minor")], [issue("major")]
    assert Gate("major").passed(minor, 100) and not Gate("major").passed(major, 100)
    assert not Gate("minor").passed(minor, 100) and Gate("never").passed(major, 100)
    assert not Gate("critical", max_penalty=4.0).passed(major, 100)  # 5 per 100 words
    assert Gate("critical", max_penalty=6.0).passed(major, 100)


def test_summary_counts_by_severity_and_category():
    result = summary([issue("minor"), issue("major", "accuracy/omission")], "eins zwei drei vier", Gate("major"))
    assert result["words"] == 4 and result["mqm_penalty"] == 6.0 and result["mqm_per_100_words"] == 150.0
    assert result["issues_by_severity"]["minor"] == 1 and result["issues_by_severity"]["major"] == 1
    assert result["issues_by_category"] == {"accuracy/mistranslation": 1, "accuracy/omission": 1}
    assert result["passed"] is False
    assert result["failed_because"] == ["1 issue major or worse"]
    assert "failed_because" not in summary([issue("minor")], "eins zwei", Gate("major"))


def test_the_gate_says_why_it_failed():
    major = [issue("major"), issue("major"), issue("minor")]
    assert Gate("major").reasons(major, 100) == ["2 issues major or worse"]
    assert Gate("critical", max_penalty=4.0).reasons(major, 100) == [
        "penalty of issues 11 per 100 words, above the limit of 4"]
    assert Gate("minor", max_penalty=4.0).reasons(major, 100, "new") == [
        "3 new issues minor or worse", "penalty of new issues 11 per 100 words, above the limit of 4"]
    assert Gate("critical").reasons(major, 100) == [] and Gate("never").reasons(major, 100) == []
