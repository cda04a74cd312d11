"""Feeds: check a translated RSS 2.0 / Atom feed against its original, item by item.

Both feeds are read with feedparser from their bytes (never from a URL, so
nothing is fetched), after the XML has passed the same safety check as every
other XML input (:func:`mtlint.formats._xml.parse`). Items are paired

1. by id: the same guid/id, the same link, or a link of one item naming the
   other's guid or link (an Atom ``<link rel="alternate">`` to the original);
2. by date and title: the same publication time, several candidates decided
   by the most similar title (encoder cosine, mutual best);
3. by content similarity: for each pair of remaining items, the mean over
   their sentences of each sentence's best cosine in the other item, minus
   what the two items score on average against the other feed's items (a
   CSLS-style margin that removes the pull of "average" items); a pair is
   taken when it is the mutual best and the margin reaches
   ``SIMILARITY_MARGIN``.

Each pair is checked with :func:`mtlint.pipeline.check_documents` on the
item text (the title, then the content or description with HTML stripped,
one paragraph a line). Items found on one side only are listed as unpaired;
they do not fail the gate, which applies to every pair.
"""
from __future__ import annotations

import calendar
import dataclasses
import os
from dataclasses import dataclass

import numpy as np

from . import __version__
from .errors import InputError

SCHEMA = "mtlint.feed/1"
# Cosine margin (see the module docstring) from which two items without a
# shared id or date count as translations of each other. With the embedded
# e5-small encoder translated news items score 0.04-0.08 over the feed
# average and unrelated ones below 0.035.
SIMILARITY_MARGIN = 0.035
# Pairing by content compares every original with every translation (sentence by sentence): beyond
# this many combinations (700 x 700 items) it is refused rather than left to run for many minutes.
MAX_SIMILARITY_CELLS = 500_000


@dataclass(frozen=True)
class Item:
    id: str                    # guid/id, else link, else position ("#3")
    guid: str | None
    link: str | None
    hrefs: frozenset[str]      # every link of the item
    title: str
    text: str                  # title, then body paragraphs, one a line
    published: int | None      # seconds since the epoch (UTC)


@dataclass(frozen=True)
class Feed:
    path: str
    lang: str | None           # as the feed declares it
    items: list[Item]
    encoding: str


@dataclass(frozen=True)
class Pairing:
    original: Item
    translated: Item
    method: str                # "guid", "link", "date-title" or "similarity"
    similarity: float | None


def read_feed(path: str) -> Feed:
    from .formats._xml import _drop_declared_encoding, local_name, parse
    from .formats import read_document

    document = read_document(path, input_format="text", line_limit=False)
    root = parse(document.text, path)  # refuses entity expansion and external entities, reports bad XML
    if local_name(root.tag) not in ("rss", "feed", "RDF"):
        raise InputError(f"{path}: not an RSS or Atom feed (root element <{local_name(root.tag)}>)")
    import feedparser

    # The text as mtlint decoded it, declared encoding dropped: feedparser's own
    # decoding of the raw bytes crashes on a malformed declaration.
    data = _drop_declared_encoding(document.text).encode("utf-8")
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    items = [_item(entry, position) for position, entry in enumerate(parsed.entries, start=1)]
    seen: dict[str, int] = {}
    unique = []
    for item in items:  # ids must name one item each
        count = seen[item.id] = seen.get(item.id, 0) + 1
        unique.append(item if count == 1 else dataclasses.replace(item, id=f"{item.id}#{count}"))
    lang = parsed.feed.get("language") or (parsed.feed.get("title_detail") or {}).get("language")
    return Feed(path, _language(lang), unique, document.encoding)


def _language(code: str | None) -> str | None:
    from .resources import langid
    from .errors import UsageError

    if not code:
        return None
    try:
        return langid.normalise_code(code)
    except UsageError:
        return None


def _item(entry, position: int) -> Item:
    from .formats.html import fragment_text

    title = _text(entry.get("title_detail"), entry.get("title", ""))
    if entry.get("content"):
        body = "\n".join(_text(part, part.get("value", "")) for part in entry["content"])
    else:
        body = _text(entry.get("summary_detail"), entry.get("summary", ""))
    text = "\n".join(part for part in (title, body) if part.strip())
    guid = entry.get("id") or None
    link = entry.get("link") or None
    hrefs = frozenset(link_.get("href") for link_ in entry.get("links", []) if link_.get("href"))
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    return Item(id=guid or link or f"#{position}", guid=guid, link=link, hrefs=hrefs | {link} - {None},
                title=fragment_text(title) if "<" in title else title.strip(), text=text + "\n" if text else "",
                published=calendar.timegm(when) if when else None)


def _text(detail, value: str) -> str:
    from .formats.html import fragment_text

    kind = (detail or {}).get("type", "text/html")
    if kind in ("text/html", "application/xhtml+xml"):
        return fragment_text(value)
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


