"""Software-string checks (mtlint.checks.strings and the placeholder, number and quote checks on strings).

The cases in tests/data/strings/cases.tsv were written from pofilter's and Okapi
CheckMate's documented behaviour; each runs its one check on one unit, without a
model. The end-to-end test runs `mtlint pairs` on the XLIFF and PO files next to them.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from mtlint.checks import all_checks, select_checks
from mtlint.checks.base import Issue
from strings_cases import load_cases, run_case

CASES = load_cases()
DATA = Path(__file__).parent / "data" / "strings"
# Checks of other families that the case file covers on software strings.
ALSO_COVERED = ("placeholder", "number-mismatch", "quote-style")
SCRIPTS = ("Latin", "Cyrillic", "Arabic", "Hebrew", "CJK", "Devanagari")
# Scripts without letter case: start-capital can only pass there.
CASELESS = {"Arabic", "Hebrew", "CJK", "Devanagari"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.line}-{c.check}-{c.target_lang}-{c.expected}")
def test_case(case):
    issues = run_case(case)
    if case.expected == "fail":
        assert issues, f"{case}: nothing found"
        assert {i.check for i in issues} == {case.check}
    else:
        assert not issues, f"{case}: {[i.message for i in issues]}"


_LANGUAGE_SCRIPT = {**dict.fromkeys(("ru", "uk", "bg", "sr", "be", "mk", "kk"), "Cyrillic"),
                    **dict.fromkeys(("ar", "fa", "ur"), "Arabic"), "he": "Hebrew",
                    **dict.fromkeys(("zh", "ja", "ko"), "CJK"), **dict.fromkeys(("hi", "mr", "ne"), "Devanagari"),
                    "el": "Greek", "hy": "Armenian", "th": "Thai"}


def _script(case) -> str:
    """The script a case tests: its target language's, else (a Latin target) its source language's."""
    target = _LANGUAGE_SCRIPT.get(case.target_lang, "Latin")
    return target if target != "Latin" else _LANGUAGE_SCRIPT.get(case.source_lang, "Latin")


def test_every_string_check_has_pass_and_fail_cases_in_six_scripts():
    covered: dict[tuple[str, str], set[str]] = defaultdict(set)
    for case in CASES:
        covered[case.check, case.expected].add(_script(case))
    family = [c.id for c in all_checks().values() if c.family == "strings"]
    assert len(family) >= 15
    for check in [*family, *ALSO_COVERED]:
        passes, fails = covered[check, "pass"], covered[check, "fail"]
        assert set(SCRIPTS) <= passes, f"{check}: pass cases in {sorted(passes)}"
        wanted = set(SCRIPTS) - CASELESS if check == "start-capital" else set(SCRIPTS)
        assert wanted <= fails, f"{check}: fail cases in {sorted(fails)}"


def test_string_family_runs_only_where_asked():
    default = {c.id for c in select_checks()}
    strings = {c.id for c in select_checks(strings=True)}
    family = {c.id for c in all_checks().values() if c.family == "strings"}
    assert not default & family and family <= strings
    assert {c.id for c in select_checks(["accelerator"])} == {"accelerator"}  # named, it runs anyway


def test_placeholders_in_documents_keep_their_reading():
    from mtlint.checks.placeholders import placeholders

    text = "See [Beta] and #1# at 100%, %d of %s, <a title=\"x\">"
    assert [p.text for p in placeholders(text)] == ["%d", "%s", '<a title="x">']
    assert [p.text for p in placeholders(text, strings=True)] == ["%d", "%s", '<a title="x">']  # [Beta]: a word in brackets
    assert [p.key for p in placeholders("%s %d", strings=True)] == ["%1$s", "%2$d"]
    assert [p.key for p in placeholders("%2$d %1$s", strings=True)] == ["%2$d", "%1$s"]
    assert [p.text for p in placeholders("[USER_NAME] %date% @APP@", strings=True)] == ["[USER_NAME]", "%date%",
                                                                                           "@APP@"]


def _issue(check: str, severity: str) -> Issue:
    return Issue(check, "accuracy/mistranslation", severity, (0, 4), "", (0, 4), "", "m", None, 0.9)


def test_model_findings_on_short_units_are_minor_and_critical_error_is_not_given():
    from mtlint.verdict import cap_short_unit

    found = [_issue("critical-error", "major"), _issue("mistranslation", "major"), _issue("low-adequacy", "major"),
             _issue("placeholder", "critical"), _issue("accelerator", "critical")]
    capped = cap_short_unit(found, "Open the file", "Datei öffnen")
    assert [(i.check, i.severity) for i in capped] == [("mistranslation", "minor"), ("low-adequacy", "minor"),
                                                       ("placeholder", "critical"), ("accelerator", "critical")]
    assert cap_short_unit(found, "打开文件", "ファイルを開く")[0].check == "mistranslation"  # CJK: 2 characters a word
    long = "Open the file that you saved yesterday"
    assert cap_short_unit(found, long, "Öffnen Sie die gestern gespeicherte Datei") == found


def test_software_strings_are_told_by_format_and_unit_length():
    from mtlint.formats import Bilingual, Unit, software_strings

    def units(*sources):
        return [Unit(str(n), s, s, None, None) for n, s in enumerate(sources)]

    assert software_strings(Bilingual("a.po", "po", units("A long sentence " * 10), None, None))
    assert software_strings(Bilingual("a.tsv", "tsv", units("Open", "Save as…", "Delete %s?"), None, None))
    sentences = units(*["The committee met on Tuesday to discuss the budget for the next two years and more."] * 3)
    assert not software_strings(Bilingual("a.tsv", "tsv", sentences, None, None))


def test_xliff_maxwidth_in_characters_is_carried():
    from mtlint.formats import read_pairs

    units = {u.id: u for u in read_pairs(str(DATA / "app.de.xlf")).units}
    assert units["cancel"].max_width == 8 and units["ok"].max_width == 8 and units["open"].max_width is None


def test_word_frequencies_without_optional_tokenisers():
    from mtlint.resources.frequency import zipf as zipf_frequency

    for word, lang in (("文件", "zh"), ("ファイル", "ja"), ("파일", "ko"), ("ملف", "ar"), ("फ़ाइल", "hi")):
        assert zipf_frequency(word, lang) > 3.0, (word, lang)  # a common word, tokeniser or not
    assert zipf_frequency("ไฟล์", "th") == 0.0  # no word list for Thai: unknown, no error


# What the planted slips in app.de.xlf and app.ja.po must raise; other units must raise no string check.
XLIFF_SLIPS = {"file-menu": "accelerator", "error": "newline", "rotate": "number-unit", "cancel": "length-limit",
               "two-words": "unchanged", "question": "end-punctuation"}
PO_SLIPS = {"_Edit": "accelerator", "Line one\nLine two": "newline", "Open /etc/hosts": "file-path",
            "Print": "unchanged"}


def _pairs(capsys, *args):
    from mtlint.cli import cli

    with pytest.raises(SystemExit) as exit_info:
        cli.main(["pairs", *args], standalone_mode=False)
    captured = capsys.readouterr()
    return exit_info.value.code, [json.loads(line) for line in captured.out.splitlines()], captured.err


def test_pairs_on_xliff_and_po_finds_the_planted_slips_and_runs_every_script(tmp_path, capsys):
    family = {c.id for c in all_checks().values() if c.family == "strings"} | {"placeholder"}
    for path, slips, extra in ((DATA / "app.de.xlf", XLIFF_SLIPS, ()), (DATA / "app.ja.po", PO_SLIPS, ("--source-lang", "en"))):
        code, lines, err = _pairs(capsys, str(path), *extra)
        assert code == 1, err
        by_id = {line["id"]: line for line in lines}
        assert set(slips) <= set(by_id)
        for unit_id, line in by_id.items():
            string_checks = {i["check"] for i in line["issues"] if i["check"] in family}
            assert string_checks == ({slips[unit_id]} if unit_id in slips else set()), (path.name, unit_id, line["issues"])
            for issue in line["issues"]:
                assert issue["check"] != "critical-error" and (issue["check"] in family or issue["severity"] in ("minor", "hint")), \
                    (unit_id, issue)  # short units: model findings minor at most
    # Every script reads without optional tokenisers, as a CSV of short strings (string checks on).
    targets = {"zh": "打开文件", "ja": "ファイルを開く", "ko": "파일 열기", "ar": "افتح الملف", "fa": "پرونده را باز کنید",
               "he": "פתח את הקובץ", "hi": "फ़ाइल खोलें", "th": "เปิดไฟล์"}
    for lang, target in targets.items():
        path = tmp_path / f"ui.{lang}.tsv"
        path.write_text(f"Open the file\t{target}\nDelete %d files?\t{target} %d\n", encoding="utf-8")
        code, lines, err = _pairs(capsys, str(path), "--source-lang", "en", "--target-lang", lang, "--fail-on", "never")
        assert code == 0 and len(lines) == 2, (lang, err)
        assert [i["check"] for i in lines[0]["issues"] if i["check"] in family] == []


def test_string_checks_say_nothing_on_a_document_of_several_sentences():
    from mtlint.align import Link
    from mtlint.checks.base import DocumentPair, run_checks
    from mtlint.testing import check_unit
    from mtlint.resources.segment import Sentence

    source, target = "Open &File.\nSave it.", "Datei öffnen. Speichern."
    family = [c for c in all_checks().values() if c.family == "strings"]
    pair = DocumentPair(source, target, "en", "de", [Sentence(0, 11, 0), Sentence(12, 20, 0)],
                        [Sentence(0, 13, 0), Sentence(14, 24, 0)], [Link((0,), (0,), 1.0), Link((1,), (1,), 1.0)],
                        lambda texts: None)
    assert run_checks(pair, family) == []
    # The same text as one unit: its lost accelerator and line break are found.
    assert {i.check for i in check_unit(source, target, "en", "de", [c.id for c in family])} >= {"accelerator",
                                                                                                  "newline"}


def test_a_changed_url_or_address_is_marked_where_the_translation_has_it():
    from mtlint.testing import check_unit

    source, target = "See https://example.com/help or mail help@example.com.", \
        "Siehe https://example.org/help oder an hilfe@example.com."
    found = {i.check: i for i in check_unit(source, target, "en", "de", ["url", "email"])}
    assert found["url"].target_text == "https://example.org/help" and found["url"].suggestion == "https://example.com/help"
    assert "is https://example.org/help in the translation" in found["url"].message
    assert found["email"].target_text == "hilfe@example.com"
    # Lost, with nothing in its place: the whole unit is marked.
    [lost] = check_unit(source, "Siehe die Hilfe.", "en", "de", ["url"])
    assert lost.target_text == "Siehe die Hilfe." and "not in the translation" in lost.message
