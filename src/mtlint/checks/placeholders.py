"""Placeholders and inline tags: what the software fills in must survive translation.

A placeholder is an inline tag (``<x id="1"/>``, ``<g id="2">``, ``</g>``,
``<b>``), a printf conversion (``%s``, ``%d``, ``%1$s``, ``%(name)s``), a
brace field (``{0}``, ``{name}``, ``{}``, ``{name:>10}``, ``{{ name }}``) or a
shell-style ``${name}``. Within each aligned pair of sentences (a software-string
unit of ``mtlint pairs`` as a whole) the target must hold the same placeholders as the source,
as a multiset: order may change, as languages need. A source placeholder
missing from the target, one changed into another of its kind
(``%(name)s`` -> ``%(nom)s``), a duplicate and an extra one are issues.

Tags are compared by element and the attributes that are code: a translated
title, alt, placeholder, label or aria-label, and lang/dir, may differ.
On software strings printf conversions are compared by the argument they
take: ``%s … %d`` reordered as ``%2$d … %1$s`` is the same, as ``%d … %s``
is not (the program passes the arguments in order); flags (``%'d``) count.

On software strings (``mtlint pairs`` on PO, XLIFF, TMX: ``pair.software_strings``)
the project-variable syntaxes count too: ICU ``{n, plural, …}`` (argument
and type; the branches are translated), ``&entity;``, ``$var$``, ``%var%``,
``@VAR@``, ``#var#``, ``[var]``, ``$(var)``; their findings are critical,
as pofilter classes them: a lost variable breaks the program. In documents
these syntaxes are prose ("[sic]", "#1#") and are not read.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ..resources.placeholders import Placeholder, placeholders
from .base import DocumentPair, Finding, register


@register("placeholder", "accuracy/mistranslation", "major",
          "A placeholder or inline tag of the source (%s, {name}, <x id=\"1\"/>) missing, changed, duplicated "
          "or added in the translation.")
def placeholder_mismatch(pair: DocumentPair):
    strings = pair.software_strings
    for _, (s_start, s_end), (t_start, t_end) in pair.aligned():
        source = placeholders(pair.source, s_start, s_end, strings)
        target = placeholders(pair.target, t_start, t_end, strings)
        if not source and not target:
            continue
        for finding in _compare(source, target, (t_start, t_end)):
            yield replace(finding, severity="critical") if strings else finding


def _compare(source: list[Placeholder], target: list[Placeholder], target_span: tuple[int, int]):
    wanted = Counter(p.key for p in source)
    missing: list[Placeholder] = []
    remaining = Counter(wanted)
    extra: list[Placeholder] = []
    for placeholder in target:
        if remaining[placeholder.key] > 0:
            remaining[placeholder.key] -= 1
        else:
            extra.append(placeholder)
    for placeholder in source:
        if remaining[placeholder.key] > 0:
            remaining[placeholder.key] -= 1
            missing.append(placeholder)
    # A missing source placeholder and an extra target one of the same kind: one was changed into the other.
    for lost in list(missing):
        replacement = next((p for p in extra if p.kind == lost.kind and p.key not in wanted), None)
        if replacement is None:
            continue
        missing.remove(lost)
        extra.remove(replacement)
        yield Finding(target_span=(replacement.start, replacement.end), source_span=(lost.start, lost.end),
                      message=f"placeholder {lost.text} of the source changed to {replacement.text}",
                      suggestion=lost.text, confidence=0.95)
    for lost in missing:
        yield Finding(target_span=target_span, source_span=(lost.start, lost.end), category="accuracy/omission",
                      message=f"placeholder {lost.text} of the source is missing in the translation",
                      confidence=0.95)
    for added in extra:
        origin = next((p for p in source if p.key == added.key), None)
        if origin is not None:
            yield Finding(target_span=(added.start, added.end), source_span=(origin.start, origin.end),
                          category="accuracy/addition",
                          message=f"placeholder {added.text} appears {_count(target, added.key)} times in the "
                                  f"translation, {_count(source, added.key)} in the source", confidence=0.95)
        else:
            yield Finding(target_span=(added.start, added.end), source_span=None, category="accuracy/addition",
                          message=f"placeholder {added.text} is not in the source", confidence=0.9)


def _count(found: list[Placeholder], key: str) -> int:
    return sum(1 for p in found if p.key == key)
