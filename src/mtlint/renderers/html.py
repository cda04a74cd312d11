"""Self-contained HTML pages for editors: one article side by side, and an index of articles.

Pages carry their CSS and JavaScript inline (no CDN, no fonts to fetch: they
work offline and as CI artefacts). Every piece of input text goes through
Jinja2 autoescaping; highlighted spans are produced as a token stream that
the templates render, never as pre-built HTML strings.

Overlapping issue spans nest: a span inside another becomes a ``<mark>``
inside the other's ``<mark>``; spans that cross are split into pieces that
nest (the later pieces carry ``data-issue`` like the first, which alone is
focusable in tab order and has the ``m-N`` id).

With ``--baseline``, the header counts new and baselined issues, and a
baselined issue carries a small "baselined" label in the issue list (its
highlight is drawn fainter): it is reported but did not fail the gate.

Hints (findings for review, below minor: mtlint.verdict) are listed after the
confident findings, in a section collapsed by default, and drawn faintly in
the text. A page whose gate passed with major or critical issues shows a
warning badge, never a green pass. "Review first", at the top, lists the
sentences most worth a first look (the report's ``review_first``).
"""
from __future__ import annotations

import functools
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass

import jinja2

from ._common import (SEVERITIES, SYMBOLS, LineIndex, baseline_given, baselined, clip, counts_by_severity,
                      document_name, format_number, hint_count, is_hint, issue_penalty, languages, position,
                      serious_count, span_of)

_RTL = {"ar", "arc", "dv", "fa", "ha", "he", "iw", "ks", "ku", "ps", "sd", "ug", "ur", "yi"}


@functools.lru_cache(maxsize=None)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mtlint.renderers", "templates"),
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = format_number
    env.globals.update(SEVERITIES=SEVERITIES, SYMBOLS=SYMBOLS)
    return env


def _direction(lang: str) -> str:
    return "rtl" if lang.split("-")[0].lower() in _RTL else "ltr"


# --------------------------------------------------------------------------- spans -> tokens


@dataclass(frozen=True)
class _Span:
    issue: int
    start: int
    end: int
    kind: str  # "hl": the issue's own highlight (focusable); "srcmap": the source phrase it maps to


def _tokens(text: str, lo: int, hi: int, spans: list[_Span], placed: set) -> list[dict]:
    """Text ``[lo, hi)`` with ``spans`` (inside it) as nested open/text/close tokens.

    ``placed`` holds the ``(kind, issue)`` pairs already given a first piece;
    it is updated, so the first piece of an issue on the page is the one that
    takes its id and tab stop.
    """
    starting = defaultdict(list)
    for span in spans:
        starting[span.start].append(span)
    points = sorted({lo, hi, *(s.start for s in spans), *(s.end for s in spans)})
    tokens: list[dict] = []
    stack: list[_Span] = []

    def open_(span: _Span) -> None:
        first = (span.kind, span.issue) not in placed
        placed.add((span.kind, span.issue))
        tokens.append({"t": "open", "issue": span.issue, "kind": span.kind, "first": first,
                       "zero": span.start == span.end})

    for k, point in enumerate(points):
        ending = [i for i, span in enumerate(stack) if span.end == point]
        if ending:
            lowest = ending[0]
            reopen = [span for span in stack[lowest:] if span.end != point]
            tokens.extend({"t": "close"} for _ in stack[lowest:])
            del stack[lowest:]
            for span in reopen:  # crossing spans: continue the still-open ones inside a new piece
                open_(span)
                stack.append(span)
        new = starting.get(point, [])
        for span in new:
            if span.start == span.end:  # an insertion point: an empty mark
                open_(span)
                tokens.append({"t": "close"})
        for span in sorted((s for s in new if s.end > s.start), key=lambda s: (s.start - s.end, s.kind, s.issue)):
            open_(span)
            stack.append(span)
        if k + 1 < len(points) and points[k + 1] > point:
            tokens.append({"t": "text", "text": text[point:points[k + 1]]})
    tokens.extend({"t": "close"} for _ in stack)
    return tokens


def _clip_spans(spans: list[_Span], lo: int, hi: int, taken_zero: set) -> list[_Span]:
    out = []
    for span in spans:
        if span.start == span.end:
            if lo <= span.start <= hi and (span.kind, span.issue) not in taken_zero:
                taken_zero.add((span.kind, span.issue))
                out.append(span)
        elif span.start < hi and span.end > lo:
            out.append(_Span(span.issue, max(span.start, lo), min(span.end, hi), span.kind))
    return out


# --------------------------------------------------------------------------- article page


