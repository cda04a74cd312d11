"""The user glossary: CSV/TSV/TBX loading, the `glossary` check, refusal of hostile XML."""
import subprocess
import sys

import pytest

from mtlint.resources.glossary import load_glossary
from mtlint.errors import InputError
from mtlint.pipeline import Options, check

SOURCE = (
    "The bank was fined by the regulator on Monday.\n"
    "The regulator also published new guidelines for lenders.\n"
    "The group opened a subsidiary in Portugal last spring.\n"
    "He was charged with fraud after a long investigation.\n"
)
TARGET = (
    "Die Bank wurde am Montag von der Aufsichtsbehörde bestraft.\n"
    "Die Aufsichtsbehörde veröffentlichte außerdem neue Leitlinien für Kreditgeber.\n"
    "Die Gruppe eröffnete im vergangenen Frühjahr eine Filiale in Portugal.\n"
    "Er wurde nach langen Ermittlungen wegen Betrugs angeklagt.\n"
)
GLOSSARY_CSV = (
    "source,target,forbidden,note\n"
    "fined,mit einer Geldbuße belegt|Geldbuße,bestraft,a fine is not a criminal penalty\n"
    "guideline,Leitlinie,,\n"           # plural in the text: inflection must match
    "regulator,Behörde,,\n"             # compound head: Aufsichtsbehörde
    "subsidiary,Tochtergesellschaft,,\n"
    "charged,angeklagt,,\n"
    "charges,Anklagepunkte,,\n"         # stems like "charged": the literal entry must win
    ",Kreditgeber|Geldgeber,,\n"        # no source and no forbidden word: refused below
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_glossary(encoder, path, source=SOURCE, target=TARGET, source_lang="en"):
    options = Options(enable=["glossary"], glossary=load_glossary(str(path)))
    return check(source, target, source_lang=source_lang, target_lang="de", options=options, encoder=encoder)


@pytest.fixture
def glossary_csv(tmp_path):
    # the last row of GLOSSARY_CSV is invalid on purpose; the usable glossary leaves it out
    return write(tmp_path, "terms.csv", GLOSSARY_CSV.rsplit(",Kreditgeber", 1)[0])


def test_forbidden_and_missing_renderings_are_flagged_with_spans(encoder, glossary_csv):
    report = run_glossary(encoder, glossary_csv)
    found = [(i.target_text, i.source_text, i.suggestion) for i in report.issues]
    assert ("bestraft", "fined", "mit einer Geldbuße belegt") in found
    missing = [i for i in report.issues if i.source_text == "subsidiary"]
    assert len(missing) == 1
    assert missing[0].target_text == TARGET.splitlines()[2]   # the whole aligned sentence: no word to point at
    assert missing[0].suggestion == "Tochtergesellschaft"
    for issue in report.issues:
        assert issue.check == "glossary" and issue.category == "terminology/glossary" and issue.severity == "major"
        assert TARGET[issue.target_span[0]:issue.target_span[1]] == issue.target_text
        assert SOURCE[issue.source_span[0]:issue.source_span[1]] == issue.source_text
    # Leitlinien (plural) satisfies "Leitlinie"; Aufsichtsbehörde satisfies "Behörde"; "charged" is rendered,
    # and the "charges" entry, which stems alike, does not claim the same word.
    assert len(report.issues) == 2


def test_required_rendering_present_silences_the_entry(encoder, glossary_csv):
    fixed = TARGET.replace("bestraft", "mit einer Geldbuße belegt").replace("Filiale", "Tochtergesellschaft")
    assert run_glossary(encoder, glossary_csv, target=fixed).issues == []


def test_forbidden_everywhere_row_and_tsv(encoder, tmp_path):
    path = write(tmp_path, "terms.tsv", "source\tforbidden\tnote\n\tKreditgeber\tuse Darlehensgeber\n")
    report = run_glossary(encoder, path)
    assert [(i.target_text, i.source_text, i.suggestion) for i in report.issues] == [("Kreditgeber", "", None)]
    assert "use Darlehensgeber" in report.issues[0].message


def test_tbx_required_and_deprecated_terms(encoder, tmp_path):
    tbx = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="c1">
    <langSet xml:lang="en"><tig><term>fined</term></tig></langSet>
    <langSet xml:lang="de">
      <tig><term>mit einer Geldbuße belegt</term>
           <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
      <tig><term>bestraft</term>
           <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
    </langSet>
  </termEntry>
  <termEntry id="c2">
    <langSet xml:lang="en"><tig><term>subsidiary</term></tig></langSet>
    <langSet xml:lang="de"><tig><term>Tochtergesellschaft</term></tig></langSet>
    <langSet xml:lang="fr"><tig><term>filiale</term></tig></langSet>
  </termEntry>
</body></text></martif>"""
    report = run_glossary(encoder, write(tmp_path, "terms.tbx", tbx))
    assert [(i.target_text, i.source_text) for i in report.issues] == [
        ("bestraft", "fined"), (TARGET.splitlines()[2], "subsidiary")]


def test_tbx_v3_termsec_and_language_variants(tmp_path):
    tbx = """<?xml version="1.0"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
  <conceptEntry id="1">
    <langSec xml:lang="en-GB"><termSec><term>lorry</term></termSec></langSec>
    <langSec xml:lang="de-DE"><termSec><term>Lastwagen</term></termSec>
      <termSec><term>Laster</term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></termSec>
    </langSec>
  </conceptEntry>
</body></text></tbx>"""
    glossary = load_glossary(str(write(tmp_path, "v3.tbx", tbx)))
    [entry] = glossary.entries_for("en", "de")
    assert entry.source == ("lorry",) and entry.required == ("Lastwagen",) and entry.forbidden == ("Laster",)
    assert glossary.entries_for("en", "fr") == []


def test_source_language_without_stemmer_matches_by_prefix(encoder, tmp_path):
    # Ukrainian has no Snowball stemmer: "санкції" must still find the instrumental "санкціями".
    path = write(tmp_path, "uk.csv", "source,target\nсанкції,Sanktionen\n")
    source = ("Уряд погрожує компанії санкціями через порушення правил.\n"
              "Міністр виступив у парламенті в четвер увечері.\n")
    target = ("Die Regierung droht dem Unternehmen wegen Regelverstößen mit Strafen.\n"
              "Der Minister sprach am Donnerstagabend im Parlament.\n")
    report = run_glossary(encoder, path, source=source, target=target, source_lang="uk")
    assert [(i.source_text, i.suggestion) for i in report.issues] == [("санкціями", "Sanktionen")]


@pytest.mark.parametrize("content, message", [
    ("source,traget\nfined,x\n", "unknown glossary column 'traget'"),
    ("target,note\nx,y\n", "needs a header row"),
    (GLOSSARY_CSV, "a row needs a source term or a forbidden word"),
    ("source,target\nfined\n", "source term without target or forbidden rendering"),
])
def test_bad_csv_glossaries_are_refused(tmp_path, content, message):
    with pytest.raises(InputError, match=message):
        load_glossary(str(write(tmp_path, "bad.csv", content)))


def test_glossary_content_changes_the_config_hash(tmp_path):
    first = load_glossary(str(write(tmp_path, "a.csv", "source,target\nfined,Geldbuße\n")))
    second = load_glossary(str(write(tmp_path, "b.csv", "source,target\nfined,Bußgeld\n")))
    same = load_glossary(str(write(tmp_path, "c.csv", "source,target\nfined,Geldbuße\n")))
    assert Options(glossary=first).config_hash() != Options(glossary=second).config_hash()
    assert Options(glossary=first).config_hash() == Options(glossary=same).config_hash()
    assert Options(glossary=first).config_hash() != Options().config_hash()


BOMB = """<?xml version="1.0"?>
<!DOCTYPE martif [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
  <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
  <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<martif type="TBX"><text><body><termEntry><langSet xml:lang="en"><tig><term>&f;</term></tig></langSet>
</termEntry></body></text></martif>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<martif type="TBX"><text><body><termEntry><langSet xml:lang="en"><tig><term>&secret;</term></tig></langSet>
</termEntry></body></text></martif>"""


@pytest.mark.parametrize("content", [BOMB, EXTERNAL], ids=["entity-expansion", "external-entity"])
def test_hostile_tbx_is_refused_with_exit_2(tmp_path, content):
    source = write(tmp_path, "doc.en.txt", SOURCE)
    target = write(tmp_path, "doc.de.txt", TARGET)
    glossary = write(tmp_path, "hostile.tbx", content)
    result = subprocess.run([sys.executable, "-m", "mtlint", "check", source, target, "--glossary", glossary],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith(f"mtlint: error: {glossary}: refused: the glossary declares XML entities")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_malformed_and_foreign_xml_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="not well-formed XML"):
        load_glossary(str(write(tmp_path, "broken.tbx", "<martif><text>")))
    with pytest.raises(InputError, match=r"not a TBX file \(root element <xliff>\)"):
        load_glossary(str(write(tmp_path, "other.tbx", "<xliff version='1.2'/>")))
    with pytest.raises(InputError, match="unknown glossary format"):
        load_glossary(str(write(tmp_path, "terms.json", "{}")))


def test_enabling_glossary_without_one_is_a_usage_error(tmp_path):
    source = write(tmp_path, "doc.en.txt", SOURCE)
    target = write(tmp_path, "doc.de.txt", TARGET)
    result = subprocess.run([sys.executable, "-m", "mtlint", "check", source, target, "--enable", "glossary"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    assert result.stderr == ("mtlint: error: check 'glossary' needs a glossary: give --glossary FILE or "
                             "'glossary' in the configuration\n")
