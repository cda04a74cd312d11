"""Names across scripts: Ukrainian and Russian transliteration (Duden for German, the national
system for English) and loose comparison of romanised names ("Pjöngjang"/"Pyongyang", "Kiew"/"Kyiv")."""
from __future__ import annotations

import os
import re

STEM_PREFIX = 4                 # a shared start this long (and half the shorter word) is one stem: "France"/"Frankreich"
GERMAN_ENDINGS = ("s", "es", "n", "ns", "en", "'s", "’s", "'", "’")  # Bidens, Kursks, Jonas'
NAME_ADJECTIVE = re.compile(r"isch(?:e[mnrs]?)?$")  # German adjectives of names: -isch, -ische, -ischen, ...


# Ukrainian -> German (Duden), Ukrainian -> English (the Ukrainian national system of 2010).
UK_DE = {"а": "a", "б": "b", "в": "w", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "je", "ж": "sch", "з": "s",
         "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
         "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
         "щ": "schtsch", "ь": "", "ю": "ju", "я": "ja", "'": "", "’": ""}
UK_EN = {"а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
         "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
         "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
         "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": ""}
# Russian -> German (Duden), Russian -> English (BGN/PCGN).
RU_DE = {**UK_DE, "г": "g", "е": "e", "ё": "jo", "и": "i", "ы": "y", "э": "e", "ъ": ""}
RU_EN = {**UK_EN, "г": "g", "е": "e", "ё": "yo", "и": "i", "й": "y", "ы": "y", "э": "e", "ъ": "", "ю": "yu",
         "я": "ya"}
TABLES = {"uk": (UK_DE, UK_EN), "ru": (RU_DE, RU_EN)}
# Word-initial forms of the English system (є, ї, й, ю, я are ye, yi, y, yu, ya at the start of a word).
_EN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
# Ukrainian/Russian case endings -> nominative, so "Зеленського" (genitive) is read as "Зеленський".
_ADJECTIVAL = re.compile(r"(ського|ському|ським|ській|ської|ською|ської|ськог|ськ[аоуіи])$")
_NOUN_ENDING = re.compile(r"(ові|еві|ою|ею|ом|ем|ам|ах|у|ю|а|я|і|е)$")
# English spellings no German transliteration produces: the marks of an English-transliterated name.
EN_MARKS = re.compile(r"(sk(?:yy|yi|iy|y)$|zk(?:yy|yi|y)$|enko$|[oe]vych$|zh|kh|shch)", re.IGNORECASE)
# English (Ukrainian national / common press) spelling read back to Cyrillic; longest first.
_EN_BACK = sorted({"shch": "щ", "zh": "ж", "kh": "х", "ts": "ц", "ch": "ч", "sh": "ш", "yu": "ю", "ya": "я",
                   "ye": "є", "yi": "ї", "iu": "ю", "ia": "я", "a": "а", "b": "б", "v": "в", "h": "г", "g": "ґ",
                   "d": "д", "e": "е", "z": "з", "y": "и", "i": "і", "k": "к", "l": "л", "m": "м", "n": "н",
                   "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф", "w": "в"}.items(),
                  key=lambda kv: -len(kv[0]))
LATIN_NAME = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?\b")
CYRILLIC_NAME = re.compile(r"\b[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+\b")


def transliterate(word: str, table: dict[str, str], initial: dict[str, str] | None = None) -> str:
    """Letter by letter, keeping the capital of the first letter."""
    out = []
    for position, ch in enumerate(word):
        lower = ch.lower()
        piece = (initial or {}).get(lower) if position == 0 else None
        piece = table.get(lower, lower) if piece is None else piece
        out.append(piece.capitalize() if ch.isupper() else piece)
    text = "".join(out)
    return text[:1].upper() + text[1:] if word[:1].isupper() else text


def nominatives(word: str) -> set[str]:
    """The word and its likely nominative forms (surnames are adjectives: -ського -> -ський)."""
    forms = {word}
    if _ADJECTIVAL.search(word):
        forms.add(_ADJECTIVAL.sub("ський", word))
    elif len(word) > 4:
        forms.add(_NOUN_ENDING.sub("", word))
        if word.endswith("ові"):  # і/о alternate: Харків, locative Харкові
            forms.add(word[:-3] + "ів")
    return forms


