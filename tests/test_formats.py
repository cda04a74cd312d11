"""Bilingual and monolingual input formats, malformed and unsafe input, the placeholder check."""
import json
import re

import pytest

from conftest import CORPUS, corpus_files, reference_for
from mtlint.cli import main
from mtlint.errors import InputError, UsageError
from mtlint.formats import detect_format, read_pairs
from mtlint.formats import read_document

XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="en-US" target-language="de-DE" datatype="plaintext" original="app.properties">
    <body>
      <group id="menu">
        <trans-unit id="greeting">
          <source>Hello %s, you have {count} new messages.</source>
          <target>Hallo %s, Sie haben {count} neue Nachrichten.</target>
        </trans-unit>
      </group>
      <trans-unit id="save">
        <source>Click <x id="1"/> to <g id="2" ctype="bold">save</g> the file.</source>
        <target>Klicken Sie auf <x id="1"/>, um die Datei <g id="2" ctype="bold">zu speichern</g>.</target>
      </trans-unit>
      <trans-unit id="lost">
        <source>Delete %(name)s from the folder {folder}?</source>
        <target>%(name)s aus dem Ordner löschen?</target>
      </trans-unit>
      <trans-unit id="pending">
        <source>Not translated yet.</source>
      </trans-unit>
      <trans-unit id="code">
        <source>Press <ph id="3">&lt;br/&gt;</ph> twice.</source>
        <target>Drücken Sie zweimal <ph id="3">&lt;br/&gt;</ph>.</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">
  <file id="f1">
    <unit id="u1">
      <segment id="s1">
        <source>Open <pc id="1">the <mrk id="m1" type="term">settings</mrk></pc> now.</source>
        <target>Ouvrez <pc id="1">les <mrk id="m1" type="term">paramètres</mrk></pc> maintenant.</target>
      </segment>
      <segment id="s2">
        <source>Line<ph id="2"/>break<cp hex="00A0"/>here.</source>
        <target>Saut<ph id="2"/>de<cp hex="00A0"/>ligne.</target>
      </segment>
    </unit>
    <unit id="u2">
      <segment>
        <source>Only source.</source>
      </segment>
    </unit>
  </file>
</xliff>
"""

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en"
          srclang="en-GB" datatype="plaintext"/>
  <body>
    <tu tuid="t1">
      <tuv xml:lang="en-GB"><seg>The <bpt i="1">&lt;b&gt;</bpt>price<ept i="1">&lt;/b&gt;</ept> is {0}.</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Der <bpt i="1">&lt;b&gt;</bpt>Preis<ept i="1">&lt;/b&gt;</ept> beträgt {0}.</seg></tuv>
    </tu>
    <tu tuid="t2">
      <tuv xml:lang="en-GB"><seg>Good morning.</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Guten Morgen.</seg></tuv>
    </tu>
    <tu tuid="t3">
      <tuv xml:lang="en-GB"><seg>Only English here.</seg></tuv>
    </tu>
  </body>
</tmx>
"""