def _issue_views(report: dict, target_index: LineIndex, source_index: LineIndex) -> list[dict]:
    views = []
    for n, issue in enumerate(report.get("issues") or []):
        views.append({
            "n": n,
            "check": issue.get("check", ""),
            "category": issue.get("category", ""),
            "severity": issue.get("severity", "minor"),
            "symbol": SYMBOLS.get(issue.get("severity"), "◆"),
            "target_text": issue.get("target_text") or "",
            "source_text": issue.get("source_text") or "",
            "has_target": bool(issue.get("target_span")),
            "has_source": bool(issue.get("source_span")),
            "message": issue.get("message") or "",
            "suggestion": issue.get("suggestion"),
            "confidence": issue.get("confidence"),
            "penalty": issue_penalty(issue),
            "target_pos": position(target_index, issue.get("target_span")),
            "source_pos": position(source_index, issue.get("source_span")),
            "baselined": baselined(issue),
            "hint": is_hint(issue),
            "related": [{"check": r.get("check", ""), "severity": r.get("severity", ""),
                         "message": r.get("message", "")} for r in issue.get("related") or []],
        })
    return views


def _verdict(passed: bool, serious: int) -> tuple[str, str]:
    """(CSS class, label) of a gate badge: a pass with major or critical issues is a warning, not green."""
    if not passed:
        return "fail", "✗ failed"
    if serious:
        return "warn", f"⚠ passed with {serious} major/critical"
    return "pass", "✓ passed"


def _review(report: dict, target_text: str) -> list[dict]:
    out = []
    for entry in report.get("review_first") or []:
        span = entry.get("target_span") or [0, 0]
        out.append({"row": int(entry.get("link", 0)) + 1, "risk": entry.get("risk"),
                    "text": clip(target_text[span[0]:span[1]], 140), "issues": len(entry.get("issues") or []),
                    "model": entry.get("model")})
    return out


def _rows(report: dict, source_text: str, target_text: str) -> tuple[list[dict], list[int]]:
    """Table rows (one per alignment link) with their tokens; and the issues in page order."""
    issues = report.get("issues") or []
    target_spans, source_spans = [], []
    for n, issue in enumerate(issues):
        tspan, sspan = issue.get("target_span"), issue.get("source_span")
        if tspan:
            target_spans.append(_Span(n, int(tspan[0]), int(tspan[1]), "hl"))
        if sspan:
            source_spans.append(_Span(n, int(sspan[0]), int(sspan[1]), "srcmap" if tspan else "hl"))
    alignment = report.get("alignment") or []
    source_sentences = report.get("source_sentences") or []
    target_sentences = report.get("target_sentences") or []
    links = [(link.get("source") or [], link.get("target") or [], link.get("score"), link.get("penalty"))
             for link in alignment]
    if not links and (source_text or target_text):  # no alignment: the two texts as one row
        links = [([0], [0], None, None)]
        source_sentences = [{"start": 0, "end": len(source_text)}]
        target_sentences = [{"start": 0, "end": len(target_text)}]
    placed: set = set()
    taken_zero: set = set()
    order: list[int] = []
    rows = []
    for number, (src, tgt, score, penalty) in enumerate(links, 1):
        row = {"number": number, "source_ids": src, "target_ids": tgt, "score": score, "penalty": penalty,
               "kind": "pair" if src and tgt else ("omission" if src else "addition"),
               "source_tokens": None, "target_tokens": None}
        present: list[int] = []
        for side, text, sentences, spans in (("source", source_text, source_sentences, source_spans),
                                             ("target", target_text, target_sentences, target_spans)):
            rng = span_of(sentences, src if side == "source" else tgt)
            if rng is None:
                continue
            inside = _clip_spans(spans, rng[0], rng[1], taken_zero)
            before = set(placed)
            row[side + "_tokens"] = _tokens(text, rng[0], rng[1], inside, placed)
            for kind, n in sorted(placed - before, key=lambda pair: _first_offset(row[side + "_tokens"], pair)):
                if kind == "hl":
                    order.append(n)
            present.extend(span.issue for span in inside)
        row["issues"] = sorted(set(present))
        rows.append(row)
    order.extend(n for n in range(len(issues)) if ("hl", n) not in placed)
    return rows, order


def _first_offset(tokens: list[dict], pair: tuple[str, int]) -> int:
    for i, token in enumerate(tokens):
        if token["t"] == "open" and (token["kind"], token["issue"]) == pair and token["first"]:
            return i
    return len(tokens)


def article_page(report: dict, source_text: str, target_text: str) -> str:
    """One self-contained HTML page: original and translation side by side with the issues marked."""
    source_lang, target_lang = languages(report)
    target_index, source_index = LineIndex(target_text), LineIndex(source_text)
    issues = _issue_views(report, target_index, source_index)
    rows, order = _rows(report, source_text, target_text)
    placed = {t["issue"] for row in rows for side in ("source_tokens", "target_tokens") for t in (row[side] or [])
              if t["t"] == "open" and t["kind"] == "hl"}
    for view in issues:
        view["placed"] = view["n"] in placed
    summary = report.get("summary") or {}
    categories = Counter(view["category"] for view in issues)
    severities = Counter(view["severity"] for view in issues)
    context = {
        "report": report,
        "name": document_name(report),
        "source": report.get("source") or {},
        "target": report.get("target") or {},
        "source_lang": source_lang,
        "target_lang": target_lang,
        "source_dir": _direction(source_lang),
        "target_dir": _direction(target_lang),
        "summary": summary,
        "passed": bool(summary.get("passed", not issues)),
        "verdict": _verdict(bool(summary.get("passed", not issues)), serious_count(report)),
        "hint_count": hint_count(report),
        "review": _review(report, target_text),
        "severity_counts": counts_by_severity(report),
        "with_baseline": baseline_given(report),
        "filter_severities": [(s, severities.get(s, 0)) for s in SEVERITIES],
        "filter_categories": sorted(categories.items()),
        "issues": issues,
        # Confident findings first, then the hints (a section of their own), each in page order.
        "issues_in_order": [issues[n] for n in order if not issues[n]["hint"]],
        "hints_in_order": [issues[n] for n in order if issues[n]["hint"]],
        "rows": rows,
        "omissions": sum(1 for row in rows if row["kind"] == "omission"),
        "additions": sum(1 for row in rows if row["kind"] == "addition"),
        "warnings": [str(w) for w in report.get("warnings") or []],
    }
    return _environment().get_template("article.html.j2").render(**context)


