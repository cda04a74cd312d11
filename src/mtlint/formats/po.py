"""gettext PO, parsed with polib: one unit per translated message.

The unit id is the msgid (``context|msgid`` with a msgctxt; ``msgid[n]`` for
plural form n). Untranslated and obsolete messages are skipped; fuzzy ones
are checked (they are translations awaiting review).
"""
from __future__ import annotations

import re

import polib

from ..errors import InputError
from .units import Bilingual, Unit

_STRING = r'"(?:[^"\\]|\\.)*"'
# polib accepts some malformed lines silently (``msgstr b``, an unterminated
# string), so every line is first checked against the PO grammar.
_LINE = re.compile(rf'\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+{_STRING}|{_STRING})?\s*')
_POLIB_LINE = re.compile(r"\(line (\d+)\)")


def read_po(text: str, path: str) -> Bilingual:
    for number, line in enumerate(text.splitlines(), start=1):
        if not _LINE.fullmatch(line):
            raise InputError(f"{path}:{number}: PO syntax error: {line.strip()[:60]!r}")
    try:
        catalog = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        match = _POLIB_LINE.search(str(exc))
        where = f"{path}:{match.group(1)}" if match else path
        raise InputError(f"{where}: PO syntax error ({_POLIB_LINE.sub('', str(exc)).strip()})") from None
    units, untranslated = [], 0
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        key = f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for form, translation in sorted(entry.msgstr_plural.items()):
                if translation:
                    source = entry.msgid if int(form) == 0 else entry.msgid_plural
                    units.append(Unit(f"{key}[{form}]", source, translation, None, entry.linenum))
                else:
                    untranslated += 1
        elif entry.msgstr:
            units.append(Unit(key, entry.msgid, entry.msgstr, None, entry.linenum))
        else:
            untranslated += 1
    language = catalog.metadata.get("Language") or None
    return Bilingual(path, "po", units, None, language, untranslated)
