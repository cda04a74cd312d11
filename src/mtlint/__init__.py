"""mtlint: a translation-quality checker for machine-translated documents."""
import sys
import types

__version__ = "0.1.0"


def check(source_text: str, target_text: str, **kwargs):
    """Check ``target_text`` as a translation of ``source_text``; returns a Report."""
    from .pipeline import check as _check

    return _check(source_text, target_text, **kwargs)


class _Package(types.ModuleType):
    """Importing the stage module ``mtlint.check`` would bind that name on the
    package, over the API function :func:`check`; the module stays reachable
    as ``sys.modules["mtlint.check"]`` and ``from mtlint.check import ...``."""

    def __setattr__(self, name, value):
        if name == "check" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
__all__ = ["__version__", "check"]
