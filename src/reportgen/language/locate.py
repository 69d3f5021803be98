"""Where in the document a rendering failure happened, as a clerk would find it.

Jinja knows only the line of the part's source that failed (docxtpl starts each
paragraph on a line of its own); :func:`failure_place` finds the tag in the template
that names the failing name or expression, in the paragraph most like that line.
"""
from __future__ import annotations

import difflib
import html
import re
from typing import Optional

from reportgen.docx.paragraphs import Part
from reportgen.errors import Place, TemplatePlace, Where
from reportgen.language.lexer import Tag, lex, mentions

#: where a failure in the document properties is: "文档属性（标题）".
PROPERTIES = "文档属性"


def locate(parts: list[Part], partname: str, name: Optional[str], line: str) -> Optional[Tag]:
    """The tag in part ``partname`` that names ``name`` (a name, or a filter expression
    as written; None: any tag), in the paragraph most like ``line`` (the text of the
    Jinja source line that failed)."""
    best, score = None, 0.0
    for part in parts:
        if part.name != partname:
            continue
        for paragraph in part.paragraphs:
            for tag in lex(paragraph)[0]:
                if name is not None and not mentions(tag.inner, name):
                    continue
                ratio = difflib.SequenceMatcher(None, paragraph.text, line).ratio() + 1e-6
                if ratio > score:
                    best, score = tag, ratio
    return best


def failure_place(parts: list[Part], part: str, source: str, line: Optional[int],
                  name: Optional[str]) -> Where:
    """Where a failure in ``part`` (an entry name, or a document property's label) at
    ``line`` of its Jinja ``source`` happened, naming ``name`` if known."""
    if part.startswith(PROPERTIES):  # a document property: its label and value
        return TemplatePlace(part, f"「{source[:40]}」", part)
    partname = part.lstrip("/")
    lines = re.split(r"\r\n|\r|\n", source)  # as Jinja counts lines
    text = lines[line - 1] if line and 0 < line <= len(lines) else ""
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    found = locate(parts, partname, name, text)
    if found is None and name is not None:
        found = locate(parts, partname, None, text)
    if found is not None:
        return found.paragraph.place_of(found.start, found.end, found.raw)
    if text.strip():
        return TemplatePlace(f"{partname}中含有「{text.strip()[:40]}」的段落", part=partname)
    return Place(partname)
