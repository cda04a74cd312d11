"""A curriculum of synthetic translation errors with exact word labels, built from human translations.

    .venv/bin/python bench/train/curriculum.py /tmp/curriculum.jsonl [--families mlqe-pe,ced]
        [--types negation_flip,...] [--limit N] [--seed 13] [--per-sentence 1] [--real]
    .venv/bin/python bench/train/curriculum.py --check [--limit 2000]

Base translations come from the TRAIN splits in ../shared only: MLQE-PE en-de
``train.src``/``train.pe`` (human post-edits, family ``mlqe-pe``) and the WMT21
critical-error train pairs labelled NOT (no critical error, family ``ced``).
Each base translation gets one error (``--per-sentence``) of a type chosen by a
seeded generator, least-used applicable type first so the types stay balanced:

=================  ==========================================================
wrong_sense        a word replaced by a Ding rendering of its source word in
                   another sense (bench/eval/wrong_sense.py's rule)
opposite_sense     a word replaced by a rendering of a WordNet antonym of its
                   source word, or an adjective negated/un-negated with "un-"
role_reversal      two article+noun phrases around a verb exchanged, articles
                   re-inflected for their slot's case (who does what to whom)
negation_flip      "nicht" added or removed, "ein" <-> "kein"
dropped_phrase     a prepositional phrase or adjective deleted
added_phrase       a prepositional phrase from another sentence inserted
repeated_phrase    one to three words repeated
changed_number     a number the source also has changed
changed_name       a name the source also has replaced by another name
untranslated       target words replaced by the source words they render
scrambled_order    three to five words of the target permuted
=================  ==========================================================

Labels follow MLQE-PE: ``target_tags`` one OK/BAD per whitespace token of
``target``; ``gap_tags`` one per gap (``len(target) + 1``, BAD where words
are missing); ``source_tags`` one per source token (BAD: the source words the
error concerns, where that is meaningful: the word mistranslated, the words
dropped, the name or number changed).  A target word is BAD exactly when it
was inserted or differs from the human translation at its place.  Each record
also holds ``original``, the unmodified human translation (all OK), so a
trainer can show the model both.  ``load_real`` reads MLQE-PE's real post-edit
tags into the same format (``type`` ``"post-edit"``), so training sees real
tags beside the synthetic ones.

No dev or test item may ever be a training item: every dev source and human
translation in ../shared (MLQE-PE dev, CED dev, TED MQM dev) is hashed
(lower case, whitespace removed); base sentences that match are skipped at
load, and writing a record that matches raises ``DevOverlapError``.  The
output must lie outside the repository (licences of the data).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path[:0] = [str(ROOT / "bench" / d) for d in ("eval", "calibrate", "speed", "train", "probe")]

SHARED = ROOT.parent / "shared" / "data"
SEED = 13
WORDNET = Path("/usr/share/wordnet")
TYPES = ("wrong_sense", "opposite_sense", "role_reversal", "negation_flip", "dropped_phrase", "added_phrase",
         "repeated_phrase", "changed_number", "changed_name", "untranslated", "scrambled_order")
FAMILIES = ("mlqe-pe", "ced")
OK, BAD = "OK", "BAD"
ENDINGS = ("", "e", "en", "er", "es", "em", "n", "s")  # German inflection endings tried on a dictionary form
PUNCT = re.compile(r"^[^\w]+$")
NUMBER = re.compile(r"^\d{1,3}(?:[.,]\d{3})*(?:,\d+)?$|^\d+$")
NEGATIONS_EN = {"not", "n't", "never", "no", "none", "nobody", "nothing", "cannot"}
COPULAS = {"ist", "sind", "war", "waren", "wird", "werden", "wurde", "wurden", "bin", "bist", "seid", "sei"}
KEIN = {"kein": "ein", "keine": "eine", "keinen": "einen", "keinem": "einem", "keiner": "einer", "keines": "eines"}
NUMBER_WORDS_DE = ("zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf",
                   "zwanzig", "dreißig", "hundert", "tausend")
NUMBER_WORDS_EN = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                   "twenty", "thirty", "hundred", "thousand")
# Articles by case and gender (m, f, n): role reversal puts each noun under the article its new slot needs.
CASES = ("nom", "acc", "dat", "gen")
DEFINITE = {"nom": ("der", "die", "das"), "acc": ("den", "die", "das"), "dat": ("dem", "der", "dem"),
            "gen": ("des", "der", "des")}
INDEFINITE = {"nom": ("ein", "eine", "ein"), "acc": ("einen", "eine", "ein"), "dat": ("einem", "einer", "einem"),
              "gen": ("eines", "einer", "eines")}
GENDERS = "mfn"
# Words that join, point or stand in for others: never the verb between two roles, never a verb to negate.
FUNCTION_WORDS_DE = {"und", "oder", "sowie", "aber", "als", "wie", "bzw", "noch", "sondern", "doch", "sich", "sie",
                     "er", "es", "ihn", "ihm", "ihr", "ihnen", "wir", "uns", "ich", "mich", "mir", "du", "dich", "man",
                     "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
                     "dass", "ob", "wenn", "weil", "auch", "nur", "sehr", "so", "dann", "also", "zwar", "sein"}


class DevOverlapError(RuntimeError):
    """A dev (or test) item was about to become a training item."""


def _key(text: str) -> str:
    """What two renderings of one sentence share: NFKC, lower case, no whitespace at all (so
    "Hallo , Welt ." and "Hallo, Welt." are one sentence)."""
    norm = "".join(unicodedata.normalize("NFKC", text).lower().split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


class DevGuard:
    """The hashes of every dev source and dev human translation; ``check`` raises on a match."""

    def __init__(self, texts):
        self.keys = {_key(t) for t in texts if t.strip()}

    @classmethod
    def from_shared(cls, shared: Path) -> "DevGuard":
        """MLQE-PE dev (src, pe), CED dev (source), TED MQM dev (source, the human reference).
        Refuses to build a guard without them: an unguarded curriculum could hold dev items."""
        texts = []
        wordqe = shared / "wordqe" / "en-de-dev"
        ced = shared / "ced" / "ende_majority_dev.tsv"
        mqm = shared / "mqm" / "mqm_ted_ende.dev.tsv"
        missing = [str(p) for p in (wordqe / "dev.src", wordqe / "dev.pe", ced) if not p.exists()]
        if missing:
            raise DevOverlapError(f"dev files needed for the overlap guard are missing: {', '.join(missing)}")
        texts += _lines(wordqe / "dev.src") + _lines(wordqe / "dev.pe")
        for line in _lines(ced):
            parts = line.split("\t")
            if len(parts) >= 3:
                texts.append(parts[1])
        if mqm.exists():
            for line in _lines(mqm)[1:]:
                parts = line.split("\t")
                if len(parts) >= 7:
                    texts.append(parts[5])
                    if parts[0] == "ref":
                        texts.append(parts[6].replace("<v>", "").replace("</v>", ""))
        return cls(texts)

    def hit(self, *texts: str) -> bool:
        return any(_key(t) in self.keys for t in texts)

    def check(self, record: dict) -> None:
        for name in ("source", "original", "target"):
            if name in record and self.hit(" ".join(record[name])):
                raise DevOverlapError(f"{record.get('id', '?')}: its {name} is a dev item")


# ------------------------------------------------------------------------------------ base data

@dataclass
class Base:
    """A human translation, whitespace-tokenised: the curriculum's starting point."""
    family: str
    index: int
    source: list[str]
    target: list[str]


