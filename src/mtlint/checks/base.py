"""Checks: small registered units, each with an id, an MQM category and a default severity.

A check is a function ``(pair) -> Iterable[Finding]`` over one aligned
document pair; :func:`run_checks` turns findings into :class:`Issue` objects
with exact spans, so checks only need to say where and why.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, TypeVar

import numpy as np

from ..errors import Warnings
from ..resources.requirements import Requirement
from ..resources.segment import Sentence

if TYPE_CHECKING:
    from ..align import Link

# Least severe first.  "hint": a finding shown to editors for review, below minor, with no
# MQM penalty; it fails no gate unless the gate includes hints (see mtlint.verdict).
SEVERITIES = ("hint", "minor", "major", "critical")
T = TypeVar("T")


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
    # A hint's severity before it became a hint (what a gate that includes hints judges); None otherwise.
    demoted_from: str | None = None
    # Other findings on the same problem, merged into this one (mtlint.verdict): per finding a
    # tuple of (key, value) pairs (check, category, severity, message[, target_span, suggestion]).
    related: tuple = ()

    def as_dict(self) -> dict:
        out = {
            "check": self.check, "category": self.category, "severity": self.severity,
            "target_span": list(self.target_span) if self.target_span else None,
            "target_text": self.target_text,
            "source_span": list(self.source_span) if self.source_span else None,
            "source_text": self.source_text, "message": self.message,
            "suggestion": self.suggestion, "confidence": round(float(self.confidence), 4),
            "baselined": self.baselined,
        }
        # Keys only where they apply, so that other reports stay as they were.
        if self.demoted_from is not None:
            out["demoted_from"] = self.demoted_from
        if self.related:
            out["related"] = [{k: list(v) if isinstance(v, tuple) else v for k, v in r} for r in self.related]
        return out


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
class Batch:
    """The file a segment pair comes from (``mtlint pairs``): its rows stand in for a document's
    sentences where a check needs a file-level statistic (a median length ratio, the usual form
    of address), and the model reads them in one batched call.

    ``rows`` are the rows this run checks: the file's rows ``start`` .. ``start + len(rows) - 1``
    (row numbers below are the file's).  Where they are only part of the file (a shard),
    ``statistics`` holds the :data:`FILE_STATISTICS` worked out over all of its rows."""

    rows: list[tuple[str, str]]
    source_lang: str
    target_lang: str
    needs: frozenset[str] = frozenset()  # requirement ids of the run's checks (the model: one pass per file)
    advance: Callable[[int], None] | None = None  # progress, in rows, of the file-level model pass
    # Per row of ``rows``: read whole, as one sentence pair (True), or segmented and aligned inside the
    # row (False: several sentences; the model then reads each aligned link, as in a document).
    whole: tuple[bool, ...] | None = None
    start: int = 0  # the file's number of rows[0]
    statistics: dict | None = None  # file statistic -> its value over the whole file; None: rows are the file
    _derived: dict = field(default_factory=dict, repr=False)

    def row(self, index: int) -> tuple[str, str]:
        """The file's row ``index`` (one of this batch's rows)."""
        return self.rows[index - self.start]

    def reads_whole(self, row: int) -> bool:
        return self.whole is None or self.whole[row - self.start]

    def derived(self, compute: Callable[["Batch"], T]) -> T:
        """``compute(self)`` over this batch's rows, worked out once."""
        if compute not in self._derived:
            self._derived[compute] = compute(self)
        return self._derived[compute]

    def computed(self, compute: Callable[["Batch"], T], default=None):
        """What :meth:`derived` gave for ``compute``, or ``default`` where nothing asked for it yet."""
        return self._derived.get(compute, default)

    def statistic(self, compute: Callable[["Batch"], T]) -> T:
        """A file statistic (one of :data:`FILE_STATISTICS`) over all the file's rows: the one given
        in ``statistics``, else worked out once over ``rows``, which are then the whole file."""
        if self.statistics is None:
            return self.derived(compute)
        if compute not in self.statistics:
            raise LookupError(f"file statistic {compute.__qualname__} was not given with the file's rows")
        return self.statistics[compute]


# Values over all the rows of a file of segment pairs that checks read as a document's (registered
# with :func:`file_statistic`): a file checked in shards gets them worked out once, over all its
# rows, and each shard only its own rows (:func:`file_statistics`).
FILE_STATISTICS: list[Callable[[Batch], object]] = []


