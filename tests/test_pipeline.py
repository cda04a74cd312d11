"""mtlint.pipeline: segment pairs that hold several sentences are segmented and aligned inside the row."""
import pytest

from mtlint import Options
from mtlint.pipeline import _row_layouts, _row_sentences, check_pairs

SOURCE = ("The council met on Monday. It approved a budget of 40 million euros. "
          "The vote was 12 to 3, and the mayor thanked the members.")
TARGET = ("Der Rat tagte am Montag. Er genehmigte einen Haushalt von 40 Millionen Euro. "
          "Die Abstimmung endete 12 zu 5, und der Bürgermeister dankte den Mitgliedern.")


def test_a_row_of_several_sentences_is_segmented_and_a_finding_maps_to_its_own_sentence(fast_encoder):
    [result] = check_pairs([(SOURCE, TARGET)], "en", "de", Options(enable=["number-mismatch"]), fast_encoder)
    [issue] = result.issues
    third_target = TARGET.index("Die Abstimmung")
    third_source = SOURCE.index("The vote")
    assert issue.target_span[0] >= third_target  # in the third sentence, where the changed number is
    # The source it maps to lies in the third source sentence: its "3".
    assert issue.source_span[0] >= third_source
    assert SOURCE[issue.source_span[0]:issue.source_span[1]] == "3"


def test_a_row_of_several_sentences_is_aligned_sentence_by_sentence(fast_encoder):
    [(s_sent, t_sent, links)] = _row_layouts([(SOURCE, TARGET)], "en", "de", [0.5], fast_encoder)
    assert [s.text(SOURCE)[:8] for s in s_sent] == ["The coun", "It appro", "The vote"]
    assert [(link.source, link.target) for link in links] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_a_unit_whose_translator_split_a_sentence_links_both_halves_to_it(fast_encoder):
    """A unit's sides are one translation: a sentence the translator split in two is one 1-2 link,
    not a translated sentence beside an "added" one."""
    source = "But they are not frozen; they are actually merging. The light takes a long time to escape."
    target = "Aber sie sind nicht erstarrt. Sie verschmelzen miteinander. Das Licht braucht lange, um zu entkommen."
    [(s_sent, t_sent, links)] = _row_layouts([(source, target)], "en", "de", [0.5], fast_encoder)
    assert (len(s_sent), len(t_sent)) == (2, 3)
    assert all(link.source and link.target for link in links)
    assert sorted(j for link in links for j in link.target) == [0, 1, 2]
    [result] = check_pairs([(source, target)], "en", "de", Options(enable=["addition", "omission"]), fast_encoder)
    assert result.issues == []


def test_a_row_of_one_sentence_is_read_whole():
    text = "  Error: file not found  "
    [sentence] = _row_sentences(text, "en")
    assert (sentence.start, sentence.end) == (0, len(text))
    assert _row_sentences("   ", "en") == []
    assert len(_row_sentences(SOURCE, "en")) == 3


def test_segmenting_rows_gives_the_same_result_as_the_same_rows_one_sentence_each(fast_encoder):
    """A row's findings on its second sentence are the findings of that sentence as a row of its own."""
    options = Options(enable=["number-mismatch"])
    [whole] = check_pairs([(SOURCE, TARGET)], "en", "de", options, fast_encoder)
    third = (SOURCE[SOURCE.index("The vote"):], TARGET[TARGET.index("Die Abstimmung"):])
    [alone] = check_pairs([third], "en", "de", options, fast_encoder)
    offset = TARGET.index("Die Abstimmung")
    assert [(i.check, i.target_span[0] - offset, i.target_span[1] - offset) for i in whole.issues] == \
           [(i.check, i.target_span[0], i.target_span[1]) for i in alone.issues]


# A paragraph whose last sentence holds the canonical wrong sense, after more than the model's
# 96 tokens a side: read whole, the model never sees it.
PARAGRAPH_EN = (
    "The government announced on Monday that it would raise spending on schools, hospitals and roads over the "
    "next five years, financed by a new tax on large companies and by savings in the administration. Critics in "
    "the opposition said the plan was unrealistic and would burden small businesses that are already struggling "
    "with high energy prices and a shortage of skilled workers. Economists were divided, with some welcoming the "
    "investment and others warning that the debt would keep growing if the economy did not recover soon. "
    "Meanwhile, the talks with Iran and North Korea, which are both heavily sanctioned by the West, remained stalled.")
PARAGRAPH_DE = (
    "Die Regierung kündigte am Montag an, die Ausgaben für Schulen, Krankenhäuser und Straßen in den nächsten fünf "
    "Jahren zu erhöhen, finanziert durch eine neue Steuer auf große Unternehmen und durch Einsparungen in der "
    "Verwaltung. Kritiker in der Opposition sagten, der Plan sei unrealistisch und würde kleine Unternehmen "
    "belasten, die bereits mit hohen Energiepreisen und einem Mangel an Fachkräften zu kämpfen haben. Ökonomen "
    "waren geteilter Meinung: Einige begrüßten die Investitionen, andere warnten, dass die Schulden weiter wachsen "
    "würden, wenn sich die Wirtschaft nicht bald erholt. Unterdessen blieben die Gespräche mit Iran und Nordkorea, "
    "die beide vom Westen stark genehmigt werden, festgefahren.")


