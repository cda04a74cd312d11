"""Reading documents: bytes to text, with offsets that index the text as read.

Every character offset mtlint reports indexes the decoded text exactly as
returned by :func:`mtlint.formats.read_document`: a byte-order mark is dropped, nothing
else is changed (line endings, Unicode normalisation and whitespace are kept).
"""
from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass

from .errors import InputError
from .safety import read_bytes, shown

# Larger inputs are refused rather than read whole (a news article is ~10 KB).
MAX_BYTES = 64 * 1024 * 1024
# A line is a paragraph (segment.py); one longer than this (some 15,000 words) is a file without line
# breaks, which sentence splitting and alignment would take minutes over: refused, with a hint.
MAX_LINE_CHARS = 100_000
_LONG_LINE = re.compile(r"[^\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]{%d}" % (MAX_LINE_CHARS + 1))

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Document:
    path: str
    text: str
    encoding: str


def decode_bytes(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)`` or raise :class:`InputError`."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding + "-bom"
            except UnicodeDecodeError as exc:
                if encoding == "utf-32-le":
                    continue  # FF FE 00 00 is also UTF-16-LE's mark followed by a NUL character
                raise InputError(f"{name}: not valid {encoding} after its byte-order mark "
                                 f"(byte {exc.start + len(bom)})") from None
    if b"\x00" in data:
        raise InputError(f"{name}: binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte sequence cut off at the very end after valid non-ASCII
        # UTF-8: a truncated UTF-8 file, not Latin-1 (decoding it as Latin-1
        # would invent mojibake). After plain ASCII it is Latin-1 ("café").
        if exc.reason == "unexpected end of data" and exc.end == len(data) and not data[:exc.start].isascii():
            raise InputError(f"{name}: truncated UTF-8 (incomplete character at the end)") from None
    text = data.decode("latin-1")
    if _control_ratio(text) > 0.05:
        raise InputError(f"{name}: binary file, not text")
    if _UTF8_SEQUENCE.search(data):
        # Some bytes read as UTF-8, others do not: a file pieced together from two encodings.
        import warnings

        warnings.warn(f"{name}: mixed encodings (UTF-8 sequences in a file that is not valid UTF-8); "
                      f"read as Latin-1, so its UTF-8 characters will show as mojibake", InputWarning, stacklevel=2)
    return text, "latin-1"


class InputWarning(UserWarning):
    """An input that was read, but perhaps not as its author meant."""


# A multi-byte UTF-8 character (two to four bytes) with a non-ASCII letter's lead byte.
_UTF8_SEQUENCE = re.compile(rb"[\xc3-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or 0x7F <= ord(ch) < 0xA0)
    return controls / len(text)


STDIN_PATH = "/dev/stdin"


def read_text(path: str | os.PathLike[str]) -> Document:
    """A text file as it is, decoded; every failure is an :class:`InputError` with a one-line message.
    (:func:`mtlint.formats.read_document` reads Markdown and HTML as their prose.)"""
    name = os.fspath(path)
    # A regular file or a pipe (``<(command)``), at most MAX_BYTES: a device is refused before a byte is read.
    # "-" is standard input (redirected from a file or a pipe; a terminal is a device, refused).
    data = read_bytes(STDIN_PATH if name == "-" else name, MAX_BYTES, "file", allow_pipe=True, label=name)
    text, encoding = decode_bytes(data, shown(name))
    if not text.strip():
        raise InputError(f"{name}: empty file (no text)")
    return Document(path=name, text=text, encoding=encoding)


def check_line_lengths(text: str, name: str, what: str = "a line") -> None:
    """Refuse text with a line (paragraph) over MAX_LINE_CHARS characters; linear in the text's length."""
    long_line = _LONG_LINE.search(text)
    if long_line:
        line = text.count("\n", 0, long_line.start()) + 1
        raise InputError(f"{name}:{line}: {what} longer than {MAX_LINE_CHARS} characters (refused: mtlint reads a "
                         f"paragraph per line; break the text into lines)")
