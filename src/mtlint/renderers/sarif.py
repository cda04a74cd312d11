"""SARIF 2.1.0 output, for code-scanning tools (GitHub code scanning, IDE viewers).

One run for all documents. The driver lists one rule per check id that
occurs, with its description and MQM category; each issue is a result on the
translation file:

- ``level``: critical and major are ``error``, minor is ``warning``, a hint (a finding for
  review, mtlint.verdict) is ``note``;
- ``region``: 1-based lines and columns counted in Unicode code points (the
  run says ``columnKind: unicodeCodePoints``), ``endColumn`` exclusive as
  SARIF defines it, plus ``charOffset``/``charLength`` and a snippet;
- ``partialFingerprints["mtlintIssue/v1"]``: a SHA-256 of check id, target
  text and source text, stable across runs and line moves.

Issues without a target span (an omission: nothing in the translation to
point at) are placed at an *insertion point*: an empty region (``charLength``
0) where the missing translation belongs, at the start of the next aligned
target sentence (else the end of the previous one, else line 1, column 1),
so viewers show them next to the gap rather than at the top of the file.
Their source span goes in ``relatedLocations`` (source file, ``charOffset``
and ``charLength`` only: the source text is not an input here) and in the
message.

When a report was made with ``--baseline``, every result of the run carries
``baselineState``: ``unchanged`` for an issue recorded in the baseline,
``new`` for the others (SARIF wants the property on all results of a run or
on none, so a report without a baseline in such a run counts as all new).
"""
from __future__ import annotations

import hashlib
import os
import urllib.parse

from .. import __version__
from ._common import LineIndex, baseline_given, baselined, clip, insertion_point, issue_links

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/mtlint/"
LEVELS = {"critical": "error", "major": "error", "minor": "warning", "hint": "note"}
FINGERPRINT = "mtlintIssue/v1"


def fingerprint(issue: dict) -> str:
    """Stable hash of check id, target text and source text (NUL-separated, UTF-8)."""
    key = "\0".join([issue.get("check", ""), issue.get("target_text") or "", issue.get("source_text") or ""])
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def artifact_uri(path: str) -> str:
    """A URI reference for a document path: relative paths stay relative (``/`` separators)."""
    path = str(path)
    if os.path.isabs(path):
        return "file://" + urllib.parse.quote(os.path.abspath(path).replace("\\", "/"), safe="/:")
    return urllib.parse.quote(path.replace("\\", "/"), safe="/")


def _rules(reports: list[tuple[dict, str]]) -> list[dict]:
    registered = _registered_checks()
    seen: dict[str, dict] = {}
    for report, _ in reports:
        for issue in report.get("issues") or []:
            check = issue.get("check", "")
            if check in seen:
                continue
            known = registered.get(check)
            category = known[0] if known else issue.get("category", "")
            description = known[2] if known else f"mtlint check {check}"
            level = LEVELS.get(known[1] if known else issue.get("severity"), "warning")
            seen[check] = {
                "id": check,
                "name": "".join(part.capitalize() for part in check.replace("_", "-").split("-")) or check,
                "shortDescription": {"text": description},
                "defaultConfiguration": {"level": level},
                "properties": {"category": category, "tags": ["translation", category.split("/")[0]]},
            }
    return [seen[k] for k in sorted(seen)]


def _registered_checks() -> dict[str, tuple[str, str, str]]:
    """``id -> (category, severity, description)`` of the built-in checks, if they load."""
    try:
        from ..checks import all_checks

        return {c.id: (c.category, c.severity, c.description) for c in all_checks().values()}
    except Exception:  # rendering must not depend on every check importing cleanly
        return {}


def _region(index: LineIndex, start: int, end: int, text: str | None) -> dict:
    start_line, start_col = index.position(start)
    end_line, end_col = index.position(end)
    region = {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col,
              "charOffset": start, "charLength": end - start}
    if text:
        region["snippet"] = {"text": text}
    return region


def _message(issue: dict) -> str:
    parts = [issue.get("message") or issue.get("check", "")]
    target, source = issue.get("target_text"), issue.get("source_text")
    if target:
        parts.append(f"Translation: \u201c{clip(target, 200)}\u201d.")
    if source:
        parts.append(f"Source: \u201c{clip(source, 200)}\u201d.")
    if issue.get("suggestion"):
        parts.append(f"Suggestion: \u201c{clip(issue['suggestion'], 200)}\u201d.")
    first = parts[0].rstrip()
    parts[0] = first if first.endswith((".", "!", "?", ":")) else first + "."
    return " ".join(parts)


