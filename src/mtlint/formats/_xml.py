"""Safe XML parsing (defusedxml) and the textual form of inline markup.

Every XML input (XLIFF, TMX, feeds) goes through :func:`parse`: entity
declarations (the billion-laughs expansion) and external entities are refused
before anything is expanded or fetched. A bare ``<!DOCTYPE tmx SYSTEM
"tmx14.dtd">``, which TMX 1.4 files conventionally carry, is accepted and
never loaded.

Inline elements are kept in the unit text as a stable tag form that names the
element and its identifying attributes only, e.g. ``<x id="1"/>``,
``<g id="1">…</g>``, ``<ph id="1"/>``, so the placeholder check can compare
source and target markup by text.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from ..errors import InputError
from ..safety import MAX_DEPTH, shown

# Attributes that identify an inline element, in the order they are written.
_ID_ATTRIBUTES = ("id", "rid", "startRef", "i", "x", "pos")


class Element(ElementTree.Element):
    """An element that remembers the line it started on."""

    line: int = 0


class _TooDeep(Exception):
    pass


class _LineTreeBuilder(ElementTree.TreeBuilder):
    def __init__(self) -> None:
        super().__init__(element_factory=Element)
        self.parser: DefusedXMLParser | None = None
        self.depth = 0

    def start(self, tag, attrs):
        # Elements nested deeper than MAX_DEPTH are refused: the readers recurse into inline markup.
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep(self.parser.parser.CurrentLineNumber)
        element = super().start(tag, attrs)
        element.line = self.parser.parser.CurrentLineNumber
        return element

    def end(self, tag):
        self.depth -= 1
        return super().end(tag)


def parse(text: str, path: str) -> Element:
    """Parse ``text`` (already decoded) safely; every failure is a one-line :class:`InputError`."""
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        # The XML declaration's encoding no longer applies to decoded text.
        parser.feed(_drop_declared_encoding(text))
        return parser.close()
    except _TooDeep as exc:
        raise InputError(f"{shown(path)}:{exc.args[0]}: XML elements nested deeper than {MAX_DEPTH} levels "
                         f"refused") from None
    except EntitiesForbidden as exc:
        kind = "external entity" if exc.sysid or exc.pubid else "entity declaration"
        raise InputError(f"{path}: XML {kind} {exc.name!r} refused (entity expansion and external "
                         f"entities are unsafe)") from None
    except ExternalReferenceForbidden as exc:
        raise InputError(f"{path}: XML external reference {exc.sysid!r} refused (never fetched)") from None
    except DTDForbidden:  # not raised with forbid_dtd=False; kept for a stricter caller
        raise InputError(f"{path}: XML document type declarations are refused") from None
    except DefusedXmlException as exc:
        raise InputError(f"{path}: unsafe XML refused ({type(exc).__name__})") from None
    except (expat.ExpatError, ElementTree.ParseError) as exc:
        line, column = _position(exc)
        message = expat.ErrorString(exc.code) if getattr(exc, "code", None) else str(exc).split(":")[0]
        raise InputError(f"{path}:{line}:{column}: malformed XML ({message})") from None


def _drop_declared_encoding(text: str) -> str:
    if text.startswith("<?xml"):
        end = text.find("?>")
        if end != -1:
            declaration = re.sub(r"\s+encoding\s*=\s*(['\"])[^'\"]*\1", "", text[:end])
            return declaration + text[end:]
    return text


def _position(exc: Exception) -> tuple[int, int]:
    if getattr(exc, "position", None):
        line, column = exc.position
    else:
        line, column = getattr(exc, "lineno", 0), getattr(exc, "offset", 0)
    return line, column + 1


def local_name(tag: str) -> str:
    """``{urn:...}source`` -> ``source``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _start_tag(element: ElementTree.Element, closed: bool) -> str:
    attributes = "".join(f' {name}="{element.get(name)}"' for name in _ID_ATTRIBUTES
                         if element.get(name) is not None)
    return f"<{local_name(element.tag)}{attributes}{'/' if closed else ''}>"


def inline_text(element: ElementTree.Element, *, code: frozenset[str], paired: frozenset[str],
                characters: frozenset[str] = frozenset(), dropped: frozenset[str] = frozenset()) -> str:
    """The text of a ``<source>``/``<target>``/``<seg>`` with its inline elements as stable tags.

    ``code`` elements (native code such as ``<ph>``, ``<bpt>``) become one
    empty tag, their content dropped; ``paired`` elements (``<g>``, ``<pc>``)
    wrap their content in start and end tags; ``characters`` elements
    (XLIFF 2 ``<cp hex="..."/>``) become the character; ``dropped`` ones
    (empty markers) vanish; any other element
    (``<mrk>``, ``<hi>``) contributes only its text.
    """
    parts = [element.text or ""]
    for child in element:
        name = local_name(child.tag)
        if name in code:
            parts.append(_start_tag(child, closed=True))
        elif name in paired:
            parts.append(_start_tag(child, closed=False))
            parts.append(inline_text(child, code=code, paired=paired, characters=characters, dropped=dropped))
            parts.append(f"</{name}>")
        elif name in characters:
            parts.append(_code_point(child.get("hex", "")))
        elif name not in dropped:
            parts.append(inline_text(child, code=code, paired=paired, characters=characters, dropped=dropped))
        parts.append(child.tail or "")
    return "".join(parts)


def _code_point(hex_value: str) -> str:
    try:
        return chr(int(hex_value, 16))
    except (ValueError, OverflowError):
        return ""
