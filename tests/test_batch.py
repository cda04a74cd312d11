"""`mtlint report` over a corpus: worker processes, progress, encoder accounting."""
import json
import os
import pty
import shutil
import sys
import threading

import pytest

from conftest import CORPUS, corpus_files, reference_for
from mtlint.batch import check_corpus, progress_wanted
from mtlint.cli import main
from mtlint.embed import CachedEncoder, count_forward_passes, measure_usage
from mtlint.pipeline import check

pytestmark = pytest.mark.model  # runs the real encoder and quality-estimation model


def _small_corpus(tmp_path, n):
    """The n shortest corpus articles (with their originals) in a corpus/ and references/ of their own."""
    corpus, references = tmp_path / "corpus", tmp_path / "references"
    corpus.mkdir()
    references.mkdir()
    for path in sorted(corpus_files(), key=lambda p: p.stat().st_size)[:n]:
        shutil.copy(path, corpus / path.name)
        shutil.copy(reference_for(path), references / reference_for(path).name)
    return corpus, references


def _run(argv):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return exit_info.value.code


def _files(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs corpus/")
def test_two_worker_processes_write_byte_identical_reports(tmp_path, capsys):
    corpus, references = _small_corpus(tmp_path, 3)
    one, two = tmp_path / "one", tmp_path / "two"
    assert _run(["report", str(corpus), str(references), "-o", str(one), "--fail-on", "never", "-j", "1"]) == 0
    # --no-cache: the workers embed everything afresh, so this also shows that a
    # text's vector does not depend on the process or batch it was computed in.
    assert _run(["report", str(corpus), str(references), "-o", str(two), "--fail-on", "never", "-j", "2",
                 "--no-cache"]) == 0
    first, second = _files(one), _files(two)
    assert len(first) == 3 * 3 + 2 and first.keys() == second.keys()
    assert first == second
    run = json.loads(first["report.json"])
    assert [d["name"] for d in sorted(run["documents"], key=lambda d: d["name"])] == sorted(
        p.stem for p in corpus.iterdir())
    # One encoding per sentence of either side (about two texts per target sentence), plus
    # the capitalised single words name-omission compares with a name that has no other
    # counterpart (about one per sentence): bounded, and never a text twice.
    for document in run["documents"]:
        stats = document["stats"]
        assert stats["target_sentences"] > 10
        assert 1.5 < stats["encoder_texts_per_target_sentence"] < 4
    assert "3 documents in" in capsys.readouterr().err


def test_pairs_on_two_worker_processes_writes_the_same_bytes(tmp_path):
    """`pairs -j 2` cuts the file into shards (more than one here) and joins their results in file order."""
    rows = [(f"The council met on day {k}. It approved {100 + k} plans, and Ms Lee thanked you all.",
             f"Der Rat tagte am Tag {k}. Er genehmigte {100 + k + (k % 3 == 0)} Pläne, und Frau Lee dankte "
             f"{'euch' if k % 4 == 0 else 'Ihnen'} allen.") for k in range(70)]
    path = tmp_path / "units.tsv"
    path.write_text("".join(f"{s}\t{t}\n" for s, t in rows), encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    common = ["pairs", str(path), "--source-lang", "en", "--target-lang", "de", "--fail-on", "never"]
    assert _run([*common, "-o", str(one)]) == 0
    assert _run([*common, "-o", str(two), "-j", "2", "--no-cache"]) == 0
    assert one.read_bytes() == two.read_bytes()
    lines = [json.loads(line) for line in one.read_text(encoding="utf-8").splitlines()]
    assert [line["index"] for line in lines] == list(range(70))
    assert sum(any(i["check"] == "number-mismatch" for i in line["issues"]) for line in lines) == 24


def test_progress_only_for_a_terminal(tmp_path, monkeypatch):
    assert not progress_wanted(False, open(os.devnull, "w"))  # redirected
    source, target = tmp_path / "doc.en.txt", tmp_path / "doc.txt"
    source.write_text("The river rose overnight. Schools stayed closed on Monday.\n", encoding="utf-8")
    target.write_text("Der Fluss stieg über Nacht. Die Schulen blieben am Montag geschlossen.\n", encoding="utf-8")
    pairs = [("doc", str(source), str(target))]

    def on_a_terminal(progress):
        """What check_corpus draws on a real terminal (a pty) standing in for stderr."""
        master, slave = pty.openpty()
        terminal = os.fdopen(slave, "w", encoding="utf-8")
        assert progress_wanted(False, terminal) and not progress_wanted(True, terminal)  # --quiet
        drawn = []
        reader = threading.Thread(target=_drain, args=(master, drawn))  # a full pty would block the writer
        reader.start()
        with monkeypatch.context() as patch:
            patch.setattr(sys, "stderr", terminal)
            check_corpus(pairs, str(tmp_path / f"out-{progress}"), progress=progress)
        terminal.close()
        reader.join()
        os.close(master)
        return b"".join(drawn).decode("utf-8", "replace")

    bar = on_a_terminal(True)
    assert "checking" in bar and "1/1" in bar
    assert on_a_terminal(False) == ""


def _drain(fd, chunks):
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal's other end was closed
            return
        if not chunk:
            return
        chunks.append(chunk)


def test_report_without_a_terminal_prints_no_progress(tmp_path, capfd):
    source, target = tmp_path / "refs" / "a.en.txt", tmp_path / "mt" / "a.txt"
    source.parent.mkdir()
    target.parent.mkdir()
    source.write_text("The bridge was closed for repairs.\n", encoding="utf-8")
    target.write_text("Die Brücke wurde für Reparaturen gesperrt.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert _run(["report", str(target.parent), str(source.parent), "-o", str(out), "-q"]) == 0
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
    assert (out / "a.json").exists() and (out / "report.json").exists()


def test_a_repeated_sentence_is_encoded_once(encoder):
    counting = CachedEncoder(encoder.encoder)  # the loaded model, but an empty cache of its own
    source = "The storm hit the coast. Power went out. The storm hit the coast."
    target = "Der Sturm traf die Küste. Der Strom fiel aus. Der Sturm traf die Küste."
    stats = check(source, target, source_lang="en", target_lang="de", encoder=counting).stats
    assert stats["target_sentences"] == 3
    assert stats["encoder_distinct_texts"] == 4  # two distinct sentences a side
    assert stats["encoder_texts"] > stats["encoder_distinct_texts"]  # repeats asked for, not re-encoded
    assert counting.stats.encoded == 4
    assert stats["encoder_texts_per_target_sentence"] == round(4 / 3, 4)


def test_other_model_passes_are_counted_by_every_open_meter():
    with measure_usage() as run:
        with measure_usage() as document:
            count_forward_passes("cross-encoder", 3)
        count_forward_passes("cross-encoder")
    count_forward_passes("cross-encoder", 5)  # no meter open: counted nowhere
    assert document.forward_passes == {"cross-encoder": 3}
    assert run.forward_passes == {"cross-encoder": 4}
    assert document.as_dict(0)["forward_passes"] == {"cross-encoder": 3}


def test_inventories_reach_the_parent(tmp_path):
    corpus, references = _small_corpus(tmp_path, 2)
    pairs = [(p.stem, str(reference_for_in(references, p)), str(p)) for p in sorted(corpus.iterdir())]
    result = check_corpus(pairs, str(tmp_path / "out"), inventory=target_sentence_count)
    assert sorted(result.inventories) == sorted(p.stem for p in corpus.iterdir())
    for name, count in result.inventories.items():
        assert count == json.loads((tmp_path / "out" / f"{name}.json").read_text())["stats"]["target_sentences"]


def reference_for_in(references, corpus_file):
    (match,) = references.glob(corpus_file.stem + ".*.txt")
    return match


def target_sentence_count(report):  # an inventory: anything small and JSON-able per document
    return len(report.target_sentences)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs corpus/")
def test_an_unchanged_document_is_answered_from_the_cache(tmp_path, monkeypatch):
    import mtlint.batch

    corpus, references = _small_corpus(tmp_path, 2)
    monkeypatch.setenv("MTLINT_CACHE_DIR", str(tmp_path / "cache"))
    argv = [str(corpus), str(references), "--fail-on", "never", "-j", "1", "-q"]
    assert _run(["report", *argv, "-o", str(tmp_path / "cold")]) == 0
    checked = []
    real = mtlint.batch._check_job

    def counting(job, settings, encoder):
        checked.append(job.name)
        return real(job, settings, encoder)

    monkeypatch.setattr(mtlint.batch, "_check_job", counting)
    assert _run(["report", *argv, "-o", str(tmp_path / "warm")]) == 0
    assert checked == []  # nothing segmented, aligned or checked again
    assert _files(tmp_path / "warm") == _files(tmp_path / "cold")  # byte for byte what was computed
    # A changed translation is checked anew; the other document still comes from the cache.
    changed = sorted(corpus.iterdir())[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEin neuer Satz am Ende.\n", encoding="utf-8")
    assert _run(["report", *argv, "-o", str(tmp_path / "edited")]) == 0
    assert checked == [changed.stem]
    # So is every document under other options (the configuration hash is part of the key).
    assert _run(["report", *argv, "-o", str(tmp_path / "options"), "--disable", "quote-style"]) == 0
    assert sorted(checked[1:]) == sorted(p.stem for p in corpus.iterdir())
