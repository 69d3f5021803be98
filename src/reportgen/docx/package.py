"""A Word package read safely, and normalised so equal input gives equal bytes.

A .docx is a zip of parts. :func:`open_package` reads one, naming a file that is none in
Chinese and refusing one whose parts would inflate past the limits (:func:`check_sizes`:
a "zip bomb" must not take gigabytes from the renderer or the linter); :func:`standard_relationships` relates the document properties the standard
way (LibreOffice's own type makes python-docx add a second ``docProps/core.xml``, with
the time of saving); :func:`with_core_properties` gives a template without document
properties empty ones (else python-docx invents a title and the time of rendering, and
equal input would not give equal bytes); :func:`normalise_package` fixes each entry's timestamp and mode.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

from lxml import etree

from reportgen.docx.constants import (CORE_PROPERTIES, CORE_RELATIONSHIP, LIBREOFFICE_CORE_RELATIONSHIP,
                                      RELATIONSHIP, ct, nsmap)
from reportgen.docx.external import parse
from reportgen.errors import TemplateError

#: the timestamp of every entry of a rendered package (the earliest a zip can hold).
EPOCH = (1980, 1, 1, 0, 0, 0)
#: the mode of every entry: rw-r--r--, in the high bits of ``external_attr``.
ENTRY_MODE = 0o644 << 16
PACKAGE_RELATIONSHIPS = "_rels/.rels"
_BAD_PACKAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, EOFError, zlib.error,
                NotImplementedError, RuntimeError)
#: bytes one XML part may inflate to (a long report's document.xml is 1–3 MB).
MAX_XML_PART = 16 * 2**20
#: bytes any other part (an image, an embedded file) may inflate to.
MAX_PART = 48 * 2**20
#: bytes all parts together may inflate to.
MAX_PACKAGE = 96 * 2**20
#: entries a package may hold (a long report has a few dozen; a million empty ones took minutes).
MAX_ENTRIES = 10_000
_CHUNK = 2**20


def _part_limit(name: str) -> int:
    return MAX_XML_PART if name.lower().endswith((".xml", ".rels")) else MAX_PART


def _too_big(source: str, name: str, size: int, limit: int) -> TemplateError:
    return TemplateError(f"{source}中的部件 {name} 解压后超过 {size / 2**20:,.1f} MB，超出上限 "
                         f"{limit // 2**20} MB（文件可能已损坏或是恶意构造的压缩包），已拒绝读取")


def check_sizes(package: zipfile.ZipFile, source: str = "模板") -> None:
    """:class:`TemplateError` when a part of ``package`` inflates past its limit
    (:data:`MAX_XML_PART`, :data:`MAX_PART`) or all together past :data:`MAX_PACKAGE`:
    first as the zip's headers declare, before inflating anything, then as each part
    really inflates, a megabyte at a time (headers may lie)."""
    declared = 0
    if len(package.infolist()) > MAX_ENTRIES:
        raise TemplateError(f"{source}中有 {len(package.infolist()):,} 个部件，超出上限 {MAX_ENTRIES:,} 个"
                            f"（文件可能已损坏或是恶意构造的压缩包），已拒绝读取")
    for info in package.infolist():
        declared += info.file_size
        if info.file_size > _part_limit(info.filename):
            raise _too_big(source, info.filename, info.file_size, _part_limit(info.filename))
    if declared > MAX_PACKAGE:
        raise _too_big(source, "（全部）", declared, MAX_PACKAGE)
    for info in package.infolist():
        inflated, limit = 0, min(_part_limit(info.filename), info.file_size)
        try:
            with package.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    inflated += len(chunk)
                    if inflated > limit:
                        raise _too_big(source, info.filename, inflated, _part_limit(info.filename))
        except (zipfile.BadZipFile, zlib.error, EOFError):  # zipfile stops at the declared size: a CRC error
            raise TemplateError(f"{source}中的部件 {info.filename} 解压后与压缩包记录的大小或校验值不符"
                                f"（文件已损坏或是恶意构造的压缩包），已拒绝读取") from None


def _declared_entries(data: bytes) -> int:
    """How many entries the zip ``data`` says it holds, read from its end record before
    anything parses its directory (65,535 or more when it needs the zip64 record); 0 when
    there is no end record."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return 0
    return struct.unpack_from("<H", data, end + 10)[0]


