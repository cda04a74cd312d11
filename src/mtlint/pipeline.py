"""The whole job for one document pair: read, segment, embed, align, check, score."""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import __version__, verdict
from .resources import langid, segment
from .align import Link, align
from .checks import select_checks
from .checks.base import Batch, DocumentPair, Issue, run_checks
from .embed import CachedEncoder, get_encoder, measure_usage
from .read import Document
from .resources import store
from .resources.qe import computed_estimates, file_estimates
from .resources.requirements import QE_MODEL
from .score import Gate, issue_penalty, summary

if TYPE_CHECKING:
    from .baseline import Baseline
    from .resources.glossary import Glossary

SCHEMA = "mtlint.report/1"
_DETECTION_CONFIDENCE = 0.9  # below this a detected language does not contradict a declared one


@dataclass
class Options:
    source_lang: str | None = None
    target_lang: str | None = None
    enable: list[str] | None = None
    disable: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    gate: Gate = field(default_factory=Gate)
    presegmented: bool = False
    model: str | None = None                 # as asked for; the encoder's own id is in the signature
    glossary: "Glossary | None" = None       # resources.glossary.load_glossary, loaded once per run
    baseline: "Baseline | None" = None       # issues recorded here do not fail the gate
    jobs: int | None = None                  # worker processes for `report` (does not change results)
    strings: bool | None = None              # software strings (PO/XLIFF/TMX units): the string checks on

    def config_hash(self) -> str:
        config = {"enable": sorted(self.enable) if self.enable else None, "disable": sorted(self.disable),
                  "severity": dict(sorted(self.severity.items())), "fail_on": self.gate.fail_on,
                  "max_penalty": self.gate.max_penalty, "presegmented": self.presegmented,
                  "model": self.model, "glossary": self.glossary.digest if self.glossary else None,
                  "baseline": self.baseline.digest() if self.baseline else None}
        if self.gate.include_hints:  # only when set, so that the hash of other configurations stays the same
            config["include_hints"] = True
        if self.strings is not None:  # only where set, so document runs keep their hash
            config["strings"] = self.strings
        return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]


@dataclass
class Report:
    source: Document
    target: Document
    source_lang: str
    target_lang: str
    encoder: str
    signature: str
    source_sentences: list[segment.Sentence]
    target_sentences: list[segment.Sentence]
    links: list[Link]
    issues: list[Issue]
    summary: dict
    warnings: list[str]
    reference: Document | None = None
    reference_metrics: dict | None = None          # document-level chrF/BLEU/TER (mtlint.reference)
    link_reference_metrics: list | None = None     # the same per alignment link (None where unscorable)
    config_hash: str = ""
    stats: dict = field(default_factory=dict)     # model use (embed.Usage), deterministic counts only
    review_first: list = field(default_factory=list)  # riskiest sentences first (verdict.review_first)

    def link_penalties(self) -> list[float]:
        """MQM penalty of each alignment link (issues assigned by their spans)."""
        totals = [0.0] * len(self.links)
        owner_t = {i: n for n, link in enumerate(self.links) for i in link.target}
        owner_s = {i: n for n, link in enumerate(self.links) for i in link.source}
        for issue in self.issues:
            n = _owner(issue.target_span, self.target_sentences, owner_t)
            if n is None:
                n = _owner(issue.source_span, self.source_sentences, owner_s)
            if n is not None:
                totals[n] += issue_penalty(issue)
        return [round(t, 4) for t in totals]

    def as_dict(self) -> dict:
        out = {
            "schema": SCHEMA,
            "mtlint_version": __version__,
            "source": {"path": self.source.path, "lang": self.source_lang, "encoding": self.source.encoding},
            "target": {"path": self.target.path, "lang": self.target_lang, "encoding": self.target.encoding},
            "encoder": self.encoder,
            "signature": self.signature,
            "config_hash": self.config_hash,
            "source_sentences": [{"start": s.start, "end": s.end} for s in self.source_sentences],
            "target_sentences": [{"start": s.start, "end": s.end} for s in self.target_sentences],
            "alignment": [{"source": list(link.source), "target": list(link.target),
                           "score": round(float(link.score), 4), "penalty": p}
                          for link, p in zip(self.links, self.link_penalties())],
            "issues": [i.as_dict() for i in self.issues],
            "summary": self.summary,
            "warnings": self.warnings,
            "stats": self.stats,
            "review_first": self.review_first,
        }
        if self.reference is not None:  # keys only with --reference, so other reports stay as they were
            out["reference"] = {"path": self.reference.path, "lang": self.target_lang,
                                "encoding": self.reference.encoding}
            out["reference_metrics"] = self.reference_metrics
            for entry, metrics in zip(out["alignment"], self.link_reference_metrics or []):
                entry["reference_metrics"] = metrics
        return out


