"""Glossaries (CSV, TSV or TBX) of required and forbidden renderings, loaded once per run."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass, field

from ..errors import InputError

CSV_COLUMNS = ("source", "target", "forbidden", "note")


_DEPRECATED = ("deprecated", "superseded", "notrecommended", "forbidden", "obsolete")


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
    from ..formats.delimited import raise_field_limit
    from ..read import decode_bytes

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
