"""Software strings: the checks localizers run on PO, XLIFF and TMX units (pofilter, CheckMate).

A user-interface string is short and goes back into a program: a lost
newline, escape or tab, a second accelerator, a file path or URL translated,
can break it or its layout, so these are compared character by character
between source and target, with each target language's conventions
(French spacing, CJK and Arabic punctuation, quotation marks from CLDR).

The checks are the family ``strings``: ``mtlint pairs`` runs them on
software-string input (PO, XLIFF, TMX, and CSV/JSONL of short units, see
:func:`mtlint.formats.software_strings`); ``check`` and ``report`` do not.
Severities follow pofilter's classes: what can break a program (newlines,
escapes, tabs, accelerators, placeholders, length limits) is critical, what
changes function (URLs, paths, unchanged text, a number's unit) major, and
cosmetics (spacing, punctuation, capitals, brackets, quotes) minor.
"""
from __future__ import annotations

import functools
import re
from collections import Counter

from ..resources import cldr
from ..resources.frequency import zipf
from ..resources.numerals import plain_digits
from ..resources.segment import unit_words
from ..resources.placeholders import closing_brace, code_spans, placeholders
from .base import DocumentPair, Finding, register

FAMILY = "strings"


def _unit(pair: DocumentPair) -> tuple[str, str] | None:
    """Source and target of the pair's single unit (both non-empty), else None: a document of
    many sentences is no software string, and its line breaks and edges are the layout's.  A row
    of a file of segment pairs is one unit however many sentences it holds."""
    if not pair.source.strip() or not pair.target.strip():
        return None
    if pair.batch is None and (len(pair.source_sentences) > 1 or len(pair.target_sentences) > 1):
        return None
    return pair.source, pair.target


def _per_unit(check):
    """``check(pair, unit)`` run only where the pair is one software-string unit (see :func:`_unit`)."""
    @functools.wraps(check)
    def run(pair: DocumentPair):
        unit = _unit(pair)
        if unit is not None:
            yield from check(pair, unit)
    return run


def _whole(pair: DocumentPair) -> tuple[tuple[int, int], tuple[int, int]]:
    return (0, len(pair.target)), (0, len(pair.source))


def _blank_placeholders(text: str) -> str:
    """``text`` with its placeholders (tags, %s, {name}, &entity;...) replaced by spaces:
    their characters are code, not text to compare. Same length, so offsets hold."""
    out = list(text)
    for start, end in code_spans(text, strings=True):
        out[start:end] = " " * (end - start)
    return "".join(out)


def _blank_code(text: str) -> str:
    """``text`` for finding where a sentence starts and ends: tags blanked with spaces (they
    wrap text), other placeholders, URLs, e-mail addresses and paths with ``0`` (they stand
    for words: "File: %s" ends with a placeholder, not a colon)."""
    out = list(text)
    tags = {p.start for p in placeholders(text, strings=True) if p.kind == "tag"}
    for start, end in code_spans(text, strings=True):
        out[start:end] = (" " if start in tags else "0") * (end - start)
    text = "".join(out)
    for pattern in (_URL, _EMAIL, _PATH):
        text = pattern.sub(lambda m: "0" * len(m.group(0)), text)
    return text


# --- accelerators -------------------------------------------------------------------------

# ``&File`` (Windows, Qt, KDE), ``_File`` (GTK), ``~File`` (LibreOffice). ``&`` before an
# entity (``&amp;``) or doubled (``&&``) and ``_`` inside an identifier are not markers.
_MARKERS = {
    "&": re.compile(r"(?<!&)&(?![&\s])(?![A-Za-z_][\w.-]*;)(.?)"),
    "_": re.compile(r"(?<![\w_])_(?![_\s])(.?)"),
    "~": re.compile(r"(?<!~)~(?![~\s/\d])(.?)"),  # "~5 minutes" is "about five", not a marker
}


def _accelerators(text: str, marker: str) -> list[re.Match]:
    return list(_MARKERS[marker].finditer(text))


@register("accelerator", "locale/shortcut-key", "critical",
          "A keyboard accelerator (&File, _File, ~File) of the source missing, doubled or on no letter "
          "in the translation (\"ファイル(&F)\" as CJK and other scripts write it is fine).", family=FAMILY)