def _owner(span, sentences, owner):
    if span is None:
        return None
    for index, sentence in enumerate(sentences):
        if sentence.start <= span[0] < sentence.end or (span[0] == sentence.end == span[1]):
            return owner.get(index)
    return None


def resolve_language(document: Document, declared: str | None, side: str, warnings: list[str]) -> str:
    """Declared code (option, then file-name tag), else detection; warn on a contradiction."""
    declared = langid.normalise_code(declared) if declared else langid.language_from_filename(document.path)
    detected, probability = langid.detect(document.text)
    if declared:
        if detected and detected != declared and probability >= _DETECTION_CONFIDENCE:
            warnings.append(f"{side} {document.path}: declared language {declared} but the text reads as "
                            f"{detected} (p={probability:.2f})")
        return declared
    if detected is None:
        from .errors import UsageError

        raise UsageError(f"{document.path}: cannot tell the {side} language; declare it ({side}_lang)")
    return detected


def signature(encoder_id: str, options: Options, source_lang: str, target_lang: str) -> str:
    """A sacrebleu-style signature: everything that determines the result."""
    import pysbd

    return "|".join([
        f"mtlint:{__version__}", f"langs:{source_lang}-{target_lang}", f"enc:{encoder_id}",
        f"seg:{'lines' if options.presegmented else 'pysbd-' + pysbd.__version__}",
        f"cfg:{options.config_hash()}",
    ])


def _check_documents(source: Document, target: Document, options: Options | None = None,
                    encoder: CachedEncoder | None = None, reference: Document | None = None) -> Report:
    options = options or Options()
    encoder = encoder or get_encoder()
    warnings: list[str] = []
    source_lang = resolve_language(source, options.source_lang, "source", warnings)
    target_lang = resolve_language(target, options.target_lang, "target", warnings)
    if options.presegmented:
        source_sentences = segment.lines_as_sentences(source.text)
        target_sentences = segment.lines_as_sentences(target.text)
    else:
        source_sentences = segment.sentences(source.text, source_lang)
        target_sentences = segment.sentences(target.text, target_lang)
    source_texts = [s.text(source.text) for s in source_sentences]
    target_texts = [s.text(target.text) for s in target_sentences]
    links = align(source_texts, target_texts, encoder.encode)
    pair = DocumentPair(source.text, target.text, source_lang, target_lang, source_sentences,
                        target_sentences, links, encoder.encode, glossary=options.glossary)
    issues = run_checks(pair, select_checks(options.enable, options.disable), options.severity)
    issues = verdict.settle(pair, issues)  # hints, one finding per problem (mtlint.verdict)
    warnings.extend(pair.warnings)  # checks that could not run say so (e.g. no dictionary)
    if options.baseline is not None:
        from .baseline import document_key

        issues = options.baseline.marker(document_key(target.path))(issues)
    reference_metrics = link_reference_metrics = None
    if reference is not None:
        from .reference import document_reference_metrics

        reference_sentences = (segment.lines_as_sentences(reference.text) if options.presegmented
                               else segment.sentences(reference.text, target_lang))
        reference_metrics, link_reference_metrics = document_reference_metrics(
            target_texts, [s.text(reference.text) for s in reference_sentences],
            [link.target for link in links], encoder.encode)
    return Report(
        source=source, target=target, source_lang=source_lang, target_lang=target_lang,
        encoder=encoder.model_id, signature=signature(encoder.model_id, options, source_lang, target_lang),
        source_sentences=source_sentences, target_sentences=target_sentences, links=links, issues=issues,
        summary=_summary(issues, target.text, options), warnings=warnings, config_hash=options.config_hash(),
        reference=reference, reference_metrics=reference_metrics, link_reference_metrics=link_reference_metrics,
        review_first=verdict.review_first(pair, issues),
    )