PO = r'''# German translation
msgid ""
msgstr ""
"Language: de\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: src/main.c:10
msgctxt "menu"
msgid "Open %s"
msgstr "%s öffnen"

#, fuzzy
msgid "Save {file}"
msgstr "{datei} speichern"

msgid "One file"
msgid_plural "%d files"
msgstr[0] "Eine Datei"
msgstr[1] "%d Dateien"

msgid "Untranslated"
msgstr ""

#~ msgid "Old"
#~ msgstr "Alt"
'''


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(capsys, *args):
    """Run the command line in-process; (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def units_of(bilingual):
    return [(u.id, u.source, u.target) for u in bilingual.units]


def test_xliff_12_units_keep_inline_tags_and_skip_untranslated(tmp_path):
    result = read_pairs(str(write(tmp_path, "app.xlf", XLIFF_12)))
    assert result.format == "xliff" and (result.source_lang, result.target_lang) == ("en-US", "de-DE")
    assert [u.id for u in result.units] == ["greeting", "save", "lost", "code"]  # "pending" has no target
    assert result.untranslated == 1
    assert result.units[1].source == 'Click <x id="1"/> to <g id="2">save</g> the file.'
    assert result.units[1].target == 'Klicken Sie auf <x id="1"/>, um die Datei <g id="2">zu speichern</g>.'
    assert result.units[3].source == 'Press <ph id="3"/> twice.'  # native code inside <ph> dropped
    assert result.units[0].line == 6


def test_xliff_20_segments_markers_and_code_points(tmp_path):
    result = read_pairs(str(write(tmp_path, "app.xliff", XLIFF_20)))
    assert (result.source_lang, result.target_lang) == ("en", "fr")
    assert units_of(result) == [
        ("u1#s1", 'Open <pc id="1">the settings</pc> now.', 'Ouvrez <pc id="1">les paramètres</pc> maintenant.'),
        ("u1#s2", 'Line<ph id="2"/>break\u00a0here.', 'Saut<ph id="2"/>de\u00a0ligne.'),
    ]


def test_tmx_languages_from_header_and_the_other_variant(tmp_path):
    path = str(write(tmp_path, "memory.tmx", TMX))
    result = read_pairs(path)
    assert (result.source_lang, result.target_lang) == ("en", "de")
    assert units_of(result) == [
        ("t1", 'The <bpt i="1"/>price<ept i="1"/> is {0}.', 'Der <bpt i="1"/>Preis<ept i="1"/> beträgt {0}.'),
        ("t2", "Good morning.", "Guten Morgen."),
    ]
    reversed_pairs = read_pairs(path, source_lang="de", target_lang="en")
    assert units_of(reversed_pairs)[1] == ("t2", "Guten Morgen.", "Good morning.")


def test_tmx_with_several_target_languages_needs_target_lang(tmp_path):
    three = TMX.replace('<tuv xml:lang="de-DE"><seg>Guten Morgen.</seg></tuv>',
                        '<tuv xml:lang="de-DE"><seg>Guten Morgen.</seg></tuv><tuv xml:lang="fr"><seg>Bonjour.</seg></tuv>')
    path = str(write(tmp_path, "three.tmx", three))
    with pytest.raises(UsageError, match="give --target-lang"):
        read_pairs(path)
    assert units_of(read_pairs(path, target_lang="fr")) == [("t2", "Good morning.", "Bonjour.")]


def test_po_contexts_plurals_fuzzy_and_skipped_messages(tmp_path):
    result = read_pairs(str(write(tmp_path, "de.po", PO)))
    assert result.target_lang == "de"
    assert units_of(result) == [
        ("menu|Open %s", "Open %s", "%s öffnen"),
        ("Save {file}", "Save {file}", "{datei} speichern"),
        ("One file[0]", "One file", "Eine Datei"),
        ("One file[1]", "%d files", "%d Dateien"),
    ]
    assert result.units[0].line == 8  # the entry starts at its comments
    assert result.untranslated == 1  # "Untranslated"; the obsolete entry is no unit at all


def test_an_empty_target_is_untranslated_in_every_format(tmp_path):
    """An empty <target/>, a CSV row with an empty target field and a JSONL target "" are units not
    translated yet: left out and counted, as a missing <target> is."""
    csv_file = read_pairs(str(write(tmp_path, "rows.csv", "source,target\nSave the file.,Datei speichern.\nOpen it.,\n")))
    assert units_of(csv_file) == [("2", "Save the file.", "Datei speichern.")] and csv_file.untranslated == 1
    xliff = XLIFF_12.replace("</body>", '<trans-unit id="blank"><source>Close.</source><target> </target></trans-unit></body>')
    assert read_pairs(str(write(tmp_path, "blank.xlf", xliff))).untranslated == 2
    jsonl = read_pairs(str(write(tmp_path, "rows.jsonl", '{"source": "Yes.", "target": ""}\n{"source": "No.", "target": "Nein."}\n')))
    assert units_of(jsonl) == [("2", "No.", "Nein.")] and jsonl.untranslated == 1


def test_a_file_with_nothing_translated_is_an_error_not_a_pass(tmp_path, capsys):
    code, out, err = run_cli(capsys, "pairs", write(tmp_path, "todo.csv", "source,target\nOpen it.,\n"),
                             "--source-lang", "en", "--target-lang", "de")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("mtlint: error: ") and "no translated unit to check (1 untranslated)" in err


def test_csv_header_in_any_order_with_quoting_and_references(tmp_path):
    text = 'id,target,source,reference\nk1,"Hallo, Welt","Hello, world",Hallo Welt\n\nk2,"Zwei\nZeilen","Two\nlines",\n'
    result = read_pairs(str(write(tmp_path, "pairs.csv", text)))
    assert [(u.id, u.source, u.target, u.reference, u.line) for u in result.units] == [
        ("k1", "Hello, world", "Hallo, Welt", "Hallo Welt", 2),
        ("k2", "Two\nlines", "Zwei\nZeilen", None, 4),
    ]


def test_csv_headers_with_other_names_or_language_codes(tmp_path):
    assert units_of(read_pairs(str(write(tmp_path, "codes.csv", "en,de\nGood night.,Gute Nacht.\n")))) == [
        ("2", "Good night.", "Gute Nacht.")]
    assert units_of(read_pairs(str(write(tmp_path, "names.tsv", "src\tdst\nThanks.\tDanke.\n")))) == [
        ("2", "Thanks.", "Danke.")]
    # A unit whose cells only look like codes stays a unit: the same code twice, or no language.
    assert len(read_pairs(str(write(tmp_path, "same.csv", "de,de\nja,ja\n"))).units) == 2
    assert len(read_pairs(str(write(tmp_path, "word.csv", "is,ist\n"))).units) == 1


def test_csv_and_tsv_positional_columns(tmp_path):
    csv_units = read_pairs(str(write(tmp_path, "pos.csv", "Good night.,Gute Nacht.,Gute Nacht!\n"))).units
    assert (csv_units[0].id, csv_units[0].source, csv_units[0].reference) == ("1", "Good night.", "Gute Nacht!")
    # TSV keeps quotes as text, as `mtlint pairs` always read it; ids are line numbers.
    tsv = read_pairs(str(write(tmp_path, "pairs.tsv", 'He said "yes".\tEr sagte „ja“.\n\nThanks.\tDanke.\n')))
    assert [(u.id, u.source, u.target) for u in tsv.units] == [
        ("1", 'He said "yes".', "Er sagte „ja“."), ("3", "Thanks.", "Danke.")]
    headed = read_pairs(str(write(tmp_path, "headed.tsv", "target\tsource\nDanke.\tThanks.\n")))
    assert units_of(headed) == [("2", "Thanks.", "Danke.")]


def test_jsonl_ids_references_and_line_numbers(tmp_path):
    text = ('{"id": "a", "source": "Yes.", "target": "Ja.", "reference": "Jawohl."}\n\n'
            '{"source": "No.", "target": "Nein."}\n')
    result = read_pairs(str(write(tmp_path, "pairs.jsonl", text)))
    assert [(u.id, u.source, u.target, u.reference) for u in result.units] == [
        ("a", "Yes.", "Ja.", "Jawohl."), ("3", "No.", "Nein.", None)]


def test_format_detection_from_content_and_the_override(tmp_path):
    assert detect_format("memory.xml", TMX) == "tmx"
    assert detect_format("strings.xml", XLIFF_12) == "xliff"
    assert detect_format("messages", PO) == "po"
    assert detect_format("rows", '{"source": "a", "target": "b"}\n') == "jsonl"
    assert detect_format("page", "<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert detect_format("notes.md", "# Title\n") == "markdown"
    assert detect_format(str(CORPUS / corpus_files()[0].name), corpus_files()[0].read_text(encoding="utf-8")) == "text"
    # A .txt file holding CSV reads as TSV unless told otherwise.
    path = str(write(tmp_path, "rows.txt", "source,target\nYes.,Ja.\n"))
    assert units_of(read_pairs(path, input_format="csv")) == [("2", "Yes.", "Ja.")]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE xliff [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff version="1.2"><file source-language="en" target-language="de"><body>
<trans-unit id="1"><source>&lol9;</source><target>&lol9;</target></trans-unit>
</body></file></xliff>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xliff version="1.2"><file source-language="en" target-language="de"><body>
<trans-unit id="1"><source>&secret;</source><target>&secret;</target></trans-unit>
</body></file></xliff>
"""

