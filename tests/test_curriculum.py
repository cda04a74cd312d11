"""bench/train/curriculum.py on an invented sample (tests/data/curriculum: a few en-de pairs laid out
like ../shared, and a few Ding-format entries): each error type's labels, determinism, the dev guard."""
import json
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench" / "train"))
sys.path[:0] = [str(ROOT / "bench" / d) for d in ("eval", "calibrate", "speed", "train", "probe")]

import curriculum as cur  # noqa: E402

DATA = ROOT / "tests" / "data" / "curriculum"
SHARED = DATA / "shared"
ANTONYMS = {"large": {"small"}, "important": {"unimportant"}}  # as WordNet has them


@pytest.fixture(scope="module")
def setup():
    guard = cur.DevGuard.from_shared(SHARED)
    stats = {}
    bases = cur.load_bases(SHARED, cur.FAMILIES, guard, stats)
    lex = cur.load_lexicon(str(DATA / "ding.txt"))
    ctx = cur.build_context(lex, bases, wordnet=DATA / "no-wordnet")
    ctx.antonyms = ANTONYMS
    return guard, bases, ctx, stats


def base(setup, source: str) -> cur.Base:
    found = [b for b in setup[1] if " ".join(b.source) == source]
    assert found, source
    return found[0]


def make(setup, kind, source, seed=0):
    edit = cur.MAKERS[kind](base(setup, source), random.Random(seed), setup[2])
    assert edit is not None, (kind, source)
    return cur.record(base(setup, source), kind, edit)


def bad(words, tags):
    return [w for w, t in zip(words, tags) if t == "BAD"]


def test_negation_removed_marks_only_the_gap_and_the_source_negation(setup):
    r = make(setup, "negation_flip", "The house is not large .")
    assert r["target"] == "Das Haus ist groß .".split()
    assert r["target_tags"] == ["OK"] * 5
    assert [i for i, g in enumerate(r["gap_tags"]) if g == "BAD"] == [3]
    assert bad(r["source"], r["source_tags"]) == ["not"]


@pytest.mark.parametrize("source,expected", [
    ("The book was written in 2019 .", "Das Buch wurde 2019 nicht geschrieben ."),  # before the participle
    ("The answer was important .", "Die Antwort war nicht wichtig ."),  # between copula and adjective
])
def test_negation_inserted_marks_the_inserted_word_and_nothing_else(setup, source, expected):
    r = make(setup, "negation_flip", source)
    assert r["target"] == expected.split()
    assert bad(r["target"], r["target_tags"]) == ["nicht"]
    assert r["target_tags"].count("BAD") == 1
    assert set(r["gap_tags"]) == {"OK"} and set(r["source_tags"]) == {"OK"}
    assert r["original"] == expected.replace(" nicht", "").split()


def test_role_reversal_exchanges_nouns_and_reinflects_articles(setup):
    r = make(setup, "role_reversal", "The dog bites the man .")
    assert r["target"] == "Der Mann beißt den Hund .".split()  # both masculine: the articles stay
    assert bad(r["target"], r["target_tags"]) == ["Mann", "Hund"]
    assert bad(r["source"], r["source_tags"]) == ["dog", "man"]
    r = make(setup, "role_reversal", "The woman sees the child .")
    assert r["target"] == "Das Kind sieht die Frau .".split()  # neuter subject, feminine object
    assert bad(r["target"], r["target_tags"]) == ["Das", "Kind", "die", "Frau"]
    r = make(setup, "role_reversal", "The old man sees a small child .")
    # Each phrase takes its slot's article kind and case: definite nominative, indefinite accusative.
    assert r["target"] == "Das kleine Kind sieht einen alten Mann .".split()
    assert r["target_tags"] == ["BAD"] * 3 + ["OK"] + ["BAD"] * 3 + ["OK"]  # the verb stays


def test_role_reversal_of_names(setup):
    r = make(setup, "role_reversal", "Anna visited Berlin with Tomas .")
    assert r["target"] == "Berlin besuchte Anna mit Tomas .".split()
    assert bad(r["target"], r["target_tags"]) == ["Berlin", "Anna"]
    assert bad(r["source"], r["source_tags"]) == ["Anna", "Berlin"]


