"""What a bilingual file holds: pre-aligned translation units."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """One pre-aligned translation unit of a bilingual file."""

    id: str                  # unit id, msgid or row/line number: what issues point back to
    source: str
    target: str
    reference: str | None    # a human reference translation, when the file has one
    line: int | None         # line in the file where the unit starts
    max_width: int | None = None  # most characters the target may have (XLIFF maxwidth, size-unit="char")


@dataclass(frozen=True)
class Bilingual:
    path: str
    format: str
    units: list[Unit]
    source_lang: str | None  # as declared in the file (XLIFF, TMX), if it declares one
    target_lang: str | None
    untranslated: int = 0    # units without a translation (no or an empty target), left out of ``units``