MALFORMED = [
    # (file name, content, expected location in the one-line error, words the message must contain)
    ("laughs.xlf", BILLION_LAUGHS, "laughs.xlf:", "entity declaration 'lol' refused"),
    ("external.xlf", EXTERNAL_ENTITY, "external.xlf:", "external entity 'secret' refused"),
    ("broken.xlf", XLIFF_12.replace("</source>\n          <target>Hallo", "</sourc>\n          <target>Hallo", 1),
     "broken.xlf:7:", "malformed XML"),
    ("broken.tmx", TMX.replace("</seg></tuv>\n    </tu>\n    <tu tuid=\"t3\">", "</tuv>\n    </tu>\n    <tu tuid=\"t3\">"),
     "broken.tmx:", "malformed XML"),
    ("nolang.tmx", TMX.replace('srclang="en-GB"', 'srclang="*all*"'), "nolang.tmx:", "give --source-lang"),
    ("broken.po", PO.replace('msgstr "%s öffnen"', 'msgstr "%s öffnen'), "broken.po:11:", "PO syntax error"),
    ("bare.po", PO.replace('msgstr[0] "Eine Datei"', "msgstr[0] Eine Datei"), "bare.po:19:", "PO syntax error"),
    ("short.csv", "source,target\nYes.,Ja.\nNo.\n", "short.csv:3:", "found 1 field"),
    ("quote.csv", 'source,target\n"Yes.,Ja.\n', "quote.csv:", "malformed CSV"),
    ("short.tsv", "Yes.\tJa.\nNo.\n", "short.tsv:2:", "expected source<TAB>target"),
    ("bad.jsonl", '{"source": "a", "target": "b"}\n{"source": "a", "target": }\n', "bad.jsonl:2:", "invalid JSON"),
    ("missing.jsonl", '{"source": "a"}\n', "missing.jsonl:1:", "'target' missing"),
    ("notxliff.xlf", "<?xml version='1.0'?><root/>", "notxliff.xlf:1:", "not XLIFF"),
]


