"""Content types, relationship types and XML names of a Word package, defined once.

Written from ECMA-376 (Part 1 for WordprocessingML, Part 2 for the package's content
types and relationships) with the spellings python-docx uses in :mod:`docx.opc.constants`
and :mod:`docx.oxml.ns`; ``tests/test_layers.py`` holds them equal to python-docx's. They
are not imported from there because importing python-docx costs a tenth of a one-report
run, and a template rendered before needs nothing else of it.
"""
from __future__ import annotations

__all__ = ["CONTENT_TYPES_NS", "CORE_PROPERTIES", "CORE_RELATIONSHIP", "DOCUMENT", "ENDNOTES", "FOOTER",
           "FOOTNOTES", "GLOSSARY", "HEADER", "HYPERLINK_RELATIONSHIP", "LIBREOFFICE_CORE_RELATIONSHIP",
           "MC_FALLBACK", "NOTES", "NUMBERING", "RELATIONSHIP", "RELATIONSHIPS_NS", "STYLES", "VBA_RELATIONSHIP", "W",
           "W14",
           "ct", "nsmap", "qn"]

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
DOCUMENT = _WML + "document.main+xml"
GLOSSARY = _WML + "document.glossary+xml"
HEADER = _WML + "header+xml"
FOOTER = _WML + "footer+xml"
FOOTNOTES = _WML + "footnotes+xml"
ENDNOTES = _WML + "endnotes+xml"
NUMBERING = _WML + "numbering+xml"
STYLES = _WML + "styles+xml"
NOTES = (FOOTNOTES, ENDNOTES)
CORE_PROPERTIES = "application/vnd.openxmlformats-package.core-properties+xml"

#: the namespace of a part's relationships (``_rels/*.rels``) and its element name.
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RELATIONSHIP = f"{{{RELATIONSHIPS_NS}}}Relationship"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CORE_RELATIONSHIP = RELATIONSHIPS_NS + "/metadata/core-properties"
HYPERLINK_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# LibreOffice relates the document properties by this type (note the lower-case "officedocument").
LIBREOFFICE_CORE_RELATIONSHIP = \
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"
#: a macro project's relationship (a .docm's word/vbaProject.bin).
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"

#: prefix → namespace of the names this package writes or looks for.
nsmap = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "dcterms": "http://purl.org/dc/terms/",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


def qn(tag: str) -> str:
    """Clark notation of a prefixed name: ``qn("w:p")`` → ``"{…wordprocessingml/2006/main}p"``."""
    prefix, local = tag.split(":")
    return f"{{{nsmap[prefix]}}}{local}"


#: "{…wordprocessingml…}" — the prefix of every WordprocessingML element name.
W = qn("w:t")[:-1]
#: Word 2010's namespace ("{…/word/2010/wordml}": w14:paraId, w14:textId).
W14 = qn("w14:paraId")[:-len("paraId")]
#: markup compatibility's fallback (text boxes' second copies).
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def ct(local: str) -> str:
    """An element name of ``[Content_Types].xml``: ``ct("Override")``."""
    return f"{{{CONTENT_TYPES_NS}}}{local}"