def _tokens(text: str) -> list[str]:
    from mtlint.qe import words

    return [text[a:b] for a, b in words(text)]


def load_bases(shared: Path, families=FAMILIES, guard: DevGuard | None = None, stats: dict | None = None) -> list[Base]:
    """The train-split human translations of ``families``; those matching a dev item are skipped
    (counted in ``stats["skipped as dev items"]``)."""
    out: list[Base] = []
    stats = {} if stats is None else stats
    if "mlqe-pe" in families:
        folder = shared / "wordqe" / "en-de-train"
        for i, (s, t) in enumerate(zip(_lines(folder / "train.src"), _lines(folder / "train.pe"))):
            out.append(Base("mlqe-pe", i, s.split(), t.split()))
    if "ced" in families:
        for i, line in enumerate(_lines(shared / "ced" / "ende_majority_train.tsv")):
            parts = line.split("\t")
            if len(parts) >= 5 and parts[-1].strip() == "NOT":  # the translation has no critical error
                out.append(Base("ced", i, _tokens(parts[1]), _tokens(parts[2])))
    kept = []
    for b in out:
        if not b.source or not b.target:
            continue
        if guard is not None and guard.hit(" ".join(b.source), " ".join(b.target)):
            stats["skipped as dev items"] = stats.get("skipped as dev items", 0) + 1
            continue
        kept.append(b)
    return kept


def load_real(shared: Path, guard: DevGuard, split: str = "train") -> list[dict]:
    """MLQE-PE's real word tags in the curriculum's format: the MT output as ``target`` with its
    post-edit tags, the post-edit as ``original``.  Train only: the dev split is never training data."""
    if split != "train":
        raise DevOverlapError(f"load_real reads the train split only, not {split!r}")
    folder = shared / "wordqe" / "en-de-train"
    names = ("src", "mt", "pe", "tags", "source_tags", "hter")
    columns = [_lines(folder / f"train.{n}") for n in names]
    records = []
    for i, (src, mt, pe, tags, source_tags, hter) in enumerate(zip(*columns)):
        s, t, g = src.split(), mt.split(), tags.split()
        if len(g) != 2 * len(t) + 1 or len(source_tags.split()) != len(s):
            raise ValueError(f"{folder}/train.tags line {i + 1}: {len(g)} tags for {len(t)} words")
        if guard.hit(src, pe, mt):
            continue
        record = {"id": f"mlqe-pe/train/{i}/post-edit", "family": "mlqe-pe", "type": "post-edit", "source": s,
                  "target": t, "target_tags": g[1::2], "gap_tags": g[0::2], "source_tags": source_tags.split(),
                  "original": pe.split(), "original_tags": [OK] * len(pe.split()), "hter": float(hter)}
        guard.check(record)
        records.append(record)
    return records