@pytest.mark.parametrize("name,content,where,message", MALFORMED, ids=[case[0] for case in MALFORMED])
def test_malformed_bilingual_files_exit_2_with_one_line(tmp_path, capsys, name, content, where, message):
    path = write(tmp_path, name, content)
    code, out, err = run_cli(capsys, "pairs", path, "--target-lang", "de")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("mtlint: error: "), err
    assert where in err and message in err, err


def test_a_bilingual_file_or_a_feed_given_to_check_is_refused(tmp_path, capsys):
    xliff = write(tmp_path, "app.xlf", XLIFF_12)
    code, _, err = run_cli(capsys, "check", xliff, xliff)
    assert code == 2 and "mtlint pairs" in err and err.count("\n") == 1
    with pytest.raises(InputError, match="mtlint feed"):
        read_document(write(tmp_path, "news.xml", '<?xml version="1.0"?><rss version="2.0"><channel/></rss>'))


def test_markdown_keeps_prose_and_joins_wrapped_lines(tmp_path):
    text = ("# The *big* news\n\nA sentence wrapped\nover two lines with a [link](https://example.org/x).\n\n"
            "```\ncode_block = 1\n```\n\n- First **item**\n- Second `item`\n\n<div>raw html</div>\n\n![A chart](c.png)\n")
    document = read_document(write(tmp_path, "news.md", text))
    assert document.text == ("The big news\n\nA sentence wrapped over two lines with a link.\n\n"
                             "First item\n\nSecond item\n\nA chart\n")


def test_markdown_front_matter_is_metadata_not_prose(tmp_path):
    yaml = "---\ntitle: Regen im Norden\ndate: 2024-05-01\n---\n# Regen erwartet\n\nStarker Regen.\n"
    assert read_document(write(tmp_path, "yaml.md", yaml)).text == "Regen erwartet\n\nStarker Regen.\n"
    toml = '+++\ntitle = "Regen"\n+++\nStarker Regen.\n'
    assert read_document(write(tmp_path, "toml.md", toml)).text == "Starker Regen.\n"
    # A rule later in the text is no front matter.
    assert read_document(write(tmp_path, "rule.md", "Vorher.\n\n---\n\nNachher.\n")).text == "Vorher.\n\nNachher.\n"


def test_html_article_text_drops_navigation_and_scripts(tmp_path):
    page = ("<!DOCTYPE html><html><head><title>Page</title><script>var tracking = 1;</script></head><body>"
            "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li></ul></nav>"
            "<article><h1>Rain expected in the north</h1>"
            "<p>Heavy rain is expected across the north this weekend, forecasters said on Friday.</p>"
            "<p>Rivers could rise quickly, and drivers were asked to avoid flooded roads.<script>alert(1)</script></p>"
            "</article><footer>Copyright and imprint</footer></body></html>")
    text = read_document(write(tmp_path, "page.html", page)).text
    assert "Heavy rain is expected across the north" in text and "avoid flooded roads." in text
    for debris in ("Home", "World", "tracking", "alert", "Copyright"):
        assert debris not in text
    with pytest.raises(InputError, match="no article text"):
        read_document(write(tmp_path, "empty.html", "<html><body><script>x()</script></body></html>"))


