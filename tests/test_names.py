"""Names (name-spelling, name-consistency, cross-document inventories) and case errors (case-error)."""
import pytest

from conftest import CORPUS, corpus_files, reference_for
from mtlint import segment
from mtlint.check import DocumentPair, all_checks, run_checks
from mtlint.checks import names, spelling

HAS_DICTIONARY = spelling.dictionary_path("de") is not None
needs_dictionary = pytest.mark.skipif(not HAS_DICTIONARY, reason="Debian hunspell-de-de not installed")


def pair_of(source: str, target: str, source_lang: str, target_lang: str = "de") -> DocumentPair:
    """A document pair without alignment: these checks read the texts, not the links."""
    return DocumentPair(source, target, source_lang, target_lang, segment.sentences(source, source_lang),
                        segment.sentences(target, target_lang), [], lambda texts: None)


def found(pair: DocumentPair, check: str) -> list[tuple[str, str | None]]:
    return [(i.target_text, i.suggestion) for i in run_checks(pair, [all_checks()[check]])]


# --- name-spelling ---------------------------------------------------------------------------------------

def test_english_transliteration_of_names_from_a_cyrillic_source():
    source = "Вчора Петро Порошенко зустрівся з Юлією Тимошенко в Харкові."
    target = "Gestern traf sich Petro Poroshenko mit Julija Tymoschenko in Kharkiv."
    assert found(pair_of(source, target, "uk"), "name-spelling") == [
        ("Poroshenko", "Poroschenko"), ("Kharkiv", "Charkiw")]
    german = "Gestern traf sich Petro Poroschenko mit Julija Tymoschenko in Charkiw."
    assert found(pair_of(source, german, "uk"), "name-spelling") == []


def test_russian_source_uses_the_russian_tables():
    source = "Вчера Михаил Ходорковский выступил в Берлине."
    target = "Gestern sprach Mikhail Khodorkovsky in Berlin."
    # "Mikhail" is common in German text too (wordfreq), so it is accepted; "Khodorkovsky" is not.
    assert found(pair_of(source, target, "ru"), "name-spelling") == [("Khodorkovsky", "Chodorkowskij")]


def test_english_spellings_behind_a_latin_script_source():
    source = "Finance minister Yuliia Svyrydenko and the painter Kandinsky were mentioned."
    target = "Finanzministerin Yuliia Svyrydenko und der Maler Kandinsky wurden erwähnt."
    # Kandinsky is German usage too (common in German text), so it stays.
    assert found(pair_of(source, target, "en"), "name-spelling") == [
        ("Yuliia", "Julija"), ("Svyrydenko", "Swyrydenko")]


def test_transliteration_tables():
    assert names.renderings("Зеленський", "uk")[0] == {"Selenskyj"}
    assert "Zelenskyy" in names.renderings("Зеленського", "uk")[1]
    assert names.transliterate("Щербак", names.UK_DE) == "Schtscherbak"
    assert names.transliterate("Євген", names.UK_EN, names._EN_INITIAL) == "Yevhen"


# --- name-consistency ------------------------------------------------------------------------------------

def test_one_name_two_spellings_in_a_document():
    target = ("Premier Schmyhal reiste nach Brüssel. Dort traf Shmyhal die Kommissarin. "
              "Schmyhals Rede wurde gelobt, und Schmyhal flog zurück.")
    assert found(pair_of("", target, "en"), "name-consistency") == [("Shmyhal", "Schmyhal")]
    # A genitive is no second spelling.
    assert found(pair_of("", "Schmyhal sprach. Schmyhals Rede war kurz.", "en"), "name-consistency") == []


