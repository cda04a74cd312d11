"""Input formats: what localization pipelines and newsrooms produce.

Bilingual files (XLIFF 1.2/2.x, TMX 1.4, gettext PO, CSV/TSV, JSONL) become
pre-aligned :class:`Unit` pairs for ``mtlint pairs``; monolingual documents
(plain text, Markdown, HTML) become the text that ``check`` and ``report``
segment and align. The format is taken from ``--input-format``, else from the
file extension, else from the content.
"""
from __future__ import annotations

import dataclasses
import os
import re

from ..errors import InputError, UsageError
from ..read import MAX_LINE_CHARS, Document, check_line_lengths, read_text
from ..safety import shown
from .units import Bilingual, Unit  # noqa: F401  (Unit: part of this package's API)

BILINGUAL = ("xliff", "tmx", "po", "csv", "tsv", "jsonl")
MONOLINGUAL = ("text", "markdown", "html")
FEEDS = ("rss", "atom")
INPUT_FORMATS = BILINGUAL + MONOLINGUAL

_EXTENSIONS = {
    ".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff", ".mxliff": "xliff",
    ".tmx": "tmx", ".po": "po", ".pot": "po", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rss": "rss", ".atom": "atom",
}
_XML_ROOT = re.compile(r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*|<\?[^>]*\?>\s*)*"
                       r"<(?:[\w.-]+:)?(xliff|tmx|rss|feed|rdf:RDF|html)\b", re.IGNORECASE | re.DOTALL)
_HTML_DOCTYPE = re.compile(r"^\s*<!DOCTYPE\s+html\b", re.IGNORECASE)
_PO_ENTRY = re.compile(r'^msgid\s+"', re.MULTILINE)
_SNIFF_CHARS = 4096


# Formats that hold software strings (user-interface messages): the string checks run on them.
SOFTWARE_FORMATS = ("xliff", "tmx", "po")
# CSV/TSV/JSONL whose units are this short (median words of the source) are strings too.
SHORT_UNIT_MEDIAN_WORDS = 12


def software_strings(bilingual: Bilingual) -> bool:
    """Does the file hold software strings, not document sentences? PO, XLIFF and TMX do; a
    CSV/TSV/JSONL file does when its units are short (median source length of at most
    :data:`SHORT_UNIT_MEDIAN_WORDS` words)."""
    if bilingual.format in SOFTWARE_FORMATS:
        return True
    lengths = sorted(len(unit.source.split()) for unit in bilingual.units if unit.source.strip())
    return bool(lengths) and lengths[len(lengths) // 2] <= SHORT_UNIT_MEDIAN_WORDS


def detect_format(path: str, text: str) -> str:
    """The format of ``path``: from its extension when known, else from its content."""
    by_extension = _EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if by_extension and by_extension not in ("text",):
        return by_extension
    head = text[:_SNIFF_CHARS]
    match = _XML_ROOT.match(head)
    if match:
        root = match.group(1).lower()
        return {"feed": "atom", "rdf:rdf": "rss"}.get(root, root)
    if _HTML_DOCTYPE.match(head):
        return "html"
    if by_extension:
        return by_extension
    if _PO_ENTRY.search(head) and re.search(r'^msgstr(\[\d+\])?\s+"', head, re.MULTILINE):
        return "po"
    if head.lstrip().startswith("{") and '"source"' in head:
        return "jsonl"
    return "text"


def read_document(path, input_format: str | None = None, *, line_limit: bool = True) -> Document:
    """Read a document; every failure is an :class:`InputError` with a one-line message.

    Markdown and HTML (by ``input_format``, else extension or content) are reduced to their prose;
    offsets then index that text. ``input_format="text"`` reads any file as it is.  ``line_limit``:
    refuse a line over MAX_LINE_CHARS (off for files whose lines are not paragraphs: XML, JSON lines).
    """
    document = read_text(path)
    text = document.text
    if input_format != "text":
        _, text = monolingual_text(document.path, text, input_format)
    if line_limit:
        check_line_lengths(text, shown(document.path))
    return Document(path=document.path, text=text, encoding=document.encoding)


def read_pairs(path: str, input_format: str | None = None, source_lang: str | None = None,
               target_lang: str | None = None) -> Bilingual:
    """Read a bilingual file into units; errors are one-line :class:`InputError`s with file:line."""
    document = read_text(path)
    fmt = input_format or detect_format(path, document.text)
    if fmt in ("text",):
        fmt = "tsv"  # the historical `mtlint pairs` input: source<TAB>target[<TAB>reference]
    if fmt not in BILINGUAL:
        raise UsageError(f"{path}: {fmt} is not a bilingual format (expected one of {', '.join(BILINGUAL)}); "
                         f"check a document against its original with `mtlint check`")
    if fmt in ("xliff", "tmx") and len(document.text) > MAX_XML_CHARS:

        raise InputError(f"{shown(path)}: {len(document.text)} characters of XML is more than the "
                         f"{MAX_XML_CHARS} this reader holds in memory (refused: split the file)")
    bilingual = _read_pairs(document, path, fmt, source_lang, target_lang)
    _check_units(bilingual, path)
    # A unit with an empty target is not translated yet, in every format: left out and counted.
    translated = [unit for unit in bilingual.units if unit.target.strip()]
    if len(translated) < len(bilingual.units):
        bilingual = dataclasses.replace(bilingual, units=translated,
                                        untranslated=bilingual.untranslated + len(bilingual.units) - len(translated))
    return bilingual


# Bilingual XML is parsed whole: its tree takes some 15 times the file's size in memory (a 60 MB
# XLIFF of 500,000 units peaked at 1.1 GB and took 43 s to read), so larger files are refused.
MAX_XML_CHARS = 16 * 1024 * 1024


def _check_units(bilingual: "Bilingual", path: str) -> None:

    for unit in bilingual.units:
        for side, text in (("source", unit.source), ("target", unit.target), ("reference", unit.reference)):
            if text and len(text) > MAX_LINE_CHARS:
                raise InputError(f"{shown(path)}: unit {shown(str(unit.id))}: {side} longer than {MAX_LINE_CHARS} "
                                 f"characters (refused: a unit is a segment, not a document)")


def _read_pairs(document, path: str, fmt: str, source_lang, target_lang) -> "Bilingual":
    if fmt == "xliff":
        from .xliff import read_xliff

        return read_xliff(document.text, path)
    if fmt == "tmx":
        from .tmx import read_tmx

        return read_tmx(document.text, path, source_lang, target_lang)
    if fmt == "po":
        from .po import read_po

        return read_po(document.text, path)
    if fmt == "jsonl":
        from .jsonl import read_jsonl

        return read_jsonl(document.text, path)
    from .delimited import read_delimited

    return read_delimited(document.text, path, fmt)


def monolingual_text(path: str, text: str, input_format: str | None = None) -> tuple[str, str]:
    """``(format, text to check)`` for a monolingual document; bilingual files and feeds are refused."""
    fmt = input_format or detect_format(path, text)
    if fmt == "markdown":
        from .markdown import markdown_text

        return fmt, markdown_text(text)
    if fmt == "html":
        from .html import article_text

        return fmt, article_text(text, path)
    if fmt in BILINGUAL:
        raise InputError(f"{path}: a {fmt} file holds source and target together; check it with `mtlint pairs`")
    if fmt in FEEDS:
        raise InputError(f"{path}: an {fmt.upper() if fmt == 'rss' else 'Atom'} feed; check it against the "
                         f"original feed with `mtlint feed`")
    return "text", text