def placeholder_issues(encoder, source, target):
    from mtlint.pipeline import Options, check_pairs

    [result] = check_pairs([(source, target)], "en", "de", Options(enable=["placeholder"]), encoder)
    return [(i.category, i.target_text, i.source_text, i.message) for i in result.issues]


def test_placeholders_reordered_or_absent_are_fine(encoder):
    assert placeholder_issues(encoder, "%s of %d files, {name} at {0}", "{0}: {name}, %d Dateien von %s") == []
    assert placeholder_issues(encoder, "Growth was 50% sure, the 20 %s rate.", "Das Wachstum lag bei 50 %s.") == []
    assert placeholder_issues(encoder, "Prices rose by 50% in May.", "Die Preise stiegen im Mai um 50 %.") == []


def test_placeholder_missing_altered_duplicated_and_added(encoder):
    missing = placeholder_issues(encoder, "Delete %(name)s now?", "Jetzt löschen?")
    assert missing == [("accuracy/omission", "Jetzt löschen?", "%(name)s",
                        "placeholder %(name)s of the source is missing in the translation")]
    altered = placeholder_issues(encoder, "Hello %(name)s!", "Hallo %(nom)s!")
    assert altered == [("accuracy/mistranslation", "%(nom)s", "%(name)s",
                        "placeholder %(name)s of the source changed to %(nom)s")]
    duplicated = placeholder_issues(encoder, "Click <x id=\"1\"/> here.", "Klicken <x id=\"1\"/> Sie <x id=\"1\"/> hier.")
    assert [(c, t) for c, t, _, _ in duplicated] == [("accuracy/addition", '<x id="1"/>')]
    assert "2 times in the translation, 1 in the source" in duplicated[0][3]
    added = placeholder_issues(encoder, "Saved.", "{{ user }} gespeichert.")
    assert added == [("accuracy/addition", "{{ user }}", "", "placeholder {{ user }} is not in the source")]


def test_pairs_command_points_issues_back_to_unit_ids(tmp_path, capsys):
    code, out, err = run_cli(capsys, "pairs", write(tmp_path, "app.xlf", XLIFF_12), "--enable", "placeholder")
    assert code == 1, err  # the "lost" unit fails the default gate (major)
    assert err.endswith("app.xlf: 4 units checked, 1 failed, 1 untranslated skipped - FAILED\n"), err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["id"] for line in lines] == ["greeting", "save", "lost", "code"]
    lost = lines[2]
    assert lost["passed"] is False
    assert [(i["check"], i["source_text"], i["target_text"]) for i in lost["issues"]] == [
        ("placeholder", "{folder}", "%(name)s aus dem Ordner löschen?")]
    assert all(line["issues"] == [] for line in lines if line["id"] != "lost")


def test_pairs_lines_carry_version_encoder_config_hash_and_signatures(tmp_path, capsys):
    import mtlint

    rows = 'id,source,target,reference\nk1,"Prices rose by 12 percent.","Die Preise stiegen um 12 Prozent.",' \
           '"Die Preise sind um 12 Prozent gestiegen."\nk2,"The plant employs 250 people.","Das Werk hat 350 Leute.",\n'
    path = write(tmp_path, "rows.csv", rows)
    args = ("pairs", path, "--source-lang", "en", "--target-lang", "de", "--enable", "number-mismatch,placeholder")
    code, out, err = run_cli(capsys, *args)
    assert code == 1, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(line["id"], line["index"]) for line in lines] == [("k1", 0), ("k2", 1)]
    meta = lines[0]["meta"]
    assert all(line["meta"] == meta for line in lines)  # every line says what produced it
    assert meta["mtlint_version"] == mtlint.__version__ and meta["encoder"]
    assert re.fullmatch(r"[0-9a-f]{12}", meta["config_hash"])
    assert meta["signature"].startswith(f"mtlint:{mtlint.__version__}|langs:en-de|enc:{meta['encoder']}|")
    assert meta["signature"].endswith(f"|cfg:{meta['config_hash']}")
    # sacrebleu's signature where a reference was scored (row k1 only)
    assert set(lines[0]["reference_metrics"]) == {"BLEU", "chrF", "TER"}
    assert all("nrefs:1" in m["signature"] for m in lines[0]["reference_metrics"].values())
    assert "reference_metrics" not in lines[1]
    # another configuration, another hash
    code, out, _ = run_cli(capsys, *args, "--fail-on", "never")
    assert code == 0 and json.loads(out.splitlines()[0])["meta"]["config_hash"] != meta["config_hash"]


