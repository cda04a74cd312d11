"""CSV and TSV: one unit per row, columns named by a header or taken by position.

A first row naming ``source`` and ``target`` (and optionally ``reference``
and ``id``; case and surrounding spaces ignored; also ``src``/``original``,
``tgt``/``trg``/``dst``/``translation`` and ``ref``) is a header, and so is a first
row whose first two cells are two different language codes (``en,de``: then the
columns go by position); otherwise the columns are source, target[, reference]. CSV follows RFC 4180 quoting; TSV
has no quoting (a quote is text), as ``mtlint pairs`` always read it. The id
of a row is its ``id`` column, else its line number. Blank lines are skipped.
"""
from __future__ import annotations

import csv
import io

from ..errors import InputError
from ..read import MAX_BYTES
from .units import Bilingual, Unit

_COLUMNS = ("source", "target", "reference", "id")
_SYNONYMS = {"src": "source", "original": "source", "tgt": "target", "trg": "target", "dst": "target",
             "translation": "target", "ref": "reference"}


def _language_header(names: list[str]) -> bool:
    """``en,de``: a header naming the two sides' languages, not a unit."""
    from ..resources.langid import known_languages

    codes = [name.replace("_", "-").split("-")[0] for name in names[:2]]
    return len(names) >= 2 and codes[0] != codes[1] and all(code in known_languages() for code in codes)


def raise_field_limit() -> None:
    """Let a cell be as long as a file may be (csv's default refuses cells over 128 KiB)."""

    if csv.field_size_limit() < MAX_BYTES:
        csv.field_size_limit(MAX_BYTES)


def read_delimited(text: str, path: str, fmt: str) -> Bilingual:
    raise_field_limit()
    if fmt == "tsv":
        reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE, strict=True)
    else:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: dict[str, int] | None = None
    units = []
    line = 1
    try:
        for row in reader:
            row_line, line = line, reader.line_num + 1
            if not any(field.strip() for field in row):
                continue
            if columns is None:
                names = [_SYNONYMS.get(name, name) for name in (field.strip().lower() for field in row)]
                if "source" in names and "target" in names:
                    columns = {name: names.index(name) for name in _COLUMNS if name in names}
                    continue
                columns = {"source": 0, "target": 1, "reference": 2}
                if _language_header(names):
                    continue
            units.append(_unit(row, columns, path, row_line, fmt))
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: malformed {fmt.upper()} ({exc})") from None
    return Bilingual(path, fmt, units, None, None)


def _unit(row: list[str], columns: dict[str, int], path: str, line: int, fmt: str) -> Unit:
    needed = max(columns["source"], columns["target"]) + 1
    if len(row) < needed:
        separator = "<TAB>" if fmt == "tsv" else ","
        raise InputError(f"{path}:{line}: expected source{separator}target[{separator}reference], "
                         f"found {len(row)} field{'s' if len(row) != 1 else ''}")

    def field(name: str) -> str | None:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else None

    reference = field("reference")
    return Unit(field("id") or str(line), field("source"), field("target"), reference or None, line)
