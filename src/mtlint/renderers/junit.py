"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, GitHub test reporters).

``per="document"``: one ``mtlint`` test suite with one test case per document;
a document whose quality gate failed is a failing test case whose failure
message sums up the gate and whose body lists every issue (one
``path:line:col: severity category [check] ...`` line each).

``per="segment"``: one test suite per document with one test case per
alignment link (an aligned segment, or an omitted or added sentence). When
the document failed its gate, a segment fails if it holds an issue of
severity ``fail_on`` or worse (the gate's default, ``major``, unless told);
if that leaves the document's failure unexplained (a ``--max-penalty`` gate,
a stricter ``--fail-on``, or issues outside every segment), a ``document
gate`` test case fails too. A document that passed has no failing case.
Issues that do not fail a case are listed in its ``system-out``.

With ``--baseline``, issues recorded in the baseline never fail a test case
(the gate did not judge them): they are listed, marked ``(baselined)``, in
``system-out``, and failure messages count new issues only.
Hints (findings for review, below minor: mtlint.verdict) never fail a test case either; they
are listed last in ``system-out``.
``fail_on="never"`` fails no segment by severity (only a ``document gate``
case, if a ``--max-penalty`` gate failed the document).

Built with :mod:`xml.etree.ElementTree` (which escapes); characters XML 1.0
cannot carry (most C0 controls, lone surrogates) become U+FFFD.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ._common import (SEVERITIES, LineIndex, baseline_given, baselined, clip, counts_by_severity, document_name,
                      format_number, is_hint, issue_links, languages, new_counts_by_severity, position, severity_rank, span_of)

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
GATE_FAILURE = "mtlint.QualityGate"


def _x(text) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def _issue_line(issue: dict, path: str, index: LineIndex) -> str:
    where = position(index, issue.get("target_span")) or "-"
    parts = [f"{path}:{where}: {issue.get('severity', '')} {issue.get('category', '')} [{issue.get('check', '')}]"]
    if issue.get("target_text"):
        parts.append(f'"{clip(issue["target_text"], 120)}"')
    if issue.get("source_text"):
        parts.append(f'<- "{clip(issue["source_text"], 120)}"')
    parts.append(issue.get("message") or "")
    if issue.get("suggestion"):
        parts.append(f'(suggest: "{clip(issue["suggestion"], 120)}")')
    if baselined(issue):
        parts.append("(baselined)")
    return " ".join(parts)


def _gate_message(report: dict, issues: list[dict] | None = None) -> str:
    """The document's verdict, or (given ``issues``) a segment's share of it."""
    summary = report.get("summary") or {}
    with_baseline = baseline_given(report)
    if issues is None:
        counts = new_counts_by_severity(report) if with_baseline else counts_by_severity(report)
    else:
        counts = {s: sum(1 for i in issues if i.get("severity") == s) for s in SEVERITIES}
    listed = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
    if with_baseline and issues is None:  # the gate judged new issues only
        listed = f"{listed + ' new' if listed else 'no new issues'} ({summary.get('issues_baselined', 0)} baselined)"
    listed = listed or "no issues"
    document = (f"MQM {format_number(summary.get('mqm_per_100_words', 0))} per 100 words "
                f"(penalty {format_number(summary.get('mqm_penalty', 0))}, {summary.get('words', 0)} words)")
    if issues is None:
        return f"quality gate failed: {listed}; {document}"
    return f"quality gate failed: {listed} in this segment; document {document}"


def _case(parent: ET.Element, name: str, classname: str, failure: str | None, lines: list[str],
          out: list[str] = ()) -> ET.Element:
    """A test case: ``lines`` in the failure's body (in ``system-out`` if it passes), ``out`` in ``system-out``."""
    case = ET.SubElement(parent, "testcase", {"name": _x(name), "classname": _x(classname), "time": "0"})
    if failure is not None:
        node = ET.SubElement(case, "failure", {"message": _x(failure), "type": GATE_FAILURE})
        node.text = "\n".join(_x(line) for line in lines)
    else:
        out = [*lines, *out]
    if out:
        ET.SubElement(case, "system-out").text = "\n".join(_x(line) for line in out)
    return case