def load_ced_real(shared: Path, guard: DevGuard, limit: int, seed: int = SEED) -> list[dict]:
    """A seeded sample of ``limit`` WMT21 critical-error train pairs with their real sentence label
    (ERR 1, NOT 0) and no word labels (type ``"critical-label"``).  Train only."""
    from mtlint.qe import words

    rows = []
    for i, line in enumerate(_lines(shared / "ced" / "ende_majority_train.tsv")):
        parts = line.split("\t")
        if len(parts) < 5 or guard.hit(parts[1], parts[2]):
            continue
        s, t = parts[1], parts[2]
        source, target = [s[a:b] for a, b in words(s)], [t[a:b] for a, b in words(t)]
        if not source or not target:
            continue
        rows.append({"id": f"ced/train/{i}/label", "family": "ced", "type": "critical-label", "source": source,
                     "target": target, "target_tags": None, "critical": 1.0 if parts[-1].strip() == "ERR" else 0.0})
    return random.Random(seed).sample(rows, min(limit, len(rows)))


# ------------------------------------------------------------------------------------- resources

@dataclass
class Context:
    """What the error makers consult: Ding (index and German word classes), its reverse, antonyms,
    and pools drawn from the whole base set (names, prepositional phrases)."""
    lexicon: object
    reverse: dict[str, set[str]]
    antonyms: dict[str, set[str]]
    names: list[str] = field(default_factory=list)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    def renders(self, german: str, english: str) -> bool:
        """Is ``german`` (any inflection ending) a Ding rendering of the English form ``english``?"""
        low, e = german.lower(), english.lower()
        for ending in ENDINGS:
            if ending and not low.endswith(ending):
                continue
            stem = low[:len(low) - len(ending)] if ending else low
            if len(stem) >= 3 and e in self.reverse.get(stem, ()):
                return True
        return False


def wordnet_antonyms(directory: Path = WORDNET, parts: tuple[str, ...] = ("adj", "adv")) -> dict[str, set[str]]:
    """English word -> its WordNet antonyms (direct "!" pointers) among ``parts`` of speech
    (adjectives and adverbs by default); single words only; empty without WordNet."""
    out: dict[str, set[str]] = {}
    for name in (f"data.{part}" for part in parts):
        path = directory / name
        if not path.exists():
            continue
        synsets: dict[str, list[str]] = {}
        pointers = []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split(" | ")[0].split()
            offset, n_words = fields[0], int(fields[3], 16)
            members = [re.sub(r"\(.*\)$", "", fields[4 + 2 * k]).lower() for k in range(n_words)]
            synsets[offset] = members
            pos = 4 + 2 * n_words
            n_ptr = int(fields[pos])
            for k in range(n_ptr):
                symbol, target, _, st = fields[pos + 1 + 4 * k:pos + 5 + 4 * k]
                if symbol == "!":
                    pointers.append((offset, int(st[:2], 16), target, int(st[2:], 16)))
        for offset, src_n, target, tgt_n in pointers:
            if target in synsets and 0 < src_n <= len(synsets[offset]) and 0 < tgt_n <= len(synsets[target]):
                a, b = synsets[offset][src_n - 1], synsets[target][tgt_n - 1]
                if "_" not in a and "_" not in b:
                    out.setdefault(a, set()).add(b)
    return out


def load_lexicon(ding: str | None):
    """Ding, parsed: mtlint's cached parse of the system file, or a given file parsed here."""
    from mtlint.resources import lexicon

    if ding is None:
        lex = lexicon.load("en", "de")
        if lex is None:
            raise SystemExit("mtlint: error: needs Debian's trans-de-en (scripts/system-deps.sh) or --ding FILE")
        return lex
    entries, places, words = {}, set(), lexicon.GermanWords()
    with open(ding, encoding="utf-8") as fh:
        index = lexicon.parse_ding(fh, entries, places, words)
    return lexicon.Lexicon(index, ding, entries, frozenset(places), words)


def build_context(lex, bases: list[Base], wordnet: Path = WORDNET) -> Context:
    import wrong_sense

    ctx = Context(lex, wrong_sense.sense_index(lex.index), wordnet_antonyms(wordnet))
    names, phrases = set(), set()
    for b in bases:
        names.update(t for _, t in _shared_names(b.source, b.target, lex))
        for a, z in _prepositional_phrases(b.target, lex):
            phrases.add(tuple(b.target[a:z]))
    ctx.names = sorted(names)
    ctx.phrases = sorted(phrases)
    return ctx


# ------------------------------------------------------------------------------------- helpers

def _is_word(t: str) -> bool:
    return not PUNCT.match(t)


def _is_noun(t: str, lex) -> bool:
    return t[:1].isupper() and t.isalpha() and t in lex.words.genders


def _links(source: list[str], target: list[str], ctx: Context) -> dict[int, list[int]]:
    """Per target position the source positions it renders: the same token (numbers, names, words
    of four letters or more) or a Ding rendering of the source word."""
    out: dict[int, list[int]] = {}
    for i, t in enumerate(target):
        if not _is_word(t):
            continue
        found = []
        for j, s in enumerate(source):
            if not _is_word(s):
                continue
            same = s == t and (t.isdigit() or t[:1].isupper() or len(t) >= 4)
            if same or (s.isalpha() and t.isalpha() and ctx.renders(t, s)):
                found.append(j)
        if found:
            out[i] = found
    return out


