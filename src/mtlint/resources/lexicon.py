"""A bilingual dictionary for suggestions: Debian's ``trans-de-en`` (the Ding
German-English dictionary, ``/usr/share/trans/de-en``).

Ding lines read ``German side :: English side``; each side has parallel
slots separated by `` | `` (slot *i* of one side translates slot *i* of the
other, which carries inflected forms: ``verbieten | verbietend |
verboten :: to forbid | forbidding | forbidden``) and synonyms
separated by ``;``.  The index maps an English form to the German forms in
the same slot, so a suggestion comes out already inflected.

The file is optional (install ``trans-de-en``; ``scripts/system-deps.sh``
does when run as root); without it there are simply no dictionary
suggestions.  The parsed index is cached as plain data (SQLite, see
:mod:`mtlint.resources.lexicon_store`) next to the embedding cache, keyed by the
file's SHA-256.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .cache import default_cache_dir
from .lexicon_store import open_or_build
from .store import persistent

DING_PATHS = {("en", "de"): "/usr/share/trans/de-en"}
# Notes: {grammar}, [usage], (context), <variants>, /abbreviations/ ("Deutschland {n} /DE/").
_NOTE = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|<[^>]*>|(?<!\S)/[^/\s]{1,12}/(?!\S)")
_ONE_PLACEHOLDER = r"(?:etw\.|jdm\.|jdn\.|jds\.|jd\.|sth\.|sb\.|sb\.'s|sb\.’s|so\.)"
# Alone or joined by slashes ("sb./sth.", "jdn./etw."): a slot of the entry, not part of the word.
_PLACEHOLDER = re.compile(rf"\b{_ONE_PLACEHOLDER}(?:/{_ONE_PLACEHOLDER})*(?=\s|$)")
# A placeholder whose alternative is a clause or verb complement ("to suspect sth. / that …", "to like
# sth. / to do sth."): the term ends at it.  Other slashes still drop the term ("auf etw. / einer Sache
# folgen" would leave "auf").
_ALTERNATIVE_COMPLEMENTS = re.compile(rf"\s{_ONE_PLACEHOLDER}\s+/\s+(?:that|to do|doing)\b.*$")
MAX_WORDS = 3  # longer dictionary phrases are idioms, not renderings of a word
# A German noun with its grammar note: "Krieg {m}", "Kriege {pl}", "Abgeordnete {m,f}".
_GERMAN_NOUN = re.compile(r"(?<![\w-])([A-ZÄÖÜ][a-zäöüß]+)\s+\{([mfn]|pl|[mfn],[mfn])\}")
# A single German adjective: "stark {adj}" (verbs come from their entries' slots: _VERB_NOTE).
_GERMAN_ADJECTIVE = re.compile(r"\s*([a-zäöüß]+)\s+\{adj\}.*")
_BARE_GERMAN_WORD = re.compile(r"\s*([a-zäöüß]+)\s*")
_VERB_NOTE = re.compile(r"\{(?:vt|vi|v|vr)\}")
_OTHER_WORD_CLASS = re.compile(r"\{(?:adj|adv|m|f|n|pl|prp|conj|num|pron|art|interj)\b")


@dataclass
class GermanWords:
    """What Ding's grammar notes say about single German words, for agreement checks."""
    # noun -> its genders as letters ("m", "mf")
    genders: dict[str, str] = field(default_factory=dict)
    plurals: set[str] = field(default_factory=set)  # plural nouns ("Kriege")
    adjectives: set[str] = field(default_factory=set)  # "stark"
    verbs: set[str] = field(default_factory=set)  # infinitives ("kremieren"): "das Kremieren" is a noun
    participles: set[str] = field(default_factory=set)  # past participles ("kremiert")
    present_participles: set[str] = field(default_factory=set)  # "kremierend"
    # Place names ("Russland"): names keep their own grammar.  The same set as Lexicon.places, filled
    # by parse_ding: every noun of a "[geogr.]" slot would bring in common nouns (Land, Dorf, Region).
    geographic: frozenset[str] | set[str] = field(default_factory=set)

    def add_line(self, german: str) -> None:
        """``german``: the German side of a Ding line, notes still in."""
        slots = german.split(" | ")
        for number, slot in enumerate(slots):
            nouns = _GERMAN_NOUN.findall(slot)
            for word, note in nouns:
                # The second slot of a noun entry holds its plural, whatever Ding marks it ("Feldzüge {m}").
                if note == "pl" or number == 1:
                    self.plurals.add(word)
                if note != "pl":
                    known = set(self.genders.get(word, "")) | set(note.split(","))
                    self.genders[word] = "".join(sorted(known))
            synonyms = slot.split(";")
            # The note after the last synonym holds for them all: "lang; weit {adj}".
            shared_note = _GERMAN_ADJECTIVE.fullmatch(synonyms[-1])
            for synonym in synonyms:
                match = _GERMAN_ADJECTIVE.fullmatch(synonym) or (shared_note and _BARE_GERMAN_WORD.fullmatch(synonym))
                if match:
                    self.adjectives.add(match.group(1))
        # A verb entry: infinitives | present participles | past participles ("verbieten | verbietend | verboten").
        if _VERB_NOTE.search(slots[0]):
            for number, forms in ((0, self.verbs), (1, self.present_participles), (2, self.participles)):
                for synonym in slots[number].split(";") if number < len(slots) else ():
                    last = _NOTE.sub(" ", synonym).split()[-1:]
                    if last and re.fullmatch(r"[a-zäöüß]+", last[0]):
                        forms.add(last[0])


