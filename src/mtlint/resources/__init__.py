"""Shared language knowledge for the checks: one place for each resource.

``segment`` (sentences, paragraphs), ``langid`` (language identification), ``frequency``
(wordfreq), ``stemming`` (Snowball), ``hunspell`` (spelling dictionaries), ``lexicon`` (the Ding
dictionary, lemmas), ``tagging`` (HanTa), ``wordnet`` and ``saying`` (verbs of saying), ``german``
(morphology), ``function_words``, ``names`` (transliteration), ``quotes`` (quotation marks),
``qe`` (the quality-estimation model's answers), ``cache`` (the cache directory) and
``requirements`` (what a check may need, and whether it is installed).
Each module loads what it reads lazily, on first use.
"""
