"""Guards shared by the readers, the caches and the CLI: nothing read from disk
is trusted, nothing an input names is overwritten, every failure is one line.

- :func:`read_bytes` reads a file the user named (glossary, baseline,
  configuration, document) only if it is a regular file, and at most a limit
  of bytes: a device (``/dev/zero``) or a FIFO is refused before a byte is read.
- :func:`output_inside` proves that a file name joined to an output directory
  stays inside it; :func:`refuse_overwriting_inputs` that no output is an input.
- :func:`cache_warning` and :func:`set_aside` are how the caches report and
  quarantine what fails validation: the file is renamed, never deleted.
- :func:`shown` escapes control characters in a name for a one-line message.
"""
from __future__ import annotations

import os
import stat
import time
import warnings

from .errors import InputError, UsageError

# Files other than documents (glossary, baseline, configuration) are small; documents use read.MAX_BYTES.
MAX_SIDE_FILE_BYTES = 64 * 1024 * 1024
# Nesting deeper than this (XML elements, TOML tables) is refused rather than recursed into.
MAX_DEPTH = 200

_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_CONTROL.update({0x2028: "\\u2028", 0x2029: "\\u2029"})


def shown(name: str | os.PathLike) -> str:
    """``name`` with control characters escaped (a newline would split a one-line message)."""
    return os.fspath(name).translate(_CONTROL)


class CacheWarning(UserWarning):
    """A cache could not be used as it was (unwritable, corrupted, a row that failed validation)."""


_warned: set[str] = set()


def cache_warning(message: str) -> None:
    """Warn once per process about a cache problem; the run goes on (without the cache or with a rebuilt one)."""
    if message not in _warned:
        _warned.add(message)
        warnings.warn(message, CacheWarning, stacklevel=2)


def format_warning(message, category, filename, lineno, line=None) -> str:
    """One line per warning, as the CLI's errors are (installed by the CLI and its workers)."""
    return f"mtlint: warning: {' '.join(str(message).split())}\n"


def install_warning_format() -> None:
    warnings.formatwarning = format_warning


def set_aside(path: str) -> str | None:
    """Rename a corrupted cache file out of the way (kept for inspection, never deleted); its new
    name, or None if it could not be renamed (then it is left alone and the cache is not used)."""
    aside = f"{path}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    try:
        os.replace(path, aside)
    except OSError:
        return None
    for suffix in ("-wal", "-shm"):  # an SQLite file's journal belongs to it
        try:
            os.replace(path + suffix, aside + suffix)
        except OSError:
            pass
    return aside


def read_bytes(path: str, limit: int | None = None, what: str = "file", allow_pipe: bool = False,
               label: str | None = None) -> bytes:
    """The bytes of a regular file, at most ``limit``; every failure an :class:`InputError` that
    names the file (control characters escaped) and never echoes its content.  Opened without
    blocking and checked before reading: a FIFO or device is refused, not waited on or read forever.
    ``allow_pipe``: a pipe is read too, up to the limit (a document given as ``<(command)``).
    ``limit``: default MAX_SIDE_FILE_BYTES.  ``label``: the name messages give (default: the path)."""
    limit = MAX_SIDE_FILE_BYTES if limit is None else limit
    name = shown(label if label is not None else path)
    try:
        pipe = allow_pipe and stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:
        pipe = False
    try:
        flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | (0 if pipe else getattr(os, "O_NONBLOCK", 0))
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(f"{name}: no such {what}") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not a {what}") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{name}: is a directory, not a {what}")
        if not stat.S_ISREG(info.st_mode) and not (pipe and stat.S_ISFIFO(info.st_mode)):
            kind = ("a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device" if stat.S_ISCHR(info.st_mode)
                    or stat.S_ISBLK(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "not a file")
            raise InputError(f"{name}: {kind}, not a regular file (refused)")
        if info.st_size > limit:
            raise InputError(f"{name}: {info.st_size} bytes is larger than the {limit} byte limit")
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise InputError(f"{name}: larger than the {limit} byte limit")
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def read_text(path: str, limit: int | None = None, what: str = "file", encoding: str = "utf-8") -> str:
    """:func:`read_bytes` decoded; undecodable bytes are an :class:`InputError` naming the byte offset only."""
    data = read_bytes(path, limit, what)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{shown(path)}: not valid {encoding} (byte {exc.start})") from None


def output_inside(directory: str, name: str) -> str:
    """``directory/name``, proven to stay inside ``directory``: ``name`` must be one plain path
    component (no separator, not ``.`` or ``..``, no NUL), so the path is a directory entry of
    ``directory`` whatever its symlinks.  A symlink already at that entry is replaced by
    :func:`~mtlint.report.write_atomic`, never followed.  Anything else is refused, never written."""
    separators = {os.sep, os.altsep} - {None}
    if (not isinstance(name, str) or name in ("", ".", "..") or "\0" in name
            or any(sep in name for sep in separators) or os.path.isabs(name)):
        raise UsageError(f"refused to write {shown(str(name))!r}: not a plain file name inside {shown(directory)}")
    return os.path.join(directory, name)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_overwriting_inputs(outputs, inputs) -> None:
    """A one-line :class:`UsageError` (before anything is written) if an output path is an input
    file: the same path after resolving, or the same inode (a hard link)."""
    inputs = [os.fspath(i) for i in inputs if i and os.fspath(i) != "-"]
    resolved = {os.path.realpath(i): i for i in inputs}
    for output in outputs:
        if not output or output == "-":
            continue
        real = os.path.realpath(output)
        match = resolved.get(real)
        if match is None and os.path.exists(output):
            match = next((i for i in inputs if os.path.exists(i) and _same_file(output, i)), None)
        if match is not None:
            raise UsageError(f"output {shown(output)} is the input {shown(match)}: refused to overwrite an input")
