"""Baselines: accept today's issues so that a CI gate fails only on new ones.

An issue is recorded by a fingerprint that survives edits elsewhere in the
document: the check id, the flagged target text and the source text it maps
to (both with Unicode and whitespace normalised), and its occurrence index
among issues with those same three values in the same document. Character
offsets are left out on purpose: inserting a paragraph above an issue moves
its offsets but must not turn it into a "new" issue.

Documents are keyed by the translation's file name without its extension
(``corpus/004_x.txt`` -> ``004_x``), so a baseline written by
``mtlint baseline --corpus`` also serves ``mtlint check`` on one article.
A bilingual file's entries also name their unit (``"unit"``: the XLIFF/TMX
unit id, PO ``msgctxt|msgid``, id column or line number, as the ``"id"`` of
``mtlint pairs`` output), for whoever reads the baseline; the fingerprint
leaves it out, like offsets, so that renumbered units stay known.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass

from . import __version__
from .checks.base import Issue
from .errors import InputError

SCHEMA = "mtlint.baseline/1"
DEFAULT_PATH = ".mtlint-baseline.json"


def normalise(text: str) -> str:
    """NFKC with runs of whitespace collapsed: invisible differences do not make an issue new."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def document_key(path: str) -> str:
    """``dir/004_x.txt`` -> ``004_x``: the name a baseline files a document under."""
    return os.path.splitext(os.path.basename(path))[0] or path


class Fingerprinter:
    """Fingerprints for the issues of one document, given in document order."""

    def __init__(self) -> None:
        self._seen: Counter = Counter()

    def __call__(self, issue: Issue) -> str:
        key = (issue.check, normalise(issue.target_text), normalise(issue.source_text))
        occurrence = self._seen[key]
        self._seen[key] += 1
        payload = json.dumps([*key, occurrence], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


def fingerprints(issues: list[Issue]) -> list[str]:
    fingerprint = Fingerprinter()
    return [fingerprint(issue) for issue in issues]


@dataclass(frozen=True)
class Baseline:
    path: str
    documents: dict[str, frozenset[str]]

    @classmethod
    def load(cls, path: str) -> "Baseline":
        from .safety import read_text, shown

        if not os.path.lexists(path):
            raise InputError(f"{shown(path)}: baseline not found (write one with `mtlint baseline ... -o {shown(path)}`)")
        text = read_text(path, what="baseline")  # a regular file, size-limited
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = f"{exc.msg} at line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            raise InputError(f"{shown(path)}: not a baseline file: {reason}") from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("documents"), dict):
            raise InputError(f"{path}: not a baseline file (expected schema {SCHEMA})")
        documents = {}
        for key, entries in data["documents"].items():
            if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str)
                                                        for e in entries):
                raise InputError(f"{path}: document {key!r}: expected a list of issues with fingerprints")
            documents[key] = frozenset(e["fingerprint"] for e in entries)
        return cls(path, documents)

    def digest(self) -> str:
        """Content hash for the configuration hash: what counts as new depends on it."""
        canonical = json.dumps({k: sorted(v) for k, v in sorted(self.documents.items())})
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    def marker(self, key: str) -> "Marker":
        return Marker(self.documents.get(key, frozenset()))


class Marker:
    """Marks issues of one document (or one pairs file, row after row) found in the baseline."""

    def __init__(self, known: frozenset[str]) -> None:
        self.known = known
        self.fingerprint = Fingerprinter()

    def __call__(self, issues: list[Issue]) -> list[Issue]:
        return [dataclasses.replace(issue, baselined=True) if self.fingerprint(issue) in self.known else issue
                for issue in issues]


def new_issues(issues: list[Issue]) -> list[Issue]:
    return [issue for issue in issues if not issue.baselined]


def gate_summary(summary: dict, issues: list[Issue], gate, words: int) -> dict:
    """The summary with the gate judged on new issues only, and the counts of new vs baselined."""
    fresh = new_issues(issues)
    reasons = gate.reasons(fresh, words, "new")
    out = {key: value for key, value in summary.items() if key != "failed_because"}
    out.update({"passed": not reasons, "issues_new": len(fresh), "issues_baselined": len(issues) - len(fresh)})
    if reasons:
        out["failed_because"] = reasons
    return out


def _entry(issue: Issue, fingerprint: str, unit: str | None = None) -> dict:
    entry = {"fingerprint": fingerprint, "check": issue.check, "severity": issue.severity,
             "target_text": issue.target_text, "source_text": _clip(issue.source_text)}
    if unit is not None:
        entry["unit"] = unit
    return entry


def _clip(text: str, limit: int = 120) -> str:
    text = normalise(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build(documents: list[tuple]) -> dict:
    """A baseline document from ``(document key, issues in document order)`` pairs, or triples
    with a third item, the unit id of each issue (bilingual files)."""
    recorded = {}
    for key, issues, *units in documents:
        units = units[0] if units else [None] * len(issues)
        recorded[key] = [_entry(issue, fp, unit) for issue, fp, unit in zip(issues, fingerprints(issues), units)]
    return {"schema": SCHEMA, "mtlint_version": __version__, "documents": dict(sorted(recorded.items()))}
