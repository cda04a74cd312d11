"""Case errors a dictionary shows: German nouns in lower case, other words capitalised mid-sentence.

The dictionary is Debian's ``hunspell-de-de`` (igerman98), read with spylls
(hunspell in pure Python). A word is checked *as written* (hunspell's own
check would also accept a capitalised "Schnell" at a sentence start), and
flagged only when the dictionary knows the other case form and not this one.
Precision comes first, so the check stays silent where German allows or
requires a capital for reasons a dictionary cannot see:

* the first word of a sentence, a line, a quotation, a bracket, or after a
  colon, dash or sentence mark;
* words inside short quotations (titles, names: at most ``_SHORT_QUOTE``
  words);
* words found verbatim in the source (names carried over);
* the commonest words (pronouns, articles: wordfreq zipf >= 5), whose
  capitals have grammatical uses ("Sie", "Ihre");
* a capitalised non-noun followed by a lower-case word or punctuation, which is
  how nominalisations read ("im Allgemeinen", "das Neue"): not flagged;
* a capitalised adjective before a capitalised word is part of a name
  ("Weißes Haus") unless the document itself writes the same adjective in
  lower case elsewhere and never repeats the capitalised phrase.

When the dictionary is absent the check is skipped and the report's warnings
say so once.
"""
from __future__ import annotations

import functools
import re

from ..resources.frequency import zipf
from ..resources.hunspell import dictionary_data, dictionary_path, known_as_written, lookuper
from ..resources.store import persistent
from ..resources.requirements import HUNSPELL_DE
from .base import DocumentPair, Finding, register

_SHORT_QUOTE = 5        # quotations of at most this many words are titles or names, not sentences
_FUNCTION_ZIPF = 5.0    # wordfreq zipf of the commonest (function) words
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_OPENERS = set("„“”\"«»‚‘'(:[–—-•*/")  # a capital after these may start a sentence, quote or list item
_SENTENCE_MARKS = set(".!?…")
_QUOTE = re.compile(r"[„“«»\"]([^„“”«»\"\n]{1,200})[“”»«\"]")
_INFLECTION = re.compile(r"(?:en|em|er|es|e)$")  # German adjective endings, to compare inflected forms


@persistent("hunspell-noun", 1, dictionary_data)
def _known_noun(base: str, noun: str) -> bool:
    """Whether the dictionary has ``noun`` (capitalised) as a noun.

    A dictionary entry counts as it is. A compound the dictionary only builds
    (hunspell accepts "Hochdrehen" from hoch + drehen) counts only when its
    last part is a noun the dictionary knows in capitals alone ("...minister").
    """
    lookup = lookuper(base)
    if any(lookup.good_forms(noun, capitalization=False, compound_forms=False)):
        return True
    if not known_as_written(base, noun):
        return False
    for cut in range(3, len(noun) - 3):
        modifier, head = noun[:cut], noun[cut].upper() + noun[cut + 1:]
        if (any(lookup.good_forms(head, capitalization=False, compound_forms=False))
                and not known_as_written(base, head.lower())
                and any(known_as_written(base, m) for m in _modifier_forms(modifier))):
            return True
    return False


def _a_listed_verb(word: str, lang: str) -> bool:
    """Ding (when installed) lists the word as a verb, or as a verb's zu-infinitive ("wiederzugewinnen"):
    hunspell misses verbs whose infinitive it only knows as a noun ("Decodieren", "Häuten").  The price:
    an infinitive used as a noun and written in lower case ("beim decodieren") is not reported."""
    if lang != "de":
        return False
    from ..resources import lexicon

    dictionary = lexicon.load("en", "de")
    if dictionary is None:
        return False
    verbs = dictionary.words.verbs
    return word in verbs or any(word[:i] + word[i + 2:] in verbs for i in range(2, len(word) - 4) if word[i:i + 2] == "zu")


def _modifier_forms(modifier: str):
    """A compound's first part as a word: itself, without a linking -s/-es/-n/-en, in either case."""
    for form in (modifier, re.sub(r"(?:es|en|s|n)$", "", modifier)):
        if len(form) >= 3:
            yield form
            yield form.lower()


