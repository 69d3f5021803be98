"""What in a Word package reaches outside the document, and the same package without it.

A template is untrusted: an image linked to an http or ``file://``/UNC address, a linked
sub-document, a remote attached template (``settings.xml.rels``, the known way to make
Word fetch a macro document), an OLE link, a mail-merge data source, an external
``w:altChunk``, or an ``INCLUDEPICTURE``/``INCLUDETEXT``/``LINK``/``DDE`` field makes
Word fetch an address when the report is opened, from every report the template makes.

The rule (documented in the template guide, "外部链接"): an ordinary hyperlink to a web
or mail address (``http``, ``https``, ``mailto``), which needs a click, stays. Every other
external target is removed from the report:

* a relationship with ``TargetMode="External"`` is dropped, and what uses it in its
  part: a linked image that has an embedded copy keeps the copy, otherwise the drawing
  goes; a hyperlink keeps its text; a mail merge setting goes whole; any other element
  (``w:subDoc``, ``w:attachedTemplate``, ``o:OLEObject``, ``w:altChunk`` …) goes;
* a field that fetches (:data:`FETCHING_FIELDS`, or a ``HYPERLINK`` field to another
  address than the web or mail) is replaced by its last shown result, as Word's
  "解除链接" (Ctrl+Shift+F9) does.

:func:`external_relationships` and :func:`fetching_fields` find them (for the linter);
:func:`strip_relationships` and :func:`strip_part` remove them (for the renderer, via
:mod:`reportgen.docx.reconcile`).
"""
from __future__ import annotations

import re
from typing import Iterable, NamedTuple, Optional

from lxml import etree

from reportgen.docx.constants import HYPERLINK_RELATIONSHIP, W, qn

__all__ = ["FETCHING_FIELDS", "External", "external_relationships", "fetching_fields", "is_external",
           "is_web_address", "parse", "refers", "relationships_entry", "source_part", "strip_part",
           "strip_relationships", "target_part"]

_R = qn("r:id")[:-2]  # "{…officeDocument/2006/relationships}"
_BLIP = qn("a:blip")
_MAIL_MERGE = (W + "dataSource", W + "headerSource", W + "query", W + "recipientData")
#: field instructions whose field fetches content from elsewhere when Word updates it.
FETCHING_FIELDS = frozenset({"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO",
                             "DATABASE", "RD"})
_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:|[A-Za-z]:[\\/]|\\\\|//")
_WEB = re.compile(r"\s*(https?://|mailto:)", re.I)
_FIELD_WORD = re.compile(r"\s*([A-Za-z]+)")
_QUOTED = re.compile(r'"([^"]*)"|(\S+)')

#: relationship type (its last path step) → what a clerk calls it.
_KINDS = {"image": "链接的外部图片", "attachedTemplate": "外部附加模板（打开报告时Word会下载该模板及其宏）",
          "subDocument": "链接的子文档", "oleObject": "链接的OLE对象", "aFChunk": "外部导入的内容（altChunk）",
          "mailMergeSource": "邮件合并的外部数据源", "mailMergeHeaderSource": "邮件合并的外部数据源",
          "frame": "框架中的外部网页", "hyperlink": "指向本机或共享文件夹的超链接",
          "oleObjectLink": "链接的OLE对象"}


class External(NamedTuple):
    """One external target of a package: the part that uses it (zip entry), what it is
    (in Chinese), the address, and the relationship id (None for a field)."""

    part: str
    kind: str
    target: str
    rid: Optional[str]


def parse(xml: bytes):
    """Untrusted XML parsed without resolving entities; a parser per call (thread safety)."""
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def is_web_address(target: str) -> bool:
    """True for an address an ordinary hyperlink may keep: http, https or mailto."""
    return bool(_WEB.match(target))


def source_part(rels_name: str) -> str:
    """The part a relationships entry belongs to: ``word/_rels/document.xml.rels`` →
    ``word/document.xml``; ``_rels/.rels`` → "" (the package)."""
    folder, _, base = rels_name.rpartition("_rels/")
    return folder + base.removesuffix(".rels") if base != ".rels" else ""


def relationships_entry(partname: str) -> str:
    """The relationships entry of a part: ``word/document.xml`` → ``word/_rels/document.xml.rels``
    (:func:`source_part` the other way)."""
    folder, _, base = partname.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def target_part(folder: str, rel) -> str:
    """The entry the package-internal relationship ``rel`` of a part in ``folder`` points at."""
    target = rel.get("Target", "")
    return target.lstrip("/") if target.startswith("/") else "/".join(filter(None, [folder, target]))


def is_external(rel) -> bool:
    """True for a relationship whose target lies outside the package: marked so in any
    letter case, or written as an address (``http:``, ``file:``, ``\\\\server``) anyway."""
    target = rel.get("Target", "").strip()
    return (rel.get("TargetMode") or "").lower() == "external" or bool(_ADDRESS.match(target))


def _removed(rel) -> bool:
    if not is_external(rel):
        return False
    return rel.get("Type") != HYPERLINK_RELATIONSHIP or not is_web_address(rel.get("Target", ""))


def _kind(rel) -> str:
    return _KINDS.get(rel.get("Type", "").rpartition("/")[2], "外部链接")


def external_relationships(rels_name: str, rels_xml: bytes) -> list[External]:
    """The external targets a relationships entry holds that the report may not keep."""
    part = source_part(rels_name)
    return [External(part, _kind(r), r.get("Target", ""), r.get("Id"))
            for r in parse(rels_xml) if _removed(r)]


