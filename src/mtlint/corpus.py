"""A corpus on disk: translations paired with their originals by file name, and the safe, distinct
names their reports are written under."""
from __future__ import annotations

import os

from .errors import UsageError


def _safe_name(stem: str) -> str:
    """A file name that cannot leave the output directory, whatever the document is called."""
    import re

    name = re.sub(r"[^\w.-]+", "_", stem).strip("._-") or "document"
    # At most 150 bytes in UTF-8 (file names are limited to 255 bytes), room
    # left for a disambiguating suffix and the extension.
    return name.encode("utf-8")[:150].decode("utf-8", "ignore").rstrip("._-") or "document"


# The run's own files: a document may not be called after them.
_RUN_FILES = {"report", "index"}


def output_names(stems: list[str]) -> list[str]:
    """One safe output name per document stem, all distinct, even when
    sanitising, truncating or a case-insensitive file system would make two
    the same: those get a suffix from a hash of their stem."""
    import hashlib
    from collections import Counter

    bases = [_safe_name(stem) for stem in stems]
    counts = Counter(base.casefold() for base in bases)
    names, used = [], set(_RUN_FILES)
    for stem, base in zip(stems, bases):
        name = base
        if counts[base.casefold()] > 1 or base.casefold() in used:
            name = f"{base}-{hashlib.sha256(stem.encode('utf-8', 'surrogateescape')).hexdigest()[:10]}"
        number = 2
        while name.casefold() in used:  # only if a stem is itself named like a suffixed one
            name, number = f"{base}-{number}", number + 1
        used.add(name.casefold())
        names.append(name)
    return names


def pair_documents(corpus_dir: str, references_dir: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Pair ``<stem>.txt`` translations with ``<stem>.<lang>.txt`` originals: (stem, original,
    translation) per pair, and the files left unpaired.  No pair at all is an error (a run that
    checks nothing must not pass a gate)."""
    from .safety import shown

    if not os.path.isdir(corpus_dir):
        raise UsageError(f"{corpus_dir}: not a directory")
    if not os.path.isdir(references_dir):
        raise UsageError(f"{references_dir}: not a directory")
    pairs, unpaired = _pair(corpus_dir, references_dir)
    if not pairs:
        if _pair(references_dir, corpus_dir)[0]:
            hint = "; the two directories look swapped: give the translations first, then the originals"
        elif unpaired:
            hint = f"; {len(unpaired)} file(s) without a partner, e.g. {shown(unpaired[0])}"
        else:
            hint = "; both hold no document"
        raise UsageError(f"no translation <stem>.txt in {shown(corpus_dir)} has its original <stem>.<lang>.txt "
                         f"in {shown(references_dir)}{hint}")
    return pairs, unpaired


def _pair(corpus_dir: str, references_dir: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    originals: dict[str, list[str]] = {}
    for name in sorted(os.listdir(references_dir)):
        path = os.path.join(references_dir, name)
        parts = name.split(".")
        if os.path.isfile(path) and len(parts) >= 3:
            originals.setdefault(".".join(parts[:-2]), []).append(path)
    pairs, unpaired = [], []
    for name in sorted(os.listdir(corpus_dir)):
        path = os.path.join(corpus_dir, name)
        if not os.path.isfile(path) or name.startswith("."):
            continue
        stem = os.path.splitext(name)[0]
        partners = originals.pop(stem, [])
        if len(partners) == 1:
            pairs.append((stem, partners[0], path))
        else:
            unpaired.append(path if not partners else f"{path} (several originals: {', '.join(partners)})")
    unpaired.extend(p for paths in originals.values() for p in paths)
    return pairs, sorted(unpaired)
