"""Checks: small registered units, each with an id, an MQM category and a default severity.

A check is a function ``(pair) -> Iterable[Finding]`` over one aligned
document pair; :func:`run_checks` turns findings into :class:`Issue` objects
with exact spans, so checks only need to say where and why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import numpy as np

from .segment import Sentence

if TYPE_CHECKING:
    from .align import Link

SEVERITIES = ("minor", "major", "critical")


@dataclass(frozen=True)
class Issue:
    check: str
    category: str
    severity: str
    target_span: tuple[int, int] | None
    target_text: str
    source_span: tuple[int, int] | None
    source_text: str
    message: str
    suggestion: str | None
    confidence: float
    baselined: bool = False  # recorded in the --baseline file: reported, but not held against the gate

    def as_dict(self) -> dict:
        return {
            "check": self.check, "category": self.category, "severity": self.severity,
            "target_span": list(self.target_span) if self.target_span else None,
            "target_text": self.target_text,
            "source_span": list(self.source_span) if self.source_span else None,
            "source_text": self.source_text, "message": self.message,
            "suggestion": self.suggestion, "confidence": round(float(self.confidence), 4),
            "baselined": self.baselined,
        }


@dataclass(frozen=True)
class Finding:
    """What a check reports; spans are character offsets into the documents."""

    target_span: tuple[int, int] | None
    source_span: tuple[int, int] | None
    message: str
    suggestion: str | None = None
    confidence: float = 1.0
    severity: str | None = None   # overrides the check's default
    category: str | None = None   # a more specific MQM path than the check's default


@dataclass
class DocumentPair:
    """Everything checks may look at: texts, sentences, alignment, encoder."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    source_sentences: list[Sentence]
    target_sentences: list[Sentence]
    links: list["Link"]
    encode: Callable[[list[str]], np.ndarray]
    cache: dict = field(default_factory=dict)  # shared per-pair work (e.g. embeddings)
    glossary: object | None = None  # checks.terminology.Glossary, when the run has one

    def source_span(self, indices: Iterable[int]) -> tuple[int, int] | None:
        indices = list(indices)
        if not indices:
            return None
        return self.source_sentences[indices[0]].start, self.source_sentences[indices[-1]].end

    def target_span(self, indices: Iterable[int]) -> tuple[int, int] | None:
        indices = list(indices)
        if not indices:
            return None
        return self.target_sentences[indices[0]].start, self.target_sentences[indices[-1]].end

    def aligned(self) -> Iterator[tuple["Link", tuple[int, int], tuple[int, int]]]:
        """Links with sentences on both sides, with their source and target spans."""
        for link in self.links:
            if link.source and link.target:
                yield link, self.source_span(link.source), self.target_span(link.target)


@dataclass(frozen=True)
class Check:
    id: str
    category: str
    severity: str
    description: str
    run: Callable[[DocumentPair], Iterable[Finding]]
    family: str | None = None  # "strings": software-string checks, run by `pairs` on PO/XLIFF/TMX input


REGISTRY: dict[str, Check] = {}


def marked_runs(marks: Iterable[tuple[int, bool | None]]) -> list[list[int]]:
    """Runs of consecutive indices marked True: False ends a run, None is passed
    over (neither extends nor ends it: punctuation, function words)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for index, mark in marks:
        if mark:
            current.append(index)
        elif mark is not None and current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def register(id: str, category: str, severity: str, description: str, *, family: str | None = None):
    """Decorator: ``@register("omission", "accuracy/omission", "major", "...")``.

    A check of a ``family`` (``"strings"``) runs by default only where the run asks for that family."""
    if severity not in SEVERITIES:
        raise ValueError(f"bad severity {severity!r}")

    def wrap(fn: Callable[[DocumentPair], Iterable[Finding]]):
        if id in REGISTRY:
            raise ValueError(f"check {id!r} registered twice")
        REGISTRY[id] = Check(id, category, severity, description, fn, family)
        return fn

    return wrap


def all_checks() -> dict[str, Check]:
    from . import checks  # noqa: F401  (importing registers the built-in checks)

    return dict(sorted(REGISTRY.items()))


def select_checks(enable: Iterable[str] | None = None, disable: Iterable[str] = (),
                  strings: bool = False) -> list[Check]:
    """The checks to run: ``enable`` (else every check, the string family only when ``strings``)
    less ``disable``."""
    from .errors import UsageError

    available = all_checks()
    wanted = list(enable) if enable else [name for name, check in available.items()
                                          if check.family != "strings" or strings]
    for name in [*wanted, *disable]:
        if name not in available:
            raise UsageError(f"unknown check {name!r} (known: {', '.join(available)})")
    return [available[name] for name in wanted if name not in set(disable)]


def run_checks(pair: DocumentPair, checks: list[Check],
               severity_overrides: dict[str, str] | None = None) -> list[Issue]:
    issues = []
    overrides = severity_overrides or {}
    for check in checks:
        for finding in check.run(pair):
            tspan, sspan = finding.target_span, finding.source_span
            issues.append(Issue(
                check=check.id,
                category=finding.category or check.category,
                severity=overrides.get(check.id) or finding.severity or check.severity,
                target_span=tspan,
                target_text=pair.target[tspan[0]:tspan[1]] if tspan else "",
                source_span=sspan,
                source_text=pair.source[sspan[0]:sspan[1]] if sspan else "",
                message=finding.message,
                suggestion=finding.suggestion,
                confidence=finding.confidence,
            ))
    return sorted(issues, key=_issue_order)


def _issue_order(issue: Issue):
    tspan = issue.target_span or (10**12, 10**12)
    sspan = issue.source_span or (10**12, 10**12)
    return (tspan, sspan, issue.check, issue.message)
