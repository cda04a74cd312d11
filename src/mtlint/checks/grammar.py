"""Grammar a rule can see without a parser: the case a preposition governs.

German prepositions of the genitive ("einschließlich", "aufgrund", "innerhalb") take
"des"/"der" (or, colloquially, a dative); an article that can only be nominative or
accusative ("die", "das") right after one is a case error machine translation makes when
it carries a source phrase over word by word ("einschließlich die Kosten" for
"including the costs").  "den" is left alone: as a dative plural it is accepted
after "wegen" and "trotz".

The prepositions are a closed class of the grammar, listed per language like the
negation words of :mod:`mtlint.checks.negation`; the rates on human and machine German
are measured by ``bench/grammar_rules.py`` (docs/benchmarks.md).
"""
from __future__ import annotations

import re

from ..check import DocumentPair, Finding, register
from .fluency import _sentence_source

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
          "(\"einschließlich die Kosten\" for \"einschließlich der Kosten\").")
def preposition_case(pair: DocumentPair):
    if pair.target_lang not in GENITIVE_PREPOSITIONS:
        return
    sources = _sentence_source(pair)
    for index, sentence in enumerate(pair.target_sentences):
        for span, preposition, gap, article in preposition_case_errors(pair.target, pair.target_lang,
                                                                         sentence.start, sentence.end):
            genitive = GENITIVE_ARTICLE[pair.target_lang][article]
            yield Finding(target_span=span, source_span=sources.get(index),
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
          "\"Frankreichs Regierung\" or \"die Regierung Frankreichs\").")
def genitive_name_article(pair: DocumentPair):
    if pair.target_lang != "de":
        return
    from .. import lexicon

    dictionary = lexicon.load(pair.source_lang, "de") or lexicon.load("en", "de")
    if dictionary is None or not dictionary.places:
        return
    sources = _sentence_source(pair)
    for index, sentence in enumerate(pair.target_sentences):
        for span, article, genitive, noun in genitive_name_errors(pair.target, dictionary.places,
                                                                 sentence.start, sentence.end):
            yield Finding(target_span=span, source_span=sources.get(index),
                          message=f"an article before the genitive \"{genitive}\": German writes "
                                  f"\"{genitive} {noun}\" or \"{article} {noun} {genitive}\"",
                          suggestion=f"{genitive} {noun}", confidence=0.7)
