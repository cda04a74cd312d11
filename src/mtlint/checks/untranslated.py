"""Untranslated sentences: a target sentence still in the source language."""
from __future__ import annotations

import re

from ..resources import langid
from ..resources.frequency import content_word, zipf
from ..resources.hunspell import dictionary_path, known_as_written
from ..resources.placeholders import code_spans
from ..resources.quotes import open_quotation
from ..resources.stemming import german_stem
from .base import DocumentPair, Finding, register

# langdetect is reliable on sentences; require a clear decision.
_MIN_PROBABILITY = 0.9


@register("untranslated-sentence", "accuracy/untranslated", "critical",
          "A whole target sentence left in the source language (MQM non-translation).")
def untranslated_sentence(pair: DocumentPair):
    if pair.source_lang == pair.target_lang:
        return
    by_target = {i: link for link in pair.links for i in link.target}
    names = _source_names(pair, min_length=1)
    for index, sentence in enumerate(pair.target_sentences):
        text = _CODE.sub(" ", _without_code(pair, sentence.start, sentence.end))  # markup, addresses: no language
        # The language is judged without the source's names ("The Royal Shakespeare Company"
        # inside a German sentence): a name keeps its language whatever surrounds it.
        rest = " ".join(w for w in _ANY_WORD.findall(text) if not (w[0].isupper() and _a_name(w, names)))
        lang, probability = langid.detect(rest)
        if (lang == pair.source_lang and probability >= _MIN_PROBABILITY and len(rest.split()) >= 4
                and _mostly_source_words(rest.split(), pair.source_lang, pair.target_lang)):
            link = by_target.get(index)
            if _a_title(text, pair.source_lang):
                # A work's or an organisation's title kept in its language is often the house style
                # (a book, a song, a society): for the editor to decide, not a sentence left untranslated.
                yield Finding(target_span=(sentence.start, sentence.end),
                              source_span=pair.source_span(link.source) if link else None,
                              message=f"a title in {lang}, the source language, kept as it is: translate it "
                                      f"unless the style guide keeps titles",
                              confidence=probability, severity="minor")
                continue
            yield Finding(target_span=(sentence.start, sentence.end),
                          source_span=pair.source_span(link.source) if link else None,
                          message=f"sentence is in {lang}, the source language, not {pair.target_lang}",
                          confidence=probability)


# English titles capitalise their words ("Encyclopedia of the Gilded Age and Progressive Era"):
# this share of the words of four letters or more capitalised makes a sentence a title.
TITLE_CASE_SHARE = 0.75
_TITLE_CASE_LANGS = ("en",)


def _a_title(text: str, lang: str) -> bool:
    if lang not in _TITLE_CASE_LANGS:
        return False
    long_words = [w for w in _ANY_WORD.findall(text) if len(w) >= 4 and w.isalpha()]
    return len(long_words) >= 2 and sum(w[0].isupper() for w in long_words) >= TITLE_CASE_SHARE * len(long_words)


