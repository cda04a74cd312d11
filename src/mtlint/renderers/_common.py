"""Helpers shared by the renderers: sentence ranges, issue placement, positions."""
from __future__ import annotations

import bisect

from ..report import LineIndex

SEVERITIES = ("critical", "major", "minor")  # most severe first, as listed in reports
HINT = "hint"  # the review tier below minor: listed apart, no penalty, no gate (mtlint.verdict)
SYMBOLS = {"critical": "▲", "major": "■", "minor": "●", "hint": "◇"}  # a shape per severity, not only a colour
# MQM weights as mtlint.score applies them (kept here so rendering needs no numpy).
WEIGHTS = {"hint": 0.0, "minor": 1.0, "major": 5.0, "critical": 25.0}
MINOR_PUNCTUATION = 0.1


def issue_penalty(issue: dict) -> float:
    if issue["severity"] == "minor" and issue.get("category") == "fluency/punctuation":
        return MINOR_PUNCTUATION
    return WEIGHTS.get(issue["severity"], 0.0)


def is_hint(issue: dict) -> bool:
    return issue.get("severity") == HINT


def hint_count(report: dict) -> int:
    return sum(1 for issue in report.get("issues") or [] if is_hint(issue))


def serious_count(report: dict) -> int:
    """Major and critical issues (new ones, with a baseline): a report with any is never shown as a
    plain green pass."""
    counts = new_counts_by_severity(report) if baseline_given(report) else counts_by_severity(report)
    return counts["major"] + counts["critical"]


def severity_rank(severity: str) -> int:
    """0 for critical, 1 major, 2 minor, 3 anything else."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def clip(text: str, limit: int = 80) -> str:
    """One line, at most ``limit`` characters (an ellipsis marks a cut)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def span_of(sentences: list[dict], indices: list[int]) -> tuple[int, int] | None:
    """Character range from the first to the last of ``indices`` (None if empty or out of range)."""
    valid = [i for i in indices if 0 <= i < len(sentences)]
    if not valid:
        return None
    return sentences[min(valid)]["start"], sentences[max(valid)]["end"]


class SentenceFinder:
    """Which sentence an offset or span belongs to (sentences sorted by start)."""

    def __init__(self, sentences: list[dict]) -> None:
        self.starts = [s["start"] for s in sentences]
        self.ends = [s["end"] for s in sentences]

    def find(self, span) -> int | None:
        if not span or not self.starts:
            return None
        start, end = span
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and (start < self.ends[i] or start == self.ends[i] == end):
            return i
        # In whitespace between sentences: the next sentence the span reaches, else the previous one.
        j = i + 1
        if j < len(self.starts) and self.starts[j] < max(end, start + 1):
            return j
        return i if i >= 0 else None


def issue_links(report: dict) -> list[int | None]:
    """For each issue, the index of its alignment link (by target span, else source span)."""
    alignment = report.get("alignment") or []
    owner_t = {i: n for n, link in enumerate(alignment) for i in link.get("target", [])}
    owner_s = {i: n for n, link in enumerate(alignment) for i in link.get("source", [])}
    find_t = SentenceFinder(report.get("target_sentences") or [])
    find_s = SentenceFinder(report.get("source_sentences") or [])
    out = []
    for issue in report.get("issues") or []:
        n = owner_t.get(find_t.find(issue.get("target_span")))
        if n is None:
            n = owner_s.get(find_s.find(issue.get("source_span")))
        out.append(n)
    return out


def insertion_point(report: dict, link: int | None) -> int:
    """Target offset where the translation of link ``link`` would go (for omissions).

    The start of the next link's target sentences, else the end of the previous
    link's, else 0.
    """
    alignment = report.get("alignment") or []
    sentences = report.get("target_sentences") or []
    if link is None:
        return 0
    for later in alignment[link + 1:]:
        span = span_of(sentences, later.get("target", []))
        if span:
            return span[0]
    for earlier in reversed(alignment[:link]):
        span = span_of(sentences, earlier.get("target", []))
        if span:
            return span[1]
    return 0


def position(index: LineIndex, span) -> str:
    """``line:col`` of a span's start, or an empty string for no span."""
    if not span:
        return ""
    line, col = index.position(span[0])
    return f"{line}:{col}"


def document_name(report: dict) -> str:
    return str((report.get("target") or {}).get("path") or "<target>")


def languages(report: dict) -> tuple[str, str]:
    return str((report.get("source") or {}).get("lang") or "?"), str((report.get("target") or {}).get("lang") or "?")


def counts_by_severity(report: dict) -> dict[str, int]:
    summary = report.get("summary") or {}
    given = summary.get("issues_by_severity")
    if given:
        return {s: int(given.get(s, 0)) for s in SEVERITIES}
    counts = {s: 0 for s in SEVERITIES}
    for issue in report.get("issues") or []:
        counts[issue["severity"]] = counts.get(issue["severity"], 0) + 1
    return counts


def baseline_given(report: dict) -> bool:
    """Whether the run had a ``--baseline``: the summary then counts new and baselined issues."""
    return "issues_baselined" in (report.get("summary") or {})


def baselined(issue: dict) -> bool:
    """Recorded in the baseline: reported, but not held against the gate."""
    return bool(issue.get("baselined"))


def new_counts_by_severity(report: dict) -> dict[str, int]:
    """Issues not in the baseline, by severity (what the gate judged)."""
    counts = {s: 0 for s in SEVERITIES}
    for issue in report.get("issues") or []:
        if not baselined(issue) and issue.get("severity") in counts:
            counts[issue["severity"]] += 1
    return counts


def format_number(value) -> str:
    """Numbers as people read them: ``4.5``, ``12``, ``0.33`` (at most 2 decimals)."""
    if value is None:
        return "–"
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


__all__ = ["HINT", "LineIndex", "SEVERITIES", "hint_count", "is_hint", "serious_count", "SYMBOLS", "WEIGHTS", "SentenceFinder", "baseline_given", "baselined", "clip",
           "counts_by_severity", "document_name", "format_number", "insertion_point", "issue_links", "issue_penalty",
           "languages", "new_counts_by_severity", "position", "severity_rank", "span_of"]
