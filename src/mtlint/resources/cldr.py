"""Locale punctuation that Babel does not carry: CLDR's quotation delimiters and sentence marks.

Babel (2.x) ships CLDR's numbers, dates and names but not the ``<delimiters>``
of CLDR's locale files, so the quotation marks of each language are
transcribed here from CLDR (``common/main/<locale>.xml``: quotationStart,
quotationEnd, alternateQuotationStart, alternateQuotationEnd). Where usage
widely accepts a second convention (German »…«, French “…”), it is listed as
well, so that only marks foreign to the language are reported.
"""
from __future__ import annotations

from functools import lru_cache

# locale -> (quotationStart, quotationEnd, alternateStart, alternateEnd) from CLDR
CLDR_QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("“", "”", "‘", "’"), "de": ("„", "“", "‚", "‘"), "de-CH": ("«", "»", "‹", "›"),
    "fr": ("«", "»", "«", "»"), "fr-CH": ("«", "»", "‹", "›"), "es": ("«", "»", "“", "”"),
    "it": ("«", "»", "“", "”"), "pt": ("“", "”", "‘", "’"), "pt-PT": ("«", "»", "“", "”"),
    "nl": ("‘", "’", "“", "”"), "sv": ("”", "”", "’", "’"), "da": ("“", "”", "‘", "’"),
    "nb": ("«", "»", "‘", "’"), "nn": ("«", "»", "‘", "’"), "no": ("«", "»", "‘", "’"),
    "fi": ("”", "”", "’", "’"), "is": ("„", "“", "‚", "‘"), "pl": ("„", "”", "«", "»"),
    "cs": ("„", "“", "‚", "‘"), "sk": ("„", "“", "‚", "‘"), "sl": ("„", "“", "‚", "‘"),
    "hr": ("„", "“", "‚", "‘"), "bs": ("„", "“", "‘", "’"), "sr": ("„", "“", "‘", "’"),
    "hu": ("„", "”", "»", "«"), "ro": ("„", "”", "«", "»"), "bg": ("„", "“", "„", "“"),
    "ru": ("«", "»", "„", "“"), "uk": ("«", "»", "„", "“"), "be": ("«", "»", "„", "“"),
    "mk": ("„", "“", "’", "‘"), "el": ("«", "»", "“", "”"), "tr": ("“", "”", "‘", "’"),
    "lt": ("„", "“", "„", "“"), "lv": ("“", "”", "„", "“"), "et": ("„", "“", "‚", "‘"),
    "ca": ("«", "»", "“", "”"), "eu": ("«", "»", "‹", "›"), "gl": ("“", "”", "‘", "’"),
    "ar": ("”", "“", "’", "‘"), "fa": ("«", "»", "“", "”"), "ur": ("”", "“", "’", "‘"),
    "he": ("”", "”", "’", "’"), "hi": ("“", "”", "‘", "’"), "bn": ("“", "”", "‘", "’"),
    "mr": ("“", "”", "‘", "’"), "ta": ("“", "”", "‘", "’"), "th": ("“", "”", "‘", "’"),
    "vi": ("“", "”", "‘", "’"), "id": ("“", "”", "‘", "’"), "ms": ("“", "”", "‘", "’"),
    "zh": ("“", "”", "‘", "’"), "zh-Hant": ("「", "」", "『", "』"), "zh-TW": ("「", "」", "『", "』"),
    "zh-HK": ("「", "」", "『", "』"), "ja": ("「", "」", "『", "』"), "ko": ("“", "”", "‘", "’"),
    "hy": ("«", "»", "«", "»"), "ka": ("„", "“", "«", "»"), "sq": ("«", "»", "“", "”"),
    "kk": ("«", "»", "“", "”"), "az": ("«", "»", "‹", "›"), "uz": ("“", "”", "’", "‘"),
}
# Second conventions in wide use beside CLDR's: German and Swiss books »…«, French and
# Spanish and Italian typography “…” inside or instead of « », Arabic and Persian « », Hebrew
# “…” and straight gershayim, Russian „…“ inside « ».
COMMON_VARIANTS: dict[str, str] = {
    "de": "»«›‹", "fr": "“”", "es": "“”‘’", "it": "“”‘’", "pt": "«»", "ar": "«»“", "fa": "”“",
    "he": "“„", "ru": "„“", "uk": "„“", "pl": "»«", "cs": "»«", "sk": "»«", "hr": "»«", "sl": "»«",
    "ja": "“”", "zh": "「」『』", "ko": "「」『』", "hu": "„”", "nl": "“”„", "sv": "»«", "da": "»«",
    "fi": "»«", "tr": "«»",
}
# Double-quote-like marks: what "a quotation mark" can be in any of the conventions.
QUOTE_MARKS = "“”„‟«»「」『』〝〞＂"


def base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def quotation_marks(lang: str) -> str | None:
    """The quotation marks ``lang`` uses (CLDR's plus common variants), None when not known."""
    normal = lang.replace("_", "-")
    entry = CLDR_QUOTES.get(normal) or CLDR_QUOTES.get(base(lang))
    if entry is None:
        return None
    return "".join(entry) + COMMON_VARIANTS.get(normal, COMMON_VARIANTS.get(base(lang), ""))


