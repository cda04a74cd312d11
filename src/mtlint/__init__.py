"""mtlint: a translation-quality checker for machine-translated documents.

The Python API (see docs/python-api.md)::

    import mtlint

    report = mtlint.check(source_text, target_text, source_lang="en", target_lang="de")
    for issue in report.issues:
        print(issue.severity, issue.category, issue.target_text, issue.suggestion)

Names are loaded on first use, so ``import mtlint`` stays cheap.
"""
__version__ = "0.1.0"

_API = {
    "Checker": "api", "check": "api", "check_files": "api", "check_pairs": "api", "check_corpus": "api",
    "default_checker": "api", "list_checks": "api", "CorpusResult": "api",
    "Options": "pipeline", "Report": "pipeline", "PairResult": "pipeline",
    "Issue": "checks.base", "render": "renderers",
}


def __getattr__(name: str):
    # Lazy exports: the API's modules import numpy and the check registry, which the CLI's
    # `--help` and `--version` do not need.
    if name in _API:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{_API[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mtlint' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_API))


__all__ = ["__version__", *_API]