def strip_relationships(rels_xml: bytes) -> tuple[bytes, frozenset[str]]:
    """``rels_xml`` without the external relationships the report may not keep, and
    their ids (``rels_xml`` itself, unchanged, when there are none)."""
    root = parse(rels_xml)
    gone = [r for r in root if _removed(r)]
    if not gone:
        return rels_xml, frozenset()
    for rel in gone:
        root.remove(rel)
    return etree.tostring(root, encoding="UTF-8", standalone=True), frozenset(r.get("Id") for r in gone)


# ---- uses of removed relationships ---------------------------------------------------------


def refers(element, ids: frozenset[str]) -> list[str]:
    """Attributes of ``element`` in the relationships namespace naming one of ``ids``."""
    return [name for name, value in element.attrib.items() if name.startswith(_R) and value in ids]


def _unwrap(element) -> None:
    """Replace ``element`` by its children (a hyperlink keeps its text)."""
    parent = element.getparent()
    at = parent.index(element)
    for child in reversed(list(element)):
        parent.insert(at, child)
    parent.remove(element)


def _drop(element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _remove_uses(root, ids: frozenset[str]) -> bool:
    """Remove from a part what uses the relationships ``ids``; True when anything did."""
    found = [(e, refers(e, ids)) for e in root.iter() if isinstance(e.tag, str) and refers(e, ids)]
    for element, names in found:
        if element.tag == _BLIP and element.get(qn("r:embed")) not in (None, *ids):
            for name in names:  # "insert and link": the embedded copy stays
                del element.attrib[name]
        elif element.tag == _BLIP:
            _drop(next(element.iterancestors(W + "drawing"), element))
        elif element.tag == W + "hyperlink":
            _unwrap(element)
        elif element.tag in _MAIL_MERGE:
            _drop(next(element.iterancestors(W + "mailMerge"), element))
        else:
            _drop(element)
    return bool(found)


# ---- fields --------------------------------------------------------------------------------


class _Field(NamedTuple):
    instruction: str
    begin: object  # the w:fldChar elements (separate None when the field shows no result)
    separate: object
    end: object
    code: tuple  # the elements of its instruction: w:instrText, nested fields' w:fldChar


def _complex_fields(root) -> list[_Field]:
    """Every complex field (``w:fldChar`` begin … separate … end) of a part, nested ones
    too. A field's ``code`` holds what makes up its instruction, a nested field's
    ``w:fldChar`` elements included; its ``instruction`` is the text of that code."""
    out, open_ = [], []  # per open field: [begin, separate, code]

    def in_code(element, fields) -> None:
        for field in fields:
            if field[1] is None:
                field[2].append(element)

    for element in root.iter(W + "fldChar", W + "instrText"):
        kind = element.get(W + "fldCharType") if element.tag == W + "fldChar" else "code"
        if kind == "code":
            in_code(element, open_)
        elif kind == "begin":
            in_code(element, open_)
            open_.append([element, None, []])
        elif kind == "separate" and open_:
            in_code(element, open_[:-1])
            open_[-1][1] = element
        elif kind == "end" and open_:
            begin, separate, code = open_.pop()
            in_code(element, open_)
            text = "".join(e.text or "" for e in code if e.tag == W + "instrText")
            out.append(_Field(text, begin, separate, element, tuple(code)))
    return out


def _fetches(instruction: str) -> Optional[str]:
    """What a field fetches (its instruction after the field's name), or None for a
    field that fetches nothing."""
    word = _FIELD_WORD.match(instruction)
    if word is None:
        return None
    name, rest = word.group(1).upper(), instruction[word.end():]
    # The address comes first; "\\l" first is a link to a place in the document itself.
    argument = next((a or b for a, b in _QUOTED.findall(rest)), "")
    if argument.startswith("\\") and not argument.startswith("\\\\"):
        argument = ""
    if name in FETCHING_FIELDS or (name == "HYPERLINK" and argument and not is_web_address(argument)):
        return " ".join(rest.split()) or name  # LINK and DDE name the program first, then the file
    return None


def fetching_fields(root) -> list[tuple[str, str, object]]:
    """(field name, address, the element beginning it) of each field of a part that fetches."""
    out = []
    for field in _complex_fields(root):
        target = _fetches(field.instruction)
        if target is not None:
            out.append((field.instruction.split()[0].upper(), target, field.begin))
    for simple in root.iter(W + "fldSimple"):
        target = _fetches(simple.get(W + "instr", ""))
        if target is not None:
            out.append((simple.get(W + "instr", "").split()[0].upper(), target, simple))
    return out


def _freeze(field: _Field) -> None:
    """Leave only the field's shown result (nothing, when it shows none)."""
    doomed = [field.begin, field.end, *field.code]
    if field.separate is not None:
        doomed.append(field.separate)
    runs = {id(e.getparent()): e.getparent() for e in doomed if e.getparent() is not None}
    for element in doomed:
        _drop(element)
    for run in runs.values():  # a run left with nothing but its formatting goes too
        if all(child.tag == W + "rPr" for child in run):
            _drop(run)


def _freeze_fields(root) -> bool:
    changed = False
    for field in reversed(_complex_fields(root)):  # inner fields first
        if _fetches(field.instruction) is not None:
            _freeze(field)
            changed = True
    for simple in list(root.iter(W + "fldSimple")):
        if _fetches(simple.get(W + "instr", "")) is not None:
            _unwrap(simple)
            changed = True
    return changed


def strip_part(root, removed: Iterable[str] = ()) -> bool:
    """Remove in place, from a part's parsed XML ``root``, what uses the relationships
    ``removed`` and every field that fetches; True when anything was removed."""
    removed = frozenset(removed)
    used = _remove_uses(root, removed) if removed else False
    return _freeze_fields(root) or used
