"""How the translation addresses its reader: German "du" and "Sie" mixed in one document.

English "you" is one word; German chooses informal "du" (plural "ihr") or formal "Sie", and a
text keeps to its choice.  Machine translation decides sentence by sentence, so a talk that
says "Sie" to its audience can switch to "du" where the English turns personal ("If you were
standing near enough, your ear …").  The experts who annotated TED MQM marked such switches as
Fluency/Register (docs/benchmarks.md).

The document's choice is the form it uses more often; each use of the other form is reported.
Counted are the unambiguous forms only: "du", "dich", "dir", "dein…", "euch", "euer…" (informal;
"ihr" is also *her* and *their*) and a capitalised "Sie", "Ihnen", "Ihr…" inside a sentence
(formal).  A form that opens a sentence is not counted: there the capital says nothing ("Sie
haben" may be *they*), and "Du" is left out too so that both sides are counted alike (it is still
reported where the text is formal).  Quoted speech is left out: a quoted person may address
someone else in another way; so is a form the source has too ("Daphne du Maurier").  Only sources
that do not make the distinction themselves (English) are judged this way: a French or Ukrainian
source says which form it means.
In segment-pair mode the file's choice stands in for the document's, as a feed keeps one register.
"""
from __future__ import annotations

import bisect
import re

from ..resources.quotes import quote_marks
from ..resources.segment import paragraph_bounds
from .base import DocumentPair, Finding, file_statistic, register

SOURCES_WITHOUT_DISTINCTION = {"en"}  # languages whose second person has one form for both registers
_INFORMAL = re.compile(r"(?<!\w)(?:[dD](?:u|ich|ir|ein|eine|einen|einem|einer|eines)|[eE](?:uch|uer|ure|uren|urem|urer|ures))(?!\w)")
_FORMAL = re.compile(r"(?<!\w)(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)(?!\w)")
_INSIDE_A_SENTENCE = re.compile(r"[\w,;][ \t]*$")  # what stands before a word that is not a sentence's first
_SOURCE_WORD = re.compile(r"\w+")

Form = tuple[int, int, str, bool]  # (start, end, "formal" or "informal", counted: not a sentence's first word)


def _judged(source_lang: str, target_lang: str) -> bool:
    return target_lang == "de" and source_lang in SOURCES_WITHOUT_DISTINCTION


def address_forms(text: str, start: int = 0, end: int | None = None,
                  source_words: frozenset[str] = frozenset()) -> list[Form]:
    """The unquoted forms of address in ``text[start:end]``, one paragraph, leaving out words of the
    source (``source_words``: a name's "du").  A formal capital that opens a sentence is left out."""
    end = len(text) if end is None else end
    matches = sorted([(m.start(), m.end(), "informal") for m in _INFORMAL.finditer(text, start, end)]
                     + [(m.start(), m.end(), "formal") for m in _FORMAL.finditer(text, start, end)])
    if not matches:
        return []
    marks = list(quote_marks(text, start, end))  # one pass over the paragraph's quotation marks
    found, opened, k = [], 0, 0
    for a, b, kind in matches:
        while k < len(marks) and marks[k][0] < a:
            opened = opened + 1 if marks[k][2] else max(opened - 1, 0)
            k += 1
        if opened or text[a:b] in source_words:
            continue
        first = not _INSIDE_A_SENTENCE.search(text, max(start, a - 8), a)
        if kind == "formal" and first:
            continue  # "Sie haben …" may be *they*; a capital after a colon or quote says nothing
        found.append((a, b, kind, not first))
    return found


def count(forms: list[Form], counts: dict[str, int] | None = None) -> dict[str, int]:
    counts = counts if counts is not None else {"formal": 0, "informal": 0}
    for *_, kind, counted in forms:
        counts[kind] += counted
    return counts


def document_forms(pair: DocumentPair) -> list[Form]:
    if not _judged(pair.source_lang, pair.target_lang):
        return []
    source_words = frozenset(_SOURCE_WORD.findall(pair.source))
    return [form for start, end in sorted(paragraph_bounds(pair.target_sentences).values())
            for form in address_forms(pair.target, start, end, source_words)]


def file_counts(rows: list[tuple[str, str]], source_lang: str, target_lang: str) -> dict[str, int] | None:
    """The forms of address of a whole file of segment pairs (each row its own paragraph)."""
    if not _judged(source_lang, target_lang):
        return None
    counts = {"formal": 0, "informal": 0}
    for source, target in rows:
        count(address_forms(target, source_words=frozenset(_SOURCE_WORD.findall(source))), counts)
    return counts


@file_statistic
def _file_counts(batch) -> dict[str, int] | None:
    """The usual form of address of a whole file of segment pairs."""
    return file_counts(batch.rows, batch.source_lang, batch.target_lang)


@register("address-form", "fluency/register", "minor",
          "A form of address (informal \"du\" or formal \"Sie\") other than the one the document "
          "mostly uses, where the source (English \"you\") does not choose between them.")
def address_form(pair: DocumentPair):
    forms = document_forms(pair)
    counts = (pair.batch.statistic(_file_counts) if pair.batch is not None else None) or count(forms)
    if counts["formal"] == counts["informal"]:
        return  # no register chosen more often: nothing to hold the others to
    usual = max(counts, key=counts.get)
    sources = pair.sentence_sources()
    starts = [s.start for s in pair.target_sentences]
    for start, end, kind, _ in forms:
        if kind == usual:
            continue
        index = bisect.bisect_right(starts, start) - 1
        word = pair.target[start:end]
        yield Finding(target_span=(start, end), source_span=sources.get(index),
                      message=f"{kind} \"{word}\" where the text addresses its reader {usual}ly "
                              f"(formal {counts['formal']}, informal {counts['informal']})",
                      suggestion=f"the {usual} form (and the verb's)", confidence=0.6)
