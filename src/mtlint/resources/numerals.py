"""Digits and separators of every script, read as ASCII: for comparing numbers across languages."""
from __future__ import annotations

# Languages writing "12,000.5"; the others (most of Europe) write "12.000,5"
# or "12 000,5".
DOT_DECIMAL = {"en", "zh", "ja", "ko", "he", "th", "hi", "ta", "te", "ml", "kn", "gu", "mr",
                "bn", "pa", "ur", "ga", "cy", "mt", "sw", "tl", "ms"}
# The Arabic decimal separator and thousands separator (Arabic, Persian, Urdu): read as the
# language's own decimal and grouping marks.
ARABIC_DECIMAL, ARABIC_GROUP = "\u066b", "\u066c"


def plain_digits(text: str, lang: str) -> str:
    """``text`` with every script's decimal digits (Arabic-Indic, Persian, Devanagari, Thai,
    full-width...) as ASCII digits and the Arabic separators ٫ ٬ as ``lang``'s own; one
    character for one, so offsets stay the same."""
    if text.isascii():
        return text
    import unicodedata

    group, decimal = (",", ".") if lang in DOT_DECIMAL else (".", ",")
    out = []
    for ch in text:
        if ch == ARABIC_DECIMAL:
            out.append(decimal)
        elif ch == ARABIC_GROUP:
            out.append(group)
        elif not ch.isascii() and ch.isdigit() and unicodedata.decimal(ch, None) is not None:
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    return "".join(out)
