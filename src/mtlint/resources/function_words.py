"""Closed word classes per language."""
from __future__ import annotations



# All prepositions (closed classes): a name after none of them stands bare, as subject or object.
PREPOSITIONS = {
    "en": {"of", "in", "on", "at", "by", "with", "for", "from", "to", "into", "onto", "about", "against", "between",
           "through", "during", "after", "before", "under", "over", "without", "within", "among", "across",
           "towards", "toward", "upon", "via", "per", "like", "near", "behind", "beyond", "around", "since", "until"},
    "de": {"von", "vom", "zu", "zum", "zur", "nach", "aus", "bei", "beim", "mit", "seit", "an", "am", "auf", "in",
           "im", "ins", "über", "unter", "vor", "hinter", "neben", "zwischen", "durch", "für", "gegen", "ohne",
           "um", "bis", "wegen", "trotz", "während", "gegenüber", "ab", "wider", "entgegen"},
}
