"""Language identification with langdetect, made deterministic.

langdetect samples n-grams at random; a fixed seed makes the same text give
the same answer on every run. Short segments are not identified (too noisy).
"""
from __future__ import annotations

import functools
import os
import re

from ..errors import UsageError

MIN_CHARS = 20  # below this langdetect guesses more than it detects


@functools.lru_cache(maxsize=None)
def known_languages() -> frozenset[str]:
    """Codes langdetect has profiles for, with their base language ("zh-cn" -> "zh")."""
    import langdetect

    profiles = os.path.join(os.path.dirname(langdetect.__file__), "profiles")
    codes = set(os.listdir(profiles))
    return frozenset(codes | {code.split("-")[0] for code in codes})


def normalise_code(code: str) -> str:
    """Validate a user-supplied language code; raise UsageError if unknown."""
    lowered = code.strip().lower().replace("_", "-")
    if lowered in known_languages():
        return lowered
    base = lowered.split("-")[0]
    if base in known_languages():
        return base
    raise UsageError(f"unknown language code {code!r} (expected an ISO 639-1 code such as en, de, fr)")


@functools.lru_cache(maxsize=1)
def _factory():
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


_WORDLESS = re.compile(r"^[\W\d_]*$")


@functools.lru_cache(maxsize=1)
def _langdetect_data() -> str:
    from .store import fingerprint

    return fingerprint(packages=["langdetect"])


def detect(text: str) -> tuple[str | None, float]:
    """Return ``(code, probability)``; ``(None, 0.0)`` when too short to tell.  Answers are kept on
    disk by the text's hash (:mod:`.store`): langdetect's profiles load only for new texts."""
    if len(text.strip()) < MIN_CHARS or _WORDLESS.match(text):
        return None, 0.0
    import hashlib

    from .store import persistent_value

    code, probability = persistent_value(
        f"langdetect/1/{_langdetect_data()}",
        hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), lambda: list(_detect(text)))
    return code, probability


def _detect(text: str) -> tuple[str | None, float]:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None, 0.0
    return best.lang.split("-")[0], round(float(best.prob), 4)


_TAG = re.compile(r"\.([a-z]{2,3}(?:[-_][a-zA-Z]{2,4})?)\.[^.]+$")


def language_from_filename(path: str) -> str | None:
    """``article.en.txt`` -> ``en`` when the tag is a known language code."""
    match = _TAG.search(os.path.basename(path))
    if not match:
        return None
    try:
        return normalise_code(match.group(1))
    except UsageError:
        return None
