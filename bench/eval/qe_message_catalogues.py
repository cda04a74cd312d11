"""How far the quality model's word probabilities drift for another source language, measured
on software message catalogues (gettext .mo files) that hold the same English message
translated by people into both that language and German.

    .venv/bin/python bench/eval/qe_message_catalogues.py [--lang uk] ROOT [ROOT ...]

ROOT: folders searched for ``**/de/LC_MESSAGES/*.mo`` with a matching ``**/<lang>/...``
file, e.g. ``/usr/share/locale`` (the Debian packages installed) or an unpacked Django
wheel (``pip download --no-deps django``; its ``django/`` folder).  A message is used
when it has five words or more and no markup or format codes.  The same German
translations are read once against the English message and once against the other
language's (two human translations of one text, so a clean pair up to the translators'
freedom), and the share of German words at or above the span threshold is
compared (words as ``bench/eval/qe_language_pairs.py`` counts them): any excess for the other
language is the model's drift for that source.
"""
from __future__ import annotations

import argparse
import gettext
import os
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path[:0] = [str(ROOT / "bench" / d) for d in ("eval", "calibrate", "speed", "train", "probe")]
_USABLE = re.compile(r"[%{}<>_\\$]")


def catalogue_pairs(roots: list[str], lang: str) -> list[tuple[str, str, str]]:
    """(English message, its ``lang`` translation, its German translation), sorted by message."""
    found: dict[str, tuple[str, str]] = {}
    for root in roots:
        for german in sorted(Path(root).glob("**/de/LC_MESSAGES/*.mo")):
            other = Path(str(german).replace("/de/LC_MESSAGES/", f"/{lang}/LC_MESSAGES/"))
            if not other.exists():
                continue
            try:
                with open(german, "rb") as a, open(other, "rb") as b:
                    de, xx = gettext.GNUTranslations(a)._catalog, gettext.GNUTranslations(b)._catalog
            except (OSError, ValueError, UnicodeDecodeError):
                continue
            for message, translation in de.items():
                if (isinstance(message, str) and len(message.split()) >= 5 and "\n" not in message
                        and not _USABLE.search(message) and translation and xx.get(message)):
                    found.setdefault(message, (xx[message], translation))
    return [(m, x, d) for m, (x, d) in sorted(found.items())]


def main():
    os.environ.setdefault("MTLINT_CACHE_DIR", "/tmp/mtlint-bench-cache")
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("roots", nargs="+")
    parser.add_argument("--lang", default="uk", help="the other source language (default: uk)")
    args = parser.parse_args()
    from mtlint.checks.meaning import SPAN_THRESHOLD
    from qe_language_pairs import content_probabilities  # the words counted as for the other pairs

    rows = catalogue_pairs(args.roots, args.lang)
    if not rows:
        raise SystemExit(f"no message with both de and {args.lang} translations under {', '.join(args.roots)}")
    english = content_probabilities([(m, d) for m, _, d in rows])
    other = content_probabilities([(x, d) for _, x, d in rows])
    rate = float((english >= SPAN_THRESHOLD).mean())
    print(f"{len(rows)} messages, {len(english)} German words\n")
    print(f"| source | median p | flagged at {SPAN_THRESHOLD} | threshold flagging {rate:.2%} |\n|---|---:|---:|---:|")
    for name, values in (("en", english), (args.lang, other)):
        print(f"| {name}-de | {np.median(values):.3f} | {(values >= SPAN_THRESHOLD).mean():.2%} | "
              f"{np.quantile(values, 1 - rate):.3f} |")


if __name__ == "__main__":
    main()
