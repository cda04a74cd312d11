"""How the translation addresses its reader: German "du" and "Sie" mixed in one document.

English "you" is one word; German chooses informal "du" (plural "ihr") or formal "Sie", and a
text keeps to its choice.  Machine translation decides sentence by sentence, so a talk that
says "Sie" to its audience can switch to "du" where the English turns personal ("If you were
standing near enough, your ear …").  The experts who annotated TED MQM marked such switches as
Fluency/Register (docs/benchmarks.md).

The document's choice is the form it uses more often; each use of the other form is reported.
Counted are the unambiguous forms only: "du", "dich", "dir", "dein…", "euch", "euer…" (informal;
"ihr" is also *her* and *their*) and a capitalised "Sie", "Ihnen", "Ihr…" inside a sentence
(formal; at a sentence's start the capital says nothing).  Quoted speech is left out: a quoted
person may address someone else in another way.  Only sources that do not make the distinction
themselves (English) are judged this way: a French or Ukrainian source says which form it means.
In segment-pair mode the file's choice stands in for the document's, as a feed keeps one register.
"""
from __future__ import annotations

import re

from ..check import DocumentPair, Finding, register
from .fluency import _paragraph_bounds, _sentence_source, open_quotation

SOURCES_WITHOUT_DISTINCTION = {"en"}  # languages whose second person has one form for both registers
_INFORMAL = re.compile(r"(?<!\w)(?:[dD](?:u|ich|ir|ein|eine|einen|einem|einer|eines)|[eE](?:uch|uer|ure|uren|urem|urer|ures))(?!\w)")
_FORMAL = re.compile(r"(?<!\w)(?:Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)(?!\w)")
_INSIDE_A_SENTENCE = re.compile(r"[\w,;]\s*$")  # what stands before a word that is not a sentence's first


def address_forms(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """(start, end, "formal" or "informal") for each unquoted form of address in ``text[start:end]``,
    one paragraph."""
    end = len(text) if end is None else end
    found = []
    for pattern, kind in ((_INFORMAL, "informal"), (_FORMAL, "formal")):
        for match in pattern.finditer(text, start, end):
            if kind == "formal" and not _INSIDE_A_SENTENCE.search(text[max(start, match.start() - 8):match.start()]):
                continue  # "Sie haben …" may be *they*; a capital after a colon or quote says nothing
            if open_quotation(text, start, match.start()) is None:
                found.append((match.start(), match.end(), kind))
    return sorted(found)


def document_forms(pair: DocumentPair) -> list[tuple[int, int, str]]:
    if pair.target_lang != "de" or pair.source_lang not in SOURCES_WITHOUT_DISTINCTION:
        return []
    return [form for start, end in sorted(_paragraph_bounds(pair.target_sentences).values())
            for form in address_forms(pair.target, start, end)]


def file_counts(targets: list[str], source_lang: str, target_lang: str) -> dict[str, int] | None:
    """The forms of address of a whole file of segment pairs (each row its own paragraph)."""
    if target_lang != "de" or source_lang not in SOURCES_WITHOUT_DISTINCTION:
        return None
    counts = {"formal": 0, "informal": 0}
    for text in targets:
        for _, _, kind in address_forms(text):
            counts[kind] += 1
    return counts


@register("address-form", "fluency/register", "minor",
          "A form of address (informal \"du\" or formal \"Sie\") other than the one the document "
          "mostly uses, where the source (English \"you\") does not choose between them.")
def address_form(pair: DocumentPair):
    forms = document_forms(pair)
    counts = pair.cache.get("address_counts") or {
        "formal": sum(kind == "formal" for *_, kind in forms), "informal": sum(kind == "informal" for *_, kind in forms)}
    if not counts["formal"] or not counts["informal"] or counts["formal"] == counts["informal"]:
        return  # one register, or none chosen more often: nothing to hold the others to
    usual = max(counts, key=counts.get)
    sources = _sentence_source(pair)
    for start, end, kind in forms:
        if kind == usual:
            continue
        index = next((i for i, s in enumerate(pair.target_sentences) if s.start <= start < s.end), None)
        word = pair.target[start:end]
        yield Finding(target_span=(start, end), source_span=sources.get(index),
                      message=f"{kind} \"{word}\" where the text addresses its reader {usual}ly "
                              f"(formal {counts['formal']}, informal {counts['informal']})",
                      suggestion=f"the {usual} form (and the verb's)", confidence=0.6)
