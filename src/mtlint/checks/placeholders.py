"""Placeholders and inline tags: what the software fills in must survive translation.

A placeholder is an inline tag (``<x id="1"/>``, ``<g id="2">``, ``</g>``,
``<b>``), a printf conversion (``%s``, ``%d``, ``%1$s``, ``%(name)s``), a
brace field (``{0}``, ``{name}``, ``{}``, ``{name:>10}``, ``{{ name }}``) or a
shell-style ``${name}``. Within each aligned pair of sentences (one unit in
``mtlint pairs``) the target must hold the same placeholders as the source,
as a multiset: order may change, as languages need. A source placeholder
missing from the target, one changed into another of its kind
(``%(name)s`` -> ``%(nom)s``), a duplicate and an extra one are issues.

Tags are compared by element and the attributes that are code: a translated
title, alt, placeholder, label or aria-label, and lang/dir, may differ.
On software strings printf conversions are compared by the argument they
take: ``%s … %d`` reordered as ``%2$d … %1$s`` is the same, as ``%d … %s``
is not (the program passes the arguments in order); flags (``%'d``) count.

On software strings (``mtlint pairs`` on PO, XLIFF, TMX: ``pair.cache["strings"]``)
the project-variable syntaxes count too: ICU ``{n, plural, …}`` (argument
and type; the branches are translated), ``&entity;``, ``$var$``, ``%var%``,
``@VAR@``, ``#var#``, ``[var]``, ``$(var)``; their findings are critical,
as pofilter classes them: a lost variable breaks the program. In documents
these syntaxes are prose ("[sic]", "#1#") and are not read.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ..check import DocumentPair, Finding, register

_KINDS = (
    ("tag", r"</?[A-Za-z][\w:.-]*(?:\s+[\w:.-]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))*\s*/?>"),
    ("printf", r"%(?:\d+\$|\([\w.-]+\))?[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh?|ll?|[Lqjzt])?[diouxXeEfFgGcsaAp@]"),
    ("template", r"\{\{\s*[\w.-]+\s*\}\}|\$\{[\w.-]+\}"),
    ("brace", r"\{(?:[A-Za-z_]\w*|\d+)?(?:\.\w+|\[\w+\])*(?:![rsa])?(?::[^{}\s]*)?\}"),
)
_PLACEHOLDER = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _KINDS))
# Software-string syntaxes, tried before the others (``%date%`` is a variable, not ``%d``).
_STRING_KINDS = (
    ("icu", r"\{\s*[\w.]+\s*,\s*(?:plural|selectordinal|select|number|date|time|duration|spellout|ordinal)\b"),
    ("varexpr", r"\{\{[^{}\n]+\}\}|\$\{[\w.-]+\}|\$\([\w.-]+\)"),
    ("variable", r"&[A-Za-z_][\w.-]*;|\$[A-Za-z_]\w*\$|%[A-Za-z_]\w+%|@[A-Za-z_][\w.]*@|#[A-Za-z_]\w*#"
                 r"|\[(?:[a-z_][a-z0-9_.]*|[A-Z_][A-Z0-9_.]*|[A-Za-z]\w*_[\w.]*)\]"),
)
_STRING_PLACEHOLDER = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _STRING_KINDS + _KINDS))
_POSITION = re.compile(r"^%(?:\d+\$)?")
# Attributes whose value is text for people, translated with the element's text.
_TRANSLATED_ATTRIBUTES = frozenset({"title", "alt", "placeholder", "aria-label", "aria-description", "label",
                                    "summary", "lang", "xml:lang", "dir", "abbr", "standby"})
_ATTRIBUTE = re.compile(r"([\w:.-]+)\s*=\s*(\"[^\"<>]*\"|'[^'<>]*')")
# A printf conversion glued between letters ("50%sure") is prose, not a placeholder.
_WORD_BEFORE = re.compile(r"\w")


@dataclass(frozen=True)
class Placeholder:
    start: int
    end: int
    text: str
    kind: str
    argument: int | None = None  # printf: the argument it takes (1-based), explicit or by position

    @property
    def key(self) -> str:
        """What is compared between source and target: tags by element and code attributes,
        printf conversions by argument, ICU arguments by name and type."""
        if self.kind == "tag":
            return _tag_key(self.text)
        if self.kind == "printf" and self.argument is not None:
            return f"%{self.argument}${_POSITION.sub('', self.text)}"
        if self.kind == "icu":
            return re.sub(r"\s+", "", self.text)
        return self.text


def _tag_key(text: str) -> str:
    """``<a href="x" title="tip">`` -> ``<a href="x" title>``: translated attribute values left out."""
    head = re.match(r"</?[^\s/>]+", text).group(0)
    attributes = []
    for name, value in _ATTRIBUTE.findall(text):
        attributes.append(name if name.lower() in _TRANSLATED_ATTRIBUTES else f"{name}={value[1:-1]}")
    return " ".join([head, *sorted(attributes)]) + ("/>" if text.rstrip().endswith("/>") else ">")


def placeholders(text: str, start: int = 0, end: int | None = None, strings: bool = False) -> list[Placeholder]:
    """Placeholders in ``text[start:end]``; with ``strings`` the software-string syntaxes too."""
    found = _read(text, start, len(text) if end is None else end, strings, 0)
    if not strings:
        return found  # in documents printf conversions are compared as written, in any order
    # printf arguments: explicit (%2$d) or the n-th unnumbered conversion; a program fills them
    # in that order, so unnumbered conversions may not be reordered, numbered ones may.
    counter = 0
    numbered = []
    for p in found:
        if p.kind == "printf" and not p.text.startswith("%("):
            explicit = re.match(r"%(\d+)\$", p.text)
            counter += 1
            p = Placeholder(p.start, p.end, p.text, p.kind, int(explicit.group(1)) if explicit else counter)
        numbered.append(p)
    return numbered


# ICU branch selectors ("one {", "=0 {"): code beside the branches' text.
_ICU_SELECTOR = re.compile(r"(?:\b(?:zero|one|two|few|many|other)|=\d+)\s*(?=\{)")


def code_spans(text: str, start: int = 0, end: int | None = None, strings: bool = False) -> list[tuple[int, int]]:
    """Spans of ``text[start:end]`` that are code, not language: placeholders, and where an ICU
    message is, its branch selectors."""
    found = placeholders(text, start, end, strings)
    spans = [(p.start, p.end) for p in found]
    if any(p.kind == "icu" for p in found):
        spans += [m.span() for m in _ICU_SELECTOR.finditer(text, start, len(text) if end is None else end)]
    return sorted(spans)


# ICU messages nest (a plural inside a select); deeper branches are not read (hostile input).
MAX_ICU_DEPTH = 8


def _read(text: str, start: int, end: int, strings: bool, depth: int) -> list[Placeholder]:
    pattern = _STRING_PLACEHOLDER if strings else _PLACEHOLDER
    found = []
    position = start
    while True:
        match = pattern.search(text, position, end)
        if match is None:
            break
        kind = match.lastgroup
        position = match.end()
        if kind == "printf" and match.start() > 0 and match.end() < len(text) \
                and _WORD_BEFORE.match(text[match.start() - 1]) and text[match.end()].isalpha():
            continue
        found.append(Placeholder(match.start(), match.end(), match.group(0), kind))
        if kind == "icu":
            # The argument is code; its branches ("one {# file} other {# files}") are text with
            # placeholders of their own: read those, and go on after the closing brace.
            close = _closing_brace(text, match.start(), end)
            branch = text.find("{", match.end(), close)
            while branch != -1 and depth < MAX_ICU_DEPTH:
                branch_close = _closing_brace(text, branch, close)
                found.extend(_read(text, branch + 1, max(branch + 1, branch_close - 1), strings, depth + 1))
                branch = text.find("{", branch_close, close)
            position = close
    return found


def _closing_brace(text: str, opening: int, end: int) -> int:
    """Offset just after the brace that closes the one at ``opening`` (``end`` if none does)."""
    depth = 0
    for offset in range(opening, end):
        if text[offset] == "{":
            depth += 1
        elif text[offset] == "}":
            depth -= 1
            if depth == 0:
                return offset + 1
    return end


@register("placeholder", "accuracy/mistranslation", "major",
          "A placeholder or inline tag of the source (%s, {name}, <x id=\"1\"/>) missing, changed, duplicated "
          "or added in the translation.")
def placeholder_mismatch(pair: DocumentPair):
    strings = bool(pair.cache.get("strings"))
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