@_per_unit
def accelerator(pair: DocumentPair, unit: tuple[str, str]):
    source, target = (_blank_placeholders(t) for t in unit)
    for marker in _MARKERS:
        found = [m for m in _accelerators(source, marker) if m.group(1).isalnum()]
        if len(found) != 1:
            continue  # no accelerator, or several: not a menu label with one marker
        # "&" in prose ("Tom & Jerry", "R&D" in a sentence) is not a marker: a label is short.
        if unit_words(unit[0]) > 8:
            continue
        marks = _accelerators(target, marker)
        tspan, sspan = (0, len(target)), (found[0].start(), found[0].end())
        if not marks:
            yield Finding(tspan, sspan, f"the accelerator {marker}{found[0].group(1)} of the source is missing",
                          confidence=0.9)
        elif len(marks) > 1:
            yield Finding((marks[1].start(), marks[1].end()), sspan,
                          f"{len(marks)} accelerator markers {marker} in the translation; the source has one",
                          confidence=0.9)
        elif not marks[0].group(1).isalnum():
            yield Finding((marks[0].start(), marks[0].end()), sspan,
                          f"the accelerator marker {marker} stands before no letter or digit", confidence=0.85)
        return


# --- newlines, escapes, tabs, whitespace ------------------------------------------------------

_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|[ntrvfab0\"'\\])")


@register("newline", "design/markup", "critical",
          "The translation has more or fewer line breaks than the source, or moves one from its start or "
          "end (a program may split or print on them).", family=FAMILY)
@_per_unit
def newline(pair: DocumentPair, unit: tuple[str, str]):
    source, target = (t.replace("\r\n", "\n") for t in unit)
    tspan, sspan = _whole(pair)
    if source.count("\n") != target.count("\n"):
        yield Finding(tspan, sspan, f"{target.count(chr(10))} line breaks in the translation, "
                                    f"{source.count(chr(10))} in the source", confidence=0.95)
    elif source.startswith("\n") != target.startswith("\n") or source.endswith("\n") != target.endswith("\n"):
        yield Finding(tspan, sspan, "a line break at the start or end of the source is not there in the "
                                    "translation", confidence=0.9)


@register("escape", "design/markup", "critical",
          "Escape sequences (\\n, \\t, \\\", \\\\, \\u00e9) of the source missing or added in the translation.",
          family=FAMILY)
@_per_unit
def escape(pair: DocumentPair, unit: tuple[str, str]):
    source, target = unit
    wanted = Counter(m.group(0) for m in _ESCAPE.finditer(source))
    given = Counter(m.group(0) for m in _ESCAPE.finditer(target))
    if wanted == given:
        return
    tspan, sspan = _whole(pair)
    missing, extra = wanted - given, given - wanted
    parts = []
    if missing:
        parts.append("missing " + " ".join(sorted(missing.elements())))
    if extra:
        parts.append("added " + " ".join(sorted(extra.elements())))
    yield Finding(tspan, sspan, "escape sequences differ from the source: " + "; ".join(parts), confidence=0.95)


@register("tab", "design/markup", "critical",
          "The translation has more or fewer tab characters than the source.", family=FAMILY)
@_per_unit
def tab(pair: DocumentPair, unit: tuple[str, str]):
    source, target = unit
    if source.count("\t") != target.count("\t"):
        tspan, sspan = _whole(pair)
        yield Finding(tspan, sspan, f"{target.count(chr(9))} tabs in the translation, {source.count(chr(9))} "
                                    f"in the source", confidence=0.95)


_SPACE = " \t\u00a0\u202f\u2009\u3000"


def _edge(text: str, at_start: bool) -> str:
    stripped = text.lstrip(_SPACE) if at_start else text.rstrip(_SPACE)
    return text[:len(text) - len(stripped)] if at_start else text[len(stripped):]


@register("leading-whitespace", "fluency/whitespace", "minor",
          "Spaces at the start of the translation differ from the source's.", family=FAMILY)
