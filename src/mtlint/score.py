"""MQM scoring: penalties per issue, per segment and per 100 words, and the gate.

Weights follow the convention WMT's MQM annotators use (Freitag et al. 2021):
Major 5, Minor 1, Minor punctuation 0.1, Non-translation 25; Critical is
scored like non-translation (25).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .checks.base import SEVERITIES, Issue
from .report import counted

WEIGHTS = {"hint": 0.0, "minor": 1.0, "major": 5.0, "critical": 25.0}  # a hint costs nothing
MINOR_PUNCTUATION = 0.1
FAIL_ON = ("minor", "major", "critical", "never")

_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def issue_penalty(issue: Issue) -> float:
    if issue.severity == "minor" and issue.category == "fluency/punctuation":
        return MINOR_PUNCTUATION
    return WEIGHTS[issue.severity]


def penalty(issues: list[Issue]) -> float:
    return round(sum(issue_penalty(i) for i in issues), 4)


@dataclass(frozen=True)
class Gate:
    fail_on: str = "major"            # lowest severity that fails the gate
    max_penalty: float | None = None  # per 100 target words
    include_hints: bool = False       # judge hints at the severity they had before they became hints

    def severity(self, issue: Issue) -> str:
        """The severity the gate judges: a hint's own ("hint", below every floor) unless hints are included."""
        if issue.severity == "hint" and self.include_hints:
            return issue.demoted_from or "minor"
        return issue.severity

    def passed(self, issues: list[Issue], words: int) -> bool:
        return not self.reasons(issues, words)

    def reasons(self, issues: list[Issue], words: int, which: str = "") -> list[str]:
        """Why the gate fails (empty: it passes), in words a report can show; ``which`` qualifies
        the issues judged ("new": those a baseline does not record)."""
        out, which = [], f"{which} " if which else ""
        if self.fail_on != "never":
            floor = SEVERITIES.index(self.fail_on)
            failing = sum(1 for i in issues if SEVERITIES.index(self.severity(i)) >= floor)
            if failing:
                worse = "" if self.fail_on == "critical" else " or worse"
                out.append(f"{counted(failing, which + 'issue')} {self.fail_on}{worse}"
                           f"{', hints included' if self.include_hints else ''}")
        if self.max_penalty is not None:
            rate = per_100_words(penalty(issues), words)
            if rate > self.max_penalty:
                out.append(f"penalty of {which}issues {rate:g} per 100 words, above the limit of {self.max_penalty:g}")
        return out


def per_100_words(total: float, words: int) -> float:
    return round(100.0 * total / words, 4) if words else 0.0


def summary(issues: list[Issue], target_text: str, gate: Gate) -> dict:
    words = word_count(target_text)
    total = penalty(issues)
    counts = Counter(i.severity for i in issues)
    categories = Counter(i.category for i in issues)
    reasons = gate.reasons(issues, words)
    out = {
        "words": words,
        "mqm_penalty": total,
        "mqm_per_100_words": per_100_words(total, words),
        "issues_by_severity": {s: counts.get(s, 0) for s in SEVERITIES},
        "issues_by_category": dict(sorted(categories.items())),
        "passed": not reasons,
    }
    if reasons:
        out["failed_because"] = reasons
    return out