def file_statistic(compute: Callable[[Batch], T]) -> Callable[[Batch], T]:
    """Decorator: registers ``compute(batch)``, a statistic of a whole file, read by checks through
    :meth:`Batch.statistic`."""
    FILE_STATISTICS.append(compute)
    return compute


def file_statistics(rows: list[tuple[str, str]], source_lang: str, target_lang: str) -> dict:
    """Every registered file statistic over ``rows`` (all of a file's): what :class:`Batch` takes
    as ``statistics`` for a shard of the file."""
    import importlib

    importlib.import_module(__package__)  # the package imports every check module: all are registered
    whole = Batch(rows, source_lang, target_lang)
    return {compute: whole.statistic(compute) for compute in FILE_STATISTICS}


@dataclass
class DocumentPair:
    """Everything checks may look at: texts, sentences, alignment, encoder, and the run's context."""

    source: str
    target: str
    source_lang: str
    target_lang: str
    source_sentences: list[Sentence]
    target_sentences: list[Sentence]
    links: list["Link"]
    encode: Callable[[list[str]], np.ndarray]
    glossary: object | None = None  # resources.glossary.Glossary, when the run has one
    software_strings: bool = False  # a unit of a software-string file (PO, XLIFF, TMX): code syntaxes count
    max_width: int | None = None    # the most characters the target may have (XLIFF maxwidth)
    batch: Batch | None = None      # segment-pair mode: the file this pair is row ``row`` of
    row: int | None = None
    warnings: list[str] = field(default_factory=list)  # said once in the report (a check that could not run fully)
    _derived: dict = field(default_factory=dict, repr=False)

    def derived(self, compute: Callable[..., T], *args) -> T:
        """``compute(self, *args)``, worked out once per pair and shared by every check that asks."""
        key = (compute, args)
        if key not in self._derived:
            self._derived[key] = compute(self, *args)
        return self._derived[key]

    def computed(self, compute: Callable[..., T], *args, default=None):
        """What :meth:`derived` gave for ``compute(self, *args)``, or ``default`` where no check
        asked for it (so a reader of optional work never causes it)."""
        return self._derived.get((compute, args), default)

    def provide(self, compute: Callable[..., T], value: T, *args) -> None:
        """Give :meth:`derived` the value of ``compute(self, *args)`` worked out elsewhere."""
        self._derived[(compute, args)] = value

    def warn(self, message: str) -> None:
        self.warnings.append(message)

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

    def sentence_sources(self) -> dict[int, tuple[int, int] | None]:
        """The source span of each target sentence's link."""
        return self.derived(_sentence_sources)

    def link_similarities(self) -> list[tuple["Link", tuple[int, int], tuple[int, int], float]]:
        """(link, source span, target span, cosine) for every aligned link."""
        return self.derived(_link_similarities)

    def length_ratio(self) -> float | None:
        """The median target/source length ratio (characters) of the document's aligned pairs, or
        of the whole file in segment-pair mode; None with fewer than :data:`MIN_PAIRS` pairs."""
        if self.batch is not None:
            return self.batch.statistic(_file_length_ratio)
        return self.derived(_document_length_ratio)

    def much_too_short(self, sspan: tuple[int, int], tspan: tuple[int, int]) -> bool:
        """A target under :data:`LENGTH_FACTOR` of its expected length, in a document of at least
        :data:`MIN_PAIRS` pairs (what ``length-mismatch`` reports)."""
        if len(self.link_similarities()) < MIN_PAIRS:
            return False
        ratio = self.length_ratio()
        src_len = sspan[1] - sspan[0]
        return ratio is not None and src_len >= 40 and tspan[1] - tspan[0] < LENGTH_FACTOR * src_len * ratio


MIN_PAIRS = 8        # fewer aligned pairs give no stable median (of lengths, of similarities)
LENGTH_FACTOR = 0.5  # target shorter than half its expected length: content lost


def _sentence_sources(pair: DocumentPair) -> dict[int, tuple[int, int] | None]:
    mapping = {}
    for link in pair.links:
        for index in link.target:
            mapping[index] = pair.source_span(link.source)
    return mapping