def leading_whitespace(pair: DocumentPair):
    unit = _unit(pair)
    if unit is not None and len(_edge(unit[0], True)) != len(_edge(unit[1], True)):
        yield Finding((0, max(1, len(_edge(unit[1], True)))), (0, len(_edge(unit[0], True))),
                      f"{len(_edge(unit[1], True))} spaces at the start of the translation, "
                      f"{len(_edge(unit[0], True))} in the source", confidence=0.9)


@register("trailing-whitespace", "fluency/whitespace", "minor",
          "Spaces at the end of the translation differ from the source's.", family=FAMILY)
@_per_unit
def trailing_whitespace(pair: DocumentPair, unit: tuple[str, str]):
    source, target = unit
    s_edge, t_edge = _edge(source, False), _edge(target, False)
    if len(s_edge) != len(t_edge):
        yield Finding((len(target) - len(t_edge), len(target)), (len(source) - len(s_edge), len(source)),
                      f"{len(t_edge)} spaces at the end of the translation, {len(s_edge)} in the source",
                      confidence=0.9)


_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")


@register("double-space", "fluency/whitespace", "minor",
          "Two spaces in a row inside the translation where the source has none.", family=FAMILY)
@_per_unit
def double_space(pair: DocumentPair, unit: tuple[str, str]):
    source, target = unit
    if len(_DOUBLE_SPACE.findall(target)) > len(_DOUBLE_SPACE.findall(source)):
        match = _DOUBLE_SPACE.search(target)
        yield Finding((match.start(), match.end()), None, "two spaces in a row", suggestion=" ", confidence=0.9)


# --- brackets and quotes ---------------------------------------------------------------------

# Full-width brackets, and the lenticular and tortoise-shell brackets CJK labels use for [ ].
_FULLWIDTH = str.maketrans("（）［］｛｝【】〔〕", "()[]{}[][]")
# An accelerator written after a label in parentheses: "ファイル(&F)", "Файл (_F)".
_BRACKETED_ACCELERATOR = re.compile(r"\s?[(（][&_~][^\W_][)）]")
_BRACKET_PAIRS = ("()", "[]", "{}")


def _bracket_counts(text: str) -> Counter:
    """Brackets of the text, not of its code: an ICU message's braces, an accelerator's "(&F)"."""
    icu = [p for p in placeholders(text, strings=True) if p.kind == "icu"]
    if icu:

        chars = list(text)
        for p in icu:
            close = closing_brace(text, p.start, len(text))
            for offset in range(p.start, close):
                if chars[offset] in "{}":
                    chars[offset] = " "
        text = "".join(chars)
    text = _BRACKETED_ACCELERATOR.sub("", text).translate(_FULLWIDTH)
    return Counter(c for c in text if c in "()[]{}")


@register("brackets", "fluency/punctuation", "minor",
          "Brackets of the source missing or added, or left open, in the translation.", family=FAMILY)
@_per_unit
def brackets(pair: DocumentPair, unit: tuple[str, str]):
    source_counts, target_counts = _bracket_counts(unit[0]), _bracket_counts(unit[1])
    tspan, sspan = _whole(pair)
    for opening, closing in _BRACKET_PAIRS:
        s = (source_counts[opening], source_counts[closing])
        t = (target_counts[opening], target_counts[closing])
        if s != t:
            yield Finding(tspan, sspan, f"{t[0]} {opening} and {t[1]} {closing} in the translation, "
                                        f"{s[0]} and {s[1]} in the source", confidence=0.85)


# Quotation marks of any convention; single marks only where they open or close a quotation
# (at a word's edge, not the apostrophe inside "don't" or "l’eau").
_DOUBLE_QUOTES = re.compile("[\"" + cldr.QUOTE_MARKS + "]")
_SINGLE_QUOTES = re.compile(r"(?<![^\W_])['‘’‚‹›](?=[^\W_])(?!(?:s|t|d|m|ll|re|ve)\b)"
                            r"|(?<=[^\W_.!?])['‘’‹›](?![^\W_])")  # not "%s's", "%s'll": apostrophes


def _quote_count(text: str) -> int:
    text = _blank_placeholders(text)
    return len(_DOUBLE_QUOTES.findall(text)) + len(_SINGLE_QUOTES.findall(text))


