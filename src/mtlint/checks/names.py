"""Names: the target language's spelling of Ukrainian and Russian names, and one spelling per name.

``name-spelling`` (German targets): a Ukrainian or Russian name left in its
English transliteration ("Zelenskyy", "Volodymyr") where German writes it by
the Duden transliteration ("Selenskyj", "Wolodymyr"). With a Cyrillic source
the source names are transliterated both ways (the published Duden and
English tables below); a target name that equals an English rendering and not
the German one is flagged. With a Latin-script source (an English or French
article quoting the name) only target names with unmistakably East Slavic
English spellings (-skyy, -skyi, -enko, zh, kh, shch, ...) are read back into
Cyrillic and checked the same way. A spelling the German dictionary knows
("Kiew") is accepted either way.

``name-consistency``: one name written two ways in one document (forms that
differ only by transliteration equivalences: w/v, sch/sh, j/y/i, ...). Across
the documents of one run, :func:`inventory` and :func:`cross_document` do the
same.
"""
from __future__ import annotations

import re
from collections import Counter

from ..resources.names import (
    UK_DE,
    TABLES,
    EN_MARKS as _EN_MARKS,
    LATIN_NAME as _LATIN_NAME,
    CYRILLIC_NAME as _CYRILLIC_NAME,
    transliterate,
    nominatives,
    rendering_pairs,
    renderings,
    back_to_cyrillic,
    skeleton,
    plain as _plain,
    consonants as _consonants,
    same_stem as _same_stem,
    cyrillic as _cyrillic,
    latin as _latin,
    forms as _forms,
    counterpart as _counterpart,
)
from ..resources.frequency import zipf
from ..resources.hunspell import dictionary_path, known_as_written
from .base import DocumentPair, Finding, register


def _dictionary_knows(word: str, lang: str) -> bool:

    base = dictionary_path(lang)
    return bool(base) and known_as_written(base, word)


ESTABLISHED_ZIPF = 2.0  # wordfreq: a spelling seen this often in German text is German usage ("Chomsky")


def _accepted(word: str, lang: str) -> bool:
    """A spelling the target language uses: in its dictionary or common in its text."""

    return _dictionary_knows(word, lang) or zipf(word.lower(), lang) >= ESTABLISHED_ZIPF


def spelling_findings(pair: DocumentPair):
    if pair.target_lang != "de":
        return
    expected: dict[str, str] = {}  # English rendering in the target -> German rendering
    if pair.source_lang in TABLES:
        for match in _CYRILLIC_NAME.finditer(pair.source):
            german_forms, _ = renderings(match.group(0), pair.source_lang)
            for english, german in rendering_pairs(match.group(0), pair.source_lang).items():
                if english not in german_forms:
                    expected.setdefault(english, german)
    names = list(_LATIN_NAME.finditer(pair.target))
    flagged: set[int] = set()
    for n, match in enumerate(names):
        word = match.group(0)
        if _accepted(word, pair.target_lang):
            continue  # a spelling German uses ("Kiew", "Chomsky")
        german = expected.get(word)
        if german is None and pair.source_lang not in TABLES and _EN_MARKS.search(word):
            german = transliterate(back_to_cyrillic(word), UK_DE)
        if german and german != word:
            flagged.add(n)
            yield _spelling_finding(match, german)
    # A first name beside a flagged surname ("Volodymyr Zelenskyy"): read it back the same way.
    if pair.source_lang not in TABLES:
        for n in sorted(flagged):
            if n > 0 and n - 1 not in flagged:
                first = names[n - 1]
                between = pair.target[first.end():names[n].start()]
                german = transliterate(back_to_cyrillic(first.group(0)), UK_DE)
                if between == " " and german != first.group(0) and not _accepted(first.group(0), "de"):
                    yield _spelling_finding(first, german)


def _spelling_finding(match, german: str) -> Finding:
    return Finding(target_span=(match.start(), match.end()), source_span=None,
                   message=f"\"{match.group(0)}\" is the English transliteration; German writes \"{german}\"",
                   suggestion=german, confidence=0.7)


@register("name-spelling", "locale/name-convention", "minor",
          "A Ukrainian or Russian name in its English transliteration in a German text (\"Zelenskyy\" for "
          "\"Selenskyj\").")
def name_spelling(pair: DocumentPair):
    yield from sorted(spelling_findings(pair), key=lambda f: f.target_span)


def _name_occurrences(text: str, source_lang: str | None = None) -> dict[str, dict[str, list[list[int]]]]:
    """skeleton -> rendering -> spans, for capitalised words that are names (not dictionary words)."""
    out: dict[str, dict[str, list[list[int]]]] = {}
    for match in _LATIN_NAME.finditer(text):
        word = match.group(0)
        if len(word) < 4 or _dictionary_knows(word, "de"):
            continue
        out.setdefault(skeleton(word), {}).setdefault(word, []).append([match.start(), match.end()])
    return out


