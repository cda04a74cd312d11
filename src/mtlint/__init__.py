"""mtlint: a translation-quality checker for machine-translated documents."""
__version__ = "0.1.0"


def check(source_text: str, target_text: str, **kwargs):
    """Check ``target_text`` as a translation of ``source_text``; returns a Report."""
    from .pipeline import check as _check

    return _check(source_text, target_text, **kwargs)


__all__ = ["__version__", "check"]
