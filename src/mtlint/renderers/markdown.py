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
"""
from __future__ import annotations

import re

from ._common import (SEVERITIES, LineIndex, baseline_given, baselined, clip, counts_by_severity, document_name,
                      format_number, languages, position, severity_rank)

# Inline Markdown syntax in a table cell (block syntax cannot start inside one); `$` opens math on GitHub.
_PUNCTUATION = re.compile(r"([\\`*_\[\]|~$])")
_ICONS = {"critical": "🔴", "major": "🟠", "minor": "🔵"}


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
    gate = "✅ passed" if summary.get("passed", not report.get("issues")) else "❌ **failed**"
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


def _reference_line(report: dict) -> list[str]:
    metrics = report.get("reference_metrics")
    if not metrics:
        return []
    scores = ", ".join(f"{name} {format_number(m['score'])} (`{m['signature']}`)"
                       for name, m in sorted(metrics.items()))
    return ["", f"Against the reference: {scores}"]


def _issue_rows(report: dict, target_text: str, limit: int) -> tuple[list[str], int]:
    index = LineIndex(target_text)
    issues = sorted(report.get("issues") or [],
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
    total = len(reports)
    head = "❌" if failed else "✅"
    out = [f"## {head} mtlint: {total} document{'s' if total != 1 else ''} checked, "
           + (f"{failed} failed" if failed else "all passed"), ""]
    for report, target_text in reports:
        source_lang, target_lang = languages(report)
        passed = (report.get("summary") or {}).get("passed", not report.get("issues"))
        out.append(f"### {'✅' if passed else '❌'} {escape(document_name(report))} "
                   f"({escape(source_lang)} → {escape(target_lang)})")
        out.append("")
        out.extend(_summary_table(report))
        out.append("")
        for warning in report.get("warnings") or []:
            out.append(f"> ⚠️ {escape(warning, 300)}")
            out.append("")
        if report.get("issues"):
            rows, more = _issue_rows(report, target_text, max_issues)
            out.extend(rows)
            if more:
                out.append("")
                out.append(f"_… and {more} more issue{'s' if more != 1 else ''} "
                           f"({len(report['issues'])} in all): see the full report._")
            out.append("")
        else:
            out.append("No issues found.")
            out.append("")
    text = "\n".join(out).rstrip("\n") + "\n"
    if len(text) > max_chars:
        cut = text.rfind("\n", 0, max_chars - 120)
        text = text[: cut + 1] + "\n_… the comment was cut here to stay within the size limit; see the full report._\n"
    return text


__all__ = ["escape", "markdown"]
