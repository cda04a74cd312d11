"""Quotation marks: which open and which close, how they pair up in a paragraph."""
from __future__ import annotations

import re


CLOSERS = {"„": "“”", "“": "”", "«": "»", "»": "«", '"': '"'}  # opening mark -> marks that close it


QUOTE_MARKS = "„“”«»\""


def quote_marks(text: str, start: int, end: int):
    """(offset, mark, opens) for each quotation mark of ``text[start:end]``.  „ always opens; ”
    never does; any other mark opens where it stands before a word after a space (German »…«,
    French « … », English “…”, straight "…") and closes where it stands after a word.  A
    neighbouring quotation mark counts as a space („»Ja«“).  Glued on both sides, or spaced on
    both, it closes an open quotation and else opens one."""
    depth = 0
    for match in re.finditer(r"[„“”«»\"]", text[start:end]):
        offset, mark = start + match.start(), match.group(0)
        before = offset == start or text[offset - 1].isspace() or text[offset - 1] in "([{–—" + QUOTE_MARKS
        after = (offset + 1 >= end or text[offset + 1].isspace()
                 or text[offset + 1] in ".,;:!?)]}–—" + QUOTE_MARKS)
        opens = mark == "„" or (mark != "”" and (before and not after or (before == after and not depth)))
        depth = depth + 1 if opens else max(depth - 1, 0)
        yield offset, mark, opens


def quote_slips(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Quotation marks in ``text[start:end]`` (one paragraph) that pair with nothing, as
    (offset, what is wrong): opened and never closed, closed and never opened, closed by
    a mark of another pair (see :func:`quote_marks` for which marks open)."""
    slips: list[tuple[int, str]] = []
    open_marks: list[int] = []
    for offset, mark, opens in quote_marks(text, start, end):
        if opens:
            open_marks.append(offset)
        elif not open_marks:
            slips.append((offset, f"{mark} closes a quotation that was never opened"))
        else:
            opener = text[open_marks.pop()]
            if mark not in CLOSERS[opener]:
                slips.append((offset, f"{mark} closes the quotation opened by {opener}"))
    slips += [(offset, f"{text[offset]} opens a quotation that is never closed") for offset in open_marks]
    return sorted(slips)


def open_quotation(text: str, start: int, end: int) -> int | None:
    """Offset of the innermost quotation mark still open at ``end`` (reading from ``start``), if any."""
    unclosed = [opening for opening, closing in quotations(text, start, end) if closing is None]
    return unclosed[-1] if unclosed else None


def quotations(text: str, start: int, end: int) -> list[tuple[int, int | None]]:
    """(opening offset, closing offset or None) of each quotation in ``text[start:end]``, in the
    order they open."""
    found: list[list] = []
    open_quotes: list[int] = []
    for offset, _, opens in quote_marks(text, start, end):
        if opens:
            open_quotes.append(len(found))
            found.append([offset, None])
        elif open_quotes:
            found[open_quotes.pop()][1] = offset
    return [(a, b) for a, b in found]