@pytest.mark.model
def test_the_model_reads_every_sentence_of_a_long_row():
    from mtlint.qe import MAX_SIDE_TOKENS, get_estimator

    tokenizer = get_estimator().tokenizer
    ((ids, _, _),) = tokenizer.encode([PARAGRAPH_DE[:PARAGRAPH_DE.index("genehmigt")]], prefix="")
    assert len(ids) > MAX_SIDE_TOKENS  # the error lies beyond what one pass over the row would read
    [result] = check_pairs([(PARAGRAPH_EN, PARAGRAPH_DE)], "en", "de", Options(enable=["mistranslation"]))
    found = [i for i in result.issues if PARAGRAPH_DE[i.target_span[0]:i.target_span[1]] == "genehmigt"]
    assert len(found) == 1
    assert PARAGRAPH_EN[found[0].source_span[0]:found[0].source_span[1]] == "sanctioned"
    assert "sanktioniert" in (found[0].suggestion or "") + found[0].message


# --- shards: a file's rows checked in parts give the whole file's results -----------------------

FILE_ROWS = [(f"The council met on day {k}. It approved {100 + k} plans -- and Ms Lee thanked you all.",
              f"Der Rat tagte am Tag {k}. Er genehmigte {100 + k + (k % 3 == 0)} Pläne - und Frau Lee dankte "
              f"{'euch' if k % 4 == 0 else 'Ihnen'} allen.") for k in range(23)]


def test_shards_joined_give_the_whole_files_results(fast_encoder, monkeypatch):
    """File-level statistics (the usual form of address, dashes) come from all rows in every shard."""
    from mtlint import batch
    from mtlint.batch import check_job, check_pairs_file

    options = Options(enable=["number-mismatch", "address-form", "dash-style"])
    whole = check_pairs(FILE_ROWS, "en", "de", options, fast_encoder)
    assert {i.check for r in whole for i in r.issues} == {"number-mismatch", "address-form", "dash-style"}
    monkeypatch.setattr(batch, "MIN_SHARD_ROWS", 1)
    seen = []

    def backend(jobs, settings):  # in this process with the fast encoder, last shard first
        jobs = list(jobs)
        seen.extend(job.shard for job in jobs)
        assert all(job.rows == FILE_ROWS[job.shard[0]:job.shard[1]] for job in jobs)  # its own rows only
        return (check_job(job, settings, fast_encoder) for job in reversed(jobs))

    sharded = check_pairs_file(FILE_ROWS, "en", "de", options, jobs=2, backend=backend)
    assert len(seen) > 2 and seen[0][0] == 0 and seen[-1][1] == len(FILE_ROWS)
    assert [r.as_dict() for r in sharded] == [r.as_dict() for r in whole]


def test_a_short_software_string_stays_one_unit_and_a_long_one_is_segmented(fast_encoder):
    short = ("Deleted %d files. Undo?", "%d Dateien gelöscht. Rückgängig machen?")
    long = (" ".join([SOURCE] * 3), " ".join([TARGET] * 3))
    (s_short, t_short, _), (s_long, t_long, _) = _row_layouts([short, long], "en", "de", [0.5, 0.5], fast_encoder,
                                                            strings=True)
    assert (len(s_short), len(t_short)) == (1, 1)
    assert len(s_long) == 9 and len(t_long) == 9
    # As prose (not software strings) the short unit is two sentences a side.
    [(s_prose, t_prose, _)] = _row_layouts([short], "en", "de", [0.5], fast_encoder)
    assert (len(s_prose), len(t_prose)) == (2, 2)


def test_sentence_ends_of_other_scripts_start_segmenting():
    assert len(_row_sentences("今日は晴れです。明日は雨です。", "ja")) == 2
    assert len(_row_sentences("اليوم مشمس؟ غدا ممطر.", "ar")) == 2
    assert len(_row_sentences("आज धूप है। कल बारिश होगी।", "hi")) == 2


def test_a_segmented_rows_estimate_weighs_hter_by_length_and_ignores_short_links_for_critical():
    from types import SimpleNamespace

    from mtlint.pipeline import _row_estimate

    target = "Fehler. Die Datei wurde nicht gefunden, bitte erneut versuchen."
    first, second = (0, 7), (8, len(target))
    found = [((0, 6), first, SimpleNamespace(hter=0.9, critical=0.99)),
             ((7, 40), second, SimpleNamespace(hter=0.1, critical=0.2))]
    estimate = _row_estimate(found, target)
    assert estimate.critical == 0.2  # "Fehler." is too short to be judged critical
    weights = (first[1] - first[0], second[1] - second[0])
    assert estimate.hter == pytest.approx((0.9 * weights[0] + 0.1 * weights[1]) / sum(weights))
    assert _row_estimate([], target) is None


def test_a_file_of_one_shard_is_checked_in_this_process(fast_encoder, monkeypatch):
    from mtlint import batch

    def no_pool(*args, **kwargs):
        raise AssertionError("no worker process for a file of one shard")

    monkeypatch.setattr(batch, "process_pool", no_pool)
    monkeypatch.setattr(batch.Settings, "encoder", lambda self: fast_encoder)
    options = Options(enable=["number-mismatch"])
    results = batch.check_pairs_file(FILE_ROWS[:5], "en", "de", options, jobs=2)
    assert [r.as_dict() for r in results] == [r.as_dict() for r in check_pairs(FILE_ROWS[:5], "en", "de", options,
                                                                                fast_encoder)]
