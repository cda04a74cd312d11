"""Numbers: every number in a source sentence accounted for in its translation.

Numbers are compared by value, read with each language's conventions
(English 12,000.5; German 12.000,5; French 12 000,5), so a correctly
localised number matches and a changed one does not. Spelled-out numbers
(num2words) count as present.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..check import DocumentPair, Finding, register

# Languages writing "12,000.5"; the others (most of Europe) write "12.000,5"
# or "12 000,5".
_DOT_DECIMAL = {"en", "zh", "ja", "ko", "he", "th", "hi", "ta", "te", "ml", "kn", "gu", "mr",
                "bn", "pa", "ur", "ga", "cy", "mt", "sw", "tl", "ms"}
_SPACES = " \u00a0\u202f\u2009"
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:(?P<sep>[.,\u00a0\u202f\u2009 ])\d{3}(?![\d]))(?:(?P=sep)\d{3}(?!\d))*"
                     r"(?:[.,]\d+)?(?![\w])|(?<![\w.,])\d+(?:[.,]\d+)?(?!\w)")


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    text: str
    readings: tuple[tuple[float, bool], ...]  # (value, written in the other convention)


def _readings(token: str, lang: str) -> tuple[tuple[float, bool], ...]:
    """Every plausible value of ``token`` in ``lang``, the native reading first.

    "12,000" in German is 12 (native decimal comma) or 12000 (English grouping);
    keeping both lets a source 12,000 match it, flagged as a format slip.
    """
    group, decimal = (",", ".") if lang in _DOT_DECIMAL else (".", ",")
    readings = []
    match = re.fullmatch(r"(\d{1,3})((?:[.,\u00a0\u202f\u2009 ]\d{3})+)([.,]\d+)?", token)
    if match:
        separator = match.group(2)[0]
        whole = match.group(1) + re.sub(r"\D", "", match.group(2))
        fraction = match.group(3)[1:] if match.group(3) else ""
        grouped = float(f"{whole}.{fraction}" if fraction else whole)
        if separator == decimal and len(match.group(2)) == 4 and not match.group(3):
            readings.append((float(token.replace(",", ".")), False))  # "12,000" read as a decimal
        readings.append((grouped, separator != group and separator not in _SPACES))
    else:
        readings.append((float(token.replace(",", ".")), False))
    return tuple(readings)


def numbers(text: str, start: int, end: int, lang: str) -> list[Number]:
    found = []
    for match in _NUMBER.finditer(text, start, end):
        token = match.group(0)
        if token[-1] in _SPACES:
            continue
        found.append(Number(match.start(), match.end(), token, _readings(token, lang)))
    return found


@dataclass(frozen=True)
class NumberMatch:
    link_index: int
    source: list[Number]
    target: list[Number]
    pairs: list[tuple[Number, Number, bool]]  # (source, target, target read in the foreign convention)
    missing: list[Number]                     # source numbers with no target match
    extra: list[Number]                       # target numbers with no source match


def match_numbers(pair: DocumentPair) -> list[NumberMatch]:
    """Match numbers by value within each aligned link (cached on the pair)."""
    if "numbers" in pair.cache:
        return pair.cache["numbers"]
    result = []
    for index, (link, sspan, tspan) in enumerate(pair.aligned()):
        source = numbers(pair.source, *sspan, pair.source_lang)
        target = numbers(pair.target, *tspan, pair.target_lang)
        free = list(target)
        pairs, missing = [], []
        for number in source:
            values = {value for value, _ in number.readings}
            hit = next(((t, foreign) for t in free for value, foreign in t.readings if value in values), None)
            if hit:
                free.remove(hit[0])
                pairs.append((number, hit[0], hit[1]))
            else:
                missing.append(number)
        result.append(NumberMatch(index, source, target, pairs, missing, free))
    pair.cache["numbers"] = result
    return result


def _spelled(value: float, lang: str) -> list[str]:
    if value != int(value) or not 0 <= value <= 100:
        return []
    try:
        from num2words import num2words

        return [num2words(int(value), lang=lang), num2words(int(value), lang=lang, to="ordinal")]
    except (NotImplementedError, ImportError, OverflowError, ValueError):
        return []


def _format(value: float, lang: str) -> str:
    text = f"{value:,.0f}" if value == int(value) else f"{value:,}"
    if lang in _DOT_DECIMAL:
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", "." if lang != "fr" else "\u202f")


@register("number-mismatch", "accuracy/mistranslation", "major",
          "A number in the source missing or changed in the translation (compared by value, locale-aware).")
def number_mismatch(pair: DocumentPair):
    aligned = list(pair.aligned())
    for match in match_numbers(pair):
        if not match.missing:
            continue
        tspan = aligned[match.link_index][2]
        target_text = pair.target[tspan[0]:tspan[1]].casefold()
        missing = [n for n in match.missing
                   if not any(re.search(rf"\b{re.escape(w.casefold())}\b", target_text)
                              for value, _ in n.readings[-1:] for w in _spelled(value, pair.target_lang))]
        for position, number in enumerate(missing):
            value = number.readings[-1][0]
            expected = _format(value, pair.target_lang)
            source = (number.start, number.end)
            if len(missing) == len(match.extra):
                # As many changed as extra numbers: the k-th missing one became the k-th extra one.
                wrong = match.extra[position]
                yield Finding(target_span=(wrong.start, wrong.end), source_span=source,
                              message=f"number changed: source has {number.text}, translation has {wrong.text}",
                              suggestion=expected, confidence=0.9)
            else:
                yield Finding(target_span=tspan, source_span=source, category="accuracy/omission",
                              message=f"number {number.text} from the source is missing in the translation",
                              suggestion=expected, confidence=0.8)


@register("number-format", "locale/number-format", "minor",
          "A number written with the other convention's separators (12,000 for 12.000 in German).")
def number_format(pair: DocumentPair):
    for match in match_numbers(pair):
        for source, target, foreign in match.pairs:
            if foreign:
                yield Finding(target_span=(target.start, target.end), source_span=(source.start, source.end),
                              message=f"number {target.text} uses the digit grouping of another language",
                              suggestion=_format(target.readings[-1][0], pair.target_lang))
