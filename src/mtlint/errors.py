"""Errors that end a run with a one-line message and exit code 2."""


class MtlintError(Exception):
    """A problem with the user's input or invocation (exit code 2)."""

    exit_code = 2


class InputError(MtlintError):
    """An input file that cannot be read as text."""


class UsageError(MtlintError):
    """Options that do not fit together, an unknown language code, ..."""
