"""Which English verbs are verbs of saying, by Princeton WordNet (Debian's ``wordnet-base``).

WordNet files every verb sense under a lexicographer class (32: communication) and lists the
sentence frames it takes (26: "Somebody ----s that CLAUSE").  ``cntlist.rev`` counts how often
each sense was tagged in the SemCor corpus, so the share of a verb's tagged uses that are a
communication sense with a that-clause tells a verb of saying ("say" 0.99, "add" 0.33: mostly
arithmetic, often "she added that …") from a verb that merely has such a sense ("mean" 0.00:
"that means that …" denotes, nobody says it).

The data is optional (``scripts/system-deps.sh`` installs it as root); without it the checks
that need it are silent.
"""
from __future__ import annotations

import os
from collections import Counter
from functools import lru_cache

WORDNET_DIRS = ("/usr/share/wordnet",)
COMMUNICATION = 32  # the lexicographer file "verb.communication"
THAT_CLAUSE_FRAME = 26  # "Somebody ----s that CLAUSE"


def _directory() -> str | None:
    for directory in filter(None, (os.environ.get("MTLINT_WORDNET"), *WORDNET_DIRS)):
        if all(os.path.isfile(os.path.join(directory, name)) for name in ("cntlist.rev", "data.verb")):
            return directory
    return None


def available() -> bool:
    return _directory() is not None


def counts_path() -> str | None:
    """The tag counts file the results depend on (with data.verb, from the same package), or None."""
    directory = _directory()
    return os.path.join(directory, "cntlist.rev") if directory else None


def _saying_senses(path: str) -> set[str]:
    """Sense keys ("say%2:32:00::") of communication senses that take a that-clause."""
    found = set()
    with open(path, encoding="latin-1") as fh:
        for line in fh:
            if line.startswith(" "):
                continue  # the licence header
            fields = line.split(" | ", 1)[0].split()
            if int(fields[1]) != COMMUNICATION:
                continue
            count = int(fields[3], 16)
            words = [(fields[4 + 2 * i].lower(), int(fields[5 + 2 * i], 16)) for i in range(count)]
            k = 4 + 2 * count
            k += 1 + 4 * int(fields[k])  # the pointers
            frames = fields[k + 1:k + 1 + 3 * int(fields[k])] if k < len(fields) else []
            # Each frame is "+ number word": word 00 means every word of the synset.
            for number, word in zip(frames[1::3], frames[2::3]):
                if int(number) == THAT_CLAUSE_FRAME:
                    w = int(word, 16)
                    found.update(f"{lemma}%2:{COMMUNICATION}:{lex_id:02d}::"
                                 for i, (lemma, lex_id) in enumerate(words) if w in (0, i + 1))
    return found


@lru_cache(maxsize=1)
def saying_uses() -> dict[str, tuple[int, int]]:
    """English verb (lower case, a phrasal verb's parts joined by "_") -> (its tagged uses as a
    verb of saying, all its tagged uses as a verb); empty without WordNet."""
    directory = _directory()
    if directory is None:
        return {}
    saying_senses = _saying_senses(os.path.join(directory, "data.verb"))
    total: Counter = Counter()
    saying: Counter = Counter()
    with open(os.path.join(directory, "cntlist.rev"), encoding="latin-1") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) != 3 or "%2:" not in parts[0]:
                continue  # not a verb sense
            word = parts[0].split("%", 1)[0]
            total[word] += int(parts[2])
            if parts[0] in saying_senses:
                saying[word] += int(parts[2])
    return {word: (saying[word], count) for word, count in total.items()}
