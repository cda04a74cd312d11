"""The Python API: a :class:`Checker` built once and used for many checks.

A checker owns its options, its encoder (loaded on first use) and the caches behind it, as
sacrebleu's ``BLEU()`` owns its settings: build one per configuration and reuse it. The
module-level functions use one shared default checker per process, so repeated calls do not
load the model again. Nothing here prints; errors are :class:`mtlint.errors.MtlintError`.
"""
from __future__ import annotations

import dataclasses
import threading
from typing import Iterable

from .batch import CorpusResult
from .checks import all_checks
from .checks.base import Check, Issue
from .corpus import output_names, pair_documents
from .embed import CachedEncoder, get_encoder
from .errors import InputError, UsageError
from .pipeline import Options, PairResult, Report, check_documents
from .pipeline import check_pairs as _check_pairs
from .formats import read_document
from .read import Document


class Checker:
    """Checks translations with fixed options.

    >>> checker = Checker(Options(enable=["number-mismatch"]))
    >>> report = checker.check("It costs 5 euros.", "Es kostet 7 Euro.", source_lang="en", target_lang="de")
    >>> [issue.check for issue in report.issues]
    ['number-mismatch']
    """

    def __init__(self, options: Options | None = None, *, model: str | None = None, use_cache: bool = True,
                 encoder: CachedEncoder | None = None):
        self.options = dataclasses.replace(options) if options is not None else Options()
        if model is not None:
            self.options = dataclasses.replace(self.options, model=model)
        self.use_cache = use_cache
        self._encoder = encoder
        self._lock = threading.Lock()

    @property
    def encoder(self) -> CachedEncoder:
        """The encoder, built on first use (the model itself loads on the first text)."""
        with self._lock:
            if self._encoder is None:
                self._encoder = get_encoder(self.options.model, use_cache=self.use_cache)
            return self._encoder

    def _options(self, source_lang: str | None, target_lang: str | None) -> Options:
        if not source_lang and not target_lang:
            return self.options
        return dataclasses.replace(self.options, source_lang=source_lang or self.options.source_lang,
                                   target_lang=target_lang or self.options.target_lang)

    def check(self, source_text: str, target_text: str, *, source_lang: str | None = None,
              target_lang: str | None = None, reference_text: str | None = None) -> Report:
        """Check ``target_text`` as a translation of ``source_text`` (whole documents: they are
        segmented and aligned). Languages not given are detected."""
        for name, text in (("<source>", source_text), ("<target>", target_text)):
            if not text.strip():  # as the command line refuses an empty file: nothing checked is no pass
                raise InputError(f"{name}: empty text")
        reference = Document("<reference>", reference_text, "str") if reference_text is not None else None
        return check_documents(Document("<source>", source_text, "str"), Document("<target>", target_text, "str"),
                               self._options(source_lang, target_lang), self.encoder, reference)

    def check_files(self, source_path: str, target_path: str, *, source_lang: str | None = None,
                    target_lang: str | None = None, input_format: str | None = None,
                    reference_path: str | None = None) -> Report:
        """Check the translation in ``target_path`` against its original in ``source_path``
        (text, Markdown or HTML: ``input_format``, else from the extension or content)."""
        reference = read_document(reference_path, input_format) if reference_path else None
        return check_documents(read_document(source_path, input_format), read_document(target_path, input_format),
                               self._options(source_lang, target_lang), self.encoder, reference)

    def check_pairs(self, rows: Iterable[tuple[str, str]], source_lang: str, target_lang: str, *,
                    references: list[str | None] | None = None, ids: list[str] | None = None,
                    name: str = "pairs") -> list[PairResult]:
        """Check pre-aligned (source, target) units, each on its own (as ``mtlint pairs`` does)."""
        if not source_lang or not target_lang:
            raise UsageError("check_pairs needs the source and the target language")
        return _check_pairs(list(rows), source_lang, target_lang, self.options, self.encoder,
                            references=references, name=name, ids=ids)

    def check_corpus(self, corpus_dir: str, references_dir: str, output_dir: str, *, jobs: int = 1,
                     input_format: str | None = None, progress: bool = False) -> CorpusResult:
        """Check every translation ``<stem>.txt`` in ``corpus_dir`` against its original
        ``<stem>.<lang>.txt`` in ``references_dir``; write each document's reports and the run's
        ``report.json`` and ``index.html`` to ``output_dir``. Unpaired files are listed in the result."""
        from .batch import check_corpus as _check_corpus

        pairs, unpaired = pair_documents(corpus_dir, references_dir)
        named = [(name, source, target) for name, (_, source, target) in zip(output_names([p[0] for p in pairs]), pairs)]
        return _check_corpus(named, output_dir, self.options, model=self.options.model, use_cache=self.use_cache,
                             jobs=jobs, unpaired=unpaired, progress=progress, input_format=input_format)


_DEFAULT: Checker | None = None
_DEFAULT_LOCK = threading.Lock()


def default_checker() -> Checker:
    """The process's shared checker with default options (one encoder for every call)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Checker()
        return _DEFAULT


def _checker(options: Options | None) -> Checker:
    if options is None:
        return default_checker()
    return Checker(options, encoder=default_checker().encoder if options.model == default_checker().options.model
                   else None)


def check(source_text: str, target_text: str, *, source_lang: str | None = None, target_lang: str | None = None,
          options: Options | None = None, reference_text: str | None = None) -> Report:
    """Check ``target_text`` as a translation of ``source_text``: see :meth:`Checker.check`."""
    return _checker(options).check(source_text, target_text, source_lang=source_lang, target_lang=target_lang,
                                   reference_text=reference_text)


def check_files(source_path: str, target_path: str, *, options: Options | None = None, **kwargs) -> Report:
    """See :meth:`Checker.check_files`."""
    return _checker(options).check_files(source_path, target_path, **kwargs)


def check_pairs(rows: Iterable[tuple[str, str]], source_lang: str, target_lang: str, *,
                options: Options | None = None, **kwargs) -> list[PairResult]:
    """See :meth:`Checker.check_pairs`."""
    return _checker(options).check_pairs(rows, source_lang, target_lang, **kwargs)


def check_corpus(corpus_dir: str, references_dir: str, output_dir: str, *, options: Options | None = None,
                 **kwargs) -> CorpusResult:
    """See :meth:`Checker.check_corpus`."""
    return _checker(options).check_corpus(corpus_dir, references_dir, output_dir, **kwargs)


def list_checks() -> list[Check]:
    """The registered checks, by id."""
    return list(all_checks().values())


__all__ = ["Checker", "CorpusResult", "Issue", "Options", "PairResult", "Report", "check", "check_corpus",
           "check_files", "check_pairs", "default_checker", "list_checks"]
