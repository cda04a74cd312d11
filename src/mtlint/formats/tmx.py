"""TMX 1.4: one unit per ``<tu>`` that has both the source and the target language.

The source language is ``--source-lang``, else the header's ``srclang``; the
target language is ``--target-lang``, else the one other language of the
file's ``<tuv>`` elements. Language tags match on their primary subtag
(``en-US`` is ``en``). Inline codes stay as stable tags: ``<bpt i="1"/>``,
``<ept i="1"/>``, ``<ph x="1"/>``, ``<it pos="begin"/>``, ``<ut/>`` (native
code dropped); ``<hi>`` and ``<sub>`` keep their text.
"""
from __future__ import annotations

from ..errors import InputError, UsageError
from .units import Bilingual, Unit
from ._xml import inline_text, local_name, parse

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CODE = frozenset({"bpt", "ept", "it", "ph", "ut"})


def _primary(tag: str | None) -> str | None:
    return tag.strip().lower().replace("_", "-").split("-")[0] if tag and tag.strip() else None


def read_tmx(text: str, path: str, source_lang: str | None = None, target_lang: str | None = None) -> Bilingual:
    root = parse(text, path)
    if local_name(root.tag) != "tmx":
        raise InputError(f"{path}:{root.line}: not TMX (root element <{local_name(root.tag)}>)")
    header = next((child for child in root if local_name(child.tag) == "header"), None)
    body = next((child for child in root if local_name(child.tag) == "body"), None)
    if body is None:
        raise InputError(f"{path}:{root.line}: TMX without <body>")
    units = []
    for tu in body.iter():
        if local_name(tu.tag) != "tu":
            continue
        variants = {}
        for tuv in tu:
            if local_name(tuv.tag) != "tuv":
                continue
            lang = _primary(tuv.get(_XML_LANG) or tuv.get("lang"))
            if lang is None:
                raise InputError(f"{path}:{tuv.line}: <tuv> without xml:lang")
            seg = next((child for child in tuv if local_name(child.tag) == "seg"), None)
            if seg is None:
                raise InputError(f"{path}:{tuv.line}: <tuv> without <seg>")
            variants.setdefault(lang, (inline_text(seg, code=_CODE, paired=frozenset()), tuv.line))
        units.append((tu, variants))
    declared = _primary(header.get("srclang")) if header is not None else None
    source = _primary(source_lang) or (declared if declared != "*all*" else None)
    if source is None:
        raise UsageError(f"{path}: the TMX header names no single source language; give --source-lang")
    languages = sorted({lang for _, variants in units for lang in variants} - {source})
    target = _primary(target_lang)
    if target is None:
        if len(languages) != 1:
            found = ", ".join(languages) or "none"
            raise UsageError(f"{path}: cannot tell the target language (languages besides {source}: {found}); "
                             f"give --target-lang")
        target = languages[0]
    pairs, untranslated = [], 0
    for tu, variants in units:
        if source in variants and target in variants:
            unit_id = tu.get("tuid") or str(tu.line)
            pairs.append(Unit(unit_id, variants[source][0], variants[target][0], None, tu.line))
        elif source in variants:
            untranslated += 1
    return Bilingual(path, "tmx", pairs, source, target, untranslated)
