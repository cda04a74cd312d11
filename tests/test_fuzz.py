"""Fuzzing the file readers and format parsers, for a bounded number of examples.

Random bytes and mutated valid files (truncated, spliced, bytes flipped,
markup-breaking snippets inserted) must give either a result or an
:class:`~mtlint.errors.MtlintError` (a one-line error, exit 2), never any
other exception.
"""
from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtlint.errors import MtlintError
from mtlint.formats import read_document

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# One small valid file per format; the extension selects the parser.
SEEDS = {
    "unit.xlf": """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="en" target-language="de" datatype="plaintext" original="a">
  <body>
   <trans-unit id="a1"><source>Press <x id="1"/> to <g id="2">save</g>.</source>
    <target>Drücken Sie <x id="1"/>, um zu <g id="2">speichern</g>.</target></trans-unit>
   <trans-unit id="a2"><source>Two &amp; three</source><target>Zwei &amp; drei</target></trans-unit>
  </body>
 </file>
</xliff>
""",
    "unit2.xliff": """<?xml version="1.0"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de">
 <file id="f"><unit id="u"><segment><source>Open <pc id="1">it</pc><cp hex="00A0"/>now.</source>
 <target>Öffnen <pc id="1">Sie es</pc><cp hex="00A0"/>jetzt.</target></segment></unit></file>
</xliff>
""",
    "memory.tmx": """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="en" datatype="plaintext"/>
<body><tu tuid="1"><tuv xml:lang="en"><seg>The <bpt i="1">&lt;b&gt;</bpt>price<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
<tuv xml:lang="de"><seg>Der Preis.</seg></tuv></tu></body></tmx>
""",
    "messages.po": r'''msgid ""
msgstr ""
"Language: de\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgctxt "menu"
msgid "Open %s"
msgstr "%s öffnen"

msgid "One file"
msgid_plural "%d files"
msgstr[0] "Eine Datei"
msgstr[1] "%d Dateien"
''',
    "pairs.csv": 'source,target,reference\n"Hello, world","Hallo, Welt",\n"Say ""hi""","Sag „hallo“","Sag hallo"\n',
    "pairs.tsv": "Good morning.\tGuten Morgen.\nThank you.\tDanke.\n",
    "pairs.jsonl": '{"id": "1", "source": "Hello", "target": "Hallo"}\n{"source": "Bye", "target": "Tschüss", "reference": "Ciao"}\n',
    "article.md": "# Titel\n\nEin *Absatz* mit [Link](http://example.org) und `Code`.\n\n- Punkt eins\n- Punkt zwei\n",
    "article.html": "<!DOCTYPE html><html><head><title>T</title><script>var x = 1;</script></head><body>"
                    "<nav>Menü</nav><article><h1>Titel</h1><p>Ein Absatz &amp; noch einer.</p></article></body></html>",
    "news.rss": """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>News</title><language>de</language>
<item><guid>a1</guid><title>Erste Meldung</title><description>&lt;p&gt;Text der Meldung.&lt;/p&gt;</description>
<pubDate>Mon, 06 Jan 2025 10:00:00 GMT</pubDate></item></channel></rss>
""",
    "news.atom": """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>News</title><id>urn:x</id>
<updated>2025-01-06T10:00:00Z</updated><entry><id>urn:x:1</id><title>Meldung</title>
<updated>2025-01-06T10:00:00Z</updated><content type="html">&lt;p&gt;Text.&lt;/p&gt;</content></entry></feed>
""",
    "article.txt": "Erste Zeile.\r\nZweite Zeile mit „Zitat“ und 12.000 Zahlen.\n",
}

# Byte strings that break parsers in interesting ways.
SNIPPETS = [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3", b"\xe2\x80", b"<", b">", b"&", b"&#0;", b"&#xD800;",
            b"&undefined;", b"]]>", b"<![CDATA[", b"<!--", b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", b"&a;",
            b"<?xml version=\"1.0\" encoding=\"latin-1\"?>", b'"', b"'", b"\\", b"\t", b"\r", b"\n", b",", b"{",
            b"}", b"[", b"msgid", b"msgstr[9] \"", b"#~ ", b"\"\"\"", b"<script>", b"</", b"\xed\xa0\x80",
            b"\xf4\x90\x80\x80", b"\xe2\x80\xae", b"9" * 40]


def readers():
    """(name, reader) for every reader present: each takes a path and returns a parsed result."""
    found = [("document", lambda path: read_document(path)),
             ("document-as-text", lambda path: read_document(path, input_format="text"))]
    if importlib.util.find_spec("mtlint.formats"):
        from mtlint.formats import read_pairs

        found.append(("pairs", read_pairs))
    if importlib.util.find_spec("mtlint.feed"):
        from mtlint.feed import read_feed

        found.append(("feed", read_feed))
    return found


READERS = readers()


def read_with(reader, name: str, data: bytes, directory: str):
    path = os.path.join(directory, name)
    Path(path).write_bytes(data)
    try:
        return reader(path)
    except MtlintError as exc:
        message = str(exc)
        assert message and "\n" not in message and "Traceback" not in message
        return None


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "delete", "insert", "flip", "duplicate", "snippet"]))
        at = draw(st.integers(0, len(data)))
        if kind == "truncate":
            del data[at:]
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 20))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(1, 200))]
        elif kind == "snippet":
            data[at:at] = draw(st.sampled_from(SNIPPETS))
    return bytes(data)


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory(prefix="mtlint-fuzz-") as directory:
        yield directory


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_seed_reads_with_its_reader(name, scratch):
    # The mutations start from files the readers accept, so they reach deep into the parsers.
    reader = {".xlf": "pairs", ".xliff": "pairs", ".tmx": "pairs", ".po": "pairs", ".csv": "pairs", ".tsv": "pairs",
              ".jsonl": "pairs", ".rss": "feed", ".atom": "feed"}.get(Path(name).suffix, "document")
    function = dict(READERS).get(reader)
    if function is None:
        pytest.skip(f"no {reader} reader yet")
    assert read_with(function, name, SEEDS[name].encode("utf-8"), scratch) is not None


@pytest.mark.parametrize("name", sorted(SEEDS))
@FUZZ
@given(data=st.data())
def test_mutated_files_give_a_result_or_a_one_line_error(name, data, scratch):
    mutant = data.draw(mutated(SEEDS[name].encode("utf-8")))
    for _, reader in READERS:
        read_with(reader, name, mutant, scratch)


@pytest.mark.parametrize("name", ["random.txt", "random.xlf", "random.tmx", "random.po", "random.csv",
                                  "random.jsonl", "random.md", "random.html", "random.rss", "random.bin"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000) | st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_random_bytes_give_a_result_or_a_one_line_error(name, data, scratch):
    for _, reader in READERS:
        read_with(reader, name, data, scratch)


# Inputs the fuzzer once found crashing, kept as fixed cases.
FOUND = [
    ("news.rss", SEEDS["news.rss"].encode("utf-8").replace(b'encoding="UTF-8"', b'encoding="\xff\xfeUTF-8"')),
    ("unit.xlf", b"\xff\xfe\x00\x00" + "<xliff/>".encode("utf-16-le")),
    ("article.txt", "Café".encode("latin-1")),
]


@pytest.mark.parametrize("name,data", FOUND, ids=[name for name, _ in FOUND])
def test_inputs_once_found_crashing(name, data, scratch):
    for _, reader in READERS:
        read_with(reader, name, data, scratch)