def _shared_names(source: list[str], target: list[str], lex) -> list[tuple[int, str]]:
    """(target position, token) of names: capitalised words, not sentence-initial, found as such in
    the source (not sentence-initial there either) and not German common nouns."""
    inner = set(source[1:])
    return [(i, t) for i, t in enumerate(target) if i > 0 and t.isalpha() and len(t) >= 3 and t[0].isupper()
            and not t.isupper() and t in inner and t not in lex.words.genders]


def _prepositional_phrases(target: list[str], lex) -> list[tuple[int, int]]:
    """[start, end) of phrases preposition (article) (adjectives) noun."""
    from mtlint.resources.function_words import PREPOSITIONS

    preps = PREPOSITIONS["de"]
    out = []
    for i, t in enumerate(target):
        if t not in preps:
            continue
        k = i + 1
        while k < len(target) and k - i <= 4 and target[k].islower() and target[k].isalpha() \
                and target[k] not in preps:
            k += 1
        if k < len(target) and k > i and _is_noun(target[k], lex) and k - i <= 4:
            out.append((i, k + 1))
    return out


@dataclass
class Edit:
    target: list[str]
    bad: set[int]            # positions in the new target
    gaps: set[int]           # gap positions in the new target (0 .. len)
    source_bad: set[int]
    detail: dict


def _substituted(target: list[str], changes: dict[int, str], source_bad, detail) -> Edit:
    new = list(target)
    for i, w in changes.items():
        new[i] = w
    return Edit(new, {i for i in changes if new[i] != target[i]}, set(), set(source_bad), detail)


def _adjective_stem(word: str, adjectives) -> tuple[str | None, str]:
    """(the adjective a German word inflects, its ending): the longest ending that leaves a Ding
    adjective ("großen" -> ("groß", "en"); "ersten" -> ("erste", "n")), (None, "") for none."""
    for ending in sorted(ENDINGS, key=len, reverse=True):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[:len(word) - len(ending)]
            if stem in adjectives:
                return stem, ending
    return None, ""


def _inflect(adjective: str, ending: str) -> str:
    """``adjective`` with the inflection a word had ("vorig" + the "n" of "erste|n" -> "vorigen")."""
    if not ending:
        return adjective
    return adjective.removesuffix("e") + (ending if ending[0] == "e" else "e" + ending)