# Tags (with their attributes), URLs and e-mail addresses inside a sentence.
_CODE = re.compile(r"<[^<>]*>|\b(?:https?|ftp)://\S+|\bwww\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _without_code(pair: DocumentPair, start: int, end: int) -> str:
    """The target text from ``start`` to ``end`` with its placeholders blanked."""
    text = list(pair.target[start:end])
    for a, b in code_spans(pair.target, start, end, pair.software_strings):
        text[a - start:b - start] = " " * (b - a)
    return "".join(text)


def _a_name(word: str, names: frozenset[str]) -> bool:
    """A name of the source, also in the German genitive ("Johnsons", "Shirleys" for Johnson, Shirley)."""
    low = word.lower()
    return low in names or (low.endswith("s") and low[:-1] in names)


def _mostly_source_words(words: list[str], source_lang: str, target_lang: str) -> bool:
    """Are more of the words commoner in the source language than in the target language?  A check
    on the language identifier, which reads short German sentences with English names as English
    ("William Johnsons Expedition ging es kaum besser als Shirleys")."""

    source = sum(zipf(w.lower(), source_lang) > zipf(w.lower(), target_lang) for w in words)
    target = sum(zipf(w.lower(), target_lang) > zipf(w.lower(), source_lang) for w in words)
    return source > target


_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
SOURCE_KNOWN = 2.5  # zipf: a word of the source language (~3 per 10 million words)
TARGET_UNKNOWN = 1.5 # zipf: (almost) never seen in the target language, so not a loanword


_ANY_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def _source_names(pair: DocumentPair, min_length: int = 4) -> frozenset[str]:
    """Words capitalised inside source sentences: names, carried over legitimately."""
    return pair.derived(_capitalised_source_words, min_length)


def _capitalised_source_words(pair: DocumentPair, min_length: int) -> frozenset[str]:
    names = set()
    for sentence in pair.source_sentences:
        for match in _ANY_WORD.finditer(pair.source, sentence.start, sentence.end):
            word = match.group(0)
            if match.start() > sentence.start and word[0].isupper():
                names |= {w.lower() for w in {word, *re.split(r"[-'’]", word)} if len(w) >= min_length}
    return frozenset(names)


@register("untranslated-word", "accuracy/untranslated", "minor",
          "A source-language word left in the translation (not a name, not a loanword the target language uses).")
def untranslated_word(pair: DocumentPair):
    if pair.source_lang == pair.target_lang:
        return

    names = _source_names(pair)
    by_target = {i: link for link in pair.links for i in link.target}
    for index, sentence in enumerate(pair.target_sentences):
        code = code_spans(pair.target, sentence.start, sentence.end, pair.software_strings)
        for match in _WORD.finditer(pair.target, sentence.start, sentence.end):
            if any(a < match.end() and match.start() < b for a, b in code):
                continue  # a placeholder's name ("%(count)d", "{count, plural, other {...}}") is code
            word = match.group(0).lower()
            if word in names:
                continue
            if zipf(word, pair.source_lang) >= SOURCE_KNOWN and zipf(word, pair.target_lang) < TARGET_UNKNOWN:
                link = by_target.get(index)
                yield Finding(target_span=(match.start(), match.end()),
                              source_span=pair.source_span(link.source) if link else None,
                              message=f"\"{match.group(0)}\" is left untranslated (a word of the source language, {pair.source_lang})",
                              confidence=0.6)


# A capitalised run of the source ("Security Council", "Bureau of Statistics"): capitalised
# words, with lower-case function words between them.
_TERM_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:[a-z]+\s+)?[A-Z][\w’'-]*)+")
# On MLQE-PE en-de train (bench/eval/untranslated_terms.py), runs with a rare word or of 5+ words were
# mostly names and titles that post-editors kept ("Mesa Verde National Park", "Proceedings of …").
COMMON_WORD_ZIPF = 4.0
MAX_TERM_WORDS = 4
_OPENING_QUOTES = "„«"
_CLOSING_QUOTES = "“»"


def _term_renderings(lexicon, words: list[str], lang: str, target_lang: str) -> tuple[str, list[str]]:
    """The longest 2-3 word tail of ``words`` that the dictionary renders (its head noun
    last, as in English: "Security Council" of "United Nations Security Council"), and its renderings."""
    from ..resources.lexicon import lemma

    for n in (3, 2):
        if len(words) < n:
            continue
        tail = words[-n:]
        if tail[0].islower():
            continue  # "of Staff": a tail starts with a word of the name
        phrases = dict.fromkeys([" ".join(tail), " ".join(tail[:-1] + [lemma(tail[-1], lang)]),
                                 " ".join(lemma(w, lang) for w in tail)])  # "Ministers of State": minister of state
        for phrase in phrases:
            found = [r for r in lexicon.renderings(phrase) if r.casefold() != phrase.casefold()
                     and " ".join(tail).casefold() not in r.casefold()]
            if found:
                # The commonest first: Ding lists special senses early ("Chief of Staff" of the
                # Chancellery = "Kanzleramtsminister" before "Stabschef").

                return " ".join(tail), sorted(found, key=lambda r: -zipf(r, target_lang))
    return "", []


@register("untranslated-term", "accuracy/untranslated", "minor",
          "A multi-word source term (an institution, an office) copied verbatim into the translation "
          "although the dictionary has a rendering for it (\"Security Council\": \"Sicherheitsrat\").")
def untranslated_term(pair: DocumentPair):
    from ..resources import lexicon

    if pair.source_lang == pair.target_lang:
        return
    if pair.source_lang != PIVOT_LANG and pair.target_lang != PIVOT_LANG:
        yield from _pivot_terms(pair)
    dictionary = lexicon.load(pair.source_lang, pair.target_lang)
    if dictionary is None:
        return
    by_target = {i: link for link in pair.links for i in link.target}
    for index, sentence in enumerate(pair.target_sentences):
        text = sentence.text(pair.target)
        stems = {german_stem(w) for w in _ANY_WORD.findall(text)}
        for found in _TERM_RUN.finditer(text):
            # The run may start with a German word ("Der Security Council" at a sentence's start).
            words = found.group(0).split()
            if words[0] + " " + words[1] not in pair.source:
                words = words[1:]
            run = " ".join(words)
            if len(words) < 2 or run not in found.group(0) or run not in pair.source:
                continue  # a copy of the source only (the run's spacing as written)
            run_start = found.start() + found.group(0).index(run)
            # Lower-case words inside must be the source language's function words ("of").
            if any(w.islower() and content_word(w, pair.source_lang) for w in words):
                continue
            # A term is made of common words ("Security Council"); a name among them
            # ("Mesa Verde National Park") or a long run (a book's title) is a proper name.
            if len(words) > MAX_TERM_WORDS or any(
                    w[0].isupper() and zipf(w.lower(), pair.source_lang) < COMMON_WORD_ZIPF for w in words):
                continue
            if _quoted(text, run_start):
                continue
            tail, renderings = _term_renderings(dictionary, words, pair.source_lang, pair.target_lang)
            # A rendering given alongside ("der Sicherheitsrat (Security Council)") is a
            # gloss of the original name, not a lapse.
            if not renderings or any(german_stem(w) in stems for r in renderings for w in _ANY_WORD.findall(r)):
                continue
            link = by_target.get(index)
            start = sentence.start + run_start
            yield Finding(target_span=(start, start + len(run)),
                          source_span=pair.source_span(link.source) if link else None,
                          message=f"\"{run}\" is left in {pair.source_lang}; the dictionary renders "
                                  f"\"{tail}\" as \"{renderings[0]}\"",
                          suggestion=renderings[0], confidence=0.6)


TITLE_WORDS = 3  # a quotation opened at most this many words before the run quotes a title


def _quoted(text: str, start: int) -> bool:
    """Is ``start`` inside a quoted title („Hair Braider“, „The Best of Hair Braider“)?  A title keeps
    its language; a quoted statement that opened further back does not make its words a title."""

    opened = open_quotation(text, 0, start)
    return opened is not None and len(text[opened + 1:start].split()) <= TITLE_WORDS


# Machine translation between two other languages often runs through English, and English terms
# surface in the result: a French source's "Conseil de sécurité" as "Security Council" in
# German.  Such a run is English by its words (all common in English, more common there than in the
# target language, at least half unknown to the target language's hunspell dictionary: "Security",
# "Council"; "News" and "Service" are German loanwords), absent from the source, and has an
# English-German dictionary rendering.
PIVOT_LANG = "en"


def _pivot_terms(pair: DocumentPair):
    from ..resources import lexicon


    dictionary = lexicon.load(PIVOT_LANG, pair.target_lang)
    spelling = dictionary_path(pair.target_lang)
    if dictionary is None or spelling is None:
        return

    def target_word(word: str) -> bool:
        return known_as_written(spelling, word) or known_as_written(spelling, word.lower())

    def english(word: str) -> bool:
        return zipf(word.lower(), PIVOT_LANG) >= max(COMMON_WORD_ZIPF, zipf(word.lower(), pair.target_lang))

    by_target = {i: link for link in pair.links for i in link.target}
    for index, sentence in enumerate(pair.target_sentences):
        link = by_target.get(index)
        if link is None or not link.source:
            continue  # an unaligned line (boilerplate) is reported as an addition
        text = sentence.text(pair.target)
        stems = {german_stem(w) for w in _ANY_WORD.findall(text)}
        for found in _TERM_RUN.finditer(text):
            words = found.group(0).split()
            while words and not english(words[0]):
                words = words[1:]  # a German word before the run ("Der Joint ...")
            # ... and German words after it ("Security Council am Montag").
            end = next((k for k, w in enumerate(words) if not (english(w) if w[0].isupper() else
                        zipf(w, PIVOT_LANG) > zipf(w, pair.target_lang))), len(words))
            words = words[:end]
            while words and words[-1].islower():
                words = words[:-1]
            run = " ".join(words)
            if len(words) < 2 or len(words) > MAX_TERM_WORDS or run in pair.source or run not in found.group(0):
                continue  # (the last: words split by more than one space; the span would not be the run)
            capitalised = [w for w in words if w[0].isupper()]
            if (any(w.islower() and content_word(w, PIVOT_LANG) for w in words)
                    or not all(english(w) for w in capitalised)
                    or 2 * sum(not target_word(w) for w in capitalised) < len(capitalised)):
                continue
            run_start = found.start() + found.group(0).index(run)
            if _quoted(text, run_start):
                continue
            tail, renderings = _term_renderings(dictionary, words, PIVOT_LANG, pair.target_lang)
            if not renderings or any(german_stem(w) in stems for r in renderings for w in _ANY_WORD.findall(r)):
                continue
            start = sentence.start + run_start
            yield Finding(target_span=(start, start + len(run)), source_span=pair.source_span(link.source),
                          message=f"\"{run}\" is English, not in the {pair.source_lang} source (a translation "
                                  f"through English?); the dictionary renders \"{tail}\" as \"{renderings[0]}\"",
                          suggestion=renderings[0], confidence=0.5)
