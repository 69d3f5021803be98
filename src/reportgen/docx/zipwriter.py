"""Writing a package whose entries are mostly kept compressed from a reference package.

Documents from one template differ only in their templated parts. :func:`reference_entries`
keeps every other entry of a package as it was compressed; :func:`write_zip` writes the
entries in order, deflating only the new contents, with the header fields
:mod:`zipfile` writes, so the result equals a normalised package byte for byte.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Iterable, NamedTuple, Optional

from reportgen.docx.package import normalised_info

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


class Entry(NamedTuple):
    """One zip entry: its header fields and compressed bytes (None: given per package)."""

    info: zipfile.ZipInfo
    raw: Optional[bytes]


def reference_entries(data: bytes, rendered: Iterable[str], normalise: bool = False) -> list[Entry]:
    """The entries of package ``data`` in order, keeping the compressed bytes of those
    not named in ``rendered``. With ``normalise``, each entry gets the header fields of
    :func:`~reportgen.docx.package.normalise_package` (``data`` must then be deflated
    at zlib's default level, as :mod:`zipfile` and python-docx write)."""
    rendered = set(rendered)
    entries = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for info in package.infolist():
            raw = None
            if info.filename not in rendered:
                start = info.header_offset + 30  # the fixed part of a local file header
                name_len, extra_len = struct.unpack("<HH", data[start - 4:start])
                start += name_len + extra_len
                raw = data[start:start + info.compress_size]
            if normalise:
                fresh = normalised_info(info.filename)
                fresh.CRC, fresh.file_size, fresh.compress_size = info.CRC, info.file_size, info.compress_size
                info = fresh
            entries.append(Entry(info, raw))
    return entries


def deflate(data: bytes) -> bytes:
    """``data`` deflated with the settings zipfile uses for ZIP_DEFLATED at its default level."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _dos_time(info: zipfile.ZipInfo) -> tuple[int, int]:
    year, month, day, hour, minute, second = info.date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def write_zip(entries: list[Entry], rendered: dict[str, bytes]) -> bytes:
    """A zip of ``entries`` in order, with the header fields zipfile writes; an entry
    without compressed bytes, or named in ``rendered``, takes its content from there
    (a reconciled numbering part replaces the reference's)."""
    out, central = io.BytesIO(), io.BytesIO()
    for info, raw in entries:
        if raw is None or info.filename in rendered:
            content = rendered[info.filename]
            raw, crc, size = deflate(content), zlib.crc32(content), len(content)
        else:
            crc, size = info.CRC, info.file_size
        utf8 = info.flag_bits & 0x800 or not info.filename.isascii()
        name = info.filename.encode("utf-8" if utf8 else "ascii")
        flags = info.flag_bits | (0x800 if utf8 else 0)
        # zipfile raises a deflated entry's versions to 2.0 when writing it.
        version = max(info.extract_version, 20) if info.compress_type == zipfile.ZIP_DEFLATED \
            else info.extract_version
        created = max(info.create_version, version)
        dostime, dosdate = _dos_time(info)
        offset = out.tell()
        out.write(_LOCAL_HEADER.pack(b"PK\x03\x04", version, info.reserved, flags, info.compress_type,
                                     dostime, dosdate, crc, len(raw), size, len(name), 0))
        out.write(name)
        out.write(raw)
        central.write(_CENTRAL_HEADER.pack(b"PK\x01\x02", created, info.create_system, version,
                                           info.reserved, flags, info.compress_type, dostime, dosdate,
                                           crc, len(raw), size, len(name), 0, 0, 0, info.internal_attr,
                                           info.external_attr, offset))
        central.write(name)
    start = out.tell()
    out.write(central.getvalue())
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central.getvalue()), start, 0))
    return out.getvalue()
