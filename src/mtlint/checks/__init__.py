"""Built-in checks: every module of this package registers its checks when imported.

A new check is one module here (``@register(...)`` from :mod:`.base`; shared knowledge from
:mod:`mtlint.resources`) and one test file: the modules are found, not listed.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Iterable

from ..errors import UsageError
from .base import REGISTRY, Check

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module != "base":
        importlib.import_module(f"{__name__}.{_module}")


def all_checks() -> dict[str, Check]:
    """Every registered check, by id."""
    return dict(sorted(REGISTRY.items()))


def select_checks(enable: Iterable[str] | None = None, disable: Iterable[str] = (),
                  strings: bool = False) -> list[Check]:
    """The checks to run: ``enable`` (else every check, the string family only when ``strings``)
    less ``disable``; an unknown id is a usage error."""
    available = all_checks()
    wanted = list(enable) if enable else [name for name, check in available.items()
                                          if check.family != "strings" or strings]
    for name in [*wanted, *disable]:
        if name not in available:
            raise UsageError(f"unknown check {name!r} (known: {', '.join(available)})")
    return [available[name] for name in wanted if name not in set(disable)]
