"""Grammar a rule can see without a parser: the case a preposition governs, an article that
cannot agree with its noun, an adjective's ending after an article, an auxiliary out of place.

German prepositions of the genitive ("einschließlich", "aufgrund", "innerhalb") take
"des"/"der" (or, colloquially, a dative); an article that can only be nominative or
accusative ("die", "das") right after one is a case error machine translation makes when
it carries a source phrase over word by word ("einschließlich die Kosten" for
"including the costs").  "den" is left alone: as a dative plural it is accepted
after "wegen" and "trotz".

The prepositions are a closed class of the grammar, listed per language like the
negation words of :mod:`mtlint.checks.negation`; the rates on human and machine German
are measured by ``bench/eval/grammar_rules.py`` (docs/benchmarks.md).
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..resources.function_words import PREPOSITIONS
from ..resources.german import NO_UMLAUT, adjective_ending
from ..resources.saying import reporting_verbs
from ..resources.requirements import DING, WORDNET
from .base import DocumentPair, Finding, register
from ..resources.lexicon import compound_head

GENITIVE_PREPOSITIONS = {
    # Not "ausschließlich" (mostly the adverb "exclusively"), "laut" and "kraft" (an adjective, a noun).
    "de": ("einschließlich", "aufgrund", "angesichts", "infolge", "anlässlich", "mittels",
           "bezüglich", "hinsichtlich", "zugunsten", "seitens", "innerhalb", "außerhalb", "wegen", "trotz",
           "anhand", "mangels", "inmitten", "oberhalb", "unterhalb", "abseits", "jenseits", "diesseits", "unweit",
           "zwecks"),
}
# Articles that are never genitive (nor dative): nominative or accusative only.
NOT_GENITIVE_ARTICLES = {"de": ("die", "das")}
GENITIVE_ARTICLE = {"de": {"die": "der", "das": "des"}}


def _german_lexicon(pair: DocumentPair):
    """Ding for a German target (its English side serves any source language), or None."""
    if pair.target_lang != "de":
        return None
    from ..resources import lexicon

    return lexicon.load(pair.source_lang, "de") or lexicon.load("en", "de")


def _sentence_hits(pair: DocumentPair, find, *args):
    """(source span of the sentence, hit) for each hit of ``find(target, *args, start=, end=)`` in a target sentence."""
    sources = pair.sentence_sources()
    for index, sentence in enumerate(pair.target_sentences):
        for hit in find(pair.target, *args, start=sentence.start, end=sentence.end):
            yield sources.get(index), hit


def _pattern(lang: str) -> re.Pattern | None:
    if lang not in GENITIVE_PREPOSITIONS:
        return None
    prepositions = "|".join(GENITIVE_PREPOSITIONS[lang])
    articles = "|".join(NOT_GENITIVE_ARTICLES[lang])
    # An opening quotation mark may stand between them: einschließlich „die Kosten …“.
    # The article in lower case: "trotz Die Linke" names a party, "laut Die Zeit" a paper.
    return re.compile(rf"(?<!\w)((?i:{prepositions}))(\s+[„\"»«‚]?)({articles})(?!\w)")


def preposition_case_errors(text: str, lang: str, start: int = 0, end: int | None = None):
    """(span, preposition, gap, article) for each article in the wrong case in the sentence ``text[start:end]``."""
    pattern = _pattern(lang)
    if pattern is None:
        return
    for match in pattern.finditer(text, start, len(text) if end is None else end):
        preposition, gap, article = match.groups()
        before = text[start:match.start()]
        if preposition[0].isupper() and before.strip("„\"»«‚ "):
            continue  # capitalised inside a sentence: the noun ("in einem letzten Trotz das Gesetz")
        if preposition.lower() == "wegen" and re.search(r"\w\s+[A-ZÄÖÜ]\w*\s*$", before):
            continue  # after its noun, a postposition ("der Kinder wegen die Stelle wechseln")
        yield match.span(), preposition, gap, article


@register("preposition-case", "fluency/grammar", "minor",
          "An article in the wrong case after a preposition that governs the genitive "
          "(\"einschließlich die Kosten\" for \"einschließlich der Kosten\").",
          languages=sorted(GENITIVE_PREPOSITIONS))
def preposition_case(pair: DocumentPair):
    if pair.target_lang not in GENITIVE_PREPOSITIONS:
        return
    hits = _sentence_hits(pair, preposition_case_errors, pair.target_lang)
    for source_span, (span, preposition, gap, article) in hits:
        genitive = GENITIVE_ARTICLE[pair.target_lang][article]
        yield Finding(target_span=span, source_span=source_span,
                      message=f"\"{preposition}\" takes the genitive: \"{genitive}\", not \"{article}\"",
                      # "die" -> "der" is the whole fix; "das" -> "des" also needs the noun's -s.
                      suggestion=f"{preposition}{gap}{genitive}" if article == "die" else None,
                      confidence=0.7)


# An article before a place name in the genitive and its noun: "die Frankreichs Regierung" for
# "France's government" (the English possessive carried over with an article).  German puts the
# genitive name in the article's place ("Frankreichs Regierung") or after the noun ("die Regierung
# Frankreichs"), never both.  Place names come from Ding's geographic entries, so plural -s
# nouns ("die Teams Trainer"), English names ("die Texas Rangers") and a name that ends in s
# itself are not mistaken for a genitive.
_ARTICLE_GENITIVE_NAME = re.compile(r"(?<!\w)(den|dem|die|das|der|ein|einen|einem|eine|einer)\s+"
                                    r"([A-ZÄÖÜ][a-zäöüß]+)s\s+([A-ZÄÖÜ][a-zäöüß]{2,})(?!\w)")


def genitive_name_errors(text: str, places: frozenset[str], start: int = 0, end: int | None = None):
    """(span, article, genitive, noun) for each article standing before a genitive place name and its noun."""
    for match in _ARTICLE_GENITIVE_NAME.finditer(text, start, len(text) if end is None else end):
        article, name, noun = match.groups()
        # Right after a comma "die"/"der"/"dem" is a relative pronoun: "Reformen, die Frankreichs
        # Regierung plant" is grammatical.  (", um die Frankreichs Regierung zu …" is not: "um" is no relative.)
        if re.search(r",\s*$", text[max(0, match.start() - 5):match.start()]):
            continue
        if name in places and noun not in places:
            yield match.span(), article, name + "s", noun


@register("genitive-name-article", "fluency/grammar", "minor",
          "An article before a place name in the genitive and its noun (\"die Frankreichs Regierung\": "
          "\"Frankreichs Regierung\" or \"die Regierung Frankreichs\").",
          languages=["de"], requires=[DING])
def genitive_name_article(pair: DocumentPair):
    dictionary = _german_lexicon(pair)
    if dictionary is None or not dictionary.places:
        return
    for source_span, (span, article, genitive, noun) in _sentence_hits(pair, genitive_name_errors, dictionary.places):
        yield Finding(target_span=span, source_span=source_span,
                      message=f"an article before the genitive \"{genitive}\": German writes "
                              f"\"{genitive} {noun}\" or \"{article} {noun} {genitive}\"",
                      suggestion=f"{genitive} {noun}", confidence=0.7)


# Article and noun that cannot agree: "das Krieg", "einen Frau", "dem Kinder".  Which genders
# and numbers each article can mark is the grammar's closed table; which a noun has comes from
# Ding's notes ("Krieg {m} | Kriege {pl}").  Only forms Ding lists are judged: an unknown word
# (a name, a rare compound) is never a finding, and the inflected forms rules derive (genitive
# -s, dative plural -n, weak masculine -en, the old dative -e) only widen what a listed form may be.
CASES = ("nom", "acc", "dat", "gen")
ARTICLE_AGREEMENT = {
    "der": {("m", "nom"), ("f", "gen"), ("f", "dat"), ("pl", "gen")},
    "die": {("f", "nom"), ("f", "acc"), ("pl", "nom"), ("pl", "acc")},
    "das": {("n", "nom"), ("n", "acc")},
    "den": {("m", "acc"), ("pl", "dat")},
    "dem": {("m", "dat"), ("n", "dat")},
    "des": {("m", "gen"), ("n", "gen")},
    "ein": {("m", "nom"), ("n", "nom"), ("n", "acc")},
    "eine": {("f", "nom"), ("f", "acc")},
    "einen": {("m", "acc")},
    "einem": {("m", "dat"), ("n", "dat")},
    "einer": {("f", "gen"), ("f", "dat")},
    "eines": {("m", "gen"), ("n", "gen")},
    # "kein" and the possessives decline like "ein", with a plural ("keine Kriege", "unseren Kindern").
    # Not "ihr" (also "you"), nor "euer", whose stem changes ("eure").
    **{stem + ending: {*readings} for stem in ("kein", "mein", "dein", "sein", "unser")
       for ending, readings in (("", {("m", "nom"), ("n", "nom"), ("n", "acc")}),
                                ("e", {("f", "nom"), ("f", "acc"), ("pl", "nom"), ("pl", "acc")}),
                                ("en", {("m", "acc"), ("pl", "dat")}), ("em", {("m", "dat"), ("n", "dat")}),
                                ("er", {("f", "gen"), ("f", "dat"), ("pl", "gen")}), ("es", {("m", "gen"), ("n", "gen")}))},
    "euer": {("m", "nom"), ("n", "nom"), ("n", "acc")},
    "eure": {("f", "nom"), ("f", "acc"), ("pl", "nom"), ("pl", "acc")},
    "euren": {("m", "acc"), ("pl", "dat")},
    "eurem": {("m", "dat"), ("n", "dat")},
    # "dieser", "jener", "jeder" decline like "der" ("jeder" has no plural).
    **{stem + ending: {r for r in readings if not (stem == "jed" and r[0] == "pl")} for stem in ("dies", "jen", "jed")
       for ending, readings in (("er", {("m", "nom"), ("f", "gen"), ("f", "dat"), ("pl", "gen")}),
                                ("e", {("f", "nom"), ("f", "acc"), ("pl", "nom"), ("pl", "acc")}),
                                ("es", {("n", "nom"), ("n", "acc"), ("m", "gen"), ("n", "gen")}),
                                ("en", {("m", "acc"), ("pl", "dat")}), ("em", {("m", "dat"), ("n", "dat")}))},
    **{fused: {("n", "acc")} for fused in ("ins", "ans", "aufs", "fürs", "durchs", "ums")},
    # A preposition fused with the article: "im" = "in dem", "zur" = "zu der".
    **{fused: {("m", "dat"), ("n", "dat")} for fused in ("im", "am", "zum", "vom", "beim")},
    "zur": {("f", "dat")},
}
# What may stand between article and noun: words with an adjective's ending ("die neue Regierung").
_ADJECTIVE_LIKE = r"(?:[a-zäöüß]+(?:e|en|er|es|em)\s*,?\s+)"
_ARTICLE_NOUN = re.compile(rf"(?<![\w-])(?i:({'|'.join(ARTICLE_AGREEMENT)}))\s+({_ADJECTIVE_LIKE}{{0,3}})"
                           r"([A-ZÄÖÜ][a-zäöüß]+)(?![\w'’-])(?!\s*-)")
_PARTICIPLE_OR_ORDINAL = re.compile(r"ge\w+(?:t|en)|\w+end|\w+(?:ier|isier)t|\w+te|\w+ste")
# A determiner after the "article" makes that article a pronoun: "War das eine Drohung?"
_DETERMINER = re.compile(r"(?:[kmds]?ein|ihr|unser|euer|eur|dies|jen|welch|jed|all|manch|solch)(?:e[nmrs]?)?")


def noun_readings(word: str, words) -> set[tuple[str, str]] | None:
    """(gender or "pl", case) pairs the form ``word`` can have; None when it cannot be judged.
    ``words``: a :class:`mtlint.resources.lexicon.GermanWords`."""
    genders, plurals = words.genders, words.plurals
    if word in words.geographic or (word not in genders and word not in plurals):
        return None
    low = word.lower()
    stem = re.sub(r"(?:e|en|er|es|em|n)$", "", low)
    agent = re.sub(r"en?$", "er", word)  # "Beamten" -> "Beamter"; not "Spiele" -> "Spieler", a plural itself
    if ({stem, low, stem + "e", re.sub(r"e?st$", "", stem)} & words.adjectives or stem in words.participles
            or {re.sub(r"(?:e|en|er)$", "", low), low} & words.present_participles  # die Reisenden, not die Gegend
            or _ORDINAL_OR_SUPERLATIVE.fullmatch(low)
            or (re.search(r"en?$", word) and "m" in genders.get(agent, ()) and agent not in plurals)):
        # A noun made from an adjective or participle declines like one: des Bösen, die Reisenden,
        # das Erste, zum Besten, dem Beamten (Ding: "Beamter {m} | Beamten {pl}").
        return None
    head = compound_head(word, genders)
    if head and not set(genders[head]) & set(genders.get(word, genders[head])):
        return None  # Ding's gender for the compound contradicts its head's: one of them is wrong
    readings = {(gender, case) for gender in genders.get(word, ()) for case in CASES}
    stems = [word[:-len(ending)] for ending in ("n", "en", "e", "s", "er", "nen")
             if word.endswith(ending) and len(word) > len(ending) + 2]
    if word in plurals or any(stem in genders or stem in plurals for stem in stems):  # a plural ending on a noun
        readings |= {("pl", case) for case in ("nom", "acc", "gen")}
        if word[-1] in "nsiaou":  # the dative plural ends in -n, except -s and vowel plurals: den Kommata
            readings.add(("pl", "dat"))
        singular = word[:-2].translate(NO_UMLAUT)
        if word.endswith("er") and word not in genders and singular not in genders and word[:-1] not in genders:
            readings |= {("m", case) for case in CASES}  # listed only as a plural: "einen Karolinger"
    if re.search(r"(?:er|el|en|chen|lein)$", word) and set(genders.get(word, "")) & {"m", "n"}:
        readings |= {("pl", case) for case in CASES}  # der Lehrer, die Lehrer: the plural is the singular
    for cut in (1, 2, 3):  # genitive -s, -es, -ses: des Gefängnisses
        if word.endswith("s"):
            readings |= {(gender, "gen") for gender in genders.get(word[:-cut], ()) if gender in "mn"}
    if word.endswith("e"):
        readings |= {(gender, "dat") for gender in genders.get(word[:-1], ()) if gender in "mn"}  # im Jahre
    if word.endswith("n") and any("m" in genders.get(word[:-cut], ()) for cut in (1, 2)):
        readings |= {("m", case) for case in CASES}  # weak masculine: dem Präsidenten
    if low in words.verbs:
        readings |= {("n", case) for case in CASES}  # an infinitive as a noun: das Wehen
    return readings or None


_ORDINAL_OR_SUPERLATIVE = re.compile(r"(?:erst|zweit|dritt|viert|fünft|sechst|siebt|acht|neunt|\w*zehnt|\w*zigst|"
                                     r"letzt|best|meist|mindest|wenigst|nächst|höchst)(?:e|en|er|es|em)")


# Closed classes for telling an article from a pronoun.
COPULA = frozenset("ist war sei wäre sind waren seien wird wurde werde würde bleibt blieb gewesen geworden".split())
_COPULA_BEFORE = re.compile(r"(?:^|\s)(?:" + "|".join(COPULA) + r")\s+$")
_COPULA_AFTER = re.compile(r"\s+(?:" + "|".join(COPULA) + r")\b(?:\s+\w+)?\s*[.,;:!?]")


_AFTER_A_SUBJECT = re.compile(r"(?:(?<!\w)(?i:ich|wir|sie|ihr)|\w\s+[A-ZÄÖÜ]\w*)\s+$")  # a pronoun, a noun
_NAME_GOES_ON = re.compile(r"\s*[A-ZÄÖÜ0-9'’]")  # after a noun: a name of several words ("die Bob Barker")
_RELATIVE_CLAUSE = re.compile(r",\s*(?:\w+\s+)?(?:der|die|das|den|dem|deren|dessen|denen|welche[rsmn]?)\s")
_LATER_NOUN = re.compile(r"(?:\s+(?:[A-ZÄÖÜ][\w-]*|und|oder|für|des|der))*\s+([a-zäöüß]+(?:e|en|er|es|em))\s+[A-ZÄÖÜ]")


def _article_noun_phrases(text: str, words, start: int = 0, end: int | None = None):
    """(match, article, words between, noun, noun readings) for each article that stands before its
    noun, with only adjectives between; pronouns, names and nouns Ding cannot judge are passed over."""
    for match in _ARTICLE_NOUN.finditer(text, start, len(text) if end is None else end):
        article, between, noun = match.groups()
        before = text[max(0, match.start() - 40):match.start()]
        after = text[match.end():match.end() + 60]
        preceding = re.search(r"(?:[,(–—]|(?<!\w)(?:und|oder|sowie))\s*(\w+\s+)?$", before)
        if preceding and (not preceding.group(1) or preceding.group(1).strip().lower() in PREPOSITIONS["de"]) and (
                preceding.group(0)[0] in ",(–—" or _RELATIVE_CLAUSE.search(text, start, match.start())):
            continue  # a relative pronoun: "Länder, die Krieg führen", "Kinder, mit dem …", and after "und"
            # in a second relative clause: "…, den sie kennt und dem alte Freunde helfen"
        if article.lower() in ("meine", "meinen") and _AFTER_A_SUBJECT.search(before):
            continue  # the verb "meinen" after its subject: "Wir meinen alte Freunde.", "Die Kritiker meinen …"
        later = _LATER_NOUN.match(after)
        if later and _adjective_like(later.group(1), words) and later.group(1) not in words.verbs:
            continue  # the article belongs to a later noun: "die Krieg führenden Parteien", "das Jahrzehnte alte Kloster"
            # (not a verb that looks like an adjective: "die schwindende Vorräte bereiten Sorgen")
        if _NAME_GOES_ON.match(after) or re.match(r"\s+(?:of|the|and|for|de|du|la|le|d['’]|di|del|da|do|dos)\b", after):
            continue  # a name of several words: "die Bob Barker", "das Institute of Physics", "der Giro d'Italia"
        if article.lower() == "das" and not between and (
                _COPULA_BEFORE.search(before) and re.match(r"\s*[.,;:!?]", after) or _COPULA_AFTER.match(after)):
            continue  # "das" as a pronoun before a predicate noun: "Für sie ist das Routine.", "Ob das Zufall war, …"
        tokens = between.replace(",", " ").split()
        if article.lower() == "am" and tokens and tokens[0].endswith("sten"):
            continue  # a superlative adverb, not an article: "die am meisten gefürchtete Kavallerie"
        if not all(_adjective_like(token, words) for token in tokens):
            continue
        readings = noun_readings(noun, words)
        if readings is not None:
            yield match, article, tokens, noun, readings


def article_agreement_errors(text: str, words, start: int = 0, end: int | None = None):
    """(span, article, noun, readings) for each article whose gender or number no reading of its noun has."""
    for match, article, _, noun, readings in _article_noun_phrases(text, words, start, end):
        if not readings & ARTICLE_AGREEMENT[article.lower()]:
            yield match.span(), article, noun, readings


def _adjective_like(token: str, words) -> bool:
    if _DETERMINER.fullmatch(token):
        return False
    stem = re.sub(r"(?:e|en|er|es|em)$", "", token)
    return (stem in words.adjectives or token in words.adjectives or bool(_PARTICIPLE_OR_ORDINAL.fullmatch(stem))
            or adjective_ending(token, words) is not None)


_GENDER_NAMES = {"m": "masculine", "f": "feminine", "n": "neuter", "pl": "plural"}


def _gender_names(readings: set[tuple[str, str]]) -> str:
    return " or ".join(_GENDER_NAMES[g] for g in ("m", "f", "n", "pl") if any(r[0] == g for r in readings))


@register("article-agreement", "fluency/grammar", "minor",
          "An article whose gender or number its noun cannot have (\"das Krieg\", \"einen Frau\"), "
          "by the genders and plurals of Ding's German nouns.",
          languages=["de"], requires=[DING])
def article_agreement(pair: DocumentPair):
    for _, source_span, (span, article, noun, readings) in _noun_phrase_hits(pair, article_agreement_errors, 2):
        yield Finding(target_span=span, source_span=source_span,
                      message=f"\"{article}\" does not agree with \"{noun}\" ({_gender_names(readings)} "
                              f"in the dictionary)", confidence=0.6)


# An abbreviation has the gender of the name it stands for ("der Bundesnachrichtendienst" -> "der BND",
# "die Weltgesundheitsorganisation" -> "die WHO"); the dictionary does not know it, but the document
# says it where the abbreviation opens a sentence as the subject of a singular verb: "Die WHO warnte",
# or in brackets after the name it abbreviates, "Der Bundesnachrichtendienst (BND) teilte mit".
# Only there: in "Der Sender BBC" or "Das EU Parlament" the article is another noun's, and in "Der
# Kanzler Olaf Scholz (SPD)" the brackets name a party, not the subject.  Later uses must agree: "nach
# Angaben der BND" reads it as feminine; "ein Bericht von BND" drops the article the document
# itself gives it after a preposition elsewhere.
ABBREVIATION = re.compile(r"[A-ZÄÖÜ]{2,6}")
SUBJECT_ARTICLE_GENDER = {"de": {"der": "m", "die": "f", "das": "n"}}
# After a preposition an article is dative, accusative or genitive, never nominative: (case, genders)
# per article; "der" is dative or genitive by the preposition.
OBLIQUE_ARTICLES = {"de": {"der": ("dat", {"f", "pl"}), "die": ("acc", {"f", "pl"}), "das": ("acc", {"n"}),
                           "den": ("acc", {"m", "pl"}), "dem": ("dat", {"m", "n"}), "des": ("gen", {"m", "n"})}}
ARTICLE_BY_CASE = {"de": {"dat": {"m": "dem", "n": "dem", "f": "der"}, "acc": {"m": "den", "n": "das", "f": "die"},
                          "gen": {"m": "des", "n": "des", "f": "der"}}}
# A preposition fused with its article (dative): the form for each gender.
FUSED_ARTICLES = {"de": [{"m": "vom", "n": "vom", "f": "von der"}, {"m": "zum", "n": "zum", "f": "zur"},
                         {"m": "beim", "n": "beim", "f": "bei der"}, {"m": "im", "n": "im", "f": "in der"},
                         {"m": "am", "n": "am", "f": "an der"}]}
BARE_AFTER = {"de": "von"}  # "von BND": the preposition whose missing article is judged
_NAME_TAGS = frozenset({"ADJ(A)", "NN", "NE", "FM", "TRUNC"})


def _abbreviates(abbreviation: str, words: list[str]) -> bool:
    """Do the words end with a name the abbreviation abbreviates: its first letter opens one of them and
    the rest follow in order ("Federal Bureau of Investigation" for FBI, "Bundesnachrichtendienst"
    for BND; not "Olaf Scholz" for SPD)?"""
    letters = abbreviation.lower()
    for k, word in enumerate(words):
        if word[:1].lower() == letters[0]:
            rest = " ".join(words[k:]).lower()[1:]
            position = 0
            for letter in letters[1:]:
                position = rest.find(letter, position) + 1
                if position == 0:
                    break
            else:
                return True
    return False


def _abbreviation_subject(tokens, lang: str) -> tuple[str, str] | None:
    """(abbreviation, gender) where the sentence opens with an article and the abbreviation as its
    subject, right before a singular finite verb: the abbreviation itself after the article and its
    adjectives, or in brackets after the name it abbreviates."""
    if not tokens or tokens[0].tag != "ART" or tokens[0].text.lower() not in SUBJECT_ARTICLE_GENDER[lang]:
        return None
    k = 1
    while k < len(tokens) and tokens[k].tag in _NAME_TAGS:
        k += 1
    if k + 3 < len(tokens) and tokens[k].text == "(" and tokens[k + 2].text == ")":  # "Der … dienst (BND)"
        found = tokens[k + 1].text
        if not (ABBREVIATION.fullmatch(found) and _abbreviates(found, [t.text for t in tokens[1:k]])):
            return None
        k += 3
    else:  # "Die WHO warnte": the abbreviation heads the phrase, after adjectives only
        found = tokens[k - 1].text
        if not (k >= 2 and ABBREVIATION.fullmatch(found) and all(t.tag == "ADJ(A)" for t in tokens[1:k - 1])):
            return None
    verb = tokens[k] if k < len(tokens) else None
    if verb is None or not _FINITE.fullmatch(verb.tag) or _PLURAL_VERB_ENDING.search(verb.text) \
            or verb.text.lower() == "sind":
        return None  # no verb, or a plural one ("Die USA haben")
    return found, SUBJECT_ARTICLE_GENDER[lang][tokens[0].text.lower()]


def _oblique_use(tokens, i: int, gender: str, lang: str) -> tuple[str, str | None] | None:
    """(what the article before ``tokens[i]`` reads it as, a suggestion) where that article, after a
    preposition, or fused with one, excludes ``gender``; else None."""
    before = tokens[i - 1]
    article = before.text.lower()
    if before.tag == "APPRART":
        for forms in FUSED_ARTICLES[lang]:
            if article in forms.values() and forms.get(gender) != article:
                readings = {g for g, form in forms.items() if form == article}
                return " or ".join(_GENDER_NAMES[g] for g in sorted(readings)), f"{forms[gender]} {tokens[i].text}"
        return None
    if before.tag != "ART" or article not in OBLIQUE_ARTICLES[lang] or i < 2:
        return None
    case, readings = OBLIQUE_ARTICLES[lang][article]
    previous = tokens[i - 2]
    if previous.tag == "NN" and i >= 3 and tokens[i - 3].tag in ("APPR", "APPRART"):
        if article not in ("der", "des"):
            return None
        case = "gen"  # "nach Angaben der BND": a genitive attribute inside a prepositional phrase
        readings = {"f", "pl"} if article == "der" else readings
    elif previous.tag != "APPR":
        return None  # after a verb or a bare noun "der" may be a subject ("Dabei half dem Land der BND")
    elif article == "der":
        case = "gen" if previous.text.lower() in GENITIVE_PREPOSITIONS[lang] else "dat"
    if gender in readings:
        return None
    suggestion = ARTICLE_BY_CASE[lang][case][gender]
    return " or ".join(_GENDER_NAMES[g] for g in sorted(readings - {"pl"})), f"{suggestion} {tokens[i].text}"


def abbreviation_gender_errors(sentences: list[list], lang: str = "de"):
    """(span, abbreviation, gender, what the use reads it as (None: no article), suggestion) for each use
    of an abbreviation, in a document's tagged sentences, that disagrees with the gender its first use
    as a subject gives it: an article of another gender after a preposition, or none after "von" where
    the document gives it one after a preposition elsewhere."""
    if lang not in SUBJECT_ARTICLE_GENDER:
        return
    sentences = [tokens or [] for tokens in sentences]
    genders: dict[str, str] = {}
    for tokens in sentences:
        subject = _abbreviation_subject(tokens, lang)
        if subject and subject[0] not in genders:
            genders[subject[0]] = subject[1]
    if not genders:
        return
    with_article = {tokens[i].text for tokens in sentences for i in range(1, len(tokens))
                    if tokens[i].text in genders and tokens[i - 1].tag in ("ART", "APPRART")
                    and i >= 2 and tokens[i - 2].tag in ("APPR", "NN")}
    for tokens in sentences:
        for i, token in enumerate(tokens[1:], 1):
            gender = genders.get(token.text)
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if gender is None or (following and following.tag in ("NE", "FM", "NN") and following.text[:1].isupper()):
                continue  # part of a longer name ("BBC Parliament", a channel of the BBC): its own gender
            before = tokens[i - 1]
            if before.tag in ("APPR", "APPRART") and before.text.lower() == BARE_AFTER[lang]:
                if token.text in with_article and not (following and following.tag in ("KON", "$,")):
                    # Not in a list ("von ARD und ZDF"), where German drops the articles.
                    forms = next(f for f in FUSED_ARTICLES[lang] if BARE_AFTER[lang] + " der" in f.values())
                    yield (before.start, token.end), token.text, gender, None, f"{forms[gender]} {token.text}"
                continue
            wrong = _oblique_use(tokens, i, gender, lang)
            if wrong and not (gender == "m" and before.text.lower() == "der" and _subordinate_subject(tokens, i)):
                yield (before.start, token.end), token.text, gender, wrong[0], wrong[1]


def _subordinate_subject(tokens, i: int) -> bool:
    """Is ``tokens[i]`` the subject of a subordinate clause, right before its final verb ("dass im
    Januar der BND meldete": nominative after a noun)?  A main clause's verb after a fronted phrase
    ("Nach Angaben des BND stiegen …") leaves it oblique."""
    if i + 1 >= len(tokens) or not _FINITE.fullmatch(tokens[i + 1].tag):
        return False
    k = i - 1
    while k >= 0 and tokens[k].text != ",":
        if tokens[k].tag in ("KOUS", "PRELS", "PRELAT", "PWS", "PWAV"):
            return True
        k -= 1
    return False


@register("abbreviation-gender", "fluency/grammar", "minor",
          "An abbreviation used with an article of another gender than the document gives it where it "
          "first opens a sentence as the subject (\"Die WHO warnte …\" … \"beim WHO\": \"bei der WHO\"; "
          "\"Der Bundesnachrichtendienst (BND) teilte mit …\" … \"nach Angaben der BND\": \"des BND\"), or with none after "
          "\"von\" where it has one elsewhere; needs HanTa.",
          languages=sorted(SUBJECT_ARTICLE_GENDER))
def abbreviation_gender(pair: DocumentPair):
    from ..resources.tagging import tag_german

    if pair.target_lang not in SUBJECT_ARTICLE_GENDER:
        return
    sentences = [tag_german(pair.target, s.start, s.end) or [] for s in pair.target_sentences]
    sources = pair.sentence_sources()
    starts = [s.start for s in pair.target_sentences]
    for span, abbreviation, gender, reading, suggestion in abbreviation_gender_errors(sentences, pair.target_lang):
        index = bisect.bisect_right(starts, span[0]) - 1
        established = (f"the document makes \"{abbreviation}\" {_GENDER_NAMES[gender]} "
                       f"(\"{gender_article(gender)} … {abbreviation}\" as a subject)")
        message = (f"\"{abbreviation}\" without its article; {established}" if reading is None else
                   f"the article reads \"{abbreviation}\" as {reading}; {established}")
        yield Finding(target_span=span, source_span=sources.get(index), message=message,
                      suggestion=suggestion, confidence=0.6)


def gender_article(gender: str, lang: str = "de") -> str:
    return {g: a for a, g in SUBJECT_ARTICLE_GENDER[lang].items()}[gender].capitalize()


def _noun_phrase_hits(pair: DocumentPair, find, noun_field: int):
    """(dictionary, source span, hit) for each hit of an article check whose noun (``hit[noun_field]``)
    is not also in the source sentence: a name there ("eine Mustang", "die Bild") keeps its own grammar."""
    dictionary = _german_lexicon(pair)
    if dictionary is None or not dictionary.words.genders:
        return
    for source_span, hit in _sentence_hits(pair, find, dictionary.words):
        if not _in_source(hit[noun_field], pair, source_span):
            yield dictionary, source_span, hit


def _in_source(word: str, pair: DocumentPair, source_span) -> bool:
    return bool(source_span) and re.search(rf"(?<!\w){re.escape(word)}(?!\w)",
                                           pair.source[source_span[0]:source_span[1]]) is not None


# An adjective between article and noun takes the ending the article leaves it: after "der",
# "die", "das" the weak -e or -en, after "ein" the mixed -er/-es/-e/-en.  "eine alten Frau", "ein
# großer Chaos", "die schwindende Vorräte" break that table.  The readings the article and its noun
# share fix the endings allowed; a phrase whose article and noun do not agree is article-agreement's.
ADJECTIVE_ENDINGS = {  # (declension, case) -> gender -> ending; every dative and genitive takes -en
    ("weak", "nom"): {"m": "e", "f": "e", "n": "e", "pl": "en"},
    ("weak", "acc"): {"m": "en", "f": "e", "n": "e", "pl": "en"},
    ("mixed", "nom"): {"m": "er", "f": "e", "n": "es"},
    ("mixed", "acc"): {"m": "en", "f": "e", "n": "es"},
}
MIXED_DECLENSION_ARTICLES = frozenset(article for article in ARTICLE_AGREEMENT
                                      if re.fullmatch(r"(?:[kmds]?ein|unser|euer|eur)(?:e[nmrs]?)?", article))


# With no article the adjective takes the strong ending, which marks the case itself: after a
# preposition, the case the preposition governs ("mit leiser Stimme", not "mit leisen Stimme").
# The cases of the prepositions are the grammar's closed table.  Left out: "zu" (also "too": "ein zu
# großer Kamm"), "bis" (a range: "flache bis tiefe Böden"), "während" and "seit" (also conjunctions:
# "Seit neue Gesetze gelten, …").  No preposition governs the nominative.
STRONG_ENDINGS = {"acc": {"m": "en", "f": "e", "n": "es", "pl": "e"}, "dat": {"m": "em", "f": "er", "n": "em", "pl": "en"},
                  "gen": {"m": "en", "f": "er", "n": "en", "pl": "er"}}
PREPOSITION_CASES = {"de": {
    **{word: {"dat"} for word in "aus bei mit nach von gegenüber entgegen".split()},
    "ab": {"dat", "acc"},  # "ab kommendem / kommenden Montag"
    **{word: {"acc"} for word in "durch für gegen ohne um wider".split()},
    **{word: {"acc", "dat"} for word in "an auf hinter in neben über unter vor zwischen".split()},
    **{word: {"gen", "dat"} for word in GENITIVE_PREPOSITIONS["de"]},  # the dative is accepted after most
}}
_PREPOSITION_ADJECTIVE_NOUN = re.compile(
    rf"(?<![\w-])({'|'.join(w for p in PREPOSITION_CASES['de'] for w in (p, p.capitalize()))})\s+({_ADJECTIVE_LIKE}{{1,3}})([A-ZÄÖÜ][a-zäöüß]+)(?![\w'’-])(?!\s*-)")


def _preposition_noun_phrases(text: str, words, start: int = 0, end: int | None = None):
    """(match, preposition, adjectives, noun, noun readings in the preposition's cases) for each
    preposition before adjectives and a noun Ding can judge, with no article."""
    for match in _PREPOSITION_ADJECTIVE_NOUN.finditer(text, start, len(text) if end is None else end):
        preposition, between, noun = match.groups()
        tokens = between.replace(",", " ").split()
        if _NAME_GOES_ON.match(text, match.end(), match.end() + 2):
            continue  # a name of several words
        if not all(_adjective_like(token, words) for token in tokens):
            continue
        readings = noun_readings(noun, words)
        cases = PREPOSITION_CASES["de"][preposition.lower()]
        shared = {(gender, case) for gender, case in readings or () if case in cases}
        if shared:
            yield match, preposition, tokens, noun, shared


def _declined_phrases(text: str, words, start: int, end: int | None):
    """(match, article or preposition, adjectives, noun, endings allowed) for each phrase to judge."""
    for match, article, tokens, noun, readings in _article_noun_phrases(text, words, start, end):
        shared = readings & ARTICLE_AGREEMENT[article.lower()]
        if tokens and shared:
            declension = "mixed" if article.lower() in MIXED_DECLENSION_ARTICLES else "weak"
            yield match, article, tokens, noun, {ADJECTIVE_ENDINGS.get((declension, case), {}).get(gender, "en")
                                                 for gender, case in shared}
    for match, preposition, tokens, noun, shared in _preposition_noun_phrases(text, words, start, end):
        yield match, preposition, tokens, noun, {STRONG_ENDINGS[case][gender] for gender, case in shared}


def adjective_declension_errors(text: str, words, start: int = 0, end: int | None = None):
    """(span, adjective, endings allowed, article or preposition, noun, the adjective without its
    ending) for each adjective whose ending no reading shared by its article (or preposition) and
    noun allows."""
    for match, article, tokens, noun, allowed in _declined_phrases(text, words, start, end):
        for token in re.finditer(r"[^\W\d_]+(\s*,)?", match.group(2)):
            word = token.group(0).rstrip(" ,")
            declined = adjective_ending(word, words)
            if declined is None:
                continue  # an unknown or undeclined word ("beiden", "gut"): the next one is judged alone
            if token.end() < len(match.group(2).rstrip()) and not token.group(1):
                continue  # another adjective follows without a comma: this word may be an adverb
                # ("ein lange verschollener Brief", "der weniger bekannte Autor")
            if declined[1] not in allowed:
                position = match.start(2) + token.start()
                yield ((position, position + len(word)), word, sorted(allowed), match.group(1), noun,
                       word[:-len(declined[1])])


@register("adjective-declension", "fluency/grammar", "minor",
          "An adjective whose ending its article and noun do not allow (\"eine alten Frau\", \"ein großer "
          "Chaos\"), by the declension table and the genders of Ding's German nouns.",
          languages=["de"], requires=[DING])
def adjective_declension(pair: DocumentPair):
    hits = _noun_phrase_hits(pair, adjective_declension_errors, 4)
    for _, source_span, (span, adjective, allowed, article, noun, base) in hits:
        endings = " or ".join(f"-{ending}" for ending in allowed)
        yield Finding(target_span=span, source_span=source_span,
                      message=f"after \"{article}\" and before \"{noun}\" the adjective takes {endings}",
                      suggestion=base + allowed[0] if len(allowed) == 1 else None, confidence=0.6)


# A subordinate clause puts its finite verb last: "dass sie den Vertrag unterschrieben hat".  A
# translation that keeps the source's order puts it second ("dass sie hat den Vertrag
# unterschrieben", for "that she has signed the treaty").  Seen without a parser where the finite
# verb is an auxiliary or modal (a closed class) standing inside a clause that ends in a participle
# or infinitive Ding lists.  Conjunctions that are also prepositions or adverbs ("während", "da",
# "als", "bis") are left out, so every clause checked is subordinate.
SUBORDINATORS = {"de": ("dass", "weil", "ob", "obwohl", "obgleich", "obschon", "wenn", "falls", "nachdem",
                        "bevor", "sobald", "solange", "sodass", "indem", "seitdem", "wohingegen")}
FINITE_AUXILIARIES = {"de": frozenset(
    "hat haben hatte hatten habe hätte hätten ist sind war waren sei seien wäre wären wird werden wurde wurden "
    "werde würde würden kann können konnte konnten könne könnte könnten muss müssen musste mussten müsse müsste "
    "soll sollen sollte sollten solle will wollen wollte wollten wolle darf dürfen durfte durften dürfe "
    "dürfte".split())}
PERSONAL_PRONOUNS = {"de": frozenset("ich du er sie es wir ihr Sie man".split())}
SUBJECT_PRONOUNS = {"de": PERSONAL_PRONOUNS["de"] | {"das", "dies", "dieser", "diese", "dieses", "jemand", "niemand"}}
PARTICLES_AFTER_THE_VERB = {"de": frozenset({"als", "wie", "denn", "noch"})}
# Verbs whose infinitive stands for their participle after another infinitive ("hat kommen müssen").
SUBSTITUTE_INFINITIVE_VERBS = {"de": frozenset("können müssen dürfen sollen wollen mögen lassen sehen hören helfen "
                                               "brauchen".split())}
# Where a clause ends: punctuation, a dash, or a coordinating conjunction that may start the next.
_CLAUSE_END = re.compile(r"[,;:.!?()–—]|\s[-–]|\s(?:und|oder|sowie|aber|sondern)\s")
_WORD = re.compile(r"[^\W\d_]+")
MAX_CLAUSE_CHARS = 400


@lru_cache(maxsize=None)
def _subordinator_pattern(lang: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?i:{'|'.join(SUBORDINATORS[lang])})(?!\w)")


def verb_order_errors(text: str, words, lang: str = "de", start: int = 0, end: int | None = None):
    """(span, conjunction, auxiliary) for each subordinate clause whose auxiliary stands before its
    object and participle; the span runs from the auxiliary to the clause's last word."""
    if lang not in SUBORDINATORS:
        return
    end = len(text) if end is None else end
    auxiliaries = FINITE_AUXILIARIES[lang]

    def verb_form(word: str) -> bool:
        return word in words.verbs or word in words.participles or word == "worden"
    for match in _subordinator_pattern(lang).finditer(text, start, end):
        # A clause longer than MAX_CLAUSE_CHARS is left alone (and a hostile line costs no quadratic scan).
        limit = min(end, match.end() + MAX_CLAUSE_CHARS)
        boundary = _CLAUSE_END.search(text, match.end(), limit)
        if boundary is None and limit < end:
            continue
        tokens = list(_WORD.finditer(text, match.end(), boundary.start() if boundary else end))
        clause = [token.group(0) for token in tokens]
        position = next((i for i, word in enumerate(clause) if word in auxiliaries), None)
        # The auxiliary must follow a subject and precede at least an object and the verb.
        if position is None or position == 0 or position >= len(clause) - 2:
            continue
        if clause[position + 1] in PERSONAL_PRONOUNS[lang]:
            continue  # a main clause after a missing comma: "Wenn Sie kommen können Sie sehen"
        if clause[position + 1].lower() in PARTICLES_AFTER_THE_VERB[lang]:
            continue  # the verb is last; a comparison or a second part follows: "… höher ist als erwartet",
            # "… erlitten hat als auch …", "weder informiert worden ist noch beteiligt"
        if not any(word[:1].isupper() or word.lower() in SUBJECT_PRONOUNS[lang] for word in clause[:position]):
            continue  # no subject before the verb: "wenn nötig werde die Regierung … entsenden"
        last = clause[-1]
        if not verb_form(last) or clause[-2] == "zu":
            continue  # not ending in a verb, or an extraposed infinitive ("… haben könnten zu verstehen")
        if last in SUBSTITUTE_INFINITIVE_VERBS[lang] and clause[-2] in words.verbs:
            continue  # an infinitive for a participle: "dass er hätte ändern müssen" is the correct order
        yield (tokens[position].start(), tokens[-1].end()), match.group(0), clause[position]


# With a part-of-speech tagger (mtlint.resources.tagging) any finite verb is seen, and any clause a tagger
# marks subordinate: after a subordinating conjunction, or a relative or interrogative pronoun
# after a comma ("…, die Waffen baut").  A finite verb that an object, a subject or a number
# still follows inside the clause stands second ("dass die Firma baut Waffen").  Not flagged:
# what may follow the verb (a comparison, a prepositional phrase, a zu-infinitive: "während er
# versuchte, Andy zu beschützen"), a pronoun after it (a main clause after a missing comma), a
# verb Ding does not list (a tagging guess), and "während", "seit", "bis" before a noun phrase
# (prepositions).  On MLQE-PE en-de train (bench/eval/grammar_rules.py) this flags 1 of 7,000 human
# post-edits, an editor's slip, and 23 machine translations, 22 of them changed by the post-editor.
_FINITE = re.compile(r"V[VAM]\(FIN\)")
_TAGGED_CLAUSE_END = frozenset(",;:.!?()–—-")
_QUOTES = frozenset("„“”\"«»‚‘’'")
_NOMINAL_TAGS = frozenset({"NN", "NE", "NNA", "ART", "PPOSAT", "PDAT", "PIAT", "CARD", "ADJ(A)", "PDS", "PIS"})
_SUBJECT_TAGS = frozenset({"NN", "NE", "NNA", "PPER", "PDS", "PIS", "PRELS", "PWS"})
_MAY_FOLLOW_THE_VERB = frozenset({"APPR", "APPRART", "KOKOM", "PTKZU", "PPER", "PRF"})
_CONJUNCTIONS_ALSO_PREPOSITIONS = {"de": frozenset({"während", "seit", "bis"})}
_AUXILIARY_LEMMAS = {"de": frozenset({"sein", "haben", "werden"})}  # Ding lists them only in phrases
_RELATIVE = frozenset({"PRELS", "PRELAT"})
_INTERROGATIVE = frozenset({"PWS", "PWAV", "PWAT"})


def _clause_introducers(tokens, lang: str) -> list[int]:
    """Indices of the tokens that open a subordinate clause."""
    last = [token.text for token in tokens if token.text not in _QUOTES][-1:]
    question = last == ["?"]
    found = []
    for i, token in enumerate(tokens):
        after_comma = i > 0 and tokens[i - 1].text == ","
        following = tokens[i + 1].tag if i + 1 < len(tokens) else ""
        if token.tag == "KOUS":
            preposition = token.text.lower() in _CONJUNCTIONS_ALSO_PREPOSITIONS[lang] and following in _NOMINAL_TAGS | {"APPRART"}
            concessive = i + 1 < len(tokens) and tokens[i + 1].text == "auch"  # "wenn auch nicht alle …": no clause
            if not (preposition or concessive):
                found.append(i)
        elif token.tag in _RELATIVE and (after_comma or (i > 1 and tokens[i - 1].tag in ("APPR", "APPRART")
                                                        and tokens[i - 2].text == ",")):
            found.append(i)
        elif token.tag in _INTERROGATIVE and after_comma and not question:  # not a direct question
            found.append(i)
    return found


def _clause_words(tokens, first: int, introducers: set[int]) -> tuple[list, int]:
    """The words of the clause from ``first`` to its end (punctuation, or another clause), quotation
    marks left out before its finite verb and ending it after; and the index where it ended."""
    words, seen_verb, i = [], False, first
    while i < len(tokens) and tokens[i].text not in _TAGGED_CLAUSE_END and i not in introducers:
        if tokens[i].text in _QUOTES:
            if seen_verb:
                break  # a quotation opened after the verb is not part of the clause
        else:
            words.append(tokens[i])
            seen_verb = seen_verb or bool(_FINITE.fullmatch(tokens[i].tag))
        i += 1
    return words, i


def _conjuncts(clause) -> list[list]:
    """The clause's tokens split at its coordinating conjunctions (KON: "und", "oder"), which are left out."""
    conjuncts = [[]]
    for token in clause:
        if token.tag == "KON":
            conjuncts.append([])
        else:
            conjuncts[-1].append(token)
    return conjuncts


def _misplaced_finite_verb(clause, known_verb, continued: bool, relative: bool) -> tuple | None:
    """(verb, last word) where the clause's finite verb stands before more of the clause.  A verb
    opening the clause is its subject's (a relative pronoun's) unless the clause is ``continued``.
    In a ``relative`` clause only the first conjunct is judged: "der Turnpike, die US 30 und der
    Raystown Branch führen alle …" is a list the tagger read as a relative clause."""
    conjuncts = _conjuncts(clause)
    for number, conjunct in enumerate(conjuncts[:1] if relative else conjuncts):
        verb = next((k for k, token in enumerate(conjunct) if _FINITE.fullmatch(token.tag)), None)
        if verb is None:
            continue
        token, before, rest = conjunct[verb], conjunct[:verb], conjunct[verb + 1:]
        if number == 0 and not continued and not any(t.tag in _SUBJECT_TAGS for t in before):
            return None  # the verb opens the clause (a relative pronoun's), or no subject precedes it:
            # "wenn nötig werde die Regierung … entsenden"
        # Only the clause's first finite verb is judged.  Once it stands last the clause is complete, and
        # "und" + verb after it is a main clause with its subject left out ("Er sah, dass sie kam, und
        # grüßte sie"); a later conjunct counts only where the first had no finite verb ("dass die
        # Firma „entwickelt und baut Waffen“", where the tagger reads "entwickelt" as a participle).
        if (not rest or not known_verb(token.lemma) or rest[0].tag in _MAY_FOLLOW_THE_VERB
                or any(t.tag in ("VV(IZU)", "PTKZU") for t in rest)):
            return None  # last, a tagging guess, or what may follow the verb
        if _FINITE.fullmatch(rest[0].tag):
            return None  # the clause ended there; a comma is missing ("… niedergelassen hatte boomten …")
        if any(t.tag in _NOMINAL_TAGS for t in rest):
            return token, rest[-1]
    return None


def finite_verb_order_errors(text: str, words, lang: str = "de", start: int = 0, end: int | None = None):
    """(span, introducer, verb) for each tagged subordinate clause whose finite verb more of the clause
    follows; the span runs from the verb to the clause's last word.  Nothing without the tagger."""
    from ..resources.tagging import tag_german

    if lang not in _CONJUNCTIONS_ALSO_PREPOSITIONS:
        return
    tokens = tag_german(text, start, end)
    if not tokens:
        return
    def known_verb(lemma: str) -> bool:
        return lemma in words.verbs or lemma in _AUXILIARY_LEMMAS[lang]
    introducers = _clause_introducers(tokens, lang)
    opens = set(introducers)
    for opening in introducers:
        clause, stop = _clause_words(tokens, opening + 1, opens)
        continued = False
        # A clause with no verb yet, interrupted by a relative clause, goes on after it: "dass die
        # Spieler, die … spielten, verloren das Spiel" (there "verloren" is misplaced).
        if (not any(t.tag.startswith("V") for t in clause) and stop + 1 in opens
                and tokens[stop].text == "," and tokens[stop + 1].tag in _RELATIVE):
            _, after = _clause_words(tokens, stop + 2, opens)
            if after + 1 < len(tokens) and tokens[after].text == ",":
                clause, _ = _clause_words(tokens, after + 1, opens)
                continued = True
        found = _misplaced_finite_verb(clause, known_verb, continued, tokens[opening].tag in _RELATIVE)
        if found:
            verb, last = found
            yield (verb.start, last.end), tokens[opening].text, verb.text


@register("verb-order", "fluency/grammar", "minor",
          "A subordinate clause with its finite verb second instead of last (\"dass sie hat den Vertrag "
          "unterschrieben\", \"dass die Firma baut Waffen\"); any verb with HanTa's part-of-speech tags, "
          "auxiliaries and modals without.",
          languages=["de"], requires=[DING])
def verb_order(pair: DocumentPair):
    dictionary = _german_lexicon(pair)
    if dictionary is None or not dictionary.words.verbs:
        return
    hits = list(_sentence_hits(pair, verb_order_errors, dictionary.words, pair.target_lang))
    flagged = [span for _, (span, *_) in hits]
    hits += [hit for hit in _sentence_hits(pair, finite_verb_order_errors, dictionary.words, pair.target_lang)
             if not any(a < hit[1][0][1] and hit[1][0][0] < b for a, b in flagged)]
    for source_span, (span, conjunction, auxiliary) in sorted(hits, key=lambda hit: hit[1][0]):
        yield Finding(target_span=span, source_span=source_span,
                      message=f"after \"{conjunction}\" the finite verb \"{auxiliary}\" belongs at the "
                              f"end of the clause", confidence=0.6)


# Reported speech.  German news reports what someone said in Konjunktiv I ("Sie sagte, dass die
# Firma neue Stellen plane"); English and French shift the reported verb into the past instead
# ("that the company was planning", "que l'entreprise prévoyait"), and machine translation carries
# that past over ("plante"), which tells the claim as an established fact.  In the third person
# singular Konjunktiv I never coincides with the indicative, so there the past indicative is the slip;
# a plural "-ten" may be the Konjunktiv II that stands in for a Konjunktiv I identical with the
# indicative ("sie planten"), and is left alone, as is "ich".  Strong verbs' past forms ("kam") are
# not derived from the lemma and are left alone too; auxiliaries and modals are a closed class.
# A verb of saying is one whose English glosses in Ding are used as verbs of saying (wordnet.py) in at
# least REPORTING_SHARE of their tagged uses, as "add" is in "she added that …" (0.33).
REPORTED_CLAUSE_CONJUNCTIONS = {"de": frozenset({"dass", "ob"})}
PAST_AUXILIARY_KONJUNKTIV_I = {"de": {"war": "sei", "hatte": "habe", "wurde": "werde", "konnte": "könne",
                                      "musste": "müsse", "durfte": "dürfe", "mochte": "möge"}}
# "sollte", "wollte" are left out: the same form is the Konjunktiv II of "should", "would want".
FIRST_PERSON_SINGULAR = {"de": "ich"}
CONSECUTIVE_CORRELATES = {"de": frozenset({"so", "derart", "dermaßen", "solch", "solche", "solchen", "solcher"})}


def _governing_verb(tokens, comma: int, lang: str) -> str | None:
    """The lemma of the verb of the clause that ends before ``tokens[comma]`` (its separable particle
    joined on: "teilte … mit" -> "mitteilen"); None for none, or a consecutive "so …, dass"."""
    verb = particle = None
    i = comma - 1
    while i >= 0 and tokens[i].text not in _TAGGED_CLAUSE_END and tokens[i].text not in _QUOTES:
        token = tokens[i]
        if token.text.lower() in CONSECUTIVE_CORRELATES[lang]:
            return None  # "so …, dass" gives a consequence
        if token.tag == "PTKVZ" and particle is None and verb is None:
            particle = token.text.lower()
        elif verb is None and token.tag in ("VV(FIN)", "VV(PP)", "VV(INF)", "VV(IZU)"):
            verb = token
        i -= 1
    if verb is None:
        return None
    lemma = verb.lemma.lower()
    return particle + lemma if particle and verb.tag == "VV(FIN)" else lemma


def _clause_verb(tokens, start: int, lang: str) -> str | None:
    """The lemma of the verb of the clause that runs on from ``tokens[start]`` to the next
    punctuation, its particle included (as :func:`_governing_verb`)."""
    end = next((j for j in range(start, len(tokens)) if tokens[j].text in _TAGGED_CLAUSE_END), len(tokens))
    return _governing_verb(tokens, end, lang)


def _konjunktiv_i(token, lang: str) -> str | None:
    """The third person singular Konjunktiv I for a past indicative singular, or None."""
    word = token.text.lower()
    if token.tag in ("VA(FIN)", "VM(FIN)"):
        return PAST_AUXILIARY_KONJUNKTIV_I[lang].get(word)
    if token.tag != "VV(FIN)":
        return None
    # From the form: a weak past is its lemma's stem + "te" ("prüf|te", "arbeite|te", "handel|te",
    # "knie|te" of "knieen"), and the Konjunktiv I that stem + "e" ("prüfe", "arbeite", "handele", "knie").
    stem = word[:-2]
    if not word.endswith("te") or len(stem) < 2 or token.lemma.lower() not in (stem + "en", stem + "n"):
        return None
    return stem if stem.endswith("e") else stem + "e"


def reported_speech_errors(text: str, reporting: frozenset[str], lang: str = "de",
                           start: int = 0, end: int | None = None):
    """(span, verb of saying, past indicative, Konjunktiv I, "after" or "before" the verb of saying) for
    each third-person-singular past indicative in a "dass"/"ob" clause after a verb of saying, or in a
    main clause reported next to one.  Nothing without the tagger."""
    from ..resources.tagging import tag_german

    if lang not in REPORTED_CLAUSE_CONJUNCTIONS or not reporting:
        return
    tokens = tag_german(text, start, end)
    if not tokens:
        return
    opens = set(_clause_introducers(tokens, lang))
    governor, previous_end = None, -1
    for i, token in enumerate(tokens):
        if token.tag != "KOUS" or token.text.lower() not in REPORTED_CLAUSE_CONJUNCTIONS[lang] or i == 0:
            continue
        if tokens[i - 1].text == ",":
            governor = _governing_verb(tokens, i - 1, lang)
        elif not (tokens[i - 1].tag == "KON" and previous_end == i):
            continue  # "ohne dass", "so dass": not a reported clause; "… und dass" continues the last one
        clause, stop = _clause_words(tokens, i + 1, opens)
        previous_end = stop
        if governor is None or governor not in reporting:
            continue
        for span, verb, replacement in _past_indicatives(text, clause, lang):
            yield span, governor, verb, replacement, "after"
    # Without "dass": a main clause reported after a verb of saying and a comma ("Sie sagte, die Firma
    # plante …"), or before one at the sentence's end ("Die Firma plante …, sagte sie", "…, so die Zeitung").
    # Not inside quotation marks: a direct quotation keeps the speaker's indicative.
    if any(token.text in _QUOTES for token in tokens):
        return
    for comma, token in enumerate(tokens[:-1]):
        if token.text != ",":
            continue
        governor = _governing_verb(tokens, comma, lang)
        if governor in reporting and _says_without_object(tokens, comma):
            clause, _ = _clause_words(tokens, comma + 1, opens)  # empty at a conjunction or relative pronoun
            if _verb_second(clause, last_too=False):
                for span, verb, replacement in _past_indicatives(text, clause, lang):
                    yield span, governor, verb, replacement, "after"
        speaker = _trailing_speaker(tokens, comma, lang)
        if speaker == ATTRIBUTING_ADVERB[lang] or speaker in reporting:
            clause, _ = _clause_words(tokens, 0, opens)
            if _verb_second(clause, last_too=True):
                for span, verb, replacement in _past_indicatives(text, clause, lang):
                    yield span, speaker, verb, replacement, "before"


def _verb_second(clause, last_too: bool) -> bool:
    """Does the clause's first conjunct read as a main clause: its finite verb not first ("Wie sie
    sagte, plante die Firma …" goes on with the sentence's main clause, where the indicative is
    right), nor last unless ``last_too`` (after a comma, a subordinate clause whose conjunction the
    tagger missed: "…, als ihre Batterie die Bomber traf")?"""
    first = _conjuncts(clause)[0]
    verb = next((k for k, word in enumerate(first) if _FINITE.fullmatch(word.tag)), None)
    return verb is not None and 0 < verb and (last_too or verb < len(first) - 1)


# An accusative object after the verb of saying fills the place of what is said: "Er sagte die
# Wahrheit, der Richter glaubte ihm" reports nothing.  After a subject that opens the clause, a noun
# phrase whose determiner is not dative ("sagte dem Minister", "der Presse") is that object.
_DATIVE_DETERMINER = re.compile(r"(?:d|[kmsd]?ein|ihr|unser|eur|dies|jen)em|der")


def _says_without_object(tokens, comma: int) -> bool:
    """Has the clause before ``tokens[comma]`` (the verb of saying's) a finite verb ("Wie gesagt, …" has
    none) and no accusative object or reflexive after it ("sagte die Wahrheit", "meldete sich")?"""
    start = comma - 1
    while start >= 0 and tokens[start].text not in _TAGGED_CLAUSE_END and tokens[start].text not in _QUOTES:
        start -= 1
    clause = tokens[start + 1:comma]
    verb = next((k for k, token in enumerate(clause) if _FINITE.fullmatch(token.tag)), None)
    if verb is None:
        return False
    subject_first = verb > 0 and clause[0].tag in ("PPER", "ART", "NE", "NN", "PPOSAT", "PDAT", "PIS")
    for k in range(verb + 1, len(clause)):
        token, before = clause[k], clause[k - 1]
        if token.tag == "PRF":
            return False
        if (subject_first and token.tag in ("ART", "PPOSAT", "PDAT", "PIAT") and before.tag not in ("APPR", "APPRART")
                and not _DATIVE_DETERMINER.fullmatch(token.text.lower())):
            return False
    return True


# "…, so die Zeitung.": the report's source named after "so" with no verb.
ATTRIBUTING_ADVERB = {"de": "so"}
# What opens the speaker's name after a trailing verb of saying: an article, a name, a noun, or a
# subject pronoun (not "ihm": "…, antwortete ihm" names no speaker).
_NAMED_SPEAKER = frozenset({"ART", "NN", "NE", "PPOSAT", "PDAT"})
NOMINATIVE_PRONOUNS = {"de": frozenset({"er", "sie", "es", "man"})}  # a speaker, not "ihm"
_INDEFINITE = re.compile(r"k?ein\w*")  # "…, so ein Pech!" exclaims; it names no source


def _trailing_speaker(tokens, comma: int, lang: str) -> str | None:
    """The verb of saying (its lemma, particle joined on) or "so" of a clause that follows
    ``tokens[comma]`` verb first and names its speaker: "…, sagte die Ministerin", "…, teilte das
    Amt mit", "…, so die Zeitung"."""
    first = comma + 1
    end = next((j for j in range(first, len(tokens)) if tokens[j].text in _TAGGED_CLAUSE_END), len(tokens))
    if end - first < 2:
        return None
    speaker = tokens[first + 1]
    if not (speaker.tag in _NAMED_SPEAKER or speaker.text.lower() in NOMINATIVE_PRONOUNS[lang]) \
            or _INDEFINITE.fullmatch(speaker.text.lower()):
        return None  # "…, protestierten gegen …", "…, so viele wie möglich", "…, so ein Pech"
    rest = tokens[first + 1:end]
    if tokens[first].text.lower() == ATTRIBUTING_ADVERB[lang]:
        if any(token.tag.startswith("V") or token.tag == "PTKZU" for token in rest):
            return None  # "…, so die Firma es wollte": a clause of manner
        return ATTRIBUTING_ADVERB[lang]
    if tokens[first].tag != "VV(FIN)" or any(_FINITE.fullmatch(token.tag) for token in rest):
        return None  # not verb first, or a second verb ("…, lobte der Chef und erklärte die Pläne")
    particle = next((token.text.lower() for token in rest if token.tag == "PTKVZ"), "")
    return particle + tokens[first].lemma.lower()


def _past_indicatives(text: str, clause, lang: str):
    """(span, past indicative, Konjunktiv I) for the third-person-singular past indicatives of a reported
    clause, conjunct by conjunct; none after "ich"."""
    seen = []  # the clause's words so far: "ich" may stand in an earlier conjunct ("dass ich A und B prüfte")
    for conjunct in _conjuncts(clause):
        verb = next((k for k, word in enumerate(conjunct) if _FINITE.fullmatch(word.tag)), None)
        seen += conjunct if verb is None else conjunct[:verb]
        if verb is None or any(word.text.lower() == FIRST_PERSON_SINGULAR[lang] for word in seen):
            continue
        replacement = _konjunktiv_i(conjunct[verb], lang)
        if replacement is None:
            continue
        finite = conjunct[verb]
        span = (finite.start, finite.end)
        # "getötet wurde" reports a past passive: "getötet worden sei"; verb second, "wurde … getötet":
        # "sei … getötet worden".
        participle = next((k for k in range(len(conjunct) - 1, verb, -1) if conjunct[k].tag == "VV(PP)"), None)
        if finite.text.lower() == "wurde" and verb > 0 and conjunct[verb - 1].tag == "VV(PP)":
            replacement = "worden sei"
        elif finite.text.lower() == "wurde" and participle is not None:
            span = (finite.start, conjunct[participle].end)
            replacement = f"sei{text[finite.end:span[1]]} worden"
        elif finite.text.lower() == "wurde" and not any(t.tag.startswith("V") for t in conjunct[verb + 1:]):
            # "wurde Präsident" (became), or a passive whose participle the tagger read as an adjective
            # ("wurde entfernt"): no one-word Konjunktiv I keeps the past, so no suggestion.
            replacement = "sei … geworden / worden"
        yield span, text[span[0]:span[1]], replacement


def _verbs_of_saying(pair: DocumentPair) -> frozenset[str]:
    """The German verbs of saying for a check on ``pair`` (empty without Ding for a German target)."""
    dictionary = _german_lexicon(pair)
    if dictionary is None:
        return frozenset()
    return reporting_verbs(dictionary.path)


@register("reported-speech", "fluency/grammar", "minor",
          "Reported speech in the past indicative where German uses Konjunktiv I (\"sagte, dass die Firma "
          "neue Stellen plante\": \"plane\"): third person singular, in a \"dass\" or \"ob\" "
          "clause after a verb of saying, or a main clause reported next to one (\"sagte, die Firma plante\", "
          "\"…, so die Zeitung\"), not in quotation marks; needs HanTa, Ding and Debian's wordnet-base.",
          languages=["de"], requires=[DING, WORDNET])
def reported_speech(pair: DocumentPair):
    reporting = _verbs_of_saying(pair)
    if not reporting:
        return
    for source_span, (span, governor, verb, replacement, where) in _sentence_hits(
            pair, reported_speech_errors, reporting, pair.target_lang):
        yield Finding(target_span=span, source_span=source_span,
                      message=f"reported speech {where} \"{governor}\": Konjunktiv I \"{replacement}\", not the "
                              f"past indicative \"{verb}\", which states the report as fact (for an event before "
                              f"the report: \"habe\" or \"sei\" with the participle)",
                      suggestion=None if "…" in replacement else replacement, confidence=0.5)


# "It added that …" after "The Intelligence Service said …": English refers to an organisation by
# "it", German by the pronoun of its noun's gender ("Der Verband teilte mit … Er erklärte").  A
# sentence that opens with "Es" as the speaker of a verb of saying, right after a sentence whose
# subject opens it with a masculine or feminine singular article, has the wrong pronoun.  Only a
# verb of saying: "Es" is also the expletive ("Es dauerte Jahre", "Es gibt"), which needs no
# antecedent, while a verb of saying needs a speaker.
SPEAKER_PRONOUN = {"de": ("Es", {"Der": ("m", "Er"), "Die": ("f", "Sie")})}
# The source sentence must open with the pronoun speaking ("It added"): German "Es verlautete" (it was
# announced) is impersonal and needs no antecedent; such a sentence's source does not open so.
SOURCE_SPEAKER = {"en": re.compile(r"\W*It\s+(?!(?:is|was|'s|seems|seemed|appears|appeared)\b)[a-z]+")}
# A finite full verb's plural ends in "-en", "-ln", "-rn" or a vowel and "n" ("sagten", "handeln", "tun");
# a singular never does ("sagte", "gewann").
_PLURAL_VERB_ENDING = re.compile(r"(?:e|l|r|[aiouäöü])n$")
_NOUN_PHRASE_TAGS = frozenset({"ADJ(A)", "ADJ(D)", "ADV", "NN", "NE", "CARD", "TRUNC", "$(", "KON"})


def _subject_gender(tokens, words, reporting: frozenset[str], lang: str) -> tuple[str, int] | None:
    """(pronoun, where the subject ends) where the sentence opens with its subject, a masculine or
    feminine singular noun phrase right before a finite verb of saying ("Der Verband (DFB) teilte mit …"):
    the speaker "Es" goes on for.  Not "Die Armee sei bereit, sagte das Ministerium", whose speaker
    comes later, nor "Der Krieg tötete Tausende", whose subject says nothing."""
    articles = SPEAKER_PRONOUN[lang][1]
    if len(tokens) < 3 or tokens[0].tag != "ART" or tokens[0].text not in articles:
        return None
    gender, pronoun = articles[tokens[0].text]
    k = 1
    while k < len(tokens) and (tokens[k].tag in _NOUN_PHRASE_TAGS or tokens[k].text in "()"):
        k += 1
    if k >= len(tokens) or tokens[k].tag != "VV(FIN)":
        return None  # the subject is not first, or no full verb follows it
    if _PLURAL_VERB_ENDING.search(tokens[k].text):
        return None  # "Die Behörden sagten": a plural subject ("sie")
    if _clause_verb(tokens, k, lang) not in reporting:
        return None
    nouns = [t for t in tokens[1:k] if t.tag in ("NN", "NE")]
    if not nouns:
        return None
    head = nouns[0].text  # the first noun heads it: "Der Verband (DFB)", "Die Regierung Kiews"
    known = words.genders.get(head)
    if (gender == "f" and head in words.plurals) or (known and gender not in known):
        return None  # "Die Behörden" is plural ("Der" before a verb is singular); a noun of another gender is misread
    return pronoun, tokens[k - 1].end


def speaker_pronoun_errors(sentences: list[str], reporting: frozenset[str], words, lang: str = "de"):
    """(index of the sentence, span of its "Es", the right pronoun, the antecedent) for each
    sentence of ``sentences`` (consecutive, one paragraph) that opens with "Es" speaking after a
    masculine or feminine subject."""
    from ..resources.tagging import tag_german

    if lang not in SPEAKER_PRONOUN or not reporting:
        return
    pronoun_text = SPEAKER_PRONOUN[lang][0]
    for index in range(1, len(sentences)):
        text = sentences[index]
        if not text.startswith(pronoun_text + " "):
            continue
        tokens = tag_german(text)
        if not tokens or len(tokens) < 2 or tokens[1].tag != "VV(FIN)":
            continue
        if _clause_verb(tokens, 0, lang) not in reporting:  # "Es teilte mit, dass …"
            continue
        previous = tag_german(sentences[index - 1])
        found = _subject_gender(previous, words, reporting, lang) if previous else None
        if found:
            yield index, (tokens[0].start, tokens[0].end), found[0], sentences[index - 1][:found[1]]


@register("speaker-pronoun", "fluency/grammar", "minor",
          "\"Es\" as the speaker of a verb of saying right after a sentence whose subject is masculine or "
          "feminine (\"Der Verband teilte mit … Es erklärte\": \"Er\"), for an English source's \"It said\" "
          "(\"it\" for an organisation); needs HanTa, Ding and Debian's wordnet-base.",
          languages=["de"], requires=[DING, WORDNET])
def speaker_pronoun(pair: DocumentPair):
    if pair.source_lang not in SOURCE_SPEAKER:
        return
    reporting = _verbs_of_saying(pair)
    if not reporting:
        return
    dictionary = _german_lexicon(pair)  # loaded once (cached): the verbs of saying came from it
    sources = pair.sentence_sources()
    sentences = pair.target_sentences
    for first in range(len(sentences)):
        if first and sentences[first - 1].paragraph == sentences[first].paragraph:
            continue
        last = first
        while last + 1 < len(sentences) and sentences[last + 1].paragraph == sentences[first].paragraph:
            last += 1
        texts = [s.text(pair.target) for s in sentences[first:last + 1]]
        for index, (a, b), pronoun, antecedent in speaker_pronoun_errors(texts, reporting, dictionary.words,
                                                                          pair.target_lang):
            source_span = sources.get(first + index)
            if source_span is None or not SOURCE_SPEAKER[pair.source_lang].match(pair.source, *source_span):
                continue
            start = sentences[first + index].start
            yield Finding(target_span=(start + a, start + b), source_span=source_span,
                          message=f"\"{pair.target[start + a:start + b]}\" speaks here, but the sentence before "
                                  f"names \"{antecedent}\": \"{pronoun}\"",
                          suggestion=pronoun, confidence=0.6)


# English "it" stands for any thing; German takes the gender of the noun it stands for ("the Sun … It
# is not massive enough": "Die Sonne … Sie ist nicht massiv genug").  Machine translation renders
# "it" as "es" whatever the noun.  A subject "es" is flagged when every noun before it, in its
# sentence and the one before, is masculine or feminine by Ding (or its compound's head): no neuter
# noun it could stand for.  Not an expletive "es": not before "gibt" or a plural verb ("es sind"),
# nor with a clause or zu-infinitive that it anticipates ("Es ist wichtig, dass …", "Es dauerte
# Jahre, das zu sehen").  Only where the English source has "it".
SUBJECT_ES = {"de": "es"}
SOURCE_IT = {"en": re.compile(r"\bit\b", re.IGNORECASE)}
EXPLETIVE_VERB_LEMMAS = {"de": frozenset({"geben"})}  # "es gibt": there is
_ANTICIPATED_CLAUSE = {"de": frozenset({"dass", "ob", "wenn", "wie", "als", "bis"})}
_BEFORE_SUBJECT = frozenset(",;:–—-(")


def _noun_gender(noun: str, words) -> str | None:
    gender = words.genders.get(noun)
    if gender is None:
        head = compound_head(noun, words.genders)
        gender = words.genders.get(head) if head else None
    return gender


def pronoun_gender_errors(tokens, previous, words, lang: str = "de"):
    """(token, the nearest noun, its gender letters) for each subject "es" of ``tokens`` (a tagged
    sentence) that no neuter noun before it, there or in ``previous`` (the sentence before, tagged),
    could stand for."""
    if lang not in SUBJECT_ES or not tokens:
        return
    for k, token in enumerate(tokens):
        if token.text.lower() != SUBJECT_ES[lang] or token.tag != "PPER" or k + 1 >= len(tokens):
            continue
        verb = tokens[k + 1]
        opens = k == 0 or tokens[k - 1].text in _BEFORE_SUBJECT or tokens[k - 1].tag in ("KON", "KOUS")
        if not opens or not _FINITE.fullmatch(verb.tag):
            continue  # only "es" as a clause's subject before its verb
        if verb.lemma in EXPLETIVE_VERB_LEMMAS[lang] or _PLURAL_VERB_ENDING.search(verb.text) or verb.text == "sind":
            continue
        rest = tokens[k + 2:]
        if any(t.tag == "VV(IZU)" or t.tag == "PTKZU" for t in rest) or any(
                t.text.lower() in _ANTICIPATED_CLAUSE[lang] and rest[i - 1].text == "," for i, t in enumerate(rest) if i):
            continue  # "Es ist wichtig, dass …": the clause is the subject
        nouns = [(t.text, _noun_gender(t.text, words)) for t in list(previous or []) + tokens[:k] if t.tag == "NN"]
        known = [(noun, gender) for noun, gender in nouns if gender]
        if not known or any("n" in gender for _, gender in known):
            continue
        yield token, known[-1][0], known[-1][1]


@register("pronoun-gender", "fluency/grammar", "minor",
          "A subject \"es\" for English \"it\" where every noun it could stand for is masculine or feminine "
          "(\"Die Sonne … Es ist nicht massiv genug\": \"Sie\"); needs HanTa and Ding.",
          languages=["de"], requires=[DING])
def pronoun_gender(pair: DocumentPair):
    from ..resources.tagging import tag_german

    dictionary = _german_lexicon(pair)
    if dictionary is None or pair.source_lang not in SOURCE_IT:
        return
    sources = pair.sentence_sources()
    previous = None
    for index, sentence in enumerate(pair.target_sentences):
        tokens = tag_german(pair.target, sentence.start, sentence.end)
        source_span = sources.get(index)
        if tokens and source_span and SOURCE_IT[pair.source_lang].search(pair.source, *source_span):
            for token, noun, gender in pronoun_gender_errors(tokens, previous, dictionary.words, pair.target_lang):
                pronoun = {"f": "sie", "m": "er"}.get(gender)
                suggestion = (pronoun.capitalize() if token.text[:1].isupper() else pronoun) if pronoun else None
                yield Finding(target_span=(token.start, token.end), source_span=source_span,
                              message=f"\"{token.text}\" has no neuter noun to stand for; the nearest noun is "
                                      f"\"{noun}\"" + (f", which takes \"{pronoun}\"" if pronoun else ""),
                              suggestion=suggestion, confidence=0.5)
        previous = tokens
