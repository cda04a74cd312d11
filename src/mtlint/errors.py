"""Errors that end a run with a one-line message and exit code 2, and the coded warnings a report carries."""


class MtlintError(Exception):
    """A problem with the user's input or invocation (exit code 2)."""

    exit_code = 2


class InputError(MtlintError):
    """An input file that cannot be read as text."""


class UsageError(MtlintError):
    """Options that do not fit together, an unknown language code, ..."""


class Warnings:
    """Warnings a report carries, each with a code (as spaCy numbers its messages) so that scripts
    can match them whatever the wording."""

    W001 = "[W001] {check} skipped: {missing} (install {install})"
