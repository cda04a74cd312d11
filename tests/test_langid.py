import pytest

from conftest import CORPUS
from mtlint.resources import langid
from mtlint.errors import UsageError


def test_corpus_is_german_and_detection_is_repeatable():
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        first = langid.detect(text)
        assert first[0] == "de"
        assert all(langid.detect(text) == first for _ in range(3))


@pytest.mark.parametrize("text,lang", [
    ("The South Korean military said thousands of troops had been sent to Russia.", "en"),
    ("L'armée sud-coréenne a déclaré que des milliers de soldats avaient été envoyés en Russie.", "fr"),
    ("Південна Корея заявила, що тисячі солдатів були відправлені до Росії.", "uk"),
])
def test_segment_languages(text, lang):
    assert langid.detect(text)[0] == lang


def test_short_or_wordless_text_is_not_guessed():
    assert langid.detect("Werbung") == (None, 0.0)
    assert langid.detect("12.000 - 3.000 / 2024 !!! ???") == (None, 0.0)


def test_codes():
    assert langid.normalise_code("EN") == "en"
    assert langid.normalise_code("de_DE") == "de"
    with pytest.raises(UsageError, match="unknown language code"):
        langid.normalise_code("xx")
    assert langid.language_from_filename("references/000_abc.fr.txt") == "fr"
    assert langid.language_from_filename("corpus/000_abc.txt") is None