def sarif(reports: list[tuple[dict, str]]) -> dict:
    """``reports`` are ``(report dict, target text)`` pairs; returns a SARIF 2.1.0 log as a dict."""
    rules = _rules(reports)
    rule_index = {rule["id"]: n for n, rule in enumerate(rules)}
    results, artifacts, artifact_index, documents = [], [], {}, []
    with_baseline = any(baseline_given(report) for report, _ in reports)
    for report, target_text in reports:
        target = report.get("target") or {}
        source = report.get("source") or {}
        target_uri = artifact_uri(target.get("path") or "<target>")
        source_uri = artifact_uri(source.get("path") or "<source>")
        for uri, meta, role in ((target_uri, target, "analysisTarget"), (source_uri, source, "referencedOnCommandLine")):
            if uri not in artifact_index:
                artifact_index[uri] = len(artifacts)
                artifact = {"location": {"uri": uri}, "roles": [role]}
                if meta.get("encoding"):
                    artifact["encoding"] = meta["encoding"]
                if meta.get("lang"):
                    artifact["properties"] = {"language": meta["lang"]}
                artifacts.append(artifact)
        summary = report.get("summary") or {}
        documents.append({"source": source_uri, "target": target_uri, "signature": report.get("signature", ""),
                          "passed": bool(summary.get("passed", True)),
                          "mqmPenalty": summary.get("mqm_penalty", 0),
                          "mqmPer100Words": summary.get("mqm_per_100_words", 0), "words": summary.get("words", 0)})
        if baseline_given(report):
            documents[-1].update(issuesNew=summary.get("issues_new", 0),
                                 issuesBaselined=summary.get("issues_baselined", 0))
        index = LineIndex(target_text)
        links = issue_links(report)
        for n, issue in enumerate(report.get("issues") or []):
            tspan, sspan = issue.get("target_span"), issue.get("source_span")
            if tspan:
                region = _region(index, int(tspan[0]), int(tspan[1]), issue.get("target_text"))
            else:
                point = insertion_point(report, links[n])
                region = _region(index, point, point, None)
            location = {"physicalLocation": {
                "artifactLocation": {"uri": target_uri, "index": artifact_index[target_uri]}, "region": region}}
            result = {
                "ruleId": issue.get("check", ""),
                "ruleIndex": rule_index[issue.get("check", "")],
                "level": LEVELS.get(issue.get("severity"), "warning"),
                "message": {"text": _message(issue)},
                "locations": [location],
                "partialFingerprints": {FINGERPRINT: fingerprint(issue)},
                "properties": {"category": issue.get("category", ""), "severity": issue.get("severity", ""),
                               "confidence": issue.get("confidence"), "insertionPoint": not tspan},
            }
            if with_baseline:
                result["baselineState"] = "unchanged" if baselined(issue) else "new"
            if issue.get("suggestion"):
                result["properties"]["suggestion"] = issue["suggestion"]
            if sspan:
                result["relatedLocations"] = [{
                    "id": 1,
                    "physicalLocation": {"artifactLocation": {"uri": source_uri, "index": artifact_index[source_uri]},
                                         "region": {"charOffset": int(sspan[0]),
                                                    "charLength": int(sspan[1]) - int(sspan[0]),
                                                    **({"snippet": {"text": issue["source_text"]}}
                                                       if issue.get("source_text") else {})}},
                    "message": {"text": "source text"},
                }]
            if result["properties"]["confidence"] is None:
                del result["properties"]["confidence"]
            results.append(result)
    versions = sorted({str(report.get("mtlint_version")) for report, _ in reports if report.get("mtlint_version")})
    version = versions[-1] if len(versions) == 1 else __version__
    run = {
        "tool": {"driver": {"name": "mtlint", "version": version, "semanticVersion": version,
                            "informationUri": INFORMATION_URI, "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "artifacts": artifacts,
        "results": results,
        "properties": {"documents": documents},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


__all__ = ["artifact_uri", "fingerprint", "sarif"]