def rendering_pairs(word: str, lang: str) -> dict[str, str]:
    """English rendering -> the German rendering of the same (nominative) form of a Cyrillic name."""
    de_table, en_table = TABLES[lang]
    pairs = {}
    for form in sorted(nominatives(word), key=lambda f: (f != word, f)):
        german = transliterate(form, de_table)
        en = transliterate(form, en_table, _EN_INITIAL)
        # The press writes the -ий ending as -y, -yy, -yi or -iy.
        for variant in [en] + [re.sub(r"(?:yi|iy)$", ending, en) for ending in ("yi", "yy", "y", "iy")]:
            pairs.setdefault(variant, german)
    return pairs


def renderings(word: str, lang: str) -> tuple[set[str], set[str]]:
    """German and English renderings of a Cyrillic name (with its nominative forms)."""
    pairs = rendering_pairs(word, lang)
    return set(pairs.values()), set(pairs)


def back_to_cyrillic(word: str) -> str:
    """Read an English-transliterated name back into (Ukrainian) Cyrillic."""
    lower, out, i = word.lower(), [], 0
    lower = re.sub(r"(?:yy|yi|iy|y)$", "\u0438\u0439", lower) if re.search(r"[sz]k(?:yy|yi|iy|y)$", lower) else lower
    while i < len(lower):
        for latin, cyrillic in _EN_BACK:
            if lower.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            out.append(lower[i])
            i += 1
    text = "".join(out)
    return text[:1].upper() + text[1:]



# Transliteration equivalences: two spellings with the same skeleton are one name.
_SKELETON_RULES = [(r"tsch|ch|kh|sh|sch|zh|ts|tz", "c"), (r"[wv]", "v"), (r"(?<=[aeiouy])[jy]|[jy](?=[aeiou])", "j"),
                   (r"ij$|yj$|yy$|yi$|iy$|y$|i$", "J"), (r"[sz]", "s"), (r"(.)\1", r"\1")]


def skeleton(name: str) -> str:
    key = name.lower()
    for pattern, replacement in _SKELETON_RULES:
        key = re.sub(pattern, replacement, key)
    return key



def plain(text: str) -> str:
    """Lower case without diacritics (é -> e, ö -> o), so "Pjöngjang" compares with "Pjongjang"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def consonants(word: str) -> str:
    """A loose key for romanisations of one name: "Pyongyang"/"Pjöngjang", "Kyiv"/"Kiew", "Koursk"/"Kursk"."""
    key = skeleton(plain(word)).lower().replace("ph", "f").replace("th", "t")
    key = re.sub(r"[aeiouyjhw]", "", re.sub(r"[ckq]", "k", key))
    return re.sub(r"(.)\1+", r"\1", key)


def same_consonants(a: str, b: str) -> bool:
    """Equal consonant keys, or one the other plus a last consonant ("Kreml"/"Kremlin", "Moskau"/"Moskva")."""
    short, long = sorted((consonants(a), consonants(b)), key=len)
    return len(short) >= 2 and (short == long or (len(short) >= 3 and len(long) == len(short) + 1
                                                  and long.startswith(short)))


def same_stem(a: str, b: str) -> bool:
    shared = len(os.path.commonprefix([a, b]))
    return shared >= STEM_PREFIX and 2 * shared >= min(len(a), len(b))



def cyrillic(word: str) -> bool:
    return bool(re.search(r"[а-яёіїєґ]", word.lower()))


def latin(word: str) -> bool:
    return all(ch.isascii() or "\u00c0" <= ch <= "\u024f" or not ch.isalpha() for ch in word)



def forms(word: str, lang: str) -> set[str]:
    """Spellings the target may use: the word (and its hyphen parts); for uk/ru, its transliterations."""
    if lang in TABLES and cyrillic(word):
        german, english = renderings(word, lang)
        forms = german | english
    else:
        forms = {word}
    return {part for form in forms for part in [form, *form.split("-")] if len(part) >= 3}


def counterpart(form: str, region: str, region_words: list[str]) -> bool:
    key_form = plain(form)
    if key_form in region:  # verbatim, inflected ("Bidens") or inside a compound ("Nordkorea", "Kursk-Region")
        return True
    key = skeleton(key_form)
    for word in region_words:
        other = plain(word)
        stems = {other} | {other[:-len(e)] for e in GERMAN_ENDINGS if other.endswith(e) and len(other) > len(e) + 2}
        if any(skeleton(stem) == key for stem in stems):
            return True
        # Capitalised, or an adjective made from the name ("Turkic" -> "türkische": German writes those lower case).
        if ((word[:1].isupper() or NAME_ADJECTIVE.search(other))
                and (same_stem(key_form, other) or any(same_consonants(key_form, s) for s in stems))):
            return True
    return False
