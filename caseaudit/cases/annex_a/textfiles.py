"""CSV files as councils send them: UTF-8 (with or without BOM), UTF-16, or Windows-1252.

The encoding is settled by one streaming pass over the bytes before parsing, so a stray '£'
half-way down a 100 MB file cannot make the reader fail after it has produced rows.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from typing import BinaryIO

__all__ = ["ENCODING_NAMES", "BinaryOpener", "csv_rows", "detect_encoding", "encoding_warning"]

BinaryOpener = Callable[[], BinaryIO]

_CHUNK = 1024 * 1024
_SNIFF_CHARS = 64 * 1024
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 (little-endian, no byte-order mark)",
    "utf-16-be": "UTF-16 (big-endian, no byte-order mark)",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO-8859-1)",
}


def _decodes_cleanly(opener: BinaryOpener, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with opener() as handle:
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _looks_like_bomless_utf16(head: bytes) -> str | None:
    # ASCII text in UTF-16 has a NUL in every other byte; real CSV text has none.
    sample = head[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.6 and even_nuls == 0:
        return "utf-16-le"
    if even_nuls > half * 0.6 and odd_nuls == 0:
        return "utf-16-be"
    return None


def detect_encoding(opener: BinaryOpener) -> str:
    """The codec to read a CSV with: BOMs first, then strict UTF-8, then cp1252, then latin-1."""
    with opener() as handle:
        head = handle.read(4096)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    bomless = _looks_like_bomless_utf16(head)
    if bomless:
        return bomless
    for encoding in ("utf-8", "cp1252"):
        if _decodes_cleanly(opener, encoding):
            return encoding
    # Latin-1 maps every byte, so it never fails; the warning asks for a human check.
    return "latin-1"


def encoding_warning(encoding: str) -> str | None:
    if encoding in ("utf-8", "utf-8-sig"):
        return None
    name = ENCODING_NAMES.get(encoding, encoding)
    if encoding in ("cp1252", "latin-1"):
        return (
            f"This file is not UTF-8, so it was read as {name}. Check that characters such as "
            "'£', 'é' and curly quotes look right; if not, save it again as 'CSV UTF-8'."
        )
    return f"This file was read as {name}, not UTF-8."


def _delimiter(sample: str) -> str:
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", "\t", ";", "|")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def csv_rows(opener: BinaryOpener, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) one record at a time; numbering counts records, as Excel would."""
    # Opened twice rather than seeking, because zip members cannot seek.
    with opener() as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
        delimiter = _delimiter(text.read(_SNIFF_CHARS))
    with opener() as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
        yield from enumerate(csv.reader(text, delimiter=delimiter), start=1)
