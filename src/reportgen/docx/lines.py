"""The marks :mod:`reportgen.language.text` writes into values, made into paragraphs.

:func:`split_paragraphs` takes the XML of a part as Jinja rendered it: at each
paragraph mark the paragraph is split in two, every element between the mark and the
paragraph (run, hyperlink, revision, content control) split with it, each half keeping
its properties; the section break a paragraph carries moves to its last half (it ends
the section), and the halves do not share Word's paragraph ids. At a leading-blanks
mark, the blanks after it go when nothing is written before it in its paragraph. A
part without marks comes back unchanged, byte for byte.
"""
from __future__ import annotations

import copy
import re

from lxml import etree

from reportgen.docx.constants import W, W14
from reportgen.textrules import BLANKS

#: where a new paragraph starts, in a rendered value (XML 1.0 cannot hold it, so no data can).
PARAGRAPH = "\x0b"
#: before a value whose first line starts with blanks: dropped with them at a paragraph's start.
LEADING = "\x01"
_MARK = W + "reportgenMark"  # in Word's namespace, declared on every part: none to add
_TEXT = re.compile(r"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)")
_DECLARATION = re.compile(r"\s*<\?xml[^>]*\?>\s*")
_IDS = (W14 + "paraId", W14 + "textId")
_ELEMENT = {PARAGRAPH: "paragraph", LEADING: "leading"}


def _marked(match: re.Match) -> str:
    open_, text, close = match.groups()
    if PARAGRAPH not in text and LEADING not in text:
        return match.group()
    pieces = re.split(f"([{PARAGRAPH}{LEADING}])", text)
    out = open_.replace("<w:t>", '<w:t xml:space="preserve">') if open_ == "<w:t>" else open_
    for piece in pieces:
        if piece in _ELEMENT:
            out += f'{close}<w:reportgenMark kind="{_ELEMENT[piece]}"/><w:t xml:space="preserve">'
        else:
            out += piece
    return out + close


def split_paragraphs(xml: str) -> str:
    """``xml`` (a rendered part, or docxtpl's body fragment) with its marks made into
    paragraphs and blanks as :mod:`reportgen.language.text` says; unchanged without marks."""
    if PARAGRAPH not in xml and LEADING not in xml:
        return xml
    declaration = _DECLARATION.match(xml)
    head, body = (declaration.group(), xml[declaration.end():]) if declaration else ("", xml)
    # marks in a w:t become elements; anywhere else (an attribute) a mark is only dropped
    body = _TEXT.sub(_marked, body).replace(PARAGRAPH, "\n").replace(LEADING, "")
    root = etree.fromstring(body.encode("utf-8"))
    ids = _Ids(root)
    for mark in list(root.iter(_MARK)):
        paragraph = next((a for a in mark.iterancestors(W + "p")), None)
        if paragraph is not None and mark.get("kind") == "paragraph":
            _split(paragraph, mark, ids)
        elif paragraph is not None and not _written_before(paragraph, mark):
            _strip_blanks(mark)
        mark.getparent().remove(mark)
    return head + etree.tostring(root, encoding="unicode")


class _Ids:
    """Fresh numbers for the ``w:id`` of split revisions and content controls, which Word
    wants unique in a part: above any the part holds."""

    def __init__(self, root):
        taken = [int(v) for e in root.iter() if (v := e.get(_attribute(e))) and v.lstrip("-").isdigit()]
        self.next = max(taken, default=0) + 1

    def renumber(self, element) -> None:
        for e in element.iter(W + "id", *_NUMBERED):
            if e.get(_attribute(e)) is not None:
                e.set(_attribute(e), str(self.next))
                self.next += 1


def _attribute(element) -> str:
    """Where ``element`` keeps its number: ``w:id/@w:val`` in a content control, else ``@w:id``."""
    return W + "val" if element.tag == W + "id" else W + "id"


_NUMBERED = (W + "ins", W + "del", W + "moveTo", W + "moveFrom")


def _shallow(element, ids: _Ids):
    """A copy of ``element`` with its properties (``w:rPr``, ``w:pPr`` …) but no content,
    and a number of its own where Word wants one."""
    clone = element.makeelement(element.tag, {k: v for k, v in element.attrib.items() if k not in _IDS})
    if len(element) and etree.QName(element[0]).localname.endswith("Pr"):
        clone.append(copy.deepcopy(element[0]))
    ids.renumber(clone)
    return clone


def _split(paragraph, mark, ids: _Ids) -> None:
    """Split ``paragraph`` at ``mark``: what follows it goes into a new paragraph after it
    (the mark stays behind, for the caller to remove)."""
    carry, node = None, mark
    while True:
        parent = node.getparent()
        clone = _shallow(parent, ids)
        if carry is not None:
            clone.append(carry)
        for sibling in list(node.itersiblings()):
            clone.append(sibling)
        carry = clone
        if parent is paragraph:
            break
        node = parent
    properties = paragraph.find(W + "pPr")
    section = properties.find(W + "sectPr") if properties is not None else None
    if section is not None:  # the section ends with the last half
        properties.remove(section)
    paragraph.addnext(carry)


def _written_before(paragraph, mark) -> bool:
    """True when ``paragraph`` shows any text or tab before ``mark``."""
    for element in paragraph.iter(W + "t", W + "tab", _MARK):
        if element is mark:
            return False
        if element.tag == W + "tab" or (element.text or "").strip(BLANKS):
            return True
    return False


def _strip_blanks(mark) -> None:
    """Remove the blanks that start the text right after ``mark``."""
    following = next((t for t in mark.itersiblings(W + "t")), None)
    if following is not None and following.text:
        following.text = following.text.lstrip(BLANKS)
