"""Built-in checks: every module of this package registers its checks when imported.

A new check is one module here (``@register(...)`` from :mod:`.base`; shared knowledge from
:mod:`mtlint.resources`) and one test file: the modules are found, not listed.
"""
import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module != "base":
        importlib.import_module(f"{__name__}.{_module}")
