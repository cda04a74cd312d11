"""Configuration files: ``[tool.mtlint]`` in pyproject.toml, or mtlint.toml.

The file is found by searching upward from the current directory (in each
directory ``mtlint.toml`` first, then a ``pyproject.toml`` that has a
``[tool.mtlint]`` table; the first hit wins) unless ``--config FILE`` names
one. Command-line flags override the file. Every mistake in the file (an
unknown key, an unknown check id, a wrong type) is a one-line error naming
the key and the file, because a silently ignored typo in a CI gate is worse
than a failed run.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError

CONFIG_NAME = "mtlint.toml"
PYPROJECT = "pyproject.toml"
FAIL_ON = ("minor", "major", "critical", "never")
SEVERITIES = ("hint", "minor", "major", "critical")


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _number(value) -> bool:
    import math

    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _id_list(value) -> bool:
    return isinstance(value, list) and all(_text(item) for item in value)


# key -> (test, what the value must be); "severity" is a table, checked on its own
_SCALARS = {
    "fail_on": (lambda v: v in FAIL_ON, f"one of {', '.join(FAIL_ON)}"),
    "max_penalty": (_number, "a number >= 0 (MQM penalty per 100 words)"),
    "enable": (_id_list, "a list of check ids"),
    "disable": (_id_list, "a list of check ids"),
    "glossary": (_text, "a path to a glossary (CSV, TSV or TBX)"),
    "model": (_text, "an encoder name or path"),
    "source_lang": (_text, "a language code"),
    "target_lang": (_text, "a language code"),
    "baseline": (_text, "a path to a baseline file"),
    "jobs": (_positive_int, "a whole number >= 1"),
    "include_hints": (lambda v: isinstance(v, bool), "true or false (hints count for the gate)"),
}
KEYS = (*_SCALARS, "severity")
_RELATIVE_PATHS = ("glossary", "baseline")  # resolved against the config file's directory


@dataclass(frozen=True)
class Config:
    """Validated settings from one file (or none); paths already resolved."""

    path: str | None = None
    values: dict = field(default_factory=dict)

    def get(self, key: str, default=None):
        return self.values.get(key, default)


def find_config(start: str | os.PathLike | None = None) -> Path | None:
    """The nearest mtlint.toml, or pyproject.toml with [tool.mtlint], from ``start`` upward."""
    directory = Path(start or os.getcwd()).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        candidate = folder / PYPROJECT
        if candidate.is_file() and "mtlint" in _parse(candidate).get("tool", {}):
            return candidate
    return None


def load_config(explicit: str | None = None, start: str | os.PathLike | None = None) -> Config:
    """Read ``explicit`` (``--config``) or the file :func:`find_config` finds; no file -> empty config."""
    if explicit:
        path = Path(explicit)
        if not path.exists():
            from .safety import shown

            raise UsageError(f"{shown(explicit)}: configuration file not found")
    else:
        path = find_config(start)
        if path is None:
            return Config()
    data = _parse(path)
    shown = _display(path)
    table, where = _settings_table(data, path, shown)
    return Config(str(path), _validate(table, where, shown, path.resolve().parent))


def _parse(path: Path) -> dict:
    from .errors import InputError
    from .safety import MAX_DEPTH, read_text, shown

    try:
        text = read_text(str(path), what="configuration file")  # a regular file, size-limited
    except InputError as exc:
        raise UsageError(str(exc)) from None
    if _nesting(text) > MAX_DEPTH:  # tomllib recurses into nested arrays and inline tables
        raise UsageError(f"{shown(_display(path))}: nested deeper than {MAX_DEPTH} levels (refused)")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{shown(_display(path))}: not valid TOML: {exc}") from None
    except RecursionError:
        raise UsageError(f"{shown(_display(path))}: nested too deeply (refused)") from None


def _nesting(text: str) -> int:
    """An upper bound of the brackets' and braces' nesting depth (strings not told apart: an over-count
    only refuses a configuration with hundreds of brackets inside strings)."""
    depth = deepest = 0
    for match in re.finditer(r"[\[{]|[\]}]", text):
        depth = depth + 1 if match.group() in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


def _display(path: Path) -> str:
    """The path as the user would write it: relative to the current directory when inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _settings_table(data: dict, path: Path, shown: str) -> tuple[dict, str]:
    """pyproject.toml: [tool.mtlint]; mtlint.toml: top-level keys, or a [tool.mtlint] table."""
    tool = data.get("tool")
    if path.name == PYPROJECT or (isinstance(tool, dict) and "mtlint" in tool):
        table = tool.get("mtlint") if isinstance(tool, dict) else None
        if table is None:
            raise UsageError(f"{shown}: no [tool.mtlint] table")
        if not isinstance(table, dict):
            raise UsageError(f"{shown}: [tool.mtlint] must be a table")
        if path.name != PYPROJECT:
            extra = sorted(set(data) - {"tool"}) or sorted(set(tool) - {"mtlint"})
            if extra:
                raise UsageError(f"{shown}: unknown key '{extra[0]}' outside [tool.mtlint]")
        return table, "[tool.mtlint]"
    return data, "the top level"


