"""Read a report's outline: its title, attachment label, headings and body paragraphs.

Headings are found by the official numbering (一、 （一） 1. （1）, GB/T 9704 and every
district's practice) on a short line, or by a heading style / outline level; a long
paragraph that starts with “1.” or “（1）” is a numbered item of a list, not a heading.
The title is what stands before the first heading; the document must have one that
names a 自评报告 and at least one 一、 heading, else it is not such a report.
"""
from __future__ import annotations

import re
from typing import NamedTuple, Optional

from docx.document import Document
from docx.oxml.ns import qn

from reportgen.adopt.numerals import half_width
from reportgen.adopt.source import AdoptError

_CN = "一二三四五六七八九十"
#: numbering of each outline level, as departments write it.
NUMBERING = (
    (1, re.compile(rf"^[{_CN}]+[、.．]")),
    (2, re.compile(rf"^[（(][{_CN}]+[）)]")),
    (3, re.compile(r"^\d+[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)
ATTACHMENT = re.compile(r"^附件\s*\d*$")
#: a heading's text after its number is at most this long, with no full stop or comma.
HEADING_LENGTH = 30
_BODY_PUNCTUATION = re.compile(r"[。；，]")


class Block(NamedTuple):
    """One body paragraph of the document, as the outline sees it."""

    index: int  # its place among the document's body paragraphs
    text: str  # full-width digits as ASCII (numerals.half_width)
    role: str  # "attachment", "title", "heading", "body" or "empty"
    level: int = 0  # 1–4 for a heading
    label: str = ""  # a heading's text without its number


def numbering(text: str) -> Optional[tuple[int, str]]:
    """(level, the number as written) of a numbered paragraph, else None.

    >>> numbering("（二）部门整体收支情况"), numbering("1.主要职能"), numbering("2023年")
    ((2, '（二）'), (3, '1.'), None)
    """
    for level, pattern in NUMBERING:
        m = pattern.match(text)
        if m:
            return level, m.group(0)
    return None


def _styled_level(paragraph) -> Optional[int]:
    """The outline level a heading style or the paragraph's own properties give, 1-based."""
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    m = re.match(r"^(?:Heading|标题)\s*(\d)$", name)
    if m:
        return int(m.group(1))
    for owner in (paragraph._p.pPr, style.element.pPr if style is not None else None):
        level = owner.find(qn("w:outlineLvl")) if owner is not None else None
        if level is not None and level.get(qn("w:val")) not in (None, "9"):
            return int(level.get(qn("w:val"))) + 1
    return None


def _heading(paragraph, text: str) -> Optional[tuple[int, str, str]]:
    numbered = numbering(text)
    styled = _styled_level(paragraph)
    if numbered:
        level, number = numbered
        rest = text[len(number):].strip()
        short = (len(rest) <= HEADING_LENGTH and not _BODY_PUNCTUATION.search(rest)
                 and not rest.endswith(("。", "；")))
        if short or styled is not None:
            return level, number, rest
        return None
    if styled is not None and len(text) <= HEADING_LENGTH:
        return styled, "", text
    return None


def _preface(blocks: list[Block]) -> list[Block]:
    """Title lines end with the one that completes “…自评报告”; what follows before the
    first heading (“根据……要求，现将……报告如下：”) is body text."""
    joined, done, out = "", False, []
    for b in blocks:
        if b.role == "title" and done:
            b = b._replace(role="body")
        elif b.role == "title":
            joined += re.sub(r"\s", "", b.text)
            done = "自评报告" in joined
        out.append(b)
    return out


def read_outline(document: Document, name: str = "报告") -> list[Block]:
    """The :class:`Block` of every body paragraph of ``document``, in order.

    Raises :class:`AdoptError` when the document has no title naming a 自评报告 before
    its first heading, or no 一、 heading at all.
    """
    blocks: list[Block] = []
    seen_heading = False
    for index, paragraph in enumerate(document.paragraphs):
        text = half_width(paragraph.text).strip()
        if not text:
            blocks.append(Block(index, paragraph.text, "empty"))
            continue
        heading = _heading(paragraph, text)
        if heading and (seen_heading or heading[0] == 1):
            seen_heading = True
            level, _, label = heading
            blocks.append(Block(index, text, "heading", level, label))
        elif not seen_heading:
            blocks.append(Block(index, text, "attachment" if ATTACHMENT.match(text) else "title"))
        else:
            blocks.append(Block(index, text, "body"))
    blocks = _preface(blocks)
    title = "".join(b.text for b in blocks if b.role == "title")
    if not any(b.role == "heading" and b.level == 1 for b in blocks):
        raise AdoptError(f"{name} 中没有“一、”这样的一级标题，不像一份部门整体支出绩效自评报告")
    if "自评报告" not in re.sub(r"\s", "", title):
        raise AdoptError(f"{name} 的第一个标题之前没有写明“……自评报告”的标题，不像一份部门整体支出绩效自评报告"
                         f"（读到的开头：“{title[:40]}”）")
    return blocks