# Sentence-final marks by class; each language's own marks first.  Thai writes no full stop.
_STOP = {"zh": "。．.", "ja": "。．.", "hi": "।.", "mr": "।.", "ne": "।.", "sa": "।॥.", "bn": "।.",
         "ur": "۔.", "hy": "։.", "am": "።.", "my": "။.", "bo": "།.", "th": ".", "ko": ".。"}
_QUESTION = {"ar": "؟?", "fa": "؟?", "ur": "؟?", "ps": "؟?", "zh": "？?", "ja": "？?", "el": ";;?",
             "am": "፧?", "hy": "՞?"}
_EXCLAMATION = {"zh": "！!", "ja": "！!"}
_COLON = {"zh": "：:", "ja": "：:"}
_COMMA = {"ar": "،,", "fa": "،,", "ur": "،,", "zh": "，,、", "ja": "、，,"}
_SEMICOLON = {"ar": "؛;", "fa": "؛;", "ur": "؛;", "zh": "；;", "ja": "；;", "el": "·;"}
# Class of each mark, whatever the language (full-width and native marks included).
PUNCTUATION_CLASS = {
    **{c: "stop" for c in ".。．।۔։።။།"}, **{c: "question" for c in "?？؟;፧՞"},
    **{c: "exclamation" for c in "!！"}, **{c: "colon" for c in ":："},
    **{c: "comma" for c in ",，、،"}, **{c: "semicolon" for c in "؛；·"}, "…": "ellipsis",
}
_DEFAULTS = {"stop": ".", "question": "?", "exclamation": "!", "colon": ":", "comma": ",", "semicolon": ";",
             "ellipsis": "…"}
_TABLES = {"stop": _STOP, "question": _QUESTION, "exclamation": _EXCLAMATION, "colon": _COLON,
           "comma": _COMMA, "semicolon": _SEMICOLON}


def marks_for(kind: str, lang: str) -> str:
    """The marks ``lang`` ends a sentence of ``kind`` with (``"stop"``, ``"question"``...)."""
    table = _TABLES.get(kind, {})
    return table.get(base(lang), _DEFAULTS[kind])


def punctuation_class(mark: str, lang: str) -> str | None:
    """The class of a final mark: ``;`` is a question mark in Greek and a semicolon elsewhere."""
    if mark == ";":
        return "question" if base(lang) == "el" else "semicolon"
    if mark == "·":
        return "semicolon" if base(lang) == "el" else None
    return PUNCTUATION_CLASS.get(mark)


# Regional locales whose month names a text in the language may use ("Jänner" in Austria).
_MONTH_VARIANTS: dict[str, tuple[str, ...]] = {"de": ("de_AT", "de_CH"), "fr": ("fr_CA", "fr_CH"),
                                               "pt": ("pt_PT",), "es": ("es_MX",)}


@lru_cache(maxsize=64)
def _lowered_month_names(lang: str, width: str) -> dict[int, frozenset[str]]:
    """CLDR's month names of one width (Babel) in both contexts, for ``lang`` and its regional
    locales, lower-cased without a final full stop."""
    from babel.core import UnknownLocaleError
    from babel.dates import get_month_names

    names: dict[int, set[str]] = {m: set() for m in range(1, 13)}
    for locale in (lang.replace("-", "_"),) + _MONTH_VARIANTS.get(base(lang), ()):
        try:
            for context in ("format", "stand-alone"):
                for month, name in get_month_names(width, context, locale=locale).items():
                    names[month].add(name.rstrip(".").lower())
        except (UnknownLocaleError, ValueError):
            continue
    return {m: frozenset(v) for m, v in names.items()}


@lru_cache(maxsize=32)
def month_names(lang: str) -> dict[int, tuple[str, ...]]:
    """Month names of ``lang``, lower-cased without a final full stop, longest first: CLDR's wide
    and abbreviated names in both contexts (Babel), with those of the language's regional locales."""
    wide, abbreviated = _lowered_month_names(lang, "wide"), _lowered_month_names(lang, "abbreviated")
    return {m: tuple(sorted(wide[m] | abbreviated[m], key=lambda n: (-len(n), n))) for m in range(1, 13)}


@lru_cache(maxsize=32)
def _abbreviations(lang: str) -> frozenset[str]:
    """Abbreviated month names of ``lang`` that are not also a month's full name ("okt", not "mai")."""
    return (frozenset().union(*_lowered_month_names(lang, "abbreviated").values())
            - frozenset().union(*_lowered_month_names(lang, "wide").values()))


def is_month_abbreviation(word: str, lang: str) -> bool:
    """Is ``word`` (a full stop after it allowed) an abbreviated month name of ``lang`` and no full one?"""
    return word.rstrip(".").lower() in _abbreviations(lang)


def is_month_name(word: str, lang: str) -> bool:
    """Is ``word`` (a full stop after it allowed) a month name of ``lang``?"""
    word = word.rstrip(".").lower()
    return bool(word) and any(word in names for names in month_names(lang).values())
