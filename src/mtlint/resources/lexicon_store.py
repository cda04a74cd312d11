"""The parsed Ding dictionary on disk: plain data in SQLite, never code.

Schema (``SCHEMA``), one file per dictionary content and schema,
``lexicon-v{SCHEMA}-{source}-{target}-{sha256 of the dictionary file}.sqlite3``
in the cache directory:

- ``meta(key, value)``: ``schema``, ``source_sha256``, ``languages`` and
  ``complete`` (written last, in the same transaction as the rows);
- ``ding_index(key, value)``: English form -> JSON list of German renderings;
- ``entries(word, value)``: German word -> JSON list of Ding line numbers;
- ``genders(word, value)``: German noun -> its genders as letters (``"mf"``);
- ``wordsets(kind, word)``: the sets of :class:`~mtlint.resources.lexicon.GermanWords`
  and the place names (kind ``places``);
- ``reverse(german, english)``: casefolded German rendering -> single-word
  English forms rendered by it (what ``numbers`` looks up for unit names);
- ``glosses(german, phrase)``: lower-cased German rendering -> every English form or phrase
  rendered by it (what a German word can mean, for the wrong-sense test).

Opening costs a few hundred milliseconds: the sets are read whole (about
130,000 words), the three large mappings are queried a key at a time (and
remembered).  Every value is validated as it is read.  A file that is not a
database, lacks a table or carries other meta data is renamed aside and
rebuilt; a row that fails validation sets the file aside too, and this
process goes on with a fresh parse of the dictionary (a one-line warning each).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from functools import lru_cache

from ..safety import cache_warning, set_aside, shown

SCHEMA = 2
SET_KINDS = ("plurals", "adjectives", "verbs", "participles", "present_participles", "places")
_GENDERS = re.compile(r"[mfn]{1,3}")


class CorruptRow(Exception):
    """A stored value that does not have the schema's shape."""


