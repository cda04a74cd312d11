"""A user glossary: required and forbidden renderings of source terms.

Formats
-------
CSV (``.csv``, comma) or TSV (``.tsv``, tab), UTF-8, with a header row naming
the columns ``source``, ``target``, ``forbidden`` and ``note`` (``source``
and one of ``target``/``forbidden`` are needed; alternatives inside a cell are
separated by ``|``). A row with an empty ``source`` forbids its ``forbidden``
words everywhere in the translation.

TBX (``.tbx``: TBX 2008 ``martif`` or TBX v3 ``tbx``): each concept entry's
terms in the run's source language are the source terms; its target-language
terms are required renderings, except those whose administrative status
(or normative authorisation) is deprecated or superseded, which are forbidden.
XML is parsed with defusedxml: entity declarations and external references
are refused.

Matching
--------
Words are compared by their Snowball stems (lower-cased), so inflected forms
match ("Sanktion" matches "Sanktionen", "sanctioned" matches "sanctions").
In compounding languages (German, Dutch, Scandinavian) the last word of a
term also matches the end of a compound ("Sanktion" in
"Wirtschaftssanktionen"). Languages without a Snowball stemmer (e.g.
Ukrainian) match a text word that begins with the term word less its last two
letters (at least four kept) and is at most four letters longer.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import os
import re
from dataclasses import dataclass, field

from ..check import DocumentPair, Finding, register
from ..errors import InputError

CSV_COLUMNS = ("source", "target", "forbidden", "note")
# Snowball algorithm names by ISO 639-1 code.
_STEMMERS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "da": "danish",
    "nl": "dutch", "en": "english", "eo": "esperanto", "et": "estonian", "fi": "finnish", "fr": "french",
    "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
_COMPOUNDING = frozenset({"de", "nl", "sv", "da", "no", "nb"})
_DEPRECATED = ("deprecated", "superseded", "notrecommended", "forbidden", "obsolete")
_WORD = re.compile(r"\w+", re.UNICODE)
_MIN_STEM = 4  # shorter stems match whole words only (no prefix, no compound head)


@dataclass(frozen=True)
class Entry:
    source: tuple[str, ...]     # any of these in the source sentence triggers the entry
    required: tuple[str, ...]   # one of these must then be in the target sentence
    forbidden: tuple[str, ...]  # none of these may be (anywhere, when ``source`` is empty)
    note: str = ""


@dataclass
class Glossary:
    path: str
    digest: str                                   # SHA-256 of the file, for the configuration hash
    entries: list[Entry] = field(default_factory=list)              # CSV/TSV: any language pair
    concepts: list[dict[str, tuple[list[str], list[str]]]] | None = None  # TBX: lang -> (allowed, forbidden)
    _by_pair: dict = field(default_factory=dict, repr=False)

    def entries_for(self, source_lang: str, target_lang: str) -> list[Entry]:
        if self.concepts is None:
            return self.entries
        key = (source_lang, target_lang)
        if key not in self._by_pair:
            self._by_pair[key] = [entry for concept in self.concepts
                                  if (entry := _concept_entry(concept, source_lang, target_lang))]
        return self._by_pair[key]


def _concept_entry(concept: dict, source_lang: str, target_lang: str) -> Entry | None:
    source_allowed, source_forbidden = concept.get(source_lang, ([], []))
    required, forbidden = concept.get(target_lang, ([], []))
    source = tuple(source_allowed + source_forbidden)
    if not forbidden and not (source and required):
        return None
    return Entry(source, tuple(required), tuple(forbidden))


def load_glossary(path: str) -> Glossary:
    """Read a CSV, TSV or TBX glossary; any problem is an :class:`InputError` (exit 2)."""
    from ..safety import read_bytes

    data = read_bytes(path, what="glossary")  # a regular file, size-limited (not /dev/zero, not a FIFO)
    digest = hashlib.sha256(data).hexdigest()
    extension = os.path.splitext(path)[1].lower()
    if extension in (".tbx", ".xml"):
        return Glossary(path, digest, concepts=_parse_tbx(data, path))
    if extension not in (".csv", ".tsv"):
        raise InputError(f"{path}: unknown glossary format (expected .csv, .tsv or .tbx)")
    return Glossary(path, digest, entries=_parse_csv(data, path, "\t" if extension == ".tsv" else ","))


def _alternatives(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split("|") if part.strip())


def _parse_csv(data: bytes, path: str, delimiter: str) -> list[Entry]:
    from ..read import decode_bytes

    from ..formats.delimited import raise_field_limit

    text, _ = decode_bytes(data, path)
    raise_field_limit()
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in reader.fieldnames or []]
    except csv.Error as exc:
        raise InputError(f"{path}:1: {exc}") from None
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown:
        # Named only if it looks like a column name: the file may be any file (a symlink to /etc/passwd).
        named = f" '{unknown[0]}'" if re.fullmatch(r"[\w -]{1,30}", unknown[0]) else ""
        raise InputError(f"{path}: unknown glossary column{named} (columns: {', '.join(CSV_COLUMNS)})")
    if "source" not in header or not {"target", "forbidden"} & set(header):
        raise InputError(f"{path}: a glossary needs a header row with 'source' and 'target' and/or 'forbidden'")
    reader.fieldnames = header
    entries = []
    try:
        for row in reader:
            if None in row:
                raise InputError(f"{path}:{reader.line_num}: more cells than columns")
            entry = Entry(_alternatives(row.get("source")), _alternatives(row.get("target")),
                          _alternatives(row.get("forbidden")), (row.get("note") or "").strip())
            if not entry.source and not entry.forbidden:
                if any((v or "").strip() for v in row.values()):
                    raise InputError(f"{path}:{reader.line_num}: a row needs a source term or a forbidden word")
                continue
            if entry.source and not entry.required and not entry.forbidden:
                raise InputError(f"{path}:{reader.line_num}: source term without target or forbidden rendering")
            entries.append(entry)
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: {exc}") from None
    return entries


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_tbx(data: bytes, path: str) -> list[dict]:
    import defusedxml
    from defusedxml import ElementTree
    from xml.etree.ElementTree import ParseError

    try:
        root = ElementTree.fromstring(data)
    except defusedxml.DefusedXmlException as exc:
        raise InputError(f"{path}: refused: the glossary declares XML entities or external references ({exc})") from None
    except ParseError as exc:
        raise InputError(f"{path}: not well-formed XML: {exc}") from None
    if _local(root.tag) not in ("martif", "tbx"):
        raise InputError(f"{path}: not a TBX file (root element <{_local(root.tag)}>)")
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    concepts = []
    for entry in root.iter():
        if _local(entry.tag) not in ("termEntry", "conceptEntry"):
            continue
        concept: dict[str, tuple[list[str], list[str]]] = {}
        for lang_set in entry:
            if _local(lang_set.tag) not in ("langSet", "langSec"):
                continue
            lang = (lang_set.get(xml_lang) or lang_set.get("lang") or "").lower().split("-")[0]
            allowed, forbidden = concept.setdefault(lang, ([], []))
            for holder in lang_set.iter():
                if _local(holder.tag) not in ("tig", "ntig", "termSec"):
                    continue
                terms = [" ".join("".join(e.itertext()).split()) for e in holder.iter() if _local(e.tag) == "term"]
                (forbidden if _deprecated(holder) else allowed).extend(t for t in terms if t)
        if concept:
            concepts.append(concept)
    return concepts


def _deprecated(holder) -> bool:
    for element in holder.iter():
        kind = element.get("type", "") if _local(element.tag) == "termNote" else _local(element.tag)
        if kind in ("administrativeStatus", "normativeAuthorization"):
            value = "".join(element.itertext()).lower().replace(" ", "")
            if any(word in value for word in _DEPRECATED):
                return True
    return False


# --- matching ------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _stemmer(lang: str):
    import snowballstemmer

    name = _STEMMERS.get(lang)
    return snowballstemmer.stemmer(name) if name else None


@dataclass(frozen=True)
class _Term:
    text: str
    words: tuple[str, ...]  # lower-cased
    stems: tuple[str, ...]


@functools.lru_cache(maxsize=65536)
def _term(text: str, lang: str) -> _Term:
    words = tuple(w.lower() for w in _WORD.findall(text))
    stemmer = _stemmer(lang)
    stems = tuple(stemmer.stemWords(list(words))) if stemmer else tuple(w[: max(_MIN_STEM, len(w) - 2)] for w in words)
    return _Term(text, words, stems)


class _Words:
    """The words of one span of text with their stems, for term look-up."""

    def __init__(self, text: str, start: int, end: int, lang: str) -> None:
        matches = list(_WORD.finditer(text, start, end))
        self.spans = [(m.start(), m.end()) for m in matches]
        self.words = [m.group(0).lower() for m in matches]
        self.lang = lang
        stemmer = _stemmer(lang)
        self.stems = stemmer.stemWords(self.words) if stemmer else self.words
        # Where words match only by equal stems, a term whose first stem is absent cannot match:
        # a set look-up saves scanning the sentence for most glossary entries.
        self.stem_set = frozenset(self.stems) if stemmer else None

    def find(self, term: _Term) -> tuple[tuple[int, int], int] | None:
        """The first occurrence of ``term``: its character span and how many words match letter for letter."""
        n = len(term.stems)
        if (self.stem_set is not None and n and term.stems[0] not in self.stem_set
                and (n > 1 or self.lang not in _COMPOUNDING or len(term.stems[0]) < _MIN_STEM)):
            return None
        for i in range(len(self.stems) - n + 1) if n else ():
            if all(self._word_matches(term.stems[k], i + k, last=k == n - 1) for k in range(n)):
                exact = sum(self.words[i + k] == term.words[k] for k in range(n))
                return (self.spans[i][0], self.spans[i + n - 1][1]), exact
        return None

    def _word_matches(self, stem: str, index: int, last: bool) -> bool:
        candidate = self.stems[index]
        if candidate == stem:
            return True
        if len(stem) < _MIN_STEM:
            return False
        if _stemmer(self.lang) is None:
            word = self.words[index]
            return word.startswith(stem) and len(word) <= len(stem) + 4
        return last and self.lang in _COMPOUNDING and candidate.endswith(stem)


def _best(words: _Words, terms: tuple[str, ...], lang: str):
    """``(span, exact words)`` of the best-matching alternative, or None."""
    found = [hit for term in terms if (hit := words.find(_term(term, lang)))]
    return max(found, key=lambda hit: (hit[0][1] - hit[0][0], hit[1], -hit[0][0])) if found else None


def _source_matches(entries: list[Entry], words: _Words, lang: str) -> list[tuple[Entry, tuple[int, int]]]:
    """Entries whose source term is in ``words``; where two claim overlapping words (stems conflate
    "sanctioned" and "sanctions"), the longer and more literal match wins, as in term-base look-up."""
    hits = []
    for order, entry in enumerate(entries):
        hit = _best(words, entry.source, lang)
        if hit:
            (start, end), exact = hit
            hits.append((-(end - start), -exact, order, entry, (start, end)))
    kept: list[tuple[Entry, tuple[int, int]]] = []
    for *_, entry, span in sorted(hits, key=lambda h: h[:3]):
        if all(span[1] <= other[0] or other[1] <= span[0] for _, other in kept):
            kept.append((entry, span))
    return sorted(kept, key=lambda pair: (pair[1], entries.index(pair[0])))


def _quoted(terms: tuple[str, ...]) -> str:
    return " or ".join(f'"{t}"' for t in terms)


def _note(entry: Entry) -> str:
    return f" ({entry.note})" if entry.note else ""


@register("glossary", "terminology/glossary", "major",
          "A source term from the user's glossary rendered without its required translation, or with a forbidden one.")
def glossary(pair: DocumentPair):
    terms: Glossary | None = getattr(pair, "glossary", None)
    if terms is None:
        return
    entries = terms.entries_for(pair.source_lang, pair.target_lang)
    conditional = [entry for entry in entries if entry.source]
    everywhere = [entry for entry in entries if not entry.source]
    if everywhere:  # forbidden words with no source term: every target sentence, aligned or not
        for sentence in pair.target_sentences:
            target_words = _Words(pair.target, sentence.start, sentence.end, pair.target_lang)
            for entry in everywhere:
                yield from _forbidden(pair, entry, target_words, None)
    if not conditional:
        return
    for link, source_span, target_span in pair.aligned():
        source_words = _Words(pair.source, *source_span, pair.source_lang)
        target_words = _Words(pair.target, *target_span, pair.target_lang)
        for entry, found in _source_matches(conditional, source_words, pair.source_lang):
            forbidden = list(_forbidden(pair, entry, target_words, found))
            yield from forbidden
            if not forbidden and entry.required and not _best(target_words, entry.required, pair.target_lang):
                yield Finding(target_span=target_span, source_span=found,
                              message=f'"{pair.source[found[0]:found[1]]}" is not rendered as '
                                      f"{_quoted(entry.required)} as the glossary requires{_note(entry)}",
                              suggestion=entry.required[0], confidence=0.8)


def _forbidden(pair: DocumentPair, entry: Entry, target_words: _Words, source_span: tuple[int, int] | None):
    """At most one finding: the first forbidden word of ``entry`` in the target span."""
    hit = _best(target_words, entry.forbidden, pair.target_lang)
    if hit:
        span = hit[0]
        what = f'rendering of "{pair.source[source_span[0]:source_span[1]]}"' if source_span else "word"
        advice = f"; use {_quoted(entry.required)}" if entry.required else ""
        yield Finding(target_span=span, source_span=source_span,
                      message=f'"{pair.target[span[0]:span[1]]}" is a forbidden {what} in the glossary'
                              f"{advice}{_note(entry)}",
                      suggestion=entry.required[0] if entry.required else None)
