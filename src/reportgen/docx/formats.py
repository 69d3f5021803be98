"""Which file a template is, read as the Word document (.docx) reportgen renders.

A Word template (.dotx), a macro-enabled document (.docm) and a macro-enabled template
(.dotm) are the same package as a .docx but for the content type of the main part
(ECMA-376 Part 1 §11.3.10 names the four); :func:`as_document` gives it the document's
type and leaves out the macros, so the report written from it is a plain .docx. A
file that is no zip at all is named by its first bytes (an old .doc or .wps, an RTF,
a PDF) or, for an OpenDocument zip, by its ``mimetype``, with the advice that fixes
it: save it again as a .docx.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from reportgen.docx.constants import DOCUMENT, RELATIONSHIP, VBA_RELATIONSHIP, ct
from reportgen.docx.external import relationships_entry
from reportgen.errors import TemplateError

#: main-part content types of the Word packages that are not a plain document.
WORD_VARIANTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "Word 模板（.dotx）",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "启用宏的 Word 文档（.docm）",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "启用宏的 Word 模板（.dotm）",
}
#: content types of the macro parts, left out of the document.
_MACRO_TYPES = ("application/vnd.ms-office.vbaProject", "application/vnd.ms-word.vbaData+xml",
                "application/vnd.ms-word.keyMapCustomizations+xml",
                "application/vnd.ms-office.activeX+xml", "application/vnd.ms-office.activeX")
_CONTENT_TYPES = "[Content_Types].xml"
#: the first bytes of files that are no zip → what they are.
_SIGNATURES = ((b"\xd0\xcf\x11\xe0", "旧版 Word 文档（.doc）或 WPS 文档（.wps）"),
               (b"{\\rtf", "RTF 文档"), (b"%PDF", "PDF 文件"), (b"<?xml", "XML 文件（如“Word XML 文档”）"))
SAVE_AS = "请在 Word 或 WPS 中打开，另存为“Word 文档（*.docx）”后再用"
#: endings of the Word packages a template may be (a .dotx or .docm is a .docx inside).
WORD_PACKAGES = (".docx", ".dotx", ".docm", ".dotm")
#: endings of documents that are no Word package, and what they are, for the message.
OTHER_FORMATS = {".doc": "旧版 Word 文档（.doc）", ".dot": "旧版 Word 模板（.dot）",
                 ".wps": "WPS 文字文档（.wps）", ".wpt": "WPS 文字模板（.wpt）",
                 ".odt": "OpenDocument 文档（.odt）", ".rtf": "RTF 文档（.rtf）", ".pdf": "PDF 文件"}


def names_a_file(name: str) -> bool:
    """Whether a template ``name`` that is no existing file is meant as a path (a
    document's ending, or a folder in it) rather than a shipped template's name.

    >>> names_a_file("本局.dotx"), names_a_file("模板/本局"), names_a_file("liwan")
    (True, True, False)
    """
    path = Path(name)
    return path.suffix.lower() in WORD_PACKAGES or path.suffix.lower() in OTHER_FORMATS or len(path.parts) > 1


def _what(data: bytes) -> str:
    """What a file that is no zip is, in a clerk's words."""
    head = data[:8].lstrip(b"\xef\xbb\xbf")
    return next((what for magic, what in _SIGNATURES if head.startswith(magic)), "不是 Word 文档")


def _opendocument(package: zipfile.ZipFile) -> bool:
    try:
        return package.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except KeyError:
        return False


def as_document(data: bytes, name: str = "模板") -> bytes:
    """``data`` as a Word document package: unchanged when it is one (or not a zip at all
    but for the formats named below), the main part re-typed and the macros left out
    when it is a .dotx, .docm or .dotm.

    Raises :class:`TemplateError` naming ``name`` for an old .doc or .wps, an RTF, a PDF
    or an OpenDocument file, each with the advice to save it as .docx."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        what = _what(data)
        raise TemplateError(f"{name} 是{what}，不能直接使用：{SAVE_AS}" if what != "不是 Word 文档"
                            else f"{name} 不是有效的Word文档（.docx）：请在Word或WPS中打开后另存为“Word文档（*.docx）”")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        if _opendocument(package):
            raise TemplateError(f"{name} 是 OpenDocument 文档（.odt），不能直接使用：{SAVE_AS}")
        try:
            types = etree.fromstring(package.read(_CONTENT_TYPES))
        except (KeyError, etree.XMLSyntaxError):
            return data  # not a package: reading it says so
        overrides = list(types.iter(ct("Override")))
        if not any(o.get("ContentType") in WORD_VARIANTS for o in overrides):
            return data
        return _retyped(package, types, overrides)


def _retyped(package: zipfile.ZipFile, types, overrides) -> bytes:
    """The package with its main part typed as a document and no macro parts."""
    macros = {o.get("PartName").lstrip("/") for o in overrides if o.get("ContentType") in _MACRO_TYPES}
    macros |= {relationships_entry(m) for m in macros}
    for override in overrides:
        if override.get("ContentType") in WORD_VARIANTS:
            override.set("ContentType", DOCUMENT)
        elif override.get("PartName").lstrip("/") in macros:
            types.remove(override)
    for default in list(types.iter(ct("Default"))):
        if default.get("ContentType") in _MACRO_TYPES:
            types.remove(default)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in package.infolist():
            if item.filename in macros or item.filename.lower().endswith("vbaproject.bin"):
                continue
            body = package.read(item.filename)
            if item.filename == _CONTENT_TYPES:
                body = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif item.filename.endswith(".rels") and VBA_RELATIONSHIP.encode() in body:
                body = _without_macro_relationship(body)
            dst.writestr(item, body)
    return out.getvalue()


def _without_macro_relationship(body: bytes) -> bytes:
    rels = etree.fromstring(body)
    for rel in list(rels.iter(RELATIONSHIP)):
        if rel.get("Type") == VBA_RELATIONSHIP:
            rels.remove(rel)
    return etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
