"""What a clerk's report carries that its template must not: comments and revision marks.

A report on its way to publication often has reviewers' comments (批注) and, after
“接受所有修订”, still the records of formatting changes. Neither is the report: copied
into the template, the comments would be warned about at every render and the change
records would show as 修订 in Word. Tracked insertions and deletions are the clerk's
call and are refused (:mod:`.source`); everything here is removed without loss of text:
comment anchors and the parts holding the comments, each formatting change record (the
formatting now in force is kept, as “接受修订” keeps it), and the setting that turns
修订 on, so that editing the template is not tracked.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple

from docx.document import Document
from docx.oxml.ns import qn
from docx.opc.part import XmlPart

from reportgen.docx.reconcile import COMMENT_PARTS, drop_comment_anchors

#: the parts that hold comments, as the renderer drops them, and the list of their authors.
_COMMENT_PARTS = COMMENT_PARTS | {"people"}
#: records of a formatting change made while 修订 was on: the old formatting, kept for 拒绝.
_CHANGES = tuple(qn(f"w:{tag}") for tag in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange",
                                             "tcPrChange", "tblGridChange", "numberingChange"))


class Cleaned(NamedTuple):
    """What was removed: comments, formatting change records, whether 修订 was on."""

    comments: int
    changes: int
    tracking: bool


def parts(document: Document) -> Iterator:
    """The root element of every XML part of the package: body, headers, footers, notes,
    styles, numbering …"""
    for part in document.part.package.iter_parts():
        if isinstance(part, XmlPart):
            yield part.element


def _drop_comments(document: Document) -> int:
    ids = set()
    for root in parts(document):
        ids |= drop_comment_anchors(root)
    rels = document.part.rels
    for rid in [rid for rid, rel in rels.items()
                if not rel.is_external and rel.reltype.rpartition("/")[2] in _COMMENT_PARTS]:
        rels.pop(rid)  # a part no relationship names is not saved
    return len(ids)


def clean(document: Document) -> Cleaned:
    """Remove from ``document`` its comments, its formatting change records and the
    修订 setting; say how many of each there were. ``document`` is changed."""
    comments = _drop_comments(document)
    changes = 0
    for root in parts(document):
        for record in list(root.iter(*_CHANGES)):
            record.getparent().remove(record)
            changes += 1
    settings = document.settings.element
    tracking = [e for e in settings if e.tag == qn("w:trackRevisions")]
    for e in tracking:
        settings.remove(e)
    return Cleaned(comments, changes, bool(tracking))


def notes(cleaned: Cleaned) -> list[str]:
    """What the summary says of what :func:`clean` removed."""
    out = []
    if cleaned.comments:
        out.append(f"报告中的{cleaned.comments}条批注没有带入模板（批注不是报告内容）")
    if cleaned.changes:
        out.append(f"报告中{cleaned.changes}处格式修订记录已按“接受修订”处理，模板保留修订后的格式")
    if cleaned.tracking:
        out.append("报告开着“修订”模式，模板中已关闭，以免修改模板时留下修订记录")
    return out