def _link_similarities(pair: DocumentPair):
    aligned = list(pair.aligned())
    sources = [pair.source[s[0]:s[1]] for _, s, _ in aligned]
    targets = [pair.target[t[0]:t[1]] for _, _, t in aligned]
    vectors = pair.encode(sources + targets) if aligned else np.zeros((0, 1))
    n = len(aligned)
    sims = [float(vectors[i] @ vectors[n + i]) for i in range(n)]
    return [(link, s, t, sim) for (link, s, t), sim in zip(aligned, sims)]


def _document_length_ratio(pair: DocumentPair) -> float | None:
    ratios = [(t[1] - t[0]) / max(s[1] - s[0], 1) for _, s, t, _ in pair.link_similarities()]
    return float(np.median(ratios)) if len(ratios) >= MIN_PAIRS else None


@file_statistic
def _file_length_ratio(batch: Batch) -> float | None:
    ratios = [len(t) / len(s) for s, t in batch.rows if s.strip() and t.strip()]
    return statistics.median(ratios) if len(ratios) >= MIN_PAIRS else None


@dataclass(frozen=True)
class Check:
    """A registered check: what it finds, where it applies and what it needs."""

    id: str
    category: str
    severity: str
    description: str
    run: Callable[[DocumentPair], Iterable[Finding]]
    languages: tuple[str, ...] | None = None     # target languages it applies to (None: any)
    requires: tuple[Requirement, ...] = ()
    family: str | None = None  # "strings": software-string checks, run by `pairs` on PO/XLIFF/TMX input

    @property
    def summary(self) -> str:
        """The description's first sentence."""
        head, dot, _ = self.description.partition(". ")
        return head + ("." if dot else "")

    def applies_to(self, target_lang: str) -> bool:
        return self.languages is None or target_lang in self.languages

    def missing(self) -> list[Requirement]:
        return [r for r in self.requires if not r.available()]

    def as_dict(self) -> dict:
        return {"id": self.id, "category": self.category, "severity": self.severity,
                "languages": list(self.languages) if self.languages is not None else None,
                "requires": [r.id for r in self.requires], "family": self.family, "summary": self.summary,
                "description": self.description}


REGISTRY: dict[str, Check] = {}


def tune_settings(namespace: dict, tunable: tuple[str, ...], owner: str, values: dict) -> dict:
    """Set some of a module's ``tunable`` constants in ``namespace`` (its ``globals()``) for this
    process, for experiments; returns the previous values, so that passing them back restores
    them.  An unknown name or a value of the wrong type is an error, so a typo cannot pass as a
    measurement."""
    from ..errors import UsageError

    previous = {}
    for name, value in values.items():
        if name not in tunable:
            raise UsageError(f"{name} is not a setting of {owner} (settings: {', '.join(tunable)})")
        default = namespace[name]
        try:
            converted = type(default)(value)
        except (TypeError, ValueError):
            raise UsageError(f"{name}={value!r}: expected a {type(default).__name__}") from None
        previous[name] = default
        namespace[name] = converted
    return previous


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


def register(id: str, category: str, severity: str, description: str, *,
             languages: Iterable[str] | None = None, requires: Iterable[Requirement] = (),
             family: str | None = None):
    """Decorator: ``@register("omission", "accuracy/omission", "major", "...")``; ``languages`` limits
    the check to those target languages, ``requires`` names what it cannot run without; a check of
    a ``family`` (``"strings"``) runs by default only where the run asks for that family."""
    if severity not in SEVERITIES:
        raise ValueError(f"bad severity {severity!r}")

    def wrap(fn: Callable[[DocumentPair], Iterable[Finding]]):
        if id in REGISTRY:
            raise ValueError(f"check {id!r} registered twice")
        REGISTRY[id] = Check(id, category, severity, description, fn,
                             tuple(languages) if languages is not None else None, tuple(requires), family)
        return fn

    return wrap


def run_checks(pair: DocumentPair, checks: list[Check],
               severity_overrides: dict[str, str] | None = None) -> list[Issue]:
    issues = []
    overrides = severity_overrides or {}
    for check in checks:
        if not check.applies_to(pair.target_lang):
            continue
        missing = check.missing()
        if missing:
            for requirement in missing:
                pair.warn(Warnings.W001.format(check=check.id, missing=requirement.summary,
                                               install=requirement.install))
            continue
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
