import pytest

from conftest import CORPUS
from mtlint.resources.segment import lines_as_sentences, paragraphs, sentences

# Sentences per paragraph for every corpus article, checked by reading the
# segmentation line by line (see docs/segmentation.md for the hard cases).
EXPECTED_SHAPE = {
    "000_82a9c39d3c60c71b.txt": [1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2],
    "001_b6670fa3503a2af5.txt": [1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 4, 1, 1],
    "002_cc69014236208990.txt": [2, 1, 1, 2, 2, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1],
    "003_70f45af898db9f89.txt": [1, 3, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1],
    "004_2b3cd93104af1e43.txt": [1, 3, 4, 1, 5, 5, 1, 1],
}


def _segment(name):
    text = (CORPUS / name).read_text(encoding="utf-8")
    return text, sentences(text, "de")


@pytest.mark.parametrize("name", sorted(EXPECTED_SHAPE))
def test_corpus_paragraph_and_sentence_shape(name):
    text, sents = _segment(name)
    shape = [sum(1 for s in sents if s.paragraph == p) for p in range(len(paragraphs(text)))]
    assert shape == EXPECTED_SHAPE[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_SHAPE))
def test_sentences_are_exact_stripped_spans_in_order(name):
    text, sents = _segment(name)
    for a, b in zip(sents, sents[1:]):
        assert a.end <= b.start
    for s in sents:
        piece = text[s.start:s.end]
        assert piece == piece.strip() and "\n" not in piece


def _texts(name):
    text, sents = _segment(name)
    return [s.text(text) for s in sents]


def test_german_dates_and_ordinals_do_not_end_sentences():
    texts = _texts("000_82a9c39d3c60c71b.txt")
    assert any("am 7. Februar, dass nordkoreanische Truppen" in t for t in texts)
    texts = _texts("004_2b3cd93104af1e43.txt")
    assert texts[0].endswith("sowie Waffenlieferungen vorbereitete.")
    assert "am Montag, dem 23. Dezember, mit." in texts[2]
    assert any(t.startswith("Am 17. Dezember erklärte") for t in texts)


def test_a_german_ordinal_before_a_capitalised_noun_does_not_end_a_sentence():
    """German capitalises nouns, so "am 150. Meridian" looks like a sentence end followed by a new
    sentence; an article or preposition before the number (or a month after it) makes it an
    ordinal, also in tokenised text ("04 .").  A number after anything else can still end one."""
    def split(text):
        return [text[s.start:s.end] for s in sentences(text, "de")]

    assert split("Er lag nordöstlich von Saipan am 150. Meridian. Dann zog er weiter.") == [
        "Er lag nordöstlich von Saipan am 150. Meridian.", "Dann zog er weiter."]
    assert split("Aufsätze zu Ehren des 200 . Geburtstages Mary Shelleys .") == [
        "Aufsätze zu Ehren des 200 . Geburtstages Mary Shelleys ."]
    assert len(split("Am 01. und 04 . September 1940 bombardierte die KG 1 die Docks .")) == 1
    assert len(split("Wir feiern zum 3. Mal. Es ist schön.")) == 2
    assert split("Es war 1990. Dann kam die Wende.") == ["Es war 1990.", "Dann kam die Wende."]
    # a month's name after a day, in any of CLDR's German locales ("Jänner" in Austria) or abbreviated
    assert len(split("Sie kam 1990 am Ende. 3. Jänner war es kalt.")) == 2
    assert len(split("Die Frist endet 3. Jänner 2021 um Mitternacht. Dann nicht mehr.")) == 2
    assert len(split("Die Frist endet 12. Okt. 2021 um Mitternacht. Dann nicht mehr.")) == 2
    assert len(split("Geboren 3 . Jan . 1940 in Wien .")) == 1
    # a full month name may end a sentence before a year
    assert len(sentences("We met on 3 March. 2021 was a good year.", "en")) == 2
    # English is unchanged: "the 3. Then" is a sentence end there.
    assert len(sentences("He finished in 3. Then he left.", "en")) == 2


def test_numbers_and_ranges_stay_whole():
    texts = _texts("001_b6670fa3503a2af5.txt")
    assert any("etwa 10.000-12.000 Soldaten nach Russland" in t for t in texts)
    assert any("zwischen 1.000 und 3.000 Personen liegen." in t for t in texts)


def test_ellipsis_inside_a_quotation_does_not_split():
    texts = _texts("002_cc69014236208990.txt")
    assert any('um "die ... Besatzer zu vernichten' in t for t in texts)


def test_quotes_and_headlines():
    texts = _texts("001_b6670fa3503a2af5.txt")
    assert texts[1] == "Nordkorea schickt mehr Truppen nach Russland angesichts erheblicher Verluste - The Telegraph"
    assert texts[7].endswith("wieder in der Nähe von Kursk stationiert.'")
    texts = _texts("004_2b3cd93104af1e43.txt")
    assert texts[8] == "Im Juni wurde ein Bündnis zwischen Moskau und Pjöngjang gestärkt"


def test_english_abbreviations():
    text = "Mr. Kim met U.S. officials on Feb. 7 in Seoul. They talked for 2.5 hours."
    assert [s.text(text) for s in sentences(text, "en")] == [
        "Mr. Kim met U.S. officials on Feb. 7 in Seoul.", "They talked for 2.5 hours."]


def test_presegmented_lines_keep_blank_lines():
    text = "Eins.\n\nDrei.\r\nVier."
    spans = [s.text(text) for s in lines_as_sentences(text)]
    assert spans == ["Eins.", "", "Drei.", "Vier."]


def test_very_long_line_is_segmented_quickly_with_exact_offsets():
    text = "Das ist ein Satz. " * 30000 + "x" * 20000
    sents = sentences(text, "de")
    assert len(sents) > 1000
    for s in sents[:50] + sents[-5:]:
        assert text[s.start:s.end].strip() == text[s.start:s.end]
