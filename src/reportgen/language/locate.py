"""Where in the document a rendering failure happened, as a clerk would find it.

Jinja knows only the line of the part's source that failed (docxtpl starts each
paragraph on a line of its own); :func:`failure_place` finds the tag in the template
that names the failing name or expression, in the paragraph most like that line. Where
no paragraph of the template holds it (the hidden copy of a text box, say), the place is
the part as a clerk names it (正文, 页眉 …, 正文文本框) with the line's text.
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
#: a part's name as a clerk knows it, by how its entry's name starts (else 正文).
_LABELS = (("header", "页眉"), ("footer", "页脚"), ("footnotes", "脚注"), ("endnotes", "尾注"))
_TEXT_BOX = re.compile(r"<(/?)w:txbxContent[ >]")


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
    label = _label(parts, partname)
    if line and _in_text_box(lines[:line - 1]):
        label += "文本框"
    if text.strip():
        return TemplatePlace(f"{label}中含有「{text.strip()[:40]}」的段落", part=label)
    return Place(label)


def _label(parts: list[Part], partname: str) -> str:
    """Part ``partname`` as a clerk names it: 正文, 页眉, 第2节偶数页页脚, 脚注 …"""
    label = next((part.label for part in parts if part.name == partname), None)
    base = partname.rpartition("/")[2]
    return label or next((label for start, label in _LABELS if base.startswith(start)), "正文")


def _in_text_box(before: list[str]) -> bool:
    """Whether a text box opened in the source lines ``before`` is still open."""
    depth = 0
    for match in _TEXT_BOX.finditer("\n".join(before)):
        depth += -1 if match.group(1) else 1
    return depth > 0
