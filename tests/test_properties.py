"""Property-based tests (hypothesis): reading, segmentation, alignment and offsets.

For arbitrary Unicode text (control characters, NUL, bidi controls, emoji,
combining marks, astral characters, CR/LF/CRLF and the other line breaks,
mixed scripts) nothing crashes and every offset indexes exactly its text.
The full pipeline runs with a cheap deterministic encoder (hashed character
trigrams) so that many documents can be tried in seconds.
"""
from __future__ import annotations

import codecs
import json
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from mtlint.resources import segment
from mtlint.align import align
from mtlint.embed import CachedEncoder
from mtlint.errors import InputError, MtlintError
from mtlint.pipeline import Options, check_documents
from mtlint.read import Document, decode_bytes
from mtlint.report import LineIndex, to_json, to_text

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIPELINE = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TrigramEncoder:
    """Hashed character-trigram vectors: similar texts get similar vectors, instantly."""

    model_id = "trigram-hash-256/test"
    dim = 256

    def encode(self, texts):
        vectors = np.zeros((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            padded = f"  {text.casefold()}  "
            for k in range(len(padded) - 2):
                vectors[row, zlib.crc32(padded[k:k + 3].encode("utf-8", "surrogatepass")) % self.dim] += 1.0
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def fake_encoder() -> CachedEncoder:
    return CachedEncoder(TrigramEncoder())


# Pieces that break naive text handling, mixed with sentence-like words so
# that segmenters, checks and the aligner have something to chew on.
HOSTILE = [
    "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\x0b", "\x0c", "\x1c", "\x1e", "\u2028", "\u2029",
    "\r", "\n", "\r\n", "\n\n", "\t", "\u00a0", "\u2009", "\u200b", "\u200d", "\ufeff",
    "\u202e", "\u202d", "\u200f", "\u200e", "\u2066", "\u2069", "\u061c",
    "👍🏽", "🇩🇪", "👨‍👩‍👧", "😀", "\U0001d518", "\U00020000", "\U0010fffd",
    "e\u0301", "\u0301", "a\u0308\u0323", "ﬁ", "İ", "ß", "ǅ",
    "Москва", "Київ", "東京", "مرحبا", "שלום", "नमस्ते", "ελληνικά",
    "<script>", "&amp;", '"', "„", "“", "«", "»", "...", "…", "?!", ".", ":", ";", "-", "—", "•",
    "12.000", "3,5", "1 100", "z. B.", "Mr.", "Dr.", "am 7. Mai", "U.S.", "e.g.", "Nr.",
]
WORDS = ["Der", "Krieg", "dauert", "an", "Die", "Soldaten", "The", "troops", "arrived", "Les", "soldats",
         "sont", "arrivés", "Війська", "прибули", "Seoul", "Kyiv", "said", "sagte", "Monday", "Montag"]


def pieces():
    return st.one_of(st.sampled_from(HOSTILE), st.sampled_from(WORDS),
                     st.text(st.characters(blacklist_categories=("Cs",)), max_size=6))


hostile_text = st.lists(pieces(), max_size=60).map(" ".join) | st.lists(pieces(), max_size=60).map("".join)
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
texts = st.one_of(hostile_text, any_text)
LANGS = ["de", "en", "fr", "uk"]


# --------------------------------------------------------------------------- reading

@PROPERTY
@given(text=texts, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"]))
@example(text="\x00Nul first", encoding="utf-16")
def test_unicode_text_decodes_back_exactly(text, encoding):
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)  # utf-8-sig, utf-16 and utf-32 write a byte-order mark
    if encoding == "utf-8" and "\x00" in text:
        with pytest.raises(InputError, match="binary"):
            decode_bytes(data)
        return
    # One leading byte-order mark is dropped, as documented; nothing else changes.
    expected = text[1:] if encoding == "utf-8" and text.startswith("\ufeff") else text
    decoded, _ = decode_bytes(data)
    assert decoded == expected


# Latin-1 letters only from U+00C0..U+00FF: their bytes can never form a valid
# UTF-8 sequence (which needs continuation bytes 0x80..0xBF), so the file is
# unambiguously Latin-1.
latin1_text = st.text(st.sampled_from("abcdefghij XYZ.,\n0123456789ÀÄÉÈÖÜßàäéèöüçñÿ"), min_size=1, max_size=200)


@PROPERTY
@given(text=latin1_text)
@example(text="café")   # the last character's byte looks like the start of a cut-off UTF-8 sequence
@example(text="Größe ü")
def test_latin1_text_decodes_back_exactly(text):
    assume(not text.isascii())
    assert decode_bytes(text.encode("latin-1")) == (text, "latin-1")


@PROPERTY
@given(data=st.binary(max_size=2000))
def test_any_bytes_decode_or_give_an_input_error(data):
    try:
        text, encoding = decode_bytes(data, "x.txt")
    except InputError as exc:
        assert str(exc).startswith("x.txt: ") and "\n" not in str(exc)
        return
    assert isinstance(text, str) and encoding


# --------------------------------------------------------------------------- segmentation

def assert_sentences_index_the_text(text: str, sentences) -> None:
    previous_end, previous_paragraph = 0, 0
    for sentence in sentences:
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert sentence.paragraph >= previous_paragraph
        piece = sentence.text(text)
        assert piece == text[sentence.start:sentence.end]
        assert not piece[0].isspace() and not piece[-1].isspace()
        assert not any(ch in piece for ch in "\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")  # within one line
        previous_end, previous_paragraph = sentence.end, sentence.paragraph


@PROPERTY
@given(text=texts, lang=st.sampled_from(LANGS))
@example(text="Am 7. Mai.\r\nDer\u202e Satz 👍🏽 e\u0301.\rZwei\u2028drei. \x00 vier", lang="de")
def test_sentences_index_the_text_and_cover_every_visible_character(text, lang):
    sentences = segment.sentences(text, lang)
    assert_sentences_index_the_text(text, sentences)
    covered = set()
    for sentence in sentences:
        covered.update(range(sentence.start, sentence.end))
    lost = [(i, ch) for i, ch in enumerate(text) if not ch.isspace() and ch != "\ufeff" and i not in covered]
    assert lost == []
    assert segment.sentences(text, lang) == sentences  # deterministic


@PROPERTY
@given(text=texts)
def test_presegmented_lines_are_the_lines(text):
    sentences = segment.lines_as_sentences(text)
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # no line after a final newline (nor in an empty text)
    assert [s.text(text) for s in sentences] == [line.removesuffix("\r") for line in lines]
    assert all(0 <= s.start <= s.end <= len(text) for s in sentences)


def test_a_one_megabyte_single_line_segments_within_its_bounds():
    # No sentence punctuation at all for 1 MB, then some: both paths of the block cutter.
    unit = "Wörter ohne Ende 👍🏽 \u202eили\u202c e\u0301 東京 "
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000] + " Ende. Noch ein Satz."
    sentences = segment.sentences(text, "de")
    assert_sentences_index_the_text(text, sentences)
    assert sentences[0].start == 0 and sentences[-1].end == len(text)
    assert max(s.end - s.start for s in sentences) <= segment._MAX_BLOCK
    assert segment.lines_as_sentences(text) == [segment.Sentence(0, len(text), 0)]


# --------------------------------------------------------------------------- alignment

sentence_lists = st.lists(st.one_of(texts, st.sampled_from(["", " ", "\t"])), max_size=25)


@PROPERTY
@given(source=sentence_lists, target=sentence_lists)
def test_alignment_covers_every_sentence_once_in_order(source, target):
    encode = TrigramEncoder().encode
    links = align(source, target, encode)
    assert [i for link in links for i in link.source] == list(range(len(source)))
    assert [j for link in links for j in link.target] == list(range(len(target)))
    for link in links:
        assert link.source or link.target
        assert 0.0 <= link.score <= 1.0
        if link.is_null:
            assert link.score == 0.0
    assert align(source, target, encode) == links


# --------------------------------------------------------------------------- the whole pipeline

def assert_report_offsets(report: dict, source: str, target: str, presegmented: bool = False) -> None:
    for key, text in (("source_sentences", source), ("target_sentences", target)):
        for sentence in report[key]:
            assert 0 <= sentence["start"] <= sentence["end"] <= len(text)
            assert presegmented or sentence["start"] < sentence["end"]  # only a blank line is empty
    for issue in report["issues"]:
        for side, text in (("target", target), ("source", source)):
            span = issue[f"{side}_span"]
            if span is None:
                assert issue[f"{side}_text"] == ""
            else:
                start, end = span
                assert 0 <= start <= end <= len(text)
                assert text[start:end] == issue[f"{side}_text"]


def render_everything(report: dict, source: str, target: str) -> None:
    from mtlint.renderers.html import article_page
    from mtlint.renderers.junit import junit
    from mtlint.renderers.markdown import markdown
    from mtlint.renderers.sarif import sarif

    assert to_text(report, target).endswith("\n")
    assert "<html" in article_page(report, source, target).lower()
    markdown([(report, target)])
    json.loads(to_json(sarif([(report, target)])))
    junit([(report, target)], per="segment")


@PIPELINE
@given(source=texts, target=texts, langs=st.sampled_from([("en", "de"), ("fr", "de"), ("uk", "de"), ("de", "en")]),
       presegmented=st.booleans())
def test_every_span_in_a_full_report_indexes_its_text(source, target, langs, presegmented):
    options = Options(source_lang=langs[0], target_lang=langs[1], presegmented=presegmented)
    result = check_documents(Document("src.txt", source, "utf-8"), Document("tgt.txt", target, "utf-8"), options,
                             fake_encoder())
    report = result.as_dict()
    assert_report_offsets(report, source, target, presegmented)
    serialised = to_json(report)
    assert json.loads(serialised) == json.loads(to_json(json.loads(serialised)))
    render_everything(report, source, target)
    again = check_documents(Document("src.txt", source, "utf-8"), Document("tgt.txt", target, "utf-8"), options,
                            fake_encoder())
    assert to_json(again.as_dict()) == serialised  # deterministic


def test_a_document_made_of_hostile_text_checks_and_renders():
    source = ("North Korea sent 12,000 troops.\r\nThe <script>alert(1)</script> said \"no\" on Monday.\r\n"
              "Mixed: Москва 東京 مرحبا שלום — 👨‍👩‍👧 e\u0301\u0301.\rOld Mac line.\n\n\x00\x07\x1b[0m\n"
              "\u202eevil override\u202c and \u2066isolate\u2069.\u2028Next line.\n")
    target = ("Nordkorea schickte 12.000 Soldaten.\r\nDas <script>alert(1)</script> sagte „nein“ am Montag.\r\n"
              "Gemischt: Москва 東京 مرحبا שלום — 👨‍👩‍👧 e\u0301\u0301.\rAlte Mac-Zeile.\n\n\x00\x07\x1b[0m\n"
              "\u202eböse\u202c und \u2066isoliert\u2069.\u2028Nächste Zeile.\n\U0010fffd\n")
    for presegmented in (False, True):
        options = Options(source_lang="en", target_lang="de", presegmented=presegmented)
        report = check_documents(Document("s.en.txt", source, "utf-8"), Document("t.de.txt", target, "utf-8"),
                                 options, fake_encoder()).as_dict()
        assert_report_offsets(report, source, target, presegmented)
        assert len(report["target_sentences"]) >= 6
        render_everything(report, source, target)
        # Line and column of every issue point at its text.
        index = LineIndex(target)
        for issue in report["issues"]:
            if issue["target_span"]:
                line, column = index.position(issue["target_span"][0])
                assert target.split("\n")[line - 1][column - 1:].startswith(issue["target_text"].split("\n")[0])


def test_empty_and_whitespace_documents_give_a_report_or_a_one_line_error():
    for source, target in [("", ""), ("   \n\n", "\t\r\n"), ("Text.", ""), ("", "Text."), ("\x00", "\u202e")]:
        try:
            report = check_documents(Document("s", source, "utf-8"), Document("t", target, "utf-8"),
                                     Options(source_lang="en", target_lang="de"), fake_encoder()).as_dict()
        except MtlintError as exc:
            assert "\n" not in str(exc)
            continue
        assert_report_offsets(report, source, target)