def _clean(term: str) -> str:
    term = _PLACEHOLDER.sub(" ", _ALTERNATIVE_COMPLEMENTS.sub("", _NOTE.sub(" ", term)))
    term = re.sub(r"^\s*to\s+", "", term)
    term = " ".join(term.split()).strip(" ,.;:!?/")
    return "" if re.search(r"[()\[\]{}<>/]", term) else term  # a note the patterns could not remove


def parse_ding(lines, entries: dict[str, list[int]] | None = None,
               places: set[str] | None = None, words: GermanWords | None = None) -> dict[str, list[str]]:
    """English form (lower case) -> German renderings, in dictionary order.  With
    ``entries``, also fills it: German single word (lower case) -> the numbers of
    the Ding lines (entries: a headword, its synonyms and their forms) it stands in.
    With ``places``, also the German single-word place names: Ding marks them geographic
    ("[geogr.]") and their English side is capitalised (Russland :: Russia).  With ``words``,
    also the genders, plurals and word classes of German words (:class:`GermanWords`)."""
    index: dict[str, list[str]] = {}
    for number, line in enumerate(lines):
        if line.startswith("#") or " :: " not in line:
            continue
        german, english = line.rstrip("\n").split(" :: ", 1)
        if words is not None:
            words.add_line(german)
        for g_slot, e_slot in zip(german.split(" | "), english.split(" | ")):
            g_terms = [t for t in (_clean(x) for x in g_slot.split(";")) if t and len(t.split()) <= MAX_WORDS]
            if not g_terms:
                continue
            # A name: geographic, and capitalised in English too ("Russia", "the Netherlands"; not "relief" = Relief).
            if places is not None and "[geogr.]" in g_slot and re.sub(r"^the\s+", "", e_slot.strip())[:1].isupper():
                # Some names carry their article: "die Niederlande {f} :: the Netherlands".
                names = (re.sub(r"^(?:der|die|das)\s+", "", t) for t in g_terms)
                places.update(t for t in names if " " not in t and t[:1].isupper())
            if entries is not None:
                for term in g_terms:
                    if " " not in term:
                        numbers = entries.setdefault(term.lower(), [])
                        if not numbers or numbers[-1] != number:
                            numbers.append(number)
            for e in e_slot.split(";"):
                key = _clean(e).lower()
                if key and len(key.split()) <= MAX_WORDS:
                    bucket = index.setdefault(key, [])
                    bucket.extend(t for t in g_terms if t not in bucket)
    if words is not None and places is not None:
        words.geographic = places
    return index


class Lexicon:
    def __init__(self, index: dict[str, list[str]], path: str, entries: dict[str, list[int]] | None = None,
                 places: frozenset[str] = frozenset(), words: GermanWords | None = None):
        self.index = index
        self.path = path
        self.entries = entries or {}
        self.places = places  # German place names (Ding's "[geogr.]" entries)
        self.words = words or GermanWords()
        self.store = None  # the lexicon_store.Store the mappings are read from, if any

    def english_for(self, german: str) -> list[str]:
        """Single-word English forms this dictionary renders as ``german`` (casefolded), sorted."""
        from .lexicon_store import reverse_lookup

        return reverse_lookup(self.store, self.index, german)

    def phrases_rendered_as(self, german: str) -> frozenset[str]:
        """Every English form or phrase this dictionary renders as ``german`` (lower-cased)."""
        from .lexicon_store import phrases_rendered_as

        return phrases_rendered_as(self.store, self.index, german)

    def same_entry(self, a: str, b: str) -> bool:
        """Do two German words stand in one Ding entry (synonyms, or forms of one word)?"""
        return bool(set(self.entries.get(a.lower(), ())) & set(self.entries.get(b.lower(), ())))

    def renderings(self, source_phrase: str) -> list[str]:
        return list(self.index.get(source_phrase.lower().strip(), []))

    def lemma_renderings(self, word: str, lang: str) -> list[str]:
        """Renderings of the word's form and of its lemma: Ding often gives only the
        lemma a sense ("to sanction sth." = billigen, but "sanctioned" only as sanktioniert)."""
        found = self.renderings(word)
        base = lemma(word, lang)
        if base.lower() != word.lower():
            found += [r for r in self.renderings(base) if r not in found]
        return found