def test_cross_document_inventories():
    first = "Premier Schmyhal reiste nach Brüssel."
    second = "Premier Shmyhal reiste nach Paris. Die Rede von Shmyhal war kurz."
    inventories = [names.inventory({"target": {"path": "a.txt"}}, "", first),
                   names.inventory({"target": {"path": "b.txt"}}, "", second)]
    assert inventories[1]["names"][names.skeleton("Shmyhal")] == {"Shmyhal": [[8, 15], [second.rindex("Shmyhal"), len(second) - len(" war kurz.")]]}
    (finding,) = names.cross_document(inventories)
    assert finding["renderings"] == {"Schmyhal": ["a.txt"], "Shmyhal": ["b.txt"]}
    assert names.cross_document(inventories[:1]) == []


# --- case-error ------------------------------------------------------------------------------------------

@needs_dictionary
def test_lower_case_nouns_and_capitalised_adjectives():
    target = ("Die Regierung hat gestern ein neues gesetz beschlossen. "
              "Viele lieben die italienische Küche, und die Italienische Küche ist in Berlin beliebt.")
    assert found(pair_of("", target, "en"), "case-error") == [("gesetz", "Gesetz"), ("Italienische", "italienische")]


@needs_dictionary
def test_case_rules_allow_what_german_allows():
    target = ("Im Allgemeinen ist das Neue gut. Er sagte: Schnell weg! „Gestern war es kalt“, hieß es. "
              "Das Weiße Haus und die Europäische Union verhandeln. Haben Sie das gelesen? "
              "Der Film „Rote Sonne“ lief gestern.")
    assert found(pair_of("", target, "en"), "case-error") == []


def test_missing_dictionary_is_one_warning(monkeypatch, encoder, tmp_path):
    from mtlint.pipeline import Options, check_documents
    from mtlint.read import Document

    monkeypatch.setattr(spelling, "DICTIONARY_DIRS", (str(tmp_path),))
    spelling.dictionary_path.cache_clear()
    try:
        report = check_documents(Document("a.en.txt", "The law was passed.", "utf-8"),
                                 Document("a.txt", "Das gesetz wurde beschlossen.", "utf-8"),
                                 Options(source_lang="en", target_lang="de", enable=["case-error"]), encoder)
    finally:
        spelling.dictionary_path.cache_clear()
    assert report.issues == []
    assert [w for w in report.warnings if "case-error" in w] == [
        "case-error skipped: no hunspell dictionary de_DE (install the Debian package hunspell-de-de)"]


# --- the corpus ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_findings():
    out = {}
    for target in corpus_files():
        source = reference_for(target)
        pair = pair_of(source.read_text(encoding="utf-8"), target.read_text(encoding="utf-8"),
                       source.name.split(".")[-2])
        checks = [all_checks()[c] for c in ("name-spelling", "name-consistency", "case-error")]
        out[target.name[:3]] = [(i.check, i.target_text, i.suggestion) for i in run_checks(pair, checks)]
    return out


def test_corpus_names(corpus_findings):
    # 001 and 003 (Ukrainian originals) already write Selenskyj, Wolodymyr, Charkiw, Pjöngjang: nothing to flag.
    assert [f for f in corpus_findings["001"] if f[0].startswith("name")] == []
    assert [f for f in corpus_findings["003"] if f[0].startswith("name")] == []
    # English and French originals carry the English spellings over (as the editor's annotation says).
    assert [f for f in corpus_findings["000"] if f[0].startswith("name")] == [
        ("name-spelling", "Volodymyr", "Wolodymyr"), ("name-spelling", "Zelenskyy", "Selenskyj")]
    assert [f for f in corpus_findings["004"] if f[0].startswith("name")] == [
        ("name-spelling", "Syrsky", "Syrskyj")]


@needs_dictionary
def test_corpus_case_errors_and_the_clean_article(corpus_findings):
    assert [f for f in corpus_findings["003"] if f[0] == "case-error"] == [
        ("case-error", "Nordkoreanische", "nordkoreanische")]
    assert [f for f in corpus_findings["004"] if f[0] == "case-error"] == [
        ("case-error", "Nordkoreanische", "nordkoreanische")]
    assert corpus_findings["002"] == []  # the article that reads cleanly
    assert all(f[0] != "case-error" for f in corpus_findings["000"] + corpus_findings["001"])
