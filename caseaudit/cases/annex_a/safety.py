"""Checks made before a byte of an upload is parsed: size, file type and zip-bomb defences.

An .xlsx is a zip archive. Its central directory says how big each member unpacks to, so a
bomb can be refused from the directory alone; and because that directory can lie, each member
of a workbook is also unpacked once, in bounded chunks, and refused as soon as it outgrows what
it declared (calamine, which parses the workbook afterwards, is not asked to trust it).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .problems import SourceError

__all__ = [
    "Limits",
    "check_file_size",
    "check_zip_archive",
    "describe_bytes",
    "sniff_kind",
    "verify_declared_sizes",
]

MB = 1024 * 1024
_CHUNK = 1 * MB
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Limits:
    """Upper bounds for an upload; lower them in tests rather than build huge files."""

    max_file_bytes: int = 150 * MB
    max_uncompressed_bytes: int = 1024 * MB
    max_compression_ratio: float = 100.0
    # Small members compress extremely well for innocent reasons (empty styles, shared strings).
    ratio_check_min_bytes: int = 10 * MB
    max_zip_members: int = 10_000
    header_search_rows: int = 5


def describe_bytes(size: int) -> str:
    if size >= 1024 * MB:
        return f"{size / (1024 * MB):.1f} GB"
    if size >= MB:
        return f"{size / MB:.0f} MB"
    return f"{size / 1024:.0f} KB"


def check_file_size(path: Path, limits: Limits) -> int:
    """Refuse a file over the size limit, from its directory entry alone."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise SourceError(
            f"'{path.name}' is {describe_bytes(size)}, over the "
            f"{describe_bytes(limits.max_file_bytes)} limit for an upload, so it was not "
            "opened. Annex A returns are normally a few MB: check it is the right file.",
            name=path.name,
        )
    return size


def sniff_kind(path: Path) -> str:
    """'zip', 'ole' (old .xls or a password-protected workbook) or 'other', from magic bytes."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_LOCAL_SIGNATURE) or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head == _OLE_SIGNATURE:
        return "ole"
    return "other"


def check_zip_archive(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """Refuse a zip whose directory promises too much, before anything is decompressed."""
    members = archive.infolist()
    if len(members) > limits.max_zip_members:
        raise SourceError(
            f"'{name}' holds {len(members):,} files; that is not an Annex A return.", name=name
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed_bytes:
        raise SourceError(
            f"'{name}' would unpack to {describe_bytes(total)}, over the "
            f"{describe_bytes(limits.max_uncompressed_bytes)} limit, so it was not opened "
            "(it may be a 'zip bomb').",
            name=name,
        )
    for member in members:
        if member.file_size < limits.ratio_check_min_bytes:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            raise SourceError(
                f"'{name}' contains '{member.filename}', which is compressed {ratio:,.0f} to 1 "
                f"(limit {limits.max_compression_ratio:,.0f} to 1). Real spreadsheets do not "
                "compress like that, so it was not opened (it may be a 'zip bomb').",
                name=name,
            )


def verify_declared_sizes(path: Path, archive: zipfile.ZipFile, name: str) -> None:
    """Unpack each member in bounded chunks; refuse one that outgrows its declared size."""
    with path.open("rb") as raw:
        for member in archive.infolist():
            if member.compress_type == zipfile.ZIP_STORED or member.is_dir():
                continue
            if member.compress_type != zipfile.ZIP_DEFLATED:
                raise SourceError(
                    f"'{name}' uses a compression method Excel does not ({member.compress_type}).",
                    name=name,
                )
            if _inflates_past(raw, member):
                raise SourceError(
                    f"'{name}' is damaged or crafted: '{member.filename}' unpacks to more than "
                    "the size it declares, so it was not opened.",
                    name=name,
                )


def _inflates_past(raw: BinaryIO, member: zipfile.ZipInfo) -> bool:
    raw.seek(member.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        return True
    fields = _LOCAL_HEADER.unpack(header)
    name_length, extra_length = fields[-2], fields[-1]
    raw.seek(member.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    remaining = member.compress_size
    try:
        while remaining > 0 and not inflater.eof:
            pending = raw.read(min(_CHUNK, remaining))
            if not pending:
                break
            remaining -= len(pending)
            while pending and not inflater.eof:
                produced += len(inflater.decompress(pending, _CHUNK))
                if produced > member.file_size:
                    return True
                pending = inflater.unconsumed_tail
    except zlib.error:
        return True
    return False
