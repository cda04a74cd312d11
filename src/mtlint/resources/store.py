"""Answers of slow language resources, kept on disk so that a warm run never loads them.

Loading simplemma's lemma tables, wordfreq's frequency lists, a hunspell dictionary or
langdetect's profiles costs seconds per process, while a document asks them about a few
hundred words. :func:`persistent` wraps such a lookup: answers are kept in one SQLite file in
the cache directory (``resources.sqlite3``), filed under the lookup's name, a version and a
fingerprint of the data behind it (the files' sizes and times, the packages' versions), so a
changed dictionary starts a new namespace instead of serving stale answers. The resource
itself is loaded only on a miss.

Values are plain JSON (never pickle), checked on read: a row that does not decode is
recomputed. A cache that cannot be opened or written (read-only, full, corrupt) is not an
error: lookups are then computed in the process, and a corrupt file is renamed aside
(``resources.sqlite3.corrupt``) so the next run starts a fresh one.
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import json
import os
import sqlite3
import threading
from typing import Callable, Iterable

from .cache import default_cache_dir

FILE_NAME = "resources.sqlite3"
_FLUSH_EVERY = 512  # buffered answers written per transaction
_MISSING = object()


class _Store:
    """One SQLite file shared by every persistent lookup of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._directory: str | None = None
        self._pending: list[tuple[str, str, str]] = []
        # Per namespace, whether it held any answer when this process first asked: a cold cache's
        # lookups in an empty one skip the query (a miss costs a SELECT each, about 5% of a cold 10,000-sentence check).
        # Answers another process writes meanwhile are only computed again here.
        self._holds_answers: dict[str, bool] = {}
        self.disabled = False

    def _connection(self) -> sqlite3.Connection | None:
        directory = default_cache_dir()
        if self._conn is not None and directory == self._directory:
            return self._conn
        self._close()
        self._directory = directory
        path = os.path.join(directory, FILE_NAME)
        try:
            os.makedirs(directory, exist_ok=True)
            self._conn = self._open(path)
        except sqlite3.DatabaseError:
            try:  # not a database: set it aside, start anew
                os.replace(path, path + ".corrupt")
                self._conn = self._open(path)
            except (OSError, sqlite3.Error):
                self._conn = None
        except OSError:
            self._conn = None
        self.disabled = self._conn is None
        return self._conn

    @staticmethod
    def _open(path: str) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS answers (namespace TEXT NOT NULL, key TEXT NOT NULL, "
                         "value TEXT NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID")
            conn.commit()
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _close(self) -> None:
        self._holds_answers = {}
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._conn = None

    def get(self, namespace: str, key: str):
        with self._lock:
            conn = self._connection()
            if conn is None:
                return _MISSING
            try:
                if namespace not in self._holds_answers:
                    self._holds_answers[namespace] = conn.execute(
                        "SELECT 1 FROM answers WHERE namespace = ? LIMIT 1", (namespace,)).fetchone() is not None
                if not self._holds_answers[namespace]:
                    return _MISSING
                row = conn.execute("SELECT value FROM answers WHERE namespace = ? AND key = ?",
                                   (namespace, key)).fetchone()
            except sqlite3.Error:
                return _MISSING
        if row is None:
            return _MISSING
        try:
            return json.loads(row[0])
        except ValueError:
            return _MISSING  # garbage in the row: recomputed and written over

    def put(self, namespace: str, key: str, value) -> None:
        with self._lock:
            self._pending.append((namespace, key, json.dumps(value, ensure_ascii=False)))
            if len(self._pending) >= _FLUSH_EVERY:
                self._flush_locked()

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        conn = self._connection()
        if conn is None:
            return
        try:
            with conn:
                conn.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", pending)
        except sqlite3.Error:
            pass  # a full or read-only disk only costs the lookups again next time


STORE = _Store()
atexit.register(STORE.flush)


def flush() -> None:
    """Write buffered answers now (the pipeline does so after each document)."""
    STORE.flush()


def fingerprint(paths: Iterable[str] = (), packages: Iterable[str] = ()) -> str:
    """What the answers depend on: each file's path, size and time, each package's version."""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for path in paths:
        try:
            stat = os.stat(path)
            parts.append((path, stat.st_size, stat.st_mtime_ns))
        except OSError:
            parts.append((path, None, None))
    for package in packages:
        try:
            parts.append((package, version(package)))
        except PackageNotFoundError:
            parts.append((package, None))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def persistent_value(namespace: str, key: str, compute: Callable[[], object]):
    """The answer kept under ``namespace`` and ``key``, else ``compute()`` (then kept)."""
    value = STORE.get(namespace, key)
    if value is _MISSING:
        value = compute()
        STORE.put(namespace, key, value)
    return value


def persistent(name: str, version: int, depends: Callable[..., str], maxsize: int = 200_000):
    """Decorator for a lookup of string arguments whose answer is plain JSON data: answers are
    kept on disk under ``name``, ``version`` and ``depends(*args)`` (a :func:`fingerprint` of the
    data the answer comes from), and in memory for the process."""
    def wrap(compute):
        @functools.lru_cache(maxsize=maxsize)
        def lookup(*args):
            namespace = f"{name}/{version}/{depends(*args)}"
            key = "\x1f".join(args)
            value = STORE.get(namespace, key)
            if value is _MISSING:
                value = compute(*args)
                STORE.put(namespace, key, value)
            return value

        lookup.compute = compute
        functools.update_wrapper(lookup, compute)
        return lookup

    return wrap
