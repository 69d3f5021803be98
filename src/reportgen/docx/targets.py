"""The addresses a part's relationships point to, read as text for the tag checks.

docxtpl renders the XML of the body, headers, footers and notes, never their
relationships: a tag typed into a hyperlink's address (``http://…/{{ code }}``) stays
in every report as typed (percent-encoded). :func:`tagged_targets` gives each such
address, which :mod:`reportgen.docx.paragraphs` reads as a paragraph of its own, so the
checks that read tags find it and refuse it.
"""
from __future__ import annotations

import re
import zipfile
from urllib.parse import unquote

from lxml import etree

from reportgen.docx.constants import RELATIONSHIP
from reportgen.docx.external import relationships_entry


_TAG = re.compile(r"\{[{%#]|[}%#]\}")


def tagged_targets(package: zipfile.ZipFile, partname: str) -> tuple[str, list[str]]:
    """(the relationships entry of part ``partname``, each of its targets that holds a
    tag once percent-decoded, decoded)."""
    rels = relationships_entry(partname)
    if rels not in package.namelist():
        return rels, []
    try:
        found = etree.fromstring(package.read(rels)).iter(RELATIONSHIP)
    except etree.XMLSyntaxError:  # not XML: other checks say so
        return rels, []
    return rels, [a for a in (unquote(r.get("Target", "")) for r in found) if _TAG.search(a)]
