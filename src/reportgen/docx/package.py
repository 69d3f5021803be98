"""A Word package read safely, and normalised so equal input gives equal bytes.

A .docx is a zip of parts. :func:`open_package` reads one, naming a file that is none in
Chinese; :func:`standard_relationships` relates the document properties the standard
way (LibreOffice's own type makes python-docx add a second ``docProps/core.xml``, with
the time of saving); :func:`normalise_package` fixes each entry's timestamp and mode.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from reportgen.docx.constants import CORE_RELATIONSHIP, LIBREOFFICE_CORE_RELATIONSHIP, ct
from reportgen.errors import TemplateError

#: the timestamp of every entry of a rendered package (the earliest a zip can hold).
EPOCH = (1980, 1, 1, 0, 0, 0)
#: the mode of every entry: rw-r--r--, in the high bits of ``external_attr``.
ENTRY_MODE = 0o644 << 16
PACKAGE_RELATIONSHIPS = "_rels/.rels"
_BAD_PACKAGE = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, EOFError)


def open_package(data: bytes, source: str = "模板") -> zipfile.ZipFile:
    """``data`` as an open zip; :class:`TemplateError` when it is not one."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except _BAD_PACKAGE as exc:
        raise TemplateError(f"{source}不是有效的Word文档（.docx）（{exc}）") from None


def content_types(package: zipfile.ZipFile) -> dict[str, str]:
    """Each part named in ``[Content_Types].xml`` (entry name, no leading "/") → its content type."""
    types = etree.fromstring(package.read("[Content_Types].xml"))
    return {o.get("PartName").lstrip("/"): o.get("ContentType") for o in types.iter(ct("Override"))}


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