# --------------------------------------------------------------------------- index page


def _href(page: str) -> str:
    """A relative link: percent-encoded (spaces, ``#``, ``?``, ``:``), ``/`` kept."""
    return urllib.parse.quote(str(page).replace("\\", "/"), safe="/")


def index_page(entries: list[dict], unpaired: list[str] = ()) -> str:
    """Articles ranked by MQM penalty per 100 words, with counts, a bar chart and the unpaired documents.

    ``entries`` are ``{"report": dict, "page": "relative/href.html", "name": str}``;
    ``unpaired`` names documents that had no partner to be checked against.
    """
    articles = []
    by_category: dict[str, Counter] = defaultdict(Counter)
    totals = Counter()
    for entry in entries:
        report = entry["report"]
        summary = report.get("summary") or {}
        issues = report.get("issues") or []
        words = summary.get("words") or 0
        per_severity = {s: 0.0 for s in SEVERITIES}
        for issue in issues:
            by_category[issue.get("category", "")][issue.get("severity", "minor")] += 1
            if issue.get("severity") in per_severity:
                per_severity[issue["severity"]] += issue_penalty(issue)
        counts = counts_by_severity(report)
        totals.update(counts)
        source_lang, target_lang = languages(report)
        articles.append({
            "name": str(entry.get("name") or document_name(report)),
            "href": _href(entry.get("page") or ""),
            "source_lang": source_lang,
            "target_lang": target_lang,
            "words": words,
            "issues": len(issues),
            "counts": counts,
            "categories": sorted(Counter(i.get("category", "") for i in issues).items()),
            "penalty": summary.get("mqm_penalty", 0.0),
            "per100": float(summary.get("mqm_per_100_words") or 0.0),
            "per100_by_severity": {s: (100.0 * v / words if words else 0.0) for s, v in per_severity.items()},
            "passed": bool(summary.get("passed", not issues)),
            "verdict": _verdict(bool(summary.get("passed", not issues)), serious_count(report)),
            "hints": hint_count(report),
        })
    articles.sort(key=lambda a: (-a["per100"], a["name"]))
    chart = _chart(articles)
    categories = [{"name": name, "counts": {s: counter.get(s, 0) for s in SEVERITIES}, "hints": counter.get("hint", 0),
                   "total": sum(counter.values())} for name, counter in sorted(by_category.items())]
    context = {
        "articles": articles,
        "chart": chart,
        "categories": categories,
        "totals": {s: totals.get(s, 0) for s in SEVERITIES},
        "failed": sum(1 for a in articles if not a["passed"]),
        "serious": totals.get("major", 0) + totals.get("critical", 0),
        "hints": sum(a["hints"] for a in articles),
        "unpaired": [str(u) for u in unpaired],
    }
    return _environment().get_template("index.html.j2").render(**context)


def _chart(articles: list[dict]) -> dict:
    """Geometry of a horizontal stacked bar chart (penalty per 100 words, by severity)."""
    bar, gap, label_width, width, value_width = 16, 6, 220, 640, 56
    plot = width - label_width - value_width
    top = max([a["per100"] for a in articles] + [sum(a["per100_by_severity"].values()) for a in articles] + [0])
    scale = plot / top if top > 0 else 0.0
    bars = []
    for i, article in enumerate(articles):
        y = i * (bar + gap)
        x = label_width
        segments = []
        for severity in SEVERITIES:
            w = article["per100_by_severity"][severity] * scale
            if w > 0:
                segments.append({"severity": severity, "x": round(x, 2), "width": round(max(w, 1.0), 2),
                                 "value": article["per100_by_severity"][severity]})
                x += w
        bars.append({"y": y, "text_y": y + bar - 4, "label": clip(article["name"], 32), "name": article["name"],
                     "segments": segments, "value": article["per100"], "value_x": round(x + 6, 2),
                     "passed": article["passed"]})
    height = max(len(articles) * (bar + gap) - gap, bar)
    return {"width": width, "height": height, "bar": bar, "label_width": label_width, "bars": bars}


__all__ = ["article_page", "index_page"]