def _summary(issues: list[Issue], target_text: str, options: Options) -> dict:
    if options.baseline is None:
        return summary(issues, target_text, options.gate)
    from .baseline import gate_summary
    from .score import word_count

    return gate_summary(summary(issues, target_text, options.gate), issues, options.gate, word_count(target_text))


@functools.wraps(_check_documents)
def check_documents(*args, **kwargs) -> Report:
    """The whole job for one document pair; the report's ``stats`` count the model use."""
    with measure_usage() as usage:
        try:
            report = _check_documents(*args, **kwargs)
        finally:
            store.flush()  # the language resources' new answers, for the next run
    report.stats = usage.as_dict(len(report.target_sentences))
    return report


def check(source_text: str, target_text: str, *, source_lang: str | None = None, target_lang: str | None = None,
          options: Options | None = None, encoder: CachedEncoder | None = None) -> Report:
    """Library entry point: check ``target_text`` as a translation of ``source_text``."""
    options = options or Options()
    if source_lang or target_lang:  # a copy: the caller's options are never changed
        options = dataclasses.replace(options, source_lang=source_lang or options.source_lang,
                                      target_lang=target_lang or options.target_lang)
    return check_documents(Document("<source>", source_text, "str"), Document("<target>", target_text, "str"),
                           options, encoder)


@dataclass
class PairResult:
    index: int
    score: float
    issues: list[Issue]
    mqm_penalty: float
    passed: bool
    reference_metrics: dict | None = None  # chrF/BLEU/TER against the row's reference, when it has one
    id: str | None = None                  # the unit's id in its file (XLIFF/TMX unit id, msgid, line number)

    def as_dict(self) -> dict:
        out = {"index": self.index, "score": round(self.score, 4), "mqm_penalty": self.mqm_penalty,
               "issues": [i.as_dict() for i in self.issues], "passed": self.passed}
        if self.reference_metrics is not None:
            out["reference_metrics"] = self.reference_metrics
        if self.id is not None:
            out["id"] = self.id
        return out


def check_pairs(rows: list[tuple[str, str]], source_lang: str, target_lang: str, options: Options | None = None,
                encoder: CachedEncoder | None = None, *,
                references: list[str | None] | None = None, name: str = "pairs",
                ids: list[str] | None = None, progress=None,
                limits: list[int | None] | None = None,
                start: int = 0, statistics: dict | None = None) -> list[PairResult]:
    """Segment-pair mode: each row is one pre-aligned (source, target) pair.

    ``references[i]``, where given, is a reference translation of row ``i``: its
    chrF/BLEU/TER go into that row's result. ``name`` files the rows in a baseline.
    ``progress``: called with a number of steps done, ``3 * len(rows)`` in all
    (encoding, estimating, checking each row); results do not depend on it.
    ``limits[i]``, where given, is the most characters row ``i``'s target may have (XLIFF ``maxwidth``).
    With ``options.strings`` the software-string checks run (see :mod:`mtlint.checks.strings`).

    A shard of a file: ``rows`` (and ``references``, ``ids``, ``limits``) are the file's rows
    ``start`` .. ``start + len(rows) - 1`` (results are numbered from ``start``), ``statistics``
    the file statistics of all its rows (:func:`mtlint.checks.base.file_statistics`); the
    baseline is then left to the caller (:func:`mark_baseline` over all shards' results in
    order): the shards' results, joined, are the whole file's.
    """
    from .resources.langid import normalise_code
    from .score import penalty, word_count

    source_lang, target_lang = normalise_code(source_lang), normalise_code(target_lang)  # UsageError if unknown
    options = options or Options()
    encoder = encoder or get_encoder()
    advance = progress or (lambda steps: None)
    # The input-sanity checks judge whole documents (their languages, their correspondence), not units.
    checks = [c for c in select_checks(options.enable, options.disable, strings=bool(options.strings))
              if c.id not in verdict.SANITY_CHECKS]
    # Batched encoder calls over all rows; checks then hit the in-memory cache.
    similarities = _pair_similarities(rows, encoder, advance)
    # Rows are separate one-pair documents of one file: file-level statistics (a median length
    # ratio, the usual form of address) stand in for a document's, and the model reads the rows
    # in chunks when a check needs it.
    layouts = _row_layouts(rows, source_lang, target_lang, similarities, encoder, bool(options.strings))
    batch = Batch(rows, source_lang, target_lang,
                  frozenset(r.id for c in checks for r in c.requires), advance=advance,
                  whole=tuple(len(s) <= 1 and len(t) <= 1 for s, t, _ in layouts),
                  start=start, statistics=statistics)
    estimates = batch.derived(file_estimates) if QE_MODEL.id in batch.needs else None
    if estimates is None:
        advance(len(rows))
    results = []
    for offset, ((source, target), similarity, (s_sent, t_sent, links)) in enumerate(zip(rows, similarities,
                                                                                          layouts)):
        index = start + offset
        pair = DocumentPair(source, target, source_lang, target_lang, s_sent, t_sent, links, encoder.encode,
                            glossary=options.glossary, batch=batch, row=index,
                            software_strings=bool(options.strings),
                            max_width=limits[offset] if limits and offset < len(limits) else None)
        issues = verdict.cap_short_unit(verdict.settle(pair, run_checks(pair, checks, options.severity)),
                                        source, target)
        total = penalty(issues)
        reference = references[offset] if references and offset < len(references) else None
        metrics = None
        if reference is not None:
            from .reference import sentence_metrics

            metrics = sentence_metrics(target, reference)
        estimate = estimates[offset] if estimates is not None else None
        if not batch.reads_whole(index) and QE_MODEL.id in batch.needs:
            estimate = _row_estimate(computed_estimates(pair), target)
        results.append(PairResult(index, quality_score(similarity, total, estimate), issues, total,
                                  options.gate.passed(issues, word_count(target)),
                                  metrics, ids[offset] if ids else None))
        advance(1)
    store.flush()
    return results if statistics is not None else mark_baseline(results, rows, options, name)


