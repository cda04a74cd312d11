"""Reliability and security: caches that cannot execute code, inputs that are never
overwritten, one error contract (exit 2, or 3 for an internal error; never a traceback,
never the gate's exit 1), bounded work.

Corrupted and poisoned caches are set aside or dropped, rebuilt and reported in one
warning line; a cache that cannot be written is not used.  Most tests use small
hand-made inputs and no model; the few that run the real pipeline say so.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from mtlint.cli import main
from mtlint.safety import CacheWarning

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "mtlint"
SOURCE_TEXT = "The council met on Monday. It approved the budget of 12,000 euros.\n"
TARGET_TEXT = "Der Rat tagte am Montag. Er billigte den Haushalt von 12.000 Euro.\n"

# A small Ding file: the lexicon store is built from it in a second, not from the 25 MB dictionary.
DING = """# test dictionary
Krieg {m}; Kriege {pl} :: war; wars
Meter {m} | Meter {pl} :: metre; meter | metres
Russland {n} [geogr.] :: Russia
verbieten {vt} | verbietend | verboten :: to forbid | forbidding | forbidden
stark {adj} :: strong
Frau {f} | Frauen {pl} :: woman | women
"""


def run_cli(capsys, *args):
    """The command line in this process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def spawn(*args, timeout=60, **kwargs):
    return subprocess.run([sys.executable, "-m", "mtlint", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, **kwargs)


def assert_one_line_error(code, stderr, *fragments, exit_code=2):
    assert code == exit_code, stderr
    assert stderr.startswith("mtlint: error:") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in stderr, stderr


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    source, target = tmp_path / "doc.en.txt", tmp_path / "doc.de.txt"
    source.write_text(SOURCE_TEXT, encoding="utf-8")
    target.write_text(TARGET_TEXT, encoding="utf-8")
    return source, target


# ---------------------------------------------------------------- no pickle

def test_no_code_path_unpickles_or_unmarshals_anything_read_from_disk():
    forbidden = re.compile(r"\bpickle\.loads?\(|\bmarshal\.loads?\(|\bshelve\b|allow_pickle\s*=\s*True|"
                           r"\bjoblib\.load\(|\btorch\.load\(|\bdill\b|\bcloudpickle\.loads?\(")
    offenders = [f"{path.relative_to(SRC)}:{number}" for path in SRC.rglob("*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if forbidden.search(line)]
    assert offenders == []


@pytest.fixture
def ding(tmp_path, monkeypatch):
    """A small Ding dictionary and an empty cache directory; lexicon.load() reads them anew."""
    from mtlint.resources import lexicon

    path = tmp_path / "ding.txt"
    path.write_text(DING, encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setenv("MTLINT_DICTIONARY", str(path))
    monkeypatch.setenv("MTLINT_CACHE_DIR", str(cache))
    lexicon.load.cache_clear()
    yield cache
    lexicon.load.cache_clear()


def _parsed():
    from mtlint.resources.lexicon import GermanWords, parse_ding

    entries, places, words = {}, set(), GermanWords()
    index = parse_ding(DING.splitlines(keepends=True), entries, places, words)
    return index, entries, places, words


def _assert_lexicon_complete(lex):
    index, entries, places, words = _parsed()
    assert dict(lex.index) == index and dict(lex.entries) == entries
    assert set(lex.places) == places and dict(lex.words.genders) == words.genders
    assert lex.words.plurals == words.plurals and lex.words.adjectives == words.adjectives
    assert lex.words.verbs == words.verbs and lex.words.participles == words.participles
    assert lex.renderings("war") == ["Krieg", "Kriege"] and lex.english_for("Meter") == ["meter", "metre", "metres"]
    assert lex.same_entry("Krieg", "Kriege") and not lex.same_entry("Krieg", "Frau")


def _load():
    from mtlint.resources import lexicon

    lexicon.load.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lex = lexicon.load("en", "de")
    return lex, [str(w.message) for w in caught if issubclass(w.category, CacheWarning)]


def _clear_warned():
    from mtlint import safety

    safety._warned.clear()


def test_the_lexicon_cache_is_plain_data_and_a_crafted_pickle_never_runs(ding, tmp_path):
    import pickle

    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    ding.mkdir()
    for name in ("lexicon15-en-de-1-1.pickle", "lexicon.pickle", "embeddings.pickle"):
        (ding / name).write_bytes(pickle.dumps(Exploit()))
    lex, _ = _load()
    assert not marker.exists()
    _assert_lexicon_complete(lex)
    stores = list(ding.glob("lexicon-v*.sqlite3"))
    assert len(stores) == 1
    with sqlite3.connect(stores[0]) as conn:  # what a reader gets back is JSON text and words, nothing else
        kinds = {type(v).__name__ for (v,) in conn.execute("SELECT value FROM ding_index")}
        assert kinds == {"str"} and json.loads(conn.execute("SELECT value FROM ding_index WHERE key='war'")
                                               .fetchone()[0]) == ["Krieg", "Kriege"]
    again, caught = _load()  # the second run reads the store
    assert caught == [] and again.store is not None
    _assert_lexicon_complete(again)


def test_a_lexicon_file_that_is_not_a_database_is_set_aside_and_rebuilt(ding):
    _clear_warned()
    _load()
    store = next(ding.glob("lexicon-v*.sqlite3"))
    store.write_bytes(b"this is not an SQLite file at all" * 100)
    lex, caught = _load()
    assert len(caught) == 1 and "set aside" in caught[0] and "\n" not in caught[0], caught
    assert [p.name for p in ding.glob("*.corrupt-*")] and store.exists()  # kept aside, not deleted; rebuilt
    _assert_lexicon_complete(lex)
    assert _load()[1] == []  # the rebuilt file is used as it is


@pytest.mark.parametrize("table, column, key, garbage", [
    ("ding_index", "key", "war", "5"),                     # JSON, but no list of words
    ("ding_index", "key", "war", "{not json"),
    ("entries", "word", "krieg", '["x"]'),                 # line numbers that are not numbers
    ("genders", "word", "Krieg", "<script>"),
])
def test_a_lexicon_row_that_fails_validation_is_recomputed_and_the_file_set_aside(ding, table, column, key,
                                                                                  garbage):
    _clear_warned()
    _load()
    store = next(ding.glob("lexicon-v*.sqlite3"))
    with sqlite3.connect(store) as conn:
        assert conn.execute(f"UPDATE {table} SET value=? WHERE {column}=?", (garbage, key)).rowcount == 1
    lex, caught = _load()
    assert caught == []  # nothing read yet: rows are validated as they are read
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        _assert_lexicon_complete(lex)  # the right values, from a fresh parse
    assert [str(w.message) for w in seen if "invalid row" in str(w.message)], [str(w.message) for w in seen]
    assert not store.exists() and list(ding.glob("*.corrupt-*"))
    rebuilt, _ = _load()
    _assert_lexicon_complete(rebuilt)
    assert rebuilt.store is not None


def test_a_wrong_kind_of_value_in_a_lexicon_set_rebuilds_the_file(ding):
    _clear_warned()
    _load()
    store = next(ding.glob("lexicon-v*.sqlite3"))
    with sqlite3.connect(store) as conn:
        conn.execute("INSERT INTO wordsets VALUES ('verbs', ?)", (b"\x80 bytes, not a word",))
    lex, caught = _load()
    assert len(caught) == 1 and "set aside" in caught[0]
    _assert_lexicon_complete(lex)


def test_a_read_only_cache_directory_costs_the_parse_only(ding):
    _clear_warned()
    ding.mkdir()
    ding.chmod(0o500)
    try:
        if os.access(ding, os.W_OK):
            pytest.skip("running as a user who may write anywhere (root)")
        lex, caught = _load()
    finally:
        ding.chmod(0o700)
    assert len(caught) == 1 and "not written" in caught[0]
    _assert_lexicon_complete(lex)


def test_a_cache_directory_that_cannot_be_created_costs_the_parse_only(ding, tmp_path, monkeypatch):
    _clear_warned()
    blocker = tmp_path / "file"
    blocker.write_text("a file where a directory should be")
    monkeypatch.setenv("MTLINT_CACHE_DIR", str(blocker / "cache"))
    lex, caught = _load()
    assert len(caught) == 1 and "not written" in caught[0]
    _assert_lexicon_complete(lex)


# ------------------------------------------------------- the embedding cache

def _unit(i: int, width: int = 4) -> np.ndarray:
    vector = np.arange(1, width + 1, dtype=np.float32) + i
    return vector / np.linalg.norm(vector)


def _caught(function, *args):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = function(*args)
    return result, [str(w.message) for w in seen if issubclass(w.category, CacheWarning)]


def test_an_embedding_cache_that_is_not_a_database_is_set_aside_and_restarted(tmp_path):
    from mtlint.embed import EmbeddingCache

    _clear_warned()
    (tmp_path / "embeddings.sqlite3").write_bytes(b"garbage, not SQLite " * 200)
    cache = EmbeddingCache(str(tmp_path))
    digest = EmbeddingCache.digest("text")
    _, caught = _caught(cache.put_many, "m", [(digest, _unit(0))])
    assert len(caught) == 1 and "file is not a database" in caught[0] and "set aside" in caught[0]
    assert list(tmp_path.glob("embeddings.sqlite3.corrupt-*"))
    assert np.array_equal(EmbeddingCache(str(tmp_path)).get_many("m", [digest])[digest], _unit(0))


def test_garbage_embedding_rows_are_dropped_and_recomputed(tmp_path):
    from mtlint.embed import CachedEncoder, EmbeddingCache

    _clear_warned()

    class Encoder:
        model_id, dim = "unit", 4
        calls = 0

        def encode(self, texts):
            Encoder.calls += 1
            return np.stack([_unit(len(t)) for t in texts])

    texts = ["a", "bb", "ccc", "dddd"]
    expected = CachedEncoder(Encoder(), EmbeddingCache(str(tmp_path))).encode(texts)
    with sqlite3.connect(tmp_path / "embeddings.sqlite3") as conn:
        rows = [EmbeddingCache.digest(t) for t in texts]
        conn.execute("UPDATE embeddings SET vector=? WHERE digest=?", (b"\x00\x01\x02", rows[0]))   # no float32s
        conn.execute("UPDATE embeddings SET vector=? WHERE digest=?", (np.full(4, np.nan, np.float32).tobytes(), rows[1]))
        conn.execute("UPDATE embeddings SET vector=? WHERE digest=?", (_unit(0, 7).tobytes(), rows[2]))  # wrong width
        conn.execute("UPDATE embeddings SET vector=? WHERE digest=?", ("text, not bytes", rows[3]))
    Encoder.calls = 0
    again = CachedEncoder(Encoder(), EmbeddingCache(str(tmp_path)))
    vectors, caught = _caught(again.encode, texts)
    # Three fail on reading; the one of another width shows next to the model's fresh vectors.
    assert np.array_equal(vectors, expected) and again.stats.encoded == 4
    assert len(caught) == 2 and "3 invalid embedding row(s)" in caught[0] and "1 vector(s) of the wrong width" in caught[1]
    # The right vectors replaced them: a third run reads all four from the disk.
    third = CachedEncoder(Encoder(), EmbeddingCache(str(tmp_path)))
    assert np.array_equal(third.encode(texts), expected) and third.stats.disk_hits == 4


def test_a_read_only_or_full_cache_is_not_used_and_the_run_goes_on(tmp_path):
    from mtlint.embed import CachedEncoder, EmbeddingCache

    class Encoder:
        model_id, dim = "unit", 4

        def encode(self, texts):
            return np.stack([_unit(len(t)) for t in texts])

    _clear_warned()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    unusable = CachedEncoder(Encoder(), EmbeddingCache(str(blocker / "cache")))  # cannot be created
    vectors, caught = _caught(unusable.encode, ["a", "bb"])
    assert vectors.shape == (2, 4) and len(caught) == 1 and "going on without the cache" in caught[0]

    # Full: SQLite's own "database or disk is full", with the file capped at its current pages.
    _clear_warned()
    cache = EmbeddingCache(str(tmp_path / "full"))
    cache.put_many("m", [(EmbeddingCache.digest("first"), _unit(0))])
    pages = cache._connection().execute("PRAGMA page_count").fetchone()[0]
    cache._connection().execute(f"PRAGMA max_page_count={pages}")
    items = [(EmbeddingCache.digest(f"t{i}"), _unit(i, 4)) for i in range(3000)]
    _, caught = _caught(cache.put_many, "m", items)
    assert len(caught) == 1 and "full" in caught[0] and cache.disabled
    assert cache.get_many("m", [items[0][0]]) == {}  # disabled for the rest of the run: no errors
    assert not [p for p in (tmp_path / "full").iterdir() if p.name.endswith(".tmp")]


def _tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs is Linux's")
def test_a_full_disk_for_cache_and_output_is_one_line_and_leaves_no_temporary_file(tmp_path, capsys, monkeypatch):
    small = tmp_path / "small"
    if not _tmpfs(small, "64k"):
        pytest.skip("cannot mount a small tmpfs here (needs root); the SQLite-full case is tested above")
    try:
        from mtlint.embed import CachedEncoder, EmbeddingCache

        class Encoder:
            model_id, dim = "unit", 4

            def encode(self, texts):
                return np.stack([_unit(len(t)) for t in texts])

        _clear_warned()
        encoder = CachedEncoder(Encoder(), EmbeddingCache(str(small / "cache")))
        vectors, caught = _caught(encoder.encode, [f"text number {i}" * (i % 7 + 1) for i in range(4000)])
        assert vectors.shape == (4000, 4) and len(caught) == 1 and "going on without the cache" in caught[0]
        # A report larger than the disk: one line, exit 2, and no temporary file left behind.
        from mtlint.report import write_atomic
        from mtlint.errors import MtlintError

        with pytest.raises(MtlintError, match="No space left"):
            write_atomic(str(small / "out.json"), "x" * 200_000)
        assert not [p.name for p in small.iterdir() if p.name.endswith(".tmp")]
    finally:
        subprocess.run(["umount", str(small)], check=False)


# ------------------------------------------------ quality-estimation rows

def test_garbage_quality_estimation_rows_are_dropped_and_recomputed(tmp_path, monkeypatch):
    from mtlint import qe_cache
    from mtlint.embed import EmbeddingCache, ResultStore
    from mtlint.qe import PairEstimate

    _clear_warned()
    computed = []

    class Estimator:
        batch_invariant = True

        def estimate(self, pairs):
            computed.extend(pairs)
            return [PairEstimate(critical=0.25, hter=0.5, word_spans=[(0, 3)], word_bad=[0.125], alignment=[0],
                                 source_spans=[(0, 3)], source_alignment=[0], source_coverage=[1.0],
                                 target_coverage=[1.0], word_links=[0]) for _ in pairs]

    monkeypatch.setattr(qe_cache, "get_estimator", Estimator)
    head = qe_cache._head(qe_cache._head_path())
    monkeypatch.setitem(qe_cache._VERIFIED, head.sha256, True)
    pairs = [("one source", "ein Ziel"), ("two", "zwei"), ("three", "drei")]
    first = qe_cache.cached_estimate(pairs, ResultStore(EmbeddingCache(str(tmp_path))))
    key = qe_cache.model_key(head)
    with sqlite3.connect(tmp_path / "embeddings.sqlite3") as conn:
        for (source, target), garbage in zip(pairs, ["5", '[32, "x", 1, [], [], [], [], [], [], []]',
                                                     "[32, NaN, 0.5, [0,3], [0.1], [0], [0,3], [0], [1.0], [1.0]]"]):
            assert conn.execute("UPDATE results SET value=? WHERE model=? AND digest=?",
                                (garbage, key, qe_cache.pair_digest(source, target))).rowcount == 1
    computed.clear()
    again, caught = _caught(qe_cache.cached_estimate, pairs, ResultStore(EmbeddingCache(str(tmp_path))))
    assert again == first and computed == pairs
    assert len(caught) == 1 and "3 invalid row(s)" in caught[0]
    computed.clear()
    assert qe_cache.cached_estimate(pairs, ResultStore(EmbeddingCache(str(tmp_path)))) == first and computed == []


def test_garbage_in_the_verbs_of_saying_cache_is_set_aside_and_recomputed(tmp_path, monkeypatch):
    from mtlint.resources import wordnet
    from mtlint.resources import saying

    if wordnet.counts_path() is None or not os.path.isfile("/usr/share/trans/de-en"):
        pytest.skip("needs Debian's wordnet-base and trans-de-en")
    _clear_warned()
    monkeypatch.setenv("MTLINT_CACHE_DIR", str(tmp_path))
    saying.reporting_verbs.cache_clear()
    expected = saying.reporting_verbs("/usr/share/trans/de-en")
    (cached,) = tmp_path.glob("reporting-verbs-*.json")
    cached.write_text("5")
    saying.reporting_verbs.cache_clear()
    again, caught = _caught(saying.reporting_verbs, "/usr/share/trans/de-en")
    saying.reporting_verbs.cache_clear()
    assert again == expected and len(caught) == 1 and "set aside" in caught[0]
    assert json.loads(cached.read_text()) == sorted(expected)


# --------------------------------------------------------------- outputs

def test_output_names_are_proven_to_stay_inside_the_output_directory(tmp_path):
    from mtlint.errors import UsageError
    from mtlint.safety import output_inside

    assert output_inside(str(tmp_path), "doc.html") == os.path.join(str(tmp_path), "doc.html")
    (tmp_path / "link").symlink_to("/tmp")
    for name in ("../../x", "/etc/passwd", "a/../../x", "..", "", "link/x", "sub/doc.html"):
        with pytest.raises(UsageError):
            output_inside(str(tmp_path), name)


def test_report_onto_its_own_corpus_is_refused_before_anything_is_written(tmp_path, capsys):
    corpus, references = tmp_path / "corpus", tmp_path / "refs"
    corpus.mkdir()
    references.mkdir()
    (references / "doc.en.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    (corpus / "doc.txt").write_text(TARGET_TEXT, encoding="utf-8")
    before = {p: p.read_bytes() for p in (*corpus.iterdir(), *references.iterdir())}
    code, _, err = run_cli(capsys, "report", corpus, references, "-o", corpus)
    assert_one_line_error(code, err, "doc.txt", "refused to overwrite an input")
    assert {p: p.read_bytes() for p in (*corpus.iterdir(), *references.iterdir())} == before
    assert sorted(p.name for p in corpus.iterdir()) == ["doc.txt"]


def test_check_output_onto_an_input_by_path_or_hard_link_is_refused(tmp_path, capsys):
    source, target = _pair(tmp_path)
    linked = tmp_path / "hard-link.txt"
    os.link(target, linked)
    for output in (target, tmp_path / "." / "doc.de.txt", linked):
        code, _, err = run_cli(capsys, "check", source, target, "--source-lang", "en", "--target-lang", "de",
                               "-o", output)
        assert_one_line_error(code, err, "refused to overwrite an input")
    code, _, err = run_cli(capsys, "align", source, target, "-o", source)
    assert_one_line_error(code, err, "refused to overwrite an input")
    glossary = tmp_path / "g.csv"
    glossary.write_text("source,target\ncouncil,Rat\n", encoding="utf-8")
    pairs = tmp_path / "p.tsv"
    pairs.write_text("council\tRat\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "pairs", pairs, "--source-lang", "en", "--target-lang", "de",
                           "--glossary", glossary, "-o", glossary)
    assert_one_line_error(code, err, "refused to overwrite an input")
    code, _, err = run_cli(capsys, "baseline", source, target, "-o", target)
    assert_one_line_error(code, err, "refused to overwrite an input")
    assert target.read_text(encoding="utf-8") == TARGET_TEXT and source.read_text(encoding="utf-8") == SOURCE_TEXT


# ------------------------------------------------------ the error contract

def test_an_unforeseen_error_is_one_line_with_exit_3(tmp_path, capsys, monkeypatch):
    import mtlint.cli

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr(mtlint.cli, "pair_documents", broken)
    code, _, err = run_cli(capsys, "report", tmp_path, tmp_path, "-o", tmp_path / "out")
    assert_one_line_error(code, err, "internal error (ZeroDivisionError", exit_code=3)


def _deep_xliff(depth: int) -> str:
    return ('<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
            '<file source-language="en" target-language="de" datatype="plaintext" original="x"><body>'
            '<trans-unit id="1"><source>' + '<g id="1">' * depth + "x" + "</g>" * depth +
            "</source><target>y</target></trans-unit></body></file></xliff>")


def _deep_tmx(depth: int) -> str:
    return ('<?xml version="1.0"?><tmx version="1.4"><header srclang="en" datatype="plaintext" segtype="sentence" '
            'adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="x"/><body><tu>'
            '<tuv xml:lang="en"><seg>' + "<hi>" * depth + "x" + "</hi>" * depth + '</seg></tuv>'
            '<tuv xml:lang="de"><seg>y</seg></tuv></tu></body></tmx>')


@pytest.mark.parametrize("name, content", [("deep.xlf", _deep_xliff(100_000)), ("deep.tmx", _deep_tmx(100_000))])
def test_deep_xml_nesting_is_refused_in_one_line(tmp_path, capsys, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, _, err = run_cli(capsys, "pairs", path, "--source-lang", "en", "--target-lang", "de")
    assert_one_line_error(code, err, "nested deeper than")


def test_shallow_xml_nesting_is_still_read():
    from mtlint.formats._xml import parse

    root = parse(_deep_xliff(50), "ok.xlf")
    assert root is not None


@pytest.mark.parametrize("content", ["a = " + "[" * 100_000 + "]" * 100_000,
                                     "a = " + "{b = " * 50_000 + "1" + "}" * 50_000])
def test_deep_nesting_in_the_configuration_is_refused_in_one_line(tmp_path, capsys, content):
    source, target = _pair(tmp_path)
    config = tmp_path / "mtlint.toml"
    config.write_text(content, encoding="utf-8")
    code, _, err = run_cli(capsys, "check", source, target, "--config", config)
    assert_one_line_error(code, err, "nested deeper than")


def test_a_model_directory_without_a_model_is_refused(tmp_path, capsys):
    source, target = _pair(tmp_path)
    config = tmp_path / "mtlint.toml"
    config.write_text('model = "/etc"\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "check", source, target, "--config", config, "--source-lang", "en",
                           "--target-lang", "de")
    assert_one_line_error(code, err, "model /etc", "no modules.json or config.json")


@pytest.mark.parametrize("option", ["--glossary", "--baseline", "--config"])
def test_a_device_as_glossary_baseline_or_configuration_is_refused_at_once(tmp_path, option):
    source, target = _pair(tmp_path)
    started = time.monotonic()
    done = spawn("check", source, target, option, "/dev/zero", "--source-lang", "en", "--target-lang", "de",
                 timeout=60)
    assert_one_line_error(done.returncode, done.stderr, "/dev/zero", "a device, not a regular file")
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("option", ["--glossary", "--baseline", "--config"])
def test_a_fifo_is_refused_instead_of_waited_on(tmp_path, option):
    # Documents may come through a pipe (`<(command)`, read up to the size limit: test_robustness.py);
    # a glossary, baseline or configuration may not, so a FIFO nobody writes never blocks a run.
    source, target = _pair(tmp_path)
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    done = spawn("check", source, target, option, fifo, "--source-lang", "en", "--target-lang", "de",
                 timeout=60)  # blocked: TimeoutExpired
    assert_one_line_error(done.returncode, done.stderr, "a FIFO, not a regular file")


def test_a_device_as_document_is_refused_before_reading(tmp_path):
    source, _ = _pair(tmp_path)
    done = spawn("check", source, "/dev/zero", "--source-lang", "en", "--target-lang", "de", timeout=60)
    assert_one_line_error(done.returncode, done.stderr, "/dev/zero: a device, not a regular file")


def test_an_oversized_side_file_is_refused_by_its_size(tmp_path, capsys, monkeypatch):
    from mtlint import safety

    source, target = _pair(tmp_path)
    glossary = tmp_path / "g.csv"
    glossary.write_text("source,target\n" + "council,Rat\n" * 100, encoding="utf-8")
    monkeypatch.setattr(safety, "MAX_SIDE_FILE_BYTES", 100)
    code, _, err = run_cli(capsys, "check", source, target, "--glossary", glossary)
    assert_one_line_error(code, err, "larger than the 100 byte limit")


# ------------------------------------------------------------ small points

@pytest.mark.parametrize("value", ["nan", "inf", "-1"])
def test_max_penalty_is_validated_like_the_configuration(tmp_path, capsys, value):
    source, target = _pair(tmp_path)
    code, _, err = run_cli(capsys, "check", source, target, f"--max-penalty={value}")
    assert_one_line_error(code, err, "--max-penalty must be a number >= 0")
    config = tmp_path / "mtlint.toml"
    config.write_text(f"max_penalty = {value}\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "check", source, target, "--config", config)
    assert_one_line_error(code, err, "'max_penalty'", "must be a number >= 0")


def test_control_characters_in_names_are_escaped_so_the_error_stays_one_line(tmp_path, capsys):
    source, _ = _pair(tmp_path)
    forged = str(tmp_path / "x\nmtlint: error: forged line.txt")
    code, _, err = run_cli(capsys, "check", source, forged)
    assert_one_line_error(code, err, "x\\x0amtlint: error: forged line.txt")


def test_hidden_names_in_a_corpus_are_listed_when_skipped(tmp_path, capsys):
    corpus, references = tmp_path / "corpus", tmp_path / "refs"
    corpus.mkdir()
    references.mkdir()
    (corpus / ".draft.txt").write_text(TARGET_TEXT, encoding="utf-8")
    (corpus / ".git").mkdir()
    code, _, err = run_cli(capsys, "report", corpus, references, "-o", tmp_path / "out")
    assert code == 2, err  # nothing left to pair: an input error, after the warning that says why
    assert err.startswith("mtlint: warning: 2 hidden name(s) in") and ".draft.txt, .git" in err
    assert err.splitlines()[-1].startswith("mtlint: error: no translation")


def test_a_csv_cell_larger_than_csvs_default_limit_is_read_or_refused_clearly(tmp_path, capsys):
    from mtlint.resources.glossary import load_glossary

    note = "Eine lange Anmerkung. " * 10_000  # 220 KB, over the csv module's 128 KiB default
    glossary = tmp_path / "g.csv"
    glossary.write_text(f'source,target,note\ncouncil,Rat,"{note}"\n', encoding="utf-8")
    assert [entry.note for entry in load_glossary(str(glossary)).entries] == [note.strip()]
    # A unit's text that long is refused by the unit limit, in words, not by csv's "field larger than field limit".
    units = tmp_path / "big.csv"
    units.write_text(f'source,target\n"A long sentence.","{note}"\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "pairs", units, "--source-lang", "en", "--target-lang", "de")
    assert_one_line_error(code, err, "unit 2: target longer than 100000 characters")


def test_mixed_utf8_and_latin1_gets_a_warning(tmp_path):
    from mtlint.read import InputWarning, decode_bytes

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        text, encoding = decode_bytes("Käse ".encode("utf-8") + "und Brötchen".encode("latin-1"), "mixed.txt")
        pure, pure_encoding = decode_bytes("Brötchen und Käse".encode("latin-1"), "latin.txt")
    messages = [str(w.message) for w in seen if issubclass(w.category, InputWarning)]
    assert encoding == pure_encoding == "latin-1" and pure == "Brötchen und Käse"
    assert messages == ["mixed.txt: mixed encodings (UTF-8 sequences in a file that is not valid UTF-8); "
                        "read as Latin-1, so its UTF-8 characters will show as mojibake"]


def test_an_error_never_echoes_an_unrelated_files_content(tmp_path, capsys):
    source, target = _pair(tmp_path)
    secret = tmp_path / "secret"
    secret.write_text("root:x:0:0:TOPSECRET-hash:/root:/bin/bash\nuser:x:1000\n", encoding="utf-8")
    glossary = tmp_path / "g.csv"
    glossary.symlink_to(secret)
    code, _, err = run_cli(capsys, "check", source, target, "--glossary", glossary)
    assert_one_line_error(code, err, "unknown glossary column")
    assert "TOPSECRET" not in err and "root:x" not in err
    baseline = tmp_path / "b.json"
    baseline.symlink_to(secret)
    code, _, err = run_cli(capsys, "check", source, target, "--baseline", baseline)
    assert_one_line_error(code, err, "not a baseline file")
    assert "TOPSECRET" not in err and "root:x" not in err


# ------------------------------------------------------------ bounded work

def test_segmentation_of_a_huge_single_line_is_linear(tmp_path):
    from mtlint.resources.segment import sentences

    def timed(n: int) -> float:
        text = "Der Rat tagte am Montag und billigte den Haushalt von zwölf Millionen Euro " * n
        started = time.perf_counter()
        found = sentences(text, "de")
        assert found and found[-1].end <= len(text)
        return time.perf_counter() - started

    small, large = timed(2_000), timed(20_000)  # 150 KB and 1.5 MB, one line without a full stop
    assert large < 30 * max(small, 0.01)  # ten times the text: not a hundred times the time


# ------------------------------------------------- the run cache (real pipeline)

def _small_corpus(tmp_path: Path) -> tuple[Path, Path]:
    corpus, references = tmp_path / "corpus", tmp_path / "refs"
    corpus.mkdir()
    references.mkdir()
    (references / "doc.en.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    (corpus / "doc.txt").write_text(TARGET_TEXT, encoding="utf-8")
    return corpus, references


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_a_poisoned_run_cache_row_neither_escapes_the_output_directory_nor_injects_markup(tmp_path, capsys,
                                                                                          monkeypatch):
    """Runs the real pipeline (the encoder model loads once)."""
    from mtlint import run_cache

    _clear_warned()
    cache = tmp_path / "cache"
    monkeypatch.setenv("MTLINT_CACHE_DIR", str(cache))
    corpus, references = _small_corpus(tmp_path)
    argv = ["report", corpus, references, "--fail-on", "never", "-j", "1", "-q"]
    code, _, err = run_cli(capsys, *argv, "-o", tmp_path / "clean")
    assert code == 0, err
    clean = _files(tmp_path / "clean")

    def rows(conn):
        return conn.execute("SELECT digest, value FROM results WHERE model=?", (run_cache.MODEL,)).fetchall()

    with sqlite3.connect(cache / "embeddings.sqlite3") as conn:
        ((digest, value),) = rows(conn)
        row = json.loads(value)
        row["report"]["warnings"] = ["<script>alert('cached')</script>"]  # a valid row, hostile text
        conn.execute("UPDATE results SET value=? WHERE digest=?", (json.dumps(row), digest))
    code, _, err = run_cli(capsys, *argv, "-o", tmp_path / "marked")
    assert code == 0, err
    page = (tmp_path / "marked" / "doc.html").read_text(encoding="utf-8")
    assert "alert('cached')" not in page.replace("&lt;script&gt;alert(&#39;cached&#39;)", "")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page

    # A row as an attacker (or an older mtlint) would write it: file names and rendered files.
    escape = tmp_path / "x.html"
    poisoned = {"encoder": "e", "files": {"../../x.html": "<script>alert(1)</script>",
                                          str(escape): "<script>alert(2)</script>"},
                "entry": {"name": "../../x"}, "index_report": {}, "inventory": None}
    with sqlite3.connect(cache / "embeddings.sqlite3") as conn:
        conn.execute("UPDATE results SET value=? WHERE digest=?", (json.dumps(poisoned), digest))
    with pytest.warns(CacheWarning, match="run cache: invalid result for doc"):
        code, _, err = run_cli(capsys, *argv, "-o", tmp_path / "out" / "poisoned")
    assert code == 0, err
    assert not escape.exists() and not (tmp_path / "x.html").exists()
    assert not [p for p in tmp_path.rglob("x.html")]
    assert _files(tmp_path / "out" / "poisoned") == clean  # recomputed: byte for byte a clean run
    with sqlite3.connect(cache / "embeddings.sqlite3") as conn:
        ((_, value),) = rows(conn)
    assert set(json.loads(value)) == {"report", "inventory"}  # the poisoned row was replaced


def test_a_huge_single_line_is_refused_within_seconds(tmp_path):
    source = tmp_path / "source.en.txt"
    source.write_text(SOURCE_TEXT, encoding="utf-8")
    target = tmp_path / "huge.de.txt"
    with open(target, "w", encoding="utf-8") as handle:  # 60 MB, one line
        handle.write("Der Rat tagte am Montag und billigte den Haushalt. " * (60_000_000 // 51))
    started = time.monotonic()
    done = spawn("check", source, target, "--source-lang", "en", "--target-lang", "de", timeout=60)
    assert_one_line_error(done.returncode, done.stderr, "huge.de.txt:1: a line longer than 100000 characters")
    assert time.monotonic() - started < 60


def test_a_60_mb_xliff_is_refused_with_bounded_memory(tmp_path):
    path = tmp_path / "big.xlf"
    unit = '<trans-unit id="{}"><source>The council met on Monday.</source><target>Der Rat tagte.</target></trans-unit>'
    with open(path, "w", encoding="utf-8") as handle:  # one line, 60 MB
        handle.write('<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                     '<file source-language="en" target-language="de" datatype="plaintext" original="x"><body>')
        handle.write("".join(unit.format(i) for i in range(60_000_000 // len(unit))))
        handle.write("</body></file></xliff>")
    # VmHWM: this process's peak resident memory (ru_maxrss would carry the parent's over exec).
    script = ("import re, sys\nfrom mtlint.cli import main\ntry:\n    main(sys.argv[1:])\nfinally:\n"
              "    status = open('/proc/self/status').read()\n"
              "    print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script, "pairs", str(path)], capture_output=True, text=True,
                          timeout=60)
    error, peak_kib = done.stderr.splitlines()
    assert_one_line_error(done.returncode, error + "\n", "characters of XML is more than", "split the file")
    assert int(peak_kib) < 600 * 1024  # the file is read (60 MB, decoded 4 bytes a character at worst), not parsed


# ------------------------------------------------------------- kill -9

ARTICLES = [
    ("The council met on Monday. It approved the budget of 12,000 euros. The mayor thanked the members.",
     "Der Rat tagte am Montag. Er billigte den Haushalt von 12.000 Euro. Der Bürgermeister dankte den Mitgliedern."),
    ("The river flooded three villages. Hundreds of people left their homes. Help arrived on Tuesday.",
     "Der Fluss überflutete drei Dörfer. Hunderte Menschen verließen ihre Häuser. Hilfe kam am Dienstag."),
    ("The company reported higher profits. Its shares rose by four percent. Analysts had expected less.",
     "Das Unternehmen meldete höhere Gewinne. Seine Aktien stiegen um vier Prozent. Analysten hatten weniger erwartet."),
    ("The school opened a new library. Pupils can borrow books every day. The town paid for it.",
     "Die Schule eröffnete eine neue Bibliothek. Schüler können jeden Tag Bücher ausleihen. Die Stadt bezahlte sie."),
]


def _articles(tmp_path: Path) -> tuple[Path, Path]:
    corpus, references = tmp_path / "corpus", tmp_path / "refs"
    corpus.mkdir()
    references.mkdir()
    for number, (source, target) in enumerate(ARTICLES):
        (references / f"a{number}.en.txt").write_text(source + "\n", encoding="utf-8")
        (corpus / f"a{number}.txt").write_text(target + "\n", encoding="utf-8")
    return corpus, references


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(child) for child in handle.read().split()]
    except OSError:
        return []


def _workers(pid: int) -> list[int]:
    found = []
    for child in _children(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as handle:
                if b"spawn_main" in handle.read():
                    found.append(child)
        except OSError:
            pass
    return found


def _visible(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if not p.name.startswith(".")}


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the workers through /proc")
def test_kill_9_of_a_worker_or_the_parent_then_a_rerun_matches_a_clean_run(tmp_path, capsys, monkeypatch):
    """Runs the real pipeline in several processes (one to two minutes on two busy cores)."""
    import signal

    corpus, references = _articles(tmp_path)
    argv = ["report", corpus, references, "--fail-on", "never", "-q"]
    monkeypatch.setenv("MTLINT_CACHE_DIR", str(tmp_path / "clean-cache"))
    code, _, err = run_cli(capsys, *argv, "-j", "1", "-o", tmp_path / "clean")  # in this process
    assert code == 0, err
    expected = _visible(tmp_path / "clean")
    env = dict(os.environ)

    # A worker killed while the pool runs: one line, exit 2, then a rerun gives the clean run's files.
    env["MTLINT_CACHE_DIR"] = str(tmp_path / "cache")
    run = subprocess.Popen([sys.executable, "-m", "mtlint", *map(str, argv), "-j", "2", "-o", tmp_path / "killed"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    while len(_workers(run.pid)) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _workers(run.pid)
    assert workers, "no worker process started"
    time.sleep(0.5)
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = run.communicate(timeout=300)
    assert_one_line_error(run.returncode, stderr, "a worker process ended abruptly")
    rerun = spawn(*argv, "-j", "1", "-o", tmp_path / "killed", env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert _visible(tmp_path / "killed") == expected

    # The parent killed: nothing to report, but the rerun over the same cache and output still matches.
    run = subprocess.Popen([sys.executable, "-m", "mtlint", *map(str, argv), "-j", "1", "-o", tmp_path / "parent"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**env, "MTLINT_CACHE_DIR":
                                                                                str(tmp_path / "parent-cache")})
    deadline = time.monotonic() + 120
    while not (tmp_path / "parent").exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # killed once the first document is written
    run.kill()
    run.communicate()
    rerun = spawn(*argv, "-j", "1", "-o", tmp_path / "parent", timeout=600,
                  env={**env, "MTLINT_CACHE_DIR": str(tmp_path / "parent-cache")})
    assert rerun.returncode == 0, rerun.stderr
    assert _visible(tmp_path / "parent") == expected


def _drain(fd: int, into: list) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        into.append(chunk)


def test_pairs_shows_progress_on_a_terminal_only_and_the_results_do_not_depend_on_it(tmp_path, capsys,
                                                                                     monkeypatch):
    """Runs the real pipeline on three units."""
    import pty
    import threading

    from mtlint import pipeline

    units = tmp_path / "units.tsv"
    units.write_text("The river rose overnight.\tDer Fluss stieg über Nacht.\n"
                     "Schools stayed closed on Monday.\tDie Schulen blieben am Montag geschlossen.\n"
                     "The mayor thanked the helpers.\tDer Bürgermeister dankte den Helfern.\n", encoding="utf-8")
    argv = ["pairs", units, "--source-lang", "en", "--target-lang", "de", "--fail-on", "never"]
    code, quiet_out, quiet_err = run_cli(capsys, *argv)
    assert code == 0 and "checking" not in quiet_err, quiet_err

    master, slave = pty.openpty()
    terminal = os.fdopen(slave, "w", encoding="utf-8")
    drawn: list[bytes] = []
    reader = threading.Thread(target=_drain, args=(master, drawn))
    reader.start()
    monkeypatch.setattr(pipeline, "PAIR_CHUNK", 2)  # several steps, and results that must not change
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stderr", terminal)
        code, terminal_out, _ = run_cli(capsys, *argv)
    terminal.close()
    reader.join()
    os.close(master)
    bar = b"".join(drawn).decode("utf-8", "replace")
    assert code == 0 and "checking 3 units" in bar and "100%" in bar, bar
    assert terminal_out == quiet_out


def test_feed_pairing_by_guid_link_and_href_is_fast_for_ten_thousand_items():
    from mtlint.feed import Feed, Item, pair_items

    def item(key: str, guid=None, link=None, hrefs=()):
        return Item(key, guid, link, frozenset(hrefs), key, key, None)

    n = 10_000
    # Translated items in reverse order; a third pair by guid, a third by link, a third by an href.
    originals = [item(f"o{i}", guid=f"g{i}" if i % 3 == 0 else None, link=f"https://x/{i}") for i in range(n)]
    translated = [item(f"t{i}", guid=f"g{i}" if i % 3 == 0 else f"other{i}",
                       link=f"https://x/{i}" if i % 3 == 1 else f"https://y/{i}",
                       hrefs=[f"https://x/{i}"] if i % 3 == 2 else [])
                  for i in reversed(range(n))]

    class NoEncoder:
        def encode(self, texts):
            raise AssertionError("pairing by id needs no encoder")

    started = time.perf_counter()
    pairs, left_o, left_t = pair_items(Feed("o.rss", "en", originals, "utf-8"),
                                       Feed("t.rss", "de", translated, "utf-8"), NoEncoder(), {})
    assert time.perf_counter() - started < 5  # the quadratic scan took minutes
    assert left_o == left_t == [] and len(pairs) == n
    assert all(p.original.id[1:] == p.translated.id[1:] for p in pairs)
    assert [p.method for p in pairs[:3]] == ["guid", "link", "link"]  # t9999 (guid), t9998 (href), t9997 (link)


def test_feed_pairing_by_content_is_refused_beyond_its_bound():
    from mtlint.errors import UsageError
    from mtlint.feed import MAX_SIMILARITY_CELLS, Feed, Item, pair_items

    n = int(MAX_SIMILARITY_CELLS ** 0.5) + 1
    items = [Item(f"#{i}", None, None, frozenset(), "t", "text", None) for i in range(n)]
    with pytest.raises(UsageError, match="too many to pair by content"):
        pair_items(Feed("o.rss", "en", items, "utf-8"), Feed("t.rss", "de", list(items), "utf-8"), None, {})


def test_a_cache_warning_is_one_line_on_stderr():
    script = ("from mtlint.safety import cache_warning, install_warning_format\n"
              "install_warning_format()\ncache_warning('cache x: set aside\\nsecond line')\n"
              "cache_warning('cache x: set aside\\nsecond line')\n")  # the same problem is told once
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "mtlint: warning: cache x: set aside second line\n"