@lru_cache(maxsize=2)
def german_verb_glosses(path: str) -> dict[str, frozenset[str]]:
    """German verb (infinitive) -> the English verbs Ding gives for it, over all its entries
    ("hinzufügen" -> {"add", "append", ...}); a phrasal verb joined by "_" as WordNet writes it
    ("point_out").  A German verb with its preposition or "sich" counts as the verb ("auf etw.
    hinweisen" -> "hinweisen").  Read apart from the cached parse: only the reported-speech rule
    needs it, and only its verb lines (0.5 s)."""
    glosses: dict[str, set[str]] = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith("#") or " :: " not in line:
                continue
            german, english = line.rstrip("\n").split(" :: ", 1)
            first = german.split(" | ", 1)[0]
            if not _VERB_NOTE.search(first):
                continue
            # Notes go before the split: "to write {wrote; written}" holds a ";" of its own.
            english_verbs = set()
            for term in _NOTE.sub(" ", english.split(" | ", 1)[0]).split(";"):
                words = _PLACEHOLDER.sub(" ", term).split()
                words = words[1:] if words[:1] == ["to"] else words
                if 1 <= len(words) <= 3 and all(re.fullmatch(r"[a-z]+", word) for word in words):
                    english_verbs.add("_".join(words))
            if not english_verbs:
                continue
            for synonym in first.split(";"):
                if _OTHER_WORD_CLASS.search(synonym):
                    continue  # "etw. vermuten; vermutlich {adv}": the adverb is no verb
                words = _PLACEHOLDER.sub(" ", _NOTE.sub(" ", synonym)).split()
                # Before the verb only its preposition or "sich" (short words): not "erkennen lassen".
                if (words and re.fullmatch(r"[a-zäöüß]+", words[-1])
                        and all(len(word) <= 4 and word.islower() for word in words[:-1])):
                    glosses.setdefault(words[-1], set()).update(english_verbs)
    return {verb: frozenset(found) for verb, found in glosses.items()}


def compound_head(word: str, genders: dict) -> str | None:
    """The longest listed noun that ends ``word`` after a word of three or more letters ("Haupt|last");
    ``genders``: :attr:`GermanWords.genders`.  A three-letter head needs four letters before it:
    "Gegend" is no "Geg|end" (Ding lists "End {n}"), "Stadt|tor" is a compound."""
    for cut in range(3, len(word) - 2):
        head = word[cut].upper() + word[cut + 1:]
        if head in genders and (len(head) > 3 or cut >= 4):
            # After -ung, -heit, -keit … an "s" joins the parts: "Zahlungs|konto" is no "Zahlung|skonto".
            linked = head[1:2].upper() + head[2:]
            if head[0] == "S" and linked in genders and (
                    word[:cut].endswith(_LINKING_S_BEFORE)
                    # "-es" after a listed noun is ambiguous ("Bund|es|amt", "Speise|saal"): the clearly
                    # more common head wins ("Amt" over "Samt", not "Aal" over "Saal").
                    or (word[:cut].endswith("e") and word[:cut - 1] in genders
                        and _zipf(linked) >= _zipf(head) + CLEARLY_MORE_COMMON)):
                return linked
            return head
    return None


_LINKING_S_BEFORE = ("ung", "heit", "keit", "schaft", "tion", "ität", "tum", "ling")
# Zipf units (10^0.5: three times as frequent).  Of the 13 Ding nouns an "-es" reading would change,
# it changes the 8 it should ("Bundes|amt", "Jahres|tag": head and compound agree in gender in all
# 8, in 3 without this rule) and keeps the 5 it should not ("Speise|saal", "Pferde|sport", "Bade|stube").
CLEARLY_MORE_COMMON = 0.5


def _zipf(word: str) -> float:
    from .frequency import zipf

    return zipf(word, "de")


@lru_cache(maxsize=1)
def _simplemma_data() -> str:
    from .store import fingerprint

    return fingerprint(packages=["simplemma"])


def _lemma_depends(word: str, lang: str) -> str:
    return _simplemma_data()


@persistent("lemma", 1, _lemma_depends, maxsize=1 << 16)
def lemma(word: str, lang: str) -> str:
    """The word's lemma by simplemma's tables (the word itself where they have none)."""
    import simplemma

    try:
        return simplemma.lemmatize(word, lang=lang)
    except ValueError:  # a language simplemma does not cover
        return word


@lru_cache(maxsize=4)
def load(source_lang: str, target_lang: str) -> Lexicon | None:
    """The dictionary for the language pair, or None where none is installed.  The parse is kept
    in the cache directory as plain data (:mod:`mtlint.resources.lexicon_store`), keyed by the file's SHA-256."""
    path = os.environ.get("MTLINT_DICTIONARY") or DING_PATHS.get((source_lang, target_lang))
    if not path or not os.path.isfile(path):
        return None
    def parse():
        entries: dict[str, list[int]] = {}
        found_places: set[str] = set()
        words = GermanWords()
        with open(path, encoding="utf-8", errors="replace") as fh:
            index = parse_ding(fh, entries, found_places, words)
        places = frozenset(found_places)
        words.geographic = places
        return index, entries, places, words

    index, entries, places, words, store = open_or_build(default_cache_dir(), path,
                                                         f"{source_lang}-{target_lang}", parse, GermanWords)
    lexicon = Lexicon(index, path, entries, places, words)
    lexicon.store = store
    return lexicon