@register("quotes", "fluency/punctuation", "minor",
          "The translation has more or fewer quotation marks than the source (in any convention: "
          "\"…\", “…”, „…“, « … », 「…」).", family=FAMILY)
@_per_unit
def quotes(pair: DocumentPair, unit: tuple[str, str]):
    s, t = _quote_count(unit[0]), _quote_count(unit[1])
    if s != t:
        tspan, sspan = _whole(pair)
        yield Finding(tspan, sspan, f"{t} quotation marks in the translation, {s} in the source", confidence=0.8)


# --- capitals and punctuation ----------------------------------------------------------------

def _first_letter(text: str) -> str | None:
    for ch in _BRACKETED_ACCELERATOR.sub("", _blank_code(text)):
        if ch.isalpha():
            return ch
        if ch.isdigit():
            return None  # "3 files": no capital to compare
    return None


def _cased(ch: str) -> bool:
    return ch.lower() != ch.upper()


# Languages that capitalise nouns: a lower-case English start may become a capital.
_NOUN_CAPITALS = {"de", "lb", "gsw"}


@register("start-capital", "fluency/spelling", "minor",
          "The translation starts with a small letter where the source starts with a capital, or the other "
          "way round (scripts with case only; German nouns may start a capital).", family=FAMILY)
@_per_unit
def start_capital(pair: DocumentPair, unit: tuple[str, str]):
    s, t = _first_letter(unit[0]), _first_letter(unit[1])
    if not s or not t or not _cased(s) or not _cased(t):
        return
    first = _WORD.search(_blank_code(unit[0]))
    if first and any(ch.isupper() for ch in first.group(0)[1:]):
        return  # the source starts with a name written in its own case ("iPhone", "macOS")
    tspan, sspan = _whole(pair)
    if s.isupper() and t.islower():
        yield Finding(tspan, sspan, "the source starts with a capital letter, the translation does not",
                      confidence=0.8)
    elif s.islower() and t.isupper() and cldr.base(pair.target_lang) not in _NOUN_CAPITALS:
        yield Finding(tspan, sspan, "the translation starts with a capital letter, the source does not",
                      confidence=0.7)


_CLOSING = "\"'”’»›」』)]}）］\u200f\u200e" + "“"
_END_SKIP = _SPACE + "\n\r"


def _final_mark(text: str, lang: str) -> tuple[str | None, int]:
    """(class of the final punctuation, its offset); class None when the text ends in no mark."""
    text = _blank_code(text)
    end = len(text.rstrip(_END_SKIP))
    while end > 0 and text[end - 1] in _CLOSING + _END_SKIP:
        end -= 1
    if end == 0:
        return None, 0
    if text[max(0, end - 3):end] == "...":
        return "ellipsis", end - 3
    return cldr.punctuation_class(text[end - 1], lang), end - 1


@register("end-punctuation", "fluency/punctuation", "minor",
          "The translation ends with other punctuation than the source (a full stop, question mark, colon, "
          "ellipsis... in the target language's own marks: 。 ؟ ।), or with none.", family=FAMILY)
@_per_unit
def end_punctuation(pair: DocumentPair, unit: tuple[str, str]):
    s_class, s_at = _final_mark(unit[0], pair.source_lang)
    t_class, t_at = _final_mark(unit[1], pair.target_lang)
    if s_class == t_class:
        return
    lang = cldr.base(pair.target_lang)
    if lang == "th" and s_class == "stop" and t_class is None:
        return  # Thai ends a sentence with no mark
    if s_class == "ellipsis" and t_class == "stop" and unit[1].rstrip().endswith(("……", "...")):
        return
    want = cldr.marks_for(s_class, lang)[0] if s_class else None
    message = (f"the source ends with {unit[0][s_at]!r}, the translation with "
               + (repr(unit[1][t_at]) if t_class else "no punctuation") if s_class
               else f"the translation ends with {unit[1][t_at]!r}, the source with no punctuation")
    yield Finding((t_at, t_at + 1) if t_class else (0, len(unit[1])), (s_at, s_at + 1) if s_class else None,
                  message, suggestion=want, confidence=0.75)