def test_wrong_sense_uses_another_sense_of_the_source_word(setup):
    r = make(setup, "wrong_sense", "The boat reached the bank .")
    assert r["target"] == "Das Boot erreichte das Bank .".split()
    assert bad(r["target"], r["target_tags"]) == ["Bank"]
    assert bad(r["source"], r["source_tags"]) == ["bank"]


def test_opposite_sense_keeps_the_inflection(setup):
    r = make(setup, "opposite_sense", "They have a large house .")
    assert r["target"] == "Sie haben ein kleines Haus .".split()
    assert bad(r["target"], r["target_tags"]) == ["kleines"] and bad(r["source"], r["source_tags"]) == ["large"]
    r = make(setup, "opposite_sense", "The answer was important .")
    assert bad(r["target"], r["target_tags"]) == ["unwichtig"]


def test_dropped_phrase_marks_the_gap_and_the_source_words(setup):
    r = make(setup, "dropped_phrase", "The man sleeps in the garden .")
    assert r["target"] == "Der Mann schläft .".split()
    assert r["target_tags"] == ["OK"] * 4
    assert [i for i, g in enumerate(r["gap_tags"]) if g == "BAD"] == [3]
    assert bad(r["source"], r["source_tags"]) == ["garden"]


def test_number_name_and_untranslated(setup):
    r = make(setup, "changed_number", "He bought 12 apples .")
    changed = bad(r["target"], r["target_tags"])
    assert len(changed) == 1 and changed[0].isdigit() and changed[0] != "12"
    assert bad(r["source"], r["source_tags"]) == ["12"]
    r = make(setup, "changed_name", "Anna visited Berlin with Tomas .")
    (new,) = bad(r["target"], r["target_tags"])
    assert new in setup[2].names and new not in r["original"]
    assert bad(r["source"], r["source_tags"]) == [r["original"][r["target"].index(new)]]
    r = make(setup, "untranslated", "The dog bites the man .")
    copied = bad(r["target"], r["target_tags"])
    assert copied and copied == bad(r["source"], r["source_tags"])  # the source words, copied


@pytest.mark.parametrize("kind", ["added_phrase", "repeated_phrase"])
def test_insertions_mark_exactly_the_inserted_words(setup, kind):
    for b in setup[1]:
        edit = cur.MAKERS[kind](b, random.Random(1), setup[2])
        if edit is None:
            continue
        r = cur.record(b, kind, edit)
        assert [w for w, t in zip(r["target"], r["target_tags"]) if t == "OK"] == r["original"]
        assert r["target_tags"].count("BAD") >= 1


def test_every_record_is_consistent(setup):
    guard, bases, ctx, _ = setup
    records = cur.generate(bases, ctx, guard, per_sentence=len(cur.TYPES))
    assert {r["type"] for r in records} == set(cur.TYPES)
    for r in records:
        assert len(r["target_tags"]) == len(r["target"]) and len(r["gap_tags"]) == len(r["target"]) + 1
        assert len(r["source_tags"]) == len(r["source"]) and r["original_tags"] == ["OK"] * len(r["original"])
        assert r["target"] != r["original"]
        assert "BAD" in r["target_tags"] + r["gap_tags"]
        if len(r["target"]) == len(r["original"]):  # substitutions and permutations: BAD exactly where changed
            assert r["target_tags"] == ["BAD" if a != b else "OK" for a, b in zip(r["target"], r["original"])]


def test_deterministic_for_a_seed(setup):
    guard, bases, ctx, _ = setup

    def dump(seed):
        return json.dumps(cur.generate(bases, ctx, guard, seed=seed, per_sentence=3), sort_keys=True)

    assert dump(7) == dump(7)
    assert len({dump(s) for s in range(1, 5)}) > 1  # the seed does choose