def mark_baseline(results: list[PairResult], rows: list[tuple[str, str]], options: Options,
                  name: str) -> list[PairResult]:
    """The file's results with the issues its baseline records marked, and each row's gate judged
    on its new issues.  One marker for the whole file, row after row: occurrences count across rows."""
    if options.baseline is None:
        return results
    from .score import word_count

    marker = options.baseline.marker(name)
    marked = []
    for result in results:
        issues = marker(result.issues)
        marked.append(dataclasses.replace(result, issues=issues, passed=options.gate.passed(
            [i for i in issues if not i.baselined], word_count(rows[result.index][1]))))
    return marked


# A row that may hold more than one sentence: a sentence end followed by more text (after
# whitespace, or straight after the full-width marks of Chinese and Japanese).
_SEVERAL = re.compile(r"[.!?\u2026\u061f\u06d4\u0964\u1362][\"'\u00bb\u201c\u201d\u2019)\]]*\s+\S"
                      r"|[\u3002\uff01\uff1f][\"'\u00bb\u201c\u201d\u2019\u300d\u300f)\]]*\s*\S")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\u0085\u2028\u2029]")
# The cost of a sentence without a counterpart inside a unit: far above any link's gain, so a
# null link is chosen only where a side has no sentence at all.
UNIT_NULL_PENALTY = 1000.0
UNIT_MAX_OVERLAP = 10  # sentences a side one link may group inside a unit (bounds the search)
# A software string is segmented only where a side is longer than the model reads at once (96
# tokens, about this many characters): its placeholders, numbers and markup are the unit's.
LONG_STRING_CHARS = 400


def _row_sentences(text: str, lang: str) -> list[segment.Sentence]:
    """The row's sentences: the whole row as one, unless the segmenter finds several.  A line
    break alone does not end a sentence (a message's layout, a heading's colon)."""
    if _SEVERAL.search(text.strip()):
        found = segment.sentences(_LINE_BREAKS.sub(" ", text), lang)  # same length: offsets hold
        if len(found) > 1:
            return [segment.Sentence(s.start, s.end, 0) for s in found]
    return _row_sentences_whole(text)


def _row_sentences_whole(text: str) -> list[segment.Sentence]:
    return [segment.Sentence(0, len(text), 0)] if text.strip() else []


