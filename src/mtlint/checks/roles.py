"""Roles swapped: who sends, who receives.

"Germany sent tanks to Ukraine" -> "Die Ukraine schickte Panzer nach Deutschland" keeps every
word and every name, so sentence similarity and the learned model read it as fine (for such a
swap the critical-error probability barely moves: 0.21 against 0.20, docs/benchmarks.md).  Where a role is marked by a
preposition, the swap shows: in the source one name stands bare (the subject or object) and the
other after a preposition of direction ("to Ukraine"); in the translation the bare one has
taken a rendering of that preposition ("nach Deutschland") and the other stands bare.

Names are found and matched across languages as :mod:`mtlint.checks.names` does for
``name-omission`` (verbatim, inflected, transliterated) or by the dictionary ("Deutschland").  The
prepositions are a closed class, listed per language pair below; rates on human translations are
measured by ``bench/eval/roles.py`` (docs/benchmarks.md).
"""
from __future__ import annotations

import re

from ..resources.frequency import zipf
from ..resources.function_words import PREPOSITIONS
from ..resources.names import counterpart, forms as name_forms, plain
from .base import DocumentPair, Finding, register

# Source prepositions of direction and the target prepositions that render them.
DIRECTION_RENDERINGS = {
    ("en", "de"): {"to": {"nach", "zu", "zum", "zur", "an", "in", "ins"},
                   "from": {"von", "vom", "aus", "ab"},
                   "into": {"in", "ins", "nach"},
                   "against": {"gegen", "wider"},
                   "towards": {"nach", "zu", "gegen", "gegenüber"},
                   "toward": {"nach", "zu", "gegen", "gegenüber"}},
}
# Words that may stand between a preposition and its name ("to the United States", "nach dem Iran").
_ARTICLES = {"en": {"the"}, "de": {"der", "die", "das", "den", "dem", "des"}}
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _word_before(tokens: list[re.Match], index: int, lang: str) -> int | None:
    """Index of the word before token ``index``, past an article ("to the", "nach dem")."""
    k = index - 1
    if k >= 0 and tokens[k].group(0).lower() in _ARTICLES.get(lang, ()):
        k -= 1
    return k if k >= 0 else None


def _preposition_before(tokens: list[re.Match], index: int, lang: str) -> str | None:
    """The lower-cased word before token ``index``, past an article."""
    k = _word_before(tokens, index, lang)
    return tokens[k].group(0).lower() if k is not None else None


COMMON_CAPITAL_ZIPF = 5.0  # a sentence's first word this common in lower case ("The", "Thousands") names nothing


def _source_entities(text: str, tokens: list[re.Match], lang: str) -> list[tuple[int, int, list[str]]]:
    """Runs of capitalised tokens (first index, last index, words): "South Africa", "Germany"."""

    runs, current = [], []
    for i, token in enumerate(tokens):
        word = token.group(0)
        sentence_initial = i == 0 or re.search(r"[.!?:]\W*$", text[tokens[i - 1].end():token.start()])
        capital = word[:1].isupper() and not (sentence_initial and zipf(word.lower(), lang) >= COMMON_CAPITAL_ZIPF)
        if capital and (not current or text[tokens[i - 1].end():token.start()] == " "):
            current.append(i)
            continue
        if current:
            runs.append(current)
        current = [i] if capital else []
    if current:
        runs.append(current)
    return [(run[0], run[-1], [tokens[i].group(0) for i in run]) for run in runs]


def _target_position(words: list[str], tokens: list[re.Match], lang: str, ding) -> int | None:
    """Index of the one capitalised target token that renders the name (None: none or several):
    as name-omission matches names, or as the dictionary renders it ("Germany" = "Deutschland")."""

    forms = [f for w in words for f in name_forms(w, lang)]
    renderings = set()
    if ding is not None:
        for phrase in {" ".join(words), *words}:
            renderings |= {plain(r) for r in ding.renderings(phrase) if r[:1].isupper() and " " not in r}
    hits = [i for i, t in enumerate(tokens) if t.group(0)[:1].isupper()
            and (any(counterpart(form, plain(t.group(0)), [t.group(0)]) for form in forms)
                 or any(plain(t.group(0)).startswith(r) and len(t.group(0)) <= len(r) + 2 for r in renderings))]
    return hits[0] if len(hits) == 1 else None


@register("role-swap", "accuracy/mistranslation", "major",
          "Two names whose roles the translation exchanges: the source's bare name takes the rendering of the "
          "other's preposition of direction (\"Germany sent tanks to Ukraine\" -> \"Die Ukraine schickte Panzer "
          "nach Deutschland\").")
def role_swap(pair: DocumentPair):
    renderings = DIRECTION_RENDERINGS.get((pair.source_lang, pair.target_lang))
    if renderings is None:
        return
    from ..resources import lexicon

    ding = lexicon.load(pair.source_lang, pair.target_lang)
    source_prepositions = PREPOSITIONS.get(pair.source_lang, set())
    target_prepositions = PREPOSITIONS.get(pair.target_lang, set())
    for _, (s_start, s_end), (t_start, t_end) in pair.aligned():
        source_tokens = list(_TOKEN.finditer(pair.source, s_start, s_end))
        target_tokens = list(_TOKEN.finditer(pair.target, t_start, t_end))
        names = []  # (source span, the word before it in the source, target token index)
        for first, last, words in _source_entities(pair.source, source_tokens, pair.source_lang):
            start, end = source_tokens[first].start(), source_tokens[last].end()
            before = _preposition_before(source_tokens, first, pair.source_lang)
            position = _target_position(words, target_tokens, pair.source_lang, ding)
            if position is not None:
                names.append(((start, end), before, position))
        for a_span, a_before, a_pos in names:
            if a_before in source_prepositions:
                continue  # A must stand bare in the source
            for b_span, b_role, b_pos in names:
                if b_role not in renderings or b_pos == a_pos:
                    continue  # B must follow a preposition of direction
                a_target = _preposition_before(target_tokens, a_pos, pair.target_lang)
                b_target = _preposition_before(target_tokens, b_pos, pair.target_lang)
                # A is bare in the source; in the translation it has B's preposition, and B stands bare.
                if a_target in renderings[b_role] and b_target not in target_prepositions:
                    a_word = target_tokens[a_pos]
                    # From the preposition on, past an article: "nach der Ukraine", not "der Ukraine".
                    start = target_tokens[_word_before(target_tokens, a_pos, pair.target_lang)].start()
                    yield Finding(target_span=(start, a_word.end()), source_span=b_span,
                                  message=f"roles swapped? the source has \"{b_role} "
                                          f"{pair.source[b_span[0]:b_span[1]]}\", the translation "
                                          f"\"{pair.target[start:a_word.end()]}\" "
                                          f"({pair.source[a_span[0]:a_span[1]]})",
                                  confidence=0.6)
