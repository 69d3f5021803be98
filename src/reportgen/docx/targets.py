"""The addresses a part's relationships point to, read as text for the tag checks.

docxtpl renders the XML of the body, headers, footers and notes, never their
relationships: a tag typed into a hyperlink's address (``http://…/{{ code }}``) stays
in every report as typed (percent-encoded). :func:`tagged_targets` gives each such
address as a :class:`~reportgen.docx.paragraphs.Paragraph` of its own, so the checks
that read tags find it and refuse it.
"""
from __future__ import annotations

import re
import zipfile
from urllib.parse import unquote

from lxml import etree

from reportgen.docx.paragraphs import Paragraph

_TAG = re.compile(r"\{[{%#]|[}%#]\}")
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _rels_name(partname: str) -> str:
    folder, _, base = partname.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def tagged_targets(package: zipfile.ZipFile, partname: str, label: str) -> list[Paragraph]:
    """Each relationship target of part ``partname`` (labelled ``label``: 正文, 页眉 …)
    that holds a tag once percent-decoded, as a paragraph whose text is the address."""
    rels = _rels_name(partname)
    if rels not in package.namelist():
        return []
    out = []
    for rel in etree.fromstring(package.read(rels)).iter(_RELATIONSHIP):
        address = unquote(rel.get("Target", ""))
        if _TAG.search(address):
            out.append(Paragraph(f"{label}超链接或链接的地址", rels, len(out) + 1, None, None, None, address))
    return out
