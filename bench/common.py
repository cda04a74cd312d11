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
