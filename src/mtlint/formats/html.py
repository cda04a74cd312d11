"""HTML: the article text of a page (trafilatura), or the text of a fragment (a feed item).

Offsets in reports on an HTML document index this extracted text (one line
per paragraph or heading), not the HTML source.
"""
from __future__ import annotations

import re

from ..errors import InputError

# Elements whose content is never prose.
_DROPPED = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "head",
                      "nav", "form", "button", "select", "textarea"})
# Elements that end a line of text.
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
                     "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol",
                     "p", "pre", "section", "table", "td", "th", "tr", "ul", "body", "html"})
_SPACE = re.compile(r"[ \t\r\n\f\u00a0]+")


def article_text(html: str, path: str) -> str:
    """The main text of a page: navigation, scripts, headers and footers dropped; one paragraph a line."""
    import trafilatura

    text = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True,
                               include_links=False, include_images=False, deduplicate=False)
    if not text or not text.strip():
        # Pages too short for trafilatura's boilerplate model: all their prose.
        text = fragment_text(html)
    if not text.strip():
        raise InputError(f"{path}: no article text found in the HTML")
    return text if text.endswith("\n") else text + "\n"


def fragment_text(html: str) -> str:
    """Visible text of an HTML fragment, one block element a line, whitespace collapsed."""
    import lxml.html
    from lxml import etree

    if not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(html) if re.match(r"\s*<(!doctype|html)\b", html, re.IGNORECASE) \
            else lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    parts: list[str] = []
    _walk(root, parts)
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _walk(element, parts: list[str]) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else None
    if tag is not None and tag not in _DROPPED:
        block = tag in _BLOCKS
        if block:
            parts.append("\n")
        parts.append((element.text or "").replace("\n", " "))
        for child in element:
            _walk(child, parts)
        if block:
            parts.append("\n")
    parts.append((element.tail or "").replace("\n", " "))
