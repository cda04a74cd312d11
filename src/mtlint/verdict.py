"""From the checks' findings to the verdict an editor reads: hints, one finding per problem, review order.

Applied to a document's issues after every check has run (:func:`settle`):

1. **Hints.**  A finding the checks are not confident of becomes a *hint*: shown to
   editors for review, with no MQM penalty, failing no gate unless the gate includes
   hints (``--include-hints``; it then judges the hint at ``demoted_from``, the
   severity its check gave it).  Low confidence is measured per family: the confidence
   of ``mistranslation`` and ``critical-error`` is the model's probability
   (``HINT_MODEL_CONFIDENCE``), the other checks' a fixed value per rule
   (``HINT_RULE_CONFIDENCE``).  The model checks were measured
   on one language pair only (``MODEL_PAIRS``); elsewhere all their findings are hints.
   A rule check's major or critical finding, and a wrong sense the dictionary confirms
   (made major by checks/meaning.py), are not weighed by this cut.
   The input-sanity findings (:mod:`mtlint.checks.sanity`) are never hints.
2. **Fold into critical sentences.**  A finding inside a sentence already judged
   wrong as a whole (``critical-error``, or any critical finding with a span) goes
   into that finding's ``related`` list: the sentence is one problem, not many.
3. **Merge.**  Findings on the same word (the same whitespace-separated tokens of
   the translation; without a target span, the same source span) merge: the most
   severe leads (then the most confident, then the first), the others go into its
   ``related`` list.

:func:`review_first` ranks a document's aligned sentences by risk (the model's
estimate plus the MQM penalty of their findings) for the "review first" list.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from typing import TYPE_CHECKING

from .checks.base import SEVERITIES, Issue, tune_settings
from .resources.qe import computed_estimates
from .resources.segment import unit_words

if TYPE_CHECKING:
    from .checks.base import DocumentPair

MODEL_CHECKS = ("mistranslation", "critical-error", "clause-omission", "clause-addition")  # those needing the QE model
# The model checks whose confidence is the model's probability; the clause checks give a fixed
# value per rule (major: a run of six unrendered words), so they are weighed as the rules are.
PROBABILITY_CHECKS = ("mistranslation", "critical-error")
SANITY_CHECKS = ("identical-input", "swapped-direction", "source-language-target", "wrong-target-language",
                 "mismatched-documents")
# The language pairs on which the model checks were measured (their thresholds: checks/meaning.py,
# docs/benchmarks.md).  Elsewhere their findings are hints.
MODEL_PAIRS = frozenset({("en", "de")})
# Confidence below which a finding is a hint, chosen on MLQE-PE en-de TRAIN post-edits (human
# translations) so that at most 0.5 findings per 100 words of them are not hints:
# `bench/calibrate/calibrate_hints.py --limit 600`, whose figures docs/benchmarks.md shows.
HINT_MODEL_CONFIDENCE = 0.87
HINT_RULE_CONFIDENCE = 0.7
# The settings an experiment may change (bench/calibrate/calibrate_hints.py), through :func:`tune`.
TUNABLE = ("HINT_MODEL_CONFIDENCE", "HINT_RULE_CONFIDENCE")


def tune(**values) -> dict:
    """Change some of :data:`TUNABLE` for this process; returns the previous values."""
    return tune_settings(globals(), TUNABLE, "the verdicts", values)


# The sentence-level finding other findings inside its sentence fold into.
SENTENCE_CHECKS = ("critical-error",)

_TOKEN = re.compile(r"\S+")


def demote(issue: Issue) -> Issue:
    """The issue as a hint (its severity kept in ``demoted_from``)."""
    if issue.severity == "hint":
        return issue
    return dataclasses.replace(issue, severity="hint", demoted_from=issue.severity)


def is_low_confidence(issue: Issue, source_lang: str, target_lang: str) -> bool:
    if issue.check in SANITY_CHECKS:
        return False
    if issue.check in MODEL_CHECKS and (source_lang, target_lang) not in MODEL_PAIRS:
        return True
    if issue.check in PROBABILITY_CHECKS:
        # A wrong sense the dictionary confirms (two unrelated senses, checks/meaning.py) was raised
        # above the check's default on that evidence, not on the model's probability alone.
        if issue.check == "mistranslation" and issue.severity == "major":
            return False
        return issue.confidence < HINT_MODEL_CONFIDENCE
    # A rule that judged its finding major or critical did so on evidence measured for that rule
    # (roles, negation, omissions: docs/benchmarks.md); only its minor findings are weighed here.
    return issue.severity == "minor" and issue.confidence < HINT_RULE_CONFIDENCE


def hints(issues: list[Issue], source_lang: str, target_lang: str) -> list[Issue]:
    return [demote(i) if is_low_confidence(i, source_lang, target_lang) else i for i in issues]


def _rank(issue: Issue) -> int:
    return SEVERITIES.index(issue.severity) if issue.severity in SEVERITIES else -1


def _related(issue: Issue) -> tuple:
    """What a merged finding keeps of another, enough to say what else was found there, as
    (key, value) pairs (hashable, as the frozen Issue's fields must be; a dict in the report)."""
    out = [("check", issue.check), ("category", issue.category), ("severity", issue.severity),
           ("message", issue.message)]
    if issue.target_span:
        out.append(("target_span", tuple(issue.target_span)))
    if issue.suggestion:
        out.append(("suggestion", issue.suggestion))
    return tuple(out)


def _absorb(lead: Issue, others: list[Issue]) -> Issue:
    if not others:
        return lead
    related = list(lead.related) + [_related(o) for o in others] + [r for o in others for r in o.related]
    return dataclasses.replace(lead, related=tuple(related))


def _lead_order(issue: Issue, position: int):
    return (-_rank(issue), -float(issue.confidence), position)


def fold_into_sentences(issues: list[Issue]) -> list[Issue]:
    """Findings inside the span of a sentence-level finding (critical-error, or critical with a
    target span) that is at least as severe go into its ``related`` list."""
    leaders = [n for n, i in enumerate(issues)
               if i.target_span and i.severity != "hint"
               and (i.check in SENTENCE_CHECKS or i.severity == "critical")]
    folded: dict[int, list[int]] = {}
    taken: set[int] = set()
    for n in leaders:
        if n in taken:
            continue
        lead = issues[n]
        a, b = lead.target_span
        for m, other in enumerate(issues):
            if m == n or m in taken or m in leaders or not other.target_span:
                continue
            x, y = other.target_span
            if a <= x and y <= b and _rank(other) <= _rank(lead):
                folded.setdefault(n, []).append(m)
                taken.add(m)
    return [_absorb(issue, [issues[m] for m in folded.get(n, [])]) for n, issue in enumerate(issues)
            if n not in taken]


def _tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def _key(issue: Issue, tokens: list[tuple[int, int]], ends: list[int]):
    """The whitespace-separated tokens of the translation the issue touches (else its source span).
    ``ends``: the tokens' end offsets (ascending), to start at the first token that can touch it."""
    if issue.target_span:
        a, b = issue.target_span
        first = bisect.bisect_left(ends, a)
        touched = []
        for n in range(first, len(tokens)):
            x, y = tokens[n]
            if x > max(a, b):
                break
            if x < b and a < y or (a == b and x <= a <= y):
                touched.append(n)
        touched = tuple(touched)
        if touched:
            return ("t", touched)
        return ("t", (a, b))
    if issue.source_span:
        return ("s", tuple(issue.source_span))
    return ("i", issue.check, issue.message)  # a document-level finding: each stands alone


def merge_same_place(issues: list[Issue], target_text: str) -> list[Issue]:
    tokens = _tokens(target_text)
    ends = [y for _, y in tokens]
    groups: dict[tuple, list[int]] = {}
    for n, issue in enumerate(issues):
        groups.setdefault(_key(issue, tokens, ends), []).append(n)
    keep: dict[int, Issue] = {}
    for members in groups.values():
        lead = min(members, key=lambda n: _lead_order(issues[n], n))
        keep[lead] = _absorb(issues[lead], [issues[n] for n in members if n != lead])
    return [keep[n] for n in sorted(keep)]


def settle(pair: "DocumentPair", issues: list[Issue]) -> list[Issue]:
    """Hints, then folding into critical sentences, then merging per word (module docstring)."""
    issues = hints(issues, pair.source_lang, pair.target_lang)
    issues = fold_into_sentences(issues)
    return merge_same_place(issues, pair.target)


# Risk of a sentence for the review list: the MQM penalty of its findings (hints excluded) plus
# the model's estimate, weighted as one major finding for a certain critical error and one minor
# for a sentence the model expects a post-editor to rewrite whole (not tuned: an ordering only).
RISK_CRITICAL = 5.0
RISK_HTER = 1.0
REVIEW_MAX = 10  # sentences listed per document


def review_first(pair: "DocumentPair", issues: list[Issue], limit: int = REVIEW_MAX) -> list[dict]:
    """The document's aligned sentences most worth an editor's first look, riskiest first.

    Each entry: ``link`` (index into the alignment), ``target_span``, ``risk``, ``model``
    (the critical-error probability and estimated edit rate, where the model ran) and
    ``issues`` (indices into ``issues`` of the findings in it, hints excluded).  Sentences
    with no risk are not listed."""
    from .score import issue_penalty

    estimates = {tuple(t): est for _, t, est in computed_estimates(pair)}
    # the findings by where they start, so that each sentence finds its own by bisection
    placed = sorted((i.target_span[0], n) for n, i in enumerate(issues) if i.severity != "hint" and i.target_span)
    starts = [start for start, _ in placed]
    entries = []
    for number, link in enumerate(pair.links):
        if not link.target:
            continue
        span = pair.target_span(link.target)
        inside = sorted(n for _, n in placed[bisect.bisect_left(starts, span[0]):bisect.bisect_left(starts, span[1])])
        risk = sum(issue_penalty(issues[n]) for n in inside)
        entry = {"link": number, "target_span": list(span), "issues": inside}
        est = estimates.get(span)
        if est is not None:
            risk += RISK_CRITICAL * float(est.critical) + RISK_HTER * float(est.hter)
            entry["model"] = {"critical": round(float(est.critical), 4), "hter": round(float(est.hter), 4)}
        entry["risk"] = round(risk, 4)
        if risk > 0:
            entries.append(entry)
    entries.sort(key=lambda e: (-e["risk"], e["link"]))
    return entries[:limit]


# Short units: the model checks (meaning and adequacy estimates) cannot judge a few words out
# of context, so on them their findings stay minor and the critical-error verdict is not given.
SHORT_UNIT_WORDS = 4
SHORT_UNIT_MODEL_CHECKS = ("mistranslation", "critical-error", "clause-omission", "clause-addition", "low-adequacy",
               "length-mismatch", "omission", "addition")

def cap_short_unit(issues: list[Issue], source: str, target: str) -> list[Issue]:
    """Model findings on a unit of fewer than :data:`SHORT_UNIT_WORDS` words: critical-error
    dropped, the others minor at most."""
    if max(unit_words(source), unit_words(target)) >= SHORT_UNIT_WORDS:
        return issues
    capped = []
    for issue in issues:
        if issue.check == "critical-error":
            continue
        if issue.check in SHORT_UNIT_MODEL_CHECKS and issue.severity != "minor":
            issue = dataclasses.replace(issue, severity="minor")
        capped.append(issue)
    return capped
