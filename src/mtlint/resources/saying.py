"""German verbs of saying, derived from Ding's English glosses and WordNet's tagged uses."""
from __future__ import annotations

from functools import lru_cache


REPORTING_SHARE = 0.3


MIN_TAGGED_USES = 5  # a gloss WordNet's corpus hardly saw says nothing either way


REPORTING_VERBS_VERSION = 2  # of how the cached set is derived (wordnet.py, lexicon.german_verb_glosses)


@lru_cache(maxsize=2)
def reporting_verbs(dictionary_path: str) -> frozenset[str]:
    """German verbs of saying: Ding's verbs whose English glosses are, on average over the glosses,
    used as verbs of saying in at least REPORTING_SHARE of their tagged WordNet uses.  An average
    over glosses, not over uses, so that one frequent gloss does not decide alone ("stehen" has
    "say" among "stand", "face", "represent").  Kept in the cache directory (reading Ding's verbs
    costs 0.5 s a process), keyed by both files and the two settings."""
    import hashlib
    import json
    import os

    from . import wordnet
    from .cache import default_cache_dir
    from ..errors import MtlintError
    from .lexicon import german_verb_glosses
    from ..report import write_atomic

    counts = wordnet.counts_path()
    if counts is None:
        return frozenset()
    stats = [(path, os.stat(path).st_size, int(os.stat(path).st_mtime)) for path in (dictionary_path, counts)]
    key = hashlib.sha256(repr((REPORTING_VERBS_VERSION, stats, REPORTING_SHARE, MIN_TAGGED_USES)).encode()).hexdigest()[:16]
    cached = os.path.join(default_cache_dir(), f"reporting-verbs-{key}.json")
    try:
        with open(cached, encoding="utf-8") as fh:
            stored = json.load(fh)
        # A JSON list of words; anything else is set aside and computed anew.
        if isinstance(stored, list) and all(isinstance(word, str) for word in stored):
            return frozenset(stored)
        from ..safety import cache_warning, set_aside

        aside = set_aside(cached)
        cache_warning(f"verbs-of-saying cache {os.path.basename(cached)}: not a list of words; "
                      + (f"set aside as {os.path.basename(aside)}, " if aside else "") + "recomputed")
    except (OSError, ValueError, RecursionError):
        pass
    uses = wordnet.saying_uses()
    found = set()
    for verb, glosses in german_verb_glosses(dictionary_path).items():
        shares = [uses[gloss][0] / uses[gloss][1] for gloss in glosses
                  if gloss in uses and uses[gloss][1] >= MIN_TAGGED_USES]
        if shares and sum(shares) >= REPORTING_SHARE * len(shares):
            found.add(verb)
    try:
        write_atomic(cached, json.dumps(sorted(found), ensure_ascii=False))
    except MtlintError:
        pass  # a read-only cache only costs the computation next time
    return frozenset(found)