@lru_cache(maxsize=4)
def file_sha256(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _strings(value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise CorruptRow("not a list of strings")
    return value


def _numbers(value) -> list[int]:
    if not isinstance(value, list) or not all(type(x) is int and x >= 0 for x in value):
        raise CorruptRow("not a list of line numbers")
    return value


def _json(text) -> object:
    if not isinstance(text, str):
        raise CorruptRow("not text")
    try:
        return json.loads(text)
    except ValueError:
        raise CorruptRow("not JSON") from None


class Store:
    """One opened lexicon file, with a fallback to a fresh in-memory parse."""

    def __init__(self, path: str, parse) -> None:
        self.path = path
        self._parse = parse  # () -> (index, entries, places, words): the dictionary parsed anew
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._fallback = None

    def connect(self, expected: dict[str, str]) -> None:
        """Open read-only and check the meta data; raises sqlite3.DatabaseError or CorruptRow."""
        from urllib.request import pathname2url

        # Read-only: this process never writes the store it reads (a path's "?" or "#" quoted for the URI).
        conn = sqlite3.connect(f"file:{pathname2url(os.path.abspath(self.path))}?mode=ro", uri=True,
                               check_same_thread=False)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            if {k: meta.get(k) for k in expected} != expected or meta.get("complete") != "1":
                raise CorruptRow("meta data do not match")
            for table in ("ding_index", "entries", "genders", "wordsets", "reverse", "glosses"):
                conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def corrupted(self, why: str):
        """A row failed validation: set the file aside (a later run rebuilds it) and parse anew here."""
        with self._lock:
            if self._fallback is None:
                aside = set_aside(self.path)
                cache_warning(f"lexicon cache {shown(self.path)}: invalid row ({why}); "
                              + (f"set aside as {shown(os.path.basename(aside))}, " if aside else "")
                              + "parsing the dictionary again")
                self._fallback = self._parse()
        return self._fallback

    def query(self, sql: str, args=()) -> list:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def wordset(self, kind: str) -> frozenset[str]:
        rows = self.query("SELECT word FROM wordsets WHERE kind=?", (kind,))
        if not all(isinstance(word, str) for (word,) in rows):
            raise CorruptRow(f"{kind}: a word that is not text")
        return frozenset(word for (word,) in rows)


class LazyMapping(Mapping):
    """A read-only mapping over one table, queried a key at a time and remembered."""

    def __init__(self, store: Store, table: str, key_column: str, validate, fallback_position: int,
                 fallback_attribute: str | None = None) -> None:
        self._store, self._table, self._key, self._validate = store, table, key_column, validate
        self._fallback = (fallback_position, fallback_attribute)
        self._memo: dict = {}
        self._length: int | None = None

    def _fallback_mapping(self, why: str) -> dict:
        parsed = self._store.corrupted(why)
        value = parsed[self._fallback[0]]
        return getattr(value, self._fallback[1]) if self._fallback[1] else value

    def __getitem__(self, key):
        if self._store._fallback is not None:
            return self._fallback_mapping("")[key]
        value = self._memo.get(key, None) if isinstance(key, str) else _MISSING
        if value is _MISSING:
            raise KeyError(key)
        if value is not None:
            return value
        rows = self._store.query(f"SELECT value FROM {self._table} WHERE {self._key}=?", (key,))
        if not rows:
            self._memo[key] = _MISSING
        else:
            try:
                self._memo[key] = self._validate(rows[0][0])
            except CorruptRow as exc:
                return self._fallback_mapping(f"{self._table} {key!r}: {exc}")[key]
        value = self._memo[key]
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        if self._store._fallback is not None:
            return iter(self._fallback_mapping(""))
        return iter([key for (key,) in self._store.query(f"SELECT {self._key} FROM {self._table}")])

    def __len__(self) -> int:
        if self._store._fallback is not None:
            return len(self._fallback_mapping(""))
        if self._length is None:
            self._length = self._store.query(f"SELECT count(*) FROM {self._table}")[0][0]
        return self._length

    def __bool__(self) -> bool:
        return len(self) > 0


_MISSING = object()


def _validate_index(text) -> list[str]:
    return _strings(_json(text))


def _validate_entries(text) -> list[int]:
    return _numbers(_json(text))


def _validate_genders(text) -> str:
    if not isinstance(text, str) or not _GENDERS.fullmatch(text):
        raise CorruptRow("not genders")
    return text


def write(path: str, index, entries, places, words, expected: dict[str, str]) -> None:
    """Write the parse to ``path`` (via a temporary file renamed over it); OSError or sqlite3.Error on failure."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        if os.path.exists(tmp):
            os.unlink(tmp)
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            with conn:
                conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                conn.execute("CREATE TABLE ding_index (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                conn.execute("CREATE TABLE entries (word TEXT PRIMARY KEY, value TEXT NOT NULL)")
                conn.execute("CREATE TABLE genders (word TEXT PRIMARY KEY, value TEXT NOT NULL)")
                conn.execute("CREATE TABLE wordsets (kind TEXT NOT NULL, word TEXT NOT NULL, "
                             "PRIMARY KEY (kind, word)) WITHOUT ROWID")
                conn.execute("CREATE TABLE reverse (german TEXT NOT NULL, english TEXT NOT NULL, "
                             "PRIMARY KEY (german, english)) WITHOUT ROWID")
                conn.execute("CREATE TABLE glosses (german TEXT NOT NULL, phrase TEXT NOT NULL, "
                             "PRIMARY KEY (german, phrase)) WITHOUT ROWID")
                conn.executemany("INSERT INTO ding_index VALUES (?, ?)",
                                 ((k, json.dumps(v, ensure_ascii=False)) for k, v in index.items()))
                conn.executemany("INSERT INTO entries VALUES (?, ?)",
                                 ((k, json.dumps(v)) for k, v in entries.items()))
                conn.executemany("INSERT INTO genders VALUES (?, ?)", words.genders.items())
                sets = {"plurals": words.plurals, "adjectives": words.adjectives, "verbs": words.verbs,
                        "participles": words.participles, "present_participles": words.present_participles,
                        "places": places}
                conn.executemany("INSERT INTO wordsets VALUES (?, ?)",
                                 ((kind, word) for kind in SET_KINDS for word in sets[kind]))
                conn.executemany("INSERT OR IGNORE INTO reverse VALUES (?, ?)",
                                 ((r.casefold(), k) for k, renderings in index.items() if " " not in k
                                  for r in renderings))
                conn.executemany("INSERT OR IGNORE INTO glosses VALUES (?, ?)",
                                 ((r.lower(), k) for k, renderings in index.items() for r in renderings))
                conn.executemany("INSERT INTO meta VALUES (?, ?)", [*expected.items(), ("complete", "1")])
        finally:
            conn.close()
        os.replace(tmp, path)
        tmp = None
    finally:
        if tmp is not None and os.path.exists(tmp):
            try:
                os.unlink(tmp)
            except OSError:
                pass


def open_or_build(directory: str, source_path: str, languages: str, parse, words_class):
    """(index, entries, places, words) for the dictionary at ``source_path``: lazily from the cached
    store, which is built first where missing; from ``parse()`` alone where the cache cannot be used.
    ``parse``: () -> the same four values, parsed from the dictionary; ``words_class``: the class of
    ``words`` (:class:`mtlint.resources.lexicon.GermanWords`), built here over the store's sets."""

    info = os.stat(source_path)
    sha = file_sha256(source_path, info.st_size, info.st_mtime_ns)
    expected = {"schema": str(SCHEMA), "source_sha256": sha, "languages": languages}
    path = os.path.join(directory, f"lexicon-v{SCHEMA}-{languages}-{sha[:32]}.sqlite3")
    store = Store(path, parse)
    parsed = None
    for attempt in range(2):
        if os.path.exists(path):
            try:
                store.connect(expected)
                places = store.wordset("places")
                words = words_class(genders=LazyMapping(store, "genders", "word", _validate_genders, 3, "genders"),
                                    plurals=store.wordset("plurals"), adjectives=store.wordset("adjectives"),
                                    verbs=store.wordset("verbs"), participles=store.wordset("participles"),
                                    present_participles=store.wordset("present_participles"), geographic=places)
                index = LazyMapping(store, "ding_index", "key", _validate_index, 0)
                entries = LazyMapping(store, "entries", "word", _validate_entries, 1)
                return index, entries, places, words, store
            except (sqlite3.DatabaseError, CorruptRow) as exc:
                if store._conn is not None:
                    store._conn.close()
                    store._conn = None
                aside = set_aside(path)
                cache_warning(f"lexicon cache {shown(path)}: {' '.join(str(exc).split())}; "
                              + (f"set aside as {shown(os.path.basename(aside))}, rebuilt" if aside
                                 else "cannot be set aside, not used"))
                if aside is None:
                    break
        if attempt == 0:
            parsed = parse()
            try:
                os.makedirs(directory, exist_ok=True)
                write(path, *parsed, expected)
            except (OSError, sqlite3.Error) as exc:
                cache_warning(f"lexicon cache in {shown(directory)} not written "
                              f"({getattr(exc, 'strerror', None) or exc}); the dictionary is parsed on every run")
                break
    if parsed is None:
        parsed = parse()
    return (*parsed, None)


def reverse_lookup(store: Store | None, index: Mapping, word: str) -> list[str]:
    """Single-word English forms that ``index`` renders as ``word`` (casefolded), sorted."""
    if store is not None and store._fallback is None:
        rows = store.query("SELECT english FROM reverse WHERE german=?", (word.casefold(),))
        if all(isinstance(english, str) for (english,) in rows):
            return sorted(english for (english,) in rows)
        index = store.corrupted("reverse: a value that is not text")[0]
    lowered = word.casefold()
    return sorted(k for k, renderings in index.items()
                  if " " not in k and any(r.casefold() == lowered for r in renderings))


_GLOSSES_IN_MEMORY: dict[int, dict[str, frozenset[str]]] = {}


def phrases_rendered_as(store: Store | None, index: Mapping, word: str) -> frozenset[str]:
    """Every English form or phrase that ``index`` renders as ``word`` (lower-cased)."""
    key = word.lower()
    if store is not None and store._fallback is None:
        rows = store.query("SELECT phrase FROM glosses WHERE german=?", (key,))
        if all(isinstance(phrase, str) for (phrase,) in rows):
            return frozenset(phrase for (phrase,) in rows)
        index = store.corrupted("glosses: a value that is not text")[0]
    reverse = _GLOSSES_IN_MEMORY.get(id(index))
    if reverse is None:  # the dictionary parsed in this process: one pass over it, kept
        found: dict[str, set[str]] = {}
        for phrase, renderings in index.items():
            for rendering in renderings:
                found.setdefault(rendering.lower(), set()).add(phrase)
        reverse = _GLOSSES_IN_MEMORY[id(index)] = {k: frozenset(v) for k, v in found.items()}
    return reverse.get(key, frozenset())