def refuse_oversized(data: bytes, source: str = "模板") -> None:
    """:func:`check_sizes` for ``data`` when it is a zip; a file that is none, or a
    broken one, is left for its reader to explain. Too many entries are refused before
    the zip's directory is even read."""
    entries = _declared_entries(data)
    if entries > MAX_ENTRIES:
        raise TemplateError(f"{source}中有 {entries:,} 个以上部件，超出上限 {MAX_ENTRIES:,} 个"
                            f"（文件可能已损坏或是恶意构造的压缩包），已拒绝读取")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            check_sizes(package, source)
    except TemplateError:
        raise
    except _BAD_PACKAGE:
        pass


def open_package(data: bytes, source: str = "模板", checked: bool = False) -> zipfile.ZipFile:
    """``data`` as an open zip whose parts are within the size limits (:func:`check_sizes`);
    :class:`TemplateError` when it is not one, or a part is too large. ``checked``: the
    caller knows ``data`` passed :func:`check_sizes` already, which inflates every part,
    so it is not checked again."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        if not checked:
            check_sizes(package, source)
        return package
    except TemplateError:
        raise
    except _BAD_PACKAGE as exc:
        raise TemplateError(f"{source}不是有效的Word文档（.docx）（{exc}）") from None


def content_types(package: zipfile.ZipFile) -> dict[str, str]:
    """Each part named in ``[Content_Types].xml`` (entry name, no leading "/") → its content type."""
    types = parse(package.read("[Content_Types].xml"))
    return {o.get("PartName", "").lstrip("/"): o.get("ContentType") for o in types.iter(ct("Override"))}


def standard_relationships(data: bytes) -> bytes:
    """``data`` with the document properties related by the standard type (unchanged
    when they already are)."""
    other, standard = LIBREOFFICE_CORE_RELATIONSHIP.encode(), CORE_RELATIONSHIP.encode()
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        if PACKAGE_RELATIONSHIPS not in src.namelist() or other not in src.read(PACKAGE_RELATIONSHIPS):
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                body = src.read(item.filename)
                if item.filename == PACKAGE_RELATIONSHIPS:
                    body = body.replace(other, standard)
                dst.writestr(item, body)
    return out.getvalue()


_CORE_PART = "docProps/core.xml"
_EMPTY_CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
               + " ".join(f'xmlns:{prefix}="{nsmap[prefix]}"' for prefix in ("cp", "dc", "dcterms", "dcmitype", "xsi"))
               + "/>").encode()


def _with_core_entries(types: bytes, rels: bytes) -> tuple[bytes, bytes]:
    """``[Content_Types].xml`` and ``_rels/.rels`` naming an added core properties part."""
    types_tree, rels_tree = etree.fromstring(types), etree.fromstring(rels)
    if not any(o.get("PartName") == "/" + _CORE_PART for o in types_tree.iter(ct("Override"))):
        etree.SubElement(types_tree, ct("Override"), PartName="/" + _CORE_PART, ContentType=CORE_PROPERTIES)
    ids = {r.get("Id") for r in rels_tree}
    new_id = next(f"rIdCore{n}" for n in range(len(ids) + 1) if f"rIdCore{n}" not in ids)
    etree.SubElement(rels_tree, RELATIONSHIP, Id=new_id, Type=CORE_RELATIONSHIP,
                     Target=_CORE_PART)
    declaration = dict(xml_declaration=True, encoding="UTF-8", standalone=True)
    return etree.tostring(types_tree, **declaration), etree.tostring(rels_tree, **declaration)


def with_core_properties(data: bytes) -> bytes:
    """``data`` with empty document properties when it relates none (unchanged when it does)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = set(src.namelist())
        if PACKAGE_RELATIONSHIPS not in names or "[Content_Types].xml" not in names:
            return data  # no Word package: python-docx says so
        rels = src.read(PACKAGE_RELATIONSHIPS)
        if any(r.get("Type") == CORE_RELATIONSHIP for r in etree.fromstring(rels)):
            return data
        types, rels = _with_core_entries(src.read("[Content_Types].xml"), rels)
        replaced = {"[Content_Types].xml": types, PACKAGE_RELATIONSHIPS: rels, _CORE_PART: _EMPTY_CORE}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                dst.writestr(item, replaced.pop(item.filename, None) or src.read(item.filename))
            for name, body in replaced.items():
                dst.writestr(normalised_info(name), body)
    return out.getvalue()


def normalised_info(name: str) -> zipfile.ZipInfo:
    """The header of entry ``name`` in a normalised package: fixed time and mode, deflated."""
    info = zipfile.ZipInfo(name, date_time=EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = ENTRY_MODE
    return info


def normalise_package(data: bytes) -> bytes:
    """The same .docx with fixed entry timestamps and modes, so equal input gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(normalised_info(item.filename), src.read(item.filename))
    return out.getvalue()