def _first_mark(text: str) -> str | None:
    """The class of punctuation the text starts with (after spaces), None for a letter or digit."""
    text = _BRACKETED_ACCELERATOR.sub("", _blank_code(text)).lstrip(_END_SKIP)
    if not text or text[0].isalnum() or text[0] in "&_~":
        return None
    ch = text[0]
    if ch in "\"'" + cldr.QUOTE_MARKS + "‘’‚‹›":
        return "quote"
    if ch in "([{（［｛【":
        return "bracket"
    if text.startswith("...") or ch == "…":
        return "ellipsis"
    if ch in "-–—•*·":
        return "dash"
    return ch


@register("start-punctuation", "fluency/punctuation", "minor",
          "The translation starts with other punctuation than the source (Spanish ¿ ¡ excepted).",
          family=FAMILY)
@_per_unit
def start_punctuation(pair: DocumentPair, unit: tuple[str, str]):
    s, t = _first_mark(unit[0]), _first_mark(unit[1])
    if s == t:
        return
    if t in ("¿", "¡") and s is None and cldr.base(pair.target_lang) in ("es", "gl", "ast", "ca"):
        return
    tspan, sspan = _whole(pair)
    yield Finding(tspan, sspan, f"the translation starts with {t or 'a letter'}, the source with {s or 'a letter'}",
                  confidence=0.7)


# A letter, or a vowel sign or other combining mark ending a word (Devanagari "सहेजें", Arabic harakat).
_LETTER = r"(?:[^\W\d_]|[\u0300-\u036f\u064b-\u065f\u0900-\u0dff])"
_FRENCH_SPACED = re.compile(rf"(?<={_LETTER})[?!;:»](?=\s|$)|«(?={_LETTER})")
_SPACED_BEFORE = re.compile(rf"(?<={_LETTER}) [?!;:](?=\s|$)")


@register("punctuation-spacing", "locale/punctuation", "minor",
          "French puts a (narrow) no-break space before ? ! ; : and inside « »; other languages none before "
          "? ! ; :.", family=FAMILY)
@_per_unit
def punctuation_spacing(pair: DocumentPair, unit: tuple[str, str]):
    target = _blank_placeholders(unit[1])
    if cldr.base(pair.target_lang) == "fr":
        canadian = pair.target_lang.replace("_", "-").lower() == "fr-ca"
        for match in _FRENCH_SPACED.finditer(target):
            mark = match.group(0)
            if canadian and mark in "?!;":
                continue  # Canadian French spaces only before : and inside « »
            suggestion = f"\u202f{mark}" if mark != "«" else "«\u202f"
            yield Finding((match.start(), match.end()), None,
                          f"French typography puts a no-break space {'after' if mark == '«' else 'before'} {mark}",
                          suggestion=suggestion, confidence=0.8)
        return
    if _SPACED_BEFORE.search(_blank_placeholders(unit[0])):
        return  # the source spaces its marks too (a French source, a convention of the product)
    for match in _SPACED_BEFORE.finditer(target):
        yield Finding((match.start(), match.end()), None, f"a space before {match.group(0).strip()}",
                      suggestion=match.group(0).strip(), confidence=0.75)


# --- URLs, e-mail addresses, file paths --------------------------------------------------------

_URL = re.compile(r"\b(?:https?|ftp|file)://[^\s<>\"'«»“”]+|\bwww\.[\w-]+(?:\.[\w-]+)+[^\s<>\"'«»“”]*")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PATH = re.compile(r"(?<![\w/:.~\\])(?:~|\.{1,2})?/(?:[\w.-]+/)*[\w.-]+/?(?=[\s,;:!?)\]'\"»”]|$|\.(?:\s|$))"
                   r"|\b[A-Za-z]:\\(?:[\w .-]+\\)*[\w.-]*")
_TRAILING = ".,;:!?)]"


def _kept(pattern: re.Pattern, source: str, target: str, strip_from: str = "") -> list[re.Match]:
    """Matches of ``pattern`` in the source that are not written, as they are, in the target."""
    lost = []
    for match in pattern.finditer(source):
        text = match.group(0).rstrip(_TRAILING)
        if strip_from and text in strip_from:
            continue
        if text and text not in target:
            lost.append(match)
    return lost