def _with_case(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


# --------------------------------------------------------------------------------- error makers

def wrong_sense(b: Base, rng: random.Random, ctx: Context) -> Edit | None:
    import wrong_sense as ws

    options = ws.substitutions(b.source, b.target, ctx.lexicon.index, ctx.reverse)
    if not options:
        return None
    i, c, s = rng.choice(sorted(options))
    src = {j for j, w in enumerate(b.source) if w.lower() == s}
    return _substituted(b.target, {i: c}, src, {"position": i, "substitute": c, "source_word": s})


def opposite_sense(b: Base, rng: random.Random, ctx: Context) -> Edit | None:
    """A rendering of an antonym of the source word (WordNet antonym, rendered by Ding, same inflection
    ending), or an adjective with "un-" added or removed when Ding lists both adjectives."""
    adjectives = ctx.lexicon.words.adjectives
    options = []
    for i, t in enumerate(b.target):
        if i == 0 or not t.isalpha() or not t.islower() or len(t) < 4 or t in FUNCTION_WORDS_DE:
            continue
        for j, s in enumerate(b.source):
            if len(s) < 3:
                continue
            for a in sorted(ctx.antonyms.get(s.lower(), ())):
                stem, ending = _adjective_stem(t, adjectives)
                if stem is None or stem not in ctx.lexicon.renderings(s) or stem in ctx.lexicon.words.participles:
                    continue  # "besiegt" is a verb form more often than an adjective
                if not ending and t.endswith("e"):
                    continue  # "erste": an inflected form Ding lists as it is; its replacement's ending is unknown
                for r in ctx.lexicon.renderings(a):
                    if r in adjectives and r != stem and r not in ctx.lexicon.renderings(s):
                        options.append((i, _inflect(r, ending), (j,), f"antonym {s} -> {a}"))
        stem, ending = _adjective_stem(t, adjectives)
        if stem is not None and stem not in ctx.lexicon.words.participles:  # "geschickt" (sent) is no adjective here
            if stem.startswith("un") and stem[2:] in adjectives:
                options.append((i, stem[2:] + ending, None, "un- removed"))
            elif "un" + stem in adjectives:
                options.append((i, "un" + stem + ending, None, "un- added"))
    if not options:
        return None
    i, new, src, how = rng.choice(sorted(set(options), key=repr))
    if src is None:
        src = _links(b.source, b.target, ctx).get(i, [])
    return _substituted(b.target, {i: new}, src, {"position": i, "substitute": new, "how": how})


def _article_case(article: str, gender: str, prefer: tuple[str, ...]) -> str | None:
    low = article.lower()
    g = GENDERS.index(gender)
    for case in prefer:
        if DEFINITE[case][g] == low or INDEFINITE[case][g] == low:
            return case
    return None


def _between_roles(words: list[str]) -> bool:
    """Can ``words`` stand between two roles: one to three lower-case words (the verb, an adverb),
    no conjunction or pronoun ("Der Hund und die Katze" is no role), not ending in a preposition
    ("mit dem Hund" is no object)?"""
    from mtlint.resources.function_words import PREPOSITIONS

    return 1 <= len(words) <= 3 and all(w.isalpha() and w.islower() and w not in FUNCTION_WORDS_DE for w in words) \
        and words[-1] not in PREPOSITIONS["de"]


def _noun_phrases(t: list[str], lex) -> list[tuple[int, int]]:
    """(article position, noun position) of "article (adjective) noun", the noun singular of one gender."""
    articles = {a for table in (DEFINITE, INDEFINITE) for forms in table.values() for a in forms}
    out = []
    for i in range(len(t) - 1):
        if t[i].lower() not in articles:
            continue
        k = i + 1
        if k + 1 < len(t) and t[k].islower() and _adjective_stem(t[k], lex.words.adjectives)[0]:
            k += 1  # one adjective
        if _is_noun(t[k], lex) and len(lex.words.genders[t[k]]) == 1 and t[k] not in lex.words.plurals:
            out.append((i, k))
    return out


def _adjective_ending(definite: bool, case: str, gender: str) -> str:
    """The ending of an adjective after a definite (weak) or indefinite (mixed) article."""
    if case in ("dat", "gen") or (case == "acc" and gender == "m"):
        return "en"
    if definite or gender == "f":
        return "e"
    return "er" if gender == "m" else "es"


def _phrase_for_slot(t, lex, source_np, slot_np, case: str) -> list[str] | None:
    """The words of noun phrase ``source_np`` put in the slot of ``slot_np``: the slot's kind of article
    in the slot's case, inflected for the moved noun's gender, and so its adjective."""
    (i, k), (si, _) = source_np, slot_np
    gender = lex.words.genders[t[k]]
    definite = t[si].lower() in {a for forms in DEFINITE.values() for a in forms}
    table = DEFINITE if definite else INDEFINITE
    words = [_with_case(table[case][GENDERS.index(gender)], t[si])]
    for adjective in t[i + 1:k]:
        stem, _ = _adjective_stem(adjective, lex.words.adjectives)
        words.append(_inflect(stem, _adjective_ending(definite, case, gender)))
    return words + [t[k]]


def _phrase_case(t, lex, np_, prefer) -> str | None:
    """The case of a noun phrase by its article and its noun's gender (the first of ``prefer`` that
    fits), checked against its adjective's ending."""
    i, k = np_
    gender = lex.words.genders[t[k]]
    case = _article_case(t[i], gender, prefer)
    if case is None:
        return None
    definite = t[i].lower() in {a for forms in DEFINITE.values() for a in forms}
    for adjective in t[i + 1:k]:
        stem, ending = _adjective_stem(adjective, lex.words.adjectives)
        if not adjective.endswith(_adjective_ending(definite, case, gender)):
            return None  # not the phrase it seemed
    return case


def role_reversal(b: Base, rng: random.Random, ctx: Context) -> Edit | None:
    """Who does what to whom, reversed: two noun phrases around a verb exchanged, each put under its
    new slot's article, case and adjective ending ("Der Hund beißt den Mann" -> "Der Mann beißt den
    Hund"; "Die Frau sieht das Kind" -> "Das Kind sieht die Frau"), or two names the source also has
    exchanged ("Peter rief Lena an" -> "Lena rief Peter an").  Phrases of the same length only, so
    every changed word stays in place and is BAD."""
    lex, t = ctx.lexicon, b.target
    links = _links(b.source, t, ctx)
    options = []
    from mtlint.resources.function_words import PREPOSITIONS

    articles = {a for table in (DEFINITE, INDEFINITE) for forms in table.values() for a in forms}
    # A phrase after a preposition is no role ("In der Regel floss das Material").
    nps = [np_ for np_ in _noun_phrases(t, lex)
           if np_[0] == 0 or t[np_[0] - 1].lower() not in PREPOSITIONS["de"] | articles]
    for x in nps:
        for y in nps:
            if x[1] - x[0] == y[1] - y[0] and _between_roles(t[x[1] + 1:y[0]]) and t[x[1]] != t[y[1]]:
                options.append(("phrases", x, y))
    names = [(i, w) for i, w in enumerate(t) if w.isalpha() and w[:1].isupper() and not w.isupper() and len(w) >= 3
             and w in b.source and w not in lex.words.genders]
    for i, m in names:
        for j, n in names:
            if i < j and m != n and _between_roles(t[i + 1:j]):
                options.append(("names", (i, i), (j, j)))
    rng.shuffle(options)
    for kind, x, y in options:
        if kind == "names":
            changes = {x[0]: t[y[0]], y[0]: t[x[0]]}
        else:
            cx = _phrase_case(t, lex, x, ("nom", "acc", "dat", "gen"))
            cy = _phrase_case(t, lex, y, ("acc", "dat", "nom", "gen"))
            if cx is None or cy is None:
                continue
            new_x = _phrase_for_slot(t, lex, y, x, cx)
            new_y = _phrase_for_slot(t, lex, x, y, cy)
            changes = dict(zip(range(x[0], x[1] + 1), new_x)) | dict(zip(range(y[0], y[1] + 1), new_y))
        src = set(links.get(x[1], [])) | set(links.get(y[1], []))
        if kind == "names":
            src = {j for j, w in enumerate(b.source) if w in (t[x[0]], t[y[0]])}
        return _substituted(t, changes, src, {"swapped": [x[1], y[1]], "kind": kind})
    return None


def negation_flip(b: Base, rng: random.Random, ctx: Context) -> Edit | None:
    """"nicht" removed (its gap BAD, the source negation BAD) or added (that word BAD), "kein" <-> "ein"."""
    t, words = b.target, ctx.lexicon.words
    negated = any(w.lower() in KEIN or w.lower() in ("nicht", "nie", "niemals") for w in t)
    source_neg = [j for j, s in enumerate(b.source) if s.lower() in NEGATIONS_EN]
    options = []
    for i, w in enumerate(t):
        low = w.lower()
        if low == "nicht":
            options.append(("remove", i, None))
        elif low in KEIN:
            options.append(("replace", i, _with_case(KEIN[low], w)))
        elif not negated and low in INDEFINITE["nom"] + INDEFINITE["acc"] + INDEFINITE["dat"] + INDEFINITE["gen"] \
                and i + 1 < len(t) and _is_noun(t[i + 1], ctx.lexicon) and (i == 0 or t[i - 1].lower() not in COPULAS):
            options.append(("replace", i, _with_case("k" + low, w)))
        if not negated and i > 0 and w.islower() and w.isalpha() and t[i - 1].lower() not in ("zu", "nicht"):
            final = i + 1 == len(t) or not _is_word(t[i + 1])
            verb = w in words.participles or (w in words.verbs and w.endswith("en"))
            if final and verb and len(w) >= 4 and w not in FUNCTION_WORDS_DE and i >= 2:
                options.append(("insert", i, None))  # before a clause-final participle or infinitive
            if t[i - 1].lower() in COPULAS and w in words.adjectives:
                options.append(("insert", i, None))  # between a copula and its adjective
    if not options:
        return None
    how, i, new = rng.choice(sorted(set(options), key=repr))
    if how == "remove":
        return Edit(t[:i] + t[i + 1:], set(), {i}, set(source_neg), {"removed": i})
    if how == "insert":
        return Edit(t[:i] + ["nicht"] + t[i:], {i}, set(), set(), {"inserted": i})
    src = source_neg if t[i].lower() in KEIN else []
    return _substituted(t, {i: new}, src, {"position": i, "substitute": new})


def dropped_phrase(b: Base, rng: random.Random, ctx: Context) -> Edit | None:
    """A prepositional phrase or an adjective before a noun deleted, where the source says it (a
    deleted word renders a source word); its gap BAD, those source words BAD."""
    t = b.target
    links = _links(b.source, t, ctx)
    spans = list(_prepositional_phrases(t, ctx.lexicon))
    spans += [(i, i + 1) for i in range(1, len(t) - 1) if t[i].isalpha() and t[i].islower()
              and _is_noun(t[i + 1], ctx.lexicon) and any(t[i].endswith(e) and t[i][:len(t[i]) - len(e)]
                                                          in ctx.lexicon.words.adjectives for e in ENDINGS[1:5])]
    spans = [(a, z) for a, z in spans if any(k in links for k in range(a, z)) and z - a < len(t) - 1]
    if not spans:
        return None
    a, z = rng.choice(sorted(spans))
    src = {j for k in range(a, z) for j in links.get(k, [])}
    return Edit(t[:a] + t[z:], set(), {a}, src, {"dropped": t[a:z]})


def added_phrase(b: Base, rng: random.Random, ctx: Context) -> Edit | None:
    """A prepositional phrase of another sentence inserted before the clause-final verb or the final
    punctuation; none of its words may render a source word.  The inserted words BAD."""
    t = b.target
    if not ctx.phrases or len(t) < 3:
        return None
    at = len(t) - 1 if not _is_word(t[-1]) else len(t)
    if at >= 2 and (t[at - 1] in ctx.lexicon.words.participles or t[at - 1] in ctx.lexicon.words.verbs):
        at -= 1
    for _ in range(20):
        phrase = list(rng.choice(ctx.phrases))
        if " ".join(phrase) in " ".join(t):
            continue
        if _links(b.source, phrase, ctx):
            continue
        return Edit(t[:at] + phrase + t[at:], set(range(at, at + len(phrase))), set(), set(), {"added": phrase})
    return None


def repeated_phrase(b: Base, rng: random.Random, ctx: Context) -> Edit | None:
    """One to three consecutive words repeated right after themselves; the copy BAD."""
    t = b.target
    options = [(i, n) for n in (1, 2, 3) for i in range(len(t) - n + 1) if all(_is_word(w) for w in t[i:i + n])]
    if not options:
        return None
    i, n = rng.choice(options)
    return Edit(t[:i + n] + t[i:i + n] + t[i + n:], set(range(i + n, i + 2 * n)), set(), set(),
                {"repeated": t[i:i + n]})


def _other_number(token: str, rng: random.Random) -> str:
    digits = token.replace(".", "").replace(",", "")
    if "," in token and not re.search(r",\d{3}\b", token):  # a decimal: change its last digit
        last = int(token[-1])
        return token[:-1] + str((last + rng.randint(1, 9)) % 10)
    value = int(digits)
    if 1000 <= value <= 2099 and len(token) == 4:  # a year
        delta = rng.choice([d for d in range(-15, 16) if d])
    else:
        span = max(1, value // 2)
        delta = rng.choice([d for d in range(-span, span + 1) if d and value + d >= 0][:40] or [1])
    new = str(value + delta)
    if "." in token and len(new) > 3:  # keep German thousands separators
        new = f"{int(new):,}".replace(",", ".")
    return new


def changed_number(b: Base, rng: random.Random, ctx: Context) -> Edit | None:
    """A number (digits, or a German number word) that the source also has, changed; both BAD."""
    options = []
    for i, w in enumerate(b.target):
        if NUMBER.match(w):
            plain = w.replace(".", "").replace(",", "")
            src = [j for j, s in enumerate(b.source) if s.replace(",", "").replace(".", "") == plain]
            if src:
                options.append((i, None, tuple(src)))
        elif w.lower() in NUMBER_WORDS_DE:
            english = NUMBER_WORDS_EN[NUMBER_WORDS_DE.index(w.lower())]
            src = [j for j, s in enumerate(b.source) if s.lower() == english]
            if src:
                options.append((i, w.lower(), tuple(src)))
    if not options:
        return None
    i, word, src = rng.choice(options)
    if word is None:
        new = _other_number(b.target[i], rng)
    else:
        new = _with_case(rng.choice([x for x in NUMBER_WORDS_DE if x != word]), b.target[i])
    return _substituted(b.target, {i: new}, src, {"position": i, "substitute": new})


def changed_name(b: Base, rng: random.Random, ctx: Context) -> Edit | None:
    """A name the source also has replaced by another name of the pool; both BAD."""
    found = _shared_names(b.source, b.target, ctx.lexicon)
    if not found or len(ctx.names) < 2:
        return None
    i, name = rng.choice(found)
    others = [n for n in ctx.names if n != name and n not in b.source and n not in b.target]
    if not others:
        return None
    new = rng.choice(others)
    src = {j for j, s in enumerate(b.source) if s == name}
    return _substituted(b.target, {i: new}, src, {"position": i, "substitute": new, "name": name})


def untranslated(b: Base, rng: random.Random, ctx: Context) -> Edit | None:
    """One to three consecutive target words that render consecutive source words replaced by those
    source words, copied; the copied words BAD in the target and in the source."""
    t = b.target
    links = _links(b.source, t, ctx)
    options = []
    for i in sorted(links):
        for n in (1, 2, 3):
            span = range(i, i + n)
            if any(k not in links for k in span):
                break
            src = sorted({j for k in span for j in links[k]})
            if src[-1] - src[0] + 1 > n + 1 or any(b.source[j] == t[k] for k in span for j in links[k]):
                continue
            options.append((i, n, src[0], src[-1] + 1))
    if not options:
        return None
    i, n, a, z = rng.choice(options)
    copied = b.source[a:z]
    return Edit(t[:i] + copied + t[i + n:], set(range(i, i + len(copied))), set(), set(range(a, z)),
                {"replaced": t[i:i + n], "copied": copied})


def scrambled_order(b: Base, rng: random.Random, ctx: Context) -> Edit | None:
    """Three to five consecutive words (no punctuation) permuted; the words that moved BAD."""
    t = b.target
    options = [(i, n) for n in (3, 4, 5) for i in range(len(t) - n + 1)
               if all(_is_word(w) for w in t[i:i + n]) and len(set(t[i:i + n])) == n]
    if not options:
        return None
    i, n = rng.choice(options)
    window = t[i:i + n]
    order = list(window)
    while order == window:
        rng.shuffle(order)
    new = t[:i] + order + t[i + n:]
    return Edit(new, {k for k in range(i, i + n) if new[k] != t[k]}, set(), set(), {"window": [i, i + n]})


MAKERS = {name: globals()[name] for name in TYPES}


def record(b: Base, kind: str, edit: Edit) -> dict:
    n = len(edit.target)
    return {"id": f"{b.family}/train/{b.index}/{kind}", "family": b.family, "type": kind, "source": b.source,
            "target": edit.target, "target_tags": [BAD if i in edit.bad else OK for i in range(n)],
            "gap_tags": [BAD if i in edit.gaps else OK for i in range(n + 1)],
            "source_tags": [BAD if j in edit.source_bad else OK for j in range(len(b.source))],
            "original": b.target, "original_tags": [OK] * len(b.target), "detail": edit.detail}


def generate(bases: list[Base], ctx: Context, guard: DevGuard, types=TYPES, seed: int = SEED,
             per_sentence: int = 1, limit: int | None = None) -> list[dict]:
    """Per base translation, ``per_sentence`` errors of distinct types: the applicable types tried
    least-used first (ties in a seeded order), so the types stay balanced.  Each sentence's choices
    come from its own generator seeded by (seed, family, index)."""
    counts = {k: 0 for k in types}
    out = []
    for b in bases:
        rng = random.Random(f"{seed}/{b.family}/{b.index}")
        order = list(types)
        rng.shuffle(order)
        order.sort(key=lambda k: counts[k])
        made = 0
        for kind in order:
            edit = MAKERS[kind](b, rng, ctx)
            if edit is None or edit.target == b.target:
                continue
            rec = record(b, kind, edit)
            guard.check(rec)
            out.append(rec)
            counts[kind] += 1
            made += 1
            if made >= per_sentence:
                break
        if limit and len(out) >= limit:
            break
    return out


# ------------------------------------------------------------------------------------------- CLI

def _fail(message: str):
    print(f"mtlint: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def write_jsonl(records: list[dict], path: Path) -> None:
    """Atomically, one sorted-key JSON object a line (byte-identical for the same records)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
    os.replace(tmp, path)


def show(records: list[dict], real: list[dict], stats: dict, examples: int = 1) -> None:
    counts: dict[str, int] = {}
    for r in records + real:
        counts[r["type"]] = counts.get(r["type"], 0) + 1
    for name, value in sorted(stats.items()):
        print(f"{name}: {value}")
    for kind in (*TYPES, "post-edit"):
        if kind in counts and kind != "critical-label":
            bad = sum(r["target_tags"].count(BAD) for r in records + real if r["type"] == kind)
            print(f"{kind:16} {counts[kind]:6} examples, {bad / counts[kind]:.2f} BAD target words each")
    shown: dict[str, int] = {}
    for r in records + real:
        if r["target_tags"] is None:
            continue
        if shown.get(r["type"], 0) >= examples:
            continue
        shown[r["type"]] = shown.get(r["type"], 0) + 1
        marked = " ".join(f"[{w}]" if tag == BAD else w for w, tag in zip(r["target"], r["target_tags"]))
        src = " ".join(f"[{w}]" if tag == BAD else w for w, tag in zip(r["source"], r["source_tags"]))
        print(f"\n{r['id']}\n  source:   {src}\n  original: {' '.join(r['original'])}\n  target:   {marked}"
              f"\n  gaps BAD: {[i for i, g in enumerate(r['gap_tags']) if g == BAD]}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", help="JSONL file to write (outside the repository)")
    parser.add_argument("--shared", default=str(SHARED), help="the data folder of ../shared")
    parser.add_argument("--ding", default=None, help="a Ding-format dictionary (default: the system's trans-de-en)")
    parser.add_argument("--wordnet", default=str(WORDNET))
    parser.add_argument("--families", default=",".join(FAMILIES), help="data families to build from")
    parser.add_argument("--types", default=",".join(TYPES), help="error types to make")
    parser.add_argument("--limit", type=int, default=None, help="stop after this many synthetic examples")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--per-sentence", type=int, default=1, help="errors (of distinct types) per translation")
    parser.add_argument("--real", action="store_true", help="also write MLQE-PE's real train tags")
    parser.add_argument("--ced-real", type=int, default=0, metavar="N",
                        help="also write N WMT21 critical-error train pairs with their sentence label only")
    parser.add_argument("--check", action="store_true", help="print counts per type and an example of each")
    args = parser.parse_args(argv)
    families = [f for f in args.families.split(",") if f]
    types = [t for t in args.types.split(",") if t]
    for name, given, known in (("family", families, FAMILIES), ("type", types, TYPES)):
        unknown = [x for x in given if x not in known]
        if unknown or not given:
            _fail(f"unknown {name} {', '.join(unknown) or '(none)'}; choose from {', '.join(known)}")
    if not args.out and not args.check:
        _fail("give an output file, or --check")
    out = Path(args.out).resolve() if args.out else None
    if out is not None and (out == ROOT or ROOT in out.parents):
        _fail(f"{out} is inside the repository: the data's licences keep it out")
    shared = Path(args.shared)
    if not (shared / "wordqe").is_dir():
        _fail(f"{shared}: no MLQE-PE data (wordqe/) there")
    try:
        guard = DevGuard.from_shared(shared)
        stats: dict = {}
        bases = load_bases(shared, families, guard, stats)
        ctx = build_context(load_lexicon(args.ding), bases, Path(args.wordnet))
        records = generate(bases, ctx, guard, types, args.seed, args.per_sentence, args.limit)
        real = load_real(shared, guard) if args.real and "mlqe-pe" in families else []
        if args.ced_real and "ced" in families:
            real += load_ced_real(shared, guard, args.ced_real, args.seed)
        stats["base translations"] = len(bases)
    except (DevOverlapError, OSError, ValueError) as exc:
        _fail(str(exc))
    if out is not None:
        write_jsonl(records + real, out)
    if args.check:
        show(records, real, stats)


if __name__ == "__main__":
    main()