def test_check_reads_markdown_and_html_articles(tmp_path, capsys):
    # The first article as Markdown (wrapped paragraphs, a bold word), its original as an HTML page with navigation.
    target_file = corpus_files()[0]
    source_file = reference_for(target_file)
    paragraphs = [p for p in target_file.read_text(encoding="utf-8").splitlines() if p.strip()]
    wrapped = ["\n".join(re.findall(r".{1,70}(?:\s|$)", p)).strip() for p in paragraphs[1:]]
    markdown = f"# {paragraphs[0]}\n\n" + "\n\n".join(wrapped) + "\n"
    source_paragraphs = [p for p in source_file.read_text(encoding="utf-8").splitlines() if p.strip()]
    html = ("<!DOCTYPE html><html><head><script>window.ads = [];</script></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article>"
            f"<h1>{source_paragraphs[0]}</h1>" + "".join(f"<p>{p}</p>" for p in source_paragraphs[1:])
            + "</article><footer>Terms of use</footer></body></html>")
    md_path, html_path = write(tmp_path, "article.md", markdown), write(tmp_path, "original.en.html", html)
    code, out, err = run_cli(capsys, "check", html_path, md_path, "--target-lang", "de", "--format", "json",
                             "--fail-on", "never")
    assert code == 0, err
    report = json.loads(out)
    extracted = read_document(md_path).text
    assert extracted.rstrip("\n").split("\n\n") == paragraphs  # wrapped lines joined again
    assert report["issues"], "the article's known slips are found in the Markdown version too"
    for issue in report["issues"]:
        if issue["target_span"]:
            start, end = issue["target_span"]
            assert extracted[start:end] == issue["target_text"]
    assert len(report["source_sentences"]) > 10


MARKDOWN_SOURCE = ("# Plant hires\n\nThe company hired **250** new workers\nat its plant in March.\n\n"
                   "Sales rose sharply in the *spring*. Profits fell in the summer.\n")
MARKDOWN_TARGET = ("# Werk stellt ein\n\nDas Unternehmen stellte im März **350** neue\nMitarbeiter in seinem Werk ein.\n\n"
                   "Der Umsatz stieg im *Frühjahr* stark. Die Gewinne fielen im Sommer.\n")


def test_report_input_format_reads_every_document_as_told(tmp_path, capsys):
    # Markdown in .txt files: read as plain text unless --input-format says otherwise.
    corpus, references = tmp_path / "corpus", tmp_path / "references"
    corpus.mkdir(), references.mkdir()
    target = write(corpus, "plant.txt", MARKDOWN_TARGET)
    write(references, "plant.en.txt", MARKDOWN_SOURCE)
    common = ("report", corpus, references, "-q", "--fail-on", "never", "--enable", "number-mismatch")
    reports = {}
    for input_format in ("markdown", None):
        out = tmp_path / f"out-{input_format}"
        code, _, err = run_cli(capsys, *common, "-o", out, *(("--input-format", input_format) if input_format else ()))
        assert code == 0, err
        reports[input_format] = json.loads((out / "plant.json").read_text(encoding="utf-8"))
    extracted = read_document(target, "markdown").text
    assert extracted.startswith("Werk stellt ein\n\nDas Unternehmen stellte im März 350 neue Mitarbeiter in")
    report = reports["markdown"]
    first = report["target_sentences"][0]
    assert extracted[first["start"]:first["end"]] == "Werk stellt ein"
    assert report["target_sentences"][-1]["end"] <= len(extracted)
    (issue,) = report["issues"]
    start, end = issue["target_span"]
    assert issue["check"] == "number-mismatch" and issue["target_text"] == extracted[start:end] == "350"
    assert extracted[start - 1:end + 1] == " 350 "  # offsets into the text without the markup
    # Without the flag the same files are plain text: the heading's "#" and the "**" are text.
    plain = reports[None]
    first = plain["target_sentences"][0]
    assert MARKDOWN_TARGET[first["start"]:first["end"]].startswith("# Werk")
    start, end = plain["issues"][0]["target_span"]
    assert MARKDOWN_TARGET[start - 2:end + 2] == "**350**"
    code, _, err = run_cli(capsys, "report", corpus, references, "-o", tmp_path / "x", "--input-format", "xliff")
    assert code == 2 and "--input-format" in err and err.count("\n") == 1
