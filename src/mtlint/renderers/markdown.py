"""A Markdown summary fit for a pull-request comment (GitHub-flavoured tables).

Every piece of input text is escaped: table pipes, inline Markdown syntax, HTML
(``<``, ``>``, ``&`` as entities) and ``@`` mentions (a word joiner after the
``@``, so a quoted ``@name`` pings nobody). Line breaks become spaces and long
texts are clipped. Issue rows are capped per document (``max_issues``) with a
line saying how many more there are; GitHub refuses comments over 65,536
characters, so the whole comment is also cut, at a row boundary, near
``max_chars``.

With ``--baseline``, the summary table counts new and baselined issues, new
issues are listed first (so the cap never hides one behind old ones) and
baselined ones say so in their severity cell.

Hints (findings for review, below minor: mtlint.verdict) are kept apart: a
document's issue table lists the confident findings, and its hints follow in
a collapsed ``<details>`` section of their own. A document that passed its
gate with major or critical issues (``--fail-on never`` or ``critical``) is
marked ⚠️, never ✅.
"""
from __future__ import annotations

import re

from ._common import (SEVERITIES, LineIndex, baseline_given, baselined, clip, counts_by_severity, document_name,
                      format_number, is_hint, languages, position, serious_count, severity_rank)

# Inline Markdown syntax in a table cell (block syntax cannot start inside one); `$` opens math on GitHub.
_PUNCTUATION = re.compile(r"([\\`*_\[\]|~$])")
_ICONS = {"critical": "🔴", "major": "🟠", "minor": "🔵", "hint": "⚪"}


def escape(text, limit: int | None = None) -> str:
    """Inline text safe for a Markdown table cell."""
    text = " ".join(str(text).split())
    if limit is not None:
        text = clip(text, limit)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _PUNCTUATION.sub(r"\\\1", text)
    return text.replace("@", "@\u2060")


def _severity(severity: str) -> str:
    return f"{_ICONS.get(severity, '')} {escape(severity)}".strip()


def _summary_table(report: dict) -> list[str]:
    summary = report.get("summary") or {}
    counts = counts_by_severity(report)
    gate = _verdict(report)
    with_baseline = baseline_given(report)
    return [
        "| Words | MQM penalty | Per 100 words | 🔴 critical | 🟠 major | 🔵 minor "
        + ("| New | Baselined " if with_baseline else "") + "| Gate |",
        "|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if with_baseline else "") + ":---|",
        f"| {summary.get('words', 0)} | {format_number(summary.get('mqm_penalty', 0))} "
        f"| **{format_number(summary.get('mqm_per_100_words', 0))}** "
        + "".join(f"| {counts[s]} " for s in SEVERITIES)
        + (f"| **{summary.get('issues_new', 0)}** | {summary.get('issues_baselined', 0)} " if with_baseline else "")
        + f"| {gate} |",
    ] + _reference_line(report)


def _passed(report: dict) -> bool:
    return bool((report.get("summary") or {}).get("passed", not report.get("issues")))


def _icon(report: dict) -> str:
    """❌ failed the gate; ⚠️ passed it with major or critical issues; ✅ passed."""
    return "❌" if not _passed(report) else ("⚠️" if serious_count(report) else "✅")


def _verdict(report: dict) -> str:
    if not _passed(report):
        reasons = (report.get("summary") or {}).get("failed_because")
        return "❌ **failed**" + (f" ({escape('; '.join(reasons))})" if reasons else "")
    serious = serious_count(report)
    return f"⚠️ passed, with {serious} major or critical" if serious else "✅ passed"


def _reference_line(report: dict) -> list[str]:
    metrics = report.get("reference_metrics")
    if not metrics:
        return []
    scores = ", ".join(f"{name} {format_number(m['score'])} (`{m['signature']}`)"
                       for name, m in sorted(metrics.items()))
    return ["", f"Against the reference: {scores}"]


def _issue_rows(report: dict, target_text: str, limit: int, hints: bool = False) -> tuple[list[str], int]:
    """The table of the confident findings (``hints``: of the hints)."""
    index = LineIndex(target_text)
    issues = sorted([i for i in report.get("issues") or [] if is_hint(i) == hints],
                    key=lambda i: (baselined(i), severity_rank(i.get("severity", "")),
                                   (i.get("target_span") or [10**12])[0]))
    rows = [
        "| Severity | Category | Line:Col | Translation | Original | Message | Suggestion |",
        "|:---|:---|---:|:---|:---|:---|:---|",
    ]
    for issue in issues[:limit]:
        where = position(index, issue.get("target_span")) or "–"
        suggestion = issue.get("suggestion")
        rows.append(" | ".join([
            "", _severity(issue.get("severity", "")) + (" (baselined)" if baselined(issue) else ""),
            escape(issue.get("category", "")), where,
            escape(issue.get("target_text") or "", 60) or "–", escape(issue.get("source_text") or "", 60) or "–",
            escape(issue.get("message") or "", 160), escape(suggestion, 60) if suggestion else "–", "",
        ]).strip())
    return rows, max(0, len(issues) - limit)


def markdown(reports: list[tuple[dict, str]], max_issues: int = 50, max_chars: int = 60000) -> str:
    """``reports`` are ``(report dict, target text)`` pairs; returns one Markdown document."""
    failed = sum(1 for report, _ in reports if not (report.get("summary") or {}).get("passed", True))
    serious = sum(serious_count(report) for report, _ in reports)
    total = len(reports)
    head = "❌" if failed else ("⚠️" if serious else "✅")
    out = [f"## {head} mtlint: {total} document{'s' if total != 1 else ''} checked, "
           + (f"{failed} failed" if failed else
              (f"all passed the gate, with {serious} major or critical issue{'s' if serious != 1 else ''}"
               if serious else "all passed")), ""]
    for report, target_text in reports:
        source_lang, target_lang = languages(report)
        out.append(f"### {_icon(report)} {escape(document_name(report))} "
                   f"({escape(source_lang)} → {escape(target_lang)})")
        out.append("")
        out.extend(_summary_table(report))
        out.append("")
        for warning in report.get("warnings") or []:
            out.append(f"> ⚠️ {escape(warning, 300)}")
            out.append("")
        confident = [i for i in report.get("issues") or [] if not is_hint(i)]
        hints = len(report.get("issues") or []) - len(confident)
        if confident:
            rows, more = _issue_rows(report, target_text, max_issues)
            out.extend(rows)
            if more:
                out.append("")
                out.append(f"_… and {more} more issue{'s' if more != 1 else ''} "
                           f"({len(confident)} in all): see the full report._")
            out.append("")
        else:
            out.append("No issues found." if not hints else "No issues found, only hints for review.")
            out.append("")
        if hints:
            rows, more = _issue_rows(report, target_text, max_issues, hints=True)
            out.append(f"<details><summary>{hints} hint{'s' if hints != 1 else ''} for review "
                       "(low confidence: no penalty, not gated)</summary>")
            out.append("")
            out.extend(rows)
            if more:
                out.append("")
                out.append(f"_… and {more} more hint{'s' if more != 1 else ''}: see the full report._")
            out.append("")
            out.append("</details>")
            out.append("")
    text = "\n".join(out).rstrip("\n") + "\n"
    if len(text) > max_chars:
        cut = text.rfind("\n", 0, max_chars - 120)
        text = text[: cut + 1] + "\n_… the comment was cut here to stay within the size limit; see the full report._\n"
    return text


__all__ = ["escape", "markdown"]