def _starts_unit(text: str, start: int, sentence_start: int) -> bool:
    """Whether the word at ``start`` may be capitalised by position alone."""
    before = text[sentence_start:start].rstrip(" \t")
    if not before.strip() or before.endswith("\n"):
        return True
    last = before[-1]
    return last in _OPENERS or last in _SENTENCE_MARKS


def _short_quotes(text: str) -> list[tuple[int, int]]:
    return [(m.start(1), m.end(1)) for m in _QUOTE.finditer(text) if len(_WORD.findall(m.group(1))) <= _SHORT_QUOTE]


def _stem(word: str) -> str:
    return _INFLECTION.sub("", word.lower())


def _same_noun(a: str, b: str) -> bool:
    """Inflected forms of one noun ("Truppen", "Truppe"): one starts with the other, 4+ letters shared."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short[:max(4, len(short) - 1)])


def case_findings(text: str, sentences, lang: str, source_text: str = "", sentence_sources=None):
    """Findings for one text; ``sentences`` are segment.Sentence objects of ``text``."""

    base = dictionary_path(lang)
    if base is None:
        return
    known = functools.partial(known_as_written, base)
    source_words = set(_WORD.findall(source_text))
    quotes = _short_quotes(text)
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
    # Document evidence for the capitalised-adjective rule: the nouns each lower-case adjective stem precedes,
    # and how often each capitalised phrase occurs.
    lower_before: dict[str, set[str]] = {}
    phrases: dict[tuple[str, str], int] = {}
    for (w, _, _), (nxt, _, _) in zip(words, words[1:]):
        phrases[(w, nxt)] = phrases.get((w, nxt), 0) + 1
        if w[0].islower() and nxt[0].isupper():
            lower_before.setdefault(_stem(w), set()).add(nxt)
    sentence_sources = sentence_sources or {}
    for index, sentence in enumerate(sentences):
        tokens = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text, sentence.start, sentence.end)]
        for position, (word, start, end) in enumerate(tokens):
            if len(word) < 3 or "-" in word or not word[1:].islower() or word in source_words:
                continue  # short words, hyphenated compounds, acronyms and mixed case, names from the source
            if _starts_unit(text, start, sentence.start) or any(a <= start < b for a, b in quotes):
                continue
            if zipf(word.lower(), lang) >= _FUNCTION_ZIPF:
                continue
            source_span = sentence_sources.get(index)
            if word[0].islower():
                noun = word[0].upper() + word[1:]
                if not known(word) and _known_noun(base, noun) and not _a_listed_verb(word, lang):
                    yield Finding(target_span=(start, end), source_span=source_span,
                                  message=f"noun in lower case: the dictionary knows only \"{noun}\"",
                                  suggestion=noun, confidence=0.8)
                continue
            lower = word.lower()
            if known(word) or not known(lower):
                continue
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            between = text[end:following[1]] if following else ""
            if not following or not following[0][0].isupper() or between.strip():
                continue  # a nominalisation ("das Neue ist"), or the word ends a clause
            if phrases.get((word, following[0]), 0) > 1 or not any(
                    _same_noun(following[0], noun) for noun in lower_before.get(_stem(word), ())):
                continue  # a name's capital ("Weißes Haus"): the document never writes the phrase in lower case
            yield Finding(target_span=(start, end), source_span=source_span,
                          message=f"capitalised mid-sentence: the dictionary knows only \"{lower}\" "
                                  f"(not a noun), and the document writes it in lower case before \"{following[0]}\" elsewhere",
                          suggestion=lower, confidence=0.7)


@register("case-error", "fluency/spelling", "minor",
          "German capitalisation a dictionary contradicts: a noun in lower case (\"das haus\") or an adjective "
          "capitalised mid-sentence (\"die Italienische Küche\"); needs Debian's hunspell-de-de.",
          languages=["de"], requires=[HUNSPELL_DE])
def case_error(pair: DocumentPair):
    lang = pair.target_lang
    sources = {}
    for link in pair.links:
        for index in link.target:
            sources[index] = pair.source_span(link.source)
    yield from case_findings(pair.target, pair.target_sentences, lang, pair.source, sources)
