"""Numbers: every number in a source sentence accounted for in its translation.

Numbers are compared by value, read with each language's conventions
(English 12,000.5; German 12.000,5; French 12 000,5), so a correctly
localised number matches and a changed one does not. Spelled-out numbers
(num2words) count as present. Tokenised text ("20 , 000") is read as written
untokenised, and a date written in digits ("1/1/08") counts as present when
the translation gives it with a month name ("1. Januar 2008").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import cldr
from ..resources.numerals import DOT_DECIMAL, plain_digits
from .base import DocumentPair, Finding, register

_SPACES = " \u00a0\u202f\u2009"
# A number may be glued to the unit after it ("1,024MB", "50ms"), not to a digit or a word before it.
# Indian grouping (12,34,567: lakh and crore) is read whole.
_NUMBER = re.compile(r"(?<![\w.,])\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?(?![\d_])"
                     r"|(?<![\w.,])\d{1,3}(?:(?P<sep>[.,\u00a0\u202f\u2009 ])\d{3}(?![\d]))(?:(?P=sep)\d{3}(?!\d))*"
                     r"(?:[.,]\d+)?(?![\d_])|(?<![\w.,])\d+(?:[.,]\d+)?(?![\d_])")
_INDIAN = re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?")


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
    group, decimal = (",", ".") if lang in DOT_DECIMAL else (".", ",")
    if _INDIAN.fullmatch(token):
        return ((float(token.replace(",", "")), False),)
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


# Tokenised text (Moses-style MT output, WMT data: "20 , 000 Menschen", "40 , 6 C") splits
# numbers at their separators; in such text a separator between spaced digits joins them.
_TOKENISED_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?: [.,] \d{3}(?!\d))+(?: [.,] \d+)?(?![\w])|(?<![\w.,])\d+ [.,] \d+(?!\w)")


def _tokenised(text: str) -> bool:
    """Punctuation set off by spaces on both sides, and never attached to a word."""
    return bool(re.search(r"\w [,;:] ", text)) and not re.search(r"\w[,;:] ", text)


def numbers(text: str, start: int, end: int, lang: str) -> list[Number]:
    """The numbers in ``text[start:end]``, with offsets into ``text``."""
    found = []
    # Only the span and the one character _NUMBER's look-behind reads are converted: converting
    # the whole document for each sentence made a long document quadratic.
    origin = max(0, start - 1)
    plain = plain_digits(text[origin:end], lang)
    for match in _NUMBER.finditer(plain, start - origin, end - origin):
        token = match.group(0)
        if token[-1] in _SPACES:
            continue
        a, b = origin + match.start(), origin + match.end()
        found.append(Number(a, b, text[a:b], _readings(token, lang)))
    if found and any(mark in text[start:end] for mark in _CODE_MARKS):
        # Digits inside inline markup and placeholders (<g id="1">, {0}, %1$s) are code, not
        # numbers of the text: the placeholder check compares those.
        from ..resources.placeholders import code_spans

        spans = code_spans(text, start, end)
        found = [n for n in found if not any(a <= n.start and n.end <= b for a, b in spans)]
    return found


_CODE_MARKS = ("<", "{", "%", "$")


def _rejoin(text: str, start: int, end: int, lang: str, target: list[Number], wanted: set[float]) -> list[Number]:
    """In tokenised text, numbers split at a separator ("20 , 000") joined again where
    the joined reading is a number the source has and the pieces do not give
    ("1990 , 1991" stays two years)."""
    if not _tokenised(text[start:end]):
        return target
    given = {value for n in target for value, _ in n.readings}
    for match in _TOKENISED_NUMBER.finditer(text, start, end):
        token = match.group(0).replace(" ", "")
        joined = Number(match.start(), match.end(), token, _readings(token, lang))
        if any(value in wanted and value not in given for value, _ in joined.readings):
            target = sorted([n for n in target if not match.start() <= n.start < match.end()] + [joined],
                            key=lambda n: n.start)
    return target


# Dates written with digits only ("1/1/08", "2008-01-01", "01.01.2008"): their numbers may
# come back as a day, a month name and a four-digit year ("1. Januar 2008").
_NUMERIC_DATE = re.compile(r"(?<![\w./-])(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})(?![\w/-]|[.,]\d)")


def _date_readings(match: re.Match) -> list[tuple[int, int, int]]:
    """(day, month, year) readings: ISO year first, else day-month-year and month-day-year."""
    first, second, third = match.group(1), int(match.group(3)), match.group(4)
    if len(first) == 4:
        options = [(int(third), second, int(first))] if len(third) <= 2 else []
    elif len(first) <= 2:
        options = [(int(first), second, int(third)), (second, int(first), int(third))]
    else:
        options = []
    return [(d, m, y) for d, m, y in dict.fromkeys(options) if 1 <= d <= 31 and 1 <= m <= 12]


def _years(year: int) -> set[int]:
    return {year} if year >= 100 else {1900 + year, 2000 + year, year}


def _date_in(text: str, start: int, end: int, lang: str, readings, target: list[Number]) -> list[Number] | None:
    """The target numbers that render one of the date ``readings`` in text[start:end]
    (digits in any order, or day and month name, with the year), or None."""
    for match in _NUMERIC_DATE.finditer(text, start, end):
        if set(_date_readings(match)) & set(readings):
            return [n for n in target if match.start() <= n.start < match.end()]
    names = cldr.month_names(lang)
    for day, month, year in readings:
        if not names[month]:
            continue
        pattern = "|".join(re.escape(n) for n in names[month])
        found = re.search(rf"(?<!\d)0?{day}\s?\.?\s*(?:{pattern})\b\.?|\b(?:{pattern})\.?\s+0?{day}(?!\d)",
                          text[start:end], re.IGNORECASE)
        if not found:
            continue
        days = [n for n in target if start + found.start() <= n.start < start + found.end()]
        years = [n for n in target if n not in days and any(v in _years(year) for v, _ in n.readings)]
        if years:
            return days + years[:1]
    return None


@dataclass(frozen=True)
class NumberMatch:
    link_index: int
    source: list[Number]
    target: list[Number]
    pairs: list[tuple[Number, Number, bool]]  # (source, target, target read in the foreign convention)
    missing: list[Number]                     # source numbers with no target match
    extra: list[Number]                       # target numbers with no source match


def match_numbers(pair: DocumentPair) -> list[NumberMatch]:
    """Match numbers by value within each aligned link (worked out once per pair)."""
    return pair.derived(_match_numbers)


def _match_numbers(pair: DocumentPair) -> list[NumberMatch]:
    result = []
    for index, (link, sspan, tspan) in enumerate(pair.aligned()):
        source = numbers(pair.source, *sspan, pair.source_lang)
        target = numbers(pair.target, *tspan, pair.target_lang)
        target = _rejoin(pair.target, *tspan, pair.target_lang, target,
                         {value for n in source for value, _ in n.readings})
        free = list(target)
        for date in _NUMERIC_DATE.finditer(pair.source, *sspan):
            readings = _date_readings(date)
            rendered = _date_in(pair.target, *tspan, pair.target_lang, readings, free) if readings else None
            if rendered is not None:
                source = [n for n in source if not date.start() <= n.start < date.end()]
                free = [n for n in free if n not in rendered]
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
    return result


def _spelled(value: float, lang: str) -> list[str]:
    if value != int(value) or not 0 <= value <= 100:
        return []
    try:
        from num2words import num2words

        return [num2words(int(value), lang=lang), num2words(int(value), lang=lang, to="ordinal")]
    except (NotImplementedError, ImportError, OverflowError, ValueError, KeyError, IndexError, TypeError):  # num2words: lang_KO ordinal KeyError
        return []


def _format(value: float, lang: str) -> str:
    text = f"{value:,.0f}" if value == int(value) else f"{value:,}"
    if lang in DOT_DECIMAL:
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", "." if lang != "fr" else "\u202f")


# A number may come back in words with a scale ("2.5 million" -> "zweieinhalb Millionen", "500000"
# -> "eine halbe Million") or converted to the reader's units ("8 ft." -> "zweieinhalb Meter",
# "10000 nanoseconds" -> "zehn Mikrosekunden"): both are the same quantity, localised.
_SCALES = {"de": {"tausend": 1e3, "million": 1e6, "millionen": 1e6, "milliarde": 1e9, "milliarden": 1e9},
           "en": {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9},
           "fr": {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9}}
_HALVES = {"de": ("einhalb", {"anderthalb": 1.5, "halb": 0.5, "halbe": 0.5, "halben": 0.5, "halbes": 0.5})}
UNIT_TOLERANCE = 0.2  # a converted quantity is rounded for readers: 12 ft = 3.66 m "vier Meter" (9% off)
_WORD_AFTER = re.compile(r"[^\W\d_]+\.?|°[CF]?|[µμ][^\W\d_]*", re.UNICODE)


@lru_cache(maxsize=8)
def _spelled_values(lang: str) -> dict[str, float]:
    """Spelled numbers of ``lang`` -> value: 0-100 and hundreds/thousands (num2words), and halves."""
    values = {}
    for n in [*range(101), *range(200, 1001, 100), *range(2000, 100001, 1000)]:
        for word in _spelled(n, lang) if n <= 100 else _spelled_any(n, lang):
            values.setdefault(word.casefold(), float(n))
    suffix, special = _HALVES.get(lang, ("", {}))
    if suffix:
        for n in range(1, 101):
            for word in _spelled(n, lang)[:1]:
                values.setdefault((word + suffix).casefold(), n + 0.5)
        values.setdefault(("ein" + suffix).casefold(), 1.5)
        values.update(special)
    return values


def _spelled_any(value: int, lang: str) -> list[str]:
    try:
        from num2words import num2words

        return [num2words(value, lang=lang)]
    except (NotImplementedError, ImportError, OverflowError, ValueError, KeyError, IndexError, TypeError):  # num2words: lang_KO ordinal KeyError
        return []


def _quantities(text: str, lang: str, numbers_: list[Number]) -> list[tuple[float, int]]:
    """(value, end offset) of the numbers of ``text``, in digits or in words."""
    found = [(value, n.end) for n in numbers_ for value, _ in n.readings]
    spelled = _spelled_values(lang)
    for match in re.finditer(r"[^\W\d_]+", text):
        value = spelled.get(match.group(0).casefold())
        if value is not None:
            found.append((value, match.end()))
    # With a scale word after it ("zweieinhalb Millionen"), or after the range it opens ("eine halbe
    # bis eine Million"): the scaled value too.
    scales = _SCALES.get(lang, {})
    scaled = []
    for value, end in found:
        for following in re.findall(r"[^\W\d_]+", text[end:])[:3]:
            if following.casefold() in scales:
                scaled.append((value * scales[following.casefold()], end))
                break
    return found + scaled


@lru_cache(maxsize=1)
def _unit_registry():
    import pint

    return pint.UnitRegistry()


@lru_cache(maxsize=4096)
def _unit(word: str, lang: str):
    """The pint unit a word names ("ft.", "feet", "Meter", "Mikrosekunden"), else None.  pint reads
    English names and symbols; German names are read through the dictionary's English renderings."""
    import pint

    registry = _unit_registry()
    word = word.rstrip(".")  # "ft." and a sentence's full stop
    names = [word, word.lower()]
    if lang == "de":
        names += _english_names(word)
    for name in names:
        if not name or len(name) > 30:
            continue
        try:
            unit = registry.parse_units(name.replace("°C", "degC").replace("°F", "degF"))
        except (pint.errors.PintError, ValueError, TypeError, AttributeError, KeyError, AssertionError):
            continue
        if not unit.dimensionless:
            return unit
    return None


