"""Marks set where docxtpl deletes or repeats paragraphs, and what settles them after rendering.

Before rendering, :func:`mark_tag_paragraphs` leaves marks in a part's XML (none of them
a paragraph: docxtpl counts paragraphs as lines to say where a failure is):

* the section break of each ``{%p`` paragraph moves into a :data:`SECTION` mark beside
  it — before an opening tag (``for``, ``if``, ``else`` …), whose paragraphs belong to a
  block that may be dropped or repeated, after any other;
* a :data:`REPEAT` mark starts and ends each ``{%p for`` loop's body, so every
  repetition can be told apart once rendered.

After rendering, :func:`settle_sections` merges each carried section break into the
paragraph before it, and :func:`restart_lists` gives a numbered list in each repetition
but the first a list of its own that restarts, be it numbered in its paragraphs or by
their style (:mod:`reportgen.docx.liststyles`). :mod:`reportgen.docx.reconcile` calls
them, removes the marks and serialises with :func:`serialise`.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from typing import Optional

from lxml import etree

from reportgen.docx.constants import W
from reportgen.docx.external import parse
from reportgen.docx.liststyles import StyleNumbering, level_of, numbering_of, set_list
from reportgen.docx.paragraphs import own_text

__all__ = ["MARKS", "REPEAT", "SECTION", "mark_tag_paragraphs", "restart_lists", "serialise", "settle_sections"]

MARKS = "urn:reportgen:reconcile"
#: a mark holding the section break of a deleted tag paragraph, where that paragraph was.
SECTION = f"{{{MARKS}}}section"
#: a mark at the start (``edge="start"``) and end (``edge="end"``) of each ``{%p for`` body.
REPEAT = f"{{{MARKS}}}repeat"
_TAG_PARAGRAPH = re.compile(r"\{%-?p\s+(\w*)")
_OPENERS = frozenset({"for", "if", "elif", "else", "with", "macro", "call", "filter", "block", "autoescape"})
_MARKS_DECLARATION = re.compile(rb' xmlns:\w+="urn:reportgen:reconcile"')


def mark_tag_paragraphs(xml: str, numbered: Collection[str] = ()) -> str:
    """``xml`` (a part, before docxtpl reads its tags) with marks the reconciliation
    settles after rendering, none of them a paragraph (docxtpl counts paragraphs as lines
    to say where a failure is):

    * the section break of each ``{%p`` paragraph moved into a :data:`SECTION` mark
      beside it: before an opening tag (``for``, ``if``, ``else`` …), after any other;
    * a :data:`REPEAT` mark at the start and the end of the body of each ``{%p for``
      loop that holds a numbered paragraph (only those have lists to restart): one
      with numbering of its own or of a style among ``numbered`` (style ids of
      :func:`~reportgen.docx.liststyles.numbered_styles`; "" the default style).

    ``xml`` itself when there is nothing to mark."""
    if "{%" not in xml or ("sectPr" not in xml and "numPr" not in xml and not numbered):
        return xml
    root = parse(xml.encode("utf-8"))
    marked = False
    loops: list = []  # the opening paragraph of each loop not yet closed
    count = 0
    for paragraph in list(root.iter(W + "p")):
        tag = _TAG_PARAGRAPH.search(own_text(paragraph))  # not a text box's paragraphs
        if tag is None:
            continue
        keyword = tag.group(1)
        section = paragraph.find(f"{W}pPr/{W}sectPr")
        if section is not None:
            (paragraph.addprevious if keyword in _OPENERS else paragraph.addnext)(_mark(SECTION, section))
            marked = True
        if keyword == "for":
            loops.append(paragraph)
        elif keyword == "endfor" and loops:
            opening = loops.pop()
            if _numbered_between(opening, paragraph, numbered):
                count += 1
                opening.addnext(_mark(REPEAT, edge="start", loop=str(count)))
                paragraph.addprevious(_mark(REPEAT, edge="end", loop=str(count)))
                marked = True
    return etree.tostring(root, encoding="unicode") if marked else xml


def _numbered_between(opening, closing, numbered: Collection[str]) -> bool:
    """True when a paragraph between the sibling paragraphs ``opening`` and ``closing``
    is numbered, by itself or by a style among ``numbered`` (False when they are no
    siblings: such a loop is not marked)."""
    between = []
    for sibling in opening.itersiblings():
        if sibling is closing:
            return any(_numbered(p, numbered) for e in between
                       for p in ([e] if e.tag == W + "p" else e.iter(W + "p")))
        between.append(sibling)
    return False


def _numbered(paragraph, numbered: Collection[str]) -> bool:
    if paragraph.find(f"{W}pPr/{W}numPr") is not None:
        return True
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return bool(numbered) and ("" if style is None else style.get(W + "val", "")) in numbered


def _mark(name: str, child=None, **attributes):
    mark = etree.Element(name, attributes, nsmap={"rg": MARKS})
    if child is not None:
        mark.append(child)  # moved, not copied
    return mark


def settle_sections(root) -> bool:
    """Merge each carried section break into the paragraph before it; where no
    paragraph before it can take the break, an empty paragraph carries it."""
    marks = list(root.iter(SECTION))
    for mark in marks:
        section, before = mark[0], mark.getprevious()
        while before is not None and before.tag == REPEAT:  # a loop's end is no paragraph
            before = before.getprevious()
        if before is None or before.tag != W + "p" or before.find(f"{W}pPr/{W}sectPr") is not None:
            carrier = etree.Element(W + "p")
            etree.SubElement(carrier, W + "pPr").append(section)
            mark.addprevious(carrier)
        else:
            properties = before.find(W + "pPr")
            if properties is None:
                properties = etree.Element(W + "pPr")
                before.insert(0, properties)
            change = properties.find(W + "pPrChange")  # sectPr comes before a change record
            (change.addprevious if change is not None else properties.append)(section)
        mark.getparent().remove(mark)
    return bool(marks)


# ---- after rendering: lists in repeated blocks ---------------------------------------------


def _repetitions(root) -> list[list]:
    """The top elements of each repetition of a loop but its first, in document order."""
    out = []
    for start in list(root.iter(REPEAT)):
        if start.get("edge") != "start":
            continue
        before = start.getprevious()
        if before is not None and before.tag == REPEAT and before.get("loop") == start.get("loop"):
            span, at = [], start.getnext()
            while at is not None and not (at.tag == REPEAT and at.get("loop") == start.get("loop")):
                span.append(at)
                at = at.getnext()
            out.append(span)
    return out


def restart_lists(root, numbering, styles: Optional[dict[str, StyleNumbering]] = None) -> bool:
    """Give each repetition but the first of a block holding a numbered list (among
    other paragraphs) a list of its own that restarts, as a clerk expects; a loop
    whose every repetition is one item of a list continues that list. ``styles``:
    the numbered paragraph styles (:func:`~reportgen.docx.liststyles.numbered_styles`)."""
    nums = {n.get(W + "numId"): n for n in numbering.iter(W + "num")}
    abstracts = {a.get(W + "abstractNumId"): a for a in numbering.iter(W + "abstractNum")}
    fresh = max((int(i) for i in nums if i.isdigit()), default=0) + 1
    changed = False
    for span in _repetitions(root):
        paragraphs = [p for e in span for p in ([e] if e.tag == W + "p" else e.iter(W + "p"))]
        numbered = [(p, found) for p in paragraphs
                    if (found := numbering_of(p, styles or {})) is not None and found[0] in nums]
        if not numbered or len({n for _, (n, _, _) in numbered}) == 1 and len(numbered) == len(paragraphs):
            continue
        own: dict[str, str] = {}
        for paragraph, (old, level, style) in numbered:
            if old not in own:
                own[old], fresh = str(fresh), fresh + 1
                _new_list(numbering, nums, abstracts, old, own[old])
            set_list(paragraph, own[old], level or level_of(_abstract(nums[old], abstracts), style))
            changed = True
    return changed


def _abstract(num, abstracts: dict):
    """The list definition (``w:abstractNum``) list ``num`` is of, or None."""
    pointer = num.find(W + "abstractNumId")
    return abstracts.get(pointer.get(W + "val") if pointer is not None else None)


def _new_list(numbering, nums: dict, abstracts: dict, old: str, new: str) -> None:
    """A new list ``new`` of the same kind as ``old``, restarting at every level."""
    pointer = nums[old].find(W + "abstractNumId")
    abstract = _abstract(nums[old], abstracts)
    num = etree.Element(W + "num", {W + "numId": new})
    etree.SubElement(num, W + "abstractNumId", {W + "val": pointer.get(W + "val")})
    for level in ([] if abstract is None else abstract.iter(W + "lvl")):
        start = level.find(W + "start")
        override = etree.SubElement(num, W + "lvlOverride", {W + "ilvl": level.get(W + "ilvl", "0")})
        etree.SubElement(override, W + "startOverride",
                         {W + "val": start.get(W + "val", "1") if start is not None else "1"})
    last = list(numbering.iter(W + "num"))[-1]
    last.addnext(num)
    nums[new] = num


# ---- after rendering: one part -------------------------------------------------------------


def serialise(root) -> bytes:
    """A reconciled part's XML as python-docx writes it; the marks are gone, and so is
    their namespace's declaration, wherever lxml left it."""
    return _MARKS_DECLARATION.sub(b"", etree.tostring(root, encoding="UTF-8", standalone=True))
