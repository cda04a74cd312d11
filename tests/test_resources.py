"""The shared language resources (mtlint.resources): answers, and the on-disk store behind them."""
import os
import sqlite3

import pytest

from mtlint.resources import frequency, hunspell, lexicon, store, tagging, wordnet


@pytest.fixture
def fresh_store(tmp_path, monkeypatch):
    """A store in its own cache directory, with empty in-memory caches."""
    monkeypatch.setenv("MTLINT_CACHE_DIR", str(tmp_path))
    store.STORE.flush()
    yield tmp_path
    store.STORE.flush()
    store.STORE._close()


def test_frequencies_are_wordfreqs(fresh_store):
    from wordfreq import zipf_frequency

    for word, lang in (("the", "en"), ("Haus", "de"), ("xqzvw", "de")):
        assert frequency.zipf.compute(word, lang) == zipf_frequency(word, lang)
    assert frequency.content_word("sanction", "en") and not frequency.content_word("the", "en")


def test_persistent_answers_survive_the_process_and_bad_rows_are_recomputed(fresh_store):
    calls = []

    @store.persistent("test-square", 1, lambda text: "v1")
    def square(text):
        calls.append(text)
        return len(text) ** 2

    assert square("abc") == 9 and square("abc") == 9 and calls == ["abc"]
    store.flush()
    square.cache_clear()  # a new process: memory empty, disk kept
    store.STORE._close()
    assert square("abc") == 9 and calls == ["abc"]
    # A namespace empty when first asked is not queried again in the process (a cold cache's
    # misses skip the SELECT); answers it gets later are read by the next process.
    assert square("abcd") == 16 and calls == ["abc", "abcd"]
    # A row that does not decode is recomputed, never trusted.
    conn = sqlite3.connect(fresh_store / store.FILE_NAME)
    with conn:
        conn.execute("UPDATE answers SET value = 'not json' WHERE namespace LIKE 'test-square/%'")
    conn.close()
    square.cache_clear()
    store.STORE._close()
    assert square("abc") == 9 and calls == ["abc", "abcd", "abc"]


def test_a_cold_namespace_is_not_queried_per_lookup(fresh_store):
    calls = []

    @store.persistent("test-cold", 1, lambda text: "v1")
    def double(text):
        calls.append(text)
        return text * 2

    queries = []
    store.STORE._connection().set_trace_callback(queries.append)
    assert [double(w) for w in ("a", "b", "c")] == ["aa", "bb", "cc"]
    assert sum("SELECT" in q for q in queries) == 1  # the one look at the empty namespace
    store.flush()
    store.STORE._close()
    double.cache_clear()
    queries.clear()
    store.STORE._connection().set_trace_callback(queries.append)
    assert [double(w) for w in ("a", "b", "c")] == ["aa", "bb", "cc"] and calls == ["a", "b", "c"]
    assert sum("SELECT" in q for q in queries) == 4  # the look, then one read per answer


def test_a_corrupt_store_is_set_aside_and_started_anew(fresh_store):
    store.STORE._close()
    (fresh_store / store.FILE_NAME).write_bytes(b"this is not a database" * 100)
    assert frequency.zipf.compute("Haus", "de") > 0
    frequency.zipf.cache_clear()
    assert frequency.zipf("Haus", "de") > 0
    store.flush()
    assert (fresh_store / (store.FILE_NAME + ".corrupt")).exists()
    assert sqlite3.connect(fresh_store / store.FILE_NAME).execute("SELECT count(*) FROM answers").fetchone()[0] >= 1


def test_an_unwritable_cache_only_costs_the_lookup(tmp_path, monkeypatch):
    if os.geteuid() == 0:
        monkeypatch.setenv("MTLINT_CACHE_DIR", "/proc/mtlint-cannot-exist")  # not creatable, even as root
    else:
        readonly = tmp_path / "ro"
        readonly.mkdir(mode=0o500)
        monkeypatch.setenv("MTLINT_CACHE_DIR", str(readonly / "cache"))
    store.STORE._close()
    frequency.zipf.cache_clear()
    assert frequency.zipf("Haus", "de") > 0
    store.flush()
    store.STORE._close()


def test_lemmas_from_simplemma():
    assert lexicon.lemma("Häuser", "de") == "Haus"
    assert lexicon.lemma("sanctioned", "en") == "sanction"


@pytest.mark.skipif(hunspell.dictionary_path("de") is None, reason="Debian hunspell-de-de not installed")
def test_hunspell_knows_words_as_written():
    base = hunspell.dictionary_path("de")
    assert hunspell.known_as_written(base, "Haus") and not hunspell.known_as_written(base, "haus")
    assert hunspell.accepts(base, "Haustür")  # a compound the dictionary builds


@pytest.mark.skipif(not tagging.available(), reason="needs HanTa")
def test_german_tags():
    text = "Die Firma plante neue Stellen."
    tokens = tagging.tag_german(text)
    assert [(t.text, t.tag) for t in tokens][:3] == [("Die", "ART"), ("Firma", "NN"), ("plante", "VV(FIN)")]
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert tagging.tag_german("x" * (tagging.MAX_TAGGED_CHARS + 1)) is None  # too long to analyse


@pytest.mark.skipif(not wordnet.available(), reason="Debian wordnet-base not installed")
def test_wordnet_counts_the_saying_sense():
    uses = wordnet.saying_uses()
    assert uses["say"][0] / uses["say"][1] > 0.9


def test_numbers_in_a_span_read_any_script_and_only_the_span():
    """Numbers in one sentence of a document: digits of any script and the Arabic separators are
    read, offsets point into the whole text, and the text around the span changes nothing."""
    from mtlint.checks.numbers import numbers

    sentence = "Der Preis stieg um ١٢٫٥ Prozent auf 3.400 Euro."
    for before, after in (("", ""), ("Ärger über ٣ Dinge. ", " Später: ٤٤."), ("x" * 5000 + "ü. ", "")):
        text = before + sentence + after
        start = len(before)
        found = numbers(text, start, start + len(sentence), "de")
        assert [(n.text, n.readings[-1][0]) for n in found] == [("١٢٫٥", 12.5), ("3.400", 3400.0)]
        assert all(text[n.start:n.end] == n.text and start <= n.start for n in found)
    # A digit glued to the span's first character from the left is not a number's start.
    assert numbers("7٣ Tage", 1, 7, "de") == []


def test_digits_in_inline_markup_and_placeholders_are_no_numbers():
    """A unit's tag ids and positional placeholders are code: a dropped <g id="1"> is the
    placeholder check's finding, not a missing number 1."""
    from mtlint.checks.numbers import numbers

    text = 'Click <g id="1">here</g> or <x id="2"/> to pay 12 euros, {0} times, %1$s each.'
    assert [n.text for n in numbers(text, 0, len(text), "en")] == ["12"]