def pair_items(original: Feed, translated: Feed, encoder, languages: dict[str, str]
               ) -> tuple[list[Pairing], list[Item], list[Item]]:
    """Pairs (in the translated feed's order), then the unpaired original and translated items."""
    pairs: list[Pairing] = []
    # Items still unpaired, by position (dicts keep the feeds' order and remove in O(1)).
    remaining_o = dict(enumerate(original.items))
    remaining_t = dict(enumerate(translated.items))
    position_o = {id(o): n for n, o in remaining_o.items()}
    position_t = {id(t): n for n, t in remaining_t.items()}

    def take(o: Item, t: Item, method: str, similarity: float | None = None) -> None:
        pairs.append(Pairing(o, t, method, similarity))
        del remaining_o[position_o[id(o)]]
        del remaining_t[position_t[id(t)]]

    # Indexes from a guid, link or href to the originals' positions: each translated item looks up its
    # candidates instead of scanning every original (n log n in items, not n²).
    by_guid: dict[str, list[int]] = {}
    by_link: dict[str, list[int]] = {}
    by_own: dict[str, list[int]] = {}   # an original's guid or link, which a translation's href may name
    by_href: dict[str, list[int]] = {}  # an original's hrefs, which may name a translation's guid or link
    for n, o in remaining_o.items():
        if o.guid:
            by_guid.setdefault(o.guid, []).append(n)
        if o.link:
            by_link.setdefault(o.link, []).append(n)
        for key in {o.guid, o.link} - {None}:
            by_own.setdefault(key, []).append(n)
        for key in o.hrefs:
            by_href.setdefault(key, []).append(n)

    def first(positions) -> Item | None:
        alive = [n for n in positions if n in remaining_o]
        return remaining_o[min(alive)] if alive else None

    for t in list(remaining_t.values()):
        o = first(by_guid.get(t.guid, ())) if t.guid else None
        if o is not None:
            take(o, t, "guid")
            continue
        candidates = [*(by_link.get(t.link, ()) if t.link else ()),
                      *(n for href in t.hrefs for n in by_own.get(href, ())),
                      *(n for key in {t.guid, t.link} - {None} for n in by_href.get(key, ()))]
        o = first(candidates)
        if o is not None:
            take(o, t, "link")
    by_date: dict[object, list[Item]] = {}
    for o in remaining_o.values():
        if o.published is not None:
            by_date.setdefault(o.published, []).append(o)
    dated = [(o, t) for t in remaining_t.values() for o in by_date.get(t.published, ())]
    left_o, left_t = list(remaining_o.values()), list(remaining_t.values())
    if dated:
        titles = _title_similarity([o for o, _ in dated], [t for _, t in dated], encoder)
        for (o, t), similarity in _mutual_best(dated, titles):
            take(o, t, "date-title", similarity)
    left_o, left_t = list(remaining_o.values()), list(remaining_t.values())
    if left_o and left_t:
        if len(original.items) * len(translated.items) > MAX_SIMILARITY_CELLS:
            from .errors import UsageError

            raise UsageError(f"{len(left_o)} original and {len(left_t)} translated items are left without a "
                             f"shared guid, link or date, and {len(original.items)} x {len(translated.items)} "
                             f"items are too many to pair by content (at most {MAX_SIMILARITY_CELLS} "
                             f"combinations): give the items guids or links")
        margins = _content_margins(original.items, translated.items, encoder, languages)
        candidates = [(o, t) for t in left_t for o in left_o]
        for (o, t), margin in _mutual_best(candidates, {(o.id, t.id): margins[o.id, t.id] for o, t in candidates}):
            if margin >= SIMILARITY_MARGIN:
                take(o, t, "similarity", margin)
    left_o, left_t = list(remaining_o.values()), list(remaining_t.values())
    order = {item.id: n for n, item in enumerate(translated.items)}
    pairs.sort(key=lambda p: order[p.translated.id])
    return pairs, left_o, left_t


def _mutual_best(candidates: list[tuple[Item, Item]], score: dict[tuple[str, str], float]):
    """Candidate pairs that are each other's best, highest score first (ties by id, for repeatable output)."""
    best_o: dict[str, tuple[float, str]] = {}
    best_t: dict[str, tuple[float, str]] = {}
    for o, t in candidates:
        value = score[o.id, t.id]
        best_o[o.id] = max(best_o.get(o.id, (-np.inf, "")), (value, t.id))
        best_t[t.id] = max(best_t.get(t.id, (-np.inf, "")), (value, o.id))
    chosen = [((o, t), score[o.id, t.id]) for o, t in candidates
              if best_o[o.id][1] == t.id and best_t[t.id][1] == o.id]
    return sorted(chosen, key=lambda c: (-c[1], c[0][1].id))


def _title_similarity(originals: list[Item], translations: list[Item], encoder) -> dict[tuple[str, str], float]:
    vectors = encoder.encode([o.title for o in originals] + [t.title for t in translations])
    n = len(originals)
    return {(o.id, t.id): round(float(np.dot(vectors[k], vectors[n + k])), 4)
            for k, (o, t) in enumerate(zip(originals, translations))}