def _genitive_pair(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return long in (short + "s", short + "es")


def _variants(renderings_map: dict[str, list]) -> list[str]:
    forms = sorted(renderings_map)
    distinct = [f for f in forms if not any(_genitive_pair(f, g) and len(f) > len(g) for g in forms)]
    return distinct if len(distinct) > 1 else []


@register("name-consistency", "terminology/inconsistent", "minor",
          "One name written two ways in one document (\"Selenskyj\" and \"Zelenskyj\").")
def name_consistency(pair: DocumentPair):
    for key, forms in sorted(_name_occurrences(pair.target).items()):
        variants = _variants(forms)
        if not variants:
            continue
        # The commonest spelling is taken as the document's; the others are flagged.
        main = sorted(variants, key=lambda f: (-len(forms[f]), forms[f][0][0]))[0]
        for form in variants:
            if form == main:
                continue
            for start, end in forms[form]:
                yield Finding(target_span=(start, end), source_span=None,
                              message=f"\"{form}\" is written \"{main}\" elsewhere in this document",
                              suggestion=main, confidence=0.6)


def inventory(report: dict, source_text: str, target_text: str) -> dict:
    """A small JSON-able list of the names of one document: skeleton -> rendering -> spans."""
    return {"document": (report.get("target") or {}).get("path"),
            "names": _name_occurrences(target_text, (report.get("source") or {}).get("lang"))}


def cross_document(inventories: list[dict]) -> list[dict]:
    """Names rendered differently in different documents of one run."""
    by_key: dict[str, dict[str, set[str]]] = {}
    for entry in inventories:
        for key, forms in entry["names"].items():
            for form in forms:
                by_key.setdefault(key, {}).setdefault(form, set()).add(str(entry["document"]))
    findings = []
    for key, forms in sorted(by_key.items()):
        variants = _variants({form: sorted(docs) for form, docs in forms.items()})
        documents = {doc for form in variants for doc in forms[form]}
        if variants and len(documents) > 1:
            findings.append({"check": "name-consistency", "name": key,
                             "renderings": {form: sorted(forms[form]) for form in variants},
                             "message": "one name written " + ", ".join(f"\"{v}\"" for v in variants)
                                        + " in different documents"})
    return findings


# --- name-omission ---------------------------------------------------------------------------------------
# A proper name of a source sentence with no counterpart in its translation (German targets).
#
# Which capitalised words are names: wordfreq folds case, so a common word ("Will", "Service", "North") and a
# common name look alike there. A word is a name when it is rare in the source language, or when German
# writes the same spelling (for Cyrillic: its transliteration) about as often ("Kim", "Ukraine", "Kreml"):
# common names that German writes otherwise ("Moscow", "Russia") are exonyms, left alone. A word the
# English-German dictionary translates is vocabulary used in a title or a demonym ("Tempests", "Lady",
# "Englishmen") unless the dictionary renders it with its own spelling ("Seoul", "Pyongyang" -> "Pjöngjang").
# A capital at a sentence start says nothing unless the document capitalises the word mid-sentence too.
#
# What counts as a counterpart: the name in the aligned target sentences or their neighbours (alignment
# slop), verbatim, inflected ("Bidens"), inside a compound ("Nordkorea"), re-romanised (same skeleton or
# consonants: "Kyiv"/"Kiew"), transliterated (uk/ru), a dictionary rendering, or the target word the
# encoder puts nearest to the name by a clear margin ("Пхеньян"/"Pjöngjang", "France"/"Frankreich").
NAME_RARE_ZIPF = 4.0        # wordfreq zipf below this in the source language: a name, not a common word
NAME_SHARED_ZIPF = 3.5      # ... or at least this in the target language,
NAME_SHARED_GAP = 1.0       # and at most this much rarer there than in the source language
# Encoder (e5-small) cosine of a name and single target words, on MLQE-PE en-de dev: a true rendering scores
# 0.865-0.90 and beats the next word by 0.02-0.06; without one the best word scores 0.83-0.89, mostly within
# 0.015 of the next. At 0.90 and above a word counts whatever the margin ("Кореєю": Südkorea 0.92, Nordkorea 0.91).
NAME_COSINE = 0.86
NAME_COSINE_MARGIN = 0.02
NAME_COSINE_SURE = 0.90
_TITLE_CASE_SHARE = 0.6     # this share of capitalised words, two of them common words: a headline in title case
_TITLE_CASE_LANGS = {"en"}  # languages whose headlines capitalise every word
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+\s+")
_POSSESSIVE = re.compile(r"['’]s?$")
_OPENING = set("\"„“”«»‚‘'(:[–—-•*/.!?…")  # a capital after these starts a sentence, quotation or list item
# English plurals -> singulars, for the dictionary ("Croats" -> "Croat", "Englishmen" -> "Englishman").
_SINGULAR = [("men", "man"), ("ies", "y"), ("es", ""), ("s", "")]
# Ukrainian/Russian case endings -> nominative endings, to ask wordfreq about the nominative ("Москвою" -> "Москва").
_CASE_TO_NOMINATIVE = [("ою", "а"), ("ею", "я"), ("єю", "я"), ("ої", "а"), ("ей", "я"), ("ом", ""), ("ем", ""),
                       ("ові", ""), ("еві", ""), ("ів", ""), ("у", "а"), ("ю", "я"), ("і", "а"), ("ї", "я"),
                       ("и", "а"), ("а", ""), ("я", "ь"), ("я", "й"), ("е", "а"), ("ого", "ий")]


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and any(ch.islower() for ch in word)


def _dictionary(word: str, ding) -> list[str]:
    """Renderings of the word (or its singular) in the bilingual dictionary, notes trimmed."""
    if ding is None:
        return []
    forms = [word] + [word[:-len(plural)] + single for plural, single in _SINGULAR
                      if word.endswith(plural) and len(word) - len(plural) >= 3]
    found = [r.rstrip("…").strip() for form in forms for r in ding.renderings(form)]
    return [r for r in found if len(r) >= 3]


def _source_zipf(word: str, lang: str) -> float:

    lower = word.lower()
    forms = {lower}
    if lang in TABLES and _cyrillic(word):
        forms |= {f.lower() for f in nominatives(word)}
        forms |= {lower[:-len(case)] + nominative for case, nominative in _CASE_TO_NOMINATIVE
                  if lower.endswith(case) and len(lower) - len(case) >= 3}
    return max(zipf(form, lang) for form in forms)


def _is_name(word: str, lang: str, target_lang: str, ding) -> bool:

    if len(word) < 3:
        return False
    first = word.split("-")[0]
    if first != word and len(first) >= 3:
        # A compound is a name when its first part is: "Baden-Württemberg", "Jong-un", not "American-centred".
        return _is_name(first, lang, target_lang, ding)
    dictionary = _dictionary(word, ding)
    if dictionary and not any(_plain(r) == _plain(word) or _consonants(r) == _consonants(word) for r in dictionary):
        return False  # vocabulary the dictionary translates: a title word or a demonym
    common = _source_zipf(word, lang)
    if common < NAME_RARE_ZIPF:
        return True
    spellings = {word} if not (lang in TABLES and _cyrillic(word)) else renderings(word, lang)[0]
    shared = max(zipf(s.lower(), target_lang) for s in spellings)
    return shared >= NAME_SHARED_ZIPF and shared >= common - NAME_SHARED_GAP


def _initial(text: str, sentence_start: int, position: int) -> bool:
    before = text[sentence_start:position].rstrip()
    return not before or before[-1] in _OPENING


def _mid_sentence_capitals(pair: DocumentPair) -> frozenset[str]:
    """Words the source capitalises somewhere other than at a sentence start: its names."""
    return pair.derived(_name_capitals)


def _name_capitals(pair: DocumentPair) -> frozenset[str]:
    words = set()
    for sentence in pair.source_sentences:
        for match in _TOKEN.finditer(pair.source, sentence.start, sentence.end):
            if _capitalised(match.group(0)) and not _initial(pair.source, sentence.start, match.start()):
                word = _POSSESSIVE.sub("", match.group(0))
                # Case forms too: "із Кімом" makes a sentence-initial "Кім" a name.
                words |= nominatives(word) if pair.source_lang in TABLES and _cyrillic(word) else {word}
    return frozenset(words)


def _source_names(pair: DocumentPair, start: int, end: int, ding) -> list[tuple[tuple[int, int], list[str]]]:
    """Groups of adjacent capitalised words ("Joe Biden") holding a name: (span, all the group's names).

    The span runs from the group's first name to its end ("Olaf Scholz" in "Chancellor Olaf Scholz"). A
    sentence-initial name ("Kim" in "Kim Jong Un said") is one of its group's names but makes no group by
    itself unless the document capitalises it elsewhere too."""
    text, lang = pair.source, pair.source_lang
    tokens = list(_TOKEN.finditer(text, start, end))
    capitals = _mid_sentence_capitals(pair)
    sentence_starts = [s.start for s in pair.source_sentences if start <= s.start < end] or [start]
    groups, current, previous_end = [], [], None
    for match in tokens:
        word = _POSSESSIVE.sub("", match.group(0))
        usable = _capitalised(word) and (_cyrillic(word) if lang in TABLES else _latin(word))
        if current and (not usable or text[previous_end:match.start()] != " "):
            groups.append(current)
            current = []
        if not usable:
            continue
        sentence_start = max((s for s in sentence_starts if s <= match.start()), default=start)
        known = not _initial(text, sentence_start, match.start()) or word in capitals
        current.append((match.start(), match.start() + len(word), word, known))
        previous_end = match.end()
    if current:
        groups.append(current)
    judged = [[(s, e, w, known, _is_name(w, lang, pair.target_lang, ding)) for s, e, w, known in g] for g in groups]

    # Sentence-final marks split too: a pre-aligned pair may hold several sentences as one.
    unit_starts = sorted(set(sentence_starts) | {m.end() for m in _SENTENCE_END.finditer(text, start, end)})

    def sentence_of(position: int) -> int:
        return max((s for s in unit_starts if s <= position), default=start)

    if lang in _TITLE_CASE_LANGS:
        # A headline in title case ("North Korea Sends More Troops"): its capitals say nothing.
        # Judged per sentence: a linked headline must not hide the names of its neighbour.
        tokens_in, capitalised, common = Counter(), Counter(), Counter()
        for match in tokens:
            tokens_in[sentence_of(match.start())] += 1
        for group in judged:
            for s, _, _, known, name in group:
                capitalised[sentence_of(s)] += 1
                common[sentence_of(s)] += known and not name
        headlines = {s for s in tokens_in
                     if capitalised[s] >= _TITLE_CASE_SHARE * tokens_in[s] and common[s] >= 2}
        judged = [g for g in judged if sentence_of(g[0][0]) not in headlines]
    out = []
    for group in judged:
        names = [(s, e, w, known) for s, e, w, known, name in group if name]
        checked = [s for s, _, _, known in names if known]
        if checked:
            out.append(((checked[0], group[-1][1]), [w for _, _, w, _ in names]))
    return out


def _encoder_counterpart(pair: DocumentPair, names: list[str], region_words: list[str]) -> bool:
    """The encoder puts a capitalised target word nearest to one of the names, by a clear margin."""
    import numpy as np

    candidates = sorted({w for w in region_words if w[:1].isupper()})
    if len(candidates) < 2:
        return False
    vectors = pair.encode(names + candidates)
    if vectors is None:
        return False
    vectors = np.asarray(vectors, dtype=np.float64)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    for row in vectors[:len(names)] @ vectors[len(names):].T:
        second, best = np.sort(row)[-2:]
        if best >= NAME_COSINE_SURE or (best >= NAME_COSINE and best - second >= NAME_COSINE_MARGIN):
            return True
    return False


@register("name-omission", "accuracy/omission", "major",
          "A proper name of a source sentence with no counterpart in its translation (German targets; identical, "
          "inflected, transliterated, a dictionary rendering or the encoder's clear nearest word all count).",
          languages=["de"])
def name_omission(pair: DocumentPair):
    from wordfreq import available_languages

    if pair.target_lang != "de" or pair.source_lang == "de" or pair.source_lang not in available_languages():
        return
    from ..resources import lexicon

    ding = lexicon.load(pair.source_lang, pair.target_lang)
    for link, (s_start, s_end), (t_start, t_end) in pair.aligned():
        first, last = max(min(link.target) - 1, 0), min(max(link.target) + 1, len(pair.target_sentences) - 1)
        region_text = pair.target[pair.target_sentences[first].start:pair.target_sentences[last].end]
        region = _plain(region_text)
        region_words = [part for word in _TOKEN.findall(region_text) for part in {word, *word.split("-")}
                        if len(part) >= 2]
        reported = set()
        for (start, end), words in _source_names(pair, s_start, s_end, ding):
            name = pair.source[start:end]
            if name in reported:
                continue  # one name twice in a sentence is reported once
            forms = [form for word in words for form in _forms(word, pair.source_lang)]
            if any(_counterpart(form, region, region_words) for form in forms):
                continue
            if any(_plain(r) in region or any(_same_stem(_plain(r), _plain(w)) for w in region_words)
                   for word in words for r in _dictionary(word, ding)):
                continue  # an exonym ("Köln")
            if _encoder_counterpart(pair, words + [" ".join(words)] * (len(words) > 1), region_words):
                continue
            reported.add(name)
            yield Finding(target_span=(t_start, t_end), source_span=(start, end),
                          message=f"the name \"{name}\" has no counterpart in the translation", confidence=0.6)
