"""Placeholders and markup inside translatable text: the syntaxes, found with their spans.

Inline tags (``<x id="1"/>``, ``<g id="2">``), printf conversions (``%s``, ``%(name)s``,
``%1$d``, ``%'d``), brace fields (``{0}``, ``{name}``, ``{{ name }}``) and ``${name}``
everywhere; on software strings also ICU ``{n, plural, …}``, ``&entity;``, ``$var$``,
``%var%``, ``@VAR@``, ``#var#``, ``[var]`` and ``$(var)``, which in prose are text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

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
            return tag_key(self.text)
        if self.kind == "printf" and self.argument is not None:
            return f"%{self.argument}${_POSITION.sub('', self.text)}"
        if self.kind == "icu":
            return re.sub(r"\s+", "", self.text)
        return self.text


def tag_key(text: str) -> str:
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
            close = closing_brace(text, match.start(), end)
            branch = text.find("{", match.end(), close)
            while branch != -1 and depth < MAX_ICU_DEPTH:
                branch_close = closing_brace(text, branch, close)
                found.extend(_read(text, branch + 1, max(branch + 1, branch_close - 1), strings, depth + 1))
                branch = text.find("{", branch_close, close)
            position = close
    return found


def closing_brace(text: str, opening: int, end: int) -> int:
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
