"""Negation lost: the source denies something, the translation asserts it.

"The minister did not approve the plan" -> "Der Minister genehmigte den Plan"
reverses the meaning while keeping every content word, so sentence
similarity barely moves (e5-small cosine 0.70 for that pair) and the learned
model, trained on data where such errors are rare, reads it as fine.  Negation
is a closed word class in every language, so it is compared directly: an
aligned pair whose source holds a negation (not, never, no one, without; ne
... pas; не) and whose translation holds none at all (nicht, kein, nie,
niemand, ohne, nor a word negated by its form: "unmöglich", "mühelos") is
reported.

Only the complete loss is reported.  A sentence with two negations rendered
with one is often right ("neither ... nor" = "weder ... noch", "no longer" =
"nicht mehr" count the same; "not without" = "mit"), and a negation the
translation adds has a lexical counterpart in the source far too often
("failed to", "refused", "lack") to be told from an error.  Rates on clean
human translations, per pair, are measured by ``bench/negation.py``
(docs/benchmarks.md).

The tables below hold each language's negation words: closed classes, like
the function words of a grammar, not a list of phrases.  A phrase that reads
as negation but says something else ("not only", "no later than", "ne ...
que" = only) is listed with its language as polarity-neutral.
"""
from __future__ import annotations

import re

from ..check import DocumentPair, Finding, register

# Negation words per language (lower case, whole words).
NEGATION_WORDS = {
    "en": {"not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "nowhere", "without",
           "cannot", "noone"},
    "de": {"nicht", "nichts", "kein", "keine", "keinen", "keinem", "keiner", "keines", "keinerlei", "nie",
           "niemals", "niemand", "niemanden", "niemandem", "nirgends", "nirgendwo", "ohne", "weder",
           "nein", "keineswegs", "nimmer"},
    # French negates with the clitic "ne"/"n'" (matched apart, see _FRENCH_NE); "pas", "plus",
    # "jamais", "personne" only complete it, and alone mean "step", "more", "ever", "person".
    "fr": {"ne", "sans", "ni", "non", "aucun", "aucune", "aucuns", "aucunes", "nullement"},
    "es": {"no", "nunca", "jamás", "nada", "nadie", "ningún", "ninguno", "ninguna", "ni", "sin", "tampoco"},
    "it": {"non", "mai", "niente", "nulla", "nessuno", "nessuna", "nessun", "né", "senza"},
    "uk": {"не", "ні", "ніколи", "нічого", "ніхто", "ніде", "ніщо", "жоден", "жодна", "жодне", "жодні",
           "жодного", "жодної", "жодних", "жодним", "без", "немає", "нема", "ані"},
    "ru": {"не", "нет", "ни", "никогда", "ничего", "ничто", "никто", "нигде", "никакой", "никакая",
           "никакие", "никакого", "без", "нельзя"},
}
# English contractions carry the negation inside the word ("didn't", "won't").
_CONTRACTION = re.compile(r"\w+n[’']t\b", re.IGNORECASE)
# Phrases with a negation word that do not negate (lower case, matched as whole words).
POLARITY_NEUTRAL = {
    "en": ("not only", "not just", "not least", "no doubt", "no matter", "no later than", "no more than",
           "no less than", "no fewer than", "nothing but", "not until", "none other than", "not to mention",
           "or not", "no sooner", "no one else but"),
    "de": ("nicht nur", "nicht zuletzt", "nicht erst", "oder nicht"),
    "fr": ("non seulement", "sans doute", "il va sans dire", "ne serait-ce", "n'importe", "n’importe"),
    "es": ("no solo", "no sólo", "sin embargo"),
    "it": ("non solo", "senza dubbio"),
    "uk": ("не лише", "не тільки", "не тiльки"),
    "ru": ("не только", "без сомнения"),
}
# Words that carry a negation in their form ("unmöglich", "mühelos"), per language:
# a prefix or suffix around a word of the language (wordfreq).
# Not "in-"/"im-": "information", "important", "increase" are no negations.
NEGATING_AFFIXES = {"de": (("un",), ("los", "lose", "losen", "loser", "loses", "losem", "frei", "freie", "freien")),
                    "en": (("un", "non"), ("less",))}
