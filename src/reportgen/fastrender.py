"""A faster path for rendering many documents from one Word template (used by ``batch``).

:class:`~reportgen.rendering.CompiledTemplate` compiles the Jinja source once, but for
every document it still re-reads the whole .docx with python-docx, serialises every part
again and deflates the package twice (python-docx's save, then ``normalise_package``):
about four fifths of its time. Yet only the parts that hold template tags differ from one
document to the next. A :class:`PreparedTemplate` renders its first document the ordinary
way and keeps that package's other entries as they were compressed; for each later
document it renders only the tagged parts, through docxtpl's own steps, and writes the
zip around them. The entries and their contents are those ``CompiledTemplate`` gives
(``tests/test_batch.py`` checks it). Whatever the fast path cannot do, or any error in
it, goes to ``CompiledTemplate``, so results and error messages stay its own.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, Optional

from docx.opc.oxml import parse_xml, serialize_part_xml
from docxtpl import DocxTemplate

from reportgen.rendering import CompiledTemplate

_TAG = re.compile(r"\{[{%#]")
_RAW_TAG = re.compile(rb"\{(?:<[^>]*>)*[{%#]")  # a tag in Word's XML, perhaps split across runs


class _Part(NamedTuple):
    """A templated part other than the body: header or footer."""

    name: str  # zip entry name, e.g. "word/footer1.xml"
    source: str  # docxtpl-patched Jinja source
    encoding: str


class _Entry(NamedTuple):
    """One zip entry of the reference package: its header fields and compressed bytes."""

    info: zipfile.ZipInfo
    raw: Optional[bytes]  # None for an entry rendered anew for each document


class PreparedTemplate:
    """A Word template prepared to render many documents quickly.

    ``render_bytes(context)`` gives what ``CompiledTemplate(path).render_bytes(context)``
    gives. Keep one per template path and reuse it.
    """

    def __init__(self, path: str | Path):
        self.compiled = CompiledTemplate(path)  # validates file and tags, raises TemplateError
        self.path = self.compiled.path
        data = self.path.read_bytes()
        self._tpl = DocxTemplate(io.BytesIO(data))
        self._tpl.render_init()
        self._body = self._tpl.patch_xml(self._tpl.get_xml())
        self._document = self._tpl.docx.part.partname.lstrip("/")
        self._parts = list(self._tagged_headers_footers())
        self._fast = self._supported(data)
        self._entries: Optional[list[_Entry]] = None

    def _tagged_headers_footers(self):
        tpl = self._tpl
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _key, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                source = tpl.patch_xml(xml)
                if _TAG.search(source):  # an untagged part renders the same every time
                    yield _Part(part.partname.lstrip("/"), source, tpl.get_headers_footers_encoding(xml))

    def _supported(self, data: bytes) -> bool:
        """False when tags stand outside the body, headers and footers (in document
        properties, footnotes, endnotes …): only the ordinary path renders those."""
        mine = {self._document} | {part.name for part in self._parts}
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return not any(_RAW_TAG.search(package.read(name)) for name in package.namelist()
                           if name not in mine and name.endswith((".xml", ".rels")))

    def render_bytes(self, context: dict[str, Any]) -> bytes:
        """Render ``context`` into a complete .docx, returned as bytes."""
        if not self._fast or self._entries is None:
            data = self.compiled.render_bytes(context)
            if self._fast:
                self._entries = _reference_entries(data, {self._document} | {p.name for p in self._parts})
            return data
        try:
            rendered = self._render_parts(context)
        except Exception:  # noqa: BLE001 - the ordinary path raises the proper TemplateError
            return self.compiled.render_bytes(context)
        return _write_zip(self._entries, rendered)

    def _render_parts(self, context: dict[str, Any]) -> dict[str, bytes]:
        """The serialised XML of each templated part, as docxtpl's ``render`` makes it."""
        tpl, env = self._tpl, self.compiled.env
        body = tpl.render_xml_part(self._body, tpl.docx.part, context, env)
        tree = tpl.fix_tables(body)
        tpl.docx_ids_index = 1000  # what render_init sets before every document
        tpl.fix_docpr_ids(tree)
        tpl.map_tree(tree)
        out = {self._document: serialize_part_xml(tpl.docx.element)}
        for part in self._parts:
            xml = tpl.render_xml_part(part.source, None, context, env).encode(part.encoding)
            out[part.name] = serialize_part_xml(parse_xml(xml))
        return out


def _reference_entries(data: bytes, rendered: set[str]) -> list[_Entry]:
    """The entries of a rendered package, keeping the compressed bytes of those not in
    ``rendered`` so later documents copy them instead of deflating them again."""
    entries = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for info in package.infolist():
            raw = None
            if info.filename not in rendered:
                start = info.header_offset + 30  # the fixed part of a local file header
                name_len, extra_len = struct.unpack("<HH", data[start - 4:start])
                start += name_len + extra_len
                raw = data[start:start + info.compress_size]
            entries.append(_Entry(info, raw))
    return entries


def _deflate(data: bytes) -> bytes:
    # The settings zipfile uses for ZIP_DEFLATED at its default level.
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _dos_time(info: zipfile.ZipInfo) -> tuple[int, int]:
    year, month, day, hour, minute, second = info.date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def _write_zip(entries: list[_Entry], rendered: dict[str, bytes]) -> bytes:
    """A zip of ``entries`` in order, with the same header fields zipfile writes; the
    contents of entries named in ``rendered`` are replaced and deflated."""
    out, central = io.BytesIO(), io.BytesIO()
    for info, raw in entries:
        if raw is None:
            content = rendered[info.filename]
            raw, crc, size = _deflate(content), zlib.crc32(content), len(content)
        else:
            crc, size = info.CRC, info.file_size
        name = info.filename.encode("utf-8" if info.flag_bits & 0x800 else "ascii")
        dostime, dosdate = _dos_time(info)
        offset = out.tell()
        out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", info.extract_version, info.reserved,
                              info.flag_bits, info.compress_type, dostime, dosdate, crc, len(raw),
                              size, len(name), 0))
        out.write(name)
        out.write(raw)
        central.write(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", info.create_version,
                                  info.create_system, info.extract_version, info.reserved,
                                  info.flag_bits, info.compress_type, dostime, dosdate, crc,
                                  len(raw), size, len(name), 0, 0, 0, info.internal_attr,
                                  info.external_attr, offset))
        central.write(name)
    start = out.tell()
    out.write(central.getvalue())
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                          len(central.getvalue()), start, 0))
    return out.getvalue()


@lru_cache(maxsize=16)
def _prepared(path: Path, mtime_ns: int, size: int) -> PreparedTemplate:
    # Keyed on the file's stamp too: a template edited between two calls is read again.
    return PreparedTemplate(path)


def prepared_template(path: str | Path) -> PreparedTemplate:
    """The template at ``path``, read and compiled once per process for every report
    rendered with it (``reportgen.render`` and each ``batch`` worker alike)."""
    path = Path(path).resolve()
    try:
        status = path.stat()
    except OSError:
        return PreparedTemplate(path)  # raises the TemplateError that names the problem
    return _prepared(path, status.st_mtime_ns, status.st_size)


prepared_template.cache_clear = _prepared.cache_clear  # for benchmarks that start cold
