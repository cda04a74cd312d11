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

from ..check import DocumentPair, Finding, register

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
_EN_MARKS = re.compile(r"(sk(?:yy|yi|iy|y)$|zk(?:yy|yi|y)$|enko$|[oe]vych$|zh|kh|shch)", re.IGNORECASE)
# English (Ukrainian national / common press) spelling read back to Cyrillic; longest first.
_EN_BACK = sorted({"shch": "щ", "zh": "ж", "kh": "х", "ts": "ц", "ch": "ч", "sh": "ш", "yu": "ю", "ya": "я",
                   "ye": "є", "yi": "ї", "iu": "ю", "ia": "я", "a": "а", "b": "б", "v": "в", "h": "г", "g": "ґ",
                   "d": "д", "e": "е", "z": "з", "y": "и", "i": "і", "k": "к", "l": "л", "m": "м", "n": "н",
                   "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф", "w": "в"}.items(),
                  key=lambda kv: -len(kv[0]))
_LATIN_NAME = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?\b")
_CYRILLIC_NAME = re.compile(r"\b[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+\b")


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


def _dictionary_knows(word: str, lang: str) -> bool:
    from .spelling import _known_as_written, dictionary_path

    base = dictionary_path(lang)
    return bool(base) and _known_as_written(base, word)


ESTABLISHED_ZIPF = 2.0  # wordfreq: a spelling seen this often in German text is German usage ("Chomsky")


def _accepted(word: str, lang: str) -> bool:
    """A spelling the target language uses: in its dictionary or common in its text."""
    from .fluency import zipf

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


# Transliteration equivalences: two spellings with the same skeleton are one name.
_SKELETON_RULES = [(r"tsch|ch|kh|sh|sch|zh|ts|tz", "c"), (r"[wv]", "v"), (r"(?<=[aeiouy])[jy]|[jy](?=[aeiou])", "j"),
                   (r"ij$|yj$|yy$|yi$|iy$|y$|i$", "J"), (r"[sz]", "s"), (r"(.)\1", r"\1")]


def skeleton(name: str) -> str:
    key = name.lower()
    for pattern, replacement in _SKELETON_RULES:
        key = re.sub(pattern, replacement, key)
    return key


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