MIN_STEM_ZIPF = 2.5  # the rest of an affixed word must be a word of the language ("möglich", not "ternehmen")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
NEXT_WORDS = 3  # the negated word: the first content word this close after the negation
# Severity per language pair, from the share of clean human translations flagged (bench/negation.py):
# English-German 0.09% of MLQE-PE train post-edits, 0 of 1,000 dev post-edits, 0 of 210 TED
# references: major.  French-German 2.9% of the Bleualign yearbook's 1-1 links (7 of 37 negated
# sentences rendered by a paraphrase: "n'ont pas dépassé 7000 m" = "nur bis 7000 m"), German-French
# 1.6%: minor ("look here"), as is every pair nothing here measured.
MAJOR_PAIRS = {("en", "de")}


def _is_number_abbreviation(text: str, start: int, end: int) -> bool:
    """English "No. 8", "No 8" and a capitalised "No ." (number), not "no" ("He said no.")."""
    return bool(re.match(r"\.?\s*\d", text[end:end + 4])
                or (text[start] == "N" and re.match(r"\s*\.", text[end:end + 3])))


_FRENCH_NE = re.compile(r"(?<!\w)n['’](?=\s*\w)", re.IGNORECASE)
# Words completing a French negation; "ne ... plus que" (now only) is restrictive like "ne ... que".
_FRENCH_COMPLETIONS = {"pas", "jamais", "rien", "personne", "aucun", "aucune", "guère", "nullement", "point"}
# Expletive "ne" (no negation): "avant qu'il ne parte", "à moins que ... ne", "de peur que ... ne".
# Conjunctions ending in "que" ("parce qu'il") are no "ne ... que" (only).
_FRENCH_CONJUNCTION_HEADS = {"parce", "alors", "depuis", "bien", "pendant", "tandis", "afin", "pour", "avant",
                             "après", "sans", "dès", "ainsi", "sorte", "ce", "lors", "puisque", "tant"}
_FRENCH_EXPLETIVE = re.compile(r"(?:avant|moins|peur|crainte)\s+qu(?:e\s|['’])\s*(?:[\w'’-]+\s+){0,3}?(?=ne\s|n['’])")


def negations(text: str, lang: str, neutral_phrases: bool = True) -> list[tuple[int, int]]:
    """Spans of the negation words of ``text``; with ``neutral_phrases``, not those
    in polarity-neutral phrases ("not only")."""
    words = NEGATION_WORDS.get(lang)
    if words is None:
        return []
    # Matched in the text itself, case-insensitively: lower-casing can change lengths ("İ").
    neutral = [(m.start(), m.end()) for phrase in (POLARITY_NEUTRAL.get(lang, ()) if neutral_phrases else ())
               for m in re.finditer(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text, re.IGNORECASE)]
    found = [m.span() for m in _FRENCH_NE.finditer(text)] if lang == "fr" else []
    if lang == "fr" and neutral_phrases:
        # "ne ... que" (only): "ne"/"n'" followed by "que" with no word completing a negation between.
        for m in re.finditer(r"(?<!\w)(?:ne\s|n['’])\s*((?:[\w'’-]+[\s,]+){0,6}?)qu(?:e\b|['’])", text,
                             re.IGNORECASE):
            between = re.findall(r"\w+", m.group(1).lower())
            if not any(w in _FRENCH_COMPLETIONS for w in between) and not (
                    between and between[-1] in _FRENCH_CONJUNCTION_HEADS):
                neutral.append(m.span())
        neutral += [(m.end(), m.end() + 3) for m in _FRENCH_EXPLETIVE.finditer(text.lower())
                    if len(text.lower()) == len(text)]
    for m in _WORD.finditer(text):
        word = m.group(0).lower()
        hit = word in words or (lang == "en" and _CONTRACTION.fullmatch(word))
        if lang == "en" and word == "no" and _is_number_abbreviation(text, m.start(), m.end()):
            hit = False
        if lang == "fr" and word == "non" and text[m.end():m.end() + 1] == "-":
            hit = False  # "non-violent": a negated form, counted by the affix rule on the target side only
        if hit:
            found.append(m.span())
    return sorted(span for span in found if not any(a <= span[0] < b for a, b in neutral))