def _row_layouts(rows: list[tuple[str, str]], source_lang: str, target_lang: str, similarities: list[float],
                 encoder: CachedEncoder, strings: bool = False) -> list[tuple[list, list, list[Link]]]:
    """Per row: its source and target sentences and their links.  A row of one sentence a side is
    one link (scored with the row's similarity); a row of several sentences is aligned inside
    itself as ``check`` aligns a document, so that every span maps to the sentence it belongs to
    and the model reads each link, not the first tokens of a paragraph.  ``strings``: software
    strings, segmented only when long (:data:`LONG_STRING_CHARS`)."""
    sentences = [(_row_sentences(source, source_lang), _row_sentences(target, target_lang))
                 if not strings or max(len(source), len(target)) > LONG_STRING_CHARS else
                 (_row_sentences_whole(source), _row_sentences_whole(target)) for source, target in rows]
    several = [i for i, (s_sent, t_sent) in enumerate(sentences) if len(s_sent) > 1 or len(t_sent) > 1]
    texts = [[s.text(side) for s in found] for i in several for side, found in zip(rows[i], sentences[i])]
    flat = [text for side in texts for text in side]
    for start in range(0, len(flat), PAIR_CHUNK):  # batched; the aligner's calls below hit the cache
        encoder.encode(flat[start:start + PAIR_CHUNK])
    layouts = []
    for i, ((s_sent, t_sent), similarity) in enumerate(zip(sentences, similarities)):
        if len(s_sent) > 1 or len(t_sent) > 1:
            # A unit's two sides are one translation: a translator splits or joins its sentences,
            # so they are grouped (up to the whole unit), not reported as added or left out; words
            # a link leaves unrendered are still clause-omission's.
            links = align([s.text(rows[i][0]) for s in s_sent], [t.text(rows[i][1]) for t in t_sent], encoder.encode,
                          null_penalty=UNIT_NULL_PENALTY,
                          max_overlap=min(UNIT_MAX_OVERLAP, max(1, len(s_sent), len(t_sent))),
                          max_link=min(UNIT_MAX_OVERLAP + 2, max(2, len(s_sent) + len(t_sent))))
        else:
            links = [Link(tuple(range(len(s_sent))), tuple(range(len(t_sent))), similarity)]
        layouts.append((s_sent, t_sent, links))
    return layouts


@dataclass(frozen=True)
class RowEstimate:
    """The model's view of a row of several sentences: the aligned links' HTER, weighted by their
    target length, and the highest critical-error probability among links of
    :data:`verdict.SHORT_UNIT_WORDS` words or more (a shorter link, like a shorter unit, is not
    judged critical), else their weighted mean."""

    hter: float
    critical: float


def _row_estimate(found: list, target: str) -> RowEstimate | None:
    if not found:
        return None
    weights = [max(t[1] - t[0], 1) for _, t, _ in found]

    def mean(values):
        return sum(w * v for w, v in zip(weights, values)) / sum(weights)

    judged = [e.critical for _, t, e in found if segment.unit_words(target[t[0]:t[1]]) >= verdict.SHORT_UNIT_WORDS]
    critical = max(judged) if judged else mean([e.critical for _, _, e in found])
    return RowEstimate(mean([e.hter for _, _, e in found]), critical)


# Rows per encoder call in pairs mode: large enough to batch well, small enough to show progress.
# A text's vector does not depend on the batch, so neither do the results.
PAIR_CHUNK = 256


def _pair_similarities(rows: list[tuple[str, str]], encoder: CachedEncoder,
                       advance=lambda steps: None) -> list[float]:
    import numpy as np

    similarities = []
    for start in range(0, len(rows), PAIR_CHUNK):
        chunk = rows[start:start + PAIR_CHUNK]
        vectors = encoder.encode([s for s, _ in chunk] + [t for _, t in chunk])
        n = len(chunk)
        similarities.extend(float(np.dot(vectors[i], vectors[n + i])) for i in range(n))
        advance(n)
    return similarities


def quality_score(similarity: float, mqm_penalty: float, estimate=None) -> float:
    """A 0..1 quality estimate (higher is better): the model's predicted share of
    words left unedited (else cross-lingual similarity), discounted by the MQM penalty."""
    if estimate is not None:
        adequacy = (1.0 - estimate.hter) * (1.0 - estimate.critical)
    else:
        adequacy = min(1.0, max(0.0, similarity))
    return round(adequacy / (1.0 + mqm_penalty / 5.0), 4)
