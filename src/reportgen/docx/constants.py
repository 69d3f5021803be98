"""Content types, relationship types and XML names of a Word package, defined once.

They come from python-docx's ``opc`` layer (:mod:`docx.opc.constants`,
:mod:`docx.oxml.ns`); only what python-docx does not know is written here.
"""
from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE, NAMESPACE, RELATIONSHIP_TYPE
from docx.oxml.ns import nsmap, qn

__all__ = ["CORE_PROPERTIES", "CORE_RELATIONSHIP", "DOCUMENT", "ENDNOTES", "FOOTER", "FOOTNOTES",
           "HEADER", "LIBREOFFICE_CORE_RELATIONSHIP", "MC_FALLBACK", "NOTES", "RELATIONSHIP", "RELATIONSHIPS_NS",
           "VBA_RELATIONSHIP", "W", "W14", "ct", "nsmap", "qn"]

DOCUMENT = CONTENT_TYPE.WML_DOCUMENT_MAIN
HEADER = CONTENT_TYPE.WML_HEADER
FOOTER = CONTENT_TYPE.WML_FOOTER
FOOTNOTES = CONTENT_TYPE.WML_FOOTNOTES
ENDNOTES = CONTENT_TYPE.WML_ENDNOTES
NOTES = (FOOTNOTES, ENDNOTES)
CORE_PROPERTIES = CONTENT_TYPE.OPC_CORE_PROPERTIES
CORE_RELATIONSHIP = RELATIONSHIP_TYPE.CORE_PROPERTIES
# LibreOffice relates the document properties by this type, which python-docx does not know.
LIBREOFFICE_CORE_RELATIONSHIP = \
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties"

#: "{…wordprocessingml…}" — the prefix of every WordprocessingML element name.
W = qn("w:t")[:-1]
#: Word 2010's namespace ("{…/word/2010/wordml}": w14:paraId, w14:textId).
W14 = qn("w14:paraId")[:-len("paraId")]
#: the namespace of a part's relationships (``_rels/*.rels``) and its element name.
RELATIONSHIPS_NS = NAMESPACE.OPC_RELATIONSHIPS
RELATIONSHIP = f"{{{RELATIONSHIPS_NS}}}Relationship"
# python-docx does not know a macro project's relationship (a .docm's word/vbaProject.bin).
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
# python-docx's nsmap has no markup-compatibility namespace (text boxes' fallback copies).
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def ct(local: str) -> str:
    """An element name of ``[Content_Types].xml``: ``ct("Override")``."""
    return f"{{{NAMESPACE.OPC_CONTENT_TYPES}}}{local}"