def _suite(parent: ET.Element, name: str, report: dict | None = None) -> ET.Element:
    suite = ET.SubElement(parent, "testsuite", {"name": _x(name)})
    if report is not None:
        props = ET.SubElement(suite, "properties")
        summary = report.get("summary") or {}
        source_lang, target_lang = languages(report)
        for key, value in (("source", (report.get("source") or {}).get("path", "")),
                           ("target", (report.get("target") or {}).get("path", "")),
                           ("languages", f"{source_lang}-{target_lang}"),
                           ("encoder", report.get("encoder", "")), ("signature", report.get("signature", "")),
                           ("words", summary.get("words", 0)),
                           ("mqm_penalty", format_number(summary.get("mqm_penalty", 0))),
                           ("mqm_per_100_words", format_number(summary.get("mqm_per_100_words", 0))),
                           ("passed", str(bool(summary.get("passed", True))).lower()),
                           *((("issues_new", summary.get("issues_new", 0)),
                              ("issues_baselined", summary.get("issues_baselined", 0)))
                             if baseline_given(report) else ())):
            ET.SubElement(props, "property", {"name": key, "value": _x(value)})
    return suite


def _count(element: ET.Element) -> None:
    cases = element.iter("testcase")
    tests = failures = 0
    for case in cases:
        tests += 1
        failures += case.find("failure") is not None
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    if element.tag == "testsuite":
        element.set("skipped", "0")
    element.set("time", "0")


def _segment_name(number: int, link: dict, report: dict, target_text: str) -> str:
    source_ids, target_ids = link.get("source") or [], link.get("target") or []
    label = f"segment {number}"
    if source_ids and not target_ids:
        label += " (omitted in translation)"
    elif target_ids and not source_ids:
        label += " (added in translation)"
    span = span_of(report.get("target_sentences") or [], target_ids)
    if span:
        label += f": {clip(target_text[span[0]:span[1]], 60)}"
    return label


def junit(reports: list[tuple[dict, str]], per: str = "document", fail_on: str = "major") -> str:
    """``reports`` are ``(report dict, target text)`` pairs; returns a JUnit XML document."""
    if per not in ("document", "segment"):
        raise ValueError(f"per must be 'document' or 'segment', not {per!r}")
    if fail_on not in (*SEVERITIES, "never"):
        raise ValueError(f"fail_on must be one of {', '.join(SEVERITIES)}, never, not {fail_on!r}")
    floor = -1 if fail_on == "never" else severity_rank(fail_on)  # -1: no severity fails a segment
    root = ET.Element("testsuites", {"name": "mtlint"})
    overall = _suite(root, "mtlint") if per == "document" else None
    for report, target_text in reports:
        path = document_name(report)
        source_lang, target_lang = languages(report)
        classname = f"mtlint.{source_lang}-{target_lang}"
        index = LineIndex(target_text)
        issues = report.get("issues") or []
        passed = bool((report.get("summary") or {}).get("passed", True))
        def listed(chosen: list[dict]) -> tuple[list[str], list[str]]:
            """Lines of new issues (a failure's body) and of baselined ones and hints (system-out only:
            a hint is for review and fails nothing)."""
            return ([_issue_line(i, path, index) for i in chosen if not baselined(i) and not is_hint(i)],
                    [_issue_line(i, path, index) for i in chosen if baselined(i) and not is_hint(i)]
                    + [_issue_line(i, path, index) for i in chosen if is_hint(i)])

        if per == "document":
            _case(overall, path, classname, None if passed else _gate_message(report), *listed(issues))
            continue
        suite = _suite(root, path, report)
        owners = issue_links(report)
        explained = False
        for number, link in enumerate(report.get("alignment") or [], 1):
            mine = [issue for issue, owner in zip(issues, owners) if owner == number - 1]
            failing = [] if passed else [i for i in mine
                                         if not baselined(i) and severity_rank(i.get("severity", "")) <= floor]
            explained |= bool(failing)
            _case(suite, _segment_name(number, link, report, target_text), path,
                  _gate_message(report, failing) if failing else None, *listed(mine))
        loose = [issue for issue, owner in zip(issues, owners) if owner is None]
        loose_failing = [i for i in loose if not baselined(i) and severity_rank(i.get("severity", "")) <= floor]
        if not passed and (not explained or loose_failing):
            _case(suite, "document gate", path, _gate_message(report), *listed(issues if not explained else loose))
        elif loose:
            _case(suite, "issues outside segments", path, None, *listed(loose))
        _count(suite)
    if overall is not None:
        _count(overall)
    _count(root)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


__all__ = ["junit"]
