"""Rendering reports (JSON, text) and writing them atomically."""
from __future__ import annotations

import bisect
import json
import os
import tempfile


def to_json(data: dict) -> str:
    """Deterministic JSON: sorted keys, no ASCII escaping, a final newline."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


class LineIndex:
    """Character offset -> (line, column), both 1-based, as editors count them."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def counted(number: int, noun: str) -> str:
    """"1 issue", "2 issues": a count with its English noun."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def to_text(report: dict, target_text: str, color: bool = False) -> str:
    """One line per issue, ``path:line:col: severity category [check] ...``, then a summary."""
    import click

    index = LineIndex(target_text)
    path = report["target"]["path"]
    out = []
    for warning in report.get("warnings", []):
        out.append(f"warning: {warning}")
    styles = {"critical": "red", "major": "yellow", "minor": "cyan", "hint": "white"}
    # Confident findings first, then the hints (for review), each in document order.
    for issue in sorted(report["issues"], key=lambda i: i["severity"] == "hint"):
        if issue["target_span"]:
            line, col = index.position(issue["target_span"][0])
            where = f"{path}:{line}:{col}"
        else:
            where = f"{path}:-"
        severity = click.style(issue["severity"], fg=styles[issue["severity"]], bold=True) if color else issue["severity"]
        parts = [f"{where}: {severity} {issue['category']} [{issue['check']}]"]
        if issue["target_text"]:
            parts.append(f'"{_clip(issue["target_text"])}"')
        if issue["source_text"]:
            parts.append(f'<- "{_clip(issue["source_text"])}"')
        parts.append(issue["message"])
        if issue.get("suggestion"):
            parts.append(f'(suggest: "{_clip(issue["suggestion"])}")')
        if issue.get("baselined"):  # in the --baseline file: reported, not held against the gate
            parts.append("(baselined)")
        if issue.get("related"):  # other findings merged into this one (mtlint.verdict)
            parts.append(f"(+{len(issue['related'])} related: "
                         f"{', '.join(sorted({r['check'] for r in issue['related']}))})")
        out.append(" ".join(parts))
    if report.get("reference_metrics"):
        scores = ", ".join(f"{name} {m['score']:g}" for name, m in sorted(report["reference_metrics"].items()))
        out.append(f"{path}: against the reference {report['reference']['path']}: {scores}")
    summary = report["summary"]
    by_severity = summary["issues_by_severity"]
    counts = ", ".join(f"{k} {by_severity.get(k, 0)}" for k in ("minor", "major", "critical"))
    if by_severity.get("hint"):  # the review tier, said apart: it carries no penalty and fails no gate
        counts += f"; {counted(by_severity['hint'], 'hint')} for review"
    verdict = "passed" if summary["passed"] else "FAILED"
    if summary.get("failed_because"):
        verdict += f" ({'; '.join(summary['failed_because'])})"
    if "issues_baselined" in summary:
        counts += f"; {summary['issues_new']} new, {summary['issues_baselined']} baselined"
    out.append(f"{path}: {counted(len(report['issues']), 'issue')} ({counts}); MQM penalty {summary['mqm_penalty']:g} "
               f"({summary['mqm_per_100_words']:g} per 100 words, {summary['words']} words) - {verdict}")
    return "\n".join(out) + "\n"


def write_atomic(path: str, content: str) -> None:
    """Write via a temporary file in the same directory, flushed to disk, then
    renamed over ``path``: readers see the old file or the new one, never a
    half-written one, even after an interruption or a crash. A symlink at
    ``path`` is replaced, never written through. Failures are one-line errors."""
    from .errors import MtlintError

    directory = os.path.dirname(os.path.abspath(path))
    tmp = None
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".mtlint-", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            # mkstemp creates the file private (0600); a report gets the usual mode.
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
        _fsync_directory(directory)  # the rename itself survives a power cut
    except OSError as exc:
        raise MtlintError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_directory(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some platforms cannot open a directory; the rename is done anyway
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