def _report_lost(pair: DocumentPair, lost: list[re.Match], what: str, changed: list[re.Match] | None = None):
    """One finding per lost match; where the translation has as many of its own that the source
    lacks (``changed``), each lost one is paired with the changed one in its place and marked there,
    else the whole unit is."""
    changed = changed if changed is not None and len(changed) == len(lost) else None
    for k, match in enumerate(lost):
        text = match.group(0).rstrip(_TRAILING)
        source_span = (match.start(), match.start() + len(text))
        if changed:
            other = changed[k].group(0).rstrip(_TRAILING)
            yield Finding((changed[k].start(), changed[k].start() + len(other)), source_span,
                          f"the {what} {text} of the source is {other} in the translation", suggestion=text,
                          confidence=0.9)
        else:
            yield Finding((0, len(pair.target)), source_span,
                          f"the {what} {text} of the source is not in the translation as it is", suggestion=text,
                          confidence=0.9)


def _added(pattern: re.Pattern, target: str, source: str) -> list[re.Match]:
    """Matches of ``pattern`` in the target that the source does not have as they are."""
    return [m for m in pattern.finditer(target) if m.group(0).rstrip(_TRAILING) not in source]


@register("url", "accuracy/mistranslation", "major",
          "A URL of the source changed or missing in the translation.", family=FAMILY)
def url(pair: DocumentPair):
    if _unit(pair) is not None:
        yield from _report_lost(pair, _kept(_URL, pair.source, pair.target), "URL",
                                _added(_URL, pair.target, pair.source))


@register("email", "accuracy/mistranslation", "major",
          "An e-mail address of the source changed or missing in the translation.", family=FAMILY)
def email(pair: DocumentPair):
    if _unit(pair) is not None:
        source = _URL.sub(lambda m: " " * len(m.group(0)), pair.source)
        target = _URL.sub(lambda m: " " * len(m.group(0)), pair.target)
        yield from _report_lost(pair, _kept(_EMAIL, source, pair.target), "e-mail address",
                                _added(_EMAIL, target, source))


@register("file-path", "accuracy/mistranslation", "major",
          "A file path of the source (/etc/hosts, ~/.config, C:\\Windows) changed or missing in the translation.",
          family=FAMILY)
def file_path(pair: DocumentPair):
    if _unit(pair) is None:
        return
    source = _URL.sub(lambda m: " " * len(m.group(0)), _blank_placeholders(pair.source))
    lost = [m for m in _kept(_PATH, source, pair.target)
            if m.group(0).count("/") + m.group(0).count("\\") >= 2 or m.group(0).startswith(("~", ".", "/"))]
    yield from _report_lost(pair, [m for m in lost if len(m.group(0).strip("/")) > 1], "file path")


# --- numbers with their units -----------------------------------------------------------------

_NUMBER_SYMBOL = re.compile(r"(\d+(?:[.,]\d+)?)[\s\u00a0\u202f]?([°%‰′″])")
# Each sign and its equivalents: the Arabic and full-width percent, and the CJK and Korean word for degree.
_SYMBOLS = {"°": "°º˚度도", "%": "%٪％", "‰": "‰؉", "′": "′'", "″": "″\""}


@register("number-unit", "accuracy/mistranslation", "major",
          "A number's sign (180°, 50 %, 5‰) of the source dropped from the same number in the translation.",
          family=FAMILY)
