"""Fluency: words run together, duplicated words, repeated phrases, quote slips.

Word knowledge comes from wordfreq's frequency lists (no hand-made lists):
a word is "known" when wordfreq has seen it often enough in the language.
"""
from __future__ import annotations

import re
from collections import Counter

from ..resources.frequency import zipf
from ..resources.hunspell import accepts, dictionary_path, known_as_written
from ..resources.qe import estimates
from ..resources.quotes import CLOSERS, quotations, quote_slips
from ..resources.segment import paragraph_bounds
from ..resources.stemming import german_stem
from ..resources import cldr
from .base import DocumentPair, Finding, file_statistic, register

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
KNOWN = 2.0      # zipf frequency above which a word is a word (~1 per 10 million words)
FUNCTION = 5.0   # zipf frequency of the most common words (articles, pronouns, prepositions)
SOURCE_FUNCTION = 6.0  # source words up to this may carry content: English "form" is 5.3, "star" 5.2


def _glued_split(word: str, lang: str, source_words: frozenset[str],
                 target_words: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """Split an unknown word into two words that lost the space between them.

    A German compound is also two words joined, so a split only counts when
    it is not compound-like: the tail is one of the language's most common
    (function) words, or the head is a name found verbatim in the source; or
    (with a hunspell dictionary) the head is a name the translation writes
    alone elsewhere and the tail a word only ever written in lower case (an
    adjective or verb, which ends no compound noun: "Lorwikaktiver").  A word the hunspell
    dictionary accepts is never split: it is a compound or an inflected form ("Montagezeit",
    "zusammensetzende").
    """
    lowered = word.lower()
    if len(word) < 6 or zipf(lowered, lang) >= KNOWN or word in source_words:
        return None  # a known word, or a name carried over from the source as it is
    best = None
    misspelled = None  # the whole word's hunspell verdict, looked up once and only when a cut needs it
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        head_z, tail_z = zipf(head.lower(), lang), zipf(tail.lower(), lang)
        if tail_z >= 3.0 and len(head) >= 3 and head[0].isupper() and head in target_words and _lower_case_only(tail, lang):
            if misspelled is None:
                misspelled = not _spelled_right(word, lang)
            if misspelled:
                if best is None or tail_z > best[0]:
                    best = (tail_z, head, tail)
                continue
        if head_z < 3.0 or tail_z < KNOWN:
            continue
        function_tail = tail_z >= FUNCTION and len(tail) <= 4
        name_head = head[0].isupper() and head in source_words and len(head) >= 3
        if function_tail or name_head:
            score = min(head_z, tail_z)
            if best is None or score > best[0]:
                best = (score, head, tail)
    if best and _hunspell_accepts(word, lang):
        return None  # a compound or an inflected form: "Montagezeit", "zusammensetzende", "fühlendem"
    return (best[1], best[2]) if best else None


def _lower_case_only(word: str, lang: str) -> bool:
    """The hunspell dictionary knows the word in lower case and not capitalised."""

    base = dictionary_path(lang)
    return bool(base) and len(word) >= 4 and known_as_written(base, word) and not known_as_written(base, word.capitalize())


def _hunspell_accepts(word: str, lang: str) -> bool:
    """A hunspell dictionary is installed and knows the word (with its compounding and affix rules)."""

    base = dictionary_path(lang)
    return bool(base) and accepts(base, word)


def _spelled_right(word: str, lang: str) -> bool:
    """Hunspell knows the word, or there is no dictionary to say otherwise."""

    return not dictionary_path(lang) or _hunspell_accepts(word, lang)


@register("glued-words", "fluency/spelling", "minor",
          "Two words run together by a lost space (\"Hausder\" for \"Haus der\").")
def glued_words(pair: DocumentPair):
    source_words, target_words = frozenset(_TOKEN.findall(pair.source)), frozenset(_TOKEN.findall(pair.target))
    sources = pair.sentence_sources()
    for index, sentence in enumerate(pair.target_sentences):
        for match in _TOKEN.finditer(pair.target, sentence.start, sentence.end):
            split = _glued_split(match.group(0), pair.target_lang, source_words, target_words)
            if split:
                yield Finding(target_span=(match.start(), match.end()), source_span=sources.get(index),
                              message=f"two words run together: \"{split[0]}\" + \"{split[1]}\"",
                              suggestion=f"{split[0]} {split[1]}", confidence=0.7)


# Sentence punctuation between two words with no space after it ("Opfer.eine").
_GLUED_PUNCT = re.compile(r"(?<![\w.])([^\W\d_]{3,})([.;!?])([^\W\d_]{3,})(?![\w.])", re.UNICODE)


# Tags, URLs, e-mail addresses and file names: their dots join no sentences.
_CODE = re.compile(r"<[^<>]*>|\b(?:https?|ftp)://\S+|\bwww\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:~|\.{1,2})?/[\w./-]+")


@register("glued-sentence", "fluency/punctuation", "minor",
          "Punctuation with the following space lost (\"Opfer.eine\").")
def glued_sentence(pair: DocumentPair):
    lang = pair.target_lang
    code = [m.span() for m in _CODE.finditer(pair.target)]
    for match in _GLUED_PUNCT.finditer(pair.target):
        if any(start < match.end() and match.start() < end for start, end in code):
            continue  # "example.com", "app.log" in a URL, a path or a tag are not sentences run together
        head, mark, tail = match.groups()
        if zipf(head.lower(), lang) >= KNOWN and zipf(tail.lower(), lang) >= KNOWN:
            yield Finding(target_span=(match.start(), match.end()), source_span=None,
                          message=f"missing space after \"{mark}\"", suggestion=f"{head}{mark} {tail}",
                          confidence=0.8)


# A hyphen (or two) standing alone between words: a dash typed as a hyphen ("Das ist von meiner
# Gruppe - eine etwas weniger glamouröse …").  German sets the dash as a spaced en dash.
_SPACED_HYPHEN = re.compile(r"(?<=[^\W_]) (--?) (?=[^\W_])")
_SOURCE_HYPHEN = re.compile(r"(?<=\S) - (?=\S)")  # one hyphen: English writes its dash "--" or "—"
_DASH = {"de": "–"}
_TOKENISED = re.compile(r"\w [,.;:!?](?:\s|$)")  # "Wikipedia - Benutzern ." is tokenised text, not dashes


@register("dash-style", "fluency/punctuation", "minor",
          "A hyphen typed for a dash between words (\"Gruppe - eine\"), where the target's typography "
          "sets a dash (German: \"Gruppe – eine\"); not where the source has the hyphen too.",
          languages=sorted(_DASH))
def dash_style(pair: DocumentPair):
    dash = _DASH.get(pair.target_lang)
    if dash is None:
        return
    tokenised = pair.batch.statistic(_file_tokenised) if pair.batch is not None else None
    if tokenised is None:
        tokenised = looks_tokenised([pair.target[s.start:s.end] for s in pair.target_sentences])
    if tokenised:
        return  # "Mathematik - Bewertung" is a hyphenated word split by a tokeniser, even without " ."
    sources = pair.sentence_sources()
    for index, sentence in enumerate(pair.target_sentences):
        span = sources.get(index)
        if span and _SOURCE_HYPHEN.search(pair.source[span[0]:span[1]]):
            continue  # carried over from the source ("Headline - Site"): a title's separator, perhaps
        for start, end in hyphens_for_dashes(pair.target, sentence.start, sentence.end):
            yield Finding(target_span=(start, end), source_span=span,
                          message=f"a hyphen for a dash; German sets a dash as \"{dash}\"",
                          suggestion=dash, confidence=0.7)


@file_statistic
def _file_tokenised(batch) -> bool:
    """Whether a whole file of segment pairs is tokenised (its targets)."""
    return looks_tokenised([t for _, t in batch.rows])


def looks_tokenised(texts: list[str]) -> bool:
    """Is this text (its sentences, or a file's rows) tokenised: punctuation split off by spaces in
    most of the pieces that have any?"""
    punctuated = [t for t in texts if re.search(r"\w[,.;:!?]|\w [,.;:!?](?:\s|$)", t)]
    return bool(punctuated) and sum(bool(_TOKENISED.search(t)) for t in punctuated) * 2 > len(punctuated)


def hyphens_for_dashes(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the hyphens standing for a dash in the sentence ``text[start:end]`` (none in tokenised text)."""
    sentence = text[start:end]
    if _TOKENISED.search(sentence):
        return []
    return [(start + m.start(1), start + m.end(1)) for m in _SPACED_HYPHEN.finditer(sentence)
            if not _range_ends(sentence, m.start(), m.end())]


def _range_ends(text: str, before: int, after: int) -> bool:
    """Does a number or a single letter stand on each side of the hyphen ("10 - 12", "A - Z", "a - 12"):
    a range, not a dash ("negative 120 -- so etwas" is a dash)?"""
    left = re.search(r"\w+$", text[:before]).group(0)
    right = re.match(r"\w+", text[after:]).group(0)
    return all(word.isdigit() or len(word) == 1 for word in (left, right))


_QUOTES_OPEN = "„«‚"
_QUOTES_CLOSE = "“»‘"


@register("quote-spacing", "fluency/punctuation", "minor",
          "A quotation mark glued to the word outside it (\"führen“schätzt\", \"»und\").")
def quote_spacing(pair: DocumentPair):
    text = pair.target
    for match in re.finditer(r"[^\W\d_][“”»«\"]?[“”»][^\W\d_]|[^\W\d_][„«][^\W\d_]", text):
        # A closing quote followed by a letter, or an opening quote preceded by one.
        span = (match.start(), match.end())
        mark = next(ch for ch in match.group(0) if not ch.isalpha())
        yield Finding(target_span=span, source_span=None,
                      message=f"no space between the quotation mark {mark} and the next word",
                      confidence=0.8)


@register("quote-style", "locale/punctuation", "minor",
          "Quotation marks of another language's convention (German „…“, French « … »; each language's "
          "from CLDR).")
def quote_style(pair: DocumentPair):
    if pair.target_lang != "de":
        yield from _foreign_quotes(pair)
        return
    # German opens with „ and closes with “; an opening “ (after a space) or a » « pair is foreign.
    for match in re.finditer(r"(?:(?<=\s)|^)[“”][^\W\d_]|[^\W\d_][”]|[«»]", pair.target, re.MULTILINE):
        yield Finding(target_span=(match.start(), match.end()), source_span=None,
                      message="quotation mark not in the German convention „…“", confidence=0.6)
    # Typewriter single quotes used as quotation marks ('so genannt'): a pair, opening at a word's
    # start and closing at a word's end (an apostrophe sits inside or at the end of one word).
    for match in _SINGLE_QUOTED.finditer(pair.target):
        inner = match.group(1)
        message = "typewriter single quotes as quotation marks; German uses „…“"
        if len(inner) <= SHORT_QUOTATION:
            yield Finding(target_span=(match.start(), match.end()), source_span=None,
                          message=message, suggestion=f"„{inner}“", confidence=0.6)
            continue
        # A long quotation: one issue, marked at its opening mark and first word, not the whole passage.
        first = re.match(r"\S+", inner).group(0)
        last = re.search(r"\S+$", inner).group(0)
        yield Finding(target_span=(match.start(), match.start() + 1 + len(first)), source_span=None,
                      message=f"{message} (the quotation closes after \"{last}\": \"{last}“\")",
                      suggestion=f"„{first}", confidence=0.6)


def _foreign_quotes(pair: DocumentPair):
    """Quotation marks that the target language's conventions (CLDR, and common variants) do not
    use: „ in English, “ in Japanese, « » in Chinese. Straight quotes and ‘ ’ (apostrophes too)
    are left alone."""
    allowed = cldr.quotation_marks(pair.target_lang)
    if allowed is None:
        return
    for match in re.finditer("[" + cldr.QUOTE_MARKS.replace("＂", "") + "‚‹›]", pair.target):
        if match.group(0) not in allowed:
            usual = cldr.CLDR_QUOTES.get(pair.target_lang) or cldr.CLDR_QUOTES[cldr.base(pair.target_lang)]
            yield Finding(target_span=(match.start(), match.end()), source_span=None,
                          message=f"quotation mark {match.group(0)} is not used in {pair.target_lang}; "
                                  f"it writes {usual[0]}…{usual[1]}", confidence=0.6)


@register("unbalanced-quote", "fluency/punctuation", "minor",
          "A quotation mark without its partner in the paragraph (opened and never closed, closed by "
          "the wrong mark), where the source's quotation marks pair up; a quotation never closed is "
          "marked where the source closes it.")
def unbalanced_quote(pair: DocumentPair):
    # A quotation running over several paragraphs leaves each but the last open (the English
    # convention): a paragraph whose source paragraphs leave a mark unpaired is not held to it.
    # A paragraph without a source (an addition) is checked on its own.
    target_to_source: dict[int, set[int]] = {}
    for link in pair.links:
        for t in link.target:
            target_to_source.setdefault(pair.target_sentences[t].paragraph, set()).update(
                pair.source_sentences[s].paragraph for s in link.source)
    source_bounds = paragraph_bounds(pair.source_sentences)
    target_bounds = paragraph_bounds(pair.target_sentences)
    sources = pair.sentence_sources()
    sentences_of: dict[int, list[tuple[int, int, int]]] = {}
    for index, sentence in enumerate(pair.target_sentences):
        sentences_of.setdefault(sentence.paragraph, []).append((sentence.start, sentence.end, index))
    for paragraph, (start, end) in sorted(target_bounds.items()):
        if any(quote_slips(pair.source, *source_bounds[p]) for p in sorted(target_to_source.get(paragraph, ()))):
            continue
        for offset, problem in quote_slips(pair.target, start, end):
            index = next((i for a, b, i in sentences_of[paragraph] if a <= offset < b), None)
            if "never closed" in problem:
                close = where_the_source_closes(pair, offset, (start, end),
                                                [source_bounds[p] for p in sorted(target_to_source.get(paragraph, ()))])
                if close:  # marked where the closing mark is missing, which is where the editor acts
                    span, source_word, fixed = close
                    yield Finding(target_span=span, source_span=source_word,
                                  message=f"unbalanced quotation marks: {problem}; the source closes it after "
                                          f"\"{pair.source[source_word[0]:source_word[1]]}\"",
                                  suggestion=fixed, confidence=0.7)
                    continue
            # The mark with the word it stands at: the next word after an opening mark, else the previous one.
            if "opens" in problem:
                next_word = re.match(r"\s*[^\s„“”«»\"]+", pair.target[offset + 1:end])
                span = (offset, offset + 1 + (next_word.end() if next_word else 0))
            else:
                previous_word = re.search(r"[^\s„“”«»\"]+\s*$", pair.target[start:offset])
                span = (start + previous_word.start() if previous_word else offset, offset + 1)
            yield Finding(target_span=span, source_span=sources.get(index),
                          message=f"unbalanced quotation marks: {problem}", confidence=0.7)


_WORD = re.compile(r"\w[\w'’-]*")
# The end of a clause: not the point or comma inside a number (1.100, 1,5), nor the point of an
# ordinal ("am 3. Mai").
_CLAUSE_END = re.compile(r"[;:!?]|(?<!\d)[.,](?!\d)")
_LINKED_WORDS_TRIED = 4  # the quotation's last words, last first, until one the model links both ways


def _last_word(text: str, start: int, end: int):
    last = None
    for last in _WORD.finditer(text, start, end):
        pass
    return last


def where_the_source_closes(pair: DocumentPair, opening: int, paragraph: tuple[int, int],
                            source_paragraphs: list[tuple[int, int]]):
    """For a quotation the translation opens at ``opening`` and never closes: where its
    closing mark belongs, as (target span ending there, source span of the word the source
    closes it after, the span's text with the mark put in); None where that cannot be said.
    The translation's k-th quotation is the source's k-th (only when both open as many); its
    last source words are mapped to the translation by the quality model's word links, and
    the mark goes at the end of that word's clause (the next comma or full stop, else the
    sentence's end), since German may put the verb after it ("„Sie haben das Geld
    genommen“, sagte er" for *"They took the money," he said*)."""
    target_quotes = [a for a, _ in quotations(pair.target, *paragraph)]
    source_quotes = [q for bounds in source_paragraphs for q in quotations(pair.source, *bounds)]
    if len(source_quotes) != len(target_quotes) or opening not in target_quotes:
        return None
    k = target_quotes.index(opening)
    source_open, source_close = source_quotes[k]
    last = _last_word(pair.source, source_open + 1, source_close) if source_close else None
    if not last:
        return None
    next_opening = target_quotes[k + 1] if k + 1 < len(target_quotes) else paragraph[1]
    # The model's estimates for the document (cached, shared with the model checks).  Not in
    # meaning.MODEL_CHECKS: a quotation never closed is rare, and `pairs` with only this check
    # should not pay a model pass over every row; it pays one per row that has such a quotation.

    for sspan, tspan, est in estimates(pair):
        if not sspan[0] <= last.start() < sspan[1]:
            continue
        inside = [j for j, (a, b) in enumerate(est.source_spans)
                  if source_open < sspan[0] + a and sspan[0] + b <= source_close
                  and _WORD.search(pair.source, sspan[0] + a, sspan[0] + b)]
        # A word link can be one-sided (the model's nearest target word for a noun may be
        # another noun of the sentence): the last source word linked both ways stands in.
        linked = [est.source_alignment[j] for j in reversed(inside[-_LINKED_WORDS_TRIED:])
                  if est.source_alignment[j] >= 0 and est.alignment[est.source_alignment[j]] == j]
        if not linked:
            return None
        a, b = tspan[0] + est.word_spans[linked[0]][0], tspan[0] + est.word_spans[linked[0]][1]
        limit = min(tspan[1], next_opening)
        if not opening < a < limit:
            return None
        clause_end = _CLAUSE_END.search(pair.target, b, limit)
        if clause_end:
            end, mark_end = clause_end.start(), clause_end.end()
        else:  # the sentence's end, before its final punctuation
            end = mark_end = b + len(pair.target[b:limit].rstrip())
            if end > b and pair.target[end - 1] in ".!?;:,":
                end -= 1
        closing_word = _last_word(pair.target, opening + 1, end)
        if not closing_word:
            return None
        closer = CLOSERS[pair.target[opening]][0]
        words, punctuation = pair.target[closing_word.start():end], pair.target[end:mark_end]
        # A full stop, question or exclamation mark the source has inside its quotation stays inside.
        inside_mark = pair.source[source_open + 1:source_close].rstrip()[-1:] in (".", "!", "?")
        fixed = (words + punctuation + closer if inside_mark and punctuation in (".", "!", "?")
                 else words + closer + punctuation)
        return (closing_word.start(), mark_end), (last.start(), last.end()), fixed
    return None


SHORT_QUOTATION = 60  # characters: a quotation this short is marked whole, a longer one at its two marks
_SINGLE_QUOTED = re.compile(r"(?<![\w'’])'([^\W\d_][^'\n]{0,2000}?[^\s'])'(?![\w'])")  # a quotation within one paragraph


@register("headline-full-stop", "fluency/punctuation", "minor",
          "A full stop after a line the source leaves without one: a headline, a byline, a caption.")
def headline_full_stop(pair: DocumentPair):
    # Sentences per paragraph: a sentence alone in its paragraph is a line of its own.
    source_sizes = Counter(s.paragraph for s in pair.source_sentences)
    target_sizes = Counter(s.paragraph for s in pair.target_sentences)
    for link in pair.links:
        if len(link.source) != 1 or len(link.target) != 1:
            continue
        (s_index,), (t_index,) = link.source, link.target
        if (source_sizes[pair.source_sentences[s_index].paragraph] != 1
                or target_sizes[pair.target_sentences[t_index].paragraph] != 1):
            continue
        source = pair.source_sentences[s_index].text(pair.source).rstrip()
        target_sentence = pair.target_sentences[t_index]
        target = target_sentence.text(pair.target).rstrip()
        # The source line ends in a word; the translation adds one full stop after a word
        # ("Herald." - not an ellipsis, not an abbreviation or ordinal like "Nr. 7." / "usw.").
        if not re.search(r"[^\W_]$", source) or not re.search(r"[^\W\d_]{3,}\.$", target):
            continue
        word = re.search(r"[^\W\d_]+\.$", target).group(0)
        end = target_sentence.start + len(target)
        yield Finding(target_span=(end - len(word), end), source_span=pair.source_span(link.source),
                      message="full stop after a line the source leaves without one (a headline?)",
                      suggestion=word[:-1], confidence=0.6)


@register("duplicated-word", "fluency/grammar", "minor",
          "The same word twice in a row (\"die die\" aside where grammar allows it).")
def duplicated_word(pair: DocumentPair):
    # Sentence starts, past any opening quotation marks and brackets ("„Der der Bericht").
    starts = {re.match(r"[\s„“«»\"'‚(\[]*", pair.target[s.start:s.end]).end() + s.start for s in pair.target_sentences}
    for match in re.finditer(r"\b([^\W\d_]{2,})\s+(\1)\b", pair.target, re.IGNORECASE | re.UNICODE):
        word = match.group(1).lower()
        # The commonest words (articles, relative pronouns) legitimately repeat inside a sentence
        # ("die Frau, die die Zeitung liest"), never at its start ("Der der Bericht").
        if zipf(word, pair.target_lang) >= 6.0 and match.start() not in starts:
            continue
        yield Finding(target_span=(match.start(), match.end()), source_span=None,
                      message=f"word repeated: \"{match.group(1)}\"", suggestion=match.group(1), confidence=0.9)


@register("repeated-phrase", "accuracy/addition", "major",
          "A phrase of three or more words repeated within a sentence where the source does not repeat it.")
def repeated_phrase(pair: DocumentPair):
    sources = pair.sentence_sources()
    for index, sentence in enumerate(pair.target_sentences):
        tokens = list(_TOKEN.finditer(pair.target, sentence.start, sentence.end))
        words = [t.group(0).lower() for t in tokens]
        reported_until = -1
        for n in (5, 4, 3):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if sum(zipf(w, pair.target_lang) < FUNCTION for w in gram) < 2:
                    continue  # only function words: "in der ... in der" is normal
                for j in range(i + n, len(words) - n + 1):
                    if words[j:j + n] == gram and j > reported_until:
                        span = sources.get(index)
                        content = [w for w in gram if zipf(w, pair.target_lang) < FUNCTION]
                        if span and _repeats_in(pair.source[span[0]:span[1]], pair.source_lang, content,
                                                pair.target_lang):
                            continue
                        yield Finding(target_span=(tokens[j].start(), tokens[j + n - 1].end()),
                                      source_span=span,
                                      message=f"phrase repeated in the same sentence: \"{' '.join(gram)}\"",
                                      suggestion="delete the repetition", confidence=0.7)
                        reported_until = j + n
    return


def _repeats_in(text: str, lang: str, content_words: list[str], target_lang: str) -> bool:
    """Does the source sentence repeat itself too: a phrase of three words, or, by the dictionary,
    words that render each content word of the target's repeated phrase ("Galaxies form, and
    generations of stars form in those galaxies" -> "Galaxien bilden sich, und in diesen Galaxien
    bilden sich Generationen …")?"""
    from ..resources import lexicon

    # Hyphens split words as tokenised text splits them ("V-Chat" / "V - Chat").
    words = [w.lower() for token in _TOKEN.findall(text) for w in re.split(r"[-'’]", token) if w]
    grams = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
    if len(grams) != len(set(grams)):
        return True
    dictionary = lexicon.load(lang, target_lang)
    repeated = [w for w, n in Counter(words).items() if n > 1 and zipf(w, lang) <= SOURCE_FUNCTION]
    if dictionary is None or not repeated or not content_words:
        return False
    rendered = {german_stem(_rendered_word(r)) for w in repeated for r in dictionary.lemma_renderings(w, lang)
                if _rendered_word(r)}
    return all(german_stem(w) in rendered for w in content_words)


def _rendered_word(rendering: str) -> str:
    """The word a rendering stands for: itself, or a noun phrase's head ("formeller Beitritt" ->
    "Beitritt", what a translation that leaves out the adjective writes); "" for other phrases."""
    parts = rendering.split()
    if len(parts) == 1:
        return rendering
    return parts[-1] if parts[-1][:1].isupper() and parts[-1].isalpha() else ""
