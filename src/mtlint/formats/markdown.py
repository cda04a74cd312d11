"""Markdown: the prose of a document (markdown-it-py), markup removed, one block a line.

Headings, paragraphs, list items, quotes and table cells each become one line
(a paragraph's soft line breaks become spaces, so a sentence wrapped over
several source lines stays one sentence); emphasis and link markup is
removed, keeping the link text and image alt text; code blocks, inline HTML
and HTML blocks are dropped, and so is a front matter block (YAML between
``---`` lines, TOML between ``+++`` lines, at the very start: metadata, not
prose). Offsets in reports index this extracted text.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt

_FRONT_MATTER = re.compile(r"\A(?:---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)|\+\+\+[ \t]*\r?\n.*?\r?\n\+\+\+)[ \t]*(?:\r?\n|\Z)",
                          re.DOTALL)


def markdown_text(text: str) -> str:
    text = _FRONT_MATTER.sub("", text.lstrip("\ufeff"), count=1)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    blocks = [_inline_text(token.children or []) for token in tokens if token.type == "inline"]
    blocks = [block.strip() for block in blocks if block.strip()]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _inline_text(children) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
    return "".join(parts)
