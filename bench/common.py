"""What the bench scripts share: the repository's paths and the --set NAME=VALUE experiment settings."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FOLDERS = ("eval", "calibrate", "speed", "train", "probe")


def use_repository() -> None:
    """Put the checkout's src/ and the bench folders on the import path (scripts import each other)."""
    sys.path[:0] = [str(ROOT / "src"), *(str(ROOT / "bench" / folder) for folder in FOLDERS)]


def apply_settings(items: list[str]) -> dict:
    """``NAME=VALUE`` items for :func:`mtlint.checks.meaning.tune` (the meaning checks' settings)."""
    from mtlint.checks import meaning

    return meaning.tune(**dict(item.split("=", 1) for item in items))


RESULTS = ROOT / "bench" / "results"


def signature(settings: dict | None = None) -> dict:
    """What produced a figure, in the spirit of sacrebleu's signatures: mtlint's version, the
    commit and whether its code had uncommitted changes, the encoder, Python, the day, and any
    experiment settings."""
    import datetime
    import platform
    import subprocess

    sys.path.insert(0, str(ROOT / "src"))
    from mtlint import __version__
    from mtlint.embed import DEFAULT_MODEL

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    # Changes to the code that makes figures (src/, bench's scripts), not to docs or tests.
    dirty = bool(git("status", "--porcelain", "--untracked-files=no", "--", "src", ":(glob)bench/**/*.py"))
    return {"mtlint": __version__, "commit": git("rev-parse", "--short=7", "HEAD") or "unknown",
            "tree": "modified" if dirty else "clean", "encoder": DEFAULT_MODEL,
            "python": platform.python_version(), "date": datetime.date.today().isoformat(),
            **({"settings": settings} if settings else {})}


def signature_line(sig: dict) -> str:
    parts = [f"mtlint {sig['mtlint']}", f"commit {sig['commit']}" + (" (modified)" if sig["tree"] != "clean" else ""),
             f"encoder {sig['encoder']}", f"Python {sig['python']}", sig["date"]]
    parts += [f"{k}={v}" for k, v in sorted((sig.get("settings") or {}).items())]
    return " · ".join(parts)


def save_result(name: str, command: str, markdown: str, sig: dict, data: dict | None = None) -> Path:
    """Write bench/results/NAME.json: the command, its signature, the Markdown that
    docs/benchmarks.md shows (bench/render_benchmarks.py) and the raw figures."""
    import json

    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    record = {"name": name, "command": command, "signature": sig, "markdown": markdown.strip() + "\n",
              "data": data or {}}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def figures_table(figures: dict) -> str:
    """A two-column Markdown table of named figures (floats to 3 places, lists joined by " / ")."""
    def shown(value) -> str:
        if isinstance(value, (list, tuple)):
            return " / ".join(shown(v) for v in value)
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    return "\n".join(["| | |", "|---|---:|", *(f"| {name} | {shown(value)} |" for name, value in figures.items())])
