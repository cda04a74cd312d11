"""Segmentation: paragraphs (one per non-blank line) and sentences inside them.

Sentences come from pysbd (rule-based, per language) with a small repair
step for patterns it misses in news text; offsets index the text as read.
A sentence never crosses a line break: in the articles mtlint reads, a line
is a paragraph, a headline or a list item.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pysbd

from . import cldr

# Languages pysbd has rules for; others use the English rules, which only
# rely on punctuation, abbreviations and capitalisation.
_PYSBD_LANGS = {"en", "hi", "mr", "zh", "es", "am", "ar", "hy", "bg", "ur", "ru", "pl",
                "fa", "nl", "da", "fr", "my", "el", "it", "ja", "de", "kk", "sk"}

# Blocks longer than this are cut at sentence-like boundaries before pysbd
# sees them: its regexes slow down badly on megabyte-long lines.
_MAX_BLOCK = 5000
_ROUGH_BOUNDARY = re.compile(r"(?<=[.!?…])\s+")
_LINE = re.compile(r"[^\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int

    def text(self, document: str) -> str:
        return document[self.start:self.end]


@functools.lru_cache(maxsize=None)
def _segmenter(lang: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=lang if lang in _PYSBD_LANGS else "en", clean=False)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines, stripped of surrounding whitespace."""
    spans = []
    for match in _LINE.finditer(text):
        start, end = _strip(text, match.start(), match.end())
        if start < end:
            spans.append((start, end))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] == "\ufeff"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _rough_blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= _MAX_BLOCK:
        return [(start, end)]
    pieces, piece_start = [], start
    for match in _ROUGH_BOUNDARY.finditer(text, start, end):
        if match.start() - piece_start >= _MAX_BLOCK // 2:
            pieces.append((piece_start, match.start()))
            piece_start = match.end()
    pieces.append((piece_start, end))
    # A piece without any boundary is still cut, at whitespace or hard.
    out = []
    for a, b in pieces:
        while b - a > _MAX_BLOCK:
            cut = text.rfind(" ", a + _MAX_BLOCK // 2, a + _MAX_BLOCK)
            cut = cut if cut > a else a + _MAX_BLOCK
            out.append((a, cut))
            a = cut
        out.append((a, b))
    return out


def _split_block(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    spans = []
    for block_start, block_end in _rough_blocks(text, start, end):
        block = text[block_start:block_end]
        cursor = 0
        for piece in _segmenter(lang).segment(block):
            found = block.find(piece, cursor) if piece else -1
            if found < 0:
                # pysbd altered the text (it should not with clean=False):
                # give up on it for this block rather than report wrong offsets.
                return [(start, end)]
            cursor = found + len(piece)
            a, b = _strip(text, block_start + found, block_start + cursor)
            if a < b:
                spans.append((a, b))
    return _repair(text, spans, lang)


# A German/Scandinavian ordinal ("am 7. Februar", "dem 23. Dezember"; tokenised "150 .") or an
# abbreviation followed by a lower-case word is not a sentence end.
_ORDINAL_END = re.compile(r"(?:\b\d{1,2} ?|\b[A-Za-zÄÖÜäöü]{1,3})\.$")
# German: a number after an article or a preposition is an ordinal even before a capitalised noun
# ("am 150. Meridian", "des 200. Geburtstages", "zum 3. Mal"), as before a month's name; after
# anything else a number can end a sentence ("belegte er Platz 3. Danach ...").
_GERMAN_ORDINAL = re.compile(r"(?:^|\s)(?:[Dd](?:er|ie|as|em|en|es)|[Aa]m|[Ii]m|[Zz]u[mr]|[Vv]om|[Bb]eim|[Aa]b|[Bb]is|"
                             r"[Ss]eit|[Vv]or|[Nn]ach|[Uu]m|[Ff]ür|[Üü]ber|[Ee]ine?[mnrs]?|[Ss]eine?[mnrs]?|"
                             r"[Ii]hre?[mnrs]?|[Jj]ede[mnrs]?)\s+\d{1,4} ?\.$")
_ABBREVIATED_END = re.compile(r"\b\d{1,2} ?\.?\s+([^\W\d_]{3,5}) ?\.$")


def _month_word(head: str, lang: str) -> bool:
    """Does ``head`` start with a month's name ("Februar", "Jänner", "Okt.")?"""
    word = re.match(r"[^\W\d_]+", head)
    return word is not None and cldr.is_month_name(word.group(), lang)


def _ordinal(previous: str, head: str, lang: str) -> bool:
    """Does ``previous`` end in an ordinal (or abbreviation) that ``head`` continues?"""
    if _ORDINAL_END.search(previous) and head[:1].islower():
        return True
    # a day and an abbreviated month before the year ("12. Okt. 2021", "3 Jan. 2020")
    abbreviated = _ABBREVIATED_END.search(previous)
    if abbreviated and head[:1].isdigit() and cldr.is_month_abbreviation(abbreviated.group(1), lang):
        return True
    return lang == "de" and (_GERMAN_ORDINAL.search(previous) is not None or (
        re.search(r"\b\d{1,2} ?\.$", previous) is not None and _month_word(head, lang)))


def _unclosed_quote(text: str) -> bool:
    """An ellipsis inside a quotation ("die ... Besatzer") does not end the sentence."""
    return text.count('"') % 2 == 1 or text.count("„") > text.count("“") or text.count("«") > text.count("»")


def _repair(text: str, spans: list[tuple[int, int]], lang: str = "en") -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            prev_start, prev_end = out[-1]
            head = text[start:end].lstrip("\"'„“”«»‚‘’ ")
            previous = text[prev_start:prev_end]
            if _ordinal(previous, head, lang) or (
                    previous.endswith(("...", "…")) and _unclosed_quote(previous)):
                out[-1] = (prev_start, end)
                continue
        out.append((start, end))
    return out


def sentences(text: str, lang: str = "en") -> list[Sentence]:
    """Split ``text`` into sentences; each keeps the index of its paragraph."""
    result = []
    for index, (start, end) in enumerate(paragraphs(text)):
        for a, b in _split_block(text, start, end, lang):
            result.append(Sentence(a, b, index))
    return result


def lines_as_sentences(text: str) -> list[Sentence]:
    """Pre-segmented input: every line is one sentence, blank lines included."""
    result, start = [], 0
    for index, line in enumerate(text.split("\n")):
        end = start + len(line)
        stripped_end = end - 1 if line.endswith("\r") else end
        result.append(Sentence(start, stripped_end, index))
        start = end + 1
    if result and result[-1].start == len(text):
        result.pop()  # the empty "line" after a final newline
    return result


def paragraph_bounds(sentences) -> dict[int, tuple[int, int]]:
    bounds: dict[int, tuple[int, int]] = {}
    for sentence in sentences:
        a, b = bounds.get(sentence.paragraph, (sentence.start, sentence.end))
        bounds[sentence.paragraph] = (min(a, sentence.start), max(b, sentence.end))
    return bounds


# Scripts written without spaces between words (Chinese, Japanese, Thai).
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f]")


def unit_words(text: str) -> int:
    """Words in ``text``; in scripts written without spaces (Chinese, Japanese, Thai) two and
    a half characters count as one word (a rough mean word length in those scripts)."""
    spaced = _CJK.sub(" ", text)
    return len(re.findall(r"[^\W_]+", spaced)) + -(-len(_CJK.findall(text)) * 2 // 5)