def _content_margins(originals: list[Item], translations: list[Item], encoder,
                     languages: dict[str, str]) -> dict[tuple[str, str], float]:
    from .resources import segment

    def vectors(item: Item, lang: str) -> np.ndarray:
        sentences = [s.text(item.text) for s in segment.sentences(item.text, lang)] or [item.text]
        return encoder.encode(sentences)

    o_vectors = [vectors(o, languages["original", o.id]) for o in originals]
    t_vectors = [vectors(t, languages["translated", t.id]) for t in translations]
    raw = np.zeros((len(originals), len(translations)))
    for i, a in enumerate(o_vectors):
        for j, b in enumerate(t_vectors):
            cosines = a @ b.T
            raw[i, j] = (cosines.max(axis=1).mean() + cosines.max(axis=0).mean()) / 2
    margin = raw - (raw.mean(axis=1, keepdims=True) + raw.mean(axis=0, keepdims=True)) / 2
    return {(o.id, t.id): round(float(margin[i, j]), 4)
            for i, o in enumerate(originals) for j, t in enumerate(translations)}


def check_feeds(original_path: str, translated_path: str, options, encoder) -> dict:
    """The ``mtlint.feed/1`` report: every pair checked, unpaired items listed, one gate for the feed."""
    from .resources import langid
    from .pipeline import check_documents
    from .read import Document

    original, translated = read_feed(original_path), read_feed(translated_path)
    # The option, else the feed's declared language, else each item's own (a newsroom's originals may mix).
    source_lang = options.source_lang and langid.normalise_code(options.source_lang) or original.lang
    target_lang = options.target_lang and langid.normalise_code(options.target_lang) or translated.lang
    languages = {**{("original", o.id): source_lang or _detect(o, original.path) for o in original.items},
                 **{("translated", t.id): target_lang or _detect(t, translated.path) for t in translated.items}}
    pairs, unpaired_o, unpaired_t = pair_items(original, translated, encoder, languages)
    items = []
    for pairing in pairs:
        o, t = pairing.original, pairing.translated
        if not o.text.strip() or not t.text.strip():
            raise InputError(f"{translated_path}: item {t.id} or its original {o.id} has no text")
        pair_options = dataclasses.replace(options, source_lang=languages["original", o.id],
                                           target_lang=languages["translated", t.id])
        report = check_documents(Document(f"{original_path}#{o.id}", o.text, original.encoding),
                                 Document(f"{translated_path}#{t.id}", t.text, translated.encoding), pair_options,
                                 encoder).as_dict()
        items.append({"original_id": o.id, "translated_id": t.id, "pairing": pairing.method,
                      "original_lang": report["source"]["lang"], "translated_lang": report["target"]["lang"],
                      "similarity": pairing.similarity, "original_title": o.title, "translated_title": t.title,
                      "original_text": o.text, "translated_text": t.text, "signature": report["signature"],
                      "summary": report["summary"], "issues": report["issues"], "warnings": report["warnings"]})
    unpaired = ([{"side": "original", "id": o.id, "title": o.title} for o in unpaired_o]
                + [{"side": "translated", "id": t.id, "title": t.title} for t in unpaired_t])
    passed = all(item["summary"]["passed"] for item in items)
    return {
        "schema": SCHEMA, "mtlint_version": __version__, "encoder": encoder.model_id,
        "original": {"path": original_path, "lang": source_lang, "items": len(original.items)},
        "translated": {"path": translated_path, "lang": target_lang, "items": len(translated.items)},
        "items": items, "unpaired": unpaired,
        "summary": {"pairs": len(items), "unpaired": len(unpaired),
                    "failed": sum(1 for item in items if not item["summary"]["passed"]), "passed": passed},
        "passed": passed,
    }


def _detect(item: Item, path: str) -> str:
    from .resources import langid
    from .errors import UsageError

    detected, _ = langid.detect(item.text) if item.text.strip() else (None, 0.0)
    if detected is None:
        raise UsageError(f"{path}: cannot tell the language of item {item.id}; give --source-lang/--target-lang")
    return detected


def feed_text(result: dict) -> str:
    """The text form: each pair's issues as ``feed#item:line:col: ...``, unpaired items, then the verdict."""
    from .report import to_text

    out = []
    for item in result["items"]:
        report = {"target": {"path": f"{result['translated']['path']}#{item['translated_id']}"},
                  "issues": item["issues"], "summary": item["summary"], "warnings": item["warnings"]}
        out.append(f"# {item['translated_id']} <- {item['original_id']} (paired by {item['pairing']})")
        out.append(to_text(report, item["translated_text"]).rstrip("\n"))
    for entry in result["unpaired"]:
        out.append(f"unpaired {entry['side']} item: {entry['id']} \"{entry['title']}\"")
    summary = result["summary"]
    out.append(f"{os.path.basename(result['translated']['path'])}: {summary['pairs']} pairs, {summary['failed']} "
               f"failed, {summary['unpaired']} unpaired - {'passed' if summary['passed'] else 'FAILED'}")
    return "\n".join(out) + "\n"