def test_dev_items_never_enter(setup):
    guard, bases, ctx, stats = setup
    assert stats["skipped as dev items"] == 1  # "Maria met Jonas in Hamburg ." is also a dev sentence
    assert not any(" ".join(b.source) == "Maria met Jonas in Hamburg ." for b in bases)
    dev_pair = cur.Base("mlqe-pe", 99, "The old man sleeps .".split(), "Der alte Mann schläft .".split())
    with pytest.raises(cur.DevOverlapError):
        cur.generate([dev_pair], ctx, guard)
    # Spacing and case do not hide a dev item.
    with pytest.raises(cur.DevOverlapError):
        guard.check({"id": "x", "source": ["the", "OLD", "man", "sleeps."], "target": ["x"]})
    with pytest.raises(cur.DevOverlapError):  # a CED dev source, tokenised differently
        guard.check({"id": "x", "source": "The dog sleeps in the house .".split(), "target": ["x"]})
    with pytest.raises(cur.DevOverlapError):
        cur.load_real(SHARED, guard, split="dev")


def test_real_tags_in_the_same_format(setup):
    guard = setup[0]
    real = cur.load_real(SHARED, guard)
    assert len(real) == 12  # 13 train pairs, one of them a dev sentence
    first = real[0]
    assert first["type"] == "post-edit" and first["original"] == "Der Hund beißt den Mann .".split()
    assert bad(first["target"], first["target_tags"]) == ["der"]
    house = next(r for r in real if r["source"][:2] == ["The", "house"])
    assert house["gap_tags"][3] == "BAD" and bad(house["source"], house["source_tags"]) == ["not"]


def test_cli_writes_outside_the_repo_only(tmp_path, capsys):
    args = ["--shared", str(SHARED), "--ding", str(DATA / "ding.txt"), "--wordnet", str(DATA / "no-wordnet"),
            "--per-sentence", "2", "--real"]
    out = tmp_path / "c.jsonl"
    cur.main([str(out), *args])
    first = out.read_bytes()
    cur.main([str(out), *args])
    assert out.read_bytes() == first  # byte-identical
    rows = [json.loads(line) for line in first.decode().splitlines()]
    assert {r["type"] for r in rows} >= {"post-edit", "negation_flip"}
    with pytest.raises(SystemExit) as exc:
        cur.main([str(ROOT / "curriculum.jsonl"), *args])
    assert exc.value.code == 2 and "inside the repository" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cur.main([str(out), *args, "--types", "typo"])
    assert exc.value.code == 2
    empty = tmp_path / "shared"
    (empty / "wordqe" / "en-de-train").mkdir(parents=True)
    with pytest.raises(SystemExit) as exc:  # no dev files: no guard, no curriculum
        cur.main([str(out), "--shared", str(empty), "--ding", str(DATA / "ding.txt")])
    assert exc.value.code == 2 and "dev files" in capsys.readouterr().err


@pytest.mark.skipif(not (cur.WORDNET / "data.adj").exists(), reason="WordNet (wordnet-base) not installed")
def test_wordnet_antonyms():
    antonyms = cur.wordnet_antonyms()
    assert "small" in antonyms["large"] and "unimportant" in antonyms["important"]


REAL = ROOT.parent / "shared" / "data"


@pytest.mark.skipif(not (REAL / "wordqe" / "en-de-train" / "train.pe").exists(), reason="../shared data absent")
@pytest.mark.skipif(not Path("/usr/share/trans/de-en").exists(), reason="Debian's trans-de-en not installed")
def test_real_train_data_gives_every_type_and_no_dev_item():
    guard = cur.DevGuard.from_shared(REAL)
    bases = cur.load_bases(REAL, ("mlqe-pe",), guard)
    assert len(bases) > 6900  # MLQE-PE train: 7,000 post-edits
    ctx = cur.build_context(cur.load_lexicon(None), bases)
    records = cur.generate(bases, ctx, guard, limit=400)
    counts = {kind: sum(r["type"] == kind for r in records) for kind in cur.TYPES}
    assert all(counts.values()), counts
    dev = {cur._key(line) for line in (REAL / "wordqe" / "en-de-dev" / "dev.src").read_text().splitlines()}
    assert not any(cur._key(" ".join(r["source"])) in dev for r in records)
