import codecs

import pytest

from mtlint.errors import InputError
from mtlint.formats import read_document
from mtlint.read import decode_bytes

TEXT = "Pjöngjang bestätigt: „12.000 Soldaten“ – ça va? ✓"


@pytest.mark.parametrize("data,encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-bom"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le-bom"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be-bom"),
])
def test_unicode_encodings_decode_to_the_same_text(data, encoding):
    assert decode_bytes(data) == (TEXT, encoding)


def test_latin1_fallback():
    latin = "Südkorea und Pjöngjang, Größe".encode("latin-1")
    assert decode_bytes(latin) == ("Südkorea und Pjöngjang, Größe", "latin-1")


def test_bom_is_not_part_of_the_text_so_offsets_start_at_the_first_character(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"Hallo Welt.\r\nZweite Zeile.")
    doc = read_document(path)
    assert doc.text == "Hallo Welt.\r\nZweite Zeile."  # line endings kept as read


@pytest.mark.parametrize("data,message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(256)) * 4, "binary"),
    ("Große Straß".encode("utf-8")[:-1], "truncated UTF-8"),
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
])
def test_bad_bytes_are_refused_with_a_reason(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_document(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        read_document(tmp_path)