def _english_names(word: str) -> list[str]:
    """English words the Ding dictionary renders as ``word`` (German unit names: Meter -> metre)."""
    from ..resources import lexicon

    ding = lexicon.load("en", "de")
    if ding is None:
        return []
    return ding.english_for(word)[:5]


def _unit_after(text: str, end: int, lang: str, words: int = 3):
    """The unit named within ``words`` words after offset ``end`` ("zweieinhalb bis vier Meter")."""
    for match in list(_WORD_AFTER.finditer(text, end))[:words]:
        unit = _unit(match.group(0), lang)
        if unit is not None:
            return unit
    return None


# English writes the hour on a 12-hour clock ("2 p.m.") and decades and centuries as years ("the
# 1600s"); German readers get the 24-hour clock ("14.00 Uhr") and the century's ordinal ("im 17.
# Jahrhundert").  Both are the same time, localised.
_MERIDIEM = re.compile(r"\s?([ap])\.?\s?m\b\.?", re.IGNORECASE)
_CENTURY_PLURAL = re.compile(r"'?s\b")


def _localised_values(value: float, after: str, source_lang: str) -> set[float]:
    """Other values a reader's convention gives the source number ``value``, followed by ``after``."""
    if source_lang != "en" or value != int(value):
        return set()
    out = set()
    meridiem = _MERIDIEM.match(after)
    if meridiem and 1 <= value <= 12:
        out.add(value % 12 + (12.0 if meridiem.group(1).lower() == "p" else 0.0))
    if _CENTURY_PLURAL.match(after) and value % 100 == 0 and 100 <= value <= 2100:
        out.add(value // 100 + 1)
    return out


def _ordinal_stems(value: float, lang: str) -> list[str]:
    """German ordinal stems that begin compounds ("Elftklässler", "Drittligist"): the ordinal
    without its ending, four letters or more."""
    if lang != "de":
        return []
    return [word[:-1] for word in _spelled(value, lang)[1:] if word.endswith("e") and len(word) >= 5]


def _rendered_otherwise(number: Number, source: str, source_start: int, source_lang: str, target: str,
                        target_lang: str, extra: list[Number], target_start: int) -> bool:
    """Is a missing source number in the target in words with a scale, or converted to other units?"""
    value = number.readings[-1][0]
    local = [Number(n.start - target_start, n.end - target_start, n.text, n.readings) for n in extra]
    quantities = _quantities(target, target_lang, local)
    values = {value, *_localised_values(value, source[number.end - source_start:], source_lang)}
    if any(abs(q - v) <= 1e-9 * max(1.0, abs(v)) for q, _ in quantities for v in values):
        return True
    source_unit = _unit_after(source, number.end - source_start, source_lang, words=1)
    if source_unit is None:
        return False
    registry = _unit_registry()
    for quantity, end in quantities:
        target_unit = _unit_after(target, end, target_lang)
        if target_unit is None or target_unit.dimensionality != source_unit.dimensionality:
            continue
        if target_unit == source_unit:
            continue  # the same unit: no rounding of a conversion, the value itself changed (1,234.5 MB -> 1.243,5 MB)
        converted = registry.Quantity(value, source_unit).to(target_unit).magnitude
        if abs(converted - quantity) <= UNIT_TOLERANCE * abs(converted):
            return True
    return False


@register("number-mismatch", "accuracy/mistranslation", "major",
          "A number in the source missing or changed in the translation (compared by value, locale-aware).")
def number_mismatch(pair: DocumentPair):
    aligned = list(pair.aligned())
    for match in match_numbers(pair):
        if not match.missing:
            continue
        tspan = aligned[match.link_index][2]
        target_text = pair.target[tspan[0]:tspan[1]].casefold()
        source_text = pair.source[aligned[match.link_index][1][0]:aligned[match.link_index][1][1]]
        missing = [n for n in match.missing
                   if not any(re.search(rf"\b{re.escape(w.casefold())}" + (r"\b" if len(w) < 4 else ""), target_text)
                              for value, _ in n.readings[-1:] for w in _spelled(value, pair.target_lang))
                   and not any(re.search(rf"\b{re.escape(stem)}[^\W\d_]", target_text)
                               for value, _ in n.readings[-1:] for stem in _ordinal_stems(value, pair.target_lang))
                   and not _rendered_otherwise(n, source_text, aligned[match.link_index][1][0], pair.source_lang,
                                               pair.target[tspan[0]:tspan[1]], pair.target_lang, match.extra, tspan[0])]
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
        # A range the source writes with an en dash (10 000–12 000) and the translation with a
        # hyphen (10.000-12.000): the range dash is lost (German, French and English typography).
        by_start = sorted(match.pairs, key=lambda p: p[0].start)
        for (s1, t1, _), (s2, t2, _) in zip(by_start, by_start[1:]):
            if (re.fullmatch(r"\s?–\s?", pair.source[s1.end:s2.start])
                    and pair.target[t1.end:t2.start] == "-" and t1.end <= t2.start):
                yield Finding(target_span=(t1.start, t2.end), source_span=(s1.start, s2.end),
                              category="fluency/punctuation",
                              message="a range written with a hyphen; the source uses the range dash (–)",
                              suggestion=f"{t1.text}–{t2.text}", confidence=0.7)
