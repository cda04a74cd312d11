"""The software-string case file (tests/data/strings/cases.tsv), read for the tests and the bench."""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass

CASES = os.path.join(os.path.dirname(__file__), "data", "strings", "cases.tsv")
_ESCAPE = re.compile(r"\\(\\|n|t|u[0-9A-Fa-f]{4})")


def decode(cell: str) -> str:
    """A cell's text: \\n a line break, \\t a tab, \\\\ a backslash, \\uXXXX that character."""
    def one(match: re.Match) -> str:
        code = match.group(1)
        return {"\\": "\\", "n": "\n", "t": "\t"}.get(code) or chr(int(code[1:], 16))
    return _ESCAPE.sub(one, cell)


@dataclass(frozen=True)
class Case:
    line: int
    check: str
    source_lang: str
    target_lang: str
    source: str
    target: str
    expected: str   # "pass" or "fail"
    limit: int | None
    note: str

    def __str__(self) -> str:
        return (f"line {self.line} [{self.check}] {self.source_lang}->{self.target_lang} "
                f"{self.source!r} -> {self.target!r} should {self.expected}")


def load_cases(path: str = CASES) -> list[Case]:
    cases = []
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [(n, line) for n, line in enumerate(handle, start=1) if not line.startswith("#")]
    reader = csv.reader([line for _, line in lines], delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    assert header == ["check", "src", "tgt", "source", "target", "expected", "limit", "note"], header
    for (number, _), row in zip(lines[1:], reader):
        check, src, tgt, source, target, expected, limit, note = row
        assert expected in ("pass", "fail"), f"line {number}: expected {expected!r}"
        cases.append(Case(number, check, src, tgt, decode(source), decode(target), expected,
                          int(limit) if limit else None, note))
    return cases


def run_case(case: Case) -> list:
    """The issues the case's check raises on its unit (no model)."""
    from mtlint.testing import check_unit

    return check_unit(case.source, case.target, case.source_lang, case.target_lang, [case.check], case.limit)
