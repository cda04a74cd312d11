"""Bad files, huge files, interruption, atomic reports, hostile document names, determinism.

Every bad input ends with exit code 2 and exactly one line on stderr that
starts ``mtlint: error:``, never a traceback; an interrupted ``mtlint
report`` exits 130 (SIGINT) or 143 (SIGTERM) and leaves the reports it
finished intact, no temporary files, and no worker processes behind.
"""
from __future__ import annotations

import codecs
import ctypes
import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import corpus_files, reference_for
from mtlint.cli import main
from mtlint.corpus import output_names
from mtlint.errors import MtlintError
from mtlint.report import write_atomic

CORPUS = corpus_files()
GiB = 1 << 30
SOURCE_TEXT = "The council met on Monday. It approved the budget of 12,000 euros.\n"
TARGET_TEXT = "Der Rat tagte am Montag. Er billigte den Haushalt von 12.000 Euro.\n"


def run_cli(capsys, *args):
    """The command line in this process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def assert_one_line_error(code, stderr, *fragments):
    assert code == 2, stderr
    assert stderr.startswith("mtlint: error:") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in stderr, stderr


def _default_interrupt() -> None:
    # A run started from a terminal gets Ctrl-C; one started in the background of a
    # non-interactive shell (a CI wrapper, `cmd &`) inherits SIGINT ignored, and
    # Python then never raises KeyboardInterrupt. The tests mean the terminal case.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def spawn(*args, preexec_fn=None, **kwargs) -> subprocess.Popen:
    def prepare() -> None:
        _default_interrupt()
        if preexec_fn is not None:
            preexec_fn()

    return subprocess.Popen([sys.executable, "-m", "mtlint", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=prepare, **kwargs)


# Runs mtlint and records its peak resident memory (VmHWM) on exit. Not getrusage:
# its ru_maxrss keeps the high-water mark of the process image before exec,
# which for a child of a big test process is the test process's size.
MEASURED = """import atexit, os, runpy, sys
def record():
    with open("/proc/self/status") as status, open(os.environ["MTLINT_TEST_PEAK"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM")))
atexit.register(record)
sys.argv[0] = "mtlint"
runpy.run_module("mtlint", run_name="__main__", alter_sys=True)
"""


def spawn_measured(peak_file: Path, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", MEASURED, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "MTLINT_TEST_PEAK": str(peak_file)})


def peak_bytes(peak_file: Path) -> int:
    return int(peak_file.read_text()) * 1024  # VmHWM is in kB


def finish(process: subprocess.Popen, timeout: float = 300) -> tuple[int, str, str]:
    """Wait for ``process``: (exit code, stdout, stderr)."""
    outputs = {}
    readers = [threading.Thread(target=lambda n=n, s=s: outputs.__setitem__(n, s.read()))
               for n, s in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + timeout
    while process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"mtlint did not finish within {timeout} s")
        time.sleep(0.05)
    for reader in readers:
        reader.join()
    return process.returncode, outputs["out"], outputs["err"]


# --------------------------------------------------------------------------- bad files

BAD_FILES = {
    "binary": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8,
    "truncated UTF-8": "Größere Straßen".encode("utf-8")[:-1],
    "UTF-32 mark, UTF-8 text": codecs.BOM_UTF32_BE + "Straße und Größe".encode("utf-8"),
    "UTF-16 mark, odd length": codecs.BOM_UTF16_LE + "Straße".encode("utf-8"),
    "0 bytes": b"",
    "only whitespace": b" \r\n\t\n",
    "control characters": bytes(range(1, 32)) * 40 + b"\x80\x81\x9f" * 100,
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
@pytest.mark.parametrize("side", ["source", "target"])
def test_bad_file_is_one_line_and_exit_2(tmp_path, capsys, kind, side):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(BAD_FILES[kind])
    good = tmp_path / "good.en.txt"
    good.write_text(SOURCE_TEXT, encoding="utf-8")
    args = ("check", bad, good) if side == "source" else ("check", good, bad)
    code, stdout, stderr = run_cli(capsys, *args)
    assert_one_line_error(code, stderr, str(bad))
    assert stdout == ""


@pytest.mark.parametrize("command", [["check", "{good}", "{bad}"], ["align", "{good}", "{bad}"],
                                     ["pairs", "{bad}", "--source-lang", "en", "--target-lang", "de"],
                                     ["report", "{bad}", "{dir}"]])
def test_every_command_refuses_a_directory_or_missing_file(tmp_path, capsys, command):
    good = tmp_path / "good.en.txt"
    good.write_text(SOURCE_TEXT, encoding="utf-8")
    for bad in (tmp_path / "missing.txt", tmp_path / "a directory"):
        if bad.name == "a directory":
            bad.mkdir()
            if command[0] == "report":
                continue  # a directory is what report wants
        args = [a.format(good=good, bad=bad, dir=tmp_path) for a in command]
        code, _, stderr = run_cli(capsys, *args)
        assert_one_line_error(code, stderr)


def _drop_file_permission_override():
    # Root reads any file: in the child, take the two capabilities that let it
    # (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) out of the bounding set before exec.
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_unreadable_file_is_one_line_and_exit_2(tmp_path):
    locked = tmp_path / "locked.de.txt"
    locked.write_text(TARGET_TEXT, encoding="utf-8")
    locked.chmod(0)
    good = tmp_path / "good.en.txt"
    good.write_text(SOURCE_TEXT, encoding="utf-8")
    preexec = None
    if os.geteuid() == 0:
        probe = subprocess.run([sys.executable, "-c", f"open({str(locked)!r}).close()"],
                               preexec_fn=_drop_file_permission_override, capture_output=True)
        if probe.returncode == 0:
            pytest.skip("running as root and file permissions cannot be made to bind here")
        preexec = _drop_file_permission_override
    code, stdout, stderr = finish(spawn("check", good, locked, preexec_fn=preexec))
    assert_one_line_error(code, stderr, str(locked))
    assert "not readable" in stderr or "permission denied" in stderr


def test_a_200_mb_file_is_refused_without_reading_it(tmp_path):
    huge = tmp_path / "huge.de.txt"
    with open(huge, "wb") as handle:  # sparse: 200 MB that take no disk space
        handle.write(TARGET_TEXT.encode("utf-8"))
        handle.truncate(200 * 1024 * 1024)
    good = tmp_path / "good.en.txt"
    good.write_text(SOURCE_TEXT, encoding="utf-8")
    code, _, stderr = finish(spawn_measured(tmp_path / "peak", "check", good, huge))
    assert_one_line_error(code, stderr, "byte limit")
    assert peak_bytes(tmp_path / "peak") < GiB / 4


def test_200_mb_of_text_through_a_pipe_stays_within_bounded_memory(tmp_path):
    # A named pipe has no size to check beforehand: mtlint reads up to its limit, then refuses.
    fifo = tmp_path / "stream.de.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.en.txt"
    good.write_text(SOURCE_TEXT, encoding="utf-8")
    process = spawn_measured(tmp_path / "peak", "check", good, fifo)

    def feed():
        chunk = (TARGET_TEXT * 1000).encode("utf-8")
        try:
            with open(fifo, "wb") as pipe:
                for _ in range(200 * 1024 * 1024 // len(chunk)):
                    pipe.write(chunk)
        except BrokenPipeError:
            pass  # mtlint stopped reading, as it should

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    code, _, stderr = finish(process)
    writer.join(timeout=60)
    assert_one_line_error(code, stderr, "byte limit")
    assert peak_bytes(tmp_path / "peak") < GiB


def test_an_endless_device_is_refused_within_bounded_memory(tmp_path):
    good = tmp_path / "good.en.txt"
    good.write_text(SOURCE_TEXT, encoding="utf-8")
    code, _, stderr = finish(spawn_measured(tmp_path / "peak", "check", good, "/dev/zero"))
    assert_one_line_error(code, stderr, "/dev/zero")
    assert peak_bytes(tmp_path / "peak") < GiB


def test_output_that_cannot_be_written_is_one_line_and_exit_2(tmp_path, capsys):
    source, target = tmp_path / "a.en.txt", tmp_path / "a.de.txt"
    source.write_text(SOURCE_TEXT, encoding="utf-8")
    target.write_text(TARGET_TEXT, encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, stderr = run_cli(capsys, "check", source, target, "--format", "json", "-o", blocker / "out.json")
    assert_one_line_error(code, stderr, "cannot write")
    (tmp_path / "dir.json").mkdir()
    code, _, stderr = run_cli(capsys, "check", source, target, "--format", "json", "-o", tmp_path / "dir.json")
    assert_one_line_error(code, stderr, "cannot write")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.de.txt", "a.en.txt", "dir.json", "file"]


# --------------------------------------------------------------------------- atomic writing

def test_write_atomic_replaces_whole_files_with_the_usual_mode(tmp_path):
    path = tmp_path / "deep" / "er" / "report.json"
    write_atomic(str(path), "first\n")
    write_atomic(str(path), "second\n")
    assert path.read_text(encoding="utf-8") == "second\n"
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in path.parent.iterdir()] == ["report.json"]


@pytest.mark.parametrize("failure", [KeyboardInterrupt, SystemExit(143), OSError(28, "No space left on device")])
def test_an_interrupted_or_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, failure):
    path = tmp_path / "report.json"
    write_atomic(str(path), '{"old": true}\n')

    def fail(fd):
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    expected = MtlintError if isinstance(failure, OSError) else type(failure) if isinstance(failure, BaseException) \
        else failure
    with pytest.raises(expected):
        write_atomic(str(path), '{"new": true, "long": "' + "x" * 100_000 + '"}\n')
    assert path.read_text(encoding="utf-8") == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_write_atomic_replaces_a_symlink_instead_of_writing_through_it(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "doc.json").symlink_to(outside)
    write_atomic(str(out / "doc.json"), "report\n")
    assert outside.read_text(encoding="utf-8") == "precious\n"
    assert not (out / "doc.json").is_symlink() and (out / "doc.json").read_text(encoding="utf-8") == "report\n"


# --------------------------------------------------------------------------- interruption

def corpus_copy(tmp_path: Path, copies: int) -> tuple[Path, Path]:
    """The corpus articles ``copies`` times over, under distinct names, with their originals."""
    corpus, references = tmp_path / "corpus", tmp_path / "references"
    corpus.mkdir()
    references.mkdir()
    for copy in range(copies):
        for target in CORPUS:
            reference = reference_for(target)
            stem = f"{copy:02d}_{target.stem}"
            (corpus / f"{stem}.txt").write_bytes(target.read_bytes())
            (references / f"{stem}{''.join(reference.suffixes[-2:])}").write_bytes(reference.read_bytes())
    return corpus, references


def session_processes(session: int) -> list[int]:
    """Processes still alive in ``session`` (the interrupted run and anything it started)."""
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] != "Z":  # fields: state ppid pgrp session ...
                alive.append(int(entry))
    return alive


def test_a_held_signal_is_delivered_once_to_the_handler_that_was_there():
    from mtlint.batch import _HeldSignals

    calls = []
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: calls.append(signum))
    try:
        held = _HeldSignals()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.05)
        assert calls == []  # held, not handled
        for _ in range(3):
            held.deliver()
        time.sleep(0.05)
        assert calls == [signal.SIGTERM]  # once: a handler that does not raise lets the run go on
        assert signal.getsignal(signal.SIGTERM) is not held._note  # restored
    finally:
        signal.signal(signal.SIGTERM, previous)


# Workers that keep sending large results: one is killed in mid-message when the pool is stopped.
STOP_POOL_SCRIPT = """
import multiprocessing, sys, time
from concurrent.futures import ProcessPoolExecutor, wait, FIRST_COMPLETED
from mtlint.batch import _stop_workers
if __name__ == "__main__":
    executor = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
    futures = [executor.submit(bytes, 20_000_000) for _ in range(200)]
    wait(futures, return_when=FIRST_COMPLETED)
    time.sleep(0.3)
    _stop_workers(executor)
    finished = sum(not f.cancelled() and f.exception() is None for f in futures)
    print("stopped", 0 < finished < len(futures))
"""


@pytest.mark.parametrize("attempt", range(3))
def test_stopping_the_pool_does_not_hang_on_a_half_sent_result(attempt):
    # Terminating a worker in mid-send used to leave the pool's manager thread
    # waiting for the rest of the message forever (a --jobs 2 Ctrl-C hung in CI).
    done = subprocess.run([sys.executable, "-c", STOP_POOL_SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["stopped", "True"]


@pytest.mark.skipif(not CORPUS, reason="no corpus")
@pytest.mark.parametrize("signum,jobs", [(signal.SIGINT, 1), (signal.SIGINT, 2), (signal.SIGTERM, 2)])
def test_interrupted_report_keeps_finished_reports_and_exits_128_plus_signal(tmp_path, signum, jobs):
    corpus, references = corpus_copy(tmp_path, copies=2)
    out = tmp_path / "out"
    # A session of its own: Ctrl-C signals the whole process group, as a terminal does.
    process = spawn("report", corpus, references, "-o", out, "-q", "--fail-on", "never", "--jobs", jobs,
                    start_new_session=True)
    deadline = time.monotonic() + 300
    while not (out.exists() and list(out.glob("*.html"))):  # the first document is done
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no report appeared"
        time.sleep(0.02)
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)
    else:
        os.kill(process.pid, signum)   # as `kill` or a CI runner's timeout does: the parent only
    code, stdout, stderr = finish(process)
    assert code == 128 + signum, stderr
    # click ends the ^C line a terminal shows with a newline first.
    assert stderr.strip() in ("mtlint: interrupted", ""), stderr

    names = sorted(out.iterdir())
    assert not [p.name for p in names if p.name.startswith(".") or p.suffix == ".tmp"]  # no temporary files
    assert not (out / "report.json").exists()  # the run did not finish: no run summary claims it did
    finished = sorted(p.stem for p in names if p.suffix == ".html")
    assert 1 <= len(finished) < 2 * len(CORPUS)
    for path in names:
        content = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            assert json.loads(content)["schema"] == "mtlint.report/1"
        elif path.suffix == ".html":
            assert content.rstrip().endswith("</html>")
    for stem in finished:  # a document's HTML is written last: its JSON and text are there too
        assert (out / f"{stem}.json").exists() and (out / f"{stem}.txt").exists()
    deadline = time.monotonic() + 30
    while session_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_processes(process.pid) == []  # no worker left running


# --------------------------------------------------------------------------- document names

@settings(max_examples=200, deadline=None)
@given(stems=st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
                              min_size=1, max_size=120), max_size=12))
def test_output_names_are_safe_and_distinct(stems):
    names = output_names(stems)
    assert len(names) == len(stems)
    assert len({n.casefold() for n in names}) == len(names)  # distinct, even on a case-insensitive disk
    for name in names:
        assert re.fullmatch(r"\w[\w.-]*", name), name  # no separator, no leading dot or dash
        assert name.casefold() not in ("report", "index")  # the run's own report.json and index.html
        assert len((name + ".html").encode("utf-8")) <= 255


HOSTILE_STEMS = ["a b", "a_b", "A_B", "report", "index", "-rf", "x..y", "x" * 240, "x" * 239 + "y", "Привет мир",
                 "東京" * 40, "line\nbreak\x01", "<script>alert(1)<", "$(touch pwned)"]


@pytest.mark.skipif(not CORPUS, reason="no corpus")
def test_report_outputs_stay_in_the_output_directory_and_never_overwrite_each_other(tmp_path):
    corpus, references, out = tmp_path / "corpus", tmp_path / "references", tmp_path / "out"
    corpus.mkdir()
    references.mkdir()
    for stem in HOSTILE_STEMS:  # each report names its own document: an overwritten one would show
        (corpus / f"{stem}.txt").write_text(TARGET_TEXT, encoding="utf-8")
        (references / f"{stem}.en.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    out.mkdir()
    outside = tmp_path / "outside.json"
    outside.write_text("precious\n", encoding="utf-8")
    (out / "Привет_мир.json").symlink_to(outside)  # where the report of "Привет мир" goes

    runs = {}
    for label, jobs in (("first", 1), ("two workers", 2)):
        directory = out if label == "first" else tmp_path / label
        code, _, stderr = finish(spawn("report", corpus, references, "-o", directory, "-q", "--fail-on", "never",
                                          "--jobs", jobs))
        assert code == 0, stderr
        runs[label] = {p.name: p.read_bytes() for p in directory.iterdir() if not p.is_symlink()}

    assert outside.read_text(encoding="utf-8") == "precious\n"
    run = json.loads(runs["first"]["report.json"])
    documents = run["documents"]
    assert sorted(Path(d["target"]).stem for d in documents) == sorted(HOSTILE_STEMS)
    assert len({d["name"] for d in documents}) == len(HOSTILE_STEMS)
    for d in documents:
        report = json.loads(runs["first"][d["json"]])
        assert report["target"]["path"] == d["target"]  # each document's own report, not another's
        assert d["html"] in runs["first"] and d["name"] + ".txt" in runs["first"]
    assert not [p for p in out.iterdir() if p.is_symlink() or not p.is_file()]
    assert json.loads(runs["first"]["Привет_мир.json"])["target"]["path"].endswith("Привет мир.txt")
    assert not list(tmp_path.glob("*.html")) and not list(corpus.glob("*.json"))  # nothing escaped the directory
    assert len(runs["first"]) == 3 * len(HOSTILE_STEMS) + 2  # NAME.json/.txt/.html each, report.json, index.html

    # Deterministic: the same bytes from a second run, in two worker processes.
    assert runs["two workers"] == runs["first"]


# --------------------------------------------------------------------------- long documents

def test_the_addition_check_looks_at_each_sentence_a_bounded_number_of_times(monkeypatch):
    # Comparing every unpaired sentence with every other one made a 1 MB line take
    # 14 minutes (bench/probe/hostile_input.py): count the work instead of timing it.
    from test_properties import fake_encoder

    from mtlint.checks import alignment
    from mtlint.pipeline import Options, check_documents
    from mtlint.read import Document

    calls = []
    fingerprint = alignment._fingerprint
    monkeypatch.setattr(alignment, "_fingerprint", lambda text: calls.append(1) or fingerprint(text))
    target = " ".join(f"Satz Nummer {n} steht hier allein." for n in range(300)) + "\nSatz Nummer 1 steht hier allein.\n"
    report = check_documents(Document("s.en.txt", "One sentence.\n", "utf-8"), Document("t.de.txt", target, "utf-8"),
                             Options(source_lang="en", target_lang="de", enable=["addition"]), fake_encoder())
    additions = [i for i in report.issues if i.check == "addition"]
    assert len(additions) >= 290
    assert sum("repeated" in i.message for i in additions) >= 1  # the repeat is still recognised
    assert len(calls) <= 3 * len(report.target_sentences)


def test_the_tagger_never_analyses_a_very_long_token(monkeypatch):
    # HanTa's analysis grows faster than a word's length (a 2,000-letter word: 90 s): a long token
    # reaches it as a stand-in, so count what it is given instead of timing it.
    from mtlint.resources import tagging

    if not tagging.available():
        pytest.skip("HanTa not installed")
    given = []
    tag_sent = tagging._tagger().tag_sent
    monkeypatch.setattr(tagging._tagger(), "tag_sent", lambda words, **kw: given.extend(words) or tag_sent(words, **kw))
    tagging._tag_joined.cache_clear()
    text = "Er sagte, dass " + "x" * 1900 + " kam."
    tokens = tagging.tag_german(text)
    assert max(len(word) for word in given) <= tagging.MAX_WORD_CHARS
    assert [t.text for t in tokens][-3:] == ["x" * 1900, "kam", "."]  # offsets still name the original text
    assert text[tokens[-3].start:tokens[-3].end] == "x" * 1900
    assert tagging.tag_german("dass " + "x" * tagging.MAX_TAGGED_CHARS) is None  # a run-on line is not tagged
    costly = " ".join(["Donaudampfschifffahrtsgesellschaft"[:30]] * 40)  # 40 words of 30 letters, 1,239 chars
    assert tagging.tag_german(costly) is None


def test_a_report_that_pairs_no_document_is_an_error_not_a_pass(capsys, tmp_path):
    """A CI job with its directories swapped, or pointed at an empty one, must not go green."""
    corpus_dir, references_dir = corpus_files()[0].parent, reference_for(corpus_files()[0]).parent
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "report", references_dir, corpus_dir, "-o", out)
    assert_one_line_error(code, err, "no translation", "look swapped")
    code, _, err = run_cli(capsys, "report", empty, references_dir, "-o", out)
    assert_one_line_error(code, err, "no translation", "without a partner")
    code, _, err = run_cli(capsys, "report", empty, empty, "-o", out)
    assert_one_line_error(code, err, "both hold no document")
    assert not out.exists()  # nothing written