@_per_unit
def number_unit(pair: DocumentPair, unit: tuple[str, str]):

    source = plain_digits(unit[0], pair.source_lang)
    target = plain_digits(unit[1], pair.target_lang)
    for match in _NUMBER_SYMBOL.finditer(source):
        digits, symbol = match.group(1), match.group(2)
        variants = _SYMBOLS[symbol]
        plain = re.escape(re.sub(r"[.,]", "", digits))
        spots = [m for m in re.finditer(r"(?<![\d.,])\d+(?:[.,]\d+)?(?![\d])", target)
                 if re.sub(r"[.,]", "", m.group(0)) == re.sub(r"[.,]", "", digits)]
        if not spots or not plain:
            continue  # the number itself is missing: number-mismatch says so
        near = [target[max(0, m.start() - 2):m.start()] + target[m.end():m.end() + 2] for m in spots]
        if not any(any(v in context for v in variants) for context in near):
            spot = spots[0]
            yield Finding((spot.start(), spot.end()), (match.start(), match.end()),
                          f"the source writes {match.group(0)}, the translation {spot.group(0)} without {symbol}",
                          suggestion=f"{unit[1][spot.start():spot.end()]}{symbol}", confidence=0.85)


# --- unchanged ---------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")


def _international(word: str, source_lang: str, target_lang: str) -> bool:
    """A word left as it is in any language: an acronym (OK, PDF), a brand-like name (iPhone,
    GitHub, Firefox), or a word the target language uses about as much as the source does (Email)."""

    if len(word) >= 2 and word.isupper():
        return True
    if any(ch.isupper() for ch in word[1:]) or len(word) == 1:
        return True
    in_target = zipf(word.lower(), cldr.base(target_lang))
    in_source = zipf(word.lower(), cldr.base(source_lang))
    if word[0].isupper() and in_source < 3.5:
        return True  # a name the source language hardly uses as a word: a brand or product
    if in_target >= 3.0 and in_target >= in_source - 1.0:
        return True  # a loanword of the target language ("Email" in German, "Menu" in French)
    return _worldwide(word, source_lang)


# Languages whose texts show how international a word is: a brand (Bluetooth, Google, Linux) is
# about as frequent in all of them as in the source language; a common word of the source
# language (Drive, Settings, Download) is much rarer in the others.
_PANEL = ("de", "fr", "es", "it", "pt", "ru", "zh", "ja")
WORLDWIDE_MARGIN = 0.5  # zipf: at most this much rarer elsewhere (median) than in the source
WORLDWIDE_MIN = 2.0     # and seen elsewhere at all


def _worldwide(word: str, source_lang: str) -> bool:
    import statistics

    source = cldr.base(source_lang)
    elsewhere = statistics.median(zipf(word.lower(), lang) for lang in _PANEL if lang != source)
    return elsewhere >= WORLDWIDE_MIN and elsewhere >= zipf(word.lower(), source) - WORLDWIDE_MARGIN


@register("unchanged", "accuracy/untranslated", "major",
          "The translation is the source copied unchanged (one- and two-word units too), unless its words are "
          "international (OK, Email, brand names) or it has no words.", family=FAMILY)
def unchanged(pair: DocumentPair):
    unit = _unit(pair)
    if unit is None or cldr.base(pair.source_lang) == cldr.base(pair.target_lang):
        return
    strip = str.maketrans("", "", "&_~")
    if unit[0].strip().translate(strip) != unit[1].strip().translate(strip):
        return
    text = _URL.sub(" ", _EMAIL.sub(" ", _blank_placeholders(unit[0])))
    words = _WORD.findall(text)
    if not words or all(_international(w, pair.source_lang, pair.target_lang) for w in words):
        return
    if (len(words) <= 3 and all(w[0].isupper() for w in words) and _worldwide(words[0], pair.source_lang)
            and not _WORD.findall(text.split(words[0], 1)[0])):
        return  # a product name: a brand and capitalised words after it ("Google Drive")
    tspan, sspan = _whole(pair)
    yield Finding(tspan, sspan, "the translation is the source unchanged", confidence=0.85)


# --- length limits -----------------------------------------------------------------------------

@register("length-limit", "design/length", "critical",
          "The translation is longer than the unit allows (XLIFF maxwidth with size-unit=\"char\").", family=FAMILY)
def length_limit(pair: DocumentPair):
    limit = pair.max_width
    if limit is None or _unit(pair) is None:
        return
    # Inline tags are codes, not characters shown: they do not count.
    shown = len(pair.target) - sum(p.end - p.start for p in placeholders(pair.target) if p.kind == "tag")
    if shown > limit:
        yield Finding((0, len(pair.target)), None, f"{shown} characters; the unit allows {limit}", confidence=1.0)