def _validate(table: dict, where: str, shown: str, base: Path) -> dict:
    from .checks import all_checks

    known_checks = all_checks()
    values: dict = {}
    for key, value in table.items():
        if key == "severity":
            values[key] = _validate_severity(value, where, shown, known_checks)
            continue
        if key not in _SCALARS:
            raise UsageError(f"{shown}: unknown key '{key}' in {where} (known: {', '.join(KEYS)})")
        test, expected = _SCALARS[key]
        if not test(value):
            raise UsageError(f"{shown}: '{key}' in {where} must be {expected}, not {value!r}")
        if key in ("enable", "disable"):
            for check_id in value:
                if check_id not in known_checks:
                    raise UsageError(f"{shown}: unknown check '{check_id}' in '{key}' in {where}")
        if key in ("source_lang", "target_lang"):
            from .resources.langid import normalise_code

            try:
                value = normalise_code(value)
            except UsageError as exc:
                raise UsageError(f"{shown}: '{key}' in {where}: {exc}") from None
        if key in _RELATIVE_PATHS:
            value = str(base / value)
        values[key] = value
    return values


def _validate_severity(value, where: str, shown: str, known_checks) -> dict[str, str]:
    section = "[tool.mtlint.severity]" if where == "[tool.mtlint]" else "[severity]"
    if not isinstance(value, dict):
        raise UsageError(f"{shown}: 'severity' in {where} must be a table of check id = severity")
    for check_id, level in value.items():
        if check_id not in known_checks:
            raise UsageError(f"{shown}: unknown check '{check_id}' in {section}")
        if level not in SEVERITIES:
            raise UsageError(f"{shown}: severity of '{check_id}' in {section} must be one of "
                             f"{', '.join(SEVERITIES)}, not {level!r}")
    return dict(value)


def merge(config: Config, **flags) -> dict:
    """Effective settings: a flag given on the command line (not None, not empty) wins over the file."""
    settings = dict(config.values)
    for key, value in flags.items():
        if value is not None and value != [] and value != ():
            settings[key] = value
    return settings


def build_options(config: Config, **flags):
    """:class:`~mtlint.pipeline.Options` from the file and the flags (flags win).

    ``flags`` are the command-line values under the configuration's key names;
    None (or an empty list) means "not given". The glossary and the baseline are
    loaded here, once for the whole run.
    """
    from .pipeline import Options
    from .score import Gate

    if flags.get("max_penalty") is not None and not _number(flags["max_penalty"]):
        test, expected = _SCALARS["max_penalty"]
        raise UsageError(f"--max-penalty must be {expected}, not {flags['max_penalty']!r}")
    settings = merge(config, **flags)
    enable = settings.get("enable") or None
    disable = settings.get("disable") or []
    glossary = baseline = None
    if settings.get("glossary"):
        from .resources.glossary import load_glossary

        glossary = load_glossary(settings["glossary"])
    elif enable and "glossary" in enable:
        raise UsageError("check 'glossary' needs a glossary: give --glossary FILE or 'glossary' in the configuration")
    if settings.get("baseline"):
        from .baseline import Baseline

        baseline = Baseline.load(settings["baseline"])
    return Options(source_lang=settings.get("source_lang"), target_lang=settings.get("target_lang"),
                   enable=list(enable) if enable else None, disable=list(disable),
                   severity=dict(settings.get("severity", {})),
                   gate=Gate(settings.get("fail_on", "major"), settings.get("max_penalty"),
                             include_hints=bool(settings.get("include_hints", False))),
                   model=settings.get("model"), glossary=glossary, baseline=baseline, jobs=settings.get("jobs"))
