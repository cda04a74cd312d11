"""German morphology from Ding's word lists: declined adjectives and participles."""
from __future__ import annotations



NO_UMLAUT = str.maketrans("äöü", "aou")


INFLECTIONS = ("en", "er", "es", "em", "e")


def adjective_ending(token: str, words) -> tuple[str, str] | None:
    """(base, ending) of a declined adjective or participle Ding lists ("alten" -> "alt", "en"), or
    None: an unknown word, or an undeclined one (an adverb: "ein gut gemachter Film")."""
    def known(base: str) -> bool:
        return base in words.adjectives or base in words.participles
    if known(token):
        return None
    for ending in INFLECTIONS:
        base = token[:-len(ending)]
        if not token.endswith(ending) or len(base) < 2:
            continue
        if known(base) or base in words.present_participles:  # present participles: die steigenden Preise
            return base, ending
        if len(base) > 3 and base[-1] in "lnr" and known(base[:-1] + "e" + base[-1]):
            return base, ending  # the stem's e falls out: dunkel -> dunkle, teuer -> teure
        for degree in ("er", "est", "st"):  # comparatives and superlatives: die neueren Daten, die größte Stadt
            if len(base) > len(degree) + 2 and base.endswith(degree) and (
                    known(base[:-len(degree)]) or known(base[:-len(degree)].translate(NO_UMLAUT))):
                return base, ending
    for ending in "nrsm":  # adjectives ending in -e: müde -> müden
        if token.endswith("e" + ending) and known(token[:-1]):
            return token[:-1], "e" + ending
    return None
