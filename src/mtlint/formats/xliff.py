"""XLIFF 1.2 and 2.x: one unit per translated ``<trans-unit>`` (1.2) or ``<segment>`` (2.x).

Units without a target (not translated yet) are skipped. Inline elements stay
in the text as stable tags (see :mod:`._xml`): 1.2 ``<x id="1"/>``,
``<bx/>``, ``<ex/>``, ``<ph/>``, ``<bpt/>``, ``<ept/>``, ``<it/>`` (native
code inside dropped) and ``<g id="1">…</g>``; 2.x ``<ph id="1"/>``,
``<sc/>``, ``<ec/>`` and ``<pc id="1">…</pc>``, ``<cp hex="..."/>`` as its
character. Annotations (``<mrk>``, ``<sm/>``, ``<em/>``) keep only their text.
"""
from __future__ import annotations

from ..errors import InputError
from .units import Bilingual, Unit
from ._xml import inline_text, local_name, namespace, parse

_CODE_1 = frozenset({"x", "bx", "ex", "ph", "bpt", "ept", "it"})
_PAIRED_1 = frozenset({"g"})
_CODE_2 = frozenset({"ph", "sc", "ec"})
_PAIRED_2 = frozenset({"pc"})
_DROPPED_2 = frozenset({"sm", "em"})


def read_xliff(text: str, path: str) -> Bilingual:
    root = parse(text, path)
    if local_name(root.tag) != "xliff":
        raise InputError(f"{path}:{root.line}: not XLIFF (root element <{local_name(root.tag)}>)")
    version = root.get("version") or ""
    ns = namespace(root.tag)
    if version.startswith("2") or ns.startswith("urn:oasis:names:tc:xliff:document:2"):
        return _read_2(root, path)
    if version and not version.startswith("1."):
        raise InputError(f"{path}:{root.line}: unsupported XLIFF version {version!r} (1.2 and 2.x are read)")
    return _read_1(root, path)


def _children(element, name):
    return [child for child in element if local_name(child.tag) == name]


def _read_1(root, path: str) -> Bilingual:
    units, source_lang, target_lang, untranslated = [], None, None, 0
    for file in _children(root, "file"):
        source_lang = source_lang or file.get("source-language")
        target_lang = target_lang or file.get("target-language")
        for unit in file.iter():
            if local_name(unit.tag) != "trans-unit" or unit.get("translate") == "no":
                continue
            sources, targets = _children(unit, "source"), _children(unit, "target")
            if not sources:
                raise InputError(f"{path}:{unit.line}: <trans-unit> without <source>")
            if not targets:
                untranslated += 1
                continue
            unit_id = unit.get("id") or unit.get("resname") or str(unit.line)
            units.append(Unit(unit_id, _inline_1(sources[0]), _inline_1(targets[0]), None, unit.line,
                              _max_width(unit, path)))
    return Bilingual(path, "xliff", units, source_lang, target_lang, untranslated)


def _max_width(unit, path: str) -> int | None:
    """A trans-unit's ``maxwidth`` where its ``size-unit`` is ``char`` (the default unit, pixel,
    depends on the font and is not checked)."""
    width = unit.get("maxwidth")
    if width is None or (unit.get("size-unit") or "pixel") != "char":
        return None
    if not width.strip().isdigit():
        raise InputError(f"{path}:{unit.line}: maxwidth {width!r} is not a whole number")
    return int(width)


def _inline_1(element) -> str:
    return inline_text(element, code=_CODE_1, paired=_PAIRED_1)


def _inline_2(element) -> str:
    return inline_text(element, code=_CODE_2, paired=_PAIRED_2, characters=frozenset({"cp"}), dropped=_DROPPED_2)


def _read_2(root, path: str) -> Bilingual:
    units, untranslated = [], 0
    for file in _children(root, "file"):
        for unit in file.iter():
            if local_name(unit.tag) != "unit" or unit.get("translate") == "no":
                continue
            segments = [child for child in unit if local_name(child.tag) == "segment"]
            for number, segment in enumerate(segments, start=1):
                sources, targets = _children(segment, "source"), _children(segment, "target")
                if not sources:
                    raise InputError(f"{path}:{segment.line}: <segment> without <source>")
                if not targets:
                    untranslated += 1
                    continue
                unit_id = unit.get("id") or str(unit.line)
                if len(segments) > 1:
                    unit_id = f"{unit_id}#{segment.get('id') or number}"
                units.append(Unit(unit_id, _inline_2(sources[0]), _inline_2(targets[0]), None, segment.line))
    return Bilingual(path, "xliff", units, root.get("srcLang"), root.get("trgLang"), untranslated)