def has_negation(text: str, lang: str) -> bool:
    """A negation word, or a word negated by its form (target side: any negation will do)."""
    if negations(text, lang, neutral_phrases=False):  # "nicht nur" renders "not only" too
        return True
    if lang == "fr" and any(w in _FRENCH_COMPLETIONS for w in re.findall(r"\w+", text.lower())):
        return True  # "Pas question", "Rien de nouveau": negations without "ne"
    from ..frequency import zipf_frequency

    prefixes, suffixes = NEGATING_AFFIXES.get(lang, ((), ()))
    for m in _WORD.finditer(text):
        word = m.group(0).lower()
        for prefix in prefixes:
            rest = word[len(prefix):]
            if word.startswith(prefix) and len(rest) >= 4 and zipf_frequency(rest, lang) >= MIN_STEM_ZIPF:
                return True
        for suffix in suffixes:
            rest = word[:-len(suffix)]
            # With the linking "s" of a compound ("hoffnungslos": Hoffnung + s + los).
            if word.endswith(suffix) and len(rest) >= 3 and max(
                    zipf_frequency(rest, lang), zipf_frequency(rest[:-1], lang) if rest.endswith("s") else 0.0) >= MIN_STEM_ZIPF:
                return True
    return False


def lost_negations(source: str, target: str, source_lang: str, target_lang: str) -> list[tuple[int, int]]:
    """Spans of the source's negations when the target has no negation at all (else [])."""
    if target_lang not in NEGATION_WORDS:
        return []
    found = negations(source, source_lang)
    if not found:
        return []
    # A negation word copied into the target (a title, "No Mercy") is no sign of a lost one.
    target_words = {w.lower() for w in _WORD.findall(target)}
    if any(source[a:b].lower() in target_words for a, b in found):
        return []
    return [] if has_negation(target, target_lang) else found


def _negated_target_word(pair: DocumentPair, sspan, tspan, negation: tuple[int, int]) -> tuple[int, int] | None:
    """The target word the negated source word (first content word after the negation) maps
    to, by the quality-estimation model's word links; None without the model."""
    from .meaning import _content_word, estimates

    for link_sspan, link_tspan, est in estimates(pair):
        if link_sspan != sspan or not est.source_alignment:
            continue
        local = (negation[0] - sspan[0], negation[1] - sspan[0])
        following = [j for j, (a, b) in enumerate(est.source_spans) if a >= local[1]][:NEXT_WORDS]
        source = pair.source[sspan[0]:sspan[1]]
        for j in following:
            a, b = est.source_spans[j]
            if _WORD.fullmatch(source[a:b]) and _content_word(source[a:b], pair.source_lang):
                i = est.source_alignment[j]
                if i >= 0:
                    x, y = est.word_spans[i]
                    return link_tspan[0] + x, link_tspan[0] + y
                break
    return None


@register("negation-lost", "accuracy/mistranslation", "major",
          "The source negates (not, never, no one, without) and the translation holds no negation at all: "
          "the meaning is reversed.")
def negation_lost(pair: DocumentPair):
    if pair.source_lang == pair.target_lang:
        return
    for _, sspan, tspan in pair.aligned():
        source, target = pair.source[sspan[0]:sspan[1]], pair.target[tspan[0]:tspan[1]]
        lost = lost_negations(source, target, pair.source_lang, pair.target_lang)
        if not lost:
            continue
        first = (sspan[0] + lost[0][0], sspan[0] + lost[0][1])
        quoted = ", ".join(f'"{source[a:b]}"' for a, b in lost)
        word = _negated_target_word(pair, sspan, tspan, first)
        calibrated = (pair.source_lang, pair.target_lang) in MAJOR_PAIRS
        yield Finding(target_span=word or tspan, source_span=first,
                      message=f"negation lost: the source says {quoted}, the translation has no negation",
                      severity="major" if calibrated else "minor", confidence=0.9 if calibrated else 0.6)
