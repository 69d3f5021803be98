"""Numbering a paragraph takes from its paragraph style, and a paragraph's numbering made its own.

Word numbers a paragraph by its own ``w:pPr/w:numPr`` or by the ``w:numPr`` of its
paragraph style (``w:pStyle``; none: the default paragraph style), or of a style that
one is based on (``w:basedOn``). ``w:numId`` and ``w:ilvl`` are each taken from the
nearest place that sets them; a ``w:numId`` of 0 turns numbering off; a style that
sets no level is at the level of its list that names it (``w:lvl/w:pStyle``), else 0.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from lxml import etree

from reportgen.docx.constants import W
from reportgen.docx.external import parse

__all__ = ["StyleNumbering", "level_of", "numbered_styles", "numbering_of", "set_list"]

#: the elements a paragraph's properties hold before ``w:numPr``, in the schema's order.
_BEFORE_NUMBERING = frozenset(W + name for name in ("pStyle", "keepNext", "keepLines", "pageBreakBefore",
                                                      "framePr", "widowControl"))
_ON = ("1", "true", "on")


class StyleNumbering(NamedTuple):
    """What a style numbers its paragraphs with: the list, the level (None: the style
    sets none) and the paragraph style it is (the key of :func:`numbered_styles`)."""

    num_id: str
    level: Optional[str]
    style: str


def _value(properties, name: str) -> Optional[str]:
    element = None if properties is None else properties.find(f"{W}numPr/{W}{name}")
    return None if element is None else element.get(W + "val")


def numbered_styles(xml: Optional[bytes]) -> dict[str, StyleNumbering]:
    """The paragraph styles of the styles part ``xml`` that number their paragraphs, by
    style id; the default paragraph style's also under "". Empty without a styles part."""
    if not xml:
        return {}
    styles = {s.get(W + "styleId"): s for s in parse(xml).iter(W + "style")
              if s.get(W + "type", "paragraph") == "paragraph"}
    out = {}
    for key, style in styles.items():
        num_id = level = None
        seen, at = set(), style
        while at is not None and id(at) not in seen:  # a basedOn loop ends where it closes
            seen.add(id(at))
            properties = at.find(W + "pPr")
            num_id = num_id if num_id is not None else _value(properties, "numId")
            level = level if level is not None else _value(properties, "ilvl")
            based = at.find(W + "basedOn")
            at = None if based is None else styles.get(based.get(W + "val"))
        if num_id not in (None, "0"):
            out[key] = StyleNumbering(num_id, level, key)
            if style.get(W + "default") in _ON:
                out[""] = out[key]
    return out


def numbering_of(paragraph, styles: dict[str, StyleNumbering]) -> Optional[tuple[str, Optional[str], str]]:
    """(list, level, style) a paragraph is numbered with, its own numbering before its
    style's (level None: to be found in the list, :func:`level_of`); None: not numbered."""
    properties = paragraph.find(W + "pPr")
    style = None if properties is None else properties.find(W + "pStyle")
    given = styles.get("" if style is None else style.get(W + "val", ""))
    num_id = _value(properties, "numId") or (given.num_id if given else None)
    if num_id in (None, "0"):
        return None
    level = _value(properties, "ilvl") or (given.level if given else None)
    return num_id, level, given.style if given else ""


def level_of(abstract, style: str) -> str:
    """The level of list definition ``abstract`` (None: unknown) that names ``style``, else "0"."""
    for level in ([] if abstract is None or not style else abstract.iter(W + "lvl")):
        named = level.find(W + "pStyle")
        if named is not None and named.get(W + "val") == style:
            return level.get(W + "ilvl", "0")
    return "0"


def set_list(paragraph, num_id: str, level: str) -> None:
    """Number ``paragraph`` with list ``num_id`` in its own properties; at ``level``
    where it sets no level of its own."""
    properties = paragraph.find(W + "pPr")
    if properties is None:
        properties = etree.Element(W + "pPr")
        paragraph.insert(0, properties)
    numbering = properties.find(W + "numPr")
    if numbering is None:
        numbering = etree.Element(W + "numPr")
        before = [child for child in properties if child.tag in _BEFORE_NUMBERING]
        properties.insert(properties.index(before[-1]) + 1 if before else 0, numbering)
    if numbering.find(W + "ilvl") is None:
        numbering.insert(0, etree.Element(W + "ilvl", {W + "val": level}))
    number = numbering.find(W + "numId")
    if number is None:
        number = etree.Element(W + "numId")
        numbering.find(W + "ilvl").addnext(number)
    number.set(W + "val", num_id)
